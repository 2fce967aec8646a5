//! `writer_sharepoint_oauth_app`: Writer's SharePoint connector, as the
//! provider shows it. The rules come from `domain::sharepoint`; this file
//! holds the Terraform face: the type name, its own attribute (`tenant_id`),
//! the words of the Microsoft Entra admin center, and the schema's
//! descriptions (which `docs/` is generated from).

use crate::domain::sharepoint::{
    authorization_url, check_client_id, check_scopes, check_secret, check_tenant_id, CALLBACK,
    CONNECTOR, MAX_SCOPES, REQUIRED_SCOPES, TENANT_ID,
};
use crate::domain::Finding;

use super::super::lifecycle::{code_list, App, AppData, Connector, Docs, Setting, Settings, Words};

const TENANT: Setting = Setting {
    name: TENANT_ID,
    description: "The Directory (tenant) ID of a single-tenant app registration (Entra admin \
         center > App registrations > the app > Overview), a GUID, as entered in Writer's \
         SharePoint app. Leave it out for a multitenant app (Supported account types: accounts \
         in any organizational directory). Plans fail on a value that is not a GUID, on \
         `common`, `organizations` or `consumers` (sign-in audiences, not tenants) and on a \
         domain name. Changing it updates the app in place.",
    data_description: "The tenant ID of a single-tenant app; null for a multitenant one.",
    check: check_tenant_id,
};

pub(crate) const SHAREPOINT: Connector = Connector {
    name: CONNECTOR,
    type_name: "writer_sharepoint_oauth_app",
    callback: CALLBACK,
    required_scopes: &REQUIRED_SCOPES,
    max_scopes: MAX_SCOPES,
    check_scopes,
    check_client_id,
    check_secret,
    settings: &[TENANT],
    authorization_url: consent_url,
    words: Words {
        client_id_kind: "a Microsoft Entra Application (client) ID",
        client_id_fix: "Copy the Application (client) ID from the app registration's Overview \
             page in the Microsoft Entra admin center: a GUID.",
        secret_fix: "Copy the client secret's Value from the app registration's Certificates & \
             secrets page in the Microsoft Entra admin center.",
        secret_where: "Copy the client secret's Value (not its Secret ID) in the Microsoft Entra \
             admin center (App registrations > the app > Certificates & secrets > Client \
             secrets).",
        secret_source: "The value is the client secret's Value (not its Secret ID), shown once \
             when the secret is added under Certificates & secrets of the app registration.",
        secret_length: "Microsoft Entra client secret values are far longer (about 40 \
             characters)",
        scope_catalogue_size: "Writer's SharePoint app needs three or four Microsoft Graph \
             permissions",
        callback_console: "Update the Redirect URI of the app registration (Microsoft Entra \
             admin center > App registrations > the app > Authentication > Web)",
    },
    docs,
};

/// Entra's sign-in URL, for the app's tenant (or any, when multitenant).
fn consent_url(
    client_id: &str,
    scopes: &[&str],
    callback_url: &str,
    settings: &Settings,
) -> Result<String, Finding> {
    let tenant = settings.get(TENANT_ID).map(String::as_str);
    authorization_url(client_id, scopes, callback_url, tenant)
}

