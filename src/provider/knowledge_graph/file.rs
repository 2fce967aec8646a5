//! `writer_file`: a local file uploaded to Writer, and the Knowledge Graphs
//! it is in. In order: schema, the source on disk, validate, plan, create
//! (upload, graphs, the processing wait), read, update, delete, import.
//!
//! What Writer decides and this resource follows: a file cannot be changed
//! once uploaded, only added to and removed from graphs, so a changed
//! content (the source's SHA-256, computed at plan time), name or type
//! replaces it (with `create_before_destroy`, the new upload is made before
//! the old file is deleted), while `graph_ids` changes in place with the
//! add and remove calls. Writer processes a file after answering the
//! upload: the apply waits (bounded by `processing_timeout`); `failed` is an
//! error (the file is then tainted, so the next apply uploads it again), a
//! file still `in_progress` at the bound a warning. An upload whose answer
//! is lost is never repeated: the file it made is looked for and taken only
//! by the adoption rule (`provider::adoption`).
//!
//! An import has no local file to hash: it downloads the file from Writer
//! and records the SHA-256 of its bytes (streamed, bounded by the client;
//! after an import by identity, which sees only the ID, the read that
//! follows does it),
//! so that the first plan after it replaces the file when the local copy
//! differs and uploads nothing when it is the same. A listed file's
//! `source` (`terraform query`) is a placeholder naming the file, which
//! fails the plan with the fix until the user sets the local path.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;
use sha2::{Digest, Sha256};

use crate::client::knowledge_graph::{File, FileFilter, Order, Upload};
use crate::client::{self, Outcome};
use crate::domain::knowledge_graph::disposition::content_disposition;
use crate::domain::knowledge_graph::file_types::{check_content_type, content_type_for};
use crate::provider::adoption::{self, Began, Candidate, Decision, Hint};
use crate::provider::config::Api;
use crate::provider::shared::Shared;
use crate::provider::texts as provider_texts;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{Type, Value};
use crate::tfplugin::{
    ApplyRequest, ApplyResponse, DeleteRequest, IdentityAttribute, IdentitySchema, ImportRequest,
    ImportResponse, PlanRequest, PlanResponse, ReadRequest, ReadResponse, Resource,
};

use super::texts;
use super::values::{attributes, nulls, string, string_set, strings, text};

pub(crate) const TYPE_NAME: &str = "writer_file";

/// How often the processing wait asks Writer again: from this, doubling,
/// up to [`POLL_MAX`].
const POLL_FIRST: Duration = Duration::from_millis(500);
const POLL_MAX: Duration = Duration::from_secs(5);

/// The most files the lost-upload lookup reads, newest first: an upload
/// made during this apply is among the newest.
const LOOKUP_MAX_FILES: usize = 1_000;

