//! The Writer API client: a transport that knows no family of the API (the
//! key, retries of transient failures, deadlines, redaction, error parsing,
//! paging), and one module of typed calls per family: `oauth_apps` (our own
//! contract, `reference/writer-api.openapi.yaml`: idempotent creates and
//! conditional updates).
//!
//! It knows nothing about Terraform and must never import the emulator: it
//! talks to whatever Writer is at the base URL. Secrets (the API key, client
//! secrets) travel in [`Secret`] and leave it only onto the wire.
//!
//! The server is untrusted input: no redirect is followed, plain `http://`
//! is refused beyond loopback unless allowed (`localhost` is connected to at
//! 127.0.0.1 or ::1 without a name lookup, and loopback never through a
//! proxy), bodies and lists are capped,
//! every operation (pages and read-backs included) ends by one deadline, and
//! the text a server writes that can echo a request (error descriptions,
//! request ids) is cleaned of the secrets sent before anyone sees it. A
//! successful answer is data, kept as the server sent it; one that holds a
//! whole secret sent is refused, naming the field, never the secret. A
//! failed write says whether Writer may have carried it out ([`WriteError`]).
//!
//! Layout: `transport` holds [`Client`]: the settings and deadlines every
//! call shares; each family's module (`oauth_apps`) turns its operations into
//! `send::Call`s and the answers into results; `send` runs the attempts,
//! with a JSON or file body (`send::Body`); `pages` walks cursor pages;
//! `retry` is the pure policy `send` follows; `error` the one error enum;
//! `config` the settings; `secret` the redacting wrapper; `redact` removes
//! secrets from server text; `resolve` the name lookup, logged;
//! `transport_log` the HTTP stack's log targets fit for the provider's log.

mod body;
mod config;
mod error;
pub mod knowledge_graph;
mod oauth_apps;
mod pages;
mod redact;
mod resolve;
mod retry;
mod secret;
mod send;
mod transport;
mod transport_log;

pub use config::{is_loopback, ClientConfig};
pub use error::{Error, Outcome, Problem, TransportKind, WriteError};
pub use oauth_apps::{
    CreateApp, ListFilter, NameMatch, OAuthApp, UpdateApp, MAX_LISTED_APPS, MAX_LIST_PAGES,
};
pub use secret::Secret;
pub use transport::{can_name, Client, Versioned};
pub use transport_log::TRANSPORT_LOG_TARGETS;
