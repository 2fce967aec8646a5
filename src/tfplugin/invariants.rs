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
use super::path::{AttributePath, PathStep};
use super::schema::{Attribute, Block, NestedBlock, Nesting};
use super::value::{transform, Type, Value};

/// One level of a schema: a block's attributes and blocks, or the attributes
/// of a nested attribute's objects. Every rule applies at every level.
#[derive(Clone, Copy)]
struct Level<'a> {
    attributes: &'a [Attribute],
    blocks: &'a [NestedBlock],
}

impl<'a> Level<'a> {
    fn of(block: &'a Block) -> Self {
        Self {
            attributes: &block.attributes,
            blocks: &block.blocks,
        }
    }

    /// Whether the provider may fill in anything at this level or below.
    fn has_computed(self) -> bool {
        self.attributes.iter().any(|a| a.computed)
            || self.nested().any(|(_, _, l)| l.has_computed())
    }

    /// The levels nested under this one: each nested attribute's and each
    /// block's, with its name and nesting.
    fn nested(self) -> impl Iterator<Item = (&'a str, Nesting, Level<'a>)> {
        let attributes = self.attributes.iter().filter_map(|a| {
            let n = a.nested.as_ref()?;
            let level = Level {
                attributes: &n.attributes,
                blocks: &[],
            };
            Some((a.name.as_str(), n.nesting, level))
        });
        let blocks = self
            .blocks
            .iter()
            .map(|b| (b.type_name.as_str(), b.nesting, Level::of(&b.block)));
        attributes.chain(blocks)
    }
}

/// `state` with every write-only attribute of `block`, at any depth, null.
pub(crate) fn null_write_only(block: &Block, state: Value) -> Value {
    null_write_only_at(Level::of(block), state)
}

