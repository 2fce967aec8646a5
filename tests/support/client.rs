//! The Writer API client as the client's tests configure it: quick
//! backoff, generous attempts; and a new app to create.

use std::time::Duration;

use terraform_provider_writer::client::{Client, ClientConfig, CreateApp, Secret};

use super::REQUIRED_SCOPES;

/// Client settings for tests: quick backoff, generous attempts.
pub fn client_config(base: &url::Url, key: &str) -> ClientConfig {
    let mut config = ClientConfig::new(base.clone(), Secret::new(key));
    config.max_attempts = 40;
    config.max_elapsed = Duration::from_secs(120);
    config.request_timeout = Duration::from_secs(20);
    config.initial_backoff = Duration::from_millis(1);
    config.max_backoff = Duration::from_millis(20);
    config
}

/// Client settings for tests against a scripted fake: few attempts, quick
/// backoff, a 10 s request timeout and a 60 s operation.
pub fn few_attempts(base: &url::Url, key: &str) -> ClientConfig {
    let mut config = client_config(base, key);
    config.max_attempts = 3;
    config.max_backoff = Duration::from_millis(5);
    config.request_timeout = Duration::from_secs(10);
    config.max_elapsed = Duration::from_secs(60);
    config
}

pub fn client(base: &url::Url, key: &str) -> Client {
    Client::new(client_config(base, key)).unwrap()
}

pub fn new_app(name: &str, secret: &str) -> CreateApp {
    CreateApp {
        connector: "confluence".into(),
        name: name.into(),
        client_id: "atlassian-client-id-1".into(),
        client_secret: Secret::new(secret),
        scopes: REQUIRED_SCOPES.iter().map(|s| s.to_string()).collect(),
        settings: Default::default(),
    }
}
