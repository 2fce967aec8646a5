//! A property of the provider against the emulator: whatever the names,
//! client IDs, tenant IDs, scopes, dates, secrets and API key, a create, a
//! read and an import (by ID and by name) give back exactly what Writer
//! stored. The secrets and the key are built from pieces of the other
//! values (names, IDs of apps made earlier, the tenant ID, today's date,
//! connector names and scopes), which a redactor working on fragments would
//! have rewritten in the answers.
//!
//! The provider runs in this process (its resources called as the plugin
//! server calls them) against the emulator in this process, so a few hundred
//! cases take seconds. `TRUST_CASES` sets how many (default 200) and
//! `TRUST_SEED` the seed (default: a new one, printed, and printed again
//! with the failing case, to replay it).

use std::collections::BTreeSet;
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value as Json;
use terraform_provider_writer::provider::WriterProvider;
use terraform_provider_writer::tfplugin::value::Value;
use terraform_provider_writer::tfplugin::{
    ApplyRequest, CancellationToken, ConfigureRequest, ImportRequest, Provider, ReadRequest,
    Resource,
};

use crate::support::emulator::{client as http_client, config, Emulator};
use crate::support::provider::TERRAFORM_VERSION;
use crate::support::ADMIN;

const CONFLUENCE_SCOPES: [&str; 6] = [
    "offline_access",
    "read:me",
    "read:confluence-content.all",
    "write:confluence-content",
    "read:attachment:confluence",
    "read:content-details:confluence",
];

fn number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// `count` random pieces (4 to 12 characters) of the texts in `from`.
fn pieces(rng: &mut StdRng, from: &[String], count: usize) -> Vec<String> {
    (0..count)
        .filter_map(|_| {
            let text: Vec<char> = from[rng.random_range(0..from.len())].chars().collect();
            if text.len() < 4 {
                return None;
            }
            let len = rng.random_range(4..=text.len().min(12));
            let start = rng.random_range(0..=text.len() - len);
            Some(text[start..start + len].iter().collect())
        })
        .collect()
}

fn hex(rng: &mut StdRng, digits: usize) -> String {
    (0..digits)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap())
        .collect()
}

/// A GUID whose groups are often shared with other values.
fn guid(rng: &mut StdRng, shared: &str) -> String {
    let mut groups = [
        hex(rng, 8),
        hex(rng, 4),
        hex(rng, 4),
        hex(rng, 4),
        hex(rng, 12),
    ];
    if rng.random_bool(0.5) {
        groups[1] = shared.to_string();
    }
    groups.join("-")
}

/// One app to create, and the values its secret was made from.
struct Case {
    sharepoint: bool,
    name: String,
    client_id: String,
    tenant_id: Option<String>,
    scopes: Vec<String>,
    secret: String,
}

fn case(rng: &mut StdRng, n: usize, today: &str, earlier_ids: &[String]) -> Case {
    let sharepoint = rng.random_bool(0.5);
    let shared = hex(rng, 4);
    let words = [
        "Team",
        "Docs",
        "prod",
        "Confluence",
        "SharePoint",
        "wiki",
        today,
    ];
    let mut name_parts = pieces(rng, &words.map(String::from), 2);
    name_parts.push(format!("{shared}-{n:04}"));
    let name = name_parts.join(" ");
    let client_id = if sharepoint {
        guid(rng, &shared)
    } else {
        format!("client-{shared}-{}", hex(rng, 6))
    };
    let tenant_id = (sharepoint && rng.random_bool(0.7)).then(|| guid(rng, &shared));
    let scopes: Vec<String> = if sharepoint {
        if rng.random_bool(0.5) {
            vec!["User.Read".into(), "Sites.Selected".into()]
        } else {
            ["User.Read", "Sites.Read.All", "Files.Read.All"]
                .map(String::from)
                .to_vec()
        }
    } else {
        let mut s: Vec<String> = crate::support::REQUIRED_SCOPES.map(String::from).to_vec();
        for extra in CONFLUENCE_SCOPES {
            if rng.random_bool(0.3) {
                s.push(extra.to_string());
            }
        }
        s
    };
    let mut sources = vec![
        name.clone(),
        client_id.clone(),
        today.to_string(),
        format!("{today}T"),
        "confluence".to_string(),
        "sharepoint".to_string(),
        "https://app.writer.com/connector/".to_string(),
    ];
    sources.extend(scopes.iter().cloned());
    sources.extend(tenant_id.iter().cloned());
    sources.extend(earlier_ids.iter().rev().take(3).cloned());
    // Obviously fake, long enough for the provider's rule, never a GUID, and
    // with no space at either end (which the provider refuses).
    let mut secret = format!("fake-{}-{n:04}", pieces(rng, &sources, 4).join(""));
    while secret.chars().count() < 16 {
        secret.push('x');
    }
    Case {
        sharepoint,
        name,
        client_id,
        tenant_id,
        scopes,
        secret,
    }
}

