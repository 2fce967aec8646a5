//! The gRPC services Terraform calls: `tfplugin6.Provider` (`rpc`), and
//! go-plugin's `plugin.GRPCController` and `plugin.GRPCStdio` (`go_plugin`).
//!
//! Every method has one shape (`call`): decode the request against the
//! schema, call the provider (a panic becomes an error diagnostic for that
//! call, and the process keeps serving), enforce the protocol's invariants,
//! encode the response. Problems are diagnostics; gRPC errors are kept for
//! requests that name something the provider does not have.

mod call;
mod go_plugin;
mod list;
mod rpc;

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tonic::service::Routes;
use tonic::Status;

use super::identity;
use super::interface::{DataSource, Resource};
use super::list::ListResource;
use super::proto::plugin as gp;
use super::proto::tfplugin6 as pb;
use super::schema::Schema;
use super::value::Type;
use super::Provider;

pub(crate) use rpc::ProviderService;

/// Terraform can send whole states; gRPC's 4 MiB default is too small for large ones.
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// The services, ready for tonic. `stop` ends the process when set;
/// `stop_calls` is cancelled by StopProvider, and by whatever sets `stop`.
pub(crate) fn routes<P: Provider>(
    provider: Arc<P>,
    stop: watch::Sender<bool>,
    stop_calls: CancellationToken,
) -> Routes {
    // Whatever stops the plugin also tells calls in flight to stop waiting.
    let mut stopping = stop.subscribe();
    let cancel = stop_calls.clone();
    tokio::spawn(async move {
        if stopping.wait_for(|s| *s).await.is_ok() {
            cancel.cancel();
        }
    });
    let inner = Arc::new(Inner::new(provider, stop_calls));
    let service = pb::provider_server::ProviderServer::new(ProviderService { inner })
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);
    Routes::new(service)
        .add_service(gp::grpc_controller_server::GrpcControllerServer::new(
            go_plugin::Controller { stop: stop.clone() },
        ))
        .add_service(gp::grpc_stdio_server::GrpcStdioServer::new(
            go_plugin::Stdio {
                stop: stop.subscribe(),
            },
        ))
}

/// A schema and the type its values decode against, computed once.
struct Typed<T: ?Sized> {
    item: Arc<T>,
    schema: Schema,
    ty: Type,
}

/// What the provider serves, looked up by type name.
fn by_type_name<T: ?Sized>(
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

fn schemas<T: ?Sized>(items: &HashMap<String, Typed<T>>) -> HashMap<String, pb::Schema> {
    items
        .iter()
        .map(|(name, t)| (name.clone(), super::convert::schema(&t.schema)))
        .collect()
}

struct Inner {
    provider: Arc<dyn Provider>,
    provider_schema: Schema,
    provider_type: Type,
    resources: HashMap<String, Typed<dyn Resource>>,
    data_sources: HashMap<String, Typed<dyn DataSource>>,
    /// Identity schemas, by resource type; types without one are absent.
    identities: HashMap<String, identity::Typed>,
    lists: HashMap<String, Typed<dyn ListResource>>,
    /// The parent of every call's cancellation handle.
    stop_calls: CancellationToken,
}

impl Inner {
    fn new(provider: Arc<dyn Provider>, stop_calls: CancellationToken) -> Self {
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
            provider,
            stop_calls,
        }
    }

    /// A call's cancellation handle: cancelled when the provider is stopped.
    fn cancel(&self) -> CancellationToken {
        self.stop_calls.child_token()
    }

    fn resource(&self, type_name: &str) -> Result<&Typed<dyn Resource>, Status> {
        self.resources.get(type_name).ok_or_else(|| {
            Status::not_found(format!("this provider has no resource type {type_name:?}"))
        })
    }

    fn data_source(&self, type_name: &str) -> Result<&Typed<dyn DataSource>, Status> {
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
fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
        // Terraform derives generated configuration from the state itself.
        generate_resource_config: false,
    }
}

fn no_ephemeral(type_name: &str) -> Status {
    Status::not_found(format!(
        "this provider has no ephemeral resource {type_name:?}"
    ))
}
