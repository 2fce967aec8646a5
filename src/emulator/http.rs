//! The HTTP face of the emulator: routes of the contract, the layers every
//! request passes (request id, faults, auth) and the state shared by handlers.
//!
//! Each handler reads and validates its body first, then takes the state lock
//! once for one `Store` operation, lets go, and only then serializes the
//! answer or writes the state file: the lock is never held across I/O or
//! across work that grows with a request's size.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use time::OffsetDateTime;

use super::auth::{require_key, Keys};
use super::errors::{ApiError, ErrorItem};
use super::faults::{inject, Faults};
use super::knowledge_graph::{self, KgStore};
use super::list::parse_query;
use super::model::StoredApp;
use super::persist::{self, Snapshot};
use super::store::Store;
use super::validate::{parse_update, read_create};

/// Request bodies are a few hundred bytes; anything far larger is a mistake.
const MAX_BODY_BYTES: usize = 256 * 1024;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Tells a client that it got the recorded answer of an earlier create.
const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

pub(crate) struct Shared {
    store: Mutex<Store>,
    /// The Knowledge Graph family's state, saved in the same state file.
    kg: Mutex<KgStore>,
    state_file: Option<PathBuf>,
    /// With a state file, changes are made one at a time (see `mutate`).
    writer: Arc<tokio::sync::Mutex<()>>,
}

impl Shared {
    pub(crate) fn new(store: Store, kg: KgStore, state_file: Option<PathBuf>) -> Self {
        Self {
            store: Mutex::new(store),
            kg: Mutex::new(kg),
            state_file,
            writer: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn kg_lock(&self) -> MutexGuard<'_, KgStore> {
        self.kg.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `op` on the store. With a state file, `op` changes a copy that
    /// replaces the store only once it is saved: a change that cannot be
    /// saved is not made at all (nor recorded for its `Idempotency-Key`), so
    /// its 500 is the whole truth and a retry starts afresh. Readers never see
    /// a change that is not on disk yet.
    async fn mutate<R>(self: &Arc<Self>, op: impl FnOnce(&mut Store) -> R) -> Result<R, ApiError> {
        let Some(path) = &self.state_file else {
            return Ok(op(&mut self.lock()));
        };
        // One change at a time, so that no change is made on a stale copy.
        let permit = self.writer.clone().lock_owned().await;
        let mut next = self.lock().clone();
        let before = next.revision();
        let result = op(&mut next);
        if next.revision() == before {
            *self.lock() = next;
            return Ok(result);
        }
        // Saving and putting the copy in place happen on a task of their own,
        // which finishes (holding the permit) even if this request is
        // abandoned half way: the file and the store never disagree.
        let shared = Arc::clone(self);
        let path = path.clone();
        let saved = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut snapshot = next.snapshot();
            snapshot.knowledge_graph = Some(shared.kg_lock().clone());
            save(&path, &snapshot)?;
            *shared.lock() = next;
            Ok(())
        })
        .await
        .unwrap_or_else(|e| Err(format!("writing the state file failed: {e}")));
        saved.map_err(not_saved)?;
        Ok(result)
    }

    fn read<R>(&self, op: impl FnOnce(&Store) -> R) -> R {
        op(&self.lock())
    }

    /// [`Shared::mutate`] for the Knowledge Graph family's state.
    pub(crate) async fn mutate_kg<R>(
        self: &Arc<Self>,
        op: impl FnOnce(&mut KgStore) -> R,
    ) -> Result<R, ApiError> {
        let Some(path) = &self.state_file else {
            return Ok(op(&mut self.kg_lock()));
        };
        let permit = self.writer.clone().lock_owned().await;
        let mut next = self.kg_lock().clone();
        let before = next.revision();
        let result = op(&mut next);
        if next.revision() == before {
            return Ok(result);
        }
        let shared = Arc::clone(self);
        let path = path.clone();
        let saved = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut snapshot = shared.lock().snapshot();
            snapshot.knowledge_graph = Some(next.clone());
            save(&path, &snapshot)?;
            *shared.kg_lock() = next;
            Ok(())
        })
        .await
        .unwrap_or_else(|e| Err(format!("writing the state file failed: {e}")));
        saved.map_err(not_saved)?;
        Ok(result)
    }

    pub(crate) fn read_kg<R>(&self, op: impl FnOnce(&KgStore) -> R) -> R {
        op(&self.kg_lock())
    }
}

fn not_saved(reason: String) -> ApiError {
    tracing::error!("{reason}; the change was not made");
    ApiError::internal(
        "the emulator could not write its state file, so the change was not made; \
         retry once the state file can be written",
    )
}

