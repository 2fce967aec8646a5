//! The Microsoft Entra URLs of a SharePoint app: the sign-in (authorization)
//! request Writer makes, and the admin-consent page through which a tenant's
//! admin grants the app its permissions for the whole organization.
//!
//! Both are deterministic (the resource computes them), so neither has a
//! `state`: add your own when you send a user to one. No secret is involved.

use url::Url;

use super::ids::{check_tenant_id, is_guid};
use crate::domain::finding::Finding;
use crate::domain::quote;

const LOGIN: &str = "https://login.microsoftonline.com";

/// The tenant segment of a multitenant app's URLs: any work or school
/// tenant (never personal Microsoft accounts, which Writer does not sync).
pub const MULTITENANT: &str = "organizations";

/// The tenant segment: the tenant's ID, or [`MULTITENANT`] for `None`.
fn tenant_segment(tenant: Option<&str>) -> Result<&str, Finding> {
    match tenant.map(|t| (t, check_tenant_id(t).into_iter().next())) {
        None => Ok(MULTITENANT),
        Some((t, None)) => Ok(t),
        Some((_, Some(mistake))) => Err(mistake),
    }
}

fn client_id_guid(client_id: &str) -> Result<(), Finding> {
    if is_guid(client_id) {
        return Ok(());
    }
    Err(Finding::error(
        "Invalid client_id",
        format!(
            "`{}` is not an Application (client) ID (a GUID, from the app registration's \
             Overview page).",
            quote::text(client_id)
        ),
    ))
}

/// `https://login.microsoftonline.com/{tenant}/adminconsent?client_id={client_id}`,
/// `tenant` being the tenant's ID, or `organizations` when it is `None`
/// (multitenant: the admin of whichever tenant opens it).
pub fn admin_consent_url(tenant: Option<&str>, client_id: &str) -> Result<String, Finding> {
    let tenant = tenant_segment(tenant)?;
    client_id_guid(client_id)?;
    Ok(format!(
        "{LOGIN}/{tenant}/adminconsent?client_id={client_id}"
    ))
}

/// `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize` with
/// `client_id`, `response_type=code`, `redirect_uri`, `response_mode=query`,
/// `scope` (distinct, sorted, space-separated; form-encoded) and
/// `prompt=consent`, and no `state`.
pub fn authorization_url(
    client_id: &str,
    scopes: &[&str],
    callback_url: &str,
    tenant: Option<&str>,
) -> Result<String, Finding> {
    let tenant = tenant_segment(tenant)?;
    client_id_guid(client_id)?;
    let redirect = Url::parse(callback_url).map_err(|e| {
        Finding::error(
            "Cannot build the Entra authorization URL",
            format!("The redirect URI is not an absolute URL ({e}). Fix callback_url first."),
        )
    })?;
    let mut names: Vec<&str> = scopes.to_vec();
    names.sort_unstable();
    names.dedup();
    let mut url = Url::parse(&format!("{LOGIN}/{tenant}/oauth2/v2.0/authorize"))
        .map_err(|e| Finding::error("Cannot build the Entra authorization URL", e.to_string()))?;
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", redirect.as_str())
        .append_pair("response_mode", "query")
        .append_pair("scope", &names.join(" "))
        .append_pair("prompt", "consent");
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = "00001111-aaaa-2222-bbbb-3333cccc4444";
    const TENANT: &str = "11111111-2222-4333-8444-555555555555";

    #[test]
    fn admin_consent_urls() {
        assert_eq!(
            admin_consent_url(Some(TENANT), CLIENT).unwrap(),
            format!("https://login.microsoftonline.com/{TENANT}/adminconsent?client_id={CLIENT}")
        );
        assert_eq!(
            admin_consent_url(None, CLIENT).unwrap(),
            format!(
                "https://login.microsoftonline.com/organizations/adminconsent?client_id={CLIENT}"
            )
        );
        for tenant in ["", "common", "organizations", "contoso.onmicrosoft.com"] {
            let f = admin_consent_url(Some(tenant), CLIENT).unwrap_err();
            assert!(f.summary.contains("tenant_id"), "{tenant:?}: {}", f.summary);
            assert!(f.detail.contains("Directory (tenant) ID"), "{}", f.detail);
        }
        let f = admin_consent_url(None, "fake client").unwrap_err();
        assert_eq!(f.summary, "Invalid client_id");
    }

    #[test]
    fn the_authorization_url_is_deterministic_and_encoded() {
        let url = authorization_url(
            CLIENT,
            &["User.Read", "Sites.Selected", "User.Read"],
            "https://app.writer.com/connector/sharepoint",
            Some(TENANT),
        )
        .unwrap();
        assert_eq!(
            url,
            format!(
                "https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize?client_id={CLIENT}\
                 &response_type=code&redirect_uri=https%3A%2F%2Fapp.writer.com%2Fconnector%2Fsharepoint\
                 &response_mode=query&scope=Sites.Selected+User.Read&prompt=consent"
            )
        );
        let multi =
            authorization_url(CLIENT, &["User.Read"], "https://app.writer.com/x", None).unwrap();
        assert!(multi.starts_with("https://login.microsoftonline.com/organizations/"));
        assert!(authorization_url(CLIENT, &[], "not a url", None).is_err());
    }
}
