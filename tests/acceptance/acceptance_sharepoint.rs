//! `writer_sharepoint_oauth_app`, Writer's second connector, end to end with
//! the real `terraform`, the real provider binary and the real
//! `writer-emulator` on loopback, beside a Confluence app: a held-out
//! configuration (a single-tenant app, a multitenant one limited to chosen
//! sites with `Sites.Selected`, and a Confluence app) applies, re-plans
//! empty, shows changes made in Writer (`plan -detailed-exitcode` exits 2),
//! imports by ID and by `name=`, and destroys, on Terraform 1.11 and 1.15;
//! `terraform query` lists both kinds (1.15); and every SharePoint
//! validation case fails or warns with the mistake and the fix, without
//! echoing a secret.

use crate::support::emulator::{EmulatorProcess, SHAREPOINT_CLIENT_ID};
use crate::support::terraform::{header, required_scopes, Terraform, Workdir};
use crate::support::SECRET;
use serde_json::json;

const TENANT: &str = "11111111-2222-4333-8444-555555555555";
const OTHER_CLIENT_ID: &str = "00001111-aaaa-2222-bbbb-3333cccc5555";
/// An Entra secret Value (fake), given as an ephemeral variable, as users do.
const ENTRA_SECRET: &str = "fake8Q~entra-secret-value-0001";
/// A secret's Secret ID (fake): what users paste for the Value by mistake.
const SECRET_ID: &str = "0fa4e111-2222-4333-8444-5555beef0001";

const VARIABLES: &str = "variable \"entra_secret\" {\n  type      = string\n  sensitive = true\n  ephemeral = true\n}\n\n";

/// The held-out configuration: two SharePoint apps and a Confluence one.
fn held_out() -> String {
    format!(
        r#"{VARIABLES}resource "writer_sharepoint_oauth_app" "single" {{
  name                     = "Docs, one tenant"
  client_id                = "{SHAREPOINT_CLIENT_ID}"
  tenant_id                = "{TENANT}"
  client_secret_wo         = var.entra_secret
  client_secret_wo_version = 1
}}

resource "writer_sharepoint_oauth_app" "chosen_sites" {{
  name                     = "Docs, chosen sites"
  client_id                = "{OTHER_CLIENT_ID}"
  client_secret_wo         = var.entra_secret
  client_secret_wo_version = 1
  scopes                   = ["User.Read", "Sites.Selected"]
}}

resource "writer_confluence_oauth_app" "wiki" {{
  name                     = "Wiki"
  client_id                = "fake-client-id-0001"
  client_secret_wo         = "{SECRET}"
  client_secret_wo_version = 1
  scopes                   = {scopes}
}}

data "writer_sharepoint_oauth_app" "single" {{
  name = writer_sharepoint_oauth_app.single.name
}}

output "single" {{
  value = writer_sharepoint_oauth_app.single.id
}}

output "chosen_sites" {{
  value = writer_sharepoint_oauth_app.chosen_sites.id
}}

output "wiki" {{
  value = writer_confluence_oauth_app.wiki.id
}}

output "looked_up_tenant" {{
  value = data.writer_sharepoint_oauth_app.single.tenant_id
}}
"#,
        scopes = required_scopes()
    )
}

/// A JSON array of strings, sorted (Writer's scopes are a set).
fn sorted(scopes: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = scopes
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(String::from))
        .collect();
    v.sort();
    v
}

