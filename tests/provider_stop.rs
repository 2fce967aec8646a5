//! Terraform's StopProvider (and SIGINT/SIGTERM, which do the same) must
//! cancel calls in flight: a read stuck on a Writer that never answers
//! returns an error as soon as the provider is stopped, instead of waiting
//! out its request timeout and retries. The server stops calls by cancelling
//! the token every call's handle is a child of (`stop` here); that it does so
//! on StopProvider is tested in `tfplugin`'s server tests.

mod support;

use std::time::Duration;

use support::provider::configured;
use terraform_provider_writer::tfplugin::value::Value;
use terraform_provider_writer::tfplugin::{CancellationToken, Provider, ReadRequest};

#[tokio::test]
async fn stop_cancels_a_read_in_flight() {
    // Accepts connections and never answers.
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

    let stop = CancellationToken::new();
    let provider = configured(
        &base_url,
        &[
            ("app_url", Value::Null),
            ("max_retries", Value::Null),
            // Long enough that only cancellation can end the read in time.
            ("request_timeout", Value::string("10m")),
            ("retry_timeout", Value::string("10m")),
        ],
        &stop,
    )
    .await;
    let resource = provider.resources().remove(0);
    let state = Value::object([("id", Value::string("app-1"))]);
    let cancel = stop.child_token();
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
    stop.cancel();
    // A guard against hanging, not a performance assertion: without
    // cancellation the read would wait ten minutes.
    let out = tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("the read ends once the provider is stopped")
        .expect("the read does not panic");
    assert!(out.diagnostics.has_errors(), "a cancelled read is an error");
    assert_eq!(
        out.new_state.get("id"),
        &Value::string("app-1"),
        "and keeps the state it had"
    );
}
