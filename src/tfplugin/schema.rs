//! Schemas: what a provider, resource or data source accepts and returns.
//! The schema is the documentation: every attribute and block carries a
//! Markdown description, which Terraform shows to users and `docs/` is
//! generated from. A schema also gives the type that values are decoded
//! against, and tells the server which attributes are write-only, computed or
//! required, so that it can enforce the protocol's rules for every resource.

use std::collections::BTreeMap;

use super::path::{AttributePath, PathStep};
use super::value::Type;

/// A versioned schema (the version lets state be upgraded).
#[derive(Clone, Debug)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

impl Schema {
    pub fn new(block: Block) -> Self {
        Self { version: 0, block }
    }

    /// The object type of a whole value of this schema.
    pub fn value_type(&self) -> Type {
        self.block.value_type()
    }

    /// Paths of every attribute and block that has no description: a test
    /// fails on any, so the generated documentation is never silent.
    pub fn missing_descriptions(&self) -> Vec<String> {
        let mut missing = Vec::new();
        self.block
            .collect_missing_descriptions(&AttributePath::root(), &mut missing);
        missing
    }
}

#[derive(Clone, Debug, Default)]
pub struct Block {
    pub description: String,
    pub deprecated: bool,
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
}

impl Block {
    pub fn new(description: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            ..Self::default()
        }
    }

    pub fn attribute(mut self, attribute: Attribute) -> Self {
        self.attributes.push(attribute);
        self
    }

    pub fn block(mut self, block: NestedBlock) -> Self {
        self.blocks.push(block);
        self
    }

    pub fn get(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn value_type(&self) -> Type {
        let mut attrs: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.value_type()))
            .collect();
        for b in &self.blocks {
            attrs.insert(b.type_name.clone(), b.value_type());
        }
        Type::Object(attrs)
    }

    fn collect_missing_descriptions(&self, at: &AttributePath, missing: &mut Vec<String>) {
        for a in &self.attributes {
            let path = at.join(PathStep::Attribute(a.name.clone()));
            if a.description.trim().is_empty() {
                missing.push(path.to_string());
            }
            if let Some(nested) = &a.nested {
                for inner in &nested.attributes {
                    let inner_path = path.join(PathStep::Attribute(inner.name.clone()));
                    if inner.description.trim().is_empty() {
                        missing.push(inner_path.to_string());
                    }
                }
            }
        }
        for b in &self.blocks {
            let path = at.join(PathStep::Attribute(b.type_name.clone()));
            if b.block.description.trim().is_empty() {
                missing.push(path.to_string());
            }
            b.block.collect_missing_descriptions(&path, missing);
        }
    }
}

/// One attribute. Exactly one of required / optional / computed-only holds;
/// optional + computed means "the provider fills it when the user does not".
#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: String,
    /// The attribute's type; for nested attributes, derived from `nested`.
    pub ty: Type,
    pub nested: Option<NestedAttributes>,
    /// Markdown.
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    /// Hidden in plan output and in logs; still stored in state.
    pub sensitive: bool,
    /// Accepted in configuration, never stored: the server returns it null in
    /// every planned, new, read and imported state (Terraform >= 1.11).
    pub write_only: bool,
    pub deprecated: bool,
}

impl Attribute {
    fn new(name: impl Into<String>, ty: Type) -> Self {
        Self {
            name: name.into(),
            ty,
            nested: None,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            write_only: false,
            deprecated: false,
        }
    }

    pub fn required(name: impl Into<String>, ty: Type) -> Self {
        Self {
            required: true,
            ..Self::new(name, ty)
        }
    }

    pub fn optional(name: impl Into<String>, ty: Type) -> Self {
        Self {
            optional: true,
            ..Self::new(name, ty)
        }
    }

    /// Set by the provider only.
    pub fn computed(name: impl Into<String>, ty: Type) -> Self {
        Self {
            computed: true,
            ..Self::new(name, ty)
        }
    }

    /// Set by the user, or by the provider when the user does not.
    pub fn optional_computed(name: impl Into<String>, ty: Type) -> Self {
        Self {
            optional: true,
            computed: true,
            ..Self::new(name, ty)
        }
    }

    pub fn nested_attributes(name: impl Into<String>, nested: NestedAttributes) -> Self {
        let ty = nested.value_type();
        Self {
            nested: Some(nested),
            ..Self::new(name, ty)
        }
    }

    pub fn description(mut self, markdown: impl Into<String>) -> Self {
        self.description = markdown.into();
        self
    }

    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }

    pub fn deprecated(mut self) -> Self {
        self.deprecated = true;
        self
    }

    pub fn value_type(&self) -> Type {
        match &self.nested {
            Some(n) => n.value_type(),
            None => self.ty.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    Single,
    Group,
    List,
    Set,
    Map,
}

/// Attributes nested inside an attribute (`x = { a = 1 }`), protocol 6 only.
#[derive(Clone, Debug)]
pub struct NestedAttributes {
    pub nesting: Nesting,
    pub attributes: Vec<Attribute>,
}

impl NestedAttributes {
    pub fn value_type(&self) -> Type {
        let object = Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.value_type()))
                .collect(),
        );
        wrap(self.nesting, object)
    }
}

/// A nested block (`x { a = 1 }`).
#[derive(Clone, Debug)]
pub struct NestedBlock {
    pub type_name: String,
    pub nesting: Nesting,
    pub block: Block,
    pub min_items: i64,
    pub max_items: i64,
}

impl NestedBlock {
    pub fn value_type(&self) -> Type {
        wrap(self.nesting, self.block.value_type())
    }
}

fn wrap(nesting: Nesting, object: Type) -> Type {
    match nesting {
        Nesting::Single | Nesting::Group => object,
        Nesting::List => Type::List(Box::new(object)),
        Nesting::Set => Type::Set(Box::new(object)),
        Nesting::Map => Type::Map(Box::new(object)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_type_includes_attributes_and_blocks() {
        let schema = Schema::new(
            Block::new("root")
                .attribute(Attribute::required("name", Type::String).description("n"))
                .attribute(Attribute::optional(
                    "tags",
                    Type::Set(Box::new(Type::String)),
                ))
                .block(NestedBlock {
                    type_name: "rule".into(),
                    nesting: Nesting::List,
                    block: Block::new("").attribute(Attribute::required("x", Type::Bool)),
                    min_items: 0,
                    max_items: 0,
                }),
        );
        let Type::Object(attrs) = schema.value_type() else {
            panic!("an object type")
        };
        assert_eq!(attrs["name"], Type::String);
        assert_eq!(attrs["tags"], Type::Set(Box::new(Type::String)));
        assert!(matches!(&attrs["rule"], Type::List(_)));
        assert_eq!(
            schema.missing_descriptions(),
            vec!["tags", "rule", "rule.x"]
        );
    }
}
