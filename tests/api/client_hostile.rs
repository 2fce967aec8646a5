//! The client against a hostile Writer API (our own scriptable fake server):
//! redirects, echoed credentials, over-revealing secret hints, and lists
//! that never end. Nothing sent in confidence may come back out, and every
//! operation ends.

use std::time::Duration;

use crate::support::capture::{assert_no_piece_of, assert_no_secret_in, Capture};
use crate::support::client::few_attempts;
use crate::support::fake_writer::{app_json, echo, FakeWriter, Reply};
use serde_json::json;
use terraform_provider_writer::client::{
    Client, ClientConfig, CreateApp, Error, ListFilter, NameMatch, Outcome, Secret, UpdateApp,
    MAX_LISTED_APPS,
};

const KEY: &str = "test-admin-key-not-real-sentinel-7";
const SECRET: &str = "fake-secret-sentinel-0001";

/// The tests' client settings (1 ms first backoff), with few attempts.
fn config(base: &url::Url) -> ClientConfig {
    few_attempts(base, KEY)
}

fn client(fake: &FakeWriter) -> Client {
    Client::new(config(&fake.base)).unwrap()
}

fn new_app(secret: &str) -> CreateApp {
    CreateApp {
        connector: "confluence".into(),
        name: "Hostile".into(),
        client_id: "fake-client-id-0001".into(),
        client_secret: Secret::new(secret),
        scopes: vec!["search:confluence".into()],
        settings: Default::default(),
    }
}

/// Fails if `text` holds the key or the secret, or a long piece of either.
fn assert_clean(text: &str) {
    assert_no_piece_of("the text", text, &[KEY, SECRET], 10);
}

fn sentinels() -> Vec<String> {
    vec![KEY.to_string(), SECRET.to_string()]
}

// ------------------------------------------------------------ redirects --

#[tokio::test(flavor = "current_thread")]
async fn a_redirect_is_not_followed_and_names_only_the_host_it_pointed_to() {
    let elsewhere = FakeWriter::start(|_, _| Reply::json(201, app_json("stolen", "x", "…0001")));
    for status in [301, 302, 303, 307, 308] {
        let location = format!(
            "http://someone:fake-password-in-location@{}/steal?k=1",
            elsewhere.authority()
        );
        let fake = FakeWriter::start(move |_, _| Reply::redirect(status, &location));
        let capture = Capture::default();
        let _guard = capture.install();
        let err = client(&fake)
            .create_app(&new_app(SECRET))
            .await
            .unwrap_err()
            .error;
        let Error::Redirected { to, .. } = &err else {
            panic!("{status}: {err:?}")
        };
        assert_eq!(
            to.as_deref(),
            Some(format!("http://{}", elsewhere.authority()).as_str())
        );
        let text = format!("{err} {err:?}");
        assert!(text.contains(&elsewhere.authority()), "{text}");
        assert!(!text.contains("fake-password-in-location"), "{text}");
        assert!(!text.contains("steal"), "{text}");
        assert_eq!(fake.count(), 1, "{status}: a redirect is not retried");
        assert_no_secret_in(&capture.client_side(), &sentinels());
    }
    assert_eq!(
        elsewhere.count(),
        0,
        "nothing, above all not the client secret, reached the other host"
    );
    // Reads too.
    let location = format!("http://{}/v1/oauth-apps/x", elsewhere.authority());
    let fake = FakeWriter::start(move |_, _| Reply::redirect(308, &location));
    let err = client(&fake).get_app("x").await.unwrap_err();
    assert!(matches!(err, Error::Redirected { .. }), "{err:?}");
    assert_eq!(elsewhere.count(), 0);
}

