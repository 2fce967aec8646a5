//! The list queries of graphs and files: the emulator's cursor pages
//! (`crate::emulator::pages`, shared with the OAuth apps) and the file
//! list's filters (`graph_id`, `status`, `file_types`). Query parameters
//! Writer does not define are ignored, as its API does. Pure.

use serde_json::{json, Value};

use super::processing::FileStatus;
use crate::emulator::errors::{ApiError, ErrorItem};
use crate::emulator::pages::{self, Paging};

/// What a cursor that names no item of the list must be.
const UNKNOWN_CURSOR: &str = "the ID of an existing item of this list";

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
pub(crate) fn parse(raw: Option<&str>, files: bool) -> Result<(Paging, FileFilter), ApiError> {
    let mut paging = Paging::default();
    let mut filter = FileFilter::default();
    for (param, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let value = value.into_owned();
        if paging.take(&param, value.clone())? {
            continue;
        }
        match &*param {
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
    Ok((paging, filter))
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

/// The page `paging` asks for of `items` (in creation order); `seq_of`
/// finds a cursor's place (among all items, filtered out or not).
pub(crate) fn page<'a, T>(
    items: &[&'a T],
    seq: impl Fn(&T) -> u64,
    seq_of: impl Fn(&str) -> Option<u64>,
    paging: &Paging,
) -> Result<Page<'a, T>, ApiError> {
    let (data, has_more) = pages::page(items, seq, seq_of, paging, UNKNOWN_CURSOR)?;
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
