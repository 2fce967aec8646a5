//! The IDs of a Microsoft Entra app registration, which are GUIDs: the
//! Application (client) ID and the Directory (tenant) ID; and the one
//! mistake with its secret that can be told from the secret itself (its
//! Secret ID pasted for its Value: the ID is a GUID, a Value never is).
//!
//! Detection (`Mistake`) apart from wording (`finding`). The secret rule
//! sees a secret: its finding never quotes it.

use crate::domain::finding::Finding;
use crate::domain::quote;

/// What can be wrong with a GUID-shaped ID.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mistake {
    /// `""`: a multitenant app leaves the tenant out instead.
    Empty,
    /// `{…}`: the registry form of a GUID.
    Braces,
    /// `common`, `organizations`, `consumers`: sign-in audiences, not tenants.
    Audience(&'static str),
    /// `contoso.onmicrosoft.com`: a tenant's domain, not its ID.
    Domain,
    /// White space around it (`quote::surrounding_space`'s words).
    Spaces(String),
    NotAGuid,
}

/// `8-4-4-4-12` hexadecimal digits, either case (Entra shows lower case):
/// the hyphenated form only. `uuid` also reads the simple (32 digits),
/// braced and `urn:uuid:` forms, which Entra never shows; the length picks
/// the hyphenated one (braces are a mistake of their own: [`is_braced_guid`]).
pub(crate) fn is_guid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

/// `{8-4-4-4-12}`, the registry form.
fn is_braced_guid(s: &str) -> bool {
    s.len() == 38 && s.starts_with('{') && uuid::Uuid::try_parse(s).is_ok()
}

const AUDIENCES: [&str; 3] = ["common", "organizations", "consumers"];

fn diagnose_guid(s: &str) -> Option<Mistake> {
    if is_guid(s) {
        None
    } else if s.is_empty() {
        Some(Mistake::Empty)
    } else if let Some(spaces) = quote::surrounding_space(s) {
        Some(Mistake::Spaces(spaces))
    } else if is_braced_guid(s) {
        Some(Mistake::Braces)
    } else {
        Some(Mistake::NotAGuid)
    }
}

fn diagnose_tenant(s: &str) -> Option<Mistake> {
    if let Some(a) = AUDIENCES.iter().find(|a| a.eq_ignore_ascii_case(s.trim())) {
        return Some(Mistake::Audience(a));
    }
    match diagnose_guid(s) {
        Some(Mistake::NotAGuid) if s.contains('.') && !s.chars().any(char::is_whitespace) => {
            Some(Mistake::Domain)
        }
        other => other,
    }
}

const TENANT_WHERE: &str = "Copy the Directory (tenant) ID from the app registration's Overview \
     page in the Microsoft Entra admin center, a GUID such as \
     `aaaabbbb-0000-cccc-1111-dddd2222eeee`.";
const MULTITENANT_FIX: &str = "For a multitenant app (Supported account types: accounts in any \
     organizational directory) leave `tenant_id` out (null).";

