//! `writer_file` for `terraform query` (Terraform >= 1.14): the files the
//! API key may see, every one or those of one graph, one processing status
//! or some extensions (Writer's own filters, sent as they are), each as the
//! state an import gives it, so that `-generate-config-out` writes a
//! resource and an import block per file. Read page by page, oldest first,
//! stopping at Terraform's limit.
//!
//! Writer keeps a file's bytes, not the path it was uploaded from, so a
//! listed file's `source` is a placeholder that names the file
//! ([`source_placeholder`]): left as it is, the generated configuration
//! fails its first plan with the fix (set the path of the local copy).

use std::sync::Arc;

use async_trait::async_trait;

use crate::client::knowledge_graph::{FileFilter, Order};
use crate::domain::quote;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::{AttributePath, PathStep};
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{Type, Value};
use crate::tfplugin::{ListRequest, ListResource, ListResults};

use super::file::{source_placeholder, state_of, TYPE_NAME};
use super::texts;
use super::values::{nulls, strings, text};
use crate::provider::shared::Shared;

/// The processing states Writer's `status` filter takes.
const STATUSES: [&str; 3] = ["in_progress", "completed", "failed"];

pub(crate) struct FileList {
    shared: Arc<Shared>,
}

impl FileList {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

/// The filter of the `config` block as Writer takes it.
fn filter_of(config: &Value) -> FileFilter {
    FileFilter {
        graph_id: config.get("graph_id").as_str().map(str::to_owned),
        status: config.get("status").as_str().map(str::to_owned),
        file_types: strings(config.get("file_types"))
            .into_iter()
            .map(|t| t.trim_start_matches('.').to_ascii_lowercase())
            .collect(),
    }
}

/// Every mistake in a filter, each at its attribute.
fn check_filter(config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if config
        .get("graph_id")
        .as_str()
        .is_some_and(|g| g.trim().is_empty())
    {
        diags.push(
            Diagnostic::error(
                "Empty graph_id",
                "Give the ID of the Knowledge Graph whose files to list (e.g. \
                 `writer_knowledge_graph.handbook.id`, or the ID AI Studio shows), or leave \
                 `graph_id` out to list every file.",
            )
            .at(AttributePath::attribute("graph_id")),
        );
    }
    if let Some(status) = config.get("status").as_str() {
        if !STATUSES.contains(&status) {
            diags.push(
                Diagnostic::error(
                    "Invalid status",
                    format!(
                        "`{}` is not a processing status Writer lists files by: use \
                         `in_progress`, `completed` or `failed`, or leave `status` out to list \
                         files in any state.",
                        quote::text(status)
                    ),
                )
                .at(AttributePath::attribute("status")),
            );
        }
    }
    for (i, value) in config.get("file_types").elements().iter().enumerate() {
        let Some(t) = value.as_str() else { continue };
        let bare = t.trim_start_matches('.');
        if bare.is_empty() || bare.contains([',', '/', ' ']) {
            diags.push(
                Diagnostic::error(
                    "Invalid file type",
                    format!(
                        "`{}` is not a file extension: give each as Writer names it, such as \
                         `pdf` or `docx` (a leading dot is taken off), one per entry.",
                        quote::text(t)
                    ),
                )
                .at(AttributePath::attribute("file_types").join(PathStep::Index(i as i64))),
            );
        }
    }
    diags
}

#[async_trait]
impl ListResource for FileList {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new(
                "Lists the files in Writer that the API key may see, every one or those \
                 matching the filters, for `terraform query` (Terraform 1.14 or newer). With \
                 `-generate-config-out`, Terraform writes a `writer_file` resource and an \
                 `import` block for each. Writer keeps a file's content but not the path it was \
                 uploaded from, so each generated `source` is a placeholder, \
                 `\"<set the path of your local copy of NAME>\"`: left as it is, the plan fails \
                 and says to set it. Once it names the local copy, the plan imports the file \
                 and compares the two contents: the same content uploads nothing, a different \
                 one replaces the file.",
            )
            .attribute(Attribute::optional("graph_id", Type::String).description(
                "Only the files in this Knowledge Graph (its ID). Leave it out for files in any \
                 graph or none.",
            ))
            .attribute(Attribute::optional("status", Type::String).description(
                "Only the files whose processing is in this state: `in_progress`, `completed` \
                 or `failed`.",
            ))
            .attribute(
                Attribute::optional("file_types", Type::list(Type::String)).description(
                    "Only the files of these types, by extension as Writer names them (e.g. \
                     `[\"pdf\", \"docx\"]`).",
                ),
            ),
        )
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        check_filter(config)
    }

    async fn list(&self, request: ListRequest, mut results: ListResults) -> Diagnostics {
        let errors = check_filter(&request.config);
        if errors.has_errors() {
            return errors;
        }
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return d.into(),
        };
        let filter = filter_of(&request.config);
        let walked = api
            .client
            .each_file(&filter, Order::Oldest, |file| {
                let mut start = nulls(&super::file::schema());
                start.insert("source".into(), text(&source_placeholder(&file.name)));
                let state = state_of(&file, &Value::Object(start));
                results.push(file.name.clone(), Value::Object(state))
            })
            .await;
        match walked {
            Ok(()) => Diagnostics::new(),
            Err(e) => texts::api_error("list the files", &e).into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut c: BTreeMap<String, Value> = ["graph_id", "status", "file_types"]
            .into_iter()
            .map(|k| (k.to_owned(), Value::Null))
            .collect();
        for (k, v) in pairs {
            c.insert((*k).into(), v.clone());
        }
        Value::Object(c)
    }

    #[test]
    fn the_filters_go_to_writer_as_it_takes_them() {
        let c = config(&[
            ("graph_id", text("g-1")),
            ("status", text("failed")),
            ("file_types", Value::List(vec![text(".PDF"), text("docx")])),
        ]);
        assert!(check_filter(&c).is_empty());
        let f = filter_of(&c);
        assert_eq!(f.graph_id.as_deref(), Some("g-1"));
        assert_eq!(f.status.as_deref(), Some("failed"));
        assert_eq!(f.file_types, vec!["pdf".to_owned(), "docx".to_owned()]);
        assert_eq!(filter_of(&config(&[])), FileFilter::default());
    }

    #[test]
    fn a_wrong_filter_is_named_at_its_attribute() {
        let c = config(&[
            ("graph_id", text(" ")),
            ("status", text("done")),
            (
                "file_types",
                Value::List(vec![text("pdf"), text("pdf,docx")]),
            ),
        ]);
        let d = check_filter(&c).into_vec();
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!(d[0].attribute, Some(AttributePath::attribute("graph_id")));
        assert!(d[1].detail.contains("`completed`"), "{}", d[1].detail);
        assert_eq!(
            d[2].attribute,
            Some(AttributePath::attribute("file_types").join(PathStep::Index(1)))
        );
    }
}
