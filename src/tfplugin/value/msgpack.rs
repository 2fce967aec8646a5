//! The msgpack form of values (`DynamicValue.msgpack`), byte-compatible with
//! go-cty's `cty/msgpack`, which is what Terraform speaks.
//!
//! The rules, as cty applies them: null is nil; a wholly unknown value is
//! the extension `d4 00 00` (and any extension read is unknown, including
//! type 12, a "refined" unknown whose refinements we drop); numbers are an
//! int when they fit i64, a float64 when exact, otherwise decimal text;
//! objects are maps with every attribute in name order; a value at a
//! `dynamic` position is `[type spec JSON as bin, value]`, except a null or
//! unknown of no particular type, which is plain nil / unknown.
//!
//! Bytes are written with `rmp::encode`, which picks the smallest form as
//! go-msgpack does (`write_sint` writes non-negative ints unsigned, as cty's
//! encoder does). The reader stays our own: it must bound what length
//! prefixes claim (see [`PREALLOCATED_ELEMENTS`]), charge the decode budget,
//! name the attribute path on every error, and read bin as text and any
//! extension as unknown, which `rmp::decode`'s readers do not do together.

use std::collections::BTreeMap;

use rmp::encode::{self as write, ByteBuf};
use rmp::Marker;

use super::error::ValueError;
use super::limits::{Budget, MAX_DEPTH};
use super::number::{Number, ParseNumberError};
use super::tree::Value;
use super::tree::{typed_elements, typed_members};
use super::types::Type;
use crate::tfplugin::path::{AttributePath, PathStep};

/// At most this many elements are reserved from a length prefix before they
/// are read; longer collections grow as their elements actually arrive. A
/// prefix is only a claim: reserving what nested claims announce (each up to
/// the bytes left, times the size of a value, at every level) cost hundreds
/// of MB for a message of a few MB.
const PREALLOCATED_ELEMENTS: usize = 1024;

/// Decode a value against its schema type. The whole input must be one value.
pub fn decode_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
    let mut decoder = Decoder {
        bytes,
        pos: 0,
        budget: Budget::new(),
    };
    let mut path = AttributePath::root();
    let value = decoder.value(ty, &mut path, 0)?;
    if decoder.pos != bytes.len() {
        return Err(ValueError::new(path, "unexpected data after the value"));
    }
    Ok(value)
}

/// Encode a value for its schema type, checking that it fits the type.
pub fn encode_msgpack(value: &Value, ty: &Type) -> Result<Vec<u8>, ValueError> {
    let mut out = ByteBuf::new();
    encode(&mut out, value, ty, &mut AttributePath::root(), 0)?;
    Ok(out.into_vec())
}

struct Decoder<'a> {
    bytes: &'a [u8],
    pos: usize,
    budget: Budget,
}

/// A decoding failure before the path is known; the caller attaches it.
type Step<T> = Result<T, String>;

fn at(path: &AttributePath) -> impl Fn(String) -> ValueError + '_ {
    move |message| ValueError::new(path.clone(), message)
}

