//! The client's one error type: a variant per outcome a caller treats
//! differently, each keeping what Writer said (status, error key,
//! description, field, request id) for the message a user reads.
//!
//! Messages never hold a secret: requests are never quoted, transport errors
//! keep the URL but no header, and every text the server wrote (descriptions,
//! keys, fields, request ids) has been through the call's `Redactor`, since a
//! server or proxy may echo the request.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::redact::Redactor;

/// Writer's descriptions are short; a long body is a proxy's HTML page.
const MAX_DESCRIPTION_CHARS: usize = 500;

/// What Writer answered to a failed request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problem {
    pub status: u16,
    /// The error key of the first entry of `errors[]` (e.g. `oauth_app.name_taken`).
    pub key: Option<String>,
    /// Every entry's description, joined with "; ".
    pub description: Option<String>,
    /// `extras.field` of the first entry: the request field at fault.
    pub field: Option<String>,
    /// `X-Request-Id`: what Writer's support asks for.
    pub request_id: Option<String>,
}

/// Why no HTTP answer came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKind {
    /// No connection could be made (refused, DNS, unreachable).
    Connect,
    /// No complete answer within `request_timeout`.
    Timeout,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// The connection closed before the answer arrived.
    Closed,
    Other,
}

/// A failed call to Writer. Its `Display` is the client's own words, with
/// no Terraform in them; new outcomes may be added, so callers outside the
/// crate keep a catch-all arm.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Error {
    /// 401: the API key is missing, unknown or revoked.
    Unauthorized { problem: Box<Problem> },
    /// 403: the key may not make this call (an OAuth app's change needs an
    /// org admin's key; a Knowledge Graph call, an agent with that
    /// capability).
    Forbidden { problem: Box<Problem> },
    /// 404 where "gone" is not an answer (an update).
    NotFound { problem: Box<Problem> },
    /// 409: a conflict with what Writer has (for an OAuth app: another app
    /// of the connector has this name, ignoring case).
    NameTaken { problem: Box<Problem> },
    /// 412: the object changed since the ETag given as `If-Match` was read.
    PreconditionFailed { problem: Box<Problem> },
    /// 400: a field was refused. `field` is `problem.field`, here so callers
    /// can match on it.
    Validation {
        field: Option<String>,
        problem: Box<Problem>,
    },
    /// 422: an idempotency key was reused with a different request.
    IdempotencyConflict { problem: Box<Problem> },
    /// 429 until the attempts or the time ran out.
    RateLimited {
        attempts: u32,
        /// What the last `Retry-After` asked for.
        retry_after: Option<Duration>,
        problem: Box<Problem>,
    },
    /// 5xx until the attempts or the time ran out.
    Unavailable {
        attempts: u32,
        problem: Box<Problem>,
    },
    /// A status the contract does not use.
    UnexpectedStatus { problem: Box<Problem> },
    /// No answer: connection, timeout, TLS. `url` has no credentials.
    Transport {
        kind: TransportKind,
        url: String,
        attempts: u32,
        /// The underlying errors' messages (no URL, no header).
        reason: String,
    },
    /// An answer that does not decode as the contract says.
    BadResponse {
        status: u16,
        reason: String,
        request_id: Option<String>,
    },
    /// A 3xx: the client follows no redirect (it would re-send the API key
    /// and the body to wherever it points). `to` is the origin of `Location`
    /// only (scheme, host, port), never a user name, password or path.
    Redirected {
        status: u16,
        to: Option<String>,
        request_id: Option<String>,
    },
    /// The operation (every page, retry and wait of it) ran past its time
    /// limit, `ClientConfig::max_elapsed`.
    OutOfTime { limit: Duration },
    /// The client's cancellation token fired.
    Cancelled,
    /// `Client::new` refused the configuration.
    InvalidConfig { reason: String },
    /// A file to send could not be read; nothing was sent.
    Unreadable { path: String, reason: String },
    /// A call about an object named by an ID no URL path can carry (empty,
    /// `.` or `..`): nothing has such an ID, and nothing was sent
    /// ([`super::can_name`]).
    UnusableId { id: String },
}

