//! The provider installed the way teams install it, by the real `terraform`
//! (1.11 on PATH and 1.15): from a registry, and from a network mirror.
//!
//! The registry is ours (`support::https_site`): HTTPS on `127.0.0.1:0` with
//! a throwaway CA that Terraform trusts through `SSL_CERT_FILE`, answering the
//! provider registry protocol (service discovery, `versions`, `download` with
//! `shasums_url`, `shasums_signature_url` and `signing_keys`) with files this
//! test writes. The release is signed as a maintainer signs it:
//! `scripts/release.sh --checksums-only` with `GPG_FINGERPRINT` set, a
//! throwaway RSA key (the public registry takes RSA keys) in a throwaway
//! keyring. The provider's source address is `localhost:PORT/writer/writer`.
//!
//! - A good release installs; the lock file holds a `zh:` hash for every
//!   platform served, and the provider answers `terraform validate`.
//! - A wrong signature, a wrong checksum and a wrong key are each refused in
//!   Terraform's own words, and nothing is installed.
//! - `terraform providers mirror` of the registry, served by another HTTPS
//!   server with the registry gone, installs through `network_mirror`.
//!
//! The zips: every platform's of the release (`crate::artefacts`: what
//! `scripts/release.sh` built; `scripts/packaging-check` names them in
//! `WRITER_RELEASE_ARTEFACTS`), so Terraform installs the static release
//! binary for this machine and records the others' checksums.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::support::gpg::{key_id, Keyring};
use crate::support::https_site::{HttpsSite, TestCa};
use crate::support::terraform::{platform, Terraform};
use crate::support::{output_text as text, run_ok as run};
use crate::support::{root, PROVIDER_VERSION};

const NAME: &str = "terraform-provider-writer";

fn prefix() -> String {
    format!("{NAME}_{PROVIDER_VERSION}")
}

/// The release zips to serve, by platform (`linux_amd64`, ...).
fn zips() -> &'static Vec<(String, PathBuf)> {
    static ZIPS: OnceLock<Vec<(String, PathBuf)>> = OnceLock::new();
    ZIPS.get_or_init(|| {
        let dir = crate::artefacts();
        let mut zips: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|name| {
                let platform = name
                    .strip_prefix(&format!("{}_", prefix()))?
                    .strip_suffix(".zip")?
                    .to_string();
                Some((platform, dir.join(&name)))
            })
            .collect();
        zips.sort();
        assert!(
            zips.iter().any(|(p, _)| *p == platform()),
            "no release zip for this machine ({}) in {}: {zips:?}",
            platform(),
            dir.display()
        );
        zips
    })
}

/// The signing keys: the release's, and another that did not sign it.
struct Keys {
    keyring: Keyring,
    release: String,
    other: String,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let keyring = Keyring::new();
        let release = keyring.generate("Registry Test <registry-test@example.invalid>", "rsa3072");
        let other = keyring.generate("Not The Signer <not-the-signer@example.invalid>", "rsa3072");
        Keys {
            keyring,
            release,
            other,
        }
    })
}

/// What a test does to the release before Terraform sees it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tamper {
    Nothing,
    /// SHA256SUMS changed after it was signed.
    Signature,
    /// A zip changed after its checksum was taken.
    Checksum,
    /// The registry names a key that did not sign the release.
    Key,
}

/// A registry serving this release at `https://localhost:PORT`.
struct Registry {
    site: HttpsSite,
    dir: tempfile::TempDir,
    ca: TestCa,
}

impl Registry {
    fn start(tamper: Tamper) -> Self {
        let ca = TestCa::new();
        let dir = tempfile::tempdir().unwrap();
        let site = HttpsSite::start(dir.path(), &ca);
        let registry = Self { site, dir, ca };
        registry.publish(tamper);
        registry
    }

    /// The provider's source address here.
    fn source(&self) -> String {
        format!("{}/writer/writer", self.site.host())
    }

