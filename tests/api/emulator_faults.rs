//! The emulator's injected faults, seen from a client: dropped connections
//! (performed, then no answer at all), 503s that do nothing, 429s with
//! `Retry-After`, and latency that still answers; and its own fault, a state
//! file it cannot write, after which nothing is half done.

use std::time::Duration;

use crate::support::emulator::*;
use crate::support::ADMIN;
use serde_json::{json, Value};
use terraform_provider_writer::emulator::{self, Config, EmulatorError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn dropped_requests_are_performed_then_the_connection_closes() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let dropping = Emulator::start(Config {
        drop_rate: 1.0,
        state_file: Some(state.clone()),
        ..config()
    })
    .await;

    // reqwest sees a connection error: no status, not a timeout.
    let err = client()
        .post(dropping.url("/v1/oauth-apps"))
        .bearer_auth(ADMIN)
        .json(&app_body("Dropped"))
        .send()
        .await
        .expect_err("no response arrives");
    assert!(err.status().is_none(), "{err:?}");
    assert!(!err.is_timeout(), "{err:?}");

    // On the wire: the request is read, then the connection closes with not one byte back.
    let addr = dropping.addr().to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = format!(
        "GET /v1/oauth-apps HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {ADMIN}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    // A reset instead of a clean close is also "no response".
    let _ = stream.read_to_end(&mut answer).await;
    assert_eq!(String::from_utf8_lossy(&answer), "");
    dropping.stop().await.unwrap();

    // The create was performed all the same.
    let emu = Emulator::start(Config {
        state_file: Some(state),
        ..config()
    })
    .await;
    let listed = all_apps(&client(), &emu).await;
    assert_eq!(listed[0]["name"], "Dropped");
    assert_eq!(listed.as_array().unwrap().len(), 1);
    emu.stop().await.unwrap();
}

#[tokio::test]
async fn failed_requests_are_503s_that_do_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let emu = Emulator::start(Config {
        fail_rate: 1.0,
        state_file: Some(state.clone()),
        ..config()
    })
    .await;
    let http = client();
    for _ in 0..3 {
        let response = http
            .post(emu.url("/v1/oauth-apps"))
            .bearer_auth(ADMIN)
            .json(&app_body("Never"))
            .send()
            .await
            .unwrap();
        let (keys, _) = error_keys(response, 503, "ServiceUnavailable").await;
        assert_eq!(keys, ["service_unavailable"]);
    }
    // Even a request without a key fails first: nothing is looked at.
    let response = http.get(emu.url("/v1/oauth-apps")).send().await.unwrap();
    error_keys(response, 503, "ServiceUnavailable").await;
    emu.stop().await.unwrap();
    assert!(!state.exists(), "nothing was ever stored");
}

#[tokio::test]
async fn over_the_rate_limit_is_429_with_retry_after() {
    let emu = Emulator::start(Config {
        rate_limit: Some(2),
        ..config()
    })
    .await;
    let http = client();
    let responses = futures_util::future::join_all((0..12).map(|_| {
        http.get(emu.url("/v1/oauth-apps"))
            .bearer_auth(ADMIN)
            .send()
    }))
    .await;
    let mut limited = 0;
    for response in responses {
        let response = response.unwrap();
        if response.status() == 429 {
            limited += 1;
            let retry_after: u64 = header(&response, "retry-after").unwrap().parse().unwrap();
            assert!(retry_after >= 1, "{retry_after}");
            let (keys, _) = error_keys(response, 429, "TooManyRequests").await;
            assert_eq!(keys, ["rate_limited"]);
        } else {
            assert_eq!(response.status(), 200);
        }
    }
    // 12 requests cannot all fit in windows of 2 unless they span 6 seconds.
    assert!(limited > 0);
    emu.stop().await.unwrap();
}

#[tokio::test]
async fn latency_delays_but_answers() {
    let emu = Emulator::start(Config {
        latency: Duration::from_millis(20),
        ..config()
    })
    .await;
    let app = create(&client(), &emu, "Slow").await;
    assert_eq!(app["name"], "Slow");
    emu.stop().await.unwrap();
}