fn held_out_configuration_applies_detects_drift_imports_and_destroys(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let w = Workdir::on_emulator(
        tf,
        &emu,
        &(header("") + &held_out()),
        &[("TF_VAR_entra_secret", ENTRA_SECRET)],
    );
    let applied = w.apply();
    assert!(!applied.all().contains(ENTRA_SECRET), "{}", applied.all());

    let single = emu.get_app(&w.output("single"));
    assert_eq!(single["connector"], "sharepoint");
    assert_eq!(single["settings"], json!({"tenant_id": TENANT}));
    assert_eq!(
        single["scopes"].as_array().map(Vec::len),
        Some(3),
        "the default: User.Read, Sites.Read.All, Files.Read.All: {single}"
    );
    assert_eq!(
        single["callback_url"],
        "https://app.writer.com/connector/sharepoint"
    );
    assert_eq!(single["client_secret_hint"], "…0001");
    let chosen = emu.get_app(&w.output("chosen_sites"));
    assert_eq!(chosen["settings"], json!({}), "multitenant: no tenant");
    assert_eq!(sorted(&chosen["scopes"]), ["Sites.Selected", "User.Read"]);
    let wiki = emu.get_app(&w.output("wiki"));
    assert_eq!(wiki["connector"], "confluence");
    assert_eq!(wiki["settings"], json!({}));
    assert_eq!(w.output("looked_up_tenant"), TENANT);
    let consent = w.state_attribute("writer_sharepoint_oauth_app.single", "authorization_url");
    assert!(
        consent
            .as_str()
            .is_some_and(|u| u.starts_with(&format!("https://login.microsoftonline.com/{TENANT}/"))),
        "{consent}"
    );
    let consent = w.state_attribute(
        "writer_sharepoint_oauth_app.chosen_sites",
        "authorization_url",
    );
    assert!(
        consent
            .as_str()
            .is_some_and(|u| u.starts_with("https://login.microsoftonline.com/organizations/")),
        "{consent}"
    );

    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "the second plan shows no change:\n{plan}");

    // Changed in Writer: the tenant removed, a permission added, a rename.
    let single_id = w.output("single");
    let chosen_id = w.output("chosen_sites");
    let patch = |id: &str, body: serde_json::Value| {
        let (status, answer) = emu.call("PATCH", &format!("/v1/oauth-apps/{id}"), Some(body));
        assert_eq!(status, 200, "{answer}");
    };
    patch(&single_id, json!({"settings": {}}));
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "a tenant removed in Writer is a change:\n{plan}");
    assert!(plan.contains("+ tenant_id"), "{plan}");
    patch(
        &chosen_id,
        json!({"scopes": ["User.Read", "Sites.Selected", "Files.Read.All"], "name": "Renamed in Writer"}),
    );
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("- \"Files.Read.All\""), "{plan}");
    assert!(
        plan.contains("\"Renamed in Writer\" -> \"Docs, chosen sites\""),
        "{plan}"
    );
    assert!(plan.contains("2 to change"), "{plan}");
    w.apply();
    assert_eq!(
        emu.get_app(&single_id)["settings"],
        json!({"tenant_id": TENANT})
    );
    assert_eq!(
        sorted(&emu.get_app(&chosen_id)["scopes"]),
        ["Sites.Selected", "User.Read"]
    );
    assert_eq!(w.plan_exit_code().0, 0);

    // Imports: an app made by hand in Writer, by ID (an import block) and
    // by name (`terraform import name=`), managed without its secret.
    let by_id = emu.app_made_by_hand(json!({
        "connector": "sharepoint", "name": "Made by hand",
        "settings": {"tenant_id": TENANT},
    }));
    let by_name = emu.app_made_by_hand(json!({"connector": "sharepoint", "name": "Also by hand"}));
    let adopted = |name: &str, tenant: &str| {
        format!(
            "resource \"writer_sharepoint_oauth_app\" \"{}\" {{\n  name      = \"{name}\"\n  client_id = \"{SHAREPOINT_CLIENT_ID}\"\n{tenant}  scopes    = [\"User.Read\", \"Sites.Selected\"]\n}}\n",
            name.to_lowercase().replace(' ', "_")
        )
    };
    let body = adopted("Made by hand", &format!("  tenant_id = \"{TENANT}\"\n"))
        + &format!("\nimport {{\n  to = writer_sharepoint_oauth_app.made_by_hand\n  id = \"{by_id}\"\n}}\n")
        + &adopted("Also by hand", "");
    let i = Workdir::on_emulator(
        tf,
        &emu,
        &(header("") + &body),
        &[("TF_VAR_entra_secret", ENTRA_SECRET)],
    );
    i.terraform(&[
        "import",
        "-input=false",
        "-no-color",
        "writer_sharepoint_oauth_app.also_by_hand",
        "name=also BY hand",
    ])
    .ok();
    assert_eq!(
        i.state_attribute("writer_sharepoint_oauth_app.also_by_hand", "id"),
        json!(by_name)
    );
    let (code, plan) = i.plan_exit_code();
    assert_eq!(code, 2, "{plan}");
    assert!(
        plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"),
        "an app that exists needs no secret, and its tenant matches:\n{plan}"
    );
    i.apply();
    assert_eq!(
        i.state_attribute("writer_sharepoint_oauth_app.made_by_hand", "tenant_id"),
        json!(TENANT)
    );
    assert_eq!(i.plan_exit_code().0, 0);

    let wiki_id = w.output("wiki");
    w.terraform(&["destroy", "-input=false", "-no-color", "-auto-approve"])
        .ok();
    for id in [single_id, chosen_id, wiki_id] {
        let (status, _) = emu.call("GET", &format!("/v1/oauth-apps/{id}"), None);
        assert_eq!(status, 404, "destroy deletes {id}");
    }
    let left: Vec<String> = emu
        .all_apps()
        .iter()
        .map(|a| a["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        left,
        ["Made by hand", "Also by hand"],
        "only the imported ones are left"
    );
}

