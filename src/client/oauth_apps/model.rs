//! The OAuth app as Writer returns it, and the requests that create, change
//! and list apps, with their exact JSON bodies. Request types are not
//! `Serialize`: their bodies are built here, the only place a client secret
//! is turned into request bytes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer};
use serde_json::{json, Map, Value};

use super::super::secret::Secret;

/// Writer's `oauth_app` object. Fields Writer adds later are ignored.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OAuthApp {
    pub id: String,
    pub connector: String,
    pub name: String,
    pub client_id: String,
    /// `"…"` and the secret's last four characters when it has at least 16,
    /// otherwise `"…"` alone; the secret itself is never returned. The client
    /// enforces this whatever the server says (see [`limit_hint`]).
    pub client_secret_hint: String,
    pub client_secret_updated_at: String,
    pub scopes: Vec<String>,
    pub callback_url: String,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
    /// What only apps of some connectors have (a SharePoint app's
    /// `tenant_id`), by name: the ones set. Absent, `{}` and a null value
    /// all mean not set.
    #[serde(default, deserialize_with = "settings_set")]
    pub settings: BTreeMap<String, String>,
}

/// A `settings` object, without the entries that are null.
fn settings_set<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let raw: Option<BTreeMap<String, Option<String>>> = Option::deserialize(d)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect())
}

/// A new app. `Debug` shows no secret.
#[derive(Clone, Debug)]
pub struct CreateApp {
    pub connector: String,
    pub name: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub scopes: Vec<String>,
    /// The connector's settings that are set; sent only when there is one.
    pub settings: BTreeMap<String, String>,
}

/// A change to an app: `None` fields are left as they are (and not sent).
#[derive(Clone, Debug, Default)]
pub struct UpdateApp {
    pub name: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    pub scopes: Option<Vec<String>>,
    /// The whole `settings` object (a setting left out is unset).
    pub settings: Option<BTreeMap<String, String>>,
}

/// Which apps to list; `None` means no filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub connector: Option<String>,
    /// Exact name, ignoring case (Writer's rule).
    pub name: Option<String>,
}

/// The apps with one name: the answer of `Client::find_app_by_name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameMatch {
    None,
    One(Box<OAuthApp>),
    /// The IDs of the first matches found (at least two); the lookup stops
    /// there, so there may be more.
    Several(Vec<String>),
}

impl ListFilter {
    /// Whether `app` passes this filter, by Writer's rules (names ignore
    /// case and surrounding whitespace).
    pub(crate) fn matches(&self, app: &OAuthApp) -> bool {
        let name_key = |n: &str| n.trim().to_lowercase();
        self.connector.as_ref().is_none_or(|c| *c == app.connector)
            && self
                .name
                .as_ref()
                .is_none_or(|n| name_key(n) == name_key(&app.name))
    }
}

impl CreateApp {
    /// Whether `app`'s secret hint is the one Writer shows for the secret
    /// this create sends: `None` when that hint shows no character of it
    /// (a secret shorter than 16 characters), so it tells nothing.
    pub fn hint_shows_secret_in(&self, app: &OAuthApp) -> Option<bool> {
        let expected = secret_hint(self.client_secret.expose());
        (expected != ELLIPSIS).then(|| app.client_secret_hint == expected)
    }

    /// The request body. Built once per create, so every retry sends the same
    /// bytes (Writer replays an idempotent create only for the same body).
    pub(crate) fn body(&self) -> Vec<u8> {
        let mut body = json!({
            "connector": self.connector,
            "name": self.name,
            "client_id": self.client_id,
            "client_secret": self.client_secret.expose(),
            "scopes": self.scopes,
        });
        if !self.settings.is_empty() {
            body["settings"] = json!(self.settings);
        }
        body.to_string().into_bytes()
    }
}

