//! `writer_application_knowledge_graphs` and the data source
//! `writer_knowledge_graph` through the real `terraform`, the real provider
//! and the real `writer-emulator` (a chat agent and a web graph seeded as AI
//! Studio would make them), on Terraform 1.11 and 1.15: the agent's list set
//! from a managed graph and a data source, an empty re-plan, a graph added
//! in AI Studio as drift (`plan -detailed-exitcode` exit 2) and its repair,
//! destroy emptying the list; an ID that is no chat agent an error saying so.

use serde_json::json;

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, Terraform, Workdir};
use crate::support::ADMIN;

fn seeded_id(line: &str) -> String {
    line.rsplit("id=").next().unwrap().to_owned()
}

fn config(agent: &str) -> String {
    header("")
        + &format!(
            "resource \"writer_knowledge_graph\" \"handbook\" {{\n  name = \"Handbook\"\n}}\n\ndata \"writer_knowledge_graph\" \"docs\" {{\n  name = \"Docs site\"\n}}\n\nresource \"writer_application_knowledge_graphs\" \"support\" {{\n  application_id = \"{agent}\"\n  graph_ids = [writer_knowledge_graph.handbook.id, data.writer_knowledge_graph.docs.id]\n}}\n\noutput \"handbook\" {{\n  value = writer_knowledge_graph.handbook.id\n}}\n\noutput \"docs_type\" {{\n  value = data.writer_knowledge_graph.docs.type\n}}\n"
        )
}

fn agent_lifecycle(tf: Terraform) {
    let mut command = EmulatorProcess::command();
    command.args([
        "--api-key",
        ADMIN,
        "--web-graph",
        "Docs site",
        "--chat-agent",
        "Support bot",
    ]);
    let (emu, lines) = EmulatorProcess::from_command_with_lines(command, 2);
    let web_id = seeded_id(&lines[0]);
    assert!(
        lines[1].starts_with("seeded chat agent \"Support bot\""),
        "{lines:?}"
    );
    let agent = seeded_id(&lines[1]);
    let graphs = |emu: &EmulatorProcess| {
        let (status, body) = emu.call("GET", &format!("/v1/applications/{agent}/graphs"), None);
        assert_eq!(status, 200, "{body}");
        let mut ids: Vec<String> = body["graph_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };

    let w = Workdir::on_emulator(tf, &emu, &config(&agent), &[]);
    w.apply();
    let handbook = w.output("handbook");
    assert_eq!(w.output("docs_type"), "web");
    let mut expected = vec![handbook.clone(), web_id.clone()];
    expected.sort();
    assert_eq!(graphs(&emu), expected);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "re-plan:\n{plan}");

    // A graph taken off the agent in AI Studio is drift.
    let (status, body) = emu.call(
        "PUT",
        &format!("/v1/applications/{agent}/graphs"),
        Some(json!({"graph_ids": [web_id]})),
    );
    assert_eq!(status, 200, "{body}");
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "drift must show:\n{plan}");
    assert!(plan.contains(&handbook), "{plan}");
    w.apply();
    assert_eq!(graphs(&emu), expected);

    w.terraform(&["destroy", "-auto-approve", "-input=false", "-no-color"])
        .ok();
    assert!(graphs(&emu).is_empty(), "destroy empties the agent's list");
    let (status, _) = emu.call("GET", &format!("/v1/graphs/{handbook}"), None);
    assert_eq!(status, 404);
    let (status, _) = emu.call("GET", &format!("/v1/graphs/{web_id}"), None);
    assert_eq!(
        status, 200,
        "the data source's graph is not Terraform's to delete"
    );
}

#[test]
fn an_id_that_is_no_chat_agent_is_an_error_saying_so() {
    let emu = EmulatorProcess::start(&[]);
    let mut w = Workdir::uninitialized(
        &(header("")
            + "resource \"writer_application_knowledge_graphs\" \"x\" {\n  application_id = \"no-such-agent\"\n  graph_ids = []\n}\n"),
    );
    w.use_emulator(&emu);
    w.terraform(&["init", "-input=false", "-no-color"]).ok();
    let run = w.terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = run.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.contains("No chat agent with this ID"), "{out}");
    assert!(out.contains("not a no-code agent with chat"), "{out}");
}

#[test]
fn the_data_source_needs_exactly_one_of_id_and_name() {
    let w = Workdir::new(
        &(header("")
            + "data \"writer_knowledge_graph\" \"x\" {\n  id = \"a\"\n  name = \"b\"\n}\n"),
    );
    let run = w.terraform(&["validate", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(run.all().contains("Give id or name"), "{}", run.all());
}

on_every_terraform!(agent_lifecycle);
