//! Writer processes files and validates web URLs asynchronously; the
//! emulator does it on a clock instead of with background tasks: a file is
//! `in_progress` for the processing delay (`--processing-ms`) after its
//! upload (or retry) and then shows the outcome drawn when it began
//! (`failed` for the fraction `--file-fail-rate`); a URL is `validating` for
//! the same delay and then `success`, or `error` with an `error_type` when it
//! is not an absolute http(s) URL (`invalid_url`) or is on the reserved host
//! `*.unreadable.example` (the label just before `unreadable.example` picks
//! the reason, see [`unreadable_reason`]). Nothing changes state when time passes, so there
//! is nothing to save and nothing to race with.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The reserved domain whose hosts Writer "cannot read".
pub(crate) const UNREADABLE_DOMAIN: &str = "unreadable.example";

/// How a file's processing ends, drawn when it begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Outcome {
    Completed,
    Failed,
}

impl Outcome {
    /// `failed` with probability `fail_rate`.
    pub(crate) fn draw(fail_rate: f64) -> Self {
        if fail_rate > 0.0 && fastrand::f64() < fail_rate {
            Outcome::Failed
        } else {
            Outcome::Completed
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileStatus {
    InProgress,
    Completed,
    Failed,
}

impl FileStatus {
    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "in_progress" => Some(FileStatus::InProgress),
            "completed" => Some(FileStatus::Completed),
            "failed" => Some(FileStatus::Failed),
            _ => None,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FileStatus::InProgress => "in_progress",
            FileStatus::Completed => "completed",
            FileStatus::Failed => "failed",
        }
    }
}

/// The status of a file whose processing began at `began_ms` and ends in `outcome`.
pub(crate) fn file_status(
    began_ms: i64,
    outcome: Outcome,
    now_ms: i64,
    delay_ms: i64,
) -> FileStatus {
    if now_ms < began_ms.saturating_add(delay_ms) {
        return FileStatus::InProgress;
    }
    match outcome {
        Outcome::Completed => FileStatus::Completed,
        Outcome::Failed => FileStatus::Failed,
    }
}

/// `{status, error_type?}` of `url`, added at `added_ms`; it has finished
/// validating when it was added at or before `settled_ms`.
pub(crate) fn url_status(url: &str, added_ms: i64, settled_ms: i64) -> Value {
    if added_ms > settled_ms {
        return json!({"status": "validating"});
    }
    match url_error(url) {
        None => json!({"status": "success"}),
        Some(error_type) => json!({"status": "error", "error_type": error_type}),
    }
}

/// Why Writer could not read `url`, if it could not.
pub(crate) fn url_error(url: &str) -> Option<&'static str> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Some("invalid_url");
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Some("invalid_url");
    }
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    if host == UNREADABLE_DOMAIN {
        return Some(unreadable_reason(""));
    }
    host.strip_suffix(UNREADABLE_DOMAIN)
        .and_then(|rest| rest.strip_suffix('.'))
        .map(|sub| unreadable_reason(sub.rsplit('.').next().unwrap_or(sub)))
}

/// The reason for a host under `unreadable.example`, by the label just
/// before that domain:
/// `not-found`, `not-searchable`, `invalid-url`, `unexpected-error`; any other
/// (`paywall`, `login`, none) is `paywall_or_login_page`.
pub(crate) fn unreadable_reason(first_label: &str) -> &'static str {
    match first_label {
        "not-found" => "not_found",
        "not-searchable" => "not_searchable",
        "invalid-url" => "invalid_url",
        "unexpected-error" => "unexpected_error",
        _ => "paywall_or_login_page",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_errors() {
        for (url, expected) in [
            ("https://docs.example.com/handbook", None),
            ("http://example.com", None),
            ("ftp://example.com/file", Some("invalid_url")),
            ("not a url", Some("invalid_url")),
            ("https://unreadable.example/", Some("paywall_or_login_page")),
            (
                "https://paywall.unreadable.example/x",
                Some("paywall_or_login_page"),
            ),
            ("https://NOT-FOUND.unreadable.example/x", Some("not_found")),
            (
                "https://a.b.not-searchable.unreadable.example/",
                Some("not_searchable"),
            ),
            (
                "https://unexpected-error.unreadable.example",
                Some("unexpected_error"),
            ),
            (
                "https://invalid-url.unreadable.example",
                Some("invalid_url"),
            ),
            ("https://notunreadable.example/", None),
        ] {
            assert_eq!(url_error(url), expected, "{url}");
        }
    }
}
