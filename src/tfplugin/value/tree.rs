//! The value tree provider code reads and builds, with the accessors that
//! keep null and unknown handling short, and the walks the server uses to
//! enforce protocol invariants. No wire format lives here.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasher as _, Hash, Hasher, RandomState};
use std::sync::OnceLock;

use super::error::ValueError;
use super::number::Number;
use super::types::Type;
use crate::tfplugin::path::{AttributePath, PathStep};

/// A Terraform value. Null and unknown are distinct, and either may stand
/// where any type is expected.
///
/// Decoded objects hold every attribute of their type (absent ones as
/// `Null`). Sets hold no two equal wholly-known elements and compare
/// without regard to order; unknown elements are never merged, as in cty.
///
/// `Debug` shows the shape only (kinds, object attribute names, types):
/// strings, numbers and map keys are user data and may be secrets.
#[derive(Clone)]
pub enum Value {
    Null,
    Unknown,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
    /// A value in a position whose schema type is `dynamic`: the concrete
    /// type travels with it. A null or unknown of no particular type at a
    /// dynamic position is plain `Null` / `Unknown`.
    Dynamic(Box<Type>, Box<Value>),
}

static NULL: Value = Value::Null;

impl Value {
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn number(n: impl Into<Number>) -> Value {
        Value::Number(n.into())
    }

    pub fn object<K: Into<String>>(attributes: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(
            attributes
                .into_iter()
                .map(|(name, v)| (name.into(), v))
                .collect(),
        )
    }

    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn list(elements: impl IntoIterator<Item = Value>) -> Value {
        Value::List(elements.into_iter().collect())
    }

    /// A set, dropping repeated wholly-known elements (first one kept).
    pub fn set(elements: impl IntoIterator<Item = Value>) -> Value {
        Value::Set(dedupe_set(elements.into_iter().collect()))
    }

    pub fn dynamic(ty: Type, value: Value) -> Value {
        Value::Dynamic(Box::new(ty), Box::new(value))
    }

