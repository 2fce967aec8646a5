//! The transport every family's calls share: a [`Client`] holds the API key,
//! the connection pool, the retry policy and the deadline of the operation
//! it is used for; the families' modules build their calls on it. Knows
//! HTTP and Writer's base URL, no family's paths or objects.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::Method;
use tokio_util::sync::CancellationToken;

use super::body::Body;
use super::config::{is_loopback, localhost_name, shown_url, ClientConfig, LOCALHOST_ADDRESSES};
use super::error::Error;
use super::resolve;
use super::retry::RetryPolicy;
use super::send::{Call, Deadline, Sender, WriterClock};

/// Writer's page size limit.
const MAX_PAGE_SIZE: u32 = 100;

/// A value and the `ETag` Writer sent with it, for a later `If-Match`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Versioned<T> {
    pub value: T,
    pub etag: Option<String>,
}

/// A Writer API client. Clones share one connection pool and settings.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    sender: Sender,
    /// Where Writer is: every family's paths go under it.
    base_url: url::Url,
    page_size: u32,
    /// Set by [`Client::for_operation`]: every call ends by it. Without it,
    /// each call has a deadline of its own.
    operation: Option<Deadline>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &shown_url(&self.inner.base_url))
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        let invalid = |reason: &str| Error::InvalidConfig {
            reason: reason.to_string(),
        };
        let base_url = check_base_url(&config.base_url).map_err(invalid)?;
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
        let mut http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(user_agent)
            .connect_timeout(config.request_timeout)
            // A redirect would re-send the key and the body (the client
            // secret) to wherever it points: never follow one.
            .redirect(reqwest::redirect::Policy::none())
            // The system's lookup, each one in the log (so a log shows that
            // localhost, pinned below, was not looked up).
            .dns_resolver(resolve::SystemResolver::new());
        if let Some(name) = localhost_name(&config.base_url) {
            // Plain http is allowed to localhost because it is this machine:
            // so it must be, whatever a DNS server (asked for `localhost.`)
            // or the hosts file would answer.
            http = http.resolve_to_addrs(name, &LOCALHOST_ADDRESSES);
        }
        if is_loopback(&config.base_url) {
            // Through a proxy from the environment (HTTP_PROXY), a request
            // to this machine would leave it, in plain text for http.
            http = http.no_proxy();
        }
        let http = http
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
            clock: WriterClock::default(),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                sender,
                base_url,
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
        self.changed(|inner| {
            inner.operation = Some(deadline);
            inner.sender.clock = WriterClock::default();
        })
    }

    /// How far Writer's clock is ahead of this machine's (negative: behind),
    /// in milliseconds, as the `Date` headers of this operation's answers
    /// show it (see [`Client::for_operation`]): the largest `Date − time of
    /// arrival` seen, never more than the truth. `None` before any answer
    /// with a readable `Date`.
    pub fn writer_ahead_ms(&self) -> Option<i64> {
        self.inner.sender.clock.ahead_ms()
    }

    /// This client within the same operation, but ending `room` earlier
    /// (at most all of it): time kept for what the caller does next, such
    /// as looking up a create whose outcome is unknown.
    pub fn keeping(&self, room: Duration) -> Client {
        let deadline = self.deadline().keeping(room);
        self.changed(|inner| inner.operation = Some(deadline))
    }

    /// This client within the same operation, ending `more` later: for
    /// what follows a call that was allowed longer than others (the lookup
    /// after an upload, whose bound grows with the file's size).
    pub fn extended(&self, more: Duration) -> Client {
        let deadline = self.deadline().extended(more);
        self.changed(|inner| inner.operation = Some(deadline))
    }

    /// The deadline of a call starting now.
    pub(crate) fn deadline(&self) -> Deadline {
        self.inner
            .operation
            .unwrap_or_else(|| self.inner.sender.deadline())
    }

    /// What sends this client's calls.
    pub(crate) fn sender(&self) -> &Sender {
        &self.inner.sender
    }

    /// How many items a page asks for (at most Writer's 100).
    pub(crate) fn page_size(&self) -> u32 {
        self.inner.page_size
    }

    /// `<base>/v1/<segments...>`, each segment one encoded path segment,
    /// or [`Error::UnusableId`] when a segment is an ID no URL path can carry
    /// ([`can_name`]): every family's calls about an object build their URL
    /// here, so none is sent about an ID that names nothing.
    pub(crate) fn v1_url(&self, segments: &[&str]) -> Result<url::Url, Error> {
        if let Some(id) = segments.iter().find(|s| !can_name(s)) {
            return Err(Error::UnusableId {
                id: (*id).to_owned(),
            });
        }
        let mut all = Vec::with_capacity(segments.len() + 1);
        all.push("v1");
        all.extend_from_slice(segments);
        Ok(self.url(&all))
    }

    /// `<base>/<segments...>`, keeping any path prefix of the base URL.
    pub(crate) fn url(&self, segments: &[&str]) -> url::Url {
        let mut url = self.inner.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }
}

