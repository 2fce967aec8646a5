//! Writes the Rust that `tonic-prost-build` generates from `proto/*.proto`
//! (compiled by `protox`, so no system `protoc`) into `proto/generated/`,
//! or with `--check` fails if the committed files differ from what the
//! `.proto` files give today. Why the generated code is committed: see this
//! crate's Cargo.toml.
//!
//! `cargo run -p writer-protogen` regenerates; `cargo run -p writer-protogen
//! -- --check` is what CI runs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The files we compile, relative to the repository root, and the package
/// each defines (the name of the generated file).
const PROTOS: [&str; 3] = [
    "proto/tfplugin6.proto",
    "proto/grpc_controller.proto",
    "proto/grpc_stdio.proto",
];
const GENERATED: &str = "proto/generated";

fn main() -> ExitCode {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!("usage: writer-protogen [--check] (unknown argument {other:?})");
            return ExitCode::from(2);
        }
    };
    match run(check) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("writer-protogen: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(check: bool) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let scratch = tempdir(&root)?;
    let result = generate(&root, &scratch).and_then(|()| {
        if check {
            compare(&scratch, &root.join(GENERATED))
        } else {
            install(&scratch, &root.join(GENERATED))
        }
    });
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn tempdir(root: &Path) -> Result<PathBuf, String> {
    let dir = root
        .join("target")
        .join(format!("protogen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

fn generate(root: &Path, out: &Path) -> Result<(), String> {
    let files: Vec<PathBuf> = PROTOS.iter().map(|p| root.join(p)).collect();
    let descriptors =
        protox::compile(&files, [root.join("proto")]).map_err(|e| format!("protox: {e}"))?;
    tonic_prost_build::configure()
        .build_client(true) // tests drive the server through a real client
        .build_server(true)
        .out_dir(out)
        .compile_fds(descriptors)
        .map_err(|e| format!("tonic-prost-build: {e}"))
}

/// The `.rs` files of a directory, by name.
fn rust_files(dir: &Path) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let name = entry
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".rs") {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

fn compare(fresh: &Path, committed: &Path) -> Result<(), String> {
    let wanted = rust_files(fresh)?;
    let have = rust_files(committed).unwrap_or_default();
    let mut stale = Vec::new();
    for name in wanted.iter().chain(have.iter()) {
        let a = std::fs::read(fresh.join(name)).ok();
        let b = std::fs::read(committed.join(name)).ok();
        if a != b && !stale.contains(name) {
            stale.push(name.clone());
        }
    }
    if stale.is_empty() {
        println!("{GENERATED}/ matches proto/*.proto");
        Ok(())
    } else {
        Err(format!(
            "{GENERATED}/ is not what proto/*.proto gives ({}): run `cargo run -p writer-protogen` and commit the result",
            stale.join(", ")
        ))
    }
}

fn install(fresh: &Path, committed: &Path) -> Result<(), String> {
    std::fs::create_dir_all(committed).map_err(|e| format!("{}: {e}", committed.display()))?;
    for old in rust_files(committed)? {
        std::fs::remove_file(committed.join(&old)).map_err(|e| format!("{old}: {e}"))?;
    }
    for name in rust_files(fresh)? {
        std::fs::copy(fresh.join(&name), committed.join(&name))
            .map_err(|e| format!("{name}: {e}"))?;
        println!("wrote {GENERATED}/{name}");
    }
    Ok(())
}
