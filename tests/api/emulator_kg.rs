//! The emulator's Knowledge Graph endpoints over real HTTP: cursor pages,
//! replace-the-whole-list `urls` and agent `graph_ids`, files and URLs moving
//! through processing, upload headers (Unicode names, `text/plain` for any
//! file, limits), Writer's 404 and 400 answers, the state file across a
//! restart, and a 256 MiB upload streamed to disk by the real binary.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use terraform_provider_writer::emulator::{seeded, Config, KnowledgeGraphSettings, SeedKind};

use crate::support::emulator::{client, config, error_keys, Emulator, EmulatorProcess};
use crate::support::{ADMIN, READ_ONLY};

fn kg_config(processing_ms: u64, fail_rate: f64) -> Config {
    Config {
        knowledge_graph: KnowledgeGraphSettings {
            web_graphs: vec!["Website".into()],
            chat_agents: vec!["Support".into()],
            team_graphs: vec!["Finance only".into()],
            processing_delay: Duration::from_millis(processing_ms),
            file_fail_rate: fail_rate,
            ..KnowledgeGraphSettings::default()
        },
        ..config()
    }
}

fn seed_id(config: &Config, kind: SeedKind) -> String {
    seeded(&config.knowledge_graph)
        .into_iter()
        .find(|s| s.kind == kind)
        .expect("seeded")
        .id
}

