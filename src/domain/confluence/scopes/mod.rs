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
mod problem;
mod wording;

use std::collections::BTreeSet;

use crate::domain::finding::Finding;
use problem::{problems, Problem};
use wording::{aggregate, too_many_scopes};

pub use catalogue::{scope_catalogue, KnownScope, ScopeKind, MAX_SCOPES, REQUIRED_SCOPES};

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

#[cfg(test)]
mod tests {
    use super::catalogue::known;
    use super::problem::Malformation::{self, *};
    use super::problem::Problem::*;
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
                k.name == "offline_access" || super::problem::Shape::parse(k.name).is_some(),
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
