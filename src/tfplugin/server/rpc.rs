//! `tfplugin6.Provider`: one method per RPC, each in the shape of `call`.
//! What a method adds is the protocol's rule for that call: which state
//! Terraform keeps when the call stops, and which invariants apply.

use super::functions::Wire as _;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use super::call::{decode, encode, enforce, guarded, only, respond, Halt, Stopped as _};
use super::list;
use super::served::{capabilities, no_ephemeral, schemas, Inner, Typed};
use crate::tfplugin::convert;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::identity;
use crate::tfplugin::interface::{
    ApplyRequest, ConfigureRequest, DataSourceReadRequest, DeleteRequest, ImportRequest,
    PlanRequest, ReadRequest, Resource,
};
use crate::tfplugin::invariants;
use crate::tfplugin::proto::tfplugin6 as pb;
#[cfg(test)]
use crate::tfplugin::Provider;

pub(crate) struct ProviderService {
    pub(super) inner: Arc<Inner>,
}

#[cfg(test)]
impl ProviderService {
    pub(crate) fn for_tests(
        provider: Arc<dyn Provider>,
        stop_calls: tokio_util::sync::CancellationToken,
    ) -> Self {
        Self {
            inner: Arc::new(Inner::new(provider, stop_calls)),
        }
    }
}

