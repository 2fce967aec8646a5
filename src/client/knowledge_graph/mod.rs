//! Writer's published Knowledge Graph API: typed calls for graphs, files and
//! an application's graphs, on the client's transport (auth, retries,
//! deadlines, error parsing).
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

mod model;

use std::collections::HashSet;

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::error::{Error, Problem, WriteError};
use super::send::{Answer, Call, Deadline};
use super::Client;

pub use model::{
    ApplicationGraphs, File, FileFilter, FileStatus, Graph, GraphFields, GraphUrl, NewUrl,
    UrlStatus,
};
use model::{FileRef, Listed, Page};

/// Writer's largest page.
const PAGE_SIZE: u32 = 100;
/// The most pages one walk may take: 100 000 items at Writer's page size,
/// far beyond any organization's graphs or files, and the end of a server
/// that pages forever.
pub const MAX_PAGES: usize = 1_000;
/// The most body bytes one walk may read over all its pages (a file is
/// about 300 bytes, a graph with URLs a few KB).
const MAX_WALK_BYTES: usize = 64 * 1024 * 1024;

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

impl Client {
    /// `<base>/v1/<segments...>`, each segment one encoded path segment, or
    /// `None` when a segment is an ID no URL path can carry (empty, `.`,
    /// `..`): nothing has such an ID.
    fn v1_url(&self, segments: &[&str]) -> Option<url::Url> {
        if segments
            .iter()
            .any(|s| s.is_empty() || *s == "." || *s == "..")
        {
            return None;
        }
        let mut url = self.inner.apps_url.clone();
        {
            let mut path = url.path_segments_mut().ok()?;
            // `apps_url` is `<base>/v1/oauth-apps`.
            path.pop();
            path.extend(segments);
        }
        Some(url)
    }

    // ---- graphs ----

    /// Creates a graph (Writer makes it `manual`). Sent once: without an
    /// idempotency key, a create whose answer is lost may have made a graph,
    /// and only looking can tell.
    pub async fn create_graph(&self, fields: &GraphFields) -> Result<Graph, WriteError> {
        let url = self.v1_url(&["graphs"]).ok_or_else(no_url)?;
        let body = fields.body();
        let answer = self
            .inner
            .sender
            .send_write(
                &write(Method::POST, url, Some(&body), false),
                self.deadline(),
            )
            .await?;
        written(answer, None)
    }

    /// The graph, or `None` when Writer has none with this ID (or hides it:
    /// a graph deployed to one team is invisible to the API).
    pub async fn get_graph(&self, id: &str) -> Result<Option<Graph>, Error> {
        let Some(url) = self.v1_url(&["graphs", id]) else {
            return Ok(None);
        };
        let answer = self.inner.sender.send(&read(url), self.deadline()).await?;
        if answer.status == 404 {
            return Ok(None);
        }
        Ok(Some(written(answer, Some(id))?))
    }

    /// Changes the fields set (`PUT`: absent fields are unchanged, `urls`
    /// replaces the whole list). Safe to repeat.
    pub async fn update_graph(&self, id: &str, fields: &GraphFields) -> Result<Graph, WriteError> {
        let url = self
            .v1_url(&["graphs", id])
            .ok_or_else(|| WriteError::not_done(not_found("no Knowledge Graph with this ID")))?;
        let body = fields.body();
        let answer = self
            .inner
            .sender
            .send_write(&write(Method::PUT, url, Some(&body), true), self.deadline())
            .await?;
        written(answer, Some(id))
    }

    /// Deletes the graph; one that does not exist counts as deleted.
    pub async fn delete_graph(&self, id: &str) -> Result<(), WriteError> {
        let Some(url) = self.v1_url(&["graphs", id]) else {
            return Ok(());
        };
        self.delete(url).await
    }

    /// Calls `keep_going` with every graph, page by page, until it returns
    /// false or the list ends; one deadline for the whole walk.
    pub async fn each_graph(
        &self,
        order: Order,
        keep_going: impl FnMut(Graph) -> bool,
    ) -> Result<(), Error> {
        let url = self.v1_url(&["graphs"]).ok_or_else(no_url)?;
        self.walk(url, &[], order, keep_going).await
    }

