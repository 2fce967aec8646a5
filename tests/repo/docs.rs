//! `docs/` is generated and never edited by hand: this test renders the
//! registry's pages from the provider's own schemas, `templates/` (prose a
//! schema cannot say) and `examples/` (the configurations users copy, each
//! validated by `tests/acceptance/examples.rs`), and fails when a committed page differs.
//! `UPDATE_DOCS=1 cargo test --test repo docs::` rewrites them.
//!
//! Page shape (the Terraform registry's, as tfplugindocs writes it): YAML front
//! matter (`page_title`, `subcategory`, `description`), then the template. A
//! new kind of page (functions, list resources) is one more block in
//! [`generated`]: its folder, [`front_matter`] and a template per page.
//!
//! Template placeholders: `{{description}}` and `{{schema}}` (from the schema),
//! `{{example PATH}}` (a file from the repository, fenced by its kind) and
//! `{{key roles}}` (which Writer key each command needs). Guides
//! (`templates/guides/*.md.tmpl`) carry their own front matter.

use std::path::Path;

use terraform_provider_writer::provider::WriterProvider;
use terraform_provider_writer::tfplugin::function::Signature;
use terraform_provider_writer::tfplugin::schema::{Attribute, Schema};
use terraform_provider_writer::tfplugin::value::Type;
use terraform_provider_writer::tfplugin::{IdentitySchema, Provider};

/// What `page_title` names after the page's subject, as tfplugindocs does.
const PROVIDER_NAME: &str = "terraform-provider-writer";

/// The registry-rendered folders, each of whose pages must open with front matter.
const RENDERED: [&str; 6] = [
    "docs/index.md",
    "docs/resources",
    "docs/data-sources",
    "docs/list-resources",
    "docs/functions",
    "docs/guides",
];

/// Which Writer API key each command needs. Every page that shows a command
/// says it (`{{key roles}}`); `tests/acceptance/ci_drift_recipe.rs` and
/// `tests/acceptance/acceptance_validate.rs` prove each line.
const KEY_ROLES: &str = "\
| Command | The Writer API key it needs |
| --- | --- |
| `terraform validate` | none |
| `terraform plan` (and the CI drift check) | a read-only key (an org admin's works too) |
| `terraform apply`, `terraform destroy` | an org admin's key |";

/// The same for the Knowledge Graph family's pages (`{{kg key roles}}`):
/// Writer's published API takes the key of an AI Studio API agent, whose
/// capabilities decide what it may call.
const KG_KEY_ROLES: &str = "\
| Command | The Writer API key it needs |
| --- | --- |
| `terraform validate` | none |
| `terraform plan`, `terraform import`, `apply`, `destroy` (and the CI drift check) | an AI Studio API agent's key whose capabilities include Knowledge Graphs (files for `writer_file`, the Applications API for `writer_application_knowledge_graphs`) |";

fn type_name(t: &Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(e) => format!("List of {}", type_name(e)),
        Type::Set(e) => format!("Set of {}", type_name(e)),
        Type::Map(e) => format!("Map of {}", type_name(e)),
        Type::Object(_) => "Object".into(),
        Type::Tuple(_) => "Tuple".into(),
    }
}

fn attribute_line(a: &Attribute) -> String {
    let mut flags = vec![type_name(&a.value_type())];
    if a.sensitive {
        flags.push("Sensitive".into());
    }
    if a.write_only {
        flags.push("Write-only".into());
    }
    if a.deprecated {
        flags.push("Deprecated".into());
    }
    format!(
        "- `{}` ({}) {}\n",
        a.name,
        flags.join(", "),
        a.description.trim()
    )
}

/// Which attributes a section of the reference lists.
type Keep = fn(&Attribute) -> bool;