fn s(v: &str) -> Value {
    Value::string(v)
}

/// The configuration of `case`, and its plan for a create (what Terraform
/// sends: configured values, computed ones unknown).
fn config_and_plan(resource: &dyn Resource, case: &Case) -> (Value, Value) {
    let mut configured = vec![
        ("name", s(&case.name)),
        ("client_id", s(&case.client_id)),
        ("client_secret", s(&case.secret)),
        ("scopes", Value::set(case.scopes.iter().map(|x| s(x)))),
    ];
    if let Some(tenant) = &case.tenant_id {
        configured.push(("tenant_id", s(tenant)));
    }
    let schema = resource.schema();
    let value_of = |name: &str| {
        configured
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    let config = Value::object(
        schema
            .block
            .attributes
            .iter()
            .map(|a| (a.name.clone(), value_of(&a.name).unwrap_or(Value::Null))),
    );
    let planned = Value::object(schema.block.attributes.iter().map(|a| {
        let v = match value_of(&a.name) {
            Some(v) => v,
            None if a.computed => Value::Unknown,
            None => Value::Null,
        };
        (a.name.clone(), v)
    }));
    (config, planned)
}

/// What Writer stored, read as an admin outside the provider.
async fn stored(http: &reqwest::Client, emulator: &Emulator, id: &str) -> Json {
    http.get(emulator.url(&format!("/v1/oauth-apps/{id}")))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Differences between a state and Writer's app, one a line.
fn differences(state: &Value, app: &Json) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in [
        "id",
        "name",
        "client_id",
        "client_secret_hint",
        "client_secret_updated_at",
        "created_at",
        "updated_at",
    ] {
        let ours = state.get(attribute).as_str();
        if ours != app[attribute].as_str() {
            out.push(format!(
                "{attribute}: state {ours:?}, Writer {}",
                app[attribute]
            ));
        }
    }
    let ours: BTreeSet<&str> = state
        .get("scopes")
        .elements()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let theirs: BTreeSet<&str> = app["scopes"]
        .as_array()
        .map(|a| a.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    if ours != theirs {
        out.push(format!("scopes: state {ours:?}, Writer {theirs:?}"));
    }
    if app["connector"] == "sharepoint" {
        let ours = state.get("tenant_id").as_str();
        let theirs = app["settings"]["tenant_id"].as_str();
        if ours != theirs {
            out.push(format!("tenant_id: state {ours:?}, Writer {theirs:?}"));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_read_and_import_give_back_exactly_what_writer_stored() {
    let cases = number("TRUST_CASES").unwrap_or(200) as usize;
    let seed = number("TRUST_SEED").unwrap_or_else(rand::random);
    eprintln!("TRUST_SEED={seed} TRUST_CASES={cases}");
    let mut rng = StdRng::seed_from_u64(seed);
    let now = time::OffsetDateTime::now_utc();
    let today = format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    );
    // The provider's key shares pieces with connector names, scopes and dates.
    let key = format!(
        "test-key-{}-confluence-sharepoint-{today}-not-real",
        hex(&mut rng, 6)
    );
    let mut emulator_config = config();
    emulator_config.admin_keys.push(key.clone());
    let emulator = Emulator::start(emulator_config).await;
    let stop = CancellationToken::new();
    let provider = WriterProvider::new();
    let configured = provider
        .configure(ConfigureRequest {
            config: Value::object([
                ("api_key", s(&key)),
                ("base_url", s(emulator.base.as_str())),
            ]),
            terraform_version: TERRAFORM_VERSION.into(),
            cancel: stop.child_token(),
        })
        .await;
    assert!(!configured.has_errors(), "{configured:?}");
    let resources = provider.resources();
    let resource_of = |sharepoint: bool| -> Arc<dyn Resource> {
        let wanted = if sharepoint {
            "writer_sharepoint_oauth_app"
        } else {
            "writer_confluence_oauth_app"
        };
        resources
            .iter()
            .find(|r| r.type_name() == wanted)
            .cloned()
            .expect("the resource")
    };
    let http = http_client();
    let mut ids: Vec<String> = Vec::new();
    for n in 0..cases {
        let case = case(&mut rng, n, &today, &ids);
        let what = format!(
            "case {n} (TRUST_SEED={seed}): name {:?}, client_id {:?}, tenant_id {:?}, scopes {:?}, \
             secret {:?}, key {key:?}",
            case.name, case.client_id, case.tenant_id, case.scopes, case.secret
        );
        let resource = resource_of(case.sharepoint);
        let (config, planned) = config_and_plan(&*resource, &case);
        let created = resource
            .create(ApplyRequest {
                prior_state: Value::Null,
                planned_state: planned,
                config,
                planned_private: Vec::new(),
                cancel: stop.child_token(),
            })
            .await;
        assert!(
            !created.diagnostics.has_errors(),
            "{what}: create failed: {:?}",
            created.diagnostics
        );
        let id = created
            .new_state
            .get("id")
            .as_str()
            .unwrap_or_else(|| panic!("{what}: no id"))
            .to_string();
        assert!(
            created.new_state.is_wholly_known(),
            "{what}: {:?}",
            created.new_state
        );
        let app = stored(&http, &emulator, &id).await;
        let wrong = differences(&created.new_state, &app);
        assert!(
            wrong.is_empty(),
            "{what}: after create:\n{}",
            wrong.join("\n")
        );

        let read = resource
            .read(ReadRequest {
                current_state: created.new_state.clone(),
                private: created.private.clone(),
                cancel: stop.child_token(),
            })
            .await;
        assert!(
            !read.diagnostics.has_errors(),
            "{what}: read: {:?}",
            read.diagnostics
        );
        assert_eq!(
            read.new_state, created.new_state,
            "{what}: a read changes nothing"
        );

        for import_id in [id.clone(), format!("name={}", case.name)] {
            let imported = resource
                .import(ImportRequest {
                    id: import_id.clone(),
                    cancel: stop.child_token(),
                })
                .await;
            assert!(
                !imported.diagnostics.has_errors(),
                "{what}: import {import_id:?}: {:?}",
                imported.diagnostics
            );
            let read = resource
                .read(ReadRequest {
                    current_state: imported.state,
                    private: imported.private,
                    cancel: stop.child_token(),
                })
                .await;
            assert!(
                !read.diagnostics.has_errors(),
                "{what}: read after import: {:?}",
                read.diagnostics
            );
            let wrong = differences(&read.new_state, &app);
            assert!(
                wrong.is_empty(),
                "{what}: after import {import_id:?}:\n{}",
                wrong.join("\n")
            );
        }
        ids.push(id);
    }
}
