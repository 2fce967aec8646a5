//! The accept loop. It serves HTTP/1.1 with hyper directly (not
//! `axum::serve`) for two reasons: a "dropped" request must end in a closed
//! connection with no response, which hyper does when the service returns an
//! error; and shutdown must let requests in flight finish, connection by
//! connection. A handler asks for the same on its own answer by marking it
//! with [`LoseAnswer`] (a fault aimed at one kind of request).

use std::fmt;
use std::future::Future;
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How long shutdown waits for requests in flight before it closes the rest.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct DroppedOnPurpose;

impl fmt::Display for DroppedOnPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("response dropped on purpose (an injected fault)")
    }
}

/// In a response's extensions: the connection is closed instead of
/// answering (whatever the handler did stays done).
#[derive(Clone, Copy, Debug)]
pub(crate) struct LoseAnswer;

/// `response`, marked to be lost rather than sent.
pub(crate) fn lose(mut response: axum::response::Response) -> axum::response::Response {
    response.extensions_mut().insert(LoseAnswer);
    response
}

impl std::error::Error for DroppedOnPurpose {}

pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    drop_rate: f64,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, router.clone(), drop_rate, stopping.clone()));
                }
                Err(e) => {
                    // Usually out of file descriptors: wait rather than spin.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!("closing connections still busy after {SHUTDOWN_GRACE:?}");
        connections.shutdown().await;
    }
}

async fn connection(
    stream: TcpStream,
    router: Router,
    drop_rate: f64,
    mut stopping: watch::Receiver<bool>,
) {
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let router = router.clone();
        async move {
            let response = match router.oneshot(request.map(Body::new)).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            // Decided after the request was performed: the change is made,
            // the client just never hears about it.
            if response.extensions().get::<LoseAnswer>().is_some()
                || (drop_rate > 0.0 && fastrand::f64() < drop_rate)
            {
                return Err(DroppedOnPurpose);
            }
            Ok::<_, DroppedOnPurpose>(response)
        }
    });
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new());
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    // The guard `wait_for` returns is not `Send`: drop it right away.
    let stop = async move { stopping.wait_for(|stop| *stop).await.map(|_| ()) };
    let result = tokio::select! {
        result = conn.as_mut() => result,
        _ = stop => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = result {
        tracing::debug!("connection ended: {e}");
    }
}
