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

mod error;
mod json;
mod json_text;
mod limits;
mod msgpack;
mod number;
mod tree;
mod types;

pub use error::{ValueError, ValueErrorKind};
pub use json::{decode_json, encode_json};
pub use msgpack::{decode_msgpack, encode_msgpack};
pub use number::{Number, ParseNumberError};
pub use tree::{transform, Value};
pub use types::Type;
