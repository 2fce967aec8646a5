//! When to try a request again and how long to wait first. Pure: no clock, no
//! randomness, no I/O (the caller passes the time elapsed and a jitter draw),
//! so every rule here is tested exactly.
//!
//! The rules: only failures that say "not now" are retried (429, 500, 502,
//! 503, 504, connection failures); only requests that are safe to repeat are
//! repeated, except for failures that prove the request was never acted on;
//! waits grow exponentially with full jitter; a `Retry-After` from Writer is a
//! floor; attempts and total time are both bounded.

use std::time::{Duration, SystemTime};

/// Bounds of the retry loop, from [`super::ClientConfig`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// At least 1: the first try counts.
    pub max_attempts: u32,
    pub max_elapsed: Duration,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

/// How an attempt ended, as far as retrying and the outcome of a write are
/// concerned (any answer counts, a success too: see [`Failure::maybe_performed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A complete HTTP answer with this status.
    Status(u16),
    /// No connection was made: the request was certainly not acted on.
    Connect,
    /// The connection broke or timed out after the request may have been
    /// sent: Writer may have acted on it.
    Lost,
}

impl Failure {
    /// Worth another try at all (before asking whether the request is safe).
    pub(crate) fn is_transient(self) -> bool {
        match self {
            Failure::Status(s) => matches!(s, 429 | 500 | 502 | 503 | 504),
            Failure::Connect | Failure::Lost => true,
        }
    }

    /// Writer may have carried the request out. A 3xx or 4xx (429 included)
    /// is a refusal up front, and no connection means nothing arrived; a
    /// success was carried out, and any other failure might have come after
    /// the work was done (a 500 after the change was stored, a lost answer).
    pub(crate) fn maybe_performed(self) -> bool {
        match self {
            Failure::Status(s) => !(300..500).contains(&s),
            Failure::Connect => false,
            Failure::Lost => true,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Sleep this long, then try again.
    Wait(Duration),
    /// Stop and report the failure.
    GiveUp(GiveUp),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GiveUp {
    /// Not a failure that another try can fix, or not safe to repeat.
    NotRetryable,
    /// `max_attempts` reached.
    Attempts,
    /// The wait would end after `max_elapsed`.
    Budget,
}

impl RetryPolicy {
    /// The upper bound of the wait after failed attempt number `attempt`
    /// (counted from 1): `initial_backoff * 2^(attempt-1)`, capped.
    pub(crate) fn backoff_ceiling(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        self.initial_backoff
            .checked_mul(1u32 << doublings)
            .unwrap_or(Duration::MAX)
            .min(self.max_backoff)
    }

    /// The wait after failed attempt `attempt`, given a uniform draw `jitter`
    /// in `[0, 1)`. Full jitter (anywhere from zero to the ceiling) spreads
    /// clients that failed together. A `Retry-After` is a floor: Writer said
    /// "not before then", and the jitter on top keeps a crowd that was told
    /// the same second from arriving in the same instant.
    pub(crate) fn delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Duration {
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let ceiling = self.backoff_ceiling(attempt);
        // Not `mul_f64`: it panics where f64 rounding passes `Duration::MAX`.
        let spread = Duration::try_from_secs_f64(ceiling.as_secs_f64() * jitter)
            .map_or(ceiling, |d| d.min(ceiling));
        match retry_after {
            Some(floor) => floor.saturating_add(spread),
            None => spread,
        }
    }

    /// The decision after attempt number `attempt` (from 1) failed with
    /// `failure`, `elapsed` after the first attempt started. `safe` says the
    /// request may be repeated even if Writer acted on it.
    pub(crate) fn next(
        &self,
        failure: Failure,
        safe: bool,
        attempt: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Next {
        if !failure.is_transient() || (!safe && failure.maybe_performed()) {
            return Next::GiveUp(GiveUp::NotRetryable);
        }
        if attempt >= self.max_attempts.max(1) {
            return Next::GiveUp(GiveUp::Attempts);
        }
        let wait = self.delay(attempt, retry_after, jitter);
        // A wait that ends at or past the deadline would leave no time for
        // the attempt after it: stop now rather than sleep for nothing.
        if elapsed.saturating_add(wait) >= self.max_elapsed {
            return Next::GiveUp(GiveUp::Budget);
        }
        Next::Wait(wait)
    }
}

/// `Retry-After` as a wait: delay-seconds or an HTTP-date (RFC 9110 10.2.3).
/// A date in the past means "now". Anything else is ignored (`None`).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for u64 is "a very long time", not "no header".
        return Some(
            value
                .parse::<u64>()
                .map(Duration::from_secs)
                .unwrap_or(Duration::MAX),
        );
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(60),
            initial_backoff: 100 * MS,
            max_backoff: Duration::from_secs(2),
        }
    }

    #[test]
    fn backoff_doubles_then_caps() {
        let p = policy();
        let ceilings: Vec<Duration> = (1..=7).map(|a| p.backoff_ceiling(a)).collect();
        assert_eq!(
            ceilings,
            vec![
                100 * MS,
                200 * MS,
                400 * MS,
                800 * MS,
                1600 * MS,
                2000 * MS,
                2000 * MS
            ]
        );
        assert_eq!(p.backoff_ceiling(0), 100 * MS);
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_secs(2));
    }

    #[test]
    fn huge_backoff_settings_do_not_overflow() {
        let p = RetryPolicy {
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            ..policy()
        };
        assert_eq!(p.backoff_ceiling(40), Duration::MAX);
        assert_eq!(p.delay(3, Some(Duration::MAX), 0.9), Duration::MAX);
        assert_eq!(p.delay(3, None, 1.0), Duration::MAX);
        assert!(p.delay(3, None, 0.5) > Duration::from_secs(u64::MAX / 3));
    }

