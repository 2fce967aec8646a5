//! The gRPC services Terraform calls: `tfplugin6.Provider` (`rpc`), and
//! go-plugin's `plugin.GRPCController` and `plugin.GRPCStdio` (`go_plugin`).
//!
//! Every method has one shape (`call`): decode the request against the
//! schema, call the provider (a panic becomes an error diagnostic for that
//! call, and the process keeps serving), enforce the protocol's invariants,
//! encode the response. Problems are diagnostics; gRPC errors are kept for
//! requests that name something the provider does not have.

mod call;
mod functions;
mod go_plugin;
mod list;
mod rpc;
mod served;

use std::sync::Arc;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tonic::service::Routes;

use super::proto::plugin as gp;
use super::proto::tfplugin6 as pb;
use super::Provider;

pub(crate) use rpc::ProviderService;
use served::Inner;

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
