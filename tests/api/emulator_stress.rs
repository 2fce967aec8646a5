//! The `writer-emulator` binary under what people will throw at it: a
//! thousand connections at once, a 100 MB request body, Authorization
//! headers that are not one, and `kill -9` in the middle of writes with its
//! state file on. It stays up, answers within bounds, keeps its memory
//! small, and restarts on a consistent store holding every change it
//! acknowledged.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::emulator::{app_body, block_on, client, EmulatorProcess};
use crate::support::ADMIN;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `127.0.0.1:PORT` of `emu`.
fn addr(emu: &EmulatorProcess) -> String {
    emu.base_url.trim_start_matches("http://").to_string()
}

/// The peak resident memory of process `pid`, in KiB (Linux).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("its status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// The status code of an HTTP/1.1 answer's first line.
fn status_of(answer: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(answer);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// Sends `request` (raw bytes) on a new connection and reads the answer to
/// its end (every request here says `Connection: close`), within 20 s.
async fn exchange(addr: &str, request: &[u8]) -> Vec<u8> {
    tokio::time::timeout(Duration::from_secs(20), async {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(request).await.expect("write");
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer).await;
        answer
    })
    .await
    .expect("an answer within 20 s")
}

fn get_request(authorization: &[u8]) -> Vec<u8> {
    [
        b"GET /v1/oauth-apps?limit=1 HTTP/1.1\r\nHost: emulator\r\nConnection: close\r\n".as_ref(),
        authorization,
        b"\r\n",
    ]
    .concat()
}

fn admin() -> Vec<u8> {
    format!("Authorization: Bearer {ADMIN}\r\n").into_bytes()
}

