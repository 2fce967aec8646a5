//! The interface a provider implements: hand-written requests and responses,
//! never the generated protobuf types. The server turns Terraform's calls
//! into these (one `ApplyResourceChange` becomes create, update or delete)
//! and enforces the protocol's rules around them, so that a resource only
//! says what is true of its own remote object.
//!
//! Every call that may wait on something remote carries a `cancel` handle:
//! the server cancels it when Terraform asks the provider to stop
//! (StopProvider, an interrupt) or the plugin shuts down. Validation does no
//! I/O and gets none.

use std::sync::Arc;

use async_trait::async_trait;
pub use tokio_util::sync::CancellationToken;

use super::diag::Diagnostics;
use super::function::Function;
use super::identity::IdentitySchema;
use super::list::ListResource;
use super::path::AttributePath;
use super::schema::Schema;
use super::value::Value;

/// A provider: its configuration, and what it manages.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// The provider's own configuration block.
    fn schema(&self) -> Schema;
    fn resources(&self) -> Vec<Arc<dyn Resource>>;
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>>;
    /// What `terraform query` can list (protocol 6.10).
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        Vec::new()
    }

    /// Provider functions; Terraform may call them on an unconfigured provider.
    fn functions(&self) -> Vec<Arc<dyn Function>> {
        Vec::new()
    }

    /// Checks the provider configuration; values may be unknown.
    async fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Configures the provider before any resource call that needs it.
    async fn configure(&self, request: ConfigureRequest) -> Diagnostics;
}

pub struct ConfigureRequest {
    pub config: Value,
    pub terraform_version: String,
    /// Cancelled when the provider is stopped. It outlives this call, so
    /// anything configured here (an API client) may keep it for later calls.
    pub cancel: CancellationToken,
}

/// One resource type.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// The resource's identity (protocol 6.9), if it has one: state
    /// attributes that name the object for good. The server derives it from
    /// every state the resource returns.
    fn identity(&self) -> Option<IdentitySchema> {
        None
    }

    /// Checks a configuration at plan time; values may be unknown.
    async fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Plans a create (prior state null) or an update. The request carries
    /// the server's default plan (`planned_state`); a resource changes only
    /// what it knows better. Destroys are not planned here: Terraform plans
    /// them itself (the server does not ask for `plan_destroy`).
    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        PlanResponse::from_request(request)
    }

    async fn create(&self, request: ApplyRequest) -> ApplyResponse;
    /// Reads the remote object; a null `new_state` means it is gone.
    async fn read(&self, request: ReadRequest) -> ReadResponse;
    async fn update(&self, request: ApplyRequest) -> ApplyResponse;
    /// Deletes the remote object; on success the server records it gone.
    async fn delete(&self, request: DeleteRequest) -> Diagnostics;
    /// Imports by an ID the user typed; the server then reads the result.
    async fn import(&self, request: ImportRequest) -> ImportResponse;
}

/// A plan request. For a create, `prior_state` is null.
pub struct PlanRequest {
    pub prior_state: Value,
    /// Terraform's proposal: the configuration, with prior values kept for
    /// computed attributes the configuration leaves null.
    pub proposed_new_state: Value,
    /// The configuration, write-only values included.
    pub config: Value,
    pub prior_private: Vec<u8>,
    /// The server's default plan: the proposal, with computed attributes that
    /// the configuration leaves null marked unknown when anything changes.
    pub planned_state: Value,
    pub cancel: CancellationToken,
}

pub struct PlanResponse {
    pub planned_state: Value,
    pub planned_private: Vec<u8>,
    /// Attributes whose change forces replacement (none in this provider, but
    /// the protocol has it).
    pub requires_replace: Vec<AttributePath>,
    pub diagnostics: Diagnostics,
}

impl PlanResponse {
    /// Accepts the server's default plan as it is.
    pub fn from_request(request: PlanRequest) -> Self {
        Self {
            planned_state: request.planned_state,
            planned_private: request.prior_private,
            requires_replace: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }
}

/// A create (prior state null) or an update.
pub struct ApplyRequest {
    pub prior_state: Value,
    pub planned_state: Value,
    /// The configuration, write-only values included.
    pub config: Value,
    pub planned_private: Vec<u8>,
    pub cancel: CancellationToken,
}

/// A delete: Terraform plans and applies the object's absence, so there is
/// no planned state or configuration, only what is being deleted.
pub struct DeleteRequest {
    pub prior_state: Value,
    pub private: Vec<u8>,
    pub cancel: CancellationToken,
}

pub struct ApplyResponse {
    pub new_state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl ApplyResponse {
    /// A failed apply that changed nothing: the prior state stands.
    pub fn failed(prior_state: Value, private: Vec<u8>, diagnostics: Diagnostics) -> Self {
        Self {
            new_state: prior_state,
            private,
            diagnostics,
        }
    }
}

pub struct ReadRequest {
    pub current_state: Value,
    pub private: Vec<u8>,
    pub cancel: CancellationToken,
}

pub struct ReadResponse {
    /// Null when the remote object no longer exists.
    pub new_state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl ReadRequest {
    /// The answer of a read that could not learn anything: the state and
    /// private data as they were, with why.
    pub fn unchanged(&self, diagnostics: impl Into<Diagnostics>) -> ReadResponse {
        ReadResponse {
            new_state: self.current_state.clone(),
            private: self.private.clone(),
            diagnostics: diagnostics.into(),
        }
    }
}

pub struct ImportRequest {
    /// What the user typed after the resource address in `terraform import`,
    /// or the `id` of an `import` block.
    pub id: String,
    pub cancel: CancellationToken,
}

pub struct ImportResponse {
    /// Enough state for a read (typically just the id); null on failure.
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

/// One data source type.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;

    async fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Reads with a wholly known configuration.
    async fn read(&self, request: DataSourceReadRequest) -> DataSourceReadResponse;
}

pub struct DataSourceReadRequest {
    /// Wholly known.
    pub config: Value,
    pub cancel: CancellationToken,
}

pub struct DataSourceReadResponse {
    /// Null on failure.
    pub state: Value,
    pub diagnostics: Diagnostics,
}

impl DataSourceReadResponse {
    pub fn failed(diagnostics: Diagnostics) -> Self {
        Self {
            state: Value::Null,
            diagnostics,
        }
    }
}
