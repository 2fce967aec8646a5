//! The protobuf types and gRPC services generated from `proto/`. Only
//! `tfplugin` uses them (and tests, which act as Terraform): everything else
//! sees hand-written types.

#![allow(clippy::all, clippy::pedantic, missing_docs)]

pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

pub mod plugin {
    tonic::include_proto!("plugin");
}

#[cfg(test)]
mod grpc_tests;
#[cfg(test)]
mod wire_identity_tests;
#[cfg(test)]
mod wire_tests;
