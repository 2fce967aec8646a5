//! A create must never lose or orphan an app: Writer may carry out a create
//! whose answer never reaches the provider (the provider is stopped while
//! the request is in flight, retries run out on 5xx, the success is
//! unreadable). The provider then finishes the request it had sent, or looks
//! the app up by name and takes it into state when it provably is the one it
//! made (see `acceptance_trust` for an old app of the same name), and
//! otherwise says exactly what may exist and how to import it.
//!
//! The Writer here is a scripted server of the test's own, in process, so
//! that each case is exactly the failure it names.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::provider::configured;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;
use terraform_provider_writer::provider::WriterProvider;
use terraform_provider_writer::tfplugin::diag::Diagnostics;
use terraform_provider_writer::tfplugin::value::Value;
use terraform_provider_writer::tfplugin::{
    ApplyRequest, ApplyResponse, CancellationToken, Provider,
};
use tokio::sync::Notify;

const NAME: &str = "Engineering Confluence";
const CLIENT_ID: &str = "atlassian-client-id-0001";
const SECRET: &str = "fake-secret-for-tests-0000000001";
const SCOPES: [&str; 3] = [
    "read:page:confluence",
    "read:space:confluence",
    "search:confluence",
];

/// What the scripted Writer does with a create.
#[derive(Clone, Copy)]
enum OnCreate {
    /// Stores the app, tells the test the request arrived, then answers 201
    /// after a pause (the test stops the provider during it).
    StoreSlowly,
    /// Stores the app and answers 503 every time (retries run out).
    StoreAnd503,
    /// Stores the app and answers 201 with a body that is not JSON.
    StoreAndGarble,
    /// Answers 503 without storing anything.
    Only503,
    /// Stores the app and answers 201 with a body that has its ID but is not
    /// an app.
    StoreAndAnswerOnlyTheId,
    /// Stores the app under another name and answers 201 with it.
    StoreUnderAnotherName,
}

struct Script {
    on_create: OnCreate,
    /// Answer every list with 500.
    list_fails: bool,
    apps: Mutex<Vec<serde_json::Value>>,
    creates: Mutex<u32>,
    create_arrived: Notify,
}

/// An app made now (a create adopts only an app made after it began).
fn app_json(id: &str, name: &str, client_id: &str) -> serde_json::Value {
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    json!({
        "id": id, "connector": "confluence", "name": name, "client_id": client_id,
        "client_secret_hint": "…0001", "client_secret_updated_at": now,
        "scopes": SCOPES, "callback_url": "https://app.writer.com/connector/confluence",
        "status": "active", "created_at": now, "updated_at": now
    })
}

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"tpe":"ServiceUnavailable","errors":[{"description":"try later","key":"unavailable"}],"extras":{}}"#,
    )
        .into_response()
}

async fn create(State(s): State<Arc<Script>>, body: String) -> Response {
    let sent: serde_json::Value = serde_json::from_str(&body).expect("a JSON create body");
    let n = {
        let mut creates = s.creates.lock().unwrap();
        *creates += 1;
        *creates
    };
    let app = app_json(
        &format!("app-{n}"),
        sent["name"].as_str().unwrap(),
        sent["client_id"].as_str().unwrap(),
    );
    let store = |app: &serde_json::Value| {
        let mut apps = s.apps.lock().unwrap();
        // Idempotent: a retry of the same create makes no second app.
        if !apps.iter().any(|a| a["name"] == app["name"]) {
            apps.push(app.clone());
        }
    };
    match s.on_create {
        OnCreate::StoreSlowly => {
            store(&app);
            s.create_arrived.notify_one();
            tokio::time::sleep(Duration::from_millis(800)).await;
            (
                StatusCode::CREATED,
                [(header::ETAG, "\"1\"")],
                app.to_string(),
            )
                .into_response()
        }
        OnCreate::StoreAnd503 => {
            store(&app);
            unavailable()
        }
        OnCreate::StoreAndGarble => {
            store(&app);
            (StatusCode::CREATED, "<html>proxy says hi</html>").into_response()
        }
        OnCreate::Only503 => unavailable(),
        OnCreate::StoreAndAnswerOnlyTheId => {
            store(&app);
            (StatusCode::CREATED, json!({"id": app["id"]}).to_string()).into_response()
        }
        OnCreate::StoreUnderAnotherName => {
            let mut renamed = app.clone();
            renamed["name"] = json!("Engineering Confluence (2)");
            store(&renamed);
            (StatusCode::CREATED, renamed.to_string()).into_response()
        }
    }
}

