//! The Writer OAuth Apps API client (the contract is
//! `reference/writer-api.openapi.yaml`): typed calls for the five endpoints, with
//! retries of transient failures, idempotent creates and conditional updates.
//!
//! It knows nothing about Terraform and must never import the emulator: it
//! talks to whatever Writer is at the base URL. Secrets (the API key, client
//! secrets) travel in [`Secret`] and leave it only onto the wire.
//!
//! The server is untrusted input: no redirect is followed, plain `http://`
//! is refused beyond loopback unless allowed, bodies and lists are capped,
//! every operation (pages and read-backs included) ends by one deadline, and
//! what the server writes is cleaned of the secrets sent before anyone sees it.
//! A failed write says whether Writer may have carried it out ([`WriteError`]).
//!
//! Layout: [`Client`] (here) turns each operation into a `send::Call` and
//! the answer into a result; `send` runs the attempts; `retry` is the pure
//! policy it follows; `model` holds the JSON shapes; `error` the one error
//! enum; `config` the settings; `secret` the redacting wrapper; `redact`
//! removes secrets from server text; `transport_log` the HTTP stack's log
//! targets fit for the provider's log.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use tokio_util::sync::CancellationToken;

mod config;
mod error;
pub mod knowledge_graph;
mod model;
mod redact;
mod retry;
mod secret;
mod send;
mod transport_log;

pub use config::{is_loopback, ClientConfig};
pub use error::{Error, Outcome, Problem, TransportKind, WriteError};
pub use model::{CreateApp, ListFilter, NameMatch, OAuthApp, UpdateApp, Versioned};
pub use secret::Secret;
pub use transport_log::TRANSPORT_LOG_TARGETS;

use config::shown_url;
use model::{limit_hint, ListPage};
use redact::Redactor;
use retry::RetryPolicy;
use send::{Answer, Call, Deadline, Sender};

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Writer's page size limit.
const MAX_PAGE_SIZE: u32 = 100;
/// The most apps one list may hold. An organization has a handful of OAuth
/// apps per connector (one per Atlassian site, say); ten thousand is far
/// beyond any real one, and at ~1 KB an app it stays around 10 MB of memory.
pub const MAX_LISTED_APPS: usize = 10_000;
/// The most pages one list may take: `MAX_LISTED_APPS` at Writer's page size
/// is 100 pages; ten times that leaves room for a server paging in small
/// steps, and still ends a server that pages forever (empty pages included).
pub const MAX_LIST_PAGES: usize = 1_000;
/// The most body bytes one list may read over all its pages: 10 000 apps of
/// ~1.6 KB. Each page alone is already capped at 4 MiB.
const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;

