//! The words of an OAuth-app resource and its data source: lookups, the
//! secret's forms, the outcome of a create, and the app's own limits. The
//! product's console words and the type name come from the [`Connector`];
//! Writer API errors go through the provider-wide `texts::api_error`, with
//! what only the resource knows added here.

use crate::client;
use crate::domain::quote;
use crate::tfplugin::diag::Diagnostic;
use crate::tfplugin::path::AttributePath;

use super::connector::Connector;
use super::model::APP;
use crate::provider::texts::{self as provider_texts, Changed, Object, KEEPS_TRYING};

/// An OAuth app, in the provider-wide messages.
const OAUTH_APP: Object = Object {
    name: "OAuth app",
    short: "app",
    key_refused: "The key is valid but lacks the org-admin role, which managing OAuth apps needs \
                  (reading is allowed). Use an org admin's key",
    carried: "client secret",
};

/// A Writer API error about an app, in the provider-wide words.
fn describe(e: &client::Error) -> String {
    provider_texts::describe(e, &OAUTH_APP)
}

/// An API error during a read of an app: the provider-wide words, with the
/// attribute Writer refused.
pub(crate) fn api_error(c: &Connector, action: &str, error: &client::Error) -> Diagnostic {
    about(c, action, error, Changed::Read)
}

/// A create, update or delete that Writer did not carry out (it refused it,
/// or it never got there): nothing was changed. Never says the app may have
/// been created.
pub(crate) fn write_not_done(c: &Connector, action: &str, error: &client::Error) -> Diagnostic {
    about(c, action, error, Changed::Nothing)
}

/// The provider-wide words, with the attribute Writer refused, and how to
/// import an app whose name is taken.
fn about(c: &Connector, action: &str, error: &client::Error, changed: Changed) -> Diagnostic {
    use client::Error as E;
    let provider_words = |action, error| match changed {
        Changed::Read => provider_texts::api_error(&OAUTH_APP, action, error),
        Changed::Nothing => provider_texts::write_not_done(&OAUTH_APP, action, error),
    };
    match error {
        E::NameTaken { .. } => Diagnostic::error(
            "An OAuth app with this name already exists",
            format!(
                "{}\n\nNames are unique per connector, ignoring case. Choose another name, or bring the \
                 existing app under Terraform with an import block:\n\n  import {{\n    to = \
                 {}.<name>\n    id = \"name=<its name>\"\n  }}",
                describe(error),
                c.type_name
            ),
        )
        .at(AttributePath::attribute(APP.name)),
        E::Validation { field, .. } => {
            let d = provider_words(action, error);
            let sent = [APP.name, APP.client_id, APP.scopes, APP.client_secret];
            match sent.into_iter().find(|a| Some(*a) == field.as_deref()) {
                Some(attribute) => d.at(AttributePath::attribute(attribute)),
                None => d,
            }
        }
        _ => provider_words(action, error),
    }
}

/// An update whose outcome is unknown: Writer may have made the change. The
/// state keeps the app as it was; the next plan reads Writer and shows what
/// is left to do.
pub(crate) fn update_outcome_unknown(e: &client::Error) -> Diagnostic {
    Diagnostic::error(
        "The OAuth app may have been changed",
        format!(
            "{e}\n\nNo complete answer came back, so Writer may have made the change or not. The \
             state keeps the app as it was before this apply. Run terraform plan: it reads the app \
             from Writer and shows exactly what is still to change (nothing, if the update went \
             through), then apply again; {KEEPS_TRYING}",
            e = describe(e)
        ),
    )
}

/// A delete whose outcome is unknown: Writer may have deleted the app. The
/// state keeps it; the next run reads Writer first.
pub(crate) fn delete_outcome_unknown(e: &client::Error) -> Diagnostic {
    Diagnostic::error(
        "The OAuth app may have been deleted",
        format!(
            "{e}\n\nNo complete answer came back, so Writer may have deleted the app or not. The \
             state keeps it. Run the destroy (or apply) again: Terraform reads the app from Writer \
             first, drops it from the state if it is gone (with a warning that it was deleted), \
             and deletes it otherwise; {KEEPS_TRYING}",
            e = describe(e)
        ),
    )
}