/// What a failed write left in Writer, decided once, by the send loop that
/// saw every attempt (`send::Sender::send`): the words a user reads about a
/// failed create, update or delete rest on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Writer did not carry the request out: every attempt was refused with
    /// a definite answer (a 4xx, a 429 until the retries ran out, a
    /// redirect), or never reached it (no connection, a stop before sending).
    NotDone,
    /// No complete answer says what happened: an answer was lost, cut short,
    /// too slow, unreadable, or a 5xx that may have come after the work was
    /// done. Writer may have carried the request out.
    Unknown,
    /// Writer answered that it carried the request out, but the answer
    /// cannot be used as it is (unreadable, or holding a secret sent):
    /// decided by the call that reads the answer, not the send loop. `id`
    /// is the object's ID from that answer (the one asked about, for an
    /// update), so that the caller can keep track of what Writer now has.
    Done { id: String },
}

/// A failed create, update or delete: the error, and whether Writer may
/// have carried the request out anyway.
#[derive(Clone, Debug)]
pub struct WriteError {
    pub error: Error,
    pub outcome: Outcome,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for WriteError {}

impl WriteError {
    /// A write that failed before anything was sent.
    pub(crate) fn not_done(error: Error) -> WriteError {
        WriteError {
            error,
            outcome: Outcome::NotDone,
        }
    }
}

impl From<WriteError> for Error {
    fn from(e: WriteError) -> Error {
        e.error
    }
}

impl Error {
    /// The `X-Request-Id` of the answer this error came from.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::BadResponse { request_id, .. } | Error::Redirected { request_id, .. } => {
                request_id.as_deref()
            }
            _ => self.problem()?.request_id.as_deref(),
        }
    }

    /// The HTTP status Writer answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::BadResponse { status, .. } | Error::Redirected { status, .. } => Some(*status),
            _ => self.problem().map(|p| p.status),
        }
    }

    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::Unauthorized { problem }
            | Error::Forbidden { problem }
            | Error::NotFound { problem }
            | Error::NameTaken { problem }
            | Error::PreconditionFailed { problem }
            | Error::Validation { problem, .. }
            | Error::IdempotencyConflict { problem }
            | Error::RateLimited { problem, .. }
            | Error::Unavailable { problem, .. }
            | Error::UnexpectedStatus { problem } => Some(problem),
            Error::Transport { .. }
            | Error::BadResponse { .. }
            | Error::Redirected { .. }
            | Error::OutOfTime { .. }
            | Error::Cancelled
            | Error::InvalidConfig { .. }
            | Error::Unreadable { .. }
            | Error::UnusableId { .. } => None,
        }
    }

    /// The error for a final answer that is not a success. `request_id` is
    /// already clean; the body's text is cleaned here with `redactor`.
    pub(crate) fn from_answer(
        status: u16,
        body: &[u8],
        request_id: Option<String>,
        attempts: u32,
        retry_after: Option<Duration>,
        redactor: &Redactor,
    ) -> Error {
        let problem = Box::new(Problem {
            status,
            request_id,
            ..Problem::from_body(body, redactor)
        });
        match status {
            400 => Error::Validation {
                field: problem.field.clone(),
                problem,
            },
            401 => Error::Unauthorized { problem },
            403 => Error::Forbidden { problem },
            404 => Error::NotFound { problem },
            409 => Error::NameTaken { problem },
            412 => Error::PreconditionFailed { problem },
            422 => Error::IdempotencyConflict { problem },
            429 => Error::RateLimited {
                attempts,
                retry_after,
                problem,
            },
            500..=599 => Error::Unavailable { attempts, problem },
            _ => Error::UnexpectedStatus { problem },
        }
    }

    pub(crate) fn transport(e: &reqwest::Error, url: String, attempts: u32) -> Error {
        Error::Transport {
            kind: transport_kind(e),
            url,
            attempts,
            reason: reason_chain(e),
        }
    }
}

/// Writer's error body, read leniently: a body that is not one (a proxy's
/// page) still leaves the status to go on. Writer's published API adds a
/// top-level `tpe` (any word: `NotFound`, `fail.auth`) and `extras` (an
/// object, a string or `null`), and per-entry `extras` of any shape: each
/// field is taken only where it has the shape used, never failing the rest.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errors: Value,
}

/// One entry of `errors`: what of it has the expected shape.
struct ErrorItem<'a> {
    description: Option<&'a str>,
    key: Option<&'a str>,
    field: Option<&'a str>,
}

