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
use crate::provider::adoption::Why;
use crate::provider::texts::{self as provider_texts, Changed, Object, KEEPS_TRYING};

/// An OAuth app, in the provider-wide messages.
const OAUTH_APP: Object = Object {
    name: "OAuth app",
    short: "app",
    key_refused: "Writer accepted the key but refused it this request (HTTP 403): managing \
                  OAuth apps needs an org admin's key. Use an org admin's key",
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
             from Writer and shows what is still to change (nothing, if the update went through; \
             a new secret is always sent again, as Terraform cannot read a secret back), then \
             apply again; {KEEPS_TRYING}",
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

/// An import block for an app of `c` with import ID `id`.
fn import_block(c: &Connector, id: &str) -> String {
    format!(
        "  import {{\n    to = {}.<name>\n    id = \"{id}\"\n  }}",
        c.type_name
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
            "{e}\n\nWriter had created the app before its answer was lost: it lists an app (id `{id}`) \
             with this configuration's name, client ID, scopes and settings, created after this \
             create began, whose secret hint (where Writer shows one) is that of the secret sent. \
             Terraform took it into state rather than leave it outside.",
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

/// After a create whose outcome is unknown, Writer has apps of that name,
/// none of which provably came from this create (`found`: each, and why).
pub(crate) fn create_outcome_not_adopted(
    c: &Connector,
    e: &client::Error,
    name: &str,
    found: &[(String, Why)],
) -> Diagnostic {
    let listed: Vec<String> = found
        .iter()
        .map(|(id, why)| format!("  - `{}`: {why}", quote::text(id)))
        .collect();
    let type_name = c.type_name;
    let first = found
        .first()
        .map_or(String::new(), |(id, _)| quote::text(id));
    Diagnostic::error(
        "Could not create the OAuth app; an app with its name exists",
        format!(
            "{e}\n\nThe create's outcome is unknown, and Writer has {count} app(s) named `{shown}` \
             that Terraform cannot prove this create made, so it took none into state:\n{listed}\n\n\
             If one is the app this resource should manage, import it by its ID:\n\n  terraform \
             import {type_name}.<name> {first}\n\nor with an import block (`to = \
             {type_name}.<name>`, `id = \"{first}\"`). Otherwise delete or rename it in Writer \
             (Admin > OAuth apps), or choose another name, and apply again.",
            e = describe(e),
            count = found.len(),
            listed = listed.join("\n"),
            shown = quote::text(name)
        ),
    )
    .at(AttributePath::attribute(APP.name))
}

/// Writer answered a create with an app, but not with what was sent.
pub(crate) fn created_unlike_sent(c: &Connector, id: &str, attribute: &str) -> Diagnostic {
    Diagnostic::error(
        "Writer created the OAuth app with other values than were sent",
        format!(
            "Writer created the {product} OAuth app `{id}`, but its `{attribute}` is not the one \
             this configuration sent. The state holds the app as Writer has it, marked tainted: \
             the next apply replaces it (deletes it and creates it again). Check the app in Writer \
             (Admin > OAuth apps) before applying again.",
            product = c.product(),
            id = quote::text(id)
        ),
    )
    .at(AttributePath::attribute(attribute))
}

/// Writer answered that it created the app (`id`), but the answer cannot be
/// used: the ID is kept in state, tainted.
pub(crate) fn create_answer_unusable(c: &Connector, e: &client::Error, id: &str) -> Diagnostic {
    Diagnostic::error(
        "Writer created the OAuth app, but its answer cannot be used",
        format!(
            "{e}\n\nWriter answered that it created the {product} OAuth app `{id}`. Terraform keeps \
             its ID in state, with the values it could not read left empty, marked tainted: the \
             next apply replaces it (deletes it and creates it again). To keep it instead, check it \
             in Writer (Admin > OAuth apps) and run terraform untaint on this resource.",
            e = describe(e),
            product = c.product(),
            id = quote::text(id)
        ),
    )
}

/// Writer answered that it made an update, but the answer cannot be used.
pub(crate) fn update_answer_unusable(e: &client::Error) -> Diagnostic {
    Diagnostic::error(
        "Writer changed the OAuth app, but its answer cannot be used",
        format!(
            "{e}\n\nWriter answered that it made the change. The state keeps the app as it was \
             before this apply; run terraform plan, which reads the app from Writer again.",
            e = describe(e)
        ),
    )
}

/// An update found no app to read its ETag from.
pub(crate) fn gone_before_update(c: &Connector, id: &str) -> Diagnostic {
    Diagnostic::error(
        "The OAuth app is not in Writer",
        format!(
            "Before updating the {product} OAuth app `{id}`, Terraform read it from Writer, which \
             has no app with this ID (it answered 404), so nothing was changed. Run terraform plan: \
             it reads Writer again and plans to create the app if it is gone.",
            product = c.product(),
            id = quote::text(id)
        ),
    )
}

/// The app read before an update is not the one Terraform last saw.
pub(crate) fn changed_since_read(c: &Connector, id: &str) -> Diagnostic {
    Diagnostic::error(
        "The OAuth app changed outside Terraform",
        format!(
            "Before updating the {product} OAuth app `{id}`, Terraform read it from Writer: its \
             updated_at is not the one in state, so someone changed it since Terraform last read \
             it, and the update was not sent (nothing was overwritten). Run terraform plan again to \
             see the change, then apply.",
            product = c.product(),
            id = quote::text(id)
        ),
    )
}

/// Writer gave no ETag for the app, so no update can be conditional.
pub(crate) fn no_etag_for_update(c: &Connector, id: &str) -> Diagnostic {
    Diagnostic::error(
        "Writer gave no ETag for the OAuth app",
        format!(
            "Updates are sent only with If-Match, so that they never overwrite a change Terraform \
             has not seen. Writer's answer to reading the {product} OAuth app `{id}` carried no \
             ETag, so the update was not sent (nothing was changed). Check base_url: the Writer \
             API sends an ETag with every app.",
            product = c.product(),
            id = quote::text(id)
        ),
    )
}

/// A read found no app with the state's ID: Writer answered 404.
pub(crate) fn app_gone(c: &Connector, id: &str) -> Diagnostic {
    let (id, product) = (quote::text(id), c.product());
    Diagnostic::warning(
        "OAuth app deleted outside Terraform",
        format!(
            "Writer has no {product} OAuth app `{id}` (it answered 404 to the read): the app was \
             deleted outside Terraform, or base_url points at another Writer. It was removed from \
             the state. While the resource is in the configuration, the plan creates a new app, with \
             a new ID: Knowledge Graph syncs that used the old app need the new one."
        ),
    )
}

/// An update answered 404: the app the state holds is not in Writer now.
pub(crate) fn app_gone_before_update(c: &Connector, id: &str) -> Diagnostic {
    let (id, product, type_name) = (quote::text(id), c.product(), c.type_name);
    Diagnostic::error(
        "The OAuth app no longer exists in Writer",
        format!(
            "The {product} OAuth app `{id}` no longer exists in Writer: Writer answered the update \
             with 404 (no OAuth app with this ID), so nothing was changed. It was deleted after \
             Terraform last read it, or base_url points at another Writer. The state still holds \
             the app until the next refresh.\n\nIf you still want the app, run terraform plan: it \
             finds the app gone, drops it from the state and creates it again, with a new ID \
             (Knowledge Graph syncs that used the old app need the new one). If you no longer want \
             it, remove the resource from the configuration (or run terraform state rm \
             {type_name}.<name>)."
        ),
    )
}

/// The state's `id` cannot name an app (empty, `.` or `..`): Writer was not
/// asked, so nothing is known about the app. The provider-wide words.
pub(crate) fn state_without_id(c: &Connector, id: &str) -> Diagnostic {
    provider_texts::state_without_id(
        &provider_texts::Refind {
            object: &OAUTH_APP,
            type_name: c.type_name,
            attribute: APP.id,
            import_id: "<its ID, or name=<its name>>",
            how: "by the app's ID or name (Writer shows both in Admin > OAuth apps)",
        },
        id,
    )
}

/// A create refused with 409, and the one app Writer has under that name
/// (`holder`). Terraform does not tell a create whether it replaces an app,
/// so both cases are named: the app this apply replaces (with
/// `create_before_destroy`, the new one is created first), or an app no
/// resource manages.
pub(crate) fn name_taken_by(
    c: &Connector,
    e: &client::Error,
    name: &str,
    holder: &str,
) -> Diagnostic {
    let (shown, holder_shown, product) = (quote::text(name), quote::text(holder), c.product());
    Diagnostic::error(
        "An OAuth app with this name already exists",
        format!(
            "{e}\n\nWriter already has the {product} OAuth app `{holder_shown}` named \
             `{shown}`, and Writer requires names to be unique per connector (ignoring case), so \
             nothing was created.\n\nIf this apply replaces `{holder_shown}` (with \
             create_before_destroy, Terraform creates the new app before deleting the old one: \
             after -replace, a taint, or replace_triggered_by), the new app's name is taken by the \
             app it replaces. Then either change `name`, so the new app can exist beside the old \
             one until it is deleted, or remove create_before_destroy from this resource's \
             lifecycle block, so the old app is deleted first.\n\nIf no resource manages \
             `{holder_shown}`, choose another name, or bring that app under Terraform:\n\n{}",
            import_block(c, &quote::text(holder)),
            e = describe(e)
        ),
    )
    .at(AttributePath::attribute(APP.name))
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

/// Plan-time warning: the secret was set in Writer outside Terraform,
/// and this run has no secret to send back.
pub(crate) fn secret_drift_without_secret() -> Diagnostic {
    Diagnostic::warning(
        "The client secret was set in Writer outside Terraform",
        "Writer reports that this OAuth app's secret was set after Terraform last set it (its \
         client_secret_updated_at changed), so this plan updates `client_secret_wo_version` to \
         send the configured secret again. `client_secret_wo` is null \
         in this run, so applying this plan would fail: apply it from a run that sets \
         `client_secret_wo` to the app's secret.",
    )
    .at(AttributePath::attribute(APP.client_secret_wo))
}

/// Apply-time error: the plan sends a secret but the run has none.
pub(crate) fn secret_needed_to_apply() -> Diagnostic {
    Diagnostic::error(
        "Sending the client secret needs client_secret_wo",
        "This change sends the secret to Writer again (its version changed, or it was set in Writer \
         outside Terraform), but `client_secret_wo` is null in this run. Nothing was changed. \
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
             so it did not read the app. Check the app's scopes in Writer (Admin > OAuth apps), and \
             that base_url points at Writer's API.",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Problem;
    use crate::provider::oauth_apps::connectors::CONFLUENCE;

    fn name_taken() -> client::Error {
        client::Error::NameTaken {
            problem: Box::new(Problem {
                status: 409,
                ..Problem::default()
            }),
        }
    }

    #[test]
    fn an_update_answered_404_says_the_app_is_gone_and_what_to_do() {
        let d = app_gone_before_update(&CONFLUENCE, "app_7");
        assert!(d.is_error());
        for says in [
            "`app_7` no longer exists in Writer",
            "nothing was changed",
            "creates it again",
            "remove the resource from the configuration",
            "terraform state rm writer_confluence_oauth_app.<name>",
        ] {
            assert!(d.detail.contains(says), "{says}: {}", d.detail);
        }
        assert!(
            !d.detail.contains("matches what Writer has"),
            "{}",
            d.detail
        );
    }

    #[test]
    fn a_state_without_an_id_does_not_claim_the_app_was_deleted() {
        let d = state_without_id(&CONFLUENCE, "");
        assert!(d.is_error());
        for says in [
            "has no ID (`id` is empty)",
            "did not ask it",
            "terraform state rm",
            "import {",
        ] {
            assert!(d.detail.contains(says), "{says}: {}", d.detail);
        }
        assert!(!d.detail.contains("deleted"), "{}", d.detail);
        let dots = state_without_id(&CONFLUENCE, "..");
        assert!(dots
            .detail
            .contains("has the ID `..`, which no app can have"));
    }

    #[test]
    fn a_name_taken_names_the_app_and_the_replacement_case_before_import() {
        let d = name_taken_by(&CONFLUENCE, &name_taken(), "Engineering", "app_7");
        for says in [
            "Writer already has the Confluence OAuth app `app_7` named `Engineering`",
            "If this apply replaces `app_7`",
            "the app it replaces",
            "create_before_destroy",
            "change `name`",
            "If no resource manages `app_7`",
            "id = \"app_7\"",
        ] {
            assert!(d.detail.contains(says), "{says}: {}", d.detail);
        }
        // Import is offered only for an app no resource manages.
        let import = d.detail.find("import {").unwrap();
        assert!(d.detail.find("If no resource manages").unwrap() < import);
        assert_eq!(
            d.attribute.as_ref().map(|p| p.to_string()).as_deref(),
            Some("name")
        );
    }

    #[test]
    fn a_secret_set_outside_terraform_is_said_as_writer_reports_it() {
        let d = secret_drift_without_secret();
        assert!(
            d.detail.contains("client_secret_updated_at changed"),
            "{}",
            d.detail
        );
        assert!(!d.detail.contains("another secret"), "{}", d.detail);
        let unknown = update_outcome_unknown(&client::Error::Cancelled);
        assert!(
            unknown.detail.contains("a new secret is always sent again"),
            "{}",
            unknown.detail
        );
    }
}
