//! The emulator, two ways:
//! - [`Emulator`]: in this process (the library's `emulator::spawn_local`),
//!   for async tests, with raw-HTTP helpers for the emulator's own API tests
//!   ([`client`], [`app_body`], [`create`], [`header`], [`error_keys`]);
//! - [`EmulatorProcess`]: the real `writer-emulator` binary, for acceptance
//!   tests (what users run) and the binary's own tests, with blocking calls
//!   ([`EmulatorProcess::call`]) on one runtime shared by the whole process.

use std::future::Future;
use std::io::BufRead;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{json, Value};
use terraform_provider_writer::emulator::{spawn_local, Config, EmulatorError, LocalEmulator};

use super::{ADMIN, READ_ONLY, REQUIRED_SCOPES, SECRET};

/// An emulator configuration with one admin and one read-only key.
pub fn config() -> Config {
    Config {
        admin_keys: vec![ADMIN.to_owned()],
        read_only_keys: vec![READ_ONLY.to_owned()],
        ..Config::default()
    }
}

/// A running emulator in this process; stopped when dropped.
pub struct Emulator {
    /// `http://127.0.0.1:PORT`
    pub base: url::Url,
    local: LocalEmulator,
}

impl Emulator {
    /// Starts one on `127.0.0.1:0` (the configuration must be valid).
    pub async fn start(config: Config) -> Self {
        let local = spawn_local(config).await.expect("the emulator starts");
        let base = url::Url::parse(&local.base_url()).expect("a base URL");
        Self { base, local }
    }

    /// `127.0.0.1:PORT`
    pub fn addr(&self) -> SocketAddr {
        self.local.addr()
    }

    /// The URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.local.base_url())
    }

    /// Shuts down gracefully and returns what the server returned.
    pub async fn stop(self) -> Result<(), EmulatorError> {
        self.local.stop().await
    }
}

/// An obviously fake Entra Application (client) ID: a GUID.
pub const SHAREPOINT_CLIENT_ID: &str = "00001111-aaaa-2222-bbbb-3333cccc4444";

/// A client that never reuses connections, so each request's fate is its own.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A valid create body for a Confluence app named `name`.
pub fn app_body(name: &str) -> Value {
    json!({
        "connector": "confluence",
        "name": name,
        "client_id": "atlassian-client-id-1",
        "client_secret": SECRET,
        "scopes": REQUIRED_SCOPES,
    })
}

/// Creates an app as admin and returns it (the response must be 201).
pub async fn create(http: &reqwest::Client, emu: &Emulator, name: &str) -> Value {
    create_at(http, &emu.url(""), name).await
}

/// [`create`] against the emulator at `base_url` (a process, say).
pub async fn create_at(http: &reqwest::Client, base_url: &str, name: &str) -> Value {
    let response = http
        .post(format!("{base_url}/v1/oauth-apps"))
        .bearer_auth(ADMIN)
        .json(&app_body(name))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "create {name}");
    response.json().await.unwrap()
}

/// The first page of apps (`data`), as the admin sees it.
pub async fn all_apps(http: &reqwest::Client, emu: &Emulator) -> Value {
    let page: Value = http
        .get(emu.url("/v1/oauth-apps"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page["data"].clone()
}

pub fn header<'r>(response: &'r reqwest::Response, name: &str) -> Option<&'r str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

/// Checks the contract's error shape and returns the keys of `errors[]`.
pub async fn error_keys(
    response: reqwest::Response,
    status: u16,
    tpe: &str,
) -> (Vec<String>, Value) {
    assert_eq!(response.status(), status);
    assert!(header(&response, "x-request-id").is_some_and(|id| !id.is_empty()));
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["tpe"], json!(tpe), "{body}");
    assert!(body["extras"].is_object(), "{body}");
    let errors = body["errors"].as_array().expect("errors is an array");
    assert!(!errors.is_empty(), "{body}");
    for e in errors {
        assert!(
            e["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{body}"
        );
        assert!(e["extras"].is_object(), "{body}");
    }
    let keys = errors
        .iter()
        .map(|e| e["key"].as_str().unwrap().to_owned())
        .collect();
    (keys, body)
}

// ---------------------------------------------------------- the binary --

/// The `writer-emulator` binary cargo built for the root package's tests
/// (the packaging checks, another package, have none and do not use it).
pub fn emulator_binary() -> &'static str {
    match option_env!("CARGO_BIN_EXE_writer-emulator") {
        Some(binary) => binary,
        None => panic!("only the root package's tests have cargo's writer-emulator binary"),
    }
}