    /// Null itself, or a dynamic value that wraps a null.
    pub fn is_null(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Dynamic(_, inner) => inner.is_null(),
            _ => false,
        }
    }

    /// Unknown itself (or wrapped in a dynamic value); an object with an
    /// unknown attribute is not unknown: see [`Value::is_wholly_known`].
    pub fn is_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::Dynamic(_, inner) => inner.is_unknown(),
            _ => false,
        }
    }

    /// Wholly known: no unknown anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                items.iter().all(Value::is_wholly_known)
            }
            Value::Map(entries) | Value::Object(entries) => {
                entries.values().all(Value::is_wholly_known)
            }
            Value::Dynamic(_, inner) => inner.is_wholly_known(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.content() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.content() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self.content() {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// Map entries (or object attributes), if this is one.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self.content() {
            Value::Map(entries) | Value::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// An object's attribute; `Null` when absent, or when this is not a
    /// known object (null, unknown, another kind), so that
    /// `config.get("a").get("b")` never needs a check in between.
    pub fn get(&self, attribute: &str) -> &Value {
        match self.content() {
            Value::Object(attributes) => attributes.get(attribute).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// Elements of a list, set or tuple; empty for anything else (null included).
    pub fn elements(&self) -> &[Value] {
        match self.content() {
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => items,
            _ => &[],
        }
    }

    /// What a dynamic wrapper holds (itself for any other value).
    pub fn content(&self) -> &Value {
        match self {
            Value::Dynamic(_, inner) => inner.content(),
            other => other,
        }
    }

    /// What kind of value this is, in a type error's words.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown => "unknown",
            Value::Bool(_) => "a bool",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Set(_) => "a set",
            Value::Map(_) => "a map",
            Value::Object(_) => "an object",
            Value::Tuple(_) => "a tuple",
            Value::Dynamic(..) => "a dynamic value",
        }
    }

    /// Visit this value and everything inside it, parents first, each with
    /// its path and schema type.
    ///
    /// - Object attributes are visited for every attribute of the *type*
    ///   (an absent one as `Null`), in name order.
    /// - Set elements have no path step in the protocol: they are visited
    ///   with the set's own path.
    /// - A `Value::Dynamic` is visited as itself (type `Dynamic`), then its
    ///   content is visited at the same path with its concrete type.
    /// - Where value and type disagree the node is visited and not entered.
    pub fn walk(&self, ty: &Type, f: &mut impl FnMut(&AttributePath, &Value, &Type)) {
        let mut path = AttributePath::root();
        walk_at(&mut path, self, ty, f);
    }
}

fn walk_at(
    path: &mut AttributePath,
    value: &Value,
    ty: &Type,
    f: &mut impl FnMut(&AttributePath, &Value, &Type),
) {
    f(path, value, ty);
    match (value, ty) {
        (Value::List(items), Type::List(element)) => {
            for (i, item) in items.iter().enumerate() {
                path.0.push(PathStep::Index(i as i64));
                walk_at(path, item, element, f);
                path.0.pop();
            }
        }
        (Value::Set(items), Type::Set(element)) => {
            for item in items {
                walk_at(path, item, element, f);
            }
        }
        (Value::Map(entries), Type::Map(element)) => {
            for (key, item) in entries {
                path.0.push(PathStep::Key(key.clone()));
                walk_at(path, item, element, f);
                path.0.pop();
            }
        }
        (Value::Object(attributes), Type::Object(types)) => {
            for (name, attribute_type) in types {
                path.0.push(PathStep::Attribute(name.clone()));
                walk_at(
                    path,
                    attributes.get(name).unwrap_or(&NULL),
                    attribute_type,
                    f,
                );
                path.0.pop();
            }
        }
        (Value::Tuple(items), Type::Tuple(types)) => {
            for (i, (item, item_type)) in items.iter().zip(types).enumerate() {
                path.0.push(PathStep::Index(i as i64));
                walk_at(path, item, item_type, f);
                path.0.pop();
            }
        }
        (Value::Dynamic(concrete, inner), Type::Dynamic) => walk_at(path, inner, concrete, f),
        _ => {}
    }
}

/// Rebuild `value`, replacing nodes chosen by `f`.
///
/// The contract, top-down: `f` is called on a node before its children,
/// with the same paths, types and visiting rules as [`Value::walk`]. If it
/// returns `Some(new)`, `new` takes the node's place as is and nothing
/// inside the old node is visited. If it returns `None`, the node is kept
/// and its children are transformed in turn. For example, returning
/// `Some(Value::Null)` at a write-only attribute's path nulls it out.
///
/// Rebuilt objects hold exactly their type's attributes, and rebuilt sets
/// drop elements that became equal, as cty would.
pub fn transform(
    value: &Value,
    ty: &Type,
    f: &mut impl FnMut(&AttributePath, &Value, &Type) -> Option<Value>,
) -> Value {
    let mut path = AttributePath::root();
    transform_at(&mut path, value, ty, f)
}

fn transform_at(
    path: &mut AttributePath,
    value: &Value,
    ty: &Type,
    f: &mut impl FnMut(&AttributePath, &Value, &Type) -> Option<Value>,
) -> Value {
    if let Some(replacement) = f(path, value, ty) {
        return replacement;
    }
    let index = |i: usize| Some(PathStep::Index(i as i64));
    match (value, ty) {
        (Value::List(items), Type::List(element)) => {
            let typed = items
                .iter()
                .enumerate()
                .map(|(i, item)| (index(i), item, &**element));
            Value::List(transform_items(path, typed, f))
        }
        (Value::Set(items), Type::Set(element)) => {
            let typed = items.iter().map(|item| (None, item, &**element));
            Value::Set(dedupe_set(transform_items(path, typed, f)))
        }
        (Value::Tuple(items), Type::Tuple(types)) => {
            let typed = items
                .iter()
                .zip(types)
                .enumerate()
                .map(|(i, (item, t))| (index(i), item, t));
            Value::Tuple(transform_items(path, typed, f))
        }
        (Value::Map(entries), Type::Map(element)) => {
            let typed = entries
                .iter()
                .map(|(key, item)| (key, PathStep::Key(key.clone()), item, &**element));
            Value::Map(transform_members(path, typed, f))
        }
        (Value::Object(attributes), Type::Object(types)) => {
            let typed = types.iter().map(|(name, t)| {
                let item = attributes.get(name).unwrap_or(&NULL);
                (name, PathStep::Attribute(name.clone()), item, t)
            });
            Value::Object(transform_members(path, typed, f))
        }
        (Value::Dynamic(concrete, inner), Type::Dynamic) => Value::Dynamic(
            concrete.clone(),
            Box::new(transform_at(path, inner, concrete, f)),
        ),
        _ => value.clone(),
    }
}

/// A list's, set's or tuple's elements, each transformed at its step (set
/// elements have none).
fn transform_items<'a>(
    path: &mut AttributePath,
    items: impl Iterator<Item = (Option<PathStep>, &'a Value, &'a Type)>,
    f: &mut impl FnMut(&AttributePath, &Value, &Type) -> Option<Value>,
) -> Vec<Value> {
    items
        .map(|(step, item, item_type)| {
            let stepped = step.map(|s| path.0.push(s)).is_some();
            let out = transform_at(path, item, item_type, f);
            if stepped {
                path.0.pop();
            }
            out
        })
        .collect()
}