impl Decoder<'_> {
    fn take(&mut self, n: usize) -> Step<&[u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or("unexpected end of data")?;
        let taken = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(taken)
    }

    fn be(&mut self, n: usize) -> Step<u64> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0, |acc, &b| (acc << 8) | u64::from(b)))
    }

    fn peek(&self) -> Step<Marker> {
        match self.bytes.get(self.pos) {
            Some(&b) => Ok(Marker::from_u8(b)),
            None => Err("unexpected end of data".into()),
        }
    }

    fn marker(&mut self) -> Step<Marker> {
        let marker = self.peek()?;
        self.pos += 1;
        Ok(marker)
    }

    /// Length of an array, not more than the bytes left (each element takes one).
    fn array_len(&mut self, wanted: &str) -> Step<usize> {
        let len = match self.marker()? {
            Marker::FixArray(n) => u64::from(n),
            Marker::Array16 => self.be(2)?,
            Marker::Array32 => self.be(4)?,
            other => return Err(mismatch(wanted, other)),
        };
        self.bounded(len)
    }

    fn map_len(&mut self, wanted: &str) -> Step<usize> {
        let len = match self.marker()? {
            Marker::FixMap(n) => u64::from(n),
            Marker::Map16 => self.be(2)?,
            Marker::Map32 => self.be(4)?,
            other => return Err(mismatch(wanted, other)),
        };
        self.bounded(len)
    }

    fn bounded(&self, len: u64) -> Step<usize> {
        usize::try_from(len)
            .ok()
            .filter(|&n| n <= self.bytes.len() - self.pos)
            .ok_or_else(|| "unexpected end of data".into())
    }

    /// Text as str (or bin: cty's reader accepts either).
    fn text(&mut self, wanted: &str) -> Step<&str> {
        let len = match self.marker()? {
            Marker::FixStr(n) => u64::from(n),
            Marker::Str8 | Marker::Bin8 => self.be(1)?,
            Marker::Str16 | Marker::Bin16 => self.be(2)?,
            Marker::Str32 | Marker::Bin32 => self.be(4)?,
            other => return Err(mismatch(wanted, other)),
        };
        let len = usize::try_from(len).map_err(|_| "unexpected end of data")?;
        std::str::from_utf8(self.take(len)?).map_err(|_| "text is not valid UTF-8".into())
    }

    fn skip_extension(&mut self) -> Step<()> {
        let payload = match self.marker()? {
            Marker::FixExt1 => 1,
            Marker::FixExt2 => 2,
            Marker::FixExt4 => 4,
            Marker::FixExt8 => 8,
            Marker::FixExt16 => 16,
            Marker::Ext8 => self.be(1)?,
            Marker::Ext16 => self.be(2)?,
            Marker::Ext32 => self.be(4)?,
            other => return Err(mismatch("an extension", other)),
        };
        let payload = usize::try_from(payload).map_err(|_| "unexpected end of data")?;
        self.take(1 + payload)?; // the extension type byte, then its payload
        Ok(())
    }

    fn value(
        &mut self,
        ty: &Type,
        path: &mut AttributePath,
        depth: usize,
    ) -> Result<Value, ValueError> {
        if depth > MAX_DEPTH {
            return Err(ValueError::new(path.clone(), "value nests too deeply"));
        }
        self.budget.spend(1).map_err(at(path))?;
        let marker = self.peek().map_err(at(path))?;
        if is_extension(marker) {
            self.skip_extension().map_err(at(path))?;
            return Ok(Value::Unknown);
        }
        if *ty == Type::Dynamic {
            return self.dynamic(path, depth);
        }
        if marker == Marker::Null {
            self.pos += 1;
            return Ok(Value::Null);
        }
        match ty {
            Type::Bool => match self.marker().map_err(at(path))? {
                Marker::True => Ok(Value::Bool(true)),
                Marker::False => Ok(Value::Bool(false)),
                other => Err(ValueError::new(path.clone(), mismatch("a bool", other))),
            },
            Type::Number => self
                .number()
                .map(Value::Number)
                .map_err(|fault| match fault {
                    NumberFault::Wire(message) => ValueError::new(path.clone(), message),
                    NumberFault::OutOfRange => ValueError::number_out_of_range(path.clone()),
                }),
            Type::String => {
                let text = self.text("a string").map_err(at(path))?;
                Ok(Value::String(text.to_owned()))
            }
            Type::List(element) => self.list(element, path, depth),
            Type::Set(element) => self.set(element, path, depth),
            Type::Map(element) => self.map(element, path, depth),
            Type::Object(types) => self.object(types, path, depth),
            Type::Tuple(types) => self.tuple(types, path, depth),
            Type::Dynamic => self.dynamic(path, depth),
        }
    }

    fn list(
        &mut self,
        element: &Type,
        path: &mut AttributePath,
        depth: usize,
    ) -> Result<Value, ValueError> {
        let len = self.array_len("a list").map_err(at(path))?;
        let mut items = Vec::with_capacity(len.min(PREALLOCATED_ELEMENTS));
        for i in 0..len {
            path.0.push(PathStep::Index(i as i64));
            items.push(self.value(element, path, depth + 1)?);
            path.0.pop();
        }
        Ok(Value::List(items))
    }

    fn set(
        &mut self,
        element: &Type,
        path: &mut AttributePath,
        depth: usize,
    ) -> Result<Value, ValueError> {
        let len = self.array_len("a set").map_err(at(path))?;
        let mut items = Vec::with_capacity(len.min(PREALLOCATED_ELEMENTS));
        for _ in 0..len {
            // Set elements have no path step of their own in the protocol.
            items.push(self.value(element, path, depth + 1)?);
        }
        Ok(Value::set(items))
    }

    fn map(
        &mut self,
        element: &Type,
        path: &mut AttributePath,
        depth: usize,
    ) -> Result<Value, ValueError> {
        let len = self.map_len("a map").map_err(at(path))?;
        let mut entries = BTreeMap::new();
        for _ in 0..len {
            let key = self.text("a string map key").map_err(at(path))?.to_owned();
            if entries.contains_key(&key) {
                let message = format!("map key {key:?} given twice");
                return Err(ValueError::new(path.clone(), message));
            }
            path.0.push(PathStep::Key(key.clone()));
            let item = self.value(element, path, depth + 1)?;
            path.0.pop();
            entries.insert(key, item);
        }
        Ok(Value::Map(entries))
    }

    /// Unknown attributes are errors; absent ones become null.
    fn object(
        &mut self,
        types: &BTreeMap<String, Type>,
        path: &mut AttributePath,
        depth: usize,
    ) -> Result<Value, ValueError> {
        let len = self.map_len("an object").map_err(at(path))?;
        let mut attributes = BTreeMap::new();
        for _ in 0..len {
            let name = self.text("a string attribute name").map_err(at(path))?;
            let name = name.to_owned();
            let Some(attribute_type) = types.get(&name) else {
                let message = format!("unsupported attribute {name:?}");
                return Err(ValueError::new(path.clone(), message));
            };
            if attributes.contains_key(&name) {
                let message = format!("attribute {name:?} given twice");
                return Err(ValueError::new(path.clone(), message));
            }
            path.0.push(PathStep::Attribute(name.clone()));
            let item = self.value(attribute_type, path, depth + 1)?;
            path.0.pop();
            attributes.insert(name, item);
        }
        self.budget
            .spend(types.len() - attributes.len())
            .map_err(at(path))?;
        for name in types.keys() {
            attributes.entry(name.clone()).or_insert(Value::Null);
        }
        Ok(Value::Object(attributes))
    }

    fn tuple(
        &mut self,
        types: &[Type],
        path: &mut AttributePath,
        depth: usize,
    ) -> Result<Value, ValueError> {
        let len = self.array_len("a tuple").map_err(at(path))?;
        if len != types.len() {
            let message = format!("a tuple of {} elements is required, got {len}", types.len());
            return Err(ValueError::new(path.clone(), message));
        }
        let mut items = Vec::with_capacity(len);
        for (i, item_type) in types.iter().enumerate() {
            path.0.push(PathStep::Index(i as i64));
            items.push(self.value(item_type, path, depth + 1)?);
            path.0.pop();
        }
        Ok(Value::Tuple(items))
    }

    fn dynamic(&mut self, path: &mut AttributePath, depth: usize) -> Result<Value, ValueError> {
        if self.peek().map_err(at(path))? == Marker::Null {
            self.pos += 1;
            return Ok(Value::Null);
        }
        let len = self.array_len("a [type, value] array").map_err(at(path))?;
        if len != 2 {
            return Err(ValueError::new(
                path.clone(),
                "a dynamic value must be a [type, value] array",
            ));
        }
        let spec = self.text("a type spec").map_err(at(path))?;
        let concrete = Type::from_json(spec.as_bytes())
            .map_err(|e| ValueError::new(path.clone(), format!("dynamic value: {}", e.message)))?;
        if concrete == Type::Dynamic {
            return Err(ValueError::new(
                path.clone(),
                "dynamic value: its type must be concrete",
            ));
        }
        let inner = self.value(&concrete, path, depth + 1)?;
        Ok(Value::dynamic(concrete, inner))
    }

    fn number(&mut self) -> Result<Number, NumberFault> {
        let number = match self.marker()? {
            Marker::FixPos(n) => Number::from(i64::from(n)),
            Marker::FixNeg(n) => Number::from(i64::from(n)),
            Marker::U8 => Number::from(self.be(1)?),
            Marker::U16 => Number::from(self.be(2)?),
            Marker::U32 => Number::from(self.be(4)?),
            Marker::U64 => Number::from(self.be(8)?),
            Marker::I8 => Number::from(i64::from(self.be(1)? as u8 as i8)),
            Marker::I16 => Number::from(i64::from(self.be(2)? as u16 as i16)),
            Marker::I32 => Number::from(i64::from(self.be(4)? as u32 as i32)),
            Marker::I64 => Number::from(self.be(8)? as i64),
            Marker::F32 => float(f64::from(f32::from_bits(self.be(4)? as u32)))?,
            Marker::F64 => float(f64::from_bits(self.be(8)?))?,
            Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => {
                self.pos -= 1;
                let text = self.text("a number")?;
                text.parse().map_err(|e: ParseNumberError| {
                    if e.is_out_of_range() {
                        NumberFault::OutOfRange
                    } else {
                        NumberFault::Wire(format!("a number is required, got a string: {e}"))
                    }
                })?
            }
            other => return Err(mismatch("a number", other).into()),
        };
        Ok(number)
    }
}

