//! terraform-provider-writer: a Terraform provider for Writer, and a local
//! emulator of the Writer API it speaks to.
//!
//! The map of the crate, layers pointing down only:
//!
//! - [`tfplugin`]: Terraform's plugin protocol (v6) served over mutual TLS on a
//!   unix socket: handshake, values, schemas, diagnostics, logging. It knows
//!   nothing about Writer and could be a crate of its own.
//! - [`domain`]: the rules of correct Writer objects, pure (no I/O): the
//!   callback URL for any connector, Atlassian's rules for Confluence in
//!   `domain::confluence`, Microsoft's for SharePoint in `domain::sharepoint`.
//! - [`client`]: the Writer API over HTTPS: a transport that knows no family
//!   (the key, retries, deadlines, redaction, error parsing, paging, JSON or
//!   streamed file bodies), and one module of typed calls per family. Knows
//!   nothing about Terraform.
//! - [`provider`]: the `writer` provider, the one place that joins Terraform,
//!   the domain rules and the API client; it serves what its families
//!   register.
//! - [`emulator`]: a local implementation of the Writer API for demos and
//!   tests, one module per family behind shared layers. Never imported by the
//!   provider.
//!
//! The families, each a folder of its own in `provider`, `client` and
//! `emulator` (and its rules in `domain`); no family imports another:
//!
//! - OAuth apps (`oauth_apps`): `writer_<connector>_oauth_app` for Writer's
//!   self-managed connector apps (Confluence, SharePoint), the resource, data
//!   source and list resource, and the functions about the connectors'
//!   products. Speaks our own contract (`reference/writer-api.openapi.yaml`).
//! - Knowledge Graphs (`knowledge_graph`): `writer_knowledge_graph` (with a
//!   web graph's URLs), `writer_file` (a local file uploaded, streamed, into
//!   graphs) and `writer_application_knowledge_graphs` (a chat agent's
//!   graphs), the graph data source and list resource, against Writer's
//!   published API (`api.writer.com`).

pub mod client;
pub mod domain;
pub mod emulator;
pub mod provider;
pub mod tfplugin;
