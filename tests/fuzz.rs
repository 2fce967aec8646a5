//! Hostile input for everything that reads bytes or text Terraform (or a
//! user) controls: the msgpack and JSON value decoders, the JSON reader (type
//! specs), and the domain validators (callback URL, scopes).
//!
//! Two parts:
//! - hostile messages of 16 and 40 MB whose peak memory is measured by a
//!   counting allocator (length prefixes are claims, not allocations);
//! - fuzzing on stable Rust: a seeded corpus of valid messages, mutated
//!   (bit flips, interesting bytes, splices, truncations, huge lengths).
//!   Properties: no panic, memory bounded by the input's size, and whatever
//!   decodes encodes back to bytes that decode to the same value.
//!
//! Budget: `FUZZ_CASES` mutated inputs per target (default small, so that
//! `cargo test` stays quick; `.ci/run` sets a larger fixed budget), seed
//! `FUZZ_SEED` (printed on failure, to replay).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use terraform_provider_writer::domain::sharepoint;
use terraform_provider_writer::domain::{
    authorization_url, check_callback_url, check_scopes, AppUrl,
};
use terraform_provider_writer::tfplugin::value::{
    decode_json, decode_msgpack, encode_json, encode_msgpack, Number, Type, Value,
};

// ---------------------------------------------------------------- memory

/// Counts the bytes each thread has allocated and not freed, and the peak.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged; only
// thread-local counters (const-initialised, no destructor) are updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            track(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        track(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            track(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// `f`'s result and the most memory it held at once (beyond what was live before).
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    let out = f();
    let peak = PEAK.with(Cell::get) - before;
    (out, peak.max(0) as usize)
}

const MIB: usize = 1 << 20;

// ------------------------------------------------------ hostile messages

fn array32(len: usize) -> Vec<u8> {
    let mut out = vec![0xdd];
    out.extend_from_slice(&(len as u32).to_be_bytes());
    out
}

/// 64 lists inside each other, each claiming every byte left, then nils.
fn nested_claims(size: usize) -> (Vec<u8>, Type) {
    let mut bytes = Vec::with_capacity(size);
    let mut ty = Type::String;
    for level in 0..64 {
        ty = Type::list(ty);
        let left = size - bytes.len() - 5;
        bytes.extend(array32(left - (63 - level)));
    }
    bytes.resize(size, 0xc0);
    (bytes, ty)
}

/// One list of `size` bytes of one-byte elements.
fn one_byte_elements(size: usize, element: u8, ty: Type) -> (Vec<u8>, Type) {
    let mut bytes = array32(size - 5);
    bytes.resize(size, element);
    (bytes, Type::list(ty))
}

fn sixteen_attributes() -> Type {
    Type::object((0..16).map(|i| (format!("attribute_{i:02}"), Type::String)))
}

/// The limit the decoders promise: a decoded message near 50 MB at most.
const MESSAGE_MEMORY_LIMIT: usize = 64 * MIB;

#[test]
fn hostile_msgpack_messages_are_refused_within_bounded_memory() {
    for size in [16 * MIB, 40 * MIB] {
        let cases = [
            ("nested length claims", nested_claims(size)),
            ("nils", one_byte_elements(size, 0xc0, Type::String)),
            (
                "empty maps as objects",
                one_byte_elements(size, 0x80, sixteen_attributes()),
            ),
            ("set of nils", {
                let (bytes, _) = one_byte_elements(size, 0xc0, Type::String);
                (bytes, Type::set(Type::String))
            }),
        ];
        for (shape, (bytes, ty)) in cases {
            let (result, peak) = peak_during(|| decode_msgpack(&bytes, &ty));
            let err = result.expect_err(shape);
            assert!(
                peak <= MESSAGE_MEMORY_LIMIT,
                "{shape}, {} MB: peak {} MB",
                size / MIB,
                peak / MIB
            );
            assert!(err.message.contains("values"), "{shape}: {err}");
        }
    }
}

