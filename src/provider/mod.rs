//! The `writer` provider: the one place that joins Terraform's protocol
//! (`tfplugin`), the rules of a correct OAuth app (`domain`) and the Writer
//! API (`client`). It lists what exists: one resource and one data source per
//! Writer connector registered in `connectors`, all built by `oauth_app`.
//! Provider-wide words are in `texts`; each resource's own beside it.

mod config;
mod env;
mod knowledge_graph;
mod oauth_apps;
mod shared;
mod texts;

use std::sync::Arc;

use async_trait::async_trait;

use crate::tfplugin::diag::Diagnostics;
use crate::tfplugin::function::Function;
use crate::tfplugin::schema::Schema;
use crate::tfplugin::value::Value;
use crate::tfplugin::{ConfigureRequest, DataSource, ListResource, Provider, Resource};

use shared::Shared;

/// The provider's source address, as users write it in `required_providers`.
pub const ADDRESS: &str = "registry.terraform.io/writer/writer";

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
        oauth_apps::connectors::ALL
            .iter()
            .map(|c| -> Arc<dyn Resource> {
                Arc::new(oauth_apps::lifecycle::OAuthAppResource::new(
                    self.shared.clone(),
                    c,
                ))
            })
            .collect()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        oauth_apps::connectors::ALL
            .iter()
            .map(|c| -> Arc<dyn DataSource> {
                Arc::new(oauth_apps::lifecycle::OAuthAppData::new(
                    self.shared.clone(),
                    c,
                ))
            })
            .collect()
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        oauth_apps::connectors::ALL
            .iter()
            .map(|&c| -> Arc<dyn ListResource> {
                Arc::new(oauth_apps::lifecycle::OAuthAppList::new(
                    self.shared.clone(),
                    c,
                ))
            })
            .collect()
    }

    fn functions(&self) -> Vec<Arc<dyn Function>> {
        vec![
            Arc::new(oauth_apps::functions::CONFLUENCE_CALLBACK_URL),
            Arc::new(oauth_apps::functions::ConfluenceAuthorizationUrl),
            Arc::new(oauth_apps::functions::SHAREPOINT_CALLBACK_URL),
            Arc::new(oauth_apps::functions::SharePointAdminConsentUrl),
        ]
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
        // Each later call takes this client with its own cancellation handle
        // (`Shared::api`): stopping the provider cancels every call's handle.
        let api = config::Api::new(&settings, &request.terraform_version);
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
        for l in p.list_resources() {
            missing.extend(
                l.schema()
                    .missing_descriptions()
                    .into_iter()
                    .map(|m| format!("list {}: {m}", l.type_name())),
            );
        }
        for r in p.resources() {
            for a in r.identity().map(|i| i.attributes).unwrap_or_default() {
                if a.description.trim().is_empty() {
                    missing.push(format!("{} identity: {}", r.type_name(), a.name));
                }
            }
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
