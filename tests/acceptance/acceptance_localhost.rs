//! `localhost` in a plain-http base URL is this machine, by definition
//! (RFC 6761): real Terraform drives the provider at `http://localhost:PORT`,
//! `http://localhost.:PORT` and `http://LOCALHOST.:PORT` against the real
//! emulator on 127.0.0.1, and the provider connects there without asking DNS
//! (no name lookup at all) and without a proxy, even when `HTTP_PROXY` names
//! one.
//!
//! "No lookup" is seen, not assumed: Terraform runs under `strace -f`, which
//! records every `openat` and `connect` of Terraform and the provider. A
//! lookup through the system's resolver reads `/etc/hosts` (and for DNS
//! `/etc/resolv.conf`, then connects to port 53); none may appear, while the
//! connection to the emulator's port on 127.0.0.1 must. The test needs
//! `strace` (Debian: `apt-get install strace`) and fails without it.

use std::path::Path;

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, required_scopes, Terraform, Workdir};
use crate::support::{ADMIN, SECRET};

/// What a name lookup leaves in a trace of `openat` and `connect` (glibc
/// reads `/etc/nsswitch.conf` for users and groups too: it is no sign).
const LOOKUP_SIGNS: [&str; 3] = ["\"/etc/hosts\"", "\"/etc/resolv.conf\"", "htons(53)"];

/// `terraform ARGS` in `w`, under `strace -f` writing to `trace`.
fn traced(w: &mut Workdir, args: &str, trace: &Path) -> (i32, String, String) {
    let script = w.path().join("traced.sh");
    std::fs::write(
        &script,
        format!(
            "command -v strace >/dev/null || {{ echo 'this test needs strace (Debian: apt-get \
             install strace); it is never skipped' >&2; exit 97; }}\n\
             exec strace -f -qq -e trace=openat,connect -e signal=none -o \"$STRACE_OUT\" \
             terraform {args}\n"
        ),
    )
    .unwrap();
    w.set_env("STRACE_OUT", &trace.display().to_string());
    let run = w.run_script(&script);
    assert_ne!(run.status, 97, "{}", run.stderr);
    let trace = std::fs::read_to_string(trace).expect("strace wrote its trace");
    (run.status, run.all(), trace)
}

/// Fails unless `trace` shows a connection to 127.0.0.1:`port` and no lookup.
fn assert_connected_without_lookup(trace: &str, port: u16, base_url: &str) {
    let lookups: Vec<&str> = trace
        .lines()
        .filter(|l| LOOKUP_SIGNS.iter().any(|s| l.contains(s)))
        .collect();
    assert!(
        lookups.is_empty(),
        "{base_url}: a name lookup was made:\n{}",
        lookups.join("\n")
    );
    let to_emulator = format!("sin_port=htons({port}), sin_addr=inet_addr(\"127.0.0.1\")");
    assert!(
        trace
            .lines()
            .any(|l| l.contains("connect(") && l.contains(&to_emulator)),
        "{base_url}: no connection to 127.0.0.1:{port} in the trace:\n{}",
        trace
            .lines()
            .filter(|l| l.contains("connect("))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn localhost_is_this_machine_without_a_lookup_or_a_proxy(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let port: u16 = emu
        .base_url
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    let config = header("")
        + &format!(
            "resource \"writer_confluence_oauth_app\" \"local\" {{\n  name = \"Local\"\n  \
             client_id = \"fake-client-id-0001\"\n  client_secret_wo = \"{SECRET}\"\n  \
             client_secret_wo_version = 1\n  scopes = {}\n}}\n",
            required_scopes()
        );
    let mut w = Workdir::new_with(tf, &config);
    w.set_env("WRITER_API_KEY", ADMIN);
    let trace = w.path().join("strace.txt");

    let base_url = format!("http://localhost:{port}");
    w.set_env("WRITER_BASE_URL", &base_url);
    let (status, out, t) = traced(&mut w, "apply -input=false -no-color -auto-approve", &trace);
    assert_eq!(status, 0, "{base_url}: {out}");
    assert_connected_without_lookup(&t, port, &base_url);
    assert_eq!(emu.all_apps().len(), 1, "the app was made in the emulator");

    // A proxy in the environment is not used for this machine: through one,
    // the API key and secrets would leave it in plain text.
    for variable in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        w.set_env(variable, "http://127.0.0.1:9");
    }
    for host in ["localhost.", "LOCALHOST."] {
        let base_url = format!("http://{host}:{port}");
        w.set_env("WRITER_BASE_URL", &base_url);
        let (status, out, t) = traced(
            &mut w,
            "plan -input=false -no-color -detailed-exitcode",
            &trace,
        );
        assert_eq!(
            status, 0,
            "{base_url}: the app is read back unchanged: {out}"
        );
        assert_connected_without_lookup(&t, port, &base_url);
        assert!(
            !t.contains("sin_port=htons(9),"),
            "{base_url}: the proxy was tried"
        );
    }
}

on_every_terraform!(localhost_is_this_machine_without_a_lookup_or_a_proxy);
