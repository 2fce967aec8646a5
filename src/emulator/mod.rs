//! `writer-emulator`: a local, faithful implementation of the Writer OAuth
//! Apps API (the contract in `reference/writer-api.openapi.yaml`), so the provider
//! can be tried, demonstrated and tested with no Writer account. It can also
//! misbehave on purpose (latency, 429s, 503s, dropped connections) so clients
//! can be tested against the failures a real service has.
//!
//! It must never be imported by the provider or the client: it is a stand-in
//! for the far side of the wire, and shares no code with the near side.
//!
//! Layout: [`prepare`] checks a configuration and locks and loads its state
//! file, [`Prepared::serve`] (or [`run`], both at once) is the server (all in
//! `start`); `config` says how it behaves ([`Config`]); `cli` turns a
//! command line into one; `server`
//! accepts connections; `http` passes requests through
//! request ids, faults and auth to the families' routes; each family of the
//! API is a module of its own (`oauth_apps/`: its routes, store and rules),
//! listed once in `families`; `state` holds each family's state and its part
//! of the state file (`persist`); `errors` is the one error body; `pages`
//! the cursor pages every family's lists share;
//! [`spawn_local`] starts one in this process on a loopback port, for tests.

mod auth;
pub mod cli;
mod config;
mod errors;
mod families;
mod faults;
mod http;
mod knowledge_graph;
mod local;
mod oauth_apps;
mod pages;
mod persist;
mod server;
mod start;
mod state;

pub use config::{Config, EmulatorError};
pub use knowledge_graph::{
    seeded, SeedKind, Seeded, Settings as KnowledgeGraphSettings, UploadFaults,
};
pub use local::{spawn_local, LocalEmulator};
pub use start::{check, prepare, run, Prepared};
