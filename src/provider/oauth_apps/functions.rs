//! The provider's functions, usable before anything is applied (and on a
//! provider that is never configured): the callback URL Writer expects for a
//! web-app origin, and the Atlassian consent URL of an app, the same string
//! as the resource's `authorization_url`. Pure: the rules come from `domain`,
//! the words from `texts`.

use url::Url;

use crate::domain::sharepoint::{admin_consent_url, check_tenant_id};
use crate::domain::{quote, AppUrl, Finding, Severity};
use crate::tfplugin::function::{Function, FunctionError, Parameter, Signature};
use crate::tfplugin::value::{Type, Value};

use super::connectors::{CONFLUENCE, SHAREPOINT};
use super::lifecycle::{client_id_problem, Connector, Settings};
use crate::provider::texts;

/// `provider::writer::<connector>_callback_url(app_url)`: one per connector,
/// the same call with its own words.
pub(crate) struct CallbackUrl {
    name: &'static str,
    connector: &'static Connector,
    summary: &'static str,
    description: &'static str,
}

pub(crate) const CONFLUENCE_CALLBACK_URL: CallbackUrl = CallbackUrl {
    name: "confluence_callback_url",
    connector: &CONFLUENCE,
    summary: "The callback URL Writer expects for a Writer web-app origin",
    description: "Returns `<app_url>/connector/confluence`, the one callback URL Writer's \
         Confluence connector accepts: enter it in Atlassian's developer console (Your apps \
         > the app > Authorization > OAuth 2.0 (3LO) > Callback URL). \
         `provider::writer::confluence_callback_url(\"https://app.writer.com\")` is \
         `\"https://app.writer.com/connector/confluence\"`. Fails when `app_url` is not an \
         `http` or `https` origin (a path, query or fragment, or surrounding spaces).",
};

pub(crate) const SHAREPOINT_CALLBACK_URL: CallbackUrl = CallbackUrl {
    name: "sharepoint_callback_url",
    connector: &SHAREPOINT,
    summary: "The redirect URI to register in Microsoft Entra for a Writer web-app origin",
    description: "Returns `<app_url>/connector/sharepoint`, the one redirect URI Writer's \
         SharePoint connector accepts: register it on the Entra app registration (Authentication \
         > Web > Redirect URIs), e.g. as `web { redirect_uris = [...] }` of an \
         `azuread_application`. \
         `provider::writer::sharepoint_callback_url(\"https://app.writer.com\")` is \
         `\"https://app.writer.com/connector/sharepoint\"`. Fails when `app_url` is not an \
         `http` or `https` origin (a path, query or fragment, or surrounding spaces).",
};

impl Function for CallbackUrl {
    fn name(&self) -> &'static str {
        self.name
    }

    fn signature(&self) -> Signature {
        Signature {
            summary: self.summary.into(),
            description: self.description.into(),
            parameters: vec![Parameter::new(
                "app_url",
                Type::String,
                "The origin of Writer's web app, as in the provider's `app_url`: \
                 `https://app.writer.com` unless Writer runs elsewhere.",
            )],
            returns: Type::String,
        }
    }

    fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError> {
        let app_url = string(arguments, 0)?;
        let app = AppUrl::parse(app_url).map_err(|f| argument(0, f))?;
        Ok(Value::String(app.callback_url(&self.connector.callback)))
    }
}

/// `provider::writer::confluence_authorization_url(client_id, callback_url, scopes)`.
pub(crate) struct ConfluenceAuthorizationUrl;