impl UpdateApp {
    pub(crate) fn body(&self) -> Vec<u8> {
        let mut body = Map::new();
        if let Some(name) = &self.name {
            body.insert("name".into(), json!(name));
        }
        if let Some(client_id) = &self.client_id {
            body.insert("client_id".into(), json!(client_id));
        }
        if let Some(secret) = &self.client_secret {
            body.insert("client_secret".into(), json!(secret.expose()));
        }
        if let Some(scopes) = &self.scopes {
            body.insert("scopes".into(), json!(scopes));
        }
        if let Some(settings) = &self.settings {
            body.insert("settings".into(), json!(settings));
        }
        Value::Object(body).to_string().into_bytes()
    }

    /// Whether `app` already shows this change. Used when an update whose
    /// answer was lost is refused on retry with 412: the 412 may be our own
    /// change having moved the ETag.
    ///
    /// The secret cannot be read back, so it counts as applied when the hint
    /// shows its last characters and the app's last change set the secret.
    pub(crate) fn is_reflected_in(&self, app: &OAuthApp) -> bool {
        let name = self
            .name
            .as_ref()
            .is_none_or(|n| n == &app.name || n.trim() == app.name.trim());
        let client_id = self.client_id.as_ref().is_none_or(|c| c == &app.client_id);
        let scopes = self.scopes.as_ref().is_none_or(|s| {
            s.iter().collect::<BTreeSet<_>>() == app.scopes.iter().collect::<BTreeSet<_>>()
        });
        let secret = self.client_secret.as_ref().is_none_or(|s| {
            app.client_secret_hint == secret_hint(s.expose())
                && app.client_secret_updated_at == app.updated_at
        });
        let settings = self.settings.as_ref().is_none_or(|s| s == &app.settings);
        name && client_id && scopes && secret && settings
    }
}

/// Secrets shorter than this get a hint with no characters of theirs: four
/// characters of a short secret are too large a part of it.
pub(crate) const HINT_MIN_SECRET_CHARS: usize = 16;
const HINT_TAIL_CHARS: usize = 4;
const ELLIPSIS: &str = "…";

/// Writer's hint for a secret, per the contract: an ellipsis and its last
/// four characters when it has at least 16, otherwise the ellipsis alone.
fn secret_hint(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < HINT_MIN_SECRET_CHARS {
        return ELLIPSIS.to_string();
    }
    let tail: String = chars[chars.len() - HINT_TAIL_CHARS..].iter().collect();
    format!("{ELLIPSIS}{tail}")
}

