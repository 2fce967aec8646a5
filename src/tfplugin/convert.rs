//! Conversions between the generated protobuf types and our hand-written
//! ones: pure functions, all in this one place, so that the rest of the crate
//! never sees a generated type.

use super::diag::{Diagnostic, Diagnostics, Severity};
use super::function::{FunctionError, Signature};
use super::path::{AttributePath, PathStep};
use super::proto::tfplugin6 as pb;
use super::schema::{Attribute, Block, NestedAttributes, NestedBlock, Nesting, Schema};
use super::value::{self, Type, Value, ValueErrorKind};

pub(crate) fn schema(s: &Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(block(&s.block, s.version)),
    }
}

fn block(b: &Block, version: i64) -> pb::schema::Block {
    pb::schema::Block {
        version,
        attributes: b.attributes.iter().map(attribute).collect(),
        block_types: b.blocks.iter().map(nested_block).collect(),
        description: b.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: b.deprecated,
    }
}

fn attribute(a: &Attribute) -> pb::schema::Attribute {
    pb::schema::Attribute {
        name: a.name.clone(),
        // Nested attributes carry their type in `nested_type` only.
        r#type: if a.nested.is_some() {
            Vec::new()
        } else {
            a.ty.to_json()
        },
        nested_type: a.nested.as_ref().map(nested_attributes),
        description: a.description.clone(),
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: a.deprecated,
        write_only: a.write_only,
    }
}

fn nested_attributes(n: &NestedAttributes) -> pb::schema::Object {
    use pb::schema::object::NestingMode as M;
    let nesting = match n.nesting {
        Nesting::Single | Nesting::Group => M::Single,
        Nesting::List => M::List,
        Nesting::Set => M::Set,
        Nesting::Map => M::Map,
    };
    #[allow(deprecated)]
    pb::schema::Object {
        attributes: n.attributes.iter().map(attribute).collect(),
        nesting: nesting as i32,
        min_items: 0,
        max_items: 0,
    }
}

fn nested_block(b: &NestedBlock) -> pb::schema::NestedBlock {
    use pb::schema::nested_block::NestingMode as M;
    let nesting = match b.nesting {
        Nesting::Single => M::Single,
        Nesting::Group => M::Group,
        Nesting::List => M::List,
        Nesting::Set => M::Set,
        Nesting::Map => M::Map,
    };
    pb::schema::NestedBlock {
        type_name: b.type_name.clone(),
        block: Some(block(&b.block, 0)),
        nesting: nesting as i32,
        min_items: b.min_items,
        max_items: b.max_items,
    }
}

pub(crate) fn diagnostics(d: Diagnostics) -> Vec<pb::Diagnostic> {
    d.into_iter().map(diagnostic).collect()
}

fn diagnostic(d: Diagnostic) -> pb::Diagnostic {
    let severity = match d.severity {
        Severity::Error => pb::diagnostic::Severity::Error,
        Severity::Warning => pb::diagnostic::Severity::Warning,
    };
    pb::Diagnostic {
        severity: severity as i32,
        summary: d.summary,
        detail: d.detail,
        attribute: d.attribute.filter(|p| !p.is_root()).map(|p| path(&p)),
    }
}

pub(crate) fn path(p: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: p
            .steps()
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    PathStep::Attribute(n) => Selector::AttributeName(n.clone()),
                    PathStep::Key(k) => Selector::ElementKeyString(k.clone()),
                    PathStep::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

/// A value from Terraform; a value Terraform did not send (both forms empty) is null.
pub(crate) fn decode(dv: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, Diagnostic> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    let decoded = if !dv.msgpack.is_empty() {
        value::decode_msgpack(&dv.msgpack, ty)
    } else if !dv.json.is_empty() {
        value::decode_json(&dv.json, ty)
    } else {
        return Ok(Value::Null);
    };
    decoded.map_err(|e| match e.kind {
        ValueErrorKind::NumberOutOfRange => Diagnostic::error(
            "Number out of range",
            "The number is beyond what this provider reads: at most about 10,000 digits before or \
             after the decimal point. Use a number within the limits the attribute's description \
             gives.",
        )
        .at(e.path),
        ValueErrorKind::Malformed => Diagnostic::error(
            "Terraform sent a value this provider cannot read",
            format!(
                "{e}. This is a bug in the provider or a Terraform version it does not support."
            ),
        ),
    })
}

/// What of a resource the state file stores: its state, or its identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stored {
    State,
    Identity,
}

