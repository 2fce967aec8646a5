//! The Knowledge Graph routes: each handler reads and checks its request
//! (streaming an upload to disk) before it takes the state lock once for one
//! `KgStore` operation; the answer is built from what that operation returns.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::files::{upload_headers, FileDir};
use super::page;
use super::processing::Outcome;
use super::settings::Settings;
use super::store::{GraphChange, KgStore, StoredFile, UrlType, MAX_TEXT_CHARS};
use crate::emulator::errors::{ApiError, ErrorItem};
use crate::emulator::server::lose;
use crate::emulator::state::Family;

/// JSON bodies of this family are small; anything far larger is a mistake.
const MAX_JSON_BYTES: usize = 1024 * 1024;

/// What the handlers share: the family's state (saved with the other
/// families' in the state file), the files' bytes and the settings.
pub(crate) struct Kg {
    family: Arc<Family<KgStore>>,
    files: FileDir,
    settings: Settings,
    /// Uploads still to be cut off before they are stored.
    cuts_left: AtomicU32,
    /// Uploads still to be stored and left unanswered.
    drops_left: AtomicU32,
}

impl Kg {
    pub(crate) fn new(family: Arc<Family<KgStore>>, files: FileDir, settings: Settings) -> Self {
        let faults = &settings.upload_faults;
        let (cuts_left, drops_left) = (
            AtomicU32::new(faults.cut),
            AtomicU32::new(faults.drop_answers),
        );
        Self {
            family,
            files,
            settings,
            cuts_left,
            drops_left,
        }
    }

    fn delay_ms(&self) -> i64 {
        i64::try_from(self.settings.processing_delay.as_millis()).unwrap_or(i64::MAX)
    }

    fn read<R>(&self, op: impl FnOnce(&KgStore, i64, i64) -> R) -> R {
        let (now, delay) = (Now::get().ms, self.delay_ms());
        self.family.read(|store| op(store, now, delay))
    }

    async fn change<R>(
        &self,
        op: impl FnOnce(&mut KgStore, i64, i64) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let (now, delay) = (Now::get().ms, self.delay_ms());
        self.family.mutate(|store| op(store, now, delay)).await?
    }
}

/// The time now, as Writer shows it and in Unix milliseconds.
pub(crate) struct Now {
    pub(crate) text: String,
    pub(crate) ms: i64,
}

impl Now {
    pub(crate) fn get() -> Self {
        let now = OffsetDateTime::now_utc();
        let now = now
            .replace_nanosecond(now.millisecond() as u32 * 1_000_000)
            .unwrap_or(now);
        Self {
            text: now.format(&Rfc3339).unwrap_or_default(),
            ms: i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(0),
        }
    }
}

pub(crate) fn router(kg: Arc<Kg>) -> Router {
    Router::new()
        .route("/v1/graphs", get(list_graphs).post(create_graph))
        .route(
            "/v1/graphs/{id}",
            get(get_graph).put(update_graph).delete(delete_graph),
        )
        .route("/v1/graphs/{id}/file", post(add_file_to_graph))
        .route(
            "/v1/graphs/{id}/file/{file_id}",
            delete(remove_file_from_graph),
        )
        .route("/v1/files", get(list_files).post(upload))
        .route("/v1/files/retry", post(retry_files))
        .route("/v1/files/{id}", get(get_file).delete(delete_file))
        .route("/v1/files/{id}/download", get(download))
        .route(
            "/v1/applications/{id}/graphs",
            get(agent_graphs).put(set_agent_graphs),
        )
        .with_state(kg)
}

type Id = Result<Path<String>, PathRejection>;
type Ids = Result<Path<(String, String)>, PathRejection>;

fn not_found() -> ApiError {
    ApiError::not_found("route.not_found", "no such object")
}

/// IDs are opaque: one that cannot even be decoded names nothing.
fn id(path: Id) -> Result<String, ApiError> {
    path.map(|Path(id)| id).map_err(|_| not_found())
}

fn bad(key: &'static str, field: &str, description: String) -> ApiError {
    ApiError::bad_request(ErrorItem::field(key, field, description))
}

/// The body as a JSON object.
async fn object(body: Body) -> Result<Map<String, Value>, ApiError> {
    let bytes =
        axum::body::to_bytes(body, MAX_JSON_BYTES)
            .await
            .map_err(|_| {
                ApiError::bad_request(ErrorItem::new(
            "request.body_unreadable",
            format!("the request body could not be read or is larger than {MAX_JSON_BYTES} bytes"),
        ))
            })?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request(ErrorItem::new(
            "request.not_an_object",
            "the request body must be a JSON object",
        ))),
        Err(_) => Err(ApiError::bad_request(ErrorItem::new(
            "request.invalid_json",
            "the request body is not valid JSON",
        ))),
    }
}

