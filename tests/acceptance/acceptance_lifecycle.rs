//! The resource end to end, with the real `terraform`, the real provider
//! installed from a filesystem mirror, and the real `writer-emulator` on
//! loopback: create, empty re-plan, update, secrets (write-only and stored),
//! drift made through the API, import, the data source, logs, and many
//! resources under injected faults. Every scenario runs on the `terraform`
//! on PATH (1.11) and on Terraform 1.15: what works on one works on both.
//! `whole_lifecycle_over_tcp` runs the lifecycle scenarios again with the
//! provider serving Terraform on TCP (`PLUGIN_TRANSPORT=tcp`), the transport
//! go-plugin uses on Windows, and checks from Terraform's own log that it did.

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, required_scopes, Terraform, Workdir};
use crate::support::{secret, ADMIN, SECRET};
use serde_json::json;

fn app(name: &str, scopes: &str, secret: &str) -> String {
    format!(
        "resource \"writer_confluence_oauth_app\" \"eng\" {{\n  name = \"{name}\"\n  client_id = \"fake-client-id-0001\"\n{secret}\n  scopes = {scopes}\n}}\n\noutput \"id\" {{\n  value = writer_confluence_oauth_app.eng.id\n}}\n"
    )
}

fn wo(secret: &str, version: u32) -> String {
    format!("  client_secret_wo = \"{secret}\"\n  client_secret_wo_version = {version}")
}

fn stored(secret: &str) -> String {
    format!("  client_secret = \"{secret}\"")
}

fn config(body: &str) -> String {
    header("") + body
}

std::thread_local! {
    /// Set by `whole_lifecycle_over_tcp` for the scenarios it runs on its
    /// own test thread: their providers serve Terraform on TCP.
    static OVER_TCP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The provider's transport: TCP when `whole_lifecycle_over_tcp` runs the
/// scenario, else the default (a unix socket).
fn transport() -> Vec<(&'static str, &'static str)> {
    if OVER_TCP.get() {
        vec![("PLUGIN_TRANSPORT", "tcp")]
    } else {
        Vec::new()
    }
}

fn create_replan_update_replan(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let w = Workdir::on_emulator(
        tf,
        &emu,
        &config(&app("Engineering", &required_scopes(), &wo(SECRET, 1))),
        &transport(),
    );
    w.apply();
    let id = w.output("id");
    let created = emu.get_app(&id);
    assert_eq!(created["name"], "Engineering");
    assert_eq!(created["client_secret_hint"], "…0001");

    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "re-plan after create must be empty:\n{plan}");

    let more = r#"["search:confluence", "read:space:confluence", "read:page:confluence", "read:blogpost:confluence"]"#;
    w.write(&config(&app("Engineering Wiki", more, &wo(SECRET, 1))));
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2);
    assert!(
        plan.contains("~ name") && plan.contains("Engineering Wiki"),
        "{plan}"
    );
    assert!(plan.contains("read:blogpost:confluence"), "{plan}");
    assert!(plan.contains("1 to change"), "{plan}");
    assert!(
        !plan.contains("~ id ") && !plan.contains("~ created_at"),
        "id stays known:\n{plan}"
    );
    w.apply();
    let updated = emu.get_app(&id);
    assert_eq!(updated["name"], "Engineering Wiki");
    assert_eq!(updated["scopes"].as_array().map(|a| a.len()), Some(4));
    assert_eq!(w.output("id"), id, "updated in place, same ID");
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "re-plan after update must be empty:\n{plan}");

    w.terraform(&["destroy", "-input=false", "-no-color", "-auto-approve"])
        .ok();
    let (status, _) = emu.call("GET", &format!("/v1/oauth-apps/{id}"), None);
    assert_eq!(status, 404, "destroy deletes the app");
}

/// The secret as it should reach a write-only attribute: an ephemeral
/// variable (Terraform keeps those out of plan files and state), set from the
/// environment.
const EPHEMERAL_SECRET: &str = "variable \"atlassian_client_secret\" {\n  type      = string\n  sensitive = true\n  ephemeral = true\n}\n\n";

fn wo_var(version: u32) -> String {
    format!(
        "  client_secret_wo = var.atlassian_client_secret\n  client_secret_wo_version = {version}"
    )
}