impl Function for ConfluenceAuthorizationUrl {
    fn name(&self) -> &'static str {
        "confluence_authorization_url"
    }

    fn signature(&self) -> Signature {
        Signature {
            summary: "The Atlassian consent URL of a Confluence OAuth app".into(),
            description:
                "Returns the URL that asks a Confluence admin to grant the app its scopes \
                 (`https://auth.atlassian.com/authorize` with `audience=api.atlassian.com`, the \
                 client ID, the scopes, the callback URL, `response_type=code` and \
                 `prompt=consent`): the same string as the `authorization_url` of a \
                 `writer_confluence_oauth_app` with these values, available before anything is \
                 applied. It has no `state` parameter: add your own when you use it. Fails, naming \
                 the argument and the fix, when the client ID is not one, the callback URL is not \
                 a Writer Confluence callback (`<origin>/connector/confluence`), or the scopes \
                 miss one Writer needs, are malformed or misspell a known scope."
                    .into(),
            parameters: vec![
                Parameter::new(
                    "client_id",
                    Type::String,
                    "The Client ID of the Atlassian OAuth 2.0 (3LO) app.",
                ),
                Parameter::new(
                    "callback_url",
                    Type::String,
                    "The app's callback URL, as from `confluence_callback_url`.",
                ),
                Parameter::new(
                    "scopes",
                    Type::List(Box::new(Type::String)),
                    "The scopes of the Atlassian app, in any order.",
                ),
            ],
            returns: Type::String,
        }
    }

    fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError> {
        let client_id = string(arguments, 0)?;
        let callback_url = string(arguments, 1)?;
        let scopes = arguments.get(2).map(Value::elements).unwrap_or_default();
        let mut names = Vec::with_capacity(scopes.len());
        for scope in scopes {
            // A null element is the one thing the list type lets through.
            names.push(
                scope
                    .as_str()
                    .ok_or_else(|| FunctionError::argument(2, function_null_scope()))?,
            );
        }
        if let Some(problem) = client_id_problem(&CONFLUENCE, client_id) {
            return Err(FunctionError::argument(
                0,
                texts::function_diagnostic(problem),
            ));
        }
        check_callback_url(callback_url)?;
        if let Some(f) = errors((CONFLUENCE.check_scopes)(&names)) {
            return Err(argument(2, f));
        }
        names.sort_unstable();
        (CONFLUENCE.authorization_url)(client_id, &names, callback_url, &Settings::new())
            .map(Value::String)
            .map_err(|f| FunctionError::call(texts::function_finding(f)))
    }
}

/// `provider::writer::sharepoint_admin_consent_url(tenant_id, client_id)`.
pub(crate) struct SharePointAdminConsentUrl;

impl Function for SharePointAdminConsentUrl {
    fn name(&self) -> &'static str {
        "sharepoint_admin_consent_url"
    }

    fn signature(&self) -> Signature {
        Signature {
            summary: "The Microsoft Entra admin-consent URL of a SharePoint OAuth app".into(),
            description: "Returns `https://login.microsoftonline.com/<tenant>/adminconsent?client_id=<client_id>`, \
                 the page where an admin of the tenant grants the app registration its Microsoft \
                 Graph permissions for the whole organization, so that users are not each asked \
                 (the permissions configured on the registration: the `v2.0/adminconsent` form \
                 would need `scope` and `redirect_uri` too). \
                 `tenant_id` is the tenant's ID (a GUID, as in the resource's `tenant_id`); null \
                 means a multitenant app, and gives `organizations` as the tenant (the admin of \
                 whichever work or school tenant opens the page). An empty string is an error, as \
                 are `common`, `organizations` or a domain: null is multitenant. Fails, \
                 naming the argument, when either ID is not a GUID."
                .into(),
            parameters: vec![
                Parameter {
                    allow_null: true,
                    ..Parameter::new(
                        "tenant_id",
                        Type::String,
                        "The Directory (tenant) ID of a single-tenant app registration, or null \
                         for a multitenant one.",
                    )
                },
                Parameter::new(
                    "client_id",
                    Type::String,
                    "The Application (client) ID of the app registration.",
                ),
            ],
            returns: Type::String,
        }
    }

    fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError> {
        let tenant = match arguments.first() {
            Some(Value::Null) | None => None,
            Some(_) => Some(string(arguments, 0)?),
        };
        let client_id = string(arguments, 1)?;
        if let Some(problem) = client_id_problem(&SHAREPOINT, client_id) {
            return Err(FunctionError::argument(
                1,
                texts::function_diagnostic(problem),
            ));
        }
        if let Some(t) = tenant {
            if let Some(f) = errors(check_tenant_id(t)) {
                return Err(argument(0, f));
            }
        }
        admin_consent_url(tenant, client_id)
            .map(Value::String)
            .map_err(|f| FunctionError::call(texts::function_finding(f)))
    }
}

