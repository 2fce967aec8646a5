//! What a correct OAuth app for a Writer connector looks like: pure rules, no I/O.
//!
//! Writer syncs a product (Confluence today) through an OAuth app registered
//! on the product's side. Mistakes in that app (a trailing slash on the
//! callback, a missing scope) only show up when a sync fails days later, so
//! the provider checks them at plan time with these rules. Each rule returns
//! [`Finding`]s already worded for the user; the provider turns them into
//! Terraform diagnostics (with attribute paths) in one place. This module must
//! not know Terraform, HTTP or the Writer API.
//!
//! What holds for every connector lives here: the Writer web app's origin
//! ([`AppUrl`]) and the named mistakes of a callback URL ([`CallbackRule`]).
//! What one product's side demands (its callback path, its scopes and their
//! catalogue, its consent URL, its console's words) lives in that connector's
//! folder: [`confluence`], [`sharepoint`].
//!
//! The Knowledge Graph family's rules (web connector URLs, the file types
//! Writer takes, an upload's `Content-Disposition`, a URL's status in a
//! person's words) live in [`knowledge_graph`].

mod callback_url;
pub mod confluence;
mod finding;
pub mod knowledge_graph;
pub mod quote;
pub mod sharepoint;

pub use callback_url::{AppUrl, CallbackRule};
pub use finding::{Finding, Severity};

// The Confluence rules under the names the fuzz tests and module authors use.
pub use confluence::{
    authorization_url, check_callback_url, check_scopes, MAX_SCOPES, REQUIRED_SCOPES,
};