/// A number that could not be read: broken bytes, or a value out of range.
enum NumberFault {
    Wire(String),
    OutOfRange,
}

impl From<String> for NumberFault {
    fn from(message: String) -> Self {
        NumberFault::Wire(message)
    }
}

fn float(f: f64) -> Step<Number> {
    Number::try_from_f64(f).ok_or_else(|| "NaN is not a number Terraform can hold".into())
}

fn is_extension(marker: Marker) -> bool {
    matches!(
        marker,
        Marker::FixExt1
            | Marker::FixExt2
            | Marker::FixExt4
            | Marker::FixExt8
            | Marker::FixExt16
            | Marker::Ext8
            | Marker::Ext16
            | Marker::Ext32
    )
}

fn mismatch(wanted: &str, got: Marker) -> String {
    let got = match got {
        Marker::Null => "msgpack nil",
        Marker::True | Marker::False => "a msgpack bool",
        Marker::FixPos(_) | Marker::FixNeg(_) => "a msgpack integer",
        Marker::U8 | Marker::U16 | Marker::U32 | Marker::U64 => "a msgpack integer",
        Marker::I8 | Marker::I16 | Marker::I32 | Marker::I64 => "a msgpack integer",
        Marker::F32 | Marker::F64 => "a msgpack float",
        Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => "a msgpack string",
        Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => "msgpack binary data",
        Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => "a msgpack array",
        Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => "a msgpack map",
        Marker::Reserved => "the reserved msgpack byte 0xc1",
        _ => "a msgpack extension",
    };
    format!("{wanted} is required, got {got}")
}

