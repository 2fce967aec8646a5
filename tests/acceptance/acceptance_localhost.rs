//! `localhost` in a plain-http base URL is this machine, by definition
//! (RFC 6761): real Terraform drives the provider at `http://localhost:PORT`,
//! `http://localhost.:PORT` and `http://LOCALHOST.:PORT` against the real
//! emulator on 127.0.0.1, and the provider connects there without a name
//! lookup and without a proxy, even when `HTTP_PROXY` names one.
//!
//! "No lookup" is seen, not assumed, in Terraform's own `TF_LOG=trace` log:
//! every name the client looks up goes through its resolver, which writes a
//! `name lookup` line naming the host first (`client::resolve`), and the
//! HTTP stack writes `connecting to ADDRESS` for every connection. For each
//! spelling of localhost, the log must show the connection to the emulator's
//! 127.0.0.1 port and no lookup at all. That this observation works is
//! checked in the same run: a base URL whose name does need a lookup
//! (`writer-lookup-check.invalid`, which fails) must leave the line naming
//! it.
//!
//! "No proxy" is seen the same way: `HTTP_PROXY` (and its spellings) names a
//! listener of this test's own that records every connection made to it.
//! None may come for localhost; one must come for a name that is not
//! loopback, or the environment was not read and the check proves nothing.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, required_scopes, Run, Terraform, Workdir};
use crate::support::ADMIN;

/// The message the client's resolver writes before every name lookup.
const LOOKUP_LINE: &str = "name lookup";

/// The proxy variables reqwest reads for plain http.
const PROXY_VARIABLES: [&str; 4] = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

/// A listener standing for a proxy: it records the first line of every
/// connection made to it (a proxied request names its whole URL there) and
/// closes it without answering.
struct ProxyTrap {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    /// How many of `seen` [`ProxyTrap::take`] has returned.
    taken: std::cell::Cell<usize>,
}

impl ProxyTrap {
    fn start() -> ProxyTrap {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        // Lives until the test process ends, blocked in accept.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                // Recorded at once, and the line before the connection is
                // closed: whoever connected cannot finish before it is seen.
                let at = {
                    let mut seen = record.lock().unwrap();
                    seen.push("(connected, nothing read yet)".to_string());
                    seen.len() - 1
                };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut first = String::new();
                // One line, at most 4 KiB of it.
                let mut reader = BufReader::new(stream.take(4096));
                let _ = reader.read_line(&mut first);
                if let Some(entry) = record.lock().unwrap().get_mut(at) {
                    *entry = first.trim_end().to_string();
                }
                drop(reader);
            }
        });
        ProxyTrap {
            url,
            seen,
            taken: std::cell::Cell::new(0),
        }
    }

    /// The connections recorded since the last call.
    fn take(&self) -> Vec<String> {
        let seen = self.seen.lock().unwrap();
        let new = seen[self.taken.get()..].to_vec();
        self.taken.set(seen.len());
        new
    }
}

/// `terraform ARGS` in `w` at `TF_LOG=trace`: the run, and its log alone
/// (`TF_LOG_PATH`, emptied first, so the output stays readable).
fn traced(w: &mut Workdir, args: &[&str]) -> (Run, String) {
    let log = w.path().join("terraform.log");
    let _ = std::fs::remove_file(&log);
    w.set_env("TF_LOG", "trace");
    w.set_env("TF_LOG_PATH", &log.display().to_string());
    let run = w.terraform(args);
    let log = std::fs::read_to_string(&log).expect("Terraform wrote its log");
    (run, log)
}

/// The provider's `name lookup` lines in a Terraform log.
fn lookups(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains(&format!(": {LOOKUP_LINE}")))
        .collect()
}