impl Mistake {
    fn tenant_finding(&self, input: &str) -> Finding {
        let shown = quote::text(input);
        let (summary, detail) = match self {
            Mistake::Empty => (
                "Empty tenant_id",
                format!("`tenant_id` is empty. {MULTITENANT_FIX} {TENANT_WHERE}"),
            ),
            Mistake::Audience(a) => (
                "tenant_id is a sign-in audience, not a tenant",
                format!(
                    "`{a}` names who may sign in, not a tenant, and Writer's SharePoint app takes \
                     a tenant ID only for a single-tenant app registration. {MULTITENANT_FIX} For \
                     a single-tenant one, {}",
                    lower_first(TENANT_WHERE)
                ),
            ),
            Mistake::Domain => (
                "tenant_id is a domain, not the tenant ID",
                format!(
                    "`{shown}` looks like a domain of the tenant; Writer needs the tenant's ID. \
                     {TENANT_WHERE}"
                ),
            ),
            Mistake::Spaces(spaces) => (
                "tenant_id has white space around it",
                format!("`{shown}` {spaces}; remove it (trimspace() in HCL). {TENANT_WHERE}"),
            ),
            Mistake::Braces => (
                "tenant_id has braces",
                format!("`{shown}` is a GUID in braces; write it without them. {TENANT_WHERE}"),
            ),
            Mistake::NotAGuid => (
                "tenant_id is not a tenant ID",
                format!("`{shown}` is not a GUID. {TENANT_WHERE} {MULTITENANT_FIX}"),
            ),
        };
        Finding::error(summary, detail)
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The rules of `tenant_id`: the Directory (tenant) ID of a single-tenant
/// app registration, a GUID. Empty means correct.
pub fn check_tenant_id(input: &str) -> Vec<Finding> {
    diagnose_tenant(input)
        .map(|m| m.tenant_finding(input))
        .into_iter()
        .collect()
}

const CLIENT_ID_WHERE: &str = "Copy the Application (client) ID from the app registration's \
     Overview page in the Microsoft Entra admin center, a GUID such as \
     `00001111-aaaa-2222-bbbb-3333cccc4444`.";

/// The Application (client) ID, a GUID. `None` means correct.
pub fn check_client_id(input: &str) -> Option<Finding> {
    let shown = quote::text(input);
    let detail = match diagnose_guid(input)? {
        Mistake::Braces => format!("`{shown}` is a GUID in braces; write it without them."),
        Mistake::Spaces(spaces) => format!("`{shown}` {spaces}; remove it."),
        _ => format!("`{shown}` is not an Application (client) ID, which is a GUID."),
    };
    Some(Finding::error(
        "Invalid client_id",
        format!("{detail} {CLIENT_ID_WHERE}"),
    ))
}

/// A secret that is a GUID is the secret's Secret ID: Entra shows both, and
/// Writer needs the Value. The finding does not quote the secret.
pub fn check_secret(secret: &str) -> Option<Finding> {
    is_guid(secret.trim()).then(|| {
        Finding::error(
            "This is the secret's ID, not its value",
            "The client secret is shaped like a GUID, which is what Entra shows as the secret's \
             Secret ID. Writer needs its Value: in the Microsoft Entra admin center, App \
             registrations > the app > Certificates & secrets > Client secrets, copy the Value \
             column (shown in full only right after the secret is added; if it is hidden now, \
             add a new secret).",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TENANT: &str = "11111111-2222-4333-8444-555555555555";

    #[test]
    #[rustfmt::skip]
    fn judges_tenants() {
        let cases: [(&str, Option<Mistake>); 12] = [
            (TENANT, None),
            ("ABCDEF11-2222-4333-8444-55555555AAAA", None),
            ("", Some(Mistake::Empty)),
            ("common", Some(Mistake::Audience("common"))),
            ("Organizations", Some(Mistake::Audience("organizations"))),
            ("consumers", Some(Mistake::Audience("consumers"))),
            ("contoso.onmicrosoft.com", Some(Mistake::Domain)),
            ("{11111111-2222-4333-8444-555555555555}", Some(Mistake::Braces)),
            ("11111111222243338444555555555555", Some(Mistake::NotAGuid)),
            ("11111111-2222-4333-8444-55555555555", Some(Mistake::NotAGuid)),
            ("1111111g-2222-4333-8444-555555555555", Some(Mistake::NotAGuid)),
            (" 11111111-2222-4333-8444-555555555555", Some(Mistake::Spaces("starts with a space".into()))),
        ];
        for (input, mistake) in cases {
            assert_eq!(diagnose_tenant(input), mistake, "{input:?}");
            assert_eq!(check_tenant_id(input).len(), usize::from(mistake.is_some()), "{input:?}");
        }
    }

    /// What `uuid` reads and what the rules take: Entra shows the hyphenated
    /// form, and only that form is a GUID here; `uuid`'s other forms are
    /// refused as before (braces with their own finding).
    #[test]
    #[rustfmt::skip]
    fn guid_forms_accepted_and_refused() {
        let cases: [(&str, Option<Mistake>); 12] = [
            ("11111111-2222-4333-8444-555555555555", None),
            ("abcdef11-2222-4333-8444-55555555aaaa", None),
            ("AbCdEf11-2222-4333-8444-55555555aAaA", None),
            // Not a v4 (nor any) version: Entra IDs are GUIDs, no more.
            ("00000000-0000-0000-0000-000000000000", None),
            ("{11111111-2222-4333-8444-555555555555}", Some(Mistake::Braces)),
            ("{11111111222243338444555555555555}", Some(Mistake::NotAGuid)),
            ("11111111222243338444555555555555", Some(Mistake::NotAGuid)),
            ("urn:uuid:11111111-2222-4333-8444-555555555555", Some(Mistake::NotAGuid)),
            ("URN:UUID:11111111-2222-4333-8444-555555555555", Some(Mistake::NotAGuid)),
            ("(11111111-2222-4333-8444-555555555555)", Some(Mistake::NotAGuid)),
            ("111111112-222-4333-8444-555555555555", Some(Mistake::NotAGuid)),
            ("11111111-2222-4333-8444-5555555555\u{e9}", Some(Mistake::NotAGuid)),
        ];
        for (input, mistake) in cases {
            assert_eq!(diagnose_guid(input), mistake, "{input:?}");
            assert_eq!(check_client_id(input).is_some(), mistake.is_some(), "{input:?}");
            assert_eq!(check_tenant_id(input).len(), usize::from(mistake.is_some()), "{input:?}");
            assert_eq!(check_secret(input).is_some(), mistake.is_none(), "{input:?}");
        }
    }

    #[test]
    fn tenant_findings_name_the_fix() {
        let says = |input: &str| check_tenant_id(input).remove(0).detail;
        assert!(
            says("common").contains("leave `tenant_id` out"),
            "{}",
            says("common")
        );
        assert!(says("organizations").contains("Directory (tenant) ID"));
        assert!(says("").contains("leave `tenant_id` out"));
        assert!(says("contoso.onmicrosoft.com").contains("looks like a domain"));
        assert!(says("{11111111-2222-4333-8444-555555555555}").contains("without them"));
        assert!(says("nope").contains("`nope` is not a GUID"));
        assert!(
            says("11111111-2222-4333-8444-555555555555 ").starts_with(
                "`11111111-2222-4333-8444-555555555555 ` ends with a space; remove it"
            ),
            "{}",
            says("11111111-2222-4333-8444-555555555555 ")
        );
    }

    #[test]
    fn client_ids_are_guids() {
        assert_eq!(check_client_id(TENANT), None);
        for (input, says) in [
            (
                "fake-client-id-0001",
                "`fake-client-id-0001` is not an Application (client) ID",
            ),
            ("{11111111-2222-4333-8444-555555555555}", "without them"),
            ("", "is not an Application (client) ID"),
        ] {
            let f = check_client_id(input).expect(input);
            assert_eq!(f.summary, "Invalid client_id");
            assert!(f.detail.contains(says), "{input}: {}", f.detail);
            assert!(f.detail.contains("Overview page"));
        }
    }

    #[test]
    fn a_guid_secret_is_its_id_and_is_never_quoted() {
        let id = "0a1b2c3d-0000-4000-8000-00000000fake".replace("fake", "beef");
        let f = check_secret(&id).expect("a GUID is a Secret ID");
        assert!(f.detail.contains("Value"), "{}", f.detail);
        assert!(!f.detail.contains(&id) && !f.summary.contains(&id));
        assert!(!f.detail.contains("0a1b2c3d"));
        // A Value (about 40 characters with `~`) is fine.
        assert_eq!(
            check_secret("fake8Q~not-a-real-secret-value-000000000"),
            None
        );
        assert_eq!(check_secret("fake-secret-0001"), None);
    }
}
