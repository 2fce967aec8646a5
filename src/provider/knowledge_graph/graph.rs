//! `writer_knowledge_graph`: a Knowledge Graph in Writer, with the web
//! connector URLs of a `web` graph. In order: schema, the state from
//! Writer's graph, validate, plan, create, read, update, delete, import.
//!
//! What Writer decides and this resource follows: the API creates `manual`
//! graphs only, so a plan that would create one with `web_urls` fails with
//! the way to make a web graph (AI Studio, then import); `urls` is replaced
//! whole on every update, so `web_urls` is authoritative (URLs added in AI
//! Studio are drift, and leaving `web_urls` out of a web graph's
//! configuration plans their removal); URLs are validated asynchronously, so
//! an apply that sends them waits (bounded by `processing_timeout`) for them
//! to leave `validating`, and a URL Writer could not read is a warning on
//! that apply and on every later plan while it lasts.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::client::knowledge_graph::{Graph, GraphFields, GraphUrl, NewUrl, Order};
use crate::client::{self, Outcome};
use crate::domain::knowledge_graph::graph::{check_description, check_name};
use crate::domain::knowledge_graph::url_status::{still_validating, unreadable, UrlState};
use crate::domain::knowledge_graph::web_urls::{self, Place, UrlKind, WebUrl};
use crate::domain::Severity;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::schema::{Attribute, Block, NestedAttributes, Nesting, Schema};
use crate::tfplugin::value::{Type, Value};
use crate::tfplugin::{
    ApplyRequest, ApplyResponse, DeleteRequest, IdentityAttribute, IdentitySchema, ImportRequest,
    ImportResponse, PlanRequest, PlanResponse, ReadRequest, ReadResponse, Resource,
};

use super::texts;
use super::values::{attributes, count, nulls, string, string_set, strings, text};
use crate::provider::config::Api;
use crate::provider::shared::Shared;
use crate::provider::texts as provider_texts;

pub(crate) const TYPE_NAME: &str = "writer_knowledge_graph";

/// How often a wait asks Writer again: from this, doubling, up to
/// [`POLL_MAX`].
const POLL_FIRST: Duration = Duration::from_millis(500);
const POLL_MAX: Duration = Duration::from_secs(5);

fn url_status_type() -> Type {
    Type::object([("status", Type::String), ("error_type", Type::String)])
}

fn file_status_type() -> Type {
    Type::object([
        ("in_progress", Type::Number),
        ("completed", Type::Number),
        ("failed", Type::Number),
        ("total", Type::Number),
    ])
}

/// The attributes both the resource and the data source show of a graph.
pub(crate) fn computed_attributes(block: Block) -> Block {
    block
        .attribute(Attribute::computed("type", Type::String).description(
            "The graph's type in Writer: `manual` (files uploaded through the API or AI \
             Studio; what this resource creates), `connector` (synced by a data connector) \
             or `web` (web URLs; made only in AI Studio).",
        ))
        .attribute(
            Attribute::computed("created_at", Type::String)
                .description("When Writer created the graph (RFC 3339), as Writer reports it."),
        )
        .attribute(
            Attribute::computed("file_status", file_status_type()).description(
                "How many of the graph's files are `in_progress`, `completed` and `failed` in \
                 Writer's processing, and the `total`, as of the last read.",
            ),
        )
        .attribute(
            Attribute::computed("web_url_status", Type::map(url_status_type())).description(
                "Each web URL's processing, by URL, as of the last read: `status` is \
                 `validating`, `success` or `error`, and `error_type` Writer's reason for an \
                 error (`invalid_url`, `not_searchable`, `not_found`, `paywall_or_login_page`, \
                 `unexpected_error`). A URL in error is also a warning on every plan.",
            ),
        )
}

pub(crate) fn web_url_attributes(computed: bool) -> NestedAttributes {
    let field = |name: &str, ty: Type, required: bool| {
        if computed {
            Attribute::computed(name, ty)
        } else if required {
            Attribute::required(name, ty)
        } else {
            Attribute::optional(name, ty)
        }
    };
    NestedAttributes {
        nesting: Nesting::List,
        attributes: vec![
            field("url", Type::String, true).description(
                "The page's full `http` or `https` address, such as \
                 `https://docs.example.com/handbook`.",
            ),
            field("type", Type::String, true).description(
                "`single_page` to read that page only, `sub_pages` to read it and the pages \
                 under it.",
            ),
            field("exclude_urls", Type::set(Type::String), false).description(
                "For `sub_pages` only: addresses under `url` to leave out (each page and what \
                 is under it).",
            ),
        ],
    }
}

