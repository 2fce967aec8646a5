//! Cursor pages, the same for every list of Writer's: `{data, has_more,
//! last_id}` answers walked with `after=<cursor>`, within one deadline and
//! bounded in pages, items and bytes, so that a server paging forever (or
//! with a cursor that does not move on) ends with an error.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::Error;
use super::send::Answer;
use super::transport::{get, Client};

/// One page of a list.
#[derive(Debug)]
pub(crate) struct Page<T> {
    pub data: Vec<T>,
    pub has_more: bool,
    pub last_id: Option<String>,
}

/// A page as it came: `data` may be `null` or absent, which only a walk
/// that allows it ([`Walk::null_data_is_empty`]) reads as an empty page.
#[derive(Debug, Deserialize)]
struct Sent<T> {
    /// Absent reads as `None` too (serde's rule for an `Option`).
    data: Option<Vec<T>>,
    has_more: bool,
    #[serde(default)]
    last_id: Option<String>,
}

impl<T> Page<T> {
    /// The cursor of the next page as the page names it (`last_id`).
    pub(crate) fn last_id(&self) -> Option<String> {
        self.last_id.clone()
    }
}

/// How a list is bounded, and its words in the errors that end one.
pub(crate) struct Walk<'a> {
    /// The most items one list may hold.
    pub max_items: usize,
    /// The most pages one list may take.
    pub max_pages: usize,
    /// The most body bytes over all its pages.
    pub max_bytes: usize,
    /// What a list past `max_items` is longer than ("any organization's
    /// OAuth apps").
    pub longer_than: &'a str,
    /// The items, plural ("apps").
    pub items: &'a str,
    /// Whether a page whose `data` is `null` or absent is an empty page
    /// (Writer's published API, whose docs allow null or absent lists) or
    /// an answer that breaks the contract (our own OAuth Apps contract,
    /// where `data` is always a list).
    pub null_data_is_empty: bool,
}

impl Client {
    /// Calls `keep_going` with every item of a list, page by page, until it
    /// returns false (or an error, which ends the walk) or the list ends: the page after the cursor `after` is
    /// at `page_url(after)` (the first page at `page_url(None)`), and
    /// `cursor` names the next page's cursor from a page. `keep_going` also
    /// gets the answer the item came in (its redactor, its request id). The
    /// whole walk shares one deadline and is bounded as `walk` says.
    pub(crate) async fn each_item<T: DeserializeOwned>(
        &self,
        walk: &Walk<'_>,
        page_url: impl Fn(Option<&str>) -> url::Url,
        cursor: impl Fn(&Page<T>) -> Option<String>,
        mut keep_going: impl FnMut(T, &Answer) -> Result<bool, Error>,
    ) -> Result<(), Error> {
        let deadline = self.deadline();
        let mut after: Option<String> = None;
        let mut cursors = HashSet::new();
        let mut items = 0usize;
        let mut bytes = 0usize;
        for _ in 0..walk.max_pages {
            let url = page_url(after.as_deref());
            let answer = self.sender().send(&get(url), deadline).await?;
            if !answer.is_success() {
                return Err(answer.into_error());
            }
            bytes += answer.body.len();
            if bytes > walk.max_bytes {
                return Err(too_long(
                    walk,
                    &answer,
                    &format!("its pages hold more than {} bytes", walk.max_bytes),
                ));
            }
            let sent: Sent<T> = answer.json()?;
            let data = match sent.data {
                Some(data) => data,
                None if walk.null_data_is_empty => Vec::new(),
                None => {
                    return Err(Error::BadResponse {
                        status: answer.status,
                        reason: "the page's `data` is null or absent, not a list".to_owned(),
                        request_id: answer.request_id.clone(),
                    })
                }
            };
            let page = Page {
                data,
                has_more: sent.has_more,
                last_id: sent.last_id,
            };
            let next = cursor(&page);
            for item in page.data {
                items += 1;
                if items > walk.max_items {
                    return Err(too_long(
                        walk,
                        &answer,
                        &format!("it has more than {} {}", walk.max_items, walk.items),
                    ));
                }
                if !keep_going(item, &answer)? {
                    return Ok(());
                }
            }
            if !page.has_more {
                return Ok(());
            }
            match next {
                Some(last) if cursors.insert(last.clone()) => after = Some(last),
                _ => return Err(endless(walk, &answer)),
            }
        }
        Err(Error::BadResponse {
            status: 200,
            reason: format!("the list did not end after {} pages", walk.max_pages),
            request_id: None,
        })
    }
}

fn too_long(walk: &Walk<'_>, answer: &Answer, why: &str) -> Error {
    Error::BadResponse {
        status: answer.status,
        reason: format!("the list is longer than {}: {why}", walk.longer_than),
        request_id: answer.request_id.clone(),
    }
}

fn endless(walk: &Walk<'_>, answer: &Answer) -> Error {
    Error::BadResponse {
        status: answer.status,
        reason: format!(
            "the list says it has more {} but its cursor does not move on",
            walk.items
        ),
        request_id: answer.request_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_decodes_whatever_it_holds() {
        let page: Sent<String> = serde_json::from_str(
            r#"{"data": [], "has_more": false, "first_id": null, "last_id": null}"#,
        )
        .unwrap();
        assert!(page.data == Some(vec![]) && !page.has_more && page.last_id.is_none());
        let page: Sent<u32> =
            serde_json::from_str(r#"{"data": [1, 2], "has_more": true, "last_id": "b"}"#).unwrap();
        assert_eq!(page.last_id.as_deref(), Some("b"));
        assert_eq!(page.data, Some(vec![1, 2]));
        for nothing in [
            r#"{"data": null, "has_more": false}"#,
            r#"{"has_more": false}"#,
        ] {
            let page: Sent<u32> = serde_json::from_str(nothing).unwrap();
            assert_eq!(page.data, None, "{nothing}");
        }
    }
}
