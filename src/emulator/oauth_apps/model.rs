//! What the emulator stores about an OAuth app, and the JSON object the
//! contract returns for it. The stored form holds the secret; the returned
//! form is built only from [`StoredApp::view`], which never includes it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Origin of the web app whose `/connector/<name>` is the expected OAuth callback.
const APP_ORIGIN: &str = "https://app.writer.com";

/// Scopes without which Writer's Confluence connector cannot search and read pages.
pub(crate) const REQUIRED_CONFLUENCE_SCOPES: [&str; 3] = [
    "search:confluence",
    "read:space:confluence",
    "read:page:confluence",
];

/// Graph permissions without which Writer's SharePoint connector cannot sign
/// the user in; it also needs one of [`SHAREPOINT_SITES_SCOPES`].
pub(crate) const REQUIRED_SHAREPOINT_SCOPES: [&str; 1] = ["User.Read"];

/// A SharePoint app reads every site or only the chosen ones: one of these.
pub(crate) const SHAREPOINT_SITES_SCOPES: [&str; 2] = ["Sites.Read.All", "Sites.Selected"];

/// The data connectors an OAuth app can serve. `confluence` and
/// `sharepoint` have required scopes, and `sharepoint` a setting
/// (`tenant_id`); the others exist so the emulator accepts what Writer does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Connector {
    Confluence,
    Sharepoint,
    GoogleDrive,
    Notion,
}

impl Connector {
    pub(crate) const ALL: [Connector; 4] = [
        Connector::Confluence,
        Connector::Sharepoint,
        Connector::GoogleDrive,
        Connector::Notion,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Connector::Confluence => "confluence",
            Connector::Sharepoint => "sharepoint",
            Connector::GoogleDrive => "google_drive",
            Connector::Notion => "notion",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    pub(crate) fn required_scopes(self) -> &'static [&'static str] {
        match self {
            Connector::Confluence => &REQUIRED_CONFLUENCE_SCOPES,
            Connector::Sharepoint => &REQUIRED_SHAREPOINT_SCOPES,
            _ => &[],
        }
    }

    /// Scopes of which an app of this connector needs at least one (none:
    /// no such rule).
    pub(crate) fn one_of_scopes(self) -> &'static [&'static str] {
        match self {
            Connector::Sharepoint => &SHAREPOINT_SITES_SCOPES,
            _ => &[],
        }
    }

    /// The keys an app of this connector may have in `settings`.
    pub(crate) fn settings(self) -> &'static [&'static str] {
        match self {
            Connector::Sharepoint => &["tenant_id"],
            _ => &[],
        }
    }

    pub(crate) fn callback_url(self) -> String {
        format!("{APP_ORIGIN}/connector/{}", self.as_str())
    }
}

/// Secrets shorter than this get a hint without any of their characters: four
/// characters of a short secret would give away too much of it.
const HINT_MIN_SECRET_CHARS: usize = 16;

/// A client secret. Kept out of `Debug` so that no log line or panic can show it;
/// serialized as-is only into the state file.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    /// As the contract defines the hint: `"…"` and the last four characters
    /// for a secret of at least 16 characters, `"…"` alone otherwise.
    pub(crate) fn hint(&self) -> String {
        let count = self.0.chars().count();
        if count < HINT_MIN_SECRET_CHARS {
            return "…".to_owned();
        }
        let tail: String = self.0.chars().skip(count - 4).collect();
        format!("…{tail}")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// One OAuth app as stored (in memory and in the state file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredApp {
    pub(crate) id: String,
    /// Creation order: the list endpoint sorts by it, so apps created within
    /// the same clock tick still have one well-defined order.
    pub(crate) seq: u64,
    /// Current entity tag; drawn from a counter shared by all apps so that a
    /// tag never matches another app, or a deleted and recreated one.
    pub(crate) etag: u64,
    pub(crate) connector: Connector,
    pub(crate) name: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) client_secret_updated_at: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    /// The connector's settings that are set (state files from before
    /// settings existed have none).
    #[serde(default)]
    pub(crate) settings: BTreeMap<String, String>,
}

/// The `oauth_app` object as returned: fields in the contract's order, no secret.
#[derive(Debug, Serialize)]
pub(crate) struct AppView<'a> {
    id: &'a str,
    connector: Connector,
    name: &'a str,
    client_id: &'a str,
    client_secret_hint: String,
    client_secret_updated_at: &'a str,
    scopes: &'a [String],
    callback_url: String,
    settings: &'a BTreeMap<String, String>,
    status: &'static str,
    created_at: &'a str,
    updated_at: &'a str,
}

impl StoredApp {
    /// The `oauth_app` object of the contract.
    pub(crate) fn view(&self) -> AppView<'_> {
        AppView {
            id: &self.id,
            connector: self.connector,
            name: &self.name,
            client_id: &self.client_id,
            client_secret_hint: self.client_secret.hint(),
            client_secret_updated_at: &self.client_secret_updated_at,
            scopes: &self.scopes,
            callback_url: self.connector.callback_url(),
            settings: &self.settings,
            status: "active",
            created_at: &self.created_at,
            updated_at: &self.updated_at,
        }
    }

    /// The `ETag` header value: a strong validator.
    pub(crate) fn etag_header(&self) -> String {
        format!("\"{}\"", self.etag)
    }
}

/// Names are unique per connector ignoring case and surrounding whitespace.
pub(crate) fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// RFC 3339 in UTC with a `Z`, the form the contract uses for every time.
pub(crate) fn timestamp(now: OffsetDateTime) -> String {
    // Formatting fails only for years outside 0..=9999, which a clock reading cannot produce.
    now.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_shows_four_characters_of_long_secrets_only() {
        assert_eq!(Secret::new("fake-secret-0001".into()).hint(), "…0001");
        assert_eq!(Secret::new("fake-secret-001".into()).hint(), "…");
        assert_eq!(Secret::new("abc".into()).hint(), "…");
        assert_eq!(Secret::new("x".into()).hint(), "…");
        // Characters, not bytes: 15 two-byte characters are still too short.
        assert_eq!(Secret::new("é".repeat(15)).hint(), "…");
        let long = format!("{}xyzé", "é".repeat(12));
        assert_eq!(Secret::new(long).hint(), "…xyzé");
    }

    #[test]
    fn secret_debug_is_redacted() {
        let text = format!("{:?}", Secret::new("fake-secret-0001".into()));
        assert!(!text.contains("fake-secret-0001"), "{text}");
    }

    #[test]
    fn connectors_round_trip_and_callback_urls() {
        for c in Connector::ALL {
            assert_eq!(Connector::parse(c.as_str()), Some(c));
        }
        assert_eq!(Connector::parse("Confluence"), None);
        assert_eq!(
            Connector::Confluence.callback_url(),
            "https://app.writer.com/connector/confluence"
        );
    }

    #[test]
    fn timestamps_are_utc_rfc3339() {
        let t = time::macros::datetime!(2025-03-04 05:06:07.5 UTC);
        assert_eq!(timestamp(t), "2025-03-04T05:06:07.5Z");
    }
}
