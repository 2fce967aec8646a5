//! Every message the provider shows a user, written once: a summary, a
//! detail that says what is wrong, and what to do next. This is also the one
//! place where domain findings and API errors become Terraform diagnostics.

use crate::client;
use crate::domain::{quote, Finding, Severity};
use crate::tfplugin::diag::Diagnostic;
use crate::tfplugin::path::AttributePath;

use super::config::{ENV_ALLOW_INSECURE_HTTP, ENV_API_KEY, ENV_APP_URL, ENV_BASE_URL};

/// A domain finding about the value at `path`.
pub(crate) fn finding(f: Finding, path: AttributePath) -> Diagnostic {
    let d = match f.severity {
        Severity::Error => Diagnostic::error(f.summary, f.detail),
        Severity::Warning => Diagnostic::warning(f.summary, f.detail),
    };
    d.at(path)
}

pub(crate) fn bad_base_url(value: &str) -> Diagnostic {
    Diagnostic::error(
        "Invalid base_url",
        format!(
            "`{}` is not an absolute http(s) URL. Set base_url (or {ENV_BASE_URL}) to the Writer \
             API's address, e.g. \"https://api.writer.com\", or \"http://127.0.0.1:8787\" for the local \
             writer-emulator.",
            quote::url(value)
        ),
    )
    .at(AttributePath::attribute("base_url"))
}

pub(crate) fn insecure_base_url(host: &str) -> Diagnostic {
    Diagnostic::error(
        "base_url uses plain http",
        format!(
            "base_url points at {host:?} over plain http, which is not a loopback address: the API key \
             and client secrets would cross the network unencrypted. Use https. If this is a \
             writer-emulator on another machine or container and you accept that, set \
             allow_insecure_http = true in the provider block (or {ENV_ALLOW_INSECURE_HTTP}=true)."
        ),
    )
    .at(AttributePath::attribute("base_url"))
}

pub(crate) fn bad_allow_insecure_http_env(value: &str) -> Diagnostic {
    let shown: String = value.chars().take(20).filter(|c| !c.is_control()).collect();
    Diagnostic::error(
        format!("Invalid {ENV_ALLOW_INSECURE_HTTP}"),
        format!("{ENV_ALLOW_INSECURE_HTTP} is {shown:?}; set it to \"true\" or \"false\"."),
    )
    .at(AttributePath::attribute("allow_insecure_http"))
}

pub(crate) fn bad_duration(attribute: &str, value: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Invalid {attribute}"),
        format!(
            "`{}` is not a duration. Write a positive whole number with a unit: \"500ms\", \"30s\", \
             \"2m\" or \"1h30m\".",
            quote::text(value)
        ),
    )
    .at(AttributePath::attribute(attribute))
}

pub(crate) fn bad_max_retries(value: &str, limit: u32) -> Diagnostic {
    Diagnostic::error(
        "Invalid max_retries",
        format!(
            "max_retries is {}; it must be a whole number from 0 to {limit}.",
            quote::text(value)
        ),
    )
    .at(AttributePath::attribute("max_retries"))
}

pub(crate) fn missing_api_key() -> Diagnostic {
    Diagnostic::error(
        "No Writer API key",
        format!(
            "This operation calls the Writer API, which needs an org admin's API key. Set the \
             {ENV_API_KEY} environment variable, or api_key in the provider block (from a variable \
             marked sensitive, never a literal in code)."
        ),
    )
}

pub(crate) fn unknown_base_url() -> Diagnostic {
    Diagnostic::error(
        "base_url is not known yet",
        "The provider's base_url depends on a value known only after apply, so the provider cannot \
         call Writer now. Set base_url from a variable or the environment instead.",
    )
}

pub(crate) fn unknown_app_url() -> Diagnostic {
    Diagnostic::error(
        "app_url is not known yet",
        format!(
            "The provider's app_url depends on a value known only after apply. Set it from a variable or \
             {ENV_APP_URL}, or leave it unset for https://app.writer.com."
        ),
    )
}

