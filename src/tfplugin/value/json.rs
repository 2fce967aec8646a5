//! The JSON form of values (`DynamicValue.json`, raw state in
//! `UpgradeResourceState`), as go-cty's `cty/json` reads and writes it.
//!
//! Numbers keep every digit. A value at a `dynamic` position is
//! `{"value": ..., "type": <type spec>}` (null stays `null`). JSON cannot
//! hold unknowns, so encoding one is an error. Reading is as lenient as cty:
//! a string may stand for a number or bool, a number or bool for a string,
//! and absent object attributes are null.

use std::collections::BTreeMap;

use super::error::ValueError;
use super::json_text::{self, Json};
use super::limits::{Budget, MAX_DEPTH};
use super::number::Number;
use super::tree::Value;
use super::tree::{typed_elements, typed_members};
use super::types::Type;
use crate::tfplugin::path::{AttributePath, PathStep};

/// Decode a JSON document against its schema type.
pub fn decode_json(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
    let tree = json_text::parse(bytes)
        .map_err(|e| ValueError::new(AttributePath::root(), e.to_string()))?;
    decode(&tree, ty, &mut AttributePath::root(), &mut Budget::new())
}

/// Encode a wholly known value as JSON, checking that it fits the type.
pub fn encode_json(value: &Value, ty: &Type) -> Result<Vec<u8>, ValueError> {
    let mut out = String::new();
    encode(&mut out, value, ty, &mut AttributePath::root(), 0)?;
    Ok(out.into_bytes())
}

fn error(path: &AttributePath, message: impl Into<String>) -> ValueError {
    ValueError::new(path.clone(), message)
}

fn mismatch(path: &AttributePath, ty: &Type, got: &Json) -> ValueError {
    error(
        path,
        format!("{} is required, got {}", ty.wanted(), got.kind()),
    )
}

fn decode(
    tree: &Json,
    ty: &Type,
    path: &mut AttributePath,
    budget: &mut Budget,
) -> Result<Value, ValueError> {
    budget.spend(1).map_err(|message| error(path, message))?;
    match (ty, tree) {
        (_, Json::Null) => Ok(Value::Null),
        (Type::Dynamic, Json::Object(members)) => decode_dynamic(members, path, budget),
        (Type::Bool | Type::Number | Type::String, _) => decode_primitive(tree, ty, path),
        (Type::List(element), Json::Array(items)) => {
            let typed = items.iter().map(|item| (item, &**element));
            decode_indexed(typed, path, budget).map(Value::List)
        }
        (Type::Set(element), Json::Array(items)) => {
            // Set elements have no path of their own.
            let out = items
                .iter()
                .map(|item| decode(item, element, path, budget))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::set(out))
        }
        (Type::Tuple(types), Json::Array(items)) => {
            if items.len() != types.len() {
                return Err(ValueError::tuple_length(types.len(), items.len(), path));
            }
            decode_indexed(items.iter().zip(types), path, budget).map(Value::Tuple)
        }
        (Type::Map(element), Json::Object(members)) => decode_map(members, element, path, budget),
        (Type::Object(types), Json::Object(members)) => decode_object(members, types, path, budget),
        (_, got) => Err(mismatch(path, ty, got)),
    }
}

/// A bool, number or string; cty reads each from the others' text too.
fn decode_primitive(tree: &Json, ty: &Type, path: &AttributePath) -> Result<Value, ValueError> {
    match (ty, tree) {
        (Type::Bool, Json::Bool(b)) => Ok(Value::Bool(*b)),
        (Type::Bool, Json::String(s)) => match s.as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(error(
                path,
                "a bool is required, got a string other than \"true\" or \"false\"",
            )),
        },
        (Type::Number, Json::Number(text)) | (Type::Number, Json::String(text)) => text
            .parse::<Number>()
            .map(Value::Number)
            .map_err(|e| error(path, format!("a number is required: {e}"))),
        (Type::String, Json::String(s)) => Ok(Value::String(s.clone())),
        (Type::String, Json::Number(text)) => Ok(Value::String(text.clone())),
        (Type::String, Json::Bool(b)) => Ok(Value::String(b.to_string())),
        (_, got) => Err(mismatch(path, ty, got)),
    }
}

/// The elements of a list or tuple, each at its index.
fn decode_indexed<'a>(
    items: impl Iterator<Item = (&'a Json, &'a Type)>,
    path: &mut AttributePath,
    budget: &mut Budget,
) -> Result<Vec<Value>, ValueError> {
    let mut out = Vec::new();
    for (i, (item, item_type)) in items.enumerate() {
        path.0.push(PathStep::Index(i as i64));
        out.push(decode(item, item_type, path, budget)?);
        path.0.pop();
    }
    Ok(out)
}

fn decode_map(
    members: &[(String, Json)],
    element: &Type,
    path: &mut AttributePath,
    budget: &mut Budget,
) -> Result<Value, ValueError> {
    let mut out = BTreeMap::new();
    for (key, item) in members {
        if out.contains_key(key) {
            return Err(error(path, format!("map key {key:?} given twice")));
        }
        path.0.push(PathStep::Key(key.clone()));
        let item = decode(item, element, path, budget)?;
        path.0.pop();
        out.insert(key.clone(), item);
    }
    Ok(Value::Map(out))
}

