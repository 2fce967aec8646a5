//! The protobuf types and gRPC services generated from `proto/`. Only
//! `tfplugin` uses them (and tests, which act as Terraform): everything else
//! sees hand-written types. The generated Rust is committed in
//! `proto/generated/` (`cargo run -p writer-protogen` writes it, CI checks it
//! with `--check`), so that no build compiles a protobuf compiler.

#![allow(clippy::all, clippy::pedantic, missing_docs)]

pub mod tfplugin6 {
    include!("../../../proto/generated/tfplugin6.rs");
}

pub mod plugin {
    include!("../../../proto/generated/plugin.rs");
}

#[cfg(test)]
mod grpc_tests;
#[cfg(test)]
mod wire_identity_tests;
#[cfg(test)]
mod wire_tests;
