//! Where the tests install the provider for Terraform: under `target/`,
//! one place per build, as `support::terraform` says, so that test runs
//! leave nothing in the system's temporary directory.

use crate::support::terraform::{self, Workdir};
use crate::support::{provider_binary, target_dir, PROVIDER_VERSION};

#[test]
fn the_provider_mirror_lies_under_target_and_links_the_build() {
    let config = terraform::cli_config();
    let target = std::path::absolute(target_dir()).unwrap();
    assert!(
        config.starts_with(&target),
        "{} is not under {}",
        config.display(),
        target.display()
    );
    assert!(
        !config.starts_with(std::env::temp_dir()),
        "{}",
        config.display()
    );
    let text = std::fs::read_to_string(config).unwrap();
    let mirror = target.join("tfacc-mirror").join("mirror");
    assert!(
        text.contains(&format!("path    = \"{}\"", mirror.display())),
        "{text}"
    );
    let installed = terraform::provider_dir(&mirror)
        .join(format!("terraform-provider-writer_v{}", PROVIDER_VERSION));
    assert_eq!(std::fs::read_link(&installed).unwrap(), provider_binary());
    // And Terraform installs the provider from it: what `init` put in the
    // working directory is this build's binary.
    let w = Workdir::new("terraform {\n  required_providers {\n    writer = { source = \"writer/writer\" }\n  }\n}\n");
    let in_workdir = terraform::provider_dir(&w.path().join(".terraform").join("providers"))
        .join(format!("terraform-provider-writer_v{}", PROVIDER_VERSION));
    assert_eq!(
        std::fs::canonicalize(&in_workdir)
            .unwrap_or_else(|e| panic!("{}: {e}", in_workdir.display())),
        std::fs::canonicalize(provider_binary()).unwrap()
    );
}
