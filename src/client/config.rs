//! How a [`super::Client`] is set up: where Writer is, the key, and the
//! bounds of its retries. Plain data with defaults; checked by `Client::new`.

use std::fmt;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::secret::Secret;

/// The product part every `User-Agent` starts with.
pub(crate) const USER_AGENT_PRODUCT: &str =
    concat!("terraform-provider-writer/", env!("CARGO_PKG_VERSION"));

/// Settings of a [`super::Client`]. `Debug` shows no secret.
#[derive(Clone)]
pub struct ClientConfig {
    /// Writer's API origin, optionally with a path prefix; `/v1/...` is
    /// appended to it.
    pub base_url: url::Url,
    pub api_key: Secret,
    /// Sent as `User-Agent`. When it does not already start with
    /// `terraform-provider-writer/`, that product token is put in front, so
    /// Writer can always tell who is calling.
    pub user_agent: String,
    /// Tries per call, the first included; 0 counts as 1.
    pub max_attempts: u32,
    /// The longest a call may take, retries and waits included.
    pub max_elapsed: Duration,
    /// The longest one HTTP exchange may take.
    pub request_timeout: Duration,
    /// The ceiling of the first backoff; it doubles per attempt.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// Apps per list request (1..=100; out-of-range values are clamped).
    pub page_size: u32,
    /// When cancelled, reads in flight and waits between retries stop at
    /// once with [`super::Error::Cancelled`]; a write already sent is
    /// finished (within `request_timeout`) so that its outcome is known, and
    /// is not retried.
    pub cancel: Option<CancellationToken>,
    /// Allows a plain `http://` base URL to a host that is not loopback (an
    /// emulator in another container). Off by default: the API key and
    /// client secrets would cross the network unencrypted.
    pub allow_insecure_http: bool,
}

impl ClientConfig {
    /// Defaults suited to a Terraform run: a handful of attempts over two
    /// minutes, waits from a quarter second up to ten seconds.
    pub fn new(base_url: url::Url, api_key: Secret) -> ClientConfig {
        ClientConfig {
            base_url,
            api_key,
            user_agent: USER_AGENT_PRODUCT.to_string(),
            max_attempts: 5,
            max_elapsed: Duration::from_secs(120),
            request_timeout: Duration::from_secs(30),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            page_size: 100,
            cancel: None,
            allow_insecure_http: false,
        }
    }

    /// The `User-Agent` actually sent.
    pub(crate) fn effective_user_agent(&self) -> String {
        let extra = self.user_agent.trim();
        if extra.starts_with("terraform-provider-writer/") {
            extra.to_string()
        } else if extra.is_empty() {
            USER_AGENT_PRODUCT.to_string()
        } else {
            format!("{USER_AGENT_PRODUCT} {extra}")
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &shown_url(&self.base_url))
            .field("api_key", &self.api_key)
            .field("user_agent", &self.user_agent)
            .field("max_attempts", &self.max_attempts)
            .field("max_elapsed", &self.max_elapsed)
            .field("request_timeout", &self.request_timeout)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("page_size", &self.page_size)
            .field("cancel", &self.cancel.is_some())
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

/// Whether `url` points at this machine: `localhost`, 127.0.0.0/8 or `::1`.
/// Plain http is harmless there (nothing crosses a network).
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.strip_suffix('.').unwrap_or(d);
            d.eq_ignore_ascii_case("localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The host name of `url` when it is `localhost` (with or without the
/// trailing dot of a fully qualified name, in any case), as the URL spells it.
pub(crate) fn localhost_name(url: &url::Url) -> Option<&str> {
    match url.host() {
        Some(url::Host::Domain(d))
            if d.strip_suffix('.')
                .unwrap_or(d)
                .eq_ignore_ascii_case("localhost") =>
        {
            Some(d)
        }
        _ => None,
    }
}

/// Where `localhost` is, without asking anyone (RFC 6761 reserves the name
/// for this machine): IPv4 first, as the emulator and most local servers
/// listen there. Port 0 stands for the URL's port.
pub(crate) const LOCALHOST_ADDRESSES: [std::net::SocketAddr; 2] = [
    std::net::SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 0),
    std::net::SocketAddr::new(std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), 0),
];

/// A URL as it may be shown in logs and errors: a password someone put in
/// it stays out.
pub(crate) fn shown_url(url: &url::Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        // Only fails for URLs that cannot have credentials at all.
        let _ = shown.set_password(Some("redacted"));
    }
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ClientConfig {
        ClientConfig::new(
            url::Url::parse("https://api.writer.com").unwrap(),
            Secret::new("test-admin-key-not-real"),
        )
    }

    #[test]
    fn user_agent_always_names_the_provider() {
        let v = env!("CARGO_PKG_VERSION");
        let mut c = config();
        assert_eq!(
            c.effective_user_agent(),
            format!("terraform-provider-writer/{v}")
        );
        c.user_agent = format!("terraform-provider-writer/{v} (Terraform 1.11.0)");
        assert_eq!(
            c.effective_user_agent(),
            format!("terraform-provider-writer/{v} (Terraform 1.11.0)")
        );
        c.user_agent = "Terraform/1.11.0".into();
        assert_eq!(
            c.effective_user_agent(),
            format!("terraform-provider-writer/{v} Terraform/1.11.0")
        );
        c.user_agent = "  ".into();
        assert_eq!(
            c.effective_user_agent(),
            format!("terraform-provider-writer/{v}")
        );
    }

    #[test]
    fn loopback_is_this_machine_only() {
        let is = |s: &str| is_loopback(&url::Url::parse(s).unwrap());
        for yes in [
            "http://127.0.0.1:8787",
            "http://127.1.2.3",
            "http://[::1]:8080",
            "http://localhost",
            "http://LOCALHOST.:9",
        ] {
            assert!(is(yes), "{yes}");
        }
        for no in [
            "http://10.0.0.5:8787",
            "http://emulator:8787",
            "http://localhost.evil.example",
            "http://128.0.0.1",
            "http://[::2]",
            "http://0.0.0.0",
        ] {
            assert!(!is(no), "{no}");
        }
    }

    #[test]
    fn localhost_is_named_in_every_spelling_and_nothing_else_is() {
        let name = |s: &str| localhost_name(&url::Url::parse(s).unwrap()).map(str::to_string);
        assert_eq!(name("http://localhost:8787").as_deref(), Some("localhost"));
        assert_eq!(
            name("http://localhost.:8787").as_deref(),
            Some("localhost.")
        );
        // The URL's own spelling, lower case: what the connection looks up.
        assert_eq!(name("http://LOCALHOST.").as_deref(), Some("localhost."));
        for no in [
            "http://127.0.0.1",
            "http://[::1]",
            "http://localhost.evil.example",
            "http://my.localhost",
            "http://localhost..",
        ] {
            assert_eq!(name(no), None, "{no}");
        }
    }

    #[test]
    fn debug_hides_the_key() {
        let text = format!("{:?}", config());
        assert!(!text.contains("test-admin-key-not-real"), "{text}");
        assert!(text.contains("api.writer.com"), "{text}");
    }

    #[test]
    fn debug_hides_a_password_in_the_base_url() {
        let mut c = config();
        c.base_url = url::Url::parse("https://me:fake-password-1@writer.example").unwrap();
        let text = format!("{c:?}");
        assert!(!text.contains("fake-password-1"), "{text}");
        assert!(
            text.contains("https://me:redacted@writer.example/"),
            "{text}"
        );
    }
}
