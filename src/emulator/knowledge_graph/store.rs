//! What the Knowledge Graph family keeps: graphs (with a web graph's URLs),
//! the metadata of uploaded files (their bytes are on disk, see `files`),
//! and the chat agents seeded from the command line with their graphs. Also
//! the rules Writer documents for them: replace-the-whole-list `urls` and
//! agent `graph_ids`, a graph deleted from every file and agent, a graph
//! deployed to one team invisible to the API. Pure: no I/O, the time is
//! given, and everything is (de)serialized whole into the state file.

use std::collections::HashSet;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::page;
use super::processing::{self, Outcome};
use crate::emulator::errors::{ApiError, ErrorItem};
use crate::emulator::pages::Paging;
use crate::emulator::persist::Part;
use crate::emulator::state::{bad_part, FamilyState};

/// Writer's limit on a graph's name and description (characters).
pub(crate) const MAX_TEXT_CHARS: usize = 255;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum GraphType {
    Manual,
    Connector,
    Web,
}

impl GraphType {
    fn as_str(self) -> &'static str {
        match self {
            GraphType::Manual => "manual",
            GraphType::Connector => "connector",
            GraphType::Web => "web",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum UrlType {
    SinglePage,
    SubPages,
}

impl UrlType {
    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "single_page" => Some(UrlType::SinglePage),
            "sub_pages" => Some(UrlType::SubPages),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            UrlType::SinglePage => "single_page",
            UrlType::SubPages => "sub_pages",
        }
    }
}

/// One web connector URL of a `web` graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct WebUrl {
    pub(crate) url: String,
    #[serde(rename = "type")]
    pub(crate) kind: UrlType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) exclude_urls: Option<Vec<String>>,
    /// When its validation began (Unix milliseconds).
    pub(crate) added_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Graph {
    pub(crate) id: String,
    pub(crate) seq: u64,
    pub(crate) created_at: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    #[serde(rename = "type")]
    pub(crate) kind: GraphType,
    #[serde(default)]
    pub(crate) urls: Vec<WebUrl>,
    /// Deployed to one team only: the API does not see it.
    #[serde(default)]
    pub(crate) team_only: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredFile {
    pub(crate) id: String,
    pub(crate) seq: u64,
    pub(crate) created_at: String,
    pub(crate) name: String,
    pub(crate) content_type: String,
    pub(crate) size: u64,
    pub(crate) graph_ids: Vec<String>,
    /// When its (latest) processing began (Unix milliseconds).
    pub(crate) processing_ms: i64,
    /// How that processing ends.
    pub(crate) outcome: Outcome,
}

/// A no-code chat agent (made in AI Studio; here, seeded).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Agent {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) graph_ids: Vec<String>,
}

/// A graph as the create and update calls send it: no type, no file counts.
#[derive(Debug, Default)]
pub(crate) struct GraphChange {
    pub(crate) name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) urls: Option<Vec<UrlInput>>,
}

/// A URL as sent: `url`, `type`, `exclude_urls`.
pub(crate) type UrlInput = (String, UrlType, Option<Vec<String>>);

/// The family's whole state; `revision` counts changes and is not saved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct KgStore {
    next_seq: u64,
    graphs: Vec<Graph>,
    files: Vec<StoredFile>,
    agents: Vec<Agent>,
    #[serde(skip)]
    revision: u64,
}

/// Its key in the state file.
const KEY: &str = "knowledge_graph";

impl FamilyState for KgStore {
    const NAME: &'static str = "Knowledge Graphs";
    const KEYS: &'static [&'static str] = &[KEY];

    fn new() -> Self {
        KgStore::new()
    }

    fn from_part(mut part: serde_json::Map<String, Value>) -> Result<Self, String> {
        match part.remove(KEY) {
            None => Ok(KgStore::new()),
            Some(value) => serde_json::from_value::<KgStore>(value)
                .map_err(|_| bad_part(Self::NAME))?
                .check(),
        }
    }

    /// Nothing while there is nothing: a state file of OAuth apps only keeps
    /// the layout it had.
    fn part(&self) -> Result<Part, String> {
        if self.is_empty() {
            return Ok(Vec::new());
        }
        let value = serde_json::to_value(self)
            .map_err(|e| format!("cannot serialize {}: {e}", Self::NAME))?;
        Ok(vec![(KEY.to_owned(), value)])
    }

    fn revision(&self) -> u64 {
        self.revision
    }
}

