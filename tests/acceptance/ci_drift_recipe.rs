//! The CI drift recipe run as CI runs it: `examples/ci/drift-check.sh` (the
//! one script the GitHub and GitLab files call) in a copy of the quickstart
//! configuration, against the emulator, with a read-only Writer key and no
//! Atlassian secret. It exits 0 when Writer matches, 2 with a summary of what
//! differs after a change made in Writer, and 1 when Writer is unreachable.
//! Also what the docs' key-role table says: a read-only key can import and
//! plan but neither apply nor destroy.

use std::path::PathBuf;

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{Run, Workdir};
use crate::support::{ADMIN, READ_ONLY};

const CLIENT_SECRET: &str = "fake-secret-not-real-0001";
const APP: &str = "writer_confluence_oauth_app.engineering";

fn repository_file(path: &str) -> PathBuf {
    crate::support::root().join(path)
}

fn quickstart() -> String {
    std::fs::read_to_string(repository_file("examples/quickstart/main.tf")).expect("the quickstart")
}

/// A copy of the quickstart whose app an admin created in the emulator, now
/// set up as the drift job runs: the read-only key and no secret.
fn applied_then_read_only(emulator: &EmulatorProcess) -> Workdir {
    let mut w = Workdir::new(&quickstart());
    w.use_emulator(emulator);
    w.set_env("TF_VAR_atlassian_client_id", "fake-client-id-0001");
    w.set_env("TF_VAR_atlassian_client_secret", CLIENT_SECRET);
    w.apply();
    w.set_env("WRITER_API_KEY", READ_ONLY);
    w.unset_env("TF_VAR_atlassian_client_secret");
    w
}

fn drift_check(w: &Workdir) -> Run {
    let run = w.run_script(&repository_file("examples/ci/drift-check.sh"));
    for secret in [READ_ONLY, ADMIN, CLIENT_SECRET] {
        assert!(
            !run.all().contains(secret),
            "a secret in the output:\n{}",
            run.all()
        );
    }
    assert!(
        !w.path().join("drift.tfplan").exists(),
        "the plan file holds the state's values: it must not be left behind"
    );
    run
}

#[test]
fn the_recipe_exits_0_clean_2_on_drift_and_1_without_writer_with_a_read_only_key_and_no_secret() {
    let emulator = EmulatorProcess::start(&["--read-only-key", READ_ONLY]);
    let mut w = applied_then_read_only(&emulator);
    let id = w.state_attribute(APP, "id");
    let id = id.as_str().expect("an id");

    let clean = drift_check(&w);
    assert_eq!(clean.status, 0, "no drift:\n{}", clean.all());
    assert!(
        clean.stdout.contains("drift-check: no drift"),
        "{}",
        clean.stdout
    );
    assert!(!w.path().join("drift-summary.md").exists());

    let (status, body) = emulator.call(
        "PATCH",
        &format!("/v1/oauth-apps/{id}"),
        Some(serde_json::json!({"name": "Renamed by hand"})),
    );
    assert_eq!(status, 200, "{body}");
    let drift = drift_check(&w);
    assert_eq!(drift.status, 2, "drift:\n{}", drift.all());
    let summary = w.read("drift-summary.md");
    for says in [
        "## Drift: 1 resource(s) in Writer differ from the configuration",
        "- `writer_confluence_oauth_app.engineering`: apply would update it",
        "  - `name`: Writer has \"Renamed by hand\", the configuration says \"Engineering Confluence\"",
    ] {
        assert!(summary.contains(says), "{says:?} not in the summary:\n{summary}");
    }
    assert_eq!(
        summary.lines().filter(|l| l.starts_with("  - ")).count(),
        1,
        "only the name differs:\n{summary}"
    );
    assert!(drift.stdout.contains(&summary), "the summary is printed");

    // The read-only key cannot restore it: applying needs an admin's.
    let apply = w.terraform(&["apply", "-input=false", "-no-color", "-auto-approve"]);
    assert_ne!(apply.status, 0, "{}", apply.all());
    assert_eq!(emulator.get_app(id)["name"], "Renamed by hand");
    let destroy = w.terraform(&["destroy", "-input=false", "-no-color", "-auto-approve"]);
    assert_ne!(destroy.status, 0, "{}", destroy.all());
    assert_eq!(emulator.get_app(id)["name"], "Renamed by hand");

    w.set_env("WRITER_BASE_URL", &unreachable_url());
    let error = drift_check(&w);
    assert_eq!(error.status, 1, "no verdict:\n{}", error.all());
    assert!(
        error.stderr.contains("no verdict on drift"),
        "{}",
        error.stderr
    );
    assert!(!w.path().join("drift-summary.md").exists());
}

#[test]
fn a_secret_set_in_writer_is_drift_even_without_the_secret() {
    let emulator = EmulatorProcess::start(&["--read-only-key", READ_ONLY]);
    let w = applied_then_read_only(&emulator);
    let id = w.state_attribute(APP, "id");
    let (status, body) = emulator.call(
        "PATCH",
        &format!("/v1/oauth-apps/{}", id.as_str().expect("an id")),
        Some(serde_json::json!({"client_secret": "fake-secret-set-by-hand-0002"})),
    );
    assert_eq!(status, 200, "{body}");
    let drift = drift_check(&w);
    assert_eq!(drift.status, 2, "drift:\n{}", drift.all());
    assert!(
        w.read("drift-summary.md")
            .contains("`client_secret_wo_version`"),
        "{}",
        drift.stdout
    );
}

#[test]
fn a_read_only_key_can_import() {
    let emulator = EmulatorProcess::start(&["--read-only-key", READ_ONLY]);
    let _made = applied_then_read_only(&emulator);
    let mut w = Workdir::new(&quickstart());
    w.use_emulator(&emulator);
    w.set_env("WRITER_API_KEY", READ_ONLY);
    w.set_env("TF_VAR_atlassian_client_id", "fake-client-id-0001");
    w.terraform(&[
        "import",
        "-input=false",
        "-no-color",
        APP,
        "name=Engineering Confluence",
    ])
    .ok();
    assert_eq!(w.state_attribute(APP, "name"), "Engineering Confluence");
}

/// A loopback address nothing listens on: a port just freed.
fn unreachable_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