pub(crate) fn provider_not_configured() -> Diagnostic {
    Diagnostic::error(
        "The Writer provider is not configured",
        "Terraform called the provider before configuring it. This is a bug; please report it with \
         the output of TF_LOG=debug (it never contains your secrets).",
    )
}

pub(crate) fn client_setup_failed(e: &client::Error) -> Diagnostic {
    Diagnostic::error(
        "Cannot set up the Writer API client",
        format!("{e}. Check base_url and the provider settings."),
    )
}

/// An API error during an operation on a resource or data source.
pub(crate) fn api_error(action: &str, e: &client::Error) -> Diagnostic {
    use client::Error as E;
    match e {
        E::Unauthorized { .. } => Diagnostic::error(
            format!("Writer rejected the API key while trying to {action}"),
            format!(
                "{e}\n\nThe key is missing, mistyped, revoked or for another Writer organization. Set a \
                 valid org-admin key in {ENV_API_KEY} (or the provider's api_key)."
            ),
        ),
        E::Forbidden { .. } => Diagnostic::error(
            format!("The API key may not {action}"),
            format!(
                "{e}\n\nThe key is valid but lacks the org-admin role, which managing OAuth apps needs \
                 (reading is allowed). Use an org admin's key in {ENV_API_KEY}."
            ),
        ),
        E::NameTaken { .. } => Diagnostic::error(
            "An OAuth app with this name already exists",
            format!(
                "{e}\n\nNames are unique per connector, ignoring case. Choose another name, or bring the \
                 existing app under Terraform with an import block:\n\n  import {{\n    to = \
                 writer_confluence_oauth_app.<name>\n    id = \"name=<its name>\"\n  }}"
            ),
        )
        .at(AttributePath::attribute("name")),
        E::PreconditionFailed { .. } => Diagnostic::error(
            "The OAuth app changed outside Terraform",
            format!(
                "{e}\n\nSomeone changed the app in Writer after Terraform last read it, so the update \
                 was not applied (nothing was overwritten). Run terraform plan again to see the \
                 change, then apply."
            ),
        ),
        E::Redirected { .. } => Diagnostic::error(
            format!("Writer's address redirected the request to {action}"),
            format!(
                "{e}\n\nThe Writer API never redirects: base_url may point at a proxy, a login page or \
                 the wrong host. Set base_url (or {ENV_BASE_URL}) to the API's own address; the API key \
                 and client secret were not sent to the other host."
            ),
        )
        .at(AttributePath::attribute("base_url")),
        E::Validation { field, .. } => {
            let d = Diagnostic::error(format!("Writer refused to {action}"), format!("{e}"));
            match field.as_deref() {
                Some(f @ ("name" | "client_id" | "scopes" | "client_secret")) => {
                    d.at(AttributePath::attribute(f))
                }
                _ => d,
            }
        }
        _ => Diagnostic::error(
            format!("Could not {action}"),
            format!(
                "{e}\n\nNothing is lost: Terraform state still matches what Writer has. If Writer is \
                 unreachable or slow, check base_url and retry; max_retries and retry_timeout in the \
                 provider block control how long the provider keeps trying."
            ),
        ),
    }
}

/// How to bring an existing app named `name` under Terraform.
fn import_by_name(name: &str) -> String {
    format!(
        "  import {{\n    to = writer_confluence_oauth_app.<name>\n    id = \"name={name}\"\n  }}\n\n\
         or: terraform import writer_confluence_oauth_app.<name> 'name={name}'"
    )
}

/// A create's answer was lost, and the app it made was found and taken into
/// state.
pub(crate) fn create_answer_lost_app_adopted(e: &client::Error, id: &str) -> Diagnostic {
    Diagnostic::warning(
        "Writer's answer to the create was lost; the app it made was found",
        format!(
            "{e}\n\nWriter had created the app before its answer was lost: an app with this name and \
             client ID exists (id `{id}`), so Terraform took it into state rather than leave it outside. \
             Nothing else is needed.",
            id = quote::text(id)
        ),
    )
}

