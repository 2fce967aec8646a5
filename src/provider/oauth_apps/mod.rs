//! The OAuth-app family: `writer_<connector>_oauth_app` for every Writer
//! connector. `lifecycle` is what every connector's app shares,
//! `connectors` one file per connector, `functions` the provider functions
//! about the connectors' products.

pub(crate) mod connectors;
pub(crate) mod functions;
pub(crate) mod lifecycle;
