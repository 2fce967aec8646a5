//! Small helpers between Terraform values and the family's plain data:
//! objects with every attribute of their schema, strings and sets read
//! leniently (null and unknown as absent).

use std::collections::BTreeMap;

use crate::tfplugin::schema::Schema;
use crate::tfplugin::value::{Type, Value};

/// An object of `schema`'s type with every attribute null.
pub(crate) fn nulls(schema: &Schema) -> BTreeMap<String, Value> {
    match schema.value_type() {
        Type::Object(attributes) => attributes.into_keys().map(|k| (k, Value::Null)).collect(),
        _ => BTreeMap::new(),
    }
}

/// The attributes of an object value (empty for null or unknown).
pub(crate) fn attributes(v: &Value) -> BTreeMap<String, Value> {
    match v {
        Value::Object(a) => a.clone(),
        _ => BTreeMap::new(),
    }
}

/// A string attribute, when known and set.
pub(crate) fn string(v: &Value, name: &str) -> Option<String> {
    v.get(name).as_str().map(str::to_owned)
}

/// The known strings of a set or list value.
pub(crate) fn strings(v: &Value) -> Vec<String> {
    v.elements()
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

pub(crate) fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// A set of strings.
pub(crate) fn string_set<'a>(items: impl IntoIterator<Item = &'a String>) -> Value {
    Value::set(items.into_iter().map(|s| text(s)))
}

pub(crate) fn count(n: u64) -> Value {
    Value::number(n)
}
