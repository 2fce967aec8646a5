//! The client against a Writer that stalls, trickles, refuses or answers
//! nonsense (our own scriptable fake server): every request ends at its
//! request timeout however its answer arrives, every operation ends at its
//! deadline, a failed write says truthfully whether Writer may have carried
//! it out, and no answer (a compressed one, 100 MB, invalid UTF-8, duplicate
//! keys, another app than the one asked for) panics or is taken for an app.

use std::time::{Duration, Instant};

use crate::support::client::few_attempts;
use crate::support::fake_writer::{app_json, Body, FakeWriter, Reply};
use terraform_provider_writer::client::{
    Client, ClientConfig, CreateApp, Error, Outcome, TransportKind, UpdateApp, WriteError,
};

const KEY: &str = "test-admin-key-not-real";

fn config(base: &url::Url) -> ClientConfig {
    few_attempts(base, KEY)
}

fn client(fake: &FakeWriter) -> Client {
    Client::new(config(&fake.base)).unwrap()
}

fn new_app() -> CreateApp {
    crate::support::client::new_app("Stalled", "fake-secret-stalled-0001")
}

fn rename() -> UpdateApp {
    UpdateApp {
        name: Some("Renamed".into()),
        ..UpdateApp::default()
    }
}

// ------------------------------------------------------------- deadlines --

#[tokio::test(flavor = "current_thread")]
async fn a_trickling_answer_ends_at_the_request_timeout() {
    // Headers at once, then a byte every 50 ms for 10 s: the request timeout
    // ends it, however slowly the body comes.
    let fake = FakeWriter::start(|_, _| Reply::trickle(200, Duration::from_millis(50), 200));
    let mut config = config(&fake.base);
    config.max_attempts = 1;
    config.request_timeout = Duration::from_millis(400);
    let started = Instant::now();
    let err = Client::new(config)
        .unwrap()
        .get_app("app-1")
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(
            &err,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("request timeout"), "{err}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn retries_of_a_trickling_answer_end_with_the_operation() {
    let fake = FakeWriter::start(|_, _| Reply::trickle(201, Duration::from_millis(50), 200));
    let mut config = config(&fake.base);
    config.max_attempts = 10;
    config.request_timeout = Duration::from_millis(300);
    config.max_elapsed = Duration::from_millis(800);
    let started = Instant::now();
    let err = Client::new(config)
        .unwrap()
        .create_app(&new_app())
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err.error, Error::OutOfTime { .. }), "{err:?}");
    assert_eq!(err.outcome, Outcome::Unknown, "the create was sent");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(fake.count() <= 4, "{} attempts", fake.count());
}

#[tokio::test(flavor = "current_thread")]
async fn one_operation_bounds_every_call_made_in_it() {
    // Each call alone is quick; the operation (a create, then a lookup) is
    // not: the calls made with one `for_operation` client share its time.
    let fake = FakeWriter::start(|_, _| {
        Reply::json(200, app_json("app-1", "Stalled", "…0001")).after(Duration::from_millis(150))
    });
    let mut settings = config(&fake.base);
    settings.max_elapsed = Duration::from_millis(400);
    let operation = Client::new(settings).unwrap().for_operation();
    let mut results = Vec::new();
    for _ in 0..5 {
        results.push(operation.get_app("app-1").await.map(|_| ()));
    }
    assert!(results[0].is_ok(), "{:?}", results[0]);
    assert!(
        matches!(results.last(), Some(Err(Error::OutOfTime { .. }))),
        "{results:?}"
    );
    assert!(fake.count() <= 4, "{} requests", fake.count());

    // `keeping` ends a call early, leaving the rest of the operation.
    let fake = FakeWriter::start(|_, _| Reply::trickle(201, Duration::from_millis(50), 200));
    let mut settings = config(&fake.base);
    settings.request_timeout = Duration::from_secs(5);
    settings.max_elapsed = Duration::from_millis(900);
    let operation = Client::new(settings).unwrap().for_operation();
    let started = Instant::now();
    let err = operation
        .keeping(Duration::from_millis(600))
        .create_app(&new_app())
        .await
        .unwrap_err();
    let create_took = started.elapsed();
    assert!(matches!(err.error, Error::OutOfTime { .. }), "{err:?}");
    assert!(create_took < Duration::from_millis(600), "{create_took:?}");
    let err = operation.get_app("app-1").await.unwrap_err();
    let all_took = started.elapsed();
    assert!(matches!(err, Error::OutOfTime { .. }), "{err:?}");
    assert!(
        all_took >= Duration::from_millis(850) && all_took < Duration::from_secs(3),
        "the lookup had the rest of the operation, no more: {all_took:?}"
    );
}

