//! Detection: what is wrong with each scope of a set, as a [`Problem`], at
//! most one per scope. The words are in `wording`.

use std::collections::BTreeSet;

use super::catalogue::{known, scope_catalogue, REQUIRED_SCOPES};

/// Verbs that let an app change Confluence, where Writer only reads it.
pub(super) const PRIVILEGED_VERBS: [&str; 5] = ["write", "delete", "manage", "moderate", "admin"];

/// Scopes are lower-case words joined by `:`; these are the word characters.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_')
}

/// Why a string cannot be a scope at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Malformation {
    Empty,
    Whitespace,
    UpperCase,
    /// Not `verb:thing` or `verb:thing:product`.
    Shape,
}

/// Problems of one kind are reported together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Missing,
    Malformed,
    NearMiss,
    OtherProduct,
    Privileged,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Problem<'a> {
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

pub(super) fn problems<'a>(scopes: &[&'a str]) -> Vec<Problem<'a>> {
    let set: BTreeSet<&str> = scopes.iter().copied().collect();
    let missing = REQUIRED_SCOPES
        .into_iter()
        .filter(|required| !set.contains(required))
        .map(Problem::Missing);
    missing.chain(set.iter().filter_map(|s| judge(s))).collect()
}

/// At most one problem per scope: the most useful one to fix first.
pub(super) fn judge(scope: &str) -> Option<Problem<'_>> {
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
pub(super) struct Shape<'a> {
    verb: &'a str,
    thing: &'a str,
    product: Option<&'a str>,
}

impl<'a> Shape<'a> {
    pub(super) fn parse(s: &'a str) -> Option<Shape<'a>> {
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

pub(super) fn malformation(s: &str) -> Option<Malformation> {
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

pub(super) fn malformed(scope: &str, why: Malformation) -> Problem<'_> {
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
pub(super) fn near_misses(s: &str) -> Vec<&'static str> {
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

impl Problem<'_> {
    pub(super) fn kind(&self) -> Kind {
        match self {
            Problem::Missing(_) => Kind::Missing,
            Problem::Malformed { .. } => Kind::Malformed,
            Problem::NearMiss { .. } => Kind::NearMiss,
            Problem::OtherProduct { .. } => Kind::OtherProduct,
            Problem::Privileged { .. } => Kind::Privileged,
            Problem::Unknown { .. } => Kind::Unknown,
        }
    }
}
