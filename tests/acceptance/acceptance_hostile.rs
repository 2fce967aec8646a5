//! The real `terraform` and the real provider binary against a hostile
//! Writer API (our own scriptable fake server): a redirect to another host,
//! a server echoing the request into its errors, a success echoing the
//! secret into the app. A sentinel API key and a sentinel client secret must
//! be absent from every terraform output, the `TF_LOG=trace` log, the state
//! file and the plan JSON.

use crate::support::capture::assert_no_piece_of;
use crate::support::fake_writer::{app_json, echo, FakeWriter, Reply, Request};
use crate::support::terraform::{header, required_scopes, Run, Terraform, Workdir};
use crate::support::ADMIN;
use serde_json::json;

const SECRET: &str = "fake-secret-sentinel-acceptance-0001";

/// The secret reaches the write-only attribute from an ephemeral variable,
/// as the docs recommend.
fn resource() -> String {
    format!(
        "variable \"atlassian_client_secret\" {{\n  type      = string\n  sensitive = true\n  ephemeral = true\n}}\n\nresource \"writer_confluence_oauth_app\" \"eng\" {{\n  name = \"Hostile\"\n  client_id = \"fake-client-id-0001\"\n  client_secret_wo = var.atlassian_client_secret\n  client_secret_wo_version = 1\n  scopes = {}\n}}\n",
        required_scopes()
    )
}

/// The secret through its ephemeral variable, and Terraform's and the
/// provider's trace log (on stderr), which is searched for the sentinels.
fn hostile_env() -> [(&'static str, &'static str); 2] {
    [
        ("TF_VAR_atlassian_client_secret", SECRET),
        ("TF_LOG", "trace"),
    ]
}

/// Fails naming `place` if the key, the secret, or a long piece of either
/// is in `text`.
fn assert_no_sentinel(place: &str, text: &str) {
    assert_no_piece_of(place, text, &[ADMIN, SECRET], 12);
}

/// Plans to a file, shows the plan as JSON, then applies: every output, the
/// trace log (terraform's stderr), the plan JSON and the state are checked.
/// Returns the apply.
fn plan_and_apply(w: &Workdir) -> Run {
    let plan = w
        .terraform(&["plan", "-input=false", "-no-color", "-out=tfplan"])
        .ok();
    assert!(
        plan.stderr.contains("provider.terraform-provider-writer"),
        "the provider's trace lines are in the log"
    );
    assert_no_sentinel("plan output and trace log", &plan.all());
    let shown = w.terraform(&["show", "-json", "tfplan"]).ok();
    assert!(shown.stdout.contains("writer_confluence_oauth_app"));
    assert_no_sentinel("plan JSON", &shown.all());
    let apply = w.terraform(&["apply", "-input=false", "-no-color", "-auto-approve"]);
    assert_no_sentinel("apply output and trace log", &apply.all());
    assert_no_sentinel("state file", &w.read("terraform.tfstate"));
    assert_no_sentinel("state backup", &w.read("terraform.tfstate.backup"));
    let state = w.terraform(&["show", "-json"]);
    assert_no_sentinel("state JSON", &state.all());
    apply
}

/// The fake did receive the sentinels, so an echo really holds them.
fn assert_sentinels_were_sent(request: &Request) {
    assert!(request.body_text().contains(SECRET), "{}", request.dump());
    assert!(
        request
            .header("authorization")
            .is_some_and(|a| a.contains(ADMIN)),
        "{}",
        request.dump()
    );
}

#[test]
fn a_redirect_to_another_host_sends_nothing_there_and_leaks_nothing() {
    let elsewhere = FakeWriter::start(|_, _| Reply::json(201, app_json("stolen", "Hostile", "…")));
    let location = format!(
        "http://someone:fake-password-in-location@{}/v1/oauth-apps?steal=1",
        elsewhere.authority()
    );
    let fake = FakeWriter::start(move |_, _| Reply::redirect(307, &location));
    let w = Workdir::against(
        Terraform::OnPath,
        fake.base.as_str(),
        &(header("") + &resource()),
        &hostile_env(),
    );
    let apply = plan_and_apply(&w);
    assert_ne!(apply.status, 0, "a redirect is an error:\n{}", apply.all());
    let all = apply.all();
    assert!(all.contains("redirect"), "{all}");
    assert!(
        all.contains(&format!("http://{}", elsewhere.authority())),
        "names the host it pointed to:\n{all}"
    );
    assert!(!all.contains("fake-password-in-location"), "{all}");
    assert_eq!(elsewhere.count(), 0, "nothing was sent to the other host");
    assert_sentinels_were_sent(&fake.requests()[0]);
    assert!(
        !w.read("terraform.tfstate").contains("stolen"),
        "no other host's answer in state"
    );
}

#[test]
fn a_server_echoing_the_request_leaks_neither_key_nor_secret() {
    let fake = FakeWriter::start(echo);
    let w = Workdir::against(
        Terraform::OnPath,
        fake.base.as_str(),
        &(header("") + &resource()),
        &hostile_env(),
    );
    let apply = plan_and_apply(&w);
    assert_ne!(apply.status, 0);
    let all = apply.all();
    assert!(all.contains("cannot parse request"), "{all}");
    assert!(all.contains("[redacted]"), "{all}");
    assert_sentinels_were_sent(&fake.requests()[0]);
}

