//! The scopes of a Confluence OAuth app, judged against what Writer needs
//! and what Atlassian offers. A set: order and repeats never matter.
//!
//! Errors: a scope Writer needs is missing; a scope is malformed; an unknown
//! scope is a near miss of a known one (a typo Atlassian would reject, or a
//! permission silently not granted). Warnings: other unknown scopes (the
//! catalogue is not complete: Atlassian adds scopes), and scopes Writer does
//! not need: writing, deleting, administering, other products.

use std::sync::OnceLock;

use super::Finding;

/// What Writer's Confluence connector needs, and why (for the message).
const NEEDS: [(&str, &str); 3] = [
    ("search:confluence", "to find the pages and spaces to sync"),
    ("read:space:confluence", "to read the spaces it syncs"),
    ("read:page:confluence", "to read page content"),
];

/// The scopes every Confluence OAuth app for Writer must have.
pub const REQUIRED_SCOPES: [&str; 3] = [NEEDS[0].0, NEEDS[1].0, NEEDS[2].0];

/// Verbs of scopes that can change or administer Confluence.
const POWERFUL_VERBS: [&str; 4] = ["write", "delete", "manage", "moderate"];
/// Names of other Atlassian products, as they appear in scopes.
const OTHER_PRODUCTS: [&str; 7] = [
    "jira",
    "bitbucket",
    "servicedesk",
    "jsm",
    "opsgenie",
    "compass",
    "trello",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// `verb:confluence-thing` scopes of the first generation.
    Classic,
    /// `verb:thing:confluence` scopes.
    Granular,
    /// Platform scopes that 3LO apps may also request (`offline_access`, `read:me`...).
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownScope {
    pub name: &'static str,
    pub kind: ScopeKind,
    pub summary: &'static str,
}

/// The known scopes, from `confluence_scopes.tsv` (compiled in).
pub fn scope_catalogue() -> &'static [KnownScope] {
    static CATALOGUE: OnceLock<Vec<KnownScope>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        include_str!("confluence_scopes.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cols = l.splitn(3, '\t');
                let name = cols.next()?;
                let kind = match cols.next()? {
                    "classic" => ScopeKind::Classic,
                    "granular" => ScopeKind::Granular,
                    _ => ScopeKind::Other,
                };
                Some(KnownScope {
                    name,
                    kind,
                    summary: cols.next().unwrap_or(""),
                })
            })
            .collect()
    })
}

fn known(scope: &str) -> Option<&'static KnownScope> {
    scope_catalogue().iter().find(|k| k.name == scope)
}

/// Findings for a scope set, required scopes first, then each scope in order.
pub fn check_scopes(scopes: &[&str]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (needed, why) in NEEDS {
        if !scopes.contains(&needed) {
            out.push(Finding::error(
                format!("Missing scope {needed}"),
                format!(
                    "Writer's Confluence connector needs {needed} {why}. Add \"{needed}\" to scopes, \
                     and grant it to the Atlassian app (developer console > your app > Permissions > \
                     Confluence API > Configure)."
                ),
            ));
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for &scope in scopes {
        if seen.contains(&scope) {
            continue;
        }
        seen.push(scope);
        if let Some(f) = check_one(scope) {
            out.push(f.about(scope));
        }
    }
    out
}

fn check_one(scope: &str) -> Option<Finding> {
    if let Some(problem) = malformed(scope) {
        let cleaned: String = scope.to_ascii_lowercase().split_whitespace().collect();
        let hint = known(&cleaned)
            .map(|k| k.name)
            .or_else(|| suggestion(&cleaned))
            .map(|s| format!(" Did you mean \"{s}\"?"))
            .unwrap_or_default();
        return Some(Finding::error(
            format!("Malformed scope {scope:?}"),
            format!(
                "{problem}. Atlassian scopes are lower case, without spaces, of the form verb:thing \
                 (classic, e.g. \"search:confluence\") or verb:thing:product (granular, e.g. \
                 \"read:page:confluence\"); each scope is its own string in the list.{hint}"
            ),
        ));
    }
    if let Some(k) = known(scope) {
        if k.kind == ScopeKind::Other {
            if let Some(product) = other_product(scope) {
                return Some(not_confluence(scope, product));
            }
        }
        return over_privileged(scope, k.summary);
    }
    if let Some(s) = suggestion(scope) {
        return Some(Finding::error(
            format!("Unknown scope {scope:?}: did you mean \"{s}\"?"),
            format!(
                "{scope:?} is not a scope Atlassian offers for Confluence; did you mean \"{s}\"? \
                 Atlassian refuses unknown scopes, so the app would not get the permission. Fix it \
                 here and in the developer console."
            ),
        ));
    }
    if let Some(product) = other_product(scope) {
        return Some(not_confluence(scope, product));
    }
    if let Some(f) = over_privileged(scope, "") {
        return Some(f);
    }
    Some(Finding::warning(
        format!("Unknown scope {scope:?}"),
        format!(
            "{scope:?} is not in this provider's list of Confluence scopes (which may be out of date: \
             Atlassian adds scopes). It is kept as written; Writer needs only {}.",
            REQUIRED_SCOPES.join(", ")
        ),
    ))
}

fn not_confluence(scope: &str, product: &str) -> Finding {
    Finding::warning(
        format!("Scope {scope:?} is for {product}, not Confluence"),
        format!(
            "Writer only reads Confluence through this app, so {scope:?} is not needed. Remove it \
             here and in the developer console unless another tool uses this app (least privilege)."
        ),
    )
}

/// Why the scope is not well formed, if it is not.
fn malformed(scope: &str) -> Option<String> {
    if scope.is_empty() {
        return Some("The scope is empty".to_string());
    }
    if scope.chars().any(char::is_whitespace) {
        return Some(format!("The scope {scope:?} contains whitespace"));
    }
    if scope.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(format!("The scope {scope:?} has upper-case letters"));
    }
    if known(scope).is_some() {
        return None;
    }
    let parts: Vec<&str> = scope.split(':').collect();
    let well_formed = (2..=3).contains(&parts.len())
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c))
        });
    (!well_formed).then(|| format!("The scope {scope:?} is not of the form verb:thing[:product]"))
}