impl<'a> ErrorItem<'a> {
    fn of(entry: &'a Value) -> ErrorItem<'a> {
        ErrorItem {
            description: entry.get("description").and_then(Value::as_str),
            key: entry.get("key").and_then(Value::as_str),
            field: entry
                .get("extras")
                .and_then(|x| x.get("field"))
                .and_then(Value::as_str),
        }
    }
}

/// Keys and field names are identifiers; more than this is not one.
const MAX_NAME_CHARS: usize = 100;

/// The first `max` characters of `text` cleaned by `redactor`, with `…` when
/// cut. Redaction runs on a longer prefix than is kept, so a secret that
/// straddles the cut is recognised whole before the cut is made.
fn cleaned(text: &str, max: usize, redactor: &Redactor) -> String {
    let slack = max + 2048;
    let head: String = text.chars().take(slack).collect();
    let clean = redactor.clean(&head);
    if clean.chars().count() > max {
        let cut: String = clean.chars().take(max).collect();
        format!("{cut}…")
    } else {
        clean
    }
}

impl Problem {
    fn from_body(body: &[u8], redactor: &Redactor) -> Problem {
        let Ok(parsed) = serde_json::from_slice::<ErrorBody>(body) else {
            return Problem::default();
        };
        let entries: Vec<ErrorItem<'_>> = parsed
            .errors
            .as_array()
            .map(|a| a.iter().map(ErrorItem::of).collect())
            .unwrap_or_default();
        let first = entries.first();
        let descriptions: Vec<&str> = entries
            .iter()
            .filter_map(|e| e.description)
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .collect();
        let description = (!descriptions.is_empty())
            .then(|| cleaned(&descriptions.join("; "), MAX_DESCRIPTION_CHARS, redactor));
        Problem {
            key: first
                .and_then(|e| e.key)
                .map(|k| cleaned(k, MAX_NAME_CHARS, redactor)),
            field: first
                .and_then(|e| e.field)
                .map(|f| cleaned(f, MAX_NAME_CHARS, redactor)),
            description,
            ..Problem::default()
        }
    }
}

pub(crate) fn transport_kind(e: &reqwest::Error) -> TransportKind {
    let mut tls = false;
    let mut closed = false;
    for cause in causes(e) {
        tls |= cause.downcast_ref::<rustls::Error>().is_some();
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            closed |= matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::UnexpectedEof
            );
        }
        if let Some(h) = cause.downcast_ref::<hyper::Error>() {
            closed |= h.is_incomplete_message() || h.is_canceled() || h.is_closed();
        }
    }
    if tls {
        TransportKind::Tls
    } else if e.is_timeout() {
        TransportKind::Timeout
    } else if e.is_connect() {
        TransportKind::Connect
    } else if closed || e.is_body() {
        TransportKind::Closed
    } else {
        TransportKind::Other
    }
}

/// Every error under `e`. Besides `source()`, this looks inside
/// `io::Error`s: one wrapping another reports its inner error's *source* as
/// its own, skipping the inner error itself (which is where TLS errors hide).
fn causes<'e>(
    e: &'e (dyn std::error::Error + 'static),
) -> Vec<&'e (dyn std::error::Error + 'static)> {
    let mut found = Vec::new();
    let mut pending = vec![e];
    while let Some(cause) = pending.pop() {
        // Error chains are short; the cap only guards against a cycle.
        if found.len() >= 32 {
            break;
        }
        found.push(cause);
        if let Some(inner) = cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            pending.push(inner);
        }
        if let Some(source) = cause.source() {
            pending.push(source);
        }
    }
    found
}

/// The messages of an error and its sources, without the URL reqwest adds.
fn reason_chain(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        // Wrappers often repeat their source's message.
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "the connection failed",
            TransportKind::Timeout => "no answer within the request timeout",
            TransportKind::Tls => "the TLS handshake failed",
            TransportKind::Closed => "the connection closed before the answer arrived",
            TransportKind::Other => "the request failed",
        })
    }
}

fn gave_up(attempts: u32) -> String {
    if attempts > 1 {
        format!("; gave up after {attempts} attempts")
    } else {
        String::new()
    }
}

