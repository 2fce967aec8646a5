//! The words of the Knowledge Graph family's resources and data sources:
//! what only AI Studio can make, what the API cannot see, lookups by name,
//! the outcome of a create. Writer API errors go through the provider-wide
//! `texts::api_error` / `write_not_done`, with what only this family knows
//! added here.

use std::time::Duration;

use crate::client;
use crate::client::knowledge_graph::{UploadBounds, UPLOAD_BYTES_PER_SECOND};
use crate::domain::quote;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::value::Value;
use crate::tfplugin::ImportResponse;

use crate::provider::texts::{self as provider_texts, Object, Refind, KEEPS_TRYING};

/// The family's words in the provider-wide messages.
pub(crate) const KNOWLEDGE_GRAPH: Object = Object {
    name: "Knowledge Graph",
    short: "graph",
    key_refused: "The key is valid, but its AI Studio API agent lacks the Knowledge Graph \
                  capability (Knowledge Graphs and files), which these calls need. Add the \
                  capability to the agent in AI Studio, or set the key of an agent that has it",
    carried: "file contents",
};

/// The family's other objects, in the same words but their names.
const FILE: Object = Object {
    name: "file",
    short: "file",
    ..KNOWLEDGE_GRAPH
};
const CHAT_AGENT: Object = Object {
    name: "chat agent",
    short: "chat agent",
    ..KNOWLEDGE_GRAPH
};

/// How each of the family's resources finds its object again, for a state
/// whose ID names nothing ([`state_without_id`]).
pub(crate) const GRAPH_IN_STATE: Refind<'static> = Refind {
    object: &KNOWLEDGE_GRAPH,
    type_name: "writer_knowledge_graph",
    attribute: "id",
    import_id: "<its ID, or name=<its name>>",
    how: "by the graph's ID or name (AI Studio shows the ID in the graph's URL)",
};
pub(crate) const FILE_IN_STATE: Refind<'static> = Refind {
    object: &FILE,
    type_name: "writer_file",
    attribute: "id",
    import_id: "<its ID>",
    how: "by the file's ID (terraform query with the `writer_file` list resource lists them)",
};
pub(crate) const CHAT_AGENT_IN_STATE: Refind<'static> = Refind {
    object: &CHAT_AGENT,
    type_name: "writer_application_knowledge_graphs",
    attribute: "application_id",
    import_id: "<the chat agent's ID>",
    how: "by the chat agent's ID (AI Studio shows it in the agent's URL)",
};

/// A state whose ID names nothing: Writer was not asked; the provider-wide
/// words.
pub(crate) fn state_without_id(r: &Refind<'_>, id: &str) -> Diagnostic {
    provider_texts::state_without_id(r, id)
}

/// A Writer API error about a Knowledge Graph object, in the provider-wide
/// words.
pub(crate) fn describe(e: &client::Error) -> String {
    provider_texts::describe(e, &KNOWLEDGE_GRAPH)
}

/// An API error during a read.
pub(crate) fn api_error(action: &str, error: &client::Error) -> Diagnostic {
    provider_texts::api_error(&KNOWLEDGE_GRAPH, action, error)
}

/// A write Writer did not carry out.
pub(crate) fn write_not_done(action: &str, error: &client::Error) -> Diagnostic {
    provider_texts::write_not_done(&KNOWLEDGE_GRAPH, action, error)
}

/// What a 404 may mean for a graph: Writer's API sees only graphs that all
/// teams may use.
pub(crate) const TEAM_HINT: &str = "A Knowledge Graph deployed to one team is invisible to \
     Writer's API (it sees only graphs with \"All Teams\" access): if the graph exists in AI \
     Studio, give it All Teams access, or use an API key of that team's AI Studio agent.";

/// The import block for a graph, as a user writes it.
fn import_block(type_name: &str, id: &str) -> String {
    format!("  import {{\n    to = {type_name}.<name>\n    id = \"{id}\"\n  }}")
}

/// A plan that would create a graph with web URLs.
pub(crate) fn web_graph_only_in_ai_studio() -> Diagnostic {
    Diagnostic::error(
        "A web Knowledge Graph can only be made in AI Studio",
        format!(
            "Only a Knowledge Graph of type `web` takes web URLs, and only AI Studio makes one: \
             Writer's API creates `manual` graphs. Make the graph in AI Studio (Knowledge Graphs \
             > Add Website), then bring it under Terraform with an import block, by its ID or its \
             name:\n\n{}\n\nFrom then on this configuration manages its `web_urls`. To make a \
             graph of uploaded files instead, leave `web_urls` out.",
            import_block("writer_knowledge_graph", "name=<its name in AI Studio>")
        ),
    )
    .at(AttributePath::attribute("web_urls"))
}

