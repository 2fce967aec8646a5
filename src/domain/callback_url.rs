//! The one callback URL a Writer connector accepts, and the usual ways people
//! get it wrong. Every connector's callback is `<app_url>/connector/<name>`;
//! a [`CallbackRule`] says which name, and where the product's console takes
//! the same URL (Confluence's is `domain::confluence::CALLBACK`).
//!
//! OAuth servers redirect the user back only to a callback that matches the
//! registered one character for character, and Writer only handles its own
//! connector's path. So the rule is plain equality; the work
//! here is naming the mistake. Each mistake is its own [`Finding`], and every
//! finding repeats the exact expected URL, so any one of them is enough to fix
//! the value. The input is compared as written, never normalised: `HTTPS://`
//! or an explicit `:443` is a different string to Atlassian.

use std::borrow::Cow;
use std::fmt;

use url::Url;

use super::finding::Finding;
use super::quote;

const CONNECTOR_PREFIX: &str = "/connector/";

/// One connector's callback: its path under the Writer web app, and how the
/// product's side is told about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackRule {
    /// `/connector/<name>`.
    pub path: &'static str,
    /// The product, as its users name it (`Confluence`).
    pub product: &'static str,
    /// Who runs the product's OAuth server (`Atlassian`).
    pub vendor: &'static str,
    /// A sentence ending every finding: where the same URL goes in the
    /// product's console, and why it must match exactly.
    pub console_step: &'static str,
}

impl CallbackRule {
    /// The last segment of the path: `confluence`.
    fn connector(&self) -> &'static str {
        self.path.rsplit('/').next().unwrap_or_default()
    }

    /// Checks a callback URL against the one Writer expects for `app`.
    /// Empty means correct; otherwise one error per mistake found.
    pub fn check(&self, input: &str, app: &AppUrl) -> Vec<Finding> {
        let expected = app.callback_url(self);
        diagnose(input, app, self)
            .iter()
            .map(|mistake| mistake.finding(input, app, self, &expected))
            .collect()
    }
}

/// The origin of the Writer web app (`https://app.writer.com` unless Writer
/// runs elsewhere), under which every connector's callback lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppUrl {
    /// Always lower case (the `url` crate normalises both).
    scheme: String,
    host: String,
    /// `None` when absent or the scheme's default, as in the serialised origin.
    port: Option<u16>,
    /// `scheme://host[:port]`, no trailing slash.
    origin: String,
}

impl AppUrl {
    /// Accepts an absolute `http` or `https` origin: no user name, path,
    /// query or fragment (a lone `/` path is fine).
    pub fn parse(s: &str) -> Result<AppUrl, Finding> {
        let shown = quote::url(s);
        let invalid = |what: String| {
            Finding::error(
                "Invalid Writer app URL",
                format!(
                    "{what} The Writer app URL is the origin of Writer's web app, such as \
                     `https://app.writer.com` (the default): `http` or `https`, a host and \
                     optionally a port, with no path, query or fragment."
                ),
            )
        };
        if s.trim() != s {
            return Err(invalid(format!(
                "`{shown}` has spaces or line breaks around it."
            )));
        }
        let url = Url::parse(s)
            .map_err(|e| invalid(format!("`{shown}` is not an absolute URL ({e}).")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(format!(
                "`{shown}` uses `{}:`, not `http` or `https`.",
                quote::text(url.scheme())
            )));
        }
        let Some(host) = url.host_str() else {
            return Err(invalid(format!("`{shown}` has no host.")));
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(
                "The value contains a user name or password before the host.".to_owned(),
            ));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(format!(
                "`{shown}` has a path, query or fragment; give only the origin."
            )));
        }
        Ok(AppUrl {
            scheme: url.scheme().to_owned(),
            host: host.to_owned(),
            port: url.port(),
            origin: url.origin().ascii_serialization(),
        })
    }

    /// `<origin>/connector/<name>`: the only callback Writer handles for
    /// that connector.
    pub fn callback_url(&self, rule: &CallbackRule) -> String {
        format!("{}{}", self.origin, rule.path)
    }

    /// The origin, as `scheme://host[:port]`.
    pub fn as_str(&self) -> &str {
        &self.origin
    }
}

impl Default for AppUrl {
    /// Writer's hosted web app, `https://app.writer.com`.
    fn default() -> AppUrl {
        AppUrl {
            scheme: "https".to_owned(),
            host: "app.writer.com".to_owned(),
            port: None,
            origin: "https://app.writer.com".to_owned(),
        }
    }
}

