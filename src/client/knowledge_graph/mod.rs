//! Writer's published Knowledge Graph API: typed calls for graphs, files and
//! an application's graphs, on the client's family-agnostic transport
//! (`transport`: auth, retries, deadlines, error parsing; `pages`: cursor
//! pages; `body`: a file streamed from disk).
//!
//! Writer's conventions, as published: 200 for every success, creates
//! included; no idempotency key anywhere, so a `POST` (a create, an upload,
//! adding a file to a graph) is never repeated after an attempt that may
//! have reached Writer (only after one that provably did not: no
//! connection, a 429), while reads, `PUT` and `DELETE` are repeated freely;
//! `PUT` replaces whole lists (`urls`, an application's `graph_ids`); lists
//! are cursor pages of at most 100, the next asked for after the last
//! item's ID, every walk bounded in pages, items and bytes so that a server
//! answering `has_more: true` forever ends in an error.
//!
//! An upload's time bounds grow with its size: each attempt may take
//! `request_timeout` plus the file's size at [`UPLOAD_BYTES_PER_SECOND`],
//! and the operation's bound (`retry_timeout`) grows by the same
//! ([`upload_allowance`]). A download is hashed as it arrives, never held
//! in memory: at most [`MAX_DOWNLOAD_BYTES`], its body within
//! `request_timeout` plus its size at the same rate.

mod model;

use std::path::Path;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue, CONTENT_DISPOSITION};
use reqwest::Method;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::body::Body;
use super::error::{Error, WriteError};
use super::pages::{Page, Walk};
use super::send::{Answer, Call, Sink};
use super::transport::{get, quote_id, Client};

pub use model::{
    ApplicationGraphs, File, FileFilter, FileStatus, Graph, GraphFields, GraphUrl, NewUrl,
    UrlStatus,
};
use model::{FileRef, Listed};

/// The most pages one walk may take: 100 000 items at Writer's page size,
/// far beyond any organization's graphs or files, and the end of a server
/// that pages forever.
pub const MAX_PAGES: usize = 1_000;
/// The most body bytes one walk may read over all its pages (a file is
/// about 300 bytes, a graph with URLs a few KB).
const MAX_WALK_BYTES: usize = 64 * 1024 * 1024;

const GRAPHS: Walk<'static> = Walk {
    max_items: MAX_PAGES * 100,
    max_pages: MAX_PAGES,
    max_bytes: MAX_WALK_BYTES,
    longer_than: "any organization's Knowledge Graphs",
    items: "graphs",
    null_data_is_empty: true,
};

const FILES: Walk<'static> = Walk {
    max_items: MAX_PAGES * 100,
    max_pages: MAX_PAGES,
    max_bytes: MAX_WALK_BYTES,
    longer_than: "any organization's files",
    items: "files",
    null_data_is_empty: true,
};

/// The slowest upload the time bounds allow for: 1 MiB a second. A file's
/// upload may take this much longer than `request_timeout`.
pub const UPLOAD_BYTES_PER_SECOND: u64 = 1024 * 1024;

/// How much longer than the ordinary bounds an upload of `length` bytes
/// may take, per attempt and per operation: its size at
/// [`UPLOAD_BYTES_PER_SECOND`].
pub fn upload_allowance(length: u64) -> Duration {
    Duration::from_secs_f64(length as f64 / UPLOAD_BYTES_PER_SECOND as f64)
}

/// The largest file a download reads (1 GiB): one larger ends in an error,
/// and its time bound at [`UPLOAD_BYTES_PER_SECOND`] is about 17 minutes.
pub const MAX_DOWNLOAD_BYTES: u64 = 1024 * 1024 * 1024;

/// What a download gave: the bytes' count and SHA-256 (lower-case hex).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Downloaded {
    pub length: u64,
    pub sha256: String,
}

/// A download's body, hashed as it arrives.
struct Hashing {
    hasher: Sha256,
    length: u64,
}

impl Sink for Hashing {
    fn restart(&mut self) {
        self.hasher = Sha256::new();
        self.length = 0;
    }

    fn take(&mut self, chunk: &[u8]) {
        self.hasher.update(chunk);
        self.length += chunk.len() as u64;
    }

    fn max_bytes(&self) -> u64 {
        MAX_DOWNLOAD_BYTES
    }

    fn allowance(&self, length: u64) -> Duration {
        upload_allowance(length)
    }
}

