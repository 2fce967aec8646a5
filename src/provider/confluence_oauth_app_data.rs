//! Data source `writer_confluence_oauth_app`: looks up an existing Confluence
//! OAuth app by `id` or by `name`, e.g. one created by hand or by another
//! Terraform configuration.

use std::sync::Arc;

use async_trait::async_trait;

use crate::client::OAuthApp;
use crate::domain;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{Type, Value};
use crate::tfplugin::{DataSource, DataSourceReadRequest, DataSourceReadResponse};

use super::confluence_oauth_app::TYPE_NAME;
use super::lookup::{find_app, Lookup};
use super::{texts, Shared};

pub(crate) struct ConfluenceOAuthAppData {
    shared: Arc<Shared>,
}

impl ConfluenceOAuthAppData {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

fn schema() -> Schema {
    let computed =
        |name: &str, ty: Type, text: &str| Attribute::computed(name, ty).description(text);
    Schema::new(
        Block::new(
            "Looks up a Confluence OAuth app in Writer by `id` or by `name` (exactly one). The secret is \
             never returned; `client_secret_hint` shows its last four characters.",
        )
        .attribute(Attribute::optional_computed("id", Type::String).description(
            "The app's ID. Set this or `name`.",
        ))
        .attribute(Attribute::optional_computed("name", Type::String).description(
            "The app's name, matched ignoring case. Set this or `id`. An error if no app or several \
             apps have it.",
        ))
        .attribute(computed("client_id", Type::String, "The Atlassian app's client ID."))
        .attribute(computed(
            "scopes",
            Type::Set(Box::new(Type::String)),
            "The scopes Writer records for the Atlassian app.",
        ))
        .attribute(computed(
            "callback_url",
            Type::String,
            "The callback URL Writer expects the Atlassian app to use.",
        ))
        .attribute(computed(
            "client_secret_hint",
            Type::String,
            "`…` and the last four characters of the secret Writer holds.",
        ))
        .attribute(computed(
            "client_secret_updated_at",
            Type::String,
            "When the secret was last set (RFC 3339, UTC).",
        ))
        .attribute(computed("status", Type::String, "The app's status in Writer, e.g. `active`."))
        .attribute(computed("created_at", Type::String, "When the app was created (RFC 3339, UTC)."))
        .attribute(computed("updated_at", Type::String, "When the app was last changed (RFC 3339, UTC)."))
    )
}

fn state(app: &OAuthApp) -> Value {
    let s = |v: &str| Value::String(v.to_string());
    let mut scopes = app.scopes.clone();
    scopes.sort();
    scopes.dedup();
    Value::Object(
        [
            ("id", s(&app.id)),
            ("name", s(&app.name)),
            ("client_id", s(&app.client_id)),
            (
                "scopes",
                Value::Set(scopes.into_iter().map(Value::String).collect()),
            ),
            ("callback_url", s(&app.callback_url)),
            ("client_secret_hint", s(&app.client_secret_hint)),
            ("client_secret_updated_at", s(&app.client_secret_updated_at)),
            ("status", s(&app.status)),
            ("created_at", s(&app.created_at)),
            ("updated_at", s(&app.updated_at)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    )
}

#[async_trait]
impl DataSource for ConfluenceOAuthAppData {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let (id, name) = (config.get("id"), config.get("name"));
        // Unknown counts as set: it will have a value.
        if id.is_null() == name.is_null() {
            return texts::one_of_id_or_name().into();
        }
        Diagnostics::new()
    }

    async fn read(&self, request: DataSourceReadRequest) -> DataSourceReadResponse {
        let config = request.config;
        let fail = |d: Diagnostic| DataSourceReadResponse::failed(d.into());
        let api = match self.shared.api() {
            Ok(api) => api,
            Err(d) => return fail(d),
        };
        let lookup = match (config.get("id").as_str(), config.get("name").as_str()) {
            (Some(id), _) => Lookup::Id(id),
            (None, Some(name)) => Lookup::Name(name),
            (None, None) => return fail(texts::one_of_id_or_name()),
        };
        let app = match find_app(&api, lookup).await {
            Ok(app) => app,
            Err(d) => return fail(d),
        };
        if app.scopes.len() > domain::MAX_SCOPES {
            let n = app.scopes.len();
            return fail(texts::too_many_scopes_from_writer(
                &app.id,
                n,
                domain::MAX_SCOPES,
            ));
        }
        DataSourceReadResponse {
            state: state(&app),
            diagnostics: Diagnostics::new(),
        }
    }
}
