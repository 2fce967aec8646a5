//! Adopting apps that already exist, with Terraform 1.15 (resource identity
//! needs 1.12, `terraform query` 1.14): apps made through Writer's API are
//! found by `terraform query` (all of them, by name, up to a limit), an
//! `import` block with an `identity` plans one import, and state written
//! before identities existed gets one on refresh. The real provider binary,
//! the real `terraform`, the emulator on loopback.

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, required_scopes, Terraform, Workdir};
use crate::support::SECRET;
use serde_json::json;

/// Makes an app the way a person in the Writer UI would, with a client ID
/// of its own; returns its ID.
fn app_in_writer(emulator: &EmulatorProcess, connector: &str, name: &str) -> String {
    emulator.app_made_by_hand(json!({
        "connector": connector,
        "name": name,
        "client_id": format!("fake-client-id-{}", name.to_lowercase().replace(' ', "-")),
    }))
}

fn write_query(w: &Workdir, hcl: &str) {
    std::fs::write(w.path().join("apps.tfquery.hcl"), hcl).expect("query file");
}

/// The `(id, display name)` of every result line of `terraform query` for
/// the list block `name`.
fn results(stdout: &str, name: &str) -> Vec<(String, String)> {
    let prefix = format!("list.writer_confluence_oauth_app.{name} ");
    stdout
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .map(|l| {
            let mut fields = l.split_whitespace().skip(1);
            let id = fields.next().unwrap_or_default();
            let id = id.strip_prefix("id=").unwrap_or(id).to_string();
            (id, fields.collect::<Vec<_>>().join(" "))
        })
        .collect()
}

/// The documentation's example (`examples/list-resources/writer_confluence_oauth_app/list-resource.tfquery.hcl`), and a limit.
fn example_query() -> String {
    let example = crate::support::root()
        .join("examples/list-resources/writer_confluence_oauth_app/list-resource.tfquery.hcl");
    std::fs::read_to_string(example).expect("the example query")
}

#[test]
fn query_finds_every_confluence_app_by_name_too_and_up_to_a_limit() {
    let emu = EmulatorProcess::start(&[]);
    let eng = app_in_writer(&emu, "confluence", "engineering confluence");
    let beta = app_in_writer(&emu, "confluence", "Beta");
    let gamma = app_in_writer(&emu, "confluence", "Gamma");
    app_in_writer(&emu, "sharepoint", "Not Confluence");
    let w = Workdir::on_emulator(Terraform::V1_15, &emu, &header(""), &[]);
    write_query(
        &w,
        &(example_query()
            + "\nlist \"writer_confluence_oauth_app\" \"two\" {\n  provider = writer\n  limit = 2\n}\n"),
    );
    let run = w.terraform(&["query", "-no-color"]).ok();
    let pairs = |v: &[(&String, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(i, n)| (i.to_string(), n.to_string()))
            .collect()
    };
    assert_eq!(
        results(&run.stdout, "all"),
        pairs(&[
            (&eng, "engineering confluence"),
            (&beta, "Beta"),
            (&gamma, "Gamma")
        ]),
        "every Confluence app, oldest first, and nothing else:\n{}",
        run.stdout
    );
    assert_eq!(
        results(&run.stdout, "engineering"),
        pairs(&[(&eng, "engineering confluence")]),
        "names match ignoring case:\n{}",
        run.stdout
    );
    assert_eq!(results(&run.stdout, "two").len(), 2, "{}", run.stdout);
}

#[test]
fn an_empty_name_filter_is_refused_where_it_is_written() {
    let emu = EmulatorProcess::start(&[]);
    let w = Workdir::on_emulator(Terraform::V1_15, &emu, &header(""), &[]);
    write_query(
        &w,
        "list \"writer_confluence_oauth_app\" \"none\" {\n  provider = writer\n  config {\n    name = \"  \"\n  }\n}\n",
    );
    let run = w.terraform(&["query", "-no-color"]);
    assert_ne!(run.status, 0);
    let all = run.all();
    assert!(all.contains("The name filter is empty"), "{all}");
    assert!(all.contains("remove `name` to list every"), "{all}");
    assert!(
        all.contains("apps.tfquery.hcl line 4"),
        "points at the name in the config block:\n{all}"
    );
}

