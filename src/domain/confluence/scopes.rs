//! Which OAuth scopes Writer's Confluence app must have, may have, and should
//! not have.
//!
//! Scopes are a set: findings never depend on order or duplicates. Each scope
//! has at most one problem; problems of one kind make one finding, which names
//! a few scopes and counts the rest, so that a generated list of thousands of
//! scopes gives a handful of messages, not thousands (Terraform prints the
//! whole `scopes` expression under each one). Findings come in a fixed order:
//! missing required scopes first, then by the first scope (sorted) of each
//! kind. Errors are for what certainly breaks the sync (a required scope
//! missing, a string that cannot be a scope, a typo of a known scope, more
//! scopes than [`MAX_SCOPES`]); warnings for what works but asks for more than
//! Writer needs, or what the catalogue does not know (it is not complete, so
//! unknown is not wrong).

mod catalogue;

use std::collections::BTreeSet;

use crate::domain::quote::{self, count};
use crate::domain::finding::Finding;

pub use catalogue::{KnownScope, ScopeKind};

/// What Writer's Confluence connector needs: the classic search scope and the
/// granular read scopes for spaces and pages.
pub const REQUIRED_SCOPES: [&str; 3] = [
    "search:confluence",
    "read:space:confluence",
    "read:page:confluence",
];

/// How many distinct scopes an app may have, in configuration and as Writer
/// reports it. Atlassian's catalogue has fewer than 100 Confluence scopes
/// (this provider knows 94, a few of other products included); 256 leaves
/// room for scopes Atlassian adds and for other products' scopes, and still
/// bounds the work and the output of checking a generated or pasted list.
pub const MAX_SCOPES: usize = 256;

/// How many scopes one aggregated finding names; the others are counted.
const LISTED: usize = 5;

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

/// Every scope this provider knows of; not guaranteed complete.
pub fn scope_catalogue() -> &'static [KnownScope] {
    catalogue::CATALOGUE
}

fn known(name: &str) -> Option<&'static KnownScope> {
    scope_catalogue().iter().find(|k| k.name == name)
}

/// Checks a set of scopes; empty means nothing to say.
pub fn check_scopes(scopes: &[&str]) -> Vec<Finding> {
    let distinct = scopes.iter().collect::<BTreeSet<_>>().len();
    if distinct > MAX_SCOPES {
        // Judging each would only bury this one fix under noise.
        return vec![too_many_scopes(distinct)];
    }
    let mut groups: Vec<Vec<Problem>> = Vec::new();
    for problem in problems(scopes) {
        match groups.iter_mut().find(|g| g[0].kind() == problem.kind()) {
            Some(group) => group.push(problem),
            None => groups.push(vec![problem]),
        }
    }
    groups
        .iter()
        .map(|group| match group.as_slice() {
            [one] => one.finding(),
            many => aggregate(many),
        })
        .collect()
}

