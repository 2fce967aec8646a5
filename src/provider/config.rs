//! The provider block: its schema, the settings it yields (HCL first, then
//! the environment, then defaults), and the configured API client.
//!
//! Settings are judged only when known: `terraform validate` runs with no
//! credentials and with values that may be unknown until apply, and must pass.
//! A missing API key is an error only when a call needs the API.
//!
//! `request_timeout` and `retry_timeout` are read by `parse_duration`, a
//! few lines of our own: Terraform users write Go's duration syntax
//! (`500ms`, `1h30m`), which no crate in the tree reads (`time` parses
//! dates and times, not durations).

use std::time::Duration;

use crate::client::{is_loopback, Client, ClientConfig, Secret};
use crate::domain::AppUrl;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{Type, Value};

use super::duration::parse_duration;
use super::env::{ENV_ALLOW_INSECURE_HTTP, ENV_API_KEY, ENV_APP_URL, ENV_BASE_URL};
use super::texts;
const DEFAULT_BASE_URL: &str = "https://api.writer.com";
const DEFAULT_MAX_RETRIES: u32 = 4;
/// Enough for a slow Writer answer (its answers take well under a second),
/// short enough that a hung or trickling connection is noticed.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// One operation on a resource, retries and the lookup after an unclear
/// create included, gives up after this: a stalled Writer costs a user one
/// `terraform apply` of under a minute, not several limits in a row.
pub(crate) const DEFAULT_RETRY_TIMEOUT: Duration = Duration::from_secs(50);
/// How long an apply waits for Writer to finish with what it processes
/// asynchronously (an uploaded file, a graph's web URLs). Writer publishes
/// no processing times; a few minutes covers ordinary documents.
pub(crate) const DEFAULT_PROCESSING_TIMEOUT: Duration = Duration::from_secs(300);
const MAX_RETRIES_LIMIT: u32 = 20;