/// Serializes and writes a snapshot; the reason it could not, for the log.
fn save(path: &std::path::Path, snapshot: &Snapshot) -> Result<(), String> {
    let bytes = snapshot
        .to_bytes()
        .map_err(|e| format!("cannot serialize the state: {e}"))?;
    persist::save(path, &bytes)
        .map_err(|e| format!("cannot write the state file {}: {e}", path.display()))
}

pub(crate) fn router(
    shared: Arc<Shared>,
    kg: Arc<knowledge_graph::Kg>,
    keys: Arc<Keys>,
    faults: Arc<Faults>,
) -> Router {
    Router::new()
        .merge(knowledge_graph::router(kg))
        .route("/v1/oauth-apps", get(list).post(create))
        .route(
            "/v1/oauth-apps/{id}",
            get(read).patch(update).delete(delete),
        )
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(shared)
        .layer(middleware::from_fn_with_state(keys, require_key))
        .layer(middleware::from_fn_with_state(faults, inject))
        .layer(middleware::from_fn(request_id))
}

/// Outermost layer, so every answer (429s and 503s included) carries an id.
async fn request_id(request: Request, next: Next) -> Response {
    let id = format!("req_{}", uuid::Uuid::new_v4().simple());
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    tracing::info!(
        request_id = %id,
        %method,
        %path,
        status = response.status().as_u16(),
        "request"
    );
    response
}

async fn no_route() -> ApiError {
    ApiError::one(
        StatusCode::NOT_FOUND,
        ErrorItem::new("route.not_found", "no such endpoint; see /v1/oauth-apps"),
    )
}

async fn wrong_method() -> ApiError {
    ApiError::one(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorItem::new(
            "route.method_not_allowed",
            "this endpoint does not support this method",
        ),
    )
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

async fn body_bytes(body: Body) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::bad_request(ErrorItem::new(
                "request.body_unreadable",
                format!(
                    "the request body could not be read or is larger than {MAX_BODY_BYTES} bytes"
                ),
            ))
        })
}

/// A header as text; `Err` when present but not visible ASCII.
fn header_text<'h>(
    headers: &'h HeaderMap,
    name: &HeaderName,
    field: &str,
) -> Result<Option<&'h str>, ApiError> {
    headers
        .get(name)
        .map(|v| {
            v.to_str().map_err(|_| {
                ApiError::bad_request(ErrorItem::field(
                    "request.invalid_header",
                    field,
                    format!("{field} must be visible ASCII text"),
                ))
            })
        })
        .transpose()
}

/// Ids are opaque: one that cannot even be decoded names no app.
fn app_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(id)| id).map_err(|_| ApiError::not_found())
}

async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let key = header_text(&headers, &IDEMPOTENCY_KEY, "Idempotency-Key")?.map(str::to_owned);
    let request = read_create(&body_bytes(body).await?);
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
    let id = app_id(path)?;
    let app = shared.read(|store| store.get(&id))?;
    Ok(app_response(StatusCode::OK, &app, false))
}

async fn update(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let id = app_id(path)?;
    let if_match = header_text(&headers, &header::IF_MATCH, "If-Match")?.map(str::to_owned);
    let body = body_bytes(body).await?;
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
    let id = app_id(path)?;
    shared.mutate(|store| store.delete(&id)).await??;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    const BODY: &[u8] = br#"{"connector":"confluence","name":"Eng","client_id":"abc",
        "client_secret":"fake-secret-0001",
        "scopes":["search:confluence","read:space:confluence","read:page:confluence"]}"#;

    /// A request abandoned while its change is being saved (the client hung
    /// up) still ends with the file and the store agreeing.
    #[tokio::test]
    async fn an_abandoned_change_is_saved_and_made_or_neither() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.json");
        let shared = Arc::new(Shared::new(
            Store::new(),
            KgStore::new(),
            Some(state.clone()),
        ));
        let change = shared.mutate(|store| {
            store.create(
                read_create(BODY),
                Some("k"),
                OffsetDateTime::now_utc(),
                Instant::now(),
            )
        });
        // One poll, then the request is dropped, mostly while the save runs.
        let _ = change.now_or_never();
        // The save holds the writer's permit until it is done.
        drop(shared.writer.lock().await);
        let saved = persist::load(&state)
            .unwrap()
            .expect("the file was written");
        let in_memory = shared.read(|store| store.snapshot());
        assert_eq!(saved.apps.len(), 1);
        assert_eq!(in_memory.apps.len(), 1, "the store agrees with the file");
        assert_eq!(*in_memory.apps[0], saved.apps[0]);
    }
}
