//! Finding one Confluence OAuth app by ID or by name: shared by import and
//! the data source, so both answer "none" and "several" the same way.

use crate::client::{ListFilter, OAuthApp};
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
        Lookup::Name(name) => {
            let filter = ListFilter {
                connector: Some(CONNECTOR.to_string()),
                name: Some(name.to_string()),
            };
            let mut apps = match api.client.list_apps(&filter).await {
                Ok(apps) => apps,
                Err(e) => return Err(texts::api_error("look up the OAuth app", &e)),
            };
            match apps.len() {
                0 => return Err(texts::no_app_named(name)),
                1 => apps.remove(0),
                _ => {
                    let ids: Vec<String> = apps.into_iter().map(|a| a.id).collect();
                    return Err(texts::several_apps_named(name, &ids));
                }
            }
        }
    };
    if app.connector != CONNECTOR {
        return Err(texts::wrong_connector(&app.id, &app.connector));
    }
    Ok(app)
}
