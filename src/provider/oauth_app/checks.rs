//! The configuration's own rules, judged on known values only: at
//! validation, again at plan (values may have become known) and before every
//! API call. The product's rules (callback URL, scopes) come from the
//! connector; the words from `texts`.

use crate::domain::{quote, AppUrl};
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::value::Value;

use super::super::texts::finding;
use super::connector::Connector;
use super::model::{App, APP};
use super::texts;

/// Atlassian client secrets are far longer (64 characters); anything under
/// this is a copying mistake, and Writer's hint (the last four characters)
/// would give away too much of it.
pub(crate) const MIN_SECRET_CHARS: usize = 16;
/// Writer's limit.
const MAX_SECRET_CHARS: usize = 512;

/// How much of a configuration to judge: everything at validation, only
/// errors later (warnings were already shown once).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Judge {
    All,
    ErrorsOnly,
}

/// The configuration's own rules, judged on known values only. Run at
/// validation, again at plan (values now known) and before each API call.
pub(super) fn check_config(
    c: &Connector,
    config: &App<Value>,
    app_url: Option<&AppUrl>,
    judge: Judge,
) -> Diagnostics {
    let mut d = Diagnostics::new();
    if let Some(name) = config.name.as_str() {
        check_name(name, &mut d);
    }
    if let Some(id) = config.client_id.as_str() {
        check_client_id(c, id, &mut d);
    }
    check_secrets(c, config, &mut d);
    if let (Some(url), Some(app)) = (config.callback_url.as_str(), app_url) {
        for f in c.callback.check(url, app) {
            d.push(finding(f, AttributePath::attribute(APP.callback_url)));
        }
    }
    let scopes = &config.scopes;
    if !scopes.is_null() && scopes.is_wholly_known() {
        let names: Vec<&str> = scopes.elements().iter().filter_map(Value::as_str).collect();
        for f in (c.check_scopes)(&names) {
            d.push(finding(f, AttributePath::attribute(APP.scopes)));
        }
    }
    if judge == Judge::ErrorsOnly {
        d = d.into_iter().filter(Diagnostic::is_error).collect();
    }
    d
}

fn check_name(name: &str, d: &mut Diagnostics) {
    let trimmed = name.trim();
    if let Some((at, what)) = quote::first_unsafe_char(name) {
        d.push(texts::control_character(
            APP.name,
            &quote::text(name),
            at,
            &what,
        ));
    } else if trimmed.is_empty() || trimmed.chars().count() > 128 {
        d.push(texts::bad_text(
            APP.name,
            &format!(
                "the name has {} characters",
                quote::count(trimmed.chars().count())
            ),
            "Use 1 to 128 characters.",
        ));
    } else if trimmed != name {
        d.push(texts::bad_text(
            APP.name,
            &format!("`{}` has spaces around it", quote::text(name)),
            &format!("Writer trims names; write `{}`.", quote::text(trimmed)),
        ));
    }
}

fn check_client_id(c: &Connector, id: &str, d: &mut Diagnostics) {
    let shown = quote::text(id);
    if let Some((at, what)) = quote::first_unsafe_char(id) {
        d.push(texts::control_character(APP.client_id, &shown, at, &what));
    } else if id.is_empty() || id.chars().count() > 256 || id.chars().any(char::is_whitespace) {
        d.push(texts::bad_text(
            APP.client_id,
            &format!("`{shown}` is not {}", c.words.client_id_kind),
            c.words.client_id_fix,
        ));
    }
}

