//! One `terraform apply` against a Writer that sends its headers and then
//! trickles its body a byte at a time, forever: it ends, within the
//! provider's `retry_timeout` (plus Terraform's own start-up), with an error
//! that names the limit it hit and says the app may exist; the state holds
//! no app. Small limits keep the test quick; the defaults bound the same
//! apply to under a minute (`request_timeout` 20s, `retry_timeout` 50s).

use std::time::{Duration, Instant};

use crate::support::fake_writer::{FakeWriter, Reply};
use crate::support::terraform::{header, Workdir, STORED_SECRET_APP};
use crate::support::ADMIN;

#[test]
fn an_apply_against_a_trickling_writer_ends_naming_its_limit() {
    // A byte every 100 ms for up to 20 minutes: only the provider's limits end it.
    let fake = FakeWriter::start(|_, _| Reply::trickle(201, Duration::from_millis(100), 12_000));
    let limits = "  request_timeout = \"2s\"\n  retry_timeout   = \"6s\"";
    let mut w = Workdir::uninitialized(&(header(limits) + STORED_SECRET_APP));
    w.set_env("WRITER_API_KEY", ADMIN);
    w.set_env("WRITER_BASE_URL", fake.base.as_str());
    w.terraform(&["init", "-input=false", "-no-color"]).ok();

    let started = Instant::now();
    let run = w.terraform(&["apply", "-input=false", "-no-color", "-auto-approve"]);
    let took = started.elapsed();
    let all = run.all();
    assert_ne!(run.status, 0, "{all}");
    assert!(
        all.contains("retry_timeout (6s)"),
        "names the limit:\n{all}"
    );
    assert!(all.contains("may have been created"), "{all}");
    // 6 s of provider time; Terraform's start-up and a loaded machine on top.
    assert!(took < Duration::from_secs(30), "took {took:?}:\n{all}");
    assert!(
        took >= Duration::from_secs(6),
        "the limit, not something else, ended it: {took:?}:\n{all}"
    );
    eprintln!("apply against a trickling Writer ended after {took:?}");
    let methods: Vec<String> = fake.requests().into_iter().map(|r| r.method).collect();
    assert!(methods.contains(&"POST".to_string()), "{methods:?}");
    assert!(
        methods.contains(&"GET".to_string()),
        "looked up: {methods:?}"
    );
    assert!(
        w.state_attribute("writer_confluence_oauth_app.eng", "id")
            .is_null(),
        "no app in the state"
    );
}
