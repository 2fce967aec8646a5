//! Every example a user copies is valid: `terraform validate` through the real
//! provider binary on each example folder (each import file together with the
//! resource it imports into, as a user puts them side by side), and the
//! wrong-on-purpose example under `examples/invalid/` fails with the
//! diagnostics it is there to show. A guide's configuration that needs
//! another provider (`examples/guides/`: azuread, which cannot be installed
//! where the tests run) is checked by `terraform fmt -check` instead.

use std::path::{Path, PathBuf};

use crate::support::terraform::{Terraform, Workdir};

fn examples() -> PathBuf {
    crate::support::root().join("examples")
}

/// Folders under `examples/` holding Terraform or query files, but not
/// `examples/invalid/` nor `examples/guides/`.
fn example_folders() -> Vec<PathBuf> {
    let mut folders = Vec::new();
    let mut dirs = vec![examples()];
    while let Some(dir) = dirs.pop() {
        if dir == examples().join("invalid") || dir == examples().join("guides") {
            continue;
        }
        let mut has_tf = false;
        for entry in std::fs::read_dir(&dir).expect("an examples folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "tf")
                || path.to_string_lossy().ends_with(".tfquery.hcl")
            {
                has_tf = true;
            }
        }
        if has_tf {
            folders.push(dir);
        }
    }
    folders.sort();
    folders
}

fn file_names(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("a folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| keep(n))
        .collect();
    names.sort();
    names
}

/// Files Terraform 1.11 cannot read: an import by identity (1.12 or newer)
/// and `terraform query` files (1.14 or newer).
fn needs_newer_terraform(name: &str) -> bool {
    name == "import-by-identity.tf" || name.ends_with(".tfquery.hcl")
}

/// The configurations a folder holds: its files without the import files, then
/// that with each import file (two import blocks for one address are an error).
fn configurations(dir: &Path) -> Vec<Vec<String>> {
    let tf = |n: &str| n.ends_with(".tf");
    let base: Vec<String> = file_names(dir, |n| tf(n) && !n.starts_with("import-"));
    let mut out = vec![base.clone()];
    for import in file_names(dir, |n| tf(n) && n.starts_with("import-")) {
        if !needs_newer_terraform(&import) {
            out.push([base.clone(), vec![import]].concat());
        }
    }
    out
}

/// What a registry example leaves out and `terraform validate` needs: the
/// provider's source (the provider page's example shows it to users).
const VERSIONS_TF: &str = r#"terraform {
  required_providers {
    writer = { source = "writer/writer" }
  }
}
"#;

/// A working directory holding `files` from `dir` (and `VERSIONS_TF` when
/// they do not declare the provider themselves), initialized, for `terraform`.
fn workdir_on(terraform: Terraform, dir: &Path, files: &[&str]) -> Workdir {
    let w = Workdir::uninitialized_with(terraform, "");
    std::fs::remove_file(w.path().join("main.tf")).expect("no main.tf of its own");
    let mut declared = false;
    for f in files {
        let text = std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        declared |= text.contains("required_providers");
        std::fs::write(w.path().join(f), text).expect("a copy");
    }
    if !declared {
        std::fs::write(w.path().join("versions.tf"), VERSIONS_TF).expect("versions.tf");
    }
    w.terraform(&["init", "-input=false", "-no-color"]).ok();
    w
}

fn workdir_with(dir: &Path, files: &[String]) -> Workdir {
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    workdir_on(Terraform::OnPath, dir, &files)
}

#[test]
fn every_example_validates() {
    let folders = example_folders();
    let rel = |d: &Path| {
        d.strip_prefix(examples())
            .expect("under examples")
            .display()
            .to_string()
    };
    let names: Vec<String> = folders.iter().map(|d| rel(d)).collect();
    for wanted in [
        "provider",
        "resources/writer_confluence_oauth_app",
        "data-sources/writer_confluence_oauth_app",
        "resources/writer_sharepoint_oauth_app",
        "data-sources/writer_sharepoint_oauth_app",
        "functions/sharepoint_callback_url",
        "functions/sharepoint_admin_consent_url",
        "quickstart",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} not in {names:?}"
        );
    }
    let mut failures = Vec::new();
    let mut validated = 0;
    for dir in &folders {
        for files in configurations(dir) {
            let w = workdir_with(dir, &files);
            let run = w.terraform(&["validate", "-json", "-no-color"]);
            validated += 1;
            if run.status != 0 || !run.diagnostics().is_empty() {
                failures.push(format!("{} {files:?}:\n{}", rel(dir), run.all()));
            }
        }
    }
    assert!(validated >= 6, "{validated} configurations validated");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_guides_configurations_are_formatted_and_use_the_writer_parts_the_tests_apply() {
    let dir = examples().join("guides/sharepoint-with-azuread");
    let w = Workdir::uninitialized("");
    let run = w.terraform(&[
        "fmt",
        "-check",
        "-diff",
        "-no-color",
        dir.to_str().expect("a path"),
    ]);
    assert_eq!(run.status, 0, "terraform fmt -check:\n{}", run.all());
    let text = std::fs::read_to_string(dir.join("main.tf")).expect("main.tf");
    for part in [
        "resource \"writer_sharepoint_oauth_app\"",
        "provider::writer::sharepoint_callback_url(",
        "provider::writer::sharepoint_admin_consent_url(",
        "client_secret_wo_version = var.rotation",
        "version = var.rotation",
        "access_token_issuance_enabled = true",
        "id_token_issuance_enabled     = true",
    ] {
        assert!(
            text.contains(part),
            "the guide's configuration lacks {part:?}"
        );
    }
}

