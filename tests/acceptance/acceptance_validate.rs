//! Plan-time validation through the real `terraform` binary and the real
//! provider: wrong callback URLs and scope sets fail `terraform validate`
//! with the attribute and the fix; over-privileged or unknown scopes warn and
//! pass; values unknown until apply are not judged.

use crate::support::terraform::{header, snippet_code, Run, Workdir};

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
        if let Some(wrong) = run.mismatch(case.severity, case.attribute, case.says) {
            failures.push(format!("{}: {wrong}", case.what));
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
    let names: Vec<&str> = blocks.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "provider",
            "resource_schemas.writer_application_knowledge_graphs",
            "resource_schemas.writer_confluence_oauth_app",
            "resource_schemas.writer_file",
            "resource_schemas.writer_knowledge_graph",
            "resource_schemas.writer_sharepoint_oauth_app",
            "data_source_schemas.writer_confluence_oauth_app",
            "data_source_schemas.writer_knowledge_graph",
            "data_source_schemas.writer_sharepoint_oauth_app",
        ],
        "the provider, a resource and a data source per connector (Confluence, SharePoint), and \
         the Knowledge Graph family's three resources and its data source"
    );
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
    assert!(seen >= 50, "all attributes were looked at ({seen})");
    assert!(missing.is_empty(), "no description: {missing:?}");
    let wo = &provider["resource_schemas"]["writer_confluence_oauth_app"]["block"]["attributes"]
        ["client_secret_wo"];
    assert_eq!(wo["write_only"], true, "{wo}");
    assert_eq!(wo["sensitive"], true);
}

/// A configuration with `attributes` in the resource body, after the provider block's `provider_body`.
fn app_with(provider_body: &str, attributes: &str) -> String {
    format!(
        "{}resource \"writer_confluence_oauth_app\" \"test\" {{\n{attributes}\n}}\n",
        header(provider_body)
    )
}

const NAME_AND_ID: &str =
    "  name = \"Engineering Confluence\"\n  client_id = \"fake-client-id-0001\"\n";

/// The diagnostics of `terraform validate -json` on `config`, with the run.
fn validate(w: &Workdir, config: &str) -> (Run, Vec<serde_json::Value>) {
    w.write(config);
    let run = w.terraform(&["validate", "-json", "-no-color"]);
    let diags = run.diagnostics();
    (run, diags)
}

#[test]
fn short_client_secrets_are_refused_in_both_forms_and_never_shown() {
    let w = Workdir::new(&resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET));
    // 15 characters each: one short of the minimum.
    let short_wo = "fake-short-0001";
    let short_stored = "fake-short-0002";
    for (attribute, secret, body) in [
        (
            "client_secret_wo",
            short_wo,
            format!("  client_secret_wo = \"{short_wo}\"\n  client_secret_wo_version = 1"),
        ),
        (
            "client_secret",
            short_stored,
            format!("  client_secret = \"{short_stored}\""),
        ),
    ] {
        let (run, diags) = validate(&w, &resource(&quoted(GOOD_URL), GOOD_SCOPES, &body));
        assert_ne!(run.status, 0, "{}", run.all());
        let on_it: Vec<&serde_json::Value> = diags
            .iter()
            .filter(|d| d["severity"] == "error" && snippet_code(d).contains(attribute))
            .collect();
        assert_eq!(on_it.len(), 1, "{attribute}: {diags:?}");
        let text = format!("{} {}", on_it[0]["summary"], on_it[0]["detail"]);
        for says in [
            "too short",
            "fewer than 16 characters",
            "Atlassian client secrets are far longer",
            "hint",
        ] {
            assert!(text.contains(says), "{attribute}: {says:?} not in {text}");
        }
        let plan = w.terraform(&["plan", "-input=false", "-no-color"]);
        assert_ne!(plan.status, 0, "{}", plan.all());
        assert!(plan.all().contains("is too short"), "{}", plan.all());
        for output in [run.all(), plan.all()] {
            // Terraform's snippet shows the configuration line; the provider never quotes it.
            let quoted_by_provider = output
                .lines()
                .filter(|l| l.contains(secret) && !l.contains(&format!("{attribute} = ")))
                .count();
            assert_eq!(quoted_by_provider, 0, "{output}");
        }
    }
}

