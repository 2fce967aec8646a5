//! The published Writer (`tests/published_writer/writer.py`, a Writer that
//! follows only Writer's published documentation and takes every freedom it
//! leaves that our emulator does not) checked from both ends:
//!
//! - Writer's own Python SDK drives it with the same script and machinery
//!   as the emulator's SDK test (`writer_sdk`), plus the steps only it has
//!   (a graph deployed to one team, `before` cursors, counted processing,
//!   429s the SDK rides out): the fake follows the published contract.
//! - The provider's client (`client::knowledge_graph`) drives it through
//!   every call the provider makes: so the client depends on the contract,
//!   not on our emulator's habits (IDs, timestamps, `urls` null or absent,
//!   no `first_id`/`last_id`, `desc` by default, error bodies with `tpe`
//!   and string `extras`, an upload answer showing no graph, 429 with
//!   `Retry-After`).
//! - The script itself: standard library only, gone without a trace on
//!   SIGTERM or when its stdin closes, and doing what its README says it
//!   does differently (raw HTTP: pages, shapes, errors, uploads, seams).

use std::collections::HashSet;
use std::time::Duration;

use terraform_provider_writer::client::knowledge_graph::{
    FileFilter, Graph, GraphFields, NewUrl, Order, Upload,
};
use terraform_provider_writer::client::{Client, Error};
use terraform_provider_writer::domain::knowledge_graph::disposition::content_disposition;

use serde_json::{json, Value};

use crate::support::client::client_config;
use crate::support::emulator::block_on;
use crate::support::published_writer::{script, PublishedWriter};
use crate::support::{run_ok, UNKNOWN_KEY};
use crate::writer_sdk::{python_with_sdk, run_sdk_check, SdkTarget};

/// Reads a file or URL stays in progress in these tests.
const POLLS: usize = 2;

fn client_of(writer: &PublishedWriter, key: &str) -> Client {
    let base = url::Url::parse(&writer.base_url()).unwrap();
    Client::new(client_config(&base, key)).unwrap()
}

fn named(name: &str) -> GraphFields {
    GraphFields {
        name: Some(name.into()),
        ..GraphFields::default()
    }
}

