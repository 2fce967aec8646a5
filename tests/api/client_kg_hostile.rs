//! The Knowledge Graph calls of the client against a scripted Writer (our
//! fake): Writer's published conventions (200 creates, loose error bodies,
//! cursor pages after the last item's ID) and hostile answers (lists that
//! never end, lost creates, rate limits). A create is never repeated after
//! an attempt that may have reached Writer; reads, PUT and DELETE are.

use std::time::{Duration, Instant};

use serde_json::json;
use terraform_provider_writer::client::knowledge_graph::{
    FileFilter, GraphFields, NewUrl, Order, MAX_PAGES,
};
use terraform_provider_writer::client::{Client, Error, Outcome};

use crate::support::client::few_attempts;
use crate::support::fake_writer::{FakeWriter, Reply};

const KEY: &str = "test-admin-key-not-real-kg";

fn client(fake: &FakeWriter) -> Client {
    Client::new(few_attempts(&fake.base, KEY)).unwrap()
}

fn graph_json(id: &str, name: &str) -> serde_json::Value {
    json!({"id": id, "created_at": "2026-01-01T00:00:00Z", "name": name, "urls": []})
}

fn file_json(id: &str) -> serde_json::Value {
    json!({"id": id, "created_at": "2026-01-01T00:00:00Z", "name": format!("{id}.pdf"),
           "graph_ids": [], "status": "completed"})
}

#[tokio::test(flavor = "current_thread")]
async fn a_create_answered_200_is_a_create() {
    let fake = FakeWriter::start(|r, _| {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/v1/graphs");
        assert_eq!(r.header("content-type"), Some("application/json"));
        Reply::json(200, graph_json("g-1", "Handbook"))
    });
    let fields = GraphFields {
        name: Some("Handbook".into()),
        description: Some("Policies".into()),
        urls: None,
    };
    let g = client(&fake).create_graph(&fields).await.unwrap();
    assert_eq!((g.id.as_str(), g.name.as_str()), ("g-1", "Handbook"));
    let sent: serde_json::Value = serde_json::from_slice(&fake.requests()[0].body).unwrap();
    assert_eq!(sent, json!({"name": "Handbook", "description": "Policies"}));
}