/// The time bounds of one upload: the ordinary ones, and what its size
/// adds to each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadBounds {
    /// The provider's `request_timeout`: any one request.
    pub request_timeout: Duration,
    /// The provider's `retry_timeout`: one operation, all its calls.
    pub retry_timeout: Duration,
    /// [`upload_allowance`] of the file's size, added to both.
    pub allowance: Duration,
}

impl UploadBounds {
    /// How long one attempt of the upload may take.
    pub fn per_request(&self) -> Duration {
        self.request_timeout.saturating_add(self.allowance)
    }

    /// How long the upload's operation may take.
    pub fn per_operation(&self) -> Duration {
        self.retry_timeout.saturating_add(self.allowance)
    }
}

/// Which end of the list comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Oldest first: what is created while paging lands on the last page.
    Oldest,
    /// Newest first: a search for something just made ends early.
    Newest,
}

impl Order {
    fn as_str(self) -> &'static str {
        match self {
            Order::Oldest => "asc",
            Order::Newest => "desc",
        }
    }
}

/// A local file to upload, and how Writer is told about it.
#[derive(Clone, Copy, Debug)]
pub struct Upload<'a> {
    pub path: &'a Path,
    /// Its size, as sent in `Content-Length`; a file shorter when read
    /// fails the upload.
    pub length: u64,
    pub content_type: &'a str,
    /// The whole `Content-Disposition` value, naming the file.
    pub content_disposition: &'a str,
    /// The graph to add it to, if any (`graphId`).
    pub graph_id: Option<&'a str>,
}

impl Client {
    // ---- graphs ----

    /// Creates a graph (Writer makes it `manual`). Sent once: without an
    /// idempotency key, a create whose answer is lost may have made a graph,
    /// and only looking can tell.
    pub async fn create_graph(&self, fields: &GraphFields) -> Result<Graph, WriteError> {
        let body = fields.body();
        let url = self.url(&["v1", "graphs"]);
        let answer = self
            .sender()
            .send_write(
                &write(Method::POST, url, Body::Json(&body), false),
                self.deadline(),
            )
            .await?;
        written(answer, None)
    }

    /// The graph, or `None` when Writer has none with this ID (or hides it:
    /// a graph deployed to one team is invisible to the API).
    pub async fn get_graph(&self, id: &str) -> Result<Option<Graph>, Error> {
        self.read(&["graphs", id], Some(id)).await
    }

    /// Changes the fields set (`PUT`: absent fields are unchanged, `urls`
    /// replaces the whole list). Safe to repeat.
    pub async fn update_graph(&self, id: &str, fields: &GraphFields) -> Result<Graph, WriteError> {
        self.put(&["graphs", id], &fields.body(), Some(id)).await
    }

    /// Deletes the graph; one that does not exist counts as deleted.
    pub async fn delete_graph(&self, id: &str) -> Result<(), WriteError> {
        self.delete(&["graphs", id]).await
    }

    /// Calls `keep_going` with every graph, page by page, until it returns
    /// false or the list ends; one deadline for the whole walk.
    pub async fn each_graph(
        &self,
        order: Order,
        mut keep_going: impl FnMut(Graph) -> bool,
    ) -> Result<(), Error> {
        let url = self.url(&["v1", "graphs"]);
        self.each_item(
            &GRAPHS,
            |after| self.graph_page_url(&url, &[], order, after),
            last_item_id,
            |graph, _| Ok(keep_going(graph)),
        )
        .await
    }

    /// Adds the file to the graph. A `POST`, so not repeated after an
    /// attempt that may have reached Writer; "already in the graph" (409)
    /// counts as done.
    pub async fn add_file_to_graph(&self, graph_id: &str, file_id: &str) -> Result<(), WriteError> {
        let url = self
            .v1_url(&["graphs", graph_id, "file"])
            .map_err(WriteError::not_done)?;
        let body = serde_json::to_vec(&FileRef { file_id }).unwrap_or_default();
        let answer = self
            .sender()
            .send_write(
                &write(Method::POST, url, Body::Json(&body), false),
                self.deadline(),
            )
            .await?;
        if answer.is_success() || answer.status == 409 {
            Ok(())
        } else {
            Err(answer.into_write_error())
        }
    }