/// How to bring an existing app named `name` under Terraform.
fn import_by_name(c: &Connector, name: &str) -> String {
    let type_name = c.type_name;
    format!(
        "  import {{\n    to = {type_name}.<name>\n    id = \"name={name}\"\n  }}\n\n\
         or: terraform import {type_name}.<name> 'name={name}'"
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
            e = describe(e),
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
             Writer is unreachable or slow, check base_url and apply again; {KEEPS_TRYING}",
            e = describe(e),
            shown = quote::text(name)
        ),
    )
}

/// A create's outcome is unknown: the app may exist in Writer without being
/// in Terraform's state. Says what to look for and how to adopt it.
pub(crate) fn create_outcome_unknown(
    c: &Connector,
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
            e = describe(e),
            lookup = describe(lookup),
            import = import_by_name(c, name),
            shown = quote::text(name)
        ),
    )
}

/// After a create whose answer was lost, Writer has an app of that name that
/// is not the one the create sent.
pub(crate) fn create_outcome_other_app(
    c: &Connector,
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
            e = describe(e),
            count = ids.len(),
            ids = ids.join(", "),
            import = import_by_name(c, name),
            shown = quote::text(name)
        ),
    )
    .at(AttributePath::attribute(APP.name))
}

pub(crate) fn app_gone(c: &Connector, id: &str) -> Diagnostic {
    let (id, product) = (quote::text(id), c.product());
    Diagnostic::warning(
        "OAuth app deleted outside Terraform",
        format!(
            "The {product} OAuth app `{id}` no longer exists in Writer (someone deleted it). It was \
             removed from the state; the plan creates it again. Knowledge Graph syncs that used it need \
             the new app."
        ),
    )
}

pub(crate) fn no_app_with_id(c: &Connector, id: &str) -> Diagnostic {
    let (id, product) = (quote::text(id), c.product());
    Diagnostic::error(
        "No OAuth app with this ID",
        format!(
            "Writer has no {product} OAuth app with ID `{id}`. Check the ID in Writer (Admin > OAuth \
             apps), or look it up by name (import IDs of the form \"name=<the app's name>\")."
        ),
    )
}

pub(crate) fn no_app_named(c: &Connector, name: &str) -> Diagnostic {
    let (name, product) = (quote::text(name), c.product());
    Diagnostic::error(
        "No OAuth app with this name",
        format!(
            "Writer has no {product} OAuth app named `{name}` (names match ignoring case). Check the \
             name in Writer (Admin > OAuth apps)."
        ),
    )
}

