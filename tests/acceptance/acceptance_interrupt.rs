//! Ctrl-C during `terraform apply`, as in a terminal: the signal reaches
//! Terraform and the provider alike (one process group). Terraform asks the
//! provider to stop and waits; a create that Writer is already carrying out
//! must finish and reach the state, or the app would exist in Writer with
//! no Terraform state, and the next apply would fail on its name. An update
//! or a delete interrupted the same way finishes too, and state and Writer
//! agree.
//!
//! The provider killed outright (SIGKILL) during an update or a delete
//! cannot finish anything: then the next plan shows exactly the difference
//! between state and Writer (nothing, or the one change still to make), and
//! the next apply or destroy converges; nothing is lost or made twice.

use std::io::{BufRead, BufReader};
use std::process::Command;
use std::time::Duration;

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, Workdir, STORED_SECRET_APP as CONFIG};

/// How a running Terraform command is interrupted.
#[derive(Clone, Copy, Debug)]
enum Interrupt {
    /// SIGINT to its process group: Ctrl-C in a terminal.
    CtrlC,
    /// SIGKILL to the provider process alone.
    KillProvider,
}

/// The process IDs of `parent`'s children running the provider.
fn provider_children(parent: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
        let Some((comm, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let ppid = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok());
        if ppid == Some(parent) && comm.contains("terraform-provi") {
            found.push(pid);
        }
    }
    found
}

