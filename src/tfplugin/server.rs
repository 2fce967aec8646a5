//! The gRPC services Terraform calls: `tfplugin6.Provider`, and go-plugin's
//! `plugin.GRPCController` and `plugin.GRPCStdio`.
//!
//! Every method has one shape: decode the request against the schema, call
//! the provider (a panic becomes an error diagnostic for that call, and the
//! process keeps serving), enforce the protocol's invariants, encode the
//! response. Problems are diagnostics; gRPC errors are kept for requests that
//! name something the provider does not have.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::{FutureExt as _, StreamExt as _};
use tokio::sync::watch;
use tonic::service::Routes;
use tonic::{Request, Response, Status};

use super::convert;
use super::diag::{Diagnostic, Diagnostics};
use super::function::Functions;
use super::interface::{
    ApplyRequest, ApplyResponse, ConfigureRequest, DataSource, PlanRequest, ReadRequest, Resource,
};
use super::invariants;
use super::proto::plugin as gp;
use super::proto::tfplugin6 as pb;
use super::schema::Schema;
use super::value::Type;
use super::Provider;

/// Terraform can send whole states; gRPC's 4 MiB default is too small for large ones.
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// The services, ready for tonic. `stop` ends the process when set.
pub(crate) fn routes<P: Provider>(provider: Arc<P>, stop: watch::Sender<bool>) -> Routes {
    let provider: Arc<dyn Provider> = provider;
    let inner = Arc::new(Inner::new(provider.clone()));
    // Whatever stops the plugin also tells calls in flight to stop waiting.
    let mut stopping = stop.subscribe();
    tokio::spawn(async move {
        if stopping.wait_for(|s| *s).await.is_ok() {
            provider.stop();
        }
    });
    let service = pb::provider_server::ProviderServer::new(ProviderService { inner })
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);
    Routes::new(service)
        .add_service(gp::grpc_controller_server::GrpcControllerServer::new(
            Controller { stop: stop.clone() },
        ))
        .add_service(gp::grpc_stdio_server::GrpcStdioServer::new(Stdio {
            stop: stop.subscribe(),
        }))
}

/// A schema and the type its values decode against, computed once.
struct Typed<T: ?Sized> {
    item: Arc<T>,
    schema: Schema,
    ty: Type,
}

struct Inner {
    provider: Arc<dyn Provider>,
    provider_schema: Schema,
    provider_type: Type,
    resources: HashMap<String, Typed<dyn Resource>>,
    data_sources: HashMap<String, Typed<dyn DataSource>>,
    functions: Functions,
}

impl Inner {
    fn new(provider: Arc<dyn Provider>) -> Self {
        let provider_schema = provider.schema();
        let provider_type = provider_schema.value_type();
        let resources = provider
            .resources()
            .into_iter()
            .map(|r| {
                let schema = r.schema();
                let ty = schema.value_type();
                (
                    r.type_name().to_string(),
                    Typed {
                        item: r,
                        schema,
                        ty,
                    },
                )
            })
            .collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|d| {
                let schema = d.schema();
                let ty = schema.value_type();
                (
                    d.type_name().to_string(),
                    Typed {
                        item: d,
                        schema,
                        ty,
                    },
                )
            })
            .collect();
        Self {
            functions: Functions::new(provider.functions()),
            provider,
            provider_schema,
            provider_type,
            resources,
            data_sources,
        }
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

/// Runs provider code; a panic becomes an error diagnostic for this call only.
async fn guarded<T>(
    call: &str,
    fut: impl std::future::Future<Output = T>,
) -> Result<T, Diagnostic> {
    AssertUnwindSafe(fut).catch_unwind().await.map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        tracing::error!(call, panic = %message, "provider code panicked");
        Diagnostic::error(
            format!("The provider failed unexpectedly in {call}"),
            format!(
                "{message}\n\nThis is a bug in the provider, not in your configuration; please report \
                 it. Nothing further was changed by this call."
            ),
        )
    })
}