    /// Takes the file out of the graph (the file stays in Writer); a file
    /// or graph already gone counts as done.
    pub async fn remove_file_from_graph(
        &self,
        graph_id: &str,
        file_id: &str,
    ) -> Result<(), WriteError> {
        self.delete(&["graphs", graph_id, "file", file_id]).await
    }

    // ---- files ----

    /// Uploads a file, streamed from disk (memory stays bounded whatever
    /// its size). A `POST` with no idempotency key: never repeated after an
    /// attempt that may have reached Writer. Each attempt may take
    /// `request_timeout` plus [`upload_allowance`], and the operation's
    /// bound grows by the same. Writer's answer shows no graph yet even
    /// when `graph_id` was given.
    pub async fn upload_file(&self, upload: &Upload<'_>) -> Result<File, WriteError> {
        let content_type = header(upload.content_type, "content_type")?;
        let disposition = header(upload.content_disposition, "the file name")?;
        let mut url = self.url(&["v1", "files"]);
        if let Some(graph) = upload.graph_id {
            url.query_pairs_mut().append_pair("graphId", graph);
        }
        let bounds = self.upload_bounds(upload.length);
        let allowance = bounds.allowance;
        let mut sender = self.sender().clone();
        sender.request_timeout = bounds.per_request();
        let headers: Vec<(HeaderName, HeaderValue)> = vec![(CONTENT_DISPOSITION, disposition)];
        let call = Call {
            method: Method::POST,
            url,
            body: Body::File {
                path: upload.path,
                length: upload.length,
                content_type: &content_type,
            },
            headers,
            safe: false,
            secret: None,
            finish_if_cancelled: true,
        };
        let answer = sender
            .send_write(&call, self.deadline().extended(allowance))
            .await?;
        written(answer, None)
    }

    /// The time bounds [`Client::upload_file`] gives an upload of `length`
    /// bytes with this client's settings.
    pub fn upload_bounds(&self, length: u64) -> UploadBounds {
        let sender = self.sender();
        UploadBounds {
            request_timeout: sender.request_timeout,
            retry_timeout: sender.policy.max_elapsed,
            allowance: upload_allowance(length),
        }
    }

    /// The file, or `None` when Writer has none with this ID.
    pub async fn get_file(&self, id: &str) -> Result<Option<File>, Error> {
        self.read(&["files", id], Some(id)).await
    }

