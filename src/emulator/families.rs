//! The families of the Writer API the emulator serves, listed once: each is
//! a module of its own (`oauth_apps/`: routes, store, rules) with its part of
//! the state file.

use super::oauth_apps;
use super::state;

/// The families of the API, each its routes and its part of the state file.
/// A family is a module (`oauth_apps/`) whose `router` takes its
/// [`Family`](super::state::Family); add one here.
pub(crate) fn all(state: &mut state::Loading) -> Result<axum::Router, String> {
    Ok(axum::Router::new().merge(oauth_apps::router(state.family()?)))
}
