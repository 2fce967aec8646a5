//! Writer's successful answers are data, stored as Writer sent them, and an
//! apply never leaves an app in Writer that state does not know; a create
//! whose outcome is unknown takes only an app it provably made. Through the
//! real `terraform` and the real provider binary, against the real
//! `writer-emulator` or a scripted fake Writer.
//!
//! The secrets and keys here share pieces with names, IDs, dates and
//! connector names on purpose: a redactor that worked on fragments of them
//! rewrote the fields of successful answers (issue 22).

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use crate::support::emulator::{EmulatorProcess, SHAREPOINT_CLIENT_ID};
use crate::support::fake_writer::{FakeWriter, Reply, Request};
use crate::support::terraform::{header, required_scopes, Run, Terraform, Workdir};
use crate::support::{ADMIN, REQUIRED_SCOPES};

on_every_terraform!(
    a_sharepoint_secret_sharing_a_piece_of_the_tenant_id_is_stored_as_writer_has_it,
    a_confluence_secret_sharing_the_connector_name_is_stored_as_writer_has_it,
    a_secret_holding_todays_date_leaves_later_plans_clean,
    an_api_key_containing_the_connector_name_reads_every_app,
    an_old_app_of_the_same_name_after_a_503_is_not_adopted_and_the_error_says_how_to_import_it,
    a_success_echoing_the_whole_secret_keeps_the_app_in_state_tainted_and_names_the_field,
    an_update_with_no_etag_in_private_state_reads_first_and_sends_if_match,
);

/// Today's date as Writer writes it in `created_at` (UTC).
fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

/// A working directory for `tf` against `emulator`, initialized.
fn workdir(tf: Terraform, emulator: &EmulatorProcess, body: &str) -> Workdir {
    let mut w = Workdir::new_with(tf, &(header("") + body));
    w.use_emulator(emulator);
    w
}

/// Every attribute Writer keeps, in state exactly as Writer has it.
fn assert_state_is_writers(w: &Workdir, address: &str, emulator: &EmulatorProcess) -> String {
    let id = w.state_attribute(address, "id");
    let id = id.as_str().unwrap_or_else(|| panic!("{address} has an id"));
    let app = emulator.get_app(id);
    for attribute in [
        "name",
        "client_id",
        "client_secret_hint",
        "client_secret_updated_at",
        "created_at",
        "updated_at",
    ] {
        assert_eq!(
            w.state_attribute(address, attribute),
            app[attribute],
            "{address}.{attribute} is Writer's"
        );
    }
    let mut scopes: Vec<Value> = app["scopes"].as_array().cloned().unwrap_or_default();
    scopes.sort_by_key(|s| s.to_string());
    let mut in_state = w
        .state_attribute(address, "scopes")
        .as_array()
        .cloned()
        .unwrap_or_default();
    in_state.sort_by_key(|s| s.to_string());
    assert_eq!(in_state, scopes, "{address}.scopes are Writer's");
    if app["connector"] == "sharepoint" {
        assert_eq!(
            w.state_attribute(address, "tenant_id"),
            app["settings"]["tenant_id"],
            "{address}.tenant_id is Writer's"
        );
    }
    id.to_string()
}

/// Applies; then the next plan finds nothing to do and a second apply
/// changes nothing (no replacement: the app keeps its ID).
fn apply_then_nothing_to_do(w: &Workdir, address: &str) -> String {
    w.apply();
    let first = w.state_attribute(address, "id");
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "the next plan is clean:\n{plan}");
    let again = w.apply();
    assert!(
        again.stdout.contains("0 added, 0 changed, 0 destroyed"),
        "{}",
        again.all()
    );
    assert_eq!(w.state_attribute(address, "id"), first, "the same app");
    first.as_str().unwrap_or_default().to_string()
}

