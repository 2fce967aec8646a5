//! Which OAuth scopes Writer's Confluence app must have, may have, and should
//! not have.
//!
//! Scopes are a set: findings never depend on order or duplicates, and come in
//! a fixed order (missing required scopes first, then one finding at most per
//! scope, sorted by scope). Errors are for what certainly breaks the sync (a
//! required scope missing, a string that cannot be a scope, a typo of a known
//! scope); warnings for what works but asks for more than Writer needs, or what
//! the catalogue does not know (it is not complete, so unknown is not wrong).

mod catalogue;

use std::collections::BTreeSet;

use super::Finding;

/// What Writer's Confluence connector needs: the classic search scope and the
/// granular read scopes for spaces and pages.
pub const REQUIRED_SCOPES: [&str; 3] = [
    "search:confluence",
    "read:space:confluence",
    "read:page:confluence",
];

/// Verbs that let an app change Confluence, where Writer only reads it.
const PRIVILEGED_VERBS: [&str; 5] = ["write", "delete", "manage", "moderate", "admin"];

/// Where scopes are added to or removed from the app.
const CONSOLE_PERMISSIONS: &str =
    "the Atlassian developer console (Your apps > the app > Permissions)";
const CONSOLE_CONFLUENCE: &str =
    "the Atlassian developer console (Your apps > the app > Permissions > Confluence API)";

/// Scopes are lower-case words joined by `:`; these are the word characters.
fn is_word_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_')
}

/// How Atlassian groups a scope in the developer console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    /// The older, coarse scopes such as `search:confluence`.
    Classic,
    /// Fine-grained `verb:thing:confluence` scopes such as `read:page:confluence`.
    Granular,
    /// Scopes outside the Confluence tables, such as `offline_access`.
    Other,
}

/// A scope this provider knows of, with what it grants in a few words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownScope {
    pub name: &'static str,
    pub kind: ScopeKind,
    pub summary: &'static str,
}

/// Every scope this provider knows of; not guaranteed complete.
pub fn scope_catalogue() -> &'static [KnownScope] {
    catalogue::CATALOGUE
}

fn known(name: &str) -> Option<&'static KnownScope> {
    scope_catalogue().iter().find(|k| k.name == name)
}

/// Checks a set of scopes; empty means nothing to say.
pub fn check_scopes(scopes: &[&str]) -> Vec<Finding> {
    problems(scopes).iter().map(Problem::finding).collect()
}

/// Why a string cannot be a scope at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Malformation {
    Empty,
    Whitespace,
    UpperCase,
    /// Not `verb:thing` or `verb:thing:product`.
    Shape,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem<'a> {
    Missing(&'static str),
    Malformed {
        scope: &'a str,
        why: Malformation,
        suggestions: Vec<&'static str>,
        /// Looks like a list pasted into one element.
        several: bool,
    },
    NearMiss {
        scope: &'a str,
        suggestions: Vec<&'static str>,
    },
    /// `product` is `None` where the scope does not say (e.g. `read:me`).
    OtherProduct {
        scope: &'a str,
        product: Option<&'a str>,
    },
    Privileged {
        scope: &'a str,
        verb: &'a str,
    },
    Unknown {
        scope: &'a str,
    },
}

fn problems<'a>(scopes: &[&'a str]) -> Vec<Problem<'a>> {
    let set: BTreeSet<&str> = scopes.iter().copied().collect();
    let missing = REQUIRED_SCOPES
        .into_iter()
        .filter(|required| !set.contains(required))
        .map(Problem::Missing);
    missing.chain(set.iter().filter_map(|s| judge(s))).collect()
}

/// At most one problem per scope: the most useful one to fix first.
fn judge(scope: &str) -> Option<Problem<'_>> {
    let is_known = known(scope).is_some();
    if !is_known {
        if let Some(why) = malformation(scope) {
            return Some(malformed(scope, why));
        }
        let suggestions = near_misses(scope);
        if !suggestions.is_empty() {
            return Some(Problem::NearMiss { scope, suggestions });
        }
    }
    // Known scopes that are not `verb:...` (`offline_access`) are fine.
    let shape = Shape::parse(scope)?;
    if let Some(product) = shape.other_product() {
        return Some(Problem::OtherProduct { scope, product });
    }
    if PRIVILEGED_VERBS.contains(&shape.verb) {
        return Some(Problem::Privileged {
            scope,
            verb: shape.verb,
        });
    }
    (!is_known).then_some(Problem::Unknown { scope })
}

