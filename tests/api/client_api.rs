//! The client against the real emulator over real HTTP: CRUD, pagination,
//! the errors callers branch on, and what goes over the wire (headers).

use std::collections::BTreeSet;

use crate::support::client::*;
use crate::support::emulator::{self, Emulator};
use crate::support::proxy::*;
use crate::support::*;
use terraform_provider_writer::client::{
    Client, ClientConfig, Error, ListFilter, Secret, TransportKind, UpdateApp,
};

const USER_AGENT: &str = concat!(
    "terraform-provider-writer/",
    env!("CARGO_PKG_VERSION"),
    " (Terraform 1.11.0)"
);

#[tokio::test]
async fn crud_round_trip() {
    let emu = Emulator::start(emulator::config()).await;
    let client = client(&emu.base, ADMIN);

    let created = client
        .create_app(&new_app("Engineering", &secret(1)))
        .await
        .unwrap();
    let app = &created.value;
    assert_eq!(app.name, "Engineering");
    assert_eq!(app.connector, "confluence");
    assert_eq!(app.client_id, "atlassian-client-id-1");
    assert_eq!(app.client_secret_hint, "…0001");
    assert_eq!(
        app.callback_url,
        "https://app.writer.com/connector/confluence"
    );
    assert_eq!(app.status, "active");
    assert_eq!(app.scopes, REQUIRED_SCOPES);
    assert!(created.etag.is_some());

    let read = client.get_app(&app.id).await.unwrap().unwrap();
    assert_eq!(read.value, *app);
    assert_eq!(read.etag, created.etag);

    let patch = UpdateApp {
        name: Some("Engineering wiki".into()),
        client_secret: Some(Secret::new(secret(2))),
        scopes: Some(
            [
                "read:page:confluence",
                "search:confluence",
                "read:space:confluence",
                "read:me",
            ]
            .map(String::from)
            .to_vec(),
        ),
        ..UpdateApp::default()
    };
    let updated = client
        .update_app(&app.id, &patch, read.etag.as_deref())
        .await
        .unwrap();
    assert_eq!(updated.value.name, "Engineering wiki");
    assert_eq!(updated.value.client_id, "atlassian-client-id-1");
    assert_eq!(updated.value.client_secret_hint, "…0002");
    assert_eq!(updated.value.scopes.len(), 4);
    assert_ne!(updated.etag, read.etag);

    client.delete_app(&app.id).await.unwrap();
    assert_eq!(client.get_app(&app.id).await.unwrap(), None);
    // Deleting what is gone is done, not an error.
    client.delete_app(&app.id).await.unwrap();
}

#[tokio::test]
async fn missing_ids() {
    let emu = Emulator::start(emulator::config()).await;
    let client = client(&emu.base, ADMIN);
    assert_eq!(client.get_app("no-such-app").await.unwrap(), None);
    assert_eq!(client.get_app("").await.unwrap(), None);
    assert_eq!(client.get_app("..").await.unwrap(), None);
    assert_eq!(client.get_app("a/b").await.unwrap(), None);
    client.delete_app("no-such-app").await.unwrap();
    let err = client
        .update_app("no-such-app", &UpdateApp::default(), None)
        .await
        .unwrap_err()
        .error;
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert!(err
        .to_string()
        .starts_with("Writer has nothing with this ID (HTTP 404): no OAuth app with this id"));
}

#[tokio::test]
async fn list_follows_every_page() {
    let emu = Emulator::start(emulator::config()).await;
    let mut config = client_config(&emu.base, ADMIN);
    config.page_size = 7;
    let client = Client::new(config).unwrap();
    let mut ids = Vec::new();
    for i in 0..30 {
        let app = client
            .create_app(&new_app(&format!("App {i:02}"), &secret(i)))
            .await
            .unwrap();
        ids.push(app.value.id);
    }
    let all = client.list_apps(&ListFilter::default()).await.unwrap();
    assert_eq!(all.iter().map(|a| a.id.clone()).collect::<Vec<_>>(), ids);

    let one = client
        .list_apps(&ListFilter {
            connector: Some("confluence".into()),
            name: Some("app 17".into()),
        })
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].name, "App 17");

    let none = client
        .list_apps(&ListFilter {
            connector: Some("sharepoint".into()),
            name: None,
        })
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn bad_keys_are_named() {
    let emu = Emulator::start(emulator::config()).await;
    let admin = client(&emu.base, ADMIN);
    let app = admin
        .create_app(&new_app("Engineering", &secret(1)))
        .await
        .unwrap()
        .value;

    let unknown = client(&emu.base, UNKNOWN_KEY);
    let err = unknown.get_app(&app.id).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "Writer rejected the API key: it is missing, unknown or revoked (HTTP 401)"
        ),
        "{text}"
    );
    assert!(
        err.request_id().is_some_and(|id| text.ends_with(id)),
        "{text}"
    );
    assert!(!text.contains(UNKNOWN_KEY) && !format!("{err:?}").contains(UNKNOWN_KEY));

    let reader = client(&emu.base, READ_ONLY);
    assert_eq!(reader.get_app(&app.id).await.unwrap().unwrap().value, app);
    let err = reader
        .create_app(&new_app("Other", &secret(2)))
        .await
        .unwrap_err()
        .error;
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("the API key is not allowed to do this (HTTP 403)"),
        "{text}"
    );
    assert!(!text.contains(READ_ONLY) && !text.contains(&secret(2)));
}