fn schema_markdown(schema: &Schema) -> String {
    let attrs = &schema.block.attributes;
    let mut out = String::new();
    let groups: [(&str, Keep); 3] = [
        ("Required", |a| a.required),
        ("Optional", |a| a.optional),
        ("Read-Only", |a| a.computed && !a.optional),
    ];
    for (title, keep) in groups {
        let lines: String = attrs
            .iter()
            .filter(|a| keep(a))
            .map(attribute_line)
            .collect();
        if !lines.is_empty() {
            out.push_str(&format!("### {title}\n\n{lines}\n"));
        }
    }
    out
}

/// The registry's YAML front matter. `description` is Markdown (a schema's
/// description): its first paragraph goes in as plain text.
fn front_matter(page_title: &str, subcategory: &str, description: &str) -> String {
    let first = description.trim().split("\n\n").next().unwrap_or_default();
    let plain = first.replace('`', "").replace("**", "");
    let indented: String = plain.lines().map(|l| format!("  {}\n", l.trim())).collect();
    format!(
        "---\npage_title: \"{page_title}\"\nsubcategory: \"{subcategory}\"\ndescription: |-\n{indented}---\n\n"
    )
}

/// The code fence's language for an example file.
fn fence(path: &str) -> &'static str {
    if path.ends_with(".sh") {
        "shell"
    } else if path.ends_with(".yml") || path.ends_with(".yaml") {
        "yaml"
    } else {
        "terraform"
    }
}

/// Fills a template's placeholders. `schema` is `None` for guides.
fn render(template: &str, schema: Option<&Schema>, root: &Path) -> String {
    let mut out = template
        .replace("{{key roles}}", KEY_ROLES)
        .replace("{{kg key roles}}", KG_KEY_ROLES);
    if let Some(schema) = schema {
        out = out.replace("{{description}}", schema.block.description.trim());
        out = out.replace("{{schema}}", schema_markdown(schema).trim_end());
    }
    while let Some(start) = out.find("{{example ") {
        let end = out[start..]
            .find("}}")
            .map(|e| start + e)
            .expect("closed {{example}}");
        let path = out[start + 10..end].trim().to_string();
        let body =
            std::fs::read_to_string(root.join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let fenced = format!("```{}\n{}```", fence(&path), body);
        out.replace_range(start..end + 2, &fenced);
    }
    // `${{ ... }}` is GitHub Actions' own syntax, in the inlined workflow.
    let left = out.replace("${{", "");
    assert!(
        !left.contains("{{"),
        "a placeholder was left in a template: {out}"
    );
    out
}

/// `{{identity}}` in a resource page: its identity attributes (what an
/// `import` block's `identity` and `terraform query` results carry).
fn with_identity(page: String, identity: Option<IdentitySchema>) -> String {
    let section = identity.map_or(String::new(), |i| {
        let lines: String = i
            .attributes
            .iter()
            .map(|a| {
                let required = if a.required_for_import {
                    ", Required for import"
                } else {
                    ""
                };
                format!(
                    "- `{}` ({}{required}) {}\n",
                    a.name,
                    type_name(&a.ty),
                    a.description.trim()
                )
            })
            .collect();
        format!("### Identity\n\nTerraform 1.12 or newer, OpenTofu 1.12 or newer.\n\n{lines}")
    });
    page.replace("{{identity}}", section.trim_end())
}

/// `docs/list-resources/`: one page per list resource (`terraform query`).
fn list_resource_pages(p: &WriterProvider, root: &Path) -> Vec<(String, String)> {
    p.list_resources()
        .iter()
        .map(|l| {
            let (type_name, schema) = (l.type_name(), l.schema());
            let short = type_name.trim_start_matches("writer_");
            let name = format!("templates/list-resources/{short}.md.tmpl");
            let t =
                std::fs::read_to_string(root.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            (
                format!("docs/list-resources/{short}.md"),
                front_matter(
                    &format!("{type_name} List Resource - {PROVIDER_NAME}"),
                    "",
                    &schema.block.description,
                ) + &render(&t, Some(&schema), root),
            )
        })
        .collect()
}

/// A type as written in Terraform's language (`list(string)`).
fn hcl_type(t: &Type) -> String {
    match t {
        Type::List(e) => format!("list({})", hcl_type(e)),
        Type::Set(e) => format!("set({})", hcl_type(e)),
        Type::Map(e) => format!("map({})", hcl_type(e)),
        other => type_name(other).to_lowercase(),
    }
}

/// A function's page: from its signature, with its example
/// (`examples/functions/NAME/function.tf`).
fn function_page(name: &str, s: &Signature, root: &Path) -> String {
    let params: Vec<String> = s
        .parameters
        .iter()
        .map(|p| format!("{} {}", p.name, hcl_type(&p.ty)))
        .collect();
    let arguments: String = s
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{}. `{}` ({}) {}\n",
                i + 1,
                p.name,
                type_name(&p.ty),
                p.description.trim()
            )
        })
        .collect();
    let template = format!(
        "# function: {name}\n\n{}\n\n{}\n\n## Example Usage\n\n{{{{example examples/functions/{name}/function.tf}}}}\n\nFunctions never call Writer: they need no Writer key.\n\n{{{{key roles}}}}\n\n## Signature\n\n```text\nprovider::writer::{name}({}) {}\n```\n\n## Arguments\n\n{arguments}",
        s.summary.trim(),
        s.description.trim(),
        params.join(", "),
        hcl_type(&s.returns)
    );
    front_matter(
        &format!("{name} function - {PROVIDER_NAME}"),
        "",
        &s.summary,
    ) + &render(&template, None, root)
}

