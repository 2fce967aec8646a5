//! Shared by the client's integration tests: a real emulator on
//! `127.0.0.1:0` in this process, a scripted proxy in front of it that can
//! lose answers or reply on its own (so the subtle cases happen exactly when a
//! test says), and a tracing layer that captures every log line.

#![allow(dead_code)] // each test file uses a different part of this

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use terraform_provider_writer::client::{Client, ClientConfig, CreateApp, Secret};
use terraform_provider_writer::emulator::{self, Config};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

pub const ADMIN: &str = "test-admin-key-not-real";
pub const READ_ONLY: &str = "test-read-only-key-not-real";
pub const UNKNOWN_KEY: &str = "test-unknown-key-not-real";
pub const REQUIRED_SCOPES: [&str; 3] = [
    "search:confluence",
    "read:space:confluence",
    "read:page:confluence",
];

/// The `n`th fake client secret; every one is distinct, so a leak of any of
/// them can be looked for.
pub fn secret(n: usize) -> String {
    format!("fake-secret-{n:04}")
}

pub fn emulator_config() -> Config {
    Config {
        admin_keys: vec![ADMIN.to_owned()],
        read_only_keys: vec![READ_ONLY.to_owned()],
        ..Config::default()
    }
}

/// A running emulator; stopped when dropped.
pub struct Emulator {
    pub base: url::Url,
    _stop: oneshot::Sender<()>,
}

impl Emulator {
    pub async fn start(config: Config) -> Emulator {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = url::Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(emulator::run(listener, config, async {
            let _ = stopped.await;
        }));
        Emulator { base, _stop: stop }
    }
}

/// Client settings for tests: quick backoff, generous attempts.
pub fn client_config(base: &url::Url, key: &str) -> ClientConfig {
    let mut config = ClientConfig::new(base.clone(), Secret::new(key));
    config.max_attempts = 40;
    config.max_elapsed = Duration::from_secs(120);
    config.request_timeout = Duration::from_secs(20);
    config.initial_backoff = Duration::from_millis(1);
    config.max_backoff = Duration::from_millis(20);
    config
}

pub fn client(base: &url::Url, key: &str) -> Client {
    Client::new(client_config(base, key)).unwrap()
}

pub fn new_app(name: &str, secret: &str) -> CreateApp {
    CreateApp {
        connector: "confluence".into(),
        name: name.into(),
        client_id: "atlassian-client-id-1".into(),
        client_secret: Secret::new(secret),
        scopes: REQUIRED_SCOPES.iter().map(|s| s.to_string()).collect(),
    }
}

// ---------------------------------------------------------------- proxy --

/// What the proxy does with one request.
#[derive(Clone)]
pub enum Act {
    /// Pass it to the emulator and its answer back.
    Forward,
    /// Pass it to the emulator (which acts on it), then close the connection
    /// without answering: the answer is lost.
    ForwardThenDrop,
    /// Close the connection without passing it on.
    Close,
    /// Answer itself.
    Reply {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Never answer.
    Stall,
}

/// A request the proxy saw, with the headers it carried.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Chooses the act for a request: its method, path, and how many earlier
/// requests had the same method.
pub type Script = dyn Fn(&str, &str, usize) -> Act + Send + Sync;

pub struct Proxy {
    pub base: url::Url,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    _stop: oneshot::Sender<()>,
}

#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("answer dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

impl Proxy {
    pub async fn start(upstream: &url::Url, script: Box<Script>) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = url::Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
        let seen = Arc::new(Mutex::new(Vec::<Seen>::new()));
        let script: Arc<Script> = Arc::from(script);
        let forward = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        let upstream = upstream.clone();
        let (stop, mut stopped) = oneshot::channel::<()>();
        let state = (seen.clone(), script, forward, upstream);
        tokio::spawn(async move {
            loop {
                let stream = tokio::select! {
                    _ = &mut stopped => return,
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) => stream,
                        Err(_) => continue,
                    },
                };
                let (seen, script, forward, upstream) = state.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        handle(
                            request,
                            seen.clone(),
                            script.clone(),
                            forward.clone(),
                            upstream.clone(),
                        )
                    });
                    let mut builder = http1::Builder::new();
                    builder.timer(TokioTimer::new());
                    let _ = builder
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Proxy {
            base,
            seen,
            _stop: stop,
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self, method: &str) -> usize {
        self.seen().iter().filter(|s| s.method == method).count()
    }
}