/// `verb:thing` (classic style) or `verb:thing:product` (granular style).
struct Shape<'a> {
    verb: &'a str,
    thing: &'a str,
    product: Option<&'a str>,
}

impl<'a> Shape<'a> {
    fn parse(s: &'a str) -> Option<Shape<'a>> {
        let parts: Vec<&str> = s.split(':').collect();
        let words_ok = parts
            .iter()
            .all(|part| !part.is_empty() && part.chars().all(is_word_char));
        match parts[..] {
            [verb, thing] if words_ok => Some(Shape {
                verb,
                thing,
                product: None,
            }),
            [verb, thing, product] if words_ok => Some(Shape {
                verb,
                thing,
                product: Some(product),
            }),
            _ => None,
        }
    }

    /// `None` for a Confluence scope; otherwise the product it names, if any.
    fn other_product(&self) -> Option<Option<&'a str>> {
        if let Some(product) = self.product {
            return (product != "confluence").then_some(Some(product));
        }
        // Classic scopes name the product at the start of the thing:
        // `search:confluence`, `read:confluence-props`, `read:jira-work`.
        let (first, rest) = match self.thing.find(['-', '.']) {
            Some(i) => (&self.thing[..i], Some(&self.thing[i..])),
            None => (self.thing, None),
        };
        (first != "confluence").then_some(rest.map(|_| first))
    }
}

fn malformation(s: &str) -> Option<Malformation> {
    if s.is_empty() {
        Some(Malformation::Empty)
    } else if s.chars().any(char::is_whitespace) {
        Some(Malformation::Whitespace)
    } else if s.chars().any(char::is_uppercase) {
        Some(Malformation::UpperCase)
    } else if Shape::parse(s).is_none() {
        Some(Malformation::Shape)
    } else {
        None
    }
}

fn malformed(scope: &str, why: Malformation) -> Problem<'_> {
    let mut pieces = scope
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';'))
        .filter(|piece| !piece.is_empty());
    let several = pieces.clone().count() > 1 && pieces.all(|piece| Shape::parse(piece).is_some());
    // Whitespace and case are the usual copy-paste damage: undo both, then
    // look the result up like any other scope.
    let repaired: String = scope
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let suggestions = match known(&repaired) {
        _ if several || repaired.is_empty() => Vec::new(),
        Some(k) => vec![k.name],
        None => near_misses(&repaired),
    };
    Problem::Malformed {
        scope,
        why,
        suggestions,
        several,
    }
}

/// Known scopes `s` is probably a typo of. Damerau-Levenshtein distance 1
/// (2 for scopes of 12 characters or more) catches a slip or two, yet keeps
/// real scopes of other products apart: those differ in whole words
/// (`:jira` against `:confluence`). A classic scope missing its `.suffix`
/// (`read:confluence-space`) is a near miss too.
fn near_misses(s: &str) -> Vec<&'static str> {
    let catalogue = scope_catalogue();
    let truncated: Vec<&'static str> = catalogue
        .iter()
        .filter(|k| k.name.strip_prefix(s).is_some_and(|r| r.starts_with('.')))
        .map(|k| k.name)
        .collect();
    if !truncated.is_empty() {
        return truncated;
    }
    catalogue
        .iter()
        .filter_map(|k| {
            let distance = strsim::damerau_levenshtein(s, k.name);
            let limit = if s.len().min(k.name.len()) < 12 { 1 } else { 2 };
            (distance <= limit).then_some((distance, !REQUIRED_SCOPES.contains(&k.name), k.name))
        })
        .min()
        .map(|(_, _, name)| vec![name])
        .unwrap_or_default()
}