    #[test]
    fn full_jitter_spans_zero_to_the_ceiling() {
        let p = policy();
        assert_eq!(p.delay(3, None, 0.0), Duration::ZERO);
        assert_eq!(p.delay(3, None, 0.5), 200 * MS);
        assert!(p.delay(3, None, 0.999_999) < 400 * MS);
        assert!(p.delay(3, None, 0.999_999) > 399 * MS);
        // Draws outside [0, 1) are clamped, never negative or past the ceiling.
        assert_eq!(p.delay(3, None, -1.0), Duration::ZERO);
        assert_eq!(p.delay(3, None, 7.0), 400 * MS);
        assert_eq!(p.delay(3, None, f64::NAN), Duration::ZERO);
    }

    #[test]
    fn retry_after_is_a_floor_with_jitter_on_top() {
        let p = policy();
        let floor = Duration::from_secs(3);
        assert_eq!(p.delay(1, Some(floor), 0.0), floor);
        assert_eq!(p.delay(1, Some(floor), 0.5), floor + 50 * MS);
        assert_eq!(p.delay(4, Some(floor), 0.5), floor + 400 * MS);
    }

    #[test]
    fn which_failures_are_retried() {
        let p = policy();
        let at = |failure, safe| p.next(failure, safe, 1, Duration::ZERO, None, 0.5);
        for s in [429, 500, 502, 503, 504] {
            assert_eq!(at(Failure::Status(s), true), Next::Wait(50 * MS), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 412, 422, 501, 505] {
            assert_eq!(
                at(Failure::Status(s), true),
                Next::GiveUp(GiveUp::NotRetryable),
                "{s}"
            );
        }
        assert_eq!(at(Failure::Connect, true), Next::Wait(50 * MS));
        assert_eq!(at(Failure::Lost, true), Next::Wait(50 * MS));
    }

    #[test]
    fn unsafe_requests_retry_only_what_was_never_acted_on() {
        let p = policy();
        let at = |failure| p.next(failure, false, 1, Duration::ZERO, None, 0.5);
        assert_eq!(at(Failure::Connect), Next::Wait(50 * MS));
        assert_eq!(at(Failure::Status(429)), Next::Wait(50 * MS));
        for f in [
            Failure::Lost,
            Failure::Status(500),
            Failure::Status(502),
            Failure::Status(503),
            Failure::Status(504),
        ] {
            assert_eq!(at(f), Next::GiveUp(GiveUp::NotRetryable), "{f:?}");
        }
    }

    #[test]
    fn refusals_and_failed_connections_were_not_performed() {
        for s in [301, 302, 400, 401, 403, 404, 409, 412, 422, 429, 499] {
            assert!(!Failure::Status(s).maybe_performed(), "{s}");
        }
        assert!(!Failure::Connect.maybe_performed());
        for f in [
            Failure::Status(200),
            Failure::Status(201),
            Failure::Status(204),
            Failure::Status(500),
            Failure::Status(503),
            Failure::Lost,
        ] {
            assert!(f.maybe_performed(), "{f:?}");
        }
    }

    #[test]
    fn attempts_are_bounded() {
        let p = policy();
        let at = |attempt| {
            p.next(
                Failure::Status(503),
                true,
                attempt,
                Duration::ZERO,
                None,
                0.0,
            )
        };
        assert_eq!(at(4), Next::Wait(Duration::ZERO));
        assert_eq!(at(5), Next::GiveUp(GiveUp::Attempts));
        let once = RetryPolicy {
            max_attempts: 0,
            ..policy()
        };
        assert_eq!(
            once.next(Failure::Connect, true, 1, Duration::ZERO, None, 0.0),
            Next::GiveUp(GiveUp::Attempts)
        );
    }

    #[test]
    fn total_time_is_bounded_and_caps_retry_after() {
        let p = policy();
        let next =
            |elapsed, retry_after| p.next(Failure::Status(429), true, 1, elapsed, retry_after, 0.0);
        assert_eq!(
            next(Duration::from_secs(50), Some(Duration::from_secs(9))),
            Next::Wait(Duration::from_secs(9))
        );
        assert_eq!(
            next(Duration::from_secs(50), Some(Duration::from_secs(10))),
            Next::GiveUp(GiveUp::Budget)
        );
        assert_eq!(
            next(Duration::ZERO, Some(Duration::MAX)),
            Next::GiveUp(GiveUp::Budget)
        );
        assert_eq!(
            next(Duration::from_secs(60), None),
            Next::GiveUp(GiveUp::Budget)
        );
    }

    #[test]
    fn retry_after_in_seconds() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let parse = |v| parse_retry_after(v, now);
        assert_eq!(parse("0"), Some(Duration::ZERO));
        assert_eq!(parse("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(parse("99999999999999999999999"), Some(Duration::MAX));
        for bad in ["", "-1", "+5", "1.5", "soon", "1 2"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_as_http_date() {
        // Tue, 14 Nov 2023 22:13:20 GMT is 1_700_000_000.
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let parse = |v| parse_retry_after(v, now);
        assert_eq!(
            parse("Tue, 14 Nov 2023 22:13:27 GMT"),
            Some(Duration::from_secs(7))
        );
        assert_eq!(parse("Tue, 14 Nov 2023 22:13:20 GMT"), Some(Duration::ZERO));
        assert_eq!(parse("Tue, 14 Nov 2023 22:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse("Tue, 14 Nov 2023 25:00:00 GMT"), None);
    }
}