    /// The length and SHA-256 of the file's bytes as Writer gives them back
    /// (`GET /v1/files/{id}/download`), streamed through the hash (memory
    /// stays small whatever the size), or `None` when Writer has no file
    /// with this ID. Bounded: at most [`MAX_DOWNLOAD_BYTES`]; the body may
    /// take `request_timeout` plus its size at [`UPLOAD_BYTES_PER_SECOND`],
    /// and must keep up that rate (each piece is due by `request_timeout`
    /// plus the allowance for the bytes before it: a stalled body ends
    /// about one `request_timeout` in); the operation's bound grows by the
    /// allowance for the largest.
    pub async fn download_file_sha256(&self, id: &str) -> Result<Option<Downloaded>, Error> {
        let Ok(url) = self.v1_url(&["files", id, "download"]) else {
            return Ok(None);
        };
        let mut hashing = Hashing {
            hasher: Sha256::new(),
            length: 0,
        };
        let deadline = self
            .deadline()
            .extended(upload_allowance(MAX_DOWNLOAD_BYTES));
        let answer = self
            .sender()
            .send_streamed(&get(url), deadline, &mut hashing)
            .await?;
        if answer.status == 404 {
            return Ok(None);
        }
        if !answer.is_success() {
            return Err(answer.into_error());
        }
        let sha256 = hashing
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Some(Downloaded {
            length: hashing.length,
            sha256,
        }))
    }

    /// Deletes the file for good; one that does not exist counts as deleted.
    pub async fn delete_file(&self, id: &str) -> Result<(), WriteError> {
        self.delete(&["files", id]).await
    }

    /// Calls `keep_going` with every file matching `filter`, page by page.
    pub async fn each_file(
        &self,
        filter: &FileFilter,
        order: Order,
        mut keep_going: impl FnMut(File) -> bool,
    ) -> Result<(), Error> {
        let url = self.url(&["v1", "files"]);
        let mut query = Vec::new();
        if let Some(graph) = &filter.graph_id {
            query.push(("graph_id", graph.as_str()));
        }
        if let Some(status) = &filter.status {
            query.push(("status", status.as_str()));
        }
        let types = filter.file_types.join(",");
        if !filter.file_types.is_empty() {
            query.push(("file_types", types.as_str()));
        }
        self.each_item(
            &FILES,
            |after| self.graph_page_url(&url, &query, order, after),
            last_item_id,
            |file, _| Ok(keep_going(file)),
        )
        .await
    }

    // ---- an application's graphs ----

    /// The graphs a no-code chat agent answers from, or `None` when Writer
    /// knows no such application (or it is not a chat agent).
    pub async fn get_application_graphs(&self, app_id: &str) -> Result<Option<Vec<String>>, Error> {
        let graphs: Option<ApplicationGraphs> =
            self.read(&["applications", app_id, "graphs"], None).await?;
        Ok(graphs.map(|g| g.graph_ids))
    }

    /// Replaces the application's whole list of graphs (`[]` empties it).
    /// A `PUT`: safe to repeat.
    pub async fn set_application_graphs(
        &self,
        app_id: &str,
        graph_ids: &[String],
    ) -> Result<Vec<String>, WriteError> {
        let body = serde_json::to_vec(&ApplicationGraphs {
            graph_ids: graph_ids.to_vec(),
        })
        .unwrap_or_default();
        let graphs: ApplicationGraphs = self
            .put(&["applications", app_id, "graphs"], &body, None)
            .await?;
        Ok(graphs.graph_ids)
    }

    // ---- shared: the shape of every call about one object ----

    /// The object at `/v1/<segments>`, or `None` when Writer has none (404)
    /// or a segment is an ID that names nothing (not asked). An answer about
    /// another object than `asked` is refused.
    async fn read<T: DeserializeOwned + MaybeListed>(
        &self,
        segments: &[&str],
        asked: Option<&str>,
    ) -> Result<Option<T>, Error> {
        let Ok(url) = self.v1_url(segments) else {
            return Ok(None);
        };
        let answer = self.sender().send(&get(url), self.deadline()).await?;
        if answer.status == 404 {
            return Ok(None);
        }
        Ok(Some(written(answer, asked)?))
    }

    /// `PUT` of the JSON `body` at `/v1/<segments>`: Writer replaces what it
    /// names (absent fields unchanged, lists whole), so it is safe to
    /// repeat. The answer, about `asked` if given.
    async fn put<T: DeserializeOwned + MaybeListed>(
        &self,
        segments: &[&str],
        body: &[u8],
        asked: Option<&str>,
    ) -> Result<T, WriteError> {
        let url = self.v1_url(segments).map_err(WriteError::not_done)?;
        let answer = self
            .sender()
            .send_write(
                &write(Method::PUT, url, Body::Json(body), true),
                self.deadline(),
            )
            .await?;
        written(answer, asked)
    }

    /// `DELETE` at `/v1/<segments>`, safe to repeat; what is already gone
    /// (404) counts as deleted. An ID that names nothing is an error.
    async fn delete(&self, segments: &[&str]) -> Result<(), WriteError> {
        let url = self.v1_url(segments).map_err(WriteError::not_done)?;
        let answer = self
            .sender()
            .send_write(
                &write(Method::DELETE, url, Body::Empty, true),
                self.deadline(),
            )
            .await?;
        if answer.is_success() || answer.status == 404 {
            Ok(())
        } else {
            Err(answer.into_write_error())
        }
    }

    /// The page of the list at `url` after the item `after` (the first
    /// page without it): the filter, Writer's largest page, the order.
    fn graph_page_url(
        &self,
        url: &url::Url,
        query: &[(&str, &str)],
        order: Order,
        after: Option<&str>,
    ) -> url::Url {
        let mut page = url.clone();
        {
            let mut q = page.query_pairs_mut();
            for (k, v) in query {
                q.append_pair(k, v);
            }
            q.append_pair("limit", &self.page_size().to_string());
            q.append_pair("order", order.as_str());
            if let Some(after) = after {
                q.append_pair("after", after);
            }
        }
        page
    }
}

/// The next page's cursor: the last item's ID, as Writer's SDK pages
/// (`last_id` is not relied on).
fn last_item_id<T: Listed>(page: &Page<T>) -> Option<String> {
    page.data.last().map(|item| item.id().to_owned())
}