impl fmt::Display for AppUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)
    }
}

/// Which part of the URL a case mistake is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Scheme,
    Host,
    Path,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Scheme => "scheme",
            Part::Host => "host",
            Part::Path => "path",
        }
    }
}

/// One named way a callback URL can be wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mistake {
    Empty,
    SurroundingWhitespace,
    NotAUrl,
    MissingScheme,
    Scheme {
        found: String,
    },
    Userinfo,
    Host {
        found: String,
    },
    /// `None`: the expected URL has a port and this one has none.
    Port {
        found: Option<String>,
    },
    UpperCase {
        part: Part,
        found: String,
    },
    OtherConnector {
        connector: String,
    },
    Path {
        found: String,
    },
    TrailingSlash,
    Query,
    Fragment,
    /// Differs in a way none of the named mistakes describe (e.g. percent-encoding);
    /// guarantees that only the exact expected URL passes.
    Mismatch,
}

/// Every mistake in `input`, in URL order. Empty if and only if `input` is
/// exactly the expected callback URL.
fn diagnose(input: &str, app: &AppUrl, rule: &CallbackRule) -> Vec<Mistake> {
    if input == app.callback_url(rule) {
        return Vec::new();
    }
    let mut mistakes = Vec::new();
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return vec![Mistake::Empty];
    }
    if trimmed != input {
        mistakes.push(Mistake::SurroundingWhitespace);
    }
    let Some(rest) = diagnose_scheme(trimmed, app, &mut mistakes) else {
        return mistakes;
    };
    let parts = split_after_scheme(rest);
    if parts.host.is_empty() {
        mistakes.push(Mistake::NotAUrl);
        return mistakes;
    }
    diagnose_authority(&parts, app, &mut mistakes);
    diagnose_path(parts.path, rule, &mut mistakes);
    if parts.has_query {
        mistakes.push(Mistake::Query);
    }
    if parts.has_fragment {
        mistakes.push(Mistake::Fragment);
    }
    if mistakes.is_empty() {
        mistakes.push(Mistake::Mismatch);
    }
    mistakes
}

/// The scheme's mistakes; what follows `scheme://`, or `None` when the
/// input is no URL at all.
fn diagnose_scheme<'a>(
    trimmed: &'a str,
    app: &AppUrl,
    mistakes: &mut Vec<Mistake>,
) -> Option<&'a str> {
    let (scheme, rest) = match trimmed.split_once("://") {
        Some((scheme, rest)) if is_scheme(scheme) => (scheme, rest),
        _ if looks_like_host_and_path(trimmed, app) => {
            mistakes.push(Mistake::MissingScheme);
            (app.scheme.as_str(), trimmed)
        }
        _ => {
            mistakes.push(Mistake::NotAUrl);
            return None;
        }
    };
    if !scheme.eq_ignore_ascii_case(&app.scheme) {
        mistakes.push(Mistake::Scheme {
            found: scheme.to_owned(),
        });
    } else if scheme != app.scheme {
        mistakes.push(Mistake::UpperCase {
            part: Part::Scheme,
            found: scheme.to_owned(),
        });
    }
    Some(rest)
}

/// User info, host and port.
fn diagnose_authority(parts: &Parts<'_>, app: &AppUrl, mistakes: &mut Vec<Mistake>) {
    if parts.has_userinfo {
        mistakes.push(Mistake::Userinfo);
    }
    if !parts.host.eq_ignore_ascii_case(&app.host) {
        mistakes.push(Mistake::Host {
            found: parts.host.to_owned(),
        });
    } else if parts.host != app.host {
        mistakes.push(Mistake::UpperCase {
            part: Part::Host,
            found: parts.host.to_owned(),
        });
    }
    let expected_port = app.port.map(|p| p.to_string());
    if parts.port != expected_port.as_deref() {
        mistakes.push(Mistake::Port {
            found: parts.port.map(str::to_owned),
        });
    }
}

