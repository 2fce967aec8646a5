//! What a family of Writer objects (the OAuth apps, ...) gives the
//! provider, registered in one place: its resources, data sources, list
//! resources and provider functions. `provider/mod.rs` lists the families
//! and serves what they register, in their order.

use std::sync::Arc;

use crate::tfplugin::function::Function;
use crate::tfplugin::{DataSource, ListResource, Resource};

pub(crate) struct Family {
    pub resources: Vec<Arc<dyn Resource>>,
    pub data_sources: Vec<Arc<dyn DataSource>>,
    pub list_resources: Vec<Arc<dyn ListResource>>,
    pub functions: Vec<Arc<dyn Function>>,
}