#[test]
fn an_import_block_with_an_identity_plans_one_import() {
    let emu = EmulatorProcess::start(&[]);
    let id = app_in_writer(&emu, "confluence", "Engineering");
    let other = app_in_writer(&emu, "confluence", "Other");
    // No secret: the app exists, so none is needed to manage it.
    let resource = "resource \"writer_confluence_oauth_app\" \"eng\" {\n  name = \"Engineering\"\n  client_id = \"fake-client-id-engineering\"\n}\n";
    let w = Workdir::on_emulator(Terraform::V1_15, &emu, &(header("") + &format!(
            "import {{\n  to = writer_confluence_oauth_app.eng\n  identity = {{\n    id = \"{id}\"\n  }}\n}}\n\n{resource}"
        )), &[]);
    let run = w.terraform(&["plan", "-input=false", "-no-color"]).ok();
    assert!(
        run.stdout
            .contains("writer_confluence_oauth_app.eng will be imported"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&id) && !run.stdout.contains(&other),
        "{}",
        run.stdout
    );

    w.apply();
    let show = w.terraform(&["show", "-json", "-no-color"]).ok();
    let doc: serde_json::Value = serde_json::from_str(&show.stdout).expect("show -json");
    let imported = &doc["values"]["root_module"]["resources"][0];
    assert_eq!(imported["identity"], json!({ "id": id }));
    assert_eq!(imported["values"]["name"], "Engineering");
}

#[test]
fn an_import_identity_without_an_id_or_of_no_app_fails_clearly() {
    let emu = EmulatorProcess::start(&[]);
    let resource = "resource \"writer_confluence_oauth_app\" \"eng\" {\n  name = \"Engineering\"\n  client_id = \"fake-client-id-engineering\"\n  client_secret_wo = \"fake-secret-0001\"\n  client_secret_wo_version = 1\n}\n";
    let w = Workdir::on_emulator(Terraform::V1_15, &emu, &(header("") + &format!(
            "import {{\n  to = writer_confluence_oauth_app.eng\n  identity = {{\n    id = \"0f0f0f0f-0000-4000-8000-000000000000\"\n  }}\n}}\n\n{resource}"
        )), &[]);
    let run = w.terraform(&["plan", "-input=false", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(
        run.all()
            .contains("Cannot import non-existent remote object"),
        "{}",
        run.all()
    );

    w.write(&(header("") + &format!("import {{\n  to = writer_confluence_oauth_app.eng\n  identity = {{}}\n}}\n\n{resource}")));
    let run = w.terraform(&["plan", "-input=false", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(run.all().contains("\"id\" is required"), "{}", run.all());
}

#[test]
fn refresh_gives_state_written_by_terraform_1_11_an_identity() {
    let emu = EmulatorProcess::start(&[]);
    let body = format!(
        "resource \"writer_confluence_oauth_app\" \"eng\" {{\n  name = \"Engineering\"\n  client_id = \"fake-client-id-0001\"\n  client_secret_wo = \"{SECRET}\"\n  client_secret_wo_version = 1\n  scopes = {}\n}}\n",
        required_scopes()
    );
    // Terraform 1.11 knows no identities: its state has none.
    let old = Workdir::on_emulator(Terraform::OnPath, &emu, &(header("") + &body), &[]);
    old.apply();
    let state = old.read("terraform.tfstate");
    assert!(!state.contains("\"identity\""), "{state}");

    let w = Workdir::on_emulator(Terraform::V1_15, &emu, &(header("") + &body), &[]);
    std::fs::write(w.path().join("terraform.tfstate"), &state).expect("state");
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "no change, identity or not:\n{plan}");
    w.refresh();
    let state: serde_json::Value =
        serde_json::from_str(&w.read("terraform.tfstate")).expect("json");
    let instance = &state["resources"][0]["instances"][0];
    let id = instance["attributes"]["id"].as_str().expect("an id");
    assert_eq!(instance["identity"], json!({ "id": id }));
    assert_eq!(instance["identity_schema_version"], 0);
}

#[test]
fn generated_configuration_imports_every_app_and_changes_nothing() {
    let emu = EmulatorProcess::start(&[]);
    let ids: Vec<String> = ["Alpha", "Beta", "Gamma"]
        .iter()
        .map(|n| app_in_writer(&emu, "confluence", n))
        .collect();
    let w = Workdir::on_emulator(Terraform::V1_15, &emu, &header(""), &[]);
    let generated = w.adopt_all("writer_confluence_oauth_app", "apps.tfquery.hcl", 3);
    for id in &ids {
        assert!(generated.contains(&format!("id = \"{id}\"")), "{generated}");
    }
    assert!(
        !generated.contains(SECRET),
        "no secret is generated:\n{generated}"
    );
    for id in &ids {
        assert_eq!(
            emu.get_app(id)["client_secret_hint"],
            "…0001",
            "secret untouched"
        );
    }
}
