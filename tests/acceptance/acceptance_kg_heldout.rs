//! Issue 23's held-out configuration: what a platform team would write to
//! keep its documents in Writer's Knowledge Graphs, run whole through the
//! real `terraform` (1.11 and 1.15) and the real provider, against each
//! Writer we have: our emulator, and the Writer that follows only the
//! published documentation (`tests/published_writer`).
//!
//! The configuration: sixty documents of a folder (text, HTML, CSV, PDF,
//! subtitles, Markdown uploaded as text) by `fileset` and `for_each`, two
//! manual graphs, one file in both, a web graph made in AI Studio adopted by
//! an `import` block with its URLs managed (one of them on a host Writer
//! cannot read), and a chat agent's graphs. The scenario, each step checked
//! in Terraform's plan (`terraform show -json` of the saved plan: exactly
//! these resources, these actions) and in Writer, read back over HTTP:
//! apply (the unreadable URL a warning naming it and why; Writer holding a
//! PDF, a Markdown file and a text as on disk); an empty re-plan (the
//! warning again); drift made in Writer (a file taken out of a graph, a
//! graph renamed, the agent's list changed) is `plan -detailed-exitcode`
//! exit 2 naming those three and only those, and the apply of that plan
//! restores them; a document whose content changed is replaced (the new
//! upload, then the old file deleted; Writer holds the new bytes); destroy
//! leaves nothing: no file, no graph, the agent's list empty. The web graph made in AI Studio is
//! deleted too: once imported it is Terraform's, as every resource it
//! manages. At every step Writer holds each document once, and each graph:
//! no upload or create was repeated blindly.
//!
//! The published Writer also refuses every 50th request with 429 and
//! `Retry-After: 1`, as Writer's documented 400 requests a minute would
//! refuse a configuration of this size: the provider waits and asks again,
//! and the scenario holds all the same.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use serde_json::{json, Value};

use crate::support::emulator::{block_on, client, EmulatorProcess};
use crate::support::published_writer::PublishedWriter;
use crate::support::terraform::{header, Run, Terraform, Workdir};
use crate::support::ADMIN;

const WEB_GRAPH: &str = "Docs site";
const CHAT_AGENT: &str = "Support bot";
/// The URL Writer cannot read (a login page), and the reason in words.
const UNREADABLE_URL: &str = "https://intranet.unreadable.example/handbook";
const UNREADABLE_WORDS: &str = "the page is behind a paywall or a login";
/// The one document in both graphs.
const SHARED_DOC: &str = "welcome.txt";
/// The document whose content changes.
const CHANGED_DOC: &str = "policy-07.txt";
const HANDBOOK: &str = "Handbook";
const ONBOARDING: &str = "Onboarding";
const DOCUMENTS: usize = 60;

/// What the scenario needs of a Writer: where it is, the key it takes, and
/// a call as a person in AI Studio would make it (not the provider's client).
trait Writer {
    fn base_url(&self) -> String;
    fn api_key(&self) -> String;
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value);
}

impl Writer for EmulatorProcess {
    fn base_url(&self) -> String {
        self.base_url.clone()
    }

    fn api_key(&self) -> String {
        ADMIN.to_owned()
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        EmulatorProcess::call(self, method, path, body)
    }
}

impl Writer for PublishedWriter {
    fn base_url(&self) -> String {
        PublishedWriter::base_url(self)
    }

    fn api_key(&self) -> String {
        PublishedWriter::api_key(self).to_owned()
    }

    /// Waits out a 429 (a refusal: nothing was done) and asks again, as a
    /// person would; `Retry-After` is 1 s here.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        for _ in 0..10 {
            let (status, answer) = PublishedWriter::call(self, method, path, body.clone());
            if status != 429 {
                return (status, answer);
            }
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
        panic!("the published Writer kept answering 429 to {method} {path}");
    }
}

/// A Writer with the web graph and the chat agent AI Studio would have made.
struct Seeded {
    writer: Box<dyn Writer>,
    web_graph: String,
    agent: String,
}

