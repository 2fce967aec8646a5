//! Terraform (cty) types and their JSON type specs, as schemas and dynamic
//! values carry them: `"string"`, `["list","string"]`,
//! `["object",{"a":"string"}]`, `["tuple",["bool"]]`, `"dynamic"`.

use std::collections::BTreeMap;
use std::fmt;

use super::error::ValueError;
use super::json_text::{self, Json};
use crate::tfplugin::path::AttributePath;

/// The type a value is decoded against.
///
/// Object types parsed with optional attributes
/// (`["object",{...},["name"]]`) keep their attributes and drop the
/// "optional" marks: those only matter to Terraform's type conversion, and a
/// value's own type never has them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Number,
    String,
    /// Any type: the concrete type travels with each value (`Value::Dynamic`).
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
}

impl Type {
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }

    pub fn set(t: Type) -> Type {
        Type::Set(Box::new(t))
    }

    pub fn map(t: Type) -> Type {
        Type::Map(Box::new(t))
    }

    pub fn object<K: Into<String>>(attributes: impl IntoIterator<Item = (K, Type)>) -> Type {
        Type::Object(
            attributes
                .into_iter()
                .map(|(name, t)| (name.into(), t))
                .collect(),
        )
    }

    pub fn tuple(elements: impl IntoIterator<Item = Type>) -> Type {
        Type::Tuple(elements.into_iter().collect())
    }

    /// The cty JSON type spec, compact, object attributes in sorted order
    /// (byte for byte what cty writes).
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = String::new();
        self.write_json(&mut out);
        out.into_bytes()
    }

    pub fn from_json(bytes: &[u8]) -> Result<Type, ValueError> {
        let tree = json_text::parse(bytes)
            .map_err(|e| ValueError::new(AttributePath::root(), format!("type spec: {e}")))?;
        Type::from_tree(&tree).map_err(|message| {
            ValueError::new(AttributePath::root(), format!("type spec: {message}"))
        })
    }

    pub(crate) fn from_tree(tree: &Json) -> Result<Type, String> {
        let items = match tree {
            Json::String(name) => {
                return match name.as_str() {
                    "bool" => Ok(Type::Bool),
                    "number" => Ok(Type::Number),
                    "string" => Ok(Type::String),
                    "dynamic" => Ok(Type::Dynamic),
                    _ => Err(format!("unknown type name {name:?}")),
                };
            }
            Json::Array(items) => items,
            other => {
                return Err(format!(
                    "expected a type name or array, got {}",
                    other.kind()
                ))
            }
        };
        let (kind, rest) = match items.split_first() {
            Some((Json::String(kind), rest)) => (kind.as_str(), rest),
            _ => return Err("a complex type must start with its kind name".into()),
        };
        match (kind, rest) {
            ("list", [element]) => Ok(Type::list(Type::from_tree(element)?)),
            ("set", [element]) => Ok(Type::set(Type::from_tree(element)?)),
            ("map", [element]) => Ok(Type::map(Type::from_tree(element)?)),
            ("tuple", [Json::Array(elements)]) => Ok(Type::Tuple(
                elements
                    .iter()
                    .map(Type::from_tree)
                    .collect::<Result<_, _>>()?,
            )),
            ("object", [Json::Object(members)]) => object_from_tree(members, &[]),
            ("object", [Json::Object(members), Json::Array(optional)]) => {
                object_from_tree(members, optional)
            }
            ("list" | "set" | "map" | "tuple" | "object", _) => {
                Err(format!("malformed {kind} type spec"))
            }
            _ => Err(format!("unknown type kind {kind:?}")),
        }
    }

    /// What this type asks for, in an error's words.
    pub(crate) fn wanted(&self) -> &'static str {
        match self {
            Type::Bool => "a bool",
            Type::Number => "a number",
            Type::String => "a string",
            Type::Dynamic => "a dynamic value",
            Type::List(_) => "a list",
            Type::Set(_) => "a set",
            Type::Map(_) => "a map",
            Type::Object(_) => "an object",
            Type::Tuple(_) => "a tuple",
        }
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Type::Bool => out.push_str("\"bool\""),
            Type::Number => out.push_str("\"number\""),
            Type::String => out.push_str("\"string\""),
            Type::Dynamic => out.push_str("\"dynamic\""),
            Type::List(t) | Type::Set(t) | Type::Map(t) => {
                let kind = match self {
                    Type::List(_) => "[\"list\",",
                    Type::Set(_) => "[\"set\",",
                    _ => "[\"map\",",
                };
                out.push_str(kind);
                t.write_json(out);
                out.push(']');
            }
            Type::Object(attributes) => {
                out.push_str("[\"object\",{");
                for (i, (name, t)) in attributes.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_text::write_string(out, name);
                    out.push(':');
                    t.write_json(out);
                }
                out.push_str("}]");
            }
            Type::Tuple(elements) => {
                out.push_str("[\"tuple\",[");
                for (i, t) in elements.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    t.write_json(out);
                }
                out.push_str("]]");
            }
        }
    }
}

