//! Writer's cursor pages for graphs and files: `limit` 1..100 (default 50),
//! `order` `asc`/`desc` by creation (default `desc`), `after` = the ID of the
//! last item of the previous page, `before` = the ID of the first; answers
//! `{data, has_more, first_id, last_id}`. The file list's filters
//! (`graph_id`, `status`, `file_types`) are parsed here too. Query
//! parameters Writer does not define are ignored, as its API does. Pure.

use serde_json::{json, Value};

use super::processing::FileStatus;
use crate::emulator::errors::{ApiError, ErrorItem};

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cursor {
    Before(String),
    After(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ListQuery {
    pub(crate) limit: usize,
    pub(crate) descending: bool,
    pub(crate) cursor: Option<Cursor>,
}

/// What `GET /v1/files` can be narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileFilter {
    pub(crate) graph_id: Option<String>,
    pub(crate) status: Option<FileStatus>,
    /// Lower-case extensions without the dot.
    pub(crate) extensions: Option<Vec<String>>,
}

fn bad(param: &str, key: &'static str, description: String) -> ApiError {
    ApiError::bad_request(ErrorItem::field(key, param, description))
}

/// Parses a list query; the file filters only when `files` (elsewhere they
/// are unknown parameters, ignored).
pub(crate) fn parse(raw: Option<&str>, files: bool) -> Result<(ListQuery, FileFilter), ApiError> {
    let mut query = ListQuery {
        limit: DEFAULT_LIMIT,
        descending: true,
        cursor: None,
    };
    let mut filter = FileFilter::default();
    for (param, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let value = value.into_owned();
        match &*param {
            "limit" => {
                query.limit = Some(&value)
                    .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|v| v.parse::<usize>().ok())
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        bad(
                            "limit",
                            "list.limit.invalid",
                            format!("limit must be an integer from 1 to {MAX_LIMIT}"),
                        )
                    })?;
            }
            "order" => {
                query.descending = match value.as_str() {
                    "asc" => false,
                    "desc" => true,
                    _ => {
                        return Err(bad(
                            "order",
                            "list.order.invalid",
                            "order must be asc or desc".to_owned(),
                        ))
                    }
                }
            }
            "after" | "before" => {
                if query.cursor.is_some() {
                    return Err(bad(
                        &param,
                        "list.cursor.conflict",
                        "give before or after, not both".to_owned(),
                    ));
                }
                query.cursor = Some(if param == "after" {
                    Cursor::After(value)
                } else {
                    Cursor::Before(value)
                });
            }
            "graph_id" if files => filter.graph_id = Some(value),
            "status" if files => {
                filter.status = Some(FileStatus::parse(&value).ok_or_else(|| {
                    bad(
                        "status",
                        "list.status.invalid",
                        "status must be in_progress, completed or failed".to_owned(),
                    )
                })?)
            }
            "file_types" if files => {
                filter.extensions = Some(
                    value
                        .split(',')
                        .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
                        .filter(|e| !e.is_empty())
                        .collect(),
                )
            }
            _ => {}
        }
    }
    Ok((query, filter))
}

/// One page of `items` (in creation order, ascending `seq`).
pub(crate) struct Page<'a, T> {
    data: Vec<&'a T>,
    has_more: bool,
}

impl<T> Page<'_, T> {
    pub(crate) fn to_json(&self, id: impl Fn(&T) -> &str, view: impl Fn(&T) -> Value) -> Value {
        json!({
            "data": self.data.iter().map(|t| view(t)).collect::<Vec<_>>(),
            "has_more": self.has_more,
            "first_id": self.data.first().map(|t| id(t)),
            "last_id": self.data.last().map(|t| id(t)),
        })
    }
}

/// The page `query` asks for; `seq_of` finds a cursor's place (among all
/// items, filtered out or not).
pub(crate) fn page<'a, T>(
    items: &[&'a T],
    seq: impl Fn(&T) -> u64,
    seq_of: impl Fn(&str) -> Option<u64>,
    query: &ListQuery,
) -> Result<Page<'a, T>, ApiError> {
    let mut ordered: Vec<&'a T> = items.to_vec();
    if query.descending {
        ordered.reverse();
    }
    let cursor = |id: &str, param: &str| {
        seq_of(id).ok_or_else(|| {
            bad(
                param,
                "list.cursor.not_found",
                format!("{param} must be the ID of an existing item of this list"),
            )
        })
    };
    // "Comes before `b` in the requested order".
    let precedes = |a: u64, b: u64| if query.descending { a > b } else { a < b };
    let (data, has_more) = match &query.cursor {
        None => {
            let more = ordered.len() > query.limit;
            ordered.truncate(query.limit);
            (ordered, more)
        }
        Some(Cursor::After(id)) => {
            let at = cursor(id, "after")?;
            let mut rest: Vec<&'a T> = ordered
                .into_iter()
                .filter(|t| precedes(at, seq(t)))
                .collect();
            let more = rest.len() > query.limit;
            rest.truncate(query.limit);
            (rest, more)
        }
        Some(Cursor::Before(id)) => {
            let at = cursor(id, "before")?;
            let earlier: Vec<&'a T> = ordered
                .into_iter()
                .filter(|t| precedes(seq(t), at))
                .collect();
            let more = earlier.len() > query.limit;
            let start = earlier.len().saturating_sub(query.limit);
            (earlier[start..].to_vec(), more)
        }
    };
    Ok(Page { data, has_more })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(query: &str) -> Result<(Vec<u64>, bool), ApiError> {
        let items: Vec<u64> = (1..=7).collect();
        let refs: Vec<&u64> = items.iter().collect();
        let (q, _) = parse(Some(query), false)?;
        let p = page(
            &refs,
            |n| *n,
            |id| id.parse().ok().filter(|n| (1..=7).contains(n)),
            &q,
        )?;
        Ok((p.data.into_iter().copied().collect(), p.has_more))
    }

    #[test]
    fn pages_both_ways() {
        assert_eq!(ids("").unwrap(), (vec![7, 6, 5, 4, 3, 2, 1], false));
        assert_eq!(ids("limit=3").unwrap(), (vec![7, 6, 5], true));
        assert_eq!(ids("limit=3&after=5").unwrap(), (vec![4, 3, 2], true));
        assert_eq!(ids("limit=3&after=2").unwrap(), (vec![1], false));
        assert_eq!(
            ids("limit=3&order=asc&after=3").unwrap(),
            (vec![4, 5, 6], true)
        );
        assert_eq!(ids("limit=2&before=3").unwrap(), (vec![5, 4], true));
        assert_eq!(ids("limit=2&order=asc&before=2").unwrap(), (vec![1], false));
        assert_eq!(ids("unknown=1").unwrap().0.len(), 7);
        for bad in [
            "limit=0",
            "limit=101",
            "limit=+5",
            "order=up",
            "after=9",
            "after=1&before=2",
        ] {
            assert_eq!(ids(bad).unwrap_err().status, 400, "{bad}");
        }
    }

    #[test]
    fn file_filters() {
        let (_, f) = parse(Some("graph_id=g&status=failed&file_types=PDF,.docx"), true).unwrap();
        assert_eq!(f.graph_id.as_deref(), Some("g"));
        assert_eq!(f.status, Some(FileStatus::Failed));
        assert_eq!(
            f.extensions,
            Some(vec!["pdf".to_owned(), "docx".to_owned()])
        );
        assert!(parse(Some("status=done"), true).is_err());
        assert_eq!(
            parse(Some("status=done"), false).unwrap().1,
            FileFilter::default()
        );
    }
}
