//! The OAuth-app family: `writer_<connector>_oauth_app` for every Writer
//! connector. `lifecycle` is what every connector's app shares,
//! `connectors` one file per connector, `functions` the provider functions
//! about the connectors' products; [`family`] registers them.

pub(crate) mod connectors;
pub(crate) mod functions;
pub(crate) mod lifecycle;

use std::sync::Arc;

use crate::provider::family::Family;
use crate::provider::shared::Shared;
use crate::tfplugin::function::Function;
use crate::tfplugin::{DataSource, ListResource, Resource};

use lifecycle::list::OAuthAppList;
use lifecycle::{OAuthAppData, OAuthAppResource};

/// A resource, a data source and a list resource per connector, and the
/// functions.
pub(crate) fn family(shared: &Arc<Shared>) -> Family {
    let all = connectors::ALL;
    Family {
        resources: all
            .iter()
            .map(|c| -> Arc<dyn Resource> { Arc::new(OAuthAppResource::new(shared.clone(), c)) })
            .collect(),
        data_sources: all
            .iter()
            .map(|c| -> Arc<dyn DataSource> { Arc::new(OAuthAppData::new(shared.clone(), c)) })
            .collect(),
        list_resources: all
            .iter()
            .map(|&c| -> Arc<dyn ListResource> { Arc::new(OAuthAppList::new(shared.clone(), c)) })
            .collect(),
        functions: vec![
            Arc::new(functions::CONFLUENCE_CALLBACK_URL) as Arc<dyn Function>,
            Arc::new(functions::ConfluenceAuthorizationUrl),
            Arc::new(functions::SHAREPOINT_CALLBACK_URL),
            Arc::new(functions::SharePointAdminConsentUrl),
        ],
    }
}