/// At TF_LOG=trace, an apply and a rotation of SharePoint apps (the secret
/// sent twice, the tenant in the body) log neither a secret nor the API key.
fn trace_logs_hold_no_secret_for_sharepoint_apps(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let mut w = Workdir::on_emulator(
        tf,
        &emu,
        &(header("") + &held_out()),
        &[("TF_VAR_entra_secret", ENTRA_SECRET)],
    );
    w.set_env("TF_LOG", "trace");
    let first = w.apply();
    let rotated = "fake8Q~entra-secret-value-0002";
    w.set_env("TF_VAR_entra_secret", rotated);
    w.write(
        &(header("")
            + &held_out().replace(
                "client_secret_wo_version = 1",
                "client_secret_wo_version = 2",
            )),
    );
    let second = w.apply();
    for (run, secret) in [(&first, ENTRA_SECRET), (&second, rotated)] {
        let all = run.all();
        assert!(
            all.contains("provider.terraform-provider-writer") && all.contains(TENANT),
            "the provider's lines and the plan are in the log"
        );
        assert!(
            !all.contains(secret),
            "the secret leaked into the trace log"
        );
        assert!(!all.contains(SECRET), "the Confluence secret leaked");
        assert!(!all.contains(crate::support::ADMIN), "the API key leaked");
    }
    let single = emu.get_app(&w.output("single"));
    assert_eq!(
        single["client_secret_hint"], "…0002",
        "the rotation was sent"
    );
}

on_every_terraform!(
    held_out_configuration_applies_detects_drift_imports_and_destroys,
    trace_logs_hold_no_secret_for_sharepoint_apps
);

/// The `(address, display name)` of every result line of `terraform query`.
fn results(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter(|l| l.starts_with("list."))
        .map(|l| {
            let mut fields = l.split_whitespace();
            let address = fields.next().unwrap_or_default().to_string();
            let _id = fields.next();
            (address, fields.collect::<Vec<_>>().join(" "))
        })
        .collect()
}

#[test]
fn query_lists_both_kinds_and_generates_configuration_that_imports() {
    let emu = EmulatorProcess::start(&[]);
    emu.app_made_by_hand(json!({"name": "Wiki"}));
    emu.app_made_by_hand(json!({
        "connector": "sharepoint", "name": "Docs",
        "settings": {"tenant_id": TENANT},
    }));
    emu.app_made_by_hand(json!({"connector": "sharepoint", "name": "Chosen sites"}));
    let w = Workdir::on_emulator(
        Terraform::V1_15,
        &emu,
        &header(""),
        &[("TF_VAR_entra_secret", ENTRA_SECRET)],
    );
    let example = crate::support::root()
        .join("examples/list-resources/writer_sharepoint_oauth_app/list-resource.tfquery.hcl");
    let query = std::fs::read_to_string(example).expect("the example query")
        + "\nlist \"writer_confluence_oauth_app\" \"wiki\" {\n  provider = writer\n}\n";
    std::fs::write(w.path().join("apps.tfquery.hcl"), query).expect("query file");
    let run = w.terraform(&["query", "-no-color"]).ok();
    let found = results(&run.stdout);
    let names = |prefix: &str| -> Vec<String> {
        found
            .iter()
            .filter(|(a, _)| a.starts_with(prefix))
            .map(|(_, n)| n.clone())
            .collect()
    };
    assert_eq!(
        names("list.writer_sharepoint_oauth_app.all"),
        ["Docs", "Chosen sites"],
        "{}",
        run.stdout
    );
    assert_eq!(
        names("list.writer_confluence_oauth_app.wiki"),
        ["Wiki"],
        "{}",
        run.stdout
    );

    // Generating configuration: each app once (no block by name).
    std::fs::write(
        w.path().join("apps.tfquery.hcl"),
        "list \"writer_sharepoint_oauth_app\" \"all\" {\n  provider = writer\n}\n\nlist \"writer_confluence_oauth_app\" \"all\" {\n  provider = writer\n}\n",
    )
    .expect("query file");
    let generated = w
        .terraform(&["query", "-no-color", "-generate-config-out=generated.tf"])
        .ok();
    let config = w.read("generated.tf");
    assert!(
        config
            .lines()
            .any(|l| l.trim_start().starts_with("tenant_id") && l.contains(TENANT)),
        "{config}\n{}",
        generated.all()
    );
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "{plan}");
    assert!(
        plan.contains("3 to import, 0 to add, 0 to change"),
        "{plan}"
    );
}