/// The ID on a seed line `seeded KIND "NAME" id=ID` among `lines`.
fn seed_id(lines: &[String], kind: &str, name: &str) -> String {
    let prefix = format!("seeded {kind} \"{name}\" id=");
    lines
        .iter()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no line `{prefix}...` in {lines:?}"))
        .to_owned()
}

fn emulator() -> Seeded {
    let mut command = EmulatorProcess::command();
    command.args([
        "--api-key",
        ADMIN,
        "--processing-ms",
        "200",
        "--web-graph",
        WEB_GRAPH,
        "--chat-agent",
        CHAT_AGENT,
    ]);
    let (emu, lines) = EmulatorProcess::from_command_with_lines(command, 2);
    Seeded {
        web_graph: seed_id(&lines, "web graph", WEB_GRAPH),
        agent: seed_id(&lines, "chat agent", CHAT_AGENT),
        writer: Box::new(emu),
    }
}

/// The published Writer: a file is `in_progress` for two reads, a URL
/// `validating` for two reads of its graph; every 50th request a 429.
fn published_writer() -> Seeded {
    let writer = PublishedWriter::start(&[
        "--web-graph",
        WEB_GRAPH,
        "--chat-agent",
        CHAT_AGENT,
        "--polls-to-settle",
        "2",
        "--rate-limit-every",
        "50",
    ]);
    Seeded {
        web_graph: writer.seeded(WEB_GRAPH),
        agent: writer.seeded(CHAT_AGENT),
        writer: Box::new(writer),
    }
}

// ---- the configuration, as a user writes it ----

fn configuration(web_graph: &str, agent: &str) -> String {
    header("")
        + &format!(
            r#"locals {{
  # Made in AI Studio: the web graph (Add Website) and the support chat agent.
  docs_site_graph_id = "{web_graph}"
  support_bot_id     = "{agent}"

  # Writer takes no Markdown: upload it as plain text.
  content_types = {{ md = "text/plain" }}

  # New hires read this one too.
  onboarding_docs = ["{SHARED_DOC}"]
}}

resource "writer_knowledge_graph" "handbook" {{
  name        = "{HANDBOOK}"
  description = "Policies, how-tos, prices and contracts"
}}

resource "writer_knowledge_graph" "onboarding" {{
  name        = "{ONBOARDING}"
  description = "What a new hire reads in the first week"
}}

import {{
  to = writer_knowledge_graph.docs_site
  id = local.docs_site_graph_id
}}

resource "writer_knowledge_graph" "docs_site" {{
  name = "{WEB_GRAPH}"
  web_urls = [
    {{
      url          = "https://docs.example.com/"
      type         = "sub_pages"
      exclude_urls = ["https://docs.example.com/archive/"]
    }},
    {{
      url  = "{UNREADABLE_URL}"
      type = "single_page"
    }},
  ]
}}

resource "writer_file" "doc" {{
  for_each = fileset("${{path.module}}/docs", "*")

  source       = "${{path.module}}/docs/${{each.key}}"
  content_type = lookup(local.content_types, reverse(split(".", each.key))[0], null)
  graph_ids = concat(
    [writer_knowledge_graph.handbook.id],
    contains(local.onboarding_docs, each.key) ? [writer_knowledge_graph.onboarding.id] : [],
  )

  lifecycle {{
    create_before_destroy = true
  }}
}}

resource "writer_application_knowledge_graphs" "support_bot" {{
  application_id = local.support_bot_id
  graph_ids = [
    writer_knowledge_graph.handbook.id,
    writer_knowledge_graph.onboarding.id,
    writer_knowledge_graph.docs_site.id,
  ]
}}

output "handbook" {{
  value = writer_knowledge_graph.handbook.id
}}

output "onboarding" {{
  value = writer_knowledge_graph.onboarding.id
}}

output "files" {{
  value = {{ for name, f in writer_file.doc : name => f.id }}
}}
"#
        )
}