/// Diagnostics only: what a response carries when the call could not proceed.
fn only(d: Diagnostic) -> Vec<pb::Diagnostic> {
    convert::diagnostics(d.into())
}

pub(crate) struct ProviderService {
    inner: Arc<Inner>,
}

#[cfg(test)]
impl ProviderService {
    pub(crate) fn for_tests(provider: Arc<dyn Provider>) -> Self {
        Self {
            inner: Arc::new(Inner::new(provider)),
        }
    }
}

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let i = &self.inner;
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            diagnostics: Vec::new(),
            resources: i
                .resources
                .keys()
                .map(|t| pb::get_metadata::ResourceMetadata {
                    type_name: t.clone(),
                })
                .collect(),
            data_sources: i
                .data_sources
                .keys()
                .map(|t| pb::get_metadata::DataSourceMetadata {
                    type_name: t.clone(),
                })
                .collect(),
            functions: i.functions.metadata(),
            ephemeral_resources: Vec::new(),
        }))
    }

    async fn get_provider_schema(
        &self,
        _request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        let i = &self.inner;
        Ok(Response::new(pb::get_provider_schema::Response {
            provider: Some(convert::schema(&i.provider_schema)),
            resource_schemas: i
                .resources
                .iter()
                .map(|(k, r)| (k.clone(), convert::schema(&r.schema)))
                .collect(),
            data_source_schemas: i
                .data_sources
                .iter()
                .map(|(k, d)| (k.clone(), convert::schema(&d.schema)))
                .collect(),
            diagnostics: Vec::new(),
            provider_meta: None,
            server_capabilities: Some(capabilities()),
            functions: i.functions.described(),
            ephemeral_resource_schemas: HashMap::new(),
        }))
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let r = request.into_inner();
        let i = &self.inner;
        let diagnostics = match convert::decode(r.config.as_ref(), &i.provider_type) {
            Err(d) => only(d),
            Ok(config) => {
                match guarded("ValidateProviderConfig", i.provider.validate(&config)).await {
                    Ok(d) => convert::diagnostics(d),
                    Err(d) => only(d),
                }
            }
        };
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics,
        }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        let write_only_allowed = r
            .client_capabilities
            .as_ref()
            .is_some_and(|c| c.write_only_attributes_allowed);
        let diagnostics = match convert::decode(r.config.as_ref(), &res.ty) {
            Err(d) => only(d),
            Ok(config) => {
                let mut diags = Diagnostics::new();
                if !write_only_allowed {
                    for a in res.schema.block.attributes.iter().filter(|a| a.write_only) {
                        if !config.get(&a.name).is_null() {
                            diags.push(write_only_not_supported(&a.name));
                        }
                    }
                }
                match guarded("ValidateResourceConfig", res.item.validate(&config)).await {
                    Ok(d) => diags.extend(d),
                    Err(d) => diags.push(d),
                }
                convert::diagnostics(diags)
            }
        };
        Ok(Response::new(pb::validate_resource_config::Response {
            diagnostics,
        }))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let r = request.into_inner();
        let ds = self.inner.data_source(&r.type_name)?;
        let diagnostics = match convert::decode(r.config.as_ref(), &ds.ty) {
            Err(d) => only(d),
            Ok(config) => {
                match guarded("ValidateDataResourceConfig", ds.item.validate(&config)).await {
                    Ok(d) => convert::diagnostics(d),
                    Err(d) => only(d),
                }
            }
        };
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics,
        }))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        let reply = |upgraded_state, diagnostics| {
            Ok(Response::new(pb::upgrade_resource_state::Response {
                upgraded_state,
                diagnostics,
            }))
        };
        if r.version > res.schema.version {
            return reply(
                None,
                only(Diagnostic::error(
                    "State was written by a newer version of this provider",
                    format!(
                        "The state of this {} has schema version {}, but this provider knows only up \
                         to {}. Upgrade the provider.",
                        r.type_name, r.version, res.schema.version
                    ),
                )),
            );
        }
        // Only one schema version exists so far: the state decodes as it is.
        let raw = r.raw_state.unwrap_or_default();
        let dv = pb::DynamicValue {
            msgpack: Vec::new(),
            json: raw.json,
        };
        let state = match convert::decode(Some(&dv), &res.ty) {
            Ok(v) => invariants::null_write_only(&res.schema.block, v),
            Err(d) => return reply(None, only(d)),
        };
        match convert::encode(&state, &res.ty) {
            Ok(v) => reply(Some(v), Vec::new()),
            Err(d) => reply(None, only(d)),
        }
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let r = request.into_inner();
        let i = &self.inner;
        let diagnostics = match convert::decode(r.config.as_ref(), &i.provider_type) {
            Err(d) => only(d),
            Ok(config) => {
                let req = ConfigureRequest {
                    config,
                    terraform_version: r.terraform_version,
                };
                match guarded("ConfigureProvider", i.provider.configure(req)).await {
                    Ok(d) => convert::diagnostics(d),
                    Err(d) => only(d),
                }
            }
        };
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics,
        }))
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        let fail = |d: Diagnostic, state: Option<pb::DynamicValue>, private: Vec<u8>| {
            Ok(Response::new(pb::read_resource::Response {
                new_state: state,
                diagnostics: only(d),
                private,
                deferred: None,
            }))
        };
        let current_state = match convert::decode(r.current_state.as_ref(), &res.ty) {
            Ok(v) => v,
            Err(d) => return fail(d, r.current_state, r.private),
        };
        let req = ReadRequest {
            current_state,
            private: r.private.clone(),
        };
        let out = match guarded("ReadResource", res.item.read(req)).await {
            Ok(out) => out,
            Err(d) => return fail(d, r.current_state, r.private),
        };
        let mut diags = out.diagnostics;
        let new_state = invariants::null_write_only(&res.schema.block, out.new_state);
        diags.extend(invariants::check_known(&res.schema.block, &new_state, "read").into());
        if diags.has_errors() {
            // Keep what Terraform had: a failed read must not lose the object.
            return Ok(Response::new(pb::read_resource::Response {
                new_state: r.current_state,
                diagnostics: convert::diagnostics(diags),
                private: r.private,
                deferred: None,
            }));
        }
        match convert::encode(&new_state, &res.ty) {
            Ok(v) => Ok(Response::new(pb::read_resource::Response {
                new_state: Some(v),
                diagnostics: convert::diagnostics(diags),
                private: out.private,
                deferred: None,
            })),
            Err(d) => fail(d, r.current_state, r.private),
        }
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        let block = &res.schema.block;
        let reply = |planned_state, planned_private, requires_replace, diagnostics| {
            Ok(Response::new(pb::plan_resource_change::Response {
                planned_state,
                requires_replace,
                planned_private,
                diagnostics,
                legacy_type_system: false,
                deferred: None,
            }))
        };
        let decoded = (|| {
            Ok::<_, Diagnostic>((
                convert::decode(r.prior_state.as_ref(), &res.ty)?,
                convert::decode(r.proposed_new_state.as_ref(), &res.ty)?,
                convert::decode(r.config.as_ref(), &res.ty)?,
            ))
        })();
        let (prior, proposed, config) = match decoded {
            Ok(v) => v,
            Err(d) => return reply(None, Vec::new(), Vec::new(), only(d)),
        };
        if proposed.is_null() {
            // A destroy: nothing to plan but the absence of the object.
            return reply(
                r.proposed_new_state,
                r.prior_private,
                Vec::new(),
                Vec::new(),
            );
        }
        let planned_state = invariants::default_plan(block, &prior, proposed.clone(), &config);
        let req = PlanRequest {
            prior_state: prior,
            proposed_new_state: proposed,
            config: config.clone(),
            prior_private: r.prior_private,
            planned_state,
        };
        let out = match guarded("PlanResourceChange", res.item.plan(req)).await {
            Ok(out) => out,
            Err(d) => return reply(None, Vec::new(), Vec::new(), only(d)),
        };
        let mut diags = out.diagnostics;
        if diags.has_errors() {
            return reply(None, Vec::new(), Vec::new(), convert::diagnostics(diags));
        }
        let planned = invariants::null_write_only(block, out.planned_state);
        let breaches = invariants::check_plan(block, &config, &planned);
        if !breaches.is_empty() {
            diags.extend(breaches.into());
            return reply(None, Vec::new(), Vec::new(), convert::diagnostics(diags));
        }
        match convert::encode(&planned, &res.ty) {
            Ok(v) => reply(
                Some(v),
                out.planned_private,
                out.requires_replace.iter().map(convert::path).collect(),
                convert::diagnostics(diags),
            ),
            Err(d) => reply(None, Vec::new(), Vec::new(), only(d)),
        }
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        let block = &res.schema.block;
        let reply = |new_state, private, diagnostics| {
            Ok(Response::new(pb::apply_resource_change::Response {
                new_state,
                private,
                diagnostics,
                legacy_type_system: false,
            }))
        };
        let decoded = (|| {
            Ok::<_, Diagnostic>((
                convert::decode(r.prior_state.as_ref(), &res.ty)?,
                convert::decode(r.planned_state.as_ref(), &res.ty)?,
                convert::decode(r.config.as_ref(), &res.ty)?,
            ))
        })();
        let (prior, planned, config) = match decoded {
            Ok(v) => v,
            Err(d) => return reply(r.prior_state, r.planned_private, only(d)),
        };
        let req = ApplyRequest {
            prior_state: prior.clone(),
            planned_state: planned.clone(),
            config,
            planned_private: r.planned_private.clone(),
        };
        if planned.is_null() {
            return match guarded("ApplyResourceChange (delete)", res.item.delete(req)).await {
                Ok(d) if !d.has_errors() => {
                    reply(r.planned_state, Vec::new(), convert::diagnostics(d))
                }
                Ok(d) => reply(r.prior_state, r.planned_private, convert::diagnostics(d)),
                Err(d) => reply(r.prior_state, r.planned_private, only(d)),
            };
        }
        let (call, fut) = if prior.is_null() {
            ("ApplyResourceChange (create)", res.item.create(req))
        } else {
            ("ApplyResourceChange (update)", res.item.update(req))
        };
        let out = match guarded(call, fut).await {
            Ok(out) => out,
            Err(d) => return reply(r.prior_state, r.planned_private, only(d)),
        };
        let ApplyResponse {
            new_state,
            private,
            mut diagnostics,
        } = out;
        let new_state = invariants::null_write_only(block, new_state);
        let unknown = invariants::check_known(block, &new_state, "apply");
        if !unknown.is_empty() {
            diagnostics.extend(unknown.into());
            return reply(
                r.prior_state,
                r.planned_private,
                convert::diagnostics(diagnostics),
            );
        }
        match convert::encode(&new_state, &res.ty) {
            Ok(v) => reply(Some(v), private, convert::diagnostics(diagnostics)),
            Err(d) => reply(r.prior_state, r.planned_private, only(d)),
        }
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        let reply = |imported_resources, diagnostics| {
            Ok(Response::new(pb::import_resource_state::Response {
                imported_resources,
                diagnostics,
                deferred: None,
            }))
        };
        let out = match guarded("ImportResourceState", res.item.import(&r.id)).await {
            Ok(out) => out,
            Err(d) => return reply(Vec::new(), only(d)),
        };
        if out.diagnostics.has_errors() || out.state.is_null() {
            return reply(Vec::new(), convert::diagnostics(out.diagnostics));
        }
        let state = invariants::null_write_only(&res.schema.block, out.state);
        match convert::encode(&state, &res.ty) {
            Ok(v) => reply(
                vec![pb::import_resource_state::ImportedResource {
                    type_name: r.type_name,
                    state: Some(v),
                    private: out.private,
                }],
                convert::diagnostics(out.diagnostics),
            ),
            Err(d) => reply(Vec::new(), only(d)),
        }
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let r = request.into_inner();
        Ok(Response::new(pb::move_resource_state::Response {
            target_state: None,
            diagnostics: only(Diagnostic::error(
                "Moving state between resource types is not supported",
                format!(
                    "This provider cannot move state from {:?} (provider {:?}) into {:?}. Remove the \
                     `moved` block and import the object instead.",
                    r.source_type_name, r.source_provider_address, r.target_type_name
                ),
            )),
            target_private: Vec::new(),
        }))
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let r = request.into_inner();
        let ds = self.inner.data_source(&r.type_name)?;
        let reply = |state, diagnostics| {
            Ok(Response::new(pb::read_data_source::Response {
                state,
                diagnostics,
                deferred: None,
            }))
        };
        let config = match convert::decode(r.config.as_ref(), &ds.ty) {
            Ok(v) => v,
            Err(d) => return reply(None, only(d)),
        };
        let (state, mut diags) = match guarded("ReadDataSource", ds.item.read(config)).await {
            Ok(out) => out,
            Err(d) => return reply(None, only(d)),
        };
        if diags.has_errors() {
            return reply(None, convert::diagnostics(diags));
        }
        let unknown = invariants::check_known(&ds.schema.block, &state, "read");
        if !unknown.is_empty() {
            diags.extend(unknown.into());
            return reply(None, convert::diagnostics(diags));
        }
        match convert::encode(&state, &ds.ty) {
            Ok(v) => reply(Some(v), convert::diagnostics(diags)),
            Err(d) => reply(None, only(d)),
        }
    }

    async fn get_functions(
        &self,
        _request: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(pb::get_functions::Response {
            functions: self.inner.functions.described(),
            diagnostics: Vec::new(),
        }))
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        self.inner
            .functions
            .answer(request.into_inner())
            .map(Response::new)
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn stop_provider(
        &self,
        _request: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        tracing::debug!("StopProvider: telling calls in flight to stop");
        self.inner.provider.stop();
        Ok(Response::new(pb::stop_provider::Response {
            error: String::new(),
        }))
    }
}

