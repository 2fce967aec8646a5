//! The list endpoint's query (`connector`, `name`, and the emulator's
//! cursor pages: `limit`, `order`, `before`, `after`, in
//! `crate::emulator::pages`) over the stored apps. Our contract is strict:
//! an unknown or repeated parameter is refused. Pure.

use std::sync::Arc;

use serde::Serialize;

use super::super::errors::{ApiError, ErrorItem};
use super::super::pages::{self, Paging};
use super::model::{name_key, AppView, Connector, StoredApp};

const PARAMETERS: [&str; 6] = ["connector", "name", "limit", "order", "before", "after"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ListQuery {
    connector: Option<Connector>,
    /// Already folded with [`name_key`].
    name: Option<String>,
    paging: Paging,
}

/// One page of apps, sharing them with the store: taken under the store's
/// lock, serialized after it is let go.
#[derive(Debug)]
pub(crate) struct Page {
    data: Vec<Arc<StoredApp>>,
    has_more: bool,
}

/// The list response, fields in the contract's order.
#[derive(Debug, Serialize)]
struct ListPage<'a> {
    data: Vec<AppView<'a>>,
    has_more: bool,
    first_id: Option<&'a str>,
    last_id: Option<&'a str>,
}

impl Page {
    fn response(&self) -> ListPage<'_> {
        ListPage {
            data: self.data.iter().map(|a| a.view()).collect(),
            has_more: self.has_more,
            first_id: self.data.first().map(|a| a.id.as_str()),
            last_id: self.data.last().map(|a| a.id.as_str()),
        }
    }

    /// The response body as JSON text, in the contract's field order.
    pub(crate) fn to_json(&self) -> Result<String, ApiError> {
        serde_json::to_string(&self.response())
            .map_err(|_| ApiError::internal("cannot serialize the list"))
    }
}

fn param_error(key: &'static str, param: &str, description: String) -> ApiError {
    ApiError::bad_request(ErrorItem::field(key, param, description))
}

pub(crate) fn parse_query(raw: Option<&str>) -> Result<ListQuery, ApiError> {
    let mut query = ListQuery {
        connector: None,
        name: None,
        paging: Paging::default(),
    };
    let mut seen: Vec<String> = Vec::new();
    for (param, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        admit(&param, &mut seen)?;
        query.set(&param, value.into_owned())?;
    }
    Ok(query)
}

/// Refuses a parameter that is unknown or already `seen`, and adds it there.
fn admit(param: &str, seen: &mut Vec<String>) -> Result<(), ApiError> {
    if !PARAMETERS.contains(&param) {
        return Err(param_error(
            "request.unknown_parameter",
            param,
            format!(
                "unknown query parameter {param:?}; allowed: {}",
                PARAMETERS.join(", ")
            ),
        ));
    }
    if seen.iter().any(|p| p == param) {
        return Err(param_error(
            "request.repeated_parameter",
            param,
            format!("query parameter {param} may be given once"),
        ));
    }
    seen.push(param.to_string());
    Ok(())
}

impl ListQuery {
    /// Sets what the (known, first-seen) query parameter `param` says.
    fn set(&mut self, param: &str, value: String) -> Result<(), ApiError> {
        match param {
            "connector" => self.connector = Some(parse_connector(&value)?),
            "name" => self.name = Some(name_key(&value)),
            paging => {
                self.paging.take(paging, value)?;
            }
        }
        Ok(())
    }
}

fn parse_connector(value: &str) -> Result<Connector, ApiError> {
    Connector::parse(value).ok_or_else(|| {
        let allowed: Vec<&str> = Connector::ALL.iter().map(|c| c.as_str()).collect();
        param_error(
            "list.connector.unknown",
            "connector",
            format!("connector must be one of: {}", allowed.join(", ")),
        )
    })
}