#[tokio::test(flavor = "current_thread")]
async fn a_create_that_may_have_reached_writer_is_sent_once() {
    let fake = FakeWriter::start(|_, _| Reply::writer_error(503, "busy"));
    let e = client(&fake)
        .create_graph(&GraphFields::default())
        .await
        .unwrap_err();
    assert_eq!(e.outcome, Outcome::Unknown);
    assert_eq!(
        fake.count(),
        1,
        "a POST without an idempotency key was repeated"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_rate_limited_create_waits_for_retry_after_and_is_sent_again() {
    let fake = FakeWriter::start(|_, n| {
        if n == 0 {
            Reply::writer_error(429, "slow down").header("retry-after", "1")
        } else {
            Reply::json(200, graph_json("g-2", "After the wait"))
        }
    });
    let started = Instant::now();
    let g = client(&fake)
        .create_graph(&GraphFields::default())
        .await
        .unwrap();
    assert_eq!(g.id, "g-2");
    assert_eq!(fake.count(), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After ignored"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn put_and_delete_are_repeated_after_a_5xx() {
    let fake = FakeWriter::start(|r, n| match (r.method.as_str(), n) {
        (_, 0) | (_, 2) => Reply::writer_error(502, "bad gateway"),
        ("PUT", _) => Reply::json(200, graph_json("g-3", "Renamed")),
        _ => Reply::json(200, json!({"id": "g-3", "deleted": true})),
    });
    let c = client(&fake);
    let fields = GraphFields {
        urls: Some(vec![NewUrl {
            url: "https://docs.example.com/".into(),
            kind: "sub_pages".into(),
            exclude_urls: vec![],
        }]),
        ..GraphFields::default()
    };
    assert_eq!(
        c.update_graph("g-3", &fields).await.unwrap().name,
        "Renamed"
    );
    c.delete_graph("g-3").await.unwrap();
    let methods: Vec<String> = fake.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods, ["PUT", "PUT", "DELETE", "DELETE"]);
    let sent: serde_json::Value = serde_json::from_slice(&fake.requests()[0].body).unwrap();
    assert_eq!(
        sent,
        json!({"urls": [{"url": "https://docs.example.com/", "type": "sub_pages"}]})
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_answer_about_another_graph_is_not_taken() {
    let fake = FakeWriter::start(|_, _| Reply::json(200, graph_json("someone-else", "X")));
    let e = client(&fake).get_graph("g-4").await.unwrap_err();
    assert!(
        e.to_string().contains("not `g-4` that was asked for"),
        "{e}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn writers_error_bodies_are_read_whatever_their_extras() {
    let fake = FakeWriter::start(|_, _| {
        Reply::json(
            400,
            json!({"tpe": "fail.validation", "errors": [{"description": "You can only connect \
                   URLs to Knowledge Graphs with the type web", "key": "graph.urls",
                   "extras": "urls"}], "extras": null}),
        )
    });
    let e = client(&fake)
        .update_graph("g-5", &GraphFields::default())
        .await
        .unwrap_err();
    assert_eq!(e.outcome, Outcome::NotDone);
    let Error::Validation { problem, .. } = &e.error else {
        panic!("{e:?}")
    };
    assert!(problem
        .description
        .as_deref()
        .unwrap()
        .contains("with the type web"));
}

#[tokio::test(flavor = "current_thread")]
async fn pages_are_asked_for_after_the_last_items_id() {
    // 250 files, served 100 a page whatever `limit` says, `last_id` wrong
    // on purpose: only the last item's ID moves the cursor right.
    let fake = FakeWriter::start(|r, _| {
        let after: usize = r.query_param("after").map_or(0, |a| {
            a.trim_start_matches('f').parse::<usize>().unwrap() + 1
        });
        let ids: Vec<usize> = (after..250.min(after + 100)).collect();
        let data: Vec<_> = ids.iter().map(|i| file_json(&format!("f{i}"))).collect();
        Reply::json(
            200,
            json!({"data": data, "has_more": after + 100 < 250, "last_id": "f0", "first_id": "f0"}),
        )
    });
    let mut seen = Vec::new();
    let filter = FileFilter {
        graph_id: Some("g-6".into()),
        status: None,
        file_types: Vec::new(),
    };
    client(&fake)
        .each_file(&filter, Order::Oldest, |f| {
            seen.push(f.id);
            true
        })
        .await
        .unwrap();
    assert_eq!(seen.len(), 250);
    assert_eq!(seen.last().unwrap(), "f249");
    let requests = fake.requests();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(r.query_param("limit").as_deref(), Some("100"));
        assert_eq!(r.query_param("order").as_deref(), Some("asc"));
        assert_eq!(r.query_param("graph_id").as_deref(), Some("g-6"));
    }
    assert_eq!(requests[1].query_param("after").as_deref(), Some("f99"));
    assert_eq!(requests[2].query_param("after").as_deref(), Some("f199"));
}

#[tokio::test(flavor = "current_thread")]
async fn a_list_whose_cursor_does_not_move_ends_at_once() {
    let fake = FakeWriter::start(|_, _| {
        Reply::json(
            200,
            json!({"data": [graph_json("g-same", "Again")], "has_more": true}),
        )
    });
    let e = client(&fake)
        .each_graph(Order::Oldest, |_| true)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("does not move on"), "{e}");
    assert_eq!(fake.count(), 2);
    let fake = FakeWriter::start(|_, _| Reply::json(200, json!({"data": [], "has_more": true})));
    let e = client(&fake)
        .each_graph(Order::Newest, |_| true)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("does not move on"), "{e}");
    assert_eq!(fake.count(), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn a_list_that_never_ends_ends_after_the_page_cap() {
    let fake = FakeWriter::start(|_, n| {
        Reply::json(
            200,
            json!({"data": [graph_json(&format!("g{n}"), "More")], "has_more": true}),
        )
    });
    let e = client(&fake)
        .each_graph(Order::Oldest, |_| true)
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains(&format!("did not end after {MAX_PAGES} pages")),
        "{e}"
    );
    assert_eq!(fake.count(), MAX_PAGES);
}

#[tokio::test(flavor = "current_thread")]
async fn adding_a_file_already_in_the_graph_is_done() {
    let fake = FakeWriter::start(|_, _| Reply::writer_error(409, "File already in graph"));
    client(&fake).add_file_to_graph("g-7", "f-1").await.unwrap();
    let r = &fake.requests()[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/v1/graphs/g-7/file")
    );
    assert_eq!(r.body_text(), r#"{"file_id":"f-1"}"#);
}

#[tokio::test(flavor = "current_thread")]
async fn gone_is_done_for_deletes_and_none_for_reads() {
    let fake = FakeWriter::start(|_, _| Reply::writer_error(404, "not found"));
    let c = client(&fake);
    c.delete_file("f-1").await.unwrap();
    c.remove_file_from_graph("g-1", "f-1").await.unwrap();
    assert_eq!(c.get_file("f-1").await.unwrap(), None);
    assert_eq!(c.get_graph("g-1").await.unwrap(), None);
    assert_eq!(c.get_application_graphs("app-1").await.unwrap(), None);
    let paths: Vec<String> = fake.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/v1/files/f-1",
            "/v1/graphs/g-1/file/f-1",
            "/v1/files/f-1",
            "/v1/graphs/g-1",
            "/v1/applications/app-1/graphs"
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_applications_list_is_replaced_whole() {
    let fake = FakeWriter::start(|r, _| {
        let sent: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        Reply::json(200, sent)
    });
    let ids = vec!["g-1".to_string(), "g-2".to_string()];
    let got = client(&fake)
        .set_application_graphs("app-1", &ids)
        .await
        .unwrap();
    assert_eq!(got, ids);
    let got = client(&fake)
        .set_application_graphs("app-1", &[])
        .await
        .unwrap();
    assert!(got.is_empty());
    assert_eq!(fake.requests()[1].body_text(), r#"{"graph_ids":[]}"#);
    assert_eq!(fake.requests()[1].method, "PUT");
}