/// A map's entries or an object's attributes, each transformed at its step.
fn transform_members<'a>(
    path: &mut AttributePath,
    members: impl Iterator<Item = (&'a String, PathStep, &'a Value, &'a Type)>,
    f: &mut impl FnMut(&AttributePath, &Value, &Type) -> Option<Value>,
) -> BTreeMap<String, Value> {
    members
        .map(|(key, step, item, item_type)| {
            path.0.push(step);
            let out = transform_at(path, item, item_type, f);
            path.0.pop();
            (key.clone(), out)
        })
        .collect()
}

/// Shape without content: `Object {"client_secret": String(..)}`.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, items) = match self {
            Value::Null => return f.write_str("Null"),
            Value::Unknown => return f.write_str("Unknown"),
            Value::Bool(b) => return write!(f, "Bool({b})"),
            Value::Number(_) => return f.write_str("Number(..)"),
            Value::String(_) => return f.write_str("String(..)"),
            Value::Object(attributes) => {
                f.write_str("Object ")?;
                return f.debug_map().entries(attributes).finish();
            }
            Value::Dynamic(ty, inner) => return write!(f, "Dynamic({ty}, {inner:?})"),
            Value::List(items) => ("List", items),
            Value::Set(items) => ("Set", items),
            Value::Tuple(items) => ("Tuple", items),
            // Map keys are user data: only the elements' shapes are shown.
            Value::Map(entries) => {
                f.write_str("Map")?;
                return f.debug_list().entries(entries.values()).finish();
            }
        };
        f.write_str(name)?;
        f.debug_list().entries(items).finish()
    }
}

/// Structural equality, except that sets compare as sets.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        #[cfg(test)]
        tests::COMPARISONS.with(|n| n.set(n.get() + 1));
        match (self, other) {
            (Value::Null, Value::Null) | (Value::Unknown, Value::Unknown) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => a == b,
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => a == b,
            (Value::Set(a), Value::Set(b)) => same_elements(a, b),
            (Value::Dynamic(ta, a), Value::Dynamic(tb, b)) => ta == tb && a == b,
            _ => false,
        }
    }
}

/// Multiset comparison in linear time: `b`'s elements grouped by hash, each
/// of `a`'s takes an equal one out of its group.
fn same_elements(a: &[Value], b: &[Value]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut unmatched = ByHash::default();
    for y in b {
        unmatched.insert(y);
    }
    a.iter().all(|x| unmatched.remove_equal(x))
}

/// A list's, set's or tuple's elements as an encoder writes them: each with
/// its path step (set elements have none, and only the distinct ones are
/// written) and its type. Empty unless value and type are the same kind.
pub(super) fn typed_elements<'a>(
    value: &'a Value,
    ty: &'a Type,
) -> Vec<(Option<PathStep>, &'a Value, &'a Type)> {
    let index = |i: usize| Some(PathStep::Index(i as i64));
    match (value, ty) {
        (Value::List(items), Type::List(element)) => {
            let typed = |(i, item)| (index(i), item, &**element);
            items.iter().enumerate().map(typed).collect()
        }
        (Value::Set(items), Type::Set(element)) => distinct_set_elements(items)
            .into_iter()
            .map(|item| (None, item, &**element))
            .collect(),
        (Value::Tuple(items), Type::Tuple(types)) => {
            let typed = |(i, (item, t))| (index(i), item, t);
            items.iter().zip(types).enumerate().map(typed).collect()
        }
        _ => Vec::new(),
    }
}