/// `ids`: the first matches found; the lookup stops at the second.
pub(crate) fn several_apps_named(c: &Connector, name: &str, ids: &[String]) -> Diagnostic {
    let (name, product) = (quote::text(name), c.product());
    Diagnostic::error(
        "Several OAuth apps have this name",
        format!(
            "Writer has more than one {product} OAuth app named `{name}` (names match ignoring \
             case), among them {}. Use the ID of the one you mean.",
            ids.iter()
                .map(|i| quote::text(i))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

pub(crate) fn wrong_connector(c: &Connector, id: &str, connector: &str) -> Diagnostic {
    let id = quote::text(id);
    let connector = quote::text(connector);
    let (product, type_name) = (c.product(), c.type_name);
    Diagnostic::error(
        format!("Not a {product} OAuth app"),
        format!(
            "The OAuth app `{id}` is for the `{connector}` connector; {type_name} manages \
             {product} apps only."
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
pub(crate) fn set_one_secret(c: &Connector) -> Diagnostic {
    Diagnostic::error(
        "Creating an OAuth app needs a client secret",
        format!(
            "Writer needs the app's secret to create the OAuth app. Set `client_secret_wo` \
             (write-only: never stored in plan or state; recommended) with \
             `client_secret_wo_version = 1`, or `client_secret` (stored in state, marked \
             sensitive). {} If the app already exists in Writer, import it instead: an app that \
             exists can be managed without its secret.",
            c.words.secret_source
        ),
    )
    .at(AttributePath::attribute(APP.client_secret_wo))
}

pub(crate) fn two_secrets() -> Diagnostic {
    Diagnostic::error(
        "Two client secrets",
        "`client_secret` and `client_secret_wo` are two ways to give the same secret: set only one. \
         Prefer `client_secret_wo` (with `client_secret_wo_version`), which never lands in state.",
    )
    .at(AttributePath::attribute(APP.client_secret))
}

pub(crate) fn version_needed() -> Diagnostic {
    Diagnostic::error(
        "client_secret_wo_version is required with client_secret_wo",
        "A write-only secret is never stored, so Terraform cannot see when it changes. Set \
         `client_secret_wo_version = 1`, and increase it whenever you change the secret: that is what \
         sends the new secret to Writer.",
    )
    .at(AttributePath::attribute(APP.client_secret_wo))
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
             app's secret, or keep the version as it was in the state."
        ),
    )
    .at(AttributePath::attribute(APP.client_secret_wo_version))
}

/// Plan-time warning: the secret was changed in Writer outside Terraform,
/// and this run has no secret to send back.
pub(crate) fn secret_drift_without_secret() -> Diagnostic {
    Diagnostic::warning(
        "The client secret was changed in Writer outside Terraform",
        "Someone set another secret on this OAuth app in Writer, so this plan updates \
         `client_secret_wo_version` to send the configured secret again. `client_secret_wo` is null \
         in this run, so applying this plan would fail: apply it from a run that sets \
         `client_secret_wo` to the app's secret.",
    )
    .at(AttributePath::attribute(APP.client_secret_wo))
}

/// Apply-time error: the plan sends a secret but the run has none.
pub(crate) fn secret_needed_to_apply() -> Diagnostic {
    Diagnostic::error(
        "Sending the client secret needs client_secret_wo",
        "This change sends the secret to Writer again (its version changed, or it was changed in \
         Writer outside Terraform), but `client_secret_wo` is null in this run. Nothing was changed. \
         Run the apply with `client_secret_wo` set to the app's secret.",
    )
    .at(AttributePath::attribute(APP.client_secret_wo))
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
    .at(AttributePath::attribute(APP.client_secret_wo_version))
}

/// A client secret too short to be Atlassian's; never says the secret or its length.
pub(crate) fn short_secret(c: &Connector, attribute: &str, min: usize) -> Diagnostic {
    Diagnostic::error(
        format!("{attribute} is too short"),
        format!(
            "The secret has fewer than {min} characters. {}, so this is not the app's secret; and \
             Writer shows the last 4 characters of a secret as its hint, which would give away most \
             of a short one. {}",
            c.words.secret_length, c.words.secret_where
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
pub(crate) fn too_many_scopes_from_writer(c: &Connector, id: &str, scopes: usize) -> Diagnostic {
    Diagnostic::error(
        "Writer returned too many scopes",
        format!(
            "Writer reports {} scopes for the OAuth app {}; this provider accepts at most {} ({}), \
             so it did not read the app. Check the app's scopes in Writer (Admin > OAuth apps) and \
             base_url: this is not an answer Writer's API gives.",
            quote::count(scopes),
            quote::text(id),
            c.max_scopes,
            c.words.scope_catalogue_size
        ),
    )
    .at(AttributePath::attribute(APP.scopes))
}

/// A text value outside its limits.
pub(crate) fn bad_text(attribute: &str, problem: &str, fix: &str) -> Diagnostic {
    Diagnostic::error(format!("Invalid {attribute}"), format!("{problem}. {fix}"))
        .at(AttributePath::attribute(attribute))
}

pub(crate) fn callback_url_moved(c: &Connector, state: &str, writer: &str) -> Diagnostic {
    Diagnostic::warning(
        "Writer expects another callback URL",
        format!(
            "This app's callback_url is `{}`, but Writer now reports `{}` as the callback for \
             {} apps. {}, and callback_url here (or the provider's app_url).",
            quote::url(state),
            quote::url(writer),
            c.product(),
            c.words.callback_console
        ),
    )
    .at(AttributePath::attribute(APP.callback_url))
}

/// `config { name = "" }` in a `list` block (`terraform query`).
pub(crate) fn empty_list_name(c: &Connector) -> Diagnostic {
    Diagnostic::error(
        "The name filter is empty",
        format!(
            "`name` in a `list \"{}\"` block's `config` selects the app of that name (ignoring case, \
             as Writer does). Set it to the app's name as shown in Writer (Admin > OAuth apps), or \
             remove `name` to list every {} OAuth app.",
            c.type_name,
            c.product()
        ),
    )
    .at(AttributePath::attribute(APP.name))
}
