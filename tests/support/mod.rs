//! Test support: the real `terraform` binary driving the real provider
//! binary, installed the way a user would (a filesystem mirror and a CLI
//! configuration), in a throwaway working directory.
//!
//! `terraform` comes from `TF_ACC_TERRAFORM_PATH`, else `PATH`. A missing
//! binary fails the test loudly: acceptance tests are never skipped.

#![allow(dead_code)] // each test file uses a different part of this module

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/writer/writer";
/// Cargo.toml's version: the one source of truth.
pub const PROVIDER_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Obviously fake, and searched for in logs and state by the secret tests.
pub const FAKE_API_KEY: &str = "test-admin-key-not-real-0000";

/// Where the provider is installed for every test of this process, and the
/// CLI configuration that points Terraform at it.
struct Install {
    _root: tempfile::TempDir,
    cli_config: PathBuf,
}

fn install() -> &'static Install {
    static INSTALL: OnceLock<Install> = OnceLock::new();
    INSTALL.get_or_init(|| {
        let root = tempfile::Builder::new()
            .prefix("tfacc-mirror")
            .tempdir()
            .expect("a temporary directory");
        let dir = root
            .path()
            .join("mirror")
            .join(PROVIDER_ADDRESS)
            .join(PROVIDER_VERSION)
            .join(platform());
        std::fs::create_dir_all(&dir).expect("mirror directory");
        let binary = Path::new(env!("CARGO_BIN_EXE_terraform-provider-writer"));
        let installed = dir.join(format!("terraform-provider-writer_v{PROVIDER_VERSION}"));
        // A link, not a copy: the debug binary is large, and it is what cargo just built.
        std::os::unix::fs::symlink(binary, &installed).expect("provider link in the mirror");
        let cli_config = root.path().join("terraformrc");
        std::fs::write(
            &cli_config,
            format!(
                "disable_checkpoint = true\nprovider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{PROVIDER_ADDRESS}\"]\n  }}\n}}\n",
                root.path().join("mirror").display()
            ),
        )
        .expect("CLI configuration");
        Install {
            _root: root,
            cli_config,
        }
    })
}

/// This machine's platform in Terraform's words (`linux_amd64`, `darwin_arm64`).
pub fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

/// The terraform binary, or a loud failure.
pub fn terraform_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("TF_ACC_TERRAFORM_PATH") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let candidate = dir.join("terraform");
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "acceptance tests need the `terraform` binary (1.11 or newer): put it on PATH or set \
         TF_ACC_TERRAFORM_PATH. These tests are never skipped."
    );
}

/// A Terraform working directory with the provider installed.
pub struct Workdir {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

/// A finished terraform command.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Self {
        Self {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Fails the test with the whole output unless the command succeeded.
    pub fn ok(self) -> Self {
        assert_eq!(self.status, 0, "terraform failed:\n{}", self.all());
        self
    }

    /// The diagnostics of a `-json` command (validate's single document, or
    /// plan/apply's stream of lines).
    pub fn diagnostics(&self) -> Vec<serde_json::Value> {
        if let Ok(doc) = serde_json::from_str::<serde_json::Value>(&self.stdout) {
            if let Some(d) = doc.get("diagnostics").and_then(|d| d.as_array()) {
                return d.clone();
            }
        }
        self.stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("diagnostic").cloned())
            .collect()
    }
}

impl Workdir {
    /// A new directory holding `main_tf`, initialized.
    pub fn new(main_tf: &str) -> Self {
        let w = Self::uninitialized(main_tf);
        w.terraform(&["init", "-input=false", "-no-color"]).ok();
        w
    }