/// A Writer API client. Clones share one connection pool and settings.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    sender: Sender,
    /// `<base>/v1/oauth-apps`.
    apps_url: url::Url,
    page_size: u32,
    /// Set by [`Client::for_operation`]: every call ends by it. Without it,
    /// each call has a deadline of its own.
    operation: Option<Deadline>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("apps_url", &shown_url(&self.inner.apps_url))
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let invalid = |reason: &str| Error::InvalidConfig {
            reason: reason.to_string(),
        };
        let apps_url = apps_url(&config.base_url).map_err(invalid)?;
        if config.base_url.scheme() == "http"
            && !is_loopback(&config.base_url)
            && !config.allow_insecure_http
        {
            return Err(invalid(
                "the base URL uses plain http to a host that is not loopback, which would send \
                 the API key and client secrets unencrypted; use https, or allow insecure http \
                 explicitly",
            ));
        }
        if config.api_key.expose().trim().is_empty() {
            return Err(invalid("the API key is empty"));
        }
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", config.api_key.expose()))
            .map_err(|_| invalid("the API key contains characters an HTTP header cannot carry"))?;
        auth.set_sensitive(true);
        let user_agent = HeaderValue::from_str(&config.effective_user_agent()).map_err(|_| {
            invalid("the user agent contains characters an HTTP header cannot carry")
        })?;
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, auth);
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(user_agent)
            .connect_timeout(config.request_timeout)
            // A redirect would re-send the key and the body (the client
            // secret) to wherever it points: never follow one.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| invalid(&format!("cannot set up HTTP: {}", error_chain(&e))))?;
        let sender = Sender {
            http,
            policy: RetryPolicy {
                max_attempts: config.max_attempts.max(1),
                max_elapsed: config.max_elapsed,
                initial_backoff: config.initial_backoff,
                max_backoff: config.max_backoff,
            },
            request_timeout: config.request_timeout,
            cancel: config.cancel,
            api_key: config.api_key,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                sender,
                apps_url,
                page_size: config.page_size.clamp(1, MAX_PAGE_SIZE),
                operation: None,
            }),
        })
    }

    /// This client with `change` made to its settings.
    fn changed(&self, change: impl FnOnce(&mut Inner)) -> Client {
        let mut inner = (*self.inner).clone();
        change(&mut inner);
        Client {
            inner: Arc::new(inner),
        }
    }

    /// This client (the same connection pool and settings) for one call: its
    /// requests, retries and waits stop when `cancel` is cancelled. Terraform
    /// hands every call its own handle; the provider passes it here.
    pub fn with_cancel(&self, cancel: CancellationToken) -> Client {
        self.changed(|inner| inner.sender.cancel = Some(cancel))
    }

    /// This client for one operation starting now: every call made with it
    /// (and with its [`Client::keeping`]) ends within one `max_elapsed`,
    /// retries, waits and pages included, however many calls it takes.
    pub fn for_operation(&self) -> Client {
        let deadline = self.inner.sender.deadline();
        self.changed(|inner| inner.operation = Some(deadline))
    }

    /// This client within the same operation, but ending `room` earlier
    /// (at most all of it): time kept for what the caller does next, such
    /// as looking up a create whose outcome is unknown.
    pub fn keeping(&self, room: Duration) -> Client {
        let deadline = self.deadline().keeping(room);
        self.changed(|inner| inner.operation = Some(deadline))
    }

    /// The deadline of a call starting now.
    fn deadline(&self) -> Deadline {
        self.inner
            .operation
            .unwrap_or_else(|| self.inner.sender.deadline())
    }

    /// Creates an app. A fresh idempotency key goes with every create and
    /// stays the same across its retries, so a create whose answer was lost
    /// is answered on retry with the app it made, never a second app.
    pub async fn create_app(&self, req: &CreateApp) -> Result<Versioned<OAuthApp>, WriteError> {
        let body = req.body();
        let key = uuid::Uuid::new_v4().to_string();
        let call = Call {
            method: Method::POST,
            url: self.inner.apps_url.clone(),
            body: Some(&body),
            headers: vec![(
                IDEMPOTENCY_KEY,
                header_value(&key).map_err(WriteError::not_done)?,
            )],
            safe: true,
            secret: Some(&req.client_secret),
            finish_if_cancelled: true,
        };
        let answer = self.inner.sender.send_write(&call, self.deadline()).await?;
        written(answer, Some(&req.client_secret), None)
    }

    /// The app, or `None` when Writer has no app with this ID.
    pub async fn get_app(&self, id: &str) -> Result<Option<Versioned<OAuthApp>>, Error> {
        self.get_app_by(id, self.deadline()).await
    }

    async fn get_app_by(
        &self,
        id: &str,
        deadline: Deadline,
    ) -> Result<Option<Versioned<OAuthApp>>, Error> {
        let Some(url) = self.app_url(id) else {
            return Ok(None);
        };
        let answer = self.inner.sender.send(&get(url), deadline).await?;
        if answer.status == 404 {
            return Ok(None);
        }
        Ok(Some(written(answer, None, Some(id))?))
    }

    /// Every app matching `filter`, oldest first, all pages; at most
    /// [`MAX_LISTED_APPS`] apps in [`MAX_LIST_PAGES`] pages.
    pub async fn list_apps(&self, filter: &ListFilter) -> Result<Vec<OAuthApp>, Error> {
        let mut apps = Vec::new();
        self.each_app(filter, |app| {
            apps.push(app);
            true
        })
        .await?;
        Ok(apps)
    }

    /// The apps of `connector` named `name` (ignoring case, Writer's rule),
    /// read only until the answer is decided: none, one, or more than one.
    pub async fn find_app_by_name(&self, connector: &str, name: &str) -> Result<NameMatch, Error> {
        let filter = ListFilter {
            connector: Some(connector.to_string()),
            name: Some(name.to_string()),
        };
        let mut found = Vec::new();
        self.each_app(&filter, |app| {
            // A server (or proxy) that ignores the filter is not believed.
            if filter.matches(&app) {
                found.push(app);
            }
            found.len() < 2
        })
        .await?;
        Ok(match found.len() {
            0 => NameMatch::None,
            1 => NameMatch::One(Box::new(found.remove(0))),
            _ => NameMatch::Several(found.into_iter().map(|a| a.id).collect()),
        })
    }

    /// Calls `keep_going` with every app matching `filter`, page by page,
    /// until it returns false or the list ends. The whole walk shares one
    /// deadline and is bounded in pages, apps and bytes.
    pub async fn each_app(
        &self,
        filter: &ListFilter,
        mut keep_going: impl FnMut(OAuthApp) -> bool,
    ) -> Result<(), Error> {
        let deadline = self.deadline();
        let mut after: Option<String> = None;
        let mut cursors = HashSet::new();
        let mut apps = 0usize;
        let mut bytes = 0usize;
        for _ in 0..MAX_LIST_PAGES {
            let url = self.page_url(filter, after.as_deref());
            let answer = self.inner.sender.send(&get(url), deadline).await?;
            if !answer.is_success() {
                return Err(answer.into_error());
            }
            bytes += answer.body.len();
            if bytes > MAX_LIST_BYTES {
                return Err(list_too_long(
                    &answer,
                    &format!("its pages hold more than {MAX_LIST_BYTES} bytes"),
                ));
            }
            let page: ListPage = answer.json()?;
            for app in page.data {
                apps += 1;
                if apps > MAX_LISTED_APPS {
                    return Err(list_too_long(
                        &answer,
                        &format!("it has more than {MAX_LISTED_APPS} apps"),
                    ));
                }
                if !keep_going(trusted(app, &answer.redactor, None)) {
                    return Ok(());
                }
            }
            if !page.has_more {
                return Ok(());
            }
            match page.last_id {
                Some(last) if cursors.insert(last.clone()) => after = Some(last),
                _ => return Err(endless_list(&answer)),
            }
        }
        Err(Error::BadResponse {
            status: 200,
            reason: format!("the list did not end after {MAX_LIST_PAGES} pages"),
            request_id: None,
        })
    }

    /// The URL of the page of apps matching `filter` that follows the app
    /// `after` (the first page without it).
    fn page_url(&self, filter: &ListFilter, after: Option<&str>) -> url::Url {
        let mut url = self.inner.apps_url.clone();
        {
            let mut query = url.query_pairs_mut();
            if let Some(connector) = &filter.connector {
                query.append_pair("connector", connector);
            }
            if let Some(name) = &filter.name {
                query.append_pair("name", name);
            }
            query.append_pair("limit", &self.inner.page_size.to_string());
            // Oldest first: apps created while we page land on the last page.
            query.append_pair("order", "asc");
            if let Some(after) = after {
                query.append_pair("after", after);
            }
        }
        url
    }

    /// Changes the fields set in `patch`. With `if_match` (an ETag from an
    /// earlier read), Writer refuses with 412 if the app changed since; and
    /// only then is the update retried, since a retry cannot overwrite
    /// someone else's change.
    pub async fn update_app(
        &self,
        id: &str,
        patch: &UpdateApp,
        if_match: Option<&str>,
    ) -> Result<Versioned<OAuthApp>, WriteError> {
        let not_done = WriteError::not_done;
        let Some(url) = self.app_url(id) else {
            return Err(not_done(no_such_app()));
        };
        let body = patch.body();
        let mut headers = Vec::new();
        if let Some(etag) = if_match {
            headers.push((header::IF_MATCH, header_value(etag).map_err(not_done)?));
        }
        let call = Call {
            method: Method::PATCH,
            url,
            body: Some(&body),
            headers,
            safe: if_match.is_some(),
            secret: patch.client_secret.as_ref(),
            finish_if_cancelled: true,
        };
        let deadline = self.deadline();
        let answer = self.inner.sender.send_write(&call, deadline).await?;
        if answer.status == 412 && answer.after_lost_attempt {
            // Our own earlier attempt may have gone through and moved the
            // ETag: then the change is in, and that is success.
            tracing::debug!(
                id,
                "412 after a lost attempt: checking whether the update is in"
            );
            // The read-back is part of the same operation: same deadline.
            let read = self.get_app_by(id, deadline).await;
            let current = read.map_err(|error| WriteError {
                error,
                outcome: Outcome::Unknown,
            })?;
            // Writer has the app without this change (or has no such app):
            // as things stand, the change is not made.
            return match current {
                Some(current) if patch.is_reflected_in(&current.value) => Ok(current),
                Some(_) => Err(not_done(answer.into_error())),
                None => Err(not_done(no_such_app())),
            };
        }
        written(answer, patch.client_secret.as_ref(), Some(id))
    }

    /// Deletes the app; one that does not exist counts as deleted (also when
    /// our own earlier attempt deleted it and its answer was lost).
    pub async fn delete_app(&self, id: &str) -> Result<(), WriteError> {
        let Some(url) = self.app_url(id) else {
            return Ok(());
        };
        let call = Call {
            method: Method::DELETE,
            url,
            body: None,
            headers: Vec::new(),
            safe: true,
            secret: None,
            finish_if_cancelled: true,
        };
        let answer = self.inner.sender.send_write(&call, self.deadline()).await?;
        if answer.is_success() || answer.status == 404 {
            Ok(())
        } else {
            Err(answer.into_write_error())
        }
    }

    /// `<base>/v1/oauth-apps/<id>`, or `None` for an ID no URL path can
    /// carry (empty, `.`, `..`): no app has such an ID.
    fn app_url(&self, id: &str) -> Option<url::Url> {
        if id.is_empty() || id == "." || id == ".." {
            return None;
        }
        let mut url = self.inner.apps_url.clone();
        url.path_segments_mut().ok()?.push(id);
        Some(url)
    }
}