/// `web_urls` on a graph of another type.
pub(crate) fn urls_need_a_web_graph(id: &str, kind: &str) -> Diagnostic {
    Diagnostic::error(
        "Only a web Knowledge Graph takes web URLs",
        format!(
            "The Knowledge Graph `{}` is of type `{}`; Writer takes `web_urls` only on a graph of \
             type `web`, which only AI Studio makes (Add Website). Remove `web_urls` here, or make \
             a web graph in AI Studio and import it.",
            quote::text(id),
            quote::text(kind)
        ),
    )
    .at(AttributePath::attribute("web_urls"))
}

/// A graph in state that Writer's API no longer shows (404). Writer cannot
/// tell a deleted graph from one deployed to one team (both are "not
/// found"), so the graph leaves the state (the plan shows its create, as for
/// any deleted object), and the warning says both, and how to tell them
/// apart before an apply makes a second graph of that name.
pub(crate) fn graph_gone(id: &str, name: Option<&str>) -> Diagnostic {
    let named = match name {
        Some(name) => format!("`{}` (ID `{}`)", quote::text(name), quote::text(id)),
        None => format!("`{}`", quote::text(id)),
    };
    let look_for = match name {
        Some(name) => format!("`{}`", quote::text(name)),
        None => "the graph".to_owned(),
    };
    Diagnostic::warning(
        "Knowledge Graph not found in Writer: deleted, or deployed to one team",
        format!(
            "Writer's API no longer shows the Knowledge Graph {named}. Either someone deleted \
             it, or it is now deployed to one team: Writer's API sees only graphs with \"All \
             Teams\" access and answers about any other as not found. It was removed from the \
             state, so this plan creates the graph again.\n\nBefore applying, look for \
             {look_for} in AI Studio (Knowledge Graphs). If it is there, applying would make a \
             second graph: give it All Teams access instead (or use an API key of that team's \
             AI Studio agent), then run terraform plan again, which finds it and creates \
             nothing. If it is not there, apply to create it again."
        ),
    )
}

pub(crate) fn no_graph_with_id(id: &str) -> Diagnostic {
    Diagnostic::error(
        "No Knowledge Graph with this ID",
        format!(
            "Writer has no Knowledge Graph `{}`. Check the ID (AI Studio shows it in the graph's \
             URL). {TEAM_HINT}",
            quote::text(id)
        ),
    )
}

pub(crate) fn no_graph_named(name: &str) -> Diagnostic {
    Diagnostic::error(
        "No Knowledge Graph with this name",
        format!(
            "Writer has no Knowledge Graph named `{}` (names are compared exactly). Check the \
             name in AI Studio, or import by ID. {TEAM_HINT}",
            quote::text(name)
        ),
    )
}

/// Writer's graph names need not be unique.
pub(crate) fn several_graphs_named(name: &str, ids: &[String]) -> Diagnostic {
    let shown: Vec<String> = ids
        .iter()
        .map(|id| format!("`{}`", quote::text(id)))
        .collect();
    Diagnostic::error(
        "Several Knowledge Graphs have this name",
        format!(
            "Writer has {} Knowledge Graphs named `{}`: {}. Graph names need not be unique in \
             Writer, so the name cannot say which one is meant: use the ID of the one you mean.",
            shown.len(),
            quote::text(name),
            shown.join(", ")
        ),
    )
}

pub(crate) fn empty_name_lookup() -> Diagnostic {
    Diagnostic::error(
        "Empty name",
        "`name=` needs the graph's name after it, as AI Studio shows it: `name=Product docs`.",
    )
}