// -------------------------------------------------------------- outcomes --

/// A write against `fake`, as its error.
async fn create_fails(fake: &FakeWriter) -> WriteError {
    client(fake).create_app(&new_app()).await.unwrap_err()
}

#[tokio::test(flavor = "current_thread")]
async fn a_refusal_is_not_done_whatever_the_refusal() {
    for status in [400, 401, 403, 404, 409, 412, 418, 422] {
        let fake = FakeWriter::start(move |_, _| Reply::writer_error(status, "no"));
        let err = create_fails(&fake).await;
        assert_eq!(err.outcome, Outcome::NotDone, "{status}: {err:?}");
        assert_eq!(fake.count(), 1, "{status}: not retried");
    }
    // Rate-limited until the time runs out: asked to wait for 30 years.
    let fake = FakeWriter::start(|_, _| {
        Reply::writer_error(429, "slow down").header("retry-after", "1000000000")
    });
    let started = Instant::now();
    let err = create_fails(&fake).await;
    assert!(matches!(err.error, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(err.outcome, Outcome::NotDone);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "gave up at once"
    );
    // Rate-limited on every attempt.
    let fake = FakeWriter::start(|_, _| Reply::writer_error(429, "slow down"));
    let err = create_fails(&fake).await;
    assert_eq!(err.outcome, Outcome::NotDone, "{err:?}");
    assert_eq!(fake.count(), 3);
    // A redirect: nothing was sent where it pointed.
    let fake = FakeWriter::start(|_, _| Reply::redirect(307, "https://elsewhere.example/"));
    assert_eq!(create_fails(&fake).await.outcome, Outcome::NotDone);
    // Nobody listening: nothing arrived.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        url::Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap()
    };
    let err = Client::new(config(&closed))
        .unwrap()
        .delete_app("app-1")
        .await
        .unwrap_err();
    assert_eq!(err.outcome, Outcome::NotDone, "{err:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn no_complete_answer_leaves_the_outcome_unknown() {
    type Script = fn(usize) -> Reply;
    let cases: Vec<(&str, Script)> = vec![
        ("5xx", |_| Reply::writer_error(503, "busy")),
        ("500 once, then a refusal", |nth| match nth {
            0 => Reply::writer_error(500, "oops"),
            _ => Reply::writer_error(429, "slow down"),
        }),
        ("a trickle", |_| {
            Reply::trickle(201, Duration::from_millis(50), 100)
        }),
        ("an unreadable success", |_| Reply {
            status: 201,
            headers: vec![],
            body: Body::Bytes(b"<html>proxy</html>".to_vec()),
            delay: Duration::ZERO,
        }),
    ];
    for (case, script) in cases {
        // A fresh fake for each write, so that `nth` counts its attempts.
        let client = |fake: &FakeWriter| {
            let mut settings = config(&fake.base);
            settings.request_timeout = Duration::from_millis(300);
            settings.max_elapsed = Duration::from_secs(2);
            Client::new(settings).unwrap()
        };
        let fake = FakeWriter::start(move |_, nth| script(nth));
        let create = client(&fake).create_app(&new_app()).await.unwrap_err();
        assert_eq!(create.outcome, Outcome::Unknown, "{case}: {create:?}");
        let fake = FakeWriter::start(move |_, nth| script(nth));
        let update = client(&fake)
            .update_app("app-1", &rename(), Some("\"1\""))
            .await
            .unwrap_err();
        assert_eq!(update.outcome, Outcome::Unknown, "{case}: {update:?}");
        if case != "an unreadable success" {
            let fake = FakeWriter::start(move |_, nth| script(nth));
            let delete = client(&fake).delete_app("app-1").await.unwrap_err();
            assert_eq!(delete.outcome, Outcome::Unknown, "{case}: {delete:?}");
        }
    }
}

// ------------------------------------------------------ hostile answers --

#[tokio::test(flavor = "current_thread")]
async fn a_compressed_answer_is_never_inflated() {
    // The client asks for no compression, so a body marked gzip is not
    // inflated (a compression bomb stays the few bytes it is): it is not
    // the JSON the contract describes.
    // A whole app, gzipped: inflated, it would be taken for `app-1`.
    const GZIPPED_APP: &[u8] = &[
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x85, 0x90, 0x41, 0x6a, 0x03,
        0x31, 0x0c, 0x45, 0xef, 0xe2, 0x75, 0x9d, 0xf1, 0x64, 0x91, 0x85, 0x2f, 0xd0, 0x0b, 0x64,
        0x95, 0x52, 0x06, 0x45, 0x56, 0x3a, 0x26, 0x8e, 0x47, 0xd8, 0x9a, 0x04, 0x12, 0x02, 0x39,
        0x4d, 0x0e, 0xd6, 0x93, 0x54, 0x93, 0x42, 0xcb, 0x40, 0x20, 0xa0, 0x85, 0x79, 0xfa, 0xb2,
        0xf4, 0xff, 0xc5, 0xc4, 0x60, 0xbc, 0x01, 0x66, 0xdb, 0x9a, 0x37, 0x83, 0x43, 0xce, 0x84,
        0x32, 0x14, 0x65, 0xfa, 0xde, 0xa5, 0x91, 0x32, 0x92, 0x36, 0x32, 0x1c, 0x48, 0xd9, 0xfb,
        0x39, 0x32, 0x53, 0x98, 0x94, 0x29, 0x52, 0x96, 0xee, 0x31, 0xbd, 0x83, 0x3d, 0xd9, 0x5f,
        0x60, 0x63, 0xb0, 0xce, 0xb9, 0xf6, 0x5f, 0x51, 0x09, 0x0b, 0x49, 0xd7, 0xc7, 0x2c, 0x2a,
        0xfd, 0xbe, 0xdd, 0x9f, 0xb6, 0x47, 0x0e, 0x20, 0x14, 0x3a, 0x98, 0x44, 0x4b, 0xb7, 0x5c,
        0x59, 0xd7, 0x6a, 0xad, 0x9d, 0xf3, 0x8f, 0xda, 0xe8, 0x44, 0xc5, 0x81, 0xa9, 0x1a, 0xff,
        0x61, 0x2a, 0x41, 0xc1, 0xde, 0xcf, 0x2e, 0x2c, 0x04, 0xc1, 0x57, 0x06, 0xa4, 0x27, 0x9c,
        0xe1, 0x6b, 0x86, 0x3f, 0x75, 0x3f, 0xa4, 0xb4, 0x05, 0xdc, 0x77, 0x63, 0x49, 0xba, 0xb3,
        0x17, 0xe1, 0xea, 0x9b, 0x46, 0x93, 0x58, 0x9c, 0x4a, 0x14, 0x2a, 0x0b, 0x1c, 0x0e, 0xcd,
        0x5f, 0x20, 0xcd, 0xec, 0xd3, 0x2a, 0x20, 0x63, 0x9d, 0x82, 0x43, 0x89, 0xc7, 0x89, 0xa8,
        0x8b, 0x97, 0x06, 0x5e, 0x9b, 0xbc, 0xfe, 0x00, 0xc5, 0x6b, 0x70, 0x7d, 0x90, 0x01, 0x00,
        0x00,
    ];
    let fake = FakeWriter::start(|_, _| Reply {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("content-encoding".into(), "gzip".into()),
        ],
        body: Body::Bytes(GZIPPED_APP.to_vec()),
        delay: Duration::ZERO,
    });
    let err = client(&fake).get_app("app-1").await.unwrap_err();
    assert!(matches!(err, Error::BadResponse { .. }), "{err:?}");
    let request = &fake.requests()[0];
    assert_eq!(request.header("accept-encoding"), None, "{request:?}");
}

