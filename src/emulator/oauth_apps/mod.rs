//! The OAuth Apps family of the emulator (`/v1/oauth-apps`, our own
//! contract): the apps' store and its rules. `store` holds the apps;
//! `validate`, `idempotency`, `list` and `model` are the pieces it is made of.

pub(crate) mod idempotency;
pub(crate) mod list;
pub(crate) mod model;
pub(crate) mod store;
pub(crate) mod validate;
