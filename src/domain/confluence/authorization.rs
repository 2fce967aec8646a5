//! The Atlassian consent URL for a Confluence OAuth app, so that an admin can
//! connect Writer with one click.
//!
//! The URL becomes a computed attribute, so it must be deterministic: the same
//! inputs give the same string. A real authorization request needs a random,
//! single-use `state`; that is the caller's to add when sending a user to it,
//! so none is included here. No client secret is ever involved.

use std::collections::BTreeSet;

use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, ClientId, CsrfToken, RedirectUrl, Scope};

use crate::domain::finding::Finding;
use crate::domain::quote;

const AUTHORIZE_URL: &str = "https://auth.atlassian.com/authorize";
/// Atlassian's 3LO flow issues tokens for its API gateway only.
const AUDIENCE: &str = "api.atlassian.com";

const SUMMARY: &str = "Cannot build the Atlassian authorization URL";

/// `https://auth.atlassian.com/authorize` with `audience`, `client_id`,
/// `scope` (distinct, sorted, space-separated; form-encoded, so spaces become
/// `+`), `redirect_uri`, `response_type=code` and `prompt=consent`, and no
/// `state`.
pub fn authorization_url(
    client_id: &str,
    scopes: &[&str],
    callback_url: &str,
) -> Result<String, Finding> {
    if client_id.trim().is_empty() {
        return Err(Finding::error(
            SUMMARY,
            "The client ID is empty. Copy it from the Atlassian developer console (Your apps > \
             the app > Settings > Authentication details > Client ID).",
        ));
    }
    // A space inside a scope would silently turn it into two scopes.
    if let Some(bad) = scopes
        .iter()
        .find(|s| s.is_empty() || s.chars().any(char::is_whitespace))
    {
        return Err(Finding::error(
            SUMMARY,
            format!(
                "The scope `{}` is empty or contains whitespace, so it cannot be sent in a \
                 space-separated scope list. Fix the scopes first.",
                quote::text(bad)
            ),
        )
        .about(bad));
    }
    let redirect = RedirectUrl::new(callback_url.to_owned()).map_err(|e| {
        Finding::error(
            SUMMARY,
            format!("The callback URL is not an absolute URL ({e}). Fix the callback URL first."),
        )
    })?;
    let auth = AuthUrl::new(AUTHORIZE_URL.to_owned()).map_err(|e| {
        Finding::error(
            SUMMARY,
            format!("Atlassian's authorization endpoint did not parse ({e}). This is a bug."),
        )
    })?;

    let sorted: BTreeSet<&str> = scopes.iter().copied().collect();
    let client = BasicClient::new(ClientId::new(client_id.to_owned()))
        .set_auth_uri(auth)
        .set_redirect_uri(redirect);
    // oauth2 always writes a `state`; give it a placeholder and drop it below.
    let (mut url, _) = client
        .authorize_url(|| CsrfToken::new(String::new()))
        .add_scopes(sorted.into_iter().map(|s| Scope::new(s.to_owned())))
        .add_extra_param("audience", AUDIENCE)
        .add_extra_param("prompt", "consent")
        .url();
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| name != "state")
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(kept);
    Ok(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::confluence::{CALLBACK as RULE, REQUIRED_SCOPES};
    use crate::domain::{AppUrl, Severity};

    const CLIENT_ID: &str = "fake-client-id-0001";
    const CALLBACK: &str = "https://app.writer.com/connector/confluence";

    fn query(url: &str) -> Vec<(String, String)> {
        url::Url::parse(url)
            .unwrap()
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn builds_the_exact_url_for_the_recommended_app() {
        let callback = AppUrl::default().callback_url(&RULE);
        let url = authorization_url(CLIENT_ID, &REQUIRED_SCOPES, &callback).unwrap();
        assert_eq!(
            url,
            "https://auth.atlassian.com/authorize?response_type=code&client_id=fake-client-id-0001\
             &redirect_uri=https%3A%2F%2Fapp.writer.com%2Fconnector%2Fconfluence\
             &scope=read%3Apage%3Aconfluence+read%3Aspace%3Aconfluence+search%3Aconfluence\
             &audience=api.atlassian.com&prompt=consent"
        );
    }

    #[test]
    fn carries_no_state_and_only_the_expected_parameters() {
        let url = authorization_url(CLIENT_ID, &REQUIRED_SCOPES, CALLBACK).unwrap();
        let pairs = query(&url);
        let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "response_type",
                "client_id",
                "redirect_uri",
                "scope",
                "audience",
                "prompt"
            ]
        );
        assert!(!url.contains("state"), "{url}");
    }

    #[test]
    fn is_deterministic_whatever_the_scope_order_or_duplicates() {
        let first = authorization_url(CLIENT_ID, &REQUIRED_SCOPES, CALLBACK).unwrap();
        let again = authorization_url(CLIENT_ID, &REQUIRED_SCOPES, CALLBACK).unwrap();
        let shuffled = authorization_url(
            CLIENT_ID,
            &[
                "search:confluence",
                "read:page:confluence",
                "read:space:confluence",
                "search:confluence",
            ],
            CALLBACK,
        )
        .unwrap();
        assert_eq!(first, again);
        assert_eq!(first, shuffled);
    }

    #[test]
    fn encodes_values_it_does_not_control() {
        let url = authorization_url(
            "id&prompt=none",
            &["offline_access", "read:page:confluence"],
            "https://writer.example.com/connector/confluence",
        )
        .unwrap();
        let pairs = query(&url);
        let get = |name: &str| -> Vec<&str> {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        assert_eq!(get("client_id"), ["id&prompt=none"]);
        assert_eq!(get("prompt"), ["consent"]);
        assert_eq!(get("scope"), ["offline_access read:page:confluence"]);
        assert_eq!(
            get("redirect_uri"),
            ["https://writer.example.com/connector/confluence"]
        );
    }

    #[test]
    fn refuses_inputs_that_cannot_make_a_url() {
        let cases: [(&str, &[&str], &str, &str); 5] = [
            ("", &REQUIRED_SCOPES, CALLBACK, "client ID is empty"),
            ("  ", &REQUIRED_SCOPES, CALLBACK, "client ID is empty"),
            (
                CLIENT_ID,
                &["read:page:confluence search:confluence"],
                CALLBACK,
                "contains whitespace",
            ),
            (
                CLIENT_ID,
                &[""],
                CALLBACK,
                "is empty or contains whitespace",
            ),
            (
                CLIENT_ID,
                &REQUIRED_SCOPES,
                "app.writer.com/connector/confluence",
                "not an absolute URL",
            ),
        ];
        for (client_id, scopes, callback, in_detail) in cases {
            let err = authorization_url(client_id, scopes, callback).unwrap_err();
            assert_eq!(err.severity, Severity::Error);
            assert_eq!(err.summary, "Cannot build the Atlassian authorization URL");
            assert!(err.detail.contains(in_detail), "{}", err.detail);
        }
    }
}