#[test]
fn the_import_commands_name_a_resource_the_example_declares() {
    for kind in ["writer_confluence_oauth_app", "writer_sharepoint_oauth_app"] {
        import_commands_name_a_declared_resource(&examples().join("resources").join(kind));
    }
}

fn import_commands_name_a_declared_resource(dir: &Path) {
    let script = std::fs::read_to_string(dir.join("import.sh")).expect("import.sh");
    let resource = std::fs::read_to_string(dir.join("resource.tf")).expect("resource.tf");
    let commands: Vec<&str> = script
        .lines()
        .filter(|l| l.starts_with("terraform import "))
        .collect();
    assert_eq!(commands.len(), 2, "by ID and by name: {script}");
    for command in commands {
        let address = command.split_whitespace().nth(2).expect("an address");
        let (kind, name) = address.split_once('.').expect("TYPE.NAME");
        assert!(
            resource.contains(&format!("resource \"{kind}\" \"{name}\"")),
            "{address} is not declared in resource.tf"
        );
    }
    let syntax = std::process::Command::new("sh")
        .arg("-n")
        .arg(dir.join("import.sh"))
        .status()
        .expect("sh");
    assert!(syntax.success(), "import.sh is not valid shell");
}

#[test]
fn the_wrong_on_purpose_example_fails_validate_with_its_diagnostics() {
    let dir = examples().join("invalid/bad-callback");
    let w = workdir_with(&dir, &["main.tf".to_string()]);
    let run = w.terraform(&["validate", "-json", "-no-color"]);
    assert_ne!(run.status, 0, "it is wrong on purpose:\n{}", run.all());
    let errors: Vec<String> = run
        .diagnostics()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| format!("{} {} {}", d["snippet"]["code"], d["summary"], d["detail"]))
        .collect();
    let about = |attribute: &str, says: &[&str]| {
        errors
            .iter()
            .any(|e| e.contains(attribute) && says.iter().all(|s| e.contains(s)))
    };
    assert!(
        about(
            "callback_url",
            &["https://app.writer.com/connector/confluence"]
        ),
        "{errors:#?}"
    );
    assert!(
        about(
            "scopes",
            &[
                "read:pages:confluence",
                "did you mean",
                "read:page:confluence"
            ]
        ),
        "{errors:#?}"
    );
}

/// `variable` blocks of `text`, each as its lines: `(name, body)`.
fn variables(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("variable \"") {
            let name = rest.split('"').next().unwrap_or_default().to_string();
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "}").collect();
            out.push((name, body.join("\n")));
        }
    }
    out
}

#[test]
fn no_example_gives_a_secret_a_default() {
    let mut files = Vec::new();
    let mut dirs = vec![examples()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "tf") {
                files.push(path);
            }
        }
    }
    let mut secrets = 0;
    let mut wrong = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("an example");
        for (name, body) in variables(&text) {
            if !(name.contains("secret") || name.contains("api_key")) {
                continue;
            }
            secrets += 1;
            let setting = |key: &str| {
                body.lines()
                    .find_map(|l| l.trim().strip_prefix(key)?.trim().strip_prefix('='))
                    .map(|v| v.split('#').next().unwrap_or_default().trim().to_string())
            };
            if setting("sensitive").as_deref() != Some("true") {
                wrong.push(format!("{file:?} {name}: not sensitive"));
            }
            if setting("default").is_some_and(|d| d != "null") {
                wrong.push(format!("{file:?} {name}: a default secret"));
            }
        }
    }
    assert!(secrets >= 4, "secret variables were found ({secrets})");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The examples Terraform 1.11 cannot read, read by Terraform 1.15: `terraform
/// fmt -check` parses and checks each (validating them needs the provider's
/// identity and list resource).
#[test]
fn the_examples_for_newer_terraform_parse_and_are_formatted() {
    let mut files = Vec::new();
    for dir in example_folders() {
        for name in file_names(&dir, needs_newer_terraform) {
            files.push(dir.join(name));
        }
    }
    assert!(files.len() >= 2, "{files:?}");
    let w = Workdir::uninitialized_with(Terraform::V1_15, "");
    for file in files {
        let name = file
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        std::fs::copy(&file, w.path().join(&name)).expect("a copy");
        let fmt = w.terraform(&["fmt", "-check", "-diff", "-no-color", &name]);
        assert_eq!(fmt.status, 0, "{file:?}:\n{}", fmt.all());
    }
}

/// The import by identity, with the resource it imports into, validates on
/// Terraform 1.15 (1.11 has no `identity` in `import` blocks).
#[test]
fn the_import_by_identity_validates_on_terraform_1_15() {
    let dir = examples().join("resources/writer_confluence_oauth_app");
    let w = workdir_on(
        Terraform::V1_15,
        &dir,
        &["resource.tf", "import-by-identity.tf"],
    );
    let run = w.terraform(&["validate", "-json", "-no-color"]);
    assert!(
        run.status == 0 && run.diagnostics().is_empty(),
        "{}",
        run.all()
    );
}
