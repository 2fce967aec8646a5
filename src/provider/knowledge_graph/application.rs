//! `writer_application_knowledge_graphs`: the Knowledge Graphs a no-code
//! chat agent answers from. Writer's `PUT /v1/applications/{id}/graphs`
//! replaces the whole list, so the resource is authoritative: the list is
//! Terraform's, a graph added or removed in AI Studio is drift, and destroy
//! empties it. The application itself is made in AI Studio (the API cannot
//! list or read chat agents), so its ID comes from the user; changing it
//! replaces the resource.

use std::sync::Arc;

use async_trait::async_trait;

use crate::client::{self, Outcome};
use crate::domain::quote;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{Type, Value};
use crate::tfplugin::{
    ApplyRequest, ApplyResponse, DeleteRequest, IdentityAttribute, IdentitySchema, ImportRequest,
    ImportResponse, PlanRequest, PlanResponse, ReadRequest, ReadResponse, Resource,
};

use super::texts;
use super::values::{string, string_set, strings, text};
use crate::provider::shared::Shared;

pub(crate) const TYPE_NAME: &str = "writer_application_knowledge_graphs";

pub(crate) fn schema() -> Schema {
    Schema::new(
        Block::new(
            "The Knowledge Graphs a no-code chat agent made in AI Studio answers from, the whole \
             list: Writer replaces it on every change, so a graph added or removed in AI Studio \
             shows as drift, and destroying this resource empties the list (the agent and the \
             graphs stay). Only no-code agents with chat can have Knowledge Graphs.",
        )
        .attribute(
            Attribute::computed("id", Type::String)
                .description("The application's ID, the same as `application_id`."),
        )
        .attribute(
            Attribute::required("application_id", Type::String).description(
                "The no-code chat agent's ID, from AI Studio (the agent's URL shows it; Writer's \
                 API cannot list chat agents). Changing it replaces the resource: the old agent's \
                 list is emptied, the new one's set.",
            ),
        )
        .attribute(
            Attribute::required("graph_ids", Type::set(Type::String)).description(
                "The IDs of the Knowledge Graphs the agent answers from (e.g. \
                 `writer_knowledge_graph.handbook.id`); `[]` for none.",
            ),
        ),
    )
}

pub(crate) fn identity() -> IdentitySchema {
    IdentitySchema::new(vec![IdentityAttribute::required_for_import(
        "id",
        Type::String,
    )
    .description("The chat agent's application ID in Writer.")])
}

pub(crate) struct ApplicationGraphsResource {
    shared: Arc<Shared>,
}

