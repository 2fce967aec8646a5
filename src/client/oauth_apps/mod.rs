//! The OAuth Apps API (our own contract, `reference/writer-api.openapi.yaml`):
//! typed calls for its five endpoints on the client's transport, with
//! idempotent creates and conditional updates. `model` holds its JSON shapes.

use reqwest::header::{self, HeaderName};
use reqwest::Method;

mod model;

pub use model::{CreateApp, ListFilter, NameMatch, OAuthApp, UpdateApp};

use super::body::Body;
use super::error::{Error, Outcome, Problem, WriteError};
use super::pages::{Page, Walk};
use super::redact::Redactor;
use super::secret::Secret;
use super::send::{Answer, Call, Deadline};
use super::transport::{get, header_value, quote_id, Client, Versioned};
use model::limit_hint;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// The most apps one list may hold. An organization has a handful of OAuth
/// apps per connector (one per Atlassian site, say); ten thousand is far
/// beyond any real one, and at ~1 KB an app it stays around 10 MB of memory.
pub const MAX_LISTED_APPS: usize = 10_000;
/// The most pages one list may take: `MAX_LISTED_APPS` at Writer's page size
/// is 100 pages; ten times that leaves room for a server paging in small
/// steps, and still ends a server that pages forever (empty pages included).
pub const MAX_LIST_PAGES: usize = 1_000;
/// The most body bytes one list may read over all its pages: 10 000 apps of
/// ~1.6 KB. Each page alone is already capped at 4 MiB.
const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;

/// How a list of apps is walked and bounded.
const APPS: Walk<'static> = Walk {
    max_items: MAX_LISTED_APPS,
    max_pages: MAX_LIST_PAGES,
    max_bytes: MAX_LIST_BYTES,
    longer_than: "any organization's OAuth apps",
    items: "apps",
    null_data_is_empty: false,
};

impl Client {
    /// Creates an app. A fresh idempotency key goes with every create and
    /// stays the same across its retries, so a create whose answer was lost
    /// is answered on retry with the app it made, never a second app.
    pub async fn create_app(&self, req: &CreateApp) -> Result<Versioned<OAuthApp>, WriteError> {
        let body = req.body();
        let key = uuid::Uuid::new_v4().to_string();
        let call = Call {
            method: Method::POST,
            url: self.apps_url(),
            body: Body::Json(&body),
            headers: vec![(
                IDEMPOTENCY_KEY,
                header_value(&key).map_err(WriteError::not_done)?,
            )],
            safe: true,
            secret: Some(&req.client_secret),
            finish_if_cancelled: true,
        };
        let answer = self.sender().send_write(&call, self.deadline()).await?;
        written(answer, Some(&req.client_secret), None)
    }

    /// The app, or `None` when Writer has no app with this ID.
    pub async fn get_app(&self, id: &str) -> Result<Option<Versioned<OAuthApp>>, Error> {
        self.get_app_by(id, self.deadline()).await
    }

    async fn get_app_by(
        &self,
        id: &str,
        deadline: Deadline,
    ) -> Result<Option<Versioned<OAuthApp>>, Error> {
        // An ID that names nothing: there is no such app.
        let Ok(url) = self.app_url(id) else {
            return Ok(None);
        };
        let answer = self.sender().send(&get(url), deadline).await?;
        if answer.status == 404 {
            return Ok(None);
        }
        Ok(Some(written(answer, None, Some(id))?))
    }

    /// Every app matching `filter`, oldest first, all pages; at most
    /// [`MAX_LISTED_APPS`] apps in [`MAX_LIST_PAGES`] pages.
    pub async fn list_apps(&self, filter: &ListFilter) -> Result<Vec<OAuthApp>, Error> {
        let mut apps = Vec::new();
        self.each_app(filter, |app| {
            apps.push(app);
            true
        })
        .await?;
        Ok(apps)
    }

    /// The apps of `connector` named `name` (ignoring case, Writer's rule),
    /// read only until the answer is decided: none, one, or more than one.
    pub async fn find_app_by_name(&self, connector: &str, name: &str) -> Result<NameMatch, Error> {
        let filter = ListFilter {
            connector: Some(connector.to_string()),
            name: Some(name.to_string()),
        };
        let mut found = Vec::new();
        self.each_app(&filter, |app| {
            // A server (or proxy) that ignores the filter is not believed.
            if filter.matches(&app) {
                found.push(app);
            }
            found.len() < 2
        })
        .await?;
        Ok(match found.len() {
            0 => NameMatch::None,
            1 => NameMatch::One(Box::new(found.remove(0))),
            _ => NameMatch::Several(found.into_iter().map(|a| a.id).collect()),
        })
    }

    /// Calls `keep_going` with every app matching `filter`, page by page,
    /// until it returns false or the list ends. The whole walk shares one
    /// deadline and is bounded in pages, apps and bytes.
    pub async fn each_app(
        &self,
        filter: &ListFilter,
        mut keep_going: impl FnMut(OAuthApp) -> bool,
    ) -> Result<(), Error> {
        self.each_item(
            &APPS,
            |after| self.page_url(filter, after),
            Page::last_id,
            |app, answer| Ok(keep_going(checked(app, answer, None)?)),
        )
        .await
    }

