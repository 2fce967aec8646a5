//! Importing `writer_file` through the real `terraform`, the real provider
//! and the real `writer-emulator`, on Terraform 1.11 and 1.15: by ID with
//! `terraform import` and with an `import` block. The import downloads the
//! file from Writer and records the SHA-256 of its bytes, so the first plan
//! after it uploads nothing for a local copy with the same content (it only
//! records `source` and `content_type`, in place, the file's ID kept) and
//! replaces a file whose local copy differs (or whose name is not
//! Writer's); then a re-plan is empty. An ID Writer does not know is a
//! clear error; a download Writer refuses leaves a warning.

use sha2::{Digest, Sha256};

use crate::support::emulator::{block_on, client, EmulatorProcess};
use crate::support::fake_writer::{FakeWriter, Reply};
use crate::support::terraform::{header, Terraform, Workdir};
use crate::support::ADMIN;

/// Terraform's output with its line wrapping undone.
fn flat(out: &str) -> String {
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

const HANDBOOK: &[u8] = b"Leave: 30 days a year.\n";
const FAQ_IN_WRITER: &[u8] = b"Q: Where is the office?\nA: Berlin.\n";
const FAQ_LOCAL: &[u8] = b"Q: Where is the office?\nA: Hamburg.\n";

/// Uploads `bytes` as a person would with Writer's API (not the provider):
/// the new file's ID.
pub(crate) fn upload(emu: &EmulatorProcess, name: &str, bytes: &[u8]) -> String {
    let url = format!("{}/v1/files", emu.base_url);
    let body = bytes.to_vec();
    let (status, text) = block_on(async move {
        let resp = client()
            .post(url)
            .bearer_auth(ADMIN)
            .header("Content-Type", "text/plain")
            .header(
                "Content-Disposition",
                format!("attachment; filename=\"{name}\""),
            )
            .body(body)
            .send()
            .await
            .expect("the emulator answers");
        (
            resp.status().as_u16(),
            resp.text().await.unwrap_or_default(),
        )
    });
    assert_eq!(status, 200, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    v["id"].as_str().expect("an id").to_owned()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn config(imports: &str) -> String {
    header("")
        + "resource \"writer_file\" \"handbook\" {\n  source = \"${path.module}/handbook.txt\"\n}\n\n\
           resource \"writer_file\" \"faq\" {\n  source = \"${path.module}/faq.txt\"\n}\n\n\
           output \"handbook\" {\n  value = writer_file.handbook.id\n}\n\
           output \"faq\" {\n  value = writer_file.faq.id\n}\n"
        + imports
}

/// Two files in Writer, and a working directory whose local copy of one
/// is the same and of the other differs.
fn two_files(
    tf: Terraform,
    imports: impl Fn(&str, &str) -> String,
) -> (EmulatorProcess, Workdir, String, String) {
    let emu = EmulatorProcess::start_with_args(&["--api-key", ADMIN, "--processing-ms", "100"]);
    let handbook = upload(&emu, "handbook.txt", HANDBOOK);
    let faq = upload(&emu, "faq.txt", FAQ_IN_WRITER);
    let mut w = Workdir::uninitialized_with(tf, &config(&imports(&handbook, &faq)));
    std::fs::write(w.path().join("handbook.txt"), HANDBOOK).unwrap();
    std::fs::write(w.path().join("faq.txt"), FAQ_LOCAL).unwrap();
    w.use_emulator(&emu);
    w.terraform(&["init", "-input=false", "-no-color"]).ok();
    (emu, w, handbook, faq)
}

/// What the first plan after the import must show, then apply and re-plan.
fn same_kept_different_replaced(
    emu: &EmulatorProcess,
    w: &Workdir,
    handbook: &str,
    faq: &str,
    totals: &str,
) {
    let plan = w
        .terraform(&["plan", "-input=false", "-no-color"])
        .ok()
        .stdout;
    let f = flat(&plan);
    assert!(
        f.contains("# writer_file.handbook will be updated in-place"),
        "the same content is not uploaded again:\n{plan}"
    );
    assert!(
        f.contains("# writer_file.faq must be replaced"),
        "a different content replaces the file:\n{plan}"
    );
    assert!(f.contains(totals), "{totals}:\n{plan}");
    w.apply();
    assert_eq!(
        w.output("handbook"),
        handbook,
        "the same file, not uploaded again"
    );
    let replaced = w.output("faq");
    assert_ne!(replaced, faq);
    assert_eq!(
        emu.call("GET", &format!("/v1/files/{faq}"), None).0,
        404,
        "the old upload is deleted"
    );
    assert_eq!(
        w.state_attribute("writer_file.faq", "source_sha256"),
        sha256(FAQ_LOCAL)
    );
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "nothing left to do:\n{plan}");
}

fn importing_by_id(tf: Terraform) {
    let (emu, w, handbook, faq) = two_files(tf, |_, _| String::new());
    for (address, id) in [
        ("writer_file.handbook", &handbook),
        ("writer_file.faq", &faq),
    ] {
        w.terraform(&["import", "-input=false", "-no-color", address, id])
            .ok();
    }
    assert_eq!(
        w.state_attribute("writer_file.handbook", "source_sha256"),
        sha256(HANDBOOK),
        "the import hashes the file Writer gives back"
    );
    assert_eq!(
        w.state_attribute("writer_file.faq", "source_sha256"),
        sha256(FAQ_IN_WRITER)
    );
    assert_eq!(w.state_attribute("writer_file.faq", "name"), "faq.txt");

    // An ID Writer does not know: a clear error, nothing imported.
    let w2 = Workdir::uninitialized_with(tf, &config(""));
    let mut w2 = w2;
    w2.use_emulator(&emu);
    w2.terraform(&["init", "-input=false", "-no-color"]).ok();
    let run = w2.terraform(&[
        "import",
        "-input=false",
        "-no-color",
        "writer_file.faq",
        "no-such-file",
    ]);
    assert_ne!(run.status, 0, "{}", run.all());
    let out = flat(&run.all());
    assert!(out.contains("No file with this ID"), "{out}");
    assert!(out.contains("no-such-file"), "{out}");
    assert!(
        out.contains("list resource"),
        "the way to find the ID: {out}"
    );

    same_kept_different_replaced(
        &emu,
        &w,
        &handbook,
        &faq,
        "Plan: 1 to add, 1 to change, 1 to destroy.",
    );
}

fn importing_with_import_blocks(tf: Terraform) {
    let (emu, w, handbook, faq) = two_files(tf, |handbook, faq| {
        format!(
            "\nimport {{\n  to = writer_file.handbook\n  id = \"{handbook}\"\n}}\n\n\
             import {{\n  to = writer_file.faq\n  id = \"{faq}\"\n}}\n"
        )
    });
    same_kept_different_replaced(
        &emu,
        &w,
        &handbook,
        &faq,
        "Plan: 2 to import, 1 to add, 1 to change, 1 to destroy.",
    );
}

/// A name other than Writer's cannot change in place: the plan after the
/// import replaces the file until `name` says Writer's name.
#[test]
fn a_name_other_than_writers_replaces_the_imported_file() {
    let emu = EmulatorProcess::start_with_args(&["--api-key", ADMIN, "--processing-ms", "100"]);
    let id = upload(&emu, "Notes 2024.txt", HANDBOOK);
    let notes = |name: &str| {
        header("")
            + &format!(
                "resource \"writer_file\" \"notes\" {{\n  source = \"${{path.module}}/notes.txt\"\n{name}}}\n"
            )
    };
    let mut w = Workdir::uninitialized(&notes(""));
    std::fs::write(w.path().join("notes.txt"), HANDBOOK).unwrap();
    w.use_emulator(&emu);
    w.terraform(&["init", "-input=false", "-no-color"]).ok();
    w.terraform(&[
        "import",
        "-input=false",
        "-no-color",
        "writer_file.notes",
        &id,
    ])
    .ok();
    let plan = w
        .terraform(&["plan", "-input=false", "-no-color"])
        .ok()
        .stdout;
    let f = flat(&plan);
    assert!(f.contains("# writer_file.notes must be replaced"), "{plan}");
    assert!(
        f.contains("\"Notes 2024.txt\" -> \"notes.txt\" # forces replacement"),
        "{plan}"
    );
    w.write(&notes("  name   = \"Notes 2024.txt\"\n"));
    let plan = w
        .terraform(&["plan", "-input=false", "-no-color"])
        .ok()
        .stdout;
    assert!(
        flat(&plan).contains("# writer_file.notes will be updated in-place"),
        "Writer's name kept: {plan}"
    );
}

#[test]
fn a_file_writer_will_not_give_back_is_imported_with_a_warning() {
    let fake = FakeWriter::start(|r, _| {
        if r.path.ends_with("/download") {
            Reply::writer_error(403, "the agent may not download files")
        } else {
            Reply::json(
                200,
                serde_json::json!({"id": "f-1", "created_at": "2026-01-01T00:00:00Z",
                    "name": "handbook.txt", "graph_ids": [], "status": "completed"}),
            )
        }
    });
    let mut w = Workdir::new(&config(""));
    w.set_env("WRITER_API_KEY", ADMIN);
    w.set_env("WRITER_BASE_URL", fake.base.as_str());
    let run = w
        .terraform(&[
            "import",
            "-input=false",
            "-no-color",
            "writer_file.handbook",
            "f-1",
        ])
        .ok();
    let out = flat(&run.all());
    assert!(
        out.contains("The imported file's content was not compared"),
        "{out}"
    );
    assert!(out.contains("without comparing"), "{out}");
    assert!(
        out.contains("Writer refused the download (HTTP 403)")
            && out.contains("Knowledge Graph capability")
            && !out.contains("OAuth"),
        "in this family's words: {out}"
    );
    assert_eq!(
        w.state_attribute("writer_file.handbook", "source_sha256"),
        serde_json::Value::Null
    );
    assert!(
        fake.requests()
            .iter()
            .any(|r| r.path == "/v1/files/f-1/download"),
        "the download was asked for"
    );
}

on_every_terraform!(importing_by_id, importing_with_import_blocks);