    /// Adds the file to the graph. A `POST`, so not repeated after an
    /// attempt that may have reached Writer; "already in the graph" (409)
    /// counts as done.
    pub async fn add_file_to_graph(&self, graph_id: &str, file_id: &str) -> Result<(), WriteError> {
        let url = self
            .v1_url(&["graphs", graph_id, "file"])
            .ok_or_else(|| WriteError::not_done(not_found("no Knowledge Graph with this ID")))?;
        let body = serde_json::to_vec(&FileRef { file_id }).unwrap_or_default();
        let answer = self
            .inner
            .sender
            .send_write(
                &write(Method::POST, url, Some(&body), false),
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
        let Some(url) = self.v1_url(&["graphs", graph_id, "file", file_id]) else {
            return Ok(());
        };
        self.delete(url).await
    }

    // ---- files ----

    /// The file, or `None` when Writer has none with this ID.
    pub async fn get_file(&self, id: &str) -> Result<Option<File>, Error> {
        let Some(url) = self.v1_url(&["files", id]) else {
            return Ok(None);
        };
        let answer = self.inner.sender.send(&read(url), self.deadline()).await?;
        if answer.status == 404 {
            return Ok(None);
        }
        Ok(Some(written(answer, Some(id))?))
    }

    /// Deletes the file for good; one that does not exist counts as deleted.
    pub async fn delete_file(&self, id: &str) -> Result<(), WriteError> {
        let Some(url) = self.v1_url(&["files", id]) else {
            return Ok(());
        };
        self.delete(url).await
    }

    /// Calls `keep_going` with every file matching `filter`, page by page.
    pub async fn each_file(
        &self,
        filter: &FileFilter,
        order: Order,
        keep_going: impl FnMut(File) -> bool,
    ) -> Result<(), Error> {
        let url = self.v1_url(&["files"]).ok_or_else(no_url)?;
        let mut query = Vec::new();
        if let Some(graph) = &filter.graph_id {
            query.push(("graph_id", graph.as_str()));
        }
        if let Some(status) = &filter.status {
            query.push(("status", status.as_str()));
        }
        self.walk(url, &query, order, keep_going).await
    }

    // ---- an application's graphs ----

    /// The graphs a no-code chat agent answers from, or `None` when Writer
    /// knows no such application (or it is not a chat agent).
    pub async fn get_application_graphs(&self, app_id: &str) -> Result<Option<Vec<String>>, Error> {
        let Some(url) = self.v1_url(&["applications", app_id, "graphs"]) else {
            return Ok(None);
        };
        let answer = self.inner.sender.send(&read(url), self.deadline()).await?;
        if answer.status == 404 {
            return Ok(None);
        }
        let graphs: ApplicationGraphs = written(answer, None)?;
        Ok(Some(graphs.graph_ids))
    }

    /// Replaces the application's whole list of graphs (`[]` empties it).
    /// A `PUT`: safe to repeat.
    pub async fn set_application_graphs(
        &self,
        app_id: &str,
        graph_ids: &[String],
    ) -> Result<Vec<String>, WriteError> {
        let url = self
            .v1_url(&["applications", app_id, "graphs"])
            .ok_or_else(|| WriteError::not_done(not_found("no application with this ID")))?;
        let body = serde_json::to_vec(&ApplicationGraphs {
            graph_ids: graph_ids.to_vec(),
        })
        .unwrap_or_default();
        let answer = self
            .inner
            .sender
            .send_write(&write(Method::PUT, url, Some(&body), true), self.deadline())
            .await?;
        let graphs: ApplicationGraphs = written(answer, None)?;
        Ok(graphs.graph_ids)
    }

    // ---- shared ----

    async fn delete(&self, url: url::Url) -> Result<(), WriteError> {
        let answer = self
            .inner
            .sender
            .send_write(&write(Method::DELETE, url, None, true), self.deadline())
            .await?;
        if answer.is_success() || answer.status == 404 {
            Ok(())
        } else {
            Err(answer.into_write_error())
        }
    }

    /// Every item of the list at `url`, page by page (after the last item's
    /// ID), until `keep_going` says stop or the list ends. Bounded by one
    /// deadline, [`MAX_PAGES`] pages and a byte budget; a page that says
    /// there is more but gives no new last item is an error.
    async fn walk<T: DeserializeOwned + Listed>(
        &self,
        url: url::Url,
        query: &[(&str, &str)],
        order: Order,
        mut keep_going: impl FnMut(T) -> bool,
    ) -> Result<(), Error> {
        let deadline: Deadline = self.deadline();
        let mut after: Option<String> = None;
        let mut cursors = HashSet::new();
        let mut bytes = 0usize;
        for _ in 0..MAX_PAGES {
            let mut page_url = url.clone();
            {
                let mut q = page_url.query_pairs_mut();
                for (k, v) in query {
                    q.append_pair(k, v);
                }
                q.append_pair("limit", &PAGE_SIZE.to_string());
                q.append_pair("order", order.as_str());
                if let Some(after) = &after {
                    q.append_pair("after", after);
                }
            }
            let answer = self.inner.sender.send(&read(page_url), deadline).await?;
            if !answer.is_success() {
                return Err(answer.into_error());
            }
            bytes += answer.body.len();
            if bytes > MAX_WALK_BYTES {
                return Err(bad_list(
                    &answer,
                    &format!("its pages hold more than {MAX_WALK_BYTES} bytes"),
                ));
            }
            let page: Page<T> = answer.json()?;
            let last = page.data.last().map(|item| item.id().to_owned());
            for item in page.data {
                if !keep_going(item) {
                    return Ok(());
                }
            }
            if !page.has_more {
                return Ok(());
            }
            match last {
                Some(last) if cursors.insert(last.clone()) => after = Some(last),
                _ => {
                    return Err(bad_list(
                        &answer,
                        "it says it has more, but its last item does not move on",
                    ))
                }
            }
        }
        Err(Error::BadResponse {
            status: 200,
            reason: format!("the list did not end after {MAX_PAGES} pages"),
            request_id: None,
        })
    }
}

fn read(url: url::Url) -> Call<'static> {
    Call {
        method: Method::GET,
        url,
        body: None,
        headers: Vec::new(),
        safe: true,
        secret: None,
        finish_if_cancelled: false,
    }
}