/// A resource's stored state or identity (`UpgradeResourceState`'s or
/// `UpgradeResourceIdentity`'s raw JSON: the state file's contents as they
/// are) against its schema type. What this does not read was not sent wrong
/// by Terraform: it is the state file that does not fit, so the words say
/// where, and how to mend the state.
pub(crate) fn decode_stored(
    json: &[u8],
    ty: &Type,
    type_name: &str,
    stored: Stored,
) -> Result<Value, Diagnostic> {
    if json.is_empty() {
        return Ok(Value::Null);
    }
    let what = match stored {
        Stored::State => "state",
        Stored::Identity => "identity",
    };
    value::decode_json(json, ty).map_err(|e| {
        let at = if e.path.is_root() {
            "as a whole".to_string()
        } else {
            format!("at `{}`", e.path)
        };
        Diagnostic::error(
            format!("The stored {what} does not match the resource's schema"),
            format!(
                "The stored {what} of this {type_name} does not match the provider's schema {at}: \
                 {}. That happens when the state file is edited by hand, or written by \
                 something else than this provider.\n\nRestore the state from a backup \
                 (terraform.tfstate.backup, or an earlier version kept by your backend), or remove \
                 the resource from the state and import it again: terraform state rm \
                 {type_name}.<name>, then an import block or terraform import.",
                e.message
            ),
        )
    })
}

pub(crate) fn encode(v: &Value, ty: &Type) -> Result<pb::DynamicValue, Diagnostic> {
    value::encode_msgpack(v, ty)
        .map(|msgpack| pb::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|e| {
            Diagnostic::error(
                "The provider produced a value it cannot encode",
                format!("{e}. This is a bug in the provider; please report it."),
            )
        })
}

/// A function's signature as Terraform reads it (descriptions in Markdown).
pub(crate) fn function(s: &Signature) -> pb::Function {
    pb::Function {
        parameters: s
            .parameters
            .iter()
            .map(|p| pb::function::Parameter {
                name: p.name.clone(),
                r#type: p.ty.to_json(),
                allow_null_value: p.allow_null,
                allow_unknown_values: false,
                description: p.description.clone(),
                description_kind: pb::StringKind::Markdown as i32,
            })
            .collect(),
        variadic_parameter: None,
        r#return: Some(pb::function::Return {
            r#type: s.returns.to_json(),
        }),
        summary: s.summary.clone(),
        description: s.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecation_message: String::new(),
    }
}