    /// The URL of the page of apps matching `filter` that follows the app
    /// `after` (the first page without it).
    fn page_url(&self, filter: &ListFilter, after: Option<&str>) -> url::Url {
        let mut url = self.apps_url();
        {
            let mut query = url.query_pairs_mut();
            if let Some(connector) = &filter.connector {
                query.append_pair("connector", connector);
            }
            if let Some(name) = &filter.name {
                query.append_pair("name", name);
            }
            query.append_pair("limit", &self.page_size().to_string());
            // Oldest first: apps created while we page land on the last page.
            query.append_pair("order", "asc");
            if let Some(after) = after {
                query.append_pair("after", after);
            }
        }
        url
    }

    /// Changes the fields set in `patch`. With `if_match` (an ETag from an
    /// earlier read), Writer refuses with 412 if the app changed since; and
    /// only then is the update retried, since a retry cannot overwrite
    /// someone else's change.
    pub async fn update_app(
        &self,
        id: &str,
        patch: &UpdateApp,
        if_match: Option<&str>,
    ) -> Result<Versioned<OAuthApp>, WriteError> {
        let not_done = WriteError::not_done;
        let url = self.app_url(id).map_err(not_done)?;
        let body = patch.body();
        let mut headers = Vec::new();
        if let Some(etag) = if_match {
            headers.push((header::IF_MATCH, header_value(etag).map_err(not_done)?));
        }
        let call = Call {
            method: Method::PATCH,
            url,
            body: Body::Json(&body),
            headers,
            safe: if_match.is_some(),
            secret: patch.client_secret.as_ref(),
            finish_if_cancelled: true,
        };
        let deadline = self.deadline();
        let answer = self.sender().send_write(&call, deadline).await?;
        if answer.status == 412 && answer.after_lost_attempt {
            // Our own earlier attempt may have gone through and moved the
            // ETag: then the change is in, and that is success.
            tracing::debug!(
                id,
                "412 after a lost attempt: checking whether the update is in"
            );
            // The read-back is part of the same operation: same deadline.
            let read = self.get_app_by(id, deadline).await;
            let current = read.map_err(|error| WriteError {
                error,
                outcome: Outcome::Unknown,
            })?;
            // Writer has the app without this change (or has no such app):
            // as things stand, the change is not made.
            return match current {
                Some(current) if patch.is_reflected_in(&current.value) => Ok(current),
                Some(_) => Err(not_done(answer.into_error())),
                None => Err(not_done(no_such_app())),
            };
        }
        written(answer, patch.client_secret.as_ref(), Some(id))
    }

    /// Deletes the app; one that does not exist counts as deleted (also when
    /// our own earlier attempt deleted it and its answer was lost). An ID
    /// that names nothing is an error: never "deleted" without asking.
    pub async fn delete_app(&self, id: &str) -> Result<(), WriteError> {
        let url = self.app_url(id).map_err(WriteError::not_done)?;
        let call = Call {
            method: Method::DELETE,
            url,
            body: Body::Empty,
            headers: Vec::new(),
            safe: true,
            secret: None,
            finish_if_cancelled: true,
        };
        let answer = self.sender().send_write(&call, self.deadline()).await?;
        if answer.is_success() || answer.status == 404 {
            Ok(())
        } else {
            Err(answer.into_write_error())
        }
    }

    /// `<base>/v1/oauth-apps/<id>`, or the error for an ID no URL path can
    /// carry (empty, `.`, `..`): no app has such an ID.
    fn app_url(&self, id: &str) -> Result<url::Url, Error> {
        self.v1_url(&["oauth-apps", id])
    }

    /// `<base>/v1/oauth-apps`.
    fn apps_url(&self) -> url::Url {
        self.url(&["v1", "oauth-apps"])
    }
}

/// The app of a successful answer to a call about the app `asked` (a read
/// or update; `None` for a create). `sent` is the client secret this call
/// sent, if any. An answer about another app is not taken for this one.
///
/// A success to a write that holds a whole secret sent is [`Outcome::Done`]
/// with the app's ID, and so is an unreadable success to a create that still
/// gives the new app's ID: the caller keeps track of the app Writer now has.
/// Any other unreadable success leaves the outcome unknown.
fn written(
    answer: Answer,
    sent: Option<&Secret>,
    asked: Option<&str>,
) -> Result<Versioned<OAuthApp>, WriteError> {
    if !answer.is_success() {
        return Err(answer.into_write_error());
    }
    let app: OAuthApp = match answer.json() {
        Ok(app) => app,
        Err(error) => {
            let outcome = match asked.is_none().then(|| id_in(&answer)).flatten() {
                Some(id) => Outcome::Done { id },
                None => answer.outcome(),
            };
            return Err(WriteError { error, outcome });
        }
    };
    if let Some(asked) = asked.filter(|asked| *asked != app.id) {
        return Err(WriteError {
            error: Error::BadResponse {
                status: answer.status,
                reason: answer.redactor.clean(&format!(
                    "it describes the app `{}`, not the app `{}` asked for",
                    quote_id(&app.id),
                    quote_id(asked)
                )),
                request_id: answer.request_id.clone(),
            },
            outcome: answer.outcome(),
        });
    }
    // An ID holding a secret cannot be kept anywhere: the outcome stays unknown.
    let id = (!answer.redactor.holds_whole(&app.id)).then(|| app.id.clone());
    match checked(app, &answer, sent) {
        Ok(value) => Ok(Versioned {
            value,
            etag: answer.etag,
        }),
        Err(error) => {
            let outcome = match id {
                Some(id) => Outcome::Done { id },
                None => answer.outcome(),
            };
            Err(WriteError { error, outcome })
        }
    }
}