/// The attributes both the resource and the list resource show of a file.
pub(crate) fn schema() -> Schema {
    Schema::new(
        Block::new(
            "A local file uploaded to Writer, and the Knowledge Graphs it is in. The upload is \
             streamed from disk, so memory stays small whatever the file's size. Writer cannot \
             change an uploaded file: a new content (its SHA-256, computed at plan time), name \
             or content type replaces it; add `lifecycle { create_before_destroy = true }` to \
             upload the new file before the old one is deleted. `graph_ids` changes in place. \
             After upload the provider waits (up to the provider's `processing_timeout`) for \
             Writer to process the file: `failed` is an error, and the next apply uploads it \
             again; still `in_progress` when the wait ends is a warning, and the next plan \
             shows its `status`. Import by the file's ID: the import downloads the file once \
             to hash its content, so the plan after it uploads nothing when `source` has the \
             same content (it only records `source` and `content_type`) and replaces the file \
             when it differs.",
        )
        .attribute(Attribute::computed("id", Type::String).description("The file's ID in Writer."))
        .attribute(Attribute::required("source", Type::String).description(
            "The path of the local file to upload, e.g. `\"${path.module}/docs/handbook.pdf\"`. \
             It must exist and be readable when Terraform plans: its content's SHA-256 is \
             computed then, so that a changed file is uploaded again. Changing only the path \
             (same content) changes nothing in Writer. `terraform query` cannot know it: the \
             configuration it generates says `\"<set the path of your local copy of NAME>\"`, \
             which fails the plan until you set the path.",
        ))
        .attribute(
            Attribute::optional_computed("name", Type::String).description(
                "The file's name in Writer; default: the source's file name. Any Unicode name \
             without control characters (sent in `Content-Disposition`, encoded as RFC 6266 \
             says). Changing it uploads the file again.",
            ),
        )
        .attribute(
            Attribute::optional_computed("content_type", Type::String).description(
                "The media type the file is uploaded as; default: from the source's extension, \
                 among the types Writer takes (txt, doc, docx, ppt, pptx, jpg, png, eml, html, \
                 pdf, srt, csv, xls, xlsx, mp3, mp4). Set it for another extension, e.g. \
                 `\"text/plain\"` for Markdown. Changing it uploads the file again.",
            ),
        )
        .attribute(
            Attribute::optional("graph_ids", Type::set(Type::String)).description(
                "The IDs of the Knowledge Graphs the file is in (e.g. \
                 `[writer_knowledge_graph.handbook.id]`), the whole set: a graph it is added to \
                 or removed from in AI Studio shows as drift. Changed in place, without \
                 uploading again.",
            ),
        )
        .attribute(
            Attribute::computed("source_sha256", Type::String).description(
                "The SHA-256 of the source's content (hex) as uploaded: computed at plan time; a \
                 different one replaces the file.",
            ),
        )
        .attribute(Attribute::computed("status", Type::String).description(
            "Writer's processing of the file as of the last read: `in_progress`, `completed` or \
             `failed`.",
        ))
        .attribute(
            Attribute::computed("created_at", Type::String)
                .description("When Writer received the file (RFC 3339), as Writer reports it."),
        ),
    )
}

pub(crate) fn identity() -> IdentitySchema {
    IdentitySchema::new(vec![IdentityAttribute::required_for_import(
        "id",
        Type::String,
    )
    .description("The file's ID in Writer.")])
}

// ---- the source on disk ----

/// What plan and apply learn of the source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Source {
    pub length: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// Reads the file at `path` to its end in small pieces (memory stays small
/// whatever its size): its length and SHA-256, or why it cannot be read.
pub(crate) fn inspect(path: &Path) -> std::io::Result<Source> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut length = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        length += n as u64;
    }
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Source { length, sha256 })
}

/// [`inspect`] off the async threads.
async fn inspect_source(path: &str) -> Result<Source, Diagnostic> {
    let owned = PathBuf::from(path);
    let result = tokio::task::spawn_blocking(move || inspect(&owned)).await;
    match result {
        Ok(Ok(source)) => Ok(source),
        Ok(Err(e)) => Err(texts::unreadable_source(path, &e.to_string())),
        Err(e) => Err(texts::unreadable_source(path, &e.to_string())),
    }
}

/// How the placeholder `source` of a listed file begins and ends.
const PLACEHOLDER_START: &str = "<set the path of your local copy of ";
const PLACEHOLDER_END: &str = ">";

/// The `source` a listed file carries into generated configuration: it
/// names the file, and the plan refuses it with the fix.
pub(crate) fn source_placeholder(name: &str) -> String {
    format!("{PLACEHOLDER_START}{name}{PLACEHOLDER_END}")
}

/// The file's name if `source` is a listed file's placeholder.
fn placeholder_name(source: &str) -> Option<&str> {
    source
        .strip_prefix(PLACEHOLDER_START)?
        .strip_suffix(PLACEHOLDER_END)
}

/// The configured source if it is a path (set, and no placeholder).
fn source_of(config: &Value) -> Option<&str> {
    config
        .get("source")
        .as_str()
        .filter(|s| placeholder_name(s).is_none())
}

/// The last part of a path: the default name.
fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn source_path() -> AttributePath {
    AttributePath::attribute("source")
}

/// The name Writer is told: the configured one, else the source's file
/// name; `None` while either is unknown.
fn effective_name(config: &Value) -> Option<String> {
    match config.get("name") {
        Value::String(s) => Some(s.clone()),
        Value::Null => source_of(config).map(|s| base_name(s).to_owned()),
        _ => None,
    }
}

