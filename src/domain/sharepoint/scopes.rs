//! Which Microsoft Graph delegated permissions Writer's SharePoint app must
//! have, may have, and should not have (the `scopes` of the app).
//!
//! Writer reads SharePoint as the signed-in user: `User.Read` always, and
//! either `Sites.Read.All` with `Files.Read.All` (every site), or
//! `Sites.Selected` (only the sites a SharePoint admin grants the app
//! through Graph). Permission names are matched exactly, as Entra's API
//! permissions page lists them: `sites.read.all` is a mistake. Findings come
//! in a fixed order and one per kind, naming a few scopes and counting the
//! rest, so a generated list gives a handful of messages.

use std::collections::BTreeSet;

use crate::domain::finding::Finding;
use crate::domain::quote;

pub const USER_READ: &str = "User.Read";
pub const SITES_READ_ALL: &str = "Sites.Read.All";
pub const SITES_SELECTED: &str = "Sites.Selected";
pub const FILES_READ_ALL: &str = "Files.Read.All";

/// The permissions of the default: the whole of SharePoint, read-only.
pub const REQUIRED_SCOPES: [&str; 3] = [USER_READ, SITES_READ_ALL, FILES_READ_ALL];

/// More than Writer's SharePoint app could use: it needs three or four, and
/// the names below are 22.
pub const MAX_SCOPES: usize = 100;

/// Graph permissions that grant writing, managing or full control.
const WRITE: [&str; 7] = [
    "Sites.ReadWrite.All",
    "Sites.Manage.All",
    "Sites.FullControl.All",
    "Files.ReadWrite",
    "Files.ReadWrite.All",
    "Files.ReadWrite.AppFolder",
    "Files.ReadWrite.Selected",
];

/// The other names Writer knows (beside [`WRITE`]), as Entra spells them,
/// for case and typo checks.
const READ: [&str; 15] = [
    USER_READ,
    SITES_READ_ALL,
    SITES_SELECTED,
    FILES_READ_ALL,
    "Files.Read",
    "Files.Read.Selected",
    "User.ReadBasic.All",
    "User.Read.All",
    "offline_access",
    "openid",
    "profile",
    "email",
    "Group.Read.All",
    "Directory.Read.All",
    "Mail.Read",
];

/// Every name Writer knows.
fn known() -> impl Iterator<Item = &'static str> {
    READ.into_iter().chain(WRITE)
}

/// How Graph's own resource prefixes a permission in a token request.
const GRAPH: &str = "https://graph.microsoft.com/";

/// One kind of problem, with the scopes that have it (sorted).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mistake<'a> {
    TooMany(usize),
    MissingUserRead,
    NoSites,
    MissingFiles,
    /// Empty, or with spaces or commas (two permissions in one string).
    Malformed(Vec<&'a str>),
    /// A known name in other case: `sites.read.all`.
    WrongCase(Vec<(&'a str, &'static str)>),
    /// A near miss of a known name: `Site.Read.All`.
    Typo(Vec<(&'a str, &'static str)>),
    /// `https://graph.microsoft.com/Sites.Read.All`: the resource's prefix.
    Qualified(Vec<&'a str>),
    BothSites,
    FilesBesideSelected,
    /// `.default`: the application-permission (client credentials) form.
    Default(Vec<&'a str>),
    Write(Vec<&'a str>),
    Unknown(Vec<&'a str>),
}

fn known_in_any_case(scope: &str) -> Option<&'static str> {
    known().find(|k| k.eq_ignore_ascii_case(scope))
}

fn near_miss(scope: &str) -> Option<&'static str> {
    if scope.len() > 64 {
        return None; // the edit distance is quadratic; no known name is this long
    }
    let lower = scope.to_ascii_lowercase();
    known().find(|k| strsim::damerau_levenshtein(&lower, &k.to_ascii_lowercase()) <= 2)
}

fn diagnose<'a>(scopes: &[&'a str]) -> Vec<Mistake<'a>> {
    let set: BTreeSet<&'a str> = scopes.iter().copied().collect();
    if set.len() > MAX_SCOPES {
        return vec![Mistake::TooMany(set.len())];
    }
    let has = |s: &str| set.contains(s);
    let mut out = Vec::new();
    if !has(USER_READ) {
        out.push(Mistake::MissingUserRead);
    }
    if !has(SITES_READ_ALL) && !has(SITES_SELECTED) {
        out.push(Mistake::NoSites);
    }
    if has(SITES_READ_ALL) && !has(FILES_READ_ALL) {
        out.push(Mistake::MissingFiles);
    }
    let (mut malformed, mut case, mut typo, mut qualified) = (vec![], vec![], vec![], vec![]);
    let (mut default, mut write, mut unknown) = (vec![], vec![], vec![]);
    for &s in &set {
        let bare = s
            .get(..GRAPH.len())
            .filter(|p| p.eq_ignore_ascii_case(GRAPH))
            .map(|_| &s[GRAPH.len()..]);
        if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c == ',') {
            malformed.push(s);
        } else if s == ".default" || bare == Some(".default") {
            default.push(s);
        } else if bare.is_some() {
            qualified.push(s);
        } else if WRITE.contains(&s) {
            write.push(s);
        } else if READ.contains(&s) {
            continue; // a name Writer accepts as it is
        } else if let Some(k) = known_in_any_case(s) {
            case.push((s, k));
        } else if let Some(k) = near_miss(s) {
            typo.push((s, k));
        } else {
            unknown.push(s);
        }
    }
    let push = |out: &mut Vec<Mistake<'a>>, empty: bool, m: Mistake<'a>| {
        if !empty {
            out.push(m);
        }
    };
    push(
        &mut out,
        malformed.is_empty(),
        Mistake::Malformed(malformed),
    );
    push(&mut out, case.is_empty(), Mistake::WrongCase(case));
    push(&mut out, typo.is_empty(), Mistake::Typo(typo));
    push(
        &mut out,
        qualified.is_empty(),
        Mistake::Qualified(qualified),
    );
    if has(SITES_READ_ALL) && has(SITES_SELECTED) {
        out.push(Mistake::BothSites);
    }
    if has(SITES_SELECTED) && has(FILES_READ_ALL) && !has(SITES_READ_ALL) {
        out.push(Mistake::FilesBesideSelected);
    }
    push(&mut out, default.is_empty(), Mistake::Default(default));
    push(&mut out, write.is_empty(), Mistake::Write(write));
    push(&mut out, unknown.is_empty(), Mistake::Unknown(unknown));
    out
}

