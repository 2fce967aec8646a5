//! Words that are true, through the real `terraform`, the real provider
//! binary and the real `writer-emulator`: each message below once claimed
//! something the provider had not checked (issue 22, "Words that are not
//! true"). Each scenario makes the situation the way a user meets it and
//! reads what Terraform shows: that it says what is true, and what to do.
//!
//! - an update to an app deleted in Writer between plan and apply;
//! - a state whose `id` is empty (never "someone deleted it": Writer was not
//!   asked);
//! - `create_before_destroy` with `-replace`, whose new app's name is taken
//!   by the app it replaces (not only "import it": the resource has it);
//! - a hand-edited state of the wrong type (the state, not "a bug");
//! - a look-alike (Cyrillic) callback host, a `1ns` timeout, and a GUID with
//!   a trailing space, at `terraform validate`.

use crate::support::emulator::{EmulatorProcess, SHAREPOINT_CLIENT_ID};
use crate::support::terraform::{header, required_scopes, Run, Terraform, Workdir};
use crate::support::SECRET;

const ADDRESS: &str = "writer_confluence_oauth_app.eng";

fn app(name: &str, lifecycle: &str) -> String {
    format!(
        "{}resource \"writer_confluence_oauth_app\" \"eng\" {{\n  name = \"{name}\"\n  client_id = \"fake-client-id-0001\"\n  client_secret_wo = \"{SECRET}\"\n  client_secret_wo_version = 1\n  scopes = {}\n{lifecycle}}}\n",
        header(""),
        required_scopes()
    )
}

fn workdir(tf: Terraform, emu: &EmulatorProcess, main_tf: &str) -> Workdir {
    Workdir::on_emulator(tf, emu, main_tf, &[])
}

/// The summary and detail of every error `run` showed, one a line.
fn errors(run: &Run) -> String {
    run.diagnostics()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| format!("{} | {}\n", d["summary"], d["detail"]))
        .collect()
}

/// The local state with `edit` applied to the one resource's attributes.
fn edit_state(w: &Workdir, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = w.path().join("terraform.tfstate");
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("state")).expect("JSON");
    edit(&mut state["resources"][0]["instances"][0]["attributes"]);
    std::fs::write(&path, serde_json::to_string_pretty(&state).unwrap()).expect("state written");
}