/// Case and trailing slashes are only worth naming when the path is
/// otherwise right; a wrong path is reported once, as wrong.
fn diagnose_path(path: &str, rule: &CallbackRule, mistakes: &mut Vec<Mistake>) {
    if path == rule.path {
        return;
    }
    let core = path.trim_end_matches('/');
    let trailing = core.len() < path.len() && !core.is_empty();
    if core.eq_ignore_ascii_case(rule.path) {
        if core != rule.path {
            mistakes.push(Mistake::UpperCase {
                part: Part::Path,
                found: core.to_owned(),
            });
        }
        if trailing {
            mistakes.push(Mistake::TrailingSlash);
        }
        return;
    }
    let other_connector = core
        .get(..CONNECTOR_PREFIX.len())
        .filter(|prefix| prefix.eq_ignore_ascii_case(CONNECTOR_PREFIX))
        .map(|_| &core[CONNECTOR_PREFIX.len()..])
        .filter(|name| is_other_connector(name, rule.connector()));
    mistakes.push(match other_connector {
        Some(connector) => Mistake::OtherConnector {
            connector: connector.to_owned(),
        },
        None => Mistake::Path {
            found: path.to_owned(),
        },
    });
}

/// A name like `sharepoint` or `google_drive`, and not a typo of `ours`
/// (`confluence`; a typo is better reported as a wrong path than as another
/// connector).
fn is_other_connector(name: &str, ours: &str) -> bool {
    // Connector names are short; the length check also keeps the edit
    // distance (quadratic) cheap on a pasted megabyte.
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        && strsim::damerau_levenshtein(&name.to_ascii_lowercase(), ours) > 2
}

/// The pieces of `host[:port]/path?query#fragment`, as written.
struct Parts<'a> {
    has_userinfo: bool,
    host: &'a str,
    port: Option<&'a str>,
    path: &'a str,
    has_query: bool,
    has_fragment: bool,
}

fn split_after_scheme(rest: &str) -> Parts<'_> {
    // Userinfo first, found as messages hide it: a password may hold `/`,
    // `?` or `#`, and no piece of it may be taken for the host or path.
    let (userinfo, rest) = match quote::userinfo_end(rest) {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    };
    let (rest, fragment) = split_off(rest, '#');
    let (rest, query) = split_off(rest, '?');
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host_port = authority;
    // An IPv6 literal has colons of its own; its port follows the `]`.
    let port_colon = match host_port.rfind(']') {
        Some(end) => host_port[end..].find(':').map(|i| end + i),
        None => host_port.find(':'),
    };
    let (host, port) = match port_colon {
        Some(i) => (&host_port[..i], Some(&host_port[i + 1..])),
        None => (host_port, None),
    };
    Parts {
        has_userinfo: userinfo.is_some(),
        host,
        port,
        path,
        has_query: query.is_some(),
        has_fragment: fragment.is_some(),
    }
}

fn split_off(s: &str, delimiter: char) -> (&str, Option<&str>) {
    match s.split_once(delimiter) {
        Some((before, after)) => (before, Some(after)),
        None => (s, None),
    }
}

/// RFC 3986: a letter, then letters, digits, `+`, `-` or `.`.
fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `app.writer.com/connector/confluence`: a URL with its scheme left off,
/// as opposed to text that is no URL at all.
fn looks_like_host_and_path(s: &str, app: &AppUrl) -> bool {
    let authority = s.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.split(':').next().unwrap_or_default();
    let hostish = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    hostish
        && (host.contains('.') || host.eq_ignore_ascii_case(&app.host))
        && Url::parse(&format!("{}://{s}", app.scheme)).is_ok()
}

