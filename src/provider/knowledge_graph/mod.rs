//! The Knowledge Graph family: Writer's published Knowledge Graph API as
//! Terraform resources, data sources and list resources. `graph` is
//! `writer_knowledge_graph` (and `data` its data source), `file`
//! `writer_file` (and `file_list` its list resource, `list` the graphs'),
//! `application` `writer_application_knowledge_graphs`; `texts` the
//! family's words;
//! `values` the small conversions between Terraform values and the
//! client's types.
//!
//! Registration is [`family`], which `provider::WriterProvider::families`
//! lists after the OAuth-app family.

mod application;
mod data;
mod file;
mod file_list;
mod graph;
mod list;
mod texts;
mod values;

use std::sync::Arc;

use crate::provider::family::Family;
use crate::provider::shared::Shared;

/// What the family gives the provider: its resources, data sources and
/// list resources (no functions).
pub(crate) fn family(shared: &Arc<Shared>) -> Family {
    Family {
        resources: vec![
            Arc::new(graph::GraphResource::new(shared.clone())),
            Arc::new(file::FileResource::new(shared.clone())),
            Arc::new(application::ApplicationGraphsResource::new(shared.clone())),
        ],
        data_sources: vec![Arc::new(data::GraphData::new(shared.clone()))],
        list_resources: vec![
            Arc::new(list::GraphList::new(shared.clone())),
            Arc::new(file_list::FileList::new(shared.clone())),
        ],
        functions: Vec::new(),
    }
}
