//! The JSON form of values (`DynamicValue.json`, raw state in
//! `UpgradeResourceState`), as go-cty's `cty/json` reads and writes it.
//!
//! Numbers keep every digit. A value at a `dynamic` position is
//! `{"value": ..., "type": <type spec>}` (null stays `null`). JSON cannot
//! hold unknowns, so encoding one is an error. Reading is as lenient as cty:
//! a string may stand for a number or bool, a number or bool for a string,
//! and absent object attributes are null.

use std::collections::BTreeMap;

use super::json_text::{self, Json};
use super::tree::distinct_set_elements;
use super::{Budget, Number, Type, Value, ValueError, MAX_DEPTH};
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
        (Type::List(element), Json::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                path.0.push(PathStep::Index(i as i64));
                out.push(decode(item, element, path, budget)?);
                path.0.pop();
            }
            Ok(Value::List(out))
        }
        (Type::Set(element), Json::Array(items)) => {
            let out = items
                .iter()
                .map(|item| decode(item, element, path, budget))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::set(out))
        }
        (Type::Tuple(types), Json::Array(items)) => {
            if items.len() != types.len() {
                let message = format!(
                    "a tuple of {} elements is required, got {}",
                    types.len(),
                    items.len()
                );
                return Err(error(path, message));
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, (item, item_type)) in items.iter().zip(types).enumerate() {
                path.0.push(PathStep::Index(i as i64));
                out.push(decode(item, item_type, path, budget)?);
                path.0.pop();
            }
            Ok(Value::Tuple(out))
        }
        (Type::Map(element), Json::Object(members)) => {
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
        (Type::Object(types), Json::Object(members)) => {
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
        (_, got) => Err(mismatch(path, ty, got)),
    }
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
        (Value::List(items), Type::List(element)) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                path.0.push(PathStep::Index(i as i64));
                encode(out, item, element, path, depth + 1)?;
                path.0.pop();
            }
            out.push(']');
        }
        (Value::Set(items), Type::Set(element)) => {
            out.push('[');
            for (i, item) in distinct_set_elements(items).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode(out, item, element, path, depth + 1)?;
            }
            out.push(']');
        }
        (Value::Tuple(items), Type::Tuple(types)) => {
            if items.len() != types.len() {
                let message = format!(
                    "a tuple of {} elements is required, got {}",
                    types.len(),
                    items.len()
                );
                return Err(error(path, message));
            }
            out.push('[');
            for (i, (item, item_type)) in items.iter().zip(types).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                path.0.push(PathStep::Index(i as i64));
                encode(out, item, item_type, path, depth + 1)?;
                path.0.pop();
            }
            out.push(']');
        }
        (Value::Map(entries), Type::Map(element)) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_text::write_string(out, key);
                out.push(':');
                path.0.push(PathStep::Key(key.clone()));
                encode(out, item, element, path, depth + 1)?;
                path.0.pop();
            }
            out.push('}');
        }
        (Value::Object(attributes), Type::Object(types)) => {
            if let Some(name) = attributes.keys().find(|name| !types.contains_key(*name)) {
                return Err(error(path, format!("unsupported attribute {name:?}")));
            }
            out.push('{');
            for (i, (name, attribute_type)) in types.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_text::write_string(out, name);
                out.push(':');
                path.0.push(PathStep::Attribute(name.clone()));
                let item = attributes.get(name).unwrap_or(&Value::Null);
                encode(out, item, attribute_type, path, depth + 1)?;
                path.0.pop();
            }
            out.push('}');
        }
        (_, Type::Dynamic) => {
            let message = format!(
                "a value of dynamic type must carry its type (Value::Dynamic), got {}",
                value.kind()
            );
            return Err(error(path, message));
        }
        _ => {
            let message = format!("{} is required, got {}", ty.wanted(), value.kind());
            return Err(error(path, message));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
