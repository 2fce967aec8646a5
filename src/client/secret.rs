//! A value that must never be shown: the API key and the Atlassian client
//! secret. `Debug` and `Display` print a redaction, and it has no `Serialize`
//! at all, so it can reach the wire only where the client deliberately calls
//! [`Secret::expose`] (the `Authorization` header and request bodies).

use std::fmt;

/// What every secret looks like when printed.
const REDACTED: &str = "[redacted]";

/// A secret string. Cloning is cheap enough for the few secrets a provider holds.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The real value, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printing_never_shows_the_value() {
        let s = Secret::new("fake-secret-0001");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{s:#?}"), "Secret([redacted])");
        assert_eq!(s.expose(), "fake-secret-0001");
    }
}
