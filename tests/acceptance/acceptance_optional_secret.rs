//! A secret is optional for an app that exists, end to end (real `terraform`,
//! the real provider binary, the emulator on loopback): an imported app is
//! managed with no secret and Writer's is left alone; creating without one,
//! or a new version without one, fails at plan; an unchanged version with an
//! unset ephemeral secret plans cleanly, which is what lets a CI drift job
//! run with a read-only Writer key and no Atlassian secret. Every scenario
//! runs on the `terraform` on PATH (1.11) and on Terraform 1.15.

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, Terraform, Workdir};
use crate::support::{READ_ONLY as READ_ONLY_KEY, SECRET};
use serde_json::json;

const REQUIRED: &str = r#"["search:confluence", "read:space:confluence", "read:page:confluence"]"#;

/// An ephemeral secret that may be left unset: a CI drift job sets none.
const OPTIONAL_SECRET: &str = "variable \"atlassian_client_secret\" {\n  type      = string\n  sensitive = true\n  ephemeral = true\n  default   = null\n}\n\n";

fn app(name: &str, secret: &str) -> String {
    format!(
        "{}resource \"writer_confluence_oauth_app\" \"eng\" {{\n  name = \"{name}\"\n  client_id = \"fake-client-id-0001\"\n{secret}\n  scopes = {REQUIRED}\n}}\n\noutput \"id\" {{\n  value = writer_confluence_oauth_app.eng.id\n}}\n",
        header("")
    )
}

fn wo_var(version: u32) -> String {
    format!(
        "  client_secret_wo = var.atlassian_client_secret\n  client_secret_wo_version = {version}"
    )
}

/// An apply given the secret on its command line; every other command runs
/// without it, so the ephemeral variable is null there.
fn apply_with_secret(w: &Workdir) {
    let var = format!("atlassian_client_secret={SECRET}");
    w.terraform(&[
        "apply",
        "-input=false",
        "-no-color",
        "-auto-approve",
        "-var",
        &var,
    ])
    .ok();
}

/// `terraform plan -json`: its exit code and its diagnostics.
fn plan_json(w: &Workdir) -> (i32, Vec<serde_json::Value>, String) {
    let run = w.terraform(&["plan", "-input=false", "-no-color", "-json"]);
    (run.status, run.diagnostics(), run.all())
}

fn find<'a>(diags: &'a [serde_json::Value], summary: &str) -> &'a serde_json::Value {
    diags
        .iter()
        .find(|d| d["summary"] == summary)
        .unwrap_or_else(|| panic!("no diagnostic {summary:?} in {diags:#?}"))
}

fn an_imported_app_is_managed_without_a_secret_and_writers_is_left_alone(t: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let id = emu.app_made_by_hand(json!({"name": "Made by hand"}));
    let set_at = emu.get_app(&id)["client_secret_updated_at"].clone();

    let import =
        format!("\nimport {{\n  to = writer_confluence_oauth_app.eng\n  id = \"{id}\"\n}}\n");
    let w = Workdir::on_emulator(t, &emu, &(app("Made by hand", "") + &import), &[]);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "{plan}");
    assert!(
        plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"),
        "an import and nothing else:\n{plan}"
    );
    w.apply();
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "no secret, no changes:\n{plan}");

    // Managed without the secret: a rename is sent, the secret is not.
    w.write(&(app("Renamed by Terraform", "") + &import));
    w.apply();
    let renamed = emu.get_app(&id);
    assert_eq!(renamed["name"], "Renamed by Terraform");
    assert_eq!(
        renamed["client_secret_updated_at"], set_at,
        "secret untouched"
    );
    assert_eq!(renamed["client_secret_hint"], "…0001");

    // No secret managed: a secret set in Writer is not drift.
    let (status, _) = emu.call(
        "PATCH",
        &format!("/v1/oauth-apps/{id}"),
        Some(json!({"client_secret": "fake-secret-typed-by-hand"})),
    );
    assert_eq!(status, 200);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "nothing to restore:\n{plan}");
    assert_eq!(
        w.state_attribute("writer_confluence_oauth_app.eng", "client_secret_hint"),
        json!("…0001"),
        "a plan does not write state"
    );
    w.refresh();
    assert_eq!(
        w.state_attribute("writer_confluence_oauth_app.eng", "client_secret_hint"),
        json!("…hand"),
        "the hint follows Writer's secret"
    );
    assert_eq!(w.plan_exit_code().0, 0);
}