#[tokio::test]
async fn stale_etag_and_taken_name_are_distinct() {
    let emu = Emulator::start(emulator::config()).await;
    let client = client(&emu.base, ADMIN);
    let a = client
        .create_app(&new_app("Alpha", &secret(1)))
        .await
        .unwrap();
    let b = client
        .create_app(&new_app("Beta", &secret(2)))
        .await
        .unwrap();

    // Someone renames Alpha in the UI; our ETag is now stale.
    let rename = |name: &str| UpdateApp {
        name: Some(name.into()),
        ..UpdateApp::default()
    };
    client
        .update_app(&a.value.id, &rename("Alpha (UI)"), None)
        .await
        .unwrap();
    let stale = client
        .update_app(&a.value.id, &rename("Alpha 2"), a.etag.as_deref())
        .await
        .unwrap_err()
        .error;
    assert!(
        matches!(stale, Error::PreconditionFailed { .. }),
        "{stale:?}"
    );
    let stale_text = stale.to_string();
    assert!(
        stale_text.starts_with("the object was changed since it was last read (HTTP 412): "),
        "{stale_text}"
    );
    assert!(stale_text.contains("; request id req_"), "{stale_text}");
    assert_eq!(
        client
            .get_app(&a.value.id)
            .await
            .unwrap()
            .unwrap()
            .value
            .name,
        "Alpha (UI)",
        "a refused update changes nothing"
    );

    let taken = client
        .update_app(&b.value.id, &rename("ALPHA (ui)"), b.etag.as_deref())
        .await
        .unwrap_err()
        .error;
    assert!(matches!(taken, Error::NameTaken { .. }), "{taken:?}");
    let taken_text = taken.to_string();
    assert!(
        taken_text.starts_with(
            "Writer refused the request as a conflict with what it has (such as another object \
             with this name) (HTTP 409): "
        ),
        "{taken_text}"
    );
    assert_eq!(
        taken.problem().and_then(|p| p.key.as_deref()),
        Some("oauth_app.name_taken")
    );
    let dup = client
        .create_app(&new_app("beta", &secret(3)))
        .await
        .unwrap_err()
        .error;
    assert!(matches!(dup, Error::NameTaken { .. }), "{dup:?}");
}

#[tokio::test]
async fn validation_names_the_field_and_not_the_secret() {
    let emu = Emulator::start(emulator::config()).await;
    let client = client(&emu.base, ADMIN);
    let mut missing_scope = new_app("Engineering", &secret(1));
    missing_scope.scopes.retain(|s| s != "read:page:confluence");
    let err = client.create_app(&missing_scope).await.unwrap_err().error;
    let Error::Validation { field, problem } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(field.as_deref(), Some("scopes"));
    assert_eq!(problem.status, 400);
    let text = err.to_string();
    assert!(
        text.starts_with("Writer refused the value of scopes (HTTP 400): "),
        "{text}"
    );
    assert!(text.contains("read:page:confluence"), "{text}");

    let long_secret = format!("fake-secret-{}", "x".repeat(600));
    let err = client
        .create_app(&new_app("Engineering", &long_secret))
        .await
        .unwrap_err()
        .error;
    assert!(
        matches!(&err, Error::Validation { field: Some(f), .. } if f == "client_secret"),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains(&long_secret));
}