async fn call(
    emu: &Emulator,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client().request(method, emu.url(path)).bearer_auth(ADMIN);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn ok(emu: &Emulator, method: &str, path: &str, body: Option<Value>) -> Value {
    let (status, body) = call(emu, method, path, body).await;
    assert_eq!(status, 200, "{method} {path}: {body}");
    body
}

async fn upload(
    emu: &Emulator,
    disposition: &str,
    content_type: &str,
    query: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    client()
        .post(emu.url(&format!("/v1/files{query}")))
        .bearer_auth(ADMIN)
        .header("Content-Disposition", disposition)
        .header("Content-Type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn wait_for(emu: &Emulator, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let body = ok(emu, "GET", path, None).await;
        if done(&body) {
            return body;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{path}: {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn graphs_are_made_read_changed_listed_in_pages_and_deleted() {
    let config = kg_config(0, 0.0);
    let web = seed_id(&config, SeedKind::WebGraph);
    let emu = Emulator::start(config).await;

    let created = ok(
        &emu,
        "POST",
        "/v1/graphs",
        Some(json!({"name": "Handbook", "description": "How we work"})),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["name"], "Handbook");
    assert_eq!(created["description"], "How we work");
    assert_eq!(created["urls"], json!([]));
    assert!(
        created.get("type").is_none() && created.get("file_status").is_none(),
        "{created}"
    );

    let read = ok(&emu, "GET", &format!("/v1/graphs/{id}"), None).await;
    assert_eq!(read["type"], "manual");
    assert_eq!(read["created_at"], created["created_at"]);
    assert_eq!(
        read["file_status"],
        json!({"in_progress": 0, "completed": 0, "failed": 0, "total": 0})
    );

    let changed = ok(
        &emu,
        "PUT",
        &format!("/v1/graphs/{id}"),
        Some(json!({"name": "Policies"})),
    )
    .await;
    assert_eq!(changed["name"], "Policies");
    assert_eq!(
        changed["description"], "How we work",
        "an absent field is unchanged"
    );
    let (status, body) = call(
        &emu,
        "PUT",
        &format!("/v1/graphs/{id}"),
        Some(json!({"name": "x".repeat(256)})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extras"]["field"], "name");

    let mut ids = vec![web.clone(), id.clone()];
    for i in 0..5 {
        let g = ok(
            &emu,
            "POST",
            "/v1/graphs",
            Some(json!({"name": format!("G{i}")})),
        )
        .await;
        ids.push(g["id"].as_str().unwrap().to_owned());
    }
    // Newest first by default, pages of 3 by the last item's ID.
    let mut seen = Vec::new();
    let mut path = "/v1/graphs?limit=3".to_owned();
    let mut pages = 0;
    loop {
        let page = ok(&emu, "GET", &path, None).await;
        pages += 1;
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 3);
        assert_eq!(page["first_id"], data[0]["id"]);
        assert_eq!(page["last_id"], data[data.len() - 1]["id"]);
        assert!(data
            .iter()
            .all(|g| g["file_status"].is_object() && g["type"].is_string()));
        seen.extend(data.iter().map(|g| g["id"].as_str().unwrap().to_owned()));
        if page["has_more"] == false {
            break;
        }
        path = format!(
            "/v1/graphs?limit=3&after={}",
            page["last_id"].as_str().unwrap()
        );
    }
    assert_eq!(pages, 3);
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(seen, newest_first);
    // The page before a cursor, and ascending order.
    let before = ok(
        &emu,
        "GET",
        &format!("/v1/graphs?limit=2&before={}", seen[3]),
        None,
    )
    .await;
    assert_eq!(before["data"][0]["id"], json!(seen[1]));
    assert_eq!(before["data"][1]["id"], json!(seen[2]));
    assert_eq!(before["has_more"], true);
    let asc = ok(&emu, "GET", "/v1/graphs?order=asc&limit=100", None).await;
    let asc: Vec<&str> = asc["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(asc, ids);
    let empty = ok(&emu, "GET", &format!("/v1/graphs?after={}", seen[6]), None).await;
    assert_eq!(
        empty,
        json!({"data": [], "has_more": false, "first_id": null, "last_id": null})
    );
    for bad in ["limit=0", "limit=101", "order=sideways", "after=no-such-id"] {
        let response = client()
            .get(emu.url(&format!("/v1/graphs?{bad}")))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap();
        error_keys(response, 400, "BadRequest").await;
    }

    let deleted = ok(&emu, "DELETE", &format!("/v1/graphs/{id}"), None).await;
    assert_eq!(deleted, json!({"id": id, "deleted": true}));
    let response = client()
        .get(emu.url(&format!("/v1/graphs/{id}")))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    let (keys, _) = error_keys(response, 404, "NotFound").await;
    assert_eq!(keys, ["graph.not_found"]);
}

#[tokio::test]
async fn a_web_graphs_urls_are_replaced_whole_and_validated() {
    let config = kg_config(200, 0.0);
    let web = seed_id(&config, SeedKind::WebGraph);
    let emu = Emulator::start(config).await;
    let path = format!("/v1/graphs/{web}");
    let urls = json!([
        {"url": "https://docs.example.com/", "type": "sub_pages", "exclude_urls": ["https://docs.example.com/old/"]},
        {"url": "https://news.not-found.unreadable.example/", "type": "single_page"},
        {"url": "https://login.unreadable.example/", "type": "single_page"},
        {"url": "mailto:someone@example.com", "type": "single_page"},
    ]);
    let answer = ok(&emu, "PUT", &path, Some(json!({"urls": urls}))).await;
    let statuses: Vec<&Value> = answer["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| &u["status"])
        .collect();
    assert!(
        statuses
            .iter()
            .all(|s| **s == json!({"status": "validating"})),
        "{answer}"
    );
    assert_eq!(
        answer["urls"][0]["exclude_urls"],
        json!(["https://docs.example.com/old/"])
    );
    assert!(answer["urls"][1].get("exclude_urls").is_none());

    let settled = wait_for(&emu, &path, |g| {
        g["urls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["status"]["status"] != "validating")
    })
    .await;
    assert_eq!(settled["type"], "web");
    let statuses: Vec<Value> = settled["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        [
            json!({"status": "success"}),
            json!({"status": "error", "error_type": "not_found"}),
            json!({"status": "error", "error_type": "paywall_or_login_page"}),
            json!({"status": "error", "error_type": "invalid_url"}),
        ]
    );

    // Replaced whole: the URL sent again as it was keeps its result, a new one validates.
    let next = json!([urls[0], {"url": "https://blog.example.com/", "type": "single_page"}]);
    let answer = ok(&emu, "PUT", &path, Some(json!({"urls": next}))).await;
    let urls_now = answer["urls"].as_array().unwrap();
    assert_eq!(urls_now.len(), 2);
    assert_eq!(urls_now[0]["status"], json!({"status": "success"}));
    assert_eq!(urls_now[1]["status"], json!({"status": "validating"}));
    // A name-only change leaves the list alone; [] clears it.
    let answer = ok(&emu, "PUT", &path, Some(json!({"name": "Site"}))).await;
    assert_eq!(answer["urls"].as_array().unwrap().len(), 2);
    let answer = ok(&emu, "PUT", &path, Some(json!({"urls": []}))).await;
    assert_eq!(answer["urls"], json!([]));

    // A manual graph takes no URLs; a bad URL object names its field.
    let manual = ok(&emu, "POST", "/v1/graphs", Some(json!({"name": "Manual"}))).await;
    let manual_path = format!("/v1/graphs/{}", manual["id"].as_str().unwrap());
    let (status, body) = call(&emu, "PUT", &manual_path, Some(json!({"urls": urls}))).await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["key"], "graph.urls.not_web");
    assert!(
        body["errors"][0]["description"]
            .as_str()
            .unwrap()
            .contains("Add Website"),
        "{body}"
    );
    let (status, body) = call(
        &emu,
        "PUT",
        &path,
        Some(json!({"urls": [{"url": "https://x.example", "type": "all"}]})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["extras"]["field"], "urls[0].type");
}

#[tokio::test]
async fn files_are_processed_then_completed_or_failed_and_retried() {
    let emu = Emulator::start(kg_config(300, 0.0)).await;
    let graph = ok(&emu, "POST", "/v1/graphs", Some(json!({"name": "Docs"}))).await;
    let graph_id = graph["id"].as_str().unwrap();

    let response = upload(
        &emu,
        "attachment; filename=\"guide.pdf\"",
        "application/pdf",
        &format!("?graphId={graph_id}"),
        b"%PDF-1.4 fake".to_vec(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let file: Value = response.json().await.unwrap();
    assert_eq!(
        file["graph_ids"],
        json!([]),
        "the upload answer shows no graph yet"
    );
    assert_eq!(file["status"], "in_progress");
    assert_eq!(file["name"], "guide.pdf");
    let file_path = format!("/v1/files/{}", file["id"].as_str().unwrap());
    let now = ok(&emu, "GET", &file_path, None).await;
    assert_eq!(
        now["graph_ids"],
        json!([graph_id]),
        "a later GET shows the graph"
    );
    assert_eq!(now["status"], "in_progress");
    let counts =
        ok(&emu, "GET", &format!("/v1/graphs/{graph_id}"), None).await["file_status"].clone();
    assert_eq!(
        counts,
        json!({"in_progress": 1, "completed": 0, "failed": 0, "total": 1})
    );
    let done = wait_for(&emu, &file_path, |f| f["status"] != "in_progress").await;
    assert_eq!(done["status"], "completed");
    assert_eq!(done["created_at"], file["created_at"]);
    let counts =
        ok(&emu, "GET", &format!("/v1/graphs/{graph_id}"), None).await["file_status"].clone();
    assert_eq!(
        counts,
        json!({"in_progress": 0, "completed": 1, "failed": 0, "total": 1})
    );

    // Every upload fails when the fault switch says so; a retry processes it again.
    let failing = Emulator::start(kg_config(100, 1.0)).await;
    let response = upload(
        &failing,
        "attachment; filename=a.txt",
        "text/plain",
        "",
        b"text".to_vec(),
    )
    .await;
    let file: Value = response.json().await.unwrap();
    let path = format!("/v1/files/{}", file["id"].as_str().unwrap());
    let failed = wait_for(&failing, &path, |f| f["status"] != "in_progress").await;
    assert_eq!(failed["status"], "failed");
    let listed = ok(&failing, "GET", "/v1/files?status=failed", None).await;
    assert_eq!(listed["data"][0]["id"], file["id"]);
    let retried = ok(
        &failing,
        "POST",
        "/v1/files/retry",
        Some(json!({"file_ids": [file["id"]]})),
    )
    .await;
    assert_eq!(retried, json!({"success": true}));
    assert_eq!(
        ok(&failing, "GET", &path, None).await["status"],
        "in_progress"
    );
    assert_eq!(
        wait_for(&failing, &path, |f| f["status"] != "in_progress").await["status"],
        "failed"
    );
    let (status, body) = call(
        &failing,
        "POST",
        "/v1/files/retry",
        Some(json!({"file_ids": ["nope"]})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["extras"]["unknown_file_ids"],
        json!(["nope"])
    );
}

#[tokio::test]
async fn upload_headers_unicode_names_types_and_limits() {
    let mut config = kg_config(0, 0.0);
    config.knowledge_graph.max_file_bytes = 1000;
    let emu = Emulator::start(config).await;
    let names = [
        (
            "attachment; filename*=UTF-8''%E2%82%AC%20rates%20%E2%80%93%20Q1.txt",
            "€ rates – Q1.txt",
        ),
        (
            "attachment; filename=\"fallback.txt\"; filename*=utf-8''%E6%97%A5%E6%9C%AC.md",
            "日本.md",
        ),
        (
            "attachment; filename=\"quoted \\\"name\\\"; with semicolon.csv\"",
            "quoted \"name\"; with semicolon.csv",
        ),
        ("attachment; filename=plain.html", "plain.html"),
    ];
    let mut ids = Vec::new();
    for (disposition, name) in names {
        // text/plain is taken for any file, a Markdown file included.
        let response = upload(
            &emu,
            disposition,
            "text/plain; charset=utf-8",
            "",
            name.as_bytes().to_vec(),
        )
        .await;
        assert_eq!(response.status(), 200, "{disposition}");
        let file: Value = response.json().await.unwrap();
        assert_eq!(file["name"], name);
        ids.push(file["id"].as_str().unwrap().to_owned());
        // The bytes come back as they went.
        let download = client()
            .get(emu.url(&format!("/v1/files/{}/download", ids.last().unwrap())))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), 200);
        assert_eq!(download.bytes().await.unwrap(), name.as_bytes());
    }
    // file_types filters by the name's extension.
    let listed = ok(&emu, "GET", "/v1/files?file_types=csv,TXT&order=asc", None).await;
    let listed: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        ["€ rates – Q1.txt", "quoted \"name\"; with semicolon.csv"]
    );

    for (disposition, content_type, query, body, status, key) in [
        (
            None,
            Some("text/plain"),
            "",
            vec![1u8],
            400,
            "file.content_disposition.missing",
        ),
        (
            Some("attachment"),
            Some("text/plain"),
            "",
            vec![1],
            400,
            "file.content_disposition.invalid",
        ),
        (
            Some("attachment; filename=a.md"),
            Some("text/markdown"),
            "",
            vec![1],
            400,
            "file.content_type.unsupported",
        ),
        (
            Some("attachment; filename=a.txt"),
            None,
            "",
            vec![1],
            400,
            "file.content_type.unsupported",
        ),
        (
            Some("attachment; filename=a.txt"),
            Some("text/plain"),
            "",
            vec![],
            400,
            "file.empty",
        ),
        (
            Some("attachment; filename=a.txt"),
            Some("text/plain"),
            "?graphId=nope",
            vec![1],
            400,
            "file.graph_id.unknown",
        ),
        (
            Some("attachment; filename=a.txt"),
            Some("text/plain"),
            "",
            vec![0; 1001],
            413,
            "file.too_large",
        ),
    ] {
        let mut request = client()
            .post(emu.url(&format!("/v1/files{query}")))
            .bearer_auth(ADMIN)
            .body(body);
        if let Some(d) = disposition {
            request = request.header("Content-Disposition", d);
        }
        if let Some(t) = content_type {
            request = request.header("Content-Type", t);
        }
        let response = request.send().await.unwrap();
        let tpe = if status == 413 {
            "PayloadTooLarge"
        } else {
            "BadRequest"
        };
        let (keys, body) = error_keys(response, status, tpe).await;
        assert_eq!(keys, [key], "{body}");
    }
    // Refused uploads leave nothing behind.
    assert_eq!(
        ok(&emu, "GET", "/v1/files", None).await["data"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    // A chunked upload (no Content-Length) beyond the limit is cut off too.
    // (This reqwest has no streaming bodies: a raw request.)
    // Async, as the emulator runs on this test's (single) thread.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    let head = format!(
        "POST /v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ADMIN}\r\n\
         Content-Disposition: attachment; filename=big.txt\r\nContent-Type: text/plain\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let mut request = head.into_bytes();
    for _ in 0..20 {
        request.extend_from_slice(b"64\r\n");
        request.extend_from_slice(&[7u8; 100]);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    stream.write_all(&request).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(
        ok(&emu, "GET", "/v1/files", None).await["data"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[tokio::test]
async fn files_join_and_leave_graphs_and_deletes_cascade() {
    let config = kg_config(0, 0.0);
    let agent = seed_id(&config, SeedKind::ChatAgent);
    let emu = Emulator::start(config).await;
    let a = ok(&emu, "POST", "/v1/graphs", Some(json!({"name": "A"}))).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = ok(&emu, "POST", "/v1/graphs", Some(json!({"name": "B"}))).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let file: Value = upload(
        &emu,
        "attachment; filename=x.txt",
        "text/plain",
        &format!("?graphId={a}"),
        b"x".to_vec(),
    )
    .await
    .json()
    .await
    .unwrap();
    let file_id = file["id"].as_str().unwrap().to_owned();

    let joined = ok(
        &emu,
        "POST",
        &format!("/v1/graphs/{b}/file"),
        Some(json!({"file_id": file_id})),
    )
    .await;
    assert_eq!(joined["graph_ids"], json!([a, b]));
    let (status, body) = call(
        &emu,
        "POST",
        &format!("/v1/graphs/{b}/file"),
        Some(json!({"file_id": file_id})),
    )
    .await;
    assert_eq!(
        (status.as_u16(), body["tpe"].as_str()),
        (409, Some("Conflict")),
        "{body}"
    );
    let in_b = ok(&emu, "GET", &format!("/v1/files?graph_id={b}"), None).await;
    assert_eq!(in_b["data"][0]["id"], json!(file_id));
    let left = ok(
        &emu,
        "DELETE",
        &format!("/v1/graphs/{b}/file/{file_id}"),
        None,
    )
    .await;
    assert_eq!(left, json!({"id": file_id, "deleted": true}));
    let (status, _) = call(
        &emu,
        "DELETE",
        &format!("/v1/graphs/{b}/file/{file_id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        ok(&emu, "GET", &format!("/v1/files/{file_id}"), None).await["graph_ids"],
        json!([a])
    );

    // A deleted graph leaves its files and the agents that answered from it.
    ok(
        &emu,
        "PUT",
        &format!("/v1/applications/{agent}/graphs"),
        Some(json!({"graph_ids": [a, b]})),
    )
    .await;
    ok(&emu, "DELETE", &format!("/v1/graphs/{a}"), None).await;
    assert_eq!(
        ok(&emu, "GET", &format!("/v1/files/{file_id}"), None).await["graph_ids"],
        json!([])
    );
    assert_eq!(
        ok(
            &emu,
            "GET",
            &format!("/v1/applications/{agent}/graphs"),
            None
        )
        .await,
        json!({"graph_ids": [b]})
    );

    let deleted = ok(&emu, "DELETE", &format!("/v1/files/{file_id}"), None).await;
    assert_eq!(deleted, json!({"id": file_id, "deleted": true}));
    for path in [
        format!("/v1/files/{file_id}"),
        format!("/v1/files/{file_id}/download"),
    ] {
        let response = client()
            .get(emu.url(&path))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap();
        let (keys, _) = error_keys(response, 404, "NotFound").await;
        assert_eq!(keys, ["file.not_found"]);
    }
}

#[tokio::test]
async fn an_agents_graphs_are_replaced_whole_and_unknown_ids_are_refused() {
    let config = kg_config(0, 0.0);
    let agent = seed_id(&config, SeedKind::ChatAgent);
    let web = seed_id(&config, SeedKind::WebGraph);
    let team = seed_id(&config, SeedKind::TeamGraph);
    let emu = Emulator::start(config).await;
    let path = format!("/v1/applications/{agent}/graphs");
    let g = ok(&emu, "POST", "/v1/graphs", Some(json!({"name": "G"}))).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    assert_eq!(ok(&emu, "GET", &path, None).await, json!({"graph_ids": []}));
    assert_eq!(
        ok(&emu, "PUT", &path, Some(json!({"graph_ids": [g, web, g]}))).await,
        json!({"graph_ids": [g, web]})
    );
    assert_eq!(
        ok(&emu, "PUT", &path, Some(json!({"graph_ids": [web]}))).await,
        json!({"graph_ids": [web]})
    );

    // Unknown graph IDs (a team graph among them) are named; nothing changes.
    let response = client()
        .put(emu.url(&path))
        .bearer_auth(ADMIN)
        .json(&json!({"graph_ids": [g, "no-such-graph", team]}))
        .send()
        .await
        .unwrap();
    let (keys, body) = error_keys(response, 400, "BadRequest").await;
    assert_eq!(keys, ["application.graph_ids.unknown"]);
    assert_eq!(
        body["errors"][0]["extras"]["unknown_graph_ids"],
        json!(["no-such-graph", team])
    );
    assert!(body["errors"][0]["description"]
        .as_str()
        .unwrap()
        .contains("no-such-graph"));
    assert_eq!(
        ok(&emu, "GET", &path, None).await,
        json!({"graph_ids": [web]})
    );
    let (status, body) = call(&emu, "PUT", &path, Some(json!({"graph_ids": "g"}))).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        ok(&emu, "PUT", &path, Some(json!({"graph_ids": []}))).await,
        json!({"graph_ids": []})
    );

    // An unknown application, or a graph's ID, is not a chat agent: 404.
    for id in ["no-such-app", g.as_str()] {
        for method in ["GET", "PUT"] {
            let response = client()
                .request(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    emu.url(&format!("/v1/applications/{id}/graphs")),
                )
                .bearer_auth(ADMIN)
                .json(&json!({"graph_ids": []}))
                .send()
                .await
                .unwrap();
            let (keys, body) = error_keys(response, 404, "NotFound").await;
            assert_eq!(keys, ["application.not_found"]);
            assert!(body["errors"][0]["description"]
                .as_str()
                .unwrap()
                .contains("chat agent"));
        }
    }

    // The team graph is invisible: 404 that says why it may be, absent from lists.
    let response = client()
        .get(emu.url(&format!("/v1/graphs/{team}")))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    let (_, body) = error_keys(response, 404, "NotFound").await;
    assert!(
        body["errors"][0]["description"]
            .as_str()
            .unwrap()
            .contains("one team"),
        "{body}"
    );
    let listed = ok(&emu, "GET", "/v1/graphs", None).await;
    assert!(!listed.to_string().contains(&team));

    // Read-only keys read, and may not change.
    let response = client()
        .get(emu.url(&path))
        .bearer_auth(READ_ONLY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = client()
        .put(emu.url(&path))
        .bearer_auth(READ_ONLY)
        .json(&json!({"graph_ids": []}))
        .send()
        .await
        .unwrap();
    error_keys(response, 403, "Forbidden").await;
}

#[tokio::test]
async fn the_state_file_keeps_graphs_files_and_agents_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut config = kg_config(0, 0.0);
    config.state_file = Some(state.clone());
    let agent = seed_id(&config, SeedKind::ChatAgent);
    let web = seed_id(&config, SeedKind::WebGraph);

    let emu = Emulator::start(config.clone()).await;
    let g = ok(&emu, "POST", "/v1/graphs", Some(json!({"name": "Kept"}))).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let file: Value = upload(
        &emu,
        "attachment; filename=kept.txt",
        "text/plain",
        &format!("?graphId={g}"),
        b"kept bytes".to_vec(),
    )
    .await
    .json()
    .await
    .unwrap();
    ok(
        &emu,
        "PUT",
        &format!("/v1/graphs/{web}"),
        Some(json!({"urls": [{"url": "https://a.example/", "type": "single_page"}]})),
    )
    .await;
    ok(
        &emu,
        "PUT",
        &format!("/v1/applications/{agent}/graphs"),
        Some(json!({"graph_ids": [g]})),
    )
    .await;
    let before = ok(&emu, "GET", "/v1/graphs?limit=100", None).await;
    emu.stop().await.unwrap();
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert!(saved["knowledge_graph"].is_object(), "{saved}");
    assert!(dir
        .path()
        .join("state.json.files")
        .join(file["id"].as_str().unwrap())
        .exists());

    let files = dir.path().join("state.json.files");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "the files' folder is its owner's");
    }
    // What a killed emulator left half uploaded is removed at the next start.
    let half = files.join(".upload-0123.tmp");
    std::fs::write(&half, b"half").unwrap();

    let emu = Emulator::start(config).await;
    assert!(!half.exists());
    assert_eq!(ok(&emu, "GET", "/v1/graphs?limit=100", None).await, before);
    assert_eq!(
        ok(
            &emu,
            "GET",
            &format!("/v1/applications/{agent}/graphs"),
            None
        )
        .await,
        json!({"graph_ids": [g]})
    );
    let download = client()
        .get(emu.url(&format!(
            "/v1/files/{}/download",
            file["id"].as_str().unwrap()
        )))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(download.bytes().await.unwrap(), &b"kept bytes"[..]);
    emu.stop().await.unwrap();
}

/// An OAuth-app-only state file has no `knowledge_graph` key: the layout
/// older emulators wrote is unchanged.
#[tokio::test]
async fn a_state_file_without_knowledge_graphs_keeps_its_layout() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let emu = Emulator::start(Config {
        state_file: Some(state.clone()),
        ..config()
    })
    .await;
    crate::support::emulator::create(&client(), &emu, "Eng").await;
    emu.stop().await.unwrap();
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert!(saved.get("knowledge_graph").is_none(), "{saved}");
    assert_eq!(saved["apps"].as_array().unwrap().len(), 1);
}

/// VmHWM of a process, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmHWM")
}

/// The real binary takes a 256 MiB upload and stays small: the bytes go to
/// disk as they arrive. It prints its seeds after the listening line.
#[test]
fn a_256_mib_upload_is_streamed_to_disk_by_the_binary() {
    const SIZE: usize = 256 * 1024 * 1024;
    let mut command = EmulatorProcess::command();
    command.args([
        "--api-key",
        ADMIN,
        "--web-graph",
        "Site \"A\"",
        "--chat-agent",
        "Bot",
        "--processing-ms",
        "0",
    ]);
    let (emulator, lines) = EmulatorProcess::from_command_with_lines(command, 2);
    let settings = KnowledgeGraphSettings {
        web_graphs: vec!["Site \"A\"".into()],
        chat_agents: vec!["Bot".into()],
        ..KnowledgeGraphSettings::default()
    };
    let expected: Vec<String> = seeded(&settings).iter().map(ToString::to_string).collect();
    assert_eq!(lines, expected);
    assert!(
        lines[0].starts_with("seeded web graph \"Site \"A\"\" id="),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("seeded chat agent \"Bot\" id="),
        "{lines:?}"
    );

    let addr = emulator.base_url.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    let head = format!(
        "POST /v1/files HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {ADMIN}\r\n\
         Content-Disposition: attachment; filename=big.txt\r\nContent-Type: text/plain\r\n\
         Content-Length: {SIZE}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b'x'; 1024 * 1024];
    for _ in 0..SIZE / chunk.len() {
        stream.write_all(&chunk).unwrap();
    }
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["name"], "big.txt");
    let peak = peak_rss_kib(emulator.pid());
    assert!(peak < 64 * 1024, "peak RSS {peak} KiB for a 256 MiB upload");
    let (status, file) = emulator.call(
        "GET",
        &format!("/v1/files/{}", body["id"].as_str().unwrap()),
        None,
    );
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["status"], "completed");
    // Its bytes go with it, and a stopped emulator removes its temporary folder.
    let (status, _) = emulator.call(
        "DELETE",
        &format!("/v1/files/{}", body["id"].as_str().unwrap()),
        None,
    );
    assert_eq!(status, 200);
    assert!(emulator.terminate().success());
}
