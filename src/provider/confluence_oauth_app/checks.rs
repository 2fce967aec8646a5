//! The configuration's own rules, judged on known values only: at
//! validation, again at plan (values may have become known) and before every
//! API call. Atlassian-side rules come from `domain`; the words from `texts`.

use crate::domain::{self, AppUrl};
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::value::Value;

use super::super::texts;

/// How much of a configuration to judge: everything at validation, only
/// errors later (warnings were already shown once).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Judge {
    All,
    ErrorsOnly,
}

/// The configuration's own rules, judged on known values only. Run at
/// validation, again at plan (values now known) and before each API call.
pub(super) fn check_config(config: &Value, app_url: Option<&AppUrl>, judge: Judge) -> Diagnostics {
    let mut d = Diagnostics::new();
    if let Some(name) = config.get("name").as_str() {
        let trimmed = name.trim();
        if trimmed.is_empty() || trimmed.chars().count() > 128 {
            d.push(texts::bad_text(
                "name",
                &format!("the name has {} characters", trimmed.chars().count()),
                "Use 1 to 128 characters.",
            ));
        } else if trimmed != name {
            d.push(texts::bad_text(
                "name",
                &format!("{name:?} has spaces around it"),
                &format!("Writer trims names; write {trimmed:?}."),
            ));
        }
    }
    if let Some(id) = config.get("client_id").as_str() {
        if id.is_empty() || id.chars().count() > 256 || id.chars().any(char::is_whitespace) {
            d.push(texts::bad_text(
                "client_id",
                &format!("{id:?} is not an Atlassian client ID"),
                "Copy the Client ID from the app's Settings page in Atlassian's developer console: 1 to \
                 256 characters, no spaces.",
            ));
        }
    }
    check_secrets(config, &mut d);
    if let (Some(url), Some(app)) = (config.get("callback_url").as_str(), app_url) {
        for f in domain::check_callback_url(url, app) {
            d.push(texts::finding(f, AttributePath::attribute("callback_url")));
        }
    }
    let scopes = config.get("scopes");
    if !scopes.is_null() && scopes.is_known() {
        let names: Vec<&str> = scopes.elements().iter().filter_map(Value::as_str).collect();
        for f in domain::check_scopes(&names) {
            d.push(texts::finding(f, AttributePath::attribute("scopes")));
        }
    }
    if judge == Judge::ErrorsOnly {
        d = d.into_iter().filter(Diagnostic::is_error).collect();
    }
    d
}

fn check_secrets(config: &Value, d: &mut Diagnostics) {
    let secret = config.get("client_secret");
    let wo = config.get("client_secret_wo");
    let version = config.get("client_secret_wo_version");
    match (secret.is_null(), wo.is_null()) {
        (true, true) => d.push(texts::set_one_secret()),
        (false, false) => d.push(texts::two_secrets()),
        _ => {}
    }
    if !wo.is_null() && version.is_null() {
        d.push(texts::version_needed());
    }
    if wo.is_null() && !version.is_null() && secret.is_known() {
        d.push(texts::version_without_secret());
    }
    if let Value::Number(n) = version {
        if n.as_i64().is_none_or(|v| v < 1) {
            d.push(texts::bad_version(&n.to_string()));
        }
    }
    for (attribute, value) in [("client_secret", secret), ("client_secret_wo", wo)] {
        if let Some(s) = value.as_str() {
            // The secret itself never appears in a message.
            if s.is_empty() || s.chars().count() > 512 {
                d.push(texts::bad_text(
                    attribute,
                    "the secret must have 1 to 512 characters",
                    "Copy the Secret from the app's Settings page in Atlassian's developer console.",
                ));
            } else if s.trim() != s {
                d.push(texts::bad_text(
                    attribute,
                    "the secret has spaces or a line break at its start or end",
                    "That usually comes from copying; remove them (trimspace() in HCL).",
                ));
            }
        }
    }
}