#[tokio::test(flavor = "current_thread")]
async fn a_location_that_is_no_url_is_not_quoted() {
    let fake = FakeWriter::start(|_, _| {
        Reply::redirect(307, &format!("mailto:{SECRET}")).header("x-extra", "1")
    });
    let err = client(&fake)
        .create_app(&new_app(SECRET))
        .await
        .unwrap_err()
        .error;
    assert!(matches!(err, Error::Redirected { .. }), "{err:?}");
    assert_clean(&format!("{err} {err:?}"));
}

// --------------------------------------------------------------- echoes --

#[tokio::test(flavor = "current_thread")]
async fn echoed_credentials_never_reach_an_error_or_a_log_line() {
    let fake = FakeWriter::start(echo);
    let capture = Capture::default();
    let _guard = capture.install();
    let c = client(&fake);
    let create = c.create_app(&new_app(SECRET)).await.unwrap_err().error;
    let update = c
        .update_app(
            "app-1",
            &UpdateApp {
                client_secret: Some(Secret::new(SECRET)),
                ..UpdateApp::default()
            },
            Some("\"1\""),
        )
        .await
        .unwrap_err()
        .error;
    let read = c.get_app("app-1").await.unwrap_err();
    let list = c.list_apps(&ListFilter::default()).await.unwrap_err();
    assert!(
        fake.requests()[0].body_text().contains(SECRET),
        "the fake did receive the secret, so the echo holds it"
    );
    for err in [&create, &update, &read, &list] {
        let text = format!("{err} {err:?} {:?}", err.problem());
        assert!(text.contains("[redacted]"), "{text}");
        assert!(
            text.contains("cannot parse request"),
            "the rest is kept: {text}"
        );
        assert_clean(&text);
    }
    assert_no_secret_in(&capture.client_side(), &sentinels());
    for line in capture.client_side() {
        assert_clean(&line.text);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_success_that_echoes_the_secret_keeps_it_out_of_the_app() {
    let fake = FakeWriter::start(|request, _| {
        let echoed = request.body_text();
        let mut app = app_json("app-1", &format!("Hostile {SECRET}"), &format!("…{SECRET}"));
        app["client_id"] = json!(echoed);
        app["scopes"] = json!(["search:confluence", SECRET]);
        Reply::json(201, app)
    });
    // Refused, naming the first field that holds the whole secret; the app's
    // ID still comes back, so that the caller keeps track of it.
    let err = client(&fake)
        .create_app(&new_app(SECRET))
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert_clean(&shown);
    assert!(shown.contains("`name` holds the client secret"), "{shown}");
    assert_eq!(err.outcome, Outcome::Done { id: "app-1".into() });
}

#[tokio::test(flavor = "current_thread")]
async fn a_read_or_list_echoing_the_key_is_refused_and_pieces_of_it_are_data() {
    // The whole key in a field: refused, naming the field and the key.
    let fake = FakeWriter::start(|_, _| {
        let mut app = app_json("app-1", &format!("Team {KEY}"), "…0001");
        app["settings"] = json!({"tenant_id": KEY});
        Reply::json(200, json!({"data": [app], "has_more": false}))
    });
    let err = client(&fake)
        .list_apps(&ListFilter::default())
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("`name` holds the API key"), "{shown}");
    assert_clean(&shown);
    // A piece of it (here `admin-key`, and `sentinel`) is just data.
    let fake = FakeWriter::start(|_, _| {
        Reply::json(
            200,
            app_json("app-1", "admin-key-not-real sentinel-7", "…0001"),
        )
    });
    let app = client(&fake).get_app("app-1").await.unwrap().unwrap().value;
    assert_eq!(app.name, "admin-key-not-real sentinel-7");
}

#[tokio::test(flavor = "current_thread")]
async fn an_unreadable_success_does_not_quote_an_echo() {
    // serde's message quotes the value it could not use.
    let fake = FakeWriter::start(|_, _| {
        let mut app = app_json("app-1", "Hostile", "…0001");
        app["scopes"] = json!(format!("Bearer {KEY}"));
        Reply::json(200, app)
    });
    let err = client(&fake).get_app("app-1").await.unwrap_err();
    assert!(matches!(err, Error::BadResponse { .. }), "{err:?}");
    assert_clean(&format!("{err} {err:?}"));
}

// ---------------------------------------------------------------- hints --

#[tokio::test(flavor = "current_thread")]
async fn a_hint_never_reveals_more_than_the_contract_allows() {
    // The whole secret as the hint: a create that sent it refuses the
    // answer; a read (which sent no secret) keeps no more than the contract.
    let fake = FakeWriter::start(|_, _| Reply::json(201, app_json("app-1", "H", SECRET)));
    let c = client(&fake);
    let err = c.create_app(&new_app(SECRET)).await.unwrap_err();
    assert!(err.to_string().contains("`client_secret_hint`"), "{err}");
    assert_eq!(
        c.get_app("app-1")
            .await
            .unwrap()
            .unwrap()
            .value
            .client_secret_hint,
        "…"
    );
    // The last four characters of a secret too short to show any.
    let fake = FakeWriter::start(|_, _| Reply::json(201, app_json("app-1", "H", "…t-01")));
    let created = client(&fake)
        .create_app(&new_app("fake-short-01"))
        .await
        .unwrap();
    assert_eq!(created.value.client_secret_hint, "…");
    // A contract hint of a long secret is kept.
    let fake = FakeWriter::start(|_, _| Reply::json(201, app_json("app-1", "H", "…0001")));
    let created = client(&fake).create_app(&new_app(SECRET)).await.unwrap();
    assert_eq!(created.value.client_secret_hint, "…0001");
}

// ---------------------------------------------------------------- lists --

/// A list page of `n` apps, with `has_more` always true and a fresh cursor.
fn endless_page(nth: usize, n: usize, name: &str) -> Reply {
    let data: Vec<_> = (0..n)
        .map(|i| app_json(&format!("app-{nth}-{i}"), name, "…0001"))
        .collect();
    Reply::json(
        200,
        json!({"data": data, "has_more": true, "first_id": null,
               "last_id": format!("cursor-{nth}")}),
    )
}

#[tokio::test(flavor = "current_thread")]
async fn an_endless_list_stops_at_the_app_cap() {
    let fake = FakeWriter::start(|_, nth| endless_page(nth, 100, "Same"));
    let err = client(&fake)
        .list_apps(&ListFilter::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadResponse { .. }), "{err:?}");
    assert!(err.to_string().contains("more than"), "{err}");
    assert_eq!(fake.count(), MAX_LISTED_APPS / 100 + 1);
}

