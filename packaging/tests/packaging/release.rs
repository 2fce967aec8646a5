//! The release, as users meet it: what `scripts/release.sh` writes (names,
//! one entry per zip, checksums, manifest, signature), the static linux
//! binaries answering the real `terraform` (arm64 under qemu-user), the
//! windows_amd64 `.exe` under Wine (Debian's `wine64`)
//! printing go-plugin's TCP handshake line and answering `GetProviderSchema`
//! over mutual TLS, the zips as a packed `filesystem_mirror`, and
//! `scripts/install.sh` into Terraform's implied local mirror.
//!
//! `scripts/packaging-check` builds the artefacts once, before these tests,
//! and names them in `WRITER_RELEASE_ARTEFACTS` (`crate::artefacts`). Needs
//! python3 (release.sh), `file`, `sha256sum` and `gpg`, like the release
//! itself, nasm for the Windows build, `qemu-aarch64-static` for the arm64
//! binary, and `wine64` (or `wine`) and zig for the `.exe`
//! (`crate::support::wine`): missing, the test fails, saying how to get it;
//! `scripts/packaging-check` checks them all before building anything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::gpg::Keyring;
use crate::support::terraform::{platform, provider_dir, terraform_binary};
use crate::support::{output_text as text, run_ok as run};
use crate::support::{PROVIDER_ADDRESS, PROVIDER_VERSION};

use crate::support::root;
use crate::{artefacts, artefacts_given};

const NAME: &str = "terraform-provider-writer";
const LINUX: [&str; 2] = ["linux_amd64", "linux_arm64"];
const WINDOWS: &str = "windows_amd64";
/// Every platform `scripts/release.sh` builds by default on Linux.
const PLATFORMS: [&str; 3] = [LINUX[0], LINUX[1], WINDOWS];
/// The issue's promise for each release binary.
const MAX_BINARY_BYTES: u64 = 10_000_000;

fn zip_name(platform: &str) -> String {
    format!("{NAME}_{PROVIDER_VERSION}_{platform}.zip")
}

fn binary_name() -> String {
    format!("{NAME}_v{PROVIDER_VERSION}")
}

/// The names of a zip's entries, and the one entry extracted into `into`.
fn unzip(zip: &Path, into: &Path) -> (Vec<String>, PathBuf) {
    let script = "import sys, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  print('\\n'.join(z.namelist()))\n\
                  z.extractall(sys.argv[2])\n";
    let out = run(Command::new("python3")
        .args(["-c", script])
        .arg(zip)
        .arg(into));
    let names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let binary = into.join(binary_name());
    // zipfile does not restore the mode; Terraform's installer does (checked by the mirror test).
    use std::os::unix::fs::PermissionsExt;
    if binary.exists() {
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (names, binary)
}

fn terraform(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(terraform_binary());
    cmd.args(args)
        .current_dir(dir)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .env_remove("TF_CLI_CONFIG_FILE")
        .env_remove("TERRAFORM_CONFIG")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env_remove("TF_LOG")
        .env_remove("XDG_DATA_HOME")
        .env_remove("WRITER_API_KEY")
        .env_remove("WRITER_BASE_URL")
        .env_remove("WRITER_APP_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("terraform runs")
}

fn configuration(callback_url: &str) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    writer = {{
      source  = "writer/writer"
      version = "{PROVIDER_VERSION}"
    }}
  }}
}}

provider "writer" {{}}

resource "writer_confluence_oauth_app" "engineering" {{
  name                     = "Engineering Confluence"
  client_id                = "fake-client-id-not-real"
  client_secret_wo         = "fake-secret-not-real-0001"
  client_secret_wo_version = 1
  callback_url             = "{callback_url}"
  scopes                   = ["search:confluence", "read:space:confluence", "read:page:confluence"]
}}
"#
    )
}

const GOOD_URL: &str = "https://app.writer.com/connector/confluence";