/// The content type the file is uploaded as, or the finding against it;
/// `None` while unknown.
fn effective_content_type(config: &Value) -> Option<Result<String, Diagnostic>> {
    match config.get("content_type") {
        Value::String(s) => Some(match check_content_type(s) {
            Some(f) => Err(provider_texts::finding(
                f,
                AttributePath::attribute("content_type"),
            )),
            None => Ok(s.clone()),
        }),
        Value::Null => source_of(config).map(|source| {
            content_type_for(base_name(source))
                .map(str::to_owned)
                .map_err(|f| provider_texts::finding(f, source_path()))
        }),
        _ => None,
    }
}

/// Every rule of the configuration that needs no file and no API.
pub(crate) fn check_config(config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if config.get("source").as_str().is_some_and(str::is_empty) {
        diags.push(texts::empty_source());
    }
    if let Some(name) = config.get("source").as_str().and_then(placeholder_name) {
        diags.push(texts::source_is_a_placeholder(name));
    }
    if let Some(name) = effective_name(config) {
        if let Err(f) = content_disposition(&name) {
            let at = if config.get("name").is_null() {
                source_path()
            } else {
                AttributePath::attribute("name")
            };
            diags.push(provider_texts::finding(f, at));
        }
    }
    if let Some(Err(d)) = effective_content_type(config) {
        diags.push(d);
    }
    {
        let ids = config.get("graph_ids").elements();
        if ids
            .iter()
            .any(|v| v.as_str().is_some_and(|s| s.trim().is_empty()))
        {
            diags.push(
                Diagnostic::error(
                    "Empty graph ID",
                    "Every entry of graph_ids is a Knowledge Graph's ID, such as \
                     `writer_knowledge_graph.handbook.id`; remove the empty one.",
                )
                .at(AttributePath::attribute("graph_ids")),
            );
        }
    }
    diags
}

// ---- state ----

/// `graph_ids` as state holds it: none in the form `prior` had (null or
/// `[]`).
fn graph_ids_value(ids: &[String], prior: &Value) -> Value {
    if ids.is_empty() {
        return match prior {
            Value::Set(s) if s.is_empty() => Value::set([]),
            _ => Value::Null,
        };
    }
    string_set(ids)
}

/// The state of `file`: what Writer shows, and from `prior` what only the
/// configuration knows (the source, its hash, the content type).
pub(crate) fn state_of(file: &File, prior: &Value) -> BTreeMap<String, Value> {
    let mut s = nulls(&schema());
    s.insert("id".into(), text(&file.id));
    s.insert("name".into(), text(&file.name));
    s.insert(
        "graph_ids".into(),
        graph_ids_value(&file.graph_ids, prior.get("graph_ids")),
    );
    s.insert(
        "status".into(),
        if file.status.is_empty() {
            Value::Null
        } else {
            text(&file.status)
        },
    );
    s.insert("created_at".into(), text(&file.created_at));
    for kept in ["source", "content_type", "source_sha256"] {
        s.insert(kept.into(), prior.get(kept).clone());
    }
    s
}

// ---- the processing wait ----

/// Reads the file until it is no longer `in_progress`, or
/// `processing_timeout` passes (then the last read). Each read is an
/// operation of its own (its own `retry_timeout`).
async fn wait_for_processing(
    api: &Api,
    id: &str,
    cancel: &tokio_util::sync::CancellationToken,
) -> Result<(Option<File>, Duration), client::Error> {
    let started = Instant::now();
    let mut poll = POLL_FIRST;
    loop {
        let file = api.client.for_operation().get_file(id).await?;
        let Some(file) = file else {
            return Ok((None, started.elapsed()));
        };
        if file.status != "in_progress" || started.elapsed() + poll > api.processing_timeout {
            return Ok((Some(file), started.elapsed()));
        }
        tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(client::Error::Cancelled),
            () = tokio::time::sleep(poll) => {}
        }
        poll = (poll * 2).min(POLL_MAX);
    }
}

/// What the file's status means at the end of an apply.
fn status_diagnostics(file: &File, waited: Duration) -> Diagnostics {
    match file.status.as_str() {
        "failed" => texts::file_failed(&file.name, &file.id).into(),
        "in_progress" => texts::file_still_processing(&file.name, waited.as_secs()).into(),
        _ => Diagnostics::new(),
    }
}

// ---- an imported file's content ----

/// The private state of an imported file whose content Writer did not give
/// back: the reads that follow do not ask again.
const NOT_COMPARED: &[u8] = b"writer_file: content not compared";

