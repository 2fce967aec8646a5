//! The OAuth apps' routes (`/v1/oauth-apps`, our own contract) and their
//! handlers.
//!
//! Each handler reads and validates its body first, then takes the state lock
//! once for one `Store` operation, lets go, and only then serializes the
//! answer or writes the state file: the lock is never held across I/O or
//! across work that grows with a request's size.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use time::OffsetDateTime;

use super::super::errors::ApiError;
use super::super::http::{body_bytes, header_text, path_id};
use super::super::state::Family;
use super::list::parse_query;
use super::model::StoredApp;
use super::store::{app_not_found, Store};
use super::validate::{parse_update, read_create};

/// Request bodies are a few hundred bytes; anything far larger is a mistake.
const MAX_BODY_BYTES: usize = 256 * 1024;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Tells a client that it got the recorded answer of an earlier create.
const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

type Shared = Family<Store>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v1/oauth-apps", get(list).post(create))
        .route(
            "/v1/oauth-apps/{id}",
            get(read).patch(update).delete(delete),
        )
        .with_state(shared)
}

fn app_response(status: StatusCode, app: &StoredApp, replayed: bool) -> Response {
    let mut response = (status, Json(app.view())).into_response();
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&app.etag_header()) {
        headers.insert(header::ETAG, etag);
    }
    if status == StatusCode::CREATED {
        if let Ok(location) = HeaderValue::from_str(&format!("/v1/oauth-apps/{}", app.id)) {
            headers.insert(header::LOCATION, location);
        }
    }
    if replayed {
        headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    response
}

async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let key = header_text(&headers, &IDEMPOTENCY_KEY, "Idempotency-Key")?.map(str::to_owned);
    let request = read_create(&body_bytes(body, MAX_BODY_BYTES).await?);
    let outcome = shared
        .mutate(|store| {
            store.create(
                request,
                key.as_deref(),
                OffsetDateTime::now_utc(),
                Instant::now(),
            )
        })
        .await?;
    let app = outcome.result?;
    Ok(app_response(StatusCode::CREATED, &app, outcome.replayed))
}

async fn list(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let query = parse_query(query.as_deref())?;
    let page = shared.read(|store| store.list(&query))?.to_json()?;
    Ok(([(header::CONTENT_TYPE, "application/json")], page).into_response())
}

async fn read(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(path, app_not_found)?;
    let app = shared.read(|store| store.get(&id))?;
    Ok(app_response(StatusCode::OK, &app, false))
}

async fn update(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let id = path_id(path, app_not_found)?;
    let if_match = header_text(&headers, &header::IF_MATCH, "If-Match")?.map(str::to_owned);
    let body = body_bytes(body, MAX_BODY_BYTES).await?;
    // The connector never changes, so the body can be checked against it
    // without holding the lock; a delete in between is the update's 404.
    let connector = shared.read(|store| store.connector_of(&id))?;
    let input = parse_update(&body, connector)?;
    let app = shared
        .mutate(|store| store.update(&id, if_match.as_deref(), input, OffsetDateTime::now_utc()))
        .await??;
    Ok(app_response(StatusCode::OK, &app, false))
}

async fn delete(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(path, app_not_found)?;
    shared.mutate(|store| store.delete(&id)).await??;
    Ok(StatusCode::NO_CONTENT)
}
