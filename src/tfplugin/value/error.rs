//! The one error of decoding and checking values: what does not fit, and
//! where.

use std::fmt;

use crate::tfplugin::path::AttributePath;

/// A value that does not fit its type or its wire form, and where.
///
/// Messages name kinds and attribute names, never the value itself, so an
/// error about a secret attribute does not carry the secret.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueError {
    pub path: AttributePath,
    pub message: String,
    pub kind: ValueErrorKind,
}

/// Whose mistake a [`ValueError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueErrorKind {
    /// Bytes that do not fit the type or the wire form: a bug on one side.
    Malformed,
    /// A number Terraform holds (cty numbers are unbounded) but [`Number`](super::number::Number)
    /// does not: a value the user wrote, such as `1e20000`.
    NumberOutOfRange,
}

impl ValueError {
    pub fn new(path: AttributePath, message: impl Into<String>) -> ValueError {
        ValueError {
            path,
            message: message.into(),
            kind: ValueErrorKind::Malformed,
        }
    }

    /// A tuple value without as many elements as its type.
    pub(crate) fn tuple_length(wanted: usize, got: usize, path: &AttributePath) -> ValueError {
        let message = format!("a tuple of {wanted} elements is required, got {got}");
        ValueError::new(path.clone(), message)
    }

    pub fn number_out_of_range(path: AttributePath) -> ValueError {
        ValueError {
            path,
            message: "the number is out of range".into(),
            kind: ValueErrorKind::NumberOutOfRange,
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_root() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ValueError {}
