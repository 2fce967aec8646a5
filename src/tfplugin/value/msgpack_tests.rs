//! Golden bytes for the msgpack form. Every expected byte string here was
//! worked out by hand from go-cty's rules and the msgpack spec (see the
//! comment on each), never produced by our own encoder.

use super::*;
use crate::tfplugin::path::AttributePath;

/// `"de ad"` → bytes; spaces are for reading.
fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).unwrap_or("zz");
            match u8::from_str_radix(pair, 16) {
                Ok(b) => b,
                Err(_) => panic!("bad hex {pair:?} in test data"),
            }
        })
        .collect()
}

fn s(text: &str) -> Value {
    Value::string(text)
}

fn n(text: &str) -> Value {
    match text.parse::<Number>() {
        Ok(number) => Value::Number(number),
        Err(e) => panic!("bad number {text:?} in test data: {e}"),
    }
}

/// Strings as msgpack: header then UTF-8 bytes.
fn str_bytes(text: &str) -> Vec<u8> {
    let mut out = match text.len() {
        len @ 0..=31 => vec![0xa0 | len as u8],
        len @ 32..=255 => vec![0xd9, len as u8],
        len => vec![0xda, (len >> 8) as u8, len as u8],
    };
    out.extend_from_slice(text.as_bytes());
    out
}

fn nested_type() -> Type {
    Type::object([
        ("name", Type::String),
        ("id", Type::String),
        (
            "spec",
            Type::object([("port", Type::Number), ("tags", Type::list(Type::String))]),
        ),
    ])
}

