//! A fake Writer API of our own, for hostile-server tests: an HTTP server on
//! `127.0.0.1:0` whose every answer a test scripts from the request it got
//! (method, path, query, headers, body). It can redirect to another host,
//! echo the request into an error description, page forever, send huge
//! bodies or trickle them a byte at a time, or play a plain Writer. Unlike the emulator it keeps no rules of
//! its own, so it can break every one of them.
//!
//! It runs on its own thread and runtime, so synchronous acceptance tests
//! (driving `terraform`) and async client tests use it the same way. Over
//! HTTPS too ([`FakeWriter::start_tls`]), for `super::https_site`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use serde_json::json;

/// A request the fake received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        super::header_value(&self.headers, name)
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The request as a careless server would print it: every header, then
    /// the body.
    pub fn dump(&self) -> String {
        let mut text = format!("{} {}?{}\n", self.method, self.path, self.query);
        for (n, v) in &self.headers {
            text.push_str(&format!("{n}: {v}\n"));
        }
        text.push_str(&self.body_text());
        text
    }

    pub fn query_param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

/// A scripted answer.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Wait this long before answering.
    pub delay: Duration,
}

pub enum Body {
    Bytes(Vec<u8>),
    /// `chunk` sent `times` times, streamed (a huge body without holding it).
    Repeat {
        chunk: Vec<u8>,
        times: usize,
    },
    /// `chunk` sent `times` times, `every` apart, after the headers: a
    /// stalled or trickling answer.
    Trickle {
        chunk: Vec<u8>,
        times: usize,
        every: Duration,
    },
}

impl Reply {
    pub fn json(status: u16, value: serde_json::Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Bytes(value.to_string().into_bytes()),
            delay: Duration::ZERO,
        }
    }

    /// Writer's error body with one description.
    pub fn writer_error(status: u16, description: &str) -> Reply {
        Reply::json(
            status,
            json!({"tpe": "BadRequest", "errors": [{"description": description,
                "key": "fake.error", "extras": {}}], "extras": {}}),
        )
    }

    /// Headers at once, then a JSON body that never completes: one space
    /// every `every`, `times` times (a bounded test never waits it out).
    pub fn trickle(status: u16, every: Duration, times: usize) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Trickle {
                chunk: b" ".to_vec(),
                times,
                every,
            },
            delay: Duration::ZERO,
        }
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply {
            status,
            headers: vec![("location".into(), location.into())],
            body: Body::Bytes(Vec::new()),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// An `oauth_app` object as Writer returns it.
pub fn app_json(id: &str, name: &str, hint: &str) -> serde_json::Value {
    json!({
        "id": id, "connector": "confluence", "name": name,
        "client_id": "fake-client-id-0001", "client_secret_hint": hint,
        "client_secret_updated_at": "2026-01-01T00:00:00Z",
        "scopes": ["search:confluence", "read:space:confluence", "read:page:confluence"],
        "callback_url": "https://app.writer.com/connector/confluence", "status": "active",
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
    })
}

/// A script answering every request with an error that repeats the whole
/// request (headers, body, the key in `x-request-id`), plainly, JSON-escaped
/// and URL-encoded: the forms a careless server or proxy uses.
pub fn echo(request: &Request, _: usize) -> Reply {
    let dump = request.dump();
    let json = serde_json::to_string(&dump).unwrap();
    let encoded: String = url::form_urlencoded::byte_serialize(dump.as_bytes()).collect();
    Reply::json(
        400,
        json!({"tpe": "BadRequest", "errors": [
            {"description": format!("cannot parse request: {dump}"), "key": request.header("authorization"),
             "extras": {"field": request.body_text()}},
            {"description": format!("escaped {json} encoded {encoded}")},
        ], "extras": {}}),
    )
    .header("x-request-id", &format!("id-{}", request.header("authorization").unwrap_or("")))
}

/// Chooses the answer to a request; `nth` counts every request before it.
pub type Script = dyn Fn(&Request, usize) -> Reply + Send + Sync;

/// A running fake; stopped when dropped.
pub struct FakeWriter {
    pub base: url::Url,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeWriter {
    pub fn start(script: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> FakeWriter {
        Self::serving(None, script)
    }

    /// The same over HTTPS with `tls`, at `https://localhost:PORT`.
    pub fn start_tls(
        tls: Arc<rustls::ServerConfig>,
        script: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static,
    ) -> FakeWriter {
        Self::serving(Some(tokio_rustls::TlsAcceptor::from(tls)), script)
    }

    fn serving(
        tls: Option<tokio_rustls::TlsAcceptor>,
        script: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static,
    ) -> FakeWriter {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener.set_nonblocking(true).expect("non-blocking");
        let port = listener.local_addr().unwrap().port();
        let base = match tls {
            None => format!("http://127.0.0.1:{port}"),
            Some(_) => format!("https://localhost:{port}"),
        };
        let base = url::Url::parse(&base).unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let seen = requests.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(serve(listener, tls, seen, script, stopped));
        });
        FakeWriter {
            base,
            requests,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// `host:port`, as a `Location` or a message names it.
    pub fn authority(&self) -> String {
        format!(
            "{}:{}",
            self.base.host_str().unwrap(),
            self.base.port().unwrap()
        )
    }
}

impl Drop for FakeWriter {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    seen: Arc<Mutex<Vec<Request>>>,
    script: Arc<Script>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let (seen, script, tls) = (seen.clone(), script.clone(), tls.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                answer(request, seen.clone(), script.clone())
            });
            let builder = http1::Builder::new();
            let _ = match tls {
                None => {
                    builder
                        .serve_connection(TokioIo::new(stream), service)
                        .await
                }
                Some(tls) => match tls.accept(stream).await {
                    Ok(stream) => {
                        builder
                            .serve_connection(TokioIo::new(stream), service)
                            .await
                    }
                    Err(_) => return,
                },
            };
        });
    }
}

async fn answer(
    request: hyper::Request<hyper::body::Incoming>,
    seen: Arc<Mutex<Vec<Request>>>,
    script: Arc<Script>,
) -> Result<hyper::Response<axum::body::Body>, std::convert::Infallible> {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(axum::body::Body::new(body), 64 * 1024 * 1024)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    let request = Request {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("?").to_owned()))
            .collect(),
        body,
    };
    let nth = {
        let mut seen = seen.lock().unwrap();
        seen.push(request.clone());
        seen.len() - 1
    };
    let reply = script(&request, nth);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = hyper::Response::builder().status(reply.status);
    if !reply
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("x-request-id"))
    {
        response = response.header("x-request-id", format!("req_fake_{nth}"));
    }
    for (name, value) in reply.headers {
        response = response.header(name, value);
    }
    let body = match reply.body {
        Body::Bytes(bytes) => axum::body::Body::from(bytes),
        Body::Repeat { chunk, times } => {
            let chunk = axum::body::Bytes::from(chunk);
            axum::body::Body::from_stream(futures_util::stream::iter(
                (0..times).map(move |_| Ok::<_, std::convert::Infallible>(chunk.clone())),
            ))
        }
        Body::Trickle {
            chunk,
            times,
            every,
        } => {
            let chunk = axum::body::Bytes::from(chunk);
            axum::body::Body::from_stream(futures_util::stream::unfold(0, move |sent| {
                let chunk = chunk.clone();
                async move {
                    if sent >= times {
                        return None;
                    }
                    tokio::time::sleep(every).await;
                    Some((Ok::<_, std::convert::Infallible>(chunk), sent + 1))
                }
            }))
        }
    };
    Ok(response.body(body).unwrap())
}