/// Fails unless `log` (of a run at TF_LOG=trace) shows a connection to
/// 127.0.0.1:`port` and no name lookup.
fn assert_connected_without_lookup(log: &str, port: u16, base_url: &str) {
    let found = lookups(log);
    assert!(
        found.is_empty(),
        "{base_url}: a name lookup was made:\n{}",
        found.join("\n")
    );
    let to_emulator = format!("connecting to 127.0.0.1:{port}");
    assert!(
        log.lines().any(|l| l.contains(&to_emulator)),
        "{base_url}: no `{to_emulator}` in the log; its connection lines:\n{}",
        log.lines()
            .filter(|l| l.contains("connect"))
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
    let trap = ProxyTrap::start();
    // No retries: the self-checks below fail on purpose, once is enough.
    let config = header("  max_retries = 0")
        + &format!(
            "resource \"writer_confluence_oauth_app\" \"local\" {{\n  name = \"Local\"\n  \
             client_id = \"fake-client-id-0001\"\n  client_secret_wo = \"fake-secret-0001\"\n  \
             client_secret_wo_version = 1\n  scopes = {}\n}}\n",
            required_scopes()
        );
    let mut w = Workdir::new_with(tf, &config);
    w.set_env("WRITER_API_KEY", ADMIN);
    // A proxy in the environment would be used for every name but these.
    w.set_env("NO_PROXY", "");
    w.set_env("no_proxy", "");
    for variable in PROXY_VARIABLES {
        w.set_env(variable, &trap.url);
    }

    let base_url = format!("http://localhost:{port}");
    w.set_env("WRITER_BASE_URL", &base_url);
    let (run, log) = traced(
        &mut w,
        &["apply", "-input=false", "-no-color", "-auto-approve"],
    );
    // Through a proxy, the API key and secrets would leave this machine in
    // plain text.
    assert_eq!(trap.take(), Vec::<String>::new(), "{base_url}: the proxy");
    assert_eq!(run.status, 0, "{base_url}: {}", run.all());
    assert_connected_without_lookup(&log, port, &base_url);
    assert_eq!(emu.all_apps().len(), 1, "the app was made in the emulator");

    for host in ["localhost.", "LOCALHOST."] {
        let base_url = format!("http://{host}:{port}");
        w.set_env("WRITER_BASE_URL", &base_url);
        let (run, log) = traced(
            &mut w,
            &["plan", "-input=false", "-no-color", "-detailed-exitcode"],
        );
        assert_eq!(trap.take(), Vec::<String>::new(), "{base_url}: the proxy");
        assert_eq!(
            run.status,
            0,
            "{base_url}: the app is read back unchanged from the emulator: {}",
            run.all()
        );
        assert_connected_without_lookup(&log, port, &base_url);
    }

    // The observations work. A name that is not localhost is looked up, and
    // the log says so (`.invalid` never resolves: the plan fails).
    w.set_env("WRITER_ALLOW_INSECURE_HTTP", "true");
    for variable in PROXY_VARIABLES {
        w.set_env(variable, "");
    }
    let base_url = format!("http://writer-lookup-check.invalid:{port}");
    w.set_env("WRITER_BASE_URL", &base_url);
    let (run, log) = traced(&mut w, &["plan", "-input=false", "-no-color"]);
    assert_eq!(run.status, 1, "{base_url} cannot be reached: {}", run.all());
    let found = lookups(&log);
    assert!(
        found
            .iter()
            .any(|l| l.contains("host=writer-lookup-check.invalid")),
        "{base_url}: the lookup is not in the log, so its absence above proves nothing; \
         lookup lines: {found:?}"
    );
    assert_eq!(emu.all_apps().len(), 1);

    // And a proxy in the environment is used for it: the listener sees the
    // request, so it would have seen one for localhost.
    for variable in PROXY_VARIABLES {
        w.set_env(variable, &trap.url);
    }
    let base_url = format!("http://writer-proxy-check.invalid:{port}");
    w.set_env("WRITER_BASE_URL", &base_url);
    let (run, _) = traced(&mut w, &["plan", "-input=false", "-no-color"]);
    assert_eq!(run.status, 1, "the trap answers nothing: {}", run.all());
    let seen = trap.take();
    assert!(
        seen.iter()
            .any(|l| l.contains("http://writer-proxy-check.invalid:")),
        "{base_url}: the proxy in the environment was not used, so its absence above \
         proves nothing; it saw {seen:?}"
    );
}

on_every_terraform!(localhost_is_this_machine_without_a_lookup_or_a_proxy);
