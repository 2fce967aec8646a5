//! Cursor pages, the same for every family's lists (Writer's convention,
//! which our OAuth Apps contract follows too): `limit` 1..100 (default 50),
//! `order` `asc`/`desc` by creation (default `desc`), `after` the ID of the
//! last item of the previous page or `before` the ID of the first; each
//! family answers `{data, has_more, first_id, last_id}`, parses its own
//! filters, and says how strict it is about parameters it does not know.
//! Pure.

use crate::emulator::errors::{ApiError, ErrorItem};

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cursor {
    Before(String),
    After(String),
}

/// Which page a list query asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Paging {
    pub(crate) limit: usize,
    /// Newest first (`order=desc`, the default).
    pub(crate) descending: bool,
    pub(crate) cursor: Option<Cursor>,
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            limit: DEFAULT_LIMIT,
            descending: true,
            cursor: None,
        }
    }
}

fn bad(param: &str, key: &'static str, description: String) -> ApiError {
    ApiError::bad_request(ErrorItem::field(key, param, description))
}

impl Paging {
    /// Takes `param` when it is paging's (`limit`, `order`, `after`,
    /// `before`): `Ok(true)`, or the error for a value it cannot be;
    /// `Ok(false)` for any other parameter, which the family handles.
    pub(crate) fn take(&mut self, param: &str, value: String) -> Result<bool, ApiError> {
        match param {
            // Digits only: `parse` alone would also take "+5".
            "limit" => {
                self.limit = Some(&value)
                    .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|v| v.parse::<usize>().ok())
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        bad(
                            "limit",
                            "list.limit.invalid",
                            format!("limit must be an integer from 1 to {MAX_LIMIT}"),
                        )
                    })?
            }
            "order" => {
                self.descending = match value.as_str() {
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
                if self.cursor.is_some() {
                    return Err(bad(
                        param,
                        "list.cursor.conflict",
                        "give before or after, not both".to_owned(),
                    ));
                }
                self.cursor = Some(if param == "after" {
                    Cursor::After(value)
                } else {
                    Cursor::Before(value)
                });
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The page `paging` asks for of `items` (those the list shows, in creation
/// order: ascending `seq`), and whether more follow it. `seq_of` finds a
/// cursor's place (among all the family's items, shown or not); a cursor it
/// cannot place is refused: "`after` must be `unknown_cursor`".
pub(crate) fn page<'a, T>(
    items: &[&'a T],
    seq: impl Fn(&T) -> u64,
    seq_of: impl Fn(&str) -> Option<u64>,
    paging: &Paging,
    unknown_cursor: &str,
) -> Result<(Vec<&'a T>, bool), ApiError> {
    let mut ordered: Vec<&'a T> = items.to_vec();
    if paging.descending {
        ordered.reverse();
    }
    let cursor = |id: &str, param: &str| {
        seq_of(id).ok_or_else(|| {
            bad(
                param,
                "list.cursor.not_found",
                format!("{param} must be {unknown_cursor}"),
            )
        })
    };
    // "Comes before `b` in the requested order".
    let precedes = |a: u64, b: u64| if paging.descending { a > b } else { a < b };
    let limit = paging.limit;
    Ok(match &paging.cursor {
        None => {
            let more = ordered.len() > limit;
            ordered.truncate(limit);
            (ordered, more)
        }
        Some(Cursor::After(id)) => {
            let at = cursor(id, "after")?;
            let mut rest: Vec<&'a T> = ordered
                .into_iter()
                .filter(|t| precedes(at, seq(t)))
                .collect();
            let more = rest.len() > limit;
            rest.truncate(limit);
            (rest, more)
        }
        Some(Cursor::Before(id)) => {
            let at = cursor(id, "before")?;
            let earlier: Vec<&'a T> = ordered
                .into_iter()
                .filter(|t| precedes(seq(t), at))
                .collect();
            let more = earlier.len() > limit;
            // The page right before the cursor: its last `limit` entries.
            let start = earlier.len().saturating_sub(limit);
            (earlier[start..].to_vec(), more)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_takes_its_own_parameters_only() {
        let mut p = Paging::default();
        assert_eq!((p.limit, p.descending, p.cursor.clone()), (50, true, None));
        assert!(p.take("limit", "7".into()).unwrap());
        assert!(p.take("order", "asc".into()).unwrap());
        assert!(p.take("after", "x".into()).unwrap());
        assert!(!p.take("name", "n".into()).unwrap());
        assert_eq!((p.limit, p.descending), (7, false));
        assert_eq!(p.cursor, Some(Cursor::After("x".into())));
        let e = p.take("before", "y".into()).unwrap_err();
        assert_eq!(e.errors[0].key, "list.cursor.conflict");
    }

    #[test]
    fn a_cursor_that_names_nothing_says_what_it_must_be() {
        let items = [1u64, 2, 3];
        let refs: Vec<&u64> = items.iter().collect();
        let mut p = Paging::default();
        p.take("after", "9".into()).unwrap();
        let e = page(&refs, |n| *n, |_| None, &p, "the ID of a thing").unwrap_err();
        assert_eq!(e.errors[0].key, "list.cursor.not_found");
        assert_eq!(e.errors[0].description, "after must be the ID of a thing");
        let (data, more) = page(&refs, |n| *n, |_| None, &Paging::default(), "-").unwrap();
        assert_eq!((data, more), (vec![&3, &2, &1], false));
    }
}
