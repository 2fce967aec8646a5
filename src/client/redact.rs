//! Removes what the client sent in confidence (the API key, a client secret)
//! from text a server wrote that can echo the request, before that text
//! reaches an error, a diagnostic or a log line: error descriptions, keys and
//! fields, request ids, a redirect's origin. A server or a proxy in front of
//! it may echo the request: the `Authorization` header, or the create body.
//!
//! Never applied to the fields of a successful answer: those are data,
//! stored as the server sent them, and a name, scope, ID or date may share
//! pieces with a secret by chance. There only a whole secret counts
//! ([`Redactor::holds_whole`]): the answer is then refused, naming the field.
//!
//! Covered, for the API key and every client secret sent in the operation:
//! - the value itself, and so also the whole `Bearer <key>` header value;
//! - its JSON-escaped form (an echoed request body: `\"`, `\\`, `\uXXXX`);
//! - its URL-encoded forms (`%XX` with `+` or `%20` for spaces);
//! - any run of at least [`MIN_FRAGMENT`] consecutive characters of any of
//!   those forms: an echo the server (or our own length cap) cut short, or
//!   that starts in the middle of the value.
//!
//! Not covered (documented limits): fragments shorter than [`MIN_FRAGMENT`]
//! characters of a value longer than that, and values the server transformed
//! (base64, hex, another case, hashed).
//!
//! Server text is also made printable: control characters (ESC, NUL,
//! newlines) become U+FFFD, so an answer cannot drive the user's terminal.

use std::collections::HashSet;
use std::fmt;

use super::secret::Secret;

/// What replaces a redacted run of text.
pub(crate) const REDACTED: &str = "[redacted]";

/// The shortest piece of a secret recognised on its own. Eight characters of
/// a random key or secret are far from guessable, and English words in
/// Writer's messages do not collide with them by chance.
pub(crate) const MIN_FRAGMENT: usize = 8;

/// The secrets of one operation, in every form they may come back in.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// Distinct non-empty byte strings.
    forms: Vec<Vec<u8>>,
    /// Per form, every run of `MIN_FRAGMENT` bytes of it (the whole form
    /// when shorter).
    windows: Vec<HashSet<Vec<u8>>>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} forms)", self.forms.len())
    }
}

impl Redactor {
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Redactor {
        let mut forms: Vec<Vec<u8>> = Vec::new();
        for secret in secrets {
            let raw = secret.expose();
            if raw.is_empty() {
                continue;
            }
            let json = serde_json::to_string(raw).unwrap_or_default();
            let json = json
                .strip_prefix('"')
                .and_then(|j| j.strip_suffix('"'))
                .unwrap_or(raw);
            let form: String = url::form_urlencoded::byte_serialize(raw.as_bytes()).collect();
            let percent = form.replace('+', "%20");
            for candidate in [raw, json, &form, &percent] {
                let bytes = candidate.as_bytes().to_vec();
                if !forms.contains(&bytes) {
                    forms.push(bytes);
                }
            }
        }
        let windows = forms
            .iter()
            .map(|form| {
                form.windows(form.len().min(MIN_FRAGMENT))
                    .map(<[u8]>::to_vec)
                    .collect()
            })
            .collect();
        Redactor { forms, windows }
    }

    /// `text` without the secrets, printable.
    pub(crate) fn clean(&self, text: &str) -> String {
        let redacted = self.redact(text);
        redacted
            .chars()
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect()
    }

    /// Whether `text` holds a whole secret, in any of its forms: what a
    /// successful answer is checked for. Forms shorter than [`MIN_FRAGMENT`]
    /// are not looked for (no real key or secret is that short, and they
    /// would be found in ordinary text by chance).
    pub(crate) fn holds_whole(&self, text: &str) -> bool {
        let text = text.as_bytes();
        self.forms.iter().any(|form| {
            form.len() >= MIN_FRAGMENT && text.windows(form.len()).any(|w| w == form.as_slice())
        })
    }

