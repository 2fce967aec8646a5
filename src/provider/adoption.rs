//! Whether an object found after a create whose outcome is unknown (its
//! answer lost, or 5xx until the retries ran out) was made by that create,
//! and so may be taken into state. One rule for every kind of object the
//! provider creates in Writer: taking in an object someone else made (an
//! old one of the same name that nobody imported) would put it under
//! Terraform with values it never sent, so an object is adopted only when
//! it provably came from this create.
//!
//! The rule, for the objects Writer lists with the name the create sent:
//! - the object holds what the create sent (the caller compares its own
//!   fields: [`Candidate::as_sent`]);
//! - it was created after the create began, on Writer's clock: its
//!   `created_at` is no earlier than the moment the create was sent, moved
//!   onto Writer's clock by the `Date` headers of Writer's answers during the
//!   operation, less [`CREATED_AT_SLACK`]. With no `Date` seen, the two
//!   clocks cannot be compared and nothing is adopted;
//! - where Writer shows a hint of the secret, it is the hint of the secret
//!   sent ([`Hint`]);
//! - it is the only such object.
//!
//! The clock bound. Writer's `Date` is its clock rounded down to the second,
//! written before the answer travels, so `Date − (local time the answer
//! arrived)` is never more than how far Writer's clock is ahead of ours; the
//! largest of these over the operation ([`Began::writer_ahead`]) is the
//! closest to the truth. So the create's start on Writer's clock is never
//! overestimated, and an object this create made always passes; an object
//! made before the create passes only if it was made less than
//! [`CREATED_AT_SLACK`] plus (one second of `Date` rounding and one answer's
//! travel) before the create began, and then only with the same name, the
//! same fields and a matching hint.
//!
//! Pure: the caller reads the clock and Writer; this module only decides.

use std::fmt;
use std::time::{Duration, SystemTime};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Allowed between `created_at` and the create's start on Writer's clock:
/// Writer may give `created_at` in whole seconds, rounded down.
pub(crate) const CREATED_AT_SLACK: Duration = Duration::from_secs(1);

/// When the create began.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Began {
    /// This machine's clock just before the create was sent.
    pub local: SystemTime,
    /// How far Writer's clock is ahead of this machine's (negative: behind),
    /// in milliseconds: the largest `Date − time of arrival` over the
    /// answers of the operation; `None` when none carried a readable `Date`.
    pub writer_ahead_ms: Option<i64>,
}

/// What the hint Writer shows says about the secret sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hint {
    /// The hint is the one Writer shows for the secret sent.
    Matches,
    /// The hint is not that one: another secret.
    Differs,
    /// Writer shows no part of the secret sent (too short for a hint, or
    /// objects of this kind have none): it proves nothing either way.
    NotShown,
}

/// An object of the name the create sent, as Writer lists it.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub id: String,
    /// Writer's `created_at`, RFC 3339.
    pub created_at: String,
    /// It holds every field the create sent that the caller can compare.
    pub as_sent: bool,
    pub hint: Hint,
}

/// Why a candidate is not adopted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    /// Some field differs from what the create sent.
    NotAsSent,
    /// Made before the create began.
    CreatedBefore { created_at: String, began: String },
    /// Its `created_at` is not an RFC 3339 time.
    UnreadableCreatedAt { created_at: String },
    /// Writer's answers had no `Date`: its clock cannot be compared with ours.
    NoWriterClock,
    /// Its secret hint is not the hint of the secret sent.
    HintDiffers,
    /// More than one object would qualify: which one is this create's
    /// cannot be told.
    OneOfSeveral,
}

/// The decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Take the object with this ID into state.
    Adopt { id: String },
    /// Take nothing: each object found, with why it is not taken (none
    /// found: an empty list).
    Refuse { found: Vec<(String, Why)> },
}

