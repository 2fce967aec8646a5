//! Writer's own Python SDK (`writer-sdk` from PyPI, pinned) against the
//! `writer-emulator` binary: graphs, files and a seeded chat agent's graphs,
//! every answer checked against the types the SDK declares, by
//! `tests/sdk/writer_sdk_check.py`. Any difference is a bug of the emulator's.
//!
//! The SDK is installed once into a virtualenv under the target directory
//! (`target/writer-sdk-venv`) and reused. A missing `python3`, or PyPI out of
//! reach on the first run, fails the test: it is never skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// The virtualenv's python, with `writer-sdk==WRITER_SDK_VERSION` in it.
fn python_with_sdk() -> PathBuf {
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

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk/writer_sdk_check.py");
    let out = Command::new(&python)
        .arg(&script)
        .env("WRITER_BASE_URL", &emulator.base_url)
        .env("WRITER_API_KEY", ADMIN)
        .env("WRITER_WEB_GRAPH_ID", &web_graph)
        .env("WRITER_CHAT_AGENT_ID", &agent)
        .env("WRITER_PROCESSING_MS", PROCESSING_MS)
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
    // A stopped (not killed) emulator removes its folder of uploaded files.
    assert!(emulator.terminate().success());
}
