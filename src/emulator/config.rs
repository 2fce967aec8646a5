//! How an emulator behaves ([`Config`]), and why one could not start
//! ([`EmulatorError`]).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::knowledge_graph::Settings as KnowledgeGraphSettings;
use super::persist;

/// How an emulator behaves. Keys are kept out of `Debug`.
#[derive(Clone, Default)]
pub struct Config {
    /// Keys with the org-admin role: may read and change apps.
    pub admin_keys: Vec<String>,
    /// Keys without it: reads succeed, writes are 403.
    pub read_only_keys: Vec<String>,
    /// Where to keep the apps across restarts; `None` keeps them in memory only.
    pub state_file: Option<PathBuf>,
    /// Added before every request is handled.
    pub latency: Duration,
    /// Fraction (0..=1) of requests answered 503 before doing anything.
    pub fail_rate: f64,
    /// Fraction (0..=1) of requests performed and then left unanswered, the
    /// connection closed.
    pub drop_rate: f64,
    /// Requests allowed per second; more are answered 429.
    pub rate_limit: Option<u32>,
    /// The Knowledge Graph endpoints: what is seeded, processing, limits.
    pub knowledge_graph: KnowledgeGraphSettings,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field(
                "admin_keys",
                &format_args!("[{} redacted]", self.admin_keys.len()),
            )
            .field(
                "read_only_keys",
                &format_args!("[{} redacted]", self.read_only_keys.len()),
            )
            .field("state_file", &self.state_file)
            .field("latency", &self.latency)
            .field("fail_rate", &self.fail_rate)
            .field("drop_rate", &self.drop_rate)
            .field("rate_limit", &self.rate_limit)
            .field("knowledge_graph", &self.knowledge_graph)
            .finish()
    }
}

/// Why an emulator could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum EmulatorError {
    /// Neither an admin nor a read-only key: no request could ever succeed.
    NoApiKeys,
    /// An empty key, or the same key given both roles.
    InvalidKey(&'static str),
    /// `fail_rate` or `drop_rate` outside 0..=1.
    InvalidRate { name: &'static str, value: f64 },
    /// `rate_limit` of 0 would refuse every request.
    ZeroRateLimit,
    /// The state file exists but cannot be used; it is left untouched.
    StateFile { path: PathBuf, reason: String },
    /// The state file's folder does not exist: neither the file nor its lock
    /// file could ever be written.
    StateFolderMissing { path: PathBuf },
    /// Another process (the process ID it wrote in the lock file, when it
    /// could be read) holds the lock on the state file: it is left untouched.
    StateFileInUse {
        path: PathBuf,
        lock_file: PathBuf,
        pid: Option<u32>,
    },
    /// The address could not be listened on.
    Listen { address: String, reason: String },
    /// A Knowledge Graph setting that cannot be used (a seed's name, a rate).
    KnowledgeGraph(String),
}

impl fmt::Display for EmulatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmulatorError::NoApiKeys => f.write_str(
                "no API key configured: give at least one admin key (--api-key-file PATH, \
                 WRITER_EMULATOR_API_KEY or --api-key KEY) or read-only key \
                 (--read-only-key-file PATH, WRITER_EMULATOR_READ_ONLY_KEY or \
                 --read-only-key KEY); clients send it as `Authorization: Bearer KEY`",
            ),
            EmulatorError::InvalidKey(why) => write!(f, "invalid API key: {why}"),
            EmulatorError::InvalidRate { name, value } => {
                write!(f, "{name} must be between 0 and 1, got {value}")
            }
            EmulatorError::ZeroRateLimit => {
                f.write_str("rate limit must be at least 1 request per second")
            }
            EmulatorError::StateFile { path, reason } => write!(
                f,
                "cannot use state file {}: {reason}; fix or move it (it was left untouched)",
                path.display()
            ),
            EmulatorError::StateFolderMissing { path } => write!(
                f,
                "cannot use state file {}: its folder {} does not exist; create it, or give \
                 another --state-file",
                path.display(),
                persist::folder(path).display()
            ),
            EmulatorError::StateFileInUse {
                path,
                lock_file,
                pid,
            } => {
                let holder = match pid {
                    Some(pid) => format!("process {pid}"),
                    None => "another process".to_string(),
                };
                write!(
                    f,
                    "state file {} is in use: {holder} holds its lock file {} (two emulators \
                     on one state file would overwrite each other's apps). Stop that emulator, \
                     or give this one another --state-file; nothing was changed",
                    path.display(),
                    lock_file.display()
                )
            }
            EmulatorError::Listen { address, reason } => {
                write!(f, "cannot listen on {address}: {reason}")
            }
            EmulatorError::KnowledgeGraph(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for EmulatorError {}
