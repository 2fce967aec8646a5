//! Plan-time validation through the real `terraform` binary and the real
//! provider: wrong callback URLs and scope sets fail `terraform validate`
//! with the attribute and the fix; over-privileged or unknown scopes warn and
//! pass; values unknown until apply are not judged.

mod support;

use support::{header, Workdir};

const GOOD_URL: &str = "https://app.writer.com/connector/confluence";
const GOOD_SCOPES: &str =
    r#"["search:confluence", "read:space:confluence", "read:page:confluence"]"#;

fn resource(callback_url: &str, scopes: &str, secret: &str) -> String {
    format!(
        "{}resource \"writer_confluence_oauth_app\" \"test\" {{\n  name = \"Engineering Confluence\"\n  client_id = \"fake-client-id-0001\"\n{secret}\n  callback_url = {callback_url}\n  scopes = {scopes}\n}}\n",
        header("")
    )
}

const WO_SECRET: &str = "  client_secret_wo = \"fake-secret-0001\"\n  client_secret_wo_version = 1";

fn quoted(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// What `terraform validate` must say about one configuration.
struct Case {
    what: &'static str,
    callback_url: String,
    scopes: &'static str,
    secret: &'static str,
    severity: &'static str,
    /// The attribute the diagnostic's snippet must point at.
    attribute: &'static str,
    /// Each must appear in the summary or detail.
    says: &'static [&'static str],
}

fn url_case(what: &'static str, url: &str, says: &'static [&'static str]) -> Case {
    Case {
        what,
        callback_url: quoted(url),
        scopes: GOOD_SCOPES,
        secret: WO_SECRET,
        severity: "error",
        attribute: "callback_url",
        says,
    }
}

fn scope_case(
    what: &'static str,
    scopes: &'static str,
    severity: &'static str,
    says: &'static [&'static str],
) -> Case {
    Case {
        what,
        callback_url: quoted(GOOD_URL),
        scopes,
        secret: WO_SECRET,
        severity,
        attribute: "scopes",
        says,
    }
}

fn cases() -> Vec<Case> {
    vec![
        url_case("http", "http://app.writer.com/connector/confluence", &[GOOD_URL, "https"]),
        url_case("trailing slash", "https://app.writer.com/connector/confluence/", &[GOOD_URL, "slash"]),
        url_case("bare writer.com", "https://writer.com/connector/confluence", &[GOOD_URL, "writer.com"]),
        url_case("API host", "https://api.writer.com/connector/confluence", &[GOOD_URL, "api.writer.com"]),
        url_case("another connector", "https://app.writer.com/connector/sharepoint", &[GOOD_URL, "sharepoint"]),
        url_case("a query", "https://app.writer.com/connector/confluence?team=eng", &[GOOD_URL]),
        url_case("a fragment", "https://app.writer.com/connector/confluence#top", &[GOOD_URL]),
        url_case("upper-case host", "https://APP.Writer.com/connector/confluence", &[GOOD_URL]),
        url_case("upper-case path", "https://app.writer.com/Connector/Confluence", &[GOOD_URL]),
        url_case("surrounding space", " https://app.writer.com/connector/confluence ", &[GOOD_URL]),
        url_case("no scheme", "app.writer.com/connector/confluence", &[GOOD_URL]),
        url_case("not a URL", "confluence", &[GOOD_URL]),
        url_case("a port", "https://app.writer.com:8443/connector/confluence", &[GOOD_URL]),
        scope_case(
            "a required scope missing",
            r#"["search:confluence", "read:space:confluence"]"#,
            "error",
            &["read:page:confluence"],
        ),
        scope_case(
            "two required scopes missing",
            r#"["search:confluence"]"#,
            "error",
            &["read:page:confluence", "read:space:confluence"],
        ),
        scope_case(
            "a near miss",
            r#"["search:confluence", "read:space:confluence", "read:page:confluence", "read:pages:confluence"]"#,
            "error",
            &["read:pages:confluence", "did you mean", "read:page:confluence"],
        ),
        scope_case(
            "upper case",
            r#"["search:confluence", "read:space:confluence", "read:page:confluence", "READ:PAGE:CONFLUENCE"]"#,
            "error",
            &["READ:PAGE:CONFLUENCE"],
        ),
        scope_case(
            "empty scope",
            r#"["search:confluence", "read:space:confluence", "read:page:confluence", ""]"#,
            "error",
            &["empty"],
        ),
        scope_case(
            "whitespace in a scope",
            r#"["search:confluence", "read:space:confluence", "read:page:confluence", "read: blogpost:confluence"]"#,
            "error",
            &["read: blogpost:confluence"],
        ),
        Case {
            what: "both secrets",
            callback_url: quoted(GOOD_URL),
            scopes: GOOD_SCOPES,
            secret: "  client_secret = \"fake-secret-0001\"\n  client_secret_wo = \"fake-secret-0001\"\n  client_secret_wo_version = 1",
            severity: "error",
            attribute: "client_secret",
            says: &["client_secret_wo"],
        },
        Case {
            what: "write-only secret without version",
            callback_url: quoted(GOOD_URL),
            scopes: GOOD_SCOPES,
            secret: "  client_secret_wo = \"fake-secret-0001\"",
            severity: "error",
            attribute: "client_secret_wo",
            says: &["client_secret_wo_version = 1"],
        },
    ]
}