pub(crate) fn schema() -> Schema {
    let mut web_urls = Attribute::nested_attributes("web_urls", web_url_attributes(false))
        .description(
            "The web connector URLs of a `web` graph, the whole list: Writer replaces it on \
             every change, so URLs added in AI Studio show as drift, and leaving `web_urls` out \
             of a web graph's configuration removes them all. Only a graph of type `web` takes \
             URLs, and only AI Studio makes one (Add Website): import it, then manage its URLs \
             here. Checked at plan time: an error for a URL that is not `http(s)`, a duplicate, \
             or `exclude_urls` on a `single_page` URL; a warning for what Writer's web connector \
             may not read (a query string, a fragment, a PDF or image), an exclusion not under \
             its URL, and more than 20 sites. After apply, the provider waits (up to the \
             provider's `processing_timeout`) for Writer to validate them.",
        );
    web_urls.optional = true;
    let block = Block::new(
        "A Knowledge Graph in Writer: a collection of files (`writer_file`) or web pages that \
         Writer's agents answer from. Creating one makes a `manual` graph; a `web` graph is \
         made in AI Studio and imported. Import by ID or by `name=<name>` (names need not be \
         unique: an ambiguous name lists the IDs). A graph deployed to one team is invisible \
         to Writer's API.",
    )
    .attribute(
        Attribute::computed("id", Type::String)
            .description("The graph's ID in Writer (AI Studio shows it in the graph's URL)."),
    )
    .attribute(Attribute::required("name", Type::String).description(
        "The graph's name, 1 to 255 characters. Writer does not require it to be unique.",
    ))
    .attribute(
        Attribute::optional("description", Type::String)
            .description("What the graph holds, at most 255 characters."),
    )
    .attribute(web_urls);
    Schema::new(computed_attributes(block))
}

pub(crate) fn identity() -> IdentitySchema {
    IdentitySchema::new(vec![IdentityAttribute::required_for_import(
        "id",
        Type::String,
    )
    .description(
        "The graph's ID in Writer, e.g. in `import { to = writer_knowledge_graph.x, identity \
             = { id = \"...\" } }`.",
    )])
}

/// The configuration's `web_urls`, as the domain rules take them.
fn configured_urls(config: &Value) -> Vec<WebUrl> {
    config
        .get("web_urls")
        .elements()
        .iter()
        .map(|e| WebUrl {
            url: e.get("url").as_str().map(str::to_owned),
            kind: e.get("type").as_str().and_then(UrlKind::parse),
            exclude_urls: match e.get("exclude_urls") {
                Value::Unknown => None,
                v if !v.is_wholly_known() => None,
                v => Some(strings(v)),
            },
        })
        .collect()
}

/// Where a finding about one entry of `web_urls` points: the attribute
/// itself. Terraform (1.11 to 1.15) highlights no deeper than an attribute
/// in a configuration's source (`web_urls[0].url` shows as the whole
/// resource), and every finding names its URL.
fn url_path() -> AttributePath {
    AttributePath::attribute("web_urls")
}

/// Every rule of the configuration; warnings only with `warnings`.
pub(crate) fn check_config(config: &Value, warnings: bool) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut push = |d: Diagnostic| {
        if warnings || d.is_error() {
            diags.push(d);
        }
    };
    if let Some(name) = config.get("name").as_str() {
        if let Some(f) = check_name(name) {
            push(provider_texts::finding(f, AttributePath::attribute("name")));
        }
    }
    if let Some(d) = config.get("description").as_str() {
        if let Some(f) = check_description(d) {
            push(provider_texts::finding(
                f,
                AttributePath::attribute("description"),
            ));
        }
    }
    for e in config.get("web_urls").elements() {
        if let Some(kind) = e.get("type").as_str() {
            if UrlKind::parse(kind).is_none() {
                push(provider_texts::finding(
                    web_urls::bad_kind(kind),
                    url_path(),
                ));
            }
        }
    }
    for found in web_urls::check(&configured_urls(config)) {
        // An exclusion is a set element: the diagnostic points at its set.
        let path = match found.place {
            Place::List | Place::Url(_) | Place::ExcludeUrls(_) => url_path(),
        };
        let severity = found.finding.severity;
        if warnings || severity == Severity::Error {
            push(provider_texts::finding(found.finding, path));
        }
    }
    diags
}

