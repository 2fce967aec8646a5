//! `writer_file` uploads whose answer never comes, and uploads bounded by
//! their size, through the real `terraform` (1.11 and 1.15) and the real
//! provider, against the real `writer-emulator` with faults aimed at uploads
//! alone (`--drop-upload-answers`, `--cut-uploads`,
//! `--upload-bytes-per-second`, `--stall-uploads-after`) and, where a test
//! needs a gateway that repeats the upload on its own, the scripted proxy.
//!
//! A lost upload is never sent again: the provider lists the files of the
//! name it sent, newest first, and takes one only by the adoption rule
//! (`provider::adoption`): created after the upload began on Writer's clock,
//! and the only one. Seen here: the one file the lost upload made is taken
//! (with a warning); a file of that name made by hand before the apply is
//! never taken, whether the upload reached Writer (then its own file is
//! taken) or not (an error listing the file, why not, and the `terraform
//! import` line); two files that could both be this upload's are both
//! listed and neither taken. Each time Writer holds no file more than it
//! should and the provider's log shows one upload request.
//!
//! An upload's time bound grows with its size: one attempt may take
//! `request_timeout` plus the file's size at 1 MiB a second. Seen here with
//! `request_timeout = "1s"` and a 3 MiB file (a 4 s bound): read by Writer at
//! 1.5 MiB a second it takes about 2 s, longer than `request_timeout`, and
//! completes; a Writer that stops reading after 1 MiB is cut at 4 s, with an
//! error naming the file, the bound, and the setting to raise. Each upload's
//! duration is the provider's own measure of the request, from its log.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::emulator::{block_on, client, EmulatorProcess};
use crate::support::proxy::{Act, Proxy};
use crate::support::terraform::{header, Run, Terraform, Workdir};
use crate::support::ADMIN;

const NAME: &str = "handbook.txt";

/// A file made by hand this long before the provider's upload is never
/// this upload's: the rule allows 1 s for `created_at` rounded down, and
/// Writer's clock read from `Date` (whole seconds) at most 1 s more.
const MADE_CLEARLY_BEFORE: Duration = Duration::from_millis(2_500);

/// Terraform's output with its line wrapping undone.
fn flat(out: &str) -> String {
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn config(provider_body: &str) -> String {
    header(provider_body)
        + &format!(
            "resource \"writer_file\" \"f\" {{\n  source = \"${{path.module}}/{NAME}\"\n}}\n"
        )
}

/// A folder for the emulator's state file, so that the uploaded bytes
/// (kept beside it) go when the test ends, and a restart finds them.
struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn state_file(&self) -> String {
        self.dir.path().join("state.json").display().to_string()
    }

    /// The emulator on this place's state file, with `flags`.
    fn emulator(&self, flags: &[&str]) -> EmulatorProcess {
        let state = self.state_file();
        let args = [
            &[
                "--api-key",
                ADMIN,
                "--state-file",
                state.as_str(),
                "--processing-ms",
                "200",
            ][..],
            flags,
        ]
        .concat();
        EmulatorProcess::start_with_args(&args)
    }
}

/// A working directory for `tf` whose `handbook.txt` holds `bytes`, the
/// provider at `base_url`, its log (debug) in `terraform.log`; initialized.
fn workdir(tf: Terraform, base_url: &str, provider_body: &str, bytes: &[u8]) -> Workdir {
    let mut w = Workdir::uninitialized_with(tf, &config(provider_body));
    std::fs::write(w.path().join(NAME), bytes).unwrap();
    w.set_env("WRITER_API_KEY", ADMIN);
    w.set_env("WRITER_BASE_URL", base_url);
    w.set_env("TF_LOG", "debug");
    w.set_env("TF_LOG_PATH", &log_path(&w).display().to_string());
    w.init();
    w
}

fn log_path(w: &Workdir) -> PathBuf {
    w.path().join("terraform.log")
}

/// `terraform apply -json` with a fresh log: the run and the log.
fn apply(w: &Workdir) -> (Run, String) {
    let _ = std::fs::remove_file(log_path(w));
    let run = w.terraform(&["apply", "-auto-approve", "-input=false", "-json"]);
    let log = std::fs::read_to_string(log_path(w)).expect("Terraform wrote its log");
    (run, log)
}

