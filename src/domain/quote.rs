//! How a value the user (or Writer) wrote is quoted back in a message.
//!
//! Messages reach a terminal, CI logs and support tickets. A quoted value
//! must not carry a password typed into a URL, must not drive the terminal
//! (ESC sequences, NUL, line breaks, bidi overrides that reorder what is
//! shown), and must not be megabytes long. Every message that quotes a value
//! goes through [`text`] or, for anything that may be a URL, [`url`]. Pure:
//! no I/O.

/// The most characters of a value a message quotes; the rest is counted.
/// Long enough for any real callback URL, scope or app name (names are at
/// most 128 characters, and the first 100 are enough to recognise one).
pub const MAX_QUOTED_CHARS: usize = 100;

/// What replaces the user name and password of a URL.
const HIDDEN_USERINFO: &str = "***";

/// `s` as it may appear in a message: unsafe characters escaped, and cut to
/// [`MAX_QUOTED_CHARS`] with the number of characters left out.
pub fn text(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    for c in chars.by_ref().take(MAX_QUOTED_CHARS) {
        push_escaped(&mut out, c);
    }
    let rest = chars.count();
    if rest > 0 {
        out.push_str(&format!("…({} more characters)", count(rest)));
    }
    out
}

/// A URL (or what the user meant as one, however malformed) as it may
/// appear in a message: like [`text`], and any user name and password before
/// the host replaced by `***`.
pub fn url(s: &str) -> String {
    text(&without_userinfo(s))
}

/// `s` with its userinfo replaced by `***`.
fn without_userinfo(s: &str) -> String {
    let start = s.find("://").map_or(0, |i| i + 3);
    let rest = &s[start..];
    let Some(at) = userinfo_end(rest) else {
        return s.to_owned();
    };
    let before = &rest[..at];
    let leading = &before[..before.len() - before.trim_start().len()];
    format!("{}{leading}{HIDDEN_USERINFO}{}", &s[..start], &rest[at..])
}

/// Where the userinfo ends in what follows a URL's `scheme://` (or in the
/// whole text when there is no `://`): the index of its `@`, if it has one.
///
/// Everything up to the last `@` is userinfo, if it holds a `:`
/// (`user:password@`) or no `/` (`user@host`); `host/path?email=a@b` has
/// none. No parsing, so that malformed input is covered too: no scheme
/// (`user:pw@host/x`), a mistyped one (`htp://`), one slash
/// (`https:/user:pw@host`), a doubled `@`, spaces around, and passwords that
/// hold `/`, `?`, `#` or `@` (which a URL parser would take for the path).
pub(crate) fn userinfo_end(after_scheme: &str) -> Option<usize> {
    let at = after_scheme.rfind('@')?;
    let before = &after_scheme[..at];
    (before.contains(':') || !before.contains('/')).then_some(at)
}

/// Characters that change what a terminal shows rather than being shown:
/// C0 and C1 controls (ESC, NUL, line breaks, tabs), DEL, the bidirectional
/// marks, embeddings, overrides and isolates (which reorder text: "Trojan
/// Source"), line and paragraph separators, and invisible characters that
/// make two different strings look the same (zero width space, BOM, word
/// joiner, soft hyphen, Unicode tags).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// The first unsafe character of `s` and its position (1-based, in
/// characters), for a message that says where it is.
pub fn first_unsafe_char(s: &str) -> Option<(usize, String)> {
    s.chars()
        .enumerate()
        .find(|(_, c)| is_unsafe_char(*c))
        .map(|(i, c)| (i + 1, char_name(c)))
}

/// `U+001B (ESC)`, `U+202E`, `a line break`: how a message names a character.
fn char_name(c: char) -> String {
    let name = match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => return "a line break".to_owned(),
        '\t' => return "a tab".to_owned(),
        '\0' => " (NUL)",
        '\u{1B}' => " (ESC)",
        '\u{7F}' => " (DEL)",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => " (a bidirectional text control)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c if is_unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        c => out.push(c),
    }
}

/// What is around `s`, if it starts or ends with white space: "ends with a
/// space", "starts with a tab", "starts with a space and ends with a line
/// break". Such characters are invisible in a quoted value; the words say
/// they are there.
pub fn surrounding_space(s: &str) -> Option<String> {
    let name = |c: char| match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "a line break".to_owned(),
        c => format!("a {} space", char_name(c)),
    };
    let first = s.chars().next().filter(|c| c.is_whitespace()).map(name);
    let last = s
        .chars()
        .next_back()
        .filter(|c| c.is_whitespace())
        .map(name);
    match (first, last) {
        (Some(_), Some(_)) if s.trim().is_empty() => Some("is only white space".to_owned()),
        (Some(a), Some(b)) => Some(format!("starts with {a} and ends with {b}")),
        (Some(a), None) => Some(format!("starts with {a}")),
        (None, Some(b)) => Some(format!("ends with {b}")),
        (None, None) => None,
    }
}

