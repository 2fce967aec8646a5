//! The contract's error body (`{tpe, errors[], extras}`) and the statuses it
//! goes with, built in one place so every failure of the emulator, from a bad
//! field to a refused key, looks the same on the wire.
//!
//! Descriptions name fields and limits, never the values of secrets or keys.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// One entry of `errors[]`: what went wrong, a stable key to branch on, and
/// machine-readable details (`extras.field` names the field, when there is one).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct ErrorItem {
    pub(crate) description: String,
    pub(crate) key: &'static str,
    pub(crate) extras: Map<String, Value>,
}

impl ErrorItem {
    pub(crate) fn new(key: &'static str, description: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            key,
            extras: Map::new(),
        }
    }

    /// An error about one field of a request.
    pub(crate) fn field(key: &'static str, field: &str, description: impl Into<String>) -> Self {
        Self::new(key, description).with("field", json!(field))
    }

    pub(crate) fn with(mut self, name: &str, value: Value) -> Self {
        self.extras.insert(name.to_owned(), value);
        self
    }
}

/// A complete error answer: status, `tpe`, the error entries and any headers
/// the status calls for (`Retry-After`, `WWW-Authenticate`, `Allow`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) errors: Vec<ErrorItem>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, errors: Vec<ErrorItem>) -> Self {
        Self {
            status,
            errors,
            headers: Vec::new(),
        }
    }

    pub(crate) fn one(status: StatusCode, item: ErrorItem) -> Self {
        Self::new(status, vec![item])
    }

    pub(crate) fn bad_request(item: ErrorItem) -> Self {
        Self::one(StatusCode::BAD_REQUEST, item)
    }

    /// A 404 in the family's words: its key (`oauth_app.not_found`) and
    /// what it has none of.
    pub(crate) fn not_found(key: &'static str, description: impl Into<String>) -> Self {
        Self::one(StatusCode::NOT_FOUND, ErrorItem::new(key, description))
    }

    pub(crate) fn internal(description: &str) -> Self {
        Self::one(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorItem::new("internal", description),
        )
    }

    pub(crate) fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The `tpe` the contract pairs with each status.
    pub(crate) fn tpe(&self) -> &'static str {
        tpe_for(self.status)
    }

    pub(crate) fn body(&self) -> ErrorBody<'_> {
        ErrorBody {
            tpe: self.tpe(),
            errors: &self.errors,
            extras: Map::new(),
        }
    }
}

/// The error body, fields in the contract's order.
#[derive(Serialize)]
pub(crate) struct ErrorBody<'a> {
    tpe: &'static str,
    errors: &'a [ErrorItem],
    extras: Map<String, Value>,
}

pub(crate) fn tpe_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "BadRequest",
        StatusCode::UNAUTHORIZED => "Unauthorized",
        StatusCode::FORBIDDEN => "Forbidden",
        StatusCode::NOT_FOUND => "NotFound",
        StatusCode::METHOD_NOT_ALLOWED => "MethodNotAllowed",
        StatusCode::CONFLICT => "Conflict",
        StatusCode::PRECONDITION_FAILED => "PreconditionFailed",
        StatusCode::PAYLOAD_TOO_LARGE => "PayloadTooLarge",
        StatusCode::UNPROCESSABLE_ENTITY => "UnprocessableEntity",
        StatusCode::TOO_MANY_REQUESTS => "TooManyRequests",
        StatusCode::SERVICE_UNAVAILABLE => "ServiceUnavailable",
        _ => "InternalServerError",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        for (name, value) in self.headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}