impl Error {
    /// The headline of an error that carries Writer's answer, in words of
    /// no family: the caller, who knows what the call was about, adds that
    /// (the provider's `texts::describe` names the object).
    fn headline(&self) -> String {
        match self {
            Error::Unauthorized { .. } => {
                "Writer rejected the API key: it is missing, unknown or revoked".to_string()
            }
            Error::Forbidden { .. } => "the API key is not allowed to do this".to_string(),
            Error::NotFound { .. } => "Writer has nothing with this ID".to_string(),
            Error::NameTaken { .. } => {
                "Writer refused the request as a conflict with what it has (such as another \
                 object with this name)"
                    .to_string()
            }
            Error::PreconditionFailed { .. } => {
                "the object was changed since it was last read".to_string()
            }
            Error::Validation { field: Some(f), .. } => format!("Writer refused the value of {f}"),
            Error::Validation { field: None, .. } => "Writer refused the request".to_string(),
            Error::IdempotencyConflict { .. } => {
                "Writer refused to repeat a create: its idempotency key was already used for a \
                 different request"
                    .to_string()
            }
            Error::RateLimited { retry_after, .. } => {
                let wait = retry_after
                    .map(|d| format!(", last asking to wait {}s", d.as_secs()))
                    .unwrap_or_default();
                format!("Writer is rate-limiting requests{wait}")
            }
            Error::Unavailable { .. } => "Writer is unavailable or failing".to_string(),
            _ => "Writer answered with a status this client does not expect".to_string(),
        }
    }

    /// What Writer's answer adds to a headline: ` (HTTP 412): its
    /// description; gave up after N attempts; request id X`. Empty for
    /// errors without an answer.
    pub fn answer_text(&self) -> String {
        let Some(p) = self.problem() else {
            return String::new();
        };
        let mut text = format!(" (HTTP {})", p.status);
        if let Some(d) = &p.description {
            text.push_str(&format!(": {d}"));
        }
        if let Error::RateLimited { attempts, .. } | Error::Unavailable { attempts, .. } = self {
            text.push_str(&gave_up(*attempts));
        }
        text.push_str(&request_id_text(p.request_id.as_deref()));
        text
    }
}

/// `; request id X`, or nothing.
pub(crate) fn request_id_text(request_id: Option<&str>) -> String {
    request_id
        .map(|id| format!("; request id {id}"))
        .unwrap_or_default()
}