fn write_only_secret_never_stored_rotates_on_version_and_is_not_resent(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let body = |name: &str, version: u32| {
        EPHEMERAL_SECRET.to_string() + &app(name, &required_scopes(), &wo_var(version))
    };
    let mut w = Workdir::on_emulator(tf, &emu, &config(&body("Secrets", 1)), &transport());
    w.set_env("TF_VAR_atlassian_client_secret", SECRET);
    w.apply();
    let id = w.output("id");
    let state = w.read("terraform.tfstate");
    assert!(
        !state.contains(SECRET),
        "the write-only secret must not be in the state"
    );
    assert!(
        state.contains("client_secret_wo"),
        "the attribute is there, as null"
    );
    assert_eq!(
        emu.get_app(&id)["client_secret_hint"],
        "…0001",
        "yet Writer got it"
    );

    let planned = w
        .terraform(&["plan", "-input=false", "-no-color", "-out=plan.tfplan"])
        .ok();
    assert!(!planned.all().contains(SECRET));
    let shown = w.terraform(&["show", "-json", "plan.tfplan"]).ok();
    assert!(
        shown.stdout.contains("client_secret_wo"),
        "the plan JSON was read"
    );
    assert!(
        !shown.stdout.contains(SECRET),
        "plan JSON must not hold the secret"
    );
    let first_set = emu.get_app(&id)["client_secret_updated_at"].clone();

    // An unrelated update does not send the secret again.
    w.write(&config(&body("Secrets renamed", 1)));
    w.apply();
    let after_rename = emu.get_app(&id);
    assert_eq!(after_rename["name"], "Secrets renamed");
    assert_eq!(
        after_rename["client_secret_updated_at"], first_set,
        "secret not re-sent"
    );

    // A new version sends the new secret.
    w.set_env("TF_VAR_atlassian_client_secret", &secret(2));
    w.write(&config(&body("Secrets renamed", 2)));
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2);
    assert!(
        plan.contains("client_secret_wo_version") && plan.contains("1 -> 2"),
        "{plan}"
    );
    w.apply();
    let rotated = emu.get_app(&id);
    assert_ne!(
        rotated["client_secret_updated_at"], first_set,
        "secret rotated"
    );
    assert_eq!(rotated["client_secret_hint"], "…0002");
    assert!(!w.read("terraform.tfstate").contains(&secret(2)));
    assert_eq!(w.plan_exit_code().0, 0);
}

fn changes_made_outside_terraform_are_detected_and_restored(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let w = Workdir::on_emulator(
        tf,
        &emu,
        &config(&app("Drift", &required_scopes(), &wo(SECRET, 1))),
        &transport(),
    );
    w.apply();
    let id = w.output("id");
    let path = format!("/v1/oauth-apps/{id}");

    // Renamed in the UI.
    let (status, _) = emu.call("PATCH", &path, Some(json!({"name": "Renamed by hand"})));
    assert_eq!(status, 200);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("\"Renamed by hand\" -> \"Drift\""), "{plan}");
    w.apply();
    assert_eq!(emu.get_app(&id)["name"], "Drift");

    // A scope removed in the UI.
    let (status, _) = emu.call(
        "PATCH",
        &path,
        Some(json!({"scopes": ["search:confluence", "read:space:confluence", "read:page:confluence", "write:page:confluence"]})),
    );
    assert_eq!(status, 200);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2);
    assert!(plan.contains("- \"write:page:confluence\""), "{plan}");
    w.apply();
    assert_eq!(
        emu.get_app(&id)["scopes"].as_array().map(|a| a.len()),
        Some(3)
    );

    // The secret set by hand: the plan re-sends the configured one.
    let before = emu.get_app(&id)["client_secret_updated_at"].clone();
    let (status, _) = emu.call(
        "PATCH",
        &path,
        Some(json!({"client_secret": "fake-secret-typed-by-hand"})),
    );
    assert_eq!(status, 200);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("+ client_secret_wo_version = 1"), "{plan}");
    w.apply();
    let restored = emu.get_app(&id);
    assert_eq!(
        restored["client_secret_hint"], "…0001",
        "our secret is back"
    );
    assert_ne!(restored["client_secret_updated_at"], before);
    assert_eq!(w.plan_exit_code().0, 0);

    // Deleted in the UI: removed from state with a warning, created again.
    let (status, _) = emu.call("DELETE", &path, None);
    assert_eq!(status, 204);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2);
    assert!(plan.contains("will be created"), "{plan}");
    assert!(
        plan.contains("deleted outside Terraform"),
        "the warning says what happened:\n{plan}"
    );
    w.apply();
    let new_id = w.output("id");
    assert_ne!(new_id, id);
    assert_eq!(emu.get_app(&new_id)["name"], "Drift");
    assert_eq!(w.plan_exit_code().0, 0);
}

fn stored_secret_drift_is_restored_too(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let w = Workdir::on_emulator(
        tf,
        &emu,
        &config(&app("Stored", &required_scopes(), &stored(SECRET))),
        &transport(),
    );
    w.apply();
    let id = w.output("id");
    assert!(
        w.read("terraform.tfstate").contains(SECRET),
        "this form is kept in state, by design"
    );
    let (status, _) = emu.call(
        "PATCH",
        &format!("/v1/oauth-apps/{id}"),
        Some(json!({"client_secret": "fake-secret-typed-by-hand"})),
    );
    assert_eq!(status, 200);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2);
    assert!(
        plan.contains("client_secret") && plan.contains("(sensitive value)"),
        "{plan}"
    );
    assert!(!plan.contains(SECRET));
    w.apply();
    assert_eq!(emu.get_app(&id)["client_secret_hint"], "…0001");
    assert_eq!(w.plan_exit_code().0, 0);
}