/// At most three scopes, quoted, and how many more.
fn some(scopes: &[&str]) -> String {
    let shown: Vec<String> = scopes
        .iter()
        .take(3)
        .map(|s| format!("`{}`", quote::text(s)))
        .collect();
    match scopes.len() {
        n if n > 3 => format!("{} and {} more", shown.join(", "), quote::count(n - 3)),
        _ => shown.join(", "),
    }
}

/// The one scope of `found`, when there is exactly one.
fn one_pair(found: &[(&str, &str)]) -> Option<String> {
    (found.len() == 1).then(|| found[0].0.to_string())
}

fn pairs(found: &[(&str, &str)]) -> String {
    let firsts: Vec<&str> = found.iter().map(|(s, _)| *s).collect();
    let wanted: Vec<String> = found
        .iter()
        .take(3)
        .map(|(_, k)| format!("`{k}`"))
        .collect();
    format!("{} (meant: {})", some(&firsts), wanted.join(", "))
}

const BOTH_WAYS: &str = "Writer's SharePoint app needs `User.Read` and either `Sites.Read.All` \
     with `Files.Read.All` (every site) or `Sites.Selected` (only the sites a SharePoint admin \
     grants the app). Add them under API permissions > Microsoft Graph > Delegated permissions \
     in the Entra admin center, and here.";

