//! The server side of list resources (`tfplugin::list`): ListResource and
//! ValidateListResourceConfig. The provider's listing runs in a task of its
//! own; what it pushes becomes events (identity derived from the state,
//! write-only values nulled, the state only when Terraform asks), and the
//! stream ending (limit reached, Terraform gone) aborts the task.

use std::pin::Pin;
use std::sync::Arc;

use futures_util::{Stream, StreamExt as _};
use tonic::Status;

use super::call::guarded;
use super::served::{Inner, Typed};
use crate::tfplugin::convert;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::identity;
use crate::tfplugin::invariants;
use crate::tfplugin::list::{Found, ListRequest, ListResource, ListResults};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::proto::tfplugin6 as pb;
use crate::tfplugin::schema::Block;
use crate::tfplugin::value::{Type, Value};

/// What the server streams back to Terraform for one `ListResource` call.
pub(super) type Events =
    Pin<Box<dyn Stream<Item = Result<pb::list_resource::Event, Status>> + Send>>;

/// Provider bugs Terraform would otherwise report later and less clearly: a
/// list type without a managed resource that has an identity, an identity
/// whose attributes are not state attributes. Reported by GetProviderSchema
/// (never by GetResourceIdentitySchemas, whose errors Terraform treats as
/// fatal for every command).
pub(super) fn misdeclared(inner: &Inner) -> Diagnostics {
    let mut d = Diagnostics::new();
    for name in inner.lists.keys() {
        if !inner.identities.contains_key(name) {
            d.push(Diagnostic::error(
                format!("List resource {name} has no managed resource with an identity"),
                "Terraform lists only managed resource types that have an identity schema. This is \
                 a bug in the provider; please report it.",
            ));
        }
    }
    for (name, ident) in &inner.identities {
        if let Ok(res) = inner.resource(name) {
            for attribute in ident.schema.mismatches(&res.schema.block) {
                d.push(Diagnostic::error(
                    format!("Identity attribute {attribute} of {name} is not a state attribute"),
                    "Every identity attribute must be a state attribute of the same name and type. \
                     This is a bug in the provider; please report it.",
                ));
            }
        }
    }
    d
}

/// The provider's paths are relative to its filter; Terraform reads them
/// against the list block, where the filter is the `config` block.
fn under_config(diags: Diagnostics) -> Vec<pb::Diagnostic> {
    convert::diagnostics(
        diags
            .into_iter()
            .map(|mut d| {
                if let Some(p) = d.attribute.take() {
                    let mut full = AttributePath::attribute("config");
                    for step in p.steps() {
                        full = full.join(step.clone());
                    }
                    d.attribute = Some(full);
                }
                d
            })
            .collect(),
    )
}

fn list_of<'a>(inner: &'a Inner, type_name: &str) -> Result<&'a Typed<dyn ListResource>, Status> {
    inner.lists.get(type_name).ok_or_else(|| {
        Status::not_found(format!("this provider has no list resource {type_name:?}"))
    })
}

pub(super) async fn validate_config(
    inner: &Inner,
    r: pb::validate_list_resource_config::Request,
) -> Result<pb::validate_list_resource_config::Response, Status> {
    let list = list_of(inner, &r.type_name)?;
    let diagnostics = match convert::decode(r.config.as_ref(), &list.ty) {
        Err(d) => under_config(d.into()),
        Ok(config) => {
            match guarded("ValidateListResourceConfig", list.item.validate(&config)).await {
                Ok(d) => under_config(d),
                Err(halt) => under_config(halt.0),
            }
        }
    };
    Ok(pb::validate_list_resource_config::Response { diagnostics })
}

/// What turns one found object into an event: the managed resource's
/// schema and identity.
#[derive(Clone)]
struct Converter {
    block: Block,
    ty: Type,
    identity: Arc<identity::Typed>,
    include_state: bool,
}

impl Converter {
    fn event(&self, found: Found) -> pb::list_resource::Event {
        let state = invariants::null_write_only(&self.block, found.state);
        let mut problems = invariants::check_known(&self.block, &state, "list");
        let identity = match self.identity.settled(&Value::Null, None, &state, "list") {
            Ok(id) => self.identity.encode(&id).map_err(|d| vec![d]),
            Err(d) => Err(d),
        };
        let identity = identity.unwrap_or_else(|d| {
            problems.extend(d);
            None
        });
        let resource_object = if self.include_state {
            convert::encode(&state, &self.ty)
                .map_err(|d| problems.push(d))
                .ok()
        } else {
            None
        };
        if !problems.is_empty() {
            return failed(problems.into());
        }
        pb::list_resource::Event {
            identity,
            display_name: found.display_name,
            resource_object,
            diagnostic: Vec::new(),
        }
    }
}

/// An event that carries only diagnostics (Terraform stops on an error).
fn failed(d: Diagnostics) -> pb::list_resource::Event {
    pb::list_resource::Event {
        identity: None,
        display_name: String::new(),
        resource_object: None,
        diagnostic: under_config(d),
    }
}

/// Starts the provider's listing in a task of its own and streams what it
/// finds. Dropping the stream (Terraform read `limit` results, or went away)
/// aborts the task and makes its next push return false.
pub(super) fn serve(inner: &Inner, r: pb::list_resource::Request) -> Result<Events, Status> {
    let list = list_of(inner, &r.type_name)?;
    let cancel = inner.cancel();
    let only = |d: Diagnostics| -> Result<Events, Status> {
        Ok(Box::pin(futures_util::stream::iter([Ok(failed(d))])))
    };
    let (Ok(res), Some(ident)) = (
        inner.resource(&r.type_name),
        inner.identities.get(&r.type_name),
    ) else {
        return only(misdeclared(inner));
    };
    let config = match convert::decode(r.config.as_ref(), &list.ty) {
        Ok(v) => v,
        Err(d) => return only(d.into()),
    };
    let converter = Converter {
        block: res.schema.block.clone(),
        ty: res.ty.clone(),
        identity: Arc::new(identity::Typed::new(ident.schema.clone())),
        include_state: r.include_resource_object,
    };
    let (results, rx) = ListResults::new(r.limit);
    let item = list.item.clone();
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let request = ListRequest {
            config,
            limit: r.limit,
            cancel,
        };
        let diags = guarded("ListResource", item.list(request, results))
            .await
            .unwrap_or_else(|halt| halt.0);
        let _ = done_tx.send(diags);
    });
    let abort = AbortOnDrop(task.abort_handle());
    let found =
        tokio_stream::wrappers::UnboundedReceiverStream::new(rx).map(move |f| converter.event(f));
    // After the last object: the provider's own diagnostics, if any.
    let last = futures_util::stream::once(async move { done_rx.await.unwrap_or_default() })
        .filter_map(|d: Diagnostics| async move { (!d.is_empty()).then(|| failed(d)) });
    let events = found.chain(last).map(move |e| {
        let _keep = &abort;
        Ok(e)
    });
    Ok(Box::pin(events))
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