fn object_from_tree(members: &[(String, Json)], optional: &[Json]) -> Result<Type, String> {
    let mut attributes = BTreeMap::new();
    for (name, spec) in members {
        if attributes
            .insert(name.clone(), Type::from_tree(spec)?)
            .is_some()
        {
            return Err(format!("attribute {name:?} given twice"));
        }
    }
    for name in optional {
        match name {
            Json::String(name) if attributes.contains_key(name) => {}
            _ => return Err("optional attributes must name attributes of the object".into()),
        }
    }
    Ok(Type::Object(attributes))
}

/// The JSON type spec: the one notation both Terraform and users read.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write_json(&mut out);
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_round_trip_byte_for_byte() {
        let cases = [
            (Type::Bool, r#""bool""#),
            (Type::Number, r#""number""#),
            (Type::String, r#""string""#),
            (Type::Dynamic, r#""dynamic""#),
            (Type::list(Type::String), r#"["list","string"]"#),
            (Type::set(Type::Number), r#"["set","number"]"#),
            (
                Type::map(Type::list(Type::Bool)),
                r#"["map",["list","bool"]]"#,
            ),
            (
                Type::object([
                    ("b", Type::Number),
                    ("a", Type::String),
                    ("a\"q", Type::Bool),
                ]),
                r#"["object",{"a":"string","a\"q":"bool","b":"number"}]"#,
            ),
            (Type::object::<&str>([]), r#"["object",{}]"#),
            (
                Type::tuple([Type::String, Type::Dynamic]),
                r#"["tuple",["string","dynamic"]]"#,
            ),
            (Type::tuple([]), r#"["tuple",[]]"#),
        ];
        for (t, spec) in cases {
            assert_eq!(String::from_utf8_lossy(&t.to_json()), spec);
            assert_eq!(Type::from_json(spec.as_bytes()), Ok(t.clone()), "{spec}");
            assert_eq!(t.to_string(), spec);
        }
    }

    #[test]
    fn parses_optional_attributes_and_whitespace() {
        let spec = br#" [ "object" , { "a" : "string" , "b" : "number" } , [ "b" ] ] "#;
        assert_eq!(
            Type::from_json(spec),
            Ok(Type::object([("a", Type::String), ("b", Type::Number)]))
        );
    }

    #[test]
    fn rejects_malformed_specs() {
        let cases = [
            (r#""text""#, r#"type spec: unknown type name "text""#),
            (r#"["list"]"#, "type spec: malformed list type spec"),
            (
                r#"["list","string","string"]"#,
                "type spec: malformed list type spec",
            ),
            (
                r#"["object",["a"]]"#,
                "type spec: malformed object type spec",
            ),
            (
                r#"["object",{"a":"string"},["b"]]"#,
                "type spec: optional attributes must name attributes of the object",
            ),
            (
                r#"["object",{"a":"string","a":"bool"}]"#,
                r#"type spec: attribute "a" given twice"#,
            ),
            (
                r#"["thing","string"]"#,
                r#"type spec: unknown type kind "thing""#,
            ),
            (
                r#"[1]"#,
                "type spec: a complex type must start with its kind name",
            ),
            (
                "3",
                "type spec: expected a type name or array, got a JSON number",
            ),
            (
                r#"["list","string""#,
                "type spec: invalid JSON at byte 16: expected ',' or ']'",
            ),
        ];
        for (spec, message) in cases {
            let err = Type::from_json(spec.as_bytes()).err();
            assert_eq!(err.map(|e| e.message), Some(message.to_owned()), "{spec}");
        }
    }
}
