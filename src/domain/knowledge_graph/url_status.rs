//! A web connector URL's processing status as Writer reports it
//! (`status.status`: `validating`, `success`, `error`; `status.error_type`
//! when in error), and what an error means in a person's words.
//!
//! Writer's words are taken as free strings: a status or reason this
//! provider does not know yet is shown as Writer wrote it, never refused.

use crate::domain::finding::Finding;
use crate::domain::quote;

/// Where a URL's processing stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlState {
    /// Writer has not finished reading it.
    Validating,
    Success,
    /// Writer could not read it, for this reason (Writer's `error_type`).
    Error {
        reason: Option<String>,
    },
    /// A status this provider does not know, as Writer wrote it.
    Other(String),
}

impl UrlState {
    /// From Writer's `status` and `error_type`.
    pub fn from_writer(status: &str, error_type: Option<&str>) -> UrlState {
        match status {
            "validating" => UrlState::Validating,
            "success" => UrlState::Success,
            "error" => UrlState::Error {
                reason: error_type.map(str::to_owned),
            },
            other => UrlState::Other(other.to_owned()),
        }
    }

    /// Still being read: a wait goes on while any URL is.
    pub fn is_pending(&self) -> bool {
        matches!(self, UrlState::Validating)
    }
}

/// Writer's reason as a clause ("the page is behind a paywall or a login"),
/// and what to do about it.
fn words(reason: Option<&str>) -> (String, &'static str) {
    match reason {
        Some("invalid_url") => (
            "Writer does not take it as a valid web address".to_owned(),
            "Check that the address opens in a browser, and correct `url`.",
        ),
        Some("not_searchable") => (
            "search engines may not index the page (the site keeps crawlers out, e.g. with \
             robots.txt or `noindex`)"
                .to_owned(),
            "Writer's web connector reads only pages that search engines may index: allow \
             crawling of the page, or upload its content with a `writer_file` resource instead.",
        ),
        Some("not_found") => (
            "the page was not found (the site answered that it does not exist)".to_owned(),
            "Correct the address, or remove it from `web_urls`.",
        ),
        Some("paywall_or_login_page") => (
            "the page is behind a paywall or a login".to_owned(),
            "Writer reads only public pages: use a public URL, or upload the content with a \
             `writer_file` resource instead.",
        ),
        Some("unexpected_error") => (
            "Writer met an unexpected error reading it, and gives no more detail".to_owned(),
            "Check that the page opens in a browser; if it does, ask Writer's support, giving \
             the Knowledge Graph's ID.",
        ),
        Some(other) => (
            format!("Writer gives the reason `{}`", quote::text(other)),
            "Check that the page opens in a browser and is public.",
        ),
        None => (
            "Writer gives no reason".to_owned(),
            "Check that the page opens in a browser and is public.",
        ),
    }
}

/// The warning for a URL Writer could not read: the URL, the reason in a
/// person's words, and what to do. A warning, not an error: the graph and
/// its other URLs are fine, and the list is applied as configured.
pub fn unreadable(url: &str, reason: Option<&str>) -> Finding {
    let (why, fix) = words(reason);
    Finding::warning(
        "Writer could not read a web URL",
        format!(
            "Writer could not read `{}`: {why}. {fix} The warning stays on every plan while \
             Writer reports the URL in error.",
            quote::url(url)
        ),
    )
}

/// The warning for URLs still being validated when the wait ended.
pub fn still_validating(urls: &[&str], waited_secs: u64) -> Finding {
    let shown: Vec<String> = urls
        .iter()
        .map(|u| format!("`{}`", quote::url(u)))
        .collect();
    Finding::warning(
        "Writer is still reading web URLs",
        format!(
            "After {waited_secs}s Writer is still validating {}. The apply is done; the next \
             plan shows whether Writer could read them (a URL it cannot read is a warning \
             then).",
            shown.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[rustfmt::skip]
    fn reads_writers_states() {
        let cases = [
            ("validating", None, UrlState::Validating),
            ("success", None, UrlState::Success),
            ("error", Some("not_found"), UrlState::Error { reason: Some("not_found".into()) }),
            ("error", None, UrlState::Error { reason: None }),
            ("queued", None, UrlState::Other("queued".into())),
        ];
        for (status, reason, expected) in cases {
            assert_eq!(UrlState::from_writer(status, reason), expected);
        }
        assert!(UrlState::Validating.is_pending());
        assert!(!UrlState::Other("queued".into()).is_pending());
    }

    #[test]
    #[rustfmt::skip]
    fn every_reason_in_a_persons_words_with_a_fix() {
        let url = "https://docs.example.com/private";
        let cases = [
            (Some("invalid_url"), "not take it as a valid web address", "correct `url`"),
            (Some("not_searchable"), "search engines may not index", "allow crawling"),
            (Some("not_found"), "the page was not found", "remove it from `web_urls`"),
            (Some("paywall_or_login_page"), "behind a paywall or a login", "use a public URL"),
            (Some("unexpected_error"), "unexpected error", "ask Writer's support"),
            (Some("rate_limited\u{1b}[2J"), "Writer gives the reason `rate_limited\\u{1b}[2J`", "opens in a browser"),
            (None, "Writer gives no reason", "opens in a browser"),
        ];
        for (reason, why, fix) in cases {
            let f = unreadable(url, reason);
            assert_eq!(f.severity, crate::domain::Severity::Warning);
            assert!(f.detail.contains(url), "{}", f.detail);
            assert!(f.detail.contains(why), "{reason:?}: {}", f.detail);
            assert!(f.detail.contains(fix), "{reason:?}: {}", f.detail);
        }
    }

    #[test]
    fn still_validating_names_every_url() {
        let f = still_validating(&["https://a.example.com/", "https://b.example.com/"], 60);
        assert!(f.detail.contains("After 60s"), "{}", f.detail);
        assert!(f
            .detail
            .contains("`https://a.example.com/`, `https://b.example.com/`"));
    }
}
