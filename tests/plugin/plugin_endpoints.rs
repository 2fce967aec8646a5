//! The plugin's endpoints, through the real provider binary started as
//! Terraform starts it (`support::plugin_client::start_plugin_with`), on both transports: no
//! one can borrow them (`--debug` never serves TCP, which every local user
//! can reach, because Terraform reattaches to a debugged provider without
//! TLS) and no one can hold them (connections that do not finish their TLS
//! handshake in time are closed, and only so many handshakes are in flight,
//! so idle sockets cannot pile up descriptors in the plugin).

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::plugin_client::{
    assert_is_the_writer_schema, channel, debug_command, get_schema, reattach_value,
    start_plugin_with, terraform_like_identity, Address,
};
use terraform_provider_writer::tfplugin::{HANDSHAKE_DEADLINE, MAX_HANDSHAKES_IN_FLIGHT};

/// A provider process, killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The inodes of the TCP sockets in LISTEN state on this machine
/// (`/proc/net/tcp` and `tcp6`).
fn listening_tcp_inodes() -> HashSet<String> {
    let mut inodes = HashSet::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
            if fields.len() > 9 && fields[3] == "0A" {
                inodes.insert(fields[9].to_string());
            }
        }
    }
    inodes
}

/// The socket inodes among `pid`'s open descriptors.
fn socket_inodes(pid: u32) -> HashSet<String> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("/proc/PID/fd")
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            Some(
                target
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_string(),
            )
        })
        .collect()
}

/// How many descriptors `pid` has open.
fn open_descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("/proc/PID/fd")
        .count()
}

/// Debug mode asked for TCP (`PLUGIN_TRANSPORT=tcp`, what a person testing
/// the Windows path would set): Terraform's reattach carries no certificate,
/// so TCP would be plaintext gRPC open to every local user. It serves the
/// private unix socket instead, holds no TCP listener, and says why.
#[test]
fn debug_asked_for_tcp_serves_the_private_socket_and_says_why() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut child = debug_command(tmp.path())
        .env("PLUGIN_TRANSPORT", "tcp")
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let pid = child.id();
    let json = reattach_value(&mut child);
    let mut stderr = child.stderr.take().expect("stderr");
    let process = Process(child);
    let reattach: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let provider = &reattach["registry.terraform.io/writer/writer"];
    assert_eq!(provider["Addr"]["Network"], "unix", "{provider}");
    let socket = PathBuf::from(provider["Addr"]["String"].as_str().expect("a path"));
    assert!(socket.starts_with(tmp.path()), "{socket:?}");
    let mode = |p: &Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(socket.parent().expect("its folder")), 0o700);
    assert_eq!(mode(&socket), 0o600);
    let tcp_listeners: HashSet<String> = socket_inodes(pid)
        .intersection(&listening_tcp_inodes())
        .cloned()
        .collect();
    assert!(
        tcp_listeners.is_empty(),
        "debug mode listens on TCP: {tcp_listeners:?}"
    );

    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut process = process;
    let deadline = Instant::now() + Duration::from_secs(10);
    while process.0.try_wait().expect("status").is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(process); // killed if Ctrl-C did not end it: its stderr ends either way
    let mut said = String::new();
    stderr.read_to_string(&mut said).expect("stderr");
    for words in [
        "PLUGIN_TRANSPORT=tcp is not used with --debug",
        "TF_REATTACH_PROVIDERS",
        "without TLS",
        "private unix socket",
    ] {
        assert!(said.contains(words), "wanted {words:?} in: {said}");
    }
}

