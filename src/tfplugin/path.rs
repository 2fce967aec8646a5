//! Attribute paths: where in a value a problem is, in Terraform's own terms,
//! so that diagnostics point at the exact attribute or element.

use std::fmt;

/// One step into a value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// An attribute of an object (or of a block).
    Attribute(String),
    /// An element of a map, by key.
    Key(String),
    /// An element of a list or tuple, by position.
    Index(i64),
}

/// A path from the root of a schema's value, e.g. `scopes` or `a.b[0]`.
/// The empty path is the whole value (a diagnostic with no attribute).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AttributePath(pub Vec<PathStep>);

impl AttributePath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    pub fn attribute(name: impl Into<String>) -> Self {
        Self(vec![PathStep::Attribute(name.into())])
    }

    /// A copy of this path, one step deeper.
    pub fn join(&self, step: PathStep) -> Self {
        let mut steps = self.0.clone();
        steps.push(step);
        Self(steps)
    }

    pub fn steps(&self) -> &[PathStep] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

/// Written as a user would in HCL: `a.b["k"][0]`.
impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attribute(name) if i == 0 => write!(f, "{name}")?,
                PathStep::Attribute(name) => write!(f, ".{name}")?,
                PathStep::Key(key) => write!(f, "[{key:?}]")?,
                PathStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_as_hcl() {
        let p = AttributePath::attribute("a")
            .join(PathStep::Attribute("b".into()))
            .join(PathStep::Key("k".into()))
            .join(PathStep::Index(0));
        assert_eq!(p.to_string(), r#"a.b["k"][0]"#);
        assert_eq!(AttributePath::root().to_string(), "");
    }
}
