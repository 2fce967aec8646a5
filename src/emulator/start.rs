//! Starting an emulator: checking its configuration, loading every
//! family's state, and serving them behind the shared layers.

use std::future::Future;
use std::sync::Arc;

use super::auth;
use super::config::{Config, EmulatorError};
use super::families;
use super::faults;
use super::http;
use super::knowledge_graph;
use super::server;
use super::state;

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
    let families = families::all(&mut state, config).map_err(state_error)?;
    state.finish().map_err(state_error)?;
    Ok(families)
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
