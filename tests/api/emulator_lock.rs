//! Two real `writer-emulator` processes on one `--state-file`: the second
//! refuses to start, naming the process that holds the file's lock and what
//! to do, and touches nothing (neither the apps nor a temporary file the
//! first may be writing). The lock goes with its process, however it ends.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;

use crate::support::emulator::{emulator_binary, EmulatorProcess};
use crate::support::ADMIN;

fn args(state: &Path) -> Vec<String> {
    vec![
        "--api-key".into(),
        ADMIN.into(),
        "--state-file".into(),
        state.display().to_string(),
    ]
}

/// An emulator on `state` that must refuse to start, run to its end
/// (bounded: a process that started serving is killed after a few seconds,
/// failing the test).
fn second_emulator(state: &Path) -> Output {
    let mut child = Command::new(emulator_binary())
        .args(["--listen", "127.0.0.1:0"])
        .args(args(state))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("writer-emulator runs");
    for _ in 0..100 {
        if child.try_wait().expect("status").is_some() {
            return child.wait_with_output().expect("output");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let out = child.wait_with_output().expect("output");
    panic!(
        "the emulator started instead of refusing: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_second_emulator_on_the_same_state_file_refuses_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("apps.json");
    let first = EmulatorProcess::start_with_args(
        &args(&state).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let kept = first.app_made_by_hand(json!({"name": "Kept by the first"}));
    let saved = std::fs::read(&state).expect("the first saved its apps");
    // What the first emulator's next save would be writing at this moment.
    let in_flight = dir.path().join(".apps.json.a1b2c3.tmp");
    std::fs::write(&in_flight, "{\"half\":").unwrap();

    let out = second_emulator(&state);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "it never announced itself: {out:?}");
    let lock_file = dir.path().join("apps.json.lock");
    for says in [
        format!("state file {} is in use", state.display()),
        format!(
            "process {} holds its lock file {}",
            first.pid(),
            lock_file.display()
        ),
        "would overwrite each other's apps".to_string(),
        "Stop that emulator, or give this one another --state-file".to_string(),
    ] {
        assert!(stderr.contains(&says), "wanted {says:?} in: {stderr}");
    }
    assert!(
        in_flight.exists(),
        "the first emulator's temporary file is still there"
    );
    assert_eq!(
        std::fs::read(&state).unwrap(),
        saved,
        "the apps are untouched"
    );

    // The first goes on as before: its apps, and its saves.
    assert_eq!(first.get_app(&kept)["name"], "Kept by the first");
    let later = first.app_made_by_hand(json!({"name": "Made after the refusal"}));
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    let ids: Vec<&str> = file["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [kept.as_str(), later.as_str()]);
}

/// The lock is the operating system's: it is let go when its process ends,
/// by SIGTERM or by `kill -9`, and the next emulator starts on the file with
/// its apps (removing the leftovers of the one that was killed).
#[test]
fn the_lock_goes_with_its_process_however_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("apps.json");
    let argv = args(&state);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();

    let first = EmulatorProcess::start_with_args(&argv);
    let id = first.app_made_by_hand(json!({"name": "Survives its emulator"}));
    assert!(first.terminate().success());

    let second = EmulatorProcess::start_with_args(&argv);
    assert_eq!(second.get_app(&id)["name"], "Survives its emulator");
    let killed = Command::new("kill")
        .args(["-KILL", &second.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // What a save interrupted by the kill leaves behind.
    std::fs::write(dir.path().join(".apps.json.d4e5f6.tmp"), "{\"half\":").unwrap();
    drop(second); // reaped

    let third = EmulatorProcess::start_with_args(&argv);
    assert_eq!(third.get_app(&id)["name"], "Survives its emulator");
    assert_eq!(
        names(dir.path()),
        ["apps.json", "apps.json.lock"],
        "the killed emulator's temporary file was removed by the lock's new holder"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("apps.json.lock")).unwrap(),
        format!("{}\n", third.pid())
    );
}

/// The lock file is made beside the state file at start, so a state file
/// whose folder does not exist is refused then, saying so.
#[test]
fn a_state_file_in_a_missing_folder_is_refused_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("not-made");
    let state = folder.join("apps.json");
    let out = second_emulator(&state);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let says = format!(
        "cannot use state file {}: its folder {} does not exist; create it, or give another \
         --state-file",
        state.display(),
        folder.display()
    );
    assert!(stderr.contains(&says), "wanted {says:?} in: {stderr}");
    assert!(!folder.exists());
}
