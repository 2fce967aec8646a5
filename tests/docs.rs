//! `docs/` is generated from the schema and never edited by hand: this test
//! renders it from the provider's own schemas plus `templates/` (prose a
//! schema cannot say) and fails when the committed files differ.
//! `UPDATE_DOCS=1 cargo test --test docs` rewrites them.

use std::path::Path;

use terraform_provider_writer::provider::WriterProvider;
use terraform_provider_writer::tfplugin::function::Signature;
use terraform_provider_writer::tfplugin::schema::{Attribute, Schema};
use terraform_provider_writer::tfplugin::value::Type;
use terraform_provider_writer::tfplugin::{IdentitySchema, Provider};

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

fn render(template: &str, schema: &Schema, root: &Path) -> String {
    let mut out = template.replace("{{description}}", schema.block.description.trim());
    out = out.replace("{{schema}}", schema_markdown(schema).trim_end());
    // {{example path}} inlines an example configuration.
    while let Some(start) = out.find("{{example ") {
        let end = out[start..]
            .find("}}")
            .map(|e| start + e)
            .expect("closed {{example}}");
        let path = out[start + 10..end].trim().to_string();
        let body =
            std::fs::read_to_string(root.join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        out.replace_range(start..end + 2, &format!("```terraform\n{}```", body));
    }
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
            let short = l.type_name().trim_start_matches("writer_");
            let name = format!("templates/list-resources/{short}.md.tmpl");
            let t =
                std::fs::read_to_string(root.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            (
                format!("docs/list-resources/{short}.md"),
                render(&t, &l.schema(), root),
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

/// A function's page: wholly from its signature.
fn function_page(name: &str, s: &Signature) -> String {
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
    format!(
        "# {name} (Function)\n\n{}\n\n{}\n\n## Signature\n\n```text\nprovider::writer::{name}({}) {}\n```\n\n## Arguments\n\n{arguments}",
        s.summary.trim(),
        s.description.trim(),
        params.join(", "),
        hcl_type(&s.returns)
    )
}

fn generated(root: &Path) -> Vec<(String, String)> {
    let p = WriterProvider::new();
    let template = |name: &str| {
        std::fs::read_to_string(root.join("templates").join(name))
            .unwrap_or_else(|e| panic!("templates/{name}: {e}"))
    };
    let mut docs = vec![(
        "docs/index.md".to_string(),
        render(&template("index.md.tmpl"), &p.schema(), root),
    )];
    for r in p.resources() {
        let short = r.type_name().trim_start_matches("writer_");
        let t = template(&format!("resources/{short}.md.tmpl"));
        docs.push((
            format!("docs/resources/{short}.md"),
            with_identity(render(&t, &r.schema(), root), r.identity()),
        ));
    }
    for d in p.data_sources() {
        let short = d.type_name().trim_start_matches("writer_");
        let t = template(&format!("data-sources/{short}.md.tmpl"));
        docs.push((
            format!("docs/data-sources/{short}.md"),
            render(&t, &d.schema(), root),
        ));
    }
    docs.extend(list_resource_pages(&p, root));
    for f in p.functions() {
        docs.push((
            format!("docs/functions/{}.md", f.name()),
            function_page(f.name(), &f.signature()),
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
        "generated docs are out of date: {stale:?}. Run `UPDATE_DOCS=1 cargo test --test docs` and commit."
    );
}