/// A create failed in a way that may have come after Writer made the app,
/// and Writer has no app of that name: nothing was created.
pub(crate) fn create_failed_nothing_created(e: &client::Error, name: &str) -> Diagnostic {
    Diagnostic::error(
        "Could not create the OAuth app",
        format!(
            "{e}\n\nWriter has no app named `{shown}`, so nothing was created and nothing is lost. If \
             Writer is unreachable or slow, check base_url and apply again; max_retries and \
             retry_timeout in the provider block control how long the provider keeps trying.",
            shown = quote::text(name)
        ),
    )
}

/// A create's outcome is unknown: the app may exist in Writer without being
/// in Terraform's state. Says what to look for and how to adopt it.
pub(crate) fn create_outcome_unknown(
    e: &client::Error,
    name: &str,
    lookup: &client::Error,
) -> Diagnostic {
    Diagnostic::error(
        "The OAuth app may have been created",
        format!(
            "{e}\n\nWriter may have created the app before its answer was lost, and looking it up by \
             name failed too ({lookup}). Before applying again, look in Writer (Admin > OAuth apps) for \
             an app named `{shown}`. If it is there, bring it under Terraform instead of creating it \
             again (applying again would fail: names are unique):\n\n{import}\n\nIf it is not there, \
             apply again.",
            import = import_by_name(name),
            shown = quote::text(name)
        ),
    )
}

/// After a create whose answer was lost, Writer has an app of that name that
/// is not the one the create sent.
pub(crate) fn create_outcome_other_app(
    e: &client::Error,
    name: &str,
    ids: &[String],
) -> Diagnostic {
    Diagnostic::error(
        "Could not create the OAuth app; another app has its name",
        format!(
            "{e}\n\nAfter the create's answer was lost, Writer has {count} app(s) named `{shown}` \
             (id {ids}), but not with this configuration's client ID and scopes, so Terraform did not \
             take it. If it is yours, bring it under Terraform:\n\n{import}\n\nOtherwise choose \
             another name.",
            count = ids.len(),
            ids = ids.join(", "),
            import = import_by_name(name),
            shown = quote::text(name)
        ),
    )
    .at(AttributePath::attribute("name"))
}

pub(crate) fn app_gone(id: &str) -> Diagnostic {
    let id = quote::text(id);
    Diagnostic::warning(
        "OAuth app deleted outside Terraform",
        format!(
            "The Confluence OAuth app `{id}` no longer exists in Writer (someone deleted it). It was \
             removed from the state; the plan creates it again. Knowledge Graph syncs that used it need \
             the new app."
        ),
    )
}

pub(crate) fn no_app_with_id(id: &str) -> Diagnostic {
    let id = quote::text(id);
    Diagnostic::error(
        "No OAuth app with this ID",
        format!(
            "Writer has no Confluence OAuth app with ID `{id}`. Check the ID in Writer (Admin > OAuth \
             apps), or look it up by name (import IDs of the form \"name=<the app's name>\")."
        ),
    )
}

pub(crate) fn no_app_named(name: &str) -> Diagnostic {
    let name = quote::text(name);
    Diagnostic::error(
        "No OAuth app with this name",
        format!(
            "Writer has no Confluence OAuth app named `{name}` (names match ignoring case). Check the \
             name in Writer (Admin > OAuth apps)."
        ),
    )
}

