//! Starting an emulator: checking its configuration, loading every
//! family's state, and serving them behind the shared layers.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use super::auth;
use super::config::{Config, EmulatorError};
use super::families;
use super::faults;
use super::http;
use super::knowledge_graph;
use super::persist;
use super::server;
use super::state;

/// Checks a configuration, and that its state file (if any) can be locked
/// and loaded, without serving anything (the lock is let go again).
pub fn check(config: &Config) -> Result<(), EmulatorError> {
    load_families(config).map(|_| ())
}

/// A configuration checked, every family's state loaded and its state file
/// (if any) locked for as long as this lives: ready to [`Prepared::serve`].
/// Made before listening, so that a bad configuration or a state file in
/// use by another emulator never looks like a started server.
pub struct Prepared {
    config: Config,
    families: axum::Router,
    _lock: Option<persist::StateLock>,
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Checks `config`, takes the lock on its state file and loads it.
pub fn prepare(config: Config) -> Result<Prepared, EmulatorError> {
    let (families, lock) = load_families(&config)?;
    Ok(Prepared {
        config,
        families,
        _lock: lock,
    })
}

/// Checks `config` and loads every family's state: the API the emulator
/// serves, before its layers (`http`).
fn load_families(
    config: &Config,
) -> Result<(axum::Router, Option<persist::StateLock>), EmulatorError> {
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
    let Some(path) = &config.state_file else {
        let mut state = state::Loading::open(None).map_err(|e| EmulatorError::StateFile {
            path: Default::default(),
            reason: e,
        })?;
        let families = families::all(&mut state, config).map_err(|e| EmulatorError::StateFile {
            path: Default::default(),
            reason: e,
        })?;
        return Ok((families, None));
    };
    let state_error = |reason: String| EmulatorError::StateFile {
        path: path.clone(),
        reason,
    };
    let lock = persist::lock(path).map_err(|e| match e {
        persist::LockError::Held { lock_file, pid } => EmulatorError::StateFileInUse {
            path: path.clone(),
            lock_file,
            pid,
        },
        persist::LockError::Io { error, .. } if error.kind() == std::io::ErrorKind::NotFound => {
            EmulatorError::StateFolderMissing { path: path.clone() }
        }
        persist::LockError::Io { lock_file, error } => state_error(format!(
            "cannot lock it (through {}): {error}",
            lock_file.display()
        )),
    })?;
    let mut state = state::Loading::open(Some((path.clone(), &lock))).map_err(state_error)?;
    let families = families::all(&mut state, config).map_err(state_error)?;
    state.finish().map_err(state_error)?;
    Ok((families, Some(lock)))
}

impl Prepared {
    /// Serves every family of the API on `listener` until `shutdown`
    /// completes, then lets requests in flight finish and returns (and lets
    /// go of the state file's lock).
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) {
        let Prepared {
            config,
            families,
            _lock: lock,
        } = self;
        let keys = Arc::new(auth::Keys::new(config.admin_keys, config.read_only_keys));
        let faults = Arc::new(faults::Faults::new(
            config.latency,
            config.fail_rate,
            config.rate_limit,
        ));
        let router = http::router(families, keys, faults);
        server::serve(listener, router, config.drop_rate, shutdown).await;
        drop(lock);
    }
}

/// [`prepare`], then [`Prepared::serve`]: serves the API on `listener` until
/// `shutdown` completes, then lets requests in flight finish and returns.
pub async fn run(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), EmulatorError> {
    prepare(config)?.serve(listener, shutdown).await;
    Ok(())
}