fn snippet_code(d: &serde_json::Value) -> String {
    d["snippet"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn wrong_configurations_fail_validate_with_attribute_and_fix() {
    let w = Workdir::new(&resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET));
    let ok = w.terraform(&["validate", "-json", "-no-color"]);
    assert_eq!(
        ok.status,
        0,
        "the correct configuration must validate:\n{}",
        ok.all()
    );
    assert!(
        ok.diagnostics().is_empty(),
        "no diagnostics expected: {:?}",
        ok.diagnostics()
    );

    let mut failures = Vec::new();
    for case in cases() {
        w.write(&resource(&case.callback_url, case.scopes, case.secret));
        let run = w.terraform(&["validate", "-json", "-no-color"]);
        let diags = run.diagnostics();
        // What the diagnostics on this attribute say, together (one finding
        // per missing scope and one listing them all are both fine).
        let said: String = diags
            .iter()
            .filter(|d| d["severity"] == case.severity && snippet_code(d).contains(case.attribute))
            .map(|d| format!("{} {}\n", d["summary"], d["detail"]).to_lowercase())
            .collect();
        let complete =
            !said.is_empty() && case.says.iter().all(|s| said.contains(&s.to_lowercase()));
        let exit_ok = (case.severity == "error") == (run.status != 0);
        if !complete || !exit_ok {
            failures.push(format!(
                "{}: exit {}, wanted a {} on `{}` saying {:?}; got {}",
                case.what,
                run.status,
                case.severity,
                case.attribute,
                case.says,
                serde_json::to_string_pretty(&diags).unwrap_or_default()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn over_privileged_and_unknown_scopes_warn_and_pass() {
    let w = Workdir::new(&resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET));
    for (scope, says) in [
        ("write:page:confluence", "write:page:confluence"),
        ("delete:space:confluence", "delete:space:confluence"),
        ("read:jira-work", "read:jira-work"),
        (
            "read:future-thing:confluence",
            "read:future-thing:confluence",
        ),
    ] {
        let scopes = format!(
            r#"["search:confluence", "read:space:confluence", "read:page:confluence", "{scope}"]"#
        );
        w.write(&resource(&quoted(GOOD_URL), &scopes, WO_SECRET));
        let run = w.terraform(&["validate", "-json", "-no-color"]);
        assert_eq!(run.status, 0, "{scope} must only warn:\n{}", run.all());
        let diags = run.diagnostics();
        assert!(
            diags.iter().any(|d| d["severity"] == "warning"
                && snippet_code(d).contains("scopes")
                && format!("{} {}", d["summary"], d["detail"]).contains(says)),
            "{scope}: expected a warning on scopes naming it, got {diags:?}"
        );
    }
}

#[test]
fn values_unknown_until_apply_are_not_judged() {
    let config = format!(
        "{}resource \"terraform_data\" \"later\" {{\n  input = \"x\"\n}}\n\nresource \"writer_confluence_oauth_app\" \"test\" {{\n  name = \"Engineering Confluence\"\n  client_id = terraform_data.later.id\n  client_secret_wo = terraform_data.later.id\n  client_secret_wo_version = 1\n  callback_url = terraform_data.later.output == \"x\" ? \"{GOOD_URL}\" : \"nope\"\n  scopes = [terraform_data.later.id, \"search:confluence\", \"read:space:confluence\", \"read:page:confluence\"]\n}}\n",
        header("")
    );
    let w = Workdir::new(&config);
    w.terraform(&["validate", "-no-color"]).ok();
    let plan = w.terraform(&["plan", "-input=false", "-no-color"]).ok();
    assert!(
        plan.stdout
            .contains("writer_confluence_oauth_app.test will be created"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("(known after apply)"),
        "{}",
        plan.stdout
    );
}

#[test]
fn provider_settings_are_checked_without_credentials() {
    let bad = header("  base_url = \"api.writer.com\"\n  app_url = \"https://app.writer.com/connector/confluence\"") + &resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET)[header("").len()..];
    let w = Workdir::new(&bad);
    let run = w.terraform(&["validate", "-json", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let diags = run.diagnostics();
    for attribute in ["base_url", "app_url"] {
        assert!(
            diags
                .iter()
                .any(|d| d["severity"] == "error" && snippet_code(d).contains(attribute)),
            "expected an error on {attribute}: {diags:?}"
        );
    }
}

#[test]
fn custom_app_url_changes_the_expected_callback() {
    let config = header("  app_url = \"https://writer.example.com\"")
        + &resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET)[header("").len()..];
    let w = Workdir::new(&config);
    let run = w.terraform(&["validate", "-json", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let diags = run.diagnostics();
    assert!(
        diags
            .iter()
            .any(|d| snippet_code(d).contains("callback_url")
                && d["detail"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("https://writer.example.com/connector/confluence")),
        "{diags:?}"
    );
}

#[test]
fn validate_needs_no_credentials_and_plan_needs_none_for_a_create() {
    let w = Workdir::new(&resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET));
    w.terraform(&["validate", "-no-color"]).ok();
    let plan = w.terraform(&["plan", "-input=false", "-no-color"]).ok();
    assert!(plan.stdout.contains("client_secret_wo"), "{}", plan.stdout);
    assert!(
        !plan.all().contains("fake-secret-0001"),
        "the secret must not be printed"
    );
    assert!(
        plan.stdout
            .contains("https://auth.atlassian.com/authorize?"),
        "the authorization URL is known at plan time: {}",
        plan.stdout
    );
}

#[test]
fn terraform_shows_a_description_on_every_attribute_and_block() {
    let w = Workdir::new(&resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET));
    let run = w.terraform(&["providers", "schema", "-json"]).ok();
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("schema JSON");
    let provider = &doc["provider_schemas"]["registry.terraform.io/writer/writer"];
    let mut blocks = vec![("provider".to_string(), &provider["provider"]["block"])];
    for kind in ["resource_schemas", "data_source_schemas"] {
        for (name, schema) in provider[kind].as_object().expect("schemas") {
            blocks.push((format!("{kind}.{name}"), &schema["block"]));
        }
    }
    assert_eq!(blocks.len(), 3, "provider, one resource, one data source");
    let mut missing = Vec::new();
    let mut seen = 0;
    for (name, block) in blocks {
        if block["description"]
            .as_str()
            .unwrap_or_default()
            .trim()
            .is_empty()
        {
            missing.push(name.clone());
        }
        assert_eq!(block["description_kind"], "markdown", "{name}");
        for (attr, a) in block["attributes"].as_object().expect("attributes") {
            seen += 1;
            if a["description"]
                .as_str()
                .unwrap_or_default()
                .trim()
                .is_empty()
            {
                missing.push(format!("{name}.{attr}"));
            }
        }
    }
    assert!(seen >= 25, "all attributes were looked at ({seen})");
    assert!(missing.is_empty(), "no description: {missing:?}");
    let wo = &provider["resource_schemas"]["writer_confluence_oauth_app"]["block"]["attributes"]
        ["client_secret_wo"];
    assert_eq!(wo["write_only"], true, "{wo}");
    assert_eq!(wo["sensitive"], true);
}