#[tokio::test]
async fn headers_on_the_wire() {
    let emu = Emulator::start(emulator::config()).await;
    let proxy = Proxy::start(&emu.base, Box::new(|_, _, _| Act::Forward)).await;
    let mut config = client_config(&proxy.base, ADMIN);
    config.user_agent = USER_AGENT.into();
    let client = Client::new(config).unwrap();
    let a = client
        .create_app(&new_app("One", &secret(1)))
        .await
        .unwrap();
    client
        .create_app(&new_app("Two", &secret(2)))
        .await
        .unwrap();
    client
        .update_app(&a.value.id, &UpdateApp::default(), a.etag.as_deref())
        .await
        .unwrap();

    let seen = proxy.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(
            s.header("authorization"),
            Some(format!("Bearer {ADMIN}").as_str())
        );
        assert_eq!(s.header("user-agent"), Some(USER_AGENT));
    }
    let keys: BTreeSet<&str> = seen[..2]
        .iter()
        .map(|s| s.header("idempotency-key").unwrap())
        .collect();
    assert_eq!(keys.len(), 2, "every create has its own idempotency key");
    assert_eq!(seen[2].header("if-match"), a.etag.as_deref());
    assert_eq!(seen[2].header("idempotency-key"), None);
}

#[tokio::test]
async fn an_unreachable_writer_is_a_transport_error_with_the_url() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = url::Url::parse(&format!("http://{}", closed.local_addr().unwrap())).unwrap();
    drop(closed);
    let mut config = client_config(&base, ADMIN);
    config.max_attempts = 3;
    let client = Client::new(config).unwrap();
    let err = client.get_app("app-1").await.unwrap_err();
    let Error::Transport {
        kind,
        url,
        attempts,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*kind, TransportKind::Connect);
    assert_eq!(*attempts, 3);
    assert_eq!(url, &format!("{base}v1/oauth-apps/app-1"));
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "could not reach Writer at {base}v1/oauth-apps/app-1: the connection failed ("
        )),
        "{text}"
    );
    assert!(text.ends_with("; gave up after 3 attempts"), "{text}");
    assert!(!format!("{text} {err:?}").contains(ADMIN));
}

#[tokio::test]
async fn a_bad_configuration_is_refused() {
    let base = url::Url::parse("https://api.writer.com").unwrap();
    let err = Client::new(ClientConfig::new(base.clone(), Secret::new(""))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid Writer API client settings: the API key is empty"
    );
    let with_password = url::Url::parse("https://me:fake-password-1@api.writer.com").unwrap();
    let err = Client::new(ClientConfig::new(with_password, Secret::new(ADMIN))).unwrap_err();
    assert!(matches!(err, Error::InvalidConfig { .. }));
    assert!(!format!("{err} {err:?}").contains("fake-password-1"));
}

#[tokio::test]
async fn debug_output_never_shows_a_secret() {
    let emu = Emulator::start(emulator::config()).await;
    let config = client_config(&emu.base, ADMIN);
    let create = new_app("Engineering", &secret(1));
    let update = UpdateApp {
        client_secret: Some(Secret::new(secret(2))),
        ..UpdateApp::default()
    };
    let admin = Client::new(config.clone()).unwrap();
    let mut errors = vec![
        client(&emu.base, UNKNOWN_KEY)
            .create_app(&create)
            .await
            .unwrap_err(),
        client(&emu.base, READ_ONLY)
            .create_app(&create)
            .await
            .unwrap_err(),
        admin
            .update_app("no-such-app", &update, Some("\"1\""))
            .await
            .unwrap_err(),
    ];
    let mut bad = create.clone();
    bad.name = String::new();
    errors.push(admin.create_app(&bad).await.unwrap_err());
    let shown = format!(
        "{config:?} {:?} {create:?} {update:?} {errors:?} {admin:?} {}",
        Secret::new(secret(3)),
        errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    for secret in [
        ADMIN.to_string(),
        UNKNOWN_KEY.into(),
        READ_ONLY.into(),
        secret(1),
        secret(2),
        secret(3),
    ] {
        assert!(!shown.contains(&secret), "{secret} shows in: {shown}");
    }
    // The output is there at all: it names what it is about.
    assert!(
        shown.contains("Engineering") && shown.contains("Unauthorized"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_tls_failure_is_named_and_not_retried() {
    // The emulator speaks plain HTTP: a TLS handshake with it fails.
    let emu = Emulator::start(emulator::config()).await;
    let mut https = emu.base.clone();
    https.set_scheme("https").unwrap();
    let err = client(&https, ADMIN).get_app("app-1").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Tls,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "could not reach Writer at {https}v1/oauth-apps/app-1: the TLS handshake failed ("
        )),
        "{text}"
    );
}
