//! The Knowledge Graph family: Writer's published Knowledge Graph API as
//! Terraform resources, data sources and list resources. `graph` is
//! `writer_knowledge_graph`; `texts` the family's words; `values` the small
//! conversions between Terraform values and the client's types.
//!
//! Registration is [`resources`] (and the data sources and list resources
//! beside it), which the provider lists next to the OAuth-app family's.

mod graph;
mod texts;
mod values;

use std::sync::Arc;

use crate::tfplugin::Resource;

use super::shared::Shared;

/// The family's managed resources.
pub(crate) fn resources(shared: &Arc<Shared>) -> Vec<Arc<dyn Resource>> {
    vec![Arc::new(graph::GraphResource::new(shared.clone()))]
}