#[test]
fn hostile_json_documents_are_refused_within_bounded_memory() {
    for size in [16 * MIB, 40 * MIB] {
        let zeros = format!("[{}0]", "0,".repeat((size - 3) / 2));
        let objects = format!("[{}{{}}]", "{},".repeat((size - 4) / 3));
        let cases = [
            ("zeros", zeros, Type::list(Type::Number)),
            ("empty objects", objects, Type::list(sixteen_attributes())),
        ];
        for (shape, text, ty) in cases {
            let (result, peak) = peak_during(|| decode_json(text.as_bytes(), &ty));
            let err = result.expect_err(shape);
            assert!(
                peak <= MESSAGE_MEMORY_LIMIT,
                "{shape}, {} MB: peak {} MB",
                size / MIB,
                peak / MIB
            );
            assert!(err.message.contains("values"), "{shape}: {err}");
        }
    }
}

/// Up to the limit, large messages still decode (the limit is not a size cap).
#[test]
fn many_values_up_to_the_limit_still_decode() {
    let (bytes, ty) = one_byte_elements(5 + 200_000, 0xc0, Type::String);
    let value = decode_msgpack(&bytes, &ty).expect("200,000 nils decode");
    assert_eq!(value.elements().len(), 200_000);
    let scopes: Vec<Value> = (0..50_000)
        .map(|i| Value::string(format!("read:thing-{i}:confluence")))
        .collect();
    let set_type = Type::set(Type::String);
    let bytes = encode_msgpack(&Value::Set(scopes), &set_type).expect("encodes");
    let value = decode_msgpack(&bytes, &set_type).expect("50,000 scopes decode");
    assert_eq!(value.elements().len(), 50_000);
}

/// A million levels of nesting is an error, not a stack overflow (which
/// would abort the process, not fail a test).
#[test]
fn a_million_levels_of_nesting_are_refused() {
    let deep_json = "[".repeat(1_000_000);
    assert!(decode_json(deep_json.as_bytes(), &Type::Dynamic).is_err());
    assert!(Type::from_json(deep_json.as_bytes()).is_err());
    let spec = r#"["list","#.repeat(1_000_000);
    assert!(Type::from_json(spec.as_bytes()).is_err());
    let deep_msgpack = vec![0x91; 1_000_000];
    let mut ty = Type::String;
    for _ in 0..200 {
        ty = Type::list(ty);
    }
    assert!(decode_msgpack(&deep_msgpack, &ty).is_err());
    // Each dynamic value a one-element list holding the next dynamic value.
    let spec = br#"["list","dynamic"]"#;
    let mut dynamic = Vec::new();
    for _ in 0..100_000 {
        dynamic.extend_from_slice(&[0x92, 0xc4, spec.len() as u8]);
        dynamic.extend_from_slice(spec);
        dynamic.push(0x91);
    }
    assert!(decode_msgpack(&dynamic, &Type::Dynamic).is_err());
}

// ------------------------------------------------------------- fuzzing

fn budget() -> (usize, u64) {
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(default)
    };
    (number("FUZZ_CASES", 1_500) as usize, number("FUZZ_SEED", 7))
}

/// Memory one fuzz input may cost: generous per byte (an empty map can
/// stand for an object of many attributes), but no claim-sized reservation.
fn fuzz_memory_limit(input_len: usize) -> usize {
    MIB + 2048 * input_len
}