/// The known scope this one most likely meant: the closest by edit distance,
/// if close enough to be a typo rather than a different scope.
fn suggestion(scope: &str) -> Option<&'static str> {
    // Typos are a letter or two; real scopes differ by whole words.
    let limit = if scope.chars().count() < 12 { 1 } else { 2 };
    scope_catalogue()
        .iter()
        .map(|k| (strsim::damerau_levenshtein(scope, k.name), k.name))
        .filter(|(d, name)| *d <= limit && *name != scope)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

fn other_product(scope: &str) -> Option<&'static str> {
    let parts: Vec<&str> = scope.split(':').collect();
    let product_part = match parts.as_slice() {
        [_, _, product] => *product,
        [_, thing] => *thing,
        _ => return None,
    };
    if parts.len() == 3 && product_part == "confluence" {
        return None;
    }
    if parts == ["read", "me"] {
        return Some("Atlassian accounts");
    }
    OTHER_PRODUCTS
        .iter()
        .find(|p| product_part.contains(*p))
        .map(|p| match *p {
            "jira" => "Jira",
            "bitbucket" => "Bitbucket",
            "servicedesk" | "jsm" => "Jira Service Management",
            "opsgenie" => "Opsgenie",
            "compass" => "Compass",
            _ => "Trello",
        })
        .or_else(|| (parts.len() == 3).then_some("another product"))
}