type Reply<T> = Result<Response<T>, Status>;

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Reply<pb::get_metadata::Response> {
        let i = &self.inner;
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
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
            list_resources: i
                .lists
                .keys()
                .map(|t| pb::get_metadata::ListResourceMetadata {
                    type_name: t.clone(),
                })
                .collect(),
            functions: i.functions.metadata(),
            ..Default::default()
        }))
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Reply<pb::get_provider_schema::Response> {
        let i = &self.inner;
        Ok(Response::new(pb::get_provider_schema::Response {
            provider: Some(convert::schema(&i.provider_schema)),
            resource_schemas: schemas(&i.resources),
            data_source_schemas: schemas(&i.data_sources),
            list_resource_schemas: schemas(&i.lists),
            server_capabilities: Some(capabilities()),
            diagnostics: convert::diagnostics(list::misdeclared(i)),
            functions: i.functions.described(),
            ..Default::default()
        }))
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Reply<pb::validate_provider_config::Response> {
        let r = request.into_inner();
        let i = &self.inner;
        respond(
            async {
                let config = decode(r.config.as_ref(), &i.provider_type)?;
                let diagnostics =
                    guarded("ValidateProviderConfig", i.provider.validate(&config)).await?;
                Ok(pb::validate_provider_config::Response {
                    diagnostics: convert::diagnostics(diagnostics),
                })
            },
            pb::validate_provider_config::Response::stopped,
        )
        .await
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Reply<pb::validate_resource_config::Response> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        let write_only_allowed = r
            .client_capabilities
            .as_ref()
            .is_some_and(|c| c.write_only_attributes_allowed);
        respond(
            async {
                let config = decode(r.config.as_ref(), &res.ty)?;
                let mut diagnostics: Diagnostics = match write_only_allowed {
                    true => Diagnostics::new(),
                    false => invariants::refuse_write_only(&res.schema.block, &config).into(),
                };
                let validate = guarded("ValidateResourceConfig", res.item.validate(&config));
                diagnostics.extend(validate.await.unwrap_or_else(|Halt(d)| d));
                Ok(pb::validate_resource_config::Response {
                    diagnostics: convert::diagnostics(diagnostics),
                })
            },
            pb::validate_resource_config::Response::stopped,
        )
        .await
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Reply<pb::validate_data_resource_config::Response> {
        let r = request.into_inner();
        let ds = self.inner.data_source(&r.type_name)?;
        respond(
            async {
                let config = decode(r.config.as_ref(), &ds.ty)?;
                let diagnostics =
                    guarded("ValidateDataResourceConfig", ds.item.validate(&config)).await?;
                Ok(pb::validate_data_resource_config::Response {
                    diagnostics: convert::diagnostics(diagnostics),
                })
            },
            pb::validate_data_resource_config::Response::stopped,
        )
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Reply<pb::upgrade_resource_state::Response> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        respond(async {
            if r.version > res.schema.version {
                return Err(Diagnostic::error(
                    "State was written by a newer version of this provider",
                    format!(
                        "The state of this {} has schema version {}, but this provider knows only up \
                         to {}. Upgrade the provider.",
                        r.type_name, r.version, res.schema.version
                    ),
                ).into());
            }
            // Only one schema version exists so far: the state decodes as it is.
            let raw = r.raw_state.unwrap_or_default().json;
            let stored = convert::decode_stored(&raw, &res.ty, &r.type_name, convert::Stored::State)?;
            let state = invariants::null_write_only(&res.schema.block, stored);
            Ok(pb::upgrade_resource_state::Response { upgraded_state: encode(&state, &res.ty)?, diagnostics: Vec::new() })
        }, |diagnostics| pb::upgrade_resource_state::Response { upgraded_state: None, diagnostics }).await
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Reply<pb::configure_provider::Response> {
        let r = request.into_inner();
        let i = &self.inner;
        respond(
            async {
                let config = decode(r.config.as_ref(), &i.provider_type)?;
                let req = ConfigureRequest {
                    config,
                    terraform_version: r.terraform_version,
                    cancel: i.cancel(),
                };
                let diagnostics = guarded("ConfigureProvider", i.provider.configure(req)).await?;
                Ok(pb::configure_provider::Response {
                    diagnostics: convert::diagnostics(diagnostics),
                })
            },
            pb::configure_provider::Response::stopped,
        )
        .await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Reply<pb::read_resource::Response> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        let ident = self.inner.identities.get(&r.type_name);
        // A failed read keeps what Terraform had: it must not lose the object.
        let (kept_state, kept_private) = (r.current_state.clone(), r.private.clone());
        let kept_identity = r.current_identity.clone();
        let stopped = |diagnostics| pb::read_resource::Response {
            new_state: kept_state,
            diagnostics,
            private: kept_private,
            deferred: None,
            new_identity: kept_identity,
        };
        respond(read(res, ident, r, self.inner.cancel()), stopped).await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Reply<pb::plan_resource_change::Response> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        let stopped = pb::plan_resource_change::Response::stopped;
        let ident = self.inner.identities.get(&r.type_name);
        respond(plan(res, ident, r, self.inner.cancel()), stopped).await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Reply<pb::apply_resource_change::Response> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        // A failed apply keeps the prior state: nothing was changed.
        let (kept_state, kept_private) = (r.prior_state.clone(), r.planned_private.clone());
        let ident = self.inner.identities.get(&r.type_name);
        // An update's planned identity is the prior one; a create has none yet.
        let kept_identity = identity::known(ident, r.planned_identity.as_ref());
        let stopped = |diagnostics| pb::apply_resource_change::Response {
            new_state: kept_state,
            private: kept_private,
            diagnostics,
            legacy_type_system: false,
            new_identity: kept_identity,
        };
        respond(apply(res, ident, r, self.inner.cancel()), stopped).await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Reply<pb::import_resource_state::Response> {
        let r = request.into_inner();
        let res = self.inner.resource(&r.type_name)?;
        let stopped = pb::import_resource_state::Response::stopped;
        let ident = self.inner.identities.get(&r.type_name);
        respond(import(res, ident, r, self.inner.cancel()), stopped).await
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Reply<pb::move_resource_state::Response> {
        let r = request.into_inner();
        Ok(Response::new(pb::move_resource_state::Response {
            diagnostics: only(Diagnostic::error(
                "Moving state between resource types is not supported",
                format!(
                    "This provider cannot move state from {:?} (provider {:?}) into {:?}. Remove the \
                     `moved` block and import the object instead.",
                    r.source_type_name, r.source_provider_address, r.target_type_name
                ),
            )),
            ..Default::default()
        }))
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Reply<pb::read_data_source::Response> {
        let r = request.into_inner();
        let ds = self.inner.data_source(&r.type_name)?;
        respond(
            async {
                let req = DataSourceReadRequest {
                    config: decode(r.config.as_ref(), &ds.ty)?,
                    cancel: self.inner.cancel(),
                };
                let out = guarded("ReadDataSource", ds.item.read(req)).await?;
                let unknown = invariants::check_known(&ds.schema.block, &out.state, "read");
                let diagnostics = enforce(Halt::on_errors(out.diagnostics)?, unknown)?;
                Ok(pb::read_data_source::Response {
                    state: encode(&out.state, &ds.ty)?,
                    diagnostics: convert::diagnostics(diagnostics),
                    deferred: None,
                })
            },
            pb::read_data_source::Response::stopped,
        )
        .await
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Reply<pb::get_functions::Response> {
        Ok(Response::new(pb::get_functions::Response {
            functions: self.inner.functions.described(),
            diagnostics: Vec::new(),
        }))
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Reply<pb::call_function::Response> {
        self.inner
            .functions
            .answer(request.into_inner())
            .map(Response::new)
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Reply<pb::validate_ephemeral_resource_config::Response> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Reply<pb::open_ephemeral_resource::Response> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Reply<pb::renew_ephemeral_resource::Response> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Reply<pb::close_ephemeral_resource::Response> {
        Err(no_ephemeral(&request.into_inner().type_name))
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Reply<pb::get_resource_identity_schemas::Response> {
        // Never an error: Terraform treats one as fatal for every command.
        Ok(Response::new(pb::get_resource_identity_schemas::Response {
            identity_schemas: self
                .inner
                .identities
                .iter()
                .map(|(k, t)| (k.clone(), identity::schema_to_proto(&t.schema)))
                .collect(),
            diagnostics: Vec::new(),
        }))
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Reply<pb::upgrade_resource_identity::Response> {
        let r = request.into_inner();
        let ident = self.inner.identities.get(&r.type_name);
        let (upgraded_identity, diagnostics) = match identity::upgrade(ident, &r) {
            Ok(id) => (id, Vec::new()),
            Err(d) => (None, only(d)),
        };
        Ok(Response::new(pb::upgrade_resource_identity::Response {
            upgraded_identity,
            diagnostics,
        }))
    }

    type ListResourceStream = list::Events;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Reply<Self::ListResourceStream> {
        list::serve(&self.inner, request.into_inner()).map(Response::new)
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Reply<pb::validate_list_resource_config::Response> {
        list::validate_config(&self.inner, request.into_inner())
            .await
            .map(Response::new)
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Reply<pb::stop_provider::Response> {
        tracing::debug!("StopProvider: telling calls in flight to stop");
        self.inner.stop_calls.cancel();
        Ok(Response::new(pb::stop_provider::Response {
            error: String::new(),
        }))
    }
}

/// `ReadResource`: the remote object as it is now (null when gone); any
/// error keeps what Terraform had.
async fn read(
    res: &Typed<dyn Resource>,
    ident: Option<&identity::Typed>,
    r: pb::read_resource::Request,
    cancel: CancellationToken,
) -> Result<pb::read_resource::Response, Halt> {
    let current_state = decode(r.current_state.as_ref(), &res.ty)?;
    let req = ReadRequest {
        current_state: current_state.clone(),
        private: r.private,
        cancel,
    };
    let out = guarded("ReadResource", res.item.read(req)).await?;
    let new_state = invariants::null_write_only(&res.schema.block, out.new_state);
    let mut breaches = invariants::check_known(&res.schema.block, &new_state, "read");
    let stored = Some(&current_state);
    let new_identity = identity::settle(
        ident,
        r.current_identity.as_ref(),
        stored,
        &new_state,
        "read",
    )
    .unwrap_or_else(|d| {
        breaches.extend(d);
        None
    });
    let diagnostics = Halt::on_errors(enforce(out.diagnostics, breaches)?)?;
    Ok(pb::read_resource::Response {
        new_state: encode(&new_state, &res.ty)?,
        diagnostics: convert::diagnostics(diagnostics),
        private: out.private,
        deferred: None,
        new_identity,
    })
}

/// `PlanResourceChange`: a destroy passes through (Terraform plans it); else
/// the server's default plan, the resource's say on it, and the plan rules.
async fn plan(
    res: &Typed<dyn Resource>,
    ident: Option<&identity::Typed>,
    r: pb::plan_resource_change::Request,
    cancel: CancellationToken,
) -> Result<pb::plan_resource_change::Response, Halt> {
    let block = &res.schema.block;
    let prior_state = decode(r.prior_state.as_ref(), &res.ty)?;
    let proposed_new_state = decode(r.proposed_new_state.as_ref(), &res.ty)?;
    let config = decode(r.config.as_ref(), &res.ty)?;
    if proposed_new_state.is_null() {
        return Ok(pb::plan_resource_change::Response {
            planned_state: r.proposed_new_state,
            planned_private: r.prior_private,
            ..Default::default()
        });
    }
    let create = prior_state.is_null();
    let planned_state =
        invariants::default_plan(block, &prior_state, proposed_new_state.clone(), &config);
    let req = PlanRequest {
        prior_state: prior_state.clone(),
        proposed_new_state,
        config: config.clone(),
        prior_private: r.prior_private,
        planned_state,
        cancel,
    };
    let out = guarded("PlanResourceChange", res.item.plan(req)).await?;
    let diagnostics = Halt::on_errors(out.diagnostics)?;
    let planned = invariants::null_write_only(block, out.planned_state);
    let mut breaches = invariants::check_plan(block, &config, &planned);
    let prior_identity = r.prior_identity.as_ref();
    let planned_identity =
        identity::plan(ident, create, prior_identity, Some(&prior_state), &planned).unwrap_or_else(
            |d| {
                breaches.extend(d);
                None
            },
        );
    let diagnostics = enforce(diagnostics, breaches)?;
    Ok(pb::plan_resource_change::Response {
        planned_state: encode(&planned, &res.ty)?,
        requires_replace: out.requires_replace.iter().map(convert::path).collect(),
        planned_private: out.planned_private,
        diagnostics: convert::diagnostics(diagnostics),
        planned_identity,
        ..Default::default()
    })
}

/// `ApplyResourceChange`: a create (prior null), an update, or a delete
/// (planned null); no unknowns and no write-only values in the new state.
async fn apply(
    res: &Typed<dyn Resource>,
    ident: Option<&identity::Typed>,
    r: pb::apply_resource_change::Request,
    cancel: CancellationToken,
) -> Result<pb::apply_resource_change::Response, Halt> {
    let prior_state = decode(r.prior_state.as_ref(), &res.ty)?;
    let planned_state = decode(r.planned_state.as_ref(), &res.ty)?;
    if planned_state.is_null() {
        let private = r.planned_private;
        let req = DeleteRequest {
            prior_state,
            private,
            cancel,
        };
        return delete(res, req, r.planned_state).await;
    }
    let create = prior_state.is_null();
    let req = ApplyRequest {
        prior_state,
        planned_state,
        config: decode(r.config.as_ref(), &res.ty)?,
        planned_private: r.planned_private,
        cancel,
    };
    let out = match create {
        true => guarded("ApplyResourceChange (create)", res.item.create(req)).await?,
        false => guarded("ApplyResourceChange (update)", res.item.update(req)).await?,
    };
    let mut new_state = invariants::null_write_only(&res.schema.block, out.new_state);
    let mut diagnostics = out.diagnostics;
    let unknown = invariants::check_known(&res.schema.block, &new_state, "apply");
    if !unknown.is_empty() {
        // Still an error, but the object the apply made or changed is kept,
        // with null for what is unknown (as Terraform itself does): stopping
        // here would leave a created object outside state.
        new_state = invariants::unknown_as_null(&res.ty, &new_state);
        diagnostics.extend(unknown.into());
    }
    let mut breaches = Vec::new();
    let new_identity = identity::settle(
        ident,
        r.planned_identity.as_ref(),
        None,
        &new_state,
        "apply",
    )
    .unwrap_or_else(|d| {
        breaches.extend(d);
        None
    });
    let diagnostics = enforce(diagnostics, breaches)?;
    Ok(pb::apply_resource_change::Response {
        new_state: encode(&new_state, &res.ty)?,
        private: out.private,
        diagnostics: convert::diagnostics(diagnostics),
        legacy_type_system: false,
        new_identity,
    })
}

/// `ImportResourceState`: the state the resource made of the ID (Terraform
/// reads it next); none when the resource found nothing.
async fn import(
    res: &Typed<dyn Resource>,
    ident: Option<&identity::Typed>,
    r: pb::import_resource_state::Request,
    cancel: CancellationToken,
) -> Result<pb::import_resource_state::Response, Halt> {
    if r.identity.is_some() {
        // By identity: the read Terraform runs next decides whether it exists.
        let (state, identity) = identity::import(ident, &res.schema.block, r.identity.as_ref())
            .map_err(|d| Halt(d.into()))?;
        let imported = pb::import_resource_state::ImportedResource {
            type_name: r.type_name,
            state: encode(&state, &res.ty)?,
            private: Vec::new(),
            identity: Some(identity),
        };
        return Ok(pb::import_resource_state::Response {
            imported_resources: vec![imported],
            ..Default::default()
        });
    }
    let req = ImportRequest { id: r.id, cancel };
    let out = guarded("ImportResourceState", res.item.import(req)).await?;
    let diagnostics = convert::diagnostics(Halt::on_errors(out.diagnostics)?);
    let state = invariants::null_write_only(&res.schema.block, out.state);
    if state.is_null() {
        return Ok(pb::import_resource_state::Response::stopped(diagnostics));
    }
    // Known now when the import knows it; the read gives it otherwise.
    let identity = identity::settle(ident, None, None, &state, "import").unwrap_or(None);
    let imported = pb::import_resource_state::ImportedResource {
        type_name: r.type_name,
        state: encode(&state, &res.ty)?,
        private: out.private,
        identity,
    };
    Ok(pb::import_resource_state::Response {
        imported_resources: vec![imported],
        diagnostics,
        deferred: None,
    })
}

/// The delete half of `ApplyResourceChange`: on success the new state is the
/// planned null; on failure Terraform keeps the prior state.
async fn delete(
    res: &Typed<dyn Resource>,
    request: DeleteRequest,
    planned_null: Option<pb::DynamicValue>,
) -> Result<pb::apply_resource_change::Response, Halt> {
    let out = guarded("ApplyResourceChange (delete)", res.item.delete(request)).await?;
    let diagnostics = Halt::on_errors(out)?;
    Ok(pb::apply_resource_change::Response {
        new_state: planned_null,
        private: Vec::new(),
        diagnostics: convert::diagnostics(diagnostics),
        legacy_type_system: false,
        new_identity: None,
    })
}