/// Real Terraform attaches to debug mode asked for TCP, with the
/// `TF_REATTACH_PROVIDERS` value it printed (the private socket): the apply
/// is served by that process (only it has the Writer key and URL; Terraform
/// runs without them), and once it has ended Terraform says it cannot find
/// it rather than starting a provider of its own.
#[test]
fn terraform_attaches_to_debug_mode_on_the_private_socket() {
    use crate::support::emulator::EmulatorProcess;
    use crate::support::terraform::{header, required_scopes, Workdir};
    let emulator = EmulatorProcess::start(&[]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut child = debug_command(tmp.path())
        .env("PLUGIN_TRANSPORT", "tcp")
        .env("WRITER_API_KEY", crate::support::ADMIN)
        .env("WRITER_BASE_URL", &emulator.base_url)
        .spawn()
        .expect("runs");
    let reattach = reattach_value(&mut child);
    let mut debugged = Process(child);

    let config = header("")
        + &format!(
            "resource \"writer_confluence_oauth_app\" \"debugged\" {{\n  name = \"Debugged\"\n  \
             client_id = \"fake-client-id-0001\"\n  client_secret_wo = \"{}\"\n  \
             client_secret_wo_version = 1\n  scopes = {}\n}}\n",
            crate::support::SECRET,
            required_scopes()
        );
    let mut w = Workdir::new(&config);
    w.set_env("TF_REATTACH_PROVIDERS", &reattach);
    w.apply();
    let apps = emulator.all_apps();
    assert_eq!(apps.len(), 1, "{apps:?}");
    assert_eq!(apps[0]["name"], "Debugged");

    let _ = debugged.0.kill();
    let _ = debugged.0.wait();
    let run = w.terraform(&["plan", "-input=false", "-no-color"]);
    assert_ne!(
        run.status,
        0,
        "with the debugged provider gone, Terraform has none to use:\n{}",
        run.all()
    );
}

/// A connection that never says a word.
enum Idle {
    Tcp(std::net::TcpStream),
    Unix(std::os::unix::net::UnixStream),
}

impl Idle {
    fn open(address: &Address) -> Idle {
        match address {
            Address::Tcp(addr) => Idle::Tcp(std::net::TcpStream::connect(addr).expect("connects")),
            Address::Unix(path) => {
                Idle::Unix(std::os::unix::net::UnixStream::connect(path).expect("connects"))
            }
        }
    }

    /// Whether the plugin has closed it (end of stream, or reset).
    fn closed(&mut self) -> bool {
        let mut byte = [0u8; 1];
        let read = match self {
            Idle::Tcp(s) => {
                s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
                s.read(&mut byte)
            }
            Idle::Unix(s) => {
                s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
                s.read(&mut byte)
            }
        };
        match read {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        }
    }
}

/// Two hundred connections that never start their TLS handshake: the
/// plugin holds at most `MAX_HANDSHAKES_IN_FLIGHT` of them (descriptors
/// counted in `/proc/PID/fd`), closes every one by `HANDSHAKE_DEADLINE`, and
/// still serves Terraform.
async fn idle_connections_are_closed_and_bounded(transport: Option<&str>) {
    assert!(
        HANDSHAKE_DEADLINE >= Duration::from_secs(1)
            && HANDSHAKE_DEADLINE <= Duration::from_secs(10),
        "a few seconds: {HANDSHAKE_DEADLINE:?}"
    );
    let id = terraform_like_identity();
    let plugin = start_plugin_with(&id.pem, None, transport);
    let (pid, handshake) = (plugin.child.id(), &plugin.handshake);
    let before = open_descriptors(pid);

    let opened = Instant::now();
    let mut idle: Vec<Idle> = (0..200).map(|_| Idle::open(&handshake.address)).collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let holding = open_descriptors(pid);
    assert!(
        holding <= before + MAX_HANDSHAKES_IN_FLIGHT + 4,
        "200 idle connections hold {holding} descriptors (before: {before}, at most \
         {MAX_HANDSHAKES_IN_FLIGHT} handshakes in flight)"
    );

    let give_up = opened + HANDSHAKE_DEADLINE + Duration::from_secs(3);
    loop {
        idle.retain_mut(|c| !c.closed());
        if idle.is_empty() || Instant::now() > give_up {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        idle.is_empty(),
        "{} of 200 idle connections still open {:?} after the first was opened \
         (deadline {HANDSHAKE_DEADLINE:?})",
        idle.len(),
        opened.elapsed()
    );
    let after = open_descriptors(pid);
    assert!(
        after <= before + 1,
        "{after} descriptors after, {before} before"
    );

    let channel = channel(handshake, Some(&id))
        .await
        .expect("Terraform still connects");
    let schema = get_schema(channel).await.expect("and is served");
    assert_is_the_writer_schema(&schema);
}

mod idle_connections_are_closed_and_bounded {
    #[tokio::test]
    async fn unix_socket() {
        super::idle_connections_are_closed_and_bounded(None).await
    }

    #[tokio::test]
    async fn tcp() {
        super::idle_connections_are_closed_and_bounded(Some("tcp")).await
    }
}