fn too_many_scopes(distinct: usize) -> Finding {
    Finding::error(
        "Too many scopes",
        format!(
            "`scopes` has {} different scopes; this provider accepts at most {MAX_SCOPES}. \
             Atlassian's catalogue has fewer than 100 Confluence scopes, and Writer needs three: \
             {}. Keep only the scopes the app has in {CONSOLE_PERMISSIONS} (a generated or \
             pasted list is the usual cause).",
            count(distinct),
            required_list()
        ),
    )
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

/// Problems of one kind are reported together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Missing,
    Malformed,
    NearMiss,
    OtherProduct,
    Privileged,
    Unknown,
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
    let len = s.chars().count();
    catalogue
        .iter()
        // The distance is at least the difference in length: this keeps the
        // (quadratic) distance off long strings that cannot be near misses.
        .filter(|k| k.name.len().abs_diff(len) <= 2)
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
    and_list(&REQUIRED_SCOPES.map(|n| format!("`{n}`")))
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
    fn kind(&self) -> Kind {
        match self {
            Problem::Missing(_) => Kind::Missing,
            Problem::Malformed { .. } => Kind::Malformed,
            Problem::NearMiss { .. } => Kind::NearMiss,
            Problem::OtherProduct { .. } => Kind::OtherProduct,
            Problem::Privileged { .. } => Kind::Privileged,
            Problem::Unknown { .. } => Kind::Unknown,
        }
    }

    /// The scope, as a message may quote it.
    fn shown(&self) -> String {
        quote::text(match self {
            Problem::Missing(scope) => scope,
            Problem::Malformed { scope, .. }
            | Problem::NearMiss { scope, .. }
            | Problem::OtherProduct { scope, .. }
            | Problem::Privileged { scope, .. }
            | Problem::Unknown { scope } => scope,
        })
    }

    /// What is wrong with this one scope, as a sentence that names it.
    fn reason(&self) -> String {
        let shown = self.shown();
        match self {
            Problem::Missing(required) => {
                let kind = match known(required).map(|k| k.kind) {
                    Some(ScopeKind::Classic) => " (classic)",
                    Some(ScopeKind::Granular) => " (granular)",
                    _ => "",
                };
                format!("`{shown}`{kind}")
            }
            Problem::Malformed {
                why,
                suggestions,
                several,
                ..
            } => {
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
                format!("{what}{}{several}", did_you_mean(suggestions))
            }
            Problem::NearMiss { suggestions, .. } => {
                format!(
                    "`{shown}` is not a known scope{}",
                    did_you_mean(suggestions)
                )
            }
            Problem::OtherProduct { product, .. } => match product {
                Some(product) => format!("`{shown}` is a scope of `{}`", quote::text(product)),
                None => format!("`{shown}` is not a Confluence scope"),
            },
            Problem::Privileged { scope, verb, .. } => {
                let grants = match known(scope) {
                    Some(k) => format!(" ({})", sentence_part(k.summary)),
                    None => String::new(),
                };
                format!("`{shown}` grants {verb} access{grants}")
            }
            Problem::Unknown { .. } => format!("`{shown}`"),
        }
    }

    /// The finding when this is the only problem of its kind.
    fn finding(&self) -> Finding {
        let shown = self.shown();
        let reason = self.reason();
        match self {
            Problem::Missing(required) => {
                let kind = match known(required).map(|k| k.kind) {
                    Some(ScopeKind::Classic) => "classic ",
                    Some(ScopeKind::Granular) => "granular ",
                    _ => "",
                };
                Finding::error(
                    format!("Required scope `{shown}` is missing"),
                    format!(
                        "Writer's Confluence connector needs the scopes {}, and `{shown}` is \
                         not among them. Add it here, and add the same {kind}scope to the app \
                         in {CONSOLE_CONFLUENCE}.",
                        required_list()
                    ),
                )
            }
            Problem::Malformed { scope, why, .. } => {
                let summary = match why {
                    Malformation::Empty => "Empty scope".to_owned(),
                    _ => format!("Malformed scope `{shown}`"),
                };
                Finding::error(
                    summary,
                    format!(
                        "{reason} A scope is lower-case words joined by colons, such as \
                         `search:confluence` or `read:page:confluence`; fix or remove this one."
                    ),
                )
                .about(scope)
            }
            Problem::NearMiss { scope, .. } => Finding::error(
                format!("Unknown scope `{shown}`, probably a typo"),
                format!(
                    "{reason} A misspelt scope grants nothing, so the app would lack the \
                     permission it was meant to have. Correct it here and in \
                     {CONSOLE_CONFLUENCE}."
                ),
            )
            .about(scope),
            Problem::OtherProduct { scope, .. } => Finding::warning(
                format!("Scope `{shown}` is not for Confluence"),
                format!(
                    "{reason}, and Writer's Confluence connector does not use it. For least \
                     privilege, remove it here and from the app in {CONSOLE_PERMISSIONS}."
                ),
            )
            .about(scope),
            Problem::Privileged { scope, .. } => Finding::warning(
                format!("Scope `{shown}` grants more than Writer needs"),
                format!(
                    "{reason}, but Writer only reads Confluence. For least privilege, remove it \
                     here and from the app in {CONSOLE_CONFLUENCE}."
                ),
            )
            .about(scope),
            Problem::Unknown { scope } => Finding::warning(
                format!("Unknown scope `{shown}`"),
                format!(
                    "`{shown}` is not in this provider's list of Confluence scopes, which may be \
                     out of date. It will still be sent as written, but Writer does not need it; \
                     remove it unless you know the app needs it for something else."
                ),
            )
            .about(scope),
        }
    }
}