pub(crate) fn schema() -> Schema {
    Schema::new(
        Block::new(
            "The Writer provider manages Writer's Knowledge Graphs (the graphs, the files in them, \
             a web graph's URLs and the graphs a chat agent answers from, through Writer's \
             published API) and Writer's self-managed OAuth apps, which Knowledge Graph \
             connectors use to sync from Confluence and SharePoint. Every setting can come from \
             the environment, so an empty `provider \"writer\" {}` block is enough.",
        )
        .attribute(Attribute::optional("api_key", Type::String).sensitive().description(
            "A Writer API key. Defaults to the `WRITER_API_KEY` environment variable. Needed for \
             plan, import and apply (reads and writes), not for `terraform validate`. Never shown \
             in plans, logs or errors. For the OAuth apps, an org admin's key. For the Knowledge \
             Graph resources, the key of an AI Studio API agent whose capabilities include \
             Knowledge Graphs and files (in AI Studio, build an API agent, include those \
             capabilities, and use one of the agent's API keys); \
             `writer_application_knowledge_graphs` also needs the Applications API.",
        ))
        .attribute(Attribute::optional("base_url", Type::String).description(
            "The Writer API's base URL. Defaults to the `WRITER_BASE_URL` environment variable, then \
             `https://api.writer.com`. Set it for a dedicated tenant or for the local `writer-emulator` \
             (e.g. `http://127.0.0.1:8787`). Plain `http://` is accepted only for loopback addresses \
             (`localhost`, `127.0.0.0/8`, `::1`) unless `allow_insecure_http` is true; `localhost` \
             (or `localhost.`) is reached at 127.0.0.1 or ::1 without a name lookup, and loopback \
             never through a proxy. Redirects are never followed.",
        ))
        .attribute(Attribute::optional("allow_insecure_http", Type::Bool).description(
            "Allows a plain `http://` `base_url` whose host is not loopback, such as a \
             `writer-emulator` in another container (`http://emulator:8787`). Defaults to the \
             `WRITER_ALLOW_INSECURE_HTTP` environment variable (`true` or `false`), then `false`. \
             Over plain http the API key and client secrets cross the network unencrypted: never \
             enable it for Writer itself.",
        ))
        .attribute(Attribute::optional("app_url", Type::String).description(
            "The origin of the Writer web app, whose `/connector/<connector>` paths are the callback URLs \
             the OAuth apps must use (`/connector/confluence`, `/connector/sharepoint`). Defaults to the `WRITER_APP_URL` environment variable, \
             then `https://app.writer.com`. An origin only: scheme and host, no path.",
        ))
        .attribute(Attribute::optional("max_retries", Type::Number).description(
            "How many times a request that failed for a passing reason (HTTP 429, 500, 502, 503, 504, \
             or a dropped connection) is retried, with exponential backoff and jitter, honouring \
             `Retry-After`. Default 4; at most 20; 0 disables retries. An OAuth app's create is \
             safe to retry: it carries an idempotency key. Writer's Knowledge Graph API has none, \
             so a call that makes something there (a graph, an upload, a file added to a graph) \
             is retried only when it provably did not reach Writer (no connection, a 429); reads, \
             updates and deletes are retried freely.",
        ))
        .attribute(Attribute::optional("request_timeout", Type::String).description(
            "How long one HTTP request may take, from connecting to the last byte of the answer (a \
             stalled or trickling answer ends here, and counts as lost), as a duration such as \
             `20s` or `1m`. Default `20s`. Never longer than what is left of `retry_timeout`. A \
             `writer_file` upload may take this plus the file's size at 1 MiB a second (a 256 MiB \
             file: 256s more), and the upload's `retry_timeout` grows by the same; so may the \
             download that hashes a file on import (its size as Writer declares it, at most \
             1 GiB).",
        ))
        .attribute(Attribute::optional("retry_timeout", Type::String).description(
            "How long one operation on a resource (a create, read, update, delete or import) may \
             take in all, as a duration such as `50s` or `2m`. Default `50s`. One deadline covers \
             everything the operation does: every retry and wait, every page of a lookup by name, \
             the lookup that follows a create whose answer was lost (the create stops \
             `request_timeout` early, at most half of this, to leave time for it), and the read \
             that confirms an update whose answer was lost. An error names the limit it hit.",
        ))
        .attribute(Attribute::optional("processing_timeout", Type::String).description(
            "How long an apply waits for Writer to finish what it does after answering: \
             processing an uploaded `writer_file`, validating a `writer_knowledge_graph`'s \
             `web_urls`. A duration such as `5m`; default `5m`. Waiting is asking Writer again \
             every few seconds, each read bounded by `request_timeout` and `retry_timeout`. A \
             file or URL still in progress when the wait ends is a warning (a `writer_file` whose \
             processing failed is an error): the apply is done, and the next plan shows its \
             status.",
        )),
    )
}

/// The provider block, read. `None` fields are unknown until apply.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub api_key: Option<Secret>,
    pub base_url: Option<url::Url>,
    pub app_url: Option<AppUrl>,
    /// `None` while unknown.
    pub allow_insecure_http: Option<bool>,
    pub max_retries: u32,
    pub request_timeout: Duration,
    pub retry_timeout: Duration,
    pub processing_timeout: Duration,
}

impl Settings {
    /// What an empty provider block means here.
    pub fn from_environment() -> Settings {
        Self::from_config(&Value::Null).0
    }

    pub fn from_config(config: &Value) -> (Settings, Diagnostics) {
        let mut diags = Diagnostics::new();
        let api_key = setting(config, "api_key", ENV_API_KEY)
            .known()
            .map(Secret::new);
        let base_url = match setting(config, "base_url", ENV_BASE_URL) {
            Setting::Unknown => None,
            Setting::Known(s) => parse_base_url(&s, &mut diags),
            Setting::Unset => url::Url::parse(DEFAULT_BASE_URL).ok(),
        };
        let allow_insecure_http = allow_insecure_http(config, &mut diags);
        if let (Some(url), Some(false)) = (&base_url, allow_insecure_http) {
            if url.scheme() == "http" && !is_loopback(url) {
                diags.push(texts::insecure_base_url(url.host_str().unwrap_or_default()));
            }
        }
        let app_url = match setting(config, "app_url", ENV_APP_URL) {
            Setting::Unknown => None,
            Setting::Known(s) => match AppUrl::parse(&s) {
                Ok(u) => Some(u),
                Err(finding) => {
                    diags.push(texts::finding(finding, AttributePath::attribute("app_url")));
                    None
                }
            },
            Setting::Unset => Some(AppUrl::default()),
        };
        let max_retries = match config.get("max_retries") {
            Value::Number(n) => match n.as_i64() {
                Some(v) if (0..=i64::from(MAX_RETRIES_LIMIT)).contains(&v) => v as u32,
                _ => {
                    diags.push(texts::bad_max_retries(&n.to_string(), MAX_RETRIES_LIMIT));
                    DEFAULT_MAX_RETRIES
                }
            },
            _ => DEFAULT_MAX_RETRIES,
        };
        let request_timeout = duration(
            config,
            "request_timeout",
            DEFAULT_REQUEST_TIMEOUT,
            &mut diags,
        );
        let retry_timeout = duration(config, "retry_timeout", DEFAULT_RETRY_TIMEOUT, &mut diags);
        let processing_timeout = duration(
            config,
            "processing_timeout",
            DEFAULT_PROCESSING_TIMEOUT,
            &mut diags,
        );
        let settings = Settings {
            api_key,
            base_url,
            app_url,
            allow_insecure_http,
            max_retries,
            request_timeout,
            retry_timeout,
            processing_timeout,
        };
        (settings, diags)
    }
}