/// One upload request the provider made, as its log tells.
#[derive(Debug)]
struct UploadSeen {
    answered: bool,
    elapsed_ms: u64,
}

/// Every upload request (`POST /v1/files`) in a Terraform log.
fn uploads_in(log: &str) -> Vec<UploadSeen> {
    log.lines()
        .filter(|l| l.contains("provider.terraform-provider-writer"))
        .filter(|l| l.contains("Writer API request"))
        .filter(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words.contains(&"method=POST") && words.contains(&"path=/v1/files")
        })
        .map(|l| UploadSeen {
            answered: !l.contains("Writer API request failed"),
            elapsed_ms: l
                .split_whitespace()
                .find_map(|w| w.strip_prefix("elapsed_ms="))
                .unwrap_or_else(|| panic!("no elapsed_ms in {l}"))
                .parse()
                .unwrap(),
        })
        .collect()
}

/// The one upload request in `log`.
fn one_upload(log: &str) -> UploadSeen {
    let mut seen = uploads_in(log);
    assert_eq!(
        seen.len(),
        1,
        "one upload request, never repeated: {seen:?}\n{}",
        log.lines()
            .filter(|l| l.contains("Writer API request"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    seen.remove(0)
}

/// The IDs of the files Writer lists under `NAME`.
fn files_named(emu: &EmulatorProcess) -> Vec<String> {
    let (status, body) = emu.call("GET", "/v1/files?limit=100", None);
    assert_eq!(status, 200, "{body}");
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == NAME)
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Uploads `NAME` as a person would (not through the provider); its ID.
fn upload_by_hand(base_url: &str) -> String {
    let (status, body) = block_on(async {
        let answer = client()
            .post(format!("{base_url}/v1/files"))
            .bearer_auth(ADMIN)
            .header("Content-Type", "text/plain")
            .header(
                "Content-Disposition",
                format!("attachment; filename=\"{NAME}\""),
            )
            .body("made in AI Studio by hand")
            .send()
            .await
            .unwrap();
        let status = answer.status().as_u16();
        (status, answer.json::<Value>().await.unwrap())
    });
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

/// The diagnostic of `severity` with `summary` in a `-json` run.
fn diagnostic(run: &Run, severity: &str, summary: &str) -> Value {
    run.diagnostics()
        .into_iter()
        .find(|d| d["severity"] == severity && d["summary"] == summary)
        .unwrap_or_else(|| {
            panic!(
                "no {severity} {summary:?}; got:\n{}",
                serde_json::to_string_pretty(&run.diagnostics()).unwrap()
            )
        })
}

/// The `writer_file`s in the state.
fn files_in_state(w: &Workdir) -> Vec<String> {
    let list = w.terraform(&["state", "list"]);
    list.stdout
        .lines()
        .filter(|l| l.starts_with("writer_file."))
        .map(str::to_owned)
        .collect()
}

// ---- a lost answer ----

/// (a) The upload reached Writer, its answer was lost: the one file it made
/// is taken, with a warning; Writer holds exactly that file.
fn lost_answer_the_file_it_made_is_taken(tf: Terraform) {
    let place = Place::new();
    let emu = place.emulator(&["--drop-upload-answers", "1"]);
    let w = workdir(tf, &emu.base_url, "", b"Leave: 30 days a year.\n");
    let (run, log) = apply(&w);
    assert_eq!(run.status, 0, "{}", run.all());
    let warning = diagnostic(
        &run,
        "warning",
        "Writer's answer to the upload was lost; the file it made was found",
    );
    let id = w.state_attribute("writer_file.f", "id");
    let id = id.as_str().expect("an ID in the state").to_owned();
    assert!(
        warning["detail"].as_str().unwrap().contains(&id),
        "{warning}"
    );
    assert_eq!(files_named(&emu), vec![id.clone()]);
    assert!(!one_upload(&log).answered, "the answer was lost");
    assert_eq!(
        w.state_attribute("writer_file.f", "status"),
        "completed",
        "the apply waited for the file it took"
    );
    let (code, plan) = w.plan_exit_code();
    assert_eq!(code, 0, "the file taken is the one configured:\n{plan}");
}

/// A file of the configured name made by hand in Writer, then the emulator
/// started again on the same state with `fault` aimed at the next upload,
/// and an apply clearly after the hand-made file was created: the place
/// (keep it while the emulator runs), the emulator, the hand-made file's ID,
/// the workdir, and the apply with its log.
fn apply_after_a_file_made_by_hand(
    tf: Terraform,
    fault: &str,
) -> (Place, EmulatorProcess, String, Workdir, Run, String) {
    let place = Place::new();
    let first = place.emulator(&[]);
    let by_hand = upload_by_hand(&first.base_url);
    let made = Instant::now();
    assert!(first.terminate().success());
    let emu = place.emulator(&[fault, "1"]);
    let w = workdir(tf, &emu.base_url, "", b"Leave: 30 days a year.\n");
    std::thread::sleep(MADE_CLEARLY_BEFORE.saturating_sub(made.elapsed()));
    let (run, log) = apply(&w);
    (place, emu, by_hand, w, run, log)
}

/// (b) A file of that name made by hand before the apply, and an upload cut
/// off before Writer stored anything: the hand-made file is not taken; the
/// error lists it, why not, and the import line; nothing is duplicated.
fn a_file_made_by_hand_before_is_not_taken(tf: Terraform) {
    let (_place, emu, by_hand, w, run, log) = apply_after_a_file_made_by_hand(tf, "--cut-uploads");
    assert_ne!(run.status, 0, "{}", run.all());
    let error = diagnostic(&run, "error", "The file may have been uploaded");
    let detail = error["detail"].as_str().unwrap();
    for says in [
        format!("`{by_hand}`: it was created at"),
        "before this create began".to_string(),
        format!("terraform import writer_file.<name> {by_hand}"),
        "An upload is never sent twice blindly".to_string(),
    ] {
        assert!(detail.contains(&says), "{says:?} in:\n{detail}");
    }
    assert_eq!(files_named(&emu), vec![by_hand], "nothing added");
    assert!(!one_upload(&log).answered);
    assert!(
        files_in_state(&w).is_empty(),
        "nothing taken into the state"
    );
}

/// The same hand-made file, and an upload that reached Writer before its
/// answer was lost: the upload's own file is taken, never the older one.
fn an_older_file_of_the_same_name_is_passed_over(tf: Terraform) {
    let (_place, emu, by_hand, w, run, log) =
        apply_after_a_file_made_by_hand(tf, "--drop-upload-answers");
    assert_eq!(run.status, 0, "{}", run.all());
    diagnostic(
        &run,
        "warning",
        "Writer's answer to the upload was lost; the file it made was found",
    );
    let id = w.state_attribute("writer_file.f", "id");
    let id = id.as_str().expect("an ID in the state").to_owned();
    assert_ne!(id, by_hand, "the file made by hand is not taken");
    let mut expected = vec![id, by_hand];
    let mut found = files_named(&emu);
    expected.sort();
    found.sort();
    assert_eq!(found, expected, "the hand-made file and the upload's own");
    assert!(!one_upload(&log).answered);
}

/// (c) A gateway between the provider and Writer sends the upload twice on
/// its own, then loses the answer: two files could be this upload's, so
/// neither is taken, and both are listed.
fn two_files_that_could_be_the_uploads_are_both_refused(tf: Terraform) {
    let place = Place::new();
    let emu = place.emulator(&[]);
    let upstream = url::Url::parse(&emu.base_url).unwrap();
    let gateway = block_on(Proxy::start(
        &upstream,
        Box::new(|method: &str, path: &str, _: usize| {
            if method == "POST" && path == "/v1/files" {
                Act::ForwardTwiceThenDrop
            } else {
                Act::Forward
            }
        }),
    ));
    let w = workdir(tf, gateway.base.as_str(), "", b"Leave: 30 days a year.\n");
    let (run, log) = apply(&w);
    assert_ne!(run.status, 0, "{}", run.all());
    let error = diagnostic(&run, "error", "The file may have been uploaded");
    let detail = error["detail"].as_str().unwrap();
    let both = files_named(&emu);
    assert_eq!(both.len(), 2, "the gateway's two uploads: {both:?}");
    for id in &both {
        let says = format!("`{id}`: more than one object could be this create's, so none is taken");
        assert!(detail.contains(&says), "{says:?} in:\n{detail}");
    }
    assert!(
        detail.contains("terraform import writer_file.<name>"),
        "{detail}"
    );
    assert!(!one_upload(&log).answered);
    assert_eq!(
        gateway.count("POST"),
        1,
        "the provider sent the upload once"
    );
    assert!(
        files_in_state(&w).is_empty(),
        "nothing taken into the state"
    );
}

// ---- the size-scaled bound ----

/// 3 MiB: a bound of `request_timeout` (1 s) plus 3 s.
const BIG: usize = 3 * 1024 * 1024;

/// A second per request, three per operation: an upload of [`BIG`] may
/// take 4 s, any other request 1 s.
const SHORT_BOUNDS: &str = "  request_timeout = \"1s\"\n  retry_timeout   = \"3s\"";

fn big_file() -> Vec<u8> {
    (0..BIG).map(|i| (i % 251) as u8).collect()
}

/// Writer reads the upload at 1.5 MiB a second: about 2 s, beyond
/// `request_timeout`, within the upload's bound of 4 s. It completes.
fn a_slow_but_moving_upload_completes_within_its_scaled_bound(tf: Terraform) {
    let place = Place::new();
    let emu = place.emulator(&["--upload-bytes-per-second", "1572864"]);
    let w = workdir(tf, &emu.base_url, SHORT_BOUNDS, &big_file());
    let (run, log) = apply(&w);
    assert_eq!(run.status, 0, "{}", run.all());
    let upload = one_upload(&log);
    assert!(upload.answered, "{upload:?}");
    assert!(
        upload.elapsed_ms > 1_000,
        "the upload took longer than request_timeout, which alone would have cut it: {upload:?}"
    );
    assert!(upload.elapsed_ms < 4_000, "{upload:?}");
    let id = w.state_attribute("writer_file.f", "id");
    let id = id.as_str().expect("an ID in the state").to_owned();
    assert_eq!(files_named(&emu), vec![id]);
}

/// Writer stops reading the upload after 1 MiB: the upload is cut at its
/// bound, 4 s, and the error names the file, the bound and the setting.
fn a_stalled_upload_is_cut_at_its_bound(tf: Terraform) {
    let place = Place::new();
    let emu = place.emulator(&["--stall-uploads-after", "1048576"]);
    let w = workdir(tf, &emu.base_url, SHORT_BOUNDS, &big_file());
    let (run, log) = apply(&w);
    assert_ne!(run.status, 0, "{}", run.all());
    let upload = one_upload(&log);
    assert!(!upload.answered, "{upload:?}");
    assert!(
        (3_950..6_000).contains(&upload.elapsed_ms),
        "cut at request_timeout plus 3 s for 3 MiB: {upload:?}"
    );
    let error = diagnostic(
        &run,
        "error",
        "The upload did not finish within its time bound",
    );
    let detail = flat(error["detail"].as_str().unwrap());
    for says in [
        format!("the upload of `{NAME}`"),
        "request_timeout (1s) plus the time its size (3.0 MiB) takes at 1 MiB a second (3s), 4s in all".to_string(),
        "raise request_timeout in the provider block".to_string(),
        "Writer now has no file of that name".to_string(),
    ] {
        assert!(detail.contains(&says), "{says:?} in:\n{detail}");
    }
    assert!(files_named(&emu).is_empty());
    assert!(files_in_state(&w).is_empty());
}

on_every_terraform!(
    lost_answer_the_file_it_made_is_taken,
    a_file_made_by_hand_before_is_not_taken,
    an_older_file_of_the_same_name_is_passed_over,
    two_files_that_could_be_the_uploads_are_both_refused,
    a_slow_but_moving_upload_completes_within_its_scaled_bound,
    a_stalled_upload_is_cut_at_its_bound,
);
