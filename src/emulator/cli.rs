//! The `writer-emulator` command line, parsed here so the binary stays a few
//! lines long and the parsing can be tested without starting a process.
//!
//! Keys can come from files and environment variables as well as from argv,
//! because every local user can read a process's argv (`ps`, `/proc`). Errors
//! name the flag that is wrong but never repeat a value: a mistyped flag, a
//! flag that swallowed the next one, or a stray word may all be a key.
//!
//! Parsed by hand rather than with an argument-parsing crate: none is in the
//! tree (Cargo.lock), and the rule above is this parser's own, where a
//! general one quotes the argument it refuses (clap's errors do). The near
//! miss of a mistyped flag comes from `strsim`.

use std::ffi::OsString;
use std::fmt;
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Config;

/// Every flag, for "did you mean".
const FLAGS: [&str; 23] = [
    "--listen",
    "--allow-remote",
    "--api-key",
    "--read-only-key",
    "--api-key-file",
    "--read-only-key-file",
    "--state-file",
    "--latency-ms",
    "--fail-rate",
    "--drop-rate",
    "--rate-limit",
    "--web-graph",
    "--chat-agent",
    "--team-graph",
    "--processing-ms",
    "--file-fail-rate",
    "--max-file-bytes",
    "--drop-upload-answers",
    "--cut-uploads",
    "--upload-bytes-per-second",
    "--stall-uploads-after",
    "--help",
    "-h",
];

/// Loopback: an emulator holds secrets and should not be reachable from other machines.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

/// Environment variable holding one org-admin key.
pub const API_KEY_ENV: &str = "WRITER_EMULATOR_API_KEY";
/// Environment variable holding one read-only key.
pub const READ_ONLY_KEY_ENV: &str = "WRITER_EMULATOR_READ_ONLY_KEY";

/// A key file is a few lines; reading stops beyond this, so a wrong path such
/// as `/dev/zero` is an error rather than a process that never starts.
const KEY_FILE_MAX_BYTES: u64 = 64 * 1024;

pub const USAGE: &str = "\
writer-emulator: a local implementation of the Writer OAuth Apps API and of
Writer's Knowledge Graph, File and agent-graph API.

Usage: writer-emulator --api-key-file PATH [options]
       WRITER_EMULATOR_API_KEY=KEY writer-emulator [options]

API keys (at least one; clients send it as `Authorization: Bearer KEY`):
  --api-key-file PATH        read org-admin API keys from PATH, one a line
                             (may be repeated)
  --read-only-key-file PATH  read API keys that may only read from PATH, one
                             a line (may be repeated)
  WRITER_EMULATOR_API_KEY    environment variable: an org-admin API key
  WRITER_EMULATOR_READ_ONLY_KEY
                             environment variable: an API key that may only read
  --api-key KEY              an org-admin API key (may be repeated)
  --read-only-key KEY        an API key that may only read (may be repeated)
                             Keys given on the command line can be read by
                             every local user (ps, /proc); prefer files or
                             the environment.

Options:
  --listen ADDR          IP:PORT or localhost:PORT to listen on
                         [default: 127.0.0.1:8787]; port 0 picks a free port
  --allow-remote         allow --listen on an address other than loopback
                         (such as 0.0.0.0:8787 in a container): anyone who
                         can reach it and holds a key can read and change apps
  --state-file PATH      keep apps in PATH across restarts (mode 0600); one
                         emulator at a time (locked through PATH.lock)
  --latency-ms N         wait N milliseconds before handling each request
  --fail-rate F          answer this fraction (0..1) of requests 503
  --drop-rate F          perform this fraction (0..1) of requests, then close
                         the connection without answering
  --rate-limit N         answer 429 to requests beyond N per second
  --help                 print this help

