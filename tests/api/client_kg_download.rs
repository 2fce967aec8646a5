//! The download that hashes a file (`writer_file`'s import) against a
//! scripted Writer: the body is hashed as it arrives, never held (a body
//! larger than any answer the client keeps in memory is hashed whole); a
//! 404 is "no such file"; a declared size above the limit is refused
//! before reading; a body that stalls ends about one `request_timeout` in,
//! however long the server would go on.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use terraform_provider_writer::client::knowledge_graph::MAX_DOWNLOAD_BYTES;
use terraform_provider_writer::client::{Client, Error};

use crate::support::client::few_attempts;
use crate::support::fake_writer::{Body, FakeWriter, Reply};

const KEY: &str = "test-admin-key-not-real-dl";

fn client(fake: &FakeWriter, request_timeout: Duration) -> Client {
    let mut config = few_attempts(&fake.base, KEY);
    config.request_timeout = request_timeout;
    Client::new(config).unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn a_download_is_hashed_as_it_arrives() {
    // 8 MiB: twice what the client keeps in memory of any answer.
    let chunk: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
    let times = 128;
    let sent = chunk.clone();
    let fake = FakeWriter::start(move |r, _| {
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/v1/files/f-1/download");
        Reply {
            status: 200,
            headers: vec![("content-type".into(), "application/pdf".into())],
            body: Body::Repeat {
                chunk: sent.clone(),
                times,
            },
            delay: Duration::ZERO,
        }
    });
    let got = client(&fake, Duration::from_secs(10))
        .download_file_sha256("f-1")
        .await
        .unwrap()
        .expect("the file");
    let mut hasher = Sha256::new();
    for _ in 0..times {
        hasher.update(&chunk);
    }
    let expected: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(got.length, (chunk.len() * times) as u64);
    assert_eq!(got.sha256, expected);
}

#[tokio::test(flavor = "current_thread")]
async fn no_file_is_none_and_a_refusal_is_an_error() {
    let fake = FakeWriter::start(|r, _| {
        if r.path.contains("gone") {
            Reply::writer_error(404, "File not found")
        } else {
            Reply::writer_error(403, "forbidden")
        }
    });
    let c = client(&fake, Duration::from_secs(10));
    assert_eq!(c.download_file_sha256("gone").await.unwrap(), None);
    let e = c.download_file_sha256("f-2").await.unwrap_err();
    assert!(matches!(e, Error::Forbidden { .. }), "{e:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_declared_size_above_the_limit_is_refused_before_reading() {
    let declared = (MAX_DOWNLOAD_BYTES + 1).to_string();
    let fake = FakeWriter::start(move |_, _| Reply {
        status: 200,
        headers: vec![("content-length".into(), declared.clone())],
        body: Body::Trickle {
            chunk: vec![0u8; 1024],
            times: 10,
            every: Duration::from_secs(5),
        },
        delay: Duration::ZERO,
    });
    let started = Instant::now();
    let e = client(&fake, Duration::from_secs(10))
        .download_file_sha256("f-3")
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "it read on");
    match e {
        Error::BadResponse { reason, .. } => {
            assert!(reason.contains(&MAX_DOWNLOAD_BYTES.to_string()), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_stalled_download_ends_about_one_request_timeout_in() {
    // A byte every 200 ms for 10 minutes, if let.
    let fake = FakeWriter::start(|_, _| Reply {
        status: 200,
        headers: Vec::new(),
        body: Body::Trickle {
            chunk: b"x".to_vec(),
            times: 3000,
            every: Duration::from_millis(200),
        },
        delay: Duration::ZERO,
    });
    let started = Instant::now();
    let e = client(&fake, Duration::from_secs(1))
        .download_file_sha256("f-4")
        .await
        .unwrap_err();
    // Three attempts (a read is retried), each about one second.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}: {e:?}",
        started.elapsed()
    );
}
