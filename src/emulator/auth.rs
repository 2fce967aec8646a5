//! Bearer API keys and the two roles the contract knows: org-admin keys may
//! do everything, read-only keys may only read. Keys are compared in constant
//! time and never written to a log or an error.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::{Choice, ConstantTimeEq};

use super::errors::{ApiError, ErrorItem};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Admin,
    ReadOnly,
}

pub(crate) struct Keys {
    admin: Vec<String>,
    read_only: Vec<String>,
}

impl Keys {
    pub(crate) fn new(admin: Vec<String>, read_only: Vec<String>) -> Self {
        Self { admin, read_only }
    }

    fn role(&self, presented: &str) -> Option<Role> {
        // Every key is compared, so timing does not tell which list matched.
        let any = |keys: &[String]| {
            keys.iter()
                .fold(Choice::from(0), |m, k| m | same(k, presented))
        };
        match (
            bool::from(any(&self.admin)),
            bool::from(any(&self.read_only)),
        ) {
            (true, _) => Some(Role::Admin),
            (false, true) => Some(Role::ReadOnly),
            _ => None,
        }
    }
}

/// Constant time for equal lengths (`subtle`); lengths are not secret
/// enough to hide (a length that differs answers at once).
fn same(a: &str, b: &str) -> Choice {
    a.as_bytes().ct_eq(b.as_bytes())
}

fn unauthorized(key: &'static str, description: &str) -> Response {
    ApiError::one(StatusCode::UNAUTHORIZED, ErrorItem::new(key, description))
        .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
        .into_response()
}

pub(crate) async fn require_key(
    State(keys): State<Arc<Keys>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return unauthorized(
            "auth.missing_api_key",
            "send an API key as Authorization: Bearer <key>",
        );
    };
    // One header, one key: with two, which one counts would be a guess.
    let single = request
        .headers()
        .get_all(header::AUTHORIZATION)
        .iter()
        .count()
        == 1;
    let token = Some(value)
        .filter(|_| single)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let Some(token) = token else {
        return unauthorized(
            "auth.invalid_authorization",
            "send one Authorization header: Bearer <key>",
        );
    };
    let Some(role) = keys.role(token) else {
        return unauthorized("auth.invalid_api_key", "the API key is not valid");
    };
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if role == Role::ReadOnly && !reads {
        return ApiError::one(
            StatusCode::FORBIDDEN,
            ErrorItem::new(
                "auth.admin_required",
                "this API key may read OAuth apps but not change them; use a key with the org-admin role",
            ),
        )
        .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        let keys = Keys::new(vec!["admin-key".into()], vec!["ro-key".into()]);
        assert_eq!(keys.role("admin-key"), Some(Role::Admin));
        assert_eq!(keys.role("ro-key"), Some(Role::ReadOnly));
        assert_eq!(keys.role("admin-ke"), None);
        assert_eq!(keys.role(""), None);
        assert_eq!(keys.role("admin-key "), None);
        assert_eq!(keys.role("Admin-key"), None);
    }

    /// The comparison's answers: equal bytes only, any length.
    #[test]
    fn same_is_byte_equality() {
        for (a, b, equal) in [
            ("fake-key", "fake-key", true),
            ("", "", true),
            ("fake-key", "fake-kez", false),
            ("fake-key", "fake-ke", false),
            ("fake-ke", "fake-key", false),
            ("fake-key", "", false),
            ("\u{e9}", "e\u{301}", false),
        ] {
            assert_eq!(bool::from(same(a, b)), equal, "{a:?} {b:?}");
        }
    }
}
