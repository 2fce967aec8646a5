//! Adopting Knowledge Graphs that exist, with Terraform 1.15 (`terraform
//! query` needs 1.14): every graph the key may see, a web graph with its
//! URLs included, is written as configuration by `-generate-config-out`,
//! and that configuration plans as imports only, then nothing. The real
//! provider binary, the real `terraform`, the emulator on loopback.

use serde_json::json;

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, Terraform, Workdir};
use crate::support::ADMIN;

#[test]
fn generated_configuration_imports_every_graph_and_changes_nothing() {
    let mut command = EmulatorProcess::command();
    command.args([
        "--api-key",
        ADMIN,
        "--processing-ms",
        "100",
        "--web-graph",
        "Docs site",
    ]);
    let (emu, lines) = EmulatorProcess::from_command_with_lines(command, 1);
    let web_id = lines[0].rsplit("id=").next().unwrap().to_owned();
    let (status, body) = emu.call(
        "PUT",
        &format!("/v1/graphs/{web_id}"),
        Some(
            json!({"urls": [{"url": "https://docs.example.com/", "type": "sub_pages",
                              "exclude_urls": ["https://docs.example.com/old"]}]}),
        ),
    );
    assert_eq!(status, 200, "{body}");
    let mut ids = vec![web_id];
    for name in ["Handbook", "Policies"] {
        let (status, body) = emu.call(
            "POST",
            "/v1/graphs",
            Some(json!({"name": name, "description": format!("{name} for everyone")})),
        );
        assert_eq!(status, 200, "{body}");
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let w = Workdir::on_emulator(Terraform::V1_15, &emu, &header(""), &[]);
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/list-resources/writer_knowledge_graph/list-resource.tfquery.hcl");
    std::fs::copy(example, w.path().join("graphs.tfquery.hcl")).unwrap();
    let run = w.terraform(&["query", "-no-color"]).ok();
    for id in &ids {
        assert!(run.stdout.contains(id.as_str()), "{id}:\n{}", run.stdout);
    }
    // Only the `all` block: the example's named one finds nothing here.
    let generated = w.adopt_all("writer_knowledge_graph", "graphs.tfquery.hcl", 3);
    assert!(
        generated.contains("https://docs.example.com/old"),
        "{generated}"
    );
}