/// Runs `check` on `cases` mutations of `corpus`; fails listing the first
/// inputs that panicked or overran memory.
///
/// `share` scales the budget for targets whose cases cost more.
fn fuzz(
    target: &str,
    share: f64,
    corpus: &[Vec<u8>],
    dictionary: &[&[u8]],
    check: impl Fn(&[u8], usize, &mut StdRng) -> bool,
) {
    let (cases, seed) = budget();
    let cases = ((cases as f64 * share) as usize).max(1);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut failures = Vec::new();
    let mut accepted = 0;
    for case in 0..cases {
        let origin = rng.random_range(0..corpus.len());
        let mut input = corpus[origin].clone();
        for _ in 0..rng.random_range(1..=3) {
            mutate(&mut input, corpus, dictionary, &mut rng);
        }
        let mut check_rng = StdRng::seed_from_u64(seed ^ case as u64);
        let (outcome, peak) = peak_during(|| {
            catch_unwind(AssertUnwindSafe(|| check(&input, origin, &mut check_rng)))
        });
        let problem = match outcome {
            Err(_) => Some("panicked".to_owned()),
            Ok(_) if peak > fuzz_memory_limit(input.len()) => Some(format!(
                "held {peak} bytes for {} bytes of input",
                input.len()
            )),
            Ok(ok) => {
                accepted += usize::from(ok);
                None
            }
        };
        if let Some(problem) = problem {
            failures.push(format!("case {case}: {problem}: {}", hex(&input)));
        }
    }
    // Seen with --nocapture: mutations that still decode reach the deep paths.
    eprintln!("{target}: {cases} inputs, {accepted} accepted");
    assert!(
        failures.is_empty(),
        "{target}: {} of {cases} inputs failed (FUZZ_SEED={seed}); first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().take(512).map(|b| format!("{b:02x}")).collect()
}

const INTERESTING: &[u8] = &[
    0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc6, 0xc7,
    0xc9, 0xca, 0xcb, 0xcf, 0xd3, 0xd4, 0xd8, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff, b'"',
    b'\\', b'[', b']', b'{', b'}', b',', b':', b'0', b'-', b'e', b'.',
];

fn mutate(input: &mut Vec<u8>, corpus: &[Vec<u8>], dictionary: &[&[u8]], rng: &mut StdRng) {
    let len = input.len();
    let at = |rng: &mut StdRng| rng.random_range(0..=len);
    match rng.random_range(0..9) {
        0 if len > 0 => {
            let i = rng.random_range(0..len);
            input[i] ^= 1 << rng.random_range(0..8);
        }
        1 if len > 0 => {
            let i = rng.random_range(0..len);
            input[i] = INTERESTING[rng.random_range(0..INTERESTING.len())];
        }
        2 => {
            let i = at(rng);
            let byte = if rng.random_bool(0.5) {
                rng.random()
            } else {
                INTERESTING[rng.random_range(0..INTERESTING.len())]
            };
            input.insert(i, byte);
        }
        3 if len > 0 => {
            let from = rng.random_range(0..len);
            let to = rng.random_range(from..=len.min(from + 16));
            input.drain(from..to);
        }
        4 if len > 0 => {
            let from = rng.random_range(0..len);
            let to = rng.random_range(from..=len.min(from + 64));
            let chunk = input[from..to].to_vec();
            let i = at(rng);
            input.splice(i..i, chunk);
        }
        5 => input.truncate(at(rng)),
        6 if len >= 4 => {
            let i = rng.random_range(0..=len - 4);
            let big: [u8; 4] = if rng.random_bool(0.5) {
                [0xff; 4]
            } else {
                (len as u32).to_be_bytes()
            };
            input[i..i + 4].copy_from_slice(&big);
        }
        7 => {
            let other = &corpus[rng.random_range(0..corpus.len())];
            if !other.is_empty() {
                let from = rng.random_range(0..other.len());
                let to = rng.random_range(from..=other.len());
                let i = at(rng);
                input.splice(i..i, other[from..to].iter().copied());
            }
        }
        _ if !dictionary.is_empty() => {
            let word = dictionary[rng.random_range(0..dictionary.len())];
            let i = at(rng);
            input.splice(i..i, word.iter().copied());
        }
        _ => {}
    }
}

fn s(text: &str) -> Value {
    Value::string(text)
}

fn n(text: &str) -> Value {
    Value::Number(text.parse::<Number>().expect("a number"))
}

/// Types and values like those Terraform sends, covering every kind.
fn samples() -> Vec<(Type, Value)> {
    let app = Type::object([
        ("id", Type::String),
        ("name", Type::String),
        ("client_secret_wo", Type::String),
        ("client_secret_wo_version", Type::Number),
        ("scopes", Type::set(Type::String)),
        ("tags", Type::map(Type::String)),
        ("ports", Type::list(Type::Number)),
        ("enabled", Type::Bool),
        ("pair", Type::tuple([Type::Bool, Type::String])),
        ("extra", Type::Dynamic),
        (
            "blocks",
            Type::list(Type::object([
                ("a", Type::String),
                ("b", Type::set(Type::Number)),
            ])),
        ),
    ]);
    let long = "x".repeat(300);
    let many: Vec<Value> = (0..20)
        .map(|i| s(&format!("read:thing-{i}:confluence")))
        .collect();
    let full = Value::object([
        ("id", s("3f1c2a")),
        ("name", s("Engineering Confluence ✓")),
        ("client_secret_wo", s("fake-secret-fuzz-0001")),
        (
            "client_secret_wo_version",
            n("123456789012345678901234567890.5"),
        ),
        ("scopes", Value::Set(many)),
        ("tags", Value::map([("env", s("dev")), ("long", s(&long))])),
        (
            "ports",
            Value::list([n("443"), n("-1"), n("3.25"), n("1e300"), n("-7e-9")]),
        ),
        ("enabled", Value::Bool(true)),
        ("pair", Value::Tuple(vec![Value::Bool(false), s("p")])),
        (
            "extra",
            Value::dynamic(
                Type::object([("k", Type::list(Type::String))]),
                Value::object([("k", Value::list([s("v")]))]),
            ),
        ),
        (
            "blocks",
            Value::list([Value::object([
                ("a", s("x")),
                (
                    "b",
                    Value::set([n("1"), n("2.5"), n("18446744073709551616")]),
                ),
            ])]),
        ),
    ]);
    let partial = Value::object([
        ("id", Value::Unknown),
        (
            "scopes",
            Value::set([Value::Unknown, s("search:confluence")]),
        ),
        ("extra", Value::dynamic(Type::Number, Value::Unknown)),
        ("ports", Value::Unknown),
    ]);
    let nulls = Value::object([("tags", Value::Null)]);
    vec![
        (app.clone(), full),
        (app.clone(), partial),
        (app, nulls),
        (
            Type::Dynamic,
            Value::dynamic(Type::set(Type::Bool), Value::set([Value::Bool(true)])),
        ),
        (
            Type::list(Type::Number),
            Value::list([n("0"), n("65536"), n("-129")]),
        ),
    ]
}

/// Mostly the type the input was made for (so that mutations reach deep),
/// sometimes another one.
fn type_for<'a>(types: &'a [Type], origin: usize, rng: &mut StdRng) -> &'a Type {
    match types.get(origin) {
        Some(ty) if rng.random_bool(0.8) => ty,
        _ => &types[rng.random_range(0..types.len())],
    }
}