fn over_privileged(scope: &str, summary: &str) -> Option<Finding> {
    let verb = scope.split(':').next().unwrap_or("");
    if !POWERFUL_VERBS.contains(&verb) {
        return None;
    }
    let what = if summary.is_empty() {
        String::new()
    } else {
        format!(" ({})", summary.trim_end_matches('.').to_lowercase())
    };
    Some(Finding::warning(
        format!("Scope {scope} lets the app change Confluence"),
        format!(
            "Writer only reads Confluence, but {scope}{what} lets whoever holds a token of this app \
             {verb} content. Remove it here and in the developer console (least privilege), unless \
             another tool uses this app."
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Severity;

    fn findings(scopes: &[&str]) -> Vec<Finding> {
        let mut all = REQUIRED_SCOPES.to_vec();
        all.extend_from_slice(scopes);
        check_scopes(&all)
    }

    fn one(scope: &str) -> Finding {
        let f = findings(&[scope]);
        assert_eq!(f.len(), 1, "{scope:?}: {f:?}");
        assert_eq!(f[0].element.as_deref(), Some(scope));
        f[0].clone()
    }

    #[test]
    fn the_required_set_passes_in_any_order_and_with_repeats() {
        assert!(check_scopes(&REQUIRED_SCOPES).is_empty());
        let shuffled = [
            "read:page:confluence",
            "search:confluence",
            "read:space:confluence",
            "search:confluence",
        ];
        assert!(check_scopes(&shuffled).is_empty());
    }

    #[test]
    fn each_missing_scope_is_named() {
        let f = check_scopes(&["search:confluence"]);
        let missing: Vec<&str> = f.iter().map(|f| f.summary.as_str()).collect();
        assert_eq!(
            missing,
            [
                "Missing scope read:space:confluence",
                "Missing scope read:page:confluence"
            ]
        );
        assert!(f
            .iter()
            .all(|f| f.severity == Severity::Error && f.detail.contains("developer console")));
        assert_eq!(check_scopes(&[]).len(), 3);
    }

    #[test]
    fn malformed_scopes_are_errors() {
        for (scope, says) in [
            ("", "empty"),
            ("read: page:confluence", "whitespace"),
            ("read:page:confluence search:confluence", "whitespace"),
            ("READ:PAGE:CONFLUENCE", "upper-case"),
            ("Read:Page:Confluence", "upper-case"),
            ("confluence", "verb:thing"),
            ("read::confluence", "verb:thing"),
            ("read:page:confluence:extra", "verb:thing"),
            ("read:page!:confluence", "verb:thing"),
        ] {
            let f = one(scope);
            assert_eq!(f.severity, Severity::Error, "{scope:?}");
            assert!(f.detail.contains(says), "{scope:?}: {}", f.detail);
        }
        assert!(one("READ:PAGE:CONFLUENCE")
            .detail
            .contains("Did you mean \"read:page:confluence\"?"));
    }

    #[test]
    fn near_misses_are_errors_with_the_likely_scope() {
        for (typo, meant) in [
            ("read:pages:confluence", "read:page:confluence"),
            ("serch:confluence", "search:confluence"),
            ("read:page:confluense", "read:page:confluence"),
            ("read:spaces:confluence", "read:space:confluence"),
            ("read:blogpost:confluenc", "read:blogpost:confluence"),
            ("write:confluence-contents", "write:confluence-content"),
        ] {
            let f = one(typo);
            assert_eq!(f.severity, Severity::Error, "{typo}");
            assert!(
                f.summary.contains(&format!("did you mean \"{meant}\"")),
                "{typo}: {}",
                f.summary
            );
        }
    }

    #[test]
    fn real_scopes_that_differ_by_a_word_are_not_typos() {
        // Known scopes never get "did you mean", however close another is.
        for scope in [
            "read:space:confluence",
            "read:page:confluence",
            "read:blogpost:confluence",
            "read:label:confluence",
        ] {
            assert!(findings(&[scope]).is_empty(), "{scope}");
        }
        // An unknown but plausible future scope is a warning, not a typo.
        let f = one("read:future-thing:confluence");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.summary.starts_with("Unknown scope"));
    }

    #[test]
    fn powerful_and_foreign_scopes_warn() {
        for (scope, says) in [
            ("write:page:confluence", "change"),
            ("delete:space:confluence", "delete"),
            ("manage:confluence-configuration", "manage"),
            ("write:confluence-content", "write"),
            ("read:jira-work", "Jira"),
            ("read:issue:jira", "Jira"),
            ("read:me", "Atlassian accounts"),
            ("read:repository:bitbucket", "Bitbucket"),
        ] {
            let f = one(scope);
            assert_eq!(f.severity, Severity::Warning, "{scope}");
            assert!(
                format!("{} {}", f.summary, f.detail).contains(says),
                "{scope}: {f:?}"
            );
        }
    }

    #[test]
    fn offline_access_and_plain_reads_are_fine() {
        for scope in [
            "offline_access",
            "read:content:confluence",
            "readonly:content.attachment:confluence",
        ] {
            assert!(findings(&[scope]).is_empty(), "{scope}");
        }
    }

    #[test]
    fn the_catalogue_is_compiled_in() {
        let c = scope_catalogue();
        assert!(c.len() > 90, "{}", c.len());
        for required in REQUIRED_SCOPES {
            assert!(c.iter().any(|k| k.name == required), "{required}");
        }
        assert!(c
            .iter()
            .any(|k| k.kind == ScopeKind::Classic && k.name == "search:confluence"));
        assert!(c.iter().all(|k| !k.summary.is_empty()));
    }
}