impl Mistake {
    fn finding(&self, input: &str, app: &AppUrl, rule: &CallbackRule, expected: &str) -> Finding {
        let (path, product, connector) = (rule.path, rule.product, rule.connector());
        let shown = quote::url(input.trim());
        let (summary, what): (Cow<'static, str>, String) = match self {
            Mistake::Empty => (
                "Callback URL is empty".into(),
                "No callback URL was given.".to_owned(),
            ),
            Mistake::SurroundingWhitespace => (
                "Callback URL has spaces around it".into(),
                "The value starts or ends with spaces, tabs or line breaks, often picked up \
                 when copying it."
                    .to_owned(),
            ),
            Mistake::NotAUrl => (
                "Callback URL is not a URL".into(),
                format!("`{shown}` is not an absolute http(s) URL."),
            ),
            Mistake::MissingScheme => (
                "Callback URL has no scheme".into(),
                format!("`{shown}` lacks the leading `{}://`.", app.scheme),
            ),
            Mistake::Scheme { found } if found.eq_ignore_ascii_case("http") => (
                format!("Callback URL uses http instead of {}", app.scheme).into(),
                format!(
                    "The URL starts with `{}://`, not `{}://`.",
                    quote::text(found),
                    app.scheme
                ),
            ),
            Mistake::Scheme { found } => (
                "Callback URL has the wrong scheme".into(),
                format!(
                    "The URL starts with `{}://`, not `{}://`.",
                    quote::text(found),
                    app.scheme
                ),
            ),
            Mistake::Userinfo => (
                "Callback URL contains a user name or password".into(),
                "The URL has a user name or password before the host (the part up to `@`); \
                 remove it."
                    .to_owned(),
            ),
            Mistake::Host { found } => (
                "Callback URL points to the wrong host".into(),
                format!(
                    "The host is `{}`, but the Writer web app is at `{}`.{}{}",
                    quote::text(found),
                    app.host,
                    host_hint(found),
                    look_alike_host(found)
                ),
            ),
            Mistake::Port { found: Some(port) } if app.port.is_none() => (
                "Callback URL has a port".into(),
                format!(
                    "The URL names the port `:{}`; leave it out. Even the default port makes \
                     it a different string from the registered callback.",
                    quote::text(port)
                ),
            ),
            Mistake::Port { found: Some(port) } => (
                "Callback URL has the wrong port".into(),
                format!(
                    "The URL names the port `:{}`, not `:{}`.",
                    quote::text(port),
                    app.port_text()
                ),
            ),
            Mistake::Port { found: None } => (
                "Callback URL is missing the port".into(),
                format!(
                    "The Writer web app is served on port `:{}`.",
                    app.port_text()
                ),
            ),
            Mistake::UpperCase { part, found } => (
                format!("Callback URL has upper case in the {}", part.name()).into(),
                format!(
                    "The {} is written `{}`; it must be all lower case, because the \
                     callback is compared character for character.",
                    part.name(),
                    quote::text(found)
                ),
            ),
            Mistake::OtherConnector { connector } => (
                "Callback URL is another connector's".into(),
                format!(
                    "`{CONNECTOR_PREFIX}{}` is the callback of another Writer connector; \
                     the {product} connector's path is `{path}`.",
                    quote::text(connector)
                ),
            ),
            Mistake::Path { found } if found.is_empty() || found == "/" => (
                "Callback URL has no path".into(),
                format!("The URL stops at the host; it must end with `{path}`."),
            ),
            Mistake::Path { found } => (
                "Callback URL has the wrong path".into(),
                format!(
                    "The path is `{}`; it must be `{path}`.{}",
                    quote::text(found),
                    look_alike(found)
                ),
            ),
            Mistake::TrailingSlash => (
                "Callback URL ends with a slash".into(),
                format!("The path must end with `{connector}`, not `{connector}/`."),
            ),
            Mistake::Query => (
                "Callback URL has a query string".into(),
                format!(
                    "The URL has a `?…` part; Writer's callback takes none ({} adds its own \
                     `code` and `state`).",
                    rule.vendor
                ),
            ),
            Mistake::Fragment => (
                "Callback URL has a fragment".into(),
                "The URL has a `#…` part; remove it.".to_owned(),
            ),
            Mistake::Mismatch => (
                "Callback URL does not match".into(),
                format!(
                    "`{shown}` is not the expected callback URL.{}",
                    look_alike(input)
                ),
            ),
        };
        Finding::error(
            summary,
            format!(
                "{what} The callback URL must be exactly `{expected}`. {}",
                rule.console_step
            ),
        )
    }
}

impl AppUrl {
    fn port_text(&self) -> String {
        self.port.map(|p| p.to_string()).unwrap_or_default()
    }
}

/// What tells a value with non-ASCII characters from the ASCII one it may
/// look like (a Cyrillic `а` for a Latin `a`): each such character's code
/// point. Empty for ASCII.
fn look_alike(found: &str) -> String {
    quote::non_ascii(found)
        .map(|chars| {
            format!(
                " It has characters that are not the Latin letters, digits or signs they may look \
                 like: {chars}."
            )
        })
        .unwrap_or_default()
}

/// [`look_alike`] for a host, with the host in ASCII (`xn--…`), the form a
/// browser sends and that differs visibly from the expected host.
fn look_alike_host(found: &str) -> String {
    let mut note = look_alike(found);
    if note.is_empty() {
        return note;
    }
    if let Ok(url::Host::Domain(ascii)) = url::Host::parse(found) {
        note.push_str(&format!(
            " Written in ASCII, as a browser sends it, the host is `{}`.",
            quote::text(&ascii)
        ));
    }
    note
}