#[tokio::test(flavor = "current_thread")]
async fn an_endless_list_of_empty_pages_stops_at_the_page_cap() {
    let fake = FakeWriter::start(|_, nth| endless_page(nth, 0, "Same"));
    let err = client(&fake)
        .list_apps(&ListFilter::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("did not end"), "{err}");
    assert_eq!(
        fake.count(),
        terraform_provider_writer::client::MAX_LIST_PAGES
    );
}

#[tokio::test(flavor = "current_thread")]
async fn one_deadline_bounds_every_page_of_a_list() {
    // Each page is slow but well within one request's timeout: only a
    // deadline for the whole list ends it (before: each page restarted it).
    let fake =
        FakeWriter::start(|_, nth| endless_page(nth, 1, "Slow").after(Duration::from_millis(50)));
    let mut config = config(&fake.base);
    config.max_elapsed = Duration::from_millis(400);
    let err = Client::new(config)
        .unwrap()
        .list_apps(&ListFilter::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutOfTime { .. }), "{err:?}");
    // 400 ms of 50 ms pages; generous against a slow machine, far from the caps.
    assert!(fake.count() <= 10, "{} pages", fake.count());
}

#[tokio::test(flavor = "current_thread")]
async fn one_deadline_covers_retries_across_pages() {
    // Every other request fails with 503 after a delay: each page needs a
    // retry; a per-call budget would let the list go on for ever.
    let fake = FakeWriter::start(|_, nth| {
        if nth % 2 == 0 {
            Reply::writer_error(503, "busy").after(Duration::from_millis(40))
        } else {
            endless_page(nth, 1, "Retried")
        }
    });
    let mut config = config(&fake.base);
    config.max_elapsed = Duration::from_millis(300);
    let err = Client::new(config)
        .unwrap()
        .list_apps(&ListFilter::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::OutOfTime { .. } | Error::Unavailable { .. }),
        "{err:?}"
    );
    assert!(fake.count() <= 20, "{} requests", fake.count());
}

