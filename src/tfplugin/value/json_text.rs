//! A small JSON reader and string writer for type specs and JSON state.
//!
//! It exists because numbers must keep every digit Terraform wrote, which
//! `serde_json` without `arbitrary_precision` cannot do (and turning that
//! feature on would change number handling for the whole crate). It only
//! builds a tree: what the tree means is decided against a type elsewhere.

use super::limits::{MAX_DEPTH, MAX_VALUES};

/// A parsed JSON document. Numbers stay as their source text.
///
/// `Debug` shows the shape only: strings, numbers and member names may be
/// secrets (raw state holds them).
#[derive(Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in document order, duplicates kept: the reader of the tree decides.
    Object(Vec<(String, Json)>),
}

impl Json {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a JSON boolean",
            Json::Number(_) => "a JSON number",
            Json::String(_) => "a JSON string",
            Json::Array(_) => "a JSON array",
            Json::Object(_) => "a JSON object",
        }
    }
}

impl std::fmt::Debug for Json {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Json::Null => f.write_str("Null"),
            Json::Bool(b) => write!(f, "Bool({b})"),
            Json::Number(_) => f.write_str("Number(..)"),
            Json::String(_) => f.write_str("String(..)"),
            Json::Array(items) => {
                f.write_str("Array")?;
                f.debug_list().entries(items).finish()
            }
            // Member names may be map keys (user data): the values' shapes only.
            Json::Object(members) => {
                f.write_str("Object")?;
                f.debug_list()
                    .entries(members.iter().map(|(_, v)| v))
                    .finish()
            }
        }
    }
}

/// Why a document is not JSON, and the byte offset where that was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) offset: usize,
    pub(crate) message: &'static str,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid JSON at byte {}: {}", self.offset, self.message)
    }
}

/// Parse one whole JSON document (surrounding whitespace allowed).
pub(crate) fn parse(bytes: &[u8]) -> Result<Json, SyntaxError> {
    let text = std::str::from_utf8(bytes).map_err(|e| SyntaxError {
        offset: e.valid_up_to(),
        message: "not valid UTF-8",
    })?;
    let mut reader = Reader {
        text,
        pos: 0,
        nodes_left: MAX_VALUES,
    };
    let value = reader.value(0)?;
    reader.skip_whitespace();
    if reader.pos != text.len() {
        return Err(reader.error("unexpected data after the JSON value"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// A node costs ~32 bytes however short its text (`0,`): the same limit
    /// as on decoded values bounds the tree.
    nodes_left: usize,
}

impl Reader<'_> {
    fn error(&self, message: &'static str) -> SyntaxError {
        SyntaxError {
            offset: self.pos,
            message,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, message: &'static str) -> Result<(), SyntaxError> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(message))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.nodes_left = self
            .nodes_left
            .checked_sub(1)
            .ok_or_else(|| self.error("too many values in one document"))?;
        self.skip_whitespace();
        match self.peek() {
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(_) => Err(self.error("expected a JSON value")),
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, SyntaxError> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut i = start + 1;
        loop {
            match bytes.get(i) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => break,
                Some(b'\\') => i += 2,
                Some(_) => i += 1,
            }
        }
        let raw = self
            .text
            .get(start..=i)
            .ok_or_else(|| self.error("unterminated string"))?;
        // serde_json knows every escape rule (surrogate pairs, control characters).
        let decoded: String =
            serde_json::from_str(raw).map_err(|_| self.error("invalid string"))?;
        self.pos = i + 1;
        Ok(decoded)
    }

    /// Validates the strict JSON number grammar and keeps the text.
    fn number(&mut self) -> Result<Json, SyntaxError> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - from
        };
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        let int_start = i;
        let int_len = digits(&mut i);
        let invalid = SyntaxError {
            offset: start,
            message: "invalid number",
        };
        if int_len == 0 || (int_len > 1 && bytes[int_start] == b'0') {
            return Err(invalid);
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return Err(invalid);
            }
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                return Err(invalid);
            }
        }
        self.pos = i;
        Ok(Json::Number(self.text[start..i].to_owned()))
    }

    fn array(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key"));
            }
            let key = self.string()?;
            self.expect(b':', "expected ':'")?;
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }
}

/// Append `s` as a JSON string literal.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documents() {
        let cases: &[(&str, Json)] = &[
            ("null", Json::Null),
            (" true ", Json::Bool(true)),
            ("-12.50e+3", Json::Number("-12.50e+3".into())),
            (
                "123456789012345678901234567890.5",
                Json::Number("123456789012345678901234567890.5".into()),
            ),
            (
                r#""a\"b\u00e9\ud83d\ude00""#,
                Json::String("a\"bé😀".into()),
            ),
            (
                r#"[1, {"k": [], "k": null}]"#,
                Json::Array(vec![
                    Json::Number("1".into()),
                    Json::Object(vec![
                        ("k".into(), Json::Array(vec![])),
                        ("k".into(), Json::Null),
                    ]),
                ]),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text.as_bytes()).as_ref(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn rejects_bad_documents() {
        let cases = [
            ("", 0),
            ("nul", 0),
            ("01", 0),
            ("1.", 0),
            ("[-]", 1),
            ("[1,]", 3),
            ("{\"a\" 1}", 5),
            ("{1:2}", 1),
            ("\"abc", 0),
            ("\"\\x\"", 0),
            ("\"a\nb\"", 0),
            ("[] []", 3),
        ];
        for (text, offset) in cases {
            match parse(text.as_bytes()) {
                Err(e) => assert_eq!(e.offset, offset, "{text:?}: {e}"),
                Ok(v) => panic!("{text:?} parsed as {v:?}"),
            }
        }
        assert!(parse(b"\xff").is_err());
        let deep = "[".repeat(MAX_DEPTH + 2);
        assert_eq!(
            parse(deep.as_bytes()).map_err(|e| e.message),
            Err("nested too deeply")
        );
    }

    #[test]
    fn debug_shows_the_shape_and_never_strings_numbers_or_member_names() {
        let doc = br#"{"fake-secret-key-0001": ["fake-secret-0001", 271828, true, null, {}]}"#;
        let tree = parse(doc).expect("JSON");
        let compact = format!("{tree:?}");
        assert_eq!(
            compact,
            "Object[Array[String(..), Number(..), Bool(true), Null, Object[]]]"
        );
        let pretty = format!("{tree:#?}");
        for text in [&compact, &pretty] {
            assert!(!text.contains("fake-secret"), "{text}");
            assert!(!text.contains("271828"), "{text}");
        }
    }

    #[test]
    fn writes_strings_that_parse_back() {
        for s in [
            "",
            "plain",
            "quote\" back\\slash",
            "tab\tnew\nline\u{1}",
            "é😀",
        ] {
            let mut out = String::new();
            write_string(&mut out, s);
            assert_eq!(parse(out.as_bytes()), Ok(Json::String(s.into())), "{out}");
        }
        let mut out = String::new();
        write_string(&mut out, "a\"\u{1}");
        assert_eq!(out, r#""a\"\u0001""#);
    }
}