/// `urls` as Writer takes them, from a state or plan value.
fn new_urls(web_urls: &Value) -> Vec<NewUrl> {
    web_urls
        .elements()
        .iter()
        .map(|e| NewUrl {
            url: e.get("url").as_str().unwrap_or_default().to_owned(),
            kind: e.get("type").as_str().unwrap_or_default().to_owned(),
            exclude_urls: strings(e.get("exclude_urls")),
        })
        .collect()
}

/// Writer's URLs as `web_urls`, in the order of `prior` where the same URL
/// is there (Writer's order is not the configuration's), empty lists in the
/// form `prior` had them (null or `[]`), so that an unchanged list reads back
/// unchanged.
fn web_urls_value(urls: &[GraphUrl], prior: &Value) -> Value {
    if urls.is_empty() {
        return match prior {
            Value::List(items) if items.is_empty() => Value::list([]),
            _ => Value::Null,
        };
    }
    let prior_items = prior.elements();
    let mut ordered: Vec<&GraphUrl> = Vec::new();
    for p in prior_items {
        if let Some(u) = urls
            .iter()
            .find(|u| Some(u.url.as_str()) == p.get("url").as_str())
        {
            if !ordered.iter().any(|o| o.url == u.url) {
                ordered.push(u);
            }
        }
    }
    for u in urls {
        if !ordered.iter().any(|o| o.url == u.url) {
            ordered.push(u);
        }
    }
    Value::list(ordered.into_iter().map(|u| {
        let prior_entry = prior_items
            .iter()
            .find(|p| p.get("url").as_str() == Some(u.url.as_str()));
        let excludes = if u.exclude_urls.is_empty() {
            match prior_entry.map(|p| p.get("exclude_urls")) {
                Some(Value::Set(s)) if s.is_empty() => Value::set([]),
                _ => Value::Null,
            }
        } else {
            string_set(&u.exclude_urls)
        };
        Value::object([
            ("url", text(&u.url)),
            ("type", text(&u.kind)),
            ("exclude_urls", excludes),
        ])
    }))
}

fn web_url_status_value(urls: &[GraphUrl]) -> Value {
    Value::map(urls.iter().map(|u| {
        let (status, error_type) = match &u.status {
            Some(s) => (
                text(&s.status),
                s.error_type.as_deref().map_or(Value::Null, text),
            ),
            None => (Value::Null, Value::Null),
        };
        (
            u.url.clone(),
            Value::object([("status", status), ("error_type", error_type)]),
        )
    }))
}

fn file_status_value(graph: &Graph) -> Value {
    match &graph.file_status {
        Some(f) => Value::object([
            ("in_progress", count(f.in_progress)),
            ("completed", count(f.completed)),
            ("failed", count(f.failed)),
            ("total", count(f.total)),
        ]),
        None => Value::Null,
    }
}

/// The description as state holds it: Writer's empty and absent alike, in
/// the form `prior` had (null or `""`).
fn description_value(graph: &Graph, prior: &Value) -> Value {
    match graph.description.as_deref() {
        Some(d) if !d.is_empty() => text(d),
        _ if prior.as_str() == Some("") => text(""),
        _ => Value::Null,
    }
}

/// The state of `graph`, in the forms `prior` (the state or plan it
/// follows) had for empty values.
pub(crate) fn state_of(graph: &Graph, prior: &Value) -> BTreeMap<String, Value> {
    let mut s = nulls(&schema());
    s.insert("id".into(), text(&graph.id));
    s.insert("name".into(), text(&graph.name));
    s.insert(
        "description".into(),
        description_value(graph, prior.get("description")),
    );
    s.insert(
        "web_urls".into(),
        web_urls_value(&graph.urls, prior.get("web_urls")),
    );
    s.insert(
        "type".into(),
        graph.kind.as_deref().map_or(Value::Null, text),
    );
    s.insert("created_at".into(), text(&graph.created_at));
    s.insert("file_status".into(), file_status_value(graph));
    s.insert("web_url_status".into(), web_url_status_value(&graph.urls));
    s
}

/// The warnings for URLs Writer could not read, each naming its URL.
fn url_warnings(graph: &Graph) -> Diagnostics {
    graph
        .urls
        .iter()
        .filter_map(|u| {
            let s = u.status.as_ref()?;
            match UrlState::from_writer(&s.status, s.error_type.as_deref()) {
                UrlState::Error { reason } => Some(provider_texts::finding(
                    unreadable(&u.url, reason.as_deref()),
                    url_path(),
                )),
                _ => None,
            }
        })
        .collect()
}