fn creating_without_a_secret_fails_at_plan_with_the_fix(t: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let w = Workdir::on_emulator(t, &emu, &app("No secret", ""), &[]);
    // Validation alone cannot know whether the app exists: it passes.
    w.terraform(&["validate", "-no-color"]).ok();
    let (code, diags, all) = plan_json(&w);
    assert_eq!(code, 1, "{all}");
    let d = find(&diags, "Creating an OAuth app needs a client secret");
    assert_eq!(d["severity"], "error");
    let detail = d["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("client_secret_wo_version = 1"), "{detail}");
    assert!(detail.contains("import it instead"), "{detail}");
    assert!(emu.all_apps().is_empty(), "nothing was created");
}

fn a_new_version_needs_the_secret_an_unchanged_one_does_not(t: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let w = Workdir::on_emulator(
        t,
        &emu,
        &(OPTIONAL_SECRET.to_string() + &app("Versions", &wo_var(1))),
        &[],
    );
    apply_with_secret(&w);
    let id = w.output("id");
    let set_at = emu.get_app(&id)["client_secret_updated_at"].clone();

    // The ephemeral secret left unset, version unchanged: a clean plan.
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "unchanged version, null secret:\n{plan}");

    // A new version without the secret: an error at the version, with the fix.
    w.write(&(OPTIONAL_SECRET.to_string() + &app("Versions", &wo_var(2))));
    let (code, diags, all) = plan_json(&w);
    assert_eq!(code, 1, "{all}");
    let d = find(&diags, "client_secret_wo_version without client_secret_wo");
    assert_eq!(d["severity"], "error");
    assert!(
        d["snippet"]["code"]
            .as_str()
            .unwrap_or_default()
            .contains("client_secret_wo_version"),
        "{d}"
    );
    assert!(
        d["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("Set `client_secret_wo`"),
        "{d}"
    );
    assert_eq!(
        emu.get_app(&id)["client_secret_updated_at"],
        set_at,
        "nothing was sent"
    );
}

fn a_drift_job_with_a_read_only_key_and_no_secret(t: Terraform) {
    let emu = EmulatorProcess::start(&["--read-only-key", READ_ONLY_KEY]);
    let main_tf = OPTIONAL_SECRET.to_string() + &app("Drift job", &wo_var(1));
    let mut w = Workdir::on_emulator(t, &emu, &main_tf, &[]);
    apply_with_secret(&w);
    let id = w.output("id");
    let path = format!("/v1/oauth-apps/{id}");

    // The CI job: a read-only key, no Atlassian secret.
    w.set_env("WRITER_API_KEY", READ_ONLY_KEY);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "clean:\n{plan}");

    let (status, _) = emu.call("PATCH", &path, Some(json!({"name": "Renamed in Writer"})));
    assert_eq!(status, 200);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "a rename in Writer is drift:\n{plan}");
    assert!(
        plan.contains("\"Renamed in Writer\" -> \"Drift job\""),
        "{plan}"
    );

    // The secret set in Writer: drift too, with a warning that applying
    // needs the secret; an apply without it changes nothing.
    let (status, _) = emu.call("PATCH", &path, Some(json!({"name": "Drift job"})));
    assert_eq!(status, 200);
    let (status, _) = emu.call(
        "PATCH",
        &path,
        Some(json!({"client_secret": "fake-secret-typed-by-hand"})),
    );
    assert_eq!(status, 200);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "secret drift:\n{plan}");
    assert!(plan.contains("+ client_secret_wo_version = 1"), "{plan}");
    assert!(
        plan.contains("The client secret was set in Writer outside Terraform"),
        "{plan}"
    );
    w.use_emulator(&emu); // the admin key, still no secret
    let run = w.terraform(&["apply", "-input=false", "-no-color", "-auto-approve"]);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(
        run.all()
            .contains("Sending the client secret needs client_secret_wo"),
        "{}",
        run.all()
    );
    assert_eq!(emu.get_app(&id)["client_secret_hint"], "…hand");

    // With the secret, the apply restores it and plans are clean again.
    apply_with_secret(&w);
    assert_eq!(emu.get_app(&id)["client_secret_hint"], "…0001");
    w.set_env("WRITER_API_KEY", READ_ONLY_KEY);
    assert_eq!(w.plan_exit_code().0, 0);
}

on_every_terraform!(
    an_imported_app_is_managed_without_a_secret_and_writers_is_left_alone,
    creating_without_a_secret_fails_at_plan_with_the_fix,
    a_new_version_needs_the_secret_an_unchanged_one_does_not,
    a_drift_job_with_a_read_only_key_and_no_secret,
);