#[tokio::test(flavor = "current_thread")]
async fn a_lookup_by_name_stops_once_decided() {
    // Two matches decide "more than one", however long the list goes on.
    let fake = FakeWriter::start(|_, nth| endless_page(nth, 1, "Twice"));
    let found = client(&fake)
        .find_app_by_name("confluence", "twice")
        .await
        .unwrap();
    assert_eq!(
        found,
        NameMatch::Several(vec!["app-0-0".into(), "app-1-0".into()])
    );
    assert_eq!(fake.count(), 2, "stopped at the second match");

    // A server ignoring the name filter is not believed.
    let fake = FakeWriter::start(|_, _| {
        Reply::json(
            200,
            json!({"data": [app_json("a", "Other", "…"), app_json("b", "Wanted", "…")],
                   "has_more": false, "first_id": "a", "last_id": "b"}),
        )
    });
    let found = client(&fake)
        .find_app_by_name("confluence", "WANTED")
        .await
        .unwrap();
    assert!(
        matches!(&found, NameMatch::One(app) if app.id == "b"),
        "{found:?}"
    );
    let request = &fake.requests()[0];
    assert_eq!(request.query_param("name").as_deref(), Some("WANTED"));
    assert_eq!(
        request.query_param("connector").as_deref(),
        Some("confluence")
    );

    let fake = FakeWriter::start(|_, _| {
        Reply::json(200, json!({"data": [], "has_more": false, "last_id": null}))
    });
    let found = client(&fake)
        .find_app_by_name("confluence", "Nobody")
        .await
        .unwrap();
    assert_eq!(found, NameMatch::None);
}

#[tokio::test(flavor = "current_thread")]
async fn a_huge_page_is_refused_without_reading_it_all() {
    let fake = FakeWriter::start(|_, _| Reply {
        status: 200,
        headers: vec![],
        body: crate::support::fake_writer::Body::Repeat {
            chunk: vec![b' '; 64 * 1024],
            times: 1024, // 64 MiB
        },
        delay: Duration::ZERO,
    });
    let err = client(&fake)
        .list_apps(&ListFilter::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_read_back_after_a_lost_update_shares_the_updates_deadline() {
    // The first PATCH's answer is lost (slower than a request may take), the
    // retry gets 412, and the read that checks whether our own change went
    // in is slow too: it must end when the update's time is up (before: it
    // started a time budget of its own and failed with timeouts later).
    let fake = FakeWriter::start(|_, nth| match nth {
        0 => Reply::json(200, app_json("app-1", "New", "…0001")).after(Duration::from_millis(400)),
        1 => Reply::writer_error(412, "changed"),
        _ => Reply::json(200, app_json("app-1", "New", "…0001")).after(Duration::from_millis(400)),
    });
    let mut config = config(&fake.base);
    config.request_timeout = Duration::from_millis(300);
    config.max_elapsed = Duration::from_millis(500);
    let patch = UpdateApp {
        name: Some("New".into()),
        ..UpdateApp::default()
    };
    let err = Client::new(config)
        .unwrap()
        .update_app("app-1", &patch, Some("\"1\""))
        .await
        .unwrap_err()
        .error;
    assert!(matches!(err, Error::OutOfTime { .. }), "{err:?}");
    let methods: Vec<String> = fake.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["PATCH", "PATCH", "GET"]);
}
