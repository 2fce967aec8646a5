//! Resource identity (protocol 6.9, Terraform >= 1.12 and OpenTofu >= 1.12):
//! the few values that name one remote object for good, stored by Terraform
//! beside the state. It is what `import { identity = {...} }` blocks and
//! `terraform query` results carry.
//!
//! One rule keeps identity simple and correct for every resource: an
//! identity attribute *is* the state attribute of the same name. A resource
//! declares an [`IdentitySchema`]; the server derives the identity from every
//! state it returns (read, plan, apply, import, list) and enforces the
//! protocol's rules here, the way `invariants` does for state:
//!
//! - after read, apply and import the identity is wholly known;
//! - an update (plan and apply) and a read never change a stored identity;
//!   state written before identities existed (prior identity null) gets one;
//! - an import by identity needs every `required_for_import` attribute.

use super::convert;
use super::diag::Diagnostic;
use super::path::AttributePath;
use super::proto::tfplugin6 as pb;
use super::schema::Block;
use super::value::{Type, Value};

/// What identifies one object of a resource type.
#[derive(Clone, Debug)]
pub struct IdentitySchema {
    /// Bumped when the attributes change (then old identities are upgraded).
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

/// One identity attribute: also a state attribute of the same name and type.
#[derive(Clone, Debug)]
pub struct IdentityAttribute {
    pub name: String,
    pub ty: Type,
    /// An `import { identity = {...} }` block must set it.
    pub required_for_import: bool,
    /// Markdown.
    pub description: String,
}

impl IdentityAttribute {
    /// An attribute that an import by identity must set.
    pub fn required_for_import(name: impl Into<String>, ty: Type) -> Self {
        Self {
            name: name.into(),
            ty,
            required_for_import: true,
            description: String::new(),
        }
    }

    pub fn description(mut self, markdown: impl Into<String>) -> Self {
        self.description = markdown.into();
        self
    }
}

impl IdentitySchema {
    pub fn new(attributes: Vec<IdentityAttribute>) -> Self {
        Self {
            version: 0,
            attributes,
        }
    }

    pub fn value_type(&self) -> Type {
        Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect(),
        )
    }

    /// The identity of the object `state` describes; null for no object.
    pub fn of_state(&self, state: &Value) -> Value {
        if state.is_null() {
            return Value::Null;
        }
        Value::object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), state.get(&a.name).clone())),
        )
    }

    /// The state an import by identity starts from: every attribute of
    /// `block` null but the identity's. The read Terraform runs next fills in
    /// the rest, or finds no such object.
    pub fn import_state(&self, block: &Block, identity: &Value) -> Value {
        let mut state: std::collections::BTreeMap<String, Value> = block
            .attributes
            .iter()
            .map(|a| (a.name.clone(), Value::Null))
            .collect();
        for b in &block.blocks {
            state.insert(b.type_name.clone(), Value::Null);
        }
        for a in &self.attributes {
            state.insert(a.name.clone(), identity.get(&a.name).clone());
        }
        Value::Object(state)
    }

    /// Every state attribute the identity names exists with the same type:
    /// checked once, when the server starts (a provider bug otherwise).
    pub(crate) fn mismatches(&self, block: &Block) -> Vec<String> {
        self.attributes
            .iter()
            .filter(|a| block.get(&a.name).is_none_or(|s| s.value_type() != a.ty))
            .map(|a| a.name.clone())
            .collect()
    }
}

/// An identity schema and the type its values decode against.
#[derive(Clone)]
pub(crate) struct Typed {
    pub(crate) schema: IdentitySchema,
    pub(crate) ty: Type,
}

impl Typed {
    pub(crate) fn new(schema: IdentitySchema) -> Self {
        let ty = schema.value_type();
        Self { schema, ty }
    }

    /// An identity Terraform sent; absent is null.
    pub(crate) fn decode(
        &self,
        data: Option<&pb::ResourceIdentityData>,
    ) -> Result<Value, Diagnostic> {
        convert::decode(data.and_then(|d| d.identity_data.as_ref()), &self.ty)
    }

