//! The callback URL of a Confluence OAuth app. Atlassian compares callback
//! URLs exactly, and Writer accepts one only: `<app_url>/connector/confluence`.
//! A near miss (http, a trailing slash, another host) is accepted by both
//! consoles and fails days later, when a sync first runs; so every mistake is
//! named here, with the exact URL to use.

use super::Finding;

/// Writer's web app origin (the provider's `app_url`): scheme, host, port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppUrl {
    origin: String,
}

/// Where Writer's Confluence connector receives the OAuth redirect.
const CONNECTOR_PATH: &str = "/connector/confluence";
const DEFAULT_APP_URL: &str = "https://app.writer.com";
/// The other connectors of Writer's OAuth apps, whose paths people copy by mistake.
const OTHER_CONNECTORS: [&str; 3] = ["sharepoint", "google_drive", "notion"];

impl AppUrl {
    /// An absolute http(s) origin: no path (but a lone `/`), query or fragment.
    pub fn parse(s: &str) -> Result<AppUrl, Finding> {
        let bad = |why: &str| {
            Finding::error(
                "Invalid app_url",
                format!(
                    "app_url is {s:?}: {why}. It is the origin of the Writer web app, such as \
                     \"{DEFAULT_APP_URL}\" (scheme and host only; no path)."
                ),
            )
        };
        if s.trim() != s {
            return Err(bad("it has spaces around it"));
        }
        let url = url::Url::parse(s).map_err(|_| bad("it is not an absolute URL"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(bad("it must start with https:// and name a host"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it has a path, query or fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("it holds a user name or password"));
        }
        Ok(AppUrl {
            origin: url.origin().ascii_serialization(),
        })
    }

    /// The only callback URL Writer accepts for Confluence apps.
    pub fn expected_callback_url(&self) -> String {
        format!("{}{CONNECTOR_PATH}", self.origin)
    }
}

impl Default for AppUrl {
    fn default() -> Self {
        AppUrl {
            origin: DEFAULT_APP_URL.to_string(),
        }
    }
}

/// Empty when `input` is the expected callback URL; otherwise one error that
/// names every mistake found and gives the exact URL.
pub fn check_callback_url(input: &str, app: &AppUrl) -> Vec<Finding> {
    let expected = app.expected_callback_url();
    if input == expected {
        return Vec::new();
    }
    let mut mistakes = mistakes(input, &expected);
    if mistakes.is_empty() {
        mistakes.push(format!("it is not {expected:?}"));
    }
    let summary = match mistakes.as_slice() {
        [only] => format!("Wrong callback URL: {only}"),
        _ => "Wrong callback URL".to_string(),
    };
    let list: String = mistakes.iter().map(|m| format!("\n  - {m}")).collect();
    vec![Finding::error(
        summary,
        format!(
            "callback_url is {input:?}, but Writer accepts only \"{expected}\" for Confluence apps:{list}\n\n\
             Set callback_url = \"{expected}\", and the same Callback URL on the Atlassian app \
             (developer console > your app > Authorization > OAuth 2.0 (3LO) > Callback URL). \
             Atlassian compares callback URLs exactly, so any difference makes Confluence sign-in \
             fail when Writer first syncs."
        ),
    )]
}

/// Each recognisable mistake, worded for the list in the detail.
fn mistakes(input: &str, expected: &str) -> Vec<String> {
    let mut out = Vec::new();
    let text = input.trim();
    if text != input {
        out.push("it has spaces or a line break around it".to_string());
    }
    let Ok(want) = url::Url::parse(expected) else {
        return out;
    };
    let Ok(got) = url::Url::parse(text) else {
        if !text.contains("://") && text.contains('/') {
            out.push("it has no scheme: it must start with https://".to_string());
        } else {
            out.push("it is not a URL".to_string());
        }
        return out;
    };
    if got.scheme() != want.scheme() {
        out.push(format!(
            "it uses {}:// instead of {}://",
            got.scheme(),
            want.scheme()
        ));
    }
    if !got.username().is_empty() || got.password().is_some() {
        out.push("it holds a user name or password".to_string());
    }
    let raw_host = raw_host(text);
    match (got.host_str(), want.host_str()) {
        (Some(g), Some(w)) if g != w => out.push(wrong_host(g, w)),
        (Some(_), _) if raw_host.chars().any(|c| c.is_ascii_uppercase()) => {
            out.push(format!("its host {raw_host:?} has upper-case letters"))
        }
        (None, _) => out.push("it has no host".to_string()),
        _ => {}
    }
    if got.port() != want.port() {
        match got.port() {
            Some(p) => out.push(format!("it has a port ({p}) that Writer's URL does not")),
            None => out.push("it lacks the port of the app_url".to_string()),
        }
    }
    out.extend(wrong_path(got.path(), want.path()));
    if let Some(q) = got.query() {
        out.push(format!(
            "it has a query (?{q}); Atlassian adds its own parameters"
        ));
    }
    if let Some(f) = got.fragment() {
        out.push(format!("it has a fragment (#{f})"));
    }
    out
}

/// The host as typed (the URL parser lowercases it).
fn raw_host(text: &str) -> &str {
    let after = text.split_once("://").map_or(text, |(_, rest)| rest);
    let authority = after.split(['/', '?', '#']).next().unwrap_or(after);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.split(':').next().unwrap_or(host)
}

fn wrong_host(got: &str, want: &str) -> String {
    let why = if got == "writer.com" || got == "www.writer.com" {
        " (that is Writer's website, not the web app)"
    } else if got.starts_with("api.") {
        " (that is the Writer API, not the web app)"
    } else {
        ""
    };
    format!("its host is {got}{why}; Writer's is {want}")
}

fn wrong_path(got: &str, want: &str) -> Vec<String> {
    if got == want {
        return Vec::new();
    }
    let lower = got.to_ascii_lowercase();
    let mut out = Vec::new();
    if lower != got {
        out.push(format!(
            "its path {got:?} has upper-case letters (paths are case-sensitive)"
        ));
    }
    let trimmed = lower.trim_end_matches('/');
    if trimmed == want {
        if lower.ends_with('/') {
            out.push("it ends with a slash".to_string());
        }
        return out;
    }
    let other = OTHER_CONNECTORS
        .iter()
        .find(|c| trimmed == format!("/connector/{c}"));
    match other {
        Some(c) => out.push(format!(
            "it is the callback of Writer's {c} connector, not Confluence's"
        )),
        None => out.push(format!("its path is {got:?}; it must be {want:?}")),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Severity;

    const GOOD: &str = "https://app.writer.com/connector/confluence";

    fn detail(input: &str) -> String {
        let f = check_callback_url(input, &AppUrl::default());
        assert_eq!(f.len(), 1, "{input:?} must give one finding");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].detail.contains(GOOD),
            "the exact URL is given: {}",
            f[0].detail
        );
        assert!(
            f[0].detail.contains("developer console"),
            "says where to fix it"
        );
        format!("{} {}", f[0].summary, f[0].detail)
    }

    #[test]
    fn the_expected_url_passes() {
        assert!(check_callback_url(GOOD, &AppUrl::default()).is_empty());
        let custom = AppUrl::parse("https://writer.example.com").expect("an origin");
        let url = custom.expected_callback_url();
        assert_eq!(url, "https://writer.example.com/connector/confluence");
        assert!(check_callback_url(&url, &custom).is_empty());
        assert!(!check_callback_url(GOOD, &custom).is_empty());
    }

    #[test]
    fn each_usual_mistake_is_named() {
        let cases: &[(&str, &str)] = &[
            (
                "http://app.writer.com/connector/confluence",
                "http:// instead of https://",
            ),
            (
                "https://app.writer.com/connector/confluence/",
                "ends with a slash",
            ),
            (
                "https://writer.com/connector/confluence",
                "writer's website",
            ),
            (
                "https://www.writer.com/connector/confluence",
                "writer's website",
            ),
            (
                "https://api.writer.com/connector/confluence",
                "the writer api",
            ),
            (
                "https://app.writer.io/connector/confluence",
                "its host is app.writer.io",
            ),
            (
                "https://app.writer.com/connector/sharepoint",
                "sharepoint connector",
            ),
            (
                "https://app.writer.com/connector/google_drive",
                "google_drive connector",
            ),
            (
                "https://app.writer.com/confluence",
                "its path is \"/confluence\"",
            ),
            (
                "https://app.writer.com/connector/confluence?team=eng",
                "query",
            ),
            (
                "https://app.writer.com/connector/confluence#top",
                "fragment",
            ),
            (
                "https://APP.Writer.com/connector/confluence",
                "host \"app.writer.com\" has upper-case",
            ),
            (
                "https://app.writer.com/Connector/Confluence",
                "upper-case letters (paths",
            ),
            (
                " https://app.writer.com/connector/confluence",
                "spaces or a line break",
            ),
            (
                "https://app.writer.com/connector/confluence\n",
                "spaces or a line break",
            ),
            ("app.writer.com/connector/confluence", "no scheme"),
            ("confluence", "not a url"),
            ("", "not a url"),
            (
                "https://app.writer.com:8443/connector/confluence",
                "port (8443)",
            ),
            (
                "https://user@app.writer.com/connector/confluence",
                "user name or password",
            ),
        ];
        for (input, says) in cases {
            let text = detail(input).to_lowercase();
            assert!(
                text.contains(&says.to_lowercase()),
                "{input:?}: expected {says:?} in {text}"
            );
        }
    }

    #[test]
    fn several_mistakes_are_all_listed() {
        let text = detail("http://app.writer.com/connector/confluence/");
        assert!(text.contains("http:// instead of https://"), "{text}");
        assert!(text.contains("ends with a slash"), "{text}");
        assert!(text.starts_with("Wrong callback URL "), "{text}");
    }

    #[test]
    fn app_url_must_be_an_origin() {
        for bad in [
            "app.writer.com",
            "https://app.writer.com/connector",
            "https://app.writer.com?x=1",
            " https://app.writer.com",
            "ftp://app.writer.com",
            "",
        ] {
            let f = AppUrl::parse(bad).expect_err(bad);
            assert_eq!(f.severity, Severity::Error);
            assert!(
                f.detail.contains("https://app.writer.com"),
                "{bad}: {}",
                f.detail
            );
        }
        let ok = AppUrl::parse("https://App.Writer.com/").expect("a lone slash is fine");
        assert_eq!(ok.expected_callback_url(), GOOD);
        let local = AppUrl::parse("http://127.0.0.1:8080").expect("a local app");
        assert_eq!(
            local.expected_callback_url(),
            "http://127.0.0.1:8080/connector/confluence"
        );
    }
}
