//! The one test-support module of the integration tests. Each test binary
//! (`tests/acceptance/main.rs`, `tests/plugin/main.rs`, `tests/api/main.rs`,
//! and the packaging checks' `packaging/tests/packaging/main.rs`) compiles it
//! once, as `#[macro_use] #[path = "../support/mod.rs"] mod support;`, and
//! its modules say `crate::support::...`. What is where:
//!
//! - here: the fake keys and secrets every test uses ([`ADMIN`],
//!   [`READ_ONLY`], [`UNKNOWN_KEY`], [`SECRET`], [`secret`]), the crate's
//!   own constants, re-exported rather than repeated ([`REQUIRED_SCOPES`],
//!   [`PROVIDER_ADDRESS`], [`PROVIDER_VERSION`]), and where things are:
//!   [`root`] (the repository), [`target_dir`], [`provider_binary`].
//! - [`terraform`]: the real `terraform` driving the real provider binary,
//!   installed from a filesystem mirror, in a throwaway [`terraform::Workdir`];
//!   [`terraform::Terraform`] picks the version (1.11 on `PATH`, 1.15 from
//!   `WRITER_TERRAFORM_1_15` or installed on demand into `target/`).
//! - [`emulator`]: the emulator in this process ([`emulator::Emulator`], on
//!   the library's `emulator::spawn_local`) with raw-HTTP helpers for its API
//!   tests, and the `writer-emulator` binary as a process
//!   ([`emulator::EmulatorProcess`]) with blocking calls for synchronous tests.
//! - [`client`]: the Writer API client configured for tests, and a new app.
//! - [`proxy`]: a scripted proxy in front of an emulator that loses answers
//!   or replies itself, exactly when a test says.
//! - [`capture`]: a tracing layer that records every log line, and the check
//!   that none holds a secret.
//! - [`fake_writer`]: a scriptable hostile Writer of our own (no rules at all).
//! - [`published_writer`]: `tests/published_writer/writer.py`, a Writer that
//!   follows only Writer's published documentation (not our emulator), as a
//!   process: [`published_writer::PublishedWriter`].
//! - [`provider`]: the provider in process, configured against a base URL.
//! - [`plugin_client`]: the provider binary started as Terraform starts it,
//!   its handshake line read, and gRPC over mutual TLS on either transport.
//! - [`https_site`]: an HTTPS server of ours (throwaway CA) serving a
//!   directory: a provider registry, a network mirror.
//! - [`gpg`]: a throwaway GnuPG keyring, to sign releases.
//! - [`wine`]: the windows `.exe` under Wine, with the one DLL Wine 8 lacks.
//! - `on_every_terraform!(scenario, ...)`: each `fn scenario(Terraform)` as
//!   two tests, `scenario::terraform_on_path` and `scenario::terraform_1_15`
//!   (the binary says `#[macro_use]` on `mod support;`, before its modules).

#![allow(dead_code)] // each test binary uses a different part of this module

/// Each scenario, as a test on each Terraform version:
/// `NAME::terraform_on_path` and `NAME::terraform_1_15`.
#[allow(unused_macros)]
macro_rules! on_every_terraform {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn terraform_on_path() {
                super::$name(crate::support::terraform::Terraform::OnPath)
            }

            #[test]
            fn terraform_1_15() {
                super::$name(crate::support::terraform::Terraform::V1_15)
            }
        }
    )*};
}

pub mod capture;
pub mod client;
pub mod emulator;
pub mod fake_writer;
pub mod gpg;
pub mod https_site;
pub mod plugin_client;
pub mod provider;
pub mod proxy;
pub mod published_writer;
pub mod terraform;
pub mod wine;

pub use terraform_provider_writer::domain::REQUIRED_SCOPES;
pub use terraform_provider_writer::provider::ADDRESS as PROVIDER_ADDRESS;

use std::path::{Path, PathBuf};