/// The peak resident memory of this process, in KiB (Linux).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Reads this process's peak memory, which the other tests of this binary
/// (parallel threads) would raise: so it runs again alone, in a process of
/// its own, and passes when that run passes.
#[test]
fn a_100_mb_answer_is_refused_in_bounded_memory() {
    crate::support::alone_on_a_runtime(
        module_path!(),
        "a_100_mb_answer_is_refused_in_bounded_memory",
        a_100_mb_answer_is_refused_in_bounded_memory_here(),
    );
}

async fn a_100_mb_answer_is_refused_in_bounded_memory_here() {
    let fake = FakeWriter::start(|_, _| Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: Body::Repeat {
            chunk: vec![b' '; 64 * 1024],
            times: 1600, // 100 MiB
        },
        delay: Duration::ZERO,
    });
    let before = peak_rss_kib();
    let err = client(&fake).get_app("app-1").await.unwrap_err();
    let grew = peak_rss_kib().saturating_sub(before);
    assert!(err.to_string().contains("larger than"), "{err}");
    eprintln!("a 100 MB answer: peak RSS grew by {grew} KiB");
    // The answer is cut at 4 MiB; the fake streams without holding it.
    assert!(grew < 40 * 1024, "peak memory grew by {grew} KiB");
    let err = client(&fake).create_app(&new_app()).await.unwrap_err();
    assert_eq!(err.outcome, Outcome::Unknown, "a success too large to read");
}

