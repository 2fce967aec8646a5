//! The Knowledge Graph family: Writer's published Knowledge Graph API as
//! Terraform resources, data sources and list resources. `graph` is
//! `writer_knowledge_graph` (and `data` its data source), `application`
//! `writer_application_knowledge_graphs`; `texts` the family's words;
//! `values` the small conversions between Terraform values and the
//! client's types.
//!
//! Registration is [`resources`] (and the data sources and list resources
//! beside it), which the provider lists next to the OAuth-app family's.

mod application;
mod data;
mod graph;
mod list;
mod texts;
mod values;

use std::sync::Arc;

use crate::tfplugin::{DataSource, ListResource, Resource};

use super::shared::Shared;

/// The family's managed resources.
pub(crate) fn resources(shared: &Arc<Shared>) -> Vec<Arc<dyn Resource>> {
    vec![
        Arc::new(graph::GraphResource::new(shared.clone())),
        Arc::new(application::ApplicationGraphsResource::new(shared.clone())),
    ]
}

/// The family's data sources.
pub(crate) fn data_sources(shared: &Arc<Shared>) -> Vec<Arc<dyn DataSource>> {
    vec![Arc::new(data::GraphData::new(shared.clone()))]
}

/// The family's list resources (`terraform query`).
pub(crate) fn list_resources(shared: &Arc<Shared>) -> Vec<Arc<dyn ListResource>> {
    vec![Arc::new(list::GraphList::new(shared.clone()))]
}
