//! `writer_confluence_oauth_app`: Writer's Confluence connector, as the
//! provider shows it. The rules come from `domain::confluence`; this file
//! holds the Terraform face: the type name, the words of Atlassian's console,
//! and the schema's descriptions (which `docs/` is generated from).

use crate::domain::confluence::{
    authorization_url, check_scopes, CALLBACK, CONNECTOR, MAX_SCOPES, REQUIRED_SCOPES,
};

use crate::domain::Finding;

use super::super::lifecycle::{code_list, no_rule, App, AppData, Connector, Docs, Settings, Words};

pub(crate) const CONFLUENCE: Connector = Connector {
    name: CONNECTOR,
    type_name: "writer_confluence_oauth_app",
    callback: CALLBACK,
    required_scopes: &REQUIRED_SCOPES,
    max_scopes: MAX_SCOPES,
    check_scopes,
    check_client_id: no_rule,
    check_secret: no_rule,
    settings: &[],
    authorization_url: consent_url,
    words: Words {
        client_id_kind: "an Atlassian client ID",
        client_id_fix: "Copy the Client ID from the app's Settings page in Atlassian's developer \
             console: 1 to 256 characters, no spaces.",
        secret_fix:
            "Copy the Secret from the app's Settings page in Atlassian's developer console.",
        secret_where:
            "Copy the Secret from the app's Settings page in Atlassian's developer console \
             (Your apps > the app > Settings > Authentication details).",
        secret_source: "The value is the Secret shown under Settings of the app in Atlassian's \
             developer console.",
        secret_length: "Atlassian client secrets are far longer (about 64 characters)",
        scope_catalogue_size: "Atlassian's catalogue has fewer than 100 Confluence scopes",
        callback_console: "Update the Callback URL of the Atlassian app (developer console > your \
             app > Authorization)",
    },
    docs,
};

/// Atlassian's consent URL needs no setting.
fn consent_url(
    client_id: &str,
    scopes: &[&str],
    callback_url: &str,
    _: &Settings,
) -> Result<String, Finding> {
    authorization_url(client_id, scopes, callback_url)
}

fn docs() -> Docs {
    let required = code_list(&REQUIRED_SCOPES);
    Docs {
        resource: "A self-managed Confluence OAuth app in Writer (Admin > OAuth apps), through which \
             Knowledge Graph syncs Confluence. It mirrors an OAuth 2.0 (3LO) app that you create in \
             Atlassian's developer console: this resource holds its name, client ID and secret, and \
             checks at plan time that the Atlassian side is set up the way Writer needs (callback URL \
             and scopes). Every attribute updates in place; nothing forces replacement."
            .into(),
        attributes: App {
            id: "The app's ID in Writer. Use it to import the app, or to look it up with the \
             `writer_confluence_oauth_app` data source."
                .into(),
            name: "The app's name in Writer: 1 to 128 characters, no surrounding spaces, no control \
             characters (line breaks, tabs, ESC, bidirectional text controls), unique among Confluence \
             apps in your organization (ignoring case). Changing it renames the app in place."
                .into(),
            client_id: "The Client ID of the Atlassian OAuth 2.0 (3LO) app (developer console > your app > \
             Settings): 1 to 256 characters, no spaces or control characters. Changing it updates the app in place; set the \
             matching secret in the same change."
                .into(),
            client_secret: "The Secret of the Atlassian app, stored in Terraform state (marked sensitive). Prefer \
             `client_secret_wo`, which is never stored. Set at most one of the two. A secret is needed to \
             create an app; an app that exists (imported) can be managed with neither, and Writer then \
             keeps the secret it has. Sent to Writer only when it changes. If someone sets another \
             secret in Writer, the next plan shows an update that restores this one. 16 to 512 \
             characters."
                .into(),
            client_secret_wo: "The Secret of the Atlassian app, write-only: sent to Writer but never stored in plan or \
             state (Terraform 1.11 or newer). Requires `client_secret_wo_version`; Terraform cannot see \
             a write-only value change, so the secret is sent on create and whenever the version \
             changes, and only then. It may be null in a run whose version is unchanged (an ephemeral \
             variable left unset, as in a CI drift check with a read-only Writer key): nothing is \
             sent. 16 to 512 characters."
                .into(),
            client_secret_wo_version: "The version of `client_secret_wo`, a whole number of your choosing from 1 to \
             9223372036854775807 (start at 1). Increase it to send a new secret (rotation); a new or \
             changed version needs `client_secret_wo` in that run, or the plan fails. If the secret is \
             changed in Writer outside Terraform, the next plan shows this version as changed, and \
             applying sends the configured secret again (a run without `client_secret_wo` shows that \
             change with a warning, and its apply fails). Leave both secret attributes out to leave \
             Writer's secret alone: then a secret set in Writer is not drift, and only \
             `client_secret_hint` and `client_secret_updated_at` follow it."
                .into(),
            callback_url: "The Callback URL configured on the Atlassian app (developer console > your app > \
             Authorization > OAuth 2.0 (3LO)). Writer accepts exactly one: the provider's `app_url` \
             followed by `/connector/confluence`, by default \
             `https://app.writer.com/connector/confluence`, which is also the default here. Plans fail \
             on the usual mistakes (http, a trailing slash, another host or connector, a query, upper \
             case) and say the exact URL to use."
                .into(),
            scopes: format!(
                "The scopes granted to the Atlassian app (developer console > your app > Permissions), a \
             set: order does not matter. Must include {required}; that is also the default, and all \
             Writer needs. At most {MAX_SCOPES} scopes. Plans fail on a missing scope, a malformed one, or a near miss of a known \
             scope (with the likely intended one); they warn about unknown scopes and about write, \
             delete and other products' scopes, which Writer does not need."
            ),
            client_secret_hint: "Writer's hint of the secret it holds: `…` and its last four characters. Compare it with \
             the Atlassian console to see which secret Writer has."
                .into(),
            client_secret_updated_at: "When the secret was last set in Writer (RFC 3339, UTC), by Terraform or anyone else."
                .into(),
            created_at: "When the app was created in Writer (RFC 3339, UTC).".into(),
            updated_at: "When the app was last changed in Writer (RFC 3339, UTC).".into(),
            authorization_url: "The Atlassian consent URL for this app (`https://auth.atlassian.com/authorize` with \
             `audience=api.atlassian.com`, the client ID, the scopes, the callback URL, \
             `response_type=code` and `prompt=consent`), handy to test the Atlassian side by hand. It \
             has no `state` parameter: add your own when you use it."
                .into(),
            settings: Default::default(),
        },
        data_source: "Looks up a Confluence OAuth app in Writer by `id` or by `name` (exactly one). The secret is \
             never returned; `client_secret_hint` shows its last four characters."
            .into(),
        data_attributes: AppData {
            id: "The app's ID. Set this or `name`.".into(),
            name: "The app's name, matched ignoring case. Set this or `id`. An error if no app or several \
             apps have it."
                .into(),
            client_id: "The Atlassian app's client ID.".into(),
            scopes: "The scopes Writer records for the Atlassian app.".into(),
            callback_url: "The callback URL Writer expects the Atlassian app to use.".into(),
            client_secret_hint: "`…` and the last four characters of the secret Writer holds.".into(),
            client_secret_updated_at: "When the secret was last set (RFC 3339, UTC).".into(),
            status: "The app's status in Writer, e.g. `active`.".into(),
            created_at: "When the app was created (RFC 3339, UTC).".into(),
            updated_at: "When the app was last changed (RFC 3339, UTC).".into(),
            settings: Default::default(),
        },
    }
}