/// The decision about `candidates` for a create that began at `began`.
pub(crate) fn decide(began: Began, candidates: &[Candidate]) -> Decision {
    let began_on_writer = began
        .writer_ahead_ms
        .map(|ahead| on_writer(began.local, ahead));
    let mut judged: Vec<(String, Option<Why>)> = candidates
        .iter()
        .map(|c| (c.id.clone(), judge(began_on_writer, c)))
        .collect();
    let qualified = judged.iter().filter(|(_, why)| why.is_none()).count();
    if qualified == 1 {
        if let Some((id, _)) = judged.iter().find(|(_, why)| why.is_none()) {
            return Decision::Adopt { id: id.clone() };
        }
    }
    for (_, why) in &mut judged {
        why.get_or_insert(Why::OneOfSeveral);
    }
    Decision::Refuse {
        found: judged
            .into_iter()
            .map(|(id, why)| (id, why.unwrap_or(Why::OneOfSeveral)))
            .collect(),
    }
}

/// `local` moved onto Writer's clock.
fn on_writer(local: SystemTime, ahead_ms: i64) -> OffsetDateTime {
    OffsetDateTime::from(local) + time::Duration::milliseconds(ahead_ms)
}

/// Why `c` is not this create's object, or `None` when it is.
fn judge(began_on_writer: Option<OffsetDateTime>, c: &Candidate) -> Option<Why> {
    if !c.as_sent {
        return Some(Why::NotAsSent);
    }
    let Ok(created) = OffsetDateTime::parse(&c.created_at, &Rfc3339) else {
        return Some(Why::UnreadableCreatedAt {
            created_at: c.created_at.clone(),
        });
    };
    let Some(began) = began_on_writer else {
        return Some(Why::NoWriterClock);
    };
    let earliest = began - CREATED_AT_SLACK;
    if created < earliest {
        return Some(Why::CreatedBefore {
            created_at: c.created_at.clone(),
            began: began
                .replace_nanosecond(0)
                .unwrap_or(began)
                .to_offset(time::UtcOffset::UTC)
                .format(&Rfc3339)
                .unwrap_or_default(),
        });
    }
    if c.hint == Hint::Differs {
        return Some(Why::HintDiffers);
    }
    None
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::NotAsSent => f.write_str("it does not hold what this create sent"),
            Why::CreatedBefore { created_at, began } => write!(
                f,
                "it was created at {created_at}, before this create began (about {began} by \
                 Writer's clock)"
            ),
            Why::UnreadableCreatedAt { created_at } => write!(
                f,
                "its creation time `{}` is not a time, so it cannot be told whether this create \
                 made it",
                created_at.escape_debug()
            ),
            Why::NoWriterClock => f.write_str(
                "Writer's answers carried no Date header, so when it was created cannot be \
                 compared with when this create began",
            ),
            Why::HintDiffers => {
                f.write_str("its secret hint is not the hint of the secret this create sent")
            }
            Why::OneOfSeveral => {
                f.write_str("more than one object could be this create's, so none is taken")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-06T10:00:00Z on this machine's clock.
    fn local() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_551_200)
    }

    fn began(ahead_ms: Option<i64>) -> Began {
        Began {
            local: local(),
            writer_ahead_ms: ahead_ms,
        }
    }

    fn candidate(id: &str, created_at: &str) -> Candidate {
        Candidate {
            id: id.into(),
            created_at: created_at.into(),
            as_sent: true,
            hint: Hint::Matches,
        }
    }

    fn refused(d: Decision) -> Vec<(String, Why)> {
        match d {
            Decision::Refuse { found } => found,
            other => panic!("adopted: {other:?}"),
        }
    }

    #[test]
    fn the_clock_in_the_test_is_what_it_says() {
        assert_eq!(
            OffsetDateTime::from(local()).format(&Rfc3339).unwrap(),
            "2026-12-06T10:00:00Z"
        );
    }

    #[test]
    fn an_object_made_after_the_create_began_is_adopted() {
        for created in [
            "2026-12-06T10:00:00Z",
            "2026-12-06T10:00:00.3Z",
            "2026-12-06T10:00:05Z",
        ] {
            assert_eq!(
                decide(began(Some(0)), &[candidate("new", created)]),
                Decision::Adopt { id: "new".into() },
                "{created}"
            );
        }
    }

    #[test]
    fn the_bound_is_one_second_before_the_start_on_writers_clock() {
        // Whole seconds, rounded down: 09:59:59 for a create begun at 10:00:00.4.
        let at = |ms: u64| Began {
            local: local() + Duration::from_millis(ms),
            writer_ahead_ms: Some(0),
        };
        assert!(matches!(
            decide(at(400), &[candidate("new", "2026-12-06T09:59:59.5Z")]),
            Decision::Adopt { .. }
        ));
        assert!(matches!(
            decide(at(1_000), &[candidate("new", "2026-12-06T10:00:00Z")]),
            Decision::Adopt { .. }
        ));
        // 1.001 s before the start: not this create's.
        let found = refused(decide(
            at(1_001),
            &[candidate("old", "2026-12-06T09:59:59.999Z")],
        ));
        assert!(matches!(found[0].1, Why::CreatedBefore { .. }), "{found:?}");
    }

    #[test]
    fn writers_clock_comes_from_its_date_headers() {
        // Writer's clock is 2 minutes behind ours: an object it made now
        // says 09:58, and is this create's.
        let behind = began(Some(-120_000));
        assert!(matches!(
            decide(behind, &[candidate("new", "2026-12-06T09:58:00.5Z")]),
            Decision::Adopt { .. }
        ));
        // Writer's clock is 2 minutes ahead: an object made at 10:01 by its
        // clock was made a minute before the create began.
        let ahead = began(Some(120_000));
        let found = refused(decide(ahead, &[candidate("old", "2026-12-06T10:01:00Z")]));
        assert_eq!(
            found[0].1,
            Why::CreatedBefore {
                created_at: "2026-12-06T10:01:00Z".into(),
                began: "2026-12-06T10:02:00Z".into()
            }
        );
    }

    #[test]
    fn an_old_object_of_the_same_name_is_never_adopted() {
        let found = refused(decide(
            began(Some(0)),
            &[candidate("january", "2026-01-05T09:00:00Z")],
        ));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "january");
        let words = found[0].1.to_string();
        assert!(words.contains("2026-01-05T09:00:00Z"), "{words}");
        assert!(words.contains("before this create began"), "{words}");
    }

    #[test]
    fn without_a_date_header_nothing_is_adopted() {
        let found = refused(decide(
            began(None),
            &[candidate("new", "2026-12-06T10:00:01Z")],
        ));
        assert_eq!(found[0].1, Why::NoWriterClock);
        assert!(found[0].1.to_string().contains("no Date header"));
    }

    #[test]
    fn a_hint_of_another_secret_or_other_fields_refuse() {
        let mut other_secret = candidate("a", "2026-12-06T10:00:01Z");
        other_secret.hint = Hint::Differs;
        assert_eq!(
            refused(decide(began(Some(0)), &[other_secret]))[0].1,
            Why::HintDiffers
        );
        let mut no_hint = candidate("b", "2026-12-06T10:00:01Z");
        no_hint.hint = Hint::NotShown;
        assert_eq!(
            decide(began(Some(0)), &[no_hint]),
            Decision::Adopt { id: "b".into() }
        );
        let mut other_fields = candidate("c", "2026-12-06T10:00:01Z");
        other_fields.as_sent = false;
        assert_eq!(
            refused(decide(began(Some(0)), &[other_fields]))[0].1,
            Why::NotAsSent
        );
    }

    #[test]
    fn an_unreadable_time_refuses_and_says_so() {
        let found = refused(decide(began(Some(0)), &[candidate("x", "yesterday\u{1b}")]));
        assert_eq!(
            found[0].1,
            Why::UnreadableCreatedAt {
                created_at: "yesterday\u{1b}".into()
            }
        );
        assert!(!found[0].1.to_string().contains('\u{1b}'));
    }

    #[test]
    fn two_that_qualify_are_both_refused_and_none_found_is_an_empty_refusal() {
        let found = refused(decide(
            began(Some(0)),
            &[
                candidate("one", "2026-12-06T10:00:01Z"),
                candidate("two", "2026-12-06T10:00:02Z"),
                candidate("old", "2026-01-01T00:00:00Z"),
            ],
        ));
        assert_eq!(found[0], ("one".into(), Why::OneOfSeveral));
        assert_eq!(found[1], ("two".into(), Why::OneOfSeveral));
        assert!(matches!(found[2].1, Why::CreatedBefore { .. }));
        assert_eq!(
            decide(began(Some(0)), &[]),
            Decision::Refuse { found: Vec::new() }
        );
    }
}