/// One page, as the list response object.
/// `apps` must be in creation order (ascending `seq`).
pub(crate) fn page(apps: &[Arc<StoredApp>], query: &ListQuery) -> Result<Page, ApiError> {
    let shown: Vec<&Arc<StoredApp>> = apps
        .iter()
        .filter(|a| query.connector.is_none_or(|c| a.connector == c))
        .filter(|a| query.name.as_ref().is_none_or(|n| name_key(&a.name) == *n))
        .collect();
    // A cursor may be any app, shown or not.
    let seq_of = |id: &str| apps.iter().find(|a| a.id == id).map(|a| a.seq);
    let (data, has_more) = pages::page(
        &shown,
        |a| a.seq,
        seq_of,
        &query.paging,
        "the id of an existing OAuth app",
    )?;
    Ok(Page {
        data: data.into_iter().cloned().collect(),
        has_more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::oauth_apps::model::Secret;
    use serde_json::{json, Value};

    fn app(seq: u64, connector: Connector, name: &str) -> Arc<StoredApp> {
        Arc::new(StoredApp {
            id: format!("app-{seq}"),
            seq,
            etag: seq,
            connector,
            name: name.to_owned(),
            client_id: "cid".to_owned(),
            client_secret: Secret::new("fake-secret-0001".to_owned()),
            client_secret_updated_at: "2025-01-01T00:00:00Z".to_owned(),
            scopes: vec![],
            settings: Default::default(),
            created_at: "2025-01-01T00:00:00Z".to_owned(),
            updated_at: "2025-01-01T00:00:00Z".to_owned(),
        })
    }

    fn ids(page: &Value) -> Vec<String> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect()
    }

    fn five() -> Vec<Arc<StoredApp>> {
        (1..=5)
            .map(|i| app(i, Connector::Confluence, &format!("App {i}")))
            .collect()
    }

    fn run(apps: &[Arc<StoredApp>], query: &str) -> Value {
        let page = page(apps, &parse_query(Some(query)).unwrap()).unwrap();
        serde_json::from_str(&page.to_json().unwrap()).unwrap()
    }

    #[test]
    fn newest_first_by_default() {
        let p = run(&five(), "");
        assert_eq!(ids(&p), ["app-5", "app-4", "app-3", "app-2", "app-1"]);
        assert_eq!(p["has_more"], json!(false));
        assert_eq!(p["first_id"], json!("app-5"));
        assert_eq!(p["last_id"], json!("app-1"));
    }

    #[test]
    fn walking_forward_and_back() {
        let apps = five();
        let p = run(&apps, "limit=2&order=asc");
        assert_eq!(ids(&p), ["app-1", "app-2"]);
        assert_eq!(p["has_more"], json!(true));
        let p = run(&apps, "limit=2&order=asc&after=app-2");
        assert_eq!(ids(&p), ["app-3", "app-4"]);
        let p = run(&apps, "limit=2&order=asc&after=app-4");
        assert_eq!(ids(&p), ["app-5"]);
        assert_eq!(p["has_more"], json!(false));
        let p = run(&apps, "limit=2&order=asc&before=app-5");
        assert_eq!(ids(&p), ["app-3", "app-4"]);
        assert_eq!(p["has_more"], json!(true));
        let p = run(&apps, "limit=2&order=asc&before=app-3");
        assert_eq!(ids(&p), ["app-1", "app-2"]);
        assert_eq!(p["has_more"], json!(false));
        let p = run(&apps, "limit=2&after=app-4");
        assert_eq!(ids(&p), ["app-3", "app-2"]);
        let p = run(&apps, "limit=3&before=app-2");
        assert_eq!(ids(&p), ["app-5", "app-4", "app-3"]);
        let p = run(&apps, "after=app-1");
        assert_eq!(ids(&p), Vec::<String>::new());
        assert_eq!(p["first_id"], Value::Null);
    }

    #[test]
    fn filters() {
        let mut apps = five();
        apps.push(app(6, Connector::Sharepoint, "app 1"));
        assert_eq!(ids(&run(&apps, "connector=sharepoint")), ["app-6"]);
        assert_eq!(ids(&run(&apps, "name=APP%201")), ["app-6", "app-1"]);
        assert_eq!(
            ids(&run(&apps, "name=app+1&connector=confluence")),
            ["app-1"]
        );
        assert_eq!(ids(&run(&apps, "name=app")), Vec::<String>::new());
    }

    #[test]
    fn bad_queries() {
        let cases = [
            ("limit=0", "list.limit.invalid"),
            ("limit=101", "list.limit.invalid"),
            ("limit=x", "list.limit.invalid"),
            ("limit=%2B5", "list.limit.invalid"),
            ("limit=", "list.limit.invalid"),
            ("order=up", "list.order.invalid"),
            ("connector=jira", "list.connector.unknown"),
            ("before=a&after=b", "list.cursor.conflict"),
            ("limit=1&limit=2", "request.repeated_parameter"),
            ("page=2", "request.unknown_parameter"),
        ];
        for (q, key) in cases {
            let err = parse_query(Some(q)).unwrap_err();
            assert_eq!(err.errors[0].key, key, "{q}");
        }
        let err = page(&five(), &parse_query(Some("after=nope")).unwrap()).unwrap_err();
        assert_eq!(err.errors[0].key, "list.cursor.not_found");
    }
}