/// A create whose answer was lost: Writer may have made the graph. Nothing
/// is adopted (the API has no idempotency key, so nothing proves which
/// graph this create made); the graphs of that name are listed for import.
pub(crate) fn create_outcome_unknown(
    name: &str,
    error: &client::Error,
    candidates: Result<&[String], &client::Error>,
) -> Diagnostic {
    let found = match candidates {
        Ok([]) => "Writer now has no Knowledge Graph of that name, so it was most likely not \
                   created: apply again."
            .to_owned(),
        Ok(ids) => {
            let shown: Vec<String> = ids
                .iter()
                .map(|id| format!("`{}`", quote::text(id)))
                .collect();
            format!(
                "Writer now has Knowledge Graphs of that name: {}. Nothing proves which one, if \
                 any, this apply made (Writer's API has no idempotency key), so none was taken \
                 into the state. If one is the graph this apply made, import it instead of \
                 applying again (which would make another):\n\n{}",
                shown.join(", "),
                import_block("writer_knowledge_graph", &ids[0])
            )
        }
        Err(lookup) => format!(
            "Looking for it failed too ({}). Before applying again, look in AI Studio for a \
             Knowledge Graph of that name made just now; if there is one, import it.",
            describe(lookup)
        ),
    };
    Diagnostic::error(
        "The Knowledge Graph may have been created",
        format!(
            "No complete answer came back to the create of the Knowledge Graph `{}` ({}), so \
             Writer may have made it. {found} {KEEPS_TRYING}",
            quote::text(name),
            describe(error)
        ),
    )
}

/// A write whose outcome is unknown (update, delete): the state keeps what
/// it had; the next plan reads Writer.
pub(crate) fn write_outcome_unknown(what: &str, error: &client::Error) -> Diagnostic {
    Diagnostic::error(
        format!("The {what} may have been changed"),
        format!(
            "{}\n\nNo complete answer came back, so Writer may have made the change or not. The \
             state keeps what it had before this apply. Run terraform plan: it reads Writer and \
             shows what is still to do, then apply again; {KEEPS_TRYING}",
            describe(error)
        ),
    )
}

// ---- outcomes of calls, as diagnostics: one place for the family ----

/// A write that failed, by what the client decided of its outcome: Writer
/// did not carry it out (`write_not_done`, naming the `action`), or may
/// have (`write_outcome_unknown`, about the `what`).
pub(crate) fn write_failed(action: &str, what: &str, e: &client::WriteError) -> Diagnostic {
    match e.outcome {
        client::Outcome::NotDone => write_not_done(action, &e.error),
        client::Outcome::Unknown | client::Outcome::Done { .. } => {
            write_outcome_unknown(what, &e.error)
        }
    }
}

/// A read by ID: the object, `missing` when Writer has none, or the read's
/// error (`action`: "read the file").
pub(crate) fn found<T>(
    read: Result<Option<T>, client::Error>,
    action: &str,
    missing: impl FnOnce() -> Diagnostic,
) -> Result<T, Diagnostic> {
    match read {
        Ok(Some(object)) => Ok(object),
        Ok(None) => Err(missing()),
        Err(e) => Err(api_error(action, &e)),
    }
}

/// An import's answer: the state of the object found, or why there is none.
pub(crate) fn imported(state: Result<Value, Diagnostic>) -> ImportResponse {
    match state {
        Ok(state) => ImportResponse {
            state,
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        },
        Err(d) => ImportResponse {
            state: Value::Null,
            private: Vec::new(),
            diagnostics: d.into(),
        },
    }
}

// ---- writer_file ----

fn at_source(d: Diagnostic) -> Diagnostic {
    d.at(AttributePath::attribute("source"))
}

/// A source Terraform cannot read when it plans or applies.
pub(crate) fn unreadable_source(path: &str, reason: &str) -> Diagnostic {
    at_source(Diagnostic::error(
        "Cannot read the file to upload",
        format!(
            "The source `{}` cannot be read ({}). Check the path: a relative one is relative to \
             the directory Terraform runs in, so write it as `\"${{path.module}}/...\"`. The file \
             must exist when Terraform plans: its content's SHA-256 tells a changed file.",
            quote::text(path),
            quote::text(reason)
        ),
    ))
}

pub(crate) fn empty_source() -> Diagnostic {
    at_source(Diagnostic::error(
        "Empty source",
        "`source` is the path of the local file to upload, such as \
         `\"${path.module}/docs/handbook.pdf\"`.",
    ))
}