/// The SHA-256 of Writer's copy of the file (a streamed download, bounded by
/// the client), or the warning that says the plan will not compare.
async fn hash_writers_copy(api: &Api, id: &str) -> Result<String, Diagnostic> {
    match api.client.for_operation().download_file_sha256(id).await {
        Ok(Some(got)) => {
            tracing::info!(%id, bytes = got.length, "hashed the imported file");
            Ok(got.sha256)
        }
        Ok(None) => Err(texts::import_not_compared(
            id,
            "Writer answered that it has no such file to download",
        )),
        // The client's own words for a 403 speak of OAuth apps.
        Err(e @ client::Error::Forbidden { .. }) => Err(texts::import_not_compared(
            id,
            &format!(
                "Writer refused the download{}. {}.",
                e.answer_text(),
                texts::KNOWLEDGE_GRAPH.key_refused
            ),
        )),
        Err(e) => Err(texts::import_not_compared(id, &texts::describe(&e))),
    }
}

// ---- the lost upload ----

/// After an upload whose answer was lost: the file it made, if one
/// provably is (`provider::adoption`: the same name, created after the
/// upload began on Writer's clock, the only one), else each file of that
/// name with why it is not taken. `client` is of the upload's operation
/// (the same Writer clock, read from its answers' `Date` headers).
async fn find_lost_upload(
    client: &client::Client,
    name: &str,
    began: SystemTime,
) -> Result<Decision, client::Error> {
    let mut found = Vec::new();
    let mut seen = 0usize;
    client
        .each_file(&FileFilter::default(), Order::Newest, |f| {
            seen += 1;
            if f.name == name {
                found.push(f);
            }
            seen < LOOKUP_MAX_FILES
        })
        .await?;
    let candidates: Vec<Candidate> = found
        .iter()
        .map(|f| Candidate {
            id: f.id.clone(),
            created_at: f.created_at.clone(),
            // A file holds nothing else the upload sent that Writer shows.
            as_sent: f.name == name,
            hint: Hint::NotShown,
        })
        .collect();
    let began = Began {
        local: began,
        writer_ahead_ms: client.writer_ahead_ms(),
    };
    Ok(adoption::decide(began, &candidates))
}

pub(crate) struct FileResource {
    shared: Arc<Shared>,
}

impl FileResource {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

fn fail_null(d: impl Into<Diagnostics>) -> ApplyResponse {
    ApplyResponse::failed(Value::Null, Vec::new(), d.into())
}

/// The configured graphs, in a steady order.
fn graph_set(v: &Value) -> BTreeSet<String> {
    strings(v).into_iter().collect()
}

impl FileResource {
    /// Adds the file to `add` and takes it out of `remove`; the first
    /// failure ends it.
    async fn change_graphs(
        api: &Api,
        id: &str,
        add: &[&String],
        remove: &[&String],
    ) -> Result<(), Diagnostic> {
        for graph in add {
            if let Err(e) = api.client.add_file_to_graph(graph, id).await {
                return Err(texts::graph_change_failed("add the file to", graph, &e));
            }
        }
        for graph in remove {
            if let Err(e) = api.client.remove_file_from_graph(graph, id).await {
                return Err(texts::graph_change_failed(
                    "remove the file from",
                    graph,
                    &e,
                ));
            }
        }
        Ok(())
    }
}

#[async_trait]
impl Resource for FileResource {
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
        check_config(config)
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let mut diagnostics = check_config(&request.config);
        let mut planned = attributes(&request.planned_state);
        let config = &request.config;
        let source = match config.get("source").as_str() {
            Some(path) if !path.is_empty() && placeholder_name(path).is_none() => {
                match inspect_source(path).await {
                    Ok(s) => Some(text(&s.sha256)),
                    Err(d) => {
                        diagnostics.push(d);
                        None
                    }
                }
            }
            Some(_) => None,
            None => Some(Value::Unknown),
        };
        let hash = source.unwrap_or(Value::Unknown);
        let name = effective_name(config).map_or(Value::Unknown, |n| text(&n));
        let content_type = match effective_content_type(config) {
            Some(Ok(t)) => text(&t),
            _ => Value::Unknown,
        };
        planned.insert("name".into(), name.clone());
        planned.insert("content_type".into(), content_type.clone());
        planned.insert("source_sha256".into(), hash.clone());
        let mut requires_replace = Vec::new();
        let prior = &request.prior_state;
        if !prior.is_null() {
            // What Writer cannot change in a file replaces it; a value
            // unknown to the state (after an import) is taken as it is.
            for (attribute, new) in [
                ("source_sha256", &hash),
                ("name", &name),
                ("content_type", &content_type),
            ] {
                let old = prior.get(attribute);
                if !old.is_null() && old != new {
                    requires_replace.push(AttributePath::attribute(attribute));
                }
            }
            for kept in ["id", "created_at", "status"] {
                planned.insert(kept.into(), prior.get(kept).clone());
            }
        }
        PlanResponse {
            planned_state: Value::Object(planned),
            planned_private: request.prior_private,
            requires_replace,
            diagnostics,
        }
    }

