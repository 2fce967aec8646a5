//! The retry loop case by case, through a scripted proxy in front of the
//! emulator: lost answers to creates, updates and deletes; `Retry-After` as
//! an HTTP-date and past the time budget; timeouts; unreadable answers;
//! cancellation. Each case happens exactly when the script says.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use crate::support::capture::*;
use crate::support::client::*;
use crate::support::emulator::{self, Emulator};
use crate::support::proxy::*;
use crate::support::*;
use terraform_provider_writer::client::{
    Client, ClientConfig, Error, ListFilter, OAuthApp, Secret, TransportKind, UpdateApp, Versioned,
};
use tokio_util::sync::CancellationToken;

/// `act` for the `n`th request with `method`; everything else goes through.
fn on(method: &'static str, n: usize, act: Act) -> Box<Script> {
    Box::new(move |m, _, nth| {
        if m == method && nth == n {
            act.clone()
        } else {
            Act::Forward
        }
    })
}

fn reply(status: u16, headers: Vec<(&'static str, String)>, body: &str) -> Act {
    Act::Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

async fn setup(script: Box<Script>) -> (Emulator, Proxy, ClientConfig) {
    let emu = Emulator::start(emulator::config()).await;
    let proxy = Proxy::start(&emu.base, script).await;
    let config = client_config(&proxy.base, ADMIN);
    (emu, proxy, config)
}

/// A client straight to the emulator (past the proxy), and an app it made.
async fn made_directly(emu: &Emulator) -> (Client, Versioned<OAuthApp>) {
    let direct = crate::support::client::client(&emu.base, ADMIN);
    let app = direct
        .create_app(&new_app("Engineering", &secret(1)))
        .await
        .unwrap();
    (direct, app)
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_not_duplicated() {
    let (emu, proxy, config) = setup(on("POST", 0, Act::ForwardThenDrop)).await;
    let client = Client::new(config).unwrap();
    let created = client
        .create_app(&new_app("Engineering", &secret(1)))
        .await
        .unwrap();

    let posts: Vec<Seen> = proxy
        .seen()
        .into_iter()
        .filter(|s| s.method == "POST")
        .collect();
    assert_eq!(posts.len(), 2, "the lost create was retried");
    let keys: BTreeSet<_> = posts.iter().map(|s| s.header("idempotency-key")).collect();
    assert_eq!(keys.len(), 1, "with the same idempotency key: {keys:?}");
    assert!(keys.iter().all(Option::is_some));

    let direct = crate::support::client::client(&emu.base, ADMIN);
    let all = direct.list_apps(&ListFilter::default()).await.unwrap();
    assert_eq!(all.len(), 1, "one app, not two");
    assert_eq!(
        all[0], created.value,
        "the retry answered with the first app"
    );
}

#[tokio::test]
async fn a_delete_whose_answer_is_lost_succeeds() {
    let (emu, proxy, config) = setup(on("DELETE", 0, Act::ForwardThenDrop)).await;
    let (direct, app) = made_directly(&emu).await;
    let app = app.value;
    Client::new(config)
        .unwrap()
        .delete_app(&app.id)
        .await
        .unwrap();
    assert_eq!(proxy.count("DELETE"), 2, "the retry found it gone: done");
    assert_eq!(direct.get_app(&app.id).await.unwrap(), None);
}

#[tokio::test]
async fn an_update_whose_answer_is_lost_succeeds() {
    let (emu, proxy, config) = setup(on("PATCH", 0, Act::ForwardThenDrop)).await;
    let (direct, app) = made_directly(&emu).await;
    let patch = UpdateApp {
        name: Some("Engineering wiki".into()),
        client_secret: Some(Secret::new(secret(2))),
        ..UpdateApp::default()
    };
    let updated = Client::new(config)
        .unwrap()
        .update_app(&app.value.id, &patch, app.etag.as_deref())
        .await
        .unwrap();

    let methods: Vec<String> = proxy.seen().into_iter().map(|s| s.method).collect();
    assert_eq!(methods, ["PATCH", "PATCH", "GET"], "lost, 412, read back");
    assert_eq!(updated.value.name, "Engineering wiki");
    assert_eq!(updated.value.client_secret_hint, "…0002");
    let now = direct.get_app(&app.value.id).await.unwrap().unwrap();
    assert_eq!(updated, now, "the app as it is now, with its ETag");
}

#[tokio::test]
async fn a_412_after_a_lost_attempt_is_an_error_when_someone_else_changed_the_app() {
    // The first PATCH never reaches Writer; meanwhile the app was changed in the UI.
    let (emu, proxy, config) = setup(on("PATCH", 0, Act::Close)).await;
    let (direct, app) = made_directly(&emu).await;
    let ui = UpdateApp {
        name: Some("Renamed in the UI".into()),
        ..UpdateApp::default()
    };
    direct.update_app(&app.value.id, &ui, None).await.unwrap();

    let ours = UpdateApp {
        name: Some("Engineering wiki".into()),
        ..UpdateApp::default()
    };
    let err = Client::new(config)
        .unwrap()
        .update_app(&app.value.id, &ours, app.etag.as_deref())
        .await
        .unwrap_err()
        .error;
    assert!(matches!(err, Error::PreconditionFailed { .. }), "{err:?}");
    assert!(err
        .to_string()
        .starts_with("the object was changed since it was last read (HTTP 412): "));
    assert_eq!(proxy.count("PATCH"), 2);
    assert_eq!(
        proxy.count("GET"),
        1,
        "it looked before calling it a conflict"
    );
    let now = direct.get_app(&app.value.id).await.unwrap().unwrap().value;
    assert_eq!(
        now.name, "Renamed in the UI",
        "the other change was not overwritten"
    );
}

#[tokio::test]
async fn an_update_without_if_match_is_not_repeated() {
    let (_emu, proxy, config) = setup(on("PATCH", 0, Act::ForwardThenDrop)).await;
    let client = Client::new(config).unwrap();
    let app = client
        .create_app(&new_app("Engineering", &secret(1)))
        .await
        .unwrap();
    let patch = UpdateApp {
        client_id: Some("atlassian-client-id-2".into()),
        ..UpdateApp::default()
    };
    let err = client
        .update_app(&app.value.id, &patch, None)
        .await
        .unwrap_err()
        .error;
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Closed,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(proxy.count("PATCH"), 1);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let (_emu, proxy, config) = setup(on(
        "GET",
        0,
        reply(
            503,
            vec![("retry-after", at)],
            r#"{"tpe":"ServiceUnavailable","errors":[],"extras":{}}"#,
        ),
    ))
    .await;
    let capture = Capture::default();
    let _guard = capture.install();
    let found = Client::new(config)
        .unwrap()
        .get_app("no-such-app")
        .await
        .unwrap();
    assert_eq!(found, None);
    assert_eq!(proxy.count("GET"), 2);
    let lines = capture.client_side();
    let wait = lines
        .iter()
        .find(|l| l.field("message") == Some("waiting before retrying Writer API request"))
        .expect("a wait was logged");
    let asked = wait.number("retry_after_ms").unwrap();
    assert!((1..=2000).contains(&asked), "{}", wait.text);
    assert!(wait.number("wait_ms").unwrap() >= asked, "{}", wait.text);
}

#[tokio::test]
async fn a_retry_after_past_the_time_budget_ends_the_call() {
    let script: Box<Script> =
        Box::new(|_, _, _| reply(429, vec![("retry-after", "3600".into())], "{}"));
    let (_emu, proxy, mut config) = setup(script).await;
    config.max_elapsed = Duration::from_secs(60);
    let err = Client::new(config)
        .unwrap()
        .get_app("app-1")
        .await
        .unwrap_err();
    let Error::RateLimited {
        attempts,
        retry_after,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*attempts, 1);
    assert_eq!(*retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(
        proxy.count("GET"),
        1,
        "no point waiting an hour with a minute left"
    );
    assert_eq!(
        err.to_string(),
        "Writer is rate-limiting requests, last asking to wait 3600s (HTTP 429); request id \
         req_proxy_0"
    );
}

#[tokio::test]
async fn server_errors_are_retried_up_to_max_attempts() {
    let script: Box<Script> = Box::new(|_, _, _| reply(502, vec![], "<html>Bad Gateway</html>"));
    let (_emu, proxy, mut config) = setup(script).await;
    config.max_attempts = 3;
    let err = Client::new(config)
        .unwrap()
        .delete_app("app-1")
        .await
        .unwrap_err()
        .error;
    assert!(
        matches!(err, Error::Unavailable { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(proxy.count("DELETE"), 3);
    assert_eq!(
        err.to_string(),
        "Writer is unavailable or failing (HTTP 502); gave up after 3 attempts; request id \
         req_proxy_2"
    );
}

#[tokio::test]
async fn an_undecodable_answer_is_a_bad_response() {
    let (_emu, _proxy, config) =
        setup(on("GET", 0, reply(200, vec![], "<html>hello</html>"))).await;
    let err = Client::new(config)
        .unwrap()
        .get_app("app-1")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::BadResponse { status: 200, .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with(
            "Writer's answer could not be understood (HTTP 200): the body is not the JSON"
        ),
        "{text}"
    );
    assert!(text.ends_with("; request id req_proxy_0"), "{text}");
}

#[tokio::test]
async fn a_list_whose_cursor_does_not_move_is_refused() {
    let page = r#"{"data": [], "has_more": true, "first_id": null, "last_id": "app-1"}"#;
    let script: Box<Script> = Box::new(move |_, _, _| reply(200, vec![], page));
    let (_emu, proxy, config) = setup(script).await;
    let err = Client::new(config)
        .unwrap()
        .list_apps(&ListFilter::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadResponse { .. }), "{err:?}");
    assert_eq!(
        proxy.count("GET"),
        2,
        "stopped at the first repeated cursor"
    );
}

#[tokio::test]
async fn a_silent_writer_times_out() {
    let (_emu, proxy, mut config) = setup(Box::new(|_, _, _| Act::Stall)).await;
    config.request_timeout = Duration::from_millis(200);
    config.max_attempts = 2;
    let err = Client::new(config)
        .unwrap()
        .get_app("app-1")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Timeout,
                attempts: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(proxy.count("GET"), 2);
}

#[tokio::test]
async fn cancelling_stops_a_call_in_flight() {
    let token = CancellationToken::new();
    let fire = token.clone();
    let script: Box<Script> = Box::new(move |_, _, _| {
        fire.cancel();
        Act::Stall
    });
    let (_emu, _proxy, mut config) = setup(script).await;
    config.cancel = Some(token);
    let err = Client::new(config)
        .unwrap()
        .get_app("app-1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
}

#[tokio::test]
async fn cancelling_stops_the_wait_before_a_retry() {
    let script: Box<Script> =
        Box::new(|_, _, _| reply(503, vec![("retry-after", "30".into())], "{}"));
    let (_emu, proxy, mut config) = setup(script).await;
    let token = CancellationToken::new();
    let fire = token.clone();
    // Cancel exactly when the client starts its 30-second wait.
    let capture = Capture::with_hook(move |line| {
        if line.field("message") == Some("waiting before retrying Writer API request") {
            fire.cancel();
        }
    });
    let _guard = capture.install();
    config.cancel = Some(token);
    let err = Client::new(config)
        .unwrap()
        .get_app("app-1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(proxy.count("GET"), 1);
    assert_eq!(
        capture
            .client_side()
            .iter()
            .filter(|l| l.field("message") == Some("waiting before retrying Writer API request"))
            .count(),
        1,
        "cancelled during the wait"
    );
}