/// The folder of documents: [`DOCUMENTS`] files of the kinds a handbook
/// holds, each with a content of its own.
fn write_documents(dir: &std::path::Path) -> BTreeSet<String> {
    std::fs::create_dir_all(dir).expect("the documents' folder");
    let mut names = BTreeSet::new();
    let mut put = |name: String, content: Vec<u8>| {
        std::fs::write(dir.join(&name), content).expect("a document");
        names.insert(name);
    };
    put(
        SHARED_DOC.to_owned(),
        b"Welcome to the team. Start with the handbook.\n".to_vec(),
    );
    for i in 1..=15 {
        put(
            format!("policy-{i:02}.txt"),
            format!("Policy {i}: what applies and to whom.\n").into_bytes(),
        );
    }
    for i in 1..=10 {
        put(
            format!("howto-{i:02}.html"),
            format!("<!doctype html><title>How-to {i}</title><p>Step one of task {i}.</p>\n")
                .into_bytes(),
        );
        put(
            format!("prices-{i:02}.csv"),
            format!("product,price\nplan-{i},{}\n", 10 * i).into_bytes(),
        );
        let mut pdf = format!("%PDF-1.4\n% contract {i}\n").into_bytes();
        pdf.extend_from_slice(&[0xe2, 0xe3, 0xcf, 0xd3, b'\n']);
        pdf.extend_from_slice(b"1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
        put(format!("contract-{i:02}.pdf"), pdf);
        put(
            format!("notes-{i:02}.md"),
            format!("# Meeting notes {i}\n\n- decided: item {i}\n").into_bytes(),
        );
    }
    for i in 1..=4 {
        put(
            format!("training-{i:02}.srt"),
            format!(
                "1\n00:00:0{i},000 --> 00:00:0{},000\nPart {i} of the training.\n",
                i + 1
            )
            .into_bytes(),
        );
    }
    assert_eq!(names.len(), DOCUMENTS);
    names
}

// ---- Terraform's side ----

/// A saved plan: `plan -detailed-exitcode`'s exit code and text, and the
/// changes it holds other than no-ops, by address (`terraform show -json`).
struct Planned {
    code: i32,
    text: String,
    changes: BTreeMap<String, Value>,
}

impl Planned {
    /// Address -> actions, e.g. `["create", "delete"]`.
    fn actions(&self) -> BTreeMap<String, Vec<String>> {
        self.changes
            .iter()
            .map(|(address, change)| {
                let actions = change["actions"]
                    .as_array()
                    .unwrap_or(&Vec::new())
                    .iter()
                    .map(|a| a.as_str().unwrap_or_default().to_owned())
                    .collect();
                (address.clone(), actions)
            })
            .collect()
    }
}

fn plan(w: &Workdir) -> Planned {
    let run = w.terraform(&[
        "plan",
        "-input=false",
        "-no-color",
        "-detailed-exitcode",
        "-out=tfplan",
    ]);
    assert!(
        run.status == 0 || run.status == 2,
        "plan failed:\n{}",
        run.all()
    );
    let show = w.terraform(&["show", "-json", "-no-color", "tfplan"]).ok();
    let doc: Value = serde_json::from_str(&show.stdout).expect("show -json of the plan");
    let changes = doc["resource_changes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c["change"]["actions"] != json!(["no-op"]))
        .map(|c| {
            (
                c["address"].as_str().expect("an address").to_owned(),
                c["change"].clone(),
            )
        })
        .collect();
    Planned {
        code: run.status,
        text: run.all(),
        changes,
    }
}

/// Applies the saved plan: exactly what was checked.
fn apply_plan(w: &Workdir) -> Run {
    w.terraform(&["apply", "-input=false", "-no-color", "tfplan"])
        .ok()
}

fn doc_address(name: &str) -> String {
    format!("writer_file.doc[\"{name}\"]")
}

/// Terraform's output with its line wrapping undone.
fn flat(out: &str) -> String {
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The warning about the unreadable URL, in `out`: or what was said instead.
fn assert_warns_of_the_unreadable_url(out: &str, when: &str) {
    let out = flat(out);
    assert!(
        out.contains("Warning: Writer could not read a web URL")
            && out.contains(&format!(
                "Writer could not read `{UNREADABLE_URL}`: {UNREADABLE_WORDS}"
            )),
        "{when}: the unreadable URL must be a warning naming it and why:\n{out}"
    );
}

/// The outputs: the two graphs' IDs and each document's file ID.
struct Outputs {
    handbook: String,
    onboarding: String,
    files: BTreeMap<String, String>,
}

fn outputs(w: &Workdir) -> Outputs {
    let run = w.terraform(&["output", "-json", "-no-color"]).ok();
    let doc: Value = serde_json::from_str(&run.stdout).expect("output -json");
    let text = |v: &Value| v.as_str().expect("a string output").to_owned();
    Outputs {
        handbook: text(&doc["handbook"]["value"]),
        onboarding: text(&doc["onboarding"]["value"]),
        files: doc["files"]["value"]
            .as_object()
            .expect("the files output")
            .iter()
            .map(|(k, v)| (k.clone(), text(v)))
            .collect(),
    }
}

// ---- Writer's side, read over HTTP ----

/// Every item of a listing, across pages (`after` the last item's ID, as
/// Writer's SDK pages).
fn all(writer: &dyn Writer, path: &str) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items: Vec<Value> = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..100 {
        let page = match &after {
            Some(a) => format!("{path}{sep}limit=100&after={a}"),
            None => format!("{path}{sep}limit=100"),
        };
        let (status, body) = writer.call("GET", &page, None);
        assert_eq!(status, 200, "GET {page}: {body}");
        let data = body["data"].as_array().cloned().unwrap_or_default();
        after = data.last().and_then(|i| i["id"].as_str()).map(String::from);
        items.extend(data);
        if body["has_more"] != json!(true) || after.is_none() {
            return items;
        }
    }
    panic!("more than 100 pages of {path}");
}

fn ids(values: &Value) -> BTreeSet<String> {
    values
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|v| v.as_str().expect("an ID").to_owned())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Writer's files, by name; fails if a name is there twice (an upload
/// repeated blindly).
fn files_by_name(writer: &dyn Writer, when: &str) -> BTreeMap<String, Value> {
    let mut by_name = BTreeMap::new();
    for f in all(writer, "/v1/files") {
        let name = f["name"].as_str().expect("a file's name").to_owned();
        if let Some(twin) = by_name.insert(name.clone(), f.clone()) {
            panic!("{when}: Writer holds `{name}` twice: {twin} and {f}");
        }
    }
    by_name
}

/// Writer's graphs, by name; fails if a name is there twice.
fn graphs_by_name(writer: &dyn Writer, when: &str) -> BTreeMap<String, Value> {
    let mut by_name = BTreeMap::new();
    for g in all(writer, "/v1/graphs") {
        let name = g["name"].as_str().expect("a graph's name").to_owned();
        if let Some(twin) = by_name.insert(name.clone(), g.clone()) {
            panic!("{when}: Writer holds two graphs named `{name}`: {twin} and {g}");
        }
    }
    by_name
}

fn get(writer: &dyn Writer, path: &str) -> Value {
    let (status, body) = writer.call("GET", path, None);
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// The bytes Writer holds of file `id` (`GET /v1/files/{id}/download`),
/// a 429 waited out.
fn download(writer: &dyn Writer, id: &str) -> Vec<u8> {
    let url = format!("{}/v1/files/{id}/download", writer.base_url());
    for _ in 0..10 {
        let (status, bytes) = block_on(async {
            let answer = client()
                .get(&url)
                .bearer_auth(writer.api_key())
                .send()
                .await
                .unwrap_or_else(|e| panic!("GET {url}: {e}"));
            let status = answer.status().as_u16();
            (status, answer.bytes().await.expect("the file's bytes"))
        });
        match status {
            200 => return bytes.to_vec(),
            429 => std::thread::sleep(std::time::Duration::from_secs(1)),
            other => panic!("GET {url}: {other}"),
        }
    }
    panic!("GET {url}: 429 every time");
}

fn agent_graphs(writer: &dyn Writer, agent: &str) -> BTreeSet<String> {
    ids(&get(writer, &format!("/v1/applications/{agent}/graphs"))["graph_ids"])
}

/// Writer as the configuration says, `files` being the documents' IDs.
fn assert_writer_as_configured(s: &Seeded, o: &Outputs, documents: &BTreeSet<String>, when: &str) {
    let writer = s.writer.as_ref();
    let files = files_by_name(writer, when);
    assert_eq!(
        files.keys().cloned().collect::<BTreeSet<_>>(),
        *documents,
        "{when}: Writer's files"
    );
    for (name, f) in &files {
        assert_eq!(
            f["id"].as_str(),
            Some(o.files[name].as_str()),
            "{when}: {f}"
        );
        let f = get(writer, &format!("/v1/files/{}", o.files[name]));
        assert_eq!(f["status"], "completed", "{when}: the apply waited: {f}");
        let mut expected = set(&[&o.handbook]);
        if name == SHARED_DOC {
            expected.insert(o.onboarding.clone());
        }
        assert_eq!(ids(&f["graph_ids"]), expected, "{when}: {f}");
    }
    // Listed by graph, as Writer's UI shows a graph.
    let in_onboarding: BTreeSet<String> =
        all(writer, &format!("/v1/files?graph_id={}", o.onboarding))
            .iter()
            .map(|f| f["name"].as_str().unwrap_or_default().to_owned())
            .collect();
    assert_eq!(in_onboarding, set(&[SHARED_DOC]), "{when}");
    assert_eq!(
        all(writer, &format!("/v1/files?graph_id={}", o.handbook)).len(),
        DOCUMENTS,
        "{when}"
    );

    let graphs = graphs_by_name(writer, when);
    assert_eq!(
        graphs.keys().cloned().collect::<BTreeSet<_>>(),
        set(&[HANDBOOK, ONBOARDING, WEB_GRAPH]),
        "{when}: Writer's graphs"
    );
    assert_eq!(graphs[HANDBOOK]["id"].as_str(), Some(o.handbook.as_str()));
    assert_eq!(
        graphs[ONBOARDING]["id"].as_str(),
        Some(o.onboarding.as_str())
    );
    assert_eq!(graphs[WEB_GRAPH]["id"].as_str(), Some(s.web_graph.as_str()));
    let handbook = get(writer, &format!("/v1/graphs/{}", o.handbook));
    assert_eq!(handbook["type"], "manual", "{when}: {handbook}");
    assert_eq!(
        handbook["description"], "Policies, how-tos, prices and contracts",
        "{when}"
    );
    let web = get(writer, &format!("/v1/graphs/{}", s.web_graph));
    assert_eq!(web["type"], "web", "{when}: {web}");
    let urls: BTreeMap<String, Value> = web["urls"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|u| (u["url"].as_str().unwrap_or_default().to_owned(), u.clone()))
        .collect();
    assert_eq!(
        urls.keys().cloned().collect::<BTreeSet<_>>(),
        set(&["https://docs.example.com/", UNREADABLE_URL]),
        "{when}: {web}"
    );
    let docs = &urls["https://docs.example.com/"];
    assert_eq!(docs["type"], "sub_pages", "{when}: {docs}");
    assert_eq!(
        ids(&docs["exclude_urls"]),
        set(&["https://docs.example.com/archive/"]),
        "{when}: {docs}"
    );
    assert_eq!(docs["status"]["status"], "success", "{when}: {docs}");
    let unreadable = &urls[UNREADABLE_URL];
    assert_eq!(unreadable["type"], "single_page", "{when}: {unreadable}");
    assert_eq!(unreadable["status"]["status"], "error", "{when}");
    assert_eq!(
        unreadable["status"]["error_type"], "paywall_or_login_page",
        "{when}"
    );

    assert_eq!(
        agent_graphs(writer, &s.agent),
        set(&[&o.handbook, &o.onboarding, &s.web_graph]),
        "{when}: the agent's graphs"
    );
}

// ---- the scenario ----

fn held_out(tf: Terraform, s: Seeded) {
    let started = Instant::now();
    let mut steps: Vec<(&str, f64)> = Vec::new();
    let mut lap = Instant::now();
    let mut step = |name: &'static str| {
        steps.push((name, lap.elapsed().as_secs_f64()));
        lap = Instant::now();
    };
    let writer = s.writer.as_ref();

    let mut w = Workdir::uninitialized_with(tf, &configuration(&s.web_graph, &s.agent));
    let documents = write_documents(&w.path().join("docs"));
    w.set_env("WRITER_API_KEY", &writer.api_key());
    w.set_env("WRITER_BASE_URL", &writer.base_url());
    w.init();
    step("init");

    // The first plan: sixty documents, two graphs and the agent's list to
    // make, the web graph imported with its URLs set.
    let p = plan(&w);
    assert_eq!(p.code, 2, "{}", p.text);
    let mut expected: BTreeMap<String, Vec<String>> = documents
        .iter()
        .map(|d| (doc_address(d), vec!["create".to_owned()]))
        .collect();
    for created in [
        "writer_knowledge_graph.handbook",
        "writer_knowledge_graph.onboarding",
        "writer_application_knowledge_graphs.support_bot",
    ] {
        expected.insert(created.to_owned(), vec!["create".to_owned()]);
    }
    expected.insert(
        "writer_knowledge_graph.docs_site".to_owned(),
        vec!["update".to_owned()],
    );
    assert_eq!(p.actions(), expected, "{}", p.text);
    let import = &p.changes["writer_knowledge_graph.docs_site"];
    assert_eq!(import["importing"]["id"], s.web_graph.as_str(), "{import}");
    assert!(
        flat(&p.text).contains("Plan: 1 to import, 63 to add, 1 to change, 0 to destroy."),
        "{}",
        p.text
    );
    step("plan");
    let run = apply_plan(&w);
    assert!(
        run.stdout
            .contains("Resources: 1 imported, 63 added, 1 changed, 0 destroyed."),
        "{}",
        run.all()
    );
    assert_warns_of_the_unreadable_url(&run.all(), "apply");
    let o = outputs(&w);
    assert_eq!(
        o.files.keys().cloned().collect::<BTreeSet<_>>(),
        documents,
        "the files output"
    );
    assert_writer_as_configured(&s, &o, &documents, "after the first apply");
    for doc in ["contract-03.pdf", "notes-03.md", SHARED_DOC] {
        assert_eq!(
            download(writer, &o.files[doc]),
            std::fs::read(w.path().join("docs").join(doc)).unwrap(),
            "Writer holds {doc} as it is on disk"
        );
    }
    let status = w.state_attribute("writer_knowledge_graph.docs_site", "web_url_status");
    assert_eq!(
        status[UNREADABLE_URL],
        json!({"status": "error", "error_type": "paywall_or_login_page"}),
        "{status}"
    );
    step("apply");

    // Nothing to do; the URL is still unreadable, and the plan says so.
    let p = plan(&w);
    assert_eq!(p.code, 0, "re-plan after apply:\n{}", p.text);
    assert!(p.changes.is_empty(), "{:?}", p.actions());
    assert_warns_of_the_unreadable_url(&p.text, "the next plan");
    step("re-plan");

    // Drift made in Writer: the shared document taken out of Onboarding,
    // the handbook renamed, the agent's list cut to the handbook.
    let shared = o.files[SHARED_DOC].clone();
    let (status, body) = writer.call(
        "DELETE",
        &format!("/v1/graphs/{}/file/{shared}", o.onboarding),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let renamed = "Handbook (renamed in AI Studio)";
    let (status, body) = writer.call(
        "PUT",
        &format!("/v1/graphs/{}", o.handbook),
        Some(json!({"name": renamed})),
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = writer.call(
        "PUT",
        &format!("/v1/applications/{}/graphs", s.agent),
        Some(json!({"graph_ids": [o.handbook]})),
    );
    assert_eq!(status, 200, "{body}");
    let p = plan(&w);
    assert_eq!(p.code, 2, "drift must show:\n{}", p.text);
    let update = vec!["update".to_owned()];
    assert_eq!(
        p.actions(),
        BTreeMap::from([
            (doc_address(SHARED_DOC), update.clone()),
            ("writer_knowledge_graph.handbook".to_owned(), update.clone()),
            (
                "writer_application_knowledge_graphs.support_bot".to_owned(),
                update.clone()
            ),
        ]),
        "exactly the three changes made in Writer:\n{}",
        p.text
    );
    let shared_change = &p.changes[&doc_address(SHARED_DOC)];
    assert_eq!(
        ids(&shared_change["before"]["graph_ids"]),
        set(&[&o.handbook])
    );
    assert_eq!(
        ids(&shared_change["after"]["graph_ids"]),
        set(&[&o.handbook, &o.onboarding])
    );
    let handbook_change = &p.changes["writer_knowledge_graph.handbook"];
    assert_eq!(handbook_change["before"]["name"], renamed);
    assert_eq!(handbook_change["after"]["name"], HANDBOOK);
    let agent_change = &p.changes["writer_application_knowledge_graphs.support_bot"];
    assert_eq!(
        ids(&agent_change["before"]["graph_ids"]),
        set(&[&o.handbook])
    );
    assert_eq!(
        ids(&agent_change["after"]["graph_ids"]),
        set(&[&o.handbook, &o.onboarding, &s.web_graph])
    );
    assert!(
        flat(&p.text).contains("Plan: 0 to add, 3 to change, 0 to destroy."),
        "{}",
        p.text
    );
    step("drift");
    apply_plan(&w);
    assert_writer_as_configured(&s, &o, &documents, "after the repair");
    let p = plan(&w);
    assert_eq!(p.code, 0, "re-plan after the repair:\n{}", p.text);
    step("repair");

    // A document's content changed: that file, and only it, is replaced.
    std::fs::write(
        w.path().join("docs").join(CHANGED_DOC),
        "Policy 7: what applies and to whom, revised.\n",
    )
    .unwrap();
    let p = plan(&w);
    assert_eq!(p.code, 2, "{}", p.text);
    assert_eq!(
        p.actions(),
        BTreeMap::from([(
            doc_address(CHANGED_DOC),
            vec!["create".to_owned(), "delete".to_owned()]
        )]),
        "{}",
        p.text
    );
    let replaced = &p.changes[&doc_address(CHANGED_DOC)];
    assert_eq!(
        replaced["replace_paths"],
        json!([["source_sha256"]]),
        "{replaced}"
    );
    apply_plan(&w);
    let old = o.files[CHANGED_DOC].clone();
    let o = outputs(&w);
    let new = o.files[CHANGED_DOC].clone();
    assert_ne!(new, old, "a new upload");
    let (status, body) = writer.call("GET", &format!("/v1/files/{old}"), None);
    assert_eq!(status, 404, "the old file is deleted: {body}");
    assert_writer_as_configured(&s, &o, &documents, "after the replacement");
    assert_eq!(
        download(writer, &new),
        std::fs::read(w.path().join("docs").join(CHANGED_DOC)).unwrap(),
        "Writer holds the new content"
    );
    let p = plan(&w);
    assert_eq!(p.code, 0, "re-plan after the replacement:\n{}", p.text);
    step("replace");

    // Destroy leaves nothing: no file, no graph (the imported web graph
    // included), the agent answering from none.
    let run = w
        .terraform(&["destroy", "-auto-approve", "-input=false", "-no-color"])
        .ok();
    assert!(
        run.stdout.contains("Resources: 64 destroyed."),
        "{}",
        run.all()
    );
    assert!(
        files_by_name(writer, "after destroy").is_empty(),
        "files left"
    );
    let graphs = graphs_by_name(writer, "after destroy");
    assert!(graphs.is_empty(), "graphs left: {graphs:?}");
    let (status, _) = writer.call("GET", &format!("/v1/graphs/{}", s.web_graph), None);
    assert_eq!(
        status, 404,
        "the imported web graph is Terraform's to delete"
    );
    assert!(
        agent_graphs(writer, &s.agent).is_empty(),
        "destroy empties the agent's list"
    );
    step("destroy");

    eprintln!(
        "held-out scenario on {:?} ({}): {:.1}s in all; {}",
        tf,
        writer.base_url(),
        started.elapsed().as_secs_f64(),
        steps
            .iter()
            .map(|(n, s)| format!("{n} {s:.1}s"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

fn on_emulator(tf: Terraform) {
    held_out(tf, emulator());
}

fn on_published_writer(tf: Terraform) {
    held_out(tf, published_writer());
}

on_every_terraform!(on_emulator, on_published_writer);