fn urls(list: &[(&str, &str)]) -> GraphFields {
    GraphFields {
        urls: Some(
            list.iter()
                .map(|(url, kind)| NewUrl {
                    url: (*url).into(),
                    kind: (*kind).into(),
                    exclude_urls: vec![],
                })
                .collect(),
        ),
        ..GraphFields::default()
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn writers_python_sdk_takes_the_published_writer() {
    let python = python_with_sdk();
    let polls = POLLS.to_string();
    let writer = PublishedWriter::start(&[
        "--web-graph",
        "Company website",
        "--chat-agent",
        "Support agent",
        "--team-graph",
        "Team only",
        "--polls-to-settle",
        &polls,
        "--rate-limit-every",
        "40",
    ]);
    let team = writer.seeded("Team only");
    let out = run_sdk_check(
        &python,
        &SdkTarget {
            base_url: &writer.base_url(),
            api_key: writer.api_key(),
            web_graph: &writer.seeded("Company website"),
            chat_agent: &writer.seeded("Support agent"),
            processing_ms: "300",
        },
        &[
            ("WRITER_TEAM_GRAPH_ID", team.as_str()),
            ("WRITER_POLLS_TO_SETTLE", polls.as_str()),
            ("WRITER_SDK_MAX_RETRIES", "3"),
        ],
    );
    for step in [
        "published: a graph deployed to one team is invisible",
        "published: pages after and before a cursor",
        "published: a file stays in progress for a counted number of reads",
        "published: URL errors by name, an unknown key refused",
    ] {
        assert!(out.contains(step), "the step {step:?} did not run:\n{out}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_clients_knowledge_graph_calls_take_the_published_writer() {
    let polls = POLLS.to_string();
    let writer = PublishedWriter::start(&[
        "--web-graph",
        "Docs site",
        "--chat-agent",
        "Support bot",
        "--team-graph",
        "Team only",
        "--polls-to-settle",
        &polls,
    ]);
    let (web_id, agent, team) = (
        writer.seeded("Docs site"),
        writer.seeded("Support bot"),
        writer.seeded("Team only"),
    );
    let c = client_of(&writer, writer.api_key()).for_operation();

    // Creates answer without `type` or `file_status`, with UUIDs and
    // fractional `+00:00` timestamps; more than a page of 100.
    let mut made = Vec::new();
    for i in 0..120 {
        let g = c
            .create_graph(&named(&format!("Graph {i:03}")))
            .await
            .unwrap();
        assert_eq!(g.kind, None, "a create's answer has no type");
        assert_eq!(g.file_status, None);
        assert!(g.created_at.ends_with("+00:00"), "{}", g.created_at);
        made.push(g.id);
    }
    assert!(
        c.writer_ahead_ms().is_some(),
        "every answer has a Date header"
    );
    for order in [Order::Oldest, Order::Newest] {
        let mut seen = Vec::new();
        c.each_graph(order, |g| {
            seen.push(g.id);
            true
        })
        .await
        .unwrap();
        assert_eq!(seen.len(), 121, "{order:?}: every visible graph once");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 121);
        assert!(!seen.contains(&team), "a team's graph is not listed");
        let newest = made.last().unwrap();
        match order {
            Order::Oldest => assert_eq!(&seen[0], &web_id),
            Order::Newest => assert_eq!(&seen[0], newest),
        }
    }
    let read = c.get_graph(&made[7]).await.unwrap().unwrap();
    assert_eq!(read.name, "Graph 007");
    assert_eq!(read.kind.as_deref(), Some("manual"));
    assert_eq!(read.description, None, "an unset description is absent");
    assert!(read.urls.is_empty());
    assert_eq!(read.file_status.unwrap().total, 0);
    let renamed = c
        .update_graph(
            &made[7],
            &GraphFields {
                name: Some("Renamed".into()),
                description: Some("Ünïcode – described".into()),
                urls: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "Renamed");
    assert_eq!(renamed.description.as_deref(), Some("Ünïcode – described"));
    assert_eq!(c.get_graph(&team).await.unwrap(), None, "a team's graph");
    assert_eq!(
        c.get_graph("00000000-0000-4000-8000-000000000000")
            .await
            .unwrap(),
        None
    );

    // A web graph's URLs: replaced whole, validating for a counted number
    // of reads, then success or Writer's reason.
    let answer = c
        .update_graph(
            &web_id,
            &urls(&[
                ("https://docs.example.com/", "sub_pages"),
                ("https://news.unreadable.example/", "single_page"),
            ]),
        )
        .await
        .unwrap();
    let status = |g: &Graph| -> Vec<(String, Option<String>)> {
        g.urls
            .iter()
            .map(|u| {
                let s = u.status.clone().expect("every URL has a status");
                (s.status, s.error_type)
            })
            .collect()
    };
    assert!(status(&answer).iter().all(|(s, _)| s == "validating"));
    for _ in 0..POLLS {
        let g = c.get_graph(&web_id).await.unwrap().unwrap();
        assert!(status(&g).iter().all(|(s, _)| s == "validating"));
    }
    let web = c.get_graph(&web_id).await.unwrap().unwrap();
    assert_eq!(web.kind.as_deref(), Some("web"));
    assert_eq!(
        status(&web),
        [
            ("success".to_string(), None),
            (
                "error".to_string(),
                Some("paywall_or_login_page".to_string())
            )
        ]
    );
    c.update_graph(&web_id, &urls(&[("https://c.example.com/", "single_page")]))
        .await
        .unwrap();
    let listed: Vec<String> = c
        .get_graph(&web_id)
        .await
        .unwrap()
        .unwrap()
        .urls
        .into_iter()
        .map(|u| u.url)
        .collect();
    assert_eq!(listed, ["https://c.example.com/"], "replaced whole");
    c.update_graph(&web_id, &urls(&[])).await.unwrap();
    assert!(c.get_graph(&web_id).await.unwrap().unwrap().urls.is_empty());
    // Only a web graph takes URLs: Writer's 400, read from its error body.
    let refused = c
        .update_graph(
            &made[0],
            &urls(&[("https://a.example.com/", "single_page")]),
        )
        .await
        .unwrap_err();
    match &refused.error {
        Error::Validation { field, problem } => {
            assert_eq!(field.as_deref(), Some("urls"));
            let said = problem.description.as_deref().unwrap_or_default();
            assert!(said.contains("web"), "{said}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }

    // An upload streamed from disk into a graph, named in Unicode: the
    // answer shows no graph, a later read does; processing takes a counted
    // number of reads.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("rates.txt");
    let content = "Ünïcode handbook\n".repeat(4000);
    std::fs::write(&path, &content).unwrap();
    let name = "€ rates – \"2025\".txt";
    let disposition = content_disposition(name).unwrap();
    let uploaded = c
        .upload_file(&Upload {
            path: &path,
            length: content.len() as u64,
            content_type: "text/plain",
            content_disposition: &disposition,
            graph_id: Some(&made[0]),
        })
        .await
        .unwrap();
    assert_eq!(
        uploaded.name, name,
        "the name Writer parsed from {disposition}"
    );
    assert!(uploaded.graph_ids.is_empty(), "the upload's answer");
    assert_eq!(uploaded.status, "in_progress");
    let file_id = uploaded.id.clone();
    let mut reads = Vec::new();
    loop {
        let f = c.get_file(&file_id).await.unwrap().unwrap();
        assert_eq!(
            f.graph_ids,
            [made[0].clone()],
            "a later read shows the graph"
        );
        assert_eq!(f.created_at, uploaded.created_at);
        reads.push(f.status.clone());
        if f.status != "in_progress" {
            break;
        }
        assert!(reads.len() <= POLLS + 1, "{reads:?}");
    }
    let mut expected = vec!["in_progress".to_string(); POLLS];
    expected.push("completed".into());
    assert_eq!(reads, expected);
    let (status, bytes) = download(&writer, &file_id).await;
    assert_eq!(status, 200);
    assert_eq!(
        bytes,
        content.as_bytes(),
        "what Writer keeps is what was sent"
    );

    // One file in two graphs; listed by graph and status; detached.
    c.add_file_to_graph(&made[1], &file_id).await.unwrap();
    c.add_file_to_graph(&made[1], &file_id).await.unwrap(); // 409: done
    let f = c.get_file(&file_id).await.unwrap().unwrap();
    assert_eq!(
        sorted(f.graph_ids),
        sorted(vec![made[0].clone(), made[1].clone()])
    );
    let graph = c.get_graph(&made[1]).await.unwrap().unwrap();
    let counts = graph.file_status.unwrap();
    assert_eq!((counts.completed, counts.total), (1, 1));
    for filter in [
        FileFilter {
            graph_id: Some(made[1].clone()),
            status: None,
        },
        FileFilter {
            graph_id: None,
            status: Some("completed".into()),
        },
    ] {
        let mut found = Vec::new();
        c.each_file(&filter, Order::Newest, |f| {
            found.push(f.id);
            true
        })
        .await
        .unwrap();
        assert_eq!(found, std::slice::from_ref(&file_id), "{filter:?}");
    }
    c.remove_file_from_graph(&made[1], &file_id).await.unwrap();
    c.remove_file_from_graph(&made[1], &file_id).await.unwrap(); // 404: done
    assert_eq!(
        c.get_file(&file_id).await.unwrap().unwrap().graph_ids,
        [made[0].clone()]
    );
    let mut none = Vec::new();
    c.each_file(
        &FileFilter {
            graph_id: Some(made[1].clone()),
            status: None,
        },
        Order::Oldest,
        |f| {
            none.push(f.id);
            true
        },
    )
    .await
    .unwrap();
    assert!(none.is_empty(), "{none:?}");

    // More than a page of files, newest first by default order.
    let small = folder.path().join("small.pdf");
    std::fs::write(&small, b"%PDF-1.4 not really\n").unwrap();
    let mut files = vec![file_id.clone()];
    for i in 0..105 {
        let disposition = content_disposition(&format!("policy {i:03}.pdf")).unwrap();
        let f = c
            .upload_file(&Upload {
                path: &small,
                length: 20,
                content_type: "application/pdf",
                content_disposition: &disposition,
                graph_id: None,
            })
            .await
            .unwrap();
        files.push(f.id);
    }
    let mut listed = Vec::new();
    c.each_file(&FileFilter::default(), Order::Newest, |f| {
        listed.push(f.id);
        true
    })
    .await
    .unwrap();
    files.reverse();
    assert_eq!(listed, files, "every file once, newest first");

    // A chat agent's graphs: replaced whole, emptied; an unknown agent is
    // none; an unknown graph is refused, naming it.
    assert_eq!(
        c.get_application_graphs(&agent).await.unwrap(),
        Some(vec![])
    );
    let set = c
        .set_application_graphs(&agent, &[made[0].clone(), web_id.clone()])
        .await
        .unwrap();
    assert_eq!(sorted(set), sorted(vec![made[0].clone(), web_id.clone()]));
    let set = c
        .set_application_graphs(&agent, &[made[2].clone()])
        .await
        .unwrap();
    assert_eq!(set, [made[2].clone()], "replaced, not added to");
    let refused = c
        .set_application_graphs(&agent, std::slice::from_ref(&team))
        .await
        .unwrap_err();
    match &refused.error {
        Error::Validation { problem, .. } => {
            let said = problem.description.as_deref().unwrap_or_default();
            assert!(said.contains(&team), "{said}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(
        c.get_application_graphs(&agent).await.unwrap(),
        Some(vec![made[2].clone()]),
        "a refused update changes nothing"
    );
    c.set_application_graphs(&agent, &[]).await.unwrap();
    assert_eq!(
        c.get_application_graphs(&agent).await.unwrap(),
        Some(vec![])
    );
    assert_eq!(
        c.get_application_graphs("00000000-0000-4000-8000-000000000000")
            .await
            .unwrap(),
        None
    );
    let unknown_agent = c
        .set_application_graphs("00000000-0000-4000-8000-000000000000", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(unknown_agent.error, Error::NotFound { .. }),
        "{unknown_agent:?}"
    );

    // Gone is gone: read as none, deleted again without error. A graph's
    // deletion leaves its files, out of it.
    c.delete_graph(&made[0]).await.unwrap();
    c.delete_graph(&made[0]).await.unwrap();
    assert_eq!(c.get_graph(&made[0]).await.unwrap(), None);
    assert!(c
        .get_file(&file_id)
        .await
        .unwrap()
        .unwrap()
        .graph_ids
        .is_empty());
    c.delete_file(&file_id).await.unwrap();
    c.delete_file(&file_id).await.unwrap();
    assert_eq!(c.get_file(&file_id).await.unwrap(), None);
}

/// `GET /v1/files/{id}/download` with the key, as a person would.
async fn download(writer: &PublishedWriter, id: &str) -> (u16, Vec<u8>) {
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(writer.url(&format!("/v1/files/{id}/download")))
        .bearer_auth(writer.api_key())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "current_thread")]
async fn the_client_rides_out_429s_and_does_nothing_twice() {
    // Every third request is a 429 asking for a second's wait.
    let writer = PublishedWriter::start(&["--rate-limit-every", "3", "--polls-to-settle", "0"]);
    let c = client_of(&writer, writer.api_key()).for_operation();
    let started = std::time::Instant::now();
    let mut made = Vec::new();
    for i in 0..4 {
        made.push(
            c.create_graph(&named(&format!("Limited {i}")))
                .await
                .unwrap()
                .id,
        );
    }
    let mut seen = Vec::new();
    c.each_graph(Order::Oldest, |g| {
        seen.push(g.id);
        true
    })
    .await
    .unwrap();
    assert_eq!(seen, made, "each create made exactly one graph");
    // Uploads (streamed from disk again after a 429) and attachments: each
    // done once.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("limited.txt");
    std::fs::write(&path, "limited\n".repeat(1000)).unwrap();
    let mut uploaded = Vec::new();
    for i in 0..3 {
        let disposition = content_disposition(&format!("limited {i}.txt")).unwrap();
        let f = c
            .upload_file(&Upload {
                path: &path,
                length: 8000,
                content_type: "text/plain",
                content_disposition: &disposition,
                graph_id: Some(&made[0]),
            })
            .await
            .unwrap();
        c.add_file_to_graph(&made[1], &f.id).await.unwrap();
        uploaded.push(f.id);
    }
    let mut files = Vec::new();
    c.each_file(&FileFilter::default(), Order::Oldest, |f| {
        files.push((f.id, sorted(f.graph_ids)));
        true
    })
    .await
    .unwrap();
    let both = sorted(vec![made[0].clone(), made[1].clone()]);
    let expected: Vec<_> = uploaded
        .iter()
        .map(|id| (id.clone(), both.clone()))
        .collect();
    assert_eq!(files, expected, "each upload made exactly one file");
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "Retry-After was honoured: {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_wrong_key_is_refused_in_writers_words() {
    let writer = PublishedWriter::start(&[]);
    let c = client_of(&writer, UNKNOWN_KEY);
    let error = c.get_graph("any").await.unwrap_err();
    match &error {
        Error::Unauthorized { problem } => {
            assert_eq!(problem.status, 401);
            assert_eq!(problem.key.as_deref(), Some("fail.auth"));
            let said = problem.description.as_deref().unwrap_or_default();
            assert!(said.contains("API key"), "{said}");
        }
        other => panic!("expected 401, got {other:?}"),
    }
    assert!(!error.to_string().contains(writer.api_key()), "{error}");
}

#[test]
fn the_published_writer_uses_the_standard_library_only() {
    // Each module it imports is one of this python's standard library.
    let check = r#"
import ast, sys
tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())
names = set()
for node in ast.walk(tree):
    if isinstance(node, ast.Import):
        names.update(a.name.split(".")[0] for a in node.names)
    elif isinstance(node, ast.ImportFrom):
        names.add((node.module or "").split(".")[0])
foreign = sorted(n for n in names if n not in sys.stdlib_module_names)
assert names, "no imports found"
assert not foreign, f"not in the standard library: {foreign}"
print(len(names), "modules")
"#;
    let out = run_ok(
        std::process::Command::new("python3")
            .args(["-c", check])
            .arg(script()),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(" modules"));
}

#[test]
fn the_published_writer_leaves_nothing_behind() {
    // On SIGTERM, and when its stdin closes: the process ends, and so does
    // the folder of uploaded files it made.
    for how in ["SIGTERM", "stdin closed"] {
        let mut writer = PublishedWriter::start(&[]);
        let (status, body) = writer.upload("kept a while.txt", b"some bytes", None);
        assert_eq!(status, 200, "{body}");
        let uploads = writer.scratch_entries();
        assert_eq!(uploads.len(), 1, "{how}: its uploads' folder: {uploads:?}");
        let exit = match how {
            "SIGTERM" => writer.terminate(),
            _ => writer.close_stdin_and_wait(),
        };
        assert!(exit.success(), "{how}: {exit}");
        assert_eq!(
            writer.scratch_entries(),
            Vec::<std::path::PathBuf>::new(),
            "{how}"
        );
    }
}

/// `(status, headers, JSON body)` of one raw request to the published
/// Writer, with its key unless `key` says otherwise. Blocking.
fn raw(
    writer: &PublishedWriter,
    method: &str,
    path: &str,
    key: &str,
    build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let url = writer.url(path);
    block_on(async {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let response = build(http.request(method, &url).bearer_auth(key))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        (
            status,
            headers,
            serde_json::from_str(&text).unwrap_or(Value::Null),
        )
    })
}

fn assert_writer_error(body: &Value, tpe: &str) {
    assert_eq!(body["tpe"], json!(tpe), "{body}");
    let errors = body["errors"].as_array().expect("errors");
    assert!(!errors.is_empty(), "{body}");
    assert!(errors[0]["description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    assert!(errors[0]["key"].is_string(), "{body}");
    assert!(body.as_object().unwrap().contains_key("extras"), "{body}");
}

#[test]
fn the_published_writer_does_what_its_readme_says() {
    let writer = PublishedWriter::start(&[
        "--web-graph",
        "Site",
        "--chat-agent",
        "Bot",
        "--polls-to-settle",
        "1",
    ]);
    let (site, bot) = (writer.seeded("Site"), writer.seeded("Bot"));

    // Creates: UUIDs, `+00:00`, no `type`/`file_status`, an unset
    // description absent, fields the SDK does not know.
    let mut made = Vec::new();
    for i in 0..55 {
        let (status, g) = writer.call("POST", "/v1/graphs", Some(json!({"name": format!("g{i}")})));
        assert_eq!(status, 200, "{g}");
        let id = g["id"].as_str().unwrap();
        assert_eq!(id.len(), 36, "a UUID: {id}");
        assert!(g["created_at"].as_str().unwrap().ends_with("+00:00"));
        for absent in ["type", "file_status", "description"] {
            assert!(g.get(absent).is_none(), "{absent}: {g}");
        }
        assert_eq!(g["object"], json!("graph"));
        made.push(id.to_owned());
    }

    // Pages: 50 by default, newest first, `{data, has_more}` only.
    let (_, page) = writer.call("GET", "/v1/graphs", None);
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 50);
    assert_eq!(page["has_more"], json!(true));
    assert!(page.get("first_id").is_none() && page.get("last_id").is_none());
    assert_eq!(data[0]["id"], json!(made[54]));
    // A graph without URLs has them null, absent or [].
    let shapes: HashSet<&str> = data
        .iter()
        .map(|g| match g.get("urls") {
            None => "absent",
            Some(Value::Null) => "null",
            Some(Value::Array(a)) if a.is_empty() => "[]",
            Some(other) => panic!("urls {other}"),
        })
        .collect();
    assert_eq!(shapes, HashSet::from(["absent", "null", "[]"]));
    for bad in ["0", "101", "x"] {
        let (status, body) = writer.call("GET", &format!("/v1/graphs?limit={bad}"), None);
        assert_eq!(status, 400, "limit={bad}: {body}");
        assert_writer_error(&body, "fail.validation");
        assert_eq!(body["errors"][0]["extras"]["field"], json!("limit"));
        assert!(body["extras"].is_string(), "{body}");
    }
    // A deleted object's ID still marks its place; an unknown one is a 400.
    let (status, _) = writer.call("DELETE", &format!("/v1/graphs/{}", made[10]), None);
    assert_eq!(status, 200);
    let (_, after) = writer.call(
        "GET",
        &format!("/v1/graphs?order=asc&limit=1&after={}", made[10]),
        None,
    );
    assert_eq!(after["data"][0]["id"], json!(made[11]));
    let (status, _) = writer.call("GET", "/v1/graphs?after=no-such-id", None);
    assert_eq!(status, 400);

    // Errors: 401 `fail.auth` with string extras; 404 `NotFound` with null.
    let (status, headers, body) = raw(&writer, "GET", "/v1/graphs", UNKNOWN_KEY, |r| r);
    assert_eq!(status, 401);
    assert_writer_error(&body, "fail.auth");
    assert!(body["extras"].is_string(), "{body}");
    assert!(
        headers.contains_key("date"),
        "a Date header on every answer"
    );
    assert!(!headers.contains_key("x-request-id"));
    let (status, body) = writer.call("GET", &format!("/v1/graphs/{}", made[10]), None);
    assert_eq!(status, 404);
    assert_writer_error(&body, "NotFound");
    assert_eq!(body["extras"], Value::Null);

    // Uploads: chunked, a raw UTF-8 `filename=`, any Content-Type; the
    // answer shows no graph, a later read does.
    let content = b"chunked body".to_vec();
    let (status, _, file) = raw(
        &writer,
        "POST",
        &format!("/v1/files?graphId={}", made[0]),
        writer.api_key(),
        |r| {
            r.header(
                "content-disposition",
                reqwest::header::HeaderValue::from_bytes(
                    "attachment; filename=\"ñandú.txt\"".as_bytes(),
                )
                .unwrap(),
            )
            .header("content-type", "application/x-anything")
            .body(reqwest::Body::wrap_stream(futures_util::stream::iter([
                Ok::<_, std::io::Error>(content.clone()),
            ])))
        },
    );
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["name"], json!("ñandú.txt"));
    assert_eq!(file["size"], json!(content.len()));
    assert_eq!(file["graph_ids"], json!([]));
    let id = file["id"].as_str().unwrap().to_owned();
    let (_, read) = writer.call("GET", &format!("/v1/files/{id}"), None);
    assert_eq!(read["graph_ids"], json!([made[0]]));
    // Twice into one graph is a 409; out of a graph it is not in, a 404.
    let add = json!({"file_id": id});
    let (status, _) = writer.call(
        "POST",
        &format!("/v1/graphs/{}/file", made[1]),
        Some(add.clone()),
    );
    assert_eq!(status, 200);
    let (status, body) = writer.call("POST", &format!("/v1/graphs/{}/file", made[1]), Some(add));
    assert_eq!(status, 409, "{body}");
    let (status, _) = writer.call("DELETE", &format!("/v1/graphs/{}/file/{id}", made[2]), None);
    assert_eq!(status, 404);

    // `.unprocessable.` fails after the counted read; a retry starts over
    // and answers `{}`.
    let (_, failing) = writer.upload("report.unprocessable.pdf", b"%PDF", None);
    let failing = failing["id"].as_str().unwrap().to_owned();
    let status_of =
        |id: &str| writer.call("GET", &format!("/v1/files/{id}"), None).1["status"].clone();
    assert_eq!(status_of(&failing), json!("in_progress"));
    assert_eq!(status_of(&failing), json!("failed"));
    let (status, body) = writer.call(
        "POST",
        "/v1/files/retry",
        Some(json!({"file_ids": [failing]})),
    );
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(status_of(&failing), json!("in_progress"));

    // URLs: only a web graph takes them; errors by host; a settled URL has
    // no `error_type`.
    let urls = json!({"urls": [
        {"url": "https://ok.example.com/", "type": "single_page"},
        {"url": "https://x.unindexed.example/", "type": "single_page"},
    ]});
    let (status, body) = writer.call(
        "PUT",
        &format!("/v1/graphs/{}", made[0]),
        Some(urls.clone()),
    );
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["extras"]["field"], json!("urls"));
    let (status, _) = writer.call("PUT", &format!("/v1/graphs/{site}"), Some(urls));
    assert_eq!(status, 200);
    writer.call("GET", &format!("/v1/graphs/{site}"), None);
    let (_, web) = writer.call("GET", &format!("/v1/graphs/{site}"), None);
    assert_eq!(web["urls"][0]["status"], json!({"status": "success"}));
    assert_eq!(
        web["urls"][1]["status"],
        json!({"status": "error", "error_type": "not_searchable"})
    );

    // Sent again, every URL is validated again.
    let (_, again) = writer.call(
        "PUT",
        &format!("/v1/graphs/{site}"),
        Some(json!({"urls": web["urls"]})),
    );
    assert!(
        again["urls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["status"] == json!({"status": "validating"})),
        "{again}"
    );
    // Deleting a graph leaves its files, out of it, and takes it out of
    // every agent's list.
    let (status, _) = writer.call(
        "PUT",
        &format!("/v1/applications/{bot}/graphs"),
        Some(json!({"graph_ids": [made[0], site]})),
    );
    assert_eq!(status, 200);
    writer.call("DELETE", &format!("/v1/graphs/{}", made[0]), None);
    let (_, read) = writer.call("GET", &format!("/v1/files/{id}"), None);
    assert_eq!(read["graph_ids"], json!([made[1]]));
    let (_, agent) = writer.call("GET", &format!("/v1/applications/{bot}/graphs"), None);
    assert_eq!(agent, json!({"graph_ids": [site]}));
}