#[test]
fn fuzz_msgpack_decoder() {
    let samples = samples();
    let types: Vec<Type> = samples.iter().map(|(t, _)| t.clone()).collect();
    let mut corpus: Vec<Vec<u8>> = samples
        .iter()
        .map(|(t, v)| encode_msgpack(v, t).expect("samples encode"))
        .collect();
    corpus.push(nested_claims(2048).0);
    fuzz("msgpack", 1.0, &corpus, &[], |input, origin, rng| {
        let ty = type_for(&types, origin, rng);
        let Ok(value) = decode_msgpack(input, ty) else {
            return false;
        };
        let again = encode_msgpack(&value, ty).expect("a decoded value encodes");
        assert_eq!(decode_msgpack(&again, ty).ok(), Some(value), "round trip");
        true
    });
}

const JSON_WORDS: &[&[u8]] = &[
    b"null",
    b"true",
    b"false",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"1e99999",
    b"-0",
    b"[]",
    b"{}",
    b"\"type\"",
    b"\"value\"",
    b"\"dynamic\"",
    b"[\"list\",",
    b"\"object\"",
    b"\xff",
    "é😀".as_bytes(),
];

#[test]
fn fuzz_json_decoder() {
    let samples = samples();
    let types: Vec<Type> = samples.iter().map(|(t, _)| t.clone()).collect();
    let corpus: Vec<Vec<u8>> = samples
        .iter()
        .filter_map(|(t, v)| encode_json(v, t).ok())
        .collect();
    assert!(corpus.len() >= 3, "wholly known samples encode as JSON");
    fuzz("json", 1.0, &corpus, JSON_WORDS, |input, origin, rng| {
        let ty = type_for(&types, origin, rng);
        let Ok(value) = decode_json(input, ty) else {
            return false;
        };
        // Not every decoded value has a JSON form (infinity read from text).
        if let Ok(again) = encode_json(&value, ty) {
            assert_eq!(decode_json(&again, ty).ok(), Some(value), "round trip");
        }
        true
    });
}