fn import_by_id_and_by_name_then_plan_shows_only_the_secret(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let id = emu.app_made_by_hand(json!({"name": "Made by hand"}));

    // An import block by ID.
    let body = app("Made by hand", &required_scopes(), &wo(SECRET, 1))
        + &format!("\nimport {{\n  to = writer_confluence_oauth_app.eng\n  id = \"{id}\"\n}}\n");
    let w = Workdir::on_emulator(tf, &emu, &config(&body), &transport());
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2);
    assert!(
        plan.contains("1 to import, 0 to add, 1 to change, 0 to destroy"),
        "{plan}"
    );
    assert!(plan.contains("+ client_secret_wo_version = 1"), "{plan}");
    w.apply();
    assert_eq!(w.output("id"), id);
    assert_eq!(
        w.plan_exit_code().0,
        0,
        "after the first apply, plans are empty"
    );

    // `terraform import` by name.
    let id2 = emu.app_made_by_hand(json!({"name": "Second By Name"}));
    let w2 = Workdir::on_emulator(
        tf,
        &emu,
        &config(&app("Second By Name", &required_scopes(), &wo(SECRET, 1))),
        &transport(),
    );
    w2.terraform(&[
        "import",
        "-input=false",
        "-no-color",
        "writer_confluence_oauth_app.eng",
        "name=second by name",
    ])
    .ok();
    assert_eq!(
        w2.state_attribute("writer_confluence_oauth_app.eng", "id"),
        json!(id2)
    );
    let (code, plan) = w2.plan_exit_code();
    assert_eq!(code, 2);
    assert!(plan.contains("1 to change"), "{plan}");

    // Nothing by that name: a clear error.
    let w3 = Workdir::on_emulator(
        tf,
        &emu,
        &config(&app("Nope", &required_scopes(), &wo(SECRET, 1))),
        &transport(),
    );
    let run = w3.terraform(&[
        "import",
        "-input=false",
        "-no-color",
        "writer_confluence_oauth_app.eng",
        "name=Nope",
    ]);
    assert_ne!(run.status, 0);
    assert!(
        run.all().contains("No OAuth app with this name"),
        "{}",
        run.all()
    );
}