#[test]
fn too_many_scopes_fail_at_plan_time_with_the_limit() {
    let scopes: Vec<String> = (0..300)
        .map(|i| format!("\"read:future-{i}:confluence\""))
        .collect();
    let scopes = format!(
        "[\"search:confluence\", \"read:space:confluence\", \"read:page:confluence\", {}]",
        scopes.join(", ")
    );
    let w = Workdir::new(&resource(&quoted(GOOD_URL), &scopes, WO_SECRET));
    let (run, diags) = validate(&w, &resource(&quoted(GOOD_URL), &scopes, WO_SECRET));
    assert_ne!(run.status, 0, "{}", run.all());
    assert_eq!(
        diags.len(),
        1,
        "one diagnostic, not one per scope: {diags:?}"
    );
    let d = &diags[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["summary"], "Too many scopes");
    assert!(snippet_code(d).contains("scopes"), "{d}");
    let detail = d["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("has 303 different scopes; this provider accepts at most 256"),
        "{detail}"
    );
}

#[test]
fn many_scope_problems_make_one_diagnostic_per_kind() {
    let unknown: Vec<String> = (0..240)
        .map(|i| format!("\"read:future-{i:03}:confluence\""))
        .collect();
    let scopes = format!(
        "[\"search:confluence\", \"read:space:confluence\", {}, \"read:pages:confluence\", \"read:spaces:confluence\", \"write:page:confluence\"]",
        unknown.join(", ")
    );
    let config = resource(&quoted(GOOD_URL), &scopes, WO_SECRET);
    let w = Workdir::new(&config);
    let (run, diags) = validate(&w, &config);
    assert_ne!(run.status, 0, "{}", run.all());
    let mut got: Vec<(String, String)> = diags
        .iter()
        .map(|d| {
            assert!(snippet_code(d).contains("scopes"), "{d}");
            (
                d["severity"].as_str().unwrap_or_default().to_string(),
                d["summary"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    got.sort();
    let expected = [
        ("error", "2 unknown scopes, probably typos"),
        ("error", "Required scope `read:page:confluence` is missing"),
        ("warning", "240 unknown scopes"),
        (
            "warning",
            "Scope `write:page:confluence` grants more than Writer needs",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(s, m)| (s.to_string(), m.to_string()))
        .collect();
    assert_eq!(got, expected, "{diags:?}");
    let said: String = diags
        .iter()
        .map(|d| format!("{} {}\n", d["summary"], d["detail"]))
        .collect();
    for fact in [
        "`read:future-000:confluence`",
        "and 235 more",
        "`read:pages:confluence` is not a known scope; did you mean `read:page:confluence`?",
        "`read:spaces:confluence` is not a known scope; did you mean `read:space:confluence`?",
    ] {
        assert!(said.contains(fact), "{fact:?} not in {said}");
    }
    // What a person sees: a few screens, not one per scope.
    let human = w.terraform(&["validate", "-no-color"]);
    assert!(
        human.all().len() < 100_000,
        "{} bytes of output",
        human.all().len()
    );
}

#[test]
fn huge_numbers_get_a_short_clear_error_not_a_bug_report() {
    let w = Workdir::new(&resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET));
    let secret = "  client_secret_wo = \"fake-secret-0001\"\n";
    for (version, says) in [
        ("1e20000", "Number out of range"),
        ("-1e20000", "Number out of range"),
        ("1e5000", "Invalid client_secret_wo_version"),
        ("1.5", "Invalid client_secret_wo_version"),
    ] {
        let body = format!("{NAME_AND_ID}{secret}  client_secret_wo_version = {version}");
        let (run, diags) = validate(&w, &app_with("", &body));
        assert_ne!(run.status, 0, "{version}: {}", run.all());
        assert_eq!(diags.len(), 1, "{version}: {diags:?}");
        let d = &diags[0];
        assert_eq!(d["summary"], says, "{version}: {d}");
        assert!(snippet_code(d).contains("client_secret_wo_version"), "{d}");
        let detail = d["detail"].as_str().unwrap_or_default();
        assert!(!detail.contains("bug"), "{version}: {detail}");
        assert!(
            detail.len() < 400,
            "{version}: {} bytes: {detail}",
            detail.len()
        );
    }
    // The provider block's numbers too.
    let (run, diags) = validate(
        &w,
        &app_with(
            "  max_retries = 1e20000",
            &format!("{NAME_AND_ID}{secret}  client_secret_wo_version = 1"),
        ),
    );
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(
        diags
            .iter()
            .any(|d| d["summary"] == "Number out of range"
                && snippet_code(d).contains("max_retries")),
        "{diags:?}"
    );
}

#[test]
fn control_characters_in_name_and_client_id_are_refused_and_escaped() {
    let w = Workdir::new(&resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET));
    let rest = "  client_secret_wo = \"fake-secret-0001\"\n  client_secret_wo_version = 1";
    for (attribute, hcl, shown) in [
        (
            "name",
            "Eng\\u001b[2Jineering",
            "`Eng\\u{1b}[2Jineering` contains U+001B (ESC)",
        ),
        ("name", "Engineering\\nConfluence", "a line break"),
        (
            "name",
            "abc\\u202Efed",
            "U+202E (a bidirectional text control)",
        ),
        ("client_id", "fake-client\\u0007id", "U+0007"),
    ] {
        let body = match attribute {
            "name" => format!("  name = \"{hcl}\"\n  client_id = \"fake-client-id-0001\"\n{rest}"),
            _ => format!("  name = \"Engineering\"\n  client_id = \"{hcl}\"\n{rest}"),
        };
        let (run, diags) = validate(&w, &app_with("", &body));
        assert_ne!(run.status, 0, "{hcl}: {}", run.all());
        assert!(
            diags
                .iter()
                .any(|d| d["summary"] == format!("Invalid {attribute}")
                    && snippet_code(d).contains(attribute)
                    && d["detail"].as_str().unwrap_or_default().contains(shown)),
            "{hcl}: {diags:?}"
        );
        let human = w.terraform(&["validate", "-no-color"]);
        assert!(
            !human.all().contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{hcl}: raw control character in {:?}",
            human.all()
        );
    }
}

#[test]
fn passwords_typed_into_urls_are_never_shown() {
    let w = Workdir::new(&resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET));
    let password = "fake-password-0001";
    let provider = format!(
        "  base_url = \"htp://admin:{password}@api.writer.com\"\n  app_url = \"admin:{password}@app.writer.com\""
    );
    let config = header(&provider)
        + &resource(&quoted(GOOD_URL), GOOD_SCOPES, WO_SECRET)[header("").len()..];
    let (run, diags) = validate(&w, &config);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(diags.len() >= 2, "{diags:?}");
    for callback in [
        format!("admin:{password}@app.writer.com/connector/confluence"),
        format!("htp://admin:{password}@app.writer.com/connector/confluence"),
        format!("https://admin:{password}@@app.writer.com/connector/confluence/"),
        format!(" https://admin:{password}@app.writer.com/connector/confluence "),
    ] {
        let (run, diags) = validate(&w, &resource(&quoted(&callback), GOOD_SCOPES, WO_SECRET));
        assert_ne!(run.status, 0, "{callback}: {}", run.all());
        let said: String = diags
            .iter()
            .map(|d| format!("{} {}\n", d["summary"], d["detail"]))
            .collect();
        assert!(
            !said.is_empty() && !said.contains(password),
            "{callback}: {said}"
        );
    }
}
