//! Wording: each [`Problem`] as a finding in the user's words, and several of
//! one kind as one finding that names a few and counts the rest.

use crate::domain::finding::Finding;
use crate::domain::quote::{self, count};

use super::catalogue::{known, ScopeKind, MAX_SCOPES, REQUIRED_SCOPES};
use super::problem::{Kind, Malformation, Problem};

/// How many scopes one aggregated finding names; the others are counted.
pub(super) const LISTED: usize = 5;

/// Where scopes are added to or removed from the app.
pub(super) const CONSOLE_PERMISSIONS: &str =
    "the Atlassian developer console (Your apps > the app > Permissions)";
pub(super) const CONSOLE_CONFLUENCE: &str =
    "the Atlassian developer console (Your apps > the app > Permissions > Confluence API)";

pub(super) fn too_many_scopes(distinct: usize) -> Finding {
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

/// `a`, `a` or `b`, `a`, `b` or `c`: in backticks.
pub(super) fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

pub(super) fn required_list() -> String {
    and_list(&REQUIRED_SCOPES.map(|n| format!("`{n}`")))
}

/// "; did you mean `x`?" with a note when `x` is one Writer requires.
pub(super) fn did_you_mean(suggestions: &[&str]) -> String {
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
pub(super) fn sentence_part(summary: &str) -> String {
    let summary = summary.trim_end_matches('.');
    let mut chars = summary.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Problem<'_> {
    /// The scope, as a message may quote it.
    pub(super) fn shown(&self) -> String {
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
    pub(super) fn reason(&self) -> String {
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
    pub(super) fn finding(&self) -> Finding {
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
pub(super) fn aggregate(problems: &[Problem]) -> Finding {
    let n = problems.len();
    let more = match n.saturating_sub(LISTED) {
        0 => String::new(),
        rest => format!("\n  … and {} more.", count(rest)),
    };
    let listed = &problems[..n.min(LISTED)];
    let lines = bullet_lines(listed);
    let n = count(n);
    match problems[0].kind() {
        Kind::Missing => missing_scopes(problems),
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
        Kind::Unknown => unknown_scopes(problems, listed, &n),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// One line per listed problem, each ending with a stop.
fn bullet_lines(listed: &[Problem]) -> String {
    listed
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
        .collect()
}

/// Several required scopes missing: all named (there are only three).
fn missing_scopes(problems: &[Problem]) -> Finding {
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

/// Several unknown scopes, named in a sentence rather than a list.
fn unknown_scopes(problems: &[Problem], listed: &[Problem], n: &str) -> Finding {
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