/// Terraform starts the provider found in `dir` (dev_overrides): its handshake,
/// schema and validation answer a good configuration and a wrong callback URL.
fn terraform_validates_with(dir: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let cli_config = tmp.path().join("terraformrc");
    std::fs::write(
        &cli_config,
        format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_ADDRESS}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            dir.display()
        ),
    )
    .unwrap();
    let env = [("TF_CLI_CONFIG_FILE", cli_config.as_path())];
    std::fs::write(tmp.path().join("main.tf"), configuration(GOOD_URL)).unwrap();
    let good = terraform(tmp.path(), &["validate", "-no-color"], &env);
    assert!(good.status.success(), "{}", text(&good));
    std::fs::write(
        tmp.path().join("main.tf"),
        configuration("http://app.writer.com/connector/confluence"),
    )
    .unwrap();
    let bad = terraform(tmp.path(), &["validate", "-no-color"], &env);
    assert!(!bad.status.success(), "{}", text(&bad));
    assert!(
        text(&bad).contains("callback_url") && text(&bad).contains(GOOD_URL),
        "the provider's own diagnostic: {}",
        text(&bad)
    );
}

/// qemu-user for aarch64 on PATH; missing, a loud failure.
fn qemu_aarch64() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|d| [d.join("qemu-aarch64-static"), d.join("qemu-aarch64")])
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "the linux_arm64 binary runs under qemu-user: install it (Debian: apt-get \
                 install qemu-user-static). This check is never skipped."
            )
        })
}

#[test]
fn release_writes_what_the_registry_expects() {
    let out = artefacts();
    let names: BTreeSet<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let prefix = format!("{NAME}_{PROVIDER_VERSION}");
    let mut expected: BTreeSet<String> = PLATFORMS.iter().map(|p| zip_name(p)).collect();
    expected.insert(format!("{prefix}_SHA256SUMS"));
    expected.insert(format!("{prefix}_manifest.json"));
    assert_eq!(names, expected, "no signature without GPG_FINGERPRINT");

    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join(format!("{prefix}_manifest.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest,
        serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}})
    );

    let sums = std::fs::read_to_string(out.join(format!("{prefix}_SHA256SUMS"))).unwrap();
    let summed: BTreeSet<String> = sums
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(str::to_string)
        .collect();
    let mut want: BTreeSet<String> = PLATFORMS.iter().map(|p| zip_name(p)).collect();
    want.insert(format!("{prefix}_manifest.json"));
    assert_eq!(summed, want, "{sums}");
    let check = run(Command::new("sha256sum")
        .args(["--strict", "-c"])
        .arg(format!("{prefix}_SHA256SUMS"))
        .current_dir(out));
    assert_eq!(
        text(&check).matches(": OK").count(),
        PLATFORMS.len() + 1,
        "{}",
        text(&check)
    );
}

#[test]
fn release_binaries_are_static_small_and_answer_terraform() {
    let out = artefacts();
    let tmp = tempfile::tempdir().unwrap();
    for (platform, elf_arch) in [(LINUX[0], "x86-64"), (LINUX[1], "ARM aarch64")] {
        let dir = tmp.path().join(platform);
        let (entries, binary) = unzip(&out.join(zip_name(platform)), &dir);
        assert_eq!(entries, [binary_name()], "{platform}: one entry");
        let file = text(&run(Command::new("file").arg(&binary)));
        assert!(file.contains(elf_arch), "{platform}: {file}");
        assert!(
            file.contains("statically linked") || file.contains("static-pie linked"),
            "{platform} must need no libc of the host: {file}"
        );
        assert!(!file.contains("not stripped"), "{platform}: {file}");
        let size = std::fs::metadata(&binary).unwrap().len();
        assert!(size < MAX_BINARY_BYTES, "{platform}: {size} bytes");

        // dev_overrides wants the plain name; arm64 goes through qemu-user.
        let overrides = tmp.path().join(format!("{platform}-override"));
        std::fs::create_dir(&overrides).unwrap();
        let launcher = overrides.join(NAME);
        let version_cmd = if platform == "linux_amd64" {
            std::os::unix::fs::symlink(&binary, &launcher).unwrap();
            Command::new(&binary).arg("--version").output()
        } else {
            let qemu = qemu_aarch64();
            std::fs::write(
                &launcher,
                format!(
                    "#!/bin/sh\nexec '{}' '{}' \"$@\"\n",
                    qemu.display(),
                    binary.display()
                ),
            )
            .unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755)).unwrap();
            Command::new(&qemu).arg(&binary).arg("--version").output()
        };
        let version = version_cmd.expect("the binary runs");
        assert_eq!(
            String::from_utf8_lossy(&version.stdout),
            format!("{NAME} {PROVIDER_VERSION}\n"),
            "{platform}"
        );
        terraform_validates_with(&overrides);
    }
}

