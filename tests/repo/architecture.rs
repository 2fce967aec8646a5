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

#[test]
fn no_import_circles() {
    let modules = modules();
    let known: BTreeSet<&str> = modules.keys().map(String::as_str).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file) in &modules {
        for target in references(module, &code_of(file)) {
            // The longest known module the path starts with.
            let Some(target) = longest_module(&target, &known) else {
                continue;
            };
            // A child naming its parent (or the other way) is how Rust
            // modules share; a circle is between modules neither of which
            // contains the other.
            let related = module == &target
                || module.starts_with(&format!("{target}::"))
                || target.starts_with(&format!("{module}::"));
            if !related {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    let circles = circles(&edges);
    assert!(
        circles.is_empty(),
        "modules that import each other in a circle:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_checker_sees_a_circle_and_a_layer_break() {
    // The two checks above pass only if they can fail: feed them a made-up tree.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.insert("crate::p::a".into(), ["crate::p::b".to_string()].into());
    edges.insert("crate::p::b".into(), ["crate::p::a".to_string()].into());
    assert_eq!(circles(&edges).len(), 1);
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