/// An object; attributes it leaves out are null.
fn decode_object(
    members: &[(String, Json)],
    types: &BTreeMap<String, Type>,
    path: &mut AttributePath,
    budget: &mut Budget,
) -> Result<Value, ValueError> {
    let mut out = BTreeMap::new();
    for (name, item) in members {
        let Some(attribute_type) = types.get(name) else {
            return Err(error(path, format!("unsupported attribute {name:?}")));
        };
        if out.contains_key(name) {
            return Err(error(path, format!("attribute {name:?} given twice")));
        }
        path.0.push(PathStep::Attribute(name.clone()));
        let item = decode(item, attribute_type, path, budget)?;
        path.0.pop();
        out.insert(name.clone(), item);
    }
    budget
        .spend(types.len() - out.len())
        .map_err(|message| error(path, message))?;
    for name in types.keys() {
        out.entry(name.clone()).or_insert(Value::Null);
    }
    Ok(Value::Object(out))
}

fn decode_dynamic(
    members: &[(String, Json)],
    path: &mut AttributePath,
    budget: &mut Budget,
) -> Result<Value, ValueError> {
    let (mut spec, mut body) = (None, None);
    for (key, item) in members {
        let slot = match key.as_str() {
            "type" => &mut spec,
            "value" => &mut body,
            _ => {
                return Err(error(
                    path,
                    format!("dynamic value: unexpected key {key:?}"),
                ))
            }
        };
        if slot.replace(item).is_some() {
            return Err(error(
                path,
                format!("dynamic value: key {key:?} given twice"),
            ));
        }
    }
    let (Some(spec), Some(body)) = (spec, body) else {
        return Err(error(
            path,
            "dynamic value: both \"value\" and \"type\" are required",
        ));
    };
    let concrete = Type::from_tree(spec)
        .map_err(|message| error(path, format!("dynamic value: {message}")))?;
    if concrete == Type::Dynamic {
        return Err(error(path, "dynamic value: its type must be concrete"));
    }
    let inner = decode(body, &concrete, path, budget)?;
    Ok(Value::dynamic(concrete, inner))
}

fn encode(
    out: &mut String,
    value: &Value,
    ty: &Type,
    path: &mut AttributePath,
    depth: usize,
) -> Result<(), ValueError> {
    if depth > MAX_DEPTH {
        return Err(error(path, "value nests too deeply"));
    }
    match (value, ty) {
        (Value::Unknown, _) => return Err(error(path, "value is not known")),
        (Value::Null, _) => out.push_str("null"),
        (Value::Dynamic(concrete, inner), Type::Dynamic) => {
            if **concrete == Type::Dynamic {
                return Err(error(path, "a dynamic value's type must be concrete"));
            }
            out.push_str("{\"value\":");
            encode(out, inner, concrete, path, depth + 1)?;
            out.push_str(",\"type\":");
            out.push_str(&concrete.to_string());
            out.push('}');
        }
        (Value::Bool(b), Type::Bool) => out.push_str(if *b { "true" } else { "false" }),
        (Value::Number(n), Type::Number) => {
            if n.is_infinite() {
                return Err(error(path, "an infinite number cannot be written as JSON"));
            }
            out.push_str(&n.to_string());
        }
        (Value::String(s), Type::String) => json_text::write_string(out, s),
        (Value::Tuple(items), Type::Tuple(types)) if items.len() != types.len() => {
            return Err(ValueError::tuple_length(types.len(), items.len(), path));
        }
        (Value::List(_), Type::List(_))
        | (Value::Set(_), Type::Set(_))
        | (Value::Tuple(_), Type::Tuple(_)) => {
            encode_array(out, typed_elements(value, ty), path, depth)?;
        }
        (Value::Map(_), Type::Map(_)) | (Value::Object(_), Type::Object(_)) => {
            encode_members(out, typed_members(value, ty, path)?, path, depth)?;
        }
        _ => return Err(wrong_type(value, ty, path)),
    }
    Ok(())
}

/// `[a,b,...]`: a list's, set's or tuple's elements, each at its step (set
/// elements have none).
fn encode_array(
    out: &mut String,
    items: Vec<(Option<PathStep>, &Value, &Type)>,
    path: &mut AttributePath,
    depth: usize,
) -> Result<(), ValueError> {
    out.push('[');
    for (i, (step, item, item_type)) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let stepped = step.map(|s| path.0.push(s)).is_some();
        encode(out, item, item_type, path, depth + 1)?;
        if stepped {
            path.0.pop();
        }
    }
    out.push(']');
    Ok(())
}

/// `{"k":v,...}`: a map's entries or an object's attributes.
fn encode_members(
    out: &mut String,
    members: Vec<(&String, PathStep, &Value, &Type)>,
    path: &mut AttributePath,
    depth: usize,
) -> Result<(), ValueError> {
    out.push('{');
    for (i, (key, step, item, item_type)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_text::write_string(out, key);
        out.push(':');
        path.0.push(step);
        encode(out, item, item_type, path, depth + 1)?;
        path.0.pop();
    }
    out.push('}');
    Ok(())
}

fn wrong_type(value: &Value, ty: &Type, path: &AttributePath) -> ValueError {
    let message = match ty {
        Type::Dynamic => format!(
            "a value of dynamic type must carry its type (Value::Dynamic), got {}",
            value.kind()
        ),
        _ => format!("{} is required, got {}", ty.wanted(), value.kind()),
    };
    error(path, message)
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