#[test]
fn release_signs_the_checksums_with_the_configured_key() {
    let out = artefacts();
    let signed = tempfile::tempdir().unwrap();
    for platform in PLATFORMS {
        std::fs::copy(
            out.join(zip_name(platform)),
            signed.path().join(zip_name(platform)),
        )
        .unwrap();
    }
    // A throwaway key, in a throwaway keyring.
    let keyring = Keyring::new();
    let fingerprint = keyring.generate("Release Test <release-test@example.invalid>", "ed25519");
    run(Command::new(root().join("scripts/release.sh"))
        .arg("--checksums-only")
        .arg(signed.path())
        .env("GPG_FINGERPRINT", &fingerprint)
        .env("GNUPGHOME", keyring.home()));
    let sums = format!("{NAME}_{PROVIDER_VERSION}_SHA256SUMS");
    let sig = signed.path().join(format!("{sums}.sig"));
    let verify = keyring.gpg(&[
        "--verify",
        sig.to_str().unwrap(),
        signed.path().join(&sums).to_str().unwrap(),
    ]);
    assert!(
        text(&verify).contains("Good signature"),
        "{}",
        text(&verify)
    );
    // The signed checksums cover every zip, and every zip matches them.
    let check = run(Command::new("sha256sum")
        .args(["--strict", "-c"])
        .arg(&sums)
        .current_dir(signed.path()));
    for platform in PLATFORMS {
        assert!(
            text(&check).contains(&format!("{}: OK", zip_name(platform))),
            "{}",
            text(&check)
        );
    }
}

#[test]
fn release_zips_serve_as_a_packed_filesystem_mirror() {
    let out = artefacts();
    let tmp = tempfile::tempdir().unwrap();
    let mirror = tmp.path().join("mirror");
    let packages = mirror.join(PROVIDER_ADDRESS);
    std::fs::create_dir_all(&packages).unwrap();
    for platform in LINUX {
        std::fs::copy(
            out.join(zip_name(platform)),
            packages.join(zip_name(platform)),
        )
        .unwrap();
    }
    let cli_config = tmp.path().join("terraformrc");
    std::fs::write(
        &cli_config,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{PROVIDER_ADDRESS}\"]\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(work.join("main.tf"), configuration(GOOD_URL)).unwrap();
    let env = [("TF_CLI_CONFIG_FILE", cli_config.as_path())];

    let init = terraform(&work, &["init", "-input=false", "-no-color"], &env);
    assert!(init.status.success(), "{}", text(&init));
    assert!(
        text(&init).contains(&format!("Installed writer/writer v{PROVIDER_VERSION}")),
        "{}",
        text(&init)
    );
    let mirror_flag = format!("-fs-mirror={}", mirror.display());
    let mut lock_args = vec!["providers", "lock", mirror_flag.as_str()];
    let platform_flags: Vec<String> = LINUX.iter().map(|p| format!("-platform={p}")).collect();
    lock_args.extend(platform_flags.iter().map(String::as_str));
    let lock = terraform(&work, &lock_args, &env);
    assert!(lock.status.success(), "{}", text(&lock));
    let lock_file = std::fs::read_to_string(work.join(".terraform.lock.hcl")).unwrap();
    assert!(
        lock_file.contains(&format!("version     = \"{PROVIDER_VERSION}\"")),
        "{lock_file}"
    );
    let hashes: BTreeSet<&str> = lock_file
        .split('"')
        .filter(|s| s.starts_with("h1:"))
        .collect();
    assert_eq!(
        hashes.len(),
        2,
        "one h1 hash per linux platform: {lock_file}"
    );

    // A fresh init checks the installed package against the two-platform lock file.
    std::fs::remove_dir_all(work.join(".terraform")).unwrap();
    let again = terraform(&work, &["init", "-input=false", "-no-color"], &env);
    assert!(again.status.success(), "{}", text(&again));
    let validate = terraform(&work, &["validate", "-no-color"], &env);
    assert!(validate.status.success(), "{}", text(&validate));
    let installed = work
        .join(".terraform/providers")
        .join(PROVIDER_ADDRESS)
        .join(PROVIDER_VERSION)
        .join(platform())
        .join(binary_name());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&installed).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o111,
        0o111,
        "executable as unpacked by Terraform: {mode:o}"
    );
}