fn check_secrets(c: &Connector, config: &App<Value>, d: &mut Diagnostics) {
    let secret = &config.client_secret;
    let wo = &config.client_secret_wo;
    let version = &config.client_secret_wo_version;
    match (secret.is_null(), wo.is_null()) {
        (true, true) => d.push(texts::set_one_secret(c)),
        (false, false) => d.push(texts::two_secrets()),
        _ => {}
    }
    if !wo.is_null() && version.is_null() {
        d.push(texts::version_needed());
    }
    if wo.is_null() && !version.is_null() && secret.is_wholly_known() {
        d.push(texts::version_without_secret());
    }
    if let Value::Number(n) = version {
        if n.as_i64().is_none_or(|v| v < 1) {
            d.push(texts::bad_version(&n.to_string()));
        }
    }
    for (attribute, value) in [(APP.client_secret, secret), (APP.client_secret_wo, wo)] {
        if let Some(s) = value.as_str() {
            check_secret_text(c, attribute, s, d);
        }
    }
}

/// The secret itself, or its length, never appears in a message.
fn check_secret_text(c: &Connector, attribute: &str, s: &str, d: &mut Diagnostics) {
    let chars = s.chars().count();
    if chars < MIN_SECRET_CHARS {
        d.push(texts::short_secret(c, attribute, MIN_SECRET_CHARS));
    } else if chars > MAX_SECRET_CHARS {
        d.push(texts::bad_text(
            attribute,
            &format!("the secret has more than {MAX_SECRET_CHARS} characters, Writer's limit"),
            c.words.secret_fix,
        ));
    } else if s.trim() != s {
        d.push(texts::bad_text(
            attribute,
            "the secret has spaces or a line break at its start or end",
            "That usually comes from copying; remove them (trimspace() in HCL).",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain;
    use crate::provider::connectors;
    use crate::tfplugin::value::Number;

    const SECRET: &str = "fake-secret-0001";

    /// A valid configuration with `changes` applied.
    fn config(changes: &[(&str, Value)]) -> Value {
        let mut attributes = vec![
            ("name", Value::string("Engineering Confluence")),
            ("client_id", Value::string("fake-client-id-0001")),
            ("client_secret_wo", Value::string(SECRET)),
            ("client_secret_wo_version", Value::number(1)),
            (
                "scopes",
                Value::set(domain::REQUIRED_SCOPES.map(Value::string)),
            ),
        ];
        for (name, value) in changes {
            attributes.retain(|(n, _)| n != name);
            attributes.push((name, value.clone()));
        }
        Value::object(attributes)
    }

    fn check(changes: &[(&str, Value)]) -> Vec<Diagnostic> {
        let config = App::from_value(&config(changes));
        check_config(
            connectors::ALL[0],
            &config,
            Some(&AppUrl::default()),
            Judge::All,
        )
        .into_iter()
        .collect()
    }

    fn at(d: &Diagnostic) -> String {
        d.attribute
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_valid_configuration_has_nothing_to_say() {
        assert_eq!(check(&[]), Vec::<Diagnostic>::new());
    }

    #[test]
    fn refuses_short_secrets_in_both_forms_without_saying_them() {
        for attribute in ["client_secret_wo", "client_secret"] {
            for secret in ["", "x", "fake-secret-001", "fake-secret-00é"] {
                let mut changes = vec![(attribute, Value::string(secret))];
                if attribute == "client_secret" {
                    changes.push(("client_secret_wo", Value::Null));
                    changes.push(("client_secret_wo_version", Value::Null));
                }
                let diags = check(&changes);
                assert_eq!(diags.len(), 1, "{attribute} {secret:?}: {diags:?}");
                let d = &diags[0];
                assert_eq!(at(d), attribute);
                assert_eq!(d.summary, format!("{attribute} is too short"));
                assert!(
                    d.detail.contains("fewer than 16 characters"),
                    "{}",
                    d.detail
                );
                assert!(d.detail.contains("Atlassian client secrets are far longer"));
                assert!(d.detail.contains("hint"), "{}", d.detail);
                if !secret.is_empty() {
                    assert!(!d.detail.contains(secret) && !d.summary.contains(secret));
                }
            }
            // 16 characters is enough.
            let mut changes = vec![(attribute, Value::string("fake-secret-0016"))];
            if attribute == "client_secret" {
                changes.push(("client_secret_wo", Value::Null));
                changes.push(("client_secret_wo_version", Value::Null));
            }
            assert_eq!(check(&changes), Vec::<Diagnostic>::new(), "{attribute}");
        }
        let long = "s".repeat(513);
        let diags = check(&[("client_secret_wo", Value::string(&long))]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(
            diags[0].detail.contains("more than 512"),
            "{}",
            diags[0].detail
        );
    }

    #[test]
    #[rustfmt::skip]
    fn refuses_control_characters_in_name_and_client_id() {
        let cases = [
            ("name", "Eng\u{1b}[31mineering", "`Eng\\u{1b}[31mineering` contains U+001B (ESC) (character 4)"),
            ("name", "Engineering\0", "U+0000 (NUL) (character 12)"),
            ("name", "Engineering\nConfluence", "a line break (character 12)"),
            ("name", "Engineering\u{202e}ecneulfnoC", "U+202E (a bidirectional text control)"),
            ("name", "Engineering\u{9b}", "U+009B"),
            ("client_id", "fake-client\u{1b}]0;x\u{7}", "U+001B (ESC) (character 12)"),
            ("client_id", "fake-client\u{2066}", "U+2066"),
        ];
        for (attribute, value, says) in cases {
            let diags = check(&[(attribute, Value::string(value))]);
            assert_eq!(diags.len(), 1, "{value:?}: {diags:?}");
            assert_eq!(at(&diags[0]), attribute);
            assert_eq!(diags[0].summary, format!("Invalid {attribute}"));
            assert!(diags[0].detail.contains(says), "{says:?} not in {}", diags[0].detail);
            assert!(!diags[0].detail.chars().any(quote::is_unsafe_char), "{:?}", diags[0].detail);
        }
        // Letters of any script, emoji (with joiners) are fine.
        for name in ["Équipe Données", "エンジニアリング", "Eng 👩‍💻"] {
            assert_eq!(check(&[("name", Value::string(name))]), Vec::<Diagnostic>::new(), "{name}");
        }
    }

    #[test]
    fn quotes_long_values_short() {
        let long_id = format!("fake-client id {}", "x".repeat(100_000));
        let diags = check(&[("client_id", Value::string(&long_id))]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].detail.len() < 500, "{}", diags[0].detail.len());
        assert!(
            diags[0].detail.contains("more characters)"),
            "{}",
            diags[0].detail
        );

        let spaced = format!(" {} ", "n".repeat(120));
        let diags = check(&[("name", Value::string(&spaced))]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].detail.contains("has spaces around it"));
        assert!(diags[0].detail.len() < 500, "{}", diags[0].detail.len());
    }

    #[test]
    fn a_huge_version_is_refused_and_shown_short() {
        for text in ["1e300", "1e5000", "-1", "0", "1.5", "9223372036854775808"] {
            let n: Number = text.parse().unwrap();
            let diags = check(&[("client_secret_wo_version", Value::Number(n))]);
            assert_eq!(diags.len(), 1, "{text}: {diags:?}");
            let d = &diags[0];
            assert_eq!(at(d), "client_secret_wo_version");
            assert!(d
                .detail
                .contains("use a whole number from 1 to 9223372036854775807"));
            assert!(d.detail.len() < 300, "{text}: {}", d.detail);
        }
        let max = Value::Number(Number::from(i64::MAX));
        assert_eq!(
            check(&[("client_secret_wo_version", max)]),
            Vec::<Diagnostic>::new()
        );
    }

    #[test]
    fn caps_the_scopes_of_a_configuration() {
        let many: Vec<Value> = (0..1_000)
            .map(|i| Value::string(format!("read:x{i}:confluence")))
            .collect();
        let diags = check(&[("scopes", Value::set(many))]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(at(&diags[0]), "scopes");
        assert_eq!(diags[0].summary, "Too many scopes");
        assert!(
            diags[0].detail.contains("at most 256"),
            "{}",
            diags[0].detail
        );
    }
}
