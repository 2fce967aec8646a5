//! The provider binary Terraform starts. `--debug` serves without Terraform
//! and prints the `TF_REATTACH_PROVIDERS` value to attach it; `--version`
//! prints the version (Terraform passes no arguments, so neither collides
//! with the plugin protocol).

use std::process::ExitCode;

use terraform_provider_writer::client::TRANSPORT_LOG_TARGETS;
use terraform_provider_writer::provider::{WriterProvider, ADDRESS};
use terraform_provider_writer::tfplugin::{log, serve, ServeOptions};

fn main() -> ExitCode {
    let debug = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--debug") => true,
        Some("--version") => {
            println!("terraform-provider-writer {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown argument {other:?}; the options are --debug and --version");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("terraform-provider-writer: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Connection reuse and the TLS handshake, at TRACE (never headers).
    log::also_write(TRANSPORT_LOG_TARGETS);
    let options = ServeOptions {
        address: ADDRESS.to_string(),
        binary_name: "terraform-provider-writer".to_string(),
        debug,
    };
    runtime.block_on(serve(WriterProvider::new(), options))
}