async fn list(
    State(s): State<Arc<Script>>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    if s.list_fails {
        return (StatusCode::INTERNAL_SERVER_ERROR, "{}").into_response();
    }
    let name = q.get("name").cloned().unwrap_or_default().to_lowercase();
    let data: Vec<_> = s
        .apps
        .lock()
        .unwrap()
        .iter()
        .filter(|a| a["name"].as_str().unwrap().to_lowercase() == name)
        .cloned()
        .collect();
    axum::Json(json!({"data": data, "has_more": false, "first_id": null, "last_id": null}))
        .into_response()
}

async fn read(State(s): State<Arc<Script>>, Path(id): Path<String>) -> Response {
    match s
        .apps
        .lock()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
    {
        Some(app) => (StatusCode::OK, [(header::ETAG, "\"2\"")], app.to_string()).into_response(),
        None => (StatusCode::NOT_FOUND, "{}").into_response(),
    }
}

/// Starts the scripted Writer; returns its base URL.
async fn writer(script: Arc<Script>) -> String {
    let app = Router::new()
        .route("/v1/oauth-apps", get(list).post(create))
        .route("/v1/oauth-apps/{id}", get(read))
        .with_state(script);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn script(on_create: OnCreate) -> Script {
    Script {
        on_create,
        list_fails: false,
        apps: Mutex::new(Vec::new()),
        creates: Mutex::new(0),
        create_arrived: Notify::new(),
    }
}

/// The provider against the scripted Writer: one retry, short timeouts.
/// `stop` stands for the server's: cancelling it is what StopProvider does.
async fn provider(base_url: &str, stop: &CancellationToken) -> WriterProvider {
    configured(
        base_url,
        &[
            ("max_retries", Value::number(1i64)),
            ("request_timeout", Value::string("10s")),
            ("retry_timeout", Value::string("20s")),
        ],
        stop,
    )
    .await
}

fn create_request(stop: &CancellationToken) -> ApplyRequest {
    let scopes = Value::set(SCOPES.map(Value::string));
    let planned = Value::object([
        ("id", Value::Unknown),
        ("name", Value::string(NAME)),
        ("client_id", Value::string(CLIENT_ID)),
        ("client_secret", Value::string(SECRET)),
        ("client_secret_wo", Value::Null),
        ("client_secret_wo_version", Value::Null),
        (
            "callback_url",
            Value::string("https://app.writer.com/connector/confluence"),
        ),
        ("scopes", scopes.clone()),
        ("client_secret_hint", Value::Unknown),
        ("client_secret_updated_at", Value::Unknown),
        ("created_at", Value::Unknown),
        ("updated_at", Value::Unknown),
        ("authorization_url", Value::Unknown),
    ]);
    let config = Value::object([
        ("name", Value::string(NAME)),
        ("client_id", Value::string(CLIENT_ID)),
        ("client_secret", Value::string(SECRET)),
        ("scopes", scopes),
    ]);
    ApplyRequest {
        prior_state: Value::Null,
        planned_state: planned,
        config,
        planned_private: Vec::new(),
        cancel: stop.child_token(),
    }
}

async fn apply_create(script: Arc<Script>) -> ApplyResponse {
    let url = writer(script).await;
    let stop = CancellationToken::new();
    let provider = provider(&url, &stop).await;
    let resource = provider.resources().remove(0);
    resource.create(create_request(&stop)).await
}

fn text(d: &Diagnostics) -> String {
    format!("{d:?}")
}

#[tokio::test]
async fn stopping_the_provider_lets_a_create_in_flight_finish() {
    let script = Arc::new(script(OnCreate::StoreSlowly));
    let url = writer(script.clone()).await;
    let stop = CancellationToken::new();
    let provider = provider(&url, &stop).await;
    let resource = provider.resources().remove(0);
    let request = create_request(&stop);
    let create = tokio::spawn(async move { resource.create(request).await });
    // Stop (StopProvider, or the first Ctrl-C) while Writer is working on it.
    script.create_arrived.notified().await;
    stop.cancel();
    let out = tokio::time::timeout(Duration::from_secs(30), create)
        .await
        .expect("the create returns")
        .expect("no panic");
    assert!(!out.diagnostics.has_errors(), "{}", text(&out.diagnostics));
    assert_eq!(
        out.new_state.get("id"),
        &Value::string("app-1"),
        "the app Writer made reaches state"
    );
    assert_eq!(script.apps.lock().unwrap().len(), 1);
    assert_eq!(*script.creates.lock().unwrap(), 1, "and is not sent again");
}

#[tokio::test]
async fn a_stopped_provider_sends_no_new_create() {
    let script = Arc::new(script(OnCreate::StoreSlowly));
    let url = writer(script.clone()).await;
    let stop = CancellationToken::new();
    let provider = provider(&url, &stop).await;
    stop.cancel();
    let out = provider
        .resources()
        .remove(0)
        .create(create_request(&stop))
        .await;
    assert!(out.diagnostics.has_errors());
    assert_eq!(*script.creates.lock().unwrap(), 0, "nothing was sent");
}

#[tokio::test]
async fn retries_run_out_after_writer_made_the_app_and_the_app_is_taken_into_state() {
    let script = Arc::new(script(OnCreate::StoreAnd503));
    let out = apply_create(script.clone()).await;
    assert!(!out.diagnostics.has_errors(), "{}", text(&out.diagnostics));
    assert_eq!(out.new_state.get("id"), &Value::string("app-1"));
    assert_eq!(out.new_state.get("name"), &Value::string(NAME));
    assert!(
        text(&out.diagnostics).contains("the app it made was found"),
        "a warning says what happened: {}",
        text(&out.diagnostics)
    );
    assert_eq!(script.apps.lock().unwrap().len(), 1, "no second app");
}

#[tokio::test]
async fn an_unreadable_success_is_looked_up_and_taken_into_state() {
    let script = Arc::new(script(OnCreate::StoreAndGarble));
    let out = apply_create(script).await;
    assert!(!out.diagnostics.has_errors(), "{}", text(&out.diagnostics));
    assert_eq!(out.new_state.get("id"), &Value::string("app-1"));
}

#[tokio::test]
async fn when_writer_has_no_such_app_the_error_says_nothing_was_created() {
    let script = Arc::new(script(OnCreate::Only503));
    let out = apply_create(script).await;
    assert!(out.diagnostics.has_errors());
    assert!(out.new_state.is_null());
    let t = text(&out.diagnostics);
    assert!(t.contains("nothing was created"), "{t}");
}

#[tokio::test]
async fn another_app_with_the_name_is_not_taken_and_the_error_says_how_to_import_it() {
    let mut s = script(OnCreate::Only503);
    s.apps = Mutex::new(vec![app_json("app-other", NAME, "someone-elses-client-id")]);
    let out = apply_create(Arc::new(s)).await;
    assert!(out.diagnostics.has_errors());
    assert!(out.new_state.is_null());
    let t = text(&out.diagnostics);
    assert!(t.contains("app-other"), "{t}");
    assert!(
        t.contains("terraform import writer_confluence_oauth_app.<name> app-other"),
        "{t}"
    );
}

#[tokio::test]
async fn when_the_lookup_fails_too_the_error_says_what_may_exist_and_how_to_import_it() {
    let mut s = script(OnCreate::StoreAnd503);
    s.list_fails = true;
    let out = apply_create(Arc::new(s)).await;
    assert!(out.diagnostics.has_errors());
    let t = text(&out.diagnostics);
    assert!(t.contains("may have been created"), "{t}");
    assert!(t.contains("Engineering Confluence"), "{t}");
    assert!(t.contains("terraform import"), "{t}");
    assert!(!t.contains("Nothing is lost"), "{t}");
}

#[tokio::test]
async fn a_success_with_an_id_but_no_app_keeps_the_id_in_state_with_an_error() {
    let out = apply_create(Arc::new(script(OnCreate::StoreAndAnswerOnlyTheId))).await;
    assert!(out.diagnostics.has_errors(), "so Terraform taints it");
    let t = text(&out.diagnostics);
    assert!(t.contains("its answer cannot be used"), "{t}");
    assert_eq!(out.new_state.get("id"), &Value::string("app-1"));
    assert_eq!(out.new_state.get("name"), &Value::string(NAME));
    assert!(out.new_state.is_wholly_known(), "{:?}", out.new_state);
    assert_eq!(out.new_state.get("created_at"), &Value::Null, "not known");
}

#[tokio::test]
async fn an_app_unlike_what_was_sent_is_kept_as_writer_has_it_with_an_error() {
    let out = apply_create(Arc::new(script(OnCreate::StoreUnderAnotherName))).await;
    assert!(out.diagnostics.has_errors(), "so Terraform taints it");
    let t = text(&out.diagnostics);
    assert!(t.contains("other values than were sent"), "{t}");
    assert!(t.contains("`name`"), "{t}");
    assert_eq!(out.new_state.get("id"), &Value::string("app-1"));
    assert_eq!(
        out.new_state.get("name"),
        &Value::string("Engineering Confluence (2)")
    );
}
