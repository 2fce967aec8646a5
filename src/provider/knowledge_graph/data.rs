//! Data source `writer_knowledge_graph`: one existing Knowledge Graph, by
//! `id` or by `name` (exactly one of them), e.g. a web graph made in AI
//! Studio that a chat agent's list should name without managing it.

use std::sync::Arc;

use async_trait::async_trait;

use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{Type, Value};
use crate::tfplugin::{DataSource, DataSourceReadRequest, DataSourceReadResponse};

use super::graph::{computed_attributes, find_graph, state_of, web_url_attributes, TYPE_NAME};
use crate::provider::shared::Shared;

pub(crate) fn schema() -> Schema {
    let mut web_urls = Attribute::nested_attributes("web_urls", web_url_attributes(true))
        .description("The graph's web connector URLs (a `web` graph's; empty otherwise).");
    web_urls.computed = true;
    let block = Block::new(
        "One Knowledge Graph in Writer, by `id` or by `name`. Graph names need not be unique: \
         a name that several graphs have is an error listing their IDs. A graph deployed to one \
         team is invisible to Writer's API.",
    )
    .attribute(
        Attribute::optional_computed("id", Type::String)
            .description("The graph's ID. Give this or `name`."),
    )
    .attribute(
        Attribute::optional_computed("name", Type::String)
            .description("The graph's name, matched exactly. Give this or `id`."),
    )
    .attribute(
        Attribute::computed("description", Type::String).description("The graph's description."),
    )
    .attribute(web_urls);
    Schema::new(computed_attributes(block))
}

pub(crate) struct GraphData {
    shared: Arc<Shared>,
}

impl GraphData {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

fn one_of() -> Diagnostic {
    Diagnostic::error(
        "Give id or name",
        "Set exactly one of `id` (the graph's ID) and `name` (its name, matched exactly) to say \
         which Knowledge Graph to read.",
    )
}

#[async_trait]
impl DataSource for GraphData {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let (id, name) = (config.get("id"), config.get("name"));
        if id.is_unknown() || name.is_unknown() {
            return Diagnostics::new();
        }
        if id.is_null() == name.is_null() {
            return one_of().into();
        }
        Diagnostics::new()
    }

    async fn read(&self, request: DataSourceReadRequest) -> DataSourceReadResponse {
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return DataSourceReadResponse::failed(d.into()),
        };
        let lookup = match (
            request.config.get("id").as_str(),
            request.config.get("name").as_str(),
        ) {
            (Some(id), None) => id.to_owned(),
            (None, Some(name)) => format!("name={name}"),
            _ => return DataSourceReadResponse::failed(one_of().into()),
        };
        match find_graph(&api, &lookup).await {
            Ok(graph) => {
                let mut state = state_of(&graph, &Value::Null);
                // The data source's URL list is never null: empty is empty.
                if state.get("web_urls").is_some_and(Value::is_null) {
                    state.insert("web_urls".into(), Value::list([]));
                }
                DataSourceReadResponse {
                    state: Value::Object(state),
                    diagnostics: Diagnostics::new(),
                }
            }
            Err(d) => {
                let at = if lookup.starts_with("name=") {
                    "name"
                } else {
                    "id"
                };
                DataSourceReadResponse::failed(d.at(AttributePath::attribute(at)).into())
            }
        }
    }
}
