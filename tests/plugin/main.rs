//! The provider as Terraform's plugin: the real provider binary started as
//! Terraform starts it (the go-plugin handshake, mutual TLS, gRPC on a unix
//! socket or TCP, SIGINT and SIGTERM), and the provider's gRPC service in
//! this process against a scripted fake Writer (what a create, an update or
//! a delete tells the user when Writer's answer is lost; StopProvider
//! cancelling calls in flight).
//!
//! One binary for what speaks tfplugin6 without `terraform`: the same gRPC
//! client parts of `support` (`plugin_client`, `provider`, `fake_writer`),
//! compiled once. No `terraform` is needed to run it. Each file is a module
//! named as the file was (`plugin_handshake::...`); run one with
//! `cargo test --test plugin plugin_handshake::`.
//!
//! The tests run in parallel threads of one process: each starts its own
//! provider (process or in-process service) and fake Writer on
//! `127.0.0.1:0`, and signals go to the provider's process only, never to
//! this one.

#[path = "../support/mod.rs"]
mod support;

mod plugin_endpoints;
mod plugin_handshake;
mod provider_create_outcome;
mod provider_kg_state_ids;
mod provider_stop;
mod provider_write_outcome;
mod trust_property;
