//! A throwaway GnuPG keyring (its own `GNUPGHOME` under `/tmp`, short enough
//! for gpg-agent's socket path) for the tests that sign a release as a
//! maintainer does and have Terraform check the signature. Its keys have
//! obviously fake identities and no passphrase; the agent is stopped and the
//! keyring deleted when it is dropped. Needs `gpg`: missing, the test fails.

use std::path::Path;
use std::process::{Command, Output};

pub struct Keyring {
    home: tempfile::TempDir,
}

impl Keyring {
    pub fn new() -> Self {
        let home = tempfile::Builder::new()
            .prefix("gpg")
            .tempdir_in("/tmp")
            .expect("a GNUPGHOME");
        Self { home }
    }

    /// For `GNUPGHOME`.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// `gpg --batch ARGS` in this keyring; fails the test unless it succeeds.
    pub fn gpg(&self, args: &[&str]) -> Output {
        let out = Command::new("gpg")
            .args(["--batch", "--no-tty"])
            .args(args)
            .env("GNUPGHOME", self.home.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run gpg (Debian: apt-get install gnupg): {e}"));
        assert!(
            out.status.success(),
            "gpg {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// A new signing key without passphrase for `identity`, of `algorithm`
    /// (`ed25519`, `rsa3072`, ...); its fingerprint.
    pub fn generate(&self, identity: &str, algorithm: &str) -> String {
        let before = self.fingerprints();
        self.gpg(&[
            "--passphrase",
            "",
            "--quick-gen-key",
            identity,
            algorithm,
            "sign",
            "never",
        ]);
        self.fingerprints()
            .into_iter()
            .find(|f| !before.contains(f))
            .expect("the new key's fingerprint")
    }

    fn fingerprints(&self) -> Vec<String> {
        let listing = self.gpg(&["--with-colons", "--list-secret-keys"]).stdout;
        String::from_utf8_lossy(&listing)
            .lines()
            .filter_map(|l| l.strip_prefix("fpr:"))
            .map(|l| l.trim_matches(':').to_string())
            .collect()
    }

    /// The public key, ASCII-armored (what a registry publishes).
    pub fn armored_public_key(&self, fingerprint: &str) -> String {
        String::from_utf8(self.gpg(&["--armor", "--export", fingerprint]).stdout)
            .expect("ASCII armor")
    }
}

/// The long key ID (the last 16 hex digits of the fingerprint), as registries name keys.
pub fn key_id(fingerprint: &str) -> String {
    fingerprint[fingerprint.len() - 16..].to_uppercase()
}

impl Drop for Keyring {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", self.home.path())
            .output();
    }
}