/// A write: once sent, finished even when the call is cancelled (its answer
/// says what happened). `safe`: repeating it cannot do it twice.
fn write(method: Method, url: url::Url, body: Body<'_>, safe: bool) -> Call<'_> {
    Call {
        method,
        url,
        body,
        headers: Vec::new(),
        safe,
        secret: None,
        finish_if_cancelled: true,
    }
}

/// A header value the caller built; one no header can carry is refused
/// before anything is sent.
fn header(text: &str, what: &str) -> Result<HeaderValue, WriteError> {
    HeaderValue::from_str(text).map_err(|_| {
        WriteError::not_done(Error::InvalidConfig {
            reason: format!("{what} holds characters an HTTP header cannot carry"),
        })
    })
}

/// A successful answer's JSON, about the object `asked` if given (an answer
/// about another object is not taken for it); a failure's error.
fn written<T: DeserializeOwned + MaybeListed>(
    answer: Answer,
    asked: Option<&str>,
) -> Result<T, WriteError> {
    if !answer.is_success() {
        return Err(answer.into_write_error());
    }
    // A success that cannot be read leaves the outcome unknown (never
    // `Done`: these calls take no ID from an unreadable answer).
    let value: T = answer.json().map_err(|error| WriteError {
        error,
        outcome: answer.outcome(),
    })?;
    if let (Some(asked), Some(got)) = (asked, value.listed_id()) {
        if asked != got {
            return Err(WriteError {
                error: Error::BadResponse {
                    status: answer.status,
                    reason: format!(
                        "it describes `{}`, not `{}` that was asked for",
                        quote_id(got),
                        quote_id(asked)
                    ),
                    request_id: answer.request_id.clone(),
                },
                outcome: answer.outcome(),
            });
        }
    }
    Ok(value)
}

/// The ID an answer is about, where it has one.
trait MaybeListed {
    fn listed_id(&self) -> Option<&str>;
}

impl MaybeListed for Graph {
    fn listed_id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

impl MaybeListed for File {
    fn listed_id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

impl MaybeListed for ApplicationGraphs {
    fn listed_id(&self) -> Option<&str> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{ClientConfig, Secret};

    fn client(base: &str) -> Client {
        Client::new(ClientConfig::new(
            url::Url::parse(base).unwrap(),
            Secret::new("test-admin-key-not-real"),
        ))
        .unwrap()
    }

    #[test]
    fn urls_keep_a_path_prefix_and_encode_ids() {
        let c = client("https://gw.example/writer/");
        let at = |s: &[&str]| c.v1_url(s).ok().map(|u| u.to_string());
        assert_eq!(
            at(&["graphs"]).as_deref(),
            Some("https://gw.example/writer/v1/graphs")
        );
        assert_eq!(
            at(&["graphs", "a/../b?c#d", "file", "f 1"]).as_deref(),
            Some("https://gw.example/writer/v1/graphs/a%2F..%2Fb%3Fc%23d/file/f%201")
        );
        assert_eq!(at(&["files", ""]), None);
        assert_eq!(at(&["files", ".."]), None);
        assert_eq!(
            client("https://api.writer.com")
                .v1_url(&["applications", "app-1", "graphs"])
                .unwrap()
                .as_str(),
            "https://api.writer.com/v1/applications/app-1/graphs"
        );
    }

    #[test]
    fn pages_ask_for_writers_largest_page_after_the_last_item() {
        let c = client("https://api.writer.com");
        let url = c.url(&["v1", "files"]);
        assert_eq!(
            c.graph_page_url(&url, &[("graph_id", "g 1")], Order::Newest, Some("f/9"))
                .as_str(),
            "https://api.writer.com/v1/files?graph_id=g+1&limit=100&order=desc&after=f%2F9"
        );
        assert_eq!(
            c.graph_page_url(&url, &[], Order::Oldest, None).as_str(),
            "https://api.writer.com/v1/files?limit=100&order=asc"
        );
    }

    #[test]
    fn an_uploads_allowance_is_its_size_at_one_mebibyte_a_second() {
        assert_eq!(upload_allowance(0), Duration::ZERO);
        assert_eq!(upload_allowance(1024 * 1024), Duration::from_secs(1));
        assert_eq!(
            upload_allowance(256 * 1024 * 1024),
            Duration::from_secs(256)
        );
        assert_eq!(upload_allowance(512 * 1024), Duration::from_millis(500));
    }
}
