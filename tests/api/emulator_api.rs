//! The emulator's HTTP API, in process on `127.0.0.1:0` over real HTTP:
//! every endpoint, every error path, ETags, idempotency, pagination and auth.

use crate::support::emulator::*;
use crate::support::{ADMIN, READ_ONLY, REQUIRED_SCOPES, UNKNOWN_KEY};
use serde_json::{json, Value};

#[tokio::test]
async fn create_read_update_delete() {
    let emu = Emulator::start(config()).await;
    let http = client();

    let created = http
        .post(emu.url("/v1/oauth-apps"))
        .bearer_auth(ADMIN)
        .json(&app_body("Engineering Confluence"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let etag1 = header(&created, "etag").unwrap().to_owned();
    assert!(
        etag1.starts_with('"') && etag1.ends_with('"') && etag1.len() > 2,
        "{etag1}"
    );
    assert!(header(&created, "x-request-id").is_some());
    let location = header(&created, "location").unwrap().to_owned();
    let app: Value = created.json().await.unwrap();
    let id = app["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/v1/oauth-apps/{id}"));
    assert_eq!(app["connector"], "confluence");
    assert_eq!(app["name"], "Engineering Confluence");
    assert_eq!(app["client_id"], "atlassian-client-id-1");
    assert_eq!(app["client_secret_hint"], "…0001");
    assert_eq!(app["scopes"], json!(REQUIRED_SCOPES));
    assert_eq!(
        app["callback_url"],
        "https://app.writer.com/connector/confluence"
    );
    assert_eq!(app["status"], "active");
    assert_eq!(app["created_at"], app["updated_at"]);
    assert_eq!(app["created_at"], app["client_secret_updated_at"]);
    let created_at = app["created_at"].as_str().unwrap();
    assert!(created_at.ends_with('Z'), "{created_at}");
    assert!(time::OffsetDateTime::parse(
        created_at,
        &time::format_description::well_known::Rfc3339
    )
    .is_ok());
    assert!(app.get("client_secret").is_none());

    let read = http
        .get(emu.url(&location))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    assert_eq!(header(&read, "etag"), Some(etag1.as_str()));
    assert_eq!(read.json::<Value>().await.unwrap(), app);

    let renamed = http
        .patch(emu.url(&location))
        .bearer_auth(ADMIN)
        .header("If-Match", &etag1)
        .json(&json!({"name": "Eng", "scopes": [REQUIRED_SCOPES[2], REQUIRED_SCOPES[0], REQUIRED_SCOPES[1], "read:me"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    let etag2 = header(&renamed, "etag").unwrap().to_owned();
    assert_ne!(etag2, etag1);
    let renamed: Value = renamed.json().await.unwrap();
    assert_eq!(renamed["name"], "Eng");
    assert_eq!(renamed["scopes"].as_array().unwrap().len(), 4);
    assert_eq!(renamed["client_id"], app["client_id"]);
    assert_eq!(
        renamed["client_secret_updated_at"],
        app["client_secret_updated_at"]
    );
    assert_ne!(renamed["updated_at"], app["updated_at"]);
    assert_eq!(renamed["created_at"], app["created_at"]);

    let rotated = http
        .patch(emu.url(&location))
        .bearer_auth(ADMIN)
        .json(&json!({"client_secret": "fake-secret-0002"}))
        .send()
        .await
        .unwrap();
    assert_eq!(rotated.status(), 200);
    assert_ne!(header(&rotated, "etag"), Some(etag2.as_str()));
    let rotated_text = rotated.text().await.unwrap();
    assert!(!rotated_text.contains("fake-secret"), "{rotated_text}");
    let rotated: Value = serde_json::from_str(&rotated_text).unwrap();
    assert_eq!(rotated["client_secret_hint"], "…0002");
    assert_ne!(
        rotated["client_secret_updated_at"],
        app["client_secret_updated_at"]
    );
    assert_eq!(rotated["client_secret_updated_at"], rotated["updated_at"]);

    let deleted = http
        .delete(emu.url(&location))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(header(&deleted, "x-request-id").is_some());
    assert!(deleted.text().await.unwrap().is_empty());

    let gone = http
        .get(emu.url(&location))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    let (keys, _) = error_keys(gone, 404, "NotFound").await;
    assert_eq!(keys, ["oauth_app.not_found"]);
    let again = http
        .delete(emu.url(&location))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    error_keys(again, 404, "NotFound").await;
    let patch_gone = http
        .patch(emu.url(&location))
        .bearer_auth(ADMIN)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    error_keys(patch_gone, 404, "NotFound").await;

    emu.stop().await.unwrap();
}

#[tokio::test]
async fn auth_matrix() {
    let emu = Emulator::start(config()).await;
    let http = client();
    let app = create(&http, &emu, "Eng").await;
    let one = emu.url(&format!("/v1/oauth-apps/{}", app["id"].as_str().unwrap()));
    let all = emu.url("/v1/oauth-apps");

    let requests = || {
        [
            ("list", http.get(&all)),
            ("read", http.get(&one)),
            ("create", http.post(&all).json(&app_body("Other"))),
            ("update", http.patch(&one).json(&json!({"name": "Eng"}))),
            ("delete", http.delete(&one)),
        ]
    };
    for (what, request) in requests() {
        let response = request.send().await.unwrap();
        assert_eq!(
            header(&response, "www-authenticate"),
            Some("Bearer"),
            "{what}"
        );
        let (keys, _) = error_keys(response, 401, "Unauthorized").await;
        assert_eq!(keys, ["auth.missing_api_key"], "{what}");
    }
    for (what, request) in requests() {
        let response = request.bearer_auth(UNKNOWN_KEY).send().await.unwrap();
        let (keys, body) = error_keys(response, 401, "Unauthorized").await;
        assert_eq!(keys, ["auth.invalid_api_key"], "{what}");
        assert!(!body.to_string().contains("test-unknown-key"), "{body}");
    }
    for (what, request) in requests() {
        let response = request.basic_auth(ADMIN, Some("x")).send().await.unwrap();
        let (keys, _) = error_keys(response, 401, "Unauthorized").await;
        assert_eq!(keys, ["auth.invalid_authorization"], "{what}");
    }
    for (what, request) in requests() {
        let response = request.bearer_auth(READ_ONLY).send().await.unwrap();
        match what {
            "list" | "read" => assert_eq!(response.status(), 200, "{what}"),
            _ => {
                let (keys, _) = error_keys(response, 403, "Forbidden").await;
                assert_eq!(keys, ["auth.admin_required"], "{what}");
            }
        }
    }
    // The read-only attempts changed nothing.
    assert_eq!(all_apps(&http, &emu).await, json!([app]));
    // And the admin key may do everything.
    for (what, request) in requests() {
        let response = request.bearer_auth(ADMIN).send().await.unwrap();
        let expected = match what {
            "create" => 201,
            "delete" => 204,
            _ => 200,
        };
        assert_eq!(response.status(), expected, "{what}");
    }
    emu.stop().await.unwrap();
}

#[tokio::test]
async fn validation_errors() {
    let emu = Emulator::start(config()).await;
    let http = client();
    let post = |body: String| {
        http.post(emu.url("/v1/oauth-apps"))
            .bearer_auth(ADMIN)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let with = |field: &str, value: Value| {
        let mut body = app_body("Eng");
        body[field] = value;
        body.to_string()
    };

    let cases: Vec<(String, &str, &str)> = vec![
        ("{\"name\":".into(), "request.invalid_json", ""),
        ("[1]".into(), "request.invalid_json", ""),
        (
            with("name", json!("  ")),
            "oauth_app.name.invalid_length",
            "name",
        ),
        (
            with("name", json!("n".repeat(129))),
            "oauth_app.name.invalid_length",
            "name",
        ),
        (
            with("client_id", json!("has space")),
            "oauth_app.client_id.contains_whitespace",
            "client_id",
        ),
        (
            with("client_id", json!("c".repeat(257))),
            "oauth_app.client_id.invalid_length",
            "client_id",
        ),
        (
            with("client_secret", json!("")),
            "oauth_app.client_secret.invalid_length",
            "client_secret",
        ),
        (
            with("client_secret", json!("s".repeat(513))),
            "oauth_app.client_secret.invalid_length",
            "client_secret",
        ),
        (
            with("connector", json!("jira")),
            "oauth_app.connector.unknown",
            "connector",
        ),
        (
            with(
                "scopes",
                json!([
                    "search:confluence",
                    "search:confluence",
                    "read:space:confluence",
                    "read:page:confluence"
                ]),
            ),
            "oauth_app.scopes.duplicate",
            "scopes",
        ),
        (
            with("client_secret_hint", json!("x")),
            "request.unknown_field",
            "client_secret_hint",
        ),
    ];
    for (body, key, field) in cases {
        let (keys, response) =
            error_keys(post(body.clone()).await.unwrap(), 400, "BadRequest").await;
        assert_eq!(keys, [key], "{body}");
        if !field.is_empty() {
            assert_eq!(
                response["errors"][0]["extras"]["field"],
                json!(field),
                "{body}"
            );
        }
        assert!(!response.to_string().contains("fake-secret"), "{response}");
    }

    let (keys, body) = error_keys(
        post(with("scopes", json!(["search:confluence"])))
            .await
            .unwrap(),
        400,
        "BadRequest",
    )
    .await;
    assert_eq!(keys, ["oauth_app.scopes.missing_required"]);
    assert_eq!(
        body["errors"][0]["extras"],
        json!({"field": "scopes", "missing": ["read:space:confluence", "read:page:confluence"]})
    );

    // Nothing above was created.
    assert_eq!(all_apps(&http, &emu).await, json!([]));

    let app = create(&http, &emu, "Eng").await;
    let (keys, body) = error_keys(
        post(with("name", json!(" ENG "))).await.unwrap(),
        409,
        "Conflict",
    )
    .await;
    assert_eq!(keys, ["oauth_app.name_taken"]);
    assert_eq!(body["errors"][0]["extras"]["conflicting_id"], app["id"]);
    // Another connector may reuse the name.
    let mut notion = app_body("Eng");
    notion["connector"] = json!("notion");
    notion["scopes"] = json!([]);
    assert_eq!(post(notion.to_string()).await.unwrap().status(), 201);

    let one = emu.url(&format!("/v1/oauth-apps/{}", app["id"].as_str().unwrap()));
    let patch = |body: Value| http.patch(&one).bearer_auth(ADMIN).json(&body).send();
    let (keys, _) = error_keys(
        patch(json!({"connector": "sharepoint"})).await.unwrap(),
        400,
        "BadRequest",
    )
    .await;
    assert_eq!(keys, ["oauth_app.connector.immutable"]);
    let (keys, _) = error_keys(
        patch(json!({"scopes": ["read:me"]})).await.unwrap(),
        400,
        "BadRequest",
    )
    .await;
    assert_eq!(keys, ["oauth_app.scopes.missing_required"]);
    let (keys, _) = error_keys(
        patch(json!({"id": "other"})).await.unwrap(),
        400,
        "BadRequest",
    )
    .await;
    assert_eq!(keys, ["request.unknown_field"]);
    let second = create(&http, &emu, "Ops").await;
    let (keys, _) = error_keys(
        http.patch(emu.url(&format!(
            "/v1/oauth-apps/{}",
            second["id"].as_str().unwrap()
        )))
        .bearer_auth(ADMIN)
        .json(&json!({"name": "eng"}))
        .send()
        .await
        .unwrap(),
        409,
        "Conflict",
    )
    .await;
    assert_eq!(keys, ["oauth_app.name_taken"]);
    // A failed update changed nothing.
    let now: Value = http
        .get(&one)
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now, app);

    let bad = http
        .patch(&one)
        .bearer_auth(ADMIN)
        .body("not json")
        .send()
        .await
        .unwrap();
    let (keys, _) = error_keys(bad, 400, "BadRequest").await;
    assert_eq!(keys, ["request.invalid_json"]);
    emu.stop().await.unwrap();
}

#[tokio::test]
async fn if_match() {
    let emu = Emulator::start(config()).await;
    let http = client();
    let app = create(&http, &emu, "Eng").await;
    let one = emu.url(&format!("/v1/oauth-apps/{}", app["id"].as_str().unwrap()));
    let etag = |r: &reqwest::Response| header(r, "etag").unwrap().to_owned();
    let first = etag(&http.get(&one).bearer_auth(ADMIN).send().await.unwrap());

    let ok = http
        .patch(&one)
        .bearer_auth(ADMIN)
        .header("If-Match", &first)
        .json(&json!({"client_id": "new-client-id"}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let second = etag(&ok);
    assert_ne!(first, second);

    for stale in [first.as_str(), "\"999\"", "W/\"1\"", "garbage"] {
        let refused = http
            .patch(&one)
            .bearer_auth(ADMIN)
            .header("If-Match", stale)
            .json(&json!({"client_id": "other-client-id"}))
            .send()
            .await
            .unwrap();
        let (keys, _) = error_keys(refused, 412, "PreconditionFailed").await;
        assert_eq!(keys, ["oauth_app.precondition_failed"], "{stale}");
    }
    let now = http.get(&one).bearer_auth(ADMIN).send().await.unwrap();
    assert_eq!(etag(&now), second, "412 changed nothing");
    assert_eq!(
        now.json::<Value>().await.unwrap()["client_id"],
        "new-client-id"
    );

    // An update that changes nothing keeps the ETag.
    let same = http
        .patch(&one)
        .bearer_auth(ADMIN)
        .header("If-Match", &second)
        .json(&json!({"client_id": "new-client-id"}))
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
    assert_eq!(etag(&same), second);
    emu.stop().await.unwrap();
}

#[tokio::test]
async fn idempotent_creates() {
    let emu = Emulator::start(config()).await;
    let http = client();
    let post = |key: &str, body: &Value| {
        http.post(emu.url("/v1/oauth-apps"))
            .bearer_auth(ADMIN)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
    };
    let first = post("create-eng-1", &app_body("Eng")).await.unwrap();
    assert_eq!(first.status(), 201);
    assert_eq!(header(&first, "idempotent-replayed"), None);
    let first_etag = header(&first, "etag").unwrap().to_owned();
    let first: Value = first.json().await.unwrap();

    let replay = post("create-eng-1", &app_body("Eng")).await.unwrap();
    assert_eq!(replay.status(), 201);
    assert_eq!(header(&replay, "idempotent-replayed"), Some("true"));
    assert_eq!(header(&replay, "etag"), Some(first_etag.as_str()));
    assert_eq!(replay.json::<Value>().await.unwrap(), first);

    let other = post("create-eng-1", &app_body("Other")).await.unwrap();
    let (keys, _) = error_keys(other, 422, "UnprocessableEntity").await;
    assert_eq!(keys, ["idempotency_key.reused"]);

    // Without the key the same body is a second create: a name conflict.
    let plain = http
        .post(emu.url("/v1/oauth-apps"))
        .bearer_auth(ADMIN)
        .json(&app_body("Eng"))
        .send()
        .await
        .unwrap();
    error_keys(plain, 409, "Conflict").await;

    let too_long = post(&"k".repeat(256), &app_body("Long")).await.unwrap();
    let (keys, _) = error_keys(too_long, 400, "BadRequest").await;
    assert_eq!(keys, ["idempotency_key.invalid"]);

    assert_eq!(
        all_apps(&http, &emu).await,
        json!([first]),
        "exactly one app was created"
    );
    emu.stop().await.unwrap();
}

async fn list(http: &reqwest::Client, emu: &Emulator, query: &[(&str, &str)]) -> Value {
    let response = http
        .get(emu.url("/v1/oauth-apps"))
        .bearer_auth(READ_ONLY)
        .query(query)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{query:?}");
    assert!(header(&response, "x-request-id").is_some());
    response.json().await.unwrap()
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn pagination_walk() {
    let emu = Emulator::start(config()).await;
    let http = client();
    let mut created = Vec::new();
    for i in 0..7 {
        created.push(
            create(&http, &emu, &format!("App {i}")).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }

    // Forward, oldest first, three at a time.
    let mut walked = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut query = vec![("limit", "3"), ("order", "asc")];
        if let Some(a) = &after {
            query.push(("after", a));
        }
        let page = list(&http, &emu, &query).await;
        let page_ids = ids(&page);
        assert_eq!(
            page["first_id"].as_str(),
            page_ids.first().map(String::as_str)
        );
        assert_eq!(
            page["last_id"].as_str(),
            page_ids.last().map(String::as_str)
        );
        walked.extend(page_ids);
        if page["has_more"] == json!(false) {
            break;
        }
        after = page["last_id"].as_str().map(str::to_owned);
        assert!(walked.len() < 10, "the walk ends");
    }
    assert_eq!(walked, created);

    // Default order is newest first, limit 50.
    let page = list(&http, &emu, &[]).await;
    let mut newest_first = created.clone();
    newest_first.reverse();
    assert_eq!(ids(&page), newest_first);
    assert_eq!(page["has_more"], json!(false));

    // Backwards from the end with `before`.
    let page = list(&http, &emu, &[("limit", "2"), ("before", &created[2])]).await;
    assert_eq!(ids(&page), [created[4].clone(), created[3].clone()]);
    assert_eq!(page["has_more"], json!(true));
    let page = list(
        &http,
        &emu,
        &[("limit", "2"), ("order", "asc"), ("before", &created[2])],
    )
    .await;
    assert_eq!(ids(&page), [created[0].clone(), created[1].clone()]);
    assert_eq!(page["has_more"], json!(false));

    // Filters.
    let page = list(&http, &emu, &[("name", "app 3")]).await;
    assert_eq!(ids(&page), [created[3].clone()]);
    let page = list(&http, &emu, &[("name", "App")]).await;
    assert_eq!(ids(&page), Vec::<String>::new());
    assert_eq!(page["first_id"], Value::Null);
    assert_eq!(page["last_id"], Value::Null);
    let page = list(&http, &emu, &[("connector", "sharepoint")]).await;
    assert_eq!(ids(&page), Vec::<String>::new());
    let page = list(
        &http,
        &emu,
        &[("connector", "confluence"), ("limit", "100")],
    )
    .await;
    assert_eq!(ids(&page).len(), 7);

    for (query, key) in [
        (vec![("limit", "0")], "list.limit.invalid"),
        (vec![("limit", "101")], "list.limit.invalid"),
        (vec![("order", "newest")], "list.order.invalid"),
        (vec![("connector", "jira")], "list.connector.unknown"),
        (vec![("after", "no-such-id")], "list.cursor.not_found"),
        (
            vec![
                ("after", created[0].as_str()),
                ("before", created[1].as_str()),
            ],
            "list.cursor.conflict",
        ),
        (vec![("page", "2")], "request.unknown_parameter"),
    ] {
        let response = http
            .get(emu.url("/v1/oauth-apps"))
            .bearer_auth(ADMIN)
            .query(&query)
            .send()
            .await
            .unwrap();
        let (keys, _) = error_keys(response, 400, "BadRequest").await;
        assert_eq!(keys, [key], "{query:?}");
    }
    emu.stop().await.unwrap();
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_error_shape() {
    let emu = Emulator::start(config()).await;
    let http = client();
    let response = http
        .get(emu.url("/v2/oauth-apps"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    let (keys, _) = error_keys(response, 404, "NotFound").await;
    assert_eq!(keys, ["route.not_found"]);
    let response = http
        .put(emu.url("/v1/oauth-apps/x"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert!(header(&response, "allow").is_some_and(|a| a.contains("PATCH")));
    error_keys(response, 405, "MethodNotAllowed").await;
    emu.stop().await.unwrap();
}

#[tokio::test]
async fn concurrent_creates_are_consistent() {
    let emu = Emulator::start(config()).await;
    let http = client();
    let post = |name: String| {
        http.post(emu.url("/v1/oauth-apps"))
            .bearer_auth(ADMIN)
            .json(&app_body(&name))
            .send()
    };
    let distinct = futures_util::future::join_all((0..16).map(|i| post(format!("App {i}")))).await;
    let mut etags = Vec::new();
    for response in distinct {
        let response = response.unwrap();
        assert_eq!(response.status(), 201);
        etags.push(header(&response, "etag").unwrap().to_owned());
    }
    etags.sort();
    etags.dedup();
    assert_eq!(etags.len(), 16, "every app has its own ETag");

    let same = futures_util::future::join_all((0..8).map(|i| {
        post(format!(
            "Shared {}",
            if i % 2 == 0 { "NAME" } else { "name" }
        ))
    }))
    .await;
    let statuses: Vec<u16> = same
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    let page = list(&http, &emu, &[("limit", "100")]).await;
    assert_eq!(ids(&page).len(), 17);
    emu.stop().await.unwrap();
}

/// The `required:` list of a schema in `components/schemas` of the OpenAPI
/// document. The document is ours and written in one style: a schema is a
/// 4-space-indented key, its `required` either inline (`[a, b]`) or a block list.
fn required_fields(schema: &str) -> Vec<String> {
    let doc = include_str!("../../reference/writer-api.openapi.yaml");
    let mut lines = doc
        .lines()
        .skip_while(|l| *l != "  schemas:")
        .skip_while(|l| *l != format!("    {schema}:"))
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with("     "));
    let required = lines
        .by_ref()
        .find(|l| l.trim_start().starts_with("required:"))
        .unwrap_or_else(|| panic!("schema {schema} has a required list"));
    let inline = required.trim_start().trim_start_matches("required:").trim();
    if !inline.is_empty() {
        return inline
            .trim_matches(['[', ']'])
            .split(',')
            .map(|f| f.trim().to_owned())
            .collect();
    }
    lines
        .map_while(|l| l.trim_start().strip_prefix("- "))
        .map(|f| f.trim().to_owned())
        .collect()
}

fn keys_of(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn responses_have_exactly_the_fields_the_contract_requires() {
    let emu = Emulator::start(config()).await;
    let http = client();
    let app = create(&http, &emu, "Eng").await;
    assert_eq!(keys_of(&app), sorted(required_fields("OAuthApp")));

    let page = list(&http, &emu, &[]).await;
    assert_eq!(keys_of(&page), sorted(required_fields("OAuthAppList")));

    let missing = http
        .get(emu.url("/v1/oauth-apps/missing"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    let (_, error) = error_keys(missing, 404, "NotFound").await;
    assert_eq!(keys_of(&error), sorted(required_fields("Error")));
    assert_eq!(
        keys_of(&error["errors"][0]),
        sorted(required_fields("ErrorItem"))
    );
    emu.stop().await.unwrap();
}

#[tokio::test]
async fn secret_hints_show_characters_of_long_secrets_only() {
    let emu = Emulator::start(config()).await;
    let http = client();
    let mut body = app_body("Short secret");
    body["client_secret"] = json!("fake-short-1234");
    let created = http
        .post(emu.url("/v1/oauth-apps"))
        .bearer_auth(ADMIN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let app: Value = created.json().await.unwrap();
    assert_eq!(app["client_secret_hint"], "…", "15 characters: no tail");

    let id = app["id"].as_str().unwrap();
    let patch = |secret: &str| {
        http.patch(emu.url(&format!("/v1/oauth-apps/{id}")))
            .bearer_auth(ADMIN)
            .json(&json!({ "client_secret": secret }))
            .send()
    };
    let long: Value = patch("fake-secret-long-9876")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(long["client_secret_hint"], "…9876");
    let short: Value = patch("fake-5678").await.unwrap().json().await.unwrap();
    assert_eq!(short["client_secret_hint"], "…");
    emu.stop().await.unwrap();
}