/// `<base>/v1/oauth-apps`, keeping any path prefix of the base URL.
fn apps_url(base: &url::Url) -> Result<url::Url, &'static str> {
    if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
        return Err("the base URL must be an http or https URL with a host");
    }
    if !base.username().is_empty() || base.password().is_some() {
        return Err(
            "the base URL must not contain a user name or password; the API key is sent \
                    as a bearer token",
        );
    }
    if base.query().is_some() || base.fragment().is_some() {
        return Err("the base URL must not have a query or fragment");
    }
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|()| "the base URL cannot have a path")?
        .pop_if_empty()
        .extend(["v1", "oauth-apps"]);
    Ok(url)
}

fn get(url: url::Url) -> Call<'static> {
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

/// The app of a successful answer to a call about the app `asked` (a read
/// or update; `None` for a create). `sent` is the client secret this call
/// sent, if any. An answer about another app is not taken for this one.
fn written(
    answer: Answer,
    sent: Option<&Secret>,
    asked: Option<&str>,
) -> Result<Versioned<OAuthApp>, WriteError> {
    if !answer.is_success() {
        return Err(answer.into_write_error());
    }
    let app: OAuthApp = answer.write_json()?;
    if let Some(asked) = asked.filter(|asked| *asked != app.id) {
        return Err(WriteError {
            error: Error::BadResponse {
                status: answer.status,
                reason: answer.redactor.clean(&format!(
                    "it describes the app `{}`, not the app `{}` asked for",
                    quote_id(&app.id),
                    quote_id(asked)
                )),
                request_id: answer.request_id.clone(),
            },
            outcome: answer.outcome(),
        });
    }
    Ok(Versioned {
        value: trusted(app, &answer.redactor, sent),
        etag: answer.etag,
    })
}