fn data_source_by_id_and_by_name_and_its_errors(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let id = emu.app_made_by_hand(json!({"name": "Looked Up"}));
    let body = format!(
        "data \"writer_confluence_oauth_app\" \"by_id\" {{\n  id = \"{id}\"\n}}\n\ndata \"writer_confluence_oauth_app\" \"by_name\" {{\n  name = \"looked up\"\n}}\n\noutput \"hint\" {{\n  value = data.writer_confluence_oauth_app.by_id.client_secret_hint\n}}\n\noutput \"same\" {{\n  value = data.writer_confluence_oauth_app.by_name.id == data.writer_confluence_oauth_app.by_id.id\n}}\n"
    );
    let w = Workdir::on_emulator(tf, &emu, &config(&body), &transport());
    w.apply();
    assert_eq!(w.output("hint"), "…0001");
    assert_eq!(w.output("same"), "true");

    w.write(&config(
        "data \"writer_confluence_oauth_app\" \"x\" {\n  name = \"No Such App\"\n}\n",
    ));
    let run = w.terraform(&["plan", "-input=false", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(
        run.all().contains("No OAuth app with this name"),
        "{}",
        run.all()
    );

    w.write(&config("data \"writer_confluence_oauth_app\" \"x\" {\n  id = \"00000000-0000-4000-8000-000000000000\"\n}\n"));
    let run = w.terraform(&["plan", "-input=false", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(
        run.all().contains("No OAuth app with this ID"),
        "{}",
        run.all()
    );

    w.write(&config(
        "data \"writer_confluence_oauth_app\" \"x\" {\n  id = \"a\"\n  name = \"b\"\n}\n",
    ));
    let run = w.terraform(&["validate", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(run.all().contains("Set either id or name"), "{}", run.all());
}

fn trace_logs_hold_neither_the_secret_nor_the_api_key(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let mut w = Workdir::on_emulator(
        tf,
        &emu,
        &config(&app("Logged", &required_scopes(), &wo(SECRET, 1))),
        &transport(),
    );
    w.set_env("TF_LOG", "trace");
    let run = w
        .terraform(&["apply", "-input=false", "-no-color", "-auto-approve"])
        .ok();
    let all = run.all();
    assert!(
        all.contains("provider.terraform-provider-writer"),
        "provider lines are in the log"
    );
    // The HTTP stack's own lines are bridged at TRACE: a new connection to
    // the emulator, and that connection going back to the pool.
    let provider_lines = || {
        all.lines()
            .filter(|l| l.contains("provider.terraform-provider-writer"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for transport in [
        "target=hyper_util::client::legacy::connect::http",
        "target=hyper_util::client::legacy::pool",
        "target=reqwest::connect",
    ] {
        assert!(
            all.contains(transport),
            "no {transport}:\n{}",
            provider_lines()
        );
    }
    assert!(
        !all.contains("target=h2") && !all.contains("target=hyper::"),
        "{}",
        provider_lines()
    );
    assert!(
        !all.contains(SECRET),
        "the secret leaked into the trace log"
    );
    assert!(
        !all.contains(ADMIN),
        "the API key leaked into the trace log"
    );
    // A data source read after the update: two calls in one provider process.
    let read_back = "data \"writer_confluence_oauth_app\" \"same\" {\n  id = writer_confluence_oauth_app.eng.id\n}\n";
    w.write(&config(
        &(app("Logged", &required_scopes(), &wo(&secret(2), 2)) + read_back),
    ));
    let run = w
        .terraform(&["apply", "-input=false", "-no-color", "-auto-approve"])
        .ok();
    assert!(!run.all().contains(&secret(2)));
    assert!(!run.all().contains(ADMIN));
    // The second call reuses the first one's connection.
    assert!(run.all().contains("reuse idle connection"), "{}", run.all());
}

fn fifty_apps_under_faults_converge_with_no_duplicate_and_no_loss(tf: Terraform) {
    let emu = EmulatorProcess::start(&[
        "--latency-ms",
        "20",
        "--fail-rate",
        "0.1",
        "--drop-rate",
        "0.05",
    ]);
    let body = format!(
        "resource \"writer_confluence_oauth_app\" \"many\" {{\n  count = 50\n  name = \"App ${{count.index}}\"\n  client_id = \"fake-client-id-${{count.index}}\"\n{}\n  scopes = {}\n}}\n",
        wo(SECRET, 1),
        required_scopes()
    );
    let w = Workdir::on_emulator(tf, &emu, &config(&body), &transport());
    w.apply();
    let apps = emu.all_apps();
    assert_eq!(apps.len(), 50, "exactly 50 apps, no duplicate and no loss");
    let mut names: Vec<&str> = apps.iter().filter_map(|a| a["name"].as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 50);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "re-plan is empty:\n{plan}");
}

/// The lifecycle, with the provider on TCP on 127.0.0.1 (as on Windows).
/// Terraform relays the provider's log: the provider says where it serves
/// (in TCP mode it has no socket at all), and Terraform got its schema there.
fn whole_lifecycle_over_tcp(tf: Terraform) {
    OVER_TCP.set(true);
    let emu = EmulatorProcess::start(&[]);
    let mut w = Workdir::on_emulator(
        tf,
        &emu,
        &config(&app("Engineering", &required_scopes(), &wo(SECRET, 1))),
        &transport(),
    );
    w.set_env("TF_LOG", "debug");
    let log = w.terraform(&["validate", "-no-color"]).ok().all();
    let serving: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("provider.terraform-provider-writer") && l.contains("plugin serving")
        })
        .collect();
    assert!(
        !serving.is_empty()
            && serving
                .iter()
                .all(|l| l.contains("network=tcp") && l.contains("address=127.0.0.1:")),
        "the provider served Terraform on TCP on loopback: {serving:#?}"
    );
    create_replan_update_replan(tf);
    write_only_secret_never_stored_rotates_on_version_and_is_not_resent(tf);
    changes_made_outside_terraform_are_detected_and_restored(tf);
    import_by_id_and_by_name_then_plan_shows_only_the_secret(tf);
    data_source_by_id_and_by_name_and_its_errors(tf);
}

#[test]
fn each_terraform_is_the_version_it_names() {
    assert_eq!(Terraform::V1_15.version(), "1.15.5");
    let on_path = Terraform::OnPath.version();
    let minor: Vec<u32> = on_path
        .split('.')
        .take(2)
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(minor >= vec![1, 11], "terraform on PATH is {on_path}");
}

on_every_terraform!(
    create_replan_update_replan,
    write_only_secret_never_stored_rotates_on_version_and_is_not_resent,
    changes_made_outside_terraform_are_detected_and_restored,
    stored_secret_drift_is_restored_too,
    import_by_id_and_by_name_then_plan_shows_only_the_secret,
    data_source_by_id_and_by_name_and_its_errors,
    trace_logs_hold_neither_the_secret_nor_the_api_key,
    fifty_apps_under_faults_converge_with_no_duplicate_and_no_loss,
    whole_lifecycle_over_tcp,
);