/// The real `writer-emulator` binary on a free loopback port, killed on drop
/// (so a test failing half way leaves no process behind).
pub struct EmulatorProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`, from its first line.
    pub base_url: String,
}

impl EmulatorProcess {
    /// Starts it with the fake admin key and `extra` flags (faults, latency).
    pub fn start(extra: &[&str]) -> Self {
        Self::start_with_args(&[&["--api-key", ADMIN], extra].concat())
    }

    /// Starts it with `--listen 127.0.0.1:0` and exactly `args`.
    pub fn start_with_args(args: &[&str]) -> Self {
        let mut command = Self::command();
        command.args(args);
        Self::from_command(command)
    }

    /// The binary with `--listen 127.0.0.1:0`, for a test to add to (flags,
    /// environment) and give to [`EmulatorProcess::from_command`].
    pub fn command() -> Command {
        let mut command = Command::new(emulator_binary());
        command.args(["--listen", "127.0.0.1:0"]);
        command
    }

    /// Starts `command` and reads the address it announces on its first line.
    pub fn from_command(command: Command) -> Self {
        Self::from_command_with_lines(command, 0).0
    }

    /// [`EmulatorProcess::from_command`], also reading the `more` lines that
    /// follow the first (the seeded objects: `seeded web graph "NAME" id=ID`).
    pub fn from_command_with_lines(mut command: Command, more: usize) -> (Self, Vec<String>) {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("writer-emulator starts");
        let mut line = String::new();
        let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        stdout.read_line(&mut line).expect("the listening line");
        let lines = (0..more)
            .map(|_| {
                let mut next = String::new();
                stdout.read_line(&mut next).expect("a line after the first");
                next.trim_end().to_owned()
            })
            .collect();
        let base_url = line
            .trim_end()
            .strip_prefix("writer-emulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
        let port: u16 = base_url.rsplit(':').next().unwrap().parse().unwrap();
        assert_ne!(port, 0);
        (Self { child, base_url }, lines)
    }

    /// The process ID (for `kill -9`, or its memory in `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then the exit status (a bounded wait, so a hang fails the test).
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("writer-emulator did not exit after SIGTERM");
    }

    /// Makes an app the way a person in the Writer UI would, with the admin
    /// key: a valid Confluence app (`fake-client-id-0001`, [`SECRET`], the
    /// required scopes), or with `"connector": "sharepoint"` a valid
    /// SharePoint one ([`SHAREPOINT_CLIENT_ID`], `User.Read` and
    /// `Sites.Selected`), with `fields` over it; returns its ID.
    pub fn app_made_by_hand(&self, fields: Value) -> String {
        let mut app = json!({
            "connector": "confluence",
            "client_id": "fake-client-id-0001",
            "client_secret": SECRET,
            "scopes": REQUIRED_SCOPES,
        });
        if fields["connector"] == "sharepoint" {
            app["client_id"] = json!(SHAREPOINT_CLIENT_ID);
            app["scopes"] = json!(["User.Read", "Sites.Selected"]);
        }
        for (key, value) in fields.as_object().expect("fields are an object") {
            app[key] = value.clone();
        }
        let (status, body) = self.call("POST", "/v1/oauth-apps", Some(app));
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().expect("an id").to_string()
    }

    /// One API call as a person in the Writer UI would make it (not the
    /// provider's client): `(status, body)`. A GET is repeated while the
    /// emulator injects faults (503, 429, dropped connection), so that checks
    /// made after a fault test see the truth, not the next fault. Blocking:
    /// for synchronous tests only.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        block_on(async {
            let http = client();
            let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            let retry = method == reqwest::Method::GET;
            for _ in 0..50 {
                let mut req = http
                    .request(method.clone(), format!("{}{path}", self.base_url))
                    .bearer_auth(ADMIN);
                if let Some(b) = &body {
                    req = req.json(b);
                }
                let resp = match req.send().await {
                    Ok(resp) => resp,
                    Err(_) if retry => continue,
                    Err(e) => panic!("the emulator did not answer {path}: {e}"),
                };
                let status = resp.status().as_u16();
                if retry && (status == 503 || status == 429) {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
                let text = resp.text().await.unwrap_or_default();
                return (status, serde_json::from_str(&text).unwrap_or(Value::Null));
            }
            panic!("the emulator kept failing GET {path}");
        })
    }

    pub fn get_app(&self, id: &str) -> Value {
        let (status, body) = self.call("GET", &format!("/v1/oauth-apps/{id}"), None);
        assert_eq!(status, 200, "GET {id}: {body}");
        body
    }

    /// Every app, across pages.
    pub fn all_apps(&self) -> Vec<Value> {
        let mut apps = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let path = match &after {
                Some(a) => format!("/v1/oauth-apps?limit=100&order=asc&after={a}"),
                None => "/v1/oauth-apps?limit=100&order=asc".to_string(),
            };
            let (status, body) = self.call("GET", &path, None);
            assert_eq!(status, 200, "{body}");
            apps.extend(body["data"].as_array().cloned().unwrap_or_default());
            if body["has_more"] != Value::Bool(true) {
                return apps;
            }
            after = body["last_id"].as_str().map(String::from);
        }
    }
}

/// How long a dropped [`EmulatorProcess`] has to end after SIGTERM before
/// it is killed.
const STOP_GRACE: Duration = Duration::from_secs(3);

impl Drop for EmulatorProcess {
    /// SIGTERM, so that the emulator ends as it does for a person (its
    /// temporary uploads folder removed), then SIGKILL if it has not ended
    /// within [`STOP_GRACE`] (a test failing half way leaves no process).
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            // `kill`, as in `terminate` (the packaging checks compile this
            // file too, without libc). The child is not yet waited for, so
            // its pid is still its own.
            let sent = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let until = std::time::Instant::now() + STOP_GRACE;
            while std::time::Instant::now() < until {
                match self.child.try_wait() {
                    Ok(None) if sent.as_ref().is_ok_and(|s| s.success()) => {
                        std::thread::sleep(Duration::from_millis(10))
                    }
                    Ok(None) => break,
                    _ => return,
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `future` to completion on one runtime shared by every synchronous
/// test of the process (not one runtime per call). Not from async code.
pub fn block_on<F: Future>(future: F) -> F::Output {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("the tests' runtime")
        })
        .block_on(future)
}
