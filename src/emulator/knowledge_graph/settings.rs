//! How the emulator's Knowledge Graph endpoints behave, and what is seeded:
//! the family's flags, apart from the module that routes them, so that the
//! handlers read them without importing their parent.

use std::time::Duration;

/// The default limit on one uploaded file: 1 GiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;
/// The default time a file spends `in_progress`, and a URL `validating`.
pub const DEFAULT_PROCESSING_DELAY: Duration = Duration::from_secs(1);

/// How the Knowledge Graph endpoints behave, and what is seeded.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Names of `web` graphs to seed (AI Studio's "Add Website" makes them).
    pub web_graphs: Vec<String>,
    /// Names of no-code chat agents to seed.
    pub chat_agents: Vec<String>,
    /// Names of graphs deployed to one team: they exist, and the API does
    /// not see them (404, absent from lists).
    pub team_graphs: Vec<String>,
    /// How long a file stays `in_progress` and a URL `validating`.
    pub processing_delay: Duration,
    /// Fraction (0..=1) of uploads (and retries) whose processing ends `failed`.
    pub file_fail_rate: f64,
    /// The largest file an upload may carry, in bytes (413 beyond).
    pub max_file_bytes: u64,
    /// Faults aimed at uploads alone (the others, `--drop-rate` and the
    /// like, hit every request).
    pub upload_faults: UploadFaults,
}

/// Faults aimed at uploads (`POST /v1/files`), so that a test loses exactly
/// an upload's answer, or has a slow or stalled link, and nothing else.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UploadFaults {
    /// This many uploads, from the first, are stored and then left
    /// unanswered, the connection closed: Writer has the file, the client
    /// cannot tell.
    pub drop_answers: u32,
    /// This many uploads, from the first, are cut off before anything is
    /// stored, the connection closed unanswered: Writer has nothing, the
    /// client cannot tell.
    pub cut: u32,
    /// An upload's body is read at most this many bytes a second (a slow
    /// but moving link).
    pub bytes_per_second: Option<u64>,
    /// After this many bytes of an upload's body, reading stops for
    /// [`STALL`] (a stalled link): a client with a time bound gives up first.
    pub stall_after: Option<u64>,
}

/// How long a stalled upload waits before reading on.
pub const STALL: Duration = Duration::from_secs(60);

impl Default for Settings {
    fn default() -> Self {
        Self {
            web_graphs: Vec::new(),
            chat_agents: Vec::new(),
            team_graphs: Vec::new(),
            processing_delay: DEFAULT_PROCESSING_DELAY,
            file_fail_rate: 0.0,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            upload_faults: UploadFaults::default(),
        }
    }
}