/// An ID from the server, short and printable enough for a message.
fn quote_id(id: &str) -> String {
    const MAX_ID_CHARS: usize = 64;
    let shown: String = id
        .chars()
        .take(MAX_ID_CHARS)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if id.chars().count() > MAX_ID_CHARS {
        format!("{shown}…")
    } else {
        shown
    }
}

/// An app as the rest of the provider may see and store it: no field holds
/// a secret sent in the call (a server echoing one into `name` would put it
/// in state), and the secret hint reveals no more than the contract allows.
fn trusted(mut app: OAuthApp, redactor: &Redactor, sent: Option<&Secret>) -> OAuthApp {
    app.client_secret_hint = limit_hint(&app.client_secret_hint, sent);
    for text in [
        &mut app.id,
        &mut app.connector,
        &mut app.name,
        &mut app.client_id,
        &mut app.client_secret_updated_at,
        &mut app.callback_url,
        &mut app.status,
        &mut app.created_at,
        &mut app.updated_at,
    ]
    .into_iter()
    .chain(app.scopes.iter_mut())
    .chain(app.settings.values_mut())
    {
        if redactor.finds_in(text) {
            *text = redactor.clean(text);
        }
    }
    if redactor.finds_in(&app.client_secret_hint) {
        app.client_secret_hint = limit_hint("…", None);
    }
    app
}

fn header_value(text: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(text).map_err(|_| Error::InvalidConfig {
        reason: "a header value (ETag or idempotency key) is not valid header text".to_string(),
    })
}