/// A map's entries or an object's attributes (every attribute of its type,
/// absent ones null) as an encoder writes them: key, path step, value, type.
/// An object attribute its type does not have is an error.
pub(super) fn typed_members<'a>(
    value: &'a Value,
    ty: &'a Type,
    path: &AttributePath,
) -> Result<Vec<(&'a String, PathStep, &'a Value, &'a Type)>, ValueError> {
    match (value, ty) {
        (Value::Map(entries), Type::Map(element)) => Ok(entries
            .iter()
            .map(|(key, item)| (key, PathStep::Key(key.clone()), item, &**element))
            .collect()),
        (Value::Object(attributes), Type::Object(types)) => {
            if let Some(name) = attributes.keys().find(|name| !types.contains_key(*name)) {
                let message = format!("unsupported attribute {name:?}");
                return Err(ValueError::new(path.clone(), message));
            }
            Ok(types
                .iter()
                .map(|(name, t)| {
                    let item = attributes.get(name).unwrap_or(&NULL);
                    (name, PathStep::Attribute(name.clone()), item, t)
                })
                .collect())
        }
        _ => Ok(Vec::new()),
    }
}

/// The elements a cty set would keep: it cannot hold two equal values, but
/// every unknown is distinct, so only wholly-known repeats are dropped.
pub(crate) fn distinct_set_elements(items: &[Value]) -> Vec<&Value> {
    let keep = distinct_mask(items);
    items
        .iter()
        .zip(keep)
        .filter_map(|(item, keep)| keep.then_some(item))
        .collect()
}

pub(crate) fn dedupe_set(mut items: Vec<Value>) -> Vec<Value> {
    let keep = distinct_mask(&items);
    if keep.iter().all(|&k| k) {
        return items;
    }
    let mut keep = keep.into_iter();
    items.retain(|_| keep.next().unwrap_or(true));
    items
}

/// For each element, whether it is kept: the first of equal wholly-known
/// elements, and every element holding an unknown.
fn distinct_mask(items: &[Value]) -> Vec<bool> {
    let mut kept = ByHash::default();
    items
        .iter()
        .map(|item| {
            if !item.is_wholly_known() {
                return true; // every unknown is distinct
            }
            if kept.contains_equal(item) {
                return false;
            }
            kept.insert(item);
            true
        })
        .collect()
}

/// Values grouped by a hash that agrees with `==`: looking one up costs a
/// hash and, barring collisions, one comparison.
#[derive(Default)]
struct ByHash<'a> {
    groups: HashMap<u64, Vec<&'a Value>>,
}

impl<'a> ByHash<'a> {
    fn insert(&mut self, value: &'a Value) {
        self.groups.entry(hash_of(value)).or_default().push(value);
    }

    fn contains_equal(&self, value: &Value) -> bool {
        self.groups
            .get(&hash_of(value))
            .is_some_and(|group| group.contains(&value))
    }

    /// Takes out one value equal to `value`; false if there is none.
    fn remove_equal(&mut self, value: &Value) -> bool {
        let Some(group) = self.groups.get_mut(&hash_of(value)) else {
            return false;
        };
        match group.iter().position(|v| *v == value) {
            Some(i) => {
                group.swap_remove(i);
                true
            }
            None => false,
        }
    }
}

/// Keys chosen once per process, so that no one can craft colliding
/// elements offline and bring the quadratic case back.
fn hash_of(value: &Value) -> u64 {
    static KEYS: OnceLock<RandomState> = OnceLock::new();
    let mut hasher = KEYS.get_or_init(RandomState::new).build_hasher();
    hash_into(value, &mut hasher);
    hasher.finish()
}

