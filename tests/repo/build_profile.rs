//! The dev profile's `opt-level = 0` list in `Cargo.toml`
//! (`[profile.dev.package]`) is exactly the crates that only run inside the
//! build (proc macros, the crates they and build scripts use): compiled
//! without optimisation they build in about half the time, and nothing of
//! them runs in the provider, the emulator or a test. A crate that reaches
//! the programs must stay optimised (the `package."*"` setting); a new
//! build-only crate belongs in the list. The crates come from
//! `cargo metadata` for this machine's platform, from the root package only
//! (not `packaging/` or `tools/protogen`; `cargo metadata` may download what
//! those members use, which `cargo test` did not need).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The packages given `NAME = { opt-level = 0 }` in `[profile.dev.package]`.
fn unoptimised_in_cargo_toml(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut in_section = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_section = line == "[profile.dev.package]";
        } else if in_section {
            if let Some((name, value)) = line.split_once('=') {
                if value.replace(' ', "") == "{opt-level=0}" {
                    names.insert(name.trim().trim_matches('"').to_owned());
                }
            }
        }
    }
    names
}

/// (crates reaching the programs, crates only the build runs), by name.
fn runtime_and_build_only() -> (BTreeSet<String>, BTreeSet<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let host = Command::new(option_env!("RUSTC").unwrap_or("rustc"))
        .arg("-vV")
        .output()
        .expect("rustc -vV");
    let host = String::from_utf8_lossy(&host.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc's host triple");
    let out = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--locked"])
        .args(["--filter-platform", &host])
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata's JSON");

    let mut name = BTreeMap::new();
    let mut proc_macro = BTreeSet::new();
    for package in doc["packages"].as_array().expect("packages") {
        let id = package["id"].as_str().expect("id").to_owned();
        let kinds = package["targets"].as_array().into_iter().flatten();
        if kinds
            .flat_map(|t| t["kind"].as_array().into_iter().flatten())
            .any(|k| k == "proc-macro")
        {
            proc_macro.insert(id.clone());
        }
        name.insert(id, package["name"].as_str().expect("name").to_owned());
    }
    // Each package's dependencies: (dependency, its kinds: null, "build", "dev").
    let mut deps: BTreeMap<String, Vec<(String, Vec<Value>)>> = BTreeMap::new();
    for node in doc["resolve"]["nodes"].as_array().expect("resolve") {
        let edges = node["deps"].as_array().into_iter().flatten().map(|d| {
            let kinds = d["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|k| k["kind"].clone());
            (d["pkg"].as_str().expect("pkg").to_owned(), kinds.collect())
        });
        deps.insert(node["id"].as_str().expect("id").to_owned(), edges.collect());
    }
    let root_id = doc["resolve"]["root"]
        .as_str()
        .expect("the root package")
        .to_owned();

    // What the programs link: normal (and, from the root, dev) edges, not into a proc macro.
    let mut runtime = BTreeSet::new();
    let mut todo = vec![root_id.clone()];
    // What the build runs: proc macros, build dependencies, and all they use.
    let mut build = BTreeSet::new();
    let mut build_todo = Vec::new();
    while let Some(id) = todo.pop() {
        if !runtime.insert(id.clone()) {
            continue;
        }
        for (dep, kinds) in &deps[&id] {
            let linked = kinds
                .iter()
                .any(|k| k.is_null() || (id == root_id && k == "dev"));
            if linked && !proc_macro.contains(dep) {
                todo.push(dep.clone());
            } else if proc_macro.contains(dep) || kinds.iter().any(|k| k == "build") {
                build_todo.push(dep.clone());
            }
        }
    }
    while let Some(id) = build_todo.pop() {
        if build.insert(id.clone()) {
            build_todo.extend(
                deps[&id]
                    .iter()
                    .filter(|(_, k)| !k.iter().all(|k| k == "dev"))
                    .map(|(d, _)| d.clone()),
            );
        }
    }
    let names = |ids: &BTreeSet<String>| {
        ids.iter()
            .map(|id| name[id].clone())
            .collect::<BTreeSet<_>>()
    };
    let runtime = names(&runtime);
    let build_only = names(&build).difference(&runtime).cloned().collect();
    (runtime, build_only)
}

#[test]
fn the_unoptimised_crates_are_exactly_those_only_the_build_runs() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .expect("Cargo.toml");
    let listed = unoptimised_in_cargo_toml(&text);
    let (runtime, build_only) = runtime_and_build_only();
    assert!(
        build_only.contains("syn") && build_only.contains("serde_derive"),
        "{build_only:?}"
    );
    assert!(
        runtime.contains("tokio") && runtime.contains("rustls"),
        "{runtime:?}"
    );
    let slowed: Vec<_> = listed.intersection(&runtime).collect();
    assert!(
        slowed.is_empty(),
        "{slowed:?} run in the provider, the emulator or a test: remove them from \
         `[profile.dev.package]` in Cargo.toml"
    );
    let missing: Vec<_> = build_only.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "{missing:?} only run in the build: add `NAME = {{ opt-level = 0 }}` to \
         `[profile.dev.package]` in Cargo.toml for each"
    );
}
