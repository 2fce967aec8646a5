//! `writer_confluence_oauth_app` for `terraform query` (Terraform >= 1.14)
//! and its identity (Terraform >= 1.12): every Confluence OAuth app in
//! Writer, by name if the `config` block says one, as the state a read
//! would give it, so that `-generate-config-out` writes configuration that
//! plans as "import, no change". The walk reads Writer page by page and
//! stops at Terraform's `limit`, within the client's one deadline.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use crate::client::ListFilter;
use crate::tfplugin::diag::Diagnostics;
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{Type, Value};
use crate::tfplugin::{IdentityAttribute, IdentitySchema, ListRequest, ListResource, ListResults};

use super::super::lookup::CONNECTOR;
use super::super::{texts, Shared};
use super::{schema, state_from, TYPE_NAME};

/// The identity: the app's ID, which Writer never changes.
pub(crate) fn identity() -> IdentitySchema {
    IdentitySchema::new(vec![IdentityAttribute::required_for_import(
        "id",
        Type::String,
    )
    .description(
        "The app's ID in Writer (Admin > OAuth apps, or the `id` attribute), e.g. in \
         `import { to = writer_confluence_oauth_app.x, identity = { id = \"...\" } }`.",
    )])
}

pub(crate) struct ConfluenceOAuthApps {
    shared: Arc<Shared>,
}

impl ConfluenceOAuthApps {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

/// What a read starts from for an app it has never seen: every attribute null.
fn blank_state() -> Value {
    Value::Object(
        schema()
            .block
            .attributes
            .iter()
            .map(|a| (a.name.clone(), Value::Null))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[async_trait]
impl ListResource for ConfluenceOAuthApps {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new(
                "Lists the Confluence OAuth apps in Writer, every one or the one with a given name, \
                 for `terraform query` (Terraform 1.14 or newer). With `-generate-config-out`, \
                 Terraform writes a `writer_confluence_oauth_app` resource and an `import` block \
                 for each; that configuration has no secret, which an existing app does not need.",
            )
            .attribute(Attribute::optional("name", Type::String).description(
                "Only the app with this name, ignoring case (Writer's rule). Leave it out to list \
                 every Confluence OAuth app.",
            )),
        )
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        match config.get("name").as_str() {
            Some(name) if name.trim().is_empty() => texts::empty_list_name().into(),
            _ => Diagnostics::new(),
        }
    }

    async fn list(&self, request: ListRequest, mut results: ListResults) -> Diagnostics {
        let api = match self.shared.api() {
            Ok(api) => api,
            Err(d) => return d.into(),
        };
        let filter = ListFilter {
            connector: Some(CONNECTOR.to_string()),
            name: request.config.get("name").as_str().map(String::from),
        };
        let blank = blank_state();
        let walked = api
            .client
            .each_app(&filter, |app| {
                // A server (or proxy) that ignores the filter is not believed.
                if !filter.matches(&app) {
                    return true;
                }
                let name = app.name.clone();
                results.push(name, state_from(&app, &blank))
            })
            .await;
        match walked {
            Ok(()) => Diagnostics::new(),
            Err(e) => texts::api_error("list the OAuth apps", &e).into(),
        }
    }
}
