//! Everything Microsoft decides about Writer's SharePoint connector, in one
//! place: the redirect URI registered in Microsoft Entra, the app
//! registration's IDs (the client ID and the tenant, GUIDs: [`ids`]), the
//! Microsoft Graph permissions Writer needs and the rules for the rest
//! ([`scopes`]), and the Entra sign-in and admin-consent URLs ([`consent`]).
//!
//! The sibling of `confluence/`; the provider registers it in
//! `provider::oauth_apps::connectors`.

mod consent;
mod ids;
mod scopes;

use super::callback_url::{AppUrl, CallbackRule};
use super::finding::Finding;

pub use consent::{admin_consent_url, authorization_url, MULTITENANT};
pub use ids::{check_client_id, check_secret, check_tenant_id};
pub use scopes::{check_scopes, MAX_SCOPES, REQUIRED_SCOPES};

/// The connector, in Writer's words (`connector` of an OAuth app).
pub const CONNECTOR: &str = "sharepoint";

/// The app's own attribute: the Entra tenant of a single-tenant app
/// registration (absent for a multitenant one), in Writer's `settings`.
pub const TENANT_ID: &str = "tenant_id";

/// The redirect URI Entra must send users back to, and where in the Entra
/// admin center the same URI has to be entered.
pub const CALLBACK: CallbackRule = CallbackRule {
    path: "/connector/sharepoint",
    product: "SharePoint",
    vendor: "Microsoft",
    console_step: "Use exactly this URL both here and in the Microsoft Entra admin center \
     (App registrations > the app > Authentication > Web > Redirect URIs): Entra only sends the \
     user back to a redirect URI that matches character for character.",
};

/// Checks a SharePoint app's redirect URI against the one Writer expects
/// for `app`. Empty means correct; otherwise one error per mistake found.
pub fn check_callback_url(input: &str, app: &AppUrl) -> Vec<Finding> {
    CALLBACK.check(input, app)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_callback_is_writers_sharepoint_connector_and_names_the_confluence_mix_up() {
        let app = AppUrl::default();
        let good = "https://app.writer.com/connector/sharepoint";
        assert_eq!(app.callback_url(&CALLBACK), good);
        assert!(check_callback_url(good, &app).is_empty());
        let pasted = check_callback_url("https://app.writer.com/connector/confluence", &app);
        assert_eq!(pasted.len(), 1, "{pasted:?}");
        assert_eq!(pasted[0].summary, "Callback URL is another connector's");
        assert!(pasted[0].detail.contains("`/connector/sharepoint`"));
        assert!(pasted[0].detail.contains("Microsoft Entra admin center"));
        // And the reverse: the SharePoint URL on the Confluence app.
        let reverse = crate::domain::confluence::check_callback_url(good, &app);
        assert_eq!(reverse[0].summary, "Callback URL is another connector's");
        assert!(reverse[0].detail.contains("`/connector/confluence`"));
    }
}
