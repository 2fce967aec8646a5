//! The provider tells Terraform that GetProviderSchema is optional, so
//! Terraform asks the first provider process of a command for the schema and
//! reuses its copy for the processes it starts after that.

use crate::support::terraform::{header, Workdir, STORED_SECRET_APP as CONFIG};

#[test]
fn terraform_asks_for_the_schema_once_per_command() {
    let mut w = Workdir::new(&(header("") + CONFIG));
    // Terraform's own trace lines say when it asks and when it reuses.
    w.set_env("TF_LOG", "trace");
    let run = w.terraform(&["validate", "-no-color"]).ok();
    let log = run.all();
    let asked = log.matches("GRPCProvider.v6: GetProviderSchema").count();
    let reused = log
        .matches("GRPCProvider.v6: returning cached schema")
        .count();
    assert_eq!(asked, 1, "asked once per command:\n{log}");
    assert!(reused >= 1, "the later provider processes are not asked");
}