/// A callback URL judged against its own origin: Writer's rule for the path
/// (`/connector/confluence`, nothing after it) and every way of getting it
/// wrong that does not depend on which Writer it is for.
fn check_callback_url(callback_url: &str) -> Result<(), FunctionError> {
    let origin = Url::parse(callback_url.trim())
        .map_err(|_| FunctionError::argument(1, function_callback_not_a_url(callback_url)))?
        .origin()
        .ascii_serialization();
    let app = AppUrl::parse(&origin).map_err(|f| argument(1, f))?;
    match errors(CONFLUENCE.callback.check(callback_url, &app)) {
        Some(f) => Err(argument(1, f)),
        None => Ok(()),
    }
}

/// The first error among `findings` (warnings do not fail a function).
fn errors(findings: Vec<Finding>) -> Option<Finding> {
    findings.into_iter().find(|f| f.severity == Severity::Error)
}

fn argument(index: usize, f: Finding) -> FunctionError {
    FunctionError::argument(index, texts::function_finding(f))
}

/// The server has checked arguments against the signature: a string is there.
fn string(arguments: &[Value], index: usize) -> Result<&str, FunctionError> {
    arguments
        .get(index)
        .and_then(Value::as_str)
        .ok_or_else(|| FunctionError::argument(index, texts::function_not_a_string()))
}

/// The functions' own words: a callback URL that is not a URL.
fn function_callback_not_a_url(value: &str) -> String {
    format!(
        "`{}` is not a URL. Give the app's callback URL, such as \
         `https://app.writer.com/connector/confluence`, or build it with \
         `provider::writer::confluence_callback_url(app_url)`.",
        quote::url(value)
    )
}