/// The base URL, if every family's paths can go under it.
fn check_base_url(base: &url::Url) -> Result<url::Url, &'static str> {
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
        .map_err(|()| "the base URL cannot have a path")?;
    Ok(url)
}

/// Whether `id` can name an object of Writer's (an app, a graph, a file,
/// an application) in a URL path: not empty, `.` or `..`, which a path
/// cannot carry as one segment (`..` would climb it). Nothing has such an
/// ID: a call about one is not sent ([`Client::v1_url`]); a read answers
/// that there is no such object, and a write fails with
/// [`Error::UnusableId`], never reporting done what was not asked.
pub fn can_name(id: &str) -> bool {
    !(id.is_empty() || id == "." || id == "..")
}

/// A read of `url`.
pub(crate) fn get(url: url::Url) -> Call<'static> {
    Call {
        method: Method::GET,
        url,
        body: Body::Empty,
        headers: Vec::new(),
        safe: true,
        secret: None,
        finish_if_cancelled: false,
    }
}

/// An ID from the server, short and printable enough for a message.
pub(crate) fn quote_id(id: &str) -> String {
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

pub(crate) fn header_value(text: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(text).map_err(|_| Error::InvalidConfig {
        reason: "a header value (ETag or idempotency key) is not valid header text".to_string(),
    })
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
    use crate::client::Secret;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn the_base_url_must_be_one_paths_can_go_under() {
        for base in [
            "ftp://api.writer.com",
            "mailto:someone@example.com",
            "https://me:fake-password-1@api.writer.com",
            "https://api.writer.com/?x=1",
            "https://api.writer.com/#top",
        ] {
            assert!(check_base_url(&url(base)).is_err(), "{base}");
        }
    }

    #[test]
    fn paths_go_under_the_base_url_and_its_prefix() {
        for (base, expected) in [
            ("https://api.writer.com", "https://api.writer.com/v1/x/y"),
            ("https://api.writer.com/", "https://api.writer.com/v1/x/y"),
            (
                "https://gw.example/writer",
                "https://gw.example/writer/v1/x/y",
            ),
            (
                "https://gw.example/writer/",
                "https://gw.example/writer/v1/x/y",
            ),
        ] {
            let c = Client::new(ClientConfig::new(
                url(base),
                Secret::new("test-admin-key-not-real"),
            ))
            .unwrap();
            assert_eq!(c.url(&["v1", "x", "y"]).as_str(), expected, "{base}");
        }
    }

    #[test]
    fn ids_that_name_nothing_are_never_sent() {
        let c = client();
        for id in ["", ".", ".."] {
            assert!(!can_name(id), "{id:?}");
            let e = c.v1_url(&["graphs", id, "file"]).unwrap_err();
            assert!(
                matches!(&e, Error::UnusableId { id: got } if got == id),
                "{e:?}"
            );
            assert!(e.to_string().contains("nothing was sent"), "{e}");
        }
        for id in ["...", " ", "a/..", "g-1"] {
            assert!(can_name(id), "{id:?}");
        }
        assert_eq!(
            c.v1_url(&["files", "a/../b?c#d"]).unwrap().as_str(),
            "https://api.writer.com/v1/files/a%2F..%2Fb%3Fc%23d"
        );
    }

    fn client() -> Client {
        Client::new(ClientConfig::new(
            url("https://api.writer.com"),
            Secret::new("test-admin-key-not-real"),
        ))
        .unwrap()
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
        assert!(text.contains("https://api.writer.com"), "{text}");
        assert!(!text.contains("test-admin-key-not-real"), "{text}");
    }
}