/// The most characters [`non_ascii`] names.
const MAX_NAMED_CHARS: usize = 5;

/// The characters of `s` outside ASCII, each quoted with its code point
/// and position (1-based, in characters): `` `а` (U+0430) at character 1 ``.
/// For a message about a value that looks like another: a Cyrillic `а` is
/// not a Latin `a`, and quoting both shows the same text twice. `None` when
/// `s` is all ASCII; at most the first five are named.
pub fn non_ascii(s: &str) -> Option<String> {
    let found: Vec<(usize, char)> = s
        .chars()
        .enumerate()
        .filter(|(_, c)| !c.is_ascii())
        .collect();
    found.first()?;
    let mut named: Vec<String> = found
        .iter()
        .take(MAX_NAMED_CHARS)
        .map(|(i, c)| {
            format!(
                "`{}` (U+{:04X}) at character {}",
                text(&c.to_string()),
                u32::from(*c),
                i + 1
            )
        })
        .collect();
    if found.len() > MAX_NAMED_CHARS {
        named.push(format!("{} more", count(found.len() - MAX_NAMED_CHARS)));
    }
    Some(named.join(", "))
}

/// `1,234,567`: counts in messages, grouped so they can be read at a glance.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWORD: &str = "fake-password-0001";

    #[test]
    #[rustfmt::skip]
    fn urls_never_show_userinfo() {
        let p = PASSWORD;
        let cases: Vec<(String, String)> = vec![
            (format!("https://admin:{p}@app.writer.com/connector/confluence"), "https://***@app.writer.com/connector/confluence".into()),
            ("https://admin@app.writer.com/x".into(), "https://***@app.writer.com/x".into()),
            (format!("admin:{p}@app.writer.com/connector/confluence"), "***@app.writer.com/connector/confluence".into()),
            (format!("htp://admin:{p}@app.writer.com/"), "htp://***@app.writer.com/".into()),
            (format!("https://admin:{p}@@app.writer.com"), "https://***@app.writer.com".into()),
            (format!("https://admin:{p}@"), "https://***@".into()),
            (format!("  https://admin:{p}@app.writer.com  "), "  https://***@app.writer.com  ".into()),
            (format!(" admin:{p}@app.writer.com"), " ***@app.writer.com".into()),
            (format!("https:/admin:{p}@app.writer.com"), "***@app.writer.com".into()),
            (format!("//admin:{p}@app.writer.com"), "***@app.writer.com".into()),
            (format!("https://admin:a/b?c#{p}@app.writer.com/x"), "https://***@app.writer.com/x".into()),
            (format!("https://admin:{p}@app.writer.com/a@b"), "https://***@b".into()),
            (format!("ftp://admin:{p}@files.example.com:21"), "ftp://***@files.example.com:21".into()),
            (format!("mailto:admin:{p}@example.com"), "***@example.com".into()),
            // Nothing to hide.
            ("https://app.writer.com/connector/confluence".into(), "https://app.writer.com/connector/confluence".into()),
            ("https://app.writer.com/users?email=a@b.example".into(), "https://app.writer.com/users?email=a@b.example".into()),
            ("app.writer.com/connector/confluence".into(), "app.writer.com/connector/confluence".into()),
            ("".into(), "".into()),
            ("@".into(), "***@".into()),
            ("://".into(), "://".into()),
        ];
        for (input, expected) in cases {
            assert_eq!(url(&input), expected, "{input:?}");
        }
    }

    #[test]
    fn a_password_never_survives_in_any_position() {
        for prefix in [
            "", " ", "\t", "https://", "HTTPS://", "htp://", "https:/", "x", "://",
        ] {
            for user in ["", "admin", "admin:", "a@b"] {
                for suffix in [
                    "@app.writer.com",
                    "@@app.writer.com",
                    "@",
                    "@h/p?q#f",
                    "@h:1",
                ] {
                    let input = format!("{prefix}{user}:{PASSWORD}{suffix}");
                    let shown = url(&input);
                    assert!(!shown.contains(PASSWORD), "{input:?} -> {shown:?}");
                }
            }
        }
    }

    #[test]
    #[rustfmt::skip]
    fn text_escapes_what_would_drive_a_terminal() {
        let cases = [
            ("Engineering", "Engineering"),
            ("Eng\u{1b}[31mred", "Eng\\u{1b}[31mred"),
            ("a\0b", "a\\0b"),
            ("line\nbreak\r\n", "line\\nbreak\\r\\n"),
            ("tab\there", "tab\\there"),
            ("bell\u{7}", "bell\\u{7}"),
            ("del\u{7f}", "del\\u{7f}"),
            ("c1\u{9b}31m", "c1\\u{9b}31m"),
            ("abc\u{202e}fed", "abc\\u{202e}fed"),
            ("\u{2066}isolate\u{2069}", "\\u{2066}isolate\\u{2069}"),
            ("zero\u{200b}width", "zero\\u{200b}width"),
            ("tag\u{e0041}", "tag\\u{e0041}"),
            ("back\\slash", "back\\\\slash"),
            ("Écoute 👩‍💻 データ", "Écoute 👩‍💻 データ"),
        ];
        for (input, expected) in cases {
            assert_eq!(text(input), expected, "{input:?}");
        }
    }

    #[test]
    fn text_is_cut_and_says_how_much_was_left_out() {
        let exact = "x".repeat(MAX_QUOTED_CHARS);
        assert_eq!(text(&exact), exact);
        let long = "é".repeat(MAX_QUOTED_CHARS + 1_234);
        let shown = text(&long);
        assert_eq!(
            shown,
            format!("{}…(1,234 more characters)", "é".repeat(MAX_QUOTED_CHARS))
        );
        let digits = format!("1{}", "0".repeat(20_000));
        assert!(text(&digits).ends_with("…(19,901 more characters)"));
        assert!(text(&digits).len() < 150);
        // Escapes count as one character each: the output stays short.
        let escapes = "\u{1b}".repeat(10_000);
        assert!(text(&escapes).chars().count() < 700, "{}", text(&escapes));
    }

    #[test]
    fn says_what_white_space_surrounds_a_value() {
        assert_eq!(surrounding_space("abc"), None);
        assert_eq!(surrounding_space("a b"), None);
        assert_eq!(
            surrounding_space("  ").as_deref(),
            Some("is only white space")
        );
        assert_eq!(
            surrounding_space("abc ").as_deref(),
            Some("ends with a space")
        );
        assert_eq!(
            surrounding_space("\tabc").as_deref(),
            Some("starts with a tab")
        );
        assert_eq!(
            surrounding_space(" abc\n").as_deref(),
            Some("starts with a space and ends with a line break")
        );
        assert_eq!(
            surrounding_space("abc\u{a0}").as_deref(),
            Some("ends with a U+00A0 space")
        );
    }

    #[test]
    fn names_the_characters_outside_ascii() {
        assert_eq!(non_ascii("app.writer.com"), None);
        assert_eq!(
            non_ascii("\u{430}pp.writer.c\u{43e}m").as_deref(),
            Some("`\u{430}` (U+0430) at character 1, `\u{43e}` (U+043E) at character 13")
        );
        // An invisible one is escaped, as everywhere; a long run is counted.
        assert_eq!(
            non_ascii("a\u{200b}").as_deref(),
            Some("`\\u{200b}` (U+200B) at character 2")
        );
        let many = non_ascii(&"\u{430}".repeat(1_005)).unwrap();
        assert!(many.ends_with(", 1,000 more"), "{many}");
    }

    #[test]
    fn urls_are_escaped_and_cut_too() {
        let long = format!("https://admin:{PASSWORD}@{}\u{1b}", "a".repeat(10_000));
        let shown = url(&long);
        assert!(shown.starts_with("https://***@aaa"), "{shown}");
        assert!(shown.ends_with("…(9,913 more characters)"), "{shown}");
        assert_eq!(
            url("https://app.writer.com/\u{1b}[2J"),
            "https://app.writer.com/\\u{1b}[2J"
        );
    }

    #[test]
    fn names_the_first_unsafe_character() {
        assert_eq!(first_unsafe_char("fine"), None);
        assert_eq!(first_unsafe_char("Écoute 👩‍💻"), None);
        let cases = [
            ("ab\u{1b}[0m", 3, "U+001B (ESC)"),
            ("\0", 1, "U+0000 (NUL)"),
            ("a\nb", 2, "a line break"),
            ("a\u{2028}", 2, "a line break"),
            ("a\tb", 2, "a tab"),
            ("x\u{202e}", 2, "U+202E (a bidirectional text control)"),
            ("x\u{85}", 2, "U+0085"),
            ("x\u{feff}", 2, "U+FEFF"),
        ];
        for (input, at, name) in cases {
            assert_eq!(first_unsafe_char(input), Some((at, name.to_owned())));
        }
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        for (n, shown) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1_000, "1,000"),
            (12_345, "12,345"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(count(n), shown);
        }
    }
}
