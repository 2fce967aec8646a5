//! Ctrl-C during `terraform apply`, as in a terminal: the signal reaches
//! Terraform and the provider alike (one process group). Terraform asks the
//! provider to stop and waits; a create that Writer is already carrying out
//! must finish and reach the state, or the app would exist in Writer with
//! no Terraform state, and the next apply would fail on its name.

mod support;

use std::io::{BufRead, BufReader};
use std::process::Command;
use std::time::Duration;

use support::emulator::EmulatorProcess;
use support::terraform::{header, Workdir, STORED_SECRET_APP as CONFIG};

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
