//! A scripted proxy in front of an emulator: it can lose answers or reply on
//! its own, so the subtle cases happen exactly when a test says.

use std::fmt;
use std::sync::{Arc, Mutex};

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// What the proxy does with one request.
#[derive(Clone)]
pub enum Act {
    /// Pass it to the emulator and its answer back.
    Forward,
    /// Pass it to the emulator (which acts on it), then close the connection
    /// without answering: the answer is lost.
    ForwardThenDrop,
    /// Pass it to the emulator twice, as a gateway that repeats a request
    /// on its own would (both act), then close the connection without
    /// answering.
    ForwardTwiceThenDrop,
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
        super::header_value(&self.headers, name)
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
    let times = match act {
        Act::Forward | Act::ForwardThenDrop => 1,
        Act::ForwardTwiceThenDrop => 2,
        _ => 0,
    };
    let mut answer = None;
    if times > 0 {
        answer = Some(forward_times(request, times, &forward, &upstream, &path_and_query).await);
    }
    match act {
        Act::Forward => Ok(answer.expect("forwarded")),
        Act::ForwardThenDrop | Act::ForwardTwiceThenDrop => Err(Dropped),
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

/// Sends `request` to the emulator `times` times (its body read whole: the
/// proxy is for small requests); the last answer.
async fn forward_times(
    request: hyper::Request<hyper::body::Incoming>,
    times: usize,
    forward: &reqwest::Client,
    upstream: &url::Url,
    path_and_query: &str,
) -> hyper::Response<axum::body::Body> {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(axum::body::Body::new(body), usize::MAX)
        .await
        .unwrap();
    let mut last = None;
    for _ in 0..times {
        let url = upstream.join(path_and_query).unwrap();
        let mut out = forward
            .request(parts.method.clone(), url)
            .body(body.clone());
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
        last = Some(response.body(axum::body::Body::from(bytes)).unwrap());
    }
    last.expect("at least once")
}