/// `ids`: the first matches found; the lookup stops at the second.
pub(crate) fn several_apps_named(name: &str, ids: &[String]) -> Diagnostic {
    let name = quote::text(name);
    Diagnostic::error(
        "Several OAuth apps have this name",
        format!(
            "Writer has more than one Confluence OAuth app named `{name}` (names match ignoring \
             case), among them {}. Use the ID of the one you mean.",
            ids.iter()
                .map(|i| quote::text(i))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

pub(crate) fn wrong_connector(id: &str, connector: &str) -> Diagnostic {
    let id = quote::text(id);
    let connector = quote::text(connector);
    Diagnostic::error(
        "Not a Confluence OAuth app",
        format!(
            "The OAuth app `{id}` is for the `{connector}` connector; writer_confluence_oauth_app manages \
             Confluence apps only."
        ),
    )
}

pub(crate) fn one_of_id_or_name() -> Diagnostic {
    Diagnostic::error(
        "Set either id or name",
        "Look the OAuth app up by exactly one of `id` or `name`.",
    )
}

/// Creating an app (plan or apply) with neither form of the secret.
pub(crate) fn set_one_secret() -> Diagnostic {
    Diagnostic::error(
        "Creating an OAuth app needs a client secret",
        "Writer needs the Atlassian app's secret to create the OAuth app. Set `client_secret_wo` \
         (write-only: never stored in plan or state; recommended) with `client_secret_wo_version = 1`, \
         or `client_secret` (stored in state, marked sensitive). The value is the Secret shown under \
         Settings of the app in Atlassian's developer console. If the app already exists in Writer, \
         import it instead: an app that exists can be managed without its secret.",
    )
    .at(AttributePath::attribute("client_secret_wo"))
}

pub(crate) fn two_secrets() -> Diagnostic {
    Diagnostic::error(
        "Two client secrets",
        "`client_secret` and `client_secret_wo` are two ways to give the same secret: set only one. \
         Prefer `client_secret_wo` (with `client_secret_wo_version`), which never lands in state.",
    )
    .at(AttributePath::attribute("client_secret"))
}

pub(crate) fn version_needed() -> Diagnostic {
    Diagnostic::error(
        "client_secret_wo_version is required with client_secret_wo",
        "A write-only secret is never stored, so Terraform cannot see when it changes. Set \
         `client_secret_wo_version = 1`, and increase it whenever you change the secret: that is what \
         sends the new secret to Writer.",
    )
    .at(AttributePath::attribute("client_secret_wo"))
}

/// A new or changed `client_secret_wo_version` with no write-only secret to send.
pub(crate) fn version_without_secret(creating: bool) -> Diagnostic {
    let what = if creating {
        "This plan creates the app with `client_secret_wo_version` set"
    } else {
        "This plan changes `client_secret_wo_version`"
    };
    Diagnostic::error(
        "client_secret_wo_version without client_secret_wo",
        format!(
            "{what}, which means sending a new secret to Writer, but `client_secret_wo` is null in \
             this run (for example an ephemeral variable left unset). Set `client_secret_wo` to the \
             Atlassian app's secret, or keep the version as it was in the state."
        ),
    )
    .at(AttributePath::attribute("client_secret_wo_version"))
}

/// Plan-time warning: the secret was changed in Writer outside Terraform,
/// and this run has no secret to send back.
pub(crate) fn secret_drift_without_secret() -> Diagnostic {
    Diagnostic::warning(
        "The client secret was changed in Writer outside Terraform",
        "Someone set another secret on this OAuth app in Writer, so this plan updates \
         `client_secret_wo_version` to send the configured secret again. `client_secret_wo` is null \
         in this run, so applying this plan would fail: apply it from a run that sets \
         `client_secret_wo` to the Atlassian app's secret.",
    )
    .at(AttributePath::attribute("client_secret_wo"))
}

/// Apply-time error: the plan sends a secret but the run has none.
pub(crate) fn secret_needed_to_apply() -> Diagnostic {
    Diagnostic::error(
        "Sending the client secret needs client_secret_wo",
        "This change sends the secret to Writer again (its version changed, or it was changed in \
         Writer outside Terraform), but `client_secret_wo` is null in this run. Nothing was changed. \
         Run the apply with `client_secret_wo` set to the Atlassian app's secret.",
    )
    .at(AttributePath::attribute("client_secret_wo"))
}

pub(crate) fn bad_version(value: &str) -> Diagnostic {
    Diagnostic::error(
        "Invalid client_secret_wo_version",
        format!(
            "client_secret_wo_version is {}; use a whole number from 1 to {}.",
            quote::text(value),
            i64::MAX
        ),
    )
    .at(AttributePath::attribute("client_secret_wo_version"))
}

/// A client secret too short to be Atlassian's; never says the secret or its length.
pub(crate) fn short_secret(attribute: &str, min: usize) -> Diagnostic {
    Diagnostic::error(
        format!("{attribute} is too short"),
        format!(
            "The secret has fewer than {min} characters. Atlassian client secrets are far longer \
             (about 64 characters), so this is not the app's secret; and Writer shows the last 4 \
             characters of a secret as its hint, which would give away most of a short one. Copy the \
             Secret from the app's Settings page in Atlassian's developer console (Your apps > the app \
             > Settings > Authentication details)."
        ),
    )
    .at(AttributePath::attribute(attribute))
}

/// `shown` (already quoted safely) holds a character that would drive the terminal.
pub(crate) fn control_character(attribute: &str, shown: &str, at: usize, what: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Invalid {attribute}"),
        format!(
            "`{shown}` contains {what} (character {at}), which Writer's admin console and terminals \
             do not show as text. Remove it; such characters usually come from copying, or from a \
             template or variable."
        ),
    )
    .at(AttributePath::attribute(attribute))
}

/// Writer reported more scopes than the provider accepts.
pub(crate) fn too_many_scopes_from_writer(id: &str, scopes: usize, max: usize) -> Diagnostic {
    Diagnostic::error(
        "Writer returned too many scopes",
        format!(
            "Writer reports {} scopes for the OAuth app {}; this provider accepts at most {max} \
             (Atlassian's catalogue has fewer than 100 Confluence scopes), so it did not read the app. \
             Check the app's scopes in Writer (Admin > OAuth apps) and base_url: this is not an \
             answer Writer's API gives.",
            quote::count(scopes),
            quote::text(id)
        ),
    )
    .at(AttributePath::attribute("scopes"))
}

/// A text value outside its limits.
pub(crate) fn bad_text(attribute: &str, problem: &str, fix: &str) -> Diagnostic {
    Diagnostic::error(format!("Invalid {attribute}"), format!("{problem}. {fix}"))
        .at(AttributePath::attribute(attribute))
}

pub(crate) fn callback_url_moved(state: &str, writer: &str) -> Diagnostic {
    Diagnostic::warning(
        "Writer expects another callback URL",
        format!(
            "This app's callback_url is `{}`, but Writer now reports `{}` as the callback for \
             Confluence apps. Update the Callback URL of the Atlassian app (developer console > your app \
             > Authorization), and callback_url here (or the provider's app_url).",
            quote::url(state),
            quote::url(writer)
        ),
    )
    .at(AttributePath::attribute("callback_url"))
}

/// A provider function's error: one text, which Terraform shows under the
/// argument's name.
pub(crate) fn function_finding(f: Finding) -> String {
    format!("{}. {}", f.summary, f.detail)
}

pub(crate) fn function_diagnostic(d: Diagnostic) -> String {
    format!("{}. {}", d.summary, d.detail)
}

pub(crate) fn function_callback_not_a_url(value: &str) -> String {
    format!(
        "`{}` is not a URL. Give the app's callback URL, such as \
         `https://app.writer.com/connector/confluence`, or build it with \
         `provider::writer::confluence_callback_url(app_url)`.",
        quote::url(value)
    )
}

pub(crate) fn function_null_scope() -> String {
    "A scope in the list is null. Give scope names, such as \"search:confluence\".".to_string()
}

pub(crate) fn function_not_a_string() -> String {
    "This argument must be a string.".to_string()
}
