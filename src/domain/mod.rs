//! What a correct Confluence OAuth app for Writer looks like: the callback
//! URL, the scopes, and the Atlassian consent URL built from them. Pure rules
//! and the user's words for each finding; no I/O, and no knowledge of
//! Terraform (the provider turns findings into diagnostics).

mod authorization;
mod callback_url;
mod scopes;

pub use authorization::authorization_url;
pub use callback_url::{check_callback_url, AppUrl};
pub use scopes::{check_scopes, scope_catalogue, KnownScope, ScopeKind, REQUIRED_SCOPES};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong (or worth a warning) with a value, worded for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// One short line.
    pub summary: String,
    /// What is wrong, the exact expected value or "did you mean", what to do.
    pub detail: String,
    /// The offending set element (a scope), if the finding is about one.
    pub element: Option<String>,
}

impl Finding {
    pub(crate) fn error(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            element: None,
        }
    }

    pub(crate) fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(summary, detail)
        }
    }

    pub(crate) fn about(mut self, element: &str) -> Self {
        self.element = Some(element.to_string());
        self
    }
}