#[test]
fn fuzz_json_reader_with_type_specs() {
    let corpus: Vec<Vec<u8>> = samples()
        .iter()
        .map(|(t, _)| t.to_json())
        .chain([br#"["object",{"a":"string"},["a"]]"#.to_vec()])
        .collect();
    fuzz("type specs", 1.0, &corpus, JSON_WORDS, |input, _, _| {
        let Ok(ty) = Type::from_json(input) else {
            return false;
        };
        assert_eq!(Type::from_json(&ty.to_json()).ok(), Some(ty), "round trip");
        true
    });
}

#[test]
fn fuzz_domain_validators() {
    let corpus: Vec<Vec<u8>> = [
        "https://app.writer.com/connector/confluence",
        "http://app.writer.com/connector/confluence/",
        "https://user:pw@APP.writer.com/connector/sharepoint?x=1#f",
        " htp://user:pw@app.writer.com ",
        "app.writer.com/connector/confluence",
        "https://[::1]:8443/connector/confluence",
        "read:space:confluence",
        "search:confluence",
        "READ:page:Confluence",
        "write:confluence-content",
    ]
    .iter()
    .map(|t| t.as_bytes().to_vec())
    .collect();
    let words: &[&[u8]] = &[
        b"://",
        b"@",
        b":",
        b"%",
        b"[",
        b"\x1b",
        b"\0",
        b"\n",
        "é".as_bytes(),
    ];
    // A domain case costs ~20 decoder cases (edit distances to the catalogue).
    fuzz("domain", 0.1, &corpus, words, |input, _, rng| {
        let text = String::from_utf8_lossy(input);
        let app = AppUrl::parse(&text).unwrap_or_default();
        let _ = check_callback_url(&text, &app);
        let _ = check_callback_url(&text, &AppUrl::default());
        let scopes: Vec<&str> = if rng.random_bool(0.5) {
            text.split([' ', ',']).collect()
        } else {
            vec![&text]
        };
        let _ = check_scopes(&scopes);
        authorization_url(&text, &scopes, &text).is_ok()
    });
}

#[test]
fn fuzz_sharepoint_validators() {
    let corpus: Vec<Vec<u8>> = [
        "11111111-2222-4333-8444-555555555555",
        "{11111111-2222-4333-8444-555555555555}",
        "organizations",
        "contoso.onmicrosoft.com",
        "User.Read Sites.Selected",
        "Sites.Read.All,Files.Read.All",
        "sites.read.all",
        "https://graph.microsoft.com/.default",
        "Files.ReadWrite.All",
    ]
    .iter()
    .map(|t| t.as_bytes().to_vec())
    .collect();
    let words: &[&[u8]] = &[b"-", b".", b"{", b"}", b"/", b"\0", b"\x1b", "é".as_bytes()];
    fuzz("sharepoint", 0.05, &corpus, words, |input, _, rng| {
        let text = String::from_utf8_lossy(input);
        let _ = sharepoint::check_tenant_id(&text);
        let _ = sharepoint::check_client_id(&text);
        // The rule that sees a secret never says it.
        if let Some(f) = sharepoint::check_secret(&text) {
            assert!(!f.detail.contains(&*text) && !f.summary.contains(&*text));
        }
        let scopes: Vec<&str> = if rng.random_bool(0.5) {
            text.split([' ', ',']).collect()
        } else {
            vec![&text]
        };
        let _ = sharepoint::check_scopes(&scopes);
        let tenant = rng.random_bool(0.5).then_some(&*text);
        let _ = sharepoint::authorization_url(&text, &scopes, &text, tenant);
        sharepoint::admin_consent_url(tenant, &text).is_ok()
    });
}