/// The `id` of a success body that is not the app the contract describes,
/// when it has a usable one (a short, printable string holding no secret).
fn id_in(answer: &Answer) -> Option<String> {
    let body: serde_json::Value = serde_json::from_slice(&answer.body).ok()?;
    let id = body.get("id")?.as_str()?;
    let usable = !id.is_empty()
        && id.chars().count() <= 256
        && !id.chars().any(char::is_control)
        && !answer.redactor.holds_whole(id);
    usable.then(|| id.to_string())
}

/// An app as the rest of the provider may see and store it: exactly as
/// Writer sent it, unless a field holds a whole secret sent in the call (the
/// API key, or `sent`): then the answer is refused, naming the field and the
/// secret but never showing it. Pieces of a secret are not looked for: a
/// name, scope, ID or date may share them by chance. The secret hint is kept
/// to what the contract allows ([`limit_hint`]).
fn checked(mut app: OAuthApp, answer: &Answer, sent: Option<&Secret>) -> Result<OAuthApp, Error> {
    let redactor = &answer.redactor;
    let named = |name: &str| name.to_string();
    let fields = [
        ("id", &app.id),
        ("connector", &app.connector),
        ("name", &app.name),
        ("client_id", &app.client_id),
        ("client_secret_hint", &app.client_secret_hint),
        ("client_secret_updated_at", &app.client_secret_updated_at),
        ("callback_url", &app.callback_url),
        ("status", &app.status),
        ("created_at", &app.created_at),
        ("updated_at", &app.updated_at),
    ]
    .into_iter()
    .map(|(name, text)| (named(name), text))
    .chain(app.scopes.iter().map(|s| (named("scopes"), s)))
    .chain(app.settings.iter().flat_map(|(k, v)| {
        // A key that holds a secret is named `settings`, not shown.
        let value = if redactor.holds_whole(k) {
            named("settings")
        } else {
            format!("settings.{}", quote_id(k))
        };
        [(named("settings"), k), (value, v)]
    }));
    for (field, text) in fields {
        if redactor.holds_whole(text) {
            let which = match sent {
                Some(secret) if Redactor::new([secret]).holds_whole(text) => "the client secret",
                _ => "the API key",
            };
            return Err(Error::BadResponse {
                status: answer.status,
                reason: format!(
                    "its `{field}` holds {which} this request sent (not shown here), so the \
                     answer is not used: a secret must reach no state, log or message"
                ),
                request_id: answer.request_id.clone(),
            });
        }
    }
    app.client_secret_hint = limit_hint(&app.client_secret_hint, sent);
    Ok(app)
}

fn no_such_app() -> Error {
    Error::NotFound {
        problem: Box::new(Problem {
            status: 404,
            description: Some("no OAuth app with this id".to_string()),
            ..Problem::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientConfig;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    fn client(base: &str) -> Client {
        Client::new(ClientConfig::new(
            url(base),
            Secret::new("test-admin-key-not-real"),
        ))
        .unwrap()
    }

    #[test]
    fn apps_url_keeps_a_path_prefix() {
        let cases = [
            (
                "https://api.writer.com",
                "https://api.writer.com/v1/oauth-apps",
            ),
            (
                "https://api.writer.com/",
                "https://api.writer.com/v1/oauth-apps",
            ),
            (
                "http://127.0.0.1:8787",
                "http://127.0.0.1:8787/v1/oauth-apps",
            ),
            (
                "https://gw.example/writer",
                "https://gw.example/writer/v1/oauth-apps",
            ),
            (
                "https://gw.example/writer/",
                "https://gw.example/writer/v1/oauth-apps",
            ),
        ];
        for (base, expected) in cases {
            assert_eq!(client(base).apps_url().as_str(), expected, "{base}");
        }
    }

    #[test]
    fn ids_are_one_encoded_path_segment() {
        let c = client("https://api.writer.com");
        let at = |id| c.app_url(id).ok().map(|u| u.to_string());
        assert_eq!(
            at("3f2c").as_deref(),
            Some("https://api.writer.com/v1/oauth-apps/3f2c")
        );
        assert_eq!(
            at("a/../b?c#d").as_deref(),
            Some("https://api.writer.com/v1/oauth-apps/a%2F..%2Fb%3Fc%23d")
        );
        assert_eq!(at(""), None);
        assert_eq!(at("."), None);
        assert_eq!(at(".."), None);
    }
}
