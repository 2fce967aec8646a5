//! What the value layer costs on big and hostile inputs: the numbers behind
//! its limits, measured by hand, never asserted (timings depend on the
//! machine), so a program of its own, not a test. `cargo bench` builds it
//! optimised (the bench profile); run it under `/usr/bin/time -v` for peak
//! memory:
//!
//! ```text
//! cargo bench --bench value_costs -- sets 50000
//! cargo bench --bench value_costs -- msgpack 16 nested
//! cargo bench --bench value_costs -- encode 100000
//! ```
//!
//! - `sets N`: equality of two N-element string sets in opposite orders,
//!   deduplication of 2N elements (each twice), and decoding an N-element
//!   set from msgpack.
//! - `msgpack MB SHAPE`: decodes one hostile message of MB megabytes:
//!   `nested` (64 lists inside each other, each claiming every byte left, the
//!   innermost full of nils), `nils` (one list of one-byte nils), or
//!   `objects` (a list of empty maps decoded as objects of 16 attributes).
//! - `json MB`: decodes a JSON array of zeros.
//! - `encode N`: encodes to msgpack, then decodes, a list of N objects
//!   holding every kind of value (ints of each size, floats, decimal text,
//!   strings, bools, null, unknown, a nested list and a dynamic value).

use std::time::Instant;

use terraform_provider_writer::tfplugin::value::{
    decode_json, decode_msgpack, encode_msgpack, Type, Value,
};

fn main() {
    // `cargo bench` adds `--bench` to the arguments it passes on.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    let number = |i: usize| arg(i).parse::<usize>().unwrap_or(0);
    match arg(0) {
        "sets" => sets(number(1)),
        "msgpack" => msgpack(number(1) << 20, arg(2)),
        "json" => json(number(1) << 20),
        "encode" => encode(number(1)),
        _ => eprintln!(
            "usage: value_costs sets N | msgpack MB nested|nils|objects | json MB | encode N"
        ),
    }
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    println!("{what}: {:.3} s", start.elapsed().as_secs_f64());
    out
}

fn sets(n: usize) {
    let scopes: Vec<Value> = (0..n)
        .map(|i| Value::string(format!("read:thing-{i}:confluence")))
        .collect();
    let forward = Value::Set(scopes.clone());
    let backward = Value::Set(scopes.iter().rev().cloned().collect());
    let equal = timed(&format!("equality of two {n}-element sets"), || {
        forward == backward
    });
    assert!(equal);
    let twice: Vec<Value> = scopes.iter().chain(&scopes).cloned().collect();
    let deduped = timed(&format!("dedupe {} elements", 2 * n), || Value::set(twice));
    assert_eq!(deduped.elements().len(), n);
    let ty = Type::set(Type::String);
    let bytes = encode_msgpack(&forward, &ty).expect("encodes");
    let decoded = timed(&format!("decode a {n}-element set from msgpack"), || {
        decode_msgpack(&bytes, &ty)
    });
    assert_eq!(decoded.map(|v| v.elements().len()), Ok(n));
}

fn msgpack(size: usize, shape: &str) {
    let (bytes, ty) = match shape {
        "nested" => nested_claims(size),
        "nils" => {
            let mut bytes = array32(size - 5);
            bytes.resize(size, 0xc0);
            (bytes, Type::list(Type::String))
        }
        "objects" => {
            let mut bytes = array32(size - 5);
            bytes.resize(size, 0x80);
            let attributes = (0..16).map(|i| (format!("a{i:02}"), Type::String));
            (bytes, Type::list(Type::object(attributes)))
        }
        _ => {
            eprintln!("shapes: nested, nils, objects");
            return;
        }
    };
    let result = timed(&format!("decode {} bytes ({shape})", bytes.len()), || {
        decode_msgpack(&bytes, &ty)
    });
    report(result);
}

/// 64 lists inside each other, each claiming every byte left, then nils.
fn nested_claims(size: usize) -> (Vec<u8>, Type) {
    let mut bytes = Vec::with_capacity(size);
    let mut ty = Type::String;
    for _ in 0..64 {
        ty = Type::list(ty);
    }
    for level in 0..64 {
        let left = size - bytes.len() - 5;
        bytes.extend(array32(left - (63 - level)));
    }
    bytes.resize(size, 0xc0);
    (bytes, ty)
}

fn array32(len: usize) -> Vec<u8> {
    let mut out = vec![0xdd];
    out.extend_from_slice(&(len as u32).to_be_bytes());
    out
}

fn json(size: usize) {
    let mut text = String::with_capacity(size);
    text.push('[');
    while text.len() + 2 < size {
        text.push_str("0,");
    }
    text.push_str("0]");
    let result = timed(
        &format!("decode {} bytes of JSON zeros", text.len()),
        || decode_json(text.as_bytes(), &Type::list(Type::Number)),
    );
    report(result);
}

fn report(result: Result<Value, impl std::fmt::Display>) {
    match result {
        Ok(value) => println!("decoded: {} elements", value.elements().len()),
        Err(e) => println!("refused: {e}"),
    }
}

/// A list of `n` objects with every kind of value the writer handles.
fn encode(n: usize) {
    let ty = Type::list(Type::object([
        ("count", Type::Number),
        ("ratio", Type::Number),
        ("name", Type::String),
        ("on", Type::Bool),
        ("gone", Type::String),
        ("later", Type::String),
        ("tags", Type::list(Type::String)),
        ("any", Type::Dynamic),
    ]));
    let number = |text: &str| Value::Number(text.parse().expect("a number"));
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let count = [i as i64, -(i as i64), (i as i64) << 20, (i as i64) << 40][i % 4];
            let ratio = ["0.5", "0.1", "1e400"][i % 3];
            Value::object([
                ("count", number(&count.to_string())),
                ("ratio", number(ratio)),
                (
                    "name",
                    Value::string(format!("connector-{i}-{}", "x".repeat(i % 64))),
                ),
                ("on", Value::Bool(i % 2 == 0)),
                ("gone", Value::Null),
                ("later", Value::Unknown),
                (
                    "tags",
                    Value::list((0..i % 20).map(|t| Value::string(format!("tag-{t}")))),
                ),
                ("any", Value::dynamic(Type::String, Value::string("d"))),
            ])
        })
        .collect();
    let value = Value::list(items);
    let bytes = timed(&format!("encode a list of {n} objects"), || {
        encode_msgpack(&value, &ty)
    })
    .expect("encodes");
    println!("encoded: {} bytes", bytes.len());
    // Past about 13 000 objects the decoder's value budget refuses the message.
    let back = timed(&format!("decode {} bytes", bytes.len()), || {
        decode_msgpack(&bytes, &ty)
    });
    report(back);
}