fn deleted_between_plan_and_apply(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let w = workdir(tf, &emu, &app("Engineering", ""));
    w.apply();
    let id = w
        .state_attribute(ADDRESS, "id")
        .as_str()
        .unwrap()
        .to_string();
    w.write(&app("Engineering Wiki", ""));
    w.terraform(&["plan", "-input=false", "-no-color", "-out=tfplan"])
        .ok();
    let (status, body) = emu.call("DELETE", &format!("/v1/oauth-apps/{id}"), None);
    assert_eq!(status, 204, "{body}");

    let run = w.terraform(&["apply", "-json", "-input=false", "tfplan"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let said = errors(&run);
    for words in [
        &id as &str,
        "no longer exists in Writer",
        "nothing was changed",
        "creates it again",
        "remove the resource",
    ] {
        assert!(said.contains(words), "wanted {words:?} in:\n{said}");
    }
    assert!(!said.contains("still matches"), "{said}");
    // And the next plan does what it said.
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("will be created"), "{plan}");
}

fn state_with_an_empty_id(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let w = workdir(tf, &emu, &app("Engineering", ""));
    w.apply();
    let id = w
        .state_attribute(ADDRESS, "id")
        .as_str()
        .unwrap()
        .to_string();
    edit_state(&w, |a| a["id"] = "".into());

    let run = w.terraform(&["plan", "-json", "-input=false"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let said = errors(&run);
    for words in ["has no ID", "terraform state rm", "import"] {
        assert!(said.contains(words), "wanted {words:?} in:\n{said}");
    }
    assert!(!said.contains("deleted") && !said.contains("bug"), "{said}");
    let warnings = run.all();
    assert!(!warnings.contains("someone deleted it"), "{warnings}");
    // Without a refresh, neither an update nor a destroy is sent, or said
    // to be done.
    w.write(&app("Engineering Wiki", ""));
    for command in ["apply", "destroy"] {
        let run = w.terraform(&[
            command,
            "-json",
            "-input=false",
            "-auto-approve",
            "-refresh=false",
        ]);
        assert_ne!(run.status, 0, "{command}: {}", run.all());
        let said = errors(&run);
        // Terraform 1.12 and later also keep the identity, which still
        // holds the ID: the plan of an update sees the two disagree first.
        let identity = "The stored identity does not match the stored state";
        assert!(
            said.contains("has no ID") || tf == Terraform::V1_15 && said.contains(identity),
            "{command}: {said}"
        );
        assert!(!said.contains("bug"), "{command}: {said}");
    }
    // Writer was not asked, and its app is untouched.
    assert_eq!(emu.get_app(&id)["name"], "Engineering");
}

fn replaced_with_create_before_destroy(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let lifecycle = "  lifecycle {\n    create_before_destroy = true\n  }\n";
    let w = workdir(tf, &emu, &app("Engineering", lifecycle));
    w.apply();
    let id = w
        .state_attribute(ADDRESS, "id")
        .as_str()
        .unwrap()
        .to_string();

    let replace = format!("-replace={ADDRESS}");
    let run = w.terraform(&["apply", "-json", "-input=false", "-auto-approve", &replace]);
    assert_ne!(run.status, 0, "{}", run.all());
    let said = errors(&run);
    // Terraform tells the create nothing of the app it replaces, so the
    // words name the app Writer has under this name and the replacement
    // case first; importing it is offered only if no resource manages it.
    for words in [
        &format!("Writer already has the Confluence OAuth app `{id}`") as &str,
        &format!("If this apply replaces `{id}`"),
        "the app it replaces",
        "create_before_destroy",
        "change `name`",
    ] {
        assert!(said.contains(words), "wanted {words:?} in:\n{said}");
    }
    let import = said.find("import {").expect("import for an unmanaged app");
    assert!(
        said.find("If no resource manages").unwrap() < import,
        "{said}"
    );
    assert!(!said.contains("name=<its name>"), "{said}");
    // The app it replaces is still there, and still managed.
    assert_eq!(emu.all_apps().len(), 1);
    assert_eq!(w.state_attribute(ADDRESS, "id"), id.as_str());
}

fn hand_edited_state_of_the_wrong_type(tf: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let w = workdir(tf, &emu, &app("Engineering", ""));
    w.apply();
    edit_state(&w, |a| a["scopes"] = "search:confluence".into());

    let run = w.terraform(&["plan", "-json", "-input=false"]);
    assert_ne!(run.status, 0, "{}", run.all());
    let said = errors(&run);
    for words in [
        "does not match",
        "scopes",
        "a set is required, got a JSON string",
        "terraform state rm",
        "import",
    ] {
        assert!(said.contains(words), "wanted {words:?} in:\n{said}");
    }
    assert!(!said.to_lowercase().contains("bug"), "{said}");
}

/// `terraform validate` of `main_tf`: its errors, which must be one at least.
fn validate_errors(w: &Workdir, main_tf: &str) -> String {
    w.write(main_tf);
    let run = w.terraform(&["validate", "-json", "-no-color"]);
    assert_ne!(run.status, 0, "{}", run.all());
    errors(&run)
}

fn validate_says_what_differs(tf: Terraform) {
    let w = Workdir::new_with(tf, &app("Engineering", ""));
    let confluence = |extra: &str, provider: &str| {
        format!(
            "{}resource \"writer_confluence_oauth_app\" \"eng\" {{\n  name = \"Engineering\"\n  client_id = \"fake-client-id-0001\"\n  client_secret_wo = \"{SECRET}\"\n  client_secret_wo_version = 1\n{extra}}}\n",
            header(provider)
        )
    };

    // A look-alike host: `а` is U+0430, CYRILLIC SMALL LETTER A.
    let said = validate_errors(
        &w,
        &confluence(
            "  callback_url = \"https://\u{430}pp.writer.com/connector/confluence\"\n",
            "",
        ),
    );
    for words in ["U+0430", "xn--pp-6kc.writer.com", "not the Latin"] {
        assert!(said.contains(words), "wanted {words:?} in:\n{said}");
    }

    // A duration finer than the provider counts is still a duration.
    let said = validate_errors(&w, &confluence("", "  request_timeout = \"1ns\""));
    assert!(!said.contains("not a duration"), "{said}");
    for words in ["`1ns`", "1ms", "\\\"500ms\\\""] {
        assert!(said.contains(words), "wanted {words:?} in:\n{said}");
    }

    // A GUID with a space after it.
    let guid = "11111111-2222-4333-8444-555555555555";
    let sharepoint = |client_id: &str, tenant_id: &str| {
        format!(
            "{}resource \"writer_sharepoint_oauth_app\" \"docs\" {{\n  name = \"Docs\"\n  client_id = \"{client_id}\"\n  tenant_id = \"{tenant_id}\"\n  client_secret_wo = \"fake8Q~entra-secret-value-0001\"\n  client_secret_wo_version = 1\n}}\n",
            header("")
        )
    };
    let said = validate_errors(&w, &sharepoint(SHAREPOINT_CLIENT_ID, &format!("{guid} ")));
    assert!(said.contains("tenant_id"), "{said}");
    assert!(said.contains("ends with a space"), "{said}");
    let said = validate_errors(&w, &sharepoint(&format!("{SHAREPOINT_CLIENT_ID} "), guid));
    assert!(said.contains("client_id"), "{said}");
    assert!(said.contains("ends with a space"), "{said}");
}

on_every_terraform!(
    deleted_between_plan_and_apply,
    state_with_an_empty_id,
    replaced_with_create_before_destroy,
    hand_edited_state_of_the_wrong_type,
    validate_says_what_differs,
);
