//! Each family's 404 in its own words: the emulator once answered "no OAuth
//! app with this id" for whatever was missing.

use serde_json::Value;

use crate::support::emulator::{client, config, Emulator};
use crate::support::ADMIN;

async fn missing(emu: &Emulator, path: &str) -> (String, String) {
    let answer = client()
        .get(emu.url(path))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 404, "{path}");
    let body: Value = answer.json().await.unwrap();
    let first = &body["errors"][0];
    (
        first["key"].as_str().unwrap_or_default().to_owned(),
        first["description"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test(flavor = "current_thread")]
async fn each_familys_404_names_what_it_has_none_of() {
    let emu = Emulator::start(config()).await;
    for (path, key, says) in [
        (
            "/v1/oauth-apps/no-such-app",
            "oauth_app.not_found",
            "no OAuth app with this id",
        ),
        (
            "/v1/graphs/no-such-graph",
            "graph.not_found",
            "no Knowledge Graph",
        ),
        (
            "/v1/files/no-such-file",
            "file.not_found",
            "no file with id",
        ),
        (
            "/v1/applications/no-such-agent/graphs",
            "application.not_found",
            "no no-code chat agent",
        ),
    ] {
        let (got_key, description) = missing(&emu, path).await;
        assert_eq!(got_key, key, "{path}: {description}");
        assert!(description.contains(says), "{path}: {description}");
        if !path.starts_with("/v1/oauth-apps") {
            assert!(!description.contains("OAuth"), "{path}: {description}");
        }
    }
}
