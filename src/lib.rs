//! terraform-provider-writer: a Terraform provider for Writer's self-managed
//! Confluence OAuth app, and a local emulator of the Writer API it speaks to.
//!
//! The map of the crate, layers pointing down only:
//!
//! - [`tfplugin`]: Terraform's plugin protocol (v6) served over mutual TLS on a
//!   unix socket: handshake, values, schemas, diagnostics, logging. It knows
//!   nothing about Writer and could be a crate of its own.
//! - [`domain`]: the rules of a correct OAuth app: the callback URL for any
//!   connector, and Atlassian's rules for Confluence (scopes, the scope
//!   catalogue, the consent URL) in `domain::confluence`. Pure: no I/O.
//! - [`client`]: the Writer OAuth Apps API over HTTPS, with retries,
//!   idempotent creates and conditional updates. Knows nothing about Terraform.
//! - [`provider`]: the `writer` provider: one OAuth-app resource and data
//!   source per registered connector, the one place that joins Terraform, the
//!   domain rules and the API client.
//! - [`emulator`]: a local implementation of the Writer OAuth Apps API for
//!   demos and tests. Never imported by the provider.

pub mod client;
pub mod domain;
pub mod emulator;
pub mod provider;
pub mod tfplugin;
