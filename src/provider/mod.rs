//! The `writer` provider: the one place that joins Terraform's protocol
//! (`tfplugin`), the rules of a correct Confluence OAuth app (`domain`) and
//! the Writer API (`client`). It lists what exists; each Terraform type lives
//! in its own file, and every user-facing message is written in `texts`.

mod config;
mod confluence_oauth_app;
mod confluence_oauth_app_data;
mod lookup;
mod state;
mod texts;

use std::sync::{Arc, RwLock};

use async_trait::async_trait;

use crate::tfplugin::diag::Diagnostics;
use crate::tfplugin::schema::Schema;
use crate::tfplugin::value::Value;
use crate::tfplugin::{ConfigureRequest, DataSource, Provider, Resource};

/// The provider's source address, as users write it in `required_providers`.
pub const ADDRESS: &str = "registry.terraform.io/writer/writer";

/// What every resource and data source of one provider instance shares.
/// Terraform runs one process per provider configuration, so this is the
/// state of exactly one `provider "writer"` block.
#[derive(Default)]
pub(crate) struct Shared {
    /// Settings from the latest validation or configuration. Validation of
    /// resources happens before configuration (and `terraform validate` never
    /// configures), so the provider block's `app_url` is kept from its own
    /// validation, which Terraform runs first.
    settings: RwLock<Option<config::Settings>>,
    /// The configured API access once `ConfigureProvider` has run, or why
    /// there is none (no key): reported by the first call that needs the API.
    api: RwLock<Option<Result<config::Api, crate::tfplugin::diag::Diagnostic>>>,
}

impl Shared {
    /// The `app_url` resources are checked against; `None` while unknown.
    pub(crate) fn app_url(&self) -> Option<crate::domain::AppUrl> {
        let settings = self.settings.read().ok()?;
        match settings.as_ref() {
            Some(s) => s.app_url.clone(),
            // No provider block seen yet: what the provider would use alone.
            None => config::Settings::from_environment().app_url,
        }
    }

    pub(crate) fn api(&self) -> Result<config::Api, crate::tfplugin::diag::Diagnostic> {
        match self.api.read().ok().and_then(|a| a.clone()) {
            Some(api) => api,
            None => Err(texts::provider_not_configured()),
        }
    }
}

/// The `writer` provider.
pub struct WriterProvider {
    shared: Arc<Shared>,
}

impl WriterProvider {
    pub fn new() -> Self {
        Self {
            shared: Arc::new(Shared::default()),
        }
    }
}

impl Default for WriterProvider {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl Provider for WriterProvider {
    fn schema(&self) -> Schema {
        config::schema()
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(confluence_oauth_app::ConfluenceOAuthApp::new(
            self.shared.clone(),
        ))]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(
            confluence_oauth_app_data::ConfluenceOAuthAppData::new(self.shared.clone()),
        )]
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let (settings, diags) = config::Settings::from_config(config);
        if let Ok(mut slot) = self.shared.settings.write() {
            *slot = Some(settings);
        }
        diags
    }

    async fn configure(&self, request: ConfigureRequest) -> Diagnostics {
        let (settings, diags) = config::Settings::from_config(&request.config);
        if diags.has_errors() {
            return diags;
        }
        // The client keeps configure's handle: it is cancelled when the
        // provider is stopped, which ends the waits of every later call.
        let api = config::Api::new(&settings, &request.terraform_version, request.cancel);
        if let Ok(mut slot) = self.shared.api.write() {
            *slot = Some(api);
        }
        if let Ok(mut slot) = self.shared.settings.write() {
            *slot = Some(settings);
        }
        diags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_and_block_is_described() {
        let p = WriterProvider::new();
        let mut missing = Vec::new();
        missing.extend(
            p.schema()
                .missing_descriptions()
                .into_iter()
                .map(|m| format!("provider: {m}")),
        );
        for r in p.resources() {
            missing.extend(
                r.schema()
                    .missing_descriptions()
                    .into_iter()
                    .map(|m| format!("{}: {m}", r.type_name())),
            );
        }
        for d in p.data_sources() {
            missing.extend(
                d.schema()
                    .missing_descriptions()
                    .into_iter()
                    .map(|m| format!("data {}: {m}", d.type_name())),
            );
        }
        assert!(
            missing.is_empty(),
            "attributes without a description: {missing:?}"
        );
    }
}