#[tokio::test]
async fn bad_configurations_are_refused() {
    type Expected = fn(&EmulatorError) -> bool;
    let cases: Vec<(Config, Expected)> = vec![
        (Config::default(), |e| matches!(e, EmulatorError::NoApiKeys)),
        (
            Config {
                admin_keys: vec![" ".into()],
                ..Config::default()
            },
            |e| matches!(e, EmulatorError::InvalidKey(_)),
        ),
        (
            Config {
                read_only_keys: vec![ADMIN.into()],
                ..config()
            },
            |e| matches!(e, EmulatorError::InvalidKey(_)),
        ),
        (
            Config {
                fail_rate: 1.5,
                ..config()
            },
            |e| matches!(e, EmulatorError::InvalidRate { .. }),
        ),
        (
            Config {
                drop_rate: f64::NAN,
                ..config()
            },
            |e| matches!(e, EmulatorError::InvalidRate { .. }),
        ),
        (
            Config {
                rate_limit: Some(0),
                ..config()
            },
            |e| matches!(e, EmulatorError::ZeroRateLimit),
        ),
    ];
    for (config, expected) in cases {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let err = emulator::run(listener, config.clone(), async {})
            .await
            .expect_err("refused");
        assert!(expected(&err), "{config:?}: {err:?}");
        assert!(!err.to_string().contains(ADMIN), "{err}");
    }
}

#[tokio::test]
async fn a_corrupt_state_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let content = b"{\"format\": 1, \"apps\": [ fake-secret-0001";
    std::fs::write(&state, content).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = emulator::run(
        listener,
        Config {
            state_file: Some(state.clone()),
            ..config()
        },
        async {},
    )
    .await
    .expect_err("refused");
    assert!(matches!(err, EmulatorError::StateFile { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&state.display().to_string()), "{message}");
    assert!(!message.contains("fake-secret"), "{message}");
    assert_eq!(std::fs::read(&state).unwrap(), content);
}

fn with_state_file(state: &std::path::Path) -> Config {
    Config {
        state_file: Some(state.to_owned()),
        ..config()
    }
}

/// A create whose state file cannot be written is answered 500 and not made,
/// and its Idempotency-Key is not spent: the retry, once the file can be
/// written, creates the app and saves it.
#[tokio::test]
async fn a_create_that_cannot_be_saved_is_not_made_and_its_retry_is() {
    let dir = tempfile::tempdir().unwrap();
    // Writes fail while the state file's folder is missing (even as root,
    // whom permission bits would not stop). It exists at start, where the
    // emulator locks the file, and is moved away (its lock file with it).
    let folder = dir.path().join("not-yet");
    let state = folder.join("state.json");
    std::fs::create_dir(&folder).unwrap();
    let emu = Emulator::start(with_state_file(&state)).await;
    std::fs::rename(&folder, dir.path().join("moved-away")).unwrap();
    let http = client();
    let post = || {
        http.post(emu.url("/v1/oauth-apps"))
            .bearer_auth(ADMIN)
            .header("Idempotency-Key", "create-persisted-1")
            .json(&app_body("Persisted"))
            .send()
    };
    let failed = post().await.unwrap();
    let (keys, body) = error_keys(failed, 500, "InternalServerError").await;
    assert_eq!(keys, ["internal"]);
    assert!(
        body.to_string().contains("the change was not made"),
        "{body}"
    );
    assert_eq!(all_apps(&http, &emu).await, json!([]), "nothing was made");

    std::fs::create_dir(&folder).unwrap();
    let retried = post().await.unwrap();
    assert_eq!(retried.status(), 201);
    assert_eq!(
        header(&retried, "idempotent-replayed"),
        None,
        "created now, not the replay of an answer that was never saved"
    );
    let app: Value = retried.json().await.unwrap();
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["apps"][0]["id"], app["id"]);
    assert_eq!(all_apps(&http, &emu).await, json!([app]));
    emu.stop().await.unwrap();

    let restarted = Emulator::start(with_state_file(&state)).await;
    assert_eq!(all_apps(&http, &restarted).await, json!([app]));
    restarted.stop().await.unwrap();
}

/// The same for an update: a 500 leaves the app (and its ETag) as it was, so
/// the retry with the same If-Match succeeds instead of a 412.
#[tokio::test]
async fn an_update_that_cannot_be_saved_is_not_made_and_its_retry_is() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("state");
    std::fs::create_dir(&folder).unwrap();
    let state = folder.join("state.json");
    let emu = Emulator::start(with_state_file(&state)).await;
    let http = client();
    let app = create(&http, &emu, "Before").await;
    let id = app["id"].as_str().unwrap().to_owned();
    let etag = http
        .get(emu.url(&format!("/v1/oauth-apps/{id}")))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let patch = || {
        http.patch(emu.url(&format!("/v1/oauth-apps/{id}")))
            .bearer_auth(ADMIN)
            .header("If-Match", &etag)
            .json(&json!({"name": "After"}))
            .send()
    };

    let away = dir.path().join("moved-away");
    std::fs::rename(&folder, &away).unwrap();
    error_keys(patch().await.unwrap(), 500, "InternalServerError").await;
    assert_eq!(all_apps(&http, &emu).await, json!([app]), "unchanged");

    std::fs::rename(&away, &folder).unwrap();
    let retried = patch().await.unwrap();
    assert_eq!(retried.status(), 200);
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["apps"][0]["name"], "After");
    emu.stop().await.unwrap();
}