/// Runs `terraform ARGS -json` in `w`, interrupts it `how` once it starts
/// applying (and the provider has sent its request), and returns its exit
/// status and output.
fn interrupted(w: &Workdir, args: &[&str], how: Interrupt) -> (std::process::ExitStatus, String) {
    let args = [
        args,
        &["-input=false", "-no-color", "-auto-approve", "-json"],
    ]
    .concat();
    let mut run = w.spawn_terraform(&args);
    let stdout = BufReader::new(run.stdout.take().expect("stdout"));
    let mut lines = stdout.lines().map_while(Result::ok);
    lines
        .by_ref()
        .find(|l| l.contains(r#""type":"apply_start""#))
        .expect("terraform starts applying");
    // The provider sends its request right after this; let it get there.
    std::thread::sleep(Duration::from_millis(800));
    let target = match how {
        Interrupt::CtrlC => vec!["-INT".to_string(), "--".into(), format!("-{}", run.id())],
        Interrupt::KillProvider => {
            let pids = provider_children(run.id());
            assert_eq!(pids.len(), 1, "one provider process: {pids:?}");
            vec!["-KILL".to_string(), pids[0].to_string()]
        }
    };
    let sent = Command::new("kill").args(&target).status().expect("kill");
    assert!(sent.success(), "{target:?}");
    let rest: Vec<String> = lines.collect();
    let status = run.wait().expect("terraform ends");
    (status, rest.join("\n"))
}

/// The app of `CONFIG`, named `name`.
fn named(name: &str) -> String {
    header("") + &CONFIG.replace("\"Engineering\"", &format!("{name:?}"))
}

/// An emulator whose every answer takes 3 s (long enough to interrupt a
/// request mid-flight) and a directory holding one app created in it.
fn one_app() -> (EmulatorProcess, Workdir, String) {
    let emu = EmulatorProcess::start(&["--latency-ms", "3000"]);
    let mut w = Workdir::uninitialized(&named("Engineering"));
    w.use_emulator(&emu);
    w.terraform(&["init", "-input=false", "-no-color"]).ok();
    w.apply();
    let id = w.state_attribute(APP, "id");
    let id = id.as_str().expect("the app is in the state").to_string();
    (emu, w, id)
}

const APP: &str = "writer_confluence_oauth_app.eng";

fn update_interrupted(how: Interrupt) {
    let (emu, w, id) = one_app();
    w.write(&named("Renamed"));
    let (status, output) = interrupted(&w, &["apply"], how);
    let apps = emu.all_apps();
    assert_eq!(apps.len(), 1, "one app, never a second: {apps:?}\n{output}");
    assert_eq!(apps[0]["id"], id.as_str(), "the same app: {output}");
    assert_eq!(
        w.state_attribute(APP, "id"),
        id.as_str(),
        "still in the state"
    );
    let in_writer = apps[0]["name"].as_str().unwrap_or_default().to_string();
    let (code, plan) = w.plan_exit_code();
    match how {
        Interrupt::CtrlC => {
            // The update Writer was carrying out finished and was recorded.
            assert_eq!(in_writer, "Renamed", "exit {status:?}: {output}");
            assert_eq!(w.state_attribute(APP, "name"), "Renamed", "{output}");
            assert_eq!(code, 0, "nothing left to do:\n{plan}");
        }
        Interrupt::KillProvider => {
            assert!(!status.success(), "{output}");
            eprintln!("provider killed during an update: Writer has the name {in_writer:?}");
            if in_writer == "Renamed" {
                assert_eq!(code, 0, "Writer has the change; the plan reads it:\n{plan}");
            } else {
                assert_eq!(in_writer, "Engineering", "{output}");
                assert_eq!(code, 2, "{plan}");
                assert!(
                    plan.contains("0 to add, 1 to change, 0 to destroy"),
                    "exactly the change still to make:\n{plan}"
                );
            }
            w.apply();
            assert_eq!(emu.get_app(&id)["name"], "Renamed");
            assert_eq!(w.plan_exit_code().0, 0, "converged");
        }
    }
}

fn delete_interrupted(how: Interrupt) {
    let (emu, w, id) = one_app();
    let (status, output) = interrupted(&w, &["destroy"], how);
    let apps = emu.all_apps();
    let in_state = !w.state_attribute(APP, "id").is_null();
    match how {
        Interrupt::CtrlC => {
            // The delete Writer was carrying out finished and was recorded.
            assert!(apps.is_empty(), "exit {status:?}: {apps:?}\n{output}");
            assert!(!in_state, "{output}");
        }
        Interrupt::KillProvider => {
            assert!(!status.success(), "{output}");
            assert!(apps.len() <= 1, "{apps:?}");
            let plan = w.terraform(&[
                "plan",
                "-destroy",
                "-input=false",
                "-no-color",
                "-detailed-exitcode",
            ]);
            eprintln!(
                "provider killed during a delete: Writer has {} app(s)",
                apps.len()
            );
            if apps.is_empty() {
                assert_eq!(
                    plan.status,
                    0,
                    "Writer deleted it; nothing to do:\n{}",
                    plan.all()
                );
            } else {
                assert_eq!(apps[0]["id"], id.as_str());
                assert!(
                    in_state,
                    "an app Writer still has is not forgotten: {output}"
                );
                assert_eq!(plan.status, 2, "{}", plan.all());
                assert!(
                    plan.stdout.contains("0 to add, 0 to change, 1 to destroy"),
                    "{}",
                    plan.stdout
                );
            }
            w.terraform(&["destroy", "-input=false", "-no-color", "-auto-approve"])
                .ok();
            assert!(emu.all_apps().is_empty(), "converged");
            assert!(w.state_attribute(APP, "id").is_null());
        }
    }
}

#[test]
fn ctrl_c_during_an_update_finishes_it_and_records_it() {
    update_interrupted(Interrupt::CtrlC);
}

#[test]
fn a_provider_killed_during_an_update_leaves_a_plan_of_exactly_the_difference() {
    update_interrupted(Interrupt::KillProvider);
}

#[test]
fn ctrl_c_during_a_delete_finishes_it_and_records_it() {
    delete_interrupted(Interrupt::CtrlC);
}

#[test]
fn a_provider_killed_during_a_delete_leaves_a_plan_of_exactly_the_difference() {
    delete_interrupted(Interrupt::KillProvider);
}

#[test]
fn ctrl_c_during_a_create_still_records_the_app() {
    // Every answer takes 3 s: long enough to interrupt the create mid-flight.
    let emu = EmulatorProcess::start(&["--latency-ms", "3000"]);
    let mut w = Workdir::uninitialized(&(header("") + CONFIG));
    w.use_emulator(&emu);
    w.terraform(&["init", "-input=false", "-no-color"]).ok();

    let mut apply = w.spawn_terraform(&[
        "apply",
        "-input=false",
        "-no-color",
        "-auto-approve",
        "-json",
    ]);
    let stdout = BufReader::new(apply.stdout.take().expect("stdout"));
    let mut lines = stdout.lines().map_while(Result::ok);
    lines
        .by_ref()
        .find(|l| l.contains(r#""type":"apply_start""#))
        .expect("terraform starts creating the app");
    // The provider sends the create right after this; let it get there.
    std::thread::sleep(Duration::from_millis(800));
    let group = format!("-{}", apply.id());
    let killed = Command::new("kill")
        .args(["-INT", "--", &group])
        .status()
        .expect("kill");
    assert!(killed.success());
    let rest: Vec<String> = lines.collect();
    let status = apply.wait().expect("terraform ends");
    let output = rest.join("\n");

    let id = w.state_attribute("writer_confluence_oauth_app.eng", "id");
    let id = id
        .as_str()
        .unwrap_or_else(|| panic!("the app is in the state (exit {status:?}):\n{output}"));
    let apps = emu.all_apps();
    assert_eq!(apps.len(), 1, "exactly one app in Writer: {apps:?}");
    assert_eq!(apps[0]["id"], id);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(
        code, 0,
        "nothing left to do after the interrupted apply:\n{plan}"
    );
}
