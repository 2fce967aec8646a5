//! `Workdir::state_attribute` reads the state file instead of running
//! `terraform show -json` (which starts Terraform and the provider for every
//! read): this holds it to what `show -json` prints, for every attribute of
//! every resource of a state with this provider's resources in the address
//! shapes tests use (plain, `count`, `for_each` with quoted keys, inside a
//! module).

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, Terraform, Workdir};

fn main_tf() -> String {
    format!(
        r#"{}
resource "writer_knowledge_graph" "plain" {{
  name        = "Engineering"
  description = "Runbooks, \"quoted\" and all"
}}
resource "writer_knowledge_graph" "counted" {{
  count = 2
  name  = "Team ${{count.index}}"
}}
resource "writer_knowledge_graph" "keyed" {{
  for_each = toset(["welcome", "a \"quoted\" key"])
  name     = each.key
}}
resource "writer_file" "doc" {{
  source    = "${{path.module}}/welcome.txt"
  graph_ids = [writer_knowledge_graph.plain.id]
}}
module "child" {{
  source = "./child"
}}
"#,
        header("")
    )
}

const CHILD_TF: &str = r#"
terraform {
  required_providers {
    writer = { source = "writer/writer" }
  }
}
resource "writer_knowledge_graph" "inner" {
  for_each = { one = "Inner" }
  name     = each.value
}
"#;

/// Every resource `show -json` lists (root and child modules), with its address and values.
fn shown(w: &Workdir) -> Vec<(String, serde_json::Map<String, serde_json::Value>)> {
    let show = w.terraform(&["show", "-json", "-no-color"]).ok();
    let doc: serde_json::Value = serde_json::from_str(&show.stdout).expect("show -json");
    let mut modules = vec![doc["values"]["root_module"].clone()];
    let mut found = Vec::new();
    while let Some(module) = modules.pop() {
        for resource in module["resources"].as_array().into_iter().flatten() {
            let values = resource["values"].as_object().cloned().unwrap_or_default();
            found.push((resource["address"].as_str().unwrap().to_owned(), values));
        }
        modules.extend(
            module["child_modules"]
                .as_array()
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    found
}

#[test]
fn state_attribute_reads_what_show_json_shows() {
    let emulator = EmulatorProcess::start(&[]);
    let mut w = Workdir::uninitialized_with(Terraform::OnPath, &main_tf());
    w.use_emulator(&emulator);
    std::fs::write(w.path().join("welcome.txt"), "Welcome aboard.\n").unwrap();
    std::fs::create_dir(w.path().join("child")).unwrap();
    std::fs::write(w.path().join("child").join("main.tf"), CHILD_TF).unwrap();
    w.init().ok();
    assert_eq!(
        w.state_attribute("writer_file.doc", "id"),
        serde_json::Value::Null
    );
    w.apply();

    let resources = shown(&w);
    let mut addresses: Vec<&str> = resources.iter().map(|(a, _)| a.as_str()).collect();
    addresses.sort_unstable();
    assert_eq!(
        addresses,
        [
            "module.child.writer_knowledge_graph.inner[\"one\"]",
            "writer_file.doc",
            "writer_knowledge_graph.counted[0]",
            "writer_knowledge_graph.counted[1]",
            "writer_knowledge_graph.keyed[\"a \\\"quoted\\\" key\"]",
            "writer_knowledge_graph.keyed[\"welcome\"]",
            "writer_knowledge_graph.plain",
        ]
    );
    for (address, values) in &resources {
        assert!(!values.is_empty(), "{address}");
        for (attribute, value) in values {
            assert_eq!(
                &w.state_attribute(address, attribute),
                value,
                "{address}.{attribute}"
            );
        }
    }
    assert_eq!(
        w.state_attribute("writer_knowledge_graph.plain", "no_such_attribute"),
        serde_json::Value::Null
    );
    assert_eq!(
        w.state_attribute("writer_knowledge_graph.absent", "name"),
        serde_json::Value::Null
    );
}
