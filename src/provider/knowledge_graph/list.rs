//! `writer_knowledge_graph` for `terraform query` (Terraform >= 1.14): every
//! Knowledge Graph the API key may see, or those with a given name, each as
//! the state a read (after an import) would give it, so that
//! `-generate-config-out` writes configuration that plans as "import, no
//! change". Read page by page, oldest first, stopping at Terraform's limit.

use std::sync::Arc;

use async_trait::async_trait;

use crate::client::knowledge_graph::Order;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{Type, Value};
use crate::tfplugin::{ListRequest, ListResource, ListResults};

use super::graph::{state_of, TYPE_NAME};
use super::texts;
use crate::provider::shared::Shared;

pub(crate) struct GraphList {
    shared: Arc<Shared>,
}

impl GraphList {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

#[async_trait]
impl ListResource for GraphList {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new(
                "Lists the Knowledge Graphs in Writer that the API key may see (graphs deployed \
                 to one team are invisible to the API), every one or those with a given name, \
                 for `terraform query` (Terraform 1.14 or newer). With `-generate-config-out`, \
                 Terraform writes a `writer_knowledge_graph` resource and an `import` block for \
                 each, its `web_urls` included for a web graph.",
            )
            .attribute(Attribute::optional("name", Type::String).description(
                "Only the graphs with exactly this name (Writer's names need not be unique). \
                 Leave it out to list every graph.",
            )),
        )
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        match config.get("name").as_str() {
            Some(name) if name.trim().is_empty() => Diagnostic::error(
                "Empty name",
                "Give the graph's name as AI Studio shows it, or leave `name` out to list every \
                 Knowledge Graph.",
            )
            .at(AttributePath::attribute("name"))
            .into(),
            _ => Diagnostics::new(),
        }
    }

    async fn list(&self, request: ListRequest, mut results: ListResults) -> Diagnostics {
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return d.into(),
        };
        let name = request.config.get("name").as_str().map(str::to_owned);
        let walked = api
            .client
            .each_graph(Order::Oldest, |graph| {
                if name.as_ref().is_some_and(|n| *n != graph.name) {
                    return true;
                }
                let shown = graph.name.clone();
                results.push(shown, Value::Object(state_of(&graph, &Value::Null)))
            })
            .await;
        match walked {
            Ok(()) => Diagnostics::new(),
            Err(e) => texts::api_error("list the Knowledge Graphs", &e).into(),
        }
    }
}