impl Mistake<'_> {
    fn finding(&self) -> Finding {
        let one = |scopes: &[&str]| (scopes.len() == 1).then(|| scopes[0].to_string());
        let (finding, element) = match self {
            Mistake::TooMany(n) => (
                Finding::error(
                    "Too many scopes",
                    format!(
                        "There are {} distinct scopes; a SharePoint app has at most \
                         {MAX_SCOPES}. {BOTH_WAYS}",
                        quote::count(*n)
                    ),
                ),
                None,
            ),
            Mistake::MissingUserRead => (
                Finding::error(
                    "Missing scope User.Read",
                    format!("Writer signs the user in with `User.Read`. {BOTH_WAYS}"),
                ),
                None,
            ),
            Mistake::NoSites => (
                Finding::error(
                    "Missing a SharePoint sites permission",
                    format!("Neither `Sites.Read.All` nor `Sites.Selected` is here. {BOTH_WAYS}"),
                ),
                None,
            ),
            Mistake::MissingFiles => (
                Finding::error(
                    "Missing scope Files.Read.All",
                    "With `Sites.Read.All`, Writer reads the sites' files through \
                     `Files.Read.All`: add it (API permissions > Microsoft Graph > Delegated), \
                     or use `Sites.Selected` instead of both."
                        .to_string(),
                ),
                None,
            ),
            Mistake::Malformed(s) => (
                Finding::error(
                    "Malformed scope",
                    format!(
                        "{} is not one permission name: each scope is one name such as \
                         `Sites.Read.All`, without spaces or commas. Write each as its own \
                         element of `scopes`.",
                        some(s)
                    ),
                ),
                one(s),
            ),
            Mistake::WrongCase(found) => (
                Finding::error(
                    "Scope in the wrong case",
                    format!(
                        "{}: Microsoft Graph permission names are matched exactly here, as Entra's \
                         API permissions page spells them. Write them in that case.",
                        pairs(found)
                    ),
                ),
                one_pair(found),
            ),
            Mistake::Typo(found) => (
                Finding::error(
                    "Unknown scope, did you mean another?",
                    format!(
                        "{} is not a Microsoft Graph permission Writer knows. Use the name as \
                         Entra's API permissions page lists it.",
                        pairs(found)
                    ),
                ),
                one_pair(found),
            ),
            Mistake::Qualified(s) => (
                Finding::error(
                    "Scope with a resource prefix",
                    format!(
                        "{} has Microsoft Graph's prefix `{GRAPH}`. Writer records the \
                         permission names alone, as Entra lists them (`Sites.Read.All`).",
                        some(s)
                    ),
                ),
                one(s),
            ),
            Mistake::BothSites => (
                Finding::warning(
                    "Sites.Selected is pointless beside Sites.Read.All",
                    "`Sites.Read.All` already reaches every site, so `Sites.Selected` limits \
                     nothing. To limit the sync to chosen sites, keep `Sites.Selected` and \
                     `User.Read` and remove `Sites.Read.All` and `Files.Read.All`; otherwise \
                     remove `Sites.Selected`.",
                ),
                None,
            ),
            Mistake::FilesBesideSelected => (
                Finding::warning(
                    "Files.Read.All undoes Sites.Selected",
                    "`Files.Read.All` lets the app read the files of every site, which \
                     `Sites.Selected` is meant to prevent. With `Sites.Selected`, remove \
                     `Files.Read.All`.",
                ),
                None,
            ),
            Mistake::Default(s) => (
                Finding::warning(
                    "Application-permission scope",
                    format!(
                        "{} asks for every permission of the registration at once, the form of \
                         application permissions (an app acting without a user). Writer's \
                         SharePoint app signs users in with delegated permissions and needs only \
                         those it names: list them instead (least privilege).",
                        some(s)
                    ),
                ),
                one(s),
            ),
            Mistake::Write(s) => (
                Finding::warning(
                    "Write permission not needed",
                    format!(
                        "{} lets the app change SharePoint content; Writer only reads it. Remove \
                         it, here and in Entra (least privilege).",
                        some(s)
                    ),
                ),
                one(s),
            ),
            Mistake::Unknown(s) => (
                Finding::warning(
                    "Scope Writer does not use",
                    format!(
                        "{} is not a permission Writer's SharePoint app uses. {BOTH_WAYS}",
                        some(s)
                    ),
                ),
                one(s),
            ),
        };
        match element {
            Some(e) => finding.about(&e),
            None => finding,
        }
    }
}

/// Checks a set of Graph permissions; empty means nothing to say.
pub fn check_scopes(scopes: &[&str]) -> Vec<Finding> {
    diagnose(scopes).iter().map(Mistake::finding).collect()
}

#[cfg(test)]
mod tests {
    use super::Mistake::*;
    use super::*;
    use crate::domain::Severity;

    const U: &str = USER_READ;
    const ALL: &str = SITES_READ_ALL;
    const SEL: &str = SITES_SELECTED;
    const FILES: &str = FILES_READ_ALL;

