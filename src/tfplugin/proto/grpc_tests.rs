//! Drives the generated services over a real gRPC connection on
//! 127.0.0.1, to check what Terraform's Go client will meet: the service
//! paths, a message round trip, and, for RPCs our file leaves out (newer
//! than protocol 6.10, or gated on capabilities we do not announce), the
//! Unimplemented status that Terraform relies on (see the top of
//! `proto/tfplugin6.proto`).

use std::error::Error;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Channel, Server};
use tonic::{Code, Request, Response, Status};

use super::plugin;
use super::tfplugin6 as tf;

type TestResult = Result<(), Box<dyn Error>>;

/// A provider that knows one schema and nothing else.
struct SchemaOnly;

fn schema_response() -> tf::get_provider_schema::Response {
    let secret = tf::schema::Attribute {
        name: "client_secret".into(),
        r#type: b"\"string\"".to_vec(),
        optional: true,
        sensitive: true,
        write_only: true,
        ..Default::default()
    };
    let schema = tf::Schema {
        version: 1,
        block: Some(tf::schema::Block {
            attributes: vec![secret],
            ..Default::default()
        }),
    };
    tf::get_provider_schema::Response {
        provider: Some(tf::Schema::default()),
        resource_schemas: [("writer_confluence_oauth_app".to_string(), schema)]
            .into_iter()
            .collect(),
        server_capabilities: Some(tf::ServerCapabilities {
            get_provider_schema_optional: true,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Writes the `Provider` impl with every RPC but GetProviderSchema answering
/// Unimplemented (async_trait needs to see whole methods, hence one macro
/// around the impl rather than one per method).
macro_rules! schema_only_provider {
    ($($method:ident: $msg:ident),* $(,)?) => {
        #[tonic::async_trait]
        impl tf::provider_server::Provider for SchemaOnly {
            async fn get_provider_schema(
                &self,
                _: Request<tf::get_provider_schema::Request>,
            ) -> Result<Response<tf::get_provider_schema::Response>, Status> {
                Ok(Response::new(schema_response()))
            }
            type ListResourceStream = tokio_stream::Empty<Result<tf::list_resource::Event, Status>>;
            async fn list_resource(
                &self,
                _: Request<tf::list_resource::Request>,
            ) -> Result<Response<Self::ListResourceStream>, Status> {
                Err(Status::unimplemented("list_resource"))
            }
            $(
                async fn $method(
                    &self,
                    _: Request<tf::$msg::Request>,
                ) -> Result<Response<tf::$msg::Response>, Status> {
                    Err(Status::unimplemented(stringify!($method)))
                }
            )*
        }
    };
}

schema_only_provider! {
    get_metadata: get_metadata,
    validate_provider_config: validate_provider_config,
    validate_resource_config: validate_resource_config,
    validate_data_resource_config: validate_data_resource_config,
    upgrade_resource_state: upgrade_resource_state,
    get_resource_identity_schemas: get_resource_identity_schemas,
    upgrade_resource_identity: upgrade_resource_identity,
    validate_list_resource_config: validate_list_resource_config,
    configure_provider: configure_provider,
    read_resource: read_resource,
    plan_resource_change: plan_resource_change,
    apply_resource_change: apply_resource_change,
    import_resource_state: import_resource_state,
    move_resource_state: move_resource_state,
    read_data_source: read_data_source,
    validate_ephemeral_resource_config: validate_ephemeral_resource_config,
    open_ephemeral_resource: open_ephemeral_resource,
    renew_ephemeral_resource: renew_ephemeral_resource,
    close_ephemeral_resource: close_ephemeral_resource,
    get_functions: get_functions,
    call_function: call_function,
    stop_provider: stop_provider,
}

struct Controller;

#[tonic::async_trait]
impl plugin::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _: Request<plugin::Empty>) -> Result<Response<plugin::Empty>, Status> {
        Ok(Response::new(plugin::Empty {}))
    }
}

struct Stdio;

#[tonic::async_trait]
impl plugin::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream =
        tokio_stream::Iter<std::vec::IntoIter<Result<plugin::StdioData, Status>>>;

    async fn stream_stdio(
        &self,
        _: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        let chunk = plugin::StdioData {
            channel: plugin::stdio_data::Channel::Stderr as i32,
            data: b"hello".to_vec(),
        };
        Ok(Response::new(tokio_stream::iter(vec![Ok(chunk)])))
    }
}

/// Serves all three services on an ephemeral port; the server task ends with
/// the test's runtime.
async fn serve() -> Result<Channel, Box<dyn Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let router = Server::builder()
        .add_service(tf::provider_server::ProviderServer::new(SchemaOnly))
        .add_service(plugin::grpc_controller_server::GrpcControllerServer::new(
            Controller,
        ))
        .add_service(plugin::grpc_stdio_server::GrpcStdioServer::new(Stdio));
    tokio::spawn(router.serve_with_incoming(TcpListenerStream::new(listener)));
    Ok(Channel::from_shared(format!("http://{addr}"))?
        .connect()
        .await?)
}

#[tokio::test]
async fn provider_schema_round_trips_over_grpc() -> TestResult {
    let mut client = tf::provider_client::ProviderClient::new(serve().await?);
    let resp = client
        .get_provider_schema(tf::get_provider_schema::Request {})
        .await?
        .into_inner();
    assert_eq!(resp, schema_response());
    let attr = &resp.resource_schemas["writer_confluence_oauth_app"]
        .block
        .as_ref()
        .ok_or("no block")?
        .attributes[0];
    assert!(attr.write_only && attr.sensitive && !attr.computed);
    Ok(())
}

#[tokio::test]
async fn rpcs_left_out_of_our_file_are_answered_unimplemented() -> TestResult {
    let mut grpc = tonic::client::Grpc::new(serve().await?);
    // An empty body (`()`) decodes as an empty request of any of them.
    for path in [
        "/tfplugin6.Provider/GenerateResourceConfig",
        "/tfplugin6.Provider/ValidateStateStoreConfig",
        "/tfplugin6.Provider/PlanAction",
    ] {
        grpc.ready().await?;
        let result = grpc
            .unary::<(), (), _>(
                Request::new(()),
                PathAndQuery::from_static(path),
                tonic_prost::ProstCodec::default(),
            )
            .await;
        let code = result.err().map(|status| status.code());
        assert_eq!(code, Some(Code::Unimplemented), "{path}");
    }
    Ok(())
}

#[tokio::test]
async fn go_plugin_services_answer_on_their_paths() -> TestResult {
    let channel = serve().await?;
    let mut controller = plugin::grpc_controller_client::GrpcControllerClient::new(channel.clone());
    let empty = controller.shutdown(plugin::Empty {}).await?.into_inner();
    assert_eq!(empty, plugin::Empty {});

    let mut stdio = plugin::grpc_stdio_client::GrpcStdioClient::new(channel);
    let mut stream = stdio.stream_stdio(()).await?.into_inner();
    let first = stream.message().await?.ok_or("stream ended early")?;
    assert_eq!(first.channel, plugin::stdio_data::Channel::Stderr as i32);
    assert_eq!(first.data, b"hello");
    assert!(stream.message().await?.is_none());
    Ok(())
}
