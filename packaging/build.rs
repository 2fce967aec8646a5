//! The provider's version for `tests/support` (`PROVIDER_VERSION`): the root
//! package's, read from its `Cargo.toml` `[package]` (as
//! `scripts/version.sh` reads it), not this package's own.

fn main() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    println!("cargo:rerun-if-changed={}", manifest.display());
    let text = std::fs::read_to_string(&manifest).expect("the root Cargo.toml");
    let mut in_package = false;
    let version = text
        .lines()
        .find_map(|line| {
            if line.starts_with('[') {
                in_package = line.trim() == "[package]";
                return None;
            }
            let value = line
                .strip_prefix("version")?
                .trim_start()
                .strip_prefix('=')?;
            in_package.then(|| value.trim().trim_matches('"').to_string())
        })
        .expect("a version in the root Cargo.toml's [package]");
    println!("cargo:rustc-env=WRITER_PROVIDER_VERSION={version}");
}