#[test]
fn install_script_needs_no_cli_configuration() {
    let home = tempfile::tempdir().unwrap();
    let mut script = Command::new(root().join("scripts/install.sh"));
    if artefacts_given() {
        script.arg("--from").arg(artefacts());
    } else {
        artefacts(); // one build at a time: install.sh then finds it fresh
    }
    let install = run(script
        .env("HOME", home.path())
        .env_remove("RELEASE_PLATFORMS"));
    let said = text(&install);
    let dir = provider_dir(&home.path().join(".terraform.d/plugins"));
    assert!(dir.join(binary_name()).is_file(), "{said}");
    assert!(
        said.contains(&dir.display().to_string()),
        "says where: {said}"
    );
    assert!(said.contains("rm -rf"), "says how to undo: {said}");

    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("main.tf"), configuration(GOOD_URL)).unwrap();
    let env = [("HOME", home.path())];
    let init = terraform(work.path(), &["init", "-input=false", "-no-color"], &env);
    assert!(init.status.success(), "{}", text(&init));
    let validate = terraform(work.path(), &["validate", "-no-color"], &env);
    assert!(validate.status.success(), "{}", text(&validate));
}

/// The windows_amd64 zip holds one `.exe`, a PE32+ x86-64 Windows program
/// under 10 MB; under Wine it prints its version, then, started as Terraform
/// starts it, a go-plugin TCP handshake line (Windows has no unix sockets),
/// and answers `GetProviderSchema` over mutual TLS, to Terraform's
/// certificate only.
#[tokio::test]
async fn windows_exe_under_wine_hands_shake_on_tcp_and_serves_the_schema() {
    use crate::support::plugin_client::{
        assert_is_the_writer_schema, channel, get_schema, parse_handshake, terraform_environment,
        terraform_like_identity, Address,
    };
    use std::io::{BufRead, BufReader};

    let out = artefacts();
    let tmp = tempfile::tempdir().unwrap();
    let (entries, _) = unzip(&out.join(zip_name(WINDOWS)), tmp.path());
    let exe_name = format!("{}.exe", binary_name());
    assert_eq!(
        entries,
        std::slice::from_ref(&exe_name),
        "{WINDOWS}: one entry"
    );
    let exe = tmp.path().join(&exe_name);
    let file = text(&run(Command::new("file").arg(&exe)));
    assert!(
        file.contains("PE32+") && file.contains("x86-64") && file.contains("MS Windows"),
        "{WINDOWS}: {file}"
    );
    let size = std::fs::metadata(&exe).unwrap().len();
    assert!(size < MAX_BINARY_BYTES, "{WINDOWS}: {size} bytes");

    let version = run(crate::support::wine::command(&exe)
        .arg("--version")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE"));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).replace("\r\n", "\n"),
        format!("{NAME} {PROVIDER_VERSION}\n")
    );

    let id = terraform_like_identity();
    let mut command = crate::support::wine::command(&exe);
    terraform_environment(&mut command, &id.pem);
    let mut child = command
        .env_remove("PLUGIN_TRANSPORT")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("wine starts the .exe");
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let stdout = child.stdout.take().expect("stdout");
    let _child = Kill(child);
    // Reading blocks: on a thread, with a deadline.
    let (line_tx, line_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = line_tx.send(line);
    });
    let line = line_rx
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("a handshake line within 2 minutes (the first Wine start makes its prefix)");
    let handshake = parse_handshake(line.trim_end_matches(['\r', '\n']));
    let Address::Tcp(address) = handshake.address else {
        panic!("on Windows the handshake names TCP: {line:?}");
    };
    assert!(address.ip().is_loopback(), "{line:?}");

    let schema = get_schema(
        channel(&handshake, Some(&id))
            .await
            .expect("mutual TLS connects"),
    )
    .await
    .expect("GetProviderSchema");
    assert_is_the_writer_schema(&schema);
    let intruder = terraform_like_identity();
    if let Ok(ch) = channel(&handshake, Some(&intruder)).await {
        get_schema(ch)
            .await
            .expect_err("another certificate, no RPC");
    }
}
