//! What a correct Confluence OAuth app for Writer looks like: pure rules, no I/O.
//!
//! Writer syncs Confluence through an Atlassian OAuth 2.0 (3LO) app. Mistakes
//! in that app (a trailing slash on the callback, a missing scope) only show up
//! when a sync fails days later, so the provider checks them at plan time with
//! these rules. Each rule returns [`Finding`]s already worded for the user; the
//! provider turns them into Terraform diagnostics (with attribute paths) in one
//! place. This module must not know Terraform, HTTP or the Writer API.

mod authorization;
mod callback_url;
pub mod quote;
mod scopes;

pub use authorization::authorization_url;
pub use callback_url::{check_callback_url, AppUrl};
pub use scopes::{
    check_scopes, scope_catalogue, KnownScope, ScopeKind, MAX_SCOPES, REQUIRED_SCOPES,
};

/// How bad a finding is: an error stops the plan, a warning only informs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong (or worth a warning) with a value, worded for the user.
///
/// Findings carry user input (URLs, scopes) but never secrets: no rule here
/// ever sees a client secret or an API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// One short line.
    pub summary: String,
    /// What is wrong, the exact expected value or "did you mean", and what to do.
    pub detail: String,
    /// The offending set element (a scope), if the finding is about exactly one.
    pub element: Option<String>,
}

impl Finding {
    pub(crate) fn error(summary: impl Into<String>, detail: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            element: None,
        }
    }

    pub(crate) fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(summary, detail)
        }
    }

    pub(crate) fn about(mut self, element: &str) -> Finding {
        self.element = Some(element.to_owned());
        self
    }
}
