//! The JSON form: exact documents in, exact documents out.

use super::*;
use crate::tfplugin::value::{decode_msgpack, encode_msgpack};

fn s(text: &str) -> Value {
    Value::string(text)
}

fn n(text: &str) -> Value {
    match text.parse::<Number>() {
        Ok(number) => Value::Number(number),
        Err(e) => panic!("bad number {text:?} in test data: {e}"),
    }
}

fn state_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("count", Type::Number),
        ("enabled", Type::Bool),
        ("scopes", Type::set(Type::String)),
        ("tags", Type::map(Type::String)),
        ("ports", Type::list(Type::Number)),
        ("pair", Type::tuple([Type::String, Type::Number])),
        ("extra", Type::Dynamic),
        ("note", Type::String),
    ])
}

/// (document as cty writes it, value): encoding writes exactly this text,
/// decoding it gives the value.
fn golden() -> Vec<(&'static str, Value, Type)> {
    vec![
        ("null", Value::Null, Type::String),
        ("true", Value::Bool(true), Type::Bool),
        ("-12.5", n("-12.5"), Type::Number),
        (
            "123456789012345678901234567890.5",
            n("123456789012345678901234567890.5"),
            Type::Number,
        ),
        (
            "18446744073709551617",
            n("18446744073709551617"),
            Type::Number,
        ),
        ("0.000001", n("1e-6"), Type::Number),
        (r#""h\"é\n""#, s("h\"é\n"), Type::String),
        (
            r#"["a","b"]"#,
            Value::list([s("a"), s("b")]),
            Type::list(Type::String),
        ),
        (
            r#"{"a":1,"b":2}"#,
            Value::map([("b", n("2")), ("a", n("1"))]),
            Type::map(Type::Number),
        ),
        (
            r#"{"value":["x"],"type":["list","string"]}"#,
            Value::dynamic(Type::list(Type::String), Value::list([s("x")])),
            Type::Dynamic,
        ),
        (
            r#"{"value":null,"type":"number"}"#,
            Value::dynamic(Type::Number, Value::Null),
            Type::Dynamic,
        ),
        ("null", Value::Null, Type::Dynamic),
        (
            r#"{"count":3,"enabled":false,"extra":{"value":"x","type":"string"},"id":"app-1","note":null,"pair":["p",1.5],"ports":[443],"scopes":["read","write"],"tags":{"env":"dev"}}"#,
            Value::object([
                ("id", s("app-1")),
                ("count", n("3")),
                ("enabled", Value::Bool(false)),
                ("scopes", Value::set([s("read"), s("write")])),
                ("tags", Value::map([("env", s("dev"))])),
                ("ports", Value::list([n("443")])),
                ("pair", Value::Tuple(vec![s("p"), n("1.5")])),
                ("extra", Value::dynamic(Type::String, s("x"))),
                ("note", Value::Null),
            ]),
            state_type(),
        ),
    ]
}

#[test]
fn encodes_golden_documents() {
    for (text, value, ty) in golden() {
        let encoded = encode_json(&value, &ty).map(|b| String::from_utf8_lossy(&b).into_owned());
        assert_eq!(encoded, Ok(text.to_owned()), "{text}");
    }
}

#[test]
fn decodes_golden_documents() {
    for (text, value, ty) in golden() {
        assert_eq!(decode_json(text.as_bytes(), &ty), Ok(value), "{text}");
    }
}

#[test]
fn decodes_what_state_files_may_hold() {
    let cases: Vec<(&str, Type, Value)> = vec![
        // every digit kept, exponent forms accepted
        ("1e400", Type::Number, n("1e400")),
        (
            "12345678901234567890.000000000000000000001",
            Type::Number,
            n("12345678901234567890.000000000000000000001"),
        ),
        ("-0.0", Type::Number, n("0")),
        // cty's lenient conversions
        (r#""42""#, Type::Number, n("42")),
        (r#""true""#, Type::Bool, Value::Bool(true)),
        ("42.50", Type::String, s("42.50")),
        ("false", Type::String, s("false")),
        // duplicates in a set collapse; absent attributes are null
        (
            r#"["a","a"]"#,
            Type::set(Type::String),
            Value::set([s("a")]),
        ),
        (
            r#" { "id" : "x" } "#,
            Type::object([("id", Type::String), ("count", Type::Number)]),
            Value::object([("id", s("x")), ("count", Value::Null)]),
        ),
        // the keys of a dynamic value in either order
        (
            r#"{"type":"bool","value":true}"#,
            Type::Dynamic,
            Value::dynamic(Type::Bool, Value::Bool(true)),
        ),
    ];
    for (text, ty, expected) in cases {
        assert_eq!(decode_json(text.as_bytes(), &ty), Ok(expected), "{text}");
    }
}

#[test]
fn decode_errors_name_the_path() {
    let root = AttributePath::root;
    let ty = state_type();
    let cases: Vec<(&str, Type, AttributePath, &str)> = vec![
        (
            r#"{"ports":[1,"x"]}"#,
            ty.clone(),
            AttributePath::attribute("ports").join(PathStep::Index(1)),
            "a number is required: not a valid number: expected decimal digits",
        ),
        (
            r#"{"tags":{"a":[]}}"#,
            ty.clone(),
            AttributePath::attribute("tags").join(PathStep::Key("a".into())),
            "a string is required, got a JSON array",
        ),
        (
            r#"{"bogus":1}"#,
            ty.clone(),
            root(),
            r#"unsupported attribute "bogus""#,
        ),
        (
            r#"{"id":"a","id":"b"}"#,
            ty.clone(),
            root(),
            r#"attribute "id" given twice"#,
        ),
        (
            r#"{"pair":["a"]}"#,
            ty.clone(),
            AttributePath::attribute("pair"),
            "a tuple of 2 elements is required, got 1",
        ),
        (
            r#"{"extra":"x"}"#,
            ty.clone(),
            AttributePath::attribute("extra"),
            "a dynamic value is required, got a JSON string",
        ),
        (
            r#"{"extra":{"value":1}}"#,
            ty.clone(),
            AttributePath::attribute("extra"),
            r#"dynamic value: both "value" and "type" are required"#,
        ),
        (
            r#"{"extra":{"value":1,"type":"number","x":1}}"#,
            ty.clone(),
            AttributePath::attribute("extra"),
            r#"dynamic value: unexpected key "x""#,
        ),
        (
            r#"{"extra":{"value":1,"type":["list"]}}"#,
            ty.clone(),
            AttributePath::attribute("extra"),
            "dynamic value: malformed list type spec",
        ),
        (
            r#"{"enabled":"yes"}"#,
            ty.clone(),
            AttributePath::attribute("enabled"),
            r#"a bool is required, got a string other than "true" or "false""#,
        ),
        (
            "[1,2",
            ty,
            root(),
            "invalid JSON at byte 4: expected ',' or ']'",
        ),
        (
            r#"{"a":"b","a":"c"}"#,
            Type::map(Type::String),
            root(),
            r#"map key "a" given twice"#,
        ),
        (
            "1",
            Type::list(Type::Number),
            root(),
            "a list is required, got a JSON number",
        ),
        (
            "1e99999",
            Type::Number,
            root(),
            "a number is required: not a valid number: exponent out of range",
        ),
    ];
    for (text, ty, path, message) in cases {
        assert_eq!(
            decode_json(text.as_bytes(), &ty),
            Err(ValueError::new(path, message)),
            "{text}"
        );
    }
}

#[test]
fn encode_refuses_unknowns_with_their_path() {
    let ty = state_type();
    let value = Value::object([
        ("scopes", Value::set([s("a"), Value::Unknown])),
        ("id", s("x")),
    ]);
    assert_eq!(
        encode_json(&value, &ty),
        Err(ValueError::new(
            AttributePath::attribute("scopes"),
            "value is not known"
        ))
    );
    let value = Value::object([(
        "extra",
        Value::dynamic(Type::list(Type::Bool), Value::list([Value::Unknown])),
    )]);
    assert_eq!(
        encode_json(&value, &ty),
        Err(ValueError::new(
            AttributePath::attribute("extra").join(PathStep::Index(0)),
            "value is not known"
        ))
    );
    assert_eq!(
        encode_json(&n("Inf"), &Type::Number),
        Err(ValueError::new(
            AttributePath::root(),
            "an infinite number cannot be written as JSON"
        ))
    );
    assert_eq!(
        encode_json(&s("x"), &Type::Number),
        Err(ValueError::new(
            AttributePath::root(),
            "a number is required, got a string"
        ))
    );
}

#[test]
fn round_trips_with_msgpack_agreeing() {
    let ty = state_type();
    let value = Value::object([
        ("id", s("app \u{1} \"quoted\"")),
        ("count", n("98765432109876543210987654321")),
        ("enabled", Value::Null),
        ("scopes", Value::set([s("b"), s("a")])),
        ("tags", Value::Map(Default::default())),
        ("ports", Value::list([n("0.5"), n("-7")])),
        ("pair", Value::Null),
        (
            "extra",
            Value::dynamic(
                Type::object([("k", Type::Number)]),
                Value::object([("k", n("1e-9"))]),
            ),
        ),
        ("note", s("")),
    ]);
    let from_json = encode_json(&value, &ty).and_then(|text| decode_json(&text, &ty));
    assert_eq!(from_json.as_ref(), Ok(&value));
    let from_msgpack = encode_msgpack(&value, &ty).and_then(|bytes| decode_msgpack(&bytes, &ty));
    assert_eq!(from_msgpack, from_json);
}
