//! `writer_knowledge_graph` when the state and Writer disagree, through the
//! real `terraform` and provider against the real `writer-emulator`:
//! - a graph Writer's API no longer shows (404: deleted, or deployed to one
//!   team, which the API cannot tell apart) leaves the state with a warning
//!   that names the graph, says both causes and how to tell them apart
//!   before an apply makes a second graph; the plan shows its create;
//! - a state whose `id` names nothing (empty) is never "deleted" without
//!   asking Writer: destroy fails with the provider-wide words and the graph
//!   stays in Writer.

use serde_json::Value;

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, Terraform, Workdir};

const CONFIG: &str = "resource \"writer_knowledge_graph\" \"handbook\" {\n  name = \"Handbook\"\n}\n\noutput \"id\" {\n  value = writer_knowledge_graph.handbook.id\n}\n";

/// Terraform's output with its line wrapping undone.
fn flat(out: &str) -> String {
    out.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A workdir with the graph applied; its ID.
fn applied(tf: Terraform, emu: &EmulatorProcess) -> (Workdir, String) {
    let w = Workdir::on_emulator(tf, emu, &(header("") + CONFIG), &[]);
    w.apply();
    let id = w.output("id");
    (w, id)
}

fn a_graph_the_api_no_longer_shows(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let (w, id) = applied(tf, &emu);
    // What a graph moved to one team looks like through the API: a 404.
    let (status, body) = emu.call("DELETE", &format!("/v1/graphs/{id}"), None);
    assert_eq!(status, 200, "{body}");
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "{plan}");
    let out = flat(&plan);
    for says in [
        "Warning: Knowledge Graph not found in Writer: deleted, or deployed to one team",
        &format!("the Knowledge Graph `Handbook` (ID `{id}`)"),
        "Either someone deleted it, or it is now deployed to one team",
        "\"All Teams\" access",
        "Before applying, look for `Handbook` in AI Studio",
        "applying would make a second graph",
        "run terraform plan again, which finds it and creates nothing",
        "1 to add, 0 to change, 0 to destroy",
    ] {
        assert!(out.contains(says), "{says:?} not in:\n{plan}");
    }
}

#[test]
fn a_state_without_an_id_is_never_deleted_without_asking_writer() {
    let emu = EmulatorProcess::start(&[]);
    let (w, id) = applied(Terraform::OnPath, &emu);
    let pulled = w.terraform(&["state", "pull"]).ok().stdout;
    let mut state: Value = serde_json::from_str(&pulled).unwrap();
    state["serial"] = Value::from(state["serial"].as_u64().unwrap() + 1);
    state["resources"][0]["instances"][0]["attributes"]["id"] = Value::from("");
    std::fs::write(w.path().join("edited.tfstate"), state.to_string()).unwrap();
    w.terraform(&["state", "push", "edited.tfstate"]).ok();
    // With a refresh the read stops it; without one, the delete does.
    for refresh in ["-refresh=true", "-refresh=false"] {
        let run = w.terraform(&[
            "destroy",
            "-auto-approve",
            "-input=false",
            "-no-color",
            refresh,
        ]);
        assert_ne!(run.status, 0, "{refresh}: {}", run.all());
        let out = flat(&run.all());
        for says in [
            "The state has no ID for this Knowledge Graph",
            "has no ID (`id` is empty)",
            "did not ask it",
            "terraform state rm writer_knowledge_graph.<name>",
        ] {
            assert!(
                out.contains(says),
                "{refresh}: {says:?} not in:\n{}",
                run.all()
            );
        }
    }
    let (status, body) = emu.call("GET", &format!("/v1/graphs/{id}"), None);
    assert_eq!(status, 200, "the graph must still be in Writer: {body}");
}

on_every_terraform!(a_graph_the_api_no_longer_shows);
