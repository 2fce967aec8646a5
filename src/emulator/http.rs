//! The HTTP face of the emulator, shared by every family: the layers every
//! request passes (request id, faults, auth), the answers to paths and
//! methods no family serves, and the helpers handlers read requests with.
//! Each family's routes are its own (`oauth_apps::routes`); `super::families`
//! merges them.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::sync::Arc;

use super::auth::{require_key, Keys};
use super::errors::{ApiError, ErrorItem};
use super::faults::{inject, Faults};

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The families' routes behind the layers every request passes, with the
/// answers for what none of them serves.
pub(crate) fn router(families: Router, keys: Arc<Keys>, faults: Arc<Faults>) -> Router {
    families
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
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

/// A whole request body of at most `max` bytes.
pub(crate) async fn body_bytes(body: Body, max: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, max).await.map_err(|_| {
        ApiError::bad_request(ErrorItem::new(
            "request.body_unreadable",
            format!("the request body could not be read or is larger than {max} bytes"),
        ))
    })
}

/// A header as text; `Err` when present but not visible ASCII.
pub(crate) fn header_text<'h>(
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

/// Ids are opaque: one that cannot even be decoded names nothing, and is
/// answered with the family's `missing` (its 404).
pub(crate) fn path_id(
    path: Result<Path<String>, PathRejection>,
    missing: fn() -> ApiError,
) -> Result<String, ApiError> {
    path.map(|Path(id)| id).map_err(|_| missing())
}