/// A `source` still the placeholder a listed file carries (`terraform
/// query -generate-config-out` writes it): the local path is the user's to
/// give.
pub(crate) fn source_is_a_placeholder(name: &str) -> Diagnostic {
    at_source(Diagnostic::error(
        "Set the path of the file's local copy",
        format!(
            "`source` is still the placeholder `terraform query` wrote for the file              \"{name}\": Writer keeps a file's content, not the path it was uploaded from. Set              `source` to the path of your local copy of it, such as              `\"${{path.module}}/docs/{name}\"`. The plan then compares that file with the one              in Writer: the same content uploads nothing, a different one replaces the file.              If you have no local copy, download it first (AI Studio, or Writer's API:              `GET /v1/files/<id>/download`).",
            name = quote::text(name)
        ),
    ))
}

/// An import that could not fetch the file's bytes to compare: the first
/// plan takes the local file as it is.
pub(crate) fn import_not_compared(id: &str, why: &str) -> Diagnostic {
    Diagnostic::warning(
        "The imported file's content was not compared",
        format!(
            "Writer did not give back the content of file `{}`, so the state holds no SHA-256 \
             of it: the next plan takes your local `source` as the file's content without \
             comparing the two. Make sure it is the same file; to compare, import again once \
             the download works. What went wrong: {}",
            quote::text(id),
            why
        ),
    )
}

/// The source's content differs from what the plan saw.
pub(crate) fn source_changed_since_plan(path: &str) -> Diagnostic {
    at_source(Diagnostic::error(
        "The file changed after the plan",
        format!(
            "The content of `{}` is not what Terraform planned to upload (its SHA-256 differs): \
             something changed the file between plan and apply. Nothing was uploaded. Run \
             terraform plan again, then apply.",
            quote::text(path)
        ),
    ))
}

/// Writer could not process the file.
pub(crate) fn file_failed(name: &str, id: &str) -> Diagnostic {
    at_source(Diagnostic::error(
        "Writer could not process the file",
        format!(
            "Writer took the upload of `{}` (ID `{}`) but its processing failed, so Knowledge \
             Graphs cannot answer from it. The file is kept in the state as tainted: apply \
             again to upload it again (Writer's failures may be passing). If it fails again, \
             check that the file opens and its `content_type` is what it holds, or convert it \
             (e.g. to PDF).",
            quote::text(name),
            quote::text(id)
        ),
    ))
}

/// The processing wait ended with the file still in progress.
pub(crate) fn file_still_processing(name: &str, waited_secs: u64) -> Diagnostic {
    at_source(Diagnostic::warning(
        "The file is still being processed",
        format!(
            "Writer was still processing `{}` after {waited_secs}s, the provider's \
             processing_timeout. The upload is done and in the state; the next plan shows its \
             `status`. Large files take longer: raise processing_timeout in the provider block \
             to wait longer.",
            quote::text(name)
        ),
    ))
}

/// Adding the file to a graph, or taking it out, failed.
pub(crate) fn graph_change_failed(action: &str, graph: &str, e: &client::WriteError) -> Diagnostic {
    let what = format!("{action} the Knowledge Graph `{}`", quote::text(graph));
    match e.outcome {
        client::Outcome::NotDone => write_not_done(&what, &e.error),
        client::Outcome::Unknown | client::Outcome::Done { .. } => Diagnostic::error(
            format!("Could not tell whether Writer could {what}"),
            format!(
                "{}\n\nNo complete answer came back. The state keeps the file; run terraform \
                 plan, which reads Writer and shows what is still to do, then apply again; \
                 {KEEPS_TRYING}",
                describe(&e.error)
            ),
        ),
    }
    .at(AttributePath::attribute("graph_ids"))
}

/// `3.0 MiB`
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// `4s`, `2.5s`
fn secs(d: Duration) -> String {
    let tenths = (d.as_secs_f64() * 10.0).round() / 10.0;
    format!("{tenths}s")
}

/// How an upload's time ran out, as a paragraph for its error: the bound
/// it hit, what that bound is made of (a setting, and the file's size at
/// the slowest rate allowed), and the setting to raise. `None` when the
/// upload did not end by running out of time.
pub(crate) fn upload_time_ran_out(
    error: &client::Error,
    length: u64,
    bounds: &UploadBounds,
) -> Option<String> {
    let rate = format!(
        "{} MiB a second",
        UPLOAD_BYTES_PER_SECOND as f64 / (1024.0 * 1024.0)
    );
    let (setting, base, bound) = match error {
        client::Error::Transport {
            kind: client::TransportKind::Timeout,
            ..
        } => (
            "request_timeout",
            bounds.request_timeout,
            bounds.per_request(),
        ),
        client::Error::OutOfTime { .. } => (
            "retry_timeout",
            bounds.retry_timeout,
            bounds.per_operation(),
        ),
        _ => return None,
    };
    Some(format!(
        "The upload was cut at its time bound: {setting} ({}) plus the time its size ({}) \
         takes at {rate} ({}), {} in all. Writer took the bytes more slowly than that, or \
         stopped taking them. If the link to Writer is slow but moving, raise {setting} in \
         the provider block: an upload gets all of it on top of the time its size takes.",
        secs(base),
        mib(length),
        secs(bounds.allowance),
        secs(bound)
    ))
}