/// A write: once sent, finished even when the call is cancelled (its answer
/// says what happened). `safe`: repeating it cannot do it twice.
fn write(method: Method, url: url::Url, body: Option<&[u8]>, safe: bool) -> Call<'_> {
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

/// A successful answer's JSON, about the object `asked` if given (an answer
/// about another object is not taken for it); a failure's error.
fn written<T: DeserializeOwned + MaybeListed>(
    answer: Answer,
    asked: Option<&str>,
) -> Result<T, WriteError> {
    if !answer.is_success() {
        return Err(answer.into_write_error());
    }
    let value: T = answer.write_json()?;
    if let (Some(asked), Some(got)) = (asked, value.listed_id()) {
        if asked != got {
            return Err(WriteError {
                error: Error::BadResponse {
                    status: answer.status,
                    reason: format!(
                        "it describes `{}`, not `{}` that was asked for",
                        short(got),
                        short(asked)
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

/// An ID from the server, short and printable enough for a message.
fn short(id: &str) -> String {
    let shown: String = id
        .chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if id.chars().count() > 64 {
        format!("{shown}…")
    } else {
        shown
    }
}

fn not_found(what: &str) -> Error {
    Error::NotFound {
        problem: Box::new(Problem {
            status: 404,
            description: Some(what.to_owned()),
            ..Problem::default()
        }),
    }
}

fn no_url() -> WriteError {
    WriteError::not_done(Error::InvalidConfig {
        reason: "the base URL cannot have a path".to_owned(),
    })
}

fn bad_list(answer: &Answer, why: &str) -> Error {
    Error::BadResponse {
        status: answer.status,
        reason: format!("the list cannot be read to its end: {why}"),
        request_id: answer.request_id.clone(),
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
        let at = |s: &[&str]| c.v1_url(s).map(|u| u.to_string());
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
}