/// Writer's other well-known hosts, mistaken for the web app.
fn host_hint(found: &str) -> &'static str {
    match found.to_ascii_lowercase().as_str() {
        "writer.com" | "www.writer.com" => " `writer.com` is Writer's public website.",
        "api.writer.com" => " `api.writer.com` is Writer's API, which does not serve callbacks.",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::Mistake::*;
    use super::*;
    use crate::domain::confluence::CALLBACK;
    use crate::domain::Severity;

    fn check_callback_url(input: &str, app: &AppUrl) -> Vec<Finding> {
        CALLBACK.check(input, app)
    }

    fn diagnose(input: &str, app: &AppUrl) -> Vec<Mistake> {
        super::diagnose(input, app, &CALLBACK)
    }

    const EXPECTED: &str = "https://app.writer.com/connector/confluence";

    fn host(found: &str) -> Mistake {
        Host {
            found: found.to_owned(),
        }
    }
    fn scheme(found: &str) -> Mistake {
        Scheme {
            found: found.to_owned(),
        }
    }
    fn upper(part: Part, found: &str) -> Mistake {
        UpperCase {
            part,
            found: found.to_owned(),
        }
    }
    fn connector(name: &str) -> Mistake {
        OtherConnector {
            connector: name.to_owned(),
        }
    }
    fn path(found: &str) -> Mistake {
        Path {
            found: found.to_owned(),
        }
    }
    fn port(found: Option<&str>) -> Mistake {
        Port {
            found: found.map(str::to_owned),
        }
    }

    /// Wrong callback URLs against the default app URL, with every mistake expected.
    #[rustfmt::skip]
    fn wrong_for_default_app() -> Vec<(&'static str, Vec<Mistake>)> {
        vec![
            ("http://app.writer.com/connector/confluence", vec![scheme("http")]),
            ("ftp://app.writer.com/connector/confluence", vec![scheme("ftp")]),
            ("HTTPS://app.writer.com/connector/confluence", vec![upper(Part::Scheme, "HTTPS")]),
            ("https://app.writer.com/connector/confluence/", vec![TrailingSlash]),
            ("https://app.writer.com/connector/confluence//", vec![TrailingSlash]),
            ("https://writer.com/connector/confluence", vec![host("writer.com")]),
            ("https://www.writer.com/connector/confluence", vec![host("www.writer.com")]),
            ("https://api.writer.com/connector/confluence", vec![host("api.writer.com")]),
            ("https://app.writer.co/connector/confluence", vec![host("app.writer.co")]),
            ("https://app.writer.com/connector/sharepoint", vec![connector("sharepoint")]),
            ("https://app.writer.com/connector/google_drive", vec![connector("google_drive")]),
            ("https://app.writer.com/connector/notion", vec![connector("notion")]),
            ("https://app.writer.com/connector/SharePoint", vec![connector("SharePoint")]),
            ("https://app.writer.com/connector/", vec![path("/connector/")]),
            ("https://app.writer.com/connector/confluense", vec![path("/connector/confluense")]),
            ("https://app.writer.com/connector/confluenc%65", vec![path("/connector/confluenc%65")]),
            ("https://app.writer.com/connector/confluence/x", vec![path("/connector/confluence/x")]),
            ("https://app.writer.com/oauth/callback", vec![path("/oauth/callback")]),
            ("https://app.writer.com//connector/confluence", vec![path("//connector/confluence")]),
            ("https://app.writer.com", vec![path("")]),
            ("https://app.writer.com/", vec![path("/")]),
            ("https://app.writer.com/connector/confluence?source=atlassian", vec![Query]),
            ("https://app.writer.com/connector/confluence#top", vec![Fragment]),
            ("https://app.writer.com/connector/confluence/?a=1#b", vec![TrailingSlash, Query, Fragment]),
            ("https://APP.Writer.com/connector/confluence", vec![upper(Part::Host, "APP.Writer.com")]),
            ("https://app.writer.com/Connector/Confluence", vec![upper(Part::Path, "/Connector/Confluence")]),
            (" https://app.writer.com/connector/confluence", vec![SurroundingWhitespace]),
            ("https://app.writer.com/connector/confluence\n", vec![SurroundingWhitespace]),
            ("", vec![Empty]),
            ("  \t", vec![Empty]),
            ("app.writer.com/connector/confluence", vec![MissingScheme]),
            ("app.writer.com/connector/confluence/", vec![MissingScheme, TrailingSlash]),
            ("not a url", vec![NotAUrl]),
            ("https:/app.writer.com/connector/confluence", vec![NotAUrl]),
            ("://app.writer.com/connector/confluence", vec![NotAUrl]),
            ("https://", vec![NotAUrl]),
            ("mailto:admin@example.com", vec![NotAUrl]),
            ("https://app.writer.com:443/connector/confluence", vec![port(Some("443"))]),
            ("https://app.writer.com:8443/connector/confluence", vec![port(Some("8443"))]),
            ("https://someone@app.writer.com/connector/confluence", vec![Userinfo]),
            ("https://[::1]:8080/connector/confluence", vec![host("[::1]"), port(Some("8080"))]),
            ("http://writer.com/connector/sharepoint/", vec![scheme("http"), host("writer.com"), connector("sharepoint")]),
            ("HTTP://APP.WRITER.COM/CONNECTOR/CONFLUENCE/ ", vec![
                SurroundingWhitespace,
                scheme("HTTP"),
                upper(Part::Host, "APP.WRITER.COM"),
                upper(Part::Path, "/CONNECTOR/CONFLUENCE"),
                TrailingSlash,
            ]),
        ]
    }

    #[test]
    fn names_every_mistake_against_the_default_app_url() {
        let app = AppUrl::default();
        for (input, expected) in wrong_for_default_app() {
            assert_eq!(diagnose(input, &app), expected, "input {input:?}");
        }
    }

    #[test]
    fn a_look_alike_host_or_path_is_told_apart_by_its_code_points() {
        let app = AppUrl::default();
        // `а` is U+0430 (Cyrillic), `о` U+043E: the text looks the same.
        let host = check_callback_url("https://\u{430}pp.writer.com/connector/confluence", &app);
        assert_eq!(host.len(), 1, "{host:?}");
        assert_eq!(host[0].summary, "Callback URL points to the wrong host");
        for says in [
            "`\u{430}` (U+0430) at character 1",
            "not the Latin letters",
            "the host is `xn--pp-6kc.writer.com`",
        ] {
            assert!(host[0].detail.contains(says), "{says}: {}", host[0].detail);
        }
        let path = check_callback_url("https://app.writer.com/connector/c\u{43e}nfluence", &app);
        assert_eq!(path.len(), 1, "{path:?}");
        assert!(
            path[0].detail.contains("(U+043E) at character 13"),
            "{}",
            path[0].detail
        );
        // An ASCII mistake gets no such note.
        let ascii = check_callback_url("https://app.writer.co/connector/confluence", &app);
        assert!(!ascii[0].detail.contains("U+"), "{}", ascii[0].detail);
    }

    #[test]
    fn accepts_exactly_the_expected_url() {
        let app = AppUrl::default();
        assert_eq!(app.callback_url(&CALLBACK), EXPECTED);
        assert_eq!(check_callback_url(EXPECTED, &app), Vec::<Finding>::new());
    }

    /// Another connector needs only its own rule: every mistake is named
    /// against its path, product and vendor.
    #[test]
    fn another_connectors_rule_names_the_same_mistakes() {
        const SHAREPOINT: CallbackRule = CallbackRule {
            path: "/connector/sharepoint",
            product: "SharePoint",
            vendor: "Microsoft",
            console_step: "Register it in the Azure portal.",
        };
        let app = AppUrl::default();
        let expected = "https://app.writer.com/connector/sharepoint";
        assert_eq!(app.callback_url(&SHAREPOINT), expected);
        assert!(SHAREPOINT.check(expected, &app).is_empty());
        let cases = [
            (
                "https://app.writer.com/connector/confluence",
                connector("confluence"),
                "the SharePoint connector's path is `/connector/sharepoint`",
            ),
            (
                "https://app.writer.com/connector/sharepoint/",
                TrailingSlash,
                "must end with `sharepoint`, not `sharepoint/`",
            ),
            (
                "https://app.writer.com/connector/sharepont",
                path("/connector/sharepont"),
                "it must be `/connector/sharepoint`",
            ),
            (
                "https://app.writer.com/connector/sharepoint?x=1",
                Query,
                "Microsoft adds its own",
            ),
        ];
        for (input, mistake, says) in cases {
            assert_eq!(
                super::diagnose(input, &app, &SHAREPOINT),
                [mistake],
                "{input}"
            );
            let findings = SHAREPOINT.check(input, &app);
            assert!(findings[0].detail.contains(says), "{}", findings[0].detail);
            assert!(findings[0]
                .detail
                .ends_with("Register it in the Azure portal."));
            assert!(
                !findings[0].detail.contains("Atlassian"),
                "{}",
                findings[0].detail
            );
        }
    }

    #[test]
    #[rustfmt::skip]
    fn checks_against_a_custom_app_url() {
        let cases: Vec<(&str, &str, Vec<Mistake>)> = vec![
            ("https://writer.example.com", "https://writer.example.com/connector/confluence", vec![]),
            ("https://writer.example.com", EXPECTED, vec![host("app.writer.com")]),
            ("https://writer.example.com/", "https://writer.example.com/connector/confluence/", vec![TrailingSlash]),
            ("https://Writer.Example.com:443", "https://writer.example.com/connector/confluence", vec![]),
            ("http://localhost:8080", "http://localhost:8080/connector/confluence", vec![]),
            ("http://localhost:8080", "http://localhost/connector/confluence", vec![port(None)]),
            ("http://localhost:8080", "http://localhost:9090/connector/confluence", vec![port(Some("9090"))]),
            ("http://localhost:8080", "https://localhost:8080/connector/confluence", vec![scheme("https")]),
            ("http://localhost:8080", "localhost:8080/connector/confluence", vec![MissingScheme]),
        ];
        for (app, input, expected) in cases {
            let app = AppUrl::parse(app).unwrap();
            assert_eq!(diagnose(input, &app), expected, "app {app}, input {input:?}");
        }
    }

    #[test]
    fn every_finding_gives_the_expected_url_and_the_console_step() {
        let app = AppUrl::default();
        for (input, mistakes) in wrong_for_default_app() {
            let findings = check_callback_url(input, &app);
            assert_eq!(findings.len(), mistakes.len(), "input {input:?}");
            for finding in findings {
                assert_eq!(finding.severity, Severity::Error);
                assert_eq!(finding.element, None);
                assert!(!finding.summary.contains('\n'), "{finding:?}");
                let expected = format!("must be exactly `{EXPECTED}`");
                assert!(finding.detail.contains(&expected), "{finding:?}");
                let console = "Atlassian developer console (Your apps > the app > \
                               Authorization > OAuth 2.0 (3LO) > Callback URL)";
                assert!(finding.detail.contains(console), "{finding:?}");
            }
        }
    }

    #[test]
    #[rustfmt::skip]
    fn findings_name_the_mistake_in_the_users_words() {
        let app = AppUrl::default();
        let cases = [
            ("http://app.writer.com/connector/confluence", "Callback URL uses http instead of https", "`http://`"),
            ("https://app.writer.com/connector/confluence/", "Callback URL ends with a slash", "not `confluence/`"),
            ("https://writer.com/connector/confluence", "Callback URL points to the wrong host", "public website"),
            ("https://api.writer.com/connector/confluence", "Callback URL points to the wrong host", "Writer's API"),
            ("https://app.writer.com/connector/sharepoint", "Callback URL is another connector's", "`/connector/sharepoint`"),
            ("https://app.writer.com:443/connector/confluence", "Callback URL has a port", "`:443`"),
            ("https://app.writer.com/Connector/confluence", "Callback URL has upper case in the path", "`/Connector/confluence`"),
            ("app.writer.com/connector/confluence", "Callback URL has no scheme", "`https://`"),
            ("garbage", "Callback URL is not a URL", "`garbage`"),
        ];
        for (input, summary, in_detail) in cases {
            let findings = check_callback_url(input, &app);
            assert_eq!(findings.len(), 1, "{input:?}: {findings:?}");
            assert_eq!(findings[0].summary, summary);
            assert!(findings[0].detail.contains(in_detail), "{:?}", findings[0]);
        }
    }

    #[test]
    fn odd_input_gets_findings_not_a_panic() {
        let app = AppUrl::parse("http://[::1]:8080").unwrap();
        for input in [
            "https://ü@é:€/ä?#",
            "https://]:[",
            "https://[",
            "https://@",
            "https://:",
            "💥",
            "é.com/connector/confluence",
            "https://app.writer.com/connector/€",
            "http://[::1]/connector/confluence",
        ] {
            for app in [&app, &AppUrl::default()] {
                assert!(!check_callback_url(input, app).is_empty(), "{input:?}");
            }
        }
        assert_eq!(diagnose("http://[::1]:8080/connector/confluence", &app), []);
    }

    #[test]
    fn never_quotes_a_password_typed_into_the_url() {
        let app = AppUrl::default();
        for input in [
            "https://admin:fake-secret-0001@app.writer.com/connector/confluence",
            "https://admin:fake-secret-0001@writer.com/x?y#z",
            "ftp://admin:fake-secret-0001@",
            "admin:fake-secret-0001@app.writer.com/connector/confluence",
            "admin.ops:fake-secret-0001@app.writer.com/connector/confluence/",
            "htp://admin:fake-secret-0001@app.writer.com/connector/confluence",
            "https://admin:fake-secret-0001@@app.writer.com/connector/confluence",
            "  https://admin:fake-secret-0001@app.writer.com/connector/confluence\n",
            "https:/admin:fake-secret-0001@app.writer.com/connector/confluence",
            "https://admin:fake/secret-0001@app.writer.com/connector/confluence",
            "https://admin:fake?secret#0001@app.writer.com/connector/confluence",
            "https://admin:fake-secret-0001@APP.writer.com:8443/Connector/x?q",
        ] {
            let findings = check_callback_url(input, &app);
            assert!(!findings.is_empty());
            for finding in findings {
                let shown = format!("{finding:?}");
                assert!(!shown.contains("fake"), "{input:?}: {shown}");
                assert!(!shown.contains("secret"), "{input:?}: {shown}");
            }
        }
        for input in [
            "https://admin:fake-secret-0001@writer.example.com",
            "admin:fake-secret-0001@writer.example.com",
            "htp://admin:fake-secret-0001@writer.example.com",
            "https://admin:fake/secret-0001@writer.example.com",
            " https://admin:fake-secret-0001@writer.example.com",
            "https://admin:fake-secret-0001@@writer.example.com/path",
        ] {
            let err = AppUrl::parse(input).unwrap_err();
            let shown = format!("{err:?}");
            assert!(!shown.contains("fake"), "{input:?}: {shown}");
            assert!(!shown.contains("secret"), "{input:?}: {shown}");
        }
    }

    #[test]
    fn parses_app_url_origins() {
        let cases = [
            ("https://app.writer.com", "https://app.writer.com"),
            ("https://app.writer.com/", "https://app.writer.com"),
            ("https://writer.example.com", "https://writer.example.com"),
            ("https://Writer.Example.COM", "https://writer.example.com"),
            (
                "https://writer.example.com:443",
                "https://writer.example.com",
            ),
            ("http://localhost:8080", "http://localhost:8080"),
            ("http://127.0.0.1:3000/", "http://127.0.0.1:3000"),
        ];
        for (input, origin) in cases {
            let app = AppUrl::parse(input).unwrap();
            assert_eq!(app.as_str(), origin);
            let callback = format!("{origin}/connector/confluence");
            assert_eq!(app.callback_url(&CALLBACK), callback);
        }
        let default = AppUrl::parse("https://app.writer.com").unwrap();
        assert_eq!(default, AppUrl::default());
    }

    #[test]
    fn rejects_app_urls_that_are_not_origins() {
        let cases = [
            ("", "not an absolute URL"),
            ("app.writer.com", "not an absolute URL"),
            (" https://app.writer.com", "spaces or line breaks"),
            ("https://app.writer.com\n", "spaces or line breaks"),
            ("ftp://files.example.com", "uses `ftp:`"),
            ("mailto:admin@example.com", "uses `mailto:`"),
            ("file:///tmp", "uses `file:`"),
            (
                "https://app.writer.com/connector/confluence",
                "path, query or fragment",
            ),
            ("https://app.writer.com?x=1", "path, query or fragment"),
            ("https://app.writer.com#x", "path, query or fragment"),
            ("https://admin@app.writer.com", "user name or password"),
        ];
        for (input, in_detail) in cases {
            let err = AppUrl::parse(input).unwrap_err();
            assert_eq!(err.severity, Severity::Error);
            assert_eq!(err.summary, "Invalid Writer app URL");
            assert!(err.detail.contains(in_detail), "{input:?}: {}", err.detail);
            assert!(err
                .detail
                .contains("`https://app.writer.com` (the default)"));
        }
    }
}
