//! Terraform numbers: arbitrary-precision decimals, as cty holds them.
//!
//! cty numbers are big floats, and Terraform sends them as whatever msgpack
//! form is exact (int, float64, or decimal text). We keep the exact decimal
//! value so that nothing Terraform sent is rounded on its way back. This is
//! not an arithmetic library: it parses, compares, prints and converts.

use std::fmt;
use std::str::FromStr;

/// Largest decimal exponent (of the least significant digit) we accept.
/// Far beyond any real configuration, yet it keeps the plain `1000…0`
/// text form of any number we hold to a few kilobytes.
const MAX_EXPONENT: i64 = 10_000;

/// An f64 has at most 767 significant decimal digits; a decimal with more
/// cannot be a float64 exactly, so we skip the expensive check.
const MAX_F64_DIGITS: usize = 767;

/// A Terraform number. Equality is numeric: `1`, `1.0` and `10e-1` are
/// equal, because the value is kept in one normal form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// `digits × 10^exponent`, negated if `negative`. Normal form: no leading
    /// or trailing zero digits; zero is empty digits, not negative, exponent 0.
    Finite {
        negative: bool,
        digits: String,
        exponent: i64,
    },
    PosInf,
    NegInf,
}

/// Why a number is refused when its exponent is beyond [`MAX_EXPONENT`].
const OUT_OF_RANGE: &str = "exponent out of range";

/// A decimal string that is not a number Terraform can hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseNumberError {
    reason: &'static str,
}

impl fmt::Display for ParseNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid number: {}", self.reason)
    }
}

impl ParseNumberError {
    /// A well-formed number, only too large or too precise for [`Number`]:
    /// the user's input, not a wire error.
    pub fn is_out_of_range(&self) -> bool {
        self.reason == OUT_OF_RANGE
    }
}

impl std::error::Error for ParseNumberError {}

impl Number {
    pub const ZERO: Number = Number(Repr::Finite {
        negative: false,
        digits: String::new(),
        exponent: 0,
    });

    /// The number an f64 holds exactly, or `None` for NaN, which cty cannot hold.
    pub fn try_from_f64(f: f64) -> Option<Number> {
        if f.is_nan() {
            None
        } else if f == f64::INFINITY {
            Some(Number(Repr::PosInf))
        } else if f == f64::NEG_INFINITY {
            Some(Number(Repr::NegInf))
        } else {
            Some(exact_f64(f))
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(&self.0, Repr::Finite { exponent, .. } if *exponent >= 0)
    }

    pub fn is_infinite(&self) -> bool {
        matches!(self.0, Repr::PosInf | Repr::NegInf)
    }

    /// The value as an i64, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.integer_text()?.parse().ok()
    }

    /// The value as a u64, if it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.integer_text()?.parse().ok()
    }

    /// The nearest f64 (infinite when out of range). Lossy by nature; see
    /// [`Number::to_exact_f64`] for a conversion that refuses to round.
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            Repr::PosInf => f64::INFINITY,
            Repr::NegInf => f64::NEG_INFINITY,
            Repr::Finite { .. } => self.scientific().parse().unwrap_or(f64::NAN),
        }
    }

    /// The value as an f64 only if the f64 is exactly this number.
    pub fn to_exact_f64(&self) -> Option<f64> {
        match &self.0 {
            Repr::PosInf => Some(f64::INFINITY),
            Repr::NegInf => Some(f64::NEG_INFINITY),
            Repr::Finite { digits, .. } if digits.is_empty() => Some(0.0),
            Repr::Finite { digits, .. } if digits.len() > MAX_F64_DIGITS => None,
            Repr::Finite { .. } => {
                // Rust's parse rounds correctly, so if any f64 is exact it is this one.
                let f: f64 = self.scientific().parse().ok()?;
                (f.is_finite() && f != 0.0 && exact_f64(f) == *self).then_some(f)
            }
        }
    }

    /// Text of an integer without exponent, short enough to maybe fit 64 bits.
    fn integer_text(&self) -> Option<String> {
        match &self.0 {
            Repr::Finite {
                negative,
                digits,
                exponent,
            } if *exponent >= 0 && digits.len() as i64 + exponent <= 20 => {
                let mut s = String::with_capacity(22);
                if *negative {
                    s.push('-');
                }
                if digits.is_empty() {
                    s.push('0');
                }
                s.push_str(digits);
                s.extend(std::iter::repeat_n('0', *exponent as usize));
                Some(s)
            }
            _ => None,
        }
    }

    /// `digitsEexponent`, the compact form Rust's float parser accepts.
    fn scientific(&self) -> String {
        match &self.0 {
            Repr::Finite {
                negative,
                digits,
                exponent,
            } => {
                let sign = if *negative { "-" } else { "" };
                let digits = if digits.is_empty() { "0" } else { digits };
                format!("{sign}{digits}e{exponent}")
            }
            Repr::PosInf => "inf".into(),
            Repr::NegInf => "-inf".into(),
        }
    }

    fn finite(negative: bool, digits: &str, exponent: i64) -> Result<Number, ParseNumberError> {
        let digits = digits.trim_start_matches('0');
        let trimmed = digits.trim_end_matches('0');
        if trimmed.is_empty() {
            return Ok(Number::ZERO);
        }
        let exponent = exponent.saturating_add((digits.len() - trimmed.len()) as i64);
        if !(-MAX_EXPONENT..=MAX_EXPONENT).contains(&exponent) {
            return Err(ParseNumberError {
                reason: OUT_OF_RANGE,
            });
        }
        Ok(Number(Repr::Finite {
            negative,
            digits: trimmed.to_owned(),
            exponent,
        }))
    }
}

