//! Finding one Confluence OAuth app by ID or by name: shared by import and
//! the data source, so both answer "none" and "several" the same way.

use crate::client::{NameMatch, OAuthApp};
use crate::tfplugin::diag::Diagnostic;

use super::config::Api;
use super::texts;

/// The connector the provider manages, in Writer's words.
pub(crate) const CONNECTOR: &str = "confluence";

pub(crate) enum Lookup<'a> {
    Id(&'a str),
    Name(&'a str),
}

/// The one Confluence app that matches, or a diagnostic saying why not.
pub(crate) async fn find_app(api: &Api, lookup: Lookup<'_>) -> Result<OAuthApp, Diagnostic> {
    let app = match lookup {
        Lookup::Id(id) => match api.client.get_app(id).await {
            Ok(Some(found)) => found.value,
            Ok(None) => return Err(texts::no_app_with_id(id)),
            Err(e) => return Err(texts::api_error("read the OAuth app", &e)),
        },
        // Stops reading pages as soon as the answer is decided.
        Lookup::Name(name) => match api.client.find_app_by_name(CONNECTOR, name).await {
            Ok(NameMatch::One(app)) => *app,
            Ok(NameMatch::None) => return Err(texts::no_app_named(name)),
            Ok(NameMatch::Several(ids)) => return Err(texts::several_apps_named(name, &ids)),
            Err(e) => return Err(texts::api_error("look up the OAuth app", &e)),
        },
    };
    if app.connector != CONNECTOR {
        return Err(texts::wrong_connector(&app.id, &app.connector));
    }
    Ok(app)
}
