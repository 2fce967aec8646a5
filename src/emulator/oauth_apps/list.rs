//! The list endpoint's query (`connector`, `name`, `limit`, `order`,
//! `before`, `after`) and cursor pagination over the stored apps. Pure.

use std::sync::Arc;

use serde::Serialize;

use super::super::errors::{ApiError, ErrorItem};
use super::model::{name_key, AppView, Connector, StoredApp};

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 100;
const PARAMETERS: [&str; 6] = ["connector", "name", "limit", "order", "before", "after"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    Asc,
    Desc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cursor {
    Before(String),
    After(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ListQuery {
    connector: Option<Connector>,
    /// Already folded with [`name_key`].
    name: Option<String>,
    limit: usize,
    order: Order,
    cursor: Option<Cursor>,
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
        limit: DEFAULT_LIMIT,
        order: Order::Desc,
        cursor: None,
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
            "limit" => self.limit = parse_limit(&value)?,
            "order" => self.order = parse_order(&value)?,
            cursor => {
                if self.cursor.is_some() {
                    return Err(param_error(
                        "list.cursor.conflict",
                        cursor,
                        "give before or after, not both".to_owned(),
                    ));
                }
                self.cursor = Some(if cursor == "before" {
                    Cursor::Before(value)
                } else {
                    Cursor::After(value)
                });
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

fn parse_limit(value: &str) -> Result<usize, ApiError> {
    // Digits only: `parse` alone would also take "+5".
    Some(value)
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| (1..=MAX_LIMIT).contains(n))
        .ok_or_else(|| {
            param_error(
                "list.limit.invalid",
                "limit",
                format!("limit must be an integer from 1 to {MAX_LIMIT}"),
            )
        })
}

fn parse_order(value: &str) -> Result<Order, ApiError> {
    match value {
        "asc" => Ok(Order::Asc),
        "desc" => Ok(Order::Desc),
        _ => Err(param_error(
            "list.order.invalid",
            "order",
            "order must be asc or desc".to_owned(),
        )),
    }
}

/// One page, as the list response object.
/// `apps` must be in creation order (ascending `seq`).
pub(crate) fn page(apps: &[Arc<StoredApp>], query: &ListQuery) -> Result<Page, ApiError> {
    let mut ordered: Vec<&Arc<StoredApp>> = apps
        .iter()
        .filter(|a| query.connector.is_none_or(|c| a.connector == c))
        .filter(|a| query.name.as_ref().is_none_or(|n| name_key(&a.name) == *n))
        .collect();
    if query.order == Order::Desc {
        ordered.reverse();
    }
    let cursor_seq = |id: &str, param: &str| {
        apps.iter()
            .find(|a| a.id == id)
            .map(|a| a.seq)
            .ok_or_else(|| {
                param_error(
                    "list.cursor.not_found",
                    param,
                    format!("{param} must be the id of an existing OAuth app"),
                )
            })
    };
    // "Comes before the cursor in the requested order".
    let precedes = |seq: u64, cursor: u64| match query.order {
        Order::Asc => seq < cursor,
        Order::Desc => seq > cursor,
    };
    let (data, has_more): (Vec<&Arc<StoredApp>>, bool) = match &query.cursor {
        None => {
            let more = ordered.len() > query.limit;
            ordered.truncate(query.limit);
            (ordered, more)
        }
        Some(Cursor::After(id)) => {
            let cursor = cursor_seq(id, "after")?;
            let mut rest: Vec<&Arc<StoredApp>> = ordered
                .into_iter()
                .filter(|a| precedes(cursor, a.seq))
                .collect();
            let more = rest.len() > query.limit;
            rest.truncate(query.limit);
            (rest, more)
        }
        Some(Cursor::Before(id)) => {
            let cursor = cursor_seq(id, "before")?;
            let earlier: Vec<&Arc<StoredApp>> = ordered
                .into_iter()
                .filter(|a| precedes(a.seq, cursor))
                .collect();
            let more = earlier.len() > query.limit;
            // The page right before the cursor: its last `limit` entries.
            let start = earlier.len().saturating_sub(query.limit);
            (earlier[start..].to_vec(), more)
        }
    };
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
