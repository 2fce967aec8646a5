//! The guide "Knowledge Graph as code" is real: its configuration
//! (`examples/guides/knowledge-graph-as-code/`, the folder of documents
//! included) is formatted, validates, and applies through the real
//! `terraform` and the real provider against the real `writer-emulator`
//! seeded with what only AI Studio makes (a web graph, a chat agent), on
//! Terraform 1.11 and 1.15: the folder uploaded with `fileset` and
//! `for_each` (Markdown as text), the web graph adopted by its `import`
//! block and its URLs set, the chat agent answering from both graphs; a
//! re-plan is empty. Then the CI drift job the guide describes
//! (`examples/ci/drift-check.sh`, as CI runs it) exits 2 with a summary
//! naming a graph renamed, a file taken out of a graph and the agent's
//! graphs changed in Writer, the
//! apply restores them, the job exits 0, and destroy leaves no file.

use std::path::Path;

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{Terraform, Workdir};
use crate::support::ADMIN;

fn guide_dir() -> std::path::PathBuf {
    crate::support::root().join("examples/guides/knowledge-graph-as-code")
}

/// Copies `from` into `to`, folders included.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

fn the_guide_applies_and_its_drift_job_sees_graphs(tf: Terraform) {
    let mut command = EmulatorProcess::command();
    command.args([
        "--api-key",
        ADMIN,
        "--processing-ms",
        "100",
        "--web-graph",
        "Docs site",
        "--chat-agent",
        "Support",
    ]);
    let (emu, lines) = EmulatorProcess::from_command_with_lines(command, 2);
    let id_of = |line: &str| line.rsplit("id=").next().unwrap().to_owned();
    let (web, agent) = (id_of(&lines[0]), id_of(&lines[1]));

    let mut w = Workdir::uninitialized_with(tf, "");
    copy_tree(&guide_dir(), w.path());
    w.use_emulator(&emu);
    w.set_env("TF_VAR_support_agent_id", &agent);
    let fmt = w.terraform(&["fmt", "-check", "-diff", "-recursive", "-no-color"]);
    assert_eq!(fmt.status, 0, "terraform fmt -check:\n{}", fmt.all());
    w.terraform(&["init", "-input=false", "-no-color"]).ok();
    let validate = w.terraform(&["validate", "-json", "-no-color"]);
    assert!(
        validate.status == 0 && validate.diagnostics().is_empty(),
        "{}",
        validate.all()
    );
    let plan = w
        .terraform(&["plan", "-input=false", "-no-color"])
        .ok()
        .stdout;
    assert!(
        plan.contains("Plan: 1 to import, 5 to add, 1 to change, 0 to destroy."),
        "{plan}"
    );
    w.apply();

    let handbook = w.state_attribute("writer_knowledge_graph.handbook", "id");
    let handbook = handbook.as_str().unwrap().to_owned();
    assert_eq!(
        w.state_attribute("writer_knowledge_graph.docs_site", "id"),
        web.as_str()
    );
    let (status, body) = emu.call("GET", &format!("/v1/applications/{agent}/graphs"), None);
    assert_eq!(status, 200, "{body}");
    let mut both = vec![handbook.clone(), web.clone()];
    both.sort();
    assert_eq!(ids(&body["graph_ids"]), both, "the agent answers from both");
    let (status, body) = emu.call("GET", &format!("/v1/graphs/{web}"), None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["urls"].as_array().map(Vec::len), Some(2), "{body}");
    let (status, body) = emu.call(
        "GET",
        &format!("/v1/files?graph_id={handbook}&limit=100"),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let mut names: Vec<String> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["expenses.txt", "first-week.md", "leave.md"]);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "re-plan:\n{plan}");

    // Changed by hand in Writer: the drift job names it.
    let (status, body) = emu.call(
        "PUT",
        &format!("/v1/graphs/{handbook}"),
        Some(serde_json::json!({"name": "Renamed by hand"})),
    );
    assert_eq!(status, 200, "{body}");
    let leave = w.state_attribute("writer_file.handbook[\"leave.md\"]", "id");
    let leave = leave.as_str().unwrap().to_owned();
    let (status, body) = emu.call(
        "DELETE",
        &format!("/v1/graphs/{handbook}/file/{leave}"),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = emu.call(
        "PUT",
        &format!("/v1/applications/{agent}/graphs"),
        Some(serde_json::json!({"graph_ids": [web]})),
    );
    assert_eq!(status, 200, "{body}");
    let script = crate::support::root().join("examples/ci/drift-check.sh");
    let drift = w.run_script(&script);
    assert_eq!(drift.status, 2, "drift:\n{}", drift.all());
    let summary = w.read("drift-summary.md");
    for says in [
        "## Drift: 3 resource(s) in Writer differ from the configuration",
        "- `writer_application_knowledge_graphs.support_agent`: apply would update it",
        "- `writer_knowledge_graph.handbook`: apply would update it",
        "  - `name`: Writer has \"Renamed by hand\", the configuration says \"Employee handbook\"",
        "- `writer_file.handbook[\"leave.md\"]`: apply would update it",
        "  - `graph_ids`",
    ] {
        assert!(
            summary.contains(says),
            "{says:?} not in the summary:\n{summary}"
        );
    }
    assert!(!drift.all().contains(ADMIN), "the key is never shown");
    w.apply();
    let clean = w.run_script(&script);
    assert_eq!(clean.status, 0, "restored:\n{}", clean.all());

    w.terraform(&["destroy", "-auto-approve", "-input=false", "-no-color"])
        .ok();
    let (status, body) = emu.call("GET", "/v1/files", None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"].as_array().unwrap().len(), 0, "{body}");
    let (_, body) = emu.call("GET", &format!("/v1/applications/{agent}/graphs"), None);
    assert_eq!(ids(&body["graph_ids"]), Vec::<String>::new(), "{body}");
}

on_every_terraform!(the_guide_applies_and_its_drift_job_sees_graphs);
