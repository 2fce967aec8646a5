//! The `writer-emulator` command line, parsed here so the binary stays a few
//! lines long and the parsing can be tested without starting a process.
//! Errors say which flag is wrong; they never echo an API key.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::Config;

/// Loopback: an emulator holds secrets and should not be reachable from other machines.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

pub const USAGE: &str = "\
writer-emulator: a local implementation of the Writer OAuth Apps API.

Usage: writer-emulator --api-key KEY [options]

Options:
  --listen ADDR          address to listen on [default: 127.0.0.1:8787];
                         port 0 picks a free port
  --api-key KEY          an org-admin API key (may be repeated)
  --read-only-key KEY    an API key that may only read (may be repeated)
  --state-file PATH      keep apps in PATH across restarts (mode 0600)
  --latency-ms N         wait N milliseconds before handling each request
  --fail-rate F          answer this fraction (0..1) of requests 503
  --drop-rate F          perform this fraction (0..1) of requests, then close
                         the connection without answering
  --rate-limit N         answer 429 to requests beyond N per second
  --help                 print this help

At least one key is required. Clients send it as `Authorization: Bearer KEY`.
The first line on stdout is `writer-emulator listening on http://HOST:PORT`.
SIGINT or SIGTERM stops the emulator after requests in flight finish.
";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Run(Options),
    Help,
}

#[derive(Debug)]
pub struct Options {
    /// Host and port, as given (a name such as `localhost` is resolved when binding).
    pub listen: String,
    pub config: Config,
}

#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CliError {
    UnknownArgument(String),
    MissingValue(&'static str),
    InvalidValue {
        flag: &'static str,
        value: String,
        expected: &'static str,
    },
    NotUnicode,
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::UnknownArgument(arg) => write!(f, "unknown argument {arg:?}"),
            CliError::MissingValue(flag) => write!(f, "{flag} needs a value"),
            CliError::InvalidValue {
                flag,
                value,
                expected,
            } => write!(f, "{flag} {value:?}: expected {expected}"),
            CliError::NotUnicode => f.write_str("arguments must be valid UTF-8"),
        }
    }
}

impl std::error::Error for CliError {}

pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, CliError> {
    let mut listen = DEFAULT_LISTEN.to_owned();
    let mut config = Config::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg.into_string().map_err(|_| CliError::NotUnicode)?;
        // Both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let flag: &'static str = match flag.as_str() {
            "--help" | "-h" if inline.is_none() => return Ok(Command::Help),
            "--listen" => "--listen",
            "--api-key" => "--api-key",
            "--read-only-key" => "--read-only-key",
            "--state-file" => "--state-file",
            "--latency-ms" => "--latency-ms",
            "--fail-rate" => "--fail-rate",
            "--drop-rate" => "--drop-rate",
            "--rate-limit" => "--rate-limit",
            _ => return Err(CliError::UnknownArgument(arg)),
        };
        let value = match inline {
            Some(value) => value,
            None => args
                .next()
                .ok_or(CliError::MissingValue(flag))?
                .into_string()
                .map_err(|_| CliError::NotUnicode)?,
        };
        match flag {
            "--listen" => listen = value,
            "--api-key" => config.admin_keys.push(value),
            "--read-only-key" => config.read_only_keys.push(value),
            "--state-file" => config.state_file = Some(PathBuf::from(value)),
            "--latency-ms" => {
                config.latency =
                    Duration::from_millis(number(flag, &value, "a whole number of milliseconds")?)
            }
            "--fail-rate" => config.fail_rate = rate(flag, &value)?,
            "--drop-rate" => config.drop_rate = rate(flag, &value)?,
            _ => {
                let limit: u32 = number(
                    flag,
                    &value,
                    "a whole number of requests per second, at least 1",
                )?;
                if limit == 0 {
                    return Err(invalid(
                        flag,
                        &value,
                        "a whole number of requests per second, at least 1",
                    ));
                }
                config.rate_limit = Some(limit);
            }
        }
    }
    Ok(Command::Run(Options { listen, config }))
}

fn invalid(flag: &'static str, value: &str, expected: &'static str) -> CliError {
    CliError::InvalidValue {
        flag,
        value: value.to_owned(),
        expected,
    }
}

fn number<T: std::str::FromStr>(
    flag: &'static str,
    value: &str,
    expected: &'static str,
) -> Result<T, CliError> {
    value.parse().map_err(|_| invalid(flag, value, expected))
}

fn rate(flag: &'static str, value: &str) -> Result<f64, CliError> {
    let expected = "a fraction from 0 to 1, such as 0.25";
    number::<f64>(flag, value, expected)?;
    value
        .parse::<f64>()
        .ok()
        .filter(|r| (0.0..=1.0).contains(r))
        .ok_or_else(|| invalid(flag, value, expected))
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

    fn parse_str(args: &[&str]) -> Result<Command, CliError> {
        parse(args.iter().map(OsString::from))
    }

    fn options(args: &[&str]) -> Options {
        match parse_str(args) {
            Ok(Command::Run(options)) => options,
            other => panic!("{args:?}: {other:?}"),
        }
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
        let o = options(&[
            "--listen=127.0.0.1:0",
            "--api-key",
            "a1",
            "--api-key=a2",
            "--read-only-key",
            "r1",
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
        assert_eq!(o.config.admin_keys, ["a1", "a2"]);
        assert_eq!(o.config.read_only_keys, ["r1"]);
        assert_eq!(o.config.state_file, Some(PathBuf::from("state.json")));
        assert_eq!(o.config.latency, Duration::from_millis(25));
        assert_eq!(o.config.fail_rate, 0.5);
        assert_eq!(o.config.drop_rate, 1.0);
        assert_eq!(o.config.rate_limit, Some(10));
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
    fn bad_arguments() {
        assert_eq!(
            parse_str(&["--port", "1"]).unwrap_err(),
            CliError::UnknownArgument("--port".into())
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
        ] {
            let err = parse_str(&[flag, value]).unwrap_err();
            assert!(
                matches!(err, CliError::InvalidValue { .. }),
                "{flag} {value}: {err:?}"
            );
            assert!(err.to_string().starts_with(flag), "{err}");
        }
    }

    #[test]
    fn config_debug_hides_keys() {
        let o = options(&["--api-key", "test-admin-key-not-real"]);
        assert!(!format!("{:?}", o.config).contains("test-admin-key-not-real"));
    }
}