/// One SharePoint configuration with `changes` over a valid one (an
/// attribute set to `None` is left out).
fn sharepoint(changes: &[(&str, Option<&str>)]) -> String {
    let mut attributes: Vec<(&str, Option<String>)> = vec![
        ("name", Some("\"Docs\"".into())),
        ("client_id", Some(format!("\"{SHAREPOINT_CLIENT_ID}\""))),
        ("tenant_id", Some(format!("\"{TENANT}\""))),
        ("client_secret_wo", Some("var.entra_secret".into())),
        ("client_secret_wo_version", Some("1".into())),
        (
            "callback_url",
            Some("\"https://app.writer.com/connector/sharepoint\"".into()),
        ),
        (
            "scopes",
            Some("[\"User.Read\", \"Sites.Read.All\", \"Files.Read.All\"]".into()),
        ),
    ];
    for (name, value) in changes {
        attributes.retain(|(n, _)| n != name);
        attributes.push((name, value.map(String::from)));
    }
    let lines: String = attributes
        .iter()
        .filter_map(|(n, v)| Some(format!("  {n} = {}\n", v.as_ref()?)))
        .collect();
    format!("{VARIABLES}{STORED}resource \"writer_sharepoint_oauth_app\" \"docs\" {{\n{lines}}}\n")
}

/// The secret for `client_secret`, which is kept in state: not ephemeral.
const STORED: &str =
    "variable \"stored_secret\" {\n  type      = string\n  sensitive = true\n}\n\n";

/// What a plan must say about one configuration.
struct Case {
    what: &'static str,
    changes: Vec<(&'static str, Option<&'static str>)>,
    /// The ephemeral variable's value (the secret under test).
    secret: &'static str,
    severity: &'static str,
    attribute: &'static str,
    says: &'static [&'static str],
}

fn case(
    what: &'static str,
    changes: Vec<(&'static str, Option<&'static str>)>,
    severity: &'static str,
    attribute: &'static str,
    says: &'static [&'static str],
) -> Case {
    Case {
        what,
        changes,
        secret: ENTRA_SECRET,
        severity,
        attribute,
        says,
    }
}

