//! The schemas of an OAuth-app resource and its data source: each attribute's
//! name (from the model), type and flags, with the connector's Markdown
//! descriptions, which Terraform shows and `docs/` is generated from. A
//! connector's settings come last, each an optional string (computed in the
//! data source). The resource's identity (Terraform >= 1.12) is the app's ID.

use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::Type;
use crate::tfplugin::{IdentityAttribute, IdentitySchema};

use super::connector::Connector;
use super::model::{APP, APP_DATA};

fn strings() -> Type {
    Type::Set(Box::new(Type::String))
}

pub(crate) fn schema(c: &Connector) -> Schema {
    let docs = (c.docs)();
    let (n, d) = (APP, docs.attributes);
    let string = Type::String;
    let mut block = Block::new(docs.resource)
        .attribute(Attribute::computed(n.id, string.clone()).description(d.id))
        .attribute(Attribute::required(n.name, string.clone()).description(d.name))
        .attribute(Attribute::required(n.client_id, string.clone()).description(d.client_id))
        .attribute(
            Attribute::optional(n.client_secret, string.clone())
                .sensitive()
                .description(d.client_secret),
        )
        .attribute(
            Attribute::optional(n.client_secret_wo, string.clone())
                .sensitive()
                .write_only()
                .description(d.client_secret_wo),
        )
        .attribute(
            Attribute::optional(n.client_secret_wo_version, Type::Number)
                .description(d.client_secret_wo_version),
        )
        .attribute(
            Attribute::optional_computed(n.callback_url, string.clone())
                .description(d.callback_url),
        )
        .attribute(Attribute::optional_computed(n.scopes, strings()).description(d.scopes))
        .attribute(
            Attribute::computed(n.client_secret_hint, string.clone())
                .description(d.client_secret_hint),
        )
        .attribute(
            Attribute::computed(n.client_secret_updated_at, string.clone())
                .description(d.client_secret_updated_at),
        )
        .attribute(Attribute::computed(n.created_at, string.clone()).description(d.created_at))
        .attribute(Attribute::computed(n.updated_at, string.clone()).description(d.updated_at))
        .attribute(
            Attribute::computed(n.authorization_url, string).description(d.authorization_url),
        );
    for s in c.settings {
        block =
            block.attribute(Attribute::optional(s.name, Type::String).description(s.description));
    }
    Schema::new(block)
}

pub(crate) fn data_schema(c: &Connector) -> Schema {
    let docs = (c.docs)();
    let (n, d) = (APP_DATA, docs.data_attributes);
    let computed =
        |name: &str, ty: Type, text: String| Attribute::computed(name, ty).description(text);
    let string = Type::String;
    let mut block = Block::new(docs.data_source)
        .attribute(Attribute::optional_computed(n.id, string.clone()).description(d.id))
        .attribute(Attribute::optional_computed(n.name, string.clone()).description(d.name))
        .attribute(computed(n.client_id, string.clone(), d.client_id))
        .attribute(computed(n.scopes, strings(), d.scopes))
        .attribute(computed(n.callback_url, string.clone(), d.callback_url))
        .attribute(computed(
            n.client_secret_hint,
            string.clone(),
            d.client_secret_hint,
        ))
        .attribute(computed(
            n.client_secret_updated_at,
            string.clone(),
            d.client_secret_updated_at,
        ))
        .attribute(computed(n.status, string.clone(), d.status))
        .attribute(computed(n.created_at, string.clone(), d.created_at))
        .attribute(computed(n.updated_at, string, d.updated_at));
    for s in c.settings {
        block = block.attribute(computed(s.name, Type::String, s.data_description.into()));
    }
    Schema::new(block)
}

/// The identity: the app's ID, which Writer never changes.
pub(crate) fn identity(c: &Connector) -> IdentitySchema {
    IdentitySchema::new(vec![IdentityAttribute::required_for_import(
        APP.id,
        Type::String,
    )
    .description(format!(
        "The app's ID in Writer (Admin > OAuth apps, or the `id` attribute), e.g. in \
         `import {{ to = {}.x, identity = {{ id = \"...\" }} }}`.",
        c.type_name
    ))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::oauth_apps::connectors;

    #[test]
    fn the_schemas_have_exactly_the_models_attributes_in_order() {
        for c in connectors::ALL {
            let names: Vec<String> = schema(c)
                .block
                .attributes
                .iter()
                .map(|a| a.name.clone())
                .collect();
            for s in c.settings {
                assert!(!APP.into_array().contains(&s.name), "{}", s.name);
                assert!(!APP_DATA.into_array().contains(&s.name), "{}", s.name);
            }
            let settings = c.settings.iter().map(|s| s.name);
            let expected: Vec<&str> = APP.into_array().into_iter().chain(settings).collect();
            assert_eq!(names, expected);
            let names: Vec<String> = data_schema(c)
                .block
                .attributes
                .iter()
                .map(|a| a.name.clone())
                .collect();
            let settings = c.settings.iter().map(|s| s.name);
            let expected: Vec<&str> = APP_DATA.into_array().into_iter().chain(settings).collect();
            assert_eq!(names, expected);
        }
    }
}