fn pending_urls(graph: &Graph) -> Vec<&str> {
    graph
        .urls
        .iter()
        .filter(|u| {
            u.status
                .as_ref()
                .is_some_and(|s| UrlState::from_writer(&s.status, None).is_pending())
        })
        .map(|u| u.url.as_str())
        .collect()
}

/// Reads the graph until none of its URLs is `validating`, or
/// `processing_timeout` passes (then the last graph read, and a warning).
/// Each read is an operation of its own (its own `retry_timeout`).
async fn wait_for_urls(
    api: &Api,
    id: &str,
    cancel: &tokio_util::sync::CancellationToken,
) -> Result<(Option<Graph>, Diagnostics), client::Error> {
    let started = Instant::now();
    let mut poll = POLL_FIRST;
    loop {
        let graph = api.client.for_operation().get_graph(id).await?;
        let Some(graph) = graph else {
            return Ok((None, Diagnostics::new()));
        };
        let pending = pending_urls(&graph);
        if pending.is_empty() {
            return Ok((Some(graph), Diagnostics::new()));
        }
        if started.elapsed() + poll > api.processing_timeout {
            let d = provider_texts::finding(
                still_validating(&pending, started.elapsed().as_secs()),
                AttributePath::attribute("web_urls"),
            );
            return Ok((Some(graph), d.into()));
        }
        tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(client::Error::Cancelled),
            () = tokio::time::sleep(poll) => {}
        }
        poll = (poll * 2).min(POLL_MAX);
    }
}

pub(crate) struct GraphResource {
    shared: Arc<Shared>,
}

impl GraphResource {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

fn fail_null(d: impl Into<Diagnostics>) -> ApplyResponse {
    ApplyResponse::failed(Value::Null, Vec::new(), d.into())
}

/// A web URL list in the plan that is set and not empty.
fn has_urls(v: &Value) -> bool {
    !v.is_null() && (v.is_unknown() || !v.elements().is_empty())
}

/// The graphs named `name` (exactly), oldest first.
pub(crate) async fn graphs_named(api: &Api, name: &str) -> Result<Vec<Graph>, client::Error> {
    let mut found = Vec::new();
    api.client
        .each_graph(Order::Oldest, |g| {
            if g.name == name {
                found.push(g);
            }
            true
        })
        .await?;
    Ok(found)
}

/// The one graph `lookup` names (an ID, or `name=<name>`), or why not.
pub(crate) async fn find_graph(api: &Api, lookup: &str) -> Result<Graph, Diagnostic> {
    match lookup.strip_prefix("name=") {
        Some("") => Err(texts::empty_name_lookup()),
        Some(name) => {
            let mut found = graphs_named(api, name)
                .await
                .map_err(|e| texts::api_error("list the Knowledge Graphs", &e))?;
            match found.len() {
                0 => Err(texts::no_graph_named(name)),
                1 => Ok(found.remove(0)),
                _ => Err(texts::several_graphs_named(
                    name,
                    &found.into_iter().map(|g| g.id).collect::<Vec<_>>(),
                )),
            }
        }
        None => texts::found(
            api.client.get_graph(lookup).await,
            "read the Knowledge Graph",
            || texts::no_graph_with_id(lookup),
        ),
    }
}

#[async_trait]
impl Resource for GraphResource {
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
        check_config(config, true)
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let mut diagnostics = check_config(&request.config, false);
        let urls = request.config.get("web_urls");
        let mut planned = attributes(&request.planned_state);
        if request.prior_state.is_null() {
            if has_urls(urls) {
                diagnostics.push(texts::web_graph_only_in_ai_studio());
            }
            // A create: Writer assigns these, and its answer says `manual`.
            planned.insert("web_url_status".into(), Value::Unknown);
        } else {
            let prior = &request.prior_state;
            if let Some(kind) = prior.get("type").as_str() {
                if kind != "web" && has_urls(urls) {
                    let id = prior.get("id").as_str().unwrap_or_default();
                    diagnostics.push(texts::urls_need_a_web_graph(id, kind));
                }
            }
            // What only Writer changes stays as read, unless the URLs change.
            for kept in ["id", "type", "created_at", "file_status"] {
                planned.insert(kept.into(), prior.get(kept).clone());
            }
            let urls_change = request.planned_state.get("web_urls") != prior.get("web_urls");
            planned.insert(
                "web_url_status".into(),
                if urls_change {
                    Value::Unknown
                } else {
                    prior.get("web_url_status").clone()
                },
            );
        }
        PlanResponse {
            planned_state: Value::Object(planned),
            planned_private: request.prior_private,
            requires_replace: Vec::new(),
            diagnostics,
        }
    }