// Writing into a `ByteBuf` cannot fail: its error type is `Infallible`, so
// every `let Ok(_) = write::…` below is irrefutable, checked by the compiler.

fn encode(
    out: &mut ByteBuf,
    value: &Value,
    ty: &Type,
    path: &mut AttributePath,
    depth: usize,
) -> Result<(), ValueError> {
    if depth > MAX_DEPTH {
        return Err(ValueError::new(path.clone(), "value nests too deeply"));
    }
    match (value, ty) {
        (Value::Unknown, _) => write_unknown(out),
        (Value::Null, _) => {
            let Ok(()) = write::write_nil(out);
        }
        (Value::Dynamic(concrete, inner), Type::Dynamic) => {
            if **concrete == Type::Dynamic {
                return Err(ValueError::new(
                    path.clone(),
                    "a dynamic value's type must be concrete",
                ));
            }
            let Ok(_) = write::write_array_len(out, 2);
            let spec = concrete.to_json();
            len32(spec.len(), path)?;
            let Ok(()) = write::write_bin(out, &spec);
            encode(out, inner, concrete, path, depth + 1)?;
        }
        (Value::Bool(b), Type::Bool) => {
            let Ok(()) = write::write_bool(out, *b);
        }
        (Value::Number(n), Type::Number) => write_number(out, n, path)?,
        (Value::String(s), Type::String) => write_str(out, s, path)?,
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

/// A list's, set's or tuple's elements, each at its step (set elements
/// have none).
fn encode_array(
    out: &mut ByteBuf,
    items: Vec<(Option<PathStep>, &Value, &Type)>,
    path: &mut AttributePath,
    depth: usize,
) -> Result<(), ValueError> {
    let Ok(_) = write::write_array_len(out, len32(items.len(), path)?);
    for (step, item, item_type) in items {
        let stepped = step.map(|s| path.0.push(s)).is_some();
        encode(out, item, item_type, path, depth + 1)?;
        if stepped {
            path.0.pop();
        }
    }
    Ok(())
}

/// A map's entries or an object's attributes, keyed by string.
fn encode_members(
    out: &mut ByteBuf,
    members: Vec<(&String, PathStep, &Value, &Type)>,
    path: &mut AttributePath,
    depth: usize,
) -> Result<(), ValueError> {
    let Ok(_) = write::write_map_len(out, len32(members.len(), path)?);
    for (key, step, item, item_type) in members {
        write_str(out, key, path)?;
        path.0.push(step);
        encode(out, item, item_type, path, depth + 1)?;
        path.0.pop();
    }
    Ok(())
}

fn wrong_type(value: &Value, ty: &Type, path: &AttributePath) -> ValueError {
    let message = match (value, ty) {
        (Value::Dynamic(..), _) => format!("{} is required, got a dynamic value", ty.wanted()),
        (_, Type::Dynamic) => format!(
            "a value of dynamic type must carry its type (Value::Dynamic), got {}",
            value.kind()
        ),
        _ => format!("{} is required, got {}", ty.wanted(), value.kind()),
    };
    ValueError::new(path.clone(), message)
}

/// go-cty's compact unknown: fixext1 of extension type 0, its payload one
/// zero byte (`d4 00 00`).
fn write_unknown(out: &mut ByteBuf) {
    let Ok(_) = write::write_ext_meta(out, 1, 0);
    out.as_mut_vec().push(0);
}

/// cty's choice: int if it fits, float64 if exact, else the decimal text.
fn write_number(out: &mut ByteBuf, n: &Number, path: &AttributePath) -> Result<(), ValueError> {
    if let Some(i) = n.as_i64() {
        let Ok(_) = write::write_sint(out, i);
    } else if let Some(f) = n.to_exact_f64() {
        let Ok(()) = write::write_f64(out, f);
    } else {
        write_str(out, &n.to_string(), path)?;
    }
    Ok(())
}

fn write_str(out: &mut ByteBuf, s: &str, path: &AttributePath) -> Result<(), ValueError> {
    len32(s.len(), path)?;
    let Ok(()) = write::write_str(out, s);
    Ok(())
}

/// msgpack lengths are 32-bit and `rmp::encode` casts a longer one with
/// `as u32`: refused here rather than written with a wrapped length.
fn len32(len: usize, path: &AttributePath) -> Result<u32, ValueError> {
    u32::try_from(len).map_err(|_| {
        ValueError::new(
            path.clone(),
            "too long for msgpack (more than 2^32 - 1 bytes or elements)",
        )
    })
}

#[cfg(test)]
#[path = "msgpack_tests.rs"]
mod tests;