fn a_sharepoint_secret_sharing_a_piece_of_the_tenant_id_is_stored_as_writer_has_it(tf: Terraform) {
    // `bbbb-000` is in both.
    const SECRET: &str = "SECRETVALUE-stored-bbbb-0002";
    const TENANT: &str = "aaaa1111-bbbb-0002-cccc-dddd0000eeee";
    let emulator = EmulatorProcess::start(&[]);
    let w = workdir(
        tf,
        &emulator,
        &format!(
            "resource \"writer_sharepoint_oauth_app\" \"docs\" {{\n  name = \"Docs bbbb-0002\"\n  client_id = \"{SHAREPOINT_CLIENT_ID}\"\n  tenant_id = \"{TENANT}\"\n  client_secret = \"{SECRET}\"\n}}\n"
        ),
    );
    let id = apply_then_nothing_to_do(&w, "writer_sharepoint_oauth_app.docs");
    assert_eq!(
        w.state_attribute("writer_sharepoint_oauth_app.docs", "tenant_id"),
        json!(TENANT)
    );
    assert_eq!(
        assert_state_is_writers(&w, "writer_sharepoint_oauth_app.docs", &emulator),
        id
    );
    assert_eq!(emulator.all_apps().len(), 1, "one app in Writer");
}

fn a_confluence_secret_sharing_the_connector_name_is_stored_as_writer_has_it(tf: Terraform) {
    let emulator = EmulatorProcess::start(&[]);
    let w = workdir(
        tf,
        &emulator,
        &format!(
            "resource \"writer_confluence_oauth_app\" \"team\" {{\n  name = \"Team Confluence prod\"\n  client_id = \"fake-client-id-0001\"\n  client_secret = \"my-confluence-secret-123\"\n  scopes = {}\n}}\n",
            required_scopes()
        ),
    );
    apply_then_nothing_to_do(&w, "writer_confluence_oauth_app.team");
    assert_state_is_writers(&w, "writer_confluence_oauth_app.team", &emulator);
    assert_eq!(emulator.all_apps().len(), 1, "never replaced");
}

fn a_secret_holding_todays_date_leaves_later_plans_clean(tf: Terraform) {
    let secret = format!("fake-secret-{}T00", today());
    let emulator = EmulatorProcess::start(&[]);
    let w = workdir(
        tf,
        &emulator,
        &format!(
            "resource \"writer_confluence_oauth_app\" \"dated\" {{\n  name = \"Dated\"\n  client_id = \"fake-client-id-0001\"\n  client_secret = \"{secret}\"\n}}\n"
        ),
    );
    apply_then_nothing_to_do(&w, "writer_confluence_oauth_app.dated");
    assert_state_is_writers(&w, "writer_confluence_oauth_app.dated", &emulator);
}

fn an_api_key_containing_the_connector_name_reads_every_app(tf: Terraform) {
    const KEY: &str = "test-key-confluence-sharepoint-not-real";
    let emulator = EmulatorProcess::start_with_args(&["--api-key", ADMIN, "--api-key", KEY]);
    let mut w = workdir(
        tf,
        &emulator,
        &format!(
            "resource \"writer_confluence_oauth_app\" \"wiki\" {{\n  name = \"Wiki confluence-sharepoint\"\n  client_id = \"fake-client-id-0001\"\n  client_secret = \"fake-secret-for-tests-0001\"\n  scopes = {}\n}}\n\nresource \"writer_sharepoint_oauth_app\" \"docs\" {{\n  name = \"Docs\"\n  client_id = \"{SHAREPOINT_CLIENT_ID}\"\n  client_secret = \"fake-secret-for-tests-0002\"\n}}\n",
            required_scopes()
        ),
    );
    w.set_env("WRITER_API_KEY", KEY);
    apply_then_nothing_to_do(&w, "writer_confluence_oauth_app.wiki");
    assert_state_is_writers(&w, "writer_confluence_oauth_app.wiki", &emulator);
    assert_state_is_writers(&w, "writer_sharepoint_oauth_app.docs", &emulator);
}

