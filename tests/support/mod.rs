//! The one test-support module of every integration test: a test file says
//! `mod support;` and uses the parts it needs. What is where:
//!
//! - here: the fake keys and secrets every test uses ([`ADMIN`],
//!   [`READ_ONLY`], [`UNKNOWN_KEY`], [`SECRET`], [`secret`]) and the crate's
//!   own constants, re-exported rather than repeated ([`REQUIRED_SCOPES`],
//!   [`PROVIDER_ADDRESS`], [`PROVIDER_VERSION`]).
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
//! - [`provider`]: the provider in process, configured against a base URL.
//! - [`plugin_client`]: the provider binary started as Terraform starts it,
//!   its handshake line read, and gRPC over mutual TLS on either transport.
//! - [`https_site`]: an HTTPS server of ours (throwaway CA) serving a
//!   directory: a provider registry, a network mirror.
//! - [`gpg`]: a throwaway GnuPG keyring, to sign releases.
//! - [`wine`]: the windows `.exe` under Wine, with the one DLL Wine 8 lacks.
//! - `on_every_terraform!(scenario, ...)`: each `fn scenario(Terraform)` as
//!   two tests, `scenario::terraform_on_path` and `scenario::terraform_1_15`
//!   (a file that uses it says `#[macro_use] mod support;`).

#![allow(dead_code)] // each test file uses a different part of this module

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
pub mod terraform;
pub mod wine;

pub use terraform_provider_writer::domain::REQUIRED_SCOPES;
pub use terraform_provider_writer::provider::ADDRESS as PROVIDER_ADDRESS;

/// Cargo.toml's version: the one source of truth.
pub const PROVIDER_VERSION: &str = env!("CARGO_PKG_VERSION");

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