/// `a`, `a` or `b`, `a`, `b` or `c`: in backticks.
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn required_list() -> String {
    let quoted: Vec<String> = REQUIRED_SCOPES.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// "; did you mean `x`?" with a note when `x` is one Writer requires.
fn did_you_mean(suggestions: &[&str]) -> String {
    if suggestions.is_empty() {
        return ".".to_owned();
    }
    let required: Vec<&str> = suggestions
        .iter()
        .copied()
        .filter(|s| REQUIRED_SCOPES.contains(s))
        .collect();
    let note = match required[..] {
        [] => String::new(),
        _ => format!(" Writer requires {}.", one_of(&required)),
    };
    format!("; did you mean {}?{note}", one_of(suggestions))
}

/// A catalogue summary ("Create and edit pages.") fit to follow a comma.
fn sentence_part(summary: &str) -> String {
    let summary = summary.trim_end_matches('.');
    let mut chars = summary.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Problem<'_> {
    fn finding(&self) -> Finding {
        match self {
            Problem::Missing(required) => {
                let kind = match known(required).map(|k| k.kind) {
                    Some(ScopeKind::Classic) => "classic ",
                    Some(ScopeKind::Granular) => "granular ",
                    _ => "",
                };
                Finding::error(
                    format!("Required scope `{required}` is missing"),
                    format!(
                        "Writer's Confluence connector needs the scopes {}, and `{required}` is \
                         not among them. Add it here, and add the same {kind}scope to the app \
                         in {CONSOLE_CONFLUENCE}.",
                        required_list()
                    ),
                )
            }
            Problem::Malformed {
                scope,
                why,
                suggestions,
                several,
            } => {
                let shown = scope.escape_debug();
                let what = match why {
                    Malformation::Empty => "An empty string is not a scope".to_owned(),
                    Malformation::Whitespace => format!("`{shown}` contains whitespace"),
                    Malformation::UpperCase => {
                        format!("`{shown}` has upper-case letters, but scopes are lower case")
                    }
                    Malformation::Shape => {
                        format!("`{shown}` is not of the form `verb:thing` or `verb:thing:product`")
                    }
                };
                let several = if *several {
                    " It looks like several scopes in one: give each scope as its own element."
                } else {
                    ""
                };
                let summary = match why {
                    Malformation::Empty => "Empty scope".to_owned(),
                    _ => format!("Malformed scope `{shown}`"),
                };
                Finding::error(
                    summary,
                    format!(
                        "{what}{}{several} A scope is lower-case words joined by colons, such \
                         as `search:confluence` or `read:page:confluence`; fix or remove this one.",
                        did_you_mean(suggestions)
                    ),
                )
                .about(scope)
            }
            Problem::NearMiss { scope, suggestions } => Finding::error(
                format!("Unknown scope `{scope}`, probably a typo"),
                format!(
                    "`{scope}` is not a known scope{} A misspelt scope grants nothing, so \
                     the app would lack the permission it was meant to have. Correct it here \
                     and in {CONSOLE_CONFLUENCE}.",
                    did_you_mean(suggestions)
                ),
            )
            .about(scope),
            Problem::OtherProduct { scope, product } => {
                let whose = match product {
                    Some(product) => format!("a scope of `{product}`"),
                    None => "not a Confluence scope".to_owned(),
                };
                Finding::warning(
                    format!("Scope `{scope}` is not for Confluence"),
                    format!(
                        "`{scope}` is {whose}, and Writer's Confluence connector does not use \
                         it. For least privilege, remove it here and from the app in \
                         {CONSOLE_PERMISSIONS}."
                    ),
                )
                .about(scope)
            }
            Problem::Privileged { scope, verb } => {
                let grants = match known(scope) {
                    Some(k) => format!(" ({})", sentence_part(k.summary)),
                    None => String::new(),
                };
                Finding::warning(
                    format!("Scope `{scope}` grants more than Writer needs"),
                    format!(
                        "`{scope}` grants {verb} access{grants}, but Writer only reads \
                         Confluence. For least privilege, remove it here and from the app in \
                         {CONSOLE_CONFLUENCE}."
                    ),
                )
                .about(scope)
            }
            Problem::Unknown { scope } => Finding::warning(
                format!("Unknown scope `{scope}`"),
                format!(
                    "`{scope}` is not in this provider's list of Confluence scopes, which may be \
                     out of date. It will still be sent as written, but Writer does not need it; \
                     remove it unless you know the app needs it for something else."
                ),
            )
            .about(scope),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Malformation::*;
    use super::Problem::*;
    use super::*;
    use crate::domain::Severity;

    const SEARCH: &str = "search:confluence";
    const SPACE: &str = "read:space:confluence";
    const PAGE: &str = "read:page:confluence";

    fn with_required(extra: &'static str) -> Vec<&'static str> {
        vec![SEARCH, SPACE, PAGE, extra]
    }

    fn malformed<'a>(
        scope: &'a str,
        why: Malformation,
        suggestions: &[&'static str],
    ) -> Problem<'a> {
        Malformed {
            scope,
            why,
            suggestions: suggestions.to_vec(),
            several: false,
        }
    }

    fn several(scope: &str, why: Malformation) -> Problem<'_> {
        Malformed {
            scope,
            why,
            suggestions: Vec::new(),
            several: true,
        }
    }

    fn near<'a>(scope: &'a str, suggestions: &[&'static str]) -> Problem<'a> {
        NearMiss {
            scope,
            suggestions: suggestions.to_vec(),
        }
    }

    #[test]
    #[rustfmt::skip]
    fn judges_scope_sets() {
        let cases: Vec<(Vec<&str>, Vec<Problem>)> = vec![
            // Correct, whatever the order, duplicates or a refresh token.
            (vec![SEARCH, SPACE, PAGE], vec![]),
            (vec![PAGE, SEARCH, SPACE, PAGE, SEARCH], vec![]),
            (with_required("offline_access"), vec![]),
            (with_required("read:content:confluence"), vec![]),
            (with_required("read:confluence-content.all"), vec![]),
            (with_required("readonly:content.attachment:confluence"), vec![]),
            (with_required("read:forge-app:confluence"), vec![]),
            // Missing required scopes, each named.
            (vec![SPACE, PAGE], vec![Missing(SEARCH)]),
            (vec![SEARCH, PAGE], vec![Missing(SPACE)]),
            (vec![SEARCH, SPACE], vec![Missing(PAGE)]),
            (vec![], vec![Missing(SEARCH), Missing(SPACE), Missing(PAGE)]),
            (vec!["offline_access"], vec![Missing(SEARCH), Missing(SPACE), Missing(PAGE)]),
            // Malformed, of each kind.
            (with_required(""), vec![malformed("", Empty, &[])]),
            (with_required(" read:page:confluence"), vec![malformed(" read:page:confluence", Whitespace, &[PAGE])]),
            (with_required("read:page:confluence\n"), vec![malformed("read:page:confluence\n", Whitespace, &[PAGE])]),
            (with_required("read: space:confluence"), vec![malformed("read: space:confluence", Whitespace, &[SPACE])]),
            (with_required("Read:Page:Confluence"), vec![malformed("Read:Page:Confluence", UpperCase, &[PAGE])]),
            (with_required("SEARCH:CONFLUENSE"), vec![malformed("SEARCH:CONFLUENSE", UpperCase, &[SEARCH])]),
            (with_required("Write:Gadget:Confluence"), vec![malformed("Write:Gadget:Confluence", UpperCase, &[])]),
            (with_required("readpageconfluence"), vec![malformed("readpageconfluence", Shape, &[PAGE])]),
            (with_required("read:page/confluence"), vec![malformed("read:page/confluence", Shape, &[PAGE])]),
            (with_required("confluence"), vec![malformed("confluence", Shape, &[])]),
            (with_required("read:page:confluence:v2"), vec![malformed("read:page:confluence:v2", Shape, &[])]),
            (with_required("read::confluence"), vec![malformed("read::confluence", Shape, &[])]),
            (with_required(":page:confluence"), vec![malformed(":page:confluence", Shape, &[])]),
            (with_required("search:confluence,read:page:confluence"), vec![several("search:confluence,read:page:confluence", Shape)]),
            (with_required("search:confluence read:page:confluence"), vec![several("search:confluence read:page:confluence", Whitespace)]),
            // Near misses of known scopes: errors with a suggestion.
            (vec![SEARCH, SPACE, "read:pages:confluence"], vec![Missing(PAGE), near("read:pages:confluence", &[PAGE])]),
            (vec!["serch:confluence", SPACE, PAGE], vec![Missing(SEARCH), near("serch:confluence", &[SEARCH])]),
            (vec![SEARCH, SPACE, "read:page:confluense"], vec![Missing(PAGE), near("read:page:confluense", &[PAGE])]),
            (vec![SEARCH, SPACE, "raed:page:confluence"], vec![Missing(PAGE), near("raed:page:confluence", &[PAGE])]),
            (vec![SEARCH, SPACE, "rd:page:confluence"], vec![Missing(PAGE), near("rd:page:confluence", &[PAGE])]),
            (vec![SEARCH, "read:spaces:confluence", PAGE], vec![Missing(SPACE), near("read:spaces:confluence", &[SPACE])]),
            (with_required("write:pages:confluence"), vec![near("write:pages:confluence", &["write:page:confluence"])]),
            (with_required("read:confluence-space"), vec![near("read:confluence-space", &["read:confluence-space.summary"])]),
            (with_required("read:confluence-content"), vec![near("read:confluence-content", &[
                "read:confluence-content.all",
                "read:confluence-content.summary",
                "read:confluence-content.permission",
            ])]),
            // Too far from any known scope to be a typo: only unknown.
            (with_required("rd:pg:confluence"), vec![Unknown { scope: "rd:pg:confluence" }]),
            (with_required("read:calendar:confluence"), vec![Unknown { scope: "read:calendar:confluence" }]),
            (with_required("read:spaceship:confluence"), vec![Unknown { scope: "read:spaceship:confluence" }]),
            // Scopes of other products: not typos, not needed.
            (with_required("read:issue:jira"), vec![OtherProduct { scope: "read:issue:jira", product: Some("jira") }]),
            (with_required("read:jira-work"), vec![OtherProduct { scope: "read:jira-work", product: Some("jira") }]),
            (with_required("read:jira-user"), vec![OtherProduct { scope: "read:jira-user", product: Some("jira") }]),
            (with_required("write:jira-work"), vec![OtherProduct { scope: "write:jira-work", product: Some("jira") }]),
            (with_required("read:me"), vec![OtherProduct { scope: "read:me", product: None }]),
            (with_required("read:account"), vec![OtherProduct { scope: "read:account", product: None }]),
            // More than reading: known or not.
            (with_required("write:page:confluence"), vec![Privileged { scope: "write:page:confluence", verb: "write" }]),
            (with_required("delete:page:confluence"), vec![Privileged { scope: "delete:page:confluence", verb: "delete" }]),
            (with_required("write:confluence-content"), vec![Privileged { scope: "write:confluence-content", verb: "write" }]),
            (with_required("manage:confluence-configuration"), vec![Privileged { scope: "manage:confluence-configuration", verb: "manage" }]),
            (with_required("moderate:comment:confluence"), vec![Privileged { scope: "moderate:comment:confluence", verb: "moderate" }]),
            (with_required("write:calendar:confluence"), vec![Privileged { scope: "write:calendar:confluence", verb: "write" }]),
        ];
        for (scopes, expected) in cases {
            assert_eq!(problems(&scopes), expected, "scopes {scopes:?}");
        }
    }

    #[test]
    fn order_and_duplicates_never_change_the_findings() {
        let scopes = [
            "write:page:confluence",
            "read:pages:confluence",
            SEARCH,
            "read:jira-work",
            "Read:Space:Confluence",
            "read:calendar:confluence",
        ];
        let expected = check_scopes(&scopes);
        assert_eq!(expected.len(), 7, "{expected:#?}");
        let mut reversed = scopes.to_vec();
        reversed.reverse();
        assert_eq!(check_scopes(&reversed), expected);
        let mut doubled = scopes.to_vec();
        doubled.extend_from_slice(&scopes);
        doubled.rotate_left(3);
        assert_eq!(check_scopes(&doubled), expected);
    }

    #[test]
    fn severities_and_elements() {
        let findings = check_scopes(&[
            SEARCH,
            SPACE,
            "read:pages:confluence",
            "",
            "write:page:confluence",
            "read:issue:jira",
            "read:calendar:confluence",
        ]);
        let got: Vec<(Severity, Option<&str>)> = findings
            .iter()
            .map(|f| (f.severity, f.element.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Severity::Error, None),
                (Severity::Error, Some("")),
                (Severity::Warning, Some("read:calendar:confluence")),
                (Severity::Warning, Some("read:issue:jira")),
                (Severity::Error, Some("read:pages:confluence")),
                (Severity::Warning, Some("write:page:confluence")),
            ]
        );
        for finding in &findings {
            assert!(!finding.summary.contains('\n'), "{finding:?}");
        }
    }

    /// (scopes, summary, parts of the detail)
    #[test]
    #[rustfmt::skip]
    fn texts_name_the_scope_and_what_to_do() {
        let cases: Vec<(Vec<&str>, &str, Vec<&str>)> = vec![
            (vec![SEARCH, SPACE], "Required scope `read:page:confluence` is missing", vec![
                "needs the scopes `search:confluence`, `read:space:confluence` and `read:page:confluence`",
                "add the same granular scope to the app in the Atlassian developer console \
                 (Your apps > the app > Permissions > Confluence API)",
            ]),
            (vec![SPACE, PAGE], "Required scope `search:confluence` is missing", vec![
                "add the same classic scope",
            ]),
            (with_required("read:pages:confluence"), "Unknown scope `read:pages:confluence`, probably a typo", vec![
                "did you mean `read:page:confluence`? Writer requires `read:page:confluence`.",
            ]),
            (with_required("read:confluence-space"), "Unknown scope `read:confluence-space`, probably a typo", vec![
                "did you mean `read:confluence-space.summary`?",
            ]),
            (with_required("read:confluence-content"), "Unknown scope `read:confluence-content`, probably a typo", vec![
                "did you mean `read:confluence-content.all`, `read:confluence-content.summary` or \
                 `read:confluence-content.permission`?",
            ]),
            (with_required("Read:Page:Confluence"), "Malformed scope `Read:Page:Confluence`", vec![
                "has upper-case letters",
                "did you mean `read:page:confluence`?",
            ]),
            (with_required("read:page:confluence\n"), "Malformed scope `read:page:confluence\\n`", vec![
                "contains whitespace; did you mean `read:page:confluence`?",
            ]),
            (with_required("search:confluence,read:page:confluence"), "Malformed scope `search:confluence,read:page:confluence`", vec![
                "not of the form `verb:thing` or `verb:thing:product`",
                "give each scope as its own element",
            ]),
            (with_required(""), "Empty scope", vec!["An empty string is not a scope."]),
            (with_required("read:calendar:confluence"), "Unknown scope `read:calendar:confluence`", vec![
                "It will still be sent as written, but Writer does not need it",
            ]),
            (with_required("write:page:confluence"), "Scope `write:page:confluence` grants more than Writer needs", vec![
                "grants write access (create and edit pages)",
                "Writer only reads Confluence",
                "remove it",
            ]),
            (with_required("delete:space:confluence"), "Scope `delete:space:confluence` grants more than Writer needs", vec![
                "grants delete access (remove spaces)",
            ]),
            (with_required("read:issue:jira"), "Scope `read:issue:jira` is not for Confluence", vec![
                "a scope of `jira`",
                "does not use it",
                "remove it",
            ]),
            (with_required("read:me"), "Scope `read:me` is not for Confluence", vec![
                "`read:me` is not a Confluence scope",
            ]),
        ];
        for (scopes, summary, parts) in cases {
            let findings = check_scopes(&scopes);
            assert_eq!(findings.len(), 1, "{scopes:?}: {findings:#?}");
            assert_eq!(findings[0].summary, summary);
            for part in parts {
                let detail = &findings[0].detail;
                assert!(detail.contains(part), "{part:?} not in {detail:?}");
            }
        }
    }

    #[test]
    fn catalogue_is_well_formed() {
        let catalogue = scope_catalogue();
        let count = |kind| catalogue.iter().filter(|k| k.kind == kind).count();
        assert_eq!(
            (
                count(ScopeKind::Classic),
                count(ScopeKind::Granular),
                count(ScopeKind::Other)
            ),
            (15, 74, 5)
        );
        let names: BTreeSet<&str> = catalogue.iter().map(|k| k.name).collect();
        assert_eq!(names.len(), catalogue.len(), "duplicate names");
        for k in catalogue {
            assert!(
                k.name == "offline_access" || super::Shape::parse(k.name).is_some(),
                "{k:?}"
            );
            assert!(!k.summary.is_empty() && k.summary.ends_with('.'), "{k:?}");
        }
        assert_eq!(known(SEARCH).map(|k| k.kind), Some(ScopeKind::Classic));
        assert_eq!(known(SPACE).map(|k| k.kind), Some(ScopeKind::Granular));
        assert_eq!(known(PAGE).map(|k| k.kind), Some(ScopeKind::Granular));
        assert_eq!(
            known("offline_access").map(|k| k.kind),
            Some(ScopeKind::Other)
        );
    }

    #[test]
    fn known_scopes_are_never_errors() {
        for k in scope_catalogue() {
            let findings = check_scopes(&with_required(k.name));
            assert!(
                findings.iter().all(|f| f.severity == Severity::Warning),
                "{k:?}: {findings:#?}"
            );
        }
    }
}