/// What this server supports. `plan_destroy` is false: Terraform plans a
/// destroy itself and never asks the provider (nothing here needs a say in
/// it). Terraform must ask for the schema (we have no cache to offer).
fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: false,
        move_resource_state: false,
    }
}

fn no_ephemeral(type_name: &str) -> Status {
    Status::not_found(format!(
        "this provider has no ephemeral resource {type_name:?}"
    ))
}

fn write_only_not_supported(attribute: &str) -> Diagnostic {
    Diagnostic::error(
        "Write-only attributes need Terraform 1.11 or newer",
        format!(
            "`{attribute}` is write-only: its value is sent to the provider and never stored. The \
             Terraform running this configuration does not support write-only attributes. Upgrade \
             Terraform, or use the attribute that is stored in state instead."
        ),
    )
    .at(super::path::AttributePath::attribute(attribute))
}

/// go-plugin's controller: Terraform asks the plugin to exit.
struct Controller {
    stop: watch::Sender<bool>,
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
struct Stdio {
    stop: watch::Receiver<bool>,
}

#[tonic::async_trait]
impl gp::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream =
        std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<gp::StdioData, Status>> + Send>>;

    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        let mut stop = self.stop.clone();
        let stream = futures_util::stream::once(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .filter_map(|()| async { None });
        Ok(Response::new(Box::pin(stream)))
    }
}
