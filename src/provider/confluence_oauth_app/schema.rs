//! The schema of `writer_confluence_oauth_app`: every attribute with the
//! Markdown description that Terraform shows and `docs/` is generated from.

use crate::domain;
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::Type;

fn strings() -> Type {
    Type::Set(Box::new(Type::String))
}

pub(crate) fn schema() -> Schema {
    let required = domain::REQUIRED_SCOPES
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Schema::new(
        Block::new(
            "A self-managed Confluence OAuth app in Writer (Admin > OAuth apps), through which \
             Knowledge Graph syncs Confluence. It mirrors an OAuth 2.0 (3LO) app that you create in \
             Atlassian's developer console: this resource holds its name, client ID and secret, and \
             checks at plan time that the Atlassian side is set up the way Writer needs (callback URL \
             and scopes). Every attribute updates in place; nothing forces replacement.",
        )
        .attribute(Attribute::computed("id", Type::String).description(
            "The app's ID in Writer. Use it to import the app, or to look it up with the \
             `writer_confluence_oauth_app` data source.",
        ))
        .attribute(Attribute::required("name", Type::String).description(
            "The app's name in Writer: 1 to 128 characters, no surrounding spaces, no control \
             characters (line breaks, tabs, ESC, bidirectional text controls), unique among Confluence \
             apps in your organization (ignoring case). Changing it renames the app in place.",
        ))
        .attribute(Attribute::required("client_id", Type::String).description(
            "The Client ID of the Atlassian OAuth 2.0 (3LO) app (developer console > your app > \
             Settings): 1 to 256 characters, no spaces or control characters. Changing it updates the app in place; set the \
             matching secret in the same change.",
        ))
        .attribute(Attribute::optional("client_secret", Type::String).sensitive().description(
            "The Secret of the Atlassian app, stored in Terraform state (marked sensitive). Prefer \
             `client_secret_wo`, which is never stored. Set at most one of the two. A secret is needed to \
             create an app; an app that exists (imported) can be managed with neither, and Writer then \
             keeps the secret it has. Sent to Writer only when it changes. If someone sets another \
             secret in Writer, the next plan shows an update that restores this one. 16 to 512 \
             characters.",
        ))
        .attribute(Attribute::optional("client_secret_wo", Type::String).sensitive().write_only().description(
            "The Secret of the Atlassian app, write-only: sent to Writer but never stored in plan or \
             state (Terraform 1.11 or newer). Requires `client_secret_wo_version`; Terraform cannot see \
             a write-only value change, so the secret is sent on create and whenever the version \
             changes, and only then. It may be null in a run whose version is unchanged (an ephemeral \
             variable left unset, as in a CI drift check with a read-only Writer key): nothing is \
             sent. 16 to 512 characters.",
        ))
        .attribute(Attribute::optional("client_secret_wo_version", Type::Number).description(
            "The version of `client_secret_wo`, a whole number of your choosing from 1 to \
             9223372036854775807 (start at 1). Increase it to send a new secret (rotation); a new or \
             changed version needs `client_secret_wo` in that run, or the plan fails. If the secret is \
             changed in Writer outside Terraform, the next plan shows this version as changed, and \
             applying sends the configured secret again (a run without `client_secret_wo` shows that \
             change with a warning, and its apply fails). Leave both secret attributes out to leave \
             Writer's secret alone: then a secret set in Writer is not drift, and only \
             `client_secret_hint` and `client_secret_updated_at` follow it.",
        ))
        .attribute(Attribute::optional_computed("callback_url", Type::String).description(
            "The Callback URL configured on the Atlassian app (developer console > your app > \
             Authorization > OAuth 2.0 (3LO)). Writer accepts exactly one: the provider's `app_url` \
             followed by `/connector/confluence`, by default \
             `https://app.writer.com/connector/confluence`, which is also the default here. Plans fail \
             on the usual mistakes (http, a trailing slash, another host or connector, a query, upper \
             case) and say the exact URL to use.",
        ))
        .attribute(Attribute::optional_computed("scopes", strings()).description(format!(
            "The scopes granted to the Atlassian app (developer console > your app > Permissions), a \
             set: order does not matter. Must include {required}; that is also the default, and all \
             Writer needs. At most {max} scopes. Plans fail on a missing scope, a malformed one, or a near miss of a known \
             scope (with the likely intended one); they warn about unknown scopes and about write, \
             delete and other products' scopes, which Writer does not need.",
            max = domain::MAX_SCOPES
        )))
        .attribute(Attribute::computed("client_secret_hint", Type::String).description(
            "Writer's hint of the secret it holds: `…` and its last four characters. Compare it with \
             the Atlassian console to see which secret Writer has.",
        ))
        .attribute(Attribute::computed("client_secret_updated_at", Type::String).description(
            "When the secret was last set in Writer (RFC 3339, UTC), by Terraform or anyone else.",
        ))
        .attribute(Attribute::computed("created_at", Type::String).description(
            "When the app was created in Writer (RFC 3339, UTC).",
        ))
        .attribute(Attribute::computed("updated_at", Type::String).description(
            "When the app was last changed in Writer (RFC 3339, UTC).",
        ))
        .attribute(Attribute::computed("authorization_url", Type::String).description(
            "The Atlassian consent URL for this app (`https://auth.atlassian.com/authorize` with \
             `audience=api.atlassian.com`, the client ID, the scopes, the callback URL, \
             `response_type=code` and `prompt=consent`), handy to test the Atlassian side by hand. It \
             has no `state` parameter: add your own when you use it.",
        )),
    )
}
