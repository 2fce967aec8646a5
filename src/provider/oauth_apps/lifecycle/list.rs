//! `writer_<connector>_oauth_app` for `terraform query` (Terraform >= 1.14):
//! every app of the connector in
//! Writer, by name if the `config` block says one, as the state a read would
//! give it, so that `-generate-config-out` writes configuration that plans as
//! "import, no change". The walk reads Writer page by page and stops at
//! Terraform's `limit`, within the client's one deadline, and ends when
//! Terraform stops the provider (the call's cancellation handle).

use std::sync::Arc;

use async_trait::async_trait;

use crate::client::ListFilter;
use crate::tfplugin::diag::Diagnostics;
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{Type, Value};
use crate::tfplugin::{ListRequest, ListResource, ListResults};

use super::connector::Connector;
use super::model::{App, APP};
use super::state_from;
use super::texts;
use crate::provider::shared::Shared;

pub(crate) struct OAuthAppList {
    shared: Arc<Shared>,
    connector: &'static Connector,
}

impl OAuthAppList {
    pub fn new(shared: Arc<Shared>, connector: &'static Connector) -> Self {
        Self { shared, connector }
    }
}

#[async_trait]
impl ListResource for OAuthAppList {
    fn type_name(&self) -> &'static str {
        self.connector.type_name
    }

    fn schema(&self) -> Schema {
        let c = self.connector;
        Schema::new(
            Block::new(format!(
                "Lists the {product} OAuth apps in Writer, every one or the one with a given name, \
                 for `terraform query` (Terraform 1.14 or newer). With `-generate-config-out`, \
                 Terraform writes a `{type_name}` resource and an `import` block for each; that \
                 configuration has no secret, which an existing app does not need.",
                product = c.product(),
                type_name = c.type_name
            ))
            .attribute(Attribute::optional(APP.name, Type::String).description(
                format!(
                "Only the app with this name, ignoring case (Writer's rule). Leave it out to list \
                 every {} OAuth app.",
                c.product()
            ),
            )),
        )
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        match config.get(APP.name).as_str() {
            Some(name) if name.trim().is_empty() => texts::empty_list_name(self.connector).into(),
            _ => Diagnostics::new(),
        }
    }

    async fn list(&self, request: ListRequest, mut results: ListResults) -> Diagnostics {
        let c = self.connector;
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return d.into(),
        };
        let filter = ListFilter {
            connector: Some(c.name.to_string()),
            name: request.config.get(APP.name).as_str().map(String::from),
        };
        // What a read starts from for an app it has never seen.
        let blank = App::filled(Value::Null);
        let walked = api
            .client
            .each_app(&filter, |app| {
                // A server (or proxy) that ignores the filter is not believed.
                if !filter.matches(&app) {
                    return true;
                }
                let name = app.name.clone();
                results.push(name, state_from(c, &app, &blank).to_value())
            })
            .await;
        match walked {
            Ok(()) => Diagnostics::new(),
            Err(e) => texts::api_error(c, "list the OAuth apps", &e).into(),
        }
    }
}