/// Equal values hash equal: numbers are kept in one normal form, and a set
/// hashes the (wrapping) sum of its elements' hashes, whatever their order.
fn hash_into(value: &Value, h: &mut impl Hasher) {
    std::mem::discriminant(value).hash(h);
    match value {
        Value::Null | Value::Unknown => {}
        Value::Bool(b) => b.hash(h),
        Value::Number(n) => n.hash(h),
        Value::String(s) => s.hash(h),
        Value::List(items) | Value::Tuple(items) => {
            items.len().hash(h);
            items.iter().for_each(|item| hash_into(item, h));
        }
        Value::Set(items) => {
            items.len().hash(h);
            let sum = items
                .iter()
                .map(hash_of)
                .fold(0u64, |sum, x| sum.wrapping_add(x));
            sum.hash(h);
        }
        Value::Map(entries) | Value::Object(entries) => {
            entries.len().hash(h);
            for (key, item) in entries {
                key.hash(h);
                hash_into(item, h);
            }
        }
        Value::Dynamic(ty, inner) => {
            ty.hash(h);
            hash_into(inner, h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::string(text)
    }

    #[test]
    fn accessors_tolerate_null_and_unknown() {
        let v = Value::object([
            ("name", s("app")),
            ("enabled", Value::Bool(true)),
            ("count", Value::number(3i64)),
            ("scopes", Value::set([s("read"), s("write")])),
            ("nested", Value::object([("inner", s("x"))])),
            ("pending", Value::Unknown),
        ]);
        assert_eq!(v.get("name").as_str(), Some("app"));
        assert_eq!(v.get("enabled").as_bool(), Some(true));
        assert_eq!(v.get("count").as_number().and_then(Number::as_i64), Some(3));
        assert_eq!(v.get("scopes").elements().len(), 2);
        assert_eq!(v.get("nested").get("inner").as_str(), Some("x"));
        assert!(v.get("absent").is_null());
        assert!(v.get("absent").get("deeper").is_null());
        assert!(v.get("name").get("x").is_null());
        assert!(Value::Unknown.get("x").is_null());
        assert!(Value::Null.elements().is_empty());
        assert!(v.get("pending").is_unknown());
        assert!(!v.is_unknown());
        assert!(!v.is_wholly_known());
        assert!(v.get("nested").is_wholly_known());
        assert_eq!(v.get("name").as_bool(), None);

        let d = Value::dynamic(Type::String, s("inside"));
        assert_eq!(d.as_str(), Some("inside"));
        assert!(Value::dynamic(Type::String, Value::Null).is_null());
        assert!(Value::dynamic(Type::String, Value::Unknown).is_unknown());
        assert!(!Value::dynamic(Type::String, Value::Unknown).is_wholly_known());
    }

    #[test]
    fn sets_compare_as_sets_and_drop_known_duplicates() {
        assert_eq!(Value::set([s("a"), s("b")]), Value::set([s("b"), s("a")]));
        assert_ne!(Value::set([s("a"), s("b")]), Value::set([s("a"), s("c")]));
        assert_ne!(Value::list([s("a"), s("b")]), Value::list([s("b"), s("a")]));
        assert_eq!(Value::set([s("a"), s("a"), s("b")]).elements().len(), 2);
        let with_unknowns = Value::set([Value::Unknown, Value::Unknown, s("a")]);
        assert_eq!(with_unknowns.elements().len(), 3);
        assert_ne!(
            Value::Set(vec![s("a"), s("a")]),
            Value::Set(vec![s("a"), s("b")])
        );
        assert_eq!(
            Value::set([Value::number(1i64)]),
            Value::set([Value::Number("1.0".parse().unwrap_or(Number::ZERO))])
        );
    }

    thread_local! {
        /// Calls of `Value::eq` on this thread: how the set tests see
        /// complexity without timing anything.
        pub(super) static COMPARISONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    fn comparisons_in(f: impl FnOnce()) -> usize {
        COMPARISONS.with(|n| n.set(0));
        f();
        COMPARISONS.with(|n| n.get())
    }

    /// Tens of thousands of scopes cost seconds per read when every element
    /// was compared with every other; each element is now compared about once.
    #[test]
    fn big_sets_compare_and_dedupe_in_linear_comparisons() {
        let n = 20_000;
        let scopes: Vec<Value> = (0..n)
            .map(|i| s(&format!("read:thing-{i}:confluence")))
            .collect();
        let forward = Value::Set(scopes.clone());
        let backward = Value::Set(scopes.iter().rev().cloned().collect());
        let mut equal = false;
        let cost = comparisons_in(|| equal = forward == backward);
        assert!(equal);
        assert!(cost <= 2 * n, "{cost} comparisons for two sets of {n}");

        let mut changed = scopes.clone();
        changed[n / 2] = s("write:other:confluence");
        let cost = comparisons_in(|| equal = forward == Value::Set(changed));
        assert!(!equal);
        assert!(cost <= 2 * n, "{cost} comparisons for two sets of {n}");

        let twice: Vec<Value> = scopes.iter().chain(&scopes).cloned().collect();
        let mut deduped = Value::Null;
        let cost = comparisons_in(|| deduped = Value::set(twice));
        assert_eq!(
            deduped.elements(),
            &scopes[..],
            "first of each kept, in order"
        );
        assert!(
            cost <= 4 * n,
            "{cost} comparisons to dedupe {} elements",
            2 * n
        );
    }

    #[test]
    fn sets_compare_by_value_at_any_depth_and_in_any_order() {
        let num = |t: &str| Value::Number(t.parse().unwrap_or(Number::ZERO));
        let inner_a = Value::set([num("1"), num("2.50"), s("x")]);
        let inner_b = Value::set([s("x"), num("25e-1"), num("1.0")]);
        assert_eq!(
            Value::set([inner_a.clone(), Value::set([s("y")])]),
            Value::set([Value::set([s("y")]), inner_b.clone()])
        );
        // Equal inner sets are one element.
        assert_eq!(Value::set([inner_a.clone(), inner_b]).elements().len(), 1);
        // Multisets: the same elements, not only the same distinct ones.
        assert_ne!(
            Value::Set(vec![s("a"), s("a"), s("b")]),
            Value::Set(vec![s("a"), s("b"), s("b")])
        );
        assert_eq!(
            Value::Set(vec![s("a"), s("b"), s("a")]),
            Value::Set(vec![s("a"), s("a"), s("b")])
        );
        // Lists inside sets keep their order; objects and maps compare by key.
        assert_ne!(
            Value::set([Value::list([s("a"), s("b")])]),
            Value::set([Value::list([s("b"), s("a")])])
        );
        assert_eq!(
            Value::set([Value::map([("k", s("v")), ("j", num("3"))])]),
            Value::set([Value::map([("j", num("3.0")), ("k", s("v"))])])
        );
        assert_ne!(
            Value::set([Value::map([("k", s("v"))])]),
            Value::set([Value::object([("k", s("v"))])])
        );
        assert_ne!(
            Value::set([Value::dynamic(Type::String, s("v"))]),
            Value::set([s("v")])
        );
        // Elements holding an unknown are never merged, but compare equal.
        let partly = Value::list([Value::Unknown]);
        assert_eq!(
            Value::set([partly.clone(), partly.clone()])
                .elements()
                .len(),
            2
        );
        assert_eq!(
            Value::Set(vec![partly.clone(), s("a")]),
            Value::Set(vec![s("a"), partly])
        );
    }

    #[test]
    fn debug_shows_the_shape_and_never_strings_numbers_or_map_keys() {
        let secret = "fake-secret-debug-0001";
        let value = Value::object([
            ("client_secret", s(secret)),
            (
                "version",
                Value::Number("314159.26".parse().unwrap_or(Number::ZERO)),
            ),
            ("enabled", Value::Bool(true)),
            ("scopes", Value::set([s(secret), Value::Unknown])),
            ("tags", Value::map([(secret, s(secret))])),
            ("pair", Value::Tuple(vec![Value::Null, s(secret)])),
            (
                "extra",
                Value::dynamic(Type::list(Type::String), Value::list([s(secret)])),
            ),
        ]);
        let compact = format!("{value:?}");
        assert_eq!(
            compact,
            r#"Object {"client_secret": String(..), "enabled": Bool(true), "extra": Dynamic(["list","string"], List[String(..)]), "pair": Tuple[Null, String(..)], "scopes": Set[String(..), Unknown], "tags": Map[String(..)], "version": Number(..)}"#
        );
        let pretty = format!("{value:#?}");
        for text in [&compact, &pretty] {
            assert!(!text.contains("fake-secret"), "{text}");
            assert!(!text.contains("314159"), "{text}");
        }
    }

    fn sample() -> (Value, Type) {
        let ty = Type::object([
            ("id", Type::String),
            ("tags", Type::map(Type::String)),
            ("ports", Type::list(Type::Number)),
            ("scopes", Type::set(Type::String)),
            ("pair", Type::tuple([Type::Bool, Type::String])),
            ("extra", Type::Dynamic),
            ("secret_wo", Type::String),
        ]);
        let value = Value::object([
            ("id", Value::Unknown),
            ("tags", Value::map([("env", s("dev"))])),
            ("ports", Value::list([Value::number(443i64)])),
            ("scopes", Value::set([s("read")])),
            ("pair", Value::Tuple(vec![Value::Bool(false), s("p")])),
            (
                "extra",
                Value::dynamic(Type::list(Type::String), Value::list([s("e")])),
            ),
            ("secret_wo", s("fake-secret-0001")),
        ]);
        (value, ty)
    }

    #[test]
    fn walk_visits_every_node_with_its_path() {
        let (value, ty) = sample();
        let mut seen = Vec::new();
        value.walk(&ty, &mut |path, v, t| {
            seen.push(format!("{path} {} {}", v.kind(), t));
        });
        let expected = [
            r#" an object ["object",{"extra":"dynamic","id":"string","pair":["tuple",["bool","string"]],"ports":["list","number"],"scopes":["set","string"],"secret_wo":"string","tags":["map","string"]}]"#,
            r#"extra a dynamic value "dynamic""#,
            r#"extra a list ["list","string"]"#,
            r#"extra[0] a string "string""#,
            r#"id unknown "string""#,
            r#"pair a tuple ["tuple",["bool","string"]]"#,
            r#"pair[0] a bool "bool""#,
            r#"pair[1] a string "string""#,
            r#"ports a list ["list","number"]"#,
            r#"ports[0] a number "number""#,
            r#"scopes a set ["set","string"]"#,
            r#"scopes a string "string""#,
            r#"secret_wo a string "string""#,
            r#"tags a map ["map","string"]"#,
            r#"tags["env"] a string "string""#,
        ];
        assert_eq!(seen, expected);
    }

    #[test]
    fn transform_replaces_top_down_and_keeps_the_rest() {
        let (value, ty) = sample();
        let mut visited = Vec::new();
        let out = transform(&value, &ty, &mut |path, v, _| {
            visited.push(path.to_string());
            if *path == AttributePath::attribute("secret_wo") {
                Some(Value::Null)
            } else if *path == AttributePath::attribute("tags") {
                Some(Value::map([("replaced", s("yes"))]))
            } else if v.is_unknown() {
                Some(s("now-known"))
            } else {
                None
            }
        });
        let expected = Value::object([
            ("id", s("now-known")),
            ("tags", Value::map([("replaced", s("yes"))])),
            ("ports", Value::list([Value::number(443i64)])),
            ("scopes", Value::set([s("read")])),
            ("pair", Value::Tuple(vec![Value::Bool(false), s("p")])),
            (
                "extra",
                Value::dynamic(Type::list(Type::String), Value::list([s("e")])),
            ),
            ("secret_wo", Value::Null),
        ]);
        assert_eq!(out, expected);
        // Replaced nodes are not entered: nothing under "tags" was visited.
        assert!(!visited.iter().any(|p| p.starts_with("tags[")));
        assert!(visited.contains(&"extra[0]".to_owned()));
    }

    #[test]
    fn transform_collapses_set_elements_that_become_equal() {
        let ty = Type::set(Type::String);
        let value = Value::set([Value::Unknown, s("a")]);
        let out = transform(&value, &ty, &mut |_, v, _| v.is_unknown().then(|| s("a")));
        assert_eq!(out.elements(), &[s("a")]);
    }

    #[test]
    fn transform_fills_absent_object_attributes_with_null() {
        let ty = Type::object([("a", Type::String), ("b", Type::String)]);
        let out = transform(&Value::object([("a", s("x"))]), &ty, &mut |_, _, _| None);
        assert_eq!(out, Value::object([("a", s("x")), ("b", Value::Null)]));
    }
}
