//! The emulator's faults aimed at uploads alone, over real HTTP: a dropped
//! answer keeps the file (Writer did it, the client cannot tell), a cut
//! upload keeps nothing, each only for as many uploads as asked; a slow link
//! reads no faster than its rate, a stalled one stops reading. Other
//! requests are untouched.

use std::time::{Duration, Instant};

use serde_json::Value;
use terraform_provider_writer::emulator::{Config, KnowledgeGraphSettings, UploadFaults};

use crate::support::emulator::{client, config, Emulator};
use crate::support::ADMIN;

fn with(faults: UploadFaults) -> Config {
    Config {
        knowledge_graph: KnowledgeGraphSettings {
            processing_delay: Duration::ZERO,
            upload_faults: faults,
            ..KnowledgeGraphSettings::default()
        },
        ..config()
    }
}

async fn upload(emu: &Emulator, bytes: Vec<u8>) -> Result<reqwest::Response, reqwest::Error> {
    client()
        .post(emu.url("/v1/files"))
        .bearer_auth(ADMIN)
        .header("Content-Disposition", "attachment; filename=\"a.txt\"")
        .header("Content-Type", "text/plain")
        .body(bytes)
        .send()
        .await
}

/// How many files Writer lists.
async fn files(emu: &Emulator) -> usize {
    let answer = client()
        .get(emu.url("/v1/files?limit=100"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    body["data"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_dropped_answer_keeps_the_file_and_a_cut_upload_keeps_nothing() {
    let emu = Emulator::start(with(UploadFaults {
        drop_answers: 1,
        ..UploadFaults::default()
    }))
    .await;
    let lost = upload(&emu, b"first".to_vec()).await;
    assert!(lost.is_err(), "no answer: {lost:?}");
    assert_eq!(files(&emu).await, 1, "the file was stored");
    let second = upload(&emu, b"second".to_vec()).await.unwrap();
    assert_eq!(
        second.status(),
        200,
        "only the first upload loses its answer"
    );
    assert_eq!(files(&emu).await, 2);

    let emu = Emulator::start(with(UploadFaults {
        cut: 1,
        ..UploadFaults::default()
    }))
    .await;
    let cut = upload(&emu, b"first".to_vec()).await;
    assert!(cut.is_err(), "no answer: {cut:?}");
    assert_eq!(files(&emu).await, 0, "nothing was stored");
    let second = upload(&emu, b"second".to_vec()).await.unwrap();
    assert_eq!(second.status(), 200);
    assert_eq!(files(&emu).await, 1);
}

#[tokio::test]
async fn a_slow_link_is_read_at_its_rate_and_a_stalled_one_stops() {
    let emu = Emulator::start(with(UploadFaults {
        bytes_per_second: Some(1024 * 1024),
        ..UploadFaults::default()
    }))
    .await;
    let started = Instant::now();
    let answer = upload(&emu, vec![b'x'; 512 * 1024]).await.unwrap();
    assert_eq!(answer.status(), 200);
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(500),
        "512 KiB at 1 MiB a second: {took:?}"
    );

    let emu = Emulator::start(with(UploadFaults {
        stall_after: Some(1000),
        ..UploadFaults::default()
    }))
    .await;
    let stalled =
        tokio::time::timeout(Duration::from_secs(2), upload(&emu, vec![b'x'; 200 * 1024])).await;
    assert!(stalled.is_err(), "no answer while stalled: {stalled:?}");
    assert_eq!(files(&emu).await, 0);
}
