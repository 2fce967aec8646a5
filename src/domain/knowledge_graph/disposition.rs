//! The `Content-Disposition` header that names an uploaded file, for any
//! Unicode file name.
//!
//! Writer takes a file's name from `Content-Disposition: attachment;
//! filename=...` on the raw-body upload. An HTTP header carries ASCII only,
//! so a name such as `Übersicht – 2024.pdf` goes as RFC 6266 says: a quoted
//! ASCII `filename` for recipients that know no better (every other
//! character replaced by `_`, `"` and `\` escaped with `\`), and
//! `filename*=UTF-8''...` (RFC 5987/8187: UTF-8, percent-encoded outside
//! the attribute characters) with the exact name, which wins where it is
//! understood. A plain ASCII name needs no `filename*` and gets none: the
//! header is then exactly what Writer's SDKs send.
//!
//! Control characters (line breaks, tabs, NUL, DEL) are refused: no
//! encoding makes them a file name anyone means, and a line break in a
//! header is how requests are smuggled.

use crate::domain::finding::Finding;
use crate::domain::quote;

/// RFC 5987's `attr-char`: sent as itself in `filename*`; every other byte
/// of the UTF-8 name is percent-encoded.
fn is_attr_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b)
}

/// What can be wrong with a file name for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mistake {
    Empty,
    /// A control character, at this position (1-based) and so named.
    Control {
        at: usize,
        name: String,
    },
}

fn diagnose(name: &str) -> Option<Mistake> {
    if name.is_empty() {
        return Some(Mistake::Empty);
    }
    let (i, _) = name.chars().enumerate().find(|(_, c)| c.is_control())?;
    let (at, what) = quote::first_unsafe_char(&name.chars().skip(i).collect::<String>())
        .unwrap_or((1, "a control character".to_owned()));
    Some(Mistake::Control {
        at: i + at,
        name: what,
    })
}

/// The quoted ASCII fallback: printable ASCII kept (`"` and `\` escaped),
/// anything else `_`.
fn fallback(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => out.push('_'),
        }
    }
    out.push('"');
    out
}

/// `UTF-8''` and the name's bytes, percent-encoded outside `attr-char`.
fn extended(name: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in name.bytes() {
        if is_attr_char(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The header value naming the upload `name`: `attachment;
/// filename="..."`, and `filename*=UTF-8''...` when the quoted form cannot
/// carry the name as it is. Always printable ASCII. An empty name or one
/// with a control character is refused, naming the fix.
pub fn content_disposition(name: &str) -> Result<String, Finding> {
    if let Some(mistake) = diagnose(name) {
        return Err(mistake.finding(name));
    }
    let plain = name
        .chars()
        .all(|c| matches!(c, ' '..='~') && c != '"' && c != '\\');
    let mut value = format!("attachment; filename={}", fallback(name));
    if !plain {
        value.push_str("; filename*=");
        value.push_str(&extended(name));
    }
    Ok(value)
}

impl Mistake {
    fn finding(&self, name: &str) -> Finding {
        match self {
            Mistake::Empty => Finding::error(
                "Empty file name",
                "The file's `name` is empty; Writer shows every file by its name. Leave `name` \
                 out to use the source file's base name, or give one.",
            ),
            Mistake::Control { at, name: what } => Finding::error(
                "File name has a control character",
                format!(
                    "`{}` has {what} at character {at}. A file name cannot carry control \
                     characters (line breaks, tabs, NUL) to Writer. Set `name` to the name \
                     without it, or rename the source file.",
                    quote::text(name)
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[rustfmt::skip]
    fn any_unicode_name_is_carried_exactly() {
        let cases = [
            ("handbook.pdf", "attachment; filename=\"handbook.pdf\""),
            ("two words.txt", "attachment; filename=\"two words.txt\""),
            ("a\"b.txt", "attachment; filename=\"a\\\"b.txt\"; filename*=UTF-8''a%22b.txt"),
            ("a\\b.txt", "attachment; filename=\"a\\\\b.txt\"; filename*=UTF-8''a%5Cb.txt"),
            ("Übersicht – 2024.pdf", "attachment; filename=\"_bersicht _ 2024.pdf\"; filename*=UTF-8''%C3%9Cbersicht%20%E2%80%93%202024.pdf"),
            ("報告.docx", "attachment; filename=\"__.docx\"; filename*=UTF-8''%E5%A0%B1%E5%91%8A.docx"),
            ("😀.png", "attachment; filename=\"_.png\"; filename*=UTF-8''%F0%9F%98%80.png"),
            ("50% off; 'sale'.txt", "attachment; filename=\"50% off; 'sale'.txt\""),
        ];
        for (name, expected) in cases {
            assert_eq!(content_disposition(name).as_deref(), Ok(expected), "{name}");
        }
    }

    /// Decodes `filename*` as a recipient does: the exact name comes back.
    fn decode_extended(value: &str) -> String {
        let encoded = value.split("filename*=UTF-8''").nth(1).unwrap();
        let mut bytes = Vec::new();
        let mut it = encoded.bytes();
        while let Some(b) = it.next() {
            if b == b'%' {
                let hex = [it.next().unwrap(), it.next().unwrap()];
                bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).unwrap(), 16).unwrap());
            } else {
                bytes.push(b);
            }
        }
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn the_header_is_printable_ascii_and_round_trips() {
        for name in [
            "Übersicht – 2024.pdf",
            "a\"b\\c.txt",
            "報告 (final).docx",
            "מסמך.pdf",
        ] {
            let value = content_disposition(name).unwrap();
            assert!(value.bytes().all(|b| (0x20..0x7f).contains(&b)), "{value}");
            assert_eq!(decode_extended(&value), name);
        }
    }

    #[test]
    #[rustfmt::skip]
    fn control_characters_and_empty_names_are_refused() {
        let cases = [
            ("", Some(Mistake::Empty)),
            ("a\nb.txt", Some(Mistake::Control { at: 2, name: "a line break".into() })),
            ("a.txt\r\nX-Evil: 1", Some(Mistake::Control { at: 6, name: "a line break".into() })),
            ("tab\there.txt", Some(Mistake::Control { at: 4, name: "a tab".into() })),
            ("nul\0.txt", Some(Mistake::Control { at: 4, name: "U+0000 (NUL)".into() })),
            ("del\u{7f}.txt", Some(Mistake::Control { at: 4, name: "U+007F (DEL)".into() })),
            ("ok.txt", None),
        ];
        for (name, mistake) in cases {
            assert_eq!(diagnose(name), mistake, "{name:?}");
        }
        let f = content_disposition("a\nb.txt").unwrap_err();
        assert!(f.detail.contains("`a\\nb.txt` has a line break at character 2"), "{}", f.detail);
        assert!(f.detail.contains("Set `name`"), "{}", f.detail);
        assert!(content_disposition("").unwrap_err().detail.contains("Leave `name` out"));
    }
}
