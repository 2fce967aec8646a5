//! What the server serves, computed once when it starts: the provider's
//! resources, data sources, list resources, identities and functions by
//! type name, each with its schema and the type its values decode against.

use std::collections::HashMap;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tonic::Status;

use crate::tfplugin::function::Functions;
use crate::tfplugin::identity;
use crate::tfplugin::interface::{DataSource, Resource};
use crate::tfplugin::list::ListResource;
use crate::tfplugin::proto::tfplugin6 as pb;
use crate::tfplugin::schema::Schema;
use crate::tfplugin::value::Type;
use crate::tfplugin::Provider;

/// A schema and the type its values decode against, computed once.
pub(crate) struct Typed<T: ?Sized> {
    pub(crate) item: Arc<T>,
    pub(crate) schema: Schema,
    pub(crate) ty: Type,
}

/// What the provider serves, looked up by type name.
pub(crate) fn by_type_name<T: ?Sized>(
    items: Vec<Arc<T>>,
    type_name: impl Fn(&T) -> &'static str,
    schema: impl Fn(&T) -> Schema,
) -> HashMap<String, Typed<T>> {
    items
        .into_iter()
        .map(|item| {
            let schema = schema(&item);
            let ty = schema.value_type();
            let name = type_name(&item).to_string();
            (name, Typed { item, schema, ty })
        })
        .collect()
}

pub(crate) fn schemas<T: ?Sized>(items: &HashMap<String, Typed<T>>) -> HashMap<String, pb::Schema> {
    items
        .iter()
        .map(|(name, t)| (name.clone(), crate::tfplugin::convert::schema(&t.schema)))
        .collect()
}

pub(crate) struct Inner {
    pub(crate) provider: Arc<dyn Provider>,
    pub(crate) provider_schema: Schema,
    pub(crate) provider_type: Type,
    pub(crate) resources: HashMap<String, Typed<dyn Resource>>,
    pub(crate) data_sources: HashMap<String, Typed<dyn DataSource>>,
    /// Identity schemas, by resource type; types without one are absent.
    pub(crate) identities: HashMap<String, identity::Typed>,
    pub(crate) lists: HashMap<String, Typed<dyn ListResource>>,
    pub(crate) functions: Functions,
    /// The parent of every call's cancellation handle.
    pub(crate) stop_calls: CancellationToken,
}

impl Inner {
    pub(crate) fn new(provider: Arc<dyn Provider>, stop_calls: CancellationToken) -> Self {
        let provider_schema = provider.schema();
        let identities = provider
            .resources()
            .into_iter()
            .filter_map(|r| {
                Some((
                    r.type_name().to_string(),
                    identity::Typed::new(r.identity()?),
                ))
            })
            .collect();
        Self {
            provider_type: provider_schema.value_type(),
            provider_schema,
            resources: by_type_name(provider.resources(), |r| r.type_name(), |r| r.schema()),
            data_sources: by_type_name(provider.data_sources(), |d| d.type_name(), |d| d.schema()),
            identities,
            lists: by_type_name(provider.list_resources(), |l| l.type_name(), |l| l.schema()),
            functions: Functions::new(provider.functions()),
            provider,
            stop_calls,
        }
    }

    /// A call's cancellation handle: cancelled when the provider is stopped.
    pub(crate) fn cancel(&self) -> CancellationToken {
        self.stop_calls.child_token()
    }

    pub(crate) fn resource(&self, type_name: &str) -> Result<&Typed<dyn Resource>, Status> {
        self.resources.get(type_name).ok_or_else(|| {
            Status::not_found(format!("this provider has no resource type {type_name:?}"))
        })
    }

    pub(crate) fn data_source(&self, type_name: &str) -> Result<&Typed<dyn DataSource>, Status> {
        self.data_sources.get(type_name).ok_or_else(|| {
            Status::not_found(format!("this provider has no data source {type_name:?}"))
        })
    }
}

/// What this server supports. `plan_destroy` is false: Terraform plans a
/// destroy itself and never asks the provider (nothing here needs a say in
/// it). `get_provider_schema_optional`: the schemas are fixed when the server
/// starts and no call needs GetProviderSchema first, so Terraform may reuse
/// the schema it got from the first provider process of a command instead of
/// asking each later one (it starts two for `validate`, three for `plan`).
pub(crate) fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
        // Terraform derives generated configuration from the state itself.
        generate_resource_config: false,
    }
}

pub(crate) fn no_ephemeral(type_name: &str) -> Status {
    Status::not_found(format!(
        "this provider has no ephemeral resource {type_name:?}"
    ))
}
