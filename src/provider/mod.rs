//! The `writer` provider: the one place that joins Terraform's protocol
//! (`tfplugin`), the rules of correct Writer objects (`domain`) and the
//! Writer API (`client`). It serves what its families register: each family
//! of Writer objects is a folder (`oauth_apps/`: an OAuth-app resource, data
//! source and list resource per Writer connector, and the functions about
//! them) whose `family` says what it gives (`family::Family`). The provider block
//! (`config`), what its calls share (`shared`) and the provider-wide words
//! (`texts`) are the families' common ground; each family's words are its
//! own.

mod adoption;
mod config;
mod duration;
mod env;
mod family;
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

use family::Family;
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

impl WriterProvider {
    /// The families of Writer objects the provider manages, in the order
    /// Terraform lists their types. A family is a folder of `provider/`
    /// whose `family` registers its resources, data sources, list resources
    /// and functions (`family::Family`); add one here.
    fn families(&self) -> impl Iterator<Item = Family> {
        [
            oauth_apps::family(&self.shared),
            knowledge_graph::family(&self.shared),
        ]
        .into_iter()
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
        self.families().flat_map(|f| f.resources).collect()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        self.families().flat_map(|f| f.data_sources).collect()
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        self.families().flat_map(|f| f.list_resources).collect()
    }

    fn functions(&self) -> Vec<Arc<dyn Function>> {
        self.families().flat_map(|f| f.functions).collect()
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
