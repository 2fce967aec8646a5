//! A Knowledge Graph's own fields: its name (1 to 255 characters) and its
//! description (at most 255), the limits Writer's API reference states in
//! prose. Counted in characters (Unicode scalar values), as a person counts
//! them, not in bytes.

use crate::domain::finding::Finding;
use crate::domain::quote;

/// The most characters Writer takes in a graph's name or description.
pub const MAX_CHARS: usize = 255;

/// What can be wrong with a name or description.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mistake {
    Empty,
    TooLong { chars: usize },
}

fn diagnose(value: &str, may_be_empty: bool) -> Option<Mistake> {
    let chars = value.chars().count();
    if chars == 0 && !may_be_empty {
        Some(Mistake::Empty)
    } else if chars > MAX_CHARS {
        Some(Mistake::TooLong { chars })
    } else {
        None
    }
}

impl Mistake {
    fn finding(&self, attribute: &str, value: &str) -> Finding {
        match self {
            Mistake::Empty => Finding::error(
                format!("Empty {attribute}"),
                format!(
                    "A Knowledge Graph's `{attribute}` must have at least one character: \
                     give it the name people will see in AI Studio."
                ),
            ),
            Mistake::TooLong { chars } => Finding::error(
                format!("{attribute} is too long"),
                format!(
                    "`{}` has {} characters; Writer takes at most {MAX_CHARS} in a Knowledge \
                     Graph's `{attribute}`. Shorten it.",
                    quote::text(value),
                    quote::count(*chars)
                ),
            ),
        }
    }
}

/// The rules of a graph's `name`: 1 to 255 characters. `None` means correct.
pub fn check_name(name: &str) -> Option<Finding> {
    diagnose(name, false).map(|m| m.finding("name", name))
}

/// The rules of a graph's `description`: at most 255 characters.
pub fn check_description(description: &str) -> Option<Finding> {
    diagnose(description, true).map(|m| m.finding("description", description))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[rustfmt::skip]
    fn judges_names_and_descriptions_in_characters() {
        let long = "é".repeat(MAX_CHARS);
        let longer = "é".repeat(MAX_CHARS + 1);
        let cases: [(&str, bool, Option<Mistake>); 6] = [
            ("Handbook", false, None),
            (&long, false, None), // 510 bytes, 255 characters
            (&longer, false, Some(Mistake::TooLong { chars: 256 })),
            ("", false, Some(Mistake::Empty)),
            ("", true, None),
            (&longer, true, Some(Mistake::TooLong { chars: 256 })),
        ];
        for (value, may_be_empty, mistake) in cases {
            assert_eq!(diagnose(value, may_be_empty), mistake, "{value:?}");
        }
    }

    #[test]
    fn findings_name_the_attribute_and_the_fix() {
        let f = check_name("").unwrap();
        assert_eq!(f.summary, "Empty name");
        assert!(f.detail.contains("at least one character"), "{}", f.detail);
        let f = check_description(&"x".repeat(300)).unwrap();
        assert_eq!(f.summary, "description is too long");
        assert!(f.detail.contains("has 300 characters"), "{}", f.detail);
        assert!(f.detail.contains("at most 255"), "{}", f.detail);
        assert!(f.detail.contains("Shorten it"), "{}", f.detail);
        assert_eq!(check_description(""), None);
        assert_eq!(check_name("Policies"), None);
    }
}