impl ApplicationGraphsResource {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

fn state(app_id: &str, graph_ids: &[String]) -> Value {
    Value::object([
        ("id", text(app_id)),
        ("application_id", text(app_id)),
        ("graph_ids", string_set(graph_ids)),
    ])
}

/// An application Writer does not know, or one that cannot take graphs.
fn not_a_chat_agent(app_id: &str) -> Diagnostic {
    Diagnostic::error(
        "No chat agent with this ID",
        format!(
            "Writer has no application `{}` that can take Knowledge Graphs: the ID is unknown, or \
             the application is not a no-code agent with chat (only those answer from Knowledge \
             Graphs). Copy the ID of a chat agent from AI Studio, and check that the API key's \
             agent may use the Applications API.",
            quote::text(app_id)
        ),
    )
    .at(AttributePath::attribute("application_id"))
}

fn app_gone(app_id: &str) -> Diagnostic {
    Diagnostic::warning(
        "Chat agent not found in Writer",
        format!(
            "Writer no longer has the application `{}` (deleted in AI Studio?). It was removed from \
             the state; the plan sets its Knowledge Graphs again, which fails if it is gone for \
             good: then point `application_id` at the agent that replaced it.",
            quote::text(app_id)
        ),
    )
}

/// A write Writer refused: a 404 is the application, a 400 the graph IDs.
fn refused(app_id: &str, action: &str, e: &client::Error) -> Diagnostic {
    match e {
        client::Error::NotFound { .. } => not_a_chat_agent(app_id),
        client::Error::Validation { .. } => {
            texts::write_not_done(action, e).at(AttributePath::attribute("graph_ids"))
        }
        _ => texts::write_not_done(action, e),
    }
}

/// A failed write of the list: refused (`refused`), or perhaps done.
fn write_failed(app_id: &str, action: &str, e: &client::WriteError) -> Diagnostic {
    match e.outcome {
        Outcome::NotDone => refused(app_id, action, &e.error),
        Outcome::Unknown | Outcome::Done { .. } => {
            texts::write_failed(action, "chat agent's list of Knowledge Graphs", e)
        }
    }
}

impl ApplicationGraphsResource {
    /// Sets the list; the state Writer answered with, or the diagnostics.
    async fn set(
        &self,
        request: &ApplyRequest,
        graph_ids: &[String],
    ) -> Result<Value, Diagnostics> {
        let api = self.shared.api(&request.cancel)?;
        let app_id = string(&request.planned_state, "application_id").unwrap_or_default();
        match api.client.set_application_graphs(&app_id, graph_ids).await {
            Ok(set) => Ok(state(&app_id, &set)),
            Err(e) => {
                Err(write_failed(&app_id, "set the chat agent's Knowledge Graphs", &e).into())
            }
        }
    }
}

#[async_trait]
impl Resource for ApplicationGraphsResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(identity())
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        if config
            .get("application_id")
            .as_str()
            .is_some_and(|s| s.trim().is_empty())
        {
            d.push(
                Diagnostic::error(
                    "Empty application_id",
                    "Give the chat agent's ID, as AI Studio shows it in the agent's URL.",
                )
                .at(AttributePath::attribute("application_id")),
            );
        }
        d
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let mut planned = request.planned_state.clone();
        let mut requires_replace = Vec::new();
        if let Value::Object(attrs) = &mut planned {
            let app_id = request.config.get("application_id").clone();
            attrs.insert("id".into(), app_id.clone());
            if !request.prior_state.is_null()
                && request.prior_state.get("application_id") != &app_id
            {
                requires_replace.push(AttributePath::attribute("application_id"));
            }
        }
        PlanResponse {
            planned_state: planned,
            planned_private: request.prior_private,
            requires_replace,
            diagnostics: Diagnostics::new(),
        }
    }

    async fn create(&self, request: ApplyRequest) -> ApplyResponse {
        let ids = strings(request.planned_state.get("graph_ids"));
        match self.set(&request, &ids).await {
            Ok(state) => ApplyResponse {
                new_state: state,
                private: Vec::new(),
                diagnostics: Diagnostics::new(),
            },
            Err(d) => ApplyResponse::failed(Value::Null, Vec::new(), d),
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let keep = |d: Diagnostic| request.unchanged(d);
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return keep(d),
        };
        let app_id = string(&request.current_state, "application_id").unwrap_or_default();
        if !client::can_name(&app_id) {
            return keep(texts::state_without_id(
                &texts::CHAT_AGENT_IN_STATE,
                &app_id,
            ));
        }
        match api.client.get_application_graphs(&app_id).await {
            Ok(Some(ids)) => ReadResponse {
                new_state: state(&app_id, &ids),
                private: request.private.clone(),
                diagnostics: Diagnostics::new(),
            },
            Ok(None) => ReadResponse {
                new_state: Value::Null,
                private: Vec::new(),
                diagnostics: app_gone(&app_id).into(),
            },
            Err(e) => keep(texts::api_error(
                "read the chat agent's Knowledge Graphs",
                &e,
            )),
        }
    }

    async fn update(&self, request: ApplyRequest) -> ApplyResponse {
        let ids = strings(request.planned_state.get("graph_ids"));
        match self.set(&request, &ids).await {
            Ok(state) => ApplyResponse {
                new_state: state,
                private: request.planned_private.clone(),
                diagnostics: Diagnostics::new(),
            },
            Err(d) => ApplyResponse::failed(
                request.prior_state.clone(),
                request.planned_private.clone(),
                d,
            ),
        }
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return d.into(),
        };
        let app_id = string(&request.prior_state, "application_id").unwrap_or_default();
        // Never "emptied" without asking Writer.
        if !client::can_name(&app_id) {
            return texts::state_without_id(&texts::CHAT_AGENT_IN_STATE, &app_id).into();
        }
        match api.client.set_application_graphs(&app_id, &[]).await {
            Ok(_) => Diagnostics::new(),
            // An agent that is gone answers from no graph: nothing to empty.
            Err(e) if matches!(e.error, client::Error::NotFound { .. }) => Diagnostics::new(),
            Err(e) => write_failed(&app_id, "empty the chat agent's Knowledge Graphs", &e).into(),
        }
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let id = request.id.as_str();
        texts::imported(
            async {
                let api = self.shared.api(&request.cancel)?;
                let ids = texts::found(
                    api.client.get_application_graphs(id).await,
                    "read the chat agent's Knowledge Graphs",
                    || not_a_chat_agent(id),
                )?;
                Ok::<_, Diagnostic>(state(id, &ids))
            }
            .await,
        )
    }
}
