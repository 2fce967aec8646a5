//! The `writer-emulator` binary as a user runs it: its flags, its first
//! line, refusing to start without a key or with a corrupt state file, and
//! a state file that survives a SIGTERM and a restart.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::emulator::*;
use crate::support::ADMIN;
use serde_json::Value;

fn run_to_end(args: &[&str]) -> Output {
    Command::new(emulator_binary()).args(args).output().unwrap()
}

#[test]
fn refuses_to_start_without_a_key() {
    let out = run_to_end(&["--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no API key"), "{stderr}");
    assert!(stderr.contains("--api-key"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing announced");
}

#[test]
fn bad_flags_are_explained() {
    for (args, expect) in [
        (
            vec!["--api-key", "k", "--lisen", "127.0.0.1:0"],
            "unknown flag --lisen; did you mean --listen?",
        ),
        (vec!["--api-key"], "--api-key needs a value"),
        (
            vec!["--api-key", "k", "--fail-rate", "2"],
            "--fail-rate: expected a fraction",
        ),
        (
            vec!["--api-key", "k", "--rate-limit", "0"],
            "--rate-limit: expected a whole number",
        ),
        (
            vec!["--api-key", "k", "--listen", "not-an-address"],
            "--listen: expected IP:PORT",
        ),
        (
            vec!["--api-key", "k", "--listen", "0.0.0.0:0"],
            "add --allow-remote",
        ),
    ] {
        let out = run_to_end(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing announced");
    }
}

/// The misuses of the issue, through the real process: a mistyped flag with
/// `=KEY`, and a flag that would swallow the next one.
#[test]
fn cli_errors_never_echo_a_key() {
    for args in [
        vec!["--api-kye=".to_owned() + ADMIN],
        vec!["--read-only-key".into(), "--api-key".into(), ADMIN.into()],
        vec!["--api-key".into(), "k".into(), ADMIN.into()],
    ] {
        let out = Command::new(emulator_binary())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.is_empty(), "{args:?}");
        assert!(!stderr.contains(ADMIN), "{args:?}: {stderr}");
    }
}

#[tokio::test]
async fn keys_from_a_file_and_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("admin.keys");
    std::fs::write(&key_file, format!("{ADMIN}\n")).unwrap();
    let from_env = "test-admin-key-not-real-from-env";
    let mut command = EmulatorProcess::command();
    command
        .arg("--read-only-key-file")
        .arg(&key_file)
        .env("WRITER_EMULATOR_API_KEY", from_env);
    let running = EmulatorProcess::from_command(command);
    let http = client();
    let post = |key: &str| {
        http.post(format!("{}/v1/oauth-apps", running.base_url))
            .bearer_auth(key)
            .json(&app_body("From env"))
            .send()
    };
    assert_eq!(
        post(ADMIN).await.unwrap().status(),
        403,
        "file key is read-only"
    );
    assert_eq!(
        post(from_env).await.unwrap().status(),
        201,
        "env key is admin"
    );
    assert!(running.terminate().success());
}

#[test]
fn help_lists_every_flag() {
    let out = run_to_end(&["--help"]);
    assert!(out.status.success());
    let usage = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--listen",
        "--api-key",
        "--read-only-key",
        "--state-file",
        "--latency-ms",
        "--fail-rate",
        "--drop-rate",
        "--rate-limit",
        "--help",
        "--api-key-file",
        "--read-only-key-file",
        "--allow-remote",
        "WRITER_EMULATOR_API_KEY",
        "WRITER_EMULATOR_READ_ONLY_KEY",
    ] {
        assert!(usage.contains(flag), "{flag}");
    }
}

async fn get_app(base: &str, id: &str) -> (String, Value) {
    let response = client()
        .get(format!("{base}/v1/oauth-apps/{id}"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let etag = header(&response, "etag").unwrap().to_owned();
    (etag, response.json().await.unwrap())
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("apps.json");
    let state_arg = state.to_str().unwrap();
    let args = ["--api-key", ADMIN, "--state-file", state_arg];

    let first = EmulatorProcess::start_with_args(&args);
    let http = client();
    let app = create_at(&http, &first.base_url, "Survivor").await;
    let id = app["id"].as_str().unwrap().to_owned();
    let renamed = http
        .patch(format!("{}/v1/oauth-apps/{id}", first.base_url))
        .bearer_auth(ADMIN)
        .json(&serde_json::json!({"name": "Survivor 2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    let (etag, before) = get_app(&first.base_url, &id).await;
    assert!(first.terminate().success(), "graceful exit on SIGTERM");
    assert_eq!(mode(&state), 0o600);

    let second = EmulatorProcess::start_with_args(&args);
    let (etag_after, after) = get_app(&second.base_url, &id).await;
    assert_eq!(after, before);
    assert_eq!(etag_after, etag);
    // Entity tags keep counting from where they were: no tag is ever reused.
    let updated = http
        .patch(format!("{}/v1/oauth-apps/{id}", second.base_url))
        .bearer_auth(ADMIN)
        .header("If-Match", &etag)
        .json(&serde_json::json!({"client_id": "rotated-id"}))
        .send()
        .await
        .unwrap();
    assert_eq!(updated.status(), 200);
    assert_ne!(header(&updated, "etag"), Some(etag.as_str()));
    assert!(second.terminate().success());
}

#[test]
fn a_corrupt_state_file_stops_startup_and_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("apps.json");
    std::fs::write(&state, "{ not json").unwrap();
    let out = run_to_end(&[
        "--api-key",
        "k",
        "--listen",
        "127.0.0.1:0",
        "--state-file",
        state.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "it never announced itself");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(state.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("not valid JSON"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "{ not json");
}