/// Terraform ends the text with a period of its own: one at the end of ours
/// would show twice.
pub(crate) fn function_error(e: FunctionError) -> pb::FunctionError {
    let text = e.text.trim_end();
    pb::FunctionError {
        text: text.strip_suffix('.').unwrap_or(text).to_string(),
        function_argument: e.argument.and_then(|i| i64::try_from(i).ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_protocol_steps() {
        use pb::attribute_path::step::Selector;
        let p = AttributePath::attribute("scopes").join(PathStep::Index(2));
        let steps = path(&p).steps;
        assert_eq!(steps.len(), 2);
        assert_eq!(
            steps[0].selector,
            Some(Selector::AttributeName("scopes".into()))
        );
        assert_eq!(steps[1].selector, Some(Selector::ElementKeyInt(2)));
    }

    /// `{"version": <text>}` as Terraform sends it: a number that is neither
    /// an int64 nor an exact float64 travels as decimal text.
    fn number_as_text(text: &str) -> pb::DynamicValue {
        let mut msgpack = vec![0x81, 0xa7];
        msgpack.extend_from_slice(b"version");
        msgpack.push(0xdb);
        msgpack.extend_from_slice(&(text.len() as u32).to_be_bytes());
        msgpack.extend_from_slice(text.as_bytes());
        pb::DynamicValue {
            msgpack,
            json: Vec::new(),
        }
    }

    #[test]
    fn a_number_out_of_range_is_the_users_value_not_a_bug() {
        let ty = Type::object([("version", Type::Number)]);
        let version = AttributePath::attribute("version");
        for text in [
            format!("1{}", "0".repeat(20_000)),
            format!("-1{}", "0".repeat(20_000)),
            format!("0.{}1", "0".repeat(20_000)),
        ] {
            let d = decode(Some(&number_as_text(&text)), &ty).unwrap_err();
            assert_eq!(d.summary, "Number out of range");
            assert_eq!(d.attribute.as_ref(), Some(&version));
            assert!(!d.detail.contains("bug"), "{}", d.detail);
            assert!(d.detail.contains("10,000 digits"), "{}", d.detail);
            assert!(
                d.detail.len() < 300,
                "the number is not echoed: {}",
                d.detail
            );
        }
        // In range, however large: read exactly.
        let big = format!("1{}", "0".repeat(9_000));
        let v = decode(Some(&number_as_text(&big)), &ty).unwrap();
        assert_eq!(v.get("version"), &Value::Number(big.parse().unwrap()));
        // Broken bytes are still reported as a bug.
        let d = decode(Some(&number_as_text("12abc")), &ty).unwrap_err();
        assert_eq!(
            d.summary,
            "Terraform sent a value this provider cannot read"
        );
    }

    #[test]
    fn a_state_of_the_wrong_type_is_the_state_not_a_bug() {
        let ty = Type::object([
            ("id", Type::String),
            ("scopes", Type::Set(Box::new(Type::String))),
        ]);
        let good = br#"{"id":"app_1","scopes":["read:page:confluence"]}"#;
        let state =
            |json: &[u8]| decode_stored(json, &ty, "writer_confluence_oauth_app", Stored::State);
        assert!(state(good).is_ok());
        assert_eq!(state(b""), Ok(Value::Null));
        let edited = br#"{"id":"app_1","scopes":"read:page:confluence"}"#;
        let d = state(edited).unwrap_err();
        assert_eq!(
            d.summary,
            "The stored state does not match the resource's schema"
        );
        for says in [
            "The stored state of this writer_confluence_oauth_app does not match the provider's \
             schema at `scopes`",
            "a set is required, got a JSON string",
            "terraform.tfstate.backup",
            "terraform state rm writer_confluence_oauth_app.<name>",
            "import",
        ] {
            assert!(d.detail.contains(says), "{says}: {}", d.detail);
        }
        assert!(!d.detail.contains("bug"), "{}", d.detail);
        let broken = state(b"{").unwrap_err();
        assert!(
            broken.detail.contains("schema as a whole"),
            "{}",
            broken.detail
        );
        // An identity likewise.
        let identity = Type::object([("id", Type::String)]);
        let d = decode_stored(br#"{"id":["x"]}"#, &identity, "t", Stored::Identity).unwrap_err();
        assert_eq!(
            d.summary,
            "The stored identity does not match the resource's schema"
        );
        assert!(
            d.detail.contains("at `id`: a string is required"),
            "{}",
            d.detail
        );
        assert!(!d.detail.contains("bug"), "{}", d.detail);
    }

    #[test]
    fn attributes_carry_markdown_and_write_only() {
        let a = Attribute::optional("client_secret_wo", Type::String)
            .write_only()
            .sensitive()
            .description("The **secret**.");
        let pa = attribute(&a);
        assert!(pa.write_only && pa.sensitive && pa.optional);
        assert_eq!(pa.description_kind, pb::StringKind::Markdown as i32);
        assert_eq!(pa.r#type, b"\"string\"".to_vec());
    }
}
