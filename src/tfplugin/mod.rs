//! Terraform's plugin protocol, version 6, served the way Terraform launches
//! plugins. This layer knows nothing about Writer: a provider implements
//! [`Provider`] (and [`Resource`], [`DataSource`]) with hand-written types,
//! and [`serve`] does the rest.
//!
//! - `serve`: handshake, debug mode (the private socket only), the bounds on
//!   TLS handshakes ([`HANDSHAKE_DEADLINE`], [`MAX_HANDSHAKES_IN_FLIGHT`]); `listen`: the private unix socket or TCP
//!   on loopback (Windows, or `PLUGIN_TRANSPORT=tcp`); `signals`: interrupts.
//! - `tls`: mutual TLS that accepts only Terraform's own certificate.
//! - `server`: the gRPC services; one shape per call (`server::call`),
//!   panics contained, a cancellation handle for every call that StopProvider
//!   cancels.
//! - `invariants`: protocol rules enforced for every resource, at any depth.
//! - [`identity`]: resource identity (6.9), derived from state, its rules.
//! - [`list`]: list resources for `terraform query` (6.10).
//! - [`function`]: provider functions (signatures, calls, their errors).
//! - `convert`: generated protobuf types <-> ours, in one place.
//! - [`value`], [`schema`], [`diag`], [`path`]: the types providers use.
//! - [`log`]: `tracing` events as hclog JSON lines on stderr.

mod convert;
pub mod diag;
pub mod function;
#[cfg(test)]
mod function_tests;
pub mod identity;
mod interface;
mod invariants;
pub mod list;
mod listen;
pub mod log;
pub mod path;
#[doc(hidden)]
// Public only so that tests can be a real gRPC client; not part of the API.
pub mod proto;
pub mod schema;
mod serve;
mod server;
#[cfg(test)]
mod server_identity_tests;
#[cfg(test)]
mod server_tests;
mod signals;
mod tls;
pub mod value;

pub use identity::{IdentityAttribute, IdentitySchema};
pub use interface::{
    ApplyRequest, ApplyResponse, CancellationToken, ConfigureRequest, DataSource,
    DataSourceReadRequest, DataSourceReadResponse, DeleteRequest, ImportRequest, ImportResponse,
    PlanRequest, PlanResponse, Provider, ReadRequest, ReadResponse, Resource,
};
pub use list::{ListRequest, ListResource, ListResults};
pub use serve::{serve, ServeOptions, HANDSHAKE_DEADLINE, MAX_HANDSHAKES_IN_FLIGHT};
pub use tls::TlsSetupError;