/// A null in the scope list.
fn function_null_scope() -> String {
    "A scope in the list is null. Give scope names, such as \"search:confluence\".".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUIRED: [&str; 3] = [
        "search:confluence",
        "read:space:confluence",
        "read:page:confluence",
    ];

    fn callback(app_url: &str) -> Result<Value, FunctionError> {
        CONFLUENCE_CALLBACK_URL.call(&[Value::string(app_url)])
    }

    fn authorize(client_id: &str, callback: &str, scopes: &[&str]) -> Result<Value, FunctionError> {
        ConfluenceAuthorizationUrl.call(&[
            Value::string(client_id),
            Value::string(callback),
            Value::List(scopes.iter().map(|s| Value::string(*s)).collect()),
        ])
    }

    #[test]
    fn every_function_and_parameter_is_described() {
        let functions: [&dyn Function; 4] = [
            &CONFLUENCE_CALLBACK_URL,
            &ConfluenceAuthorizationUrl,
            &SHAREPOINT_CALLBACK_URL,
            &SharePointAdminConsentUrl,
        ];
        for f in functions {
            let s = f.signature();
            assert!(!s.summary.trim().is_empty(), "{}", f.name());
            assert!(!s.description.trim().is_empty(), "{}", f.name());
            for p in &s.parameters {
                assert!(!p.description.trim().is_empty(), "{}: {}", f.name(), p.name);
            }
        }
    }

    #[test]
    fn the_callback_url_of_an_origin() {
        assert_eq!(
            callback("https://app.writer.com"),
            Ok(Value::string("https://app.writer.com/connector/confluence"))
        );
        assert_eq!(
            callback("http://localhost:8080/"),
            Ok(Value::string("http://localhost:8080/connector/confluence"))
        );
        for bad in [
            "app.writer.com",
            "https://app.writer.com/admin",
            " https://app.writer.com",
            "ftp://x",
        ] {
            let e = callback(bad).expect_err(bad);
            assert_eq!(e.argument, Some(0), "{bad}");
            assert!(
                e.text.contains("Invalid Writer app URL"),
                "{bad}: {}",
                e.text
            );
            assert!(
                e.text.contains("`https://app.writer.com`"),
                "the fix: {}",
                e.text
            );
        }
    }

    #[test]
    fn the_authorization_url_is_the_resources() {
        let url = authorize(
            "fake-client-id-0001",
            "https://app.writer.com/connector/confluence",
            &[
                "read:page:confluence",
                "search:confluence",
                "read:space:confluence",
            ],
        );
        let expected = (CONFLUENCE.authorization_url)(
            "fake-client-id-0001",
            &REQUIRED,
            "https://app.writer.com/connector/confluence",
            &Settings::new(),
        )
        .map(Value::String)
        .map_err(|_| ());
        assert_eq!(url.map_err(|_| ()), expected);
    }

    const CLIENT: &str = "00001111-aaaa-2222-bbbb-3333cccc4444";
    const TENANT: &str = "11111111-2222-4333-8444-555555555555";

    fn consent(tenant: Value, client_id: &str) -> Result<Value, FunctionError> {
        SharePointAdminConsentUrl.call(&[tenant, Value::string(client_id)])
    }

    #[test]
    fn the_sharepoint_redirect_uri_and_admin_consent_url() {
        assert_eq!(
            SHAREPOINT_CALLBACK_URL.call(&[Value::string("https://app.writer.com")]),
            Ok(Value::string("https://app.writer.com/connector/sharepoint"))
        );
        assert!(SHAREPOINT_CALLBACK_URL
            .call(&[Value::string("https://app.writer.com/x")])
            .is_err());
        assert_eq!(
            consent(Value::string(TENANT), CLIENT),
            Ok(Value::string(format!(
                "https://login.microsoftonline.com/{TENANT}/adminconsent?client_id={CLIENT}"
            )))
        );
        assert_eq!(
            consent(Value::Null, CLIENT),
            Ok(Value::string(format!(
                "https://login.microsoftonline.com/organizations/adminconsent?client_id={CLIENT}"
            )))
        );
        assert!(SharePointAdminConsentUrl.signature().parameters[0].allow_null);
        for (tenant, client_id, index, says) in [
            ("", CLIENT, 0, "leave `tenant_id` out (null)"),
            ("common", CLIENT, 0, "sign-in audience"),
            ("organizations", CLIENT, 0, "sign-in audience"),
            ("contoso.onmicrosoft.com", CLIENT, 0, "domain"),
            (TENANT, "fake-client-id-0001", 1, "Application (client) ID"),
        ] {
            let e = consent(Value::string(tenant), client_id).unwrap_err();
            assert_eq!(e.argument, Some(index), "{tenant:?} {client_id:?}: {e:?}");
            assert!(e.text.contains(says), "{tenant:?}: {}", e.text);
        }
    }

    #[test]
    fn bad_arguments_name_themselves_and_the_fix() {
        let good = "https://app.writer.com/connector/confluence";
        let cases: [(&str, &str, &[&str], usize, &str); 7] = [
            ("", good, &REQUIRED, 0, "Client ID"),
            ("fake client", good, &REQUIRED, 0, "no spaces"),
            (
                "fake-client-id-0001",
                "not a url",
                &REQUIRED,
                1,
                "confluence_callback_url",
            ),
            (
                "fake-client-id-0001",
                "https://app.writer.com/connector/confluence/",
                &REQUIRED,
                1,
                good,
            ),
            (
                "fake-client-id-0001",
                "https://app.writer.com/connector/sharepoint",
                &REQUIRED,
                1,
                good,
            ),
            (
                "fake-client-id-0001",
                good,
                &["search:confluence"],
                2,
                "read:space:confluence",
            ),
            (
                "fake-client-id-0001",
                good,
                &[
                    "search:confluence",
                    "read:space:confluence",
                    "read:pages:confluence",
                ],
                2,
                "read:page:confluence",
            ),
        ];
        for (client_id, callback, scopes, index, says) in cases {
            let e = authorize(client_id, callback, scopes).expect_err(callback);
            assert_eq!(
                e.argument,
                Some(index),
                "{client_id} {callback} {scopes:?}: {e:?}"
            );
            assert!(e.text.contains(says), "{says:?} not in {}", e.text);
        }
        let e = ConfluenceAuthorizationUrl
            .call(&[
                Value::string("fake-client-id-0001"),
                Value::string(good),
                Value::List(vec![Value::string("search:confluence"), Value::Null]),
            ])
            .expect_err("a null scope");
        assert_eq!(e.argument, Some(2));
    }
}