/// The repository's root: the workspace's, where `Cargo.lock` is (the test
/// binaries of the root package and of `packaging/` both find it).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .expect("the workspace root, holding Cargo.lock, above CARGO_MANIFEST_DIR")
}

/// Cargo's target directory: `CARGO_TARGET_DIR`, else `target/` in the root.
/// Tools installed on demand (Terraform 1.15, release.sh's zig) live here.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// The provider binary cargo built for the root package's tests. The
/// packaging checks (another package, `packaging/`) have none: they run the
/// release's binaries, and calling this there fails saying so.
pub fn provider_binary() -> &'static Path {
    match option_env!("CARGO_BIN_EXE_terraform-provider-writer") {
        Some(binary) => Path::new(binary),
        None => panic!(
            "only the root package's tests have cargo's debug provider binary; the packaging \
             checks use the release zips of scripts/release.sh"
        ),
    }
}

/// Cargo.toml's version: the one source of truth. The packaging checks (the
/// `packaging/` package, whose own version is not the provider's) get the
/// root package's from their build script.
pub const PROVIDER_VERSION: &str = match option_env!("WRITER_PROVIDER_VERSION") {
    Some(version) => version,
    None => env!("CARGO_PKG_VERSION"),
};

/// An admin key: may read and change apps. Obviously fake, and searched for
/// in logs and state by the secret tests.
pub const ADMIN: &str = "test-admin-key-not-real";
/// A key without the admin role: reads succeed, writes are 403.
pub const READ_ONLY: &str = "test-read-only-key-not-real";
/// A key the emulator does not know.
pub const UNKNOWN_KEY: &str = "test-unknown-key-not-real";
/// The first fake client secret, `secret(1)`.
pub const SECRET: &str = "fake-secret-0001";

/// The value of header `name` (any case) among `headers`.
pub fn header_value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The `n`th fake client secret; every one is distinct, so a leak of any of
/// them can be looked for.
pub fn secret(n: usize) -> String {
    format!("fake-secret-{n:04}")
}

/// Runs `cmd`; fails the test with its whole output unless it succeeds.
pub fn run_ok(cmd: &mut std::process::Command) -> std::process::Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A finished command's stdout then stderr, as text.
pub fn output_text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// [`in_a_process_of_its_own`] for an async test: in the child process,
/// runs `body` on a current-thread runtime (where a thread's log capture
/// sees every task of the test); in the test binary's own run, passes when
/// the child passes.
pub fn alone_on_a_runtime(module: &str, test: &str, body: impl std::future::Future<Output = ()>) {
    if in_a_process_of_its_own(module, test) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(body);
    }
}

/// The environment variable telling a test binary started by
/// [`in_a_process_of_its_own`] which test it runs for its parent.
const ALONE_ENV: &str = "WRITER_TEST_ALONE";

/// For a test that measures its whole process (peak memory, open files),
/// which the other tests of its binary, parallel threads, would disturb:
/// `true` in a child process running only that test, where the caller then
/// does the work; in the test binary's own run, it starts that child (this
/// binary, `--exact` the test, one thread), fails with its output unless it
/// passes, and returns `false`. `module` is `module_path!()`, `test` the
/// test function's name.
pub fn in_a_process_of_its_own(module: &str, test: &str) -> bool {
    // The test's name as the harness lists it: without the crate's name.
    let name = match module.split_once("::") {
        Some((_crate, path)) => format!("{path}::{test}"),
        None => test.to_string(),
    };
    if std::env::var(ALONE_ENV).as_deref() == Ok(name.as_str()) {
        return true;
    }
    let exe = std::env::current_exe().expect("this test binary");
    let out = run_ok(
        std::process::Command::new(exe)
            .args([name.as_str(), "--exact", "--test-threads=1", "--nocapture"])
            .env(ALONE_ENV, &name),
    );
    let said = output_text(&out);
    assert!(
        said.contains("test result: ok. 1 passed"),
        "{name} did not run alone in its child process:\n{said}"
    );
    eprint!("{said}");
    false
}
