//! Writer's own Python SDK (`writer-sdk` from PyPI, pinned) against the
//! `writer-emulator` binary: graphs, files and a seeded chat agent's graphs,
//! every answer checked against the types the SDK declares, by
//! `tests/sdk/writer_sdk_check.py`. Any difference is a bug of the emulator's.
//! The same machinery ([`python_with_sdk`], [`run_sdk_check`]) runs the same
//! script against the published Writer (`published_writer`).
//!
//! The SDK is installed once into a virtualenv under the target directory
//! (`target/writer-sdk-venv`) and reused. A missing `python3`, or PyPI out of
//! reach on the first run, fails the test: it is never skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::emulator::EmulatorProcess;
use crate::support::ADMIN;

/// The SDK version the check is written against (its `src/writerai/types/`).
const WRITER_SDK_VERSION: &str = "3.0.0";
const PROCESSING_MS: &str = "300";

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

fn run(command: &mut Command, what: &str) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run it ({e}); python3 with venv is required"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The virtualenv's python, with `writer-sdk==WRITER_SDK_VERSION` in it;
/// installed once per process (the tests using it run in parallel threads).
pub(crate) fn python_with_sdk() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(install_sdk).clone()
}

fn install_sdk() -> PathBuf {
    let venv = target_dir().join("writer-sdk-venv");
    let python = venv.join("bin").join("python");
    let marker = venv.join(format!("writer-sdk-{WRITER_SDK_VERSION}.installed"));
    if marker.exists() && python.exists() {
        return python;
    }
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
        "python3 -m venv",
    );
    run(
        Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            &format!("writer-sdk=={WRITER_SDK_VERSION}"),
        ]),
        "pip install writer-sdk",
    );
    std::fs::write(&marker, b"").expect("the marker file");
    python
}

#[test]
fn writers_python_sdk_drives_graphs_files_and_a_chat_agent() {
    let python = python_with_sdk();
    let mut command = EmulatorProcess::command();
    command.args([
        "--api-key",
        ADMIN,
        "--web-graph",
        "Company website",
        "--chat-agent",
        "Support agent",
        "--processing-ms",
        PROCESSING_MS,
    ]);
    let (emulator, seeded) = EmulatorProcess::from_command_with_lines(command, 2);
    let id_of = |prefix: &str| {
        seeded
            .iter()
            .find_map(|line| line.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no line {prefix}...: {seeded:?}"))
            .to_owned()
    };
    let web_graph = id_of("seeded web graph \"Company website\" id=");
    let agent = id_of("seeded chat agent \"Support agent\" id=");

    run_sdk_check(
        &python,
        &SdkTarget {
            base_url: &emulator.base_url,
            api_key: ADMIN,
            web_graph: &web_graph,
            chat_agent: &agent,
            processing_ms: PROCESSING_MS,
        },
        &[],
    );
    // A stopped (not killed) emulator removes its folder of uploaded files.
    assert!(emulator.terminate().success());
}

/// The Writer the check script drives, and what is seeded in it.
pub(crate) struct SdkTarget<'a> {
    pub base_url: &'a str,
    pub api_key: &'a str,
    pub web_graph: &'a str,
    pub chat_agent: &'a str,
    /// How long processing may take, in milliseconds (the script's waits
    /// are bounded by it).
    pub processing_ms: &'a str,
}

/// Runs `tests/sdk/writer_sdk_check.py` with `python` against `target`,
/// `env` added to its environment; fails the test unless every check
/// passes and more than 100 ran. Returns the script's output.
pub(crate) fn run_sdk_check(python: &Path, target: &SdkTarget<'_>, env: &[(&str, &str)]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk/writer_sdk_check.py");
    let out = Command::new(python)
        .arg(&script)
        .env("WRITER_BASE_URL", target.base_url)
        .env("WRITER_API_KEY", target.api_key)
        .env("WRITER_WEB_GRAPH_ID", target.web_graph)
        .env("WRITER_CHAT_AGENT_ID", target.chat_agent)
        .env("WRITER_PROCESSING_MS", target.processing_ms)
        .envs(env.iter().copied())
        .env_remove("WRITER_ORG_ID")
        .env("NO_PROXY", "127.0.0.1")
        .output()
        .expect("the check script runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the SDK check failed:\n{stdout}\n{stderr}"
    );
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!("writer-sdk {WRITER_SDK_VERSION}: "))
            && last.ends_with(" checks passed"),
        "{stdout}\n{stderr}"
    );
    let checks: u32 = last
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .expect("a count of checks");
    assert!(checks > 100, "only {checks} checks ran:\n{stdout}");
    stdout.into_owned()
}