fn generated(root: &Path) -> Vec<(String, String)> {
    let p = WriterProvider::new();
    let template = |name: &str| {
        std::fs::read_to_string(root.join("templates").join(name))
            .unwrap_or_else(|e| panic!("templates/{name}: {e}"))
    };
    let provider_schema = p.schema();
    let mut docs = vec![(
        "docs/index.md".to_string(),
        front_matter("writer Provider", "", &provider_schema.block.description)
            + &render(&template("index.md.tmpl"), Some(&provider_schema), root),
    )];
    for r in p.resources() {
        let (name, schema) = (r.type_name(), r.schema());
        let short = name.trim_start_matches("writer_");
        let t = template(&format!("resources/{short}.md.tmpl"));
        docs.push((
            format!("docs/resources/{short}.md"),
            front_matter(
                &format!("{name} Resource - {PROVIDER_NAME}"),
                "",
                &schema.block.description,
            ) + &render(&with_identity(t, r.identity()), Some(&schema), root),
        ));
    }
    for d in p.data_sources() {
        let (name, schema) = (d.type_name(), d.schema());
        let short = name.trim_start_matches("writer_");
        let t = template(&format!("data-sources/{short}.md.tmpl"));
        docs.push((
            format!("docs/data-sources/{short}.md"),
            front_matter(
                &format!("{name} Data Source - {PROVIDER_NAME}"),
                "",
                &schema.block.description,
            ) + &render(&t, Some(&schema), root),
        ));
    }
    let mut guides: Vec<_> = std::fs::read_dir(root.join("templates/guides"))
        .expect("templates/guides")
        .map(|e| {
            e.expect("a guide")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter_map(|f| f.strip_suffix(".md.tmpl").map(String::from))
        .collect();
    guides.sort();
    for guide in guides {
        let t = template(&format!("guides/{guide}.md.tmpl"));
        docs.push((format!("docs/guides/{guide}.md"), render(&t, None, root)));
    }
    docs.extend(list_resource_pages(&p, root));
    for f in p.functions() {
        docs.push((
            format!("docs/functions/{}.md", f.name()),
            function_page(f.name(), &f.signature(), root),
        ));
    }
    docs
}

#[test]
fn docs_are_generated_from_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for (path, content) in generated(root) {
        let file = root.join(&path);
        if update {
            std::fs::create_dir_all(file.parent().expect("a directory")).expect("docs directory");
            std::fs::write(&file, &content).expect("write docs");
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(content.as_str()) {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "generated docs are out of date: {stale:?}. Run `UPDATE_DOCS=1 cargo test --test repo docs::` and commit."
    );
}

/// Every page under the registry-rendered folders, with its text.
fn rendered_pages(root: &Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for place in RENDERED {
        let path = root.join(place);
        if !path.exists() {
            continue; // a kind of page the provider does not have (yet)
        }
        let files: Vec<_> = if path.is_dir() {
            std::fs::read_dir(&path)
                .expect("a docs folder")
                .map(|e| e.expect("a page").path())
                .collect()
        } else {
            vec![path]
        };
        for file in files {
            let rel = file.strip_prefix(root).expect("in the repository");
            let text = std::fs::read_to_string(&file).expect("a page");
            pages.push((rel.display().to_string(), text));
        }
    }
    pages.sort();
    pages
}

#[test]
fn every_registry_page_opens_with_front_matter() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = rendered_pages(root);
    assert!(
        pages.len() >= 8,
        "index, resource, data source, guides: {pages:?}"
    );
    let mut wrong = Vec::new();
    for (path, text) in &pages {
        let Some(front) = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"))
            .map(|(front, _)| front)
        else {
            wrong.push(format!("{path}: no front matter"));
            continue;
        };
        for key in ["page_title: \"", "subcategory: \"", "description: |-\n  "] {
            if !front.contains(key) {
                wrong.push(format!("{path}: no {key:?}"));
            }
        }
        if !path.ends_with(".md") {
            wrong.push(format!("{path}: the registry renders .md files only"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn resource_and_data_source_pages_have_the_registry_sections() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    for (path, text) in rendered_pages(root) {
        let wanted: &[&str] = if path.starts_with("docs/resources/") {
            &["\n## Example Usage\n", "\n## Schema\n", "\n## Import\n"]
        } else if path.starts_with("docs/data-sources/") {
            &["\n## Example Usage\n", "\n## Schema\n"]
        } else {
            &[]
        };
        for section in wanted {
            if !text.contains(section) {
                missing.push(format!("{path}: {}", section.trim()));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
    let resource = std::fs::read_to_string(root.join("docs/resources/confluence_oauth_app.md"))
        .expect("the resource page");
    let import = resource.split("\n## Import\n").nth(1).unwrap_or_default();
    for form in [
        "terraform import writer_confluence_oauth_app.engineering 3f2b",
        "\"name=Engineering Confluence\"",
        "import {",
        "identity = {",
        "first plan after an import",
    ] {
        assert!(import.contains(form), "## Import lacks {form:?}");
    }
}

#[test]
fn guides_are_four_or_more_and_linked_from_the_index() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let index = std::fs::read_to_string(root.join("docs/index.md")).expect("docs/index.md");
    let guides: Vec<String> = rendered_pages(root)
        .into_iter()
        .filter_map(|(path, _)| path.strip_prefix("docs/").map(String::from))
        .filter(|path| path.starts_with("guides/"))
        .collect();
    assert!(guides.len() >= 4, "{guides:?}");
    let unlinked: Vec<_> = guides
        .iter()
        .filter(|g| !index.contains(&format!("]({g})")))
        .collect();
    assert!(
        unlinked.is_empty(),
        "not linked from docs/index.md: {unlinked:?}"
    );
}

#[test]
fn every_page_that_shows_a_command_says_which_key_it_needs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let unsaid: Vec<String> = rendered_pages(root)
        .into_iter()
        .filter(|(_, text)| {
            text.contains("terraform ") && !text.contains(KEY_ROLES) && !text.contains(KG_KEY_ROLES)
        })
        .map(|(path, _)| path)
        .collect();
    assert!(unsaid.is_empty(), "no key-role table: {unsaid:?}");
}