fn error(status: StatusCode, key: &'static str, description: String) -> ApiError {
    ApiError::one(status, ErrorItem::new(key, description))
}

fn graph_not_found(id: &str) -> ApiError {
    error(
        StatusCode::NOT_FOUND,
        "graph.not_found",
        format!(
            "no Knowledge Graph with id {id} (a graph deployed to one team, rather than \
             All Teams, is not visible to the API)"
        ),
    )
}

fn file_not_found(id: &str) -> ApiError {
    error(
        StatusCode::NOT_FOUND,
        "file.not_found",
        format!("no file with id {id}"),
    )
}

fn agent_not_found(id: &str) -> ApiError {
    error(
        StatusCode::NOT_FOUND,
        "application.not_found",
        format!(
            "no no-code chat agent with id {id}: only chat agents have Knowledge Graphs \
             (check the ID in AI Studio)"
        ),
    )
}

impl KgStore {
    pub(crate) fn new() -> Self {
        Self {
            next_seq: 1,
            ..Self::default()
        }
    }

    /// Nothing to save: the state file then has no `knowledge_graph` key.
    pub(crate) fn is_empty(&self) -> bool {
        self.graphs.is_empty() && self.files.is_empty() && self.agents.is_empty()
    }

    /// Refuses a saved state that breaks the store's invariants.
    pub(crate) fn check(mut self) -> Result<Self, String> {
        let mut ids = HashSet::new();
        for id in self
            .graphs
            .iter()
            .map(|g| &g.id)
            .chain(self.files.iter().map(|f| &f.id))
            .chain(self.agents.iter().map(|a| &a.id))
        {
            if !ids.insert(id.clone()) {
                return Err(format!("knowledge_graph: id {id} appears twice"));
            }
        }
        let max_seq = self
            .graphs
            .iter()
            .map(|g| g.seq)
            .chain(self.files.iter().map(|f| f.seq))
            .max()
            .unwrap_or(0);
        if max_seq >= self.next_seq.max(1) {
            return Err("knowledge_graph: a seq is not below next_seq".to_owned());
        }
        self.graphs.sort_by_key(|g| g.seq);
        self.files.sort_by_key(|f| f.seq);
        self.revision = 0;
        Ok(self)
    }

    fn changed(&mut self) {
        self.revision += 1;
    }

    fn seq(&mut self) -> u64 {
        let seq = self.next_seq.max(1);
        self.next_seq = seq + 1;
        seq
    }

    fn graph(&self, id: &str) -> Result<&Graph, ApiError> {
        self.graphs
            .iter()
            .find(|g| g.id == id && !g.team_only)
            .ok_or_else(|| graph_not_found(id))
    }

    fn graph_mut(&mut self, id: &str) -> Result<&mut Graph, ApiError> {
        self.graphs
            .iter_mut()
            .find(|g| g.id == id && !g.team_only)
            .ok_or_else(|| graph_not_found(id))
    }

    fn file(&self, id: &str) -> Result<&StoredFile, ApiError> {
        self.files
            .iter()
            .find(|f| f.id == id)
            .ok_or_else(|| file_not_found(id))
    }

