//! The protocol's rules about values, enforced by the server for every
//! resource so that no resource can break them by accident:
//!
//! - write-only attributes are null in every planned, new, read, imported and
//!   upgraded state;
//! - a planned value of an attribute the user sets (not computed, or optional
//!   and computed with a configured value) equals the configuration;
//! - no value is unknown after apply or read.
//!
//! A breach becomes an error diagnostic that names the attribute, instead of
//! Terraform's "produced an invalid plan" / "inconsistent result".

use super::diag::Diagnostic;
use super::path::AttributePath;
use super::schema::{Attribute, Block, Nesting};
use super::value::Value;

/// `state` with every write-only attribute of `block` set to null.
pub(crate) fn null_write_only(block: &Block, state: Value) -> Value {
    let Value::Object(mut attrs) = state else {
        return state;
    };
    for a in &block.attributes {
        let Some(v) = attrs.get_mut(&a.name) else {
            continue;
        };
        if a.write_only {
            *v = Value::Null;
        } else if let Some(nested) = &a.nested {
            let inner = Block {
                attributes: nested.attributes.clone(),
                ..Block::default()
            };
            *v = map_nested(nested.nesting, std::mem::replace(v, Value::Null), &|o| {
                null_write_only(&inner, o)
            });
        }
    }
    for b in &block.blocks {
        if let Some(v) = attrs.get_mut(&b.type_name) {
            *v = map_nested(b.nesting, std::mem::replace(v, Value::Null), &|o| {
                null_write_only(&b.block, o)
            });
        }
    }
    Value::Object(attrs)
}

/// Applies `f` to each object of a nested attribute or block value.
fn map_nested(nesting: Nesting, value: Value, f: &dyn Fn(Value) -> Value) -> Value {
    match (nesting, value) {
        (Nesting::Single | Nesting::Group, v @ Value::Object(_)) => f(v),
        (Nesting::List, Value::List(items)) => Value::List(items.into_iter().map(f).collect()),
        (Nesting::Set, Value::Set(items)) => Value::Set(items.into_iter().map(f).collect()),
        (Nesting::Map, Value::Map(items)) => {
            Value::Map(items.into_iter().map(|(k, v)| (k, f(v))).collect())
        }
        (_, other) => other,
    }
}

/// The server's default plan: Terraform's proposal, and when anything changes
/// (or on create) every computed attribute left null by the configuration is
/// unknown, to be filled in by the apply.
pub(crate) fn default_plan(block: &Block, prior: &Value, proposed: Value, config: &Value) -> Value {
    let proposed = null_write_only(block, proposed);
    if !prior.is_null() && *prior == proposed {
        return proposed;
    }
    let Value::Object(mut attrs) = proposed else {
        return proposed;
    };
    for a in block.attributes.iter().filter(|a| a.computed) {
        if config.get(&a.name).is_null() {
            attrs.insert(a.name.clone(), Value::Unknown);
        }
    }
    Value::Object(attrs)
}

/// Errors for planned values that differ from the configuration where the
/// user owns the value.
pub(crate) fn check_plan(block: &Block, config: &Value, planned: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for a in &block.attributes {
        if a.write_only {
            continue;
        }
        let configured = config.get(&a.name);
        let user_owned = !a.computed || !configured.is_null();
        if user_owned && configured != planned.get(&a.name) {
            out.push(breach(
                a,
                "planned a value that differs from the configuration",
                "Terraform requires the planned value of an attribute the configuration sets to equal the configuration.",
            ));
        }
    }
    out
}

/// Errors for unknown values left in a state after apply or read.
pub(crate) fn check_known(block: &Block, state: &Value, when: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for a in &block.attributes {
        let mut first: Option<AttributePath> = None;
        state
            .get(&a.name)
            .walk(&a.value_type(), &mut |inner, v, _| {
                if first.is_none() && v.is_unknown() {
                    first = Some(inner.clone());
                }
            });
        if let Some(inner) = first {
            let mut p = AttributePath::attribute(a.name.clone());
            for step in inner.steps() {
                p = p.join(step.clone());
            }
            out.push(
                Diagnostic::error(
                    format!("Provider left `{p}` unknown after {when}"),
                    "Every value must be known once an apply or a read has finished. This is a bug \
                     in the provider; please report it.",
                )
                .at(p),
            );
        }
    }
    out
}

fn breach(attribute: &Attribute, what: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Provider {what} for `{}`", attribute.name),
        format!("{why} This is a bug in the provider; please report it."),
    )
    .at(AttributePath::attribute(attribute.name.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tfplugin::value::Type;

    fn block() -> Block {
        Block::new("test")
            .attribute(Attribute::computed("id", Type::String).description("id"))
            .attribute(Attribute::required("name", Type::String).description("name"))
            .attribute(
                Attribute::optional("secret_wo", Type::String)
                    .write_only()
                    .description("s"),
            )
            .attribute(Attribute::optional_computed("url", Type::String).description("u"))
            .attribute(
                Attribute::optional("tags", Type::Set(Box::new(Type::String))).description("t"),
            )
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn write_only_values_never_leave_the_plan() {
        let v = obj(&[("name", s("a")), ("secret_wo", s("fake-secret-0001"))]);
        let out = null_write_only(&block(), v);
        assert_eq!(out.get("secret_wo"), &Value::Null);
        assert_eq!(out.get("name"), &s("a"));
    }

    #[test]
    fn create_marks_unset_computed_attributes_unknown() {
        let config = obj(&[("name", s("a")), ("url", s("https://x"))]);
        let planned = default_plan(&block(), &Value::Null, config.clone(), &config);
        assert_eq!(planned.get("id"), &Value::Unknown);
        assert_eq!(planned.get("url"), &s("https://x"), "configured value kept");
    }

    #[test]
    fn unchanged_update_keeps_prior_computed_values() {
        let prior = obj(&[("id", s("1")), ("name", s("a")), ("url", s("u"))]);
        let config = obj(&[("name", s("a"))]);
        let planned = default_plan(&block(), &prior, prior.clone(), &config);
        assert_eq!(planned.get("id"), &s("1"));
    }

    #[test]
    fn plan_that_differs_from_config_names_the_attribute() {
        let config = obj(&[("name", s("a"))]);
        let planned = obj(&[("name", s("b")), ("id", Value::Unknown)]);
        let d = check_plan(&block(), &config, &planned);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].attribute, Some(AttributePath::attribute("name")));
        assert!(check_plan(&block(), &config, &config).is_empty());
    }

    #[test]
    fn a_plan_with_a_reordered_set_matches_its_config() {
        let config = obj(&[("name", s("a")), ("tags", Value::Set(vec![s("x"), s("y")]))]);
        let planned = obj(&[("name", s("a")), ("tags", Value::Set(vec![s("y"), s("x")]))]);
        assert!(check_plan(&block(), &config, &planned).is_empty());
        let fewer = obj(&[("name", s("a")), ("tags", Value::Set(vec![s("x")]))]);
        assert_eq!(check_plan(&block(), &config, &fewer).len(), 1);
    }

    #[test]
    fn unknowns_after_apply_are_reported_with_path() {
        let state = obj(&[("name", s("a")), ("id", Value::Unknown)]);
        let d = check_known(&block(), &state, "apply");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].attribute, Some(AttributePath::attribute("id")));
    }
}