/// The hint the provider may keep, whatever the server sent: one of the
/// contract's two shapes (`…` alone, or `…` and four printable characters),
/// else `…`. When the call sent the secret (`sent`), a short one gets `…`
/// alone, so a server cannot reveal the tail of a short secret either.
pub(crate) fn limit_hint(server: &str, sent: Option<&Secret>) -> String {
    if sent.is_some_and(|s| s.expose().chars().count() < HINT_MIN_SECRET_CHARS) {
        return ELLIPSIS.to_string();
    }
    match server.strip_prefix(ELLIPSIS) {
        Some(tail)
            if tail.chars().count() == HINT_TAIL_CHARS
                && !tail.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            server.to_string()
        }
        _ => ELLIPSIS.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "fake-secret-0001";

    fn app() -> OAuthApp {
        OAuthApp {
            id: "app-1".into(),
            connector: "confluence".into(),
            name: "Engineering".into(),
            client_id: "atlassian-client-1".into(),
            client_secret_hint: "…0001".into(),
            client_secret_updated_at: "2026-01-02T03:04:05Z".into(),
            scopes: vec![
                "search:confluence".into(),
                "read:space:confluence".into(),
                "read:page:confluence".into(),
            ],
            callback_url: "https://app.writer.com/connector/confluence".into(),
            status: "active".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-02T03:04:05Z".into(),
            settings: BTreeMap::new(),
        }
    }

    #[test]
    fn decodes_the_object_and_ignores_unknown_fields() {
        let body = r#"{"id":"app-1","connector":"confluence","name":"Engineering",
            "client_id":"atlassian-client-1","client_secret_hint":"…0001",
            "client_secret_updated_at":"2026-01-02T03:04:05Z",
            "scopes":["search:confluence","read:space:confluence","read:page:confluence"],
            "callback_url":"https://app.writer.com/connector/confluence","status":"active",
            "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T03:04:05Z",
            "sync_count": 3, "owner": {"id": "u1"}}"#;
        let decoded: OAuthApp = serde_json::from_str(body).unwrap();
        assert_eq!(decoded, app());
    }

    #[test]
    fn a_missing_field_is_an_error_naming_it() {
        let err = serde_json::from_str::<OAuthApp>(r#"{"id":"x"}"#).unwrap_err();
        assert!(
            err.to_string().contains("missing field `connector`"),
            "{err}"
        );
    }

    #[test]
    fn create_body_is_exactly_the_contract() {
        let create = CreateApp {
            connector: "confluence".into(),
            name: "Engineering".into(),
            client_id: "atlassian-client-1".into(),
            client_secret: Secret::new(SECRET),
            scopes: vec!["search:confluence".into()],
            settings: BTreeMap::new(),
        };
        let body: Value = serde_json::from_slice(&create.body()).unwrap();
        assert_eq!(
            body,
            json!({"connector": "confluence", "name": "Engineering",
                   "client_id": "atlassian-client-1", "client_secret": SECRET,
                   "scopes": ["search:confluence"]})
        );
        assert_eq!(create.body(), create.body());
        let shown = format!("{create:?}");
        assert!(
            !shown.contains(SECRET) && shown.contains("Engineering"),
            "{shown}"
        );
    }

    #[test]
    fn update_body_leaves_out_absent_fields() {
        let body = |u: &UpdateApp| serde_json::from_slice::<Value>(&u.body()).unwrap();
        assert_eq!(body(&UpdateApp::default()), json!({}));
        let rename = UpdateApp {
            name: Some("New".into()),
            ..UpdateApp::default()
        };
        assert_eq!(body(&rename), json!({"name": "New"}));
        let all = UpdateApp {
            name: Some("New".into()),
            client_id: Some("cid".into()),
            client_secret: Some(Secret::new(SECRET)),
            scopes: Some(vec![]),
            settings: None,
        };
        assert_eq!(
            body(&all),
            json!({"name": "New", "client_id": "cid", "client_secret": SECRET, "scopes": []})
        );
        let shown = format!("{all:?}");
        assert!(!shown.contains(SECRET) && shown.contains("cid"), "{shown}");
    }

    #[test]
    fn settings_are_sent_when_set_and_read_without_nulls() {
        let tenant = BTreeMap::from([("tenant_id".to_string(), "fake-tenant".to_string())]);
        let create = CreateApp {
            connector: "sharepoint".into(),
            name: "Docs".into(),
            client_id: "cid".into(),
            client_secret: Secret::new(SECRET),
            scopes: vec!["User.Read".into()],
            settings: tenant.clone(),
        };
        let body: Value = serde_json::from_slice(&create.body()).unwrap();
        assert_eq!(body["settings"], json!({"tenant_id": "fake-tenant"}));
        let clear = UpdateApp {
            settings: Some(BTreeMap::new()),
            ..UpdateApp::default()
        };
        assert_eq!(
            serde_json::from_slice::<Value>(&clear.body()).unwrap(),
            json!({"settings": {}})
        );
        let mut object = json!({
            "id":"app-1","connector":"sharepoint","name":"Docs","client_id":"cid",
            "client_secret_hint":"…0001","client_secret_updated_at":"t","scopes":[],
            "callback_url":"u","status":"active","created_at":"t","updated_at":"t"});
        for (settings, read) in [
            (None, BTreeMap::new()),
            (Some(json!(null)), BTreeMap::new()),
            (Some(json!({"tenant_id": null})), BTreeMap::new()),
            (Some(json!({"tenant_id": "fake-tenant"})), tenant.clone()),
        ] {
            if let Some(v) = settings.clone() {
                object["settings"] = v;
            }
            let app: OAuthApp = serde_json::from_value(object.clone()).unwrap();
            assert_eq!(app.settings, read, "{settings:?}");
            let mut a = app.clone();
            a.settings = tenant.clone();
            assert!(!clear.is_reflected_in(&a));
            assert_eq!(clear.is_reflected_in(&app), read.is_empty());
        }
    }

    #[test]
    fn secret_hint_is_the_last_four_characters_of_a_long_enough_secret() {
        assert_eq!(secret_hint(SECRET), "…0001");
        assert_eq!(secret_hint("abc"), "…");
        assert_eq!(secret_hint("fake-secret-015"), "…", "15 characters");
        assert_eq!(secret_hint("éééééééééééexyzé"), "…xyzé");
    }

    #[test]
    fn a_server_hint_reveals_no_more_than_the_contract_allows() {
        let long = Secret::new(SECRET);
        let short = Secret::new("fake-short-01");
        let cases = [
            // (server's hint, the secret sent in the call, what is kept)
            ("…0001", None, "…0001"),
            ("…", None, "…"),
            ("…0001", Some(&long), "…0001"),
            ("…t-01", Some(&short), "…"),
            ("…", Some(&short), "…"),
            (SECRET, None, "…"),
            ("…fake-secret-0001", None, "…"),
            ("…fake-secret-0001", Some(&long), "…"),
            ("0001", None, "…"),
            ("…01", None, "…"),
            ("…\u{1b}[0m", None, "…"),
            ("", None, "…"),
        ];
        for (server, sent, kept) in cases {
            assert_eq!(limit_hint(server, sent), kept, "{server:?}");
        }
    }

    #[test]
    fn the_name_filter_ignores_case_and_surrounding_space_like_writer() {
        let filter = ListFilter {
            connector: Some("confluence".into()),
            name: Some(" engineering ".into()),
        };
        assert!(filter.matches(&app()));
        let mut other = app();
        other.name = "Engineering 2".into();
        assert!(!filter.matches(&other));
        other = app();
        other.connector = "sharepoint".into();
        assert!(!filter.matches(&other));
        assert!(ListFilter::default().matches(&other));
    }

    #[test]
    fn is_reflected_in() {
        let a = app();
        let table: Vec<(UpdateApp, bool)> = vec![
            (UpdateApp::default(), true),
            (
                UpdateApp {
                    name: Some("Engineering".into()),
                    ..UpdateApp::default()
                },
                true,
            ),
            (
                UpdateApp {
                    name: Some("Sales".into()),
                    ..UpdateApp::default()
                },
                false,
            ),
            (
                UpdateApp {
                    client_id: Some("other".into()),
                    ..UpdateApp::default()
                },
                false,
            ),
            (
                UpdateApp {
                    scopes: Some(vec![
                        "read:page:confluence".into(),
                        "search:confluence".into(),
                        "read:space:confluence".into(),
                    ]),
                    ..UpdateApp::default()
                },
                true,
            ),
            (
                UpdateApp {
                    scopes: Some(vec!["search:confluence".into()]),
                    ..UpdateApp::default()
                },
                false,
            ),
            (
                UpdateApp {
                    client_secret: Some(Secret::new(SECRET)),
                    ..UpdateApp::default()
                },
                true,
            ),
            (
                UpdateApp {
                    client_secret: Some(Secret::new("fake-secret-0002")),
                    ..UpdateApp::default()
                },
                false,
            ),
        ];
        for (patch, expected) in table {
            assert_eq!(patch.is_reflected_in(&a), expected, "{patch:?}");
        }
        // The hint matches, but the last change was not to the secret.
        let mut later = app();
        later.updated_at = "2026-02-01T00:00:00Z".into();
        let secret = UpdateApp {
            client_secret: Some(Secret::new(SECRET)),
            ..UpdateApp::default()
        };
        assert!(!secret.is_reflected_in(&later));
    }
}