/// Accepts what cty's number parser accepts in practice: an optional sign,
/// digits with an optional fraction, an optional exponent, or `Inf`.
impl FromStr for Number {
    type Err = ParseNumberError;

    fn from_str(s: &str) -> Result<Number, ParseNumberError> {
        let bad = |reason| Err(ParseNumberError { reason });
        let (negative, rest) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        if rest.eq_ignore_ascii_case("inf") || rest.eq_ignore_ascii_case("infinity") {
            return Ok(Number(if negative { Repr::NegInf } else { Repr::PosInf }));
        }
        let (mantissa, exp_text) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (int_part, frac_part) = match mantissa.split_once('.') {
            Some((i, f)) => (i, f),
            None => (mantissa, ""),
        };
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part)
        {
            return bad("expected decimal digits");
        }
        let exponent = match exp_text {
            None => 0,
            Some(t) => {
                let (exp_negative, t) = match t.as_bytes().first() {
                    Some(b'-') => (true, &t[1..]),
                    Some(b'+') => (false, &t[1..]),
                    _ => (false, t),
                };
                if t.is_empty() || !all_digits(t) {
                    return bad("expected exponent digits");
                }
                // Saturate: anything this large is rejected as out of range below.
                let magnitude = t.bytes().fold(0i64, |acc, b| {
                    acc.saturating_mul(10).saturating_add(i64::from(b - b'0'))
                });
                if exp_negative {
                    -magnitude
                } else {
                    magnitude
                }
            }
        };
        let digits = format!("{int_part}{frac_part}");
        Number::finite(
            negative,
            &digits,
            exponent.saturating_sub(frac_part.len() as i64),
        )
    }
}