/// An upload's answer was lost, and the file it made was found and taken
/// into the state.
pub(crate) fn lost_upload_adopted(name: &str, id: &str, error: &client::Error) -> Diagnostic {
    at_source(Diagnostic::warning(
        "Writer's answer to the upload was lost; the file it made was found",
        format!(
            "No complete answer came back to the upload of `{}` ({}). The upload was not sent \
             again: Writer lists one file of that name (ID `{}`) created after this upload \
             began by Writer's clock, and no other, so it is this upload's and was taken into \
             the state.",
            quote::text(name),
            describe(error),
            quote::text(id)
        ),
    ))
}

/// An upload whose answer was lost: the file is taken only when it
/// provably is this upload's; else what was found, and why not, and how to
/// import one. `time`: how the upload's time ran out, if it did.
pub(crate) fn upload_outcome_unknown(
    name: &str,
    error: &client::Error,
    time: Option<String>,
    found: Result<&[(String, String)], &client::Error>,
) -> Diagnostic {
    let found = match found {
        Ok([]) => "Writer now has no file of that name, so it most likely did not take the \
                   upload: apply again."
            .to_owned(),
        Ok(files) => {
            let shown: Vec<String> = files
                .iter()
                .map(|(id, why)| format!("- `{}`: {why}", quote::text(id)))
                .collect();
            let first = quote::text(&files[0].0);
            format!(
                "Writer has {} file(s) of that name, none of which is provably this upload's, \
                 so none was taken into the state:\n{}\n\nIf one is the file this resource \
                 should manage, import it by its ID instead of applying again (which would \
                 upload another):\n\n  terraform import writer_file.<name> {first}\n\nor \
                 with an import block (`to = writer_file.<name>`, `id = \"{first}\"`). \
                 Otherwise apply again.",
                files.len(),
                shown.join("\n")
            )
        }
        Err(lookup) => format!(
            "Looking for the file failed too ({}). Before applying again, look in AI Studio for \
             a file of that name uploaded just now; if there is one, import it.",
            describe(lookup)
        ),
    };
    let (summary, time) = match time {
        Some(time) => (
            "The upload did not finish within its time bound",
            format!("\n\n{time}"),
        ),
        None => ("The file may have been uploaded", String::new()),
    };
    at_source(Diagnostic::error(
        summary,
        format!(
            "No complete answer came back to the upload of `{}` ({}), so Writer may have the \
             file. An upload is never sent twice blindly.{time}\n\n{found} {KEEPS_TRYING}",
            quote::text(name),
            describe(error)
        ),
    ))
}

/// A file in state that Writer no longer shows.
pub(crate) fn file_gone(id: &str) -> Diagnostic {
    Diagnostic::warning(
        "File not found in Writer",
        format!(
            "Writer has no file `{}` any more: someone deleted it. It was removed from the \
             state, so the plan uploads it again.",
            quote::text(id)
        ),
    )
}

