//! The provider functions through the real `terraform console` (the one on
//! PATH, 1.11, and 1.15) and the real provider binary, unconfigured and with
//! no credentials: good answers, the same consent URL as the resource's, and
//! bad arguments that fail naming the argument and the fix.

use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{header, Run, Terraform, Workdir};

const CALLBACK: &str = "https://app.writer.com/connector/confluence";

fn console_workdir(t: Terraform) -> Workdir {
    // No WRITER_API_KEY, no base URL: functions need no configured provider.
    Workdir::new_with(t, &header(""))
}

/// One expression in `terraform console`: its printed value, or a failure.
fn eval(w: &Workdir, expression: &str) -> Run {
    w.console(&format!("{expression}\n"))
}

/// The output with Terraform's line wrapping undone.
fn unwrapped(run: &Run) -> String {
    run.all().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn the_callback_url_function_answers_and_fails_clearly(t: Terraform) {
    let w = console_workdir(t);
    let run = eval(
        &w,
        r#"provider::writer::confluence_callback_url("https://app.writer.com")"#,
    )
    .ok();
    assert_eq!(
        run.stdout.trim(),
        format!("\"{CALLBACK}\""),
        "{}",
        run.all()
    );
    let run = eval(
        &w,
        r#"provider::writer::confluence_callback_url("http://localhost:8787")"#,
    )
    .ok();
    assert_eq!(
        run.stdout.trim(),
        "\"http://localhost:8787/connector/confluence\"",
        "{}",
        run.all()
    );

    let run = eval(
        &w,
        r#"provider::writer::confluence_callback_url("https://app.writer.com/admin")"#,
    );
    assert_ne!(run.status, 0, "{}", run.all());
    let all = unwrapped(&run);
    assert!(
        all.contains("Invalid value for \"app_url\" parameter"),
        "{all}"
    );
    assert!(!all.contains(".."), "one period at the end: {all}");
    assert!(all.contains("give only the origin"), "{all}");
    assert!(all.contains("`https://app.writer.com`"), "the fix:\n{all}");

    let run = eval(&w, r#"provider::writer::confluence_callback_url(null)"#);
    assert_ne!(run.status, 0, "{}", run.all());
    assert!(run.all().contains("\"app_url\""), "{}", run.all());
}

fn the_authorization_url_function_answers_and_fails_clearly(t: Terraform) {
    let w = console_workdir(t);
    let call = |client_id: &str, callback: &str, scopes: &str| {
        format!(
            "provider::writer::confluence_authorization_url(\"{client_id}\", \"{callback}\", {scopes})"
        )
    };
    let required = r#"["search:confluence", "read:space:confluence", "read:page:confluence"]"#;
    let run = eval(&w, &call("fake-client-id-0001", CALLBACK, required)).ok();
    let url = run.stdout.trim().trim_matches('"');
    assert!(
        url.starts_with("https://auth.atlassian.com/authorize?"),
        "{}",
        run.all()
    );
    for part in [
        "audience=api.atlassian.com",
        "client_id=fake-client-id-0001",
        "scope=read%3Apage%3Aconfluence+read%3Aspace%3Aconfluence+search%3Aconfluence",
        "redirect_uri=https%3A%2F%2Fapp.writer.com%2Fconnector%2Fconfluence",
        "response_type=code",
        "prompt=consent",
    ] {
        assert!(url.contains(part), "{part} not in {url}");
    }
    assert!(!url.contains("state="), "{url}");

    let cases = [
        (
            call("fake client", CALLBACK, required),
            "client_id",
            "no spaces",
        ),
        (
            call("fake-client-id-0001", &format!("{CALLBACK}/"), required),
            "callback_url",
            "ends with a slash",
        ),
        (
            call("fake-client-id-0001", CALLBACK, r#"["search:confluence"]"#),
            "scopes",
            "read:page:confluence",
        ),
    ];
    for (expression, argument, says) in cases {
        let run = eval(&w, &expression);
        assert_ne!(run.status, 0, "{expression}: {}", run.all());
        let all = unwrapped(&run);
        assert!(
            all.contains(&format!("Invalid value for \"{argument}\" parameter")),
            "{expression}:\n{all}"
        );
        assert!(all.contains(says), "{says:?} for {expression}:\n{all}");
    }
}

fn the_function_gives_the_resources_authorization_url(t: Terraform) {
    let emu = EmulatorProcess::start(&[]);
    let body = format!(
        "{}resource \"writer_confluence_oauth_app\" \"eng\" {{\n  name = \"Functions\"\n  client_id = \"fake-client-id-0001\"\n  client_secret_wo = \"fake-secret-0001\"\n  client_secret_wo_version = 1\n  scopes = [\"search:confluence\", \"read:space:confluence\", \"read:page:confluence\", \"read:blogpost:confluence\"]\n}}\n",
        header("")
    );
    let w = Workdir::on_emulator(t, &emu, &body, &[]);
    w.apply();
    let run = w
        .console(
            "provider::writer::confluence_authorization_url(writer_confluence_oauth_app.eng.client_id, provider::writer::confluence_callback_url(\"https://app.writer.com\"), writer_confluence_oauth_app.eng.scopes) == writer_confluence_oauth_app.eng.authorization_url\n",
        )
        .ok();
    assert_eq!(run.stdout.trim(), "true", "{}", run.all());
}

on_every_terraform!(
    the_callback_url_function_answers_and_fails_clearly,
    the_authorization_url_function_answers_and_fails_clearly,
    the_function_gives_the_resources_authorization_url,
);
