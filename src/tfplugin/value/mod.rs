//! Terraform values (cty) and their wire forms: the only shape in which
//! provider code sees configuration, plans and state.
//!
//! Values are always decoded against their schema type, because the wire
//! forms do not say which kind of collection or object they hold. Null and
//! unknown are different values, anywhere in the tree. This module knows
//! the protocol's value rules only: it must not know about Writer, and it
//! never logs (values may hold secrets).
//!
//! - [`Type`]: cty types and their JSON type specs.
//! - [`Value`], [`Number`]: the value tree and exact numbers.
//! - [`decode_msgpack`] / [`encode_msgpack`]: `DynamicValue.msgpack`.
//! - [`decode_json`] / [`encode_json`]: `DynamicValue.json` and raw state.
//! - [`Value::walk`], [`transform`]: visiting and rewriting by path.

mod json;
mod json_text;
mod msgpack;
mod number;
mod tree;
mod types;

use std::fmt;

use crate::tfplugin::path::AttributePath;

pub use json::{decode_json, encode_json};
pub use msgpack::{decode_msgpack, encode_msgpack};
pub use number::{Number, ParseNumberError};
pub use tree::{transform, Value};
pub use types::Type;

/// How deeply values and type specs may nest. Real schemas use a handful of
/// levels; the limit keeps hostile input from exhausting the stack.
const MAX_DEPTH: usize = 128;

/// How many values one decoded message may hold, counting every node (set
/// and list elements, attributes, absent attributes filled with null).
///
/// A value costs 40 bytes once decoded, up to ~200 inside objects (names,
/// tree nodes), however few bytes it took on the wire: a msgpack nil is one
/// byte, an empty map decoded as an object of 16 attributes is one byte. So
/// the length of a message does not bound its cost; this does, near 50 MB.
/// (Without it, 16 MB of nils took 664 MB, 16 MB of empty objects tens of
/// GB.) Real resources hold hundreds of values; Atlassian's whole scope
/// catalogue is under a hundred.
const MAX_VALUES: usize = 1 << 18;

/// What is left of [`MAX_VALUES`] while one message is decoded.
struct Budget(usize);

impl Budget {
    fn new() -> Budget {
        Budget(MAX_VALUES)
    }

    /// Accounts for `n` more values; an error message once over the limit.
    fn spend(&mut self, n: usize) -> Result<(), String> {
        match self.0.checked_sub(n) {
            Some(left) => {
                self.0 = left;
                Ok(())
            }
            None => Err(format!(
                "the message holds more than {MAX_VALUES} values, the most one message may hold"
            )),
        }
    }
}

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
    /// A number Terraform holds (cty numbers are unbounded) but [`Number`]
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
    fn tuple_length(wanted: usize, got: usize, path: &AttributePath) -> ValueError {
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
