//! Limits on what the provider accepts from Writer, through the real
//! `terraform` and the real emulator: an app with more scopes than the
//! provider accepts is refused with the limit, on read and in the data source,
//! instead of being processed.

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, Workdir};
use serde_json::json;

/// An app made in "Writer" (the emulator's API, as the UI would) with more
/// scopes than the provider's limit of 256.
fn app_with_300_scopes(emu: &EmulatorProcess) -> String {
    let mut scopes = vec![
        "search:confluence".to_string(),
        "read:space:confluence".to_string(),
        "read:page:confluence".to_string(),
    ];
    scopes.extend((0..297).map(|i| format!("read:future-{i}:confluence")));
    emu.app_made_by_hand(json!({"name": "Many scopes", "scopes": scopes}))
}

fn says_too_many(output: &str) {
    assert!(
        output.contains("Writer returned too many scopes"),
        "{output}"
    );
    assert!(
        output.contains("Writer reports 300 scopes") && output.contains("at most 256"),
        "{output}"
    );
}

/// `config(id)` reads an app of 300 scopes made in Writer: the plan fails
/// with the limit.
fn plan_fails_with_the_limit(config: impl Fn(&str) -> String) {
    let emu = EmulatorProcess::start(&[]);
    let id = app_with_300_scopes(&emu);
    let mut w = Workdir::new(&(header("") + &config(&id)));
    w.use_emulator(&emu);
    let plan = w.terraform(&["plan", "-input=false", "-no-color"]);
    assert_ne!(plan.status, 0, "{}", plan.all());
    says_too_many(&plan.all());
}

#[test]
fn a_data_source_read_with_too_many_scopes_fails_with_the_limit() {
    plan_fails_with_the_limit(|id| {
        format!("data \"writer_confluence_oauth_app\" \"big\" {{\n  id = \"{id}\"\n}}\n")
    });
}

#[test]
fn a_resource_read_with_too_many_scopes_fails_with_the_limit() {
    plan_fails_with_the_limit(|id| {
        format!("import {{\n  to = writer_confluence_oauth_app.big\n  id = \"{id}\"\n}}\n\nresource \"writer_confluence_oauth_app\" \"big\" {{\n  name = \"Many scopes\"\n  client_id = \"fake-client-id-0001\"\n  client_secret_wo = \"fake-secret-0001\"\n  client_secret_wo_version = 1\n}}\n")
    });
}