    /// Writes the release and the registry's answers about it.
    fn publish(&self, tamper: Tamper) {
        let site = self.dir.path();
        let files = site.join("releases").join(PROVIDER_VERSION);
        std::fs::create_dir_all(&files).unwrap();
        for (_, zip) in zips() {
            // A link where it can be; the checksum case rewrites its copy.
            let served = files.join(zip.file_name().unwrap());
            if std::fs::hard_link(zip, &served).is_err() {
                std::fs::copy(zip, &served).unwrap();
            }
        }
        let keys = keys();
        run(Command::new(root().join("scripts/release.sh"))
            .arg("--checksums-only")
            .arg(&files)
            .env("GPG_FINGERPRINT", &keys.release)
            .env("GNUPGHOME", keys.keyring.home()));
        let sums_name = format!("{}_SHA256SUMS", prefix());
        let sums = std::fs::read_to_string(files.join(&sums_name)).unwrap();
        match tamper {
            Tamper::Signature => {
                let changed = format!("{sums}{}  extra.zip\n", "0".repeat(64));
                std::fs::write(files.join(&sums_name), changed).unwrap();
            }
            Tamper::Checksum => {
                let (_, zip) = &zips()[0];
                let served = files.join(zip.file_name().unwrap());
                let mut bytes = std::fs::read(&served).unwrap();
                bytes.extend_from_slice(b"tampered");
                std::fs::remove_file(&served).unwrap(); // a link: the original stays as it is
                std::fs::write(&served, bytes).unwrap();
            }
            Tamper::Nothing | Tamper::Key => {}
        }
        let key = if tamper == Tamper::Key {
            &keys.other
        } else {
            &keys.release
        };

        write_json(
            &site.join(".well-known/terraform.json"),
            &serde_json::json!({"providers.v1": "/v1/providers/"}),
        );
        let platforms: Vec<serde_json::Value> = zips()
            .iter()
            .map(|(p, _)| {
                let (os, arch) = p.split_once('_').unwrap();
                serde_json::json!({"os": os, "arch": arch})
            })
            .collect();
        let api = site.join("v1/providers/writer/writer");
        write_json(
            &api.join("versions"),
            &serde_json::json!({"versions": [
                {"version": PROVIDER_VERSION, "protocols": ["6.0"], "platforms": platforms}
            ]}),
        );
        let base = format!("{}/releases/{PROVIDER_VERSION}", self.site.base_url());
        for (platform, zip) in zips() {
            let (os, arch) = platform.split_once('_').unwrap();
            let filename = zip.file_name().unwrap().to_string_lossy().into_owned();
            let shasum = sums
                .lines()
                .find(|l| l.ends_with(&format!("  {filename}")))
                .and_then(|l| l.split_whitespace().next())
                .expect("the zip's checksum")
                .to_string();
            write_json(
                &api.join(format!("{PROVIDER_VERSION}/download/{os}/{arch}")),
                &serde_json::json!({
                    "protocols": ["6.0"],
                    "os": os,
                    "arch": arch,
                    "filename": filename,
                    "download_url": format!("{base}/{filename}"),
                    "shasums_url": format!("{base}/{sums_name}"),
                    "shasums_signature_url": format!("{base}/{sums_name}.sig"),
                    "shasum": shasum,
                    "signing_keys": {"gpg_public_keys": [{
                        "key_id": key_id(key),
                        "ascii_armor": keys.keyring.armored_public_key(key),
                        "trust_signature": "",
                        "source": "Registry Test",
                        "source_url": null
                    }]}
                }),
            );
        }
    }
}

fn write_json(path: &Path, value: &serde_json::Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
}

/// A Terraform working directory using `source`, trusting `ca`, with its own
/// CLI configuration (`cli_config`, empty for the default installation).
struct Work {
    dir: tempfile::TempDir,
    terraform: Terraform,
    ca_file: PathBuf,
}

