//! The packaging checks: the release as users meet it (`release`: what
//! `scripts/release.sh` writes, the static linux binaries answering the real
//! `terraform`, arm64 under qemu-user, the windows_amd64 `.exe` under Wine,
//! signing, a packed filesystem mirror, `scripts/install.sh`), and signed
//! registry and network-mirror installs of its zips (`registry_install`).
//!
//! Run by `scripts/packaging-check`, which first checks every tool these
//! need (zig, nasm, Wine, qemu-user, gpg, python3, the rust targets, and
//! Terraform 1.11 and 1.15) and names what is missing, then runs
//! `scripts/release.sh` once and these tests on its output
//! ([`ARTEFACTS_ENV`]). A package of its own (`packaging/`), so that the
//! root's `cargo test` neither builds nor runs them. Nothing here is skipped:
//! a missing tool fails its test saying how to install it.
//!
//! `tests/support` is the root's, compiled once more here; this package has
//! no provider binary of cargo's own: every provider it runs comes from the
//! release zips.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

mod registry_install;
mod release;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The environment variable naming the directory `scripts/release.sh` wrote
/// (unsigned): `scripts/packaging-check` sets it.
pub const ARTEFACTS_ENV: &str = "WRITER_RELEASE_ARTEFACTS";

/// What `scripts/release.sh` wrote, unsigned: [`ARTEFACTS_ENV`] when set
/// (`scripts/packaging-check` builds them just before these tests: a build
/// inside `cargo test` sees another environment and would rebuild), else a
/// run of it now, once, into cargo's temporary directory.
pub fn artefacts() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        if let Some(dir) = std::env::var_os(ARTEFACTS_ENV) {
            let dir = PathBuf::from(dir);
            assert!(
                dir.is_dir(),
                "{ARTEFACTS_ENV}={} is not a directory",
                dir.display()
            );
            return dir;
        }
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("release-artefacts");
        let _ = std::fs::remove_dir_all(&out);
        support::run_ok(
            Command::new(support::root().join("scripts/release.sh"))
                .arg(&out)
                .env_remove("GPG_FINGERPRINT")
                .env_remove("RELEASE_PLATFORMS"),
        );
        out
    })
}

/// Whether [`artefacts`] are a directory given in [`ARTEFACTS_ENV`] (else
/// they were built by this run).
pub fn artefacts_given() -> bool {
    std::env::var_os(ARTEFACTS_ENV).is_some()
}
