//! Shared by the emulator's integration tests: start a real emulator on
//! `127.0.0.1:0` in this process, and talk to it over real HTTP.

#![allow(dead_code)] // each test file uses a different part of this

use std::time::Duration;

use serde_json::{json, Value};
use terraform_provider_writer::emulator::{self, Config, EmulatorError};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const ADMIN: &str = "test-admin-key-not-real";
pub const READ_ONLY: &str = "test-read-only-key-not-real";
pub const SECRET: &str = "fake-secret-0001";
pub const REQUIRED_SCOPES: [&str; 3] = [
    "search:confluence",
    "read:space:confluence",
    "read:page:confluence",
];

pub fn config() -> Config {
    Config {
        admin_keys: vec![ADMIN.to_owned()],
        read_only_keys: vec![READ_ONLY.to_owned()],
        ..Config::default()
    }
}

pub struct Emulator {
    pub base: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), EmulatorError>>,
}

impl Emulator {
    pub async fn start(config: Config) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(emulator::run(listener, config, async {
            let _ = stopped.await;
        }));
        Self { base, stop, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Shuts down gracefully and returns what `run` returned.
    pub async fn stop(self) -> Result<(), EmulatorError> {
        let _ = self.stop.send(());
        tokio::time::timeout(Duration::from_secs(30), self.task)
            .await
            .expect("the emulator shuts down")
            .expect("the emulator task does not panic")
    }
}

/// A client that never reuses connections, so each request's fate is its own.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub fn app_body(name: &str) -> Value {
    json!({
        "connector": "confluence",
        "name": name,
        "client_id": "atlassian-client-id-1",
        "client_secret": SECRET,
        "scopes": REQUIRED_SCOPES,
    })
}

/// Creates an app as admin and returns it (the response must be 201).
pub async fn create(http: &reqwest::Client, emu: &Emulator, name: &str) -> Value {
    let response = http
        .post(emu.url("/v1/oauth-apps"))
        .bearer_auth(ADMIN)
        .json(&app_body(name))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "create {name}");
    response.json().await.unwrap()
}

pub fn header<'r>(response: &'r reqwest::Response, name: &str) -> Option<&'r str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

/// Checks the contract's error shape and returns the keys of `errors[]`.
pub async fn error_keys(
    response: reqwest::Response,
    status: u16,
    tpe: &str,
) -> (Vec<String>, Value) {
    assert_eq!(response.status(), status);
    assert!(header(&response, "x-request-id").is_some_and(|id| !id.is_empty()));
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["tpe"], json!(tpe), "{body}");
    assert!(body["extras"].is_object(), "{body}");
    let errors = body["errors"].as_array().expect("errors is an array");
    assert!(!errors.is_empty(), "{body}");
    for e in errors {
        assert!(
            e["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{body}"
        );
        assert!(e["extras"].is_object(), "{body}");
    }
    let keys = errors
        .iter()
        .map(|e| e["key"].as_str().unwrap().to_owned())
        .collect();
    (keys, body)
}
