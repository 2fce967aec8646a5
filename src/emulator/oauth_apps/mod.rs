//! The OAuth Apps family of the emulator (`/v1/oauth-apps`, our own
//! contract). `routes` is its HTTP face; `store` holds the apps and their
//! rules; `validate`, `idempotency`, `list`, `model` and `saved` (its part
//! of the state file) are the pieces the store is made of.

pub(crate) mod idempotency;
pub(crate) mod list;
pub(crate) mod model;
mod routes;
mod saved;
pub(crate) mod store;
pub(crate) mod validate;

pub(crate) use routes::router;
