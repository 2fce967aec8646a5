//! `writer-emulator`: a local, faithful implementation of the Writer OAuth
//! Apps API (the contract in `reference/writer-api.openapi.yaml`), so the provider
//! can be tried, demonstrated and tested with no Writer account. It can also
//! misbehave on purpose (latency, 429s, 503s, dropped connections) so clients
//! can be tested against the failures a real service has.
//!
//! It must never be imported by the provider or the client: it is a stand-in
//! for the far side of the wire, and shares no code with the near side.
//!
//! Layout: [`run`] is the whole server; `cli` turns a command line into a
//! [`Config`]; `server` accepts connections; `http` passes requests through
//! request ids, faults and auth to the families' routes; each family of the
//! API is a module of its own (`oauth_apps/`: its routes, store and rules),
//! listed once in `families`; `state` holds each family's state and its part
//! of the state file (`persist`); `errors` is the one error body;
//! [`spawn_local`] starts one in this process on a loopback port, for tests.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

mod auth;
pub mod cli;
mod errors;
mod faults;
mod http;
mod knowledge_graph;
mod local;
mod oauth_apps;
mod persist;
mod server;
mod state;

pub use knowledge_graph::{seeded, SeedKind, Seeded, Settings as KnowledgeGraphSettings};
pub use local::{spawn_local, LocalEmulator};

/// How an emulator behaves. Keys are kept out of `Debug`.
#[derive(Clone, Default)]
pub struct Config {
    /// Keys with the org-admin role: may read and change apps.
    pub admin_keys: Vec<String>,
    /// Keys without it: reads succeed, writes are 403.
    pub read_only_keys: Vec<String>,
    /// Where to keep the apps across restarts; `None` keeps them in memory only.
    pub state_file: Option<PathBuf>,
    /// Added before every request is handled.
    pub latency: Duration,
    /// Fraction (0..=1) of requests answered 503 before doing anything.
    pub fail_rate: f64,
    /// Fraction (0..=1) of requests performed and then left unanswered, the
    /// connection closed.
    pub drop_rate: f64,
    /// Requests allowed per second; more are answered 429.
    pub rate_limit: Option<u32>,
    /// The Knowledge Graph endpoints: what is seeded, processing, limits.
    pub knowledge_graph: KnowledgeGraphSettings,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field(
                "admin_keys",
                &format_args!("[{} redacted]", self.admin_keys.len()),
            )
            .field(
                "read_only_keys",
                &format_args!("[{} redacted]", self.read_only_keys.len()),
            )
            .field("state_file", &self.state_file)
            .field("latency", &self.latency)
            .field("fail_rate", &self.fail_rate)
            .field("drop_rate", &self.drop_rate)
            .field("rate_limit", &self.rate_limit)
            .field("knowledge_graph", &self.knowledge_graph)
            .finish()
    }
}

/// Why an emulator could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum EmulatorError {
    /// Neither an admin nor a read-only key: no request could ever succeed.
    NoApiKeys,
    /// An empty key, or the same key given both roles.
    InvalidKey(&'static str),
    /// `fail_rate` or `drop_rate` outside 0..=1.
    InvalidRate { name: &'static str, value: f64 },
    /// `rate_limit` of 0 would refuse every request.
    ZeroRateLimit,
    /// The state file exists but cannot be used; it is left untouched.
    StateFile { path: PathBuf, reason: String },
    /// The address could not be listened on.
    Listen { address: String, reason: String },
    /// A Knowledge Graph setting that cannot be used (a seed's name, a rate).
    KnowledgeGraph(String),
}

impl fmt::Display for EmulatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmulatorError::NoApiKeys => f.write_str(
                "no API key configured: give at least one admin key (--api-key-file PATH, \
                 WRITER_EMULATOR_API_KEY or --api-key KEY) or read-only key \
                 (--read-only-key-file PATH, WRITER_EMULATOR_READ_ONLY_KEY or \
                 --read-only-key KEY); clients send it as `Authorization: Bearer KEY`",
            ),
            EmulatorError::InvalidKey(why) => write!(f, "invalid API key: {why}"),
            EmulatorError::InvalidRate { name, value } => {
                write!(f, "{name} must be between 0 and 1, got {value}")
            }
            EmulatorError::ZeroRateLimit => {
                f.write_str("rate limit must be at least 1 request per second")
            }
            EmulatorError::StateFile { path, reason } => write!(
                f,
                "cannot use state file {}: {reason}; fix or move it (it was left untouched)",
                path.display()
            ),
            EmulatorError::Listen { address, reason } => {
                write!(f, "cannot listen on {address}: {reason}")
            }
            EmulatorError::KnowledgeGraph(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for EmulatorError {}

/// Checks a configuration, and that its state file (if any) can be loaded,
/// without serving anything: lets a binary fail before it announces itself.
pub fn check(config: &Config) -> Result<(), EmulatorError> {
    load_families(config).map(|_| ())
}

/// Checks `config` and loads every family's state: the API the emulator
/// serves, before its layers (`http`).
fn load_families(config: &Config) -> Result<axum::Router, EmulatorError> {
    if config.admin_keys.is_empty() && config.read_only_keys.is_empty() {
        return Err(EmulatorError::NoApiKeys);
    }
    let all_keys = || config.admin_keys.iter().chain(&config.read_only_keys);
    if all_keys().any(|k| k.trim().is_empty() || k.chars().any(char::is_whitespace)) {
        return Err(EmulatorError::InvalidKey(
            "keys must be non-empty and contain no whitespace",
        ));
    }
    if config
        .admin_keys
        .iter()
        .any(|k| config.read_only_keys.contains(k))
    {
        return Err(EmulatorError::InvalidKey(
            "a key is given both as admin and as read-only key",
        ));
    }
    for (name, value) in [
        ("fail rate", config.fail_rate),
        ("drop rate", config.drop_rate),
    ] {
        if !(0.0..=1.0).contains(&value) {
            return Err(EmulatorError::InvalidRate { name, value });
        }
    }
    if config.rate_limit == Some(0) {
        return Err(EmulatorError::ZeroRateLimit);
    }
    if let Some(why) = knowledge_graph::invalid(&config.knowledge_graph) {
        return Err(EmulatorError::KnowledgeGraph(why));
    }
    let state_error = |reason: String| EmulatorError::StateFile {
        path: config.state_file.clone().unwrap_or_default(),
        reason,
    };
    let mut state = state::Loading::open(config.state_file.clone()).map_err(state_error)?;
    let families = families(&mut state, config).map_err(state_error)?;
    state.finish().map_err(state_error)?;
    Ok(families)
}

/// The families of the API, each its routes and its part of the state file.
/// A family is a module (`oauth_apps/`) whose `router` takes its
/// [`state::Family`]; add one here.
fn families(state: &mut state::Loading, config: &Config) -> Result<axum::Router, String> {
    Ok(axum::Router::new()
        .merge(oauth_apps::router(state.family()?))
        .merge(knowledge_graph::router(
            state.family()?,
            config.state_file.as_deref(),
            &config.knowledge_graph,
        )?))
}

/// Serves the Writer OAuth Apps API on `listener` until `shutdown` completes,
/// then lets requests in flight finish and returns.
pub async fn run(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), EmulatorError> {
    let families = load_families(&config)?;
    let keys = Arc::new(auth::Keys::new(config.admin_keys, config.read_only_keys));
    let faults = Arc::new(faults::Faults::new(
        config.latency,
        config.fail_rate,
        config.rate_limit,
    ));
    let router = http::router(families, keys, faults);
    server::serve(listener, router, config.drop_rate, shutdown).await;
    Ok(())
}