    async fn create(&self, request: ApplyRequest) -> ApplyResponse {
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return fail_null(d),
        };
        let errors = check_config(&request.config);
        if errors.has_errors() {
            return fail_null(errors);
        }
        let planned = &request.planned_state;
        let path = string(planned, "source").unwrap_or_default();
        let source = match inspect_source(&path).await {
            Ok(s) => s,
            Err(d) => return fail_null(d),
        };
        if let Some(planned_hash) = string(planned, "source_sha256") {
            if planned_hash != source.sha256 {
                return fail_null(texts::source_changed_since_plan(&path));
            }
        }
        let name = string(planned, "name").unwrap_or_else(|| base_name(&path).to_owned());
        let content_type = match string(planned, "content_type") {
            Some(t) => t,
            None => match content_type_for(base_name(&path)) {
                Ok(t) => t.to_owned(),
                Err(f) => return fail_null(provider_texts::finding(f, source_path())),
            },
        };
        let disposition = match content_disposition(&name) {
            Ok(d) => d,
            Err(f) => {
                return fail_null(provider_texts::finding(f, AttributePath::attribute("name")))
            }
        };
        let graphs = graph_set(planned.get("graph_ids"));
        let first = graphs.iter().next();
        let upload = Upload {
            path: Path::new(&path),
            length: source.length,
            content_type: &content_type,
            content_disposition: &disposition,
            graph_id: first.map(String::as_str),
        };
        let began = SystemTime::now();
        let bounds = api.client.upload_bounds(source.length);
        let uploading = api.client.keeping(api.lookup_room);
        let mut diagnostics = Diagnostics::new();
        let uploaded_id = match uploading.upload_file(&upload).await {
            Ok(f) => f.id,
            Err(e) => match e.outcome {
                Outcome::NotDone => {
                    return fail_null(
                        texts::write_not_done("upload the file", &e.error).at(source_path()),
                    )
                }
                Outcome::Unknown | Outcome::Done { .. } => {
                    // With the room kept for it, and the time the upload's
                    // size added to the operation (the same Writer clock).
                    let looking = api.client.extended(bounds.allowance);
                    // A bound the upload reached after sending began.
                    let time = texts::upload_time_ran_out(&e.error, source.length, &bounds);
                    match find_lost_upload(&looking, &name, began).await {
                        Ok(Decision::Adopt { id }) => {
                            tracing::info!(%id, "took the file a lost upload made");
                            diagnostics.push(texts::lost_upload_adopted(&name, &id, &e.error));
                            id
                        }
                        Ok(Decision::Refuse { found }) => {
                            let found: Vec<(String, String)> = found
                                .into_iter()
                                .map(|(id, why)| (id, why.to_string()))
                                .collect();
                            return fail_null(texts::upload_outcome_unknown(
                                &name,
                                &e.error,
                                time,
                                Ok(&found),
                            ));
                        }
                        Err(lookup) => {
                            return fail_null(texts::upload_outcome_unknown(
                                &name,
                                &e.error,
                                time,
                                Err(&lookup),
                            ))
                        }
                    }
                }
            },
        };
        tracing::info!(id = %uploaded_id, "uploaded file");
        // From here the file exists: every outcome keeps it in state.
        let mut state = attributes(planned);
        state.insert("id".into(), text(&uploaded_id));
        state.insert("source_sha256".into(), text(&source.sha256));
        state.insert("name".into(), text(&name));
        state.insert("content_type".into(), text(&content_type));
        let rest: Vec<&String> = graphs.iter().skip(1).collect();
        if let Err(d) = Self::change_graphs(&api, &uploaded_id, &rest, &[]).await {
            diagnostics.push(d);
        }
        match wait_for_processing(&api, &uploaded_id, &request.cancel).await {
            Ok((Some(file), waited)) => {
                let read = state_of(&file, &Value::Object(state.clone()));
                state = read;
                diagnostics.extend(status_diagnostics(&file, waited));
            }
            Ok((None, _)) | Err(_) => {
                // Not read back: the next refresh reads it.
                state.insert("status".into(), Value::Null);
                state.insert("created_at".into(), Value::Null);
                if diagnostics.has_errors() {
                    state.insert("graph_ids".into(), Value::Null);
                }
            }
        }
        ApplyResponse {
            new_state: Value::Object(state),
            private: Vec::new(),
            diagnostics,
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
            return keep(texts::state_without_id(&texts::FILE_IN_STATE, &id));
        }
        match api.client.get_file(&id).await {
            Ok(Some(file)) => {
                let mut state = state_of(&file, &request.current_state);
                let mut private = request.private.clone();
                let mut diagnostics = Diagnostics::new();
                // Imported by identity (the import saw only the ID): hash
                // Writer's copy now, once.
                let current = &request.current_state;
                if current.get("source").is_null()
                    && current.get("source_sha256").is_null()
                    && private != NOT_COMPARED
                {
                    match hash_writers_copy(&api, &file.id).await {
                        Ok(sha256) => {
                            state.insert("source_sha256".into(), text(&sha256));
                        }
                        Err(d) => {
                            diagnostics.push(d);
                            private = NOT_COMPARED.to_vec();
                        }
                    }
                }
                ReadResponse {
                    new_state: Value::Object(state),
                    private,
                    diagnostics,
                }
            }
            Ok(None) => ReadResponse {
                new_state: Value::Null,
                private: Vec::new(),
                diagnostics: texts::file_gone(&id).into(),
            },
            Err(e) => keep(texts::api_error("read the file", &e)),
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
        let (prior, planned) = (&request.prior_state, &request.planned_state);
        let id = string(prior, "id").unwrap_or_default();
        if let Some(planned_hash) = string(planned, "source_sha256") {
            // After an import the hash is recorded here: it must still be
            // the one planned.
            let path = string(planned, "source").unwrap_or_default();
            match inspect_source(&path).await {
                Ok(s) if s.sha256 == planned_hash => {}
                Ok(_) => return fail(texts::source_changed_since_plan(&path).into()),
                Err(d) => return fail(d.into()),
            }
        }
        let (before, after) = (
            graph_set(prior.get("graph_ids")),
            graph_set(planned.get("graph_ids")),
        );
        let add: Vec<&String> = after.difference(&before).collect();
        let remove: Vec<&String> = before.difference(&after).collect();
        let changed = Self::change_graphs(&api, &id, &add, &remove).await;
        let read = api.client.for_operation().get_file(&id).await;
        let mut state = match &read {
            Ok(Some(file)) => state_of(file, planned),
            _ => attributes(planned),
        };
        for kept in ["source", "source_sha256", "content_type"] {
            state.insert(kept.into(), planned.get(kept).clone());
        }
        match changed {
            Ok(()) => {
                // What was planned is what was done.
                state.insert("graph_ids".into(), planned.get("graph_ids").clone());
                ApplyResponse {
                    new_state: Value::Object(state),
                    private: request.planned_private.clone(),
                    diagnostics: Diagnostics::new(),
                }
            }
            Err(d) => {
                if !matches!(read, Ok(Some(_))) {
                    state.insert("graph_ids".into(), prior.get("graph_ids").clone());
                }
                ApplyResponse {
                    new_state: Value::Object(state),
                    private: request.planned_private.clone(),
                    diagnostics: d.into(),
                }
            }
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
            return texts::state_without_id(&texts::FILE_IN_STATE, &id).into();
        }
        match api.client.delete_file(&id).await {
            Ok(()) => Diagnostics::new(),
            Err(e) => texts::write_failed("delete the file", "file", &e).into(),
        }
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let fail = |d: Diagnostic| texts::imported(Err(d));
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return fail(d),
        };
        let found = texts::found(
            api.client.get_file(&request.id).await,
            "read the file",
            || texts::no_file_with_id(&request.id),
        );
        let file = match found {
            Ok(file) => file,
            Err(d) => return fail(d),
        };
        let mut state = state_of(&file, &Value::Null);
        // The content's hash, from Writer's copy: the next plan compares
        // the local file with it.
        match hash_writers_copy(&api, &file.id).await {
            Ok(sha256) => {
                state.insert("source_sha256".into(), text(&sha256));
                texts::imported(Ok(Value::Object(state)))
            }
            Err(d) => ImportResponse {
                state: Value::Object(state),
                private: NOT_COMPARED.to_vec(),
                diagnostics: d.into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn the_source_is_hashed_in_pieces_and_its_length_counted() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        // More than one read buffer.
        let content = vec![b'a'; 200 * 1024];
        f.write_all(&content).unwrap();
        let s = inspect(f.path()).unwrap();
        assert_eq!(s.length, 200 * 1024);
        let expected: String = Sha256::digest(&content)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(s.sha256, expected);
        let empty = tempfile::NamedTempFile::new().unwrap();
        assert_eq!(
            inspect(empty.path()).unwrap().sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let dir = tempfile::tempdir().unwrap();
        assert!(inspect(dir.path()).is_err());
        assert!(inspect(&dir.path().join("missing.pdf")).is_err());
    }

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut c = nulls(&schema());
        for (k, v) in pairs {
            c.insert((*k).into(), v.clone());
        }
        Value::Object(c)
    }

    #[test]
    fn the_name_and_type_default_from_the_source() {
        let c = config(&[("source", text("docs/Übersicht 2024.PDF"))]);
        assert_eq!(effective_name(&c).as_deref(), Some("Übersicht 2024.PDF"));
        assert_eq!(
            effective_content_type(&c).unwrap().unwrap(),
            "application/pdf"
        );
        let c = config(&[
            ("source", text("notes.md")),
            ("content_type", text("text/plain")),
            ("name", text("notes.txt")),
        ]);
        assert_eq!(effective_name(&c).as_deref(), Some("notes.txt"));
        assert_eq!(effective_content_type(&c).unwrap().unwrap(), "text/plain");
        assert!(check_config(&c).is_empty());
        let c = config(&[("source", Value::Unknown)]);
        assert_eq!(effective_name(&c), None);
        assert!(effective_content_type(&c).is_none());
    }

    #[test]
    fn a_markdown_source_without_a_type_is_an_error_at_source() {
        let c = config(&[("source", text("docs/guide.md"))]);
        let d = check_config(&c).into_vec();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].is_error());
        assert!(
            d[0].detail.contains("content_type = \"text/plain\""),
            "{}",
            d[0].detail
        );
        assert_eq!(d[0].attribute, Some(source_path()));
        let c = config(&[("source", text("a.txt")), ("name", text("a\nb.txt"))]);
        let d = check_config(&c).into_vec();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].attribute, Some(AttributePath::attribute("name")));
        let c = config(&[("source", text("a.txt")), ("content_type", text("plain"))]);
        let d = check_config(&c).into_vec();
        assert_eq!(
            d[0].attribute,
            Some(AttributePath::attribute("content_type"))
        );
    }

    #[test]
    fn a_listed_files_placeholder_source_is_one_error_naming_the_file() {
        let placeholder = source_placeholder("Übersicht <2024>.md");
        assert_eq!(placeholder_name(&placeholder), Some("Übersicht <2024>.md"));
        assert_eq!(placeholder_name("docs/handbook.pdf"), None);
        // With `name` and `content_type` as `terraform query` writes them.
        let c = config(&[
            ("source", text(&placeholder)),
            ("name", text("Übersicht <2024>.md")),
        ]);
        let d = check_config(&c).into_vec();
        assert_eq!(d.len(), 1, "no other finding about the placeholder: {d:?}");
        assert!(d[0].is_error());
        assert_eq!(d[0].attribute, Some(source_path()));
        assert!(
            d[0].detail.contains("Übersicht <2024>.md"),
            "{}",
            d[0].detail
        );
        assert!(d[0].detail.contains("path.module"), "{}", d[0].detail);
        assert!(effective_content_type(&c).is_none());
    }

    #[test]
    fn graph_ids_keep_the_empty_form_state_had() {
        assert_eq!(graph_ids_value(&[], &Value::set([])), Value::set([]));
        assert_eq!(graph_ids_value(&[], &Value::Null), Value::Null);
        assert_eq!(
            graph_ids_value(&["g".into()], &Value::Null),
            Value::set([text("g")])
        );
    }
}