Knowledge Graphs (/v1/graphs, /v1/files, /v1/applications/ID/graphs):
  --web-graph NAME       seed a graph of type web, as AI Studio's Add
                         Website makes (may be repeated)
  --chat-agent NAME      seed a no-code chat agent (may be repeated)
  --team-graph NAME      seed a graph deployed to one team: the API does not
                         see it (may be repeated)
  --processing-ms N      a file stays in_progress, and a URL validating, for
                         N milliseconds [default: 1000]
  --file-fail-rate F     this fraction (0..1) of uploads (and retries) ends
                         with status failed
  --max-file-bytes N     the largest file an upload may carry
                         [default: 1073741824, 1 GiB]
  --drop-upload-answers N
                         store the first N uploads, then close each one's
                         connection without answering
  --cut-uploads N        close the connection of the first N uploads before
                         anything is stored, without answering
  --upload-bytes-per-second N
                         read each upload's body at most N bytes a second
  --stall-uploads-after N
                         stop reading each upload's body for 60 seconds
                         after its first N bytes
  URLs on hosts under unreadable.example end in error (not-found.,
  not-searchable., invalid-url., unexpected-error.; any other:
  paywall_or_login_page).

Error messages never repeat the values given to flags.
The first line on stdout is `writer-emulator listening on http://HOST:PORT`;
then one line per seed: `seeded web graph \"NAME\" id=ID`, `seeded chat agent
\"NAME\" id=ID`, `seeded team graph \"NAME\" id=ID`.
SIGINT or SIGTERM stops the emulator after requests in flight finish.
";

/// What the command line asks for.
#[derive(Debug)]
// Parsed once per process: boxing `Options` would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    Run(Options),
    Help,
}

#[derive(Debug)]
pub struct Options {
    /// Host and port, as given (`localhost` is resolved when binding).
    pub listen: String,
    pub config: Config,
}