/// The client's own words, for logs and for callers that add their own
/// context (the provider says what an error means for Terraform).
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport {
                kind,
                url,
                attempts,
                reason,
            } => write!(
                f,
                "could not reach Writer at {url}: {kind} ({reason}){}",
                gave_up(*attempts)
            ),
            Error::BadResponse {
                status,
                reason,
                request_id,
            } => write!(
                f,
                "Writer's answer could not be understood (HTTP {status}): {reason}{}",
                request_id_text(request_id.as_deref())
            ),
            Error::Redirected {
                status,
                to,
                request_id,
            } => write!(
                f,
                "Writer's address answered with a redirect (HTTP {status}) to {}; this client \
                 follows no redirects, so nothing was sent there{}",
                to.as_deref().unwrap_or("no location"),
                request_id_text(request_id.as_deref())
            ),
            Error::OutOfTime { limit } => write!(
                f,
                "the operation did not finish within its time limit of {}s, retries and pages \
                 included",
                limit.as_secs_f64()
            ),
            Error::Cancelled => f.write_str("the call to Writer was cancelled"),
            Error::InvalidConfig { reason } => {
                write!(f, "invalid Writer API client settings: {reason}")
            }
            Error::Unreadable { path, reason } => {
                write!(f, "cannot read {path} to send it: {reason}")
            }
            Error::UnusableId { id } if id.is_empty() => f.write_str(
                "the ID is empty, and nothing in Writer has an empty ID, so nothing was sent",
            ),
            Error::UnusableId { id } => write!(
                f,
                "`{id}` cannot be an ID in a URL path, and nothing in Writer has it, so nothing \
                 was sent"
            ),
            _ => write!(f, "{}{}", self.headline(), self.answer_text()),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Error {
        Error::from_answer(
            status,
            body.as_bytes(),
            Some("req_42".into()),
            1,
            None,
            &Redactor::default(),
        )
    }

    fn writer_error(tpe: &str, key: &str, description: &str, field: Option<&str>) -> String {
        let extras = match field {
            Some(f) => serde_json::json!({ "field": f }),
            None => serde_json::json!({}),
        };
        serde_json::json!({"tpe": tpe, "errors": [{"description": description, "key": key,
            "extras": extras}], "extras": {}})
        .to_string()
    }

    #[test]
    fn statuses_map_to_variants() {
        let body = writer_error("X", "k", "d", None);
        type Is = fn(&Error) -> bool;
        let cases: Vec<(u16, Is)> = vec![
            (400, |e| matches!(e, Error::Validation { .. })),
            (401, |e| matches!(e, Error::Unauthorized { .. })),
            (403, |e| matches!(e, Error::Forbidden { .. })),
            (404, |e| matches!(e, Error::NotFound { .. })),
            (409, |e| matches!(e, Error::NameTaken { .. })),
            (412, |e| matches!(e, Error::PreconditionFailed { .. })),
            (422, |e| matches!(e, Error::IdempotencyConflict { .. })),
            (429, |e| matches!(e, Error::RateLimited { .. })),
            (500, |e| matches!(e, Error::Unavailable { .. })),
            (503, |e| matches!(e, Error::Unavailable { .. })),
            (418, |e| matches!(e, Error::UnexpectedStatus { .. })),
        ];
        let mut messages = std::collections::BTreeSet::new();
        for (status, is) in cases {
            let e = answer(status, &body);
            assert!(is(&e), "{status}: {e:?}");
            assert_eq!(e.status(), Some(status));
            assert_eq!(e.request_id(), Some("req_42"));
            let text = e.to_string();
            assert!(text.ends_with("; request id req_42"), "{text}");
            messages.insert(text);
        }
        assert_eq!(messages.len(), 11, "every status reads differently");
    }

    #[test]
    fn validation_keeps_key_description_and_field() {
        let e = answer(
            400,
            &writer_error(
                "BadRequest",
                "oauth_app.scopes.missing_required",
                "scopes must include read:page:confluence",
                Some("scopes"),
            ),
        );
        let Error::Validation { field, problem } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(field.as_deref(), Some("scopes"));
        assert_eq!(
            problem.key.as_deref(),
            Some("oauth_app.scopes.missing_required")
        );
        assert_eq!(
            e.to_string(),
            "Writer refused the value of scopes (HTTP 400): scopes must include \
             read:page:confluence; request id req_42"
        );
    }

    #[test]
    fn several_errors_are_all_described() {
        let body = r#"{"tpe":"BadRequest","errors":[
            {"description":"name must be 1 to 128 characters","key":"a","extras":{"field":"name"}},
            {"description":"client_id must not contain whitespace","key":"b","extras":{"field":"client_id"}}
        ],"extras":{}}"#;
        let e = answer(400, body);
        assert_eq!(e.problem().and_then(|p| p.field.as_deref()), Some("name"));
        assert!(e
            .to_string()
            .contains("name must be 1 to 128 characters; client_id must not contain whitespace"));
    }

    #[test]
    fn precondition_failed_and_name_taken_read_clearly() {
        let e = answer(
            412,
            &writer_error(
                "PreconditionFailed",
                "oauth_app.precondition_failed",
                "stale",
                None,
            ),
        );
        assert_eq!(
            e.to_string(),
            "the object was changed since it was last read (HTTP 412): stale; request id req_42"
        );
        let e = answer(
            409,
            &writer_error("Conflict", "oauth_app.name_taken", "taken", Some("name")),
        );
        assert!(e
            .to_string()
            .starts_with("Writer refused the request as a conflict with what it has"));
    }

    #[test]
    fn headlines_name_no_family() {
        // The client serves every family: what a call was about is the
        // caller's to say.
        for status in [400, 401, 403, 404, 409, 412, 422, 429, 500, 418] {
            let text = answer(status, "{}").to_string();
            for family_word in ["OAuth", "app", "graph", "Graph", "file", "connector"] {
                assert!(!text.contains(family_word), "{status}: {text}");
            }
        }
        assert!(answer(404, "{}")
            .to_string()
            .starts_with("Writer has nothing with this ID (HTTP 404)"));
        assert!(answer(403, "{}")
            .to_string()
            .starts_with("the API key is not allowed to do this (HTTP 403)"));
    }

    #[test]
    fn a_body_that_is_not_writers_leaves_the_status() {
        let e = Error::from_answer(
            502,
            b"<html>Bad Gateway</html>",
            None,
            4,
            None,
            &Redactor::default(),
        );
        assert!(matches!(&e, Error::Unavailable { attempts: 4, problem } if problem.key.is_none()));
        assert_eq!(
            e.to_string(),
            "Writer is unavailable or failing (HTTP 502); gave up after 4 attempts"
        );
    }

    #[test]
    fn writers_published_error_bodies_are_read_loosely() {
        // `tpe` any word, `extras` an object, a string, null or absent, at
        // the top and per entry; entries of another shape are skipped.
        let bodies = [
            r#"{"tpe":"fail.auth","errors":[{"description":"Graph not found","key":"k","extras":"x"}],"extras":"trace 1"}"#,
            r#"{"tpe":"NotFound","errors":[{"description":"Graph not found","key":"k","extras":null}],"extras":null}"#,
            r#"{"tpe":"NotFound","errors":[{"description":"Graph not found","key":"k"}]}"#,
            r#"{"tpe":7,"errors":[42,{"description":"Graph not found","key":"k","extras":[1,2]}]}"#,
        ];
        for body in bodies {
            let e = answer(404, body);
            let p = e.problem().unwrap();
            assert_eq!(p.description.as_deref(), Some("Graph not found"), "{body}");
            assert_eq!(p.field, None, "{body}");
        }
        let e = answer(
            400,
            r#"{"errors":[{"description":"bad","extras":{"field":"urls"}}]}"#,
        );
        assert_eq!(e.problem().unwrap().field.as_deref(), Some("urls"));
        let e = answer(400, r#"{"errors":"not a list"}"#);
        assert_eq!(e.problem().unwrap().description, None);
    }

    #[test]
    fn long_descriptions_are_cut() {
        let long = "x".repeat(2000);
        let e = answer(400, &writer_error("BadRequest", "k", &long, None));
        let d = e.problem().and_then(|p| p.description.clone()).unwrap();
        assert_eq!(d.chars().count(), MAX_DESCRIPTION_CHARS + 1);
    }

    #[test]
    fn echoed_credentials_are_redacted_from_every_server_text() {
        use crate::client::Secret;
        const KEY: &str = "test-admin-key-not-real-echo";
        const SECRET: &str = "fake-secret-echoed-0001";
        let redactor = Redactor::new([&Secret::new(KEY), &Secret::new(SECRET)]);
        // A proxy repeating the request: header, body, and a long echo whose
        // secret straddles the description length cap.
        let padding = "x".repeat(MAX_DESCRIPTION_CHARS - 5);
        let body = serde_json::json!({"errors": [
            {"description": format!("Authorization: Bearer {KEY}"),
             "key": format!("k.{SECRET}"),
             "extras": {"field": KEY}},
            {"description": format!("body: {{\"client_secret\":\"{SECRET}\"}}")},
            {"description": format!("{padding}{SECRET}")},
        ]})
        .to_string();
        let e = Error::from_answer(400, body.as_bytes(), None, 1, None, &redactor);
        let p = e.problem().unwrap();
        let shown = format!("{e} {e:?} {:?} {:?}", p.key, p.field);
        for piece in [KEY, SECRET, &KEY[..8], &SECRET[SECRET.len() - 8..]] {
            assert!(!shown.contains(piece), "{piece} in {shown}");
        }
        assert!(
            shown.contains("Authorization: Bearer [redacted]"),
            "{shown}"
        );
        assert_eq!(p.key.as_deref(), Some("k.[redacted]"));
    }

    #[test]
    fn rate_limited_says_how_long_writer_asked_to_wait() {
        let e = Error::from_answer(
            429,
            b"{}",
            Some("req_9".into()),
            5,
            Some(Duration::from_secs(3)),
            &Redactor::default(),
        );
        assert_eq!(
            e.to_string(),
            "Writer is rate-limiting requests, last asking to wait 3s (HTTP 429); gave up after \
             5 attempts; request id req_9"
        );
    }
}