/// (what, value, type, exact bytes). Encoding must write these bytes and
/// decoding them must give the value back.
fn golden() -> Vec<(&'static str, Value, Type, Vec<u8>)> {
    vec![
        // nil
        ("null", Value::Null, Type::String, hex("c0")),
        ("null object", Value::Null, nested_type(), hex("c0")),
        // go-cty's unknownValBytes: fixext1 (d4), ext type 0, one zero byte
        ("unknown", Value::Unknown, Type::String, hex("d4 00 00")),
        (
            "unknown list",
            Value::Unknown,
            Type::list(Type::Bool),
            hex("d4 00 00"),
        ),
        ("true", Value::Bool(true), Type::Bool, hex("c3")),
        ("false", Value::Bool(false), Type::Bool, hex("c2")),
        // ints: smallest form; non-negative ones as unsigned (go msgpack EncodeInt)
        ("zero", n("0"), Type::Number, hex("00")),
        ("positive fixint", n("127"), Type::Number, hex("7f")),
        ("uint8", n("128"), Type::Number, hex("cc 80")),
        ("uint8 max", n("255"), Type::Number, hex("cc ff")),
        ("uint16", n("256"), Type::Number, hex("cd 01 00")),
        ("uint32", n("65536"), Type::Number, hex("ce 00 01 00 00")),
        (
            "uint64",
            n("4294967296"),
            Type::Number,
            hex("cf 00 00 00 01 00 00 00 00"),
        ),
        (
            "i64 max",
            n("9223372036854775807"),
            Type::Number,
            hex("cf 7f ff ff ff ff ff ff ff"),
        ),
        ("negative fixint", n("-1"), Type::Number, hex("ff")),
        ("negative fixint min", n("-32"), Type::Number, hex("e0")),
        ("int8", n("-33"), Type::Number, hex("d0 df")),
        ("int8 min", n("-128"), Type::Number, hex("d0 80")),
        ("int16", n("-129"), Type::Number, hex("d1 ff 7f")),
        ("int32", n("-32769"), Type::Number, hex("d2 ff ff 7f ff")),
        (
            "i64 min",
            n("-9223372036854775808"),
            Type::Number,
            hex("d3 80 00 00 00 00 00 00 00"),
        ),
        // integral but over i64: 2^63 and 2^64 are exact float64s (biased exponents 0x43e, 0x43f)
        (
            "2^63",
            n("9223372036854775808"),
            Type::Number,
            hex("cb 43 e0 00 00 00 00 00 00"),
        ),
        (
            "2^64",
            n("18446744073709551616"),
            Type::Number,
            hex("cb 43 f0 00 00 00 00 00 00"),
        ),
        // u64 max is neither i64 nor an exact float64: decimal text, fixstr of 20 (0xb4)
        (
            "u64 max",
            n("18446744073709551615"),
            Type::Number,
            str_bytes("18446744073709551615"),
        ),
        // floats: always float64 (cty turns compact floats off); 1.5 = 0x3ff8 << 48
        (
            "float",
            n("1.5"),
            Type::Number,
            hex("cb 3f f8 00 00 00 00 00 00"),
        ),
        (
            "negative float",
            n("-0.25"),
            Type::Number,
            hex("cb bf d0 00 00 00 00 00 00"),
        ),
        (
            "infinity",
            n("Inf"),
            Type::Number,
            hex("cb 7f f0 00 00 00 00 00 00"),
        ),
        (
            "-infinity",
            n("-Inf"),
            Type::Number,
            hex("cb ff f0 00 00 00 00 00 00"),
        ),
        // no exact float64: decimal text (big.Float.Text('f', -1), no exponent)
        ("0.1", n("0.1"), Type::Number, hex("a3 30 2e 31")),
        (
            "1e23",
            n("1e23"),
            Type::Number,
            str_bytes("100000000000000000000000"),
        ),
        (
            "big decimal",
            n("123456789012345678901234567890.5"),
            Type::Number,
            [hex("d9 20"), b"123456789012345678901234567890.5".to_vec()].concat(),
        ),
        // 1e400 is "1" and 400 zeros: 401 = 0x0191 bytes, so str16
        (
            "1e400",
            n("1e400"),
            Type::Number,
            [hex("da 01 91 31"), vec![b'0'; 400]].concat(),
        ),
        ("empty string", s(""), Type::String, hex("a0")),
        (
            "utf-8 string",
            s("héllo"),
            Type::String,
            hex("a6 68 c3 a9 6c 6c 6f"),
        ),
        (
            "str8",
            s("abcdefghijklmnopqrstuvwxyz012345"),
            Type::String,
            [hex("d9 20"), b"abcdefghijklmnopqrstuvwxyz012345".to_vec()].concat(),
        ),
        (
            "empty list",
            Value::list([]),
            Type::list(Type::String),
            hex("90"),
        ),
        (
            "list",
            Value::list([s("a"), s("b")]),
            Type::list(Type::String),
            hex("92 a1 61 a1 62"),
        ),
        (
            "list with null",
            Value::list([Value::Null, s("b")]),
            Type::list(Type::String),
            hex("92 c0 a1 62"),
        ),
        // sets are arrays, in the order held
        (
            "set",
            Value::set([s("b"), s("a")]),
            Type::set(Type::String),
            hex("92 a1 62 a1 61"),
        ),
        (
            "set of unknowns",
            Value::set([Value::Unknown, Value::Unknown]),
            Type::set(Type::String),
            hex("92 d4 00 00 d4 00 00"),
        ),
        // maps: fixmap, keys in byte order
        (
            "map",
            Value::map([("b", n("1")), ("a", n("2"))]),
            Type::map(Type::Number),
            hex("82 a1 61 02 a1 62 01"),
        ),
        // objects: every attribute of the type, sorted: alpha < mid < zeta
        (
            "object",
            Value::object([
                ("zeta", s("z")),
                ("alpha", n("1")),
                ("mid", Value::Bool(true)),
            ]),
            Type::object([
                ("zeta", Type::String),
                ("alpha", Type::Number),
                ("mid", Type::Bool),
            ]),
            hex("83 a5 616c706861 01 a3 6d6964 c3 a4 7a657461 a1 7a"),
        ),
        (
            "tuple",
            Value::Tuple(vec![s("x"), n("2"), Value::Bool(false)]),
            Type::tuple([Type::String, Type::Number, Type::Bool]),
            hex("93 a1 78 02 c2"),
        ),
        // {id: unknown, name: "n", spec: {port: null, tags: [unknown, "t"]}}
        (
            "nested",
            Value::object([
                ("id", Value::Unknown),
                ("name", s("n")),
                (
                    "spec",
                    Value::object([
                        ("port", Value::Null),
                        ("tags", Value::list([Value::Unknown, s("t")])),
                    ]),
                ),
            ]),
            nested_type(),
            hex("83 a2 6964 d4 00 00 a4 6e616d65 a1 6e a4 73706563
                 82 a4 706f7274 c0 a4 74616773 92 d4 00 00 a1 74"),
        ),
        // dynamic: [bin8 type spec JSON, value]; "\"string\"" is 8 bytes
        (
            "dynamic string",
            Value::dynamic(Type::String, s("hi")),
            Type::Dynamic,
            hex("92 c4 08 22737472696e6722 a2 6869"),
        ),
        // ["list","number"] is 17 (0x11) bytes
        (
            "dynamic list",
            Value::dynamic(Type::list(Type::Number), Value::list([n("1")])),
            Type::Dynamic,
            [
                hex("92 c4 11"),
                br#"["list","number"]"#.to_vec(),
                hex("91 01"),
            ]
            .concat(),
        ),
        // ["object",{"a":"string"}] is 25 (0x19) bytes
        (
            "dynamic object",
            Value::dynamic(
                Type::object([("a", Type::String)]),
                Value::object([("a", s("x"))]),
            ),
            Type::Dynamic,
            [
                hex("92 c4 19"),
                br#"["object",{"a":"string"}]"#.to_vec(),
                hex("81 a1 61 a1 78"),
            ]
            .concat(),
        ),
        // a typed null or unknown keeps its type; an untyped one is bare
        (
            "dynamic typed null",
            Value::dynamic(Type::String, Value::Null),
            Type::Dynamic,
            hex("92 c4 08 22737472696e6722 c0"),
        ),
        (
            "dynamic typed unknown",
            Value::dynamic(Type::String, Value::Unknown),
            Type::Dynamic,
            hex("92 c4 08 22737472696e6722 d4 00 00"),
        ),
        ("dynamic null", Value::Null, Type::Dynamic, hex("c0")),
        (
            "dynamic unknown",
            Value::Unknown,
            Type::Dynamic,
            hex("d4 00 00"),
        ),
        (
            "dynamic attribute",
            Value::object([("d", Value::dynamic(Type::Bool, Value::Bool(true)))]),
            Type::object([("d", Type::Dynamic)]),
            hex("81 a1 64 92 c4 06 22626f6f6c22 c3"),
        ),
    ]
}

#[test]
fn encodes_golden_bytes() {
    for (what, value, ty, bytes) in golden() {
        assert_eq!(encode_msgpack(&value, &ty), Ok(bytes), "{what}");
    }
}

#[test]
fn decodes_golden_bytes() {
    for (what, value, ty, bytes) in golden() {
        assert_eq!(decode_msgpack(&bytes, &ty), Ok(value), "{what}");
    }
}

/// Every size class of every header the writer picks, at both edges: the
/// smallest form that holds the value (msgpack spec, go-msgpack's choice).
/// Expected bytes are written out here from the spec, not by an encoder.
fn size_edges() -> Vec<(String, Value, Type, Vec<u8>)> {
    let text = |len: usize| "x".repeat(len);
    let strs = |len: usize| Value::list(vec![s(""); len]);
    let members = |len: usize| Value::map((0..len).map(|i| (format!("{i:05}"), Value::Null)));
    let member_bytes = |len: usize| -> Vec<u8> {
        (0..len)
            .flat_map(|i| [str_bytes(&format!("{i:05}")), hex("c0")].concat())
            .collect()
    };
    // ["object",{"<name>":"string"}] is 24 bytes and the name.
    let spec = |name_len: usize| Type::object([(text(name_len), Type::String)]);
    let spec_json = |name_len: usize| format!(r#"["object",{{"{}":"string"}}]"#, text(name_len));
    let mut cases: Vec<(String, Value, Type, Vec<u8>)> = vec![];
    for (i, bytes) in [
        (65535_i64, "cd ff ff"),
        (4294967295, "ce ff ff ff ff"),
        (-32768, "d1 80 00"),
        (-2147483648, "d2 80 00 00 00"),
        (-2147483649, "d3 ff ff ff ff 7f ff ff ff"),
    ] {
        cases.push((
            format!("int {i}"),
            n(&i.to_string()),
            Type::Number,
            hex(bytes),
        ));
    }
    for (len, header) in [
        (31, "bf"),
        (255, "d9 ff"),
        (256, "da 01 00"),
        (65535, "da ff ff"),
        (65536, "db 00 01 00 00"),
    ] {
        let bytes = [hex(header), text(len).into_bytes()].concat();
        cases.push((
            format!("string of {len}"),
            s(&text(len)),
            Type::String,
            bytes,
        ));
    }
    for (len, header) in [
        (15, "9f"),
        (16, "dc 00 10"),
        (65535, "dc ff ff"),
        (65536, "dd 00 01 00 00"),
    ] {
        let bytes = [hex(header), vec![0xa0; len]].concat();
        cases.push((
            format!("list of {len}"),
            strs(len),
            Type::list(Type::String),
            bytes,
        ));
    }
    for (len, header) in [
        (15, "8f"),
        (16, "de 00 10"),
        (65535, "de ff ff"),
        (65536, "df 00 01 00 00"),
    ] {
        let bytes = [hex(header), member_bytes(len)].concat();
        cases.push((
            format!("map of {len}"),
            members(len),
            Type::map(Type::String),
            bytes,
        ));
    }
    // The type spec as bin: 255 bytes is bin8, 256 bin16, 65536 bin32.
    for (name_len, header, name_header) in [
        (231, "c4 ff", "d9 e7"),
        (232, "c5 01 00", "d9 e8"),
        (65512, "c6 00 01 00 00", "da ff e8"),
    ] {
        let name = text(name_len);
        let bytes = [
            hex("92"),
            hex(header),
            spec_json(name_len).into_bytes(),
            hex("81"),
            hex(name_header),
            name.clone().into_bytes(),
            hex("c0"),
        ]
        .concat();
        let value = Value::dynamic(spec(name_len), Value::object([(name, Value::Null)]));
        cases.push((
            format!("type spec of {}", name_len + 24),
            value,
            Type::Dynamic,
            bytes,
        ));
    }
    cases
}

#[test]
fn encodes_and_decodes_every_size_class() {
    for (what, value, ty, bytes) in size_edges() {
        assert!(encode_msgpack(&value, &ty) == Ok(bytes.clone()), "{what}");
        assert!(decode_msgpack(&bytes, &ty) == Ok(value), "{what}");
    }
}

/// Forms Terraform (or another encoder) may send that we never write.
#[test]
fn decodes_other_forms() {
    let cases: Vec<(&str, &str, Type, Value)> = vec![
        // refined unknown, ext type 12: ext8 len 3, payload {1: false} ("not null")
        (
            "refined unknown",
            "c7 03 0c 81 01 c2",
            Type::String,
            Value::Unknown,
        ),
        // refined unknown with a string prefix {2: "a"}: fixext4 of type 12
        (
            "refined prefix",
            "d6 0c 81 02 a1 61",
            Type::String,
            Value::Unknown,
        ),
        (
            "zero-length ext 0",
            "c7 00 00",
            Type::Number,
            Value::Unknown,
        ),
        (
            "ext inside list",
            "92 d4 00 00 a1 61",
            Type::list(Type::String),
            Value::list([Value::Unknown, s("a")]),
        ),
        (
            "refined unknown dynamic",
            "c7 03 0c 81 01 c2",
            Type::Dynamic,
            Value::Unknown,
        ),
        (
            "uint64 max",
            "cf ff ff ff ff ff ff ff ff",
            Type::Number,
            n("18446744073709551615"),
        ),
        (
            "wide uint",
            "cf 00 00 00 00 00 00 00 05",
            Type::Number,
            n("5"),
        ),
        (
            "wide int",
            "d3 ff ff ff ff ff ff ff fe",
            Type::Number,
            n("-2"),
        ),
        ("uint8 small", "cc 05", Type::Number, n("5")),
        ("float32", "ca 3f c0 00 00", Type::Number, n("1.5")),
        (
            "float64 integral",
            "cb 40 59 00 00 00 00 00 00",
            Type::Number,
            n("100"),
        ),
        ("decimal text", "a3 31 65 33", Type::Number, n("1000")),
        (
            "decimal text beyond float64",
            "a5 31 65 34 30 30",
            Type::Number,
            n("1e400"),
        ),
        (
            "bin type spec",
            "92 a8 22737472696e6722 a2 6869",
            Type::Dynamic,
            Value::dynamic(Type::String, s("hi")),
        ),
        (
            "map16 header",
            "de 00 01 a1 6b a1 76",
            Type::map(Type::String),
            Value::map([("k", s("v"))]),
        ),
        (
            "array16 header",
            "dc 00 01 c3",
            Type::list(Type::Bool),
            Value::list([Value::Bool(true)]),
        ),
        // cty sets hold no duplicates
        (
            "set duplicates",
            "93 a1 61 a1 61 a1 62",
            Type::set(Type::String),
            Value::set([s("a"), s("b")]),
        ),
        // absent attributes decode as null
        (
            "missing attribute",
            "81 a1 61 a1 78",
            Type::object([("a", Type::String), ("b", Type::Number)]),
            Value::object([("a", s("x")), ("b", Value::Null)]),
        ),
    ];
    for (what, bytes, ty, expected) in cases {
        let decoded = decode_msgpack(&hex(bytes), &ty);
        assert_eq!(decoded, Ok(expected), "{what}");
    }
    let set = decode_msgpack(&hex("93 a1 61 a1 61 a1 62"), &Type::set(Type::String));
    assert_eq!(set.map(|v| v.elements().len()), Ok(2));
}

#[test]
fn refinements_are_dropped_on_the_way_back() {
    let decoded = decode_msgpack(&hex("c7 03 0c 81 01 c2"), &Type::String);
    let reencoded = decoded.and_then(|v| encode_msgpack(&v, &Type::String));
    assert_eq!(reencoded, Ok(hex("d4 00 00")));
}

fn attr(name: &str) -> AttributePath {
    AttributePath::attribute(name)
}

#[test]
fn decode_errors_name_the_path() {
    let list_ty = Type::object([("a", Type::list(Type::Number))]);
    let cases: Vec<(&str, Type, AttributePath, &str)> = vec![
        (
            "01",
            Type::String,
            AttributePath::root(),
            "a string is required, got a msgpack integer",
        ),
        (
            "a1 61",
            Type::Bool,
            AttributePath::root(),
            "a bool is required, got a msgpack string",
        ),
        (
            "81 a1 61 92 01 a1 78",
            list_ty.clone(),
            attr("a").join(PathStep::Index(1)),
            "a number is required, got a string: not a valid number: expected decimal digits",
        ),
        (
            "81 a1 61 a1 78",
            list_ty.clone(),
            attr("a"),
            "a list is required, got a msgpack string",
        ),
        (
            "81 a1 62 c0",
            list_ty.clone(),
            AttributePath::root(),
            r#"unsupported attribute "b""#,
        ),
        (
            "82 a1 61 c0 a1 61 c0",
            list_ty.clone(),
            AttributePath::root(),
            r#"attribute "a" given twice"#,
        ),
        (
            "81 01 c0",
            list_ty,
            AttributePath::root(),
            "a string attribute name is required, got a msgpack integer",
        ),
        (
            "81 a1 6b 01",
            Type::map(Type::String),
            AttributePath::root().join(PathStep::Key("k".into())),
            "a string is required, got a msgpack integer",
        ),
        (
            "81 05 c0",
            Type::map(Type::String),
            AttributePath::root(),
            "a string map key is required, got a msgpack integer",
        ),
        (
            "92 a1 61 01",
            Type::tuple([Type::String]),
            AttributePath::root(),
            "a tuple of 1 elements is required, got 2",
        ),
        (
            "92 a1 61",
            Type::list(Type::String),
            AttributePath::root().join(PathStep::Index(1)),
            "unexpected end of data",
        ),
        (
            "91 a5 61",
            Type::list(Type::String),
            AttributePath::root().join(PathStep::Index(0)),
            "unexpected end of data",
        ),
        (
            "c0 c0",
            Type::String,
            AttributePath::root(),
            "unexpected data after the value",
        ),
        (
            "",
            Type::String,
            AttributePath::root(),
            "unexpected end of data",
        ),
        (
            "a1 ff",
            Type::String,
            AttributePath::root(),
            "text is not valid UTF-8",
        ),
        (
            "c1",
            Type::String,
            AttributePath::root(),
            "a string is required, got the reserved msgpack byte 0xc1",
        ),
        (
            "cb 7f f8 00 00 00 00 00 00",
            Type::Number,
            AttributePath::root(),
            "NaN is not a number Terraform can hold",
        ),
        (
            "dd ff ff ff ff",
            Type::list(Type::Bool),
            AttributePath::root(),
            "unexpected end of data",
        ),
        (
            "d4 00",
            Type::String,
            AttributePath::root(),
            "unexpected end of data",
        ),
        (
            "81 a1 64 a1 78",
            Type::object([("d", Type::Dynamic)]),
            attr("d"),
            "a [type, value] array is required, got a msgpack string",
        ),
        (
            "93 c4 08 22737472696e6722 a1 78 c0",
            Type::Dynamic,
            AttributePath::root(),
            "a dynamic value must be a [type, value] array",
        ),
        (
            "92 c4 06 22 74657874 22 a1 78",
            Type::Dynamic,
            AttributePath::root(),
            r#"dynamic value: type spec: unknown type name "text""#,
        ),
        (
            "92 c4 09 2264796e616d696322 c0",
            Type::Dynamic,
            AttributePath::root(),
            "dynamic value: its type must be concrete",
        ),
        (
            "92 c4 08 22737472696e6722 01",
            Type::Dynamic,
            AttributePath::root(),
            "a string is required, got a msgpack integer",
        ),
    ];
    for (bytes, ty, path, message) in cases {
        let expected = Err(ValueError::new(path, message));
        assert_eq!(decode_msgpack(&hex(bytes), &ty), expected, "{bytes}");
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let mut ty = Type::String;
    for _ in 0..200 {
        ty = Type::list(ty);
    }
    let bytes = vec![0x91; 200];
    let err = decode_msgpack(&bytes, &ty).err().map(|e| e.message);
    assert_eq!(err.as_deref(), Some("value nests too deeply"));
}

#[test]
fn encode_errors_name_the_path() {
    let ty = nested_type();
    let cases: Vec<(Value, Type, AttributePath, &str)> = vec![
        (
            Value::object([("spec", Value::object([("port", s("443"))]))]),
            ty.clone(),
            attr("spec").join(PathStep::Attribute("port".into())),
            "a number is required, got a string",
        ),
        (
            Value::object([("nickname", s("x"))]),
            ty.clone(),
            AttributePath::root(),
            r#"unsupported attribute "nickname""#,
        ),
        (
            Value::object([(
                "spec",
                Value::object([("tags", Value::list([s("a"), n("1")]))]),
            )]),
            ty,
            attr("spec")
                .join(PathStep::Attribute("tags".into()))
                .join(PathStep::Index(1)),
            "a string is required, got a number",
        ),
        (
            s("x"),
            Type::Dynamic,
            AttributePath::root(),
            "a value of dynamic type must carry its type (Value::Dynamic), got a string",
        ),
        (
            Value::dynamic(Type::String, s("x")),
            Type::String,
            AttributePath::root(),
            "a string is required, got a dynamic value",
        ),
        (
            Value::dynamic(Type::Dynamic, Value::Null),
            Type::Dynamic,
            AttributePath::root(),
            "a dynamic value's type must be concrete",
        ),
        (
            Value::list([s("a")]),
            Type::set(Type::String),
            AttributePath::root(),
            "a set is required, got a list",
        ),
        (
            Value::Tuple(vec![s("a")]),
            Type::tuple([Type::String, Type::String]),
            AttributePath::root(),
            "a tuple of 2 elements is required, got 1",
        ),
    ];
    for (value, ty, path, message) in cases {
        assert_eq!(
            encode_msgpack(&value, &ty),
            Err(ValueError::new(path, message)),
            "{value:?}"
        );
    }
}

#[test]
fn round_trips() {
    let ty = Type::object([
        ("id", Type::String),
        ("count", Type::Number),
        ("scopes", Type::set(Type::String)),
        ("labels", Type::map(Type::list(Type::Bool))),
        ("pair", Type::tuple([Type::Number, Type::Dynamic])),
        ("any", Type::Dynamic),
    ]);
    let values = [
        Value::Null,
        Value::Unknown,
        Value::object([
            ("id", s("app-1")),
            ("count", n("-12.75")),
            (
                "scopes",
                Value::set([s("read:confluence-content.all"), s("write"), Value::Unknown]),
            ),
            (
                "labels",
                Value::map([("x", Value::list([Value::Bool(true), Value::Null]))]),
            ),
            (
                "pair",
                Value::Tuple(vec![
                    n("1e-30"),
                    Value::dynamic(Type::set(Type::Number), Value::set([n("3")])),
                ]),
            ),
            ("any", Value::Unknown),
        ]),
        Value::object([
            ("id", Value::Unknown),
            ("count", Value::Number(Number::from(0.1f64))),
            ("scopes", Value::Set(vec![])),
            ("labels", Value::Map(Default::default())),
            ("pair", Value::Tuple(vec![Value::Unknown, Value::Null])),
            ("any", Value::dynamic(ty.clone(), Value::Null)),
        ]),
    ];
    for value in values {
        let bytes = encode_msgpack(&value, &ty);
        let back = bytes
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|b| decode_msgpack(b, &ty));
        assert_eq!(back, Ok(value), "{bytes:02x?}");
    }
}

/// msgpack lengths are 32-bit: one past that is refused at its path, not
/// written with a wrapped length (the check itself; a 4 GiB value is not
/// built here).
#[cfg(target_pointer_width = "64")]
#[test]
fn lengths_past_32_bits_are_refused() {
    let path = attr("big");
    assert_eq!(len32(u32::MAX as usize, &path).ok(), Some(u32::MAX));
    match len32(u32::MAX as usize + 1, &path) {
        Err(e) => {
            assert_eq!(e.path, path);
            assert!(e.message.contains("too long for msgpack"), "{}", e.message);
        }
        Ok(n) => panic!("wrapped to {n}"),
    }
}