#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CliError {
    /// A flag this emulator does not have, with the known flag it is a near
    /// miss of (it is shown then, never with its `=value`).
    UnknownFlag(Option<(String, &'static str)>),
    /// A word with no flag before it, counted from 1.
    UnexpectedValue {
        position: usize,
    },
    MissingValue(&'static str),
    /// A switch given as `--switch=value`.
    TakesNoValue(&'static str),
    InvalidValue {
        flag: &'static str,
        expected: &'static str,
    },
    NotUnicode,
    /// A key file that cannot be used; the reason never quotes the file.
    KeyFile {
        flag: &'static str,
        reason: String,
    },
    /// A key variable that is set but empty or not UTF-8.
    KeyVariable(&'static str),
    /// `--listen` on an address other than loopback without `--allow-remote`.
    NotLoopback(String),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::UnknownFlag(Some((flag, known))) => {
                write!(f, "unknown flag {flag}; did you mean {known}?")
            }
            CliError::UnknownFlag(None) => {
                f.write_str("unknown flag (not shown, in case it is a key); --help lists the flags")
            }
            CliError::UnexpectedValue { position } => write!(
                f,
                "argument {position} has no flag before it (not shown: it may be a key); \
                 check that the flag before it is spelled right and takes a value"
            ),
            CliError::MissingValue(flag) => write!(
                f,
                "{flag} needs a value (a value starting with `--` must be given as {flag}=VALUE)"
            ),
            CliError::TakesNoValue(flag) => write!(f, "{flag} takes no value"),
            CliError::InvalidValue { flag, expected } => {
                write!(
                    f,
                    "{flag}: expected {expected} (the value given is not shown)"
                )
            }
            CliError::NotUnicode => f.write_str("arguments must be valid UTF-8"),
            CliError::KeyFile { flag, reason } => {
                write!(f, "{flag}: cannot use the key file: {reason}")
            }
            CliError::KeyVariable(name) => write!(
                f,
                "{name} is set but is empty or not UTF-8; unset it or put one key in it"
            ),
            CliError::NotLoopback(listen) => write!(
                f,
                "--listen {listen} is not a loopback address: the emulator holds client \
                 secrets and anyone who can reach it with a key can read and change them; \
                 listen on 127.0.0.1 or localhost, or add --allow-remote if other machines or \
                 containers must reach it"
            ),
        }
    }
}

impl std::error::Error for CliError {}

/// Parses the arguments (without the program name), taking keys also from
/// the environment through `env` (`std::env::var_os` in the binary).
pub fn parse(
    args: impl IntoIterator<Item = OsString>,
    env: impl Fn(&str) -> Option<OsString>,
) -> Result<Command, CliError> {
    let mut options = Options {
        listen: DEFAULT_LISTEN.to_owned(),
        config: Config::default(),
    };
    let mut allow_remote = false;
    let mut args = args.into_iter().enumerate();
    while let Some((index, arg)) = args.next() {
        let arg = arg.into_string().map_err(|_| CliError::NotUnicode)?;
        if !arg.starts_with('-') {
            return Err(CliError::UnexpectedValue {
                position: index + 1,
            });
        }
        // Both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let flag: &'static str = match flag {
            "--help" | "-h" | "--allow-remote" if inline.is_some() => {
                return Err(CliError::TakesNoValue(if flag == "--allow-remote" {
                    "--allow-remote"
                } else {
                    "--help"
                }))
            }
            "--help" | "-h" => return Ok(Command::Help),
            "--allow-remote" => {
                allow_remote = true;
                continue;
            }
            "--listen" => "--listen",
            "--api-key" => "--api-key",
            "--read-only-key" => "--read-only-key",
            "--api-key-file" => "--api-key-file",
            "--read-only-key-file" => "--read-only-key-file",
            "--state-file" => "--state-file",
            "--latency-ms" => "--latency-ms",
            "--fail-rate" => "--fail-rate",
            "--drop-rate" => "--drop-rate",
            "--rate-limit" => "--rate-limit",
            "--web-graph" => "--web-graph",
            "--chat-agent" => "--chat-agent",
            "--team-graph" => "--team-graph",
            "--processing-ms" => "--processing-ms",
            "--file-fail-rate" => "--file-fail-rate",
            "--max-file-bytes" => "--max-file-bytes",
            "--drop-upload-answers" => "--drop-upload-answers",
            "--cut-uploads" => "--cut-uploads",
            "--upload-bytes-per-second" => "--upload-bytes-per-second",
            "--stall-uploads-after" => "--stall-uploads-after",
            _ => return Err(unknown_flag(flag)),
        };
        let value = flag_value(flag, inline, &mut args)?;
        set(&mut options, flag, value)?;
    }
    keys_from_env(&mut options.config, env)?;
    if !allow_remote && !is_loopback(&options.listen)? {
        return Err(CliError::NotLoopback(options.listen));
    }
    Ok(Command::Run(options))
}

/// The value of `flag`: the one after `=`, or else the next argument.
fn flag_value(
    flag: &'static str,
    inline: Option<String>,
    args: &mut impl Iterator<Item = (usize, OsString)>,
) -> Result<String, CliError> {
    match inline {
        Some(value) => Ok(value),
        // A flag followed by another flag forgot its value: taking the
        // next flag as the value would push a key out as a stray word.
        None => match args.next() {
            Some((_, next)) if !next.to_string_lossy().starts_with("--") => {
                next.into_string().map_err(|_| CliError::NotUnicode)
            }
            _ => Err(CliError::MissingValue(flag)),
        },
    }
}

/// Sets what `flag` (one that takes a value) says.
fn set(options: &mut Options, flag: &'static str, value: String) -> Result<(), CliError> {
    let config = &mut options.config;
    match flag {
        "--listen" => options.listen = value,
        "--api-key" => config.admin_keys.push(value),
        "--read-only-key" => config.read_only_keys.push(value),
        "--api-key-file" => config.admin_keys.extend(read_key_file(flag, &value)?),
        "--read-only-key-file" => config.read_only_keys.extend(read_key_file(flag, &value)?),
        "--state-file" => config.state_file = Some(PathBuf::from(value)),
        "--latency-ms" => {
            config.latency =
                Duration::from_millis(number(flag, &value, "a whole number of milliseconds")?)
        }
        "--fail-rate" => config.fail_rate = rate(flag, &value)?,
        "--drop-rate" => config.drop_rate = rate(flag, &value)?,
        "--web-graph" => config
            .knowledge_graph
            .web_graphs
            .push(seed_name(flag, value)?),
        "--chat-agent" => config
            .knowledge_graph
            .chat_agents
            .push(seed_name(flag, value)?),
        "--team-graph" => config
            .knowledge_graph
            .team_graphs
            .push(seed_name(flag, value)?),
        "--processing-ms" => {
            config.knowledge_graph.processing_delay =
                Duration::from_millis(number(flag, &value, "a whole number of milliseconds")?)
        }
        "--file-fail-rate" => config.knowledge_graph.file_fail_rate = rate(flag, &value)?,
        "--max-file-bytes" => {
            let expected = "a whole number of bytes, at least 1";
            let bytes: u64 = number(flag, &value, expected)?;
            if bytes == 0 {
                return Err(CliError::InvalidValue { flag, expected });
            }
            config.knowledge_graph.max_file_bytes = bytes;
        }
        "--drop-upload-answers" => {
            config.knowledge_graph.upload_faults.drop_answers =
                number(flag, &value, "a whole number of uploads")?
        }
        "--cut-uploads" => {
            config.knowledge_graph.upload_faults.cut =
                number(flag, &value, "a whole number of uploads")?
        }
        "--upload-bytes-per-second" => {
            let expected = "a whole number of bytes a second, at least 1";
            let rate: u64 = number(flag, &value, expected)?;
            if rate == 0 {
                return Err(CliError::InvalidValue { flag, expected });
            }
            config.knowledge_graph.upload_faults.bytes_per_second = Some(rate);
        }
        "--stall-uploads-after" => {
            config.knowledge_graph.upload_faults.stall_after =
                Some(number(flag, &value, "a whole number of bytes")?)
        }
        _ => {
            let expected = "a whole number of requests per second, at least 1";
            let limit: u32 = number(flag, &value, expected)?;
            if limit == 0 {
                return Err(CliError::InvalidValue { flag, expected });
            }
            config.rate_limit = Some(limit);
        }
    }
    Ok(())
}

/// The name of a seeded graph or agent: 1 to 255 characters, not blank.
fn seed_name(flag: &'static str, value: String) -> Result<String, CliError> {
    if value.trim().is_empty() || value.chars().count() > 255 {
        return Err(CliError::InvalidValue {
            flag,
            expected: "a name of 1 to 255 characters",
        });
    }
    Ok(value)
}

/// Adds the keys in the environment variables, each holding one key.
fn keys_from_env(
    config: &mut Config,
    env: impl Fn(&str) -> Option<OsString>,
) -> Result<(), CliError> {
    for (name, keys) in [
        (API_KEY_ENV, &mut config.admin_keys),
        (READ_ONLY_KEY_ENV, &mut config.read_only_keys),
    ] {
        if let Some(value) = env(name) {
            match value.into_string() {
                Ok(key) if !key.trim().is_empty() => keys.push(key.trim().to_owned()),
                _ => return Err(CliError::KeyVariable(name)),
            }
        }
    }
    Ok(())
}

/// A near miss of a known flag is shown with the flag it resembles; anything
/// else is not shown, since a key pasted after a dash looks like a flag too.
fn unknown_flag(flag: &str) -> CliError {
    CliError::UnknownFlag(
        FLAGS
            .iter()
            .find(|known| strsim::levenshtein(flag, known) <= 2)
            .map(|known| (flag.to_owned(), *known)),
    )
}

/// Whether `listen` (`IP:PORT` or `localhost:PORT`) is on loopback. A host
/// name other than `localhost` cannot be judged without resolving it, so it
/// counts as remote.
fn is_loopback(listen: &str) -> Result<bool, CliError> {
    if let Ok(addr) = listen.parse::<SocketAddr>() {
        return Ok(addr.ip().is_loopback());
    }
    match listen.rsplit_once(':') {
        Some((host, port))
            if port.parse::<u16>().is_ok()
                && !host.is_empty()
                && host.parse::<IpAddr>().is_err() =>
        {
            Ok(host.eq_ignore_ascii_case("localhost"))
        }
        _ => Err(CliError::InvalidValue {
            flag: "--listen",
            expected: "IP:PORT or localhost:PORT, such as 127.0.0.1:8787 or [::1]:8787",
        }),
    }
}

/// The keys in a key file: one a line, surrounding whitespace and blank lines ignored.
fn read_key_file(flag: &'static str, path: &str) -> Result<Vec<String>, CliError> {
    let fail = |reason: String| CliError::KeyFile { flag, reason };
    let mut bytes = Vec::new();
    std::fs::File::open(Path::new(path))
        .and_then(|file| file.take(KEY_FILE_MAX_BYTES + 1).read_to_end(&mut bytes))
        // io::Error's text names the problem, not the path or the content.
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > KEY_FILE_MAX_BYTES {
        return Err(fail(format!(
            "it is larger than {KEY_FILE_MAX_BYTES} bytes; a key file holds one key a line"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| fail("it is not UTF-8 text".to_owned()))?;
    let keys: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if keys.is_empty() {
        return Err(fail("it holds no key".to_owned()));
    }
    Ok(keys)
}

fn number<T: std::str::FromStr>(
    flag: &'static str,
    value: &str,
    expected: &'static str,
) -> Result<T, CliError> {
    value
        .parse()
        .map_err(|_| CliError::InvalidValue { flag, expected })
}

fn rate(flag: &'static str, value: &str) -> Result<f64, CliError> {
    let expected = "a fraction from 0 to 1, such as 0.25";
    number::<f64>(flag, value, expected)
        .ok()
        .filter(|r| (0.0..=1.0).contains(r))
        .ok_or(CliError::InvalidValue { flag, expected })
}

/// Completes on SIGINT or SIGTERM. If a signal cannot be watched, that one is
/// simply not awaited (rather than shutting down at once).
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// Request lines (method, path, status, request id) on stderr; never bodies,
/// headers or keys.
pub fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "test-admin-key-not-real-cli-0001";

    fn no_env(_: &str) -> Option<OsString> {
        None
    }

    fn parse_str(args: &[&str]) -> Result<Command, CliError> {
        parse(args.iter().map(OsString::from), no_env)
    }

    fn options(args: &[&str]) -> Options {
        match parse_str(args) {
            Ok(Command::Run(options)) => options,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    fn key_file(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> String {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path.to_str().unwrap().to_owned()
    }

    #[test]
    fn defaults() {
        let o = options(&["--api-key", "k"]);
        assert_eq!(o.listen, "127.0.0.1:8787");
        assert_eq!(o.config.admin_keys, ["k"]);
        assert_eq!(o.config.rate_limit, None);
        assert_eq!(o.config.latency, Duration::ZERO);
    }

    #[test]
    fn every_flag() {
        let dir = tempfile::tempdir().unwrap();
        let admin_file = key_file(&dir, "admin", b"a3\n\n  a4 \r\n");
        let read_only_file = key_file(&dir, "ro", b"r2");
        let o = options(&[
            "--listen=127.0.0.1:0",
            "--api-key",
            "a1",
            "--api-key=a2",
            "--api-key-file",
            &admin_file,
            "--read-only-key",
            "r1",
            &format!("--read-only-key-file={read_only_file}"),
            "--state-file",
            "state.json",
            "--latency-ms",
            "25",
            "--fail-rate",
            "0.5",
            "--drop-rate=1",
            "--rate-limit",
            "10",
        ]);
        assert_eq!(o.listen, "127.0.0.1:0");
        assert_eq!(o.config.admin_keys, ["a1", "a2", "a3", "a4"]);
        assert_eq!(o.config.read_only_keys, ["r1", "r2"]);
        assert_eq!(o.config.state_file, Some(PathBuf::from("state.json")));
        assert_eq!(o.config.latency, Duration::from_millis(25));
        assert_eq!(o.config.fail_rate, 0.5);
        assert_eq!(o.config.drop_rate, 1.0);
        assert_eq!(o.config.rate_limit, Some(10));
    }

    #[test]
    fn upload_faults() {
        let o = options(&[
            "--api-key",
            "k",
            "--drop-upload-answers",
            "2",
            "--cut-uploads=1",
            "--upload-bytes-per-second",
            "1048576",
            "--stall-uploads-after",
            "4096",
        ]);
        let faults = &o.config.knowledge_graph.upload_faults;
        assert_eq!(faults.drop_answers, 2);
        assert_eq!(faults.cut, 1);
        assert_eq!(faults.bytes_per_second, Some(1_048_576));
        assert_eq!(faults.stall_after, Some(4096));
        for flag in FLAGS.iter().filter(|f| f.starts_with("--")) {
            assert!(USAGE.contains(flag), "{flag} in the usage text");
        }
        assert!(matches!(
            parse_str(&["--api-key", "k", "--upload-bytes-per-second", "0"]),
            Err(CliError::InvalidValue { .. })
        ));
    }

    #[test]
    fn keys_from_the_environment() {
        let env = |name: &str| match name {
            API_KEY_ENV => Some(OsString::from(format!("{KEY}\n"))),
            READ_ONLY_KEY_ENV => Some(OsString::from("test-read-only-key-not-real")),
            _ => None,
        };
        let Ok(Command::Run(o)) = parse([OsString::from("--api-key=a1")], env) else {
            panic!("parsed")
        };
        assert_eq!(o.config.admin_keys, ["a1", KEY]);
        assert_eq!(o.config.read_only_keys, ["test-read-only-key-not-real"]);

        let empty = |name: &str| (name == API_KEY_ENV).then(|| OsString::from(" "));
        assert_eq!(
            parse(Vec::<OsString>::new(), empty).unwrap_err(),
            CliError::KeyVariable(API_KEY_ENV)
        );
    }

    #[test]
    fn unusable_key_files_are_explained_without_their_path_or_content() {
        let dir = tempfile::tempdir().unwrap();
        let empty = key_file(&dir, "empty", b" \n\n");
        let binary = key_file(&dir, "binary", &[0xff, 0xfe, b'k']);
        let big = key_file(&dir, "big", &vec![b'k'; 64 * 1024 + 1]);
        let missing = dir.path().join(KEY);
        for (path, reason) in [
            (empty.as_str(), "holds no key"),
            (binary.as_str(), "not UTF-8"),
            (big.as_str(), "larger than 65536 bytes"),
            (missing.to_str().unwrap(), "No such file"),
            ("/dev/zero", "larger than"),
        ] {
            let err = parse_str(&["--api-key-file", path]).unwrap_err();
            assert!(
                matches!(
                    err,
                    CliError::KeyFile {
                        flag: "--api-key-file",
                        ..
                    }
                ),
                "{err:?}"
            );
            let text = err.to_string();
            assert!(text.contains(reason), "{path}: {text}");
            assert!(!text.contains(KEY) && !text.contains("kkkk"), "{text}");
            assert!(!text.contains(dir.path().to_str().unwrap()), "{text}");
        }
    }

    #[test]
    fn help() {
        assert!(matches!(
            parse_str(&["--api-key", "k", "--help"]),
            Ok(Command::Help)
        ));
        assert!(matches!(parse_str(&["-h"]), Ok(Command::Help)));
    }

    #[test]
    fn help_documents_every_way_to_give_a_key() {
        for text in [
            "--api-key-file PATH",
            "--read-only-key-file PATH",
            API_KEY_ENV,
            READ_ONLY_KEY_ENV,
            "--api-key KEY",
            "--read-only-key KEY",
            "--allow-remote",
        ] {
            assert!(USAGE.contains(text), "{text}");
        }
    }

    #[test]
    fn bad_arguments() {
        assert_eq!(
            parse_str(&["--port", "1"]).unwrap_err(),
            CliError::UnknownFlag(None)
        );
        assert_eq!(
            parse_str(&["--state-fil=x"]).unwrap_err().to_string(),
            "unknown flag --state-fil; did you mean --state-file?"
        );
        assert_eq!(
            parse_str(&["--api-key"]).unwrap_err(),
            CliError::MissingValue("--api-key")
        );
        for (flag, value) in [
            ("--fail-rate", "1.5"),
            ("--fail-rate", "NaN"),
            ("--drop-rate", "-0.1"),
            ("--latency-ms", "-1"),
            ("--rate-limit", "0"),
            ("--rate-limit", "many"),
            ("--listen", "not-an-address"),
            ("--listen", "127.0.0.1"),
            ("--listen", ":8787"),
        ] {
            let err = parse_str(&["--api-key", "k", flag, value]).unwrap_err();
            assert!(
                matches!(err, CliError::InvalidValue { .. }),
                "{flag} {value}: {err:?}"
            );
            assert!(err.to_string().starts_with(flag), "{err}");
        }
    }

    /// Every way of misplacing a key on the command line: the error says
    /// what is wrong and never contains the key.
    #[test]
    fn errors_never_echo_a_key() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["--api-kye=KEY"],
                "unknown flag --api-kye; did you mean --api-key?",
            ),
            (
                &["--api-kye", "KEY"],
                "unknown flag --api-kye; did you mean --api-key?",
            ),
            (
                &["--read-only-key", "--api-key", "KEY"],
                "--read-only-key needs a value",
            ),
            (&["--api-key", "--listen", "KEY"], "--api-key needs a value"),
            (&["--api-key", "k", "KEY"], "argument 3 has no flag"),
            (&["KEY"], "argument 1 has no flag"),
            (&["-KEY"], "unknown flag (not shown"),
            (&["--KEY"], "unknown flag (not shown"),
            (&["--test-admin-key=KEY"], "unknown flag (not shown"),
            (&["--rate-limit", "KEY"], "--rate-limit: expected"),
            (&["--latency-ms=KEY"], "--latency-ms: expected"),
            (&["--fail-rate", "KEY"], "--fail-rate: expected"),
            (&["--listen", "KEY"], "--listen: expected"),
            (
                &["--api-key-file", "KEY"],
                "--api-key-file: cannot use the key file",
            ),
            (&["--help=KEY"], "--help takes no value"),
            (&["--allow-remote=KEY"], "--allow-remote takes no value"),
        ];
        for (args, expected) in cases {
            let args: Vec<String> = args.iter().map(|a| a.replace("KEY", KEY)).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let err = parse_str(&args).unwrap_err().to_string();
            assert!(err.contains(expected), "{args:?}: {err}");
            assert!(!err.contains(KEY), "{args:?} echoed the key: {err}");
        }
    }

    #[test]
    fn remote_addresses_need_allow_remote() {
        for listen in [
            "127.0.0.1:0",
            "127.0.0.2:8787",
            "[::1]:0",
            "localhost:0",
            "LOCALHOST:1",
        ] {
            assert_eq!(options(&["--listen", listen]).listen, listen);
        }
        for listen in [
            "0.0.0.0:8787",
            "[::]:0",
            "192.0.2.7:80",
            "emulator.internal:8787",
        ] {
            let err = parse_str(&["--listen", listen]).unwrap_err();
            assert_eq!(err, CliError::NotLoopback(listen.to_owned()));
            assert!(err.to_string().contains("--allow-remote"), "{err}");
            // Either order.
            assert_eq!(
                options(&["--allow-remote", "--listen", listen]).listen,
                listen
            );
            assert_eq!(
                options(&["--listen", listen, "--allow-remote"]).listen,
                listen
            );
        }
    }

    #[test]
    fn config_debug_hides_keys() {
        let o = options(&["--api-key", "test-admin-key-not-real"]);
        assert!(!format!("{:?}", o.config).contains("test-admin-key-not-real"));
    }
}