    /// The identity to send; nothing for a null one.
    pub(crate) fn encode(
        &self,
        identity: &Value,
    ) -> Result<Option<pb::ResourceIdentityData>, Diagnostic> {
        if identity.is_null() {
            return Ok(None);
        }
        convert::encode(identity, &self.ty).map(|v| {
            Some(pb::ResourceIdentityData {
                identity_data: Some(v),
            })
        })
    }

    /// The identity of `state` after a read, an apply or an import: wholly
    /// known, and equal to `prior` when there was one.
    ///
    /// `stored_state` is the state Terraform sent with `prior`, if any: when
    /// the two already disagree (the state file was edited, one without the
    /// other), a change is not the provider's doing, and is said as such.
    pub(crate) fn settled(
        &self,
        prior: &Value,
        stored_state: Option<&Value>,
        state: &Value,
        when: &str,
    ) -> Result<Value, Vec<Diagnostic>> {
        if let Some(stored) = stored_state.filter(|s| !s.is_null()) {
            let of_stored = self.schema.of_state(stored);
            if !prior.is_null()
                && prior.is_wholly_known()
                && of_stored.is_wholly_known()
                && of_stored != *prior
            {
                return Err(vec![stored_mismatch(&self.schema, prior, &of_stored)]);
            }
        }
        let identity = self.schema.of_state(state);
        let mut breaches = unknowns(&self.schema, &identity, when);
        breaches.extend(changes(&self.schema, prior, &identity, when));
        if breaches.is_empty() {
            Ok(identity)
        } else {
            Err(breaches)
        }
    }

    /// The planned identity of `planned`. A create plans none while parts of
    /// it are unknown (not assigned yet): Terraform accepts that, and
    /// Terraform 1.15 cannot render a plan whose identity holds an unknown
    /// ("Failed to marshal plan to json"). An update keeps the identity known
    /// and unchanged.
    pub(crate) fn planned(
        &self,
        create: bool,
        prior: &Value,
        prior_state: Option<&Value>,
        planned: &Value,
    ) -> Result<Value, Vec<Diagnostic>> {
        if create {
            let identity = self.schema.of_state(planned);
            return Ok(if identity.is_wholly_known() {
                identity
            } else {
                Value::Null
            });
        }
        self.settled(prior, prior_state, planned, "plan of an update")
    }

    /// An identity from an import block: every required attribute set.
    pub(crate) fn check_import(&self, identity: &Value) -> Vec<Diagnostic> {
        self.schema
            .attributes
            .iter()
            .filter(|a| a.required_for_import && identity.get(&a.name).is_null())
            .map(|a| {
                Diagnostic::error(
                    format!("The import identity needs `{}`", a.name),
                    format!(
                        "An import by identity must set `{name}` in its `identity` block, e.g. \
                         `identity = {{ {name} = \"...\" }}`. {description}",
                        name = a.name,
                        description = a.description
                    ),
                )
                .at(AttributePath::attribute("identity")
                    .join(super::path::PathStep::Attribute(a.name.clone())))
            })
            .collect()
    }
}

/// What the server sends beside a state it returns after a read, an apply or
/// an import: the state's identity, checked against `prior` (what Terraform
/// sent). Nothing for a resource without identity or for no object.
pub(crate) fn settle(
    ident: Option<&Typed>,
    prior: Option<&pb::ResourceIdentityData>,
    stored_state: Option<&Value>,
    state: &Value,
    when: &str,
) -> Result<Option<pb::ResourceIdentityData>, Vec<Diagnostic>> {
    let Some(t) = ident else { return Ok(None) };
    if state.is_null() {
        return Ok(None);
    }
    let prior = t.decode(prior).map_err(|d| vec![d])?;
    let identity = t.settled(&prior, stored_state, state, when)?;
    t.encode(&identity).map_err(|d| vec![d])
}