/// Plain decimal, never an exponent (like Go's `big.Float.Text('f', -1)`,
/// which is what Terraform writes into state): `1e3` shows as `1000`.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (negative, digits, exponent) = match &self.0 {
            Repr::PosInf => return f.write_str("+Inf"),
            Repr::NegInf => return f.write_str("-Inf"),
            Repr::Finite { digits, .. } if digits.is_empty() => return f.write_str("0"),
            Repr::Finite {
                negative,
                digits,
                exponent,
            } => (*negative, digits.as_str(), *exponent),
        };
        if negative {
            f.write_str("-")?;
        }
        if exponent >= 0 {
            f.write_str(digits)?;
            for _ in 0..exponent {
                f.write_str("0")?;
            }
            return Ok(());
        }
        let point = digits.len() as i64 + exponent;
        if point > 0 {
            let (whole, frac) = digits.split_at(point as usize);
            write!(f, "{whole}.{frac}")
        } else {
            f.write_str("0.")?;
            for _ in 0..-point {
                f.write_str("0")?;
            }
            f.write_str(digits)
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Number {
        let text = n.unsigned_abs().to_string();
        Number::finite(n < 0, &text, 0).unwrap_or(Number::ZERO)
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Number {
        Number::finite(false, &n.to_string(), 0).unwrap_or(Number::ZERO)
    }
}

impl From<i32> for Number {
    fn from(n: i32) -> Number {
        Number::from(i64::from(n))
    }
}

/// The exact binary value of the float (so `0.1f64` is
/// 0.1000000000000000055511151231257827…; parse `"0.1"` for the decimal).
/// NaN has no Terraform equivalent and becomes zero; use
/// [`Number::try_from_f64`] to refuse it instead.
impl From<f64> for Number {
    fn from(f: f64) -> Number {
        Number::try_from_f64(f).unwrap_or(Number::ZERO)
    }
}

/// The exact decimal value of a finite f64: `m × 2^e` is `m × 5^-e × 10^e`
/// when `e < 0`, and an integer otherwise.
fn exact_f64(f: f64) -> Number {
    let bits = f.to_bits();
    let negative = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (mut mantissa, mut exp2) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if mantissa == 0 {
        return Number::ZERO;
    }
    let zeros = mantissa.trailing_zeros();
    mantissa >>= zeros;
    exp2 += i64::from(zeros);

    let mut big = BigUint::from_u64(mantissa);
    let exponent = if exp2 >= 0 {
        big.mul_pow(2, exp2 as u32);
        0
    } else {
        big.mul_pow(5, (-exp2) as u32);
        exp2
    };
    // An f64's exponent is far inside MAX_EXPONENT, so this cannot fail.
    Number::finite(negative, &big.to_decimal(), exponent).unwrap_or(Number::ZERO)
}

/// Just enough of an unsigned big integer to expand an f64 into decimal.
struct BigUint {
    /// Little-endian base-2^32 limbs.
    limbs: Vec<u32>,
}

impl BigUint {
    fn from_u64(n: u64) -> BigUint {
        BigUint {
            limbs: vec![n as u32, (n >> 32) as u32],
        }
    }

    fn mul_small(&mut self, factor: u32) {
        let mut carry = 0u64;
        for limb in &mut self.limbs {
            let product = u64::from(*limb) * u64::from(factor) + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
    }

    fn mul_pow(&mut self, base: u32, mut power: u32) {
        // Batch the factor so it still fits a limb: 2^31 and 5^13 do.
        let (batch, batch_power) = if base == 2 {
            (1 << 31, 31)
        } else {
            (5u32.pow(13), 13)
        };
        while power >= batch_power {
            self.mul_small(batch);
            power -= batch_power;
        }
        self.mul_small(base.pow(power));
    }

    fn to_decimal(&self) -> String {
        const CHUNK: u64 = 1_000_000_000;
        let mut limbs = self.limbs.clone();
        let mut chunks = Vec::new();
        while limbs.iter().any(|&l| l != 0) {
            let mut remainder = 0u64;
            for limb in limbs.iter_mut().rev() {
                let current = (remainder << 32) | u64::from(*limb);
                *limb = (current / CHUNK) as u32;
                remainder = current % CHUNK;
            }
            chunks.push(remainder);
        }
        let mut text = String::new();
        for (i, chunk) in chunks.iter().rev().enumerate() {
            if i == 0 {
                text.push_str(&chunk.to_string());
            } else {
                text.push_str(&format!("{chunk:09}"));
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Number {
        match s.parse() {
            Ok(n) => n,
            Err(e) => panic!("{s:?}: {e}"),
        }
    }

    #[test]
    fn parses_and_prints_in_plain_decimal() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("0.000", "0"),
            ("007", "7"),
            ("1e3", "1000"),
            ("1.5E+2", "150"),
            ("+12.50", "12.5"),
            ("-0.0025", "-0.0025"),
            ("25e-4", "0.0025"),
            (".5", "0.5"),
            ("5.", "5"),
            (
                "123456789012345678901234567890.5",
                "123456789012345678901234567890.5",
            ),
            ("Inf", "+Inf"),
            ("-inf", "-Inf"),
        ];
        for (input, shown) in cases {
            assert_eq!(num(input).to_string(), shown, "input {input:?}");
        }
        assert_eq!(num("1e400").to_string(), format!("1{}", "0".repeat(400)));
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for input in [
            "",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "0x10",
            "1_000",
            " 1",
            "NaN",
            "1e99999999999999999999",
        ] {
            assert!(input.parse::<Number>().is_err(), "accepted {input:?}");
        }
    }

    #[test]
    fn equality_is_numeric() {
        assert_eq!(num("1"), num("1.0"));
        assert_eq!(num("1"), num("10e-1"));
        assert_eq!(num("1"), Number::from(1i64));
        assert_eq!(num("1.5"), Number::from(1.5f64));
        assert_eq!(num("-0"), Number::from(-0.0f64));
        assert_ne!(num("0.1"), Number::from(0.1f64));
        assert_ne!(num("1"), num("-1"));
    }

    #[test]
    fn integer_conversions_check_range() {
        assert_eq!(num("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(num("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(num("9223372036854775808").as_i64(), None);
        assert_eq!(num("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(num("-1").as_u64(), None);
        assert_eq!(num("1.5").as_i64(), None);
        assert_eq!(num("1e2").as_i64(), Some(100));
        assert_eq!(num("1e30").as_i64(), None);
        assert_eq!(Number::from(u64::MAX).as_u64(), Some(u64::MAX));
    }

    #[test]
    fn float_conversions() {
        assert_eq!(num("0.1").as_f64(), 0.1);
        assert_eq!(num("1e400").as_f64(), f64::INFINITY);
        assert_eq!(num("0.1").to_exact_f64(), None);
        assert_eq!(num("0.5").to_exact_f64(), Some(0.5));
        assert_eq!(num("1e20").to_exact_f64(), Some(1e20));
        assert_eq!(num("1e23").to_exact_f64(), None);
        assert_eq!(
            num("18446744073709551616").to_exact_f64(),
            Some(18446744073709551616.0)
        );
        assert_eq!(num("18446744073709551615").to_exact_f64(), None);
        assert_eq!(Number::from(f64::MAX).to_exact_f64(), Some(f64::MAX));
        let tiny = f64::from_bits(1); // the smallest subnormal
        assert_eq!(Number::from(tiny).to_exact_f64(), Some(tiny));
        assert_eq!(Number::try_from_f64(f64::NAN), None);
        assert_eq!(Number::from(f64::NEG_INFINITY).to_string(), "-Inf");
    }

    #[test]
    fn f64_expands_to_its_exact_decimal() {
        assert_eq!(
            Number::from(0.1f64).to_string(),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        assert_eq!(
            Number::from(2f64.powi(70)).to_string(),
            "1180591620717411303424"
        );
        assert_eq!(Number::from(-2.5f64).to_string(), "-2.5");
    }
}
