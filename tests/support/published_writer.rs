//! `tests/published_writer/writer.py` as a process: a Writer that follows
//! only Writer's published documentation, independent of our emulator, for
//! tests that must not lean on the emulator's habits (issue 23).
//!
//! [`PublishedWriter::start`] writes an obviously fake key to a file of its
//! own, starts `python3 writer.py --api-key-file FILE ARGS...` with its stdin
//! held open and `TMPDIR` pointing into a temporary folder of its own, reads
//! the listening line and one line per seed flag. Dropping it sends SIGTERM
//! and waits (the script removes its uploads' folder), and the temporary
//! folder goes with it; were the test process to die first, the script sees
//! its stdin close and exits too.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::emulator::block_on;

/// The key the published Writer takes: obviously fake.
pub const PUBLISHED_WRITER_KEY: &str = "test-published-writer-key-not-real";

/// The flags that seed an object, each printing one line after the first.
const SEED_FLAGS: [&str; 3] = ["--web-graph", "--chat-agent", "--team-graph"];

/// The script, in the repository.
pub fn script() -> PathBuf {
    super::root().join("tests/published_writer/writer.py")
}

/// The published Writer, running; stopped when dropped.
pub struct PublishedWriter {
    child: Child,
    /// Held open: the script exits when it closes.
    stdin: Option<ChildStdin>,
    _stdout: BufReader<ChildStdout>,
    base_url: String,
    seeded: HashMap<String, String>,
    /// The key file and the script's `TMPDIR`.
    folder: Option<tempfile::TempDir>,
    /// How it ended, once it has.
    exited: Option<ExitStatus>,
}

impl PublishedWriter {
    /// Starts `writer.py` with `args` (seed flags, `--polls-to-settle N`,
    /// `--rate-limit-every N`) on a free loopback port.
    pub fn start(args: &[&str]) -> PublishedWriter {
        let folder = tempfile::Builder::new()
            .prefix("published-writer-test-")
            .tempdir()
            .expect("a temporary folder");
        let key_file = folder.path().join("api-key");
        std::fs::write(&key_file, PUBLISHED_WRITER_KEY).expect("the key file");
        let scratch = folder.path().join("tmp");
        std::fs::create_dir(&scratch).expect("the script's TMPDIR");
        let mut child = Command::new("python3")
            .arg(script())
            .arg("--api-key-file")
            .arg(&key_file)
            .args(args)
            .env("TMPDIR", &scratch)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start python3 (it is required): {e}"));
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("its stdout"));
        let mut read_line = |what: &str| {
            let mut line = String::new();
            let n = stdout
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("reading {what}: {e}"));
            assert!(n > 0, "published-writer ended before printing {what}");
            line.trim_end().to_owned()
        };
        let first = read_line("its listening line");
        let base_url = first
            .strip_prefix("published-writer listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
        let seeds = args
            .iter()
            .filter(|a| {
                let a: &str = a;
                SEED_FLAGS
                    .iter()
                    .any(|f| a == *f || a.starts_with(&format!("{f}=")))
            })
            .count();
        let mut seeded = HashMap::new();
        for _ in 0..seeds {
            let line = read_line("a seed line");
            let (label, id) = line
                .rsplit_once("\" id=")
                .unwrap_or_else(|| panic!("unexpected seed line {line:?}"));
            let name = label
                .split_once(" \"")
                .map(|(_, name)| name)
                .unwrap_or_else(|| panic!("unexpected seed line {line:?}"));
            seeded.insert(name.to_owned(), id.to_owned());
        }
        PublishedWriter {
            child,
            stdin,
            _stdout: stdout,
            base_url,
            seeded,
            folder: Some(folder),
            exited: None,
        }
    }

    /// What is in the script's `TMPDIR`: the folder of uploads it made
    /// while it runs, nothing once it has ended.
    pub fn scratch_entries(&self) -> Vec<PathBuf> {
        let scratch = self.folder.as_ref().expect("its folder").path().join("tmp");
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&scratch)
            .expect("the script's TMPDIR")
            .map(|e| e.expect("an entry").path())
            .collect();
        entries.sort();
        entries
    }

    /// SIGTERM, then its exit status (a bounded wait: a hang fails the test).
    pub fn terminate(&mut self) -> ExitStatus {
        if let Some(status) = self.exited {
            return status;
        }
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "kill -TERM failed");
        self.wait_for_exit("SIGTERM")
    }

    /// Closes its stdin, then its exit status (a bounded wait).
    pub fn close_stdin_and_wait(&mut self) -> ExitStatus {
        drop(self.stdin.take());
        self.wait_for_exit("its stdin closed")
    }

    fn wait_for_exit(&mut self, after: &str) -> ExitStatus {
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().expect("its status") {
                self.exited = Some(status);
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("published-writer did not exit within 10 s after {after}");
    }

    /// The fake key it takes (`Authorization: Bearer <key>`).
    pub fn api_key(&self) -> &'static str {
        PUBLISHED_WRITER_KEY
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The ID of the graph or agent seeded as `name`.
    pub fn seeded(&self, name: &str) -> String {
        self.seeded
            .get(name)
            .unwrap_or_else(|| panic!("nothing seeded as {name:?}: {:?}", self.seeded))
            .clone()
    }

    /// One JSON call with the key, as a person would make it (no retries):
    /// `(status, body)`, the body `null` when it is not JSON. Blocking.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let url = self.url(path);
        block_on(async {
            let mut request = http()
                .request(method, &url)
                .bearer_auth(PUBLISHED_WRITER_KEY);
            if let Some(body) = body {
                request = request.json(&body);
            }
            answer(request).await
        })
    }

    /// Uploads `content` as the file `name` (`filename*=UTF-8''...`), into
    /// `graph` if given: `(status, body)`. Blocking.
    pub fn upload(&self, name: &str, content: &[u8], graph: Option<&str>) -> (u16, Value) {
        let mut url = url::Url::parse(&self.url("/v1/files")).expect("a URL");
        if let Some(graph) = graph {
            url.query_pairs_mut().append_pair("graphId", graph);
        }
        let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes())
            .collect::<String>()
            .replace('+', "%20");
        let disposition = format!("attachment; filename*=UTF-8''{encoded}");
        let content = content.to_vec();
        block_on(async {
            let request = http()
                .post(url)
                .bearer_auth(PUBLISHED_WRITER_KEY)
                .header("content-type", "text/plain")
                .header("content-disposition", disposition)
                .body(content);
            answer(request).await
        })
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

async fn answer(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("published-writer did not answer: {e}"));
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

impl Drop for PublishedWriter {
    fn drop(&mut self) {
        // SIGTERM, then a bounded wait; a kill only if it hangs.
        if self.exited.is_none() {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let mut ended = false;
            for _ in 0..100 {
                if matches!(self.child.try_wait(), Ok(Some(_))) {
                    ended = true;
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if !ended {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
        drop(self.stdin.take());
        if let Some(folder) = self.folder.take() {
            let _ = folder.close();
        }
    }
}
