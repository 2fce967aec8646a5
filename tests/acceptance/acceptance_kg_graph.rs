//! `writer_knowledge_graph` through the real `terraform` and the real
//! provider: every plan-time mistake fails (or warns) with the attribute and
//! the fix before any call to Writer (a scripted fake Writer counts the
//! calls: none); the lifecycle against the real `writer-emulator` on
//! Terraform 1.11 and 1.15: create, an empty re-plan, a rename, drift made
//! in Writer (`plan -detailed-exitcode` exit 2) and its repair, a web graph
//! made "in AI Studio" (seeded) imported by `name=` with its URLs managed, an
//! unreadable URL a warning on apply and on the next plan, destroy; and an
//! imported web graph kept by `prevent_destroy` and let go by `removed`.

use serde_json::json;

use crate::support::emulator::EmulatorProcess;
use crate::support::fake_writer::{FakeWriter, Reply};
use crate::support::terraform::{header, Run, Terraform, Workdir};
use crate::support::ADMIN;

fn graph(body: &str) -> String {
    format!(
        "{}resource \"writer_knowledge_graph\" \"kg\" {{\n{body}\n}}\n",
        header("")
    )
}

/// A plan-time case: the configuration's body, the command, and what it must say.
struct Case {
    what: &'static str,
    body: String,
    severity: &'static str,
    attribute: &'static str,
    says: &'static [&'static str],
}

fn case(
    what: &'static str,
    body: &str,
    severity: &'static str,
    attribute: &'static str,
    says: &'static [&'static str],
) -> Case {
    Case {
        what,
        body: body.to_owned(),
        severity,
        attribute,
        says,
    }
}