fn null_write_only_at(level: Level, state: Value) -> Value {
    let Value::Object(mut attrs) = state else {
        return state;
    };
    for a in level.attributes.iter().filter(|a| a.write_only) {
        if let Some(v) = attrs.get_mut(&a.name) {
            *v = Value::Null;
        }
    }
    for (name, nesting, inner) in level.nested() {
        if let Some(v) = attrs.get_mut(name) {
            let value = std::mem::replace(v, Value::Null);
            *v = map_nested(nesting, value, &|o| null_write_only_at(inner, o));
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

/// The objects of a nested value paired with the configuration's objects at
/// the same place (by position in a list, by key in a map), with their
/// path steps. Set elements have no place to pair by, so none are paired.
fn paired<'v>(
    nesting: Nesting,
    config: &'v Value,
    value: &'v Value,
) -> Option<Vec<(Option<PathStep>, &'v Value, &'v Value)>> {
    match (nesting, config, value) {
        (Nesting::Single | Nesting::Group, Value::Object(_), Value::Object(_)) => {
            Some(vec![(None, config, value)])
        }
        (Nesting::List, Value::List(cs), Value::List(vs)) if cs.len() == vs.len() => Some(
            cs.iter()
                .zip(vs)
                .enumerate()
                .map(|(i, (c, v))| (Some(PathStep::Index(i as i64)), c, v))
                .collect(),
        ),
        (Nesting::Map, Value::Map(cs), Value::Map(vs)) if cs.keys().eq(vs.keys()) => Some(
            cs.iter()
                .zip(vs.values())
                .map(|((k, c), v)| (Some(PathStep::Key(k.clone())), c, v))
                .collect(),
        ),
        _ => None,
    }
}

/// The server's default plan: Terraform's proposal, and when anything changes
/// (or on create) every computed attribute left null by the configuration,
/// at any depth the configuration pairs with, is unknown, to be filled in by
/// the apply.
pub(crate) fn default_plan(block: &Block, prior: &Value, proposed: Value, config: &Value) -> Value {
    let proposed = null_write_only(block, proposed);
    if !prior.is_null() && *prior == proposed {
        return proposed;
    }
    unknown_computed(Level::of(block), proposed, config)
}

fn unknown_computed(level: Level, proposed: Value, config: &Value) -> Value {
    let Value::Object(mut attrs) = proposed else {
        return proposed;
    };
    for a in level.attributes.iter().filter(|a| a.computed) {
        if config.get(&a.name).is_null() {
            attrs.insert(a.name.clone(), Value::Unknown);
        }
    }
    for (name, nesting, inner) in level.nested() {
        let (Some(v), c) = (attrs.get_mut(name), config.get(name)) else {
            continue;
        };
        let Some(pairs) = paired(nesting, c, v) else {
            continue;
        };
        let planned: Vec<Value> = pairs
            .into_iter()
            .map(|(_, c, v)| unknown_computed(inner, v.clone(), c))
            .collect();
        *v = match v {
            Value::List(_) => Value::List(planned),
            Value::Map(m) => Value::Map(m.keys().cloned().zip(planned).collect()),
            _ => planned.into_iter().next().unwrap_or(Value::Null),
        };
    }
    Value::Object(attrs)
}

/// Errors for planned values that differ from the configuration where the
/// user owns the value, at any depth.
pub(crate) fn check_plan(block: &Block, config: &Value, planned: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_plan_at(
        Level::of(block),
        config,
        planned,
        &AttributePath::root(),
        &mut out,
    );
    out
}

fn check_plan_at(
    level: Level,
    config: &Value,
    planned: &Value,
    at: &AttributePath,
    out: &mut Vec<Diagnostic>,
) {
    let nested: Vec<_> = level.nested().collect();
    for a in level.attributes.iter().filter(|a| !a.write_only) {
        let (c, p) = (config.get(&a.name), planned.get(&a.name));
        let user_owned = !a.computed || !c.is_null();
        let is_nested = nested.iter().any(|(name, ..)| *name == a.name);
        if user_owned && !is_nested && c != p {
            out.push(differs(at.join(PathStep::Attribute(a.name.clone()))));
        }
    }
    for (name, nesting, inner) in nested {
        let owner = level.attributes.iter().find(|a| a.name == name);
        let (c, p) = (config.get(name), planned.get(name));
        if owner.is_some_and(|a| a.computed && c.is_null()) {
            continue;
        }
        let path = at.join(PathStep::Attribute(name.to_string()));
        match paired(nesting, c, p) {
            Some(pairs) => {
                for (step, c, p) in pairs {
                    let here = step.map_or_else(|| path.clone(), |s| path.join(s));
                    check_plan_at(inner, c, p, &here, out);
                }
            }
            // Set elements cannot be paired: without computed attributes
            // inside, the whole set must match; with them, its size.
            None if nesting == Nesting::Set && !inner.has_computed() => {
                if c != p {
                    out.push(differs(path));
                }
            }
            None if nesting == Nesting::Set && c.is_wholly_known() => {
                if c.elements().len() != p.elements().len() || p.is_null() != c.is_null() {
                    out.push(differs(path));
                }
            }
            None if nesting == Nesting::Set => {}
            None => {
                if c != p {
                    out.push(differs(path));
                }
            }
        }
    }
}

fn differs(path: AttributePath) -> Diagnostic {
    breach(
        path,
        "planned a value that differs from the configuration",
        "Terraform requires the planned value of an attribute the configuration sets to equal the configuration.",
    )
}

/// Errors for write-only attributes set in `config`, for a Terraform that
/// cannot handle them (before 1.11).
pub(crate) fn refuse_write_only(block: &Block, config: &Value) -> Vec<Diagnostic> {
    let set = |a: &&Attribute| a.write_only && !config.get(&a.name).is_null();
    let refusal = |a: &Attribute| {
        Diagnostic::error(
            "Write-only attributes need Terraform 1.11 or newer",
            format!(
                "`{}` is write-only: its value is sent to the provider and never stored. The \
                 Terraform running this configuration does not support write-only attributes. \
                 Upgrade Terraform, or use the attribute that is stored in state instead.",
                a.name
            ),
        )
        .at(AttributePath::attribute(a.name.clone()))
    };
    block.attributes.iter().filter(set).map(refusal).collect()
}

/// Errors for unknown values left in a state after apply or read: one per
/// top-level attribute or block, at the first unknown inside it.
pub(crate) fn check_known(block: &Block, state: &Value, when: &str) -> Vec<Diagnostic> {
    let attributes = block.attributes.iter().map(|a| (&a.name, a.value_type()));
    let blocks = block.blocks.iter().map(|b| (&b.type_name, b.value_type()));
    let mut out = Vec::new();
    for (name, ty) in attributes.chain(blocks) {
        let mut first: Option<AttributePath> = None;
        state.get(name).walk(&ty, &mut |inner, v, _| {
            if first.is_none() && v.is_unknown() {
                first = Some(inner.clone());
            }
        });
        if let Some(inner) = first {
            let mut p = AttributePath::attribute(name.clone());
            p.0.extend(inner.steps().iter().cloned());
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

/// `state` with every unknown value, at any depth, null: what is left of a
/// state after apply that broke the rule, to keep rather than lose.
pub(crate) fn unknown_as_null(ty: &Type, state: &Value) -> Value {
    transform(state, ty, &mut |_, v, _| {
        v.is_unknown().then_some(Value::Null)
    })
}

fn breach(path: AttributePath, what: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Provider {what} for `{path}`"),
        format!("{why} This is a bug in the provider; please report it."),
    )
    .at(path)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::tfplugin::schema::NestedAttributes;
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

    /// A block `settings` and a list of nested attributes `rules`, each with
    /// a user-set, a computed and a write-only attribute.
    fn nested() -> Block {
        let inner = |user: &str, computed: &str| {
            vec![
                Attribute::required(user, Type::String).description("u"),
                Attribute::computed(computed, Type::String).description("c"),
                Attribute::optional("token_wo", Type::String)
                    .write_only()
                    .description("w"),
            ]
        };
        let mut settings = Block::new("settings");
        settings.attributes = inner("mode", "region");
        Block::new("test")
            .attribute(Attribute::required("name", Type::String).description("name"))
            .attribute(
                Attribute::nested_attributes(
                    "rules",
                    NestedAttributes {
                        nesting: Nesting::List,
                        attributes: inner("pattern", "rule_id"),
                    },
                )
                .description("r"),
            )
            .block(NestedBlock {
                type_name: "settings".into(),
                nesting: Nesting::Single,
                block: settings,
                min_items: 0,
                max_items: 1,
            })
    }

    fn nested_config() -> Value {
        obj(&[
            ("name", s("a")),
            (
                "rules",
                Value::List(vec![obj(&[
                    ("pattern", s("p")),
                    ("rule_id", Value::Null),
                    ("token_wo", s("fake-token-0001")),
                ])]),
            ),
            (
                "settings",
                obj(&[
                    ("mode", s("fast")),
                    ("region", Value::Null),
                    ("token_wo", s("fake-token-0002")),
                ]),
            ),
        ])
    }

    /// `value` with `f` applied to the object at `name` (list: its first element).
    fn edit(value: &Value, name: &str, f: impl Fn(&mut BTreeMap<String, Value>)) -> Value {
        let mut top = attrs(value);
        let inner = top.get_mut(name).unwrap();
        let object = match inner {
            Value::List(items) => &mut items[0],
            other => other,
        };
        let Value::Object(m) = object else { panic!() };
        f(m);
        Value::Object(top)
    }

    fn attrs(v: &Value) -> BTreeMap<String, Value> {
        match v {
            Value::Object(m) => m.clone(),
            _ => panic!("an object"),
        }
    }

    fn path(steps: &[PathStep]) -> Option<AttributePath> {
        Some(AttributePath(steps.to_vec()))
    }

    fn at(name: &str) -> PathStep {
        PathStep::Attribute(name.into())
    }

    #[test]
    fn nested_computed_attributes_are_planned_unknown_and_write_only_null() {
        let config = nested_config();
        let planned = default_plan(&nested(), &Value::Null, config.clone(), &config);
        let settings = planned.get("settings");
        assert_eq!(settings.get("region"), &Value::Unknown);
        assert_eq!(settings.get("mode"), &s("fast"));
        assert_eq!(settings.get("token_wo"), &Value::Null);
        let rule = &planned.get("rules").elements()[0];
        assert_eq!(rule.get("rule_id"), &Value::Unknown);
        assert_eq!(rule.get("token_wo"), &Value::Null);
        assert!(check_plan(&nested(), &config, &planned).is_empty());
    }

    #[test]
    fn a_nested_plan_that_differs_from_config_names_the_nested_attribute() {
        let config = nested_config();
        let planned = default_plan(&nested(), &Value::Null, config.clone(), &config);
        let in_block = edit(&planned, "settings", |m| {
            m.insert("mode".into(), s("slow"));
        });
        let d = check_plan(&nested(), &config, &in_block);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].attribute, path(&[at("settings"), at("mode")]));
        let in_list = edit(&planned, "rules", |m| {
            m.insert("pattern".into(), s("q"));
        });
        let d = check_plan(&nested(), &config, &in_list);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].attribute,
            path(&[at("rules"), PathStep::Index(0), at("pattern")])
        );
    }

    #[test]
    fn nested_computed_values_the_provider_fills_in_are_not_breaches() {
        let config = nested_config();
        let filled = edit(&config, "rules", |m| {
            m.insert("rule_id".into(), s("r-1"));
            m.insert("token_wo".into(), Value::Null);
        });
        let filled = edit(&filled, "settings", |m| {
            m.insert("region".into(), s("eu"));
            m.insert("token_wo".into(), Value::Null);
        });
        let d = check_plan(&nested(), &config, &filled);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn unknowns_left_in_a_block_after_apply_are_reported_with_path() {
        let config = nested_config();
        let planned = default_plan(&nested(), &Value::Null, config.clone(), &config);
        let applied = edit(&planned, "rules", |m| {
            m.insert("rule_id".into(), s("r-1"));
        });
        let d = check_known(&nested(), &applied, "apply");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].attribute, path(&[at("settings"), at("region")]));
    }

    #[test]
    fn unknowns_after_apply_are_reported_with_path() {
        let state = obj(&[("name", s("a")), ("id", Value::Unknown)]);
        let d = check_known(&block(), &state, "apply");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].attribute, Some(AttributePath::attribute("id")));
    }
}