    #[test]
    #[rustfmt::skip]
    fn judges_permission_sets() {
        let cases: Vec<(Vec<&str>, Vec<Mistake>)> = vec![
            // Correct: every site, or chosen sites, in any order, with extras Writer accepts.
            (vec![U, ALL, FILES], vec![]),
            (vec![FILES, ALL, U, U], vec![]),
            (vec![U, SEL], vec![]),
            (vec![U, SEL, "offline_access", "openid"], vec![]),
            // Missing.
            (vec![ALL, FILES], vec![MissingUserRead]),
            (vec![U], vec![NoSites]),
            (vec![U, FILES], vec![NoSites]),
            (vec![U, ALL], vec![MissingFiles]),
            (vec![], vec![MissingUserRead, NoSites]),
            // Case mistakes: Graph names are matched exactly.
            (vec![U, "sites.read.all", FILES], vec![NoSites, WrongCase(vec![("sites.read.all", ALL)])]),
            (vec!["user.read", SEL], vec![MissingUserRead, WrongCase(vec![("user.read", U)])]),
            (vec![U, "SITES.SELECTED"], vec![NoSites, WrongCase(vec![("SITES.SELECTED", SEL)])]),
            // Typos and prefixes.
            (vec![U, "Site.Read.All", FILES], vec![NoSites, Typo(vec![("Site.Read.All", ALL)])]),
            (vec![U, SEL, "https://graph.microsoft.com/User.Read"], vec![Qualified(vec!["https://graph.microsoft.com/User.Read"])]),
            (vec![U, SEL, "User.Read Sites.Selected"], vec![Malformed(vec!["User.Read Sites.Selected"])]),
            (vec![U, SEL, "User.Read,Sites.Selected"], vec![Malformed(vec!["User.Read,Sites.Selected"])]),
            (vec![U, SEL, ""], vec![Malformed(vec![""])]),
            // Warnings: both ways at once, Files.Read.All undoing Sites.Selected, least privilege.
            (vec![U, ALL, FILES, SEL], vec![BothSites]),
            (vec![U, SEL, FILES], vec![FilesBesideSelected]),
            (vec![U, SEL, "https://graph.microsoft.com/.default"], vec![Default(vec!["https://graph.microsoft.com/.default"])]),
            (vec![U, SEL, ".default"], vec![Default(vec![".default"])]),
            (vec![U, ALL, FILES, "Sites.ReadWrite.All", "Files.ReadWrite.All"], vec![Write(vec!["Files.ReadWrite.All", "Sites.ReadWrite.All"])]),
            (vec![U, SEL, "Sites.FullControl.All"], vec![Write(vec!["Sites.FullControl.All"])]),
            (vec![U, SEL, "Calendars.Read"], vec![Unknown(vec!["Calendars.Read"])]),
        ];
        for (scopes, expected) in cases {
            assert_eq!(diagnose(&scopes), expected, "{scopes:?}");
        }
    }

    #[test]
    fn errors_and_warnings_say_the_fix() {
        let only = |scopes: &[&str]| {
            let f = check_scopes(scopes);
            assert_eq!(f.len(), 1, "{scopes:?}: {f:?}");
            f.into_iter().next().unwrap()
        };
        let f = only(&[ALL, FILES]);
        assert_eq!(
            (f.severity, f.summary.as_str()),
            (Severity::Error, "Missing scope User.Read")
        );
        let f = only(&[U, "Sites.Read.All", "Files.Read.All", "Sites.Selected"]);
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.detail.contains("remove `Sites.Read.All`"), "{}", f.detail);
        let f = check_scopes(&[U, FILES, "sites.read.all"]);
        assert_eq!(f[1].summary, "Scope in the wrong case");
        assert!(
            f[1].detail
                .contains("`sites.read.all` (meant: `Sites.Read.All`)"),
            "{}",
            f[1].detail
        );
        assert_eq!(f[1].element.as_deref(), Some("sites.read.all"));
        let f = only(&[U, ALL, FILES, "Sites.ReadWrite.All"]);
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.detail.contains("least privilege"));
    }

    #[test]
    fn many_scopes_give_few_findings_and_the_cap_is_an_error() {
        let names: Vec<String> = (0..MAX_SCOPES).map(|i| format!("Custom{i}.Read")).collect();
        let mut scopes: Vec<&str> = names.iter().map(String::as_str).collect();
        scopes.truncate(MAX_SCOPES - 2);
        scopes.extend([U, SEL]);
        let f = check_scopes(&scopes);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].detail.contains("and 95 more"), "{}", f[0].detail);
        scopes.push("One.More");
        let f = check_scopes(&scopes);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].severity, f[0].summary.as_str()),
            (Severity::Error, "Too many scopes")
        );
        assert!(f[0].detail.contains(&format!("at most {MAX_SCOPES}")));
    }

    #[test]
    fn the_names_writer_knows_are_distinct_and_far_under_the_cap() {
        let names: BTreeSet<&str> = known().collect();
        assert_eq!(names.len(), 22);
        assert_eq!(known().count(), 22, "no name twice");
        assert!(names.len() < MAX_SCOPES);
        assert!(REQUIRED_SCOPES.iter().all(|r| READ.contains(r)));
    }

    #[test]
    fn a_pasted_megabyte_is_judged_quickly() {
        let huge = "S".repeat(1_000_000);
        let f = check_scopes(&[U, SEL, &huge]);
        assert_eq!(f.len(), 1);
        assert!(f[0].detail.len() < 2_000, "{}", f[0].detail.len());
    }
}
