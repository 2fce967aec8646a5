//! Adopting files that exist, with Terraform 1.15 (`terraform query` needs
//! 1.14): the `writer_file` list resource lists the files the key may see,
//! filtered by graph, status and type, up to Terraform's `limit`;
//! `-generate-config-out` writes a resource and an import block per file
//! whose `source` is a placeholder naming the file; that configuration's
//! plan fails at `source` with the fix; once each `source` names a local
//! copy, the plan imports the files
//! (the same content kept, a different one replaced), and after the apply
//! a re-plan is empty. The real provider binary, the real `terraform`, the
//! emulator on loopback.

use serde_json::json;

use super::acceptance_kg_file_import::upload;
use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, Terraform, Workdir};
use crate::support::ADMIN;

/// Terraform's output with its line wrapping undone.
fn flat(out: &str) -> String {
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn query(w: &Workdir, config: &str, extra: &[&str]) -> String {
    std::fs::write(w.path().join("files.tfquery.hcl"), config).unwrap();
    let mut args = vec!["query", "-no-color"];
    args.extend_from_slice(extra);
    w.terraform(&args).ok().stdout
}

#[test]
fn generated_configuration_names_the_missing_source_then_imports() {
    let emu = EmulatorProcess::start_with_args(&["--api-key", ADMIN, "--processing-ms", "100"]);
    let (status, body) = emu.call("POST", "/v1/graphs", Some(json!({"name": "Handbook"})));
    assert_eq!(status, 200, "{body}");
    let graph = body["id"].as_str().unwrap().to_owned();
    let handbook = upload(&emu, "handbook.txt", b"Leave: 30 days a year.\n");
    let faq = upload(&emu, "faq.txt", b"Q: Where is the office?\nA: Berlin.\n");
    let (status, body) = emu.call(
        "POST",
        &format!("/v1/graphs/{graph}/file"),
        Some(json!({"file_id": handbook})),
    );
    assert_eq!(status, 200, "{body}");

    let w = Workdir::on_emulator(Terraform::V1_15, &emu, &header(""), &[]);

    // The example lists (its second block filters by a graph that is not
    // here: nothing).
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/list-resources/writer_file/list-resource.tfquery.hcl");
    let listed = query(&w, &std::fs::read_to_string(example).unwrap(), &[]);
    for id in [&handbook, &faq] {
        assert!(listed.contains(id.as_str()), "{id}:\n{listed}");
    }
    // Writer's filters.
    let in_graph = query(
        &w,
        &format!(
            "list \"writer_file\" \"g\" {{\n  provider = writer\n  config {{\n    graph_id = \"{graph}\"\n  }}\n}}\n"
        ),
        &[],
    );
    assert!(in_graph.contains(&handbook), "{in_graph}");
    assert!(!in_graph.contains(&faq), "{in_graph}");
    let pdfs = query(
        &w,
        "list \"writer_file\" \"p\" {\n  provider = writer\n  config {\n    file_types = [\"pdf\"]\n    status = \"completed\"\n  }\n}\n",
        &[],
    );
    assert!(!pdfs.contains(&handbook) && !pdfs.contains(&faq), "{pdfs}");
    // Terraform's `limit` stops the listing (oldest first).
    let one = query(
        &w,
        "list \"writer_file\" \"one\" {\n  provider = writer\n  limit    = 1\n}\n",
        &[],
    );
    assert!(one.contains(&handbook) && !one.contains(&faq), "{one}");
    // A wrong filter is named before any listing.
    std::fs::write(
        w.path().join("files.tfquery.hcl"),
        "list \"writer_file\" \"s\" {\n  provider = writer\n  config {\n    status = \"done\"\n  }\n}\n",
    )
    .unwrap();
    let run = w.terraform(&["query", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(flat(&run.all()).contains("Invalid status"), "{}", run.all());

    query(
        &w,
        "list \"writer_file\" \"all\" {\n  provider = writer\n}\n",
        &["-generate-config-out=generated.tf"],
    );
    let generated = w.read("generated.tf");
    assert_eq!(
        generated.matches("resource \"writer_file\"").count(),
        2,
        "{generated}"
    );
    assert_eq!(generated.matches("import {").count(), 2, "{generated}");
    for name in ["handbook.txt", "faq.txt"] {
        assert!(
            generated.contains(&format!("\"<set the path of your local copy of {name}>\"")),
            "the placeholder names the file:\n{generated}"
        );
        assert!(
            generated.contains(&format!("\"{name}\"")),
            "the name is kept:\n{generated}"
        );
    }
    assert!(generated.contains(&graph), "graph_ids:\n{generated}");

    // Left as it is, the plan names the fix, at `source`.
    let run = w.terraform(&["plan", "-json", "-input=false", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    if let Some(m) = run.mismatch(
        "error",
        "source",
        &[
            "Set the path of the file's local copy",
            "handbook.txt",
            "path.module",
        ],
    ) {
        panic!("{m}");
    }

    // Each source set to a local copy: the same content is kept, a
    // different one replaced.
    std::fs::write(w.path().join("handbook.txt"), "Leave: 30 days a year.\n").unwrap();
    std::fs::write(
        w.path().join("faq.txt"),
        "Q: Where is the office?\nA: Hamburg.\n",
    )
    .unwrap();
    let fixed = generated
        .replace(
            "<set the path of your local copy of handbook.txt>",
            "${path.module}/handbook.txt",
        )
        .replace(
            "<set the path of your local copy of faq.txt>",
            "${path.module}/faq.txt",
        );
    std::fs::write(w.path().join("generated.tf"), fixed).unwrap();
    let plan = w
        .terraform(&["plan", "-input=false", "-no-color"])
        .ok()
        .stdout;
    let f = flat(&plan);
    assert!(
        f.contains("Plan: 2 to import, 1 to add, 1 to change, 1 to destroy."),
        "{plan}"
    );
    assert!(f.contains("must be replaced"), "{plan}");
    w.apply();
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "imported, nothing left to do:\n{plan}");
    let (status, body) = emu.call("GET", &format!("/v1/files/{handbook}"), None);
    assert_eq!(status, 200, "the same content is the same file: {body}");
    assert_eq!(emu.call("GET", &format!("/v1/files/{faq}"), None).0, 404);
}
