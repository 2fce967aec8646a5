//! The durations the provider block's timeouts take (`500ms`, `30s`,
//! `1h30m`), and why a text is not one of them: anything Go reads as a
//! duration, as Terraform users know them, is called a duration, and what
//! keeps it out (below 1ms, a fraction, a negative) is named.

use std::time::Duration;

/// Why a setting's text is not a duration this provider takes. Anything Go
/// reads as a duration (as Terraform users know them) is called one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DurationProblem {
    /// Not a duration at all: `soon`, `30`, `1d`, `10 s`.
    NotADuration,
    /// A negative duration.
    Negative,
    /// Zero.
    Zero,
    /// Shorter than 1ms, the least this provider takes: `1ns`, `999us`.
    BelowMinimum,
    /// 1ms or more, but with a fraction or a unit finer than `ms` (`1.5s`,
    /// `2000us`); `millis`, when whole, is the same duration in ms.
    NotWhole { millis: Option<u128> },
    /// More hours than fit in a duration.
    TooLong,
}

/// Nanoseconds in one of Go's duration units.
fn unit_nanos(unit: &str) -> Option<u128> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// The durations this provider takes: whole numbers of `ms`, `s`, `m` or
/// `h`, as Terraform users write them (`500ms`, `30s`, `2m`, `1h30m`), 1ms
/// or more. Anything else Go reads as a duration is named for what it is.
pub(crate) fn parse_duration(s: &str) -> Result<Duration, DurationProblem> {
    let text = s.trim();
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Err(DurationProblem::Zero);
    }
    if rest.is_empty() {
        return Err(DurationProblem::NotADuration);
    }
    // In nanoseconds, with everything this provider does not take noted.
    let (mut nanos, mut whole) = (0u128, true);
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_len);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let (int, frac) = number.split_once('.').unwrap_or((number, ""));
        if int.is_empty() && frac.is_empty() || frac.contains('.') {
            return Err(DurationProblem::NotADuration);
        }
        let per = unit_nanos(unit).ok_or(DurationProblem::NotADuration)?;
        let int: u128 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| DurationProblem::TooLong)?
        };
        let mut part = int.checked_mul(per).ok_or(DurationProblem::TooLong)?;
        // Digits beyond nanoseconds count for nothing, as in Go.
        let mut scale = per;
        for d in frac.chars().filter_map(|c| c.to_digit(10)) {
            scale /= 10;
            part += u128::from(d) * scale;
        }
        whole &= frac.is_empty() && per >= 1_000_000;
        nanos = nanos.checked_add(part).ok_or(DurationProblem::TooLong)?;
        rest = after;
    }
    const MS: u128 = 1_000_000;
    let max = u128::from(u64::MAX) * 1_000_000_000;
    if negative && nanos > 0 {
        Err(DurationProblem::Negative)
    } else if nanos == 0 {
        Err(DurationProblem::Zero)
    } else if nanos < MS {
        Err(DurationProblem::BelowMinimum)
    } else if nanos > max {
        Err(DurationProblem::TooLong)
    } else if !whole {
        Err(DurationProblem::NotWhole {
            millis: (nanos % MS == 0).then_some(nanos / MS),
        })
    } else {
        let secs = u64::try_from(nanos / 1_000_000_000).map_err(|_| DurationProblem::TooLong)?;
        Ok(Duration::new(secs, (nanos % 1_000_000_000) as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::super::texts;
    use super::*;

    #[test]
    fn durations_read_like_terraform() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1ms"), Ok(Duration::from_millis(1)));
        for bad in ["", "30", "s", "10 s", "1d", ".s", "1..5s", "--1s", "1sx"] {
            assert_eq!(
                parse_duration(bad),
                Err(DurationProblem::NotADuration),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_duration_this_provider_does_not_take_is_named_for_what_it_is() {
        use DurationProblem as P;
        let cases = [
            ("1ns", P::BelowMinimum),
            ("999us", P::BelowMinimum),
            ("999\u{b5}s", P::BelowMinimum),
            ("0.5ms", P::BelowMinimum),
            ("0s", P::Zero),
            ("0", P::Zero),
            ("-1s", P::Negative),
            ("1.5s", P::NotWhole { millis: Some(1500) }),
            ("2000us", P::NotWhole { millis: Some(2) }),
            ("1000001ns", P::NotWhole { millis: None }),
            ("99999999999999999999999999999999999999999h", P::TooLong),
        ];
        for (text, problem) in cases {
            assert_eq!(parse_duration(text), Err(problem), "{text:?}");
        }
        let says = |text: &str| {
            let problem = parse_duration(text).unwrap_err();
            texts::bad_duration("request_timeout", text, problem).detail
        };
        let one_ns = says("1ns");
        assert!(one_ns.starts_with("`1ns` is a duration, but"), "{one_ns}");
        for words in ["shorter than 1ms", "at least 1ms", "\"500ms\""] {
            assert!(one_ns.contains(words), "{words}: {one_ns}");
        }
        assert!(
            says("1.5s").contains("write \"1500ms\""),
            "{}",
            says("1.5s")
        );
        assert!(says("soon").starts_with("`soon` is not a duration"));
    }
}