#[tokio::test(flavor = "current_thread")]
async fn invalid_utf8_and_duplicate_keys_are_clear_errors() {
    let app = app_json("app-1", "Stalled", "…0001").to_string();
    let invalid = app
        .replace("Stalled", "St\u{fffd}lled")
        .replace('\u{fffd}', "\u{1}");
    let mut bytes = invalid.into_bytes();
    let at = bytes.iter().position(|b| *b == 1).unwrap();
    bytes[at] = 0xff;
    let duplicated = app.replacen("{", r#"{"id":"app-2","#, 1).into_bytes();
    for (case, body) in [("invalid UTF-8", bytes), ("a duplicate key", duplicated)] {
        let fake = FakeWriter::start(move |_, _| Reply {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Bytes(body.clone()),
            delay: Duration::ZERO,
        });
        let err = client(&fake).get_app("app-1").await.unwrap_err();
        assert!(
            matches!(&err, Error::BadResponse { reason, .. }
                if reason.contains("not the JSON the contract describes")),
            "{case}: {err:?}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_answer_about_another_app_is_not_taken() {
    let fake = FakeWriter::start(|_, _| Reply::json(200, app_json("app-2", "Other", "…0001")));
    let err = client(&fake).get_app("app-1").await.unwrap_err();
    assert!(
        matches!(&err, Error::BadResponse { reason, .. }
            if reason.contains("app-2") && reason.contains("app-1")),
        "{err:?}"
    );
    let err = client(&fake)
        .update_app("app-1", &rename(), Some("\"1\""))
        .await
        .unwrap_err();
    assert!(matches!(err.error, Error::BadResponse { .. }), "{err:?}");
    assert_eq!(err.outcome, Outcome::Unknown, "the update may be in");
}
