//! What a correct Knowledge Graph, file and web connector URL look like for
//! Writer's published Knowledge Graph API: pure rules, no I/O.
//!
//! Writer answers mistakes here late or never: a web URL it cannot read is
//! only a status that turns to `error` minutes after the apply, a file of a
//! type it does not take fails at upload, a name that breaks the
//! `Content-Disposition` header is stored garbled. So the provider checks
//! them at plan time with these rules, and words Writer's asynchronous
//! verdicts (a URL's `error_type`) for a person. Each rule returns
//! [`Finding`](super::Finding)s worded for the user, detection apart from
//! wording; the provider turns them into diagnostics with attribute paths in
//! one place. This module knows neither Terraform nor HTTP.
//!
//! - [`web_urls`]: the web connector URLs of a `web` graph;
//! - [`file_types`]: the file types Writer takes, by extension;
//! - [`disposition`]: the `Content-Disposition` header of an upload, for any
//!   Unicode file name;
//! - [`url_status`]: a URL's processing status in a person's words;
//! - [`graph`]: a graph's name and description.

pub mod disposition;
pub mod file_types;
pub mod graph;
pub mod url_status;
pub mod web_urls;
