//! Everything Atlassian decides about Writer's Confluence connector, in one
//! place: the callback path, the console step that registers it, the scopes
//! Writer needs and the rules for the rest ([`scopes`], with the catalogue of
//! known scopes), and the Atlassian consent URL ([`authorization`]).
//!
//! A second connector is a sibling folder with the same four things; the
//! provider registers it in `provider::oauth_apps::connectors`.

mod authorization;
mod scopes;

use super::callback_url::{AppUrl, CallbackRule};
use super::finding::Finding;

pub use authorization::authorization_url;
pub use scopes::{
    check_scopes, scope_catalogue, KnownScope, ScopeKind, MAX_SCOPES, REQUIRED_SCOPES,
};

/// The connector, in Writer's words (`connector` of an OAuth app).
pub const CONNECTOR: &str = "confluence";

/// The callback Atlassian must send users back to, and where in Atlassian's
/// developer console the same URL has to be entered.
pub const CALLBACK: CallbackRule = CallbackRule {
    path: "/connector/confluence",
    product: "Confluence",
    vendor: "Atlassian",
    console_step: "Use exactly this URL both here and in the Atlassian developer \
     console (Your apps > the app > Authorization > OAuth 2.0 (3LO) > Callback URL): Atlassian \
     only sends the user back to a callback that matches character for character.",
};

/// Checks a Confluence app's callback URL against the one Writer expects for
/// `app`. Empty means correct; otherwise one error per mistake found.
pub fn check_callback_url(input: &str, app: &AppUrl) -> Vec<Finding> {
    CALLBACK.check(input, app)
}
