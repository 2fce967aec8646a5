//! What every resource and data source of one provider instance shares: the
//! provider block's settings and the configured API access. Terraform runs
//! one process per provider configuration, so this is the state of exactly
//! one `provider "writer"` block.

use std::sync::RwLock;

use tokio_util::sync::CancellationToken;

use crate::domain::AppUrl;
use crate::tfplugin::diag::Diagnostic;

use super::config::{Api, Settings};
use super::texts;

#[derive(Default)]
pub(crate) struct Shared {
    /// Settings from the latest validation or configuration. Validation of
    /// resources happens before configuration (and `terraform validate` never
    /// configures), so the provider block's `app_url` is kept from its own
    /// validation, which Terraform runs first.
    pub settings: RwLock<Option<Settings>>,
    /// The configured API access once `ConfigureProvider` has run, or why
    /// there is none (no key): reported by the first call that needs the API.
    pub api: RwLock<Option<Result<Api, Diagnostic>>>,
}

impl Shared {
    /// The `app_url` resources are checked against; `None` while unknown.
    pub(crate) fn app_url(&self) -> Option<AppUrl> {
        let settings = self.settings.read().ok()?;
        match settings.as_ref() {
            Some(s) => s.app_url.clone(),
            // No provider block seen yet: what the provider would use alone.
            None => Settings::from_environment().app_url,
        }
    }

    /// The configured API for one call: its client stops when `cancel` (the
    /// call's handle from Terraform) is cancelled.
    pub(crate) fn api(&self, cancel: &CancellationToken) -> Result<Api, Diagnostic> {
        match self.api.read().ok().and_then(|a| a.clone()) {
            Some(Ok(api)) => Ok(api.for_call(cancel)),
            Some(Err(d)) => Err(d),
            None => Err(texts::provider_not_configured()),
        }
    }
}