/// A GET as the admin answers 200 within `bound`.
fn answers_within(emu: &EmulatorProcess, bound: Duration) {
    let started = Instant::now();
    let answer = block_on(exchange(&addr(emu), &get_request(&admin())));
    assert_eq!(
        status_of(&answer),
        Some(200),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert!(started.elapsed() < bound, "{:?}", started.elapsed());
}

/// Raises this process's soft limit of open files to at least `needed`
/// (within the hard limit; the emulator started next inherits it). Many
/// systems start at a soft 1,024, too few for a thousand connections on
/// each side; a hard limit below `needed` is a loud failure.
///
/// The limit is the whole test binary's, whose other tests run in parallel
/// threads: it is raised once (the first `needed` counts), only ever up,
/// which no other test minds.
fn allow_open_files(needed: u64) {
    static RAISED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    RAISED.get_or_init(|| raise_open_files(needed));
}

fn raise_open_files(needed: u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write `limit`.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        if limit.rlim_cur < needed {
            assert!(
                limit.rlim_max >= needed,
                "this test needs {needed} open files; the hard limit is {} (raise ulimit -Hn)",
                limit.rlim_max
            );
            limit.rlim_cur = needed;
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
    }
}

#[test]
fn a_thousand_concurrent_connections_are_all_answered() {
    const CONNECTIONS: usize = 1000;
    // The test's side and the emulator's, with room for the other tests.
    allow_open_files(2400);
    let emu = EmulatorProcess::start(&[]);
    let addr = addr(&emu);
    let started = Instant::now();
    let statuses = block_on(async {
        // All open at once first, then every one asks.
        let mut streams = Vec::new();
        for _ in 0..CONNECTIONS {
            let s = tokio::time::timeout(Duration::from_secs(10), TcpStream::connect(&addr))
                .await
                .expect("connects in time")
                .expect("connects");
            streams.push(s);
        }
        let request = get_request(&admin());
        let tasks: Vec<_> = streams
            .into_iter()
            .map(|mut s| {
                let request = request.clone();
                tokio::spawn(async move {
                    s.write_all(&request).await.ok()?;
                    let mut answer = Vec::new();
                    s.read_to_end(&mut answer).await.ok()?;
                    status_of(&answer)
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for task in tasks {
            let status = tokio::time::timeout(Duration::from_secs(60), task)
                .await
                .expect("answered within 60 s")
                .expect("no panic");
            statuses.push(status);
        }
        statuses
    });
    let took = started.elapsed();
    let ok = statuses.iter().filter(|s| **s == Some(200)).count();
    assert_eq!(ok, CONNECTIONS, "every connection got its 200 ({took:?})");
    eprintln!("{CONNECTIONS} concurrent connections answered in {took:?}");
    answers_within(&emu, Duration::from_secs(5));
}

#[test]
fn a_100_mb_request_body_is_refused_in_bounded_memory() {
    const BODY: usize = 100 * 1024 * 1024;
    let emu = EmulatorProcess::start(&[]);
    let addr = addr(&emu);
    let before = peak_rss_kib(emu.pid());
    let (status, sent) = block_on(async {
        let s = TcpStream::connect(&addr).await.expect("connect");
        let (mut read, mut write) = s.into_split();
        let head = format!(
            "POST /v1/oauth-apps HTTP/1.1\r\nHost: emulator\r\nAuthorization: Bearer {ADMIN}\r\n\
             Content-Type: application/json\r\nContent-Length: {BODY}\r\nConnection: close\r\n\r\n"
        );
        write.write_all(head.as_bytes()).await.expect("headers");
        // Sends the body until the emulator stops reading it.
        let writer = tokio::spawn(async move {
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0usize;
            while sent < BODY {
                if write.write_all(&chunk).await.is_err() {
                    break;
                }
                sent += chunk.len();
            }
            sent
        });
        let mut answer = Vec::new();
        let read_all = read.read_to_end(&mut answer);
        let _ = tokio::time::timeout(Duration::from_secs(30), read_all)
            .await
            .expect("an answer within 30 s");
        let sent = tokio::time::timeout(Duration::from_secs(30), writer)
            .await
            .expect("the writer stops")
            .expect("no panic");
        (status_of(&answer), sent)
    });
    assert!(matches!(status, Some(400 | 413)), "{status:?}");
    let grew = peak_rss_kib(emu.pid()).saturating_sub(before);
    eprintln!("100 MB body: {sent} bytes sent before the emulator stopped reading; peak RSS grew {grew} KiB");
    assert!(grew < 32 * 1024, "peak memory grew by {grew} KiB");
    answers_within(&emu, Duration::from_secs(5));
}

#[test]
fn authorization_headers_that_are_not_one_get_401_and_the_emulator_stays_up() {
    let emu = EmulatorProcess::start(&[]);
    let addr = addr(&emu);
    let long = format!("Authorization: Bearer {}\r\n", "k".repeat(8 * 1024));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("none", Vec::new()),
        ("empty", b"Authorization: \r\n".to_vec()),
        ("no token", b"Authorization: Bearer\r\n".to_vec()),
        (
            "another scheme",
            b"Authorization: Basic dXNlcjpwYXNz\r\n".to_vec(),
        ),
        (
            "not UTF-8",
            b"Authorization: Bearer \xff\xfe\xfd\r\n".to_vec(),
        ),
        (
            "a control byte",
            b"Authorization: Bearer te\x01st\r\n".to_vec(),
        ),
        ("twice", [admin(), admin()].concat()),
        (
            "a key and another",
            [
                admin(),
                b"Authorization: Bearer test-unknown-key-not-real\r\n".to_vec(),
            ]
            .concat(),
        ),
        ("8 KiB of token", long.into_bytes()),
    ];
    for (case, header) in cases {
        let answer = block_on(exchange(&addr, &get_request(&header)));
        let status = status_of(&answer);
        assert!(
            matches!(status, Some(400 | 401)),
            "{case}: {}",
            String::from_utf8_lossy(&answer)
        );
        assert!(
            !String::from_utf8_lossy(&answer).contains(ADMIN),
            "{case}: the key is never echoed"
        );
    }
    // A header block far past any limit is refused, not held.
    let huge = format!("Authorization: Bearer {}\r\n", "k".repeat(1024 * 1024));
    let answer = block_on(exchange(&addr, &get_request(huge.as_bytes())));
    assert!(
        answer.is_empty() || matches!(status_of(&answer), Some(400 | 401 | 431)),
        "{}",
        String::from_utf8_lossy(&answer[..answer.len().min(200)])
    );
    answers_within(&emu, Duration::from_secs(5));
}

#[test]
fn kill_9_during_writes_leaves_a_state_file_that_reloads_with_every_acknowledged_app() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("apps.json");
    let args = ["--api-key", ADMIN, "--state-file", state.to_str().unwrap()];
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut sent = 0usize;
    for round in 0..3 {
        let emu = EmulatorProcess::start_with_args(&args);
        let base = emu.base_url.clone();
        let writers: Vec<_> = (0..8)
            .map(|w| {
                let (base, acknowledged) = (base.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    block_on(async move {
                        let http = client();
                        let mut tried = 0;
                        // Bounded: at most 500 creates a writer, and each
                        // stops at the first failure (the kill).
                        for n in 0..500 {
                            tried += 1;
                            let answer = http
                                .post(format!("{base}/v1/oauth-apps"))
                                .bearer_auth(ADMIN)
                                .json(&app_body(&format!("Round {round} writer {w} app {n}")))
                                .send()
                                .await;
                            match answer {
                                Ok(a) if a.status() == 201 => {
                                    let app: serde_json::Value = a.json().await.unwrap_or_default();
                                    if let Some(id) = app["id"].as_str() {
                                        acknowledged.lock().unwrap().push(id.to_string());
                                    }
                                }
                                _ => break,
                            }
                        }
                        tried
                    })
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(400));
        let killed = std::process::Command::new("kill")
            .args(["-KILL", &emu.pid().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        for w in writers {
            sent += w.join().expect("a writer thread");
        }
        drop(emu);

        let again = EmulatorProcess::start_with_args(&args);
        let apps = again.all_apps();
        let ids: std::collections::BTreeSet<String> = apps
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids.len(), apps.len(), "no app twice");
        let acknowledged = acknowledged.lock().unwrap().clone();
        let missing: Vec<_> = acknowledged
            .iter()
            .filter(|id| !ids.contains(*id))
            .collect();
        assert!(
            missing.is_empty(),
            "round {round}: acknowledged but lost: {missing:?}"
        );
        assert!(
            apps.len() <= sent,
            "{} apps from {sent} creates",
            apps.len()
        );
        assert!(
            !acknowledged.is_empty(),
            "round {round}: writes were under way"
        );
        answers_within(&again, Duration::from_secs(5));
        let mut files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        files.sort();
        assert_eq!(
            files,
            ["apps.json", "apps.json.lock"],
            "no half-written file (with secrets) left"
        );
        eprintln!(
            "round {round}: {} acknowledged, {} in the reloaded store",
            acknowledged.len(),
            apps.len()
        );
    }
}
