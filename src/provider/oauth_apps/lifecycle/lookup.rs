//! Finding one app of a connector by ID or by name: shared by import and the
//! data source, so both answer "none" and "several" the same way; the
//! resource's read of its own app, patient with a Writer whose reads lag
//! behind its writes; and, after a create whose outcome is unknown, the app
//! that create made, if Writer lists one that provably is
//! ([`crate::provider::adoption`]'s rule).

use std::time::{Duration, Instant, SystemTime};

use tokio_util::sync::CancellationToken;

use crate::client::{self, CreateApp, ListFilter, NameMatch, OAuthApp, Versioned};
use crate::tfplugin::diag::Diagnostic;

use super::connector::Connector;
use super::private::Private;
use super::texts;
use crate::provider::adoption::{self, Began, Candidate, Decision, Hint};
use crate::provider::config::Api;

/// How long after this provider created an app a read still allows for
/// Writer not showing it yet (a 201, then a 404 for a few seconds).
pub(crate) const NEW_APP_WINDOW: Duration = Duration::from_secs(60);
/// How long such a read keeps asking while Writer answers 404.
pub(crate) const NEW_APP_PATIENCE: Duration = Duration::from_secs(8);
/// The wait between those reads.
const NEW_APP_POLL: Duration = Duration::from_millis(500);

/// The app `id`, or `None` when Writer has none. An app this provider
/// created less than [`NEW_APP_WINDOW`] ago (`private`) is asked for again
/// for up to [`NEW_APP_PATIENCE`] while Writer says 404: a Writer whose
/// reads lag behind its writes must not make Terraform forget an app it has
/// just made, and create it a second time. Every read is in the call's one
/// operation deadline.
pub(crate) async fn read_app(
    api: &Api,
    id: &str,
    private: &Private,
    cancel: &CancellationToken,
) -> Result<Option<Versioned<OAuthApp>>, client::Error> {
    let found = api.client.get_app(id).await?;
    let young = private
        .created_ago()
        .is_some_and(|ago| ago < NEW_APP_WINDOW);
    if found.is_some() || !young {
        return Ok(found);
    }
    let started = Instant::now();
    while started.elapsed() < NEW_APP_PATIENCE {
        tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(client::Error::Cancelled),
            () = tokio::time::sleep(NEW_APP_POLL) => {}
        }
        tracing::debug!(id, "a new app is not in Writer's reads yet: asking again");
        if let Some(found) = api.client.get_app(id).await? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

pub(crate) enum Lookup<'a> {
    Id(&'a str),
    Name(&'a str),
}

/// The one app of connector `c` that matches, or a diagnostic saying why not.
pub(crate) async fn find_app(
    api: &Api,
    c: &Connector,
    lookup: Lookup<'_>,
) -> Result<OAuthApp, Diagnostic> {
    let app = match lookup {
        Lookup::Id(id) => match api.client.get_app(id).await {
            Ok(Some(found)) => found.value,
            Ok(None) => return Err(texts::no_app_with_id(c, id)),
            Err(e) => return Err(texts::api_error(c, "read the OAuth app", &e)),
        },
        // Stops reading pages as soon as the answer is decided.
        Lookup::Name(name) => match api.client.find_app_by_name(c.name, name).await {
            Ok(NameMatch::One(app)) => *app,
            Ok(NameMatch::None) => return Err(texts::no_app_named(c, name)),
            Ok(NameMatch::Several(ids)) => return Err(texts::several_apps_named(c, name, &ids)),
            Err(e) => return Err(texts::api_error(c, "look up the OAuth app", &e)),
        },
    };
    if app.connector != c.name {
        return Err(texts::wrong_connector(c, &app.id, &app.connector));
    }
    Ok(app)
}

/// After a create of `sent` whose outcome is unknown, begun at `began` on
/// this machine's clock: Writer's apps of that name, and whether one of them
/// is the app this create made. Writer's clock is read from the `Date` of
/// the operation's answers (the create's and this lookup's).
pub(crate) async fn find_created(
    api: &Api,
    sent: &CreateApp,
    began: SystemTime,
) -> Result<(Decision, Vec<OAuthApp>), client::Error> {
    let filter = ListFilter {
        connector: Some(sent.connector.clone()),
        name: Some(sent.name.clone()),
    };
    let mut found = Vec::new();
    api.client
        .each_app(&filter, |app| {
            // A server (or proxy) that ignores the filter is not believed.
            if filter.matches(&app) {
                found.push(app);
            }
            // Names are unique: a handful is already more than Writer allows.
            found.len() < 10
        })
        .await?;
    let candidates: Vec<Candidate> = found
        .iter()
        .map(|app| Candidate {
            id: app.id.clone(),
            created_at: app.created_at.clone(),
            as_sent: holds_what_was_sent(app, sent),
            hint: match sent.hint_shows_secret_in(app) {
                Some(true) => Hint::Matches,
                Some(false) => Hint::Differs,
                None => Hint::NotShown,
            },
        })
        .collect();
    let began = Began {
        local: began,
        writer_ahead_ms: api.client.writer_ahead_ms(),
    };
    Ok((adoption::decide(began, &candidates), found))
}

/// Whether `app` has what the create sent: connector, name, client ID,
/// scopes (as a set) and settings.
pub(crate) fn holds_what_was_sent(app: &OAuthApp, sent: &CreateApp) -> bool {
    use std::collections::BTreeSet;
    let set = |s: &[String]| s.iter().cloned().collect::<BTreeSet<_>>();
    app.connector == sent.connector
        && app.name == sent.name
        && app.client_id == sent.client_id
        && set(&app.scopes) == set(&sent.scopes)
        && app.settings == sent.settings
}
