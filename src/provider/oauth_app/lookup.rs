//! Finding one app of a connector by ID or by name: shared by import and the
//! data source, so both answer "none" and "several" the same way.

use crate::client::{NameMatch, OAuthApp};
use crate::tfplugin::diag::Diagnostic;

use super::super::config::Api;
use super::connector::Connector;
use super::texts;

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