    async fn create(&self, request: ApplyRequest) -> ApplyResponse {
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return fail_null(d),
        };
        let errors = check_config(&request.config, false);
        if errors.has_errors() {
            return fail_null(errors);
        }
        let planned = &request.planned_state;
        if has_urls(planned.get("web_urls")) {
            return fail_null(texts::web_graph_only_in_ai_studio());
        }
        let name = string(planned, "name").unwrap_or_default();
        let fields = GraphFields {
            name: Some(name.clone()),
            description: string(planned, "description"),
            urls: None,
        };
        let creating = api.client.keeping(api.lookup_room);
        let created = match creating.create_graph(&fields).await {
            Ok(g) => g,
            Err(e) => {
                return fail_null(match e.outcome {
                    Outcome::NotDone => {
                        texts::write_not_done("create the Knowledge Graph", &e.error)
                    }
                    Outcome::Unknown | Outcome::Done { .. } => {
                        let candidates = graphs_named(&api, &name).await;
                        let ids: Result<Vec<String>, client::Error> =
                            candidates.map(|gs| gs.into_iter().map(|g| g.id).collect());
                        texts::create_outcome_unknown(&name, &e.error, ids.as_deref())
                    }
                })
            }
        };
        tracing::info!(id = %created.id, "created Knowledge Graph");
        // The create's answer has no type or file counts: read them (a
        // failed read leaves them null; the next refresh fills them).
        let full = match api.client.for_operation().get_graph(&created.id).await {
            Ok(Some(g)) => g,
            _ => created,
        };
        let mut state = state_of(&full, planned);
        // What was configured is what was sent.
        for kept in ["name", "description", "web_urls"] {
            state.insert(kept.into(), planned.get(kept).clone());
        }
        ApplyResponse {
            new_state: Value::Object(state),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let keep = |d: Diagnostic| request.unchanged(d);
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return keep(d),
        };
        let id = string(&request.current_state, "id").unwrap_or_default();
        if !client::can_name(&id) {
            return keep(texts::state_without_id(&texts::GRAPH_IN_STATE, &id));
        }
        let graph = match api.client.get_graph(&id).await {
            Ok(Some(g)) => g,
            Ok(None) => {
                return ReadResponse {
                    new_state: Value::Null,
                    private: Vec::new(),
                    diagnostics: texts::graph_gone(&id, request.current_state.get("name").as_str())
                        .into(),
                }
            }
            Err(e) => return keep(texts::api_error("read the Knowledge Graph", &e)),
        };
        let state = Value::Object(state_of(&graph, &request.current_state));
        let diagnostics = url_warnings(&graph);
        ReadResponse {
            new_state: state,
            private: request.private.clone(),
            diagnostics,
        }
    }

    async fn update(&self, request: ApplyRequest) -> ApplyResponse {
        let fail = |d: Diagnostics| {
            ApplyResponse::failed(
                request.prior_state.clone(),
                request.planned_private.clone(),
                d,
            )
        };
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return fail(d.into()),
        };
        let errors = check_config(&request.config, false);
        if errors.has_errors() {
            return fail(errors);
        }
        let (prior, planned) = (&request.prior_state, &request.planned_state);
        let id = string(prior, "id").unwrap_or_default();
        if !client::can_name(&id) {
            return fail(texts::state_without_id(&texts::GRAPH_IN_STATE, &id).into());
        }
        let changed = |name: &str| prior.get(name) != planned.get(name);
        let urls_sent = changed("web_urls");
        let fields = GraphFields {
            name: changed("name").then(|| string(planned, "name").unwrap_or_default()),
            // Writer leaves an absent field as it is: clearing is `""`.
            description: changed("description")
                .then(|| string(planned, "description").unwrap_or_default()),
            urls: urls_sent.then(|| new_urls(planned.get("web_urls"))),
        };
        if let Err(e) = api.client.update_graph(&id, &fields).await {
            let d = texts::write_failed("update the Knowledge Graph", "Knowledge Graph", &e);
            // Refused with URLs sent: the URLs are the likely cause.
            return fail(match (&e.outcome, &fields.urls) {
                (Outcome::NotDone, Some(_)) => d.at(AttributePath::attribute("web_urls")).into(),
                _ => d.into(),
            });
        }
        let (graph, mut diagnostics) = if urls_sent && !new_urls(planned.get("web_urls")).is_empty()
        {
            match wait_for_urls(&api, &id, &request.cancel).await {
                Ok(found) => found,
                Err(e) => (
                    None,
                    Diagnostic::warning(
                        "Could not follow the web URLs' validation",
                        format!(
                            "The Knowledge Graph was updated, but reading it back failed ({}). \
                             The next plan reads it again and shows each URL's status.",
                            texts::describe(&e)
                        ),
                    )
                    .into(),
                ),
            }
        } else {
            match api.client.for_operation().get_graph(&id).await {
                Ok(g) => (g, Diagnostics::new()),
                Err(_) => (None, Diagnostics::new()),
            }
        };
        let mut state = match &graph {
            Some(g) => state_of(g, planned),
            None => attributes(prior),
        };
        for kept in ["name", "description", "web_urls"] {
            state.insert(kept.into(), planned.get(kept).clone());
        }
        if graph.is_none() {
            // Nothing read back: what Writer computes stays as it was known,
            // the statuses unknown to the next read (never unknown in state).
            state.insert(
                "web_url_status".into(),
                match prior.get("web_url_status") {
                    v @ Value::Map(_) if !urls_sent => v.clone(),
                    _ => Value::map(Vec::<(String, Value)>::new()),
                },
            );
        }
        let state = Value::Object(state);
        if let Some(g) = &graph {
            diagnostics.extend(url_warnings(g));
        }
        ApplyResponse {
            new_state: state,
            private: request.planned_private.clone(),
            diagnostics,
        }
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return d.into(),
        };
        let id = string(&request.prior_state, "id").unwrap_or_default();
        // Never "deleted" without asking Writer.
        if !client::can_name(&id) {
            return texts::state_without_id(&texts::GRAPH_IN_STATE, &id).into();
        }
        match api.client.delete_graph(&id).await {
            Ok(()) => Diagnostics::new(),
            Err(e) => {
                texts::write_failed("delete the Knowledge Graph", "Knowledge Graph", &e).into()
            }
        }
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        texts::imported(
            async {
                let api = self.shared.api(&request.cancel)?;
                let graph = find_graph(&api, &request.id).await?;
                // The whole graph: the read that follows keeps these forms.
                Ok::<_, Diagnostic>(Value::Object(state_of(&graph, &Value::Null)))
            }
            .await,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::knowledge_graph::UrlStatus;

    fn gurl(url: &str, status: &str, error: Option<&str>) -> GraphUrl {
        GraphUrl {
            url: url.into(),
            kind: "sub_pages".into(),
            exclude_urls: vec![],
            status: Some(UrlStatus {
                status: status.into(),
                error_type: error.map(str::to_owned),
            }),
        }
    }

    fn entry(url: &str, excludes: Value) -> Value {
        Value::object([
            ("url", text(url)),
            ("type", text("sub_pages")),
            ("exclude_urls", excludes),
        ])
    }

    #[test]
    fn writers_urls_keep_the_configurations_order_and_empty_forms() {
        let urls = [
            gurl("https://b.example.com/", "success", None),
            gurl("https://a.example.com/", "validating", None),
        ];
        let prior = Value::list([
            entry("https://a.example.com/", Value::set([])),
            entry("https://b.example.com/", Value::Null),
        ]);
        let v = web_urls_value(&urls, &prior);
        assert_eq!(v, prior);
        assert_eq!(web_urls_value(&[], &Value::list([])), Value::list([]));
        assert_eq!(web_urls_value(&[], &Value::Null), Value::Null);
        assert_eq!(web_urls_value(&[], &prior), Value::Null);
    }

    #[test]
    fn every_url_writer_could_not_read_is_a_warning_at_its_entry() {
        let graph = Graph {
            id: "g".into(),
            created_at: "t".into(),
            name: "n".into(),
            description: None,
            kind: Some("web".into()),
            file_status: None,
            urls: vec![
                gurl("https://ok.example.com/", "success", None),
                gurl(
                    "https://x.unreadable.example/",
                    "error",
                    Some("paywall_or_login_page"),
                ),
            ],
        };
        let warnings: Vec<Diagnostic> = url_warnings(&graph).into_vec();
        assert_eq!(warnings.len(), 1);
        assert!(!warnings[0].is_error());
        assert!(warnings[0].detail.contains("behind a paywall or a login"));
        assert_eq!(warnings[0].attribute, Some(url_path()));
    }
}