/// One finding for several problems of one kind: the first [`LISTED`] named
/// with their reason, the rest counted, and what to do said once.
fn aggregate(problems: &[Problem]) -> Finding {
    let n = problems.len();
    let more = match n.saturating_sub(LISTED) {
        0 => String::new(),
        rest => format!("\n  … and {} more.", count(rest)),
    };
    let listed = &problems[..n.min(LISTED)];
    let lines: String = listed
        .iter()
        .map(|p| {
            let reason = p.reason();
            let stop = if reason.ends_with(['.', '?']) {
                ""
            } else {
                "."
            };
            format!("\n  - {reason}{stop}")
        })
        .collect();
    let n = count(n);
    match problems[0].kind() {
        Kind::Missing => {
            let names: Vec<String> = problems.iter().map(Problem::reason).collect();
            let summary: Vec<String> = problems
                .iter()
                .map(|p| format!("`{}`", p.shown()))
                .collect();
            Finding::error(
                format!("Required scopes {} are missing", and_list(&summary)),
                format!(
                    "Writer's Confluence connector needs the scopes {}; {} are not among them. \
                     Add them here, and add the same scopes to the app in {CONSOLE_CONFLUENCE}.",
                    required_list(),
                    and_list(&names)
                ),
            )
        }
        Kind::Malformed => Finding::error(
            format!("{n} malformed scopes"),
            format!(
                "These are not scopes:{lines}{more}\n\nA scope is lower-case words joined by \
                 colons, such as `search:confluence` or `read:page:confluence`; fix or remove \
                 these."
            ),
        ),
        Kind::NearMiss => Finding::error(
            format!("{n} unknown scopes, probably typos"),
            format!(
                "These are not known scopes:{lines}{more}\n\nA misspelt scope grants nothing, \
                 so the app would lack the permission it was meant to have. Correct them here \
                 and in {CONSOLE_CONFLUENCE}."
            ),
        ),
        Kind::OtherProduct => Finding::warning(
            format!("{n} scopes are not for Confluence"),
            format!(
                "Writer's Confluence connector does not use these:{lines}{more}\n\nFor least \
                 privilege, remove them here and from the app in {CONSOLE_PERMISSIONS}."
            ),
        ),
        Kind::Privileged => Finding::warning(
            format!("{n} scopes grant more than Writer needs"),
            format!(
                "Writer only reads Confluence, but:{lines}{more}\n\nFor least privilege, \
                 remove them here and from the app in {CONSOLE_CONFLUENCE}."
            ),
        ),
        Kind::Unknown => {
            let names: Vec<String> = listed.iter().map(Problem::reason).collect();
            let rest = problems.len() - listed.len();
            let names = match rest {
                0 => and_list(&names),
                _ => format!("{} and {} more", names.join(", "), count(rest)),
            };
            Finding::warning(
                format!("{n} unknown scopes"),
                format!(
                    "{names} are not in this provider's list of Confluence scopes, which may be \
                     out of date. They will still be sent as written, but Writer does not need \
                     them; remove them unless you know the app needs them for something else."
                ),
            )
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
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
        // Two missing required scopes in one finding, then one per scope.
        assert_eq!(expected.len(), 6, "{expected:#?}");
        let mut reversed = scopes.to_vec();
        reversed.reverse();
        assert_eq!(check_scopes(&reversed), expected);
        let mut doubled = scopes.to_vec();
        doubled.extend_from_slice(&scopes);
        doubled.rotate_left(3);
        assert_eq!(check_scopes(&doubled), expected);
    }

    /// (summary, severity, parts of the detail), for two or more problems of each kind.
    #[test]
    #[rustfmt::skip]
    fn problems_of_one_kind_make_one_finding() {
        let findings = check_scopes(&[
            SEARCH,
            "read:pages:confluence", "read:spaces:confluence",
            "", "Read:Page:Confluence", "a,b",
            "read:issue:jira", "read:me",
            "write:page:confluence", "delete:space:confluence",
            "read:calendar:confluence", "read:spaceship:confluence", "rd:pg:confluence",
        ]);
        let expected: Vec<(&str, Severity, Vec<&str>)> = vec![
            ("Required scopes `read:space:confluence` and `read:page:confluence` are missing", Severity::Error, vec![
                "needs the scopes `search:confluence`, `read:space:confluence` and `read:page:confluence`; \
                 `read:space:confluence` (granular) and `read:page:confluence` (granular) are not among them",
                "add the same scopes to the app in the Atlassian developer console",
            ]),
            ("3 malformed scopes", Severity::Error, vec![
                "\n  - An empty string is not a scope.",
                "\n  - `Read:Page:Confluence` has upper-case letters, but scopes are lower case; did you mean `read:page:confluence`?",
                "\n  - `a,b` is not of the form `verb:thing` or `verb:thing:product`.",
                "fix or remove these",
            ]),
            ("2 scopes grant more than Writer needs", Severity::Warning, vec![
                "\n  - `delete:space:confluence` grants delete access (remove spaces).",
                "\n  - `write:page:confluence` grants write access (create and edit pages).",
                "Writer only reads Confluence",
                "remove them here",
            ]),
            ("3 unknown scopes", Severity::Warning, vec![
                "`rd:pg:confluence`, `read:calendar:confluence` and `read:spaceship:confluence` are not in \
                 this provider's list",
                "They will still be sent as written",
            ]),
            ("2 scopes are not for Confluence", Severity::Warning, vec![
                "\n  - `read:issue:jira` is a scope of `jira`.",
                "\n  - `read:me` is not a Confluence scope.",
                "remove them here and from the app",
            ]),
            ("2 unknown scopes, probably typos", Severity::Error, vec![
                "\n  - `read:pages:confluence` is not a known scope; did you mean `read:page:confluence`? \
                 Writer requires `read:page:confluence`.",
                "\n  - `read:spaces:confluence` is not a known scope; did you mean `read:space:confluence`?",
                "A misspelt scope grants nothing",
            ]),
        ];
        assert_eq!(findings.len(), expected.len(), "{findings:#?}");
        for (finding, (summary, severity, parts)) in findings.iter().zip(expected) {
            assert_eq!(finding.summary, summary);
            assert_eq!(finding.severity, severity, "{summary}");
            assert_eq!(finding.element, None, "{summary}");
            for part in parts {
                assert!(finding.detail.contains(part), "{part:?} not in {:?}", finding.detail);
            }
        }
    }

    #[test]
    fn many_problems_name_a_few_and_count_the_rest() {
        let unknown: Vec<String> = (0..240)
            .map(|i| format!("read:future-{i:03}:confluence"))
            .collect();
        let typos: Vec<String> = (0..8).map(|i| format!("read:page{i}:confluence")).collect();
        let mut scopes = vec![SEARCH, SPACE, PAGE];
        scopes.extend(unknown.iter().map(String::as_str));
        scopes.extend(typos.iter().map(String::as_str));
        let findings = check_scopes(&scopes);
        let summaries: Vec<&str> = findings.iter().map(|f| f.summary.as_str()).collect();
        assert_eq!(
            summaries,
            ["240 unknown scopes", "8 unknown scopes, probably typos"]
        );
        assert!(findings[0].detail.starts_with(
            "`read:future-000:confluence`, `read:future-001:confluence`, `read:future-002:confluence`, \
             `read:future-003:confluence`, `read:future-004:confluence` and 235 more are not in"
        ), "{}", findings[0].detail);
        assert!(
            findings[1].detail.contains("`read:page4:confluence`"),
            "{}",
            findings[1].detail
        );
        assert!(
            !findings[1].detail.contains("`read:page5:confluence`"),
            "{}",
            findings[1].detail
        );
        assert!(
            findings[1].detail.contains("\n  … and 3 more.\n"),
            "{}",
            findings[1].detail
        );
        for f in &findings {
            assert!(f.detail.len() < 2_000, "{}", f.detail.len());
        }
    }

    #[test]
    fn long_and_odd_scopes_are_quoted_short_and_escaped() {
        let long = format!("read:{}:confluence", "x".repeat(1_000_000));
        let odd = "read:\u{1b}[2J:confluence\u{202e}";
        let findings = check_scopes(&with_required_owned(&[&long, odd]));
        assert_eq!(findings.len(), 2, "{findings:#?}");
        for f in &findings {
            assert!(
                f.summary.len() + f.detail.len() < 2_000,
                "{}",
                f.detail.len()
            );
            assert!(!f.detail.contains('\u{1b}') && !f.detail.contains('\u{202e}'));
        }
        assert!(
            findings[0]
                .detail
                .contains("\\u{1b}[2J:confluence\\u{202e}"),
            "{findings:#?}"
        );
        assert!(
            findings[1].detail.contains("more characters)"),
            "{findings:#?}"
        );
    }

    fn with_required_owned<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        let mut scopes = vec![SEARCH, SPACE, PAGE];
        scopes.extend_from_slice(extra);
        scopes
    }

    #[test]
    fn caps_how_many_scopes_are_accepted() {
        let names: Vec<String> = (0..MAX_SCOPES)
            .map(|i| format!("read:thing-{i:04}:confluence"))
            .collect();
        let mut scopes: Vec<&str> = names.iter().map(String::as_str).collect();
        scopes.splice(0..3, [SEARCH, SPACE, PAGE]);
        assert_eq!(scopes.len(), MAX_SCOPES);
        let at_the_cap = check_scopes(&scopes);
        assert!(
            at_the_cap.iter().all(|f| f.summary != "Too many scopes"),
            "{at_the_cap:#?}"
        );
        // Duplicates are one scope: a set never has them, and they are not counted.
        let mut doubled = scopes.clone();
        doubled.extend_from_slice(&scopes);
        assert_eq!(check_scopes(&doubled), at_the_cap);

        scopes.push("read:one-more:confluence");
        let over = check_scopes(&scopes);
        assert_eq!(over.len(), 1, "{over:#?}");
        assert_eq!(over[0].severity, Severity::Error);
        assert_eq!(over[0].summary, "Too many scopes");
        assert!(
            over[0]
                .detail
                .contains("`scopes` has 257 different scopes; this provider accepts at most 256"),
            "{}",
            over[0].detail
        );
        assert!(
            over[0].detail.contains("fewer than 100"),
            "{}",
            over[0].detail
        );

        let huge: Vec<String> = (0..5_000)
            .map(|i| format!("read:x{i}:confluence"))
            .collect();
        let huge: Vec<&str> = huge.iter().map(String::as_str).collect();
        let over = check_scopes(&huge);
        assert_eq!(over.len(), 1);
        assert!(
            over[0].detail.contains("has 5,000 different scopes"),
            "{}",
            over[0].detail
        );
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