#[test]
fn a_lookup_by_name_against_an_echoing_server_leaks_nothing() {
    let fake = FakeWriter::start(echo);
    let w = Workdir::against(
        Terraform::OnPath,
        fake.base.as_str(),
        &(header("") + "data \"writer_confluence_oauth_app\" \"x\" {\n  name = \"Hostile\"\n}\n"),
        &hostile_env(),
    );
    let plan = w.terraform(&["plan", "-input=false", "-no-color"]);
    assert_ne!(plan.status, 0);
    assert!(plan.all().contains("[redacted]"), "{}", plan.all());
    assert_no_sentinel("plan output and trace log", &plan.all());
}

#[test]
fn a_success_echoing_the_secret_keeps_it_out_of_state() {
    // Writer-assigned fields are not compared with the plan, so they would
    // reach state as they come: the hint and the times carry the echo. The
    // answer is refused, naming a field; the app's ID is kept (tainted).
    let fake = FakeWriter::start(|request, _| {
        let mut app = app_json("app-1", "Hostile", &format!("…{SECRET}"));
        app["created_at"] = json!(format!("2026 {}", request.dump()));
        app["client_secret_updated_at"] = json!(SECRET);
        Reply::json(201, app).header("etag", &format!("\"{SECRET}\""))
    });
    let w = Workdir::against(
        Terraform::OnPath,
        fake.base.as_str(),
        &(header("") + &resource()),
        &hostile_env(),
    );
    let apply = plan_and_apply(&w);
    assert_ne!(apply.status, 0, "{}", apply.all());
    assert!(
        apply.all().contains("client_secret_hint"),
        "{}",
        apply.all()
    );
    assert_sentinels_were_sent(&fake.requests()[0]);
    let state = w.read("terraform.tfstate");
    assert!(state.contains("\"app-1\""), "{state}");
    assert!(state.contains("\"status\": \"tainted\""), "{state}");
}

/// Careless input around real secrets: a short secret (refused), a password
/// typed into the callback URL, control characters, a huge version, too many
/// scopes. Validation and plan fail with diagnostics, and none of them, nor
/// the trace log, repeats a secret, the key or the password. (Terraform's
/// own snippet of a configuration line shows what the user typed there, so
/// the password typed into the URL is looked for in the provider's words:
/// each diagnostic's summary and detail.)
#[test]
fn bad_input_leaks_no_secret_key_or_password() {
    const SHORT: &str = "fake-short-1x"; // refused: under 16 characters
    const PASSWORD: &str = "fake-password-in-callback";
    let fake = FakeWriter::start(|_, _| Reply::json(500, json!({})));
    let scopes: Vec<String> = (0..300)
        .map(|i| format!("\"read:thing{i}:confluence\""))
        .collect();
    let body = format!(
        "{}\nvariable \"short\" {{\n  type      = string\n  sensitive = true\n}}\n\nresource \"writer_confluence_oauth_app\" \"short\" {{\n  name = \"Short\"\n  client_id = \"fake-client-id-0002\"\n  client_secret = var.short\n  callback_url = \"https://me:{PASSWORD}@app.writer.com/connector/confluence/\"\n}}\n\nresource \"writer_confluence_oauth_app\" \"odd\" {{\n  name = \"Odd\\u001b[31m\"\n  client_id = \"fake-client-id-0003\"\n  client_secret_wo = var.atlassian_client_secret\n  client_secret_wo_version = 1\n  scopes = [{}]\n}}\n\nresource \"writer_confluence_oauth_app\" \"huge\" {{\n  name = \"Huge\"\n  client_id = \"fake-client-id-0004\"\n  client_secret_wo = var.atlassian_client_secret\n  client_secret_wo_version = 1e20000\n}}\n",
        resource(),
        scopes.join(", ")
    );
    let mut w = Workdir::against(
        Terraform::OnPath,
        fake.base.as_str(),
        &(header("") + &body),
        &hostile_env(),
    );
    w.set_env("TF_VAR_short", SHORT);
    let validate = w.terraform(&["validate", "-json", "-no-color"]);
    let plan = w.terraform(&["plan", "-input=false", "-no-color", "-out=tfplan"]);
    assert_ne!(plan.status, 0, "{}", plan.all());
    let words: Vec<String> = validate
        .diagnostics()
        .iter()
        .map(|d| format!("{} {}", d["summary"], d["detail"]))
        .collect();
    let words = words.join("\n");
    for expected in [
        "Too many scopes",
        "U+001B (ESC)",
        "out of range",
        "user name or password",
    ] {
        assert!(
            words.contains(expected),
            "validate says {expected:?}:\n{words}"
        );
    }
    assert!(!words.contains(PASSWORD), "{words}");
    for (place, all) in [("validate", validate.all()), ("plan", plan.all())] {
        assert_no_sentinel(place, &all);
        assert!(!all.contains(SHORT), "{place} holds the short secret");
    }
    assert_eq!(fake.count(), 0, "nothing reached Writer");
    assert!(!w.path().join("tfplan").exists());
    assert_no_sentinel("state file", &w.read("terraform.tfstate"));

    // Variables are unknown to validation, so the short secret is judged by
    // the plan, once the rest is valid.
    w.write(&(header("") + &body[..body.find("resource \"writer_confluence_oauth_app\" \"short\"").unwrap()]
        + "resource \"writer_confluence_oauth_app\" \"short\" {\n  name = \"Short\"\n  client_id = \"fake-client-id-0002\"\n  client_secret = var.short\n}\n"));
    let plan = w.terraform(&["plan", "-input=false", "-no-color"]);
    assert_ne!(plan.status, 0, "{}", plan.all());
    assert!(plan.all().contains("16 characters"), "{}", plan.all());
    assert_no_sentinel("plan of a short secret", &plan.all());
    assert!(!plan.all().contains(SHORT), "the short secret is not shown");
    assert_eq!(fake.count(), 0, "nothing reached Writer");
}