// ---------------------------------------------------- a scripted Writer --

const NAME: &str = "Engineering";
const CLIENT_ID: &str = "fake-client-id-0001";

/// A Confluence app as Writer returns it.
fn app(id: &str, name: &str, hint: &str, created_at: &str) -> Value {
    json!({
        "id": id, "connector": "confluence", "name": name, "client_id": CLIENT_ID,
        "client_secret_hint": hint, "client_secret_updated_at": created_at,
        "scopes": REQUIRED_SCOPES, "callback_url": "https://app.writer.com/connector/confluence",
        "status": "active", "created_at": created_at, "updated_at": created_at,
    })
}

fn fake_workdir(tf: Terraform, fake: &FakeWriter, body: &str) -> Workdir {
    let mut w = Workdir::new_with(
        tf,
        &(header("  max_retries = 1\n  request_timeout = \"5s\"") + body),
    );
    w.set_env("WRITER_API_KEY", ADMIN);
    w.set_env("WRITER_BASE_URL", fake.base.as_str());
    w
}

fn apply(w: &Workdir) -> Run {
    w.terraform(&["apply", "-input=false", "-no-color", "-auto-approve"])
}

/// The resources in state, from `terraform show -json`.
fn resources(w: &Workdir) -> Vec<Value> {
    let show = w.terraform(&["show", "-json", "-no-color"]).ok();
    let doc: Value = serde_json::from_str(&show.stdout).expect("show -json");
    doc["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn an_old_app_of_the_same_name_after_a_503_is_not_adopted_and_the_error_says_how_to_import_it(
    tf: Terraform,
) {
    const SECRET: &str = "fake-secret-for-tests-0001";
    // Made in January by someone who forgot the import; its hint even ends
    // like the secret sent now.
    let fake = FakeWriter::start(|request: &Request, _| {
        match (request.method.as_str(), request.path.as_str()) {
            ("POST", _) => Reply::writer_error(503, "the service is temporarily unavailable"),
            ("GET", "/v1/oauth-apps") => Reply::json(
                200,
                json!({"data": [app("app-made-in-january", NAME, "…0001", "2026-01-05T09:00:00Z")],
                       "has_more": false, "first_id": "app-made-in-january",
                       "last_id": "app-made-in-january"}),
            ),
            _ => Reply::json(
                200,
                app("app-made-in-january", NAME, "…0001", "2026-01-05T09:00:00Z"),
            ),
        }
    });
    let w = fake_workdir(
        tf,
        &fake,
        &format!(
            "resource \"writer_confluence_oauth_app\" \"eng\" {{\n  name = \"{NAME}\"\n  client_id = \"{CLIENT_ID}\"\n  client_secret = \"{SECRET}\"\n  scopes = {}\n}}\n",
            required_scopes()
        ),
    );
    let run = apply(&w);
    let all = run.all();
    assert_ne!(run.status, 0, "{all}");
    assert!(!all.contains("Nothing else is needed"), "{all}");
    assert!(
        all.contains("terraform import writer_confluence_oauth_app.<name> app-made-in-january"),
        "says how to import it:\n{all}"
    );
    assert!(
        all.contains("2026-01-05T09:00:00Z"),
        "says why it is not ours:\n{all}"
    );
    assert!(resources(&w).is_empty(), "nothing was taken into state");
}

fn a_success_echoing_the_whole_secret_keeps_the_app_in_state_tainted_and_names_the_field(
    tf: Terraform,
) {
    const SECRET: &str = "fake-secret-echoed-whole-0001";
    let fake = FakeWriter::start(|request: &Request, _| {
        let mut echoed = app("app-echo-1", NAME, "…0001", "2026-12-01T00:00:00Z");
        echoed["client_secret_updated_at"] = json!(SECRET);
        match request.method.as_str() {
            "POST" => Reply::json(201, echoed),
            _ => Reply::json(200, echoed),
        }
    });
    let mut w = fake_workdir(
        tf,
        &fake,
        &format!(
            "variable \"secret\" {{\n  type      = string\n  sensitive = true\n  ephemeral = true\n}}\n\nresource \"writer_confluence_oauth_app\" \"eng\" {{\n  name = \"{NAME}\"\n  client_id = \"{CLIENT_ID}\"\n  client_secret_wo = var.secret\n  client_secret_wo_version = 1\n  scopes = {}\n}}\n",
            required_scopes()
        ),
    );
    w.set_env("TF_VAR_secret", SECRET);
    let run = apply(&w);
    let all = run.all();
    assert_ne!(run.status, 0, "{all}");
    assert!(
        all.contains("client_secret_updated_at"),
        "names the field:\n{all}"
    );
    assert!(!all.contains(SECRET), "never shows the secret:\n{all}");
    let state = resources(&w);
    assert_eq!(state.len(), 1, "the app is in state: {state:?}");
    assert_eq!(state[0]["values"]["id"], json!("app-echo-1"));
    assert_eq!(state[0]["tainted"], json!(true), "{state:?}");
    for file in ["terraform.tfstate", "terraform.tfstate.backup"] {
        assert!(!w.read(file).contains(SECRET), "{file} holds no secret");
    }
}

fn an_update_with_no_etag_in_private_state_reads_first_and_sends_if_match(tf: Terraform) {
    const SECRET: &str = "fake-secret-for-tests-0001";
    // Creates answer without an ETag (so private state has none); reads and
    // updates carry one.
    let stored: Arc<Mutex<Option<Value>>> = Arc::new(Mutex::new(None));
    let held = stored.clone();
    let fake = FakeWriter::start(move |request: &Request, _| {
        let mut stored = held.lock().unwrap();
        match request.method.as_str() {
            "POST" => {
                let sent: Value = serde_json::from_slice(&request.body).unwrap();
                let made = app(
                    "app-etag-1",
                    sent["name"].as_str().unwrap(),
                    "…0001",
                    "2026-12-01T00:00:00Z",
                );
                *stored = Some(made.clone());
                Reply::json(201, made)
            }
            "PATCH" => {
                let sent: Value = serde_json::from_slice(&request.body).unwrap();
                let app = stored.as_mut().expect("an app");
                app["name"] = sent["name"].clone();
                app["updated_at"] = json!("2026-12-02T00:00:00Z");
                Reply::json(200, app.clone()).header("etag", "\"etag-8\"")
            }
            _ => match stored.as_ref() {
                Some(app) => Reply::json(200, app.clone()).header("etag", "\"etag-7\""),
                None => Reply::writer_error(404, "no such app"),
            },
        }
    });
    let resource = |name: &str| {
        format!(
            "resource \"writer_confluence_oauth_app\" \"eng\" {{\n  name = \"{name}\"\n  client_id = \"{CLIENT_ID}\"\n  client_secret = \"{SECRET}\"\n  scopes = {}\n}}\n",
            required_scopes()
        )
    };
    let w = fake_workdir(tf, &fake, &resource(NAME));
    apply(&w).ok();
    w.write(
        &(header("  max_retries = 1\n  request_timeout = \"5s\"")
            + &resource("Engineering renamed")),
    );
    // No refresh: the update starts from the state the create left.
    w.terraform(&[
        "apply",
        "-refresh=false",
        "-input=false",
        "-no-color",
        "-auto-approve",
    ])
    .ok();
    let patches: Vec<Request> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 1, "{patches:?}");
    assert_eq!(
        patches[0].header("if-match"),
        Some("\"etag-7\""),
        "the update carries the ETag of the app as read just before"
    );
    assert_eq!(
        stored.lock().unwrap().as_ref().unwrap()["name"],
        json!("Engineering renamed")
    );
}