/// `data` if it is a wholly known identity (a planned update's, not a
/// planned create's): what a failed apply keeps.
pub(crate) fn known(
    ident: Option<&Typed>,
    data: Option<&pb::ResourceIdentityData>,
) -> Option<pb::ResourceIdentityData> {
    let t = ident?;
    let identity = t.decode(data).ok()?;
    (!identity.is_null() && identity.is_wholly_known())
        .then(|| data.cloned())
        .flatten()
}

/// The planned identity sent beside a planned state (see [`Typed::planned`]).
pub(crate) fn plan(
    ident: Option<&Typed>,
    create: bool,
    prior: Option<&pb::ResourceIdentityData>,
    prior_state: Option<&Value>,
    planned: &Value,
) -> Result<Option<pb::ResourceIdentityData>, Vec<Diagnostic>> {
    let Some(t) = ident else { return Ok(None) };
    if planned.is_null() {
        return Ok(None);
    }
    let prior = t.decode(prior).map_err(|d| vec![d])?;
    let identity = t.planned(create, &prior, prior_state, planned)?;
    t.encode(&identity).map_err(|d| vec![d])
}

/// An import by identity (`import { identity = {...} }`): the state to start
/// from and the identity to return, or why the identity will not do. The
/// read Terraform runs next decides whether the object exists.
pub(crate) fn import(
    ident: Option<&Typed>,
    block: &Block,
    identity: Option<&pb::ResourceIdentityData>,
) -> Result<(Value, pb::ResourceIdentityData), Vec<Diagnostic>> {
    let Some(t) = ident else {
        return Err(vec![Diagnostic::error(
            "This resource type cannot be imported by identity",
            "It has no identity. Import it by ID instead: `import { to = ..., id = \"...\" }`.",
        )]);
    };
    let identity = t.decode(identity).map_err(|d| vec![d])?;
    let mut problems = t.check_import(&identity);
    if identity.is_null() || !identity.is_wholly_known() {
        problems.push(Diagnostic::error(
            "The import identity must be known",
            "An `import` block's `identity` must be known when Terraform plans: use values that do not \
             depend on resources not yet created.",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let encoded = t.encode(&identity).map_err(|d| vec![d])?;
    let data = encoded.unwrap_or_default();
    Ok((t.schema.import_state(block, &identity), data))
}

/// UpgradeResourceIdentity: only version 0 exists so far, so a stored
/// identity decodes as it is.
pub(crate) fn upgrade(
    ident: Option<&Typed>,
    r: &pb::upgrade_resource_identity::Request,
) -> Result<Option<pb::ResourceIdentityData>, Diagnostic> {
    let Some(t) = ident else {
        return Err(Diagnostic::error(
            format!("{} has no identity", r.type_name),
            "The state holds an identity for a resource type that has none in this provider \
             version. Use the provider version that wrote the state.",
        ));
    };
    if r.version > t.schema.version {
        return Err(Diagnostic::error(
            "Identity was written by a newer version of this provider",
            format!(
                "The identity of this {} has version {}, but this provider knows only up to {}. \
                 Upgrade the provider.",
                r.type_name, r.version, t.schema.version
            ),
        ));
    }
    let raw = r.raw_identity.clone().unwrap_or_default();
    let identity =
        convert::decode_stored(&raw.json, &t.ty, &r.type_name, convert::Stored::Identity)?;
    t.encode(&identity)
}

fn unknowns(schema: &IdentitySchema, identity: &Value, when: &str) -> Vec<Diagnostic> {
    schema
        .attributes
        .iter()
        .filter(|a| !identity.get(&a.name).is_wholly_known())
        .map(|a| {
            breach(
                &a.name,
                format!(
                    "Provider left identity attribute `{}` unknown after {when}",
                    a.name
                ),
                "An identity must be known once an object exists.",
            )
        })
        .collect()
}

fn changes(
    schema: &IdentitySchema,
    prior: &Value,
    identity: &Value,
    when: &str,
) -> Vec<Diagnostic> {
    if prior.is_null() {
        // State written before identities existed: this one is its first.
        return Vec::new();
    }
    schema
        .attributes
        .iter()
        // A planned create's identity is still unknown: nothing to compare;
        // an unknown new value is reported as such.
        .filter(|a| {
            let (before, after) = (prior.get(&a.name), identity.get(&a.name));
            before.is_wholly_known() && after.is_wholly_known() && before != after
        })
        .map(|a| {
            breach(
                &a.name,
                format!("Provider changed identity attribute `{}` in {when}", a.name),
                "The identity of an existing object never changes; only a replacement may have a new one.",
            )
        })
        .collect()
}

/// The stored identity (`prior`) is not the identity of the stored state
/// (`of_stored`): the state file was changed, one without the other.
fn stored_mismatch(schema: &IdentitySchema, prior: &Value, of_stored: &Value) -> Diagnostic {
    let differing: Vec<String> = schema
        .attributes
        .iter()
        .filter(|a| prior.get(&a.name) != of_stored.get(&a.name))
        .map(|a| format!("`{}`", a.name))
        .collect();
    Diagnostic::error(
        "The stored identity does not match the stored state",
        format!(
            "The identity Terraform keeps for this resource and its state disagree at {}. That \
             happens when the state file is edited by hand, one without the other.\n\nRestore the \
             state from a backup (terraform.tfstate.backup, or an earlier version kept by your \
             backend), or remove the resource from the state (terraform state rm <address>) and \
             import it again.",
            differing.join(", ")
        ),
    )
}

fn breach(attribute: &str, summary: String, why: &str) -> Diagnostic {
    Diagnostic::error(
        summary,
        format!("{why} This is a bug in the provider; please report it."),
    )
    .at(AttributePath::attribute(attribute))
}

pub(crate) fn schema_to_proto(s: &IdentitySchema) -> pb::ResourceIdentitySchema {
    pb::ResourceIdentitySchema {
        version: s.version,
        identity_attributes: s
            .attributes
            .iter()
            .map(|a| pb::resource_identity_schema::IdentityAttribute {
                name: a.name.clone(),
                r#type: a.ty.to_json(),
                required_for_import: a.required_for_import,
                optional_for_import: !a.required_for_import,
                description: a.description.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tfplugin::schema::Attribute;

    fn typed() -> Typed {
        Typed::new(IdentitySchema::new(vec![
            IdentityAttribute::required_for_import("id", Type::String).description("The ID."),
        ]))
    }

    fn block() -> Block {
        Block::new("b")
            .attribute(Attribute::computed("id", Type::String).description("i"))
            .attribute(Attribute::required("name", Type::String).description("n"))
    }

    fn state(id: Value) -> Value {
        Value::object([("id", id), ("name", Value::string("a"))])
    }

    #[test]
    fn identity_is_the_state_attributes_of_the_same_name() {
        let t = typed();
        assert_eq!(
            t.schema.of_state(&state(Value::string("app-1"))),
            Value::object([("id", Value::string("app-1"))])
        );
        assert_eq!(t.schema.of_state(&Value::Null), Value::Null);
        assert!(t.schema.mismatches(&block()).is_empty());
        let other = Block::new("b").attribute(Attribute::computed("id", Type::Number));
        assert_eq!(t.schema.mismatches(&other), vec!["id".to_string()]);
    }

    #[test]
    fn a_first_identity_is_given_to_old_state() {
        let t = typed();
        let got = t.settled(&Value::Null, None, &state(Value::string("app-1")), "read");
        assert_eq!(
            got.unwrap(),
            Value::object([("id", Value::string("app-1"))])
        );
    }

    #[test]
    fn a_changed_or_unknown_identity_is_a_provider_bug_with_its_attribute() {
        let t = typed();
        let prior = Value::object([("id", Value::string("app-1"))]);
        let d = t
            .settled(&prior, None, &state(Value::string("app-2")), "read")
            .unwrap_err();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].attribute, Some(AttributePath::attribute("id")));
        assert!(d[0]
            .summary
            .contains("changed identity attribute `id` in read"));
        let d = t
            .settled(&Value::Null, None, &state(Value::Unknown), "apply")
            .unwrap_err();
        assert!(
            d[0].summary.contains("unknown after apply"),
            "{}",
            d[0].summary
        );
    }

    #[test]
    fn a_stored_identity_that_is_not_the_stored_states_is_the_state_files_not_a_bug() {
        let t = typed();
        let prior = Value::object([("id", Value::string("app-1"))]);
        // The state file's `id` was edited to "", its identity was not.
        let edited = state(Value::string(""));
        for d in [
            t.settled(&prior, Some(&edited), &edited, "read")
                .unwrap_err(),
            t.planned(false, &prior, Some(&edited), &edited)
                .unwrap_err(),
        ] {
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(
                d[0].summary,
                "The stored identity does not match the stored state"
            );
            assert!(d[0].detail.contains("disagree at `id`"), "{}", d[0].detail);
            assert!(
                d[0].detail.contains("terraform state rm"),
                "{}",
                d[0].detail
            );
            assert!(!d[0].detail.contains("bug"), "{}", d[0].detail);
        }
        // Agreeing, a change is still the provider's.
        let stored = state(Value::string("app-1"));
        let d = t
            .settled(
                &prior,
                Some(&stored),
                &state(Value::string("app-2")),
                "read",
            )
            .unwrap_err();
        assert!(
            d[0].detail.contains("bug in the provider"),
            "{}",
            d[0].detail
        );
    }

    #[test]
    fn a_create_plans_no_identity_until_known_an_update_a_known_unchanged_one() {
        let t = typed();
        let create = t
            .planned(true, &Value::Null, None, &state(Value::Unknown))
            .unwrap();
        assert_eq!(
            create,
            Value::Null,
            "nothing unknown reaches Terraform's plan"
        );
        let known = t
            .planned(true, &Value::Null, None, &state(Value::string("x")))
            .unwrap();
        assert_eq!(known, Value::object([("id", Value::string("x"))]));
        let prior_state = state(Value::string("app-1"));
        let prior = Value::object([("id", Value::string("app-1"))]);
        assert!(t
            .planned(false, &prior, Some(&prior_state), &state(Value::Unknown))
            .is_err());
        assert!(t
            .planned(
                false,
                &prior,
                Some(&prior_state),
                &state(Value::string("app-9"))
            )
            .is_err());
        assert_eq!(
            t.planned(false, &Value::Null, Some(&prior_state), &prior_state)
                .unwrap(),
            prior,
            "backfilled on the first plan too"
        );
    }

    #[test]
    fn an_import_identity_needs_its_required_attributes() {
        let t = typed();
        let d = t.check_import(&Value::object([("id", Value::Null)]));
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_ref().map(ToString::to_string).as_deref(),
            Some("identity.id")
        );
        assert!(t
            .check_import(&Value::object([("id", Value::string("x"))]))
            .is_empty());
        let s = t
            .schema
            .import_state(&block(), &Value::object([("id", Value::string("x"))]));
        assert_eq!(
            s,
            Value::object([("id", Value::string("x")), ("name", Value::Null)])
        );
    }

    #[test]
    fn identities_travel_as_msgpack_and_absent_is_null() {
        let t = typed();
        let id = Value::object([("id", Value::string("app-1"))]);
        let wire = t.encode(&id).unwrap();
        assert_eq!(t.decode(wire.as_ref()).unwrap(), id);
        assert_eq!(t.encode(&Value::Null).unwrap(), None);
        assert_eq!(t.decode(None).unwrap(), Value::Null);
        let p = schema_to_proto(&t.schema);
        assert_eq!(p.version, 0);
        let a = &p.identity_attributes[0];
        assert!(a.required_for_import && !a.optional_for_import);
        assert_eq!(a.r#type, b"\"string\"".to_vec());
        assert_eq!(a.description, "The ID.");
    }
}