impl Work {
    fn new(terraform: Terraform, source: &str, ca: &TestCa, cli_config: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("terraformrc"), cli_config).unwrap();
        std::fs::write(
            dir.path().join("main.tf"),
            format!(
                "terraform {{\n  required_providers {{\n    writer = {{\n      source  = \"{source}\"\n      version = \"{PROVIDER_VERSION}\"\n    }}\n  }}\n}}\n\n\
                 provider \"writer\" {{}}\n\n\
                 data \"writer_confluence_oauth_app\" \"engineering\" {{\n  name = \"Engineering\"\n}}\n"
            ),
        )
        .unwrap();
        Self {
            dir,
            terraform,
            ca_file: ca.ca_file.clone(),
        }
    }

    fn terraform(&self, args: &[&str]) -> Output {
        Command::new(self.terraform.binary())
            .args(args)
            .current_dir(self.dir.path())
            .env("SSL_CERT_FILE", &self.ca_file)
            .env("TF_CLI_CONFIG_FILE", self.dir.path().join("terraformrc"))
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env_remove("SSL_CERT_DIR")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .env_remove("TF_LOG")
            .env_remove("WRITER_API_KEY")
            .env_remove("WRITER_BASE_URL")
            .output()
            .expect("terraform runs")
    }

    fn init(&self) -> Output {
        self.terraform(&["init", "-input=false", "-no-color"])
    }

    fn lock_file(&self) -> String {
        std::fs::read_to_string(self.dir.path().join(".terraform.lock.hcl")).unwrap_or_default()
    }

    /// Whether any provider binary was unpacked into `.terraform/providers`.
    fn installed_anything(&self) -> bool {
        let providers = self.dir.path().join(".terraform/providers");
        fn any_file(dir: &Path) -> bool {
            std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| {
                    let p = e.path();
                    p.is_file() || (p.is_dir() && any_file(&p))
                })
        }
        any_file(&providers)
    }
}

/// The hashes of one kind (`zh:`, `h1:`) in a lock file.
fn hashes<'l>(lock_file: &'l str, kind: &str) -> BTreeSet<&'l str> {
    lock_file
        .split('"')
        .filter(|s| s.starts_with(kind))
        .collect()
}

/// The good release installs, self-signed by our key; the lock file records
/// a `zh:` hash for each zip; the provider runs.
fn signed_release_installs_from_the_registry(tf: Terraform) {
    let registry = Registry::start(Tamper::Nothing);
    let work = Work::new(tf, &registry.source(), &registry.ca, "");
    let init = work.init();
    assert!(init.status.success(), "{}", text(&init));
    let said = text(&init);
    let keys = keys();
    assert!(
        said.contains(&format!(
            "Installed {} v{PROVIDER_VERSION} (self-signed, key ID {})",
            registry.source(),
            key_id(&keys.release)
        )),
        "{said}"
    );
    let lock = work.lock_file();
    let zh = hashes(&lock, "zh:");
    let sums = std::fs::read_to_string(registry.dir.path().join(format!(
        "releases/{PROVIDER_VERSION}/{}_SHA256SUMS",
        prefix()
    )))
    .unwrap();
    // Terraform records every checksum of the signed document: each zip's, and the manifest's.
    let signed: BTreeSet<String> = sums
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(|sum| format!("zh:{sum}"))
        .collect();
    assert_eq!(
        zh,
        signed.iter().map(String::as_str).collect(),
        "the lock file's zh: hashes are SHA256SUMS':\n{lock}\n{sums}"
    );
    for (platform, zip) in zips() {
        let name = zip.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            sums.lines().any(|l| l.ends_with(&format!("  {name}"))),
            "{platform}: {name} in SHA256SUMS, so its zh: hash is in the lock file"
        );
    }
    assert_eq!(hashes(&lock, "h1:").len(), 1, "{lock}");
    assert!(
        lock.contains(&format!("provider \"{}\"", registry.source())),
        "{lock}"
    );
    let validate = work.terraform(&["validate", "-no-color"]);
    assert!(validate.status.success(), "{}", text(&validate));
    let asked = registry.site.requested();
    for path in [
        "/.well-known/terraform.json".to_string(),
        "/v1/providers/writer/writer/versions".to_string(),
        format!("/releases/{PROVIDER_VERSION}/{}_SHA256SUMS.sig", prefix()),
    ] {
        assert!(asked.contains(&path), "{path} not asked for: {asked:?}");
    }
}