    /// The IDs among `ids` that name no graph the API can see.
    fn unknown_graphs<'a>(&self, ids: &'a [String]) -> Vec<&'a str> {
        ids.iter()
            .filter(|id| self.graph(id).is_err())
            .map(String::as_str)
            .collect()
    }

    // ------------------------------------------------------------ seeds --

    /// Makes sure a graph or agent seeded from the command line exists (IDs
    /// are derived from the flags, so a restart on a state file finds them).
    pub(crate) fn seed_graph(
        &mut self,
        id: &str,
        name: &str,
        kind: GraphType,
        team: bool,
        now: &str,
    ) {
        if self.graphs.iter().any(|g| g.id == id) {
            return;
        }
        let seq = self.seq();
        self.graphs.push(Graph {
            id: id.to_owned(),
            seq,
            created_at: now.to_owned(),
            name: name.to_owned(),
            description: None,
            kind,
            urls: Vec::new(),
            team_only: team,
        });
        self.changed();
    }

    pub(crate) fn seed_agent(&mut self, id: &str, name: &str) {
        if self.agents.iter().any(|a| a.id == id) {
            return;
        }
        self.agents.push(Agent {
            id: id.to_owned(),
            name: name.to_owned(),
            graph_ids: Vec::new(),
        });
        self.changed();
    }

    // ----------------------------------------------------------- graphs --

    pub(crate) fn create_graph(&mut self, change: GraphChange, id: String, now: &str) -> Value {
        let seq = self.seq();
        let graph = Graph {
            id,
            seq,
            created_at: now.to_owned(),
            name: change.name.unwrap_or_default(),
            description: change.description,
            kind: GraphType::Manual,
            urls: Vec::new(),
            team_only: false,
        };
        self.graphs.push(graph);
        self.changed();
        short_view(self.graphs.last().expect("just pushed"), i64::MAX)
    }

    pub(crate) fn get_graph(
        &self,
        id: &str,
        now_ms: i64,
        delay_ms: i64,
    ) -> Result<Value, ApiError> {
        Ok(self.graph_view(self.graph(id)?, now_ms, delay_ms))
    }

    pub(crate) fn update_graph(
        &mut self,
        id: &str,
        change: GraphChange,
        now_ms: i64,
        delay_ms: i64,
    ) -> Result<Value, ApiError> {
        let graph = self.graph_mut(id)?;
        if change.urls.is_some() && graph.kind != GraphType::Web {
            return Err(ApiError::bad_request(ErrorItem::field(
                "graph.urls.not_web",
                "urls",
                format!(
                    "only Knowledge Graphs of type web take urls; this one is of type {} \
                     (a web graph is made in AI Studio with \"Add Website\")",
                    graph.kind.as_str()
                ),
            )));
        }
        if let Some(name) = change.name {
            graph.name = name;
        }
        if let Some(description) = change.description {
            graph.description = Some(description);
        }
        if let Some(urls) = change.urls {
            // The whole list is replaced; a URL sent again as it was keeps
            // its validation (it is not validated anew).
            let old = std::mem::take(&mut graph.urls);
            graph.urls = urls
                .into_iter()
                .map(|(url, kind, exclude_urls)| {
                    let added_ms = old
                        .iter()
                        .find(|o| o.url == url && o.kind == kind && o.exclude_urls == exclude_urls)
                        .map_or(now_ms, |o| o.added_ms);
                    WebUrl {
                        url,
                        kind,
                        exclude_urls,
                        added_ms,
                    }
                })
                .collect();
        }
        let view = short_view(graph, now_ms.saturating_sub(delay_ms));
        self.changed();
        Ok(view)
    }

    pub(crate) fn delete_graph(&mut self, id: &str) -> Result<Value, ApiError> {
        self.graph(id)?;
        self.graphs.retain(|g| g.id != id);
        for file in &mut self.files {
            file.graph_ids.retain(|g| g != id);
        }
        for agent in &mut self.agents {
            agent.graph_ids.retain(|g| g != id);
        }
        self.changed();
        Ok(json!({"id": id, "deleted": true}))
    }

    pub(crate) fn list_graphs(
        &self,
        query: &Paging,
        now_ms: i64,
        delay_ms: i64,
    ) -> Result<Value, ApiError> {
        let visible: Vec<&Graph> = self.graphs.iter().filter(|g| !g.team_only).collect();
        let seq_of = |id: &str| visible.iter().find(|g| g.id == id).map(|g| g.seq);
        let page = page::page(&visible, |g| g.seq, seq_of, query)?;
        Ok(page.to_json(|g| g.id.as_str(), |g| self.graph_view(g, now_ms, delay_ms)))
    }

    fn graph_view(&self, graph: &Graph, now_ms: i64, delay_ms: i64) -> Value {
        let (mut in_progress, mut completed, mut failed) = (0u64, 0u64, 0u64);
        for file in self
            .files
            .iter()
            .filter(|f| f.graph_ids.contains(&graph.id))
        {
            match processing::file_status(file.processing_ms, file.outcome, now_ms, delay_ms) {
                processing::FileStatus::InProgress => in_progress += 1,
                processing::FileStatus::Completed => completed += 1,
                processing::FileStatus::Failed => failed += 1,
            }
        }
        let mut view = short_view(graph, now_ms.saturating_sub(delay_ms));
        view["type"] = json!(graph.kind.as_str());
        view["file_status"] = json!({
            "in_progress": in_progress,
            "completed": completed,
            "failed": failed,
            "total": in_progress + completed + failed,
        });
        view
    }

    // ------------------------------------------------------------ files --

    /// Records an uploaded file (its bytes already stored under `id`),
    /// attached to `graph_id` when given; the answer shows no graph yet.
    pub(crate) fn add_file(
        &mut self,
        mut file: StoredFile,
        graph_id: Option<&str>,
    ) -> Result<Value, ApiError> {
        if let Some(graph_id) = graph_id {
            self.upload_graph(graph_id)?;
            file.graph_ids = vec![graph_id.to_owned()];
        }
        file.seq = self.seq();
        let mut view = file_view(&file, processing::FileStatus::InProgress);
        view["graph_ids"] = json!([]);
        self.files.push(file);
        self.changed();
        Ok(view)
    }

    /// The graph an upload's `graphId` names, which must be one the API sees.
    pub(crate) fn upload_graph(&self, graph_id: &str) -> Result<(), ApiError> {
        if self.graph(graph_id).is_ok() {
            return Ok(());
        }
        Err(ApiError::bad_request(
            ErrorItem::field(
                "file.graph_id.unknown",
                "graphId",
                format!(
                    "graphId {graph_id} names no Knowledge Graph (a graph deployed to one team \
                     is not visible to the API)"
                ),
            )
            .with("unknown_graph_ids", json!([graph_id])),
        ))
    }

    pub(crate) fn get_file(&self, id: &str, now_ms: i64, delay_ms: i64) -> Result<Value, ApiError> {
        let file = self.file(id)?;
        Ok(file_view(
            file,
            processing::file_status(file.processing_ms, file.outcome, now_ms, delay_ms),
        ))
    }

    /// The stored file's content type and size, for a download.
    pub(crate) fn file_meta(&self, id: &str) -> Result<(String, u64), ApiError> {
        self.file(id).map(|f| (f.content_type.clone(), f.size))
    }

    pub(crate) fn delete_file(&mut self, id: &str) -> Result<Value, ApiError> {
        self.file(id)?;
        self.files.retain(|f| f.id != id);
        self.changed();
        Ok(json!({"id": id, "deleted": true}))
    }

    pub(crate) fn list_files(
        &self,
        query: &Paging,
        filter: &page::FileFilter,
        now_ms: i64,
        delay_ms: i64,
    ) -> Result<Value, ApiError> {
        let status =
            |f: &StoredFile| processing::file_status(f.processing_ms, f.outcome, now_ms, delay_ms);
        let chosen: Vec<&StoredFile> = self
            .files
            .iter()
            .filter(|f| {
                filter
                    .graph_id
                    .as_ref()
                    .is_none_or(|g| f.graph_ids.contains(g))
            })
            .filter(|f| filter.status.is_none_or(|s| status(f) == s))
            .filter(|f| {
                filter.extensions.as_ref().is_none_or(|exts| {
                    let ext = f.name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
                    ext.is_some_and(|e| exts.contains(&e))
                })
            })
            .collect();
        let seq_of = |id: &str| self.files.iter().find(|f| f.id == id).map(|f| f.seq);
        let page = page::page(&chosen, |f| f.seq, seq_of, query)?;
        Ok(page.to_json(|f| f.id.as_str(), |f| file_view(f, status(f))))
    }

    /// Starts processing again for the failed ones among `ids` (each must
    /// exist); the others are left as they are.
    pub(crate) fn retry_files(
        &mut self,
        ids: &[String],
        now_ms: i64,
        delay_ms: i64,
        outcome: impl Fn() -> Outcome,
    ) -> Result<Value, ApiError> {
        let unknown: Vec<&str> = ids
            .iter()
            .filter(|id| self.file(id).is_err())
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(ApiError::bad_request(
                ErrorItem::field(
                    "file.retry.unknown",
                    "file_ids",
                    format!("no file with id {}", unknown.join(", ")),
                )
                .with("unknown_file_ids", json!(unknown)),
            ));
        }
        let mut retried = false;
        for file in self.files.iter_mut().filter(|f| ids.contains(&f.id)) {
            if processing::file_status(file.processing_ms, file.outcome, now_ms, delay_ms)
                == processing::FileStatus::Failed
            {
                file.processing_ms = now_ms;
                file.outcome = outcome();
                retried = true;
            }
        }
        if retried {
            self.changed();
        }
        Ok(json!({"success": true}))
    }

    pub(crate) fn add_file_to_graph(
        &mut self,
        graph_id: &str,
        file_id: &str,
        now_ms: i64,
        delay_ms: i64,
    ) -> Result<Value, ApiError> {
        self.graph(graph_id)?;
        self.file(file_id)?;
        let file = self
            .files
            .iter_mut()
            .find(|f| f.id == file_id)
            .expect("checked above");
        if file.graph_ids.iter().any(|g| g == graph_id) {
            return Err(error(
                StatusCode::CONFLICT,
                "graph.file.already_in_graph",
                format!("file {file_id} is already in Knowledge Graph {graph_id}"),
            ));
        }
        file.graph_ids.push(graph_id.to_owned());
        let view = file_view(
            file,
            processing::file_status(file.processing_ms, file.outcome, now_ms, delay_ms),
        );
        self.changed();
        Ok(view)
    }

    pub(crate) fn remove_file_from_graph(
        &mut self,
        graph_id: &str,
        file_id: &str,
    ) -> Result<Value, ApiError> {
        self.graph(graph_id)?;
        self.file(file_id)?;
        let file = self
            .files
            .iter_mut()
            .find(|f| f.id == file_id)
            .expect("checked above");
        let before = file.graph_ids.len();
        file.graph_ids.retain(|g| g != graph_id);
        if file.graph_ids.len() == before {
            return Err(error(
                StatusCode::NOT_FOUND,
                "graph.file.not_in_graph",
                format!("file {file_id} is not in Knowledge Graph {graph_id}"),
            ));
        }
        self.changed();
        Ok(json!({"id": file_id, "deleted": true}))
    }

    // ----------------------------------------------------------- agents --

    fn agent_mut(&mut self, id: &str) -> Result<&mut Agent, ApiError> {
        self.agents
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| agent_not_found(id))
    }

    pub(crate) fn agent_graphs(&self, id: &str) -> Result<Value, ApiError> {
        let agent = self
            .agents
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| agent_not_found(id))?;
        Ok(json!({"graph_ids": agent.graph_ids}))
    }

    /// Replaces the agent's whole list (duplicates kept once, in order).
    pub(crate) fn set_agent_graphs(
        &mut self,
        id: &str,
        ids: Vec<String>,
    ) -> Result<Value, ApiError> {
        self.agent_mut(id)?;
        let unknown = self.unknown_graphs(&ids);
        if !unknown.is_empty() {
            return Err(ApiError::bad_request(
                ErrorItem::field(
                    "application.graph_ids.unknown",
                    "graph_ids",
                    format!(
                        "no Knowledge Graph with id {} (a graph deployed to one team is not \
                         visible to the API)",
                        unknown.join(", ")
                    ),
                )
                .with("unknown_graph_ids", json!(unknown)),
            ));
        }
        let mut unique: Vec<String> = Vec::with_capacity(ids.len());
        for id in ids {
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        let agent = self.agent_mut(id)?;
        agent.graph_ids = unique;
        let view = json!({"graph_ids": agent.graph_ids});
        self.changed();
        Ok(view)
    }
}

/// A graph as create and update answer it. URLs added before `settled_ms`
/// have finished validating.
fn short_view(graph: &Graph, settled_ms: i64) -> Value {
    let urls: Vec<Value> = graph
        .urls
        .iter()
        .map(|u| {
            let mut url = json!({
                "url": u.url,
                "type": u.kind.as_str(),
                "status": processing::url_status(&u.url, u.added_ms, settled_ms),
            });
            if let Some(exclude) = &u.exclude_urls {
                url["exclude_urls"] = json!(exclude);
            }
            url
        })
        .collect();
    json!({
        "id": graph.id,
        "created_at": graph.created_at,
        "name": graph.name,
        "description": graph.description,
        "urls": urls,
    })
}

fn file_view(file: &StoredFile, status: processing::FileStatus) -> Value {
    json!({
        "id": file.id,
        "created_at": file.created_at,
        "name": file.name,
        "graph_ids": file.graph_ids,
        "status": status.as_str(),
    })
}