    fn redact(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut marked = self.marks(bytes);
        if !marked.iter().any(|m| *m) {
            return text.to_string();
        }
        // Widen every marked run to whole characters (a form may start or
        // end inside a multi-byte character of the text).
        for i in 0..bytes.len() {
            if marked[i] {
                let mut start = i;
                while !text.is_char_boundary(start) {
                    start -= 1;
                    marked[start] = true;
                }
                let mut end = i + 1;
                while end < bytes.len() && !text.is_char_boundary(end) {
                    marked[end] = true;
                    end += 1;
                }
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut in_run = false;
        for (i, c) in text.char_indices() {
            if marked[i] {
                if !in_run {
                    out.push_str(REDACTED);
                    in_run = true;
                }
            } else {
                in_run = false;
                out.push(c);
            }
        }
        out
    }

    /// One flag per byte of `text`: part of a secret form or of a long
    /// enough fragment of one. A position is looked at closely only when the
    /// next `MIN_FRAGMENT` bytes are a window of some form (one hash lookup),
    /// so clean text costs linear time.
    fn marks(&self, text: &[u8]) -> Vec<bool> {
        let mut marked = vec![false; text.len()];
        for (form, windows) in self.forms.iter().zip(&self.windows) {
            let least = form.len().min(MIN_FRAGMENT);
            for start in 0..text.len().saturating_sub(least - 1) {
                if !windows.contains(&text[start..start + least]) {
                    continue;
                }
                let longest = (0..form.len())
                    .map(|from| common_prefix(&text[start..], &form[from..]))
                    .max()
                    .unwrap_or(0);
                marked[start..start + longest].fill(true);
            }
        }
        marked
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "test-admin-key-not-real-0042";
    const SECRET: &str = "fake-secret-\"quoted\" & spaced/0001";

    fn redactor() -> Redactor {
        Redactor::new([&Secret::new(KEY), &Secret::new(SECRET)])
    }

    #[test]
    fn every_covered_form_is_removed() {
        let json = serde_json::to_string(SECRET).unwrap();
        let form: String = url::form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
        let echoes = [
            format!("Authorization: Bearer {KEY}"),
            format!("bad body {{\"client_secret\":{json}}}"),
            format!("GET /?secret={form}"),
            format!("GET /?secret={}", form.replace('+', "%20")),
            // Cut short by the server, at either end.
            format!("you sent {}…", &KEY[..12]),
            format!("…{} was refused", &KEY[KEY.len() - 10..]),
            // Twice, and glued to other text.
            format!("{KEY}{KEY}x{SECRET}"),
        ];
        for echo in echoes {
            let clean = redactor().clean(&echo);
            assert!(clean.contains(REDACTED), "{clean}");
            for piece in [&KEY[..8], &KEY[KEY.len() - 8..], "quoted", "spaced"] {
                assert!(!clean.contains(piece), "{piece} left in {clean}");
            }
        }
    }

    #[test]
    fn other_text_is_left_alone() {
        let text = "scopes must include read:page:confluence; name is taken";
        assert_eq!(redactor().clean(text), text);
        assert_eq!(
            redactor().clean(&format!("before {KEY} after")),
            "before [redacted] after"
        );
    }

    #[test]
    fn short_fragments_are_a_documented_limit_and_short_values_are_whole_only() {
        // Seven characters of a long value are not recognised on their own.
        assert_eq!(redactor().clean(&KEY[..7]), &KEY[..7]);
        let short = Redactor::new([&Secret::new("abc")]);
        assert_eq!(short.clean("xabcx ab"), "x[redacted]x ab");
    }

    #[test]
    fn control_characters_become_printable() {
        assert_eq!(
            Redactor::default().clean("a\u{1b}[31mred\nb\0"),
            "a\u{FFFD}[31mred\u{FFFD}b\u{FFFD}"
        );
    }

    #[test]
    fn multi_byte_text_around_a_secret_stays_valid() {
        let r = Redactor::new([&Secret::new("ééééééééé-fake-secret")]);
        let clean = r.clean("ü ééééééééé-fake-secret ü");
        assert_eq!(clean, "ü [redacted] ü");
    }

    #[test]
    fn only_a_whole_secret_is_held() {
        let r = redactor();
        assert!(r.holds_whole(&format!("x{KEY}y")));
        assert!(r.holds_whole(&serde_json::to_string(SECRET).unwrap()));
        // Pieces are not: a field of an answer may share them by chance.
        assert!(!r.holds_whole(&KEY[1..]));
        assert!(!r.holds_whole("test-admin-key and not-real-0042"));
        // Too short to be told from chance.
        assert!(!Redactor::new([&Secret::new("abc")]).holds_whole("abc"));
    }

    #[test]
    fn debug_shows_no_form() {
        let text = format!("{:?}", redactor());
        assert!(!text.contains("test-admin") && !text.contains("fake-secret"));
    }
}
