//! The one shape of every call: decode -> guard -> call -> enforce -> encode.
//! A handler writes its steps as one `async` block, using `?` at each step
//! that can stop the call; [`respond`] turns a stop into the response the
//! RPC gives when it could not proceed. A new RPC is a few lines on top.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt as _;
use tonic::{Response, Status};

use super::super::convert;
use super::super::diag::{Diagnostic, Diagnostics};
use super::super::proto::tfplugin6 as pb;
use super::super::value::{Type, Value};

/// Why a call stopped early: every diagnostic so far, at least one an error.
pub(super) struct Halt(pub(super) Diagnostics);

impl From<Diagnostic> for Halt {
    fn from(d: Diagnostic) -> Self {
        Halt(d.into())
    }
}

impl Halt {
    /// Stops the call if the provider reported an error.
    pub(super) fn on_errors(diagnostics: Diagnostics) -> Result<Diagnostics, Halt> {
        if diagnostics.has_errors() {
            Err(Halt(diagnostics))
        } else {
            Ok(diagnostics)
        }
    }
}

/// Adds the server's findings (protocol breaches) to the provider's
/// diagnostics; any finding stops the call.
pub(super) fn enforce(
    mut diagnostics: Diagnostics,
    breaches: Vec<Diagnostic>,
) -> Result<Diagnostics, Halt> {
    if breaches.is_empty() {
        return Ok(diagnostics);
    }
    diagnostics.extend(breaches.into());
    Err(Halt(diagnostics))
}

/// Runs a call's steps; if one stops it, the response is `stopped` with the
/// diagnostics so far (what Terraform had is kept by `stopped`).
pub(super) async fn respond<R>(
    steps: impl Future<Output = Result<R, Halt>>,
    stopped: impl FnOnce(Vec<pb::Diagnostic>) -> R,
) -> Result<Response<R>, Status> {
    Ok(Response::new(match steps.await {
        Ok(response) => response,
        Err(Halt(diagnostics)) => stopped(convert::diagnostics(diagnostics)),
    }))
}

/// A response that carries only diagnostics when its call stops early.
pub(super) trait Stopped {
    fn stopped(diagnostics: Vec<pb::Diagnostic>) -> Self;
}

macro_rules! stopped_with_defaults {
    ($($rpc:ident),* $(,)?) => {$(
        impl Stopped for pb::$rpc::Response {
            // Some responses hold nothing else.
            #[allow(clippy::needless_update)]
            fn stopped(diagnostics: Vec<pb::Diagnostic>) -> Self {
                Self { diagnostics, ..Default::default() }
            }
        }
    )*};
}

stopped_with_defaults!(
    validate_provider_config,
    validate_resource_config,
    validate_data_resource_config,
    upgrade_resource_state,
    configure_provider,
    plan_resource_change,
    import_resource_state,
    read_data_source,
);

/// A value from Terraform, decoded against its schema type.
pub(super) fn decode(dv: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, Halt> {
    convert::decode(dv, ty).map_err(Halt::from)
}

/// A value for Terraform.
pub(super) fn encode(v: &Value, ty: &Type) -> Result<Option<pb::DynamicValue>, Halt> {
    convert::encode(v, ty).map(Some).map_err(Halt::from)
}

/// Runs provider code; a panic becomes an error diagnostic for this call only.
pub(super) async fn guarded<T>(call: &str, fut: impl Future<Output = T>) -> Result<T, Halt> {
    AssertUnwindSafe(fut).catch_unwind().await.map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        tracing::error!(call, panic = %message, "provider code panicked");
        Halt::from(Diagnostic::error(
            format!("The provider failed unexpectedly in {call}"),
            format!(
                "{message}\n\nThis is a bug in the provider, not in your configuration; please \
                     report it. Nothing further was changed by this call."
            ),
        ))
    })
}

/// Diagnostics only: what a response carries when the call could not proceed.
pub(super) fn only(d: Diagnostic) -> Vec<pb::Diagnostic> {
    convert::diagnostics(d.into())
}
