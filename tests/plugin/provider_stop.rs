//! Terraform's StopProvider (and SIGINT/SIGTERM, which do the same) must
//! cancel calls in flight: a read stuck on a Writer that never answers
//! returns an error as soon as the provider is stopped, instead of waiting
//! out its request timeout and retries. The server stops calls by cancelling
//! the token every call's handle is a child of (`stop` here); that it does so
//! on StopProvider is tested in `tfplugin`'s server tests.

use std::time::Duration;

use crate::support::provider::configured;
use terraform_provider_writer::tfplugin::value::Value;
use terraform_provider_writer::tfplugin::{CancellationToken, Provider, ReadRequest, ReadResponse};

/// A server that accepts connections and never answers.
async fn silent_writer() -> String {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base_url = format!("http://{}", silent.local_addr().expect("addr"));
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((conn, _)) = silent.accept().await {
            held.push(conn);
        }
    });
    base_url
}

/// A read of `app-1` against `base_url` whose handle is `cancel`, started
/// on a provider configured under `stop`, with timeouts long enough that
/// only cancellation can end it in time.
async fn read_in_flight(
    base_url: &str,
    stop: &CancellationToken,
    cancel: CancellationToken,
) -> tokio::task::JoinHandle<ReadResponse> {
    let provider = configured(
        base_url,
        &[
            ("app_url", Value::Null),
            ("max_retries", Value::Null),
            ("request_timeout", Value::string("10m")),
            ("retry_timeout", Value::string("10m")),
        ],
        stop,
    )
    .await;
    let resource = provider.resources().remove(0);
    let state = Value::object([("id", Value::string("app-1"))]);
    let read = tokio::spawn(async move {
        resource
            .read(ReadRequest {
                current_state: state,
                private: Vec::new(),
                cancel,
            })
            .await
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!read.is_finished(), "the read waits on the silent server");
    read
}

/// Waits for a read that was just cancelled: it fails and keeps its state.
async fn ends_cancelled(read: tokio::task::JoinHandle<ReadResponse>) {
    // A guard against hanging, not a performance assertion: without
    // cancellation the read would wait ten minutes.
    let out = tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("the read ends once it is cancelled")
        .expect("the read does not panic");
    assert!(out.diagnostics.has_errors(), "a cancelled read is an error");
    assert_eq!(
        out.new_state.get("id"),
        &Value::string("app-1"),
        "and keeps the state it had"
    );
}

#[tokio::test]
async fn stop_cancels_a_read_in_flight() {
    let base_url = silent_writer().await;
    let stop = CancellationToken::new();
    let read = read_in_flight(&base_url, &stop, stop.child_token()).await;
    stop.cancel();
    ends_cancelled(read).await;
}

#[tokio::test]
async fn a_calls_own_handle_stops_that_call_and_no_other() {
    // The client takes each call's handle, not configure's: cancelling one
    // call's handle ends that call while the provider (and configure's
    // handle) goes on.
    let base_url = silent_writer().await;
    let stop = CancellationToken::new();
    let this_call = stop.child_token();
    let read = read_in_flight(&base_url, &stop, this_call.clone()).await;
    let other_call = stop.child_token();
    let other = read_in_flight(&base_url, &stop, other_call.clone()).await;
    this_call.cancel();
    ends_cancelled(read).await;
    assert!(!stop.is_cancelled() && !other_call.is_cancelled());
    assert!(!other.is_finished(), "the other call still waits on Writer");
    other.abort();
}
