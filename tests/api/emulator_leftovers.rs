//! What a test's emulator leaves in the temporary folder: nothing. One that
//! takes no upload makes no uploads folder (so even a killed one leaves
//! none), and a dropped one ends by SIGTERM and removes the folder its
//! uploads made. `cargo test` once left ~90 empty
//! `writer-emulator-files-*` folders a run.

use std::path::Path;
use std::process::Command;

use crate::support::emulator::{block_on, client, EmulatorProcess};
use crate::support::ADMIN;

/// The emulator's temporary folders under `tmp`.
fn leftovers(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("writer-emulator-files-"))
        .collect()
}

/// The binary with its temporary folder in `tmp`.
fn started_in(tmp: &Path) -> EmulatorProcess {
    let mut command = EmulatorProcess::command();
    command.args(["--api-key", ADMIN]).env("TMPDIR", tmp);
    EmulatorProcess::from_command(command)
}

#[test]
fn a_killed_emulator_that_took_no_upload_leaves_no_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let emu = started_in(tmp.path());
    let (status, body) = emu.call("GET", "/v1/files", None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new(), "made at start");
    let killed = Command::new("kill")
        .args(["-KILL", &emu.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    drop(emu);
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_dropped_emulator_removes_the_folder_its_uploads_made() {
    let tmp = tempfile::tempdir().unwrap();
    let emu = started_in(tmp.path());
    let status = block_on(async {
        client()
            .post(format!("{}/v1/files", emu.base_url))
            .bearer_auth(ADMIN)
            .header("Content-Disposition", "attachment; filename=\"notes.txt\"")
            .header("Content-Type", "text/plain")
            .body("some notes")
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);
    // The folder is where this test looks: else the check below proves nothing.
    assert_eq!(leftovers(tmp.path()).len(), 1, "the upload's folder");
    drop(emu);
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}