fn no_such_app() -> Error {
    Error::NotFound {
        problem: Box::new(Problem {
            status: 404,
            description: Some("no OAuth app with this id".to_string()),
            ..Problem::default()
        }),
    }
}

fn list_too_long(answer: &Answer, why: &str) -> Error {
    Error::BadResponse {
        status: answer.status,
        reason: format!("the list is longer than any organization's OAuth apps: {why}"),
        request_id: answer.request_id.clone(),
    }
}

fn endless_list(answer: &Answer) -> Error {
    Error::BadResponse {
        status: answer.status,
        reason: "the list says it has more apps but its cursor does not move on".to_string(),
        request_id: answer.request_id.clone(),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn apps_url_keeps_a_path_prefix() {
        let cases = [
            (
                "https://api.writer.com",
                "https://api.writer.com/v1/oauth-apps",
            ),
            (
                "https://api.writer.com/",
                "https://api.writer.com/v1/oauth-apps",
            ),
            (
                "http://127.0.0.1:8787",
                "http://127.0.0.1:8787/v1/oauth-apps",
            ),
            (
                "https://gw.example/writer",
                "https://gw.example/writer/v1/oauth-apps",
            ),
            (
                "https://gw.example/writer/",
                "https://gw.example/writer/v1/oauth-apps",
            ),
        ];
        for (base, expected) in cases {
            assert_eq!(apps_url(&url(base)).unwrap().as_str(), expected, "{base}");
        }
    }

    #[test]
    fn apps_url_refuses_what_it_cannot_use() {
        for base in [
            "ftp://api.writer.com",
            "mailto:someone@example.com",
            "https://me:fake-password-1@api.writer.com",
            "https://api.writer.com/?x=1",
            "https://api.writer.com/#top",
        ] {
            assert!(apps_url(&url(base)).is_err(), "{base}");
        }
    }

    fn client() -> Client {
        Client::new(ClientConfig::new(
            url("https://api.writer.com"),
            Secret::new("test-admin-key-not-real"),
        ))
        .unwrap()
    }

    #[test]
    fn ids_are_one_encoded_path_segment() {
        let c = client();
        let at = |id| c.app_url(id).map(|u| u.to_string());
        assert_eq!(
            at("3f2c").as_deref(),
            Some("https://api.writer.com/v1/oauth-apps/3f2c")
        );
        assert_eq!(
            at("a/../b?c#d").as_deref(),
            Some("https://api.writer.com/v1/oauth-apps/a%2F..%2Fb%3Fc%23d")
        );
        assert_eq!(at(""), None);
        assert_eq!(at("."), None);
        assert_eq!(at(".."), None);
    }

    #[test]
    fn new_refuses_bad_keys_without_showing_them() {
        for key in ["", "  ", "test-key-with\nnewline-not-real"] {
            let mut config = ClientConfig::new(url("https://api.writer.com"), Secret::new(key));
            config.max_attempts = 3;
            let err = Client::new(config).unwrap_err();
            assert!(matches!(err, Error::InvalidConfig { .. }), "{err:?}");
            if !key.trim().is_empty() {
                assert!(!format!("{err} {err:?}").contains("newline-not-real"));
            }
        }
    }

    #[test]
    fn plain_http_beyond_loopback_needs_an_explicit_opt_in() {
        let config = |base: &str, allow: bool| {
            let mut c = ClientConfig::new(url(base), Secret::new("test-admin-key-not-real"));
            c.allow_insecure_http = allow;
            c
        };
        for base in [
            "http://127.0.0.1:8787",
            "http://localhost:1",
            "http://[::1]:2",
        ] {
            assert!(Client::new(config(base, false)).is_ok(), "{base}");
        }
        let err = Client::new(config("http://emulator.internal:8787", false)).unwrap_err();
        assert!(matches!(err, Error::InvalidConfig { .. }), "{err:?}");
        assert!(err.to_string().contains("plain http"), "{err}");
        assert!(Client::new(config("http://emulator.internal:8787", true)).is_ok());
        assert!(Client::new(config("https://api.writer.com", false)).is_ok());
    }

    #[test]
    fn debug_of_a_client_shows_where_not_who() {
        let text = format!("{:?}", client());
        assert!(
            text.contains("https://api.writer.com/v1/oauth-apps"),
            "{text}"
        );
        assert!(!text.contains("test-admin-key-not-real"), "{text}");
    }
}
