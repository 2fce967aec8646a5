//! The Atlassian consent URL for an app: what an admin opens to grant the
//! app access, handy to test the Atlassian side by hand. Built with the
//! `oauth2` crate, then made deterministic: the same app always gives the same
//! URL (Terraform would see a random `state` as a change on every plan), so
//! `state` is left for the caller to add.

use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, ClientId, CsrfToken, RedirectUrl, Scope};

use super::Finding;

const AUTHORIZE: &str = "https://auth.atlassian.com/authorize";

/// `https://auth.atlassian.com/authorize?...` for this app; scopes in sorted order.
pub fn authorization_url(
    client_id: &str,
    scopes: &[&str],
    callback_url: &str,
) -> Result<String, Finding> {
    let auth_url = AuthUrl::new(AUTHORIZE.to_string())
        .map_err(|e| Finding::error("Invalid authorization endpoint", e.to_string()))?;
    let redirect = RedirectUrl::new(callback_url.to_string()).map_err(|e| {
        Finding::error(
            "Cannot build the authorization URL",
            format!("callback_url {callback_url:?} is not a URL: {e}"),
        )
    })?;
    let client = BasicClient::new(ClientId::new(client_id.to_string()))
        .set_auth_uri(auth_url)
        .set_redirect_uri(redirect);
    let mut sorted: Vec<&str> = scopes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let (mut url, _state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(sorted.iter().map(|s| Scope::new(s.to_string())))
        .add_extra_param("audience", "api.atlassian.com")
        .add_extra_param("prompt", "consent")
        .url();
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "state")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(kept);
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::REQUIRED_SCOPES;

    const CALLBACK: &str = "https://app.writer.com/connector/confluence";

    #[test]
    fn the_recommended_app_gives_this_exact_url() {
        let url =
            authorization_url("fake-client-id-0001", &REQUIRED_SCOPES, CALLBACK).expect("a URL");
        assert_eq!(
            url,
            "https://auth.atlassian.com/authorize?response_type=code&client_id=fake-client-id-0001\
             &redirect_uri=https%3A%2F%2Fapp.writer.com%2Fconnector%2Fconfluence\
             &scope=read%3Apage%3Aconfluence+read%3Aspace%3Aconfluence+search%3Aconfluence\
             &audience=api.atlassian.com&prompt=consent"
        );
    }

    #[test]
    fn it_is_deterministic_and_has_no_state() {
        let a = authorization_url(
            "id",
            &["search:confluence", "read:page:confluence"],
            CALLBACK,
        )
        .expect("a URL");
        let b = authorization_url(
            "id",
            &["read:page:confluence", "search:confluence"],
            CALLBACK,
        )
        .expect("a URL");
        assert_eq!(a, b, "same app, same URL, whatever the order");
        assert!(!a.contains("state="), "{a}");
    }

    #[test]
    fn a_bad_callback_is_a_finding_not_a_panic() {
        let f = authorization_url("id", &REQUIRED_SCOPES, "not a url").expect_err("refused");
        assert!(f.detail.contains("not a url"));
    }
}
