//! go-plugin's own services beside Terraform's: the controller, through which
//! Terraform tells the plugin to exit, and the stdio stream it expects.

use tokio::sync::watch;
use tonic::{Request, Response, Status};

use super::super::proto::plugin as gp;

/// go-plugin's controller: Terraform asks the plugin to exit.
pub(super) struct Controller {
    pub(super) stop: watch::Sender<bool>,
}

#[tonic::async_trait]
impl gp::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _request: Request<gp::Empty>) -> Result<Response<gp::Empty>, Status> {
        tracing::debug!("GRPCController.Shutdown: stopping");
        let _ = self.stop.send(true);
        Ok(Response::new(gp::Empty {}))
    }
}

/// go-plugin's stdio stream. We log to stderr directly, so the stream carries
/// nothing; it stays open until the plugin stops, as go-plugin expects.
pub(super) struct Stdio {
    pub(super) stop: watch::Receiver<bool>,
}

#[tonic::async_trait]
impl gp::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream =
        std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<gp::StdioData, Status>> + Send>>;

    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        use futures_util::StreamExt as _;
        let mut stop = self.stop.clone();
        let stream = futures_util::stream::once(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .filter_map(|()| async { None });
        Ok(Response::new(Box::pin(stream)))
    }
}
