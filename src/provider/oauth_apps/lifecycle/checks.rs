//! The configuration's own rules, judged on known values only: at
//! validation, again at plan (values may have become known) and before every
//! API call. The product's rules (callback URL, scopes, its own checks of
//! the client ID and secret, its settings) come from the connector; the
//! words from `texts`.

use crate::domain::{quote, AppUrl};
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::value::Value;

use super::connector::Connector;
use super::model::{App, APP};
use super::private::Private;
use super::texts;
use crate::provider::texts::finding;

/// The products' client secrets are far longer (Atlassian's 64 characters,
/// an Entra secret's Value about 40); anything under this is a copying
/// mistake, and Writer's hint (the last four characters) would give away
/// too much of it.
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
    for setting in c.settings {
        let value = config.settings.get(setting.name).and_then(Value::as_str);
        for f in value.map(setting.check).unwrap_or_default() {
            d.push(finding(f, AttributePath::attribute(setting.name)));
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
    if let Some(problem) = client_id_problem(c, id) {
        d.push(problem);
    }
}

/// A client ID: 1 to 256 characters, no spaces or control characters, and
/// then the connector's own rule. Also judges the provider functions'
/// `client_id`.
pub(crate) fn client_id_problem(c: &Connector, id: &str) -> Option<Diagnostic> {
    let shown = quote::text(id);
    if let Some((at, what)) = quote::first_unsafe_char(id) {
        Some(texts::control_character(APP.client_id, &shown, at, &what))
    } else if let Some(spaces) = quote::surrounding_space(id) {
        Some(texts::bad_text(
            APP.client_id,
            &format!("`{shown}` {spaces}, which no client ID has"),
            "Remove it (trimspace() in HCL).",
        ))
    } else if id.is_empty() || id.chars().count() > 256 || id.chars().any(char::is_whitespace) {
        Some(texts::bad_text(
            APP.client_id,
            &format!("`{shown}` is not {}", c.words.client_id_kind),
            c.words.client_id_fix,
        ))
    } else {
        (c.check_client_id)(id).map(|f| finding(f, AttributePath::attribute(APP.client_id)))
    }
}

/// Whether this plan needs a secret that the configuration lacks: creating
/// (`prior` is `None`) needs one; a new or changed `client_secret_wo_version`
/// needs `client_secret_wo`. An app that exists needs neither, and an
/// unchanged version with a null write-only value (an ephemeral variable left
/// unset, as in a CI drift job) sends nothing. The one version change that is
/// not the user's is secret drift (`read` cleared the version because the
/// secret was set in Writer outside Terraform): without the secret that is a
/// warning, so a drift job still shows it; the apply then refuses.
pub(super) fn check_secret_plan(
    c: &Connector,
    prior: Option<&App<Value>>,
    config: &App<Value>,
    private: &Private,
) -> Diagnostics {
    let mut d = Diagnostics::new();
    let secret = &config.client_secret;
    let wo = &config.client_secret_wo;
    let version = &config.client_secret_wo_version;
    if [secret, wo, version].iter().any(|v| !v.is_wholly_known()) {
        return d; // judged when known, again before the API call
    }
    let Some(prior) = prior else {
        if secret.is_null() && wo.is_null() {
            d.push(texts::set_one_secret(c));
        } else if !version.is_null() && wo.is_null() {
            d.push(texts::version_without_secret(true));
        }
        return d;
    };
    if !version.is_null() && prior.client_secret_wo_version != *version && wo.is_null() {
        if secret_drifted(prior, private) {
            d.push(texts::secret_drift_without_secret());
        } else {
            d.push(texts::version_without_secret(false));
        }
    }
    d
}

/// Writer's secret is not the one this provider last set: the time Writer
/// says it was set differs from the one remembered at our last write.
fn secret_drifted(state: &App<Value>, private: &Private) -> bool {
    match (
        private.secret_updated_at.as_deref(),
        state.client_secret_updated_at.as_str(),
    ) {
        (Some(ours), Some(writers)) => ours != writers,
        _ => false,
    }
}

fn check_secrets(c: &Connector, config: &App<Value>, d: &mut Diagnostics) {
    let secret = &config.client_secret;
    let wo = &config.client_secret_wo;
    let version = &config.client_secret_wo_version;
    // Neither form is fine here: an app that exists can be managed without
    // its secret. Whether this plan needs one is judged by `check_secret_plan`.
    if !secret.is_null() && !wo.is_null() {
        d.push(texts::two_secrets());
    }
    if !wo.is_null() && version.is_null() {
        d.push(texts::version_needed());
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
    } else if let Some(f) = (c.check_secret)(s) {
        d.push(finding(f, AttributePath::attribute(attribute)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain;
    use crate::provider::oauth_apps::connectors;
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

    /// A SharePoint configuration: the connector's own rules and setting.
    fn check_sharepoint(changes: &[(&str, Value)]) -> Vec<Diagnostic> {
        let mut attributes = vec![
            ("name", Value::string("Docs")),
            (
                "client_id",
                Value::string("00001111-aaaa-2222-bbbb-3333cccc4444"),
            ),
            ("client_secret_wo", Value::string(SECRET)),
            ("client_secret_wo_version", Value::number(1)),
            (
                "scopes",
                Value::set(["User.Read", "Sites.Selected"].map(Value::string)),
            ),
            (
                "tenant_id",
                Value::string("11111111-2222-4333-8444-555555555555"),
            ),
        ];
        for (name, value) in changes {
            attributes.retain(|(n, _)| n != name);
            attributes.push((name, value.clone()));
        }
        let config = App::from_value(&Value::object(attributes));
        check_config(
            &connectors::SHAREPOINT,
            &config,
            Some(&AppUrl::default()),
            Judge::All,
        )
        .into_iter()
        .collect()
    }

    #[test]
    fn a_connectors_own_rules_and_settings_are_judged_at_their_attribute() {
        assert_eq!(check_sharepoint(&[]), Vec::<Diagnostic>::new());
        assert_eq!(
            check_sharepoint(&[("tenant_id", Value::Null)]),
            Vec::<Diagnostic>::new(),
            "no tenant: multitenant"
        );
        assert_eq!(
            check_sharepoint(&[("tenant_id", Value::Unknown)]),
            Vec::<Diagnostic>::new(),
            "judged when known"
        );
        let secret_id = "0fa4e111-2222-4333-8444-5555beef0001";
        for (change, attribute, says) in [
            (
                ("tenant_id", Value::string("common")),
                "tenant_id",
                "sign-in audience",
            ),
            (
                ("client_id", Value::string("fake-client-id-0001")),
                "client_id",
                "GUID",
            ),
            (
                ("client_secret_wo", Value::string(secret_id)),
                "client_secret_wo",
                "Secret ID",
            ),
        ] {
            let diags = check_sharepoint(&[change]);
            assert_eq!(diags.len(), 1, "{diags:?}");
            assert_eq!(at(&diags[0]), attribute);
            assert!(diags[0].is_error());
            assert!(
                format!("{} {}", diags[0].summary, diags[0].detail).contains(says),
                "{diags:?}"
            );
            assert!(!diags[0].detail.contains(secret_id));
        }
        // Confluence has no such rules: a GUID secret is just a secret.
        assert_eq!(
            check(&[("client_secret_wo", Value::string(secret_id))]),
            Vec::<Diagnostic>::new()
        );
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
    fn a_client_id_with_a_space_around_it_says_so() {
        for (value, says) in [
            (
                "fake-client-id-0001 ",
                "`fake-client-id-0001 ` ends with a space",
            ),
            (
                " fake-client-id-0001",
                "` fake-client-id-0001` starts with a space",
            ),
        ] {
            let diags = check(&[("client_id", Value::string(value))]);
            assert_eq!(diags.len(), 1, "{diags:?}");
            assert_eq!(at(&diags[0]), "client_id");
            assert!(diags[0].detail.contains(says), "{}", diags[0].detail);
            assert!(diags[0].detail.contains("Remove it"), "{}", diags[0].detail);
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

    /// A state with the secret in write-only form at `version` (null: no
    /// secret managed), set in Writer at `updated_at`.
    fn state(version: Option<i64>, updated_at: &str) -> App<Value> {
        let mut s = App::filled(Value::Null);
        s.id = Value::string("fake-app-id");
        s.client_secret_wo_version = version.map_or(Value::Null, Value::number);
        s.client_secret_updated_at = Value::string(updated_at);
        s
    }

    fn plan_check(
        prior: Option<&App<Value>>,
        changes: &[(&str, Value)],
        ours: Option<&str>,
    ) -> Vec<Diagnostic> {
        let private = Private {
            secret_updated_at: ours.map(String::from),
            ..Private::default()
        };
        let config = App::from_value(&config(changes));
        check_secret_plan(connectors::ALL[0], prior, &config, &private)
            .into_iter()
            .collect()
    }

    const T1: &str = "2026-11-28T12:00:00Z";
    const T2: &str = "2026-11-29T08:00:00Z";

    fn no_secret() -> [(&'static str, Value); 2] {
        [
            ("client_secret_wo", Value::Null),
            ("client_secret_wo_version", Value::Null),
        ]
    }

    #[test]
    fn no_secret_is_fine_at_validation_and_for_an_app_that_exists() {
        assert_eq!(check(&no_secret()), Vec::<Diagnostic>::new());
        let imported = state(None, T1);
        assert_eq!(
            plan_check(Some(&imported), &no_secret(), Some(T1)),
            Vec::<Diagnostic>::new()
        );
        // Even when Writer's secret changed since: none is managed, nothing to restore.
        assert_eq!(
            plan_check(Some(&imported), &no_secret(), Some(T2)),
            Vec::<Diagnostic>::new()
        );
    }

    #[test]
    fn creating_without_a_secret_fails_at_the_attribute_with_the_fix() {
        let diags = plan_check(None, &no_secret(), None);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].is_error());
        assert_eq!(at(&diags[0]), "client_secret_wo");
        assert!(diags[0].detail.contains("client_secret_wo_version = 1"));
        assert!(diags[0].detail.contains("import it instead"));
        // A stored secret or a write-only one is enough.
        let stored = [
            ("client_secret", Value::string(SECRET)),
            ("client_secret_wo", Value::Null),
            ("client_secret_wo_version", Value::Null),
        ];
        assert_eq!(plan_check(None, &stored, None), Vec::<Diagnostic>::new());
        assert_eq!(plan_check(None, &[], None), Vec::<Diagnostic>::new());
    }

    #[test]
    fn a_new_version_without_the_secret_fails_an_unchanged_one_is_fine() {
        let unset = [("client_secret_wo", Value::Null)];
        // Unchanged version, secret left unset: the CI drift job.
        assert_eq!(
            plan_check(Some(&state(Some(1), T1)), &unset, Some(T1)),
            Vec::<Diagnostic>::new()
        );
        // Bumped, or newly set on an imported app, or set at create.
        let bumped = [
            ("client_secret_wo", Value::Null),
            ("client_secret_wo_version", Value::number(2)),
            ("client_secret", Value::string(SECRET)),
        ];
        for (prior, changes) in [
            (Some(state(Some(1), T1)), &bumped[..2]),
            (Some(state(None, T1)), &bumped[..2]),
            (None, &bumped[..]),
        ] {
            let diags = plan_check(prior.as_ref(), changes, Some(T1));
            assert_eq!(diags.len(), 1, "{prior:?}: {diags:?}");
            assert!(diags[0].is_error());
            assert_eq!(at(&diags[0]), "client_secret_wo_version");
            assert!(diags[0].detail.contains("Set `client_secret_wo`"));
        }
        // With the secret, a bump is a rotation.
        assert_eq!(
            plan_check(
                Some(&state(Some(1), T1)),
                &[("client_secret_wo_version", Value::number(2))],
                Some(T1)
            ),
            Vec::<Diagnostic>::new()
        );
        // Removing the version (stop managing the secret) needs nothing.
        assert_eq!(
            plan_check(Some(&state(Some(1), T1)), &no_secret(), Some(T1)),
            Vec::<Diagnostic>::new()
        );
    }

    #[test]
    fn secret_drift_without_the_secret_is_a_warning() {
        // `read` cleared the version: the secret was set in Writer at T2.
        let drifted = state(None, T2);
        let diags = plan_check(
            Some(&drifted),
            &[("client_secret_wo", Value::Null)],
            Some(T1),
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(!diags[0].is_error(), "{diags:?}");
        assert_eq!(at(&diags[0]), "client_secret_wo");
        assert!(diags[0].summary.contains("set in Writer outside Terraform"));
        // With the secret it just plans the update that restores it.
        assert_eq!(
            plan_check(Some(&drifted), &[], Some(T1)),
            Vec::<Diagnostic>::new()
        );
    }

    #[test]
    fn unknown_secrets_are_judged_later() {
        let changes = [
            ("client_secret_wo", Value::Unknown),
            ("client_secret_wo_version", Value::number(1)),
        ];
        assert_eq!(plan_check(None, &changes, None), Vec::<Diagnostic>::new());
    }
}
