//! `writer_file` through the real `terraform` and the real provider: the
//! plan-time mistakes (a missing source, a type Writer does not take, a
//! name no header can carry) before any call to Writer (a scripted fake
//! Writer counts the calls: none); the lifecycle against the real
//! `writer-emulator` on Terraform 1.11 and 1.15: files uploaded from a
//! folder into graphs (a Unicode name, Markdown as text, one file in two
//! graphs), an empty re-plan, a file taken out of a graph in Writer as
//! drift (`plan -detailed-exitcode` exit 2) and its repair, `graph_ids`
//! changed in place (same ID), a changed content replacing the file (new
//! upload first, then the old one deleted), a failed processing an error
//! with the retry hint, destroy leaving no file.

use crate::support::emulator::EmulatorProcess;
use crate::support::fake_writer::{FakeWriter, Reply};
use crate::support::terraform::{header, Terraform, Workdir};
use crate::support::ADMIN;

/// Terraform's output with its line wrapping undone.
fn flat(out: &str) -> String {
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn file(body: &str) -> String {
    format!(
        "{}resource \"writer_file\" \"f\" {{\n{body}\n}}\n",
        header("")
    )
}

#[test]
fn plan_time_mistakes_are_named_before_any_call_to_writer() {
    let fake = FakeWriter::start(|_, _| Reply::writer_error(500, "no call was expected"));
    let mut w = Workdir::new(&file("  source = \"${path.module}/notes.txt\""));
    std::fs::write(w.path().join("notes.txt"), "hello").unwrap();
    std::fs::write(w.path().join("guide.md"), "# Guide").unwrap();
    w.set_env("WRITER_API_KEY", ADMIN);
    w.set_env("WRITER_BASE_URL", fake.base.as_str());
    let cases: [(&str, &str, &str, &[&str]); 4] = [
        (
            "a source that does not exist",
            "  source = \"${path.module}/missing.pdf\"",
            "source",
            &[
                "Cannot read the file to upload",
                "missing.pdf",
                "path.module",
            ],
        ),
        (
            "Markdown without a content type",
            "  source = \"${path.module}/guide.md\"",
            "source",
            &[
                "Writer does not take .md files",
                // (JSON-escaped quotes around the value)
                "set `content_type = ",
                "text/plain",
            ],
        ),
        (
            "a content type that is no media type",
            "  source = \"${path.module}/notes.txt\"\n  content_type = \"plain text\"",
            "content_type",
            &["Invalid content_type", "type/subtype"],
        ),
        (
            "a name with a line break",
            "  source = \"${path.module}/notes.txt\"\n  name = \"a\\nb.txt\"",
            "name",
            &["control character"],
        ),
    ];
    let mut wrong = Vec::new();
    for (what, body, attribute, says) in cases {
        w.write(&file(body));
        let run = w.terraform(&["plan", "-json", "-input=false", "-no-color"]);
        if let Some(m) = run.mismatch("error", attribute, says) {
            wrong.push(format!("{what}: {m}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    assert_eq!(fake.count(), 0, "calls made: {:?}", fake.requests());
}

fn files_config(handbook_graphs: &str) -> String {
    header("")
        + &format!(
            "resource \"writer_knowledge_graph\" \"a\" {{\n  name = \"Policies\"\n}}\n\n\
             resource \"writer_knowledge_graph\" \"b\" {{\n  name = \"Onboarding\"\n}}\n\n\
             resource \"writer_file\" \"handbook\" {{\n  source = \"${{path.module}}/docs/handbook.txt\"\n  graph_ids = {handbook_graphs}\n  lifecycle {{\n    create_before_destroy = true\n  }}\n}}\n\n\
             resource \"writer_file\" \"guide\" {{\n  source = \"${{path.module}}/docs/guide.md\"\n  name = \"Übersicht – \\\"2024\\\".md\"\n  content_type = \"text/plain\"\n  graph_ids = [writer_knowledge_graph.a.id, writer_knowledge_graph.b.id]\n}}\n\n\
             output \"a\" {{\n  value = writer_knowledge_graph.a.id\n}}\n\
             output \"b\" {{\n  value = writer_knowledge_graph.b.id\n}}\n\
             output \"handbook\" {{\n  value = writer_file.handbook.id\n}}\n\
             output \"guide\" {{\n  value = writer_file.guide.id\n}}\n"
        )
}

fn graph_ids(file: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = file["graph_ids"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn file_lifecycle(tf: Terraform) {
    let emu = EmulatorProcess::start_with_args(&["--api-key", ADMIN, "--processing-ms", "300"]);
    let mut w = Workdir::uninitialized_with(tf, &files_config("[writer_knowledge_graph.a.id]"));
    let docs = w.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("handbook.txt"), "Leave: 30 days a year.\n").unwrap();
    std::fs::write(docs.join("guide.md"), "# Erste Woche\n").unwrap();
    w.use_emulator(&emu);
    w.terraform(&["init", "-input=false", "-no-color"]).ok();
    w.apply();
    let (a, b) = (w.output("a"), w.output("b"));
    let handbook = w.output("handbook");
    let guide = w.output("guide");
    let get = |id: &str| emu.call("GET", &format!("/v1/files/{id}"), None);
    let (status, body) = get(&handbook);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "handbook.txt");
    assert_eq!(body["status"], "completed", "the apply waited: {body}");
    assert_eq!(graph_ids(&body), vec![a.clone()]);
    let (status, body) = get(&guide);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "Übersicht – \"2024\".md");
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    assert_eq!(graph_ids(&body), both);
    assert_eq!(
        w.state_attribute("writer_file.handbook", "status"),
        "completed"
    );
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "re-plan:\n{plan}");

    // Taken out of a graph in AI Studio: drift, and its repair.
    let (status, body) = emu.call("DELETE", &format!("/v1/graphs/{b}/file/{guide}"), None);
    assert_eq!(status, 200, "{body}");
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "drift must show:\n{plan}");
    assert!(plan.contains(&b), "{plan}");
    w.apply();
    assert_eq!(graph_ids(&get(&guide).1), both);

    // graph_ids in place: the same file, now in both graphs.
    w.write(&files_config(
        "[writer_knowledge_graph.a.id, writer_knowledge_graph.b.id]",
    ));
    let plan = w
        .terraform(&["plan", "-input=false", "-no-color"])
        .ok()
        .stdout;
    assert!(plan.contains("1 to change, 0 to destroy"), "{plan}");
    w.apply();
    assert_eq!(w.output("handbook"), handbook);
    assert_eq!(graph_ids(&get(&handbook).1), both);

    // A new content replaces the file: the new one first, in both graphs.
    std::fs::write(docs.join("handbook.txt"), "Leave: 32 days a year.\n").unwrap();
    let plan = w
        .terraform(&["plan", "-input=false", "-no-color"])
        .ok()
        .stdout;
    assert!(
        flat(&plan).contains("# writer_file.handbook must be replaced"),
        "{plan}"
    );
    assert!(plan.contains("source_sha256"), "{plan}");
    w.apply();
    let replaced = w.output("handbook");
    assert_ne!(replaced, handbook);
    assert_eq!(get(&handbook).0, 404, "the old upload is deleted");
    let (status, body) = get(&replaced);
    assert_eq!(status, 200, "{body}");
    assert_eq!(graph_ids(&body), both);
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "re-plan after the replacement:\n{plan}");

    w.terraform(&["destroy", "-auto-approve", "-input=false", "-no-color"])
        .ok();
    let (status, body) = emu.call("GET", "/v1/files", None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"].as_array().unwrap().len(), 0, "{body}");
}

#[test]
fn a_failed_processing_is_an_error_and_the_next_apply_uploads_again() {
    let emu = EmulatorProcess::start_with_args(&[
        "--api-key",
        ADMIN,
        "--processing-ms",
        "100",
        "--file-fail-rate",
        "1",
    ]);
    let mut w = Workdir::uninitialized(&file("  source = \"${path.module}/scan.pdf\""));
    std::fs::write(w.path().join("scan.pdf"), "%PDF-1.4 not really").unwrap();
    w.use_emulator(&emu);
    w.terraform(&["init", "-input=false", "-no-color"]).ok();
    let run = w.terraform(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = flat(&run.all());
    assert!(out.contains("Writer could not process the file"), "{out}");
    assert!(out.contains("apply again to upload it again"), "{out}");
    let plan = w
        .terraform(&["plan", "-input=false", "-no-color"])
        .ok()
        .stdout;
    assert!(
        flat(&plan).contains("is tainted, so must be replaced"),
        "{plan}"
    );
}

on_every_terraform!(file_lifecycle);