async fn handle(
    request: hyper::Request<hyper::body::Incoming>,
    seen: Arc<Mutex<Vec<Seen>>>,
    script: Arc<Script>,
    forward: reqwest::Client,
    upstream: url::Url,
) -> Result<hyper::Response<axum::body::Body>, Dropped> {
    let method = request.method().as_str().to_owned();
    let path_and_query = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("?").to_owned()))
        .collect();
    let nth = {
        let mut seen = seen.lock().unwrap();
        let nth = seen.iter().filter(|s| s.method == method).count();
        seen.push(Seen {
            method: method.clone(),
            path: request.uri().path().to_owned(),
            headers,
        });
        nth
    };
    let act = script(&method, request.uri().path(), nth);
    let forward_request = |request: hyper::Request<hyper::body::Incoming>| async move {
        let (parts, body) = request.into_parts();
        let body = axum::body::to_bytes(axum::body::Body::new(body), usize::MAX)
            .await
            .unwrap();
        let url = upstream.join(&path_and_query).unwrap();
        let mut out = forward.request(parts.method, url).body(body);
        for (name, value) in parts.headers.iter() {
            if name != hyper::header::HOST {
                out = out.header(name, value);
            }
        }
        let answer = out.send().await.unwrap();
        let mut response = hyper::Response::builder().status(answer.status());
        for (name, value) in answer.headers() {
            response = response.header(name, value);
        }
        let bytes = answer.bytes().await.unwrap();
        response.body(axum::body::Body::from(bytes)).unwrap()
    };
    match act {
        Act::Forward => Ok(forward_request(request).await),
        Act::ForwardThenDrop => {
            forward_request(request).await;
            Err(Dropped)
        }
        Act::Close => Err(Dropped),
        Act::Reply {
            status,
            headers,
            body,
        } => {
            let mut response = hyper::Response::builder()
                .status(status)
                .header("x-request-id", format!("req_proxy_{nth}"));
            for (name, value) in headers {
                response = response.header(name, value);
            }
            Ok(response.body(axum::body::Body::from(body)).unwrap())
        }
        Act::Stall => {
            std::future::pending::<()>().await;
            Err(Dropped)
        }
    }
}

// -------------------------------------------------------------- capture --

/// One captured event or span: where from, and every field, rendered.
#[derive(Clone, Debug)]
pub struct Line {
    pub target: String,
    pub level: tracing::Level,
    pub fields: BTreeMap<String, String>,
    pub text: String,
}

impl Line {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    pub fn number(&self, name: &str) -> Option<u64> {
        self.field(name).and_then(|v| v.parse().ok())
    }
}

type Hook = dyn Fn(&Line) + Send + Sync;

/// Records every event and span at every level.
#[derive(Clone, Default)]
pub struct Capture {
    lines: Arc<Mutex<Vec<Line>>>,
    hook: Option<Arc<Hook>>,
}

#[derive(Default)]
struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Capture {
    fn push(&self, meta: &tracing::Metadata<'_>, fields: Fields) {
        let text = format!(
            "{} {} {}",
            meta.level(),
            meta.target(),
            fields
                .0
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let line = Line {
            target: meta.target().to_owned(),
            level: *meta.level(),
            fields: fields.0,
            text,
        };
        if let Some(hook) = &self.hook {
            hook(&line);
        }
        self.lines.lock().unwrap().push(line);
    }

    /// Also calls `hook` with every line as it is logged: lets a test act at
    /// an exact point of the client's work.
    pub fn with_hook(hook: impl Fn(&Line) + Send + Sync + 'static) -> Capture {
        Capture {
            hook: Some(Arc::new(hook)),
            ..Capture::default()
        }
    }

    /// Every line except the emulator's own (the far side of the wire).
    pub fn client_side(&self) -> Vec<Line> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| !l.target.starts_with("terraform_provider_writer::emulator"))
            .cloned()
            .collect()
    }

    /// Installs this capture for the current thread (tests using it run on a
    /// current-thread runtime, so every task of the test is seen).
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::registry().with(self.clone());
        tracing::subscriber::set_default(subscriber)
    }
}

impl<S: tracing::Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.push(event.metadata(), fields);
    }

    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _id: &tracing::span::Id,
        _ctx: Context<'_, S>,
    ) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        self.push(attrs.metadata(), fields);
    }

    fn on_record(
        &self,
        _id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _ctx: Context<'_, S>,
    ) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        self.lines.lock().unwrap().push(Line {
            target: "span-record".into(),
            level: tracing::Level::TRACE,
            text: format!("{:?}", fields.0),
            fields: fields.0,
        });
    }
}

/// Fails, naming the line, if any captured line holds one of `secrets`.
pub fn assert_no_secret_in(lines: &[Line], secrets: &[String]) {
    for line in lines {
        for secret in secrets {
            assert!(
                !line.text.contains(secret.as_str()),
                "a log line holds a secret: {}",
                line.text.replace(secret.as_str(), "<THE SECRET>")
            );
        }
    }
}