/// An optional string field of at most `max` characters (`null` is absent).
fn text(body: &Map<String, Value>, field: &str, max: usize) -> Result<Option<String>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(bad(
            "graph.field.too_long",
            field,
            format!("{field} must be at most {max} characters"),
        )),
        Some(_) => Err(bad(
            "request.invalid_type",
            field,
            format!("{field} must be a string"),
        )),
    }
}

/// A required array of strings.
fn strings(body: &Map<String, Value>, field: &str) -> Result<Vec<String>, ApiError> {
    let wrong = || {
        bad(
            "request.invalid_type",
            field,
            format!("{field} must be an array of strings"),
        )
    };
    match body.get(field) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(wrong))
            .collect(),
        None | Some(Value::Null) => Err(bad(
            "request.missing_field",
            field,
            format!("{field} is required"),
        )),
        Some(_) => Err(wrong()),
    }
}

fn graph_change(body: &Map<String, Value>, with_urls: bool) -> Result<GraphChange, ApiError> {
    let mut change = GraphChange {
        name: text(body, "name", MAX_TEXT_CHARS)?,
        description: text(body, "description", MAX_TEXT_CHARS)?,
        urls: None,
    };
    if !with_urls {
        return Ok(change);
    }
    let urls = match body.get("urls") {
        None | Some(Value::Null) => return Ok(change),
        Some(Value::Array(urls)) => urls,
        Some(_) => {
            return Err(bad(
                "request.invalid_type",
                "urls",
                "urls must be an array".into(),
            ))
        }
    };
    let mut parsed = Vec::with_capacity(urls.len());
    for (i, url) in urls.iter().enumerate() {
        let field = format!("urls[{i}]");
        let Some(url) = url.as_object() else {
            return Err(bad(
                "request.invalid_type",
                &field,
                format!("{field} must be an object"),
            ));
        };
        let address = url.get("url").and_then(Value::as_str).ok_or_else(|| {
            bad(
                "graph.url.invalid",
                &format!("{field}.url"),
                format!("{field}.url must be a string"),
            )
        })?;
        let kind = url
            .get("type")
            .and_then(Value::as_str)
            .and_then(UrlType::parse)
            .ok_or_else(|| {
                bad(
                    "graph.url.type.invalid",
                    &format!("{field}.type"),
                    format!("{field}.type must be single_page or sub_pages"),
                )
            })?;
        let exclude = match url.get("exclude_urls") {
            None | Some(Value::Null) => None,
            Some(_) => Some(strings(url, "exclude_urls").map_err(|_| {
                bad(
                    "request.invalid_type",
                    &format!("{field}.exclude_urls"),
                    format!("{field}.exclude_urls must be an array of strings"),
                )
            })?),
        };
        parsed.push((address.to_owned(), kind, exclude));
    }
    change.urls = Some(parsed);
    Ok(change)
}

// ------------------------------------------------------------- graphs --

async fn create_graph(State(kg): State<Arc<Kg>>, body: Body) -> Result<Json<Value>, ApiError> {
    let change = graph_change(&object(body).await?, false)?;
    let id = uuid::Uuid::new_v4().to_string();
    let now = Now::get().text;
    let view = kg
        .change(|store, _, _| Ok(store.create_graph(change, id, &now)))
        .await?;
    Ok(Json(view))
}

async fn list_graphs(
    State(kg): State<Arc<Kg>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let (query, _) = page::parse(query.as_deref(), false)?;
    Ok(Json(kg.read(|store, now, delay| {
        store.list_graphs(&query, now, delay)
    })?))
}

async fn get_graph(State(kg): State<Arc<Kg>>, path: Id) -> Result<Json<Value>, ApiError> {
    let id = id(path)?;
    Ok(Json(kg.read(|store, now, delay| {
        store.get_graph(&id, now, delay)
    })?))
}

async fn update_graph(
    State(kg): State<Arc<Kg>>,
    path: Id,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let id = id(path)?;
    let change = graph_change(&object(body).await?, true)?;
    Ok(Json(
        kg.change(|store, now, delay| store.update_graph(&id, change, now, delay))
            .await?,
    ))
}

async fn delete_graph(State(kg): State<Arc<Kg>>, path: Id) -> Result<Json<Value>, ApiError> {
    let id = id(path)?;
    Ok(Json(
        kg.change(|store, _, _| store.delete_graph(&id)).await?,
    ))
}

async fn add_file_to_graph(
    State(kg): State<Arc<Kg>>,
    path: Id,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let graph_id = id(path)?;
    let body = object(body).await?;
    let file_id = match body.get("file_id") {
        Some(Value::String(s)) => s.clone(),
        _ => {
            return Err(bad(
                "request.missing_field",
                "file_id",
                "file_id (a string) is required".into(),
            ))
        }
    };
    Ok(Json(
        kg.change(|store, now, delay| store.add_file_to_graph(&graph_id, &file_id, now, delay))
            .await?,
    ))
}

