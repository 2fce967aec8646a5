//! What every rule returns: a finding already worded for the user, which the
//! provider turns into a Terraform diagnostic (with an attribute path) in one
//! place. Knows nothing of Terraform.

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