/// A setting from HCL, else from the environment.
enum Setting {
    Unknown,
    Unset,
    Known(String),
}

impl Setting {
    fn known(self) -> Option<String> {
        match self {
            Setting::Known(s) => Some(s),
            _ => None,
        }
    }
}

fn setting(config: &Value, name: &str, env: &str) -> Setting {
    match config.get(name) {
        Value::Unknown => Setting::Unknown,
        Value::String(s) => Setting::Known(s.clone()),
        _ => match std::env::var(env) {
            Ok(v) if !v.is_empty() => Setting::Known(v),
            _ => Setting::Unset,
        },
    }
}

fn allow_insecure_http(config: &Value, diags: &mut Diagnostics) -> Option<bool> {
    match config.get("allow_insecure_http") {
        Value::Unknown => None,
        Value::Bool(b) => Some(*b),
        _ => match std::env::var(ENV_ALLOW_INSECURE_HTTP) {
            Err(_) => Some(false),
            Ok(v) => match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Some(true),
                "false" | "0" | "" => Some(false),
                _ => {
                    diags.push(texts::bad_allow_insecure_http_env(&v));
                    Some(false)
                }
            },
        },
    }
}

fn parse_base_url(s: &str, diags: &mut Diagnostics) -> Option<url::Url> {
    match url::Url::parse(s.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Some(u),
        _ => {
            diags.push(texts::bad_base_url(s));
            None
        }
    }
}

fn duration(config: &Value, name: &str, default: Duration, diags: &mut Diagnostics) -> Duration {
    match config.get(name) {
        Value::String(s) => match parse_duration(s) {
            Ok(d) => d,
            Err(problem) => {
                diags.push(texts::bad_duration(name, s, problem));
                default
            }
        },
        _ => default,
    }
}

/// What a configured provider uses to call Writer.
#[derive(Clone)]
pub(crate) struct Api {
    pub client: Client,
    pub app_url: AppUrl,
    /// What a create leaves of its operation's time for looking up its app
    /// when its outcome is unknown: one `request_timeout`, at most half of
    /// `retry_timeout`.
    pub lookup_room: Duration,
    /// How long an apply waits for Writer's asynchronous processing.
    pub processing_timeout: Duration,
}

impl Api {
    /// A client from known settings; a missing API key is reported here, at
    /// the first call that needs the API.
    pub fn new(settings: &Settings, terraform_version: &str) -> Result<Api, Diagnostic> {
        let api_key = settings
            .api_key
            .clone()
            .ok_or_else(texts::missing_api_key)?;
        let base_url = settings
            .base_url
            .clone()
            .ok_or_else(texts::unknown_base_url)?;
        let app_url = settings
            .app_url
            .clone()
            .ok_or_else(texts::unknown_app_url)?;
        let mut config = ClientConfig::new(base_url, api_key);
        config.user_agent = format!(
            "terraform-provider-writer/{} (Terraform {terraform_version})",
            env!("CARGO_PKG_VERSION")
        );
        config.max_attempts = settings.max_retries + 1;
        config.request_timeout = settings.request_timeout;
        config.max_elapsed = settings.retry_timeout;
        config.allow_insecure_http = settings.allow_insecure_http.unwrap_or(false);
        let client = Client::new(config).map_err(|e| texts::client_setup_failed(&e))?;
        Ok(Api {
            client,
            app_url,
            lookup_room: settings.request_timeout.min(settings.retry_timeout / 2),
            processing_timeout: settings.processing_timeout,
        })
    }