/// Each tampered release: `terraform init` fails, in Terraform's words, and
/// installs nothing.
fn refused(tf: Terraform, tamper: Tamper, words: &[&str]) {
    let registry = Registry::start(tamper);
    let work = Work::new(tf, &registry.source(), &registry.ca, "");
    let init = work.init();
    let said = text(&init);
    assert!(
        !init.status.success(),
        "{tamper:?} must be refused:\n{said}"
    );
    let flat = said.split_whitespace().collect::<Vec<_>>().join(" ");
    for w in words {
        assert!(flat.contains(w), "{tamper:?}: no {w:?} in:\n{said}");
    }
    assert!(!work.installed_anything(), "{tamper:?}: nothing installed");
    assert!(hashes(&work.lock_file(), "zh:").is_empty(), "no lock entry");
}

fn a_wrong_signature_is_refused(tf: Terraform) {
    refused(
        tf,
        Tamper::Signature,
        &["Failed to install provider", "error checking signature"],
    );
}

fn a_wrong_checksum_is_refused(tf: Terraform) {
    refused(
        tf,
        Tamper::Checksum,
        &[
            "Failed to install provider",
            "archive has incorrect checksum",
        ],
    );
}

fn a_wrong_key_is_refused(tf: Terraform) {
    refused(
        tf,
        Tamper::Key,
        &["Failed to install provider", "unknown issuer"],
    );
}

/// `terraform providers mirror` of the registry, served by another HTTPS
/// server once the registry is gone, installs through `network_mirror`.
///
/// The mirrored address is `writer/writer` (`registry.terraform.io`), as
/// teams mirror it, not `localhost:PORT/...`: Terraform (1.11, 1.15) cannot
/// ask a network mirror for a hostname with a port (it builds the URL
/// `localhost:PORT/...` and refuses its "scheme"). A `host` block in the CLI
/// configuration points `registry.terraform.io`'s registry service at ours,
/// so nothing reaches the real registry.
fn providers_mirror_of_the_registry_installs_through_network_mirror(tf: Terraform) {
    let registry = Registry::start(Tamper::Nothing);
    let source = "registry.terraform.io/writer/writer";
    let mirrored = tempfile::tempdir().unwrap();
    let our_registry = format!(
        "host \"registry.terraform.io\" {{\n  services = {{\n    \"providers.v1\" = \"{}/v1/providers/\"\n  }}\n}}\n",
        registry.site.base_url()
    );
    let work = Work::new(tf, source, &registry.ca, &our_registry);
    let mut args = vec!["providers".to_string(), "mirror".to_string()];
    args.extend(zips().iter().map(|(p, _)| format!("-platform={p}")));
    args.push(mirrored.path().display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mirror = work.terraform(&args);
    assert!(mirror.status.success(), "{}", text(&mirror));
    assert!(
        registry
            .site
            .requested()
            .contains(&"/v1/providers/writer/writer/versions".to_string()),
        "mirrored from our registry: {:?}",
        registry.site.requested()
    );
    drop(registry);

    let ca = TestCa::new();
    let mirror_site = HttpsSite::start(mirrored.path(), &ca);
    let cli_config = format!(
        "provider_installation {{\n  network_mirror {{\n    url     = \"{}/\"\n    include = [\"{source}\"]\n  }}\n}}\n",
        mirror_site.base_url()
    );
    let fresh = Work::new(tf, source, &ca, &cli_config);
    let init = fresh.init();
    assert!(init.status.success(), "{}", text(&init));
    assert!(
        text(&init).contains(&format!("Installed writer/writer v{PROVIDER_VERSION}")),
        "{}",
        text(&init)
    );
    let validate = fresh.terraform(&["validate", "-no-color"]);
    assert!(validate.status.success(), "{}", text(&validate));
    let asked = mirror_site.requested();
    let index = format!("/{source}/index.json");
    assert!(asked.contains(&index), "{index} not asked for: {asked:?}");
    assert!(
        asked.iter().any(|p| p.ends_with(".zip")),
        "the zip came from the mirror: {asked:?}"
    );
}

on_every_terraform!(
    signed_release_installs_from_the_registry,
    a_wrong_signature_is_refused,
    a_wrong_checksum_is_refused,
    a_wrong_key_is_refused,
    providers_mirror_of_the_registry_installs_through_network_mirror,
);