    pub fn uninitialized(main_tf: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("tfacc")
            .tempdir()
            .expect("a temporary directory");
        let w = Self {
            dir,
            env: Vec::new(),
        };
        w.write(main_tf);
        w
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Replaces the configuration (no new init is needed for the same providers).
    pub fn write(&self, main_tf: &str) {
        std::fs::write(self.dir.path().join("main.tf"), main_tf).expect("main.tf");
    }

    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_string(), value.to_string()));
    }

    /// `terraform ARGS` as the tests run it: this directory, the mirror, no
    /// inherited Writer settings or logging.
    fn command(&self, args: &[&str]) -> Command {
        self.command_running(&terraform_binary(), args)
    }

    fn command_running(&self, program: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("TF_CLI_CONFIG_FILE", &install().cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env_remove("TF_LOG")
            .env_remove("TF_LOG_PROVIDER")
            .env_remove("TF_LOG_PATH")
            .env_remove("WRITER_API_KEY")
            .env_remove("WRITER_BASE_URL")
            .env_remove("WRITER_APP_URL");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn terraform(&self, args: &[&str]) -> Run {
        let out = self
            .command(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run terraform ({:?}): {e}", terraform_binary()));
        Run::from(out)
    }

    /// Starts `terraform ARGS` in a process group of its own (as a shell
    /// starts a job, so that a signal to the group reaches Terraform and the
    /// providers it runs, like Ctrl-C in a terminal), stdout piped.
    pub fn spawn_terraform(&self, args: &[&str]) -> std::process::Child {
        use std::os::unix::process::CommandExt as _;
        self.command(args)
            .process_group(0)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run terraform ({:?}): {e}", terraform_binary()))
    }

    /// Runs a shell script that runs `terraform` (a CI recipe) in this
    /// directory, with the environment `terraform` gets here and the tests'
    /// terraform first on `PATH`.
    pub fn run_script(&self, script: &Path) -> Run {
        let terraform = terraform_binary();
        assert_eq!(
            terraform.file_name().and_then(|n| n.to_str()),
            Some("terraform"),
            "scripts find terraform on PATH by its name"
        );
        let path = std::env::join_paths(
            std::iter::once(terraform.parent().expect("a folder").to_path_buf()).chain(
                std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
            ),
        )
        .expect("a PATH");
        let out = self
            .command_running(Path::new("sh"), &[&script.display().to_string()])
            .env("PATH", path)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {script:?}: {e}"));
        Run::from(out)
    }

    pub fn unset_env(&mut self, key: &str) {
        self.env.retain(|(k, _)| k != key);
    }

    pub fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(file)).unwrap_or_default()
    }
}

/// The provider block and `required_providers`, for configurations in tests.
pub fn header(provider_body: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    writer = {{\n      source  = \"writer/writer\"\n      version = \"{PROVIDER_VERSION}\"\n    }}\n  }}\n}}\n\nprovider \"writer\" {{\n{provider_body}\n}}\n\n"
    )
}

/// The real `writer-emulator` binary on a free loopback port, stopped on drop.
pub struct EmulatorProcess {
    child: std::process::Child,
    pub base_url: String,
}

impl EmulatorProcess {
    /// Starts it with the fake admin key and `extra` flags (faults, latency).
    pub fn start(extra: &[&str]) -> Self {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_writer-emulator"))
            .args(["--listen", "127.0.0.1:0", "--api-key", FAKE_API_KEY])
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("writer-emulator starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the listening line");
        let base_url = line
            .trim()
            .strip_prefix("writer-emulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Self { child, base_url }
    }

    /// One API call as a person in the Writer UI would make it (not the
    /// provider's client): `(status, body)`. A GET is repeated while the
    /// emulator injects faults (503, 429, dropped connection), so that checks
    /// made after a fault test see the truth, not the next fault.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let http = reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("http client");
            let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            let retry = method == reqwest::Method::GET;
            for _ in 0..50 {
                let mut req = http
                    .request(method.clone(), format!("{}{path}", self.base_url))
                    .bearer_auth(FAKE_API_KEY);
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
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
                let text = resp.text().await.unwrap_or_default();
                return (
                    status,
                    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
                );
            }
            panic!("the emulator kept failing GET {path}");
        })
    }

    pub fn get_app(&self, id: &str) -> serde_json::Value {
        let (status, body) = self.call("GET", &format!("/v1/oauth-apps/{id}"), None);
        assert_eq!(status, 200, "GET {id}: {body}");
        body
    }

    /// Every app, across pages.
    pub fn all_apps(&self) -> Vec<serde_json::Value> {
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
            if body["has_more"] != serde_json::Value::Bool(true) {
                return apps;
            }
            after = body["last_id"].as_str().map(String::from);
        }
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Workdir {
    /// Points the provider at `emulator` through the environment, as users do.
    pub fn use_emulator(&mut self, emulator: &EmulatorProcess) {
        self.set_env("WRITER_API_KEY", FAKE_API_KEY);
        self.set_env("WRITER_BASE_URL", &emulator.base_url);
    }

    /// `terraform plan -detailed-exitcode`: 0 no changes, 2 changes.
    pub fn plan_exit_code(&self) -> (i32, String) {
        let run = self.terraform(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
        assert!(
            run.status == 0 || run.status == 2,
            "plan failed:\n{}",
            run.all()
        );
        (run.status, run.stdout)
    }

    pub fn apply(&self) -> Run {
        self.terraform(&["apply", "-input=false", "-no-color", "-auto-approve"])
            .ok()
    }

    /// An attribute of a resource in the state, via `terraform show -json`.
    pub fn state_attribute(&self, address: &str, attribute: &str) -> serde_json::Value {
        let show = self.terraform(&["show", "-json", "-no-color"]).ok();
        let doc: serde_json::Value = serde_json::from_str(&show.stdout).expect("show -json");
        let resources = doc["values"]["root_module"]["resources"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        resources
            .iter()
            .find(|r| r["address"] == address)
            .map(|r| r["values"][attribute].clone())
            .unwrap_or(serde_json::Value::Null)
    }
}