async fn remove_file_from_graph(
    State(kg): State<Arc<Kg>>,
    path: Ids,
) -> Result<Json<Value>, ApiError> {
    let Path((graph_id, file_id)) = path.map_err(|_| not_found())?;
    Ok(Json(
        kg.change(|store, _, _| store.remove_file_from_graph(&graph_id, &file_id))
            .await?,
    ))
}

// -------------------------------------------------------------- files --

/// Takes one from `left` if any is left: whether this request gets the fault.
fn take_one(left: &AtomicU32) -> bool {
    left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

async fn upload(
    State(kg): State<Arc<Kg>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    if take_one(&kg.cuts_left) {
        tracing::info!("upload cut off before it was stored (--cut-uploads)");
        return Ok(lose(().into_response()));
    }
    let stored = store_upload(&kg, query, &headers, body).await?;
    if take_one(&kg.drops_left) {
        tracing::info!("upload stored, its answer lost (--drop-upload-answers)");
        return Ok(lose(stored.into_response()));
    }
    Ok(stored.into_response())
}

async fn store_upload(
    kg: &Kg,
    query: Option<String>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let limit = kg.settings.max_file_bytes;
    let graph_id = url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "graphId")
        .map(|(_, v)| v.into_owned());
    let (name, content_type) = upload_headers(headers, limit)?;
    // Checked before the bytes are read, and again when the file is recorded.
    if let Some(graph_id) = &graph_id {
        kg.read(|store, _, _| store.upload_graph(graph_id))?;
    }
    let id = uuid::Uuid::new_v4().to_string();
    let size = kg
        .files
        .receive(&id, body, limit, &kg.settings.upload_faults)
        .await?;
    let now = Now::get();
    let file = StoredFile {
        id: id.clone(),
        seq: 0,
        created_at: now.text,
        name,
        content_type,
        size,
        graph_ids: Vec::new(),
        processing_ms: now.ms,
        outcome: Outcome::draw(kg.settings.file_fail_rate),
    };
    let recorded = kg
        .change(|store, _, _| store.add_file(file, graph_id.as_deref()))
        .await;
    if recorded.is_err() {
        kg.files.remove(&id).await;
    }
    Ok(Json(recorded?))
}

async fn list_files(
    State(kg): State<Arc<Kg>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let (query, filter) = page::parse(query.as_deref(), true)?;
    Ok(Json(kg.read(|store, now, delay| {
        store.list_files(&query, &filter, now, delay)
    })?))
}

async fn get_file(State(kg): State<Arc<Kg>>, path: Id) -> Result<Json<Value>, ApiError> {
    let id = id(path)?;
    Ok(Json(kg.read(|store, now, delay| {
        store.get_file(&id, now, delay)
    })?))
}

async fn delete_file(State(kg): State<Arc<Kg>>, path: Id) -> Result<Json<Value>, ApiError> {
    let id = id(path)?;
    let view = kg.change(|store, _, _| store.delete_file(&id)).await?;
    kg.files.remove(&id).await;
    Ok(Json(view))
}

async fn retry_files(State(kg): State<Arc<Kg>>, body: Body) -> Result<Json<Value>, ApiError> {
    let ids = strings(&object(body).await?, "file_ids")?;
    let rate = kg.settings.file_fail_rate;
    Ok(Json(
        kg.change(|store, now, delay| store.retry_files(&ids, now, delay, || Outcome::draw(rate)))
            .await?,
    ))
}

async fn download(State(kg): State<Arc<Kg>>, path: Id) -> Result<Response, ApiError> {
    let id = id(path)?;
    let (content_type, size) = kg.read(|store, _, _| store.file_meta(&id))?;
    let body = kg.files.send(&id).await.map_err(|e| {
        tracing::error!("cannot read a stored file: {e}");
        ApiError::internal("the emulator could not read the file's bytes")
    })?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    Ok(response)
}

// ------------------------------------------------------------- agents --

async fn agent_graphs(State(kg): State<Arc<Kg>>, path: Id) -> Result<Json<Value>, ApiError> {
    let id = id(path)?;
    Ok(Json(kg.read(|store, _, _| store.agent_graphs(&id))?))
}

async fn set_agent_graphs(
    State(kg): State<Arc<Kg>>,
    path: Id,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let id = id(path)?;
    let ids = strings(&object(body).await?, "graph_ids")?;
    Ok(Json(
        kg.change(|store, _, _| store.set_agent_graphs(&id, ids))
            .await?,
    ))
}