const REDIRECT: &str = "https://app.writer.com/connector/sharepoint";

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let scopes = |s| vec![("scopes", Some(s))];
    let url = |s| vec![("callback_url", Some(s))];
    vec![
        case("http", url("\"http://app.writer.com/connector/sharepoint\""), "error", "callback_url", &[REDIRECT, "https"]),
        case("trailing slash", url("\"https://app.writer.com/connector/sharepoint/\""), "error", "callback_url", &[REDIRECT, "slash"]),
        case("another host", url("\"https://writer.com/connector/sharepoint\""), "error", "callback_url", &[REDIRECT, "writer.com"]),
        case("a query", url("\"https://app.writer.com/connector/sharepoint?x=1\""), "error", "callback_url", &[REDIRECT]),
        case("upper case", url("\"https://app.writer.com/Connector/SharePoint\""), "error", "callback_url", &[REDIRECT]),
        case("the Confluence URL on a SharePoint app", url("\"https://app.writer.com/connector/confluence\""), "error", "callback_url", &["another connector", "/connector/sharepoint", "Entra"]),
        case("User.Read missing", scopes("[\"Sites.Read.All\", \"Files.Read.All\"]"), "error", "scopes", &["User.Read"]),
        case("neither sites permission", scopes("[\"User.Read\", \"Files.Read.All\"]"), "error", "scopes", &["Neither `Sites.Read.All` nor `Sites.Selected`"]),
        case("Files.Read.All missing beside Sites.Read.All", scopes("[\"User.Read\", \"Sites.Read.All\"]"), "error", "scopes", &["Files.Read.All"]),
        case("both sites permissions", scopes("[\"User.Read\", \"Sites.Read.All\", \"Files.Read.All\", \"Sites.Selected\"]"), "warning", "scopes", &["Sites.Selected is pointless beside Sites.Read.All"]),
        case("a permission in the wrong case", scopes("[\"User.Read\", \"sites.read.all\", \"Files.Read.All\"]"), "error", "scopes", &["sites.read.all", "Sites.Read.All", "wrong case"]),
        case("write permissions", scopes("[\"User.Read\", \"Sites.Read.All\", \"Files.Read.All\", \"Sites.ReadWrite.All\", \"Files.ReadWrite.All\"]"), "warning", "scopes", &["Sites.ReadWrite.All", "Files.ReadWrite.All", "least privilege"]),
        case("the application-permission form", scopes("[\"User.Read\", \"Sites.Selected\", \"https://graph.microsoft.com/.default\"]"), "warning", "scopes", &[".default", "application permissions", "least privilege"]),
        case("a client ID that is not a GUID", vec![("client_id", Some("\"fake-client-id-0001\""))], "error", "client_id", &["not an Application (client) ID", "Overview"]),
        case("a tenant ID that is not a GUID", vec![("tenant_id", Some("\"fake-tenant\""))], "error", "tenant_id", &["not a GUID", "Directory (tenant) ID"]),
        case("common as the tenant", vec![("tenant_id", Some("\"common\""))], "error", "tenant_id", &["sign-in audience", "leave `tenant_id` out"]),
        case("organizations as the tenant", vec![("tenant_id", Some("\"organizations\""))], "error", "tenant_id", &["sign-in audience", "leave `tenant_id` out"]),
        case("a domain as the tenant", vec![("tenant_id", Some("\"contoso.onmicrosoft.com\""))], "error", "tenant_id", &["domain", "Directory (tenant) ID"]),
        Case {
            secret: SECRET_ID,
            ..case("the Secret ID for the Value", vec![], "error", "client_secret_wo", &["Secret ID", "Value", "Certificates & secrets"])
        },
        Case {
            secret: SECRET_ID,
            ..case("the Secret ID as a stored secret", vec![("client_secret_wo", None), ("client_secret_wo_version", None), ("client_secret", Some("var.stored_secret"))], "error", "client_secret", &["Secret ID", "Value"])
        },
    ]
}

#[test]
fn every_sharepoint_mistake_fails_or_warns_with_the_fix_and_no_secret() {
    let emu = EmulatorProcess::start(&[]);
    let mut w = Workdir::on_emulator(
        Terraform::OnPath,
        &emu,
        &(header("") + &sharepoint(&[])),
        &[("TF_VAR_entra_secret", ENTRA_SECRET)],
    );
    w.set_env("TF_VAR_stored_secret", ENTRA_SECRET);
    let ok = w.terraform(&["plan", "-input=false", "-no-color", "-json"]);
    assert_eq!(
        ok.status,
        0,
        "the correct configuration plans:\n{}",
        ok.all()
    );
    assert!(ok.diagnostics().is_empty(), "{:?}", ok.diagnostics());
    let mut failures = Vec::new();
    for case in cases() {
        w.set_env("TF_VAR_entra_secret", case.secret);
        w.set_env("TF_VAR_stored_secret", case.secret);
        w.write(&(header("") + &sharepoint(&case.changes)));
        // Validate judges what the configuration says itself; the plan
        // also judges variables, the secret among them.
        let validate = w.terraform(&["validate", "-json", "-no-color"]);
        let plan = w.terraform(&["plan", "-input=false", "-no-color", "-json"]);
        let run = if case.attribute.starts_with("client_secret") {
            &plan
        } else {
            &validate
        };
        if [&validate, &plan]
            .iter()
            .any(|r| r.all().contains(case.secret))
        {
            failures.push(format!("{}: the secret is in the output", case.what));
        }
        if let Some(wrong) = run.mismatch(case.severity, case.attribute, case.says) {
            failures.push(format!("{}: {wrong}", case.what));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_sharepoint_url_on_a_confluence_app_names_the_confluence_one() {
    let body = format!(
        "{}resource \"writer_confluence_oauth_app\" \"wiki\" {{\n  name = \"Wiki\"\n  client_id = \"fake-client-id-0001\"\n  callback_url = \"{REDIRECT}\"\n}}\n",
        header("")
    );
    let run = Workdir::new(&body).terraform(&["validate", "-json", "-no-color"]);
    let says = [
        "Callback URL is another connector's",
        "`/connector/confluence`",
    ];
    if let Some(wrong) = run.mismatch("error", "callback_url", &says) {
        panic!("{wrong}");
    }
}
