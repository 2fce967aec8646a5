//! The families of the Writer API the emulator serves, listed once: each is
//! a module of its own (`oauth_apps/`, `knowledge_graph/`: routes, store,
//! rules) with its part of the state file.

use super::config::Config;
use super::knowledge_graph;
use super::oauth_apps;
use super::state;

/// The families of the API, each its routes and its part of the state file.
/// A family is a module (`oauth_apps/`) whose `router` takes its
/// [`Family`](super::state::Family); add one here.
pub(crate) fn all(state: &mut state::Loading, config: &Config) -> Result<axum::Router, String> {
    Ok(axum::Router::new()
        .merge(oauth_apps::router(state.family()?))
        .merge(knowledge_graph::router(
            state.family()?,
            config.state_file.as_deref(),
            &config.knowledge_graph,
        )?))
}
