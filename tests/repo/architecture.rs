//! The architecture DESIGN.md draws, checked: the layers point one way and
//! no two modules import each other in a circle. It reads `src/` as text:
//! every `crate::…` and `super::…` path outside test modules is an edge from
//! the file's module to the module the path names.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What each layer may not name. `tfplugin` knows nothing of Writer,
/// `domain` is pure rules, the client knows no Terraform, and nothing the
/// provider ships imports the emulator (nor the emulator the provider).
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("tfplugin", &["domain", "client", "provider", "emulator"]),
    ("domain", &["tfplugin", "client", "provider", "emulator"]),
    ("client", &["tfplugin", "provider", "emulator"]),
    ("provider", &["emulator"]),
    ("emulator", &["tfplugin", "provider", "client"]),
];

/// `domain` does no I/O: none of these names appear in it.
const IO: &[&str] = &["std::fs", "std::net", "std::process", "tokio", "reqwest"];

#[test]
fn layers_point_one_way() {
    let modules = modules();
    let mut broken = Vec::new();
    for (module, file) in &modules {
        let layer = module.split("::").nth(1).unwrap_or("");
        for target in references(module, &code_of(file)) {
            let target_layer = target.split("::").nth(1).unwrap_or("");
            if let Some((_, banned)) = FORBIDDEN.iter().find(|(l, _)| *l == layer) {
                if banned.contains(&target_layer) {
                    broken.push(format!("{module} names {target}"));
                }
            }
        }
        if layer == "domain" {
            let code = code_of(file);
            for io in IO {
                if code.contains(io) {
                    broken.push(format!("{module} does I/O ({io})"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
}

/// Words of one product or vendor ("Knowledge Graph" is Writer's own, so
/// Microsoft Graph is caught by "microsoft"); the OAuth-app lifecycle
/// (`provider::oauth_apps::lifecycle`), the same for every connector, uses
/// none of them: what differs comes from the connector
/// (`provider::oauth_apps::connectors`).
const PRODUCT_WORDS: &[&str] = &[
    "confluence",
    "atlassian",
    "sharepoint",
    "microsoft",
    "entra",
    "azure",
    "tenant",
];

#[test]
fn the_oauth_app_lifecycle_names_no_product() {
    let modules = modules();
    let lifecycle: Vec<_> = modules
        .iter()
        .filter(|(m, _)| m.starts_with("crate::provider::oauth_apps::lifecycle"))
        .collect();
    assert!(lifecycle.len() >= 8, "read too few lifecycle modules");
    let mut found = Vec::new();
    for (module, file) in lifecycle {
        let code = code_of(file).to_lowercase();
        for word in PRODUCT_WORDS {
            if code.contains(word) {
                found.push(format!("{module} says {word:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "product words in the lifecycle:\n{}",
        found.join("\n")
    );
    // What the check reads: code, not comments or tests.
    let sample = std::env::temp_dir().join(format!("arch-words-{}.rs", std::process::id()));
    let text =
        "//! Confluence\nconst X: &str = \"SharePoint\";\n#[cfg(test)]\nmod t { /* Entra */ }\n";
    fs::write(&sample, text).expect("temp dir is writable");
    let code = code_of(&sample).to_lowercase();
    let _ = fs::remove_file(&sample);
    assert!(code.contains("sharepoint") && !code.contains("confluence") && !code.contains("entra"));
}

/// The families of Writer objects, each with its folders in the layers. A
/// family's code never names another family's: what they share (the
/// transport, the provider block, the provider-wide words, the emulator's
/// layers and state file) lives outside every family's folders. A new
/// family adds its line here.
const FAMILIES: &[(&str, &[&str])] = &[
    (
        "OAuth apps",
        &[
            "crate::provider::oauth_apps",
            "crate::client::oauth_apps",
            "crate::emulator::oauth_apps",
            "crate::domain::confluence",
            "crate::domain::sharepoint",
        ],
    ),
    (
        "Knowledge Graphs",
        &[
            "crate::provider::knowledge_graph",
            "crate::client::knowledge_graph",
            "crate::emulator::knowledge_graph",
            "crate::domain::knowledge_graph",
        ],
    ),
];

/// The family whose folders hold `module`, if any.
fn family_of(module: &str) -> Option<&'static str> {
    FAMILIES
        .iter()
        .find(|(_, folders)| {
            folders
                .iter()
                .any(|f| module == *f || module.starts_with(&format!("{f}::")))
        })
        .map(|(name, _)| *name)
}

#[test]
fn families_do_not_import_each_other() {
    let modules = modules();
    let mut found = Vec::new();
    for (module, file) in &modules {
        let Some(own) = family_of(module) else {
            continue;
        };
        for target in references(module, &code_of(file)) {
            match family_of(&target) {
                Some(other) if other != own => {
                    found.push(format!("{module} ({own}) names {target} ({other})"))
                }
                _ => {}
            }
        }
    }
    assert!(
        found.is_empty(),
        "a family imports another family's code:\n{}",
        found.join("\n")
    );
    // Every family's folders that exist are read (the OAuth apps' do).
    for folder in FAMILIES[0].1 {
        assert!(modules.contains_key(*folder), "no module {folder}");
    }
    // The check can fail: a made-up import across families.
    let refs = references(
        "crate::provider::oauth_apps::lifecycle",
        "use crate::client::knowledge_graph::Graph;\nuse super::super::knowledge_graph::x;",
    );
    let crossing: Vec<_> = refs
        .iter()
        .filter(|r| family_of(r) == Some("Knowledge Graphs"))
        .collect();
    assert_eq!(crossing.len(), 2, "{refs:?}");
    assert_eq!(family_of("crate::provider::texts"), None);
}

#[test]
fn no_import_circles() {
    let modules = modules();
    let known: BTreeSet<&str> = modules.keys().map(String::as_str).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file) in &modules {
        let code = code_of(file);
        for target in imports(module, &code, &known) {
            edges.entry(module.clone()).or_default().insert(target);
        }
    }
    let circles = circles(&edges);
    assert!(
        circles.is_empty(),
        "modules that import each other in a circle:\n{}",
        circles.join("\n")
    );
}

/// The modules `module` imports from: every module its paths name, where a
/// path into a module containing this one counts only when it takes an item
/// of that module itself (`use super::state_from`, a re-export included),
/// not when it passes through it to a sibling (`use super::texts`), and a
/// module naming what it contains counts too (`use list::OAuthAppList`,
/// `pub use local::spawn_local`). Declaring a child (`mod list;`) is not
/// an import.
fn imports(module: &str, code: &str, known: &BTreeSet<&str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let paths = references(module, code)
        .into_iter()
        .chain(child_paths(module, code, known));
    for path in paths {
        // The longest known module the path starts with.
        let Some(target) = longest_module(&path, known) else {
            continue;
        };
        // `super::texts` reaches the sibling `texts`, not the parent (the
        // longest module is the sibling), so a path whose longest module is
        // an ancestor names an item of the ancestor itself.
        if target != module {
            out.insert(target);
        }
    }
    out
}

/// Paths in `module`'s code that start with the name of one of its child
/// modules (`list::OAuthAppList`, `use routes::router`), resolved.
fn child_paths(module: &str, code: &str, known: &BTreeSet<&str>) -> Vec<String> {
    let prefix = format!("{module}::");
    let children: Vec<&str> = known
        .iter()
        .filter_map(|m| m.strip_prefix(&prefix))
        .filter(|rest| !rest.contains("::"))
        .collect();
    let bytes = code.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    for child in children {
        let needle = format!("{child}::");
        for (at, _) in code.match_indices(&needle) {
            if at > 0 && (word(bytes[at - 1]) || bytes[at - 1] == b':') {
                continue;
            }
            let path: String = code[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(format!("{module}::{path}"));
        }
    }
    out
}

#[test]
fn the_checker_sees_a_circle_and_a_layer_break() {
    // The two checks above pass only if they can fail: feed them a made-up tree.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.insert("crate::p::a".into(), ["crate::p::b".to_string()].into());
    edges.insert("crate::p::b".into(), ["crate::p::a".to_string()].into());
    assert_eq!(circles(&edges).len(), 1);
    // A parent and its child importing each other through `super::`: the
    // child takes an item of the parent, the parent re-exports the child's.
    let known: BTreeSet<&str> = ["crate::p", "crate::p::a", "crate::p::b"].into();
    let parent = imports("crate::p", "mod a;\nmod b;\npub use a::Thing;\n", &known);
    let child = imports(
        "crate::p::a",
        "use super::helper;\nuse super::b::x;\n",
        &known,
    );
    assert_eq!(parent, ["crate::p::a".to_string()].into());
    assert_eq!(
        child,
        ["crate::p".to_string(), "crate::p::b".to_string()].into()
    );
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.insert("crate::p".into(), parent);
    edges.insert("crate::p::a".into(), child);
    assert_eq!(circles(&edges), ["crate::p -> crate::p::a -> crate::p"]);
    // Declaring a child and reaching a sibling through the parent are not
    // imports of the parent.
    assert!(imports("crate::p", "mod a;\n", &known).is_empty());
    assert_eq!(
        imports("crate::p::a", "use super::b;\n", &known),
        ["crate::p::b".to_string()].into()
    );
    let refs = references(
        "crate::tfplugin::server",
        "use crate::provider::texts;\nuse super::diag;",
    );
    assert!(refs.contains(&"crate::provider::texts".to_string()));
    assert!(refs.contains(&"crate::tfplugin::diag".to_string()));
}

/// Every module of the crate, by path, with its file.
fn modules() -> BTreeMap<String, PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&src, &src, &mut out);
    assert!(
        out.len() > 20,
        "read too few modules from {}",
        src.display()
    );
    out
}

fn walk(src: &Path, dir: &Path, out: &mut BTreeMap<String, PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("src is readable").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "bin") {
                walk(src, &path, out);
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(src).expect("under src");
        let mut parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
            parts.pop();
        }
        if parts.last().is_some_and(|p| p.ends_with("_tests")) {
            continue;
        }
        let module = std::iter::once("crate".to_string())
            .chain(parts)
            .collect::<Vec<_>>()
            .join("::");
        out.insert(module, path);
    }
}

/// The file's code without comments and without its test module.
fn code_of(file: &Path) -> String {
    let text = fs::read_to_string(file).expect("source is readable");
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a file's code names, resolved to `crate::…`.
fn references(module: &str, code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for (at, _) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        if at > 0 && (word(bytes[at - 1]) || bytes[at - 1] == b':') {
            continue;
        }
        let path: String = code[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let mut base: Vec<&str> = module.split("::").collect();
        if segments.first() == Some(&"crate") {
            base = vec!["crate"];
            segments.remove(0);
        }
        while segments.first() == Some(&"super") {
            segments.remove(0);
            base.pop();
        }
        base.extend(segments);
        out.push(base.join("::"));
    }
    out
}

fn longest_module(path: &str, known: &BTreeSet<&str>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|candidate| known.contains(candidate.as_str()))
        .filter(|m| m != "crate")
}

/// Each circle once, as `a -> b -> a`.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut found = BTreeSet::new();
    for start in edges.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, trail)) = stack.pop() {
            for next in edges.get(&at).into_iter().flatten() {
                if next == start {
                    let mut circle = trail.clone();
                    let min = circle.iter().min().cloned().unwrap_or_default();
                    let turn = circle.iter().position(|m| *m == min).unwrap_or(0);
                    circle.rotate_left(turn);
                    circle.push(circle[0].clone());
                    found.insert(circle.join(" -> "));
                } else if !trail.contains(next) && trail.len() < 8 {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found.into_iter().collect()
}
