//! The Writer connectors the provider manages, registered once: each one is
//! a resource and a data source, `writer_<connector>_oauth_app`, built from a
//! [`Connector`]. To add one, see "Add a connector" in DESIGN.md.

mod confluence;
mod sharepoint;

use super::lifecycle::Connector;

/// The connectors the provider functions are about.
pub(crate) use confluence::CONFLUENCE;
pub(crate) use sharepoint::SHAREPOINT;

/// Every connector, in the order Terraform lists their types.
pub(crate) const ALL: &[&Connector] = &[&confluence::CONFLUENCE, &sharepoint::SHAREPOINT];
