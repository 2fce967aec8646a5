//! Data source `writer_<connector>_oauth_app`: looks up an existing app of a
//! connector by `id` or by `name`, e.g. one created by hand or by another
//! Terraform configuration.

use std::sync::Arc;

use async_trait::async_trait;

use crate::client::OAuthApp;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::schema::Schema;
use crate::tfplugin::value::Value;
use crate::tfplugin::{DataSource, DataSourceReadRequest, DataSourceReadResponse};

use super::connector::Connector;
use super::lookup::{find_app, Lookup};
use super::model::{scope_set, AppData, APP_DATA};
use super::schema::data_schema;
use super::texts;
use crate::provider::shared::Shared;

pub(crate) struct OAuthAppData {
    shared: Arc<Shared>,
    connector: &'static Connector,
}

impl OAuthAppData {
    pub fn new(shared: Arc<Shared>, connector: &'static Connector) -> Self {
        Self { shared, connector }
    }
}

fn state(c: &Connector, app: &OAuthApp) -> AppData<Value> {
    let s = |v: &str| Value::String(v.to_string());
    AppData {
        id: s(&app.id),
        name: s(&app.name),
        client_id: s(&app.client_id),
        scopes: scope_set(&app.scopes),
        callback_url: s(&app.callback_url),
        client_secret_hint: s(&app.client_secret_hint),
        client_secret_updated_at: s(&app.client_secret_updated_at),
        status: s(&app.status),
        created_at: s(&app.created_at),
        updated_at: s(&app.updated_at),
        settings: c.settings_of(app),
    }
}

#[async_trait]
impl DataSource for OAuthAppData {
    fn type_name(&self) -> &'static str {
        self.connector.type_name
    }

    fn schema(&self) -> Schema {
        data_schema(self.connector)
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let (id, name) = (config.get(APP_DATA.id), config.get(APP_DATA.name));
        // Unknown counts as set: it will have a value.
        if id.is_null() == name.is_null() {
            return texts::one_of_id_or_name().into();
        }
        Diagnostics::new()
    }

    async fn read(&self, request: DataSourceReadRequest) -> DataSourceReadResponse {
        let c = self.connector;
        let config = request.config;
        let fail = |d: Diagnostic| DataSourceReadResponse::failed(d.into());
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return fail(d),
        };
        let (id, name) = (config.get(APP_DATA.id), config.get(APP_DATA.name));
        let lookup = match (id.as_str(), name.as_str()) {
            (Some(id), _) => Lookup::Id(id),
            (None, Some(name)) => Lookup::Name(name),
            (None, None) => return fail(texts::one_of_id_or_name()),
        };
        let app = match find_app(&api, c, lookup).await {
            Ok(app) => app,
            Err(d) => return fail(d),
        };
        if app.scopes.len() > c.max_scopes {
            return fail(texts::too_many_scopes_from_writer(
                c,
                &app.id,
                app.scopes.len(),
            ));
        }
        DataSourceReadResponse {
            state: state(c, &app).to_value(),
            diagnostics: Diagnostics::new(),
        }
    }
}