pub(crate) fn no_file_with_id(id: &str) -> Diagnostic {
    Diagnostic::error(
        "No file with this ID",
        format!(
            "Writer has no file `{}`. Check the ID: `terraform query` with the `writer_file` \
             list resource lists the files the API key may see.",
            quote::text(id)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_create_adopts_nothing_and_says_how_to_import() {
        let e = client::Error::Transport {
            kind: client::TransportKind::Timeout,
            url: "https://api.writer.com/v1/graphs".into(),
            attempts: 1,
            reason: "still incomplete after 20s".into(),
        };
        let ids = vec!["g-1".to_string(), "g-2".to_string()];
        let d = create_outcome_unknown("Handbook", &e, Ok(&ids));
        assert!(d.detail.contains("`g-1`, `g-2`"), "{}", d.detail);
        assert!(
            d.detail.contains("none was taken into the state"),
            "{}",
            d.detail
        );
        assert!(d.detail.contains("id = \"g-1\""), "{}", d.detail);
        let d = create_outcome_unknown("Handbook", &e, Ok(&[]));
        assert!(d.detail.contains("most likely not created"), "{}", d.detail);
    }

    fn bounds() -> UploadBounds {
        UploadBounds {
            request_timeout: Duration::from_secs(1),
            retry_timeout: Duration::from_secs(3),
            allowance: Duration::from_secs(3),
        }
    }

    #[test]
    fn a_cut_upload_names_its_bound_and_the_setting_to_raise() {
        let timed_out = client::Error::Transport {
            kind: client::TransportKind::Timeout,
            url: "https://api.writer.com/v1/files".into(),
            attempts: 1,
            reason: "still incomplete after 4s".into(),
        };
        let words = upload_time_ran_out(&timed_out, 3 * 1024 * 1024, &bounds()).unwrap();
        assert!(
            words.contains("request_timeout (1s) plus the time its size (3.0 MiB) takes at 1 MiB a second (3s), 4s in all"),
            "{words}"
        );
        assert!(words.contains("raise request_timeout"), "{words}");
        let out_of_time = client::Error::OutOfTime {
            limit: Duration::from_secs(6),
        };
        let words = upload_time_ran_out(&out_of_time, 3 * 1024 * 1024, &bounds()).unwrap();
        assert!(words.contains("retry_timeout (3s)"), "{words}");
        assert!(words.contains("6s in all"), "{words}");
        assert!(words.contains("raise retry_timeout"), "{words}");
        let refused = client::Error::Unavailable {
            attempts: 1,
            problem: Box::default(),
        };
        assert_eq!(upload_time_ran_out(&refused, 1, &bounds()), None);
        let d = upload_outcome_unknown(
            "big.txt",
            &timed_out,
            upload_time_ran_out(&timed_out, 3 * 1024 * 1024, &bounds()),
            Ok(&[]),
        );
        assert_eq!(d.summary, "The upload did not finish within its time bound");
        assert!(d.detail.contains("`big.txt`"), "{}", d.detail);
        assert!(d.detail.contains("raise request_timeout"), "{}", d.detail);
    }

    #[test]
    fn a_refused_lost_upload_lists_each_file_and_the_import() {
        let e = client::Error::Transport {
            kind: client::TransportKind::Closed,
            url: "https://api.writer.com/v1/files".into(),
            attempts: 1,
            reason: "connection closed".into(),
        };
        let found = vec![
            ("f-1".to_string(), "why one".to_string()),
            ("f-2".to_string(), "why two".to_string()),
        ];
        let d = upload_outcome_unknown("a.txt", &e, None, Ok(&found));
        assert_eq!(d.summary, "The file may have been uploaded");
        assert!(
            d.detail.contains("- `f-1`: why one\n- `f-2`: why two"),
            "{}",
            d.detail
        );
        assert!(
            d.detail.contains("terraform import writer_file.<name> f-1"),
            "{}",
            d.detail
        );
    }

    #[test]
    fn the_provider_block_says_how_an_uploads_bound_grows() {
        let schema = crate::provider::config::schema();
        let described = |name: &str| {
            schema
                .block
                .attributes
                .iter()
                .find(|a| a.name == name)
                .map(|a| a.description.clone())
                .unwrap_or_default()
        };
        let rate = UPLOAD_BYTES_PER_SECOND / (1024 * 1024);
        let request = described("request_timeout");
        assert!(
            request.contains(&format!("plus the file's size at {rate} MiB a second")),
            "{request}"
        );
        let example = crate::client::knowledge_graph::upload_allowance(256 * 1024 * 1024);
        assert!(
            request.contains(&format!("a 256 MiB file: {}s more", example.as_secs())),
            "{request}"
        );
        assert!(
            request.contains("the upload's `retry_timeout` grows by the same"),
            "{request}"
        );
    }

    #[test]
    fn the_web_graph_refusal_names_ai_studio_and_import() {
        let d = web_graph_only_in_ai_studio();
        assert_eq!(
            d.summary,
            "A web Knowledge Graph can only be made in AI Studio"
        );
        assert!(d.detail.contains("Add Website"));
        assert!(d.detail.contains("to = writer_knowledge_graph.<name>"));
        assert!(several_graphs_named("Docs", &["a".into(), "b".into()])
            .detail
            .contains("2 Knowledge Graphs named `Docs`: `a`, `b`"));
    }
}