    /// This API for one call (one operation): stopped by the call's own
    /// handle, and ending within one `retry_timeout` from now.
    pub fn for_call(&self, cancel: &tokio_util::sync::CancellationToken) -> Api {
        Api {
            client: self.client.with_cancel(cancel.clone()).for_operation(),
            app_url: self.app_url.clone(),
            lookup_room: self.lookup_room,
            processing_timeout: self.processing_timeout,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn the_provider_example_shows_the_default_limits() {
        let example = include_str!("../../examples/provider/provider.tf");
        for (name, default) in [
            ("request_timeout", DEFAULT_REQUEST_TIMEOUT),
            ("retry_timeout", DEFAULT_RETRY_TIMEOUT),
        ] {
            let line = example
                .lines()
                .find(|l| l.trim_start().starts_with(name))
                .unwrap_or_else(|| panic!("{name} in the example"));
            let value = line.split('"').nth(1).expect("a quoted duration");
            assert_eq!(parse_duration(value), Ok(default), "{line}");
        }
        // A stalled Writer costs one apply under a minute with the defaults.
        assert!(DEFAULT_RETRY_TIMEOUT < Duration::from_secs(60));
    }

    #[test]
    fn a_create_keeps_one_request_timeout_at_most_half_the_operation_for_its_lookup() {
        let room = |request: &str, retry: &str| {
            let (settings, d) = Settings::from_config(&config(&[
                ("api_key", Value::String("test-admin-key-not-real".into())),
                ("request_timeout", Value::String(request.into())),
                ("retry_timeout", Value::String(retry.into())),
            ]));
            assert!(d.is_empty(), "{d:?}");
            Api::new(&settings, "1.11.0").unwrap().lookup_room
        };
        assert_eq!(room("20s", "50s"), Duration::from_secs(20));
        assert_eq!(room("30s", "20s"), Duration::from_secs(10));
        assert_eq!(room("1s", "1h"), Duration::from_secs(1));
    }

    #[test]
    fn unknown_settings_are_not_judged() {
        let (s, d) = Settings::from_config(&config(&[
            ("app_url", Value::Unknown),
            ("base_url", Value::Unknown),
            ("api_key", Value::Unknown),
        ]));
        assert!(d.is_empty(), "{d:?}");
        assert!(s.app_url.is_none() && s.base_url.is_none() && s.api_key.is_none());
    }

    #[test]
    fn plain_http_beyond_loopback_is_refused_unless_allowed() {
        let http = |url: &str, allow: Value| {
            Settings::from_config(&config(&[
                ("base_url", Value::String(url.into())),
                ("allow_insecure_http", allow),
            ]))
            .1
        };
        let d = http("http://emulator:8787", Value::Null);
        let all: Vec<_> = d.iter().collect();
        assert_eq!(all.len(), 1, "{d:?}");
        let only = all[0];
        assert_eq!(
            only.attribute.as_ref().map(|p| p.to_string()).as_deref(),
            Some("base_url")
        );
        assert!(
            only.detail.contains("allow_insecure_http = true")
                && only.detail.contains(ENV_ALLOW_INSECURE_HTTP),
            "says how to opt in: {}",
            only.detail
        );
        assert!(http("http://emulator:8787", Value::Bool(true)).is_empty());
        assert!(http("http://emulator:8787", Value::Unknown).is_empty());
        assert!(http("http://127.0.0.1:8787", Value::Null).is_empty());
        assert!(http("https://writer.example", Value::Null).is_empty());
    }

    #[test]
    fn bad_settings_name_their_attribute() {
        let (_, d) = Settings::from_config(&config(&[
            ("base_url", Value::String("api.writer.com".into())),
            (
                "app_url",
                Value::String("https://app.writer.com/connector".into()),
            ),
            ("request_timeout", Value::String("soon".into())),
        ]));
        let paths: Vec<String> = d
            .iter()
            .map(|d| {
                d.attribute
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(paths, vec!["base_url", "app_url", "request_timeout"]);
    }
}