fn urls(list: &str) -> String {
    format!("  name = \"Docs\"\n  web_urls = [\n{list}\n  ]")
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "a web graph created through the API",
            &urls(r#"    { url = "https://docs.example.com/", type = "sub_pages" }"#),
            "error",
            "web_urls",
            &["only AI Studio", "Add Website", "import", "name=<its name in AI Studio>"],
        ),
        case("an empty name", "  name = \"\"", "error", "name", &["at least one character"]),
        case(
            "a long name",
            &format!("  name = \"{}\"", "n".repeat(256)),
            "error",
            "name",
            &["256 characters", "at most 255"],
        ),
        case(
            "a long description",
            &format!("  name = \"Docs\"\n  description = \"{}\"", "d".repeat(300)),
            "error",
            "description",
            &["300 characters"],
        ),
        case(
            "not http(s)",
            &urls(r#"    { url = "ftp://files.example.com/a", type = "sub_pages" }"#),
            "error",
            "web_urls",
            &["`ftp://files.example.com/a` uses `ftp:`", "https://docs.example.com/handbook"],
        ),
        case(
            "a duplicate",
            &urls(
                "    { url = \"https://docs.example.com/\", type = \"sub_pages\" },\n    { url = \"https://DOCS.example.com\", type = \"single_page\" }",
            ),
            "error",
            "web_urls",
            &["`https://DOCS.example.com` is already in `web_urls`", "entry 0", "remove one"],
        ),
        case(
            "exclusions of a single page",
            &urls(
                r#"    { url = "https://docs.example.com/a", type = "single_page", exclude_urls = ["https://docs.example.com/a/b"] }"#,
            ),
            "error",
            "web_urls",
            &["`https://docs.example.com/a` has `type = ", "Remove `exclude_urls`"],
        ),
        case(
            "an unknown type",
            &urls(r#"    { url = "https://docs.example.com/", type = "subpages" }"#),
            "error",
            "web_urls",
            &["`subpages` is not a web URL type", "`sub_pages`", "`single_page`"],
        ),
    ]
}

/// Warnings: `terraform validate` passes and says them.
fn warning_cases() -> Vec<Case> {
    let many: String = (0..21)
        .map(|i| {
            format!("    {{ url = \"https://s{i}.example.com/\", type = \"single_page\" }},\n")
        })
        .collect();
    vec![
        case(
            "a query string",
            &urls(r#"    { url = "https://docs.example.com/search?q=pto", type = "single_page" }"#),
            "warning",
            "web_urls",
            &[
                "`https://docs.example.com/search?q=pto` has a query string",
                "dynamic URL",
                "without the query",
            ],
        ),
        case(
            "a fragment",
            &urls(r#"    { url = "https://docs.example.com/a#part", type = "single_page" }"#),
            "warning",
            "web_urls",
            &[
                "`https://docs.example.com/a#part` has a fragment",
                "Remove the fragment",
            ],
        ),
        case(
            "a PDF",
            &urls(r#"    { url = "https://docs.example.com/policy.pdf", type = "single_page" }"#),
            "warning",
            "web_urls",
            &[
                "`https://docs.example.com/policy.pdf` looks like a PDF",
                "writer_file",
            ],
        ),
        case(
            "an exclusion elsewhere",
            &urls(
                r#"    { url = "https://docs.example.com/guide", type = "sub_pages", exclude_urls = ["https://blog.example.com/x"] }"#,
            ),
            "warning",
            "web_urls",
            &[
                "`https://blog.example.com/x` is not under `https://docs.example.com/guide`",
                "changes nothing",
            ],
        ),
        case(
            "more than 20 sites",
            &urls(&many),
            "warning",
            "web_urls",
            &["has 21 URLs", "at most 20"],
        ),
    ]
}

fn check(w: &Workdir, c: &Case, command: &[&str]) -> Option<String> {
    w.write(&graph(&c.body));
    let run: Run = w.terraform(command);
    run.mismatch(c.severity, c.attribute, c.says)
        .map(|m| format!("{}: {m}", c.what))
}

#[test]
fn plan_time_mistakes_are_named_before_any_call_to_writer() {
    let fake = FakeWriter::start(|_, _| Reply::writer_error(500, "no call was expected"));
    let mut w = Workdir::new(&graph("  name = \"Docs\""));
    w.set_env("WRITER_API_KEY", ADMIN);
    w.set_env("WRITER_BASE_URL", fake.base.as_str());
    let mut wrong = Vec::new();
    for c in cases() {
        wrong.extend(check(
            &w,
            &c,
            &["plan", "-json", "-input=false", "-no-color"],
        ));
    }
    for c in warning_cases() {
        wrong.extend(check(&w, &c, &["validate", "-json", "-no-color"]));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    assert_eq!(fake.count(), 0, "calls made: {:?}", fake.requests());
}

/// Terraform's output with its line wrapping undone.
fn flat(out: &str) -> String {
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ID of the seeded web graph, from the emulator's start-up line.
fn seeded_id(line: &str) -> String {
    line.rsplit("id=").next().unwrap().to_owned()
}

fn lifecycle(tf: Terraform) {
    let mut command = EmulatorProcess::command();
    command.args([
        "--api-key",
        ADMIN,
        "--processing-ms",
        "300",
        "--web-graph",
        "Docs site",
    ]);
    let (emu, lines) = EmulatorProcess::from_command_with_lines(command, 1);
    assert!(
        lines[0].starts_with("seeded web graph \"Docs site\" id="),
        "{lines:?}"
    );
    let web_id = seeded_id(&lines[0]);

    let manual = |name: &str| {
        format!(
            "resource \"writer_knowledge_graph\" \"handbook\" {{\n  name = \"{name}\"\n  description = \"Policies and how-tos\"\n}}\n\noutput \"id\" {{\n  value = writer_knowledge_graph.handbook.id\n}}\n"
        )
    };
    let w = Workdir::on_emulator(tf, &emu, &(header("") + &manual("Handbook")), &[]);
    w.apply();
    let id = w.output("id");
    let (status, g) = emu.call("GET", &format!("/v1/graphs/{id}"), None);
    assert_eq!(status, 200, "{g}");
    assert_eq!(g["name"], "Handbook");
    assert_eq!(g["type"], "manual");
    assert_eq!(
        w.state_attribute("writer_knowledge_graph.handbook", "type"),
        "manual"
    );
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "re-plan after create:\n{plan}");

    // A rename in the configuration is an update in place.
    w.write(&(header("") + &manual("Handbook 2026")));
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "{plan}");
    assert!(
        plan.contains("1 to change") && plan.contains("Handbook 2026"),
        "{plan}"
    );
    w.apply();
    assert_eq!(
        emu.call("GET", &format!("/v1/graphs/{id}"), None).1["name"],
        "Handbook 2026"
    );

    // Drift: renamed in Writer. The plan says so with exit 2; apply restores.
    let (status, body) = emu.call(
        "PUT",
        &format!("/v1/graphs/{id}"),
        Some(json!({"name": "Renamed by hand"})),
    );
    assert_eq!(status, 200, "{body}");
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "drift must show:\n{plan}");
    assert!(plan.contains("Renamed by hand"), "{plan}");
    w.apply();
    assert_eq!(
        emu.call("GET", &format!("/v1/graphs/{id}"), None).1["name"],
        "Handbook 2026"
    );

    // The web graph made in AI Studio, imported by name, its URLs managed:
    // one of them unreadable.
    let web = |urls: &str| {
        format!(
            "import {{\n  to = writer_knowledge_graph.site\n  id = \"name=Docs site\"\n}}\n\nresource \"writer_knowledge_graph\" \"site\" {{\n  name = \"Docs site\"\n  web_urls = [\n{urls}\n  ]\n}}\n"
        )
    };
    let two = "    { url = \"https://docs.example.com/\", type = \"sub_pages\", exclude_urls = [\"https://docs.example.com/old\"] },\n    { url = \"https://not-found.unreadable.example/gone\", type = \"single_page\" }";
    w.write(&(header("") + &manual("Handbook 2026") + &web(two)));
    let run = w
        .terraform(&["apply", "-input=false", "-no-color", "-auto-approve"])
        .ok();
    assert!(
        run.all().contains("1 imported, 0 added, 1 changed"),
        "{}",
        run.all()
    );
    let out = flat(&run.all());
    assert!(
        out.contains("Writer could not read a web URL")
            && out.contains("https://not-found.unreadable.example/gone")
            && out.contains("the page was not found"),
        "the unreadable URL is a warning on apply:\n{out}"
    );
    let (_, g) = emu.call("GET", &format!("/v1/graphs/{web_id}"), None);
    assert_eq!(g["urls"].as_array().unwrap().len(), 2, "{g}");
    let status = w.state_attribute("writer_knowledge_graph.site", "web_url_status");
    assert_eq!(
        status["https://docs.example.com/"]["status"], "success",
        "{status}"
    );
    assert_eq!(
        status["https://not-found.unreadable.example/gone"]["error_type"],
        "not_found"
    );
    // Every later plan: no change, and the warning again.
    let run = w.terraform(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
    assert_eq!(run.status, 0, "{}", run.all());
    assert!(
        run.all().contains("Writer could not read a web URL"),
        "{}",
        run.all()
    );

    // A URL added in AI Studio is drift: the list is Terraform's.
    let mut urls = g["urls"].as_array().unwrap().clone();
    urls.push(json!({"url": "https://added.example.com/", "type": "single_page"}));
    let (status, body) = emu.call(
        "PUT",
        &format!("/v1/graphs/{web_id}"),
        Some(json!({"urls": urls})),
    );
    assert_eq!(status, 200, "{body}");
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "a URL added by hand is drift:\n{plan}");
    assert!(plan.contains("https://added.example.com/"), "{plan}");
    w.apply();
    let (_, g) = emu.call("GET", &format!("/v1/graphs/{web_id}"), None);
    assert_eq!(g["urls"].as_array().unwrap().len(), 2, "{g}");

    w.terraform(&["destroy", "-auto-approve", "-input=false", "-no-color"])
        .ok();
    for gone in [&id, &web_id] {
        let (status, _) = emu.call("GET", &format!("/v1/graphs/{gone}"), None);
        assert_eq!(status, 404, "{gone} left behind");
    }
}

#[test]
fn import_by_an_ambiguous_name_lists_the_ids() {
    let mut command = EmulatorProcess::command();
    command.args([
        "--api-key",
        ADMIN,
        "--web-graph",
        "Twin",
        "--web-graph",
        "Twin",
    ]);
    let (emu, lines) = EmulatorProcess::from_command_with_lines(command, 2);
    let ids: Vec<String> = lines.iter().map(|l| seeded_id(l)).collect();
    let mut w = Workdir::uninitialized(
        &(header("")
            + "import {\n  to = writer_knowledge_graph.t\n  id = \"name=Twin\"\n}\n\nresource \"writer_knowledge_graph\" \"t\" {\n  name = \"Twin\"\n}\n"),
    );
    w.use_emulator(&emu);
    w.terraform(&["init", "-input=false", "-no-color"]).ok();
    let run = w.terraform(&["plan", "-input=false", "-no-color"]);
    assert_ne!(run.status, 0);
    let out = run.all();
    assert!(
        out.contains("Several Knowledge Graphs have this name"),
        "{out}"
    );
    for id in &ids {
        assert!(out.contains(id.as_str()), "{id} not listed:\n{out}");
    }
    // An unknown ID: the team-visibility hint.
    w.write(
        &(header("")
            + "import {\n  to = writer_knowledge_graph.t\n  id = \"no-such-graph\"\n}\n\nresource \"writer_knowledge_graph\" \"t\" {\n  name = \"Twin\"\n}\n"),
    );
    let run = w.terraform(&["plan", "-input=false", "-no-color"]);
    assert_ne!(run.status, 0);
    assert!(run.all().contains("All Teams"), "{}", run.all());
}

on_every_terraform!(lifecycle);

/// What the resource page says of an imported web graph, which Writer's API
/// cannot make again: `prevent_destroy` keeps it from a destroy, and a
/// `removed` block with `destroy = false` lets it go from the state while it
/// stays in Writer.
#[test]
fn an_imported_web_graph_is_kept_by_prevent_destroy_and_let_go_by_removed() {
    let mut command = EmulatorProcess::command();
    command.args(["--api-key", ADMIN, "--web-graph", "Docs site"]);
    let (emu, lines) = EmulatorProcess::from_command_with_lines(command, 1);
    let web_id = seeded_id(&lines[0]);
    let kept = format!(
        "import {{\n  to = writer_knowledge_graph.docs\n  id = \"{web_id}\"\n}}\n\nresource \"writer_knowledge_graph\" \"docs\" {{\n  name = \"Docs site\"\n  lifecycle {{\n    prevent_destroy = true\n  }}\n}}\n"
    );
    let w = Workdir::on_emulator(Terraform::OnPath, &emu, &(header("") + &kept), &[]);
    w.apply();
    assert_eq!(
        w.state_attribute("writer_knowledge_graph.docs", "id"),
        web_id.as_str()
    );

    let destroy = w.terraform(&["destroy", "-input=false", "-no-color", "-auto-approve"]);
    assert_ne!(destroy.status, 0, "{}", destroy.all());
    assert!(
        flat(&destroy.all()).contains("prevent_destroy"),
        "{}",
        destroy.all()
    );
    let (status, g) = emu.call("GET", &format!("/v1/graphs/{web_id}"), None);
    assert_eq!(status, 200, "the web graph survived the destroy: {g}");

    w.write(
        &(header("")
            + "removed {\n  from = writer_knowledge_graph.docs\n  lifecycle {\n    destroy = false\n  }\n}\n"),
    );
    w.apply();
    let state = w.terraform(&["state", "list"]).ok();
    assert!(
        !state.stdout.contains("writer_knowledge_graph.docs"),
        "{}",
        state.all()
    );
    let (status, g) = emu.call("GET", &format!("/v1/graphs/{web_id}"), None);
    assert_eq!(status, 200, "the web graph stays in Writer: {g}");
    assert_eq!(g["type"], "web");
}