fn docs() -> Docs {
    let required = code_list(&REQUIRED_SCOPES);
    Docs {
        resource: "A self-managed SharePoint OAuth app in Writer (Admin > OAuth apps), through \
             which Knowledge Graph syncs SharePoint. It mirrors an app registration that you \
             create in Microsoft Entra ID: this resource holds its name, Application (client) ID, \
             client secret and, for a single-tenant registration, its tenant ID, and checks at \
             plan time that the Entra side is set up the way Writer needs (redirect URI and \
             Microsoft Graph permissions). The registration must also issue access tokens and ID \
             tokens from the authorization endpoint (Authentication > Implicit grant and hybrid \
             flows: both boxes), which Writer's file picker needs. Every attribute updates in \
             place; nothing forces replacement."
            .into(),
        attributes: App {
            id: "The app's ID in Writer. Use it to import the app, or to look it up with the \
             `writer_sharepoint_oauth_app` data source."
                .into(),
            name: "The app's name in Writer: 1 to 128 characters, no surrounding spaces, no \
             control characters (line breaks, tabs, ESC, bidirectional text controls), unique \
             among SharePoint apps in your organization (ignoring case). Changing it renames the \
             app in place."
                .into(),
            client_id: "The Application (client) ID of the Entra app registration (Overview \
             page), a GUID. Changing it updates the app in place; set the matching secret in the \
             same change."
                .into(),
            client_secret:
                "The client secret's Value (not its Secret ID: a GUID there is refused) \
             from the app registration's Certificates & secrets page, stored in Terraform state \
             (marked sensitive). Prefer `client_secret_wo`, which is never stored. Set at most \
             one of the two. A secret is needed to create an app; an app that exists (imported) \
             can be managed with neither, and Writer then keeps the secret it has. Sent to Writer \
             only when it changes. If someone sets another secret in Writer, the next plan shows \
             an update that restores this one. 16 to 512 characters."
                    .into(),
            client_secret_wo: "The client secret's Value (not its Secret ID: a GUID there is \
             refused), write-only: sent to Writer but never stored in plan or state (Terraform \
             1.11 or newer). Requires `client_secret_wo_version`; Terraform cannot see a \
             write-only value change, so the secret is sent on create and whenever the version \
             changes, and only then. Entra secrets expire (24 months at most), so rotation is \
             routine: see `client_secret_wo_version`. It may be null in a run whose version is \
             unchanged (an ephemeral variable left unset, as in a CI drift check with a \
             read-only Writer key): nothing is sent. 16 to 512 characters."
                .into(),
            client_secret_wo_version: "The version of `client_secret_wo`, a whole number of \
             your choosing from 1 to 9223372036854775807 (start at 1). Increase it to send a new \
             secret (rotation); a new or changed version needs `client_secret_wo` in that run, or \
             the plan fails. If the secret is changed in Writer outside Terraform, the next plan \
             shows this version as changed, and applying sends the configured secret again (a \
             run without `client_secret_wo` shows that change with a warning, and its apply \
             fails). Leave both secret attributes out to leave Writer's secret alone: then a \
             secret set in Writer is not drift, and only `client_secret_hint` and \
             `client_secret_updated_at` follow it."
                .into(),
            callback_url: "The Redirect URI of the app registration (Authentication > Web > \
             Redirect URIs). Writer accepts exactly one: the provider's `app_url` followed by \
             `/connector/sharepoint`, by default `https://app.writer.com/connector/sharepoint`, \
             which is also the default here. Plans fail on the usual mistakes (http, a trailing \
             slash, another host or connector (the Confluence URL among them), a query, upper \
             case) and say the exact URL to use."
                .into(),
            scopes: format!(
                "The Microsoft Graph delegated permissions of the app registration (API \
             permissions), a set: order does not matter. Writer needs `User.Read` and either \
             `Sites.Read.All` with `Files.Read.All` (every site; the default: {required}) or \
             `Sites.Selected` (only the sites a SharePoint admin grants the app through Graph). \
             Names are matched exactly, as Entra spells them. At most {MAX_SCOPES} scopes. Plans \
             fail on a missing permission, a name in the wrong case, a near miss of a known name, \
             a malformed one or Graph's URL prefix; they warn about `Sites.Selected` beside \
             `Sites.Read.All`, `Files.Read.All` beside `Sites.Selected`, `.default` (the \
             application-permission form), write permissions and permissions Writer does not use."
            ),
            client_secret_hint: "Writer's hint of the secret it holds: `…` and its last four \
             characters. Compare it with the Value you saved to see which secret Writer has."
                .into(),
            client_secret_updated_at: "When the secret was last set in Writer (RFC 3339, UTC), \
             by Terraform or anyone else. Entra secrets expire: rotate before the Expires date."
                .into(),
            created_at: "When the app was created in Writer (RFC 3339, UTC).".into(),
            updated_at: "When the app was last changed in Writer (RFC 3339, UTC).".into(),
            authorization_url: "The Microsoft Entra sign-in URL for this app \
             (`https://login.microsoftonline.com/<tenant>/oauth2/v2.0/authorize`, the tenant \
             being `tenant_id`, or `organizations` for a multitenant app, with the client ID, the \
             redirect URI, the permissions as `scope`, `response_type=code` and \
             `prompt=consent`), handy to test the Entra side by hand. It has no `state` \
             parameter: add your own when you use it."
                .into(),
            settings: Default::default(),
        },
        data_source: "Looks up a SharePoint OAuth app in Writer by `id` or by `name` (exactly \
             one). The secret is never returned; `client_secret_hint` shows its last four \
             characters."
            .into(),
        data_attributes: AppData {
            id: "The app's ID. Set this or `name`.".into(),
            name: "The app's name, matched ignoring case. Set this or `id`. An error if no app \
             or several apps have it."
                .into(),
            client_id: "The app registration's Application (client) ID.".into(),
            scopes: "The Microsoft Graph permissions Writer records for the app.".into(),
            callback_url: "The redirect URI Writer expects the app registration to use.".into(),
            client_secret_hint: "`…` and the last four characters of the secret Writer holds."
                .into(),
            client_secret_updated_at: "When the secret was last set (RFC 3339, UTC).".into(),
            status: "The app's status in Writer, e.g. `active`.".into(),
            created_at: "When the app was created (RFC 3339, UTC).".into(),
            updated_at: "When the app was last changed (RFC 3339, UTC).".into(),
            settings: Default::default(),
        },
    }
}
