//! Logging the way Terraform reads it: one hclog JSON object per line on
//! stderr (`{"@level":"debug","@message":...,"@timestamp":...}`), which
//! Terraform re-logs at that level under `TF_LOG` / `TF_LOG_PROVIDER`.
//!
//! Everything in the crate logs through `tracing`; this module is the only
//! place that decides where lines go. Only our own crate's events are written,
//! plus, at TRACE, the few dependency targets the program names with
//! [`also_write`] (`log` crate records bridged too): dependencies' output in
//! general (HTTP/2 frames, TLS) is noise at best and could carry request
//! details at worst. What is logged must never include a secret: that rule is
//! kept by the callers, which log typed, redacting values, and by whoever
//! picks the dependency targets.
//!
//! The line is put together here, not by `tracing-subscriber`'s JSON format:
//! that needs its `json` feature (and `tracing-serde`, not in the tree) and
//! writes its own keys (`timestamp`, `level`, `fields`), where go-plugin
//! reads hclog's `@level`, `@message` and `@timestamp`. `serde_json` escapes
//! the strings and `time` reads the clock.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::OnceLock;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

/// The crate prefix of the events we write.
const OUR_TARGET: &str = "terraform_provider_writer";

/// The level asked for by Terraform's environment: `TF_LOG_PROVIDER` first,
/// then `TF_LOG`. With neither, warnings and errors only: Terraform shows
/// nothing then, and the plugin spends nothing on lines nobody reads.
pub fn level_from_env() -> Option<Level> {
    let pick = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    match pick("TF_LOG_PROVIDER").or_else(|| pick("TF_LOG")) {
        Some(v) => parse_level(&v),
        None => Some(Level::WARN),
    }
}

fn parse_level(value: &str) -> Option<Level> {
    match value.trim().to_ascii_uppercase().as_str() {
        "OFF" => None,
        "ERROR" => Some(Level::ERROR),
        "WARN" => Some(Level::WARN),
        "INFO" => Some(Level::INFO),
        "DEBUG" => Some(Level::DEBUG),
        // Terraform treats any other non-empty value (TRACE, JSON, 1...) as TRACE.
        _ => Some(Level::TRACE),
    }
}

/// A dependency's log target (exactly) and the most verbose level of it to
/// write.
pub type Target = (&'static str, Level);

static ALSO: OnceLock<&'static [Target]> = OnceLock::new();

/// Names dependency targets whose events are written too, as `trace` lines
/// with a `target` field, when the level asked for is TRACE. Call it before
/// [`init`]; the first call counts.
pub fn also_write(targets: &'static [Target]) {
    let _ = ALSO.set(targets);
}

/// Installs the hclog JSON writer on stderr as the process's subscriber, and
/// at TRACE the bridge from the `log` crate for [`also_write`]'s targets.
/// Calling it twice is harmless (the first one stays).
pub fn init(level: Option<Level>) {
    let Some(level) = level else { return };
    let layer = HclogLayer::new(level, ALSO.get().copied().unwrap_or(&[]), Sink::Stderr);
    let also = layer.also;
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
    if let Some(most) = also.iter().map(|(_, l)| *l).max() {
        // `log` records then reach the subscriber, which keeps `also`'s.
        let _ = tracing_log::LogTracer::builder()
            .with_max_level(log_filter(most))
            .init();
    }
}

fn log_filter(level: Level) -> tracing_log::log::LevelFilter {
    use tracing_log::log::LevelFilter;
    match level {
        Level::ERROR => LevelFilter::Error,
        Level::WARN => LevelFilter::Warn,
        Level::INFO => LevelFilter::Info,
        Level::DEBUG => LevelFilter::Debug,
        Level::TRACE => LevelFilter::Trace,
    }
}

/// Where lines go: stderr for real, a closure in tests.
enum Sink {
    Stderr,
    #[cfg(test)]
    Lines(std::sync::Arc<std::sync::Mutex<Vec<String>>>),
}

struct HclogLayer {
    level: Level,
    /// Dependency targets written too (empty below TRACE).
    also: &'static [Target],
    sink: Sink,
}

impl HclogLayer {
    /// Dependency targets only at TRACE.
    fn new(level: Level, also: &'static [Target], sink: Sink) -> HclogLayer {
        let also = if level == Level::TRACE { also } else { &[] };
        HclogLayer { level, also, sink }
    }
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        let (target, level) = (metadata.target(), metadata.level());
        if target.starts_with(OUR_TARGET) {
            return *level <= self.level;
        }
        self.also
            .iter()
            .any(|(also, most)| target == *also && level <= most)
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::from_level(self.level))
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let line = format_line(event);
        match &self.sink {
            Sink::Stderr => {
                // One write per line, so that lines from parallel calls never interleave.
                let _ = std::io::stderr().lock().write_all(line.as_bytes());
            }
            #[cfg(test)]
            Sink::Lines(lines) => {
                if let Ok(mut lines) = lines.lock() {
                    lines.push(line);
                }
            }
        }
    }
}

fn format_line(event: &Event<'_>) -> String {
    let meta = event.metadata();
    let mut fields = JsonFields::default();
    event.record(&mut fields);
    // A bridged `log` record names its target in a field.
    let target = fields.log_target.take();
    let target = target.as_deref().unwrap_or(meta.target());
    let level = match *meta.level() {
        _ if !target.starts_with(OUR_TARGET) => {
            let _ = write!(fields.rest, ",\"target\":{}", json_string(target));
            "trace"
        }
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    };
    let mut line = String::with_capacity(128 + fields.rest.len());
    line.push_str("{\"@level\":\"");
    line.push_str(level);
    line.push_str("\",\"@message\":");
    line.push_str(&json_string(&fields.message));
    line.push_str(",\"@module\":\"provider\",\"@timestamp\":\"");
    line.push_str(&timestamp());
    line.push('"');
    line.push_str(&fields.rest);
    line.push_str("}\n");
    line
}

/// hclog's layout, which go-plugin parses: microseconds and a zone.
fn timestamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.microsecond()
    )
}

/// The event's `message` apart, every other field as `,"key":value`.
/// Of a bridged `log` record's `log.*` fields (target, module, file, line),
/// only the target is kept.
#[derive(Default)]
struct JsonFields {
    message: String,
    rest: String,
    log_target: Option<String>,
}

impl JsonFields {
    fn push(&mut self, field: &Field, json_value: String) {
        if field.name() == "message" {
            // A message recorded as a non-string still reads as text.
            self.message = json_value.trim_matches('"').to_string();
            return;
        }
        if field.name().starts_with("log.") {
            return;
        }
        let _ = write!(self.rest, ",{}:{}", json_string(field.name()), json_value);
    }
}

impl Visit for JsonFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_string();
        } else if field.name() == "log.target" {
            self.log_target = Some(value.to_string());
        } else {
            self.push(field, json_string(value));
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.push(field, value.to_string());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.push(field, value.to_string());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.push(field, value.to_string());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = text;
        } else {
            self.push(field, json_string(&text));
        }
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn capture(level: Level, f: impl FnOnce()) -> Vec<String> {
        capture_also(level, &[], f)
    }

    fn capture_also(level: Level, also: &'static [Target], f: impl FnOnce()) -> Vec<String> {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let layer = HclogLayer::new(level, also, Sink::Lines(lines.clone()));
        tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), f);
        let out = lines.lock().map(|l| l.clone()).unwrap_or_default();
        out
    }

    #[test]
    fn writes_hclog_json_with_fields() {
        let lines = capture(Level::TRACE, || {
            tracing::debug!(
                status = 201,
                path = "/v1/oauth-apps",
                retried = false,
                "created \"x\""
            );
        });
        assert_eq!(lines.len(), 1);
        let v: serde_json::Value = serde_json::from_str(&lines[0]).expect("a JSON line");
        assert_eq!(v["@level"], "debug");
        assert_eq!(v["@message"], "created \"x\"");
        assert_eq!(v["@module"], "provider");
        assert_eq!(v["status"], 201);
        assert_eq!(v["path"], "/v1/oauth-apps");
        assert_eq!(v["retried"], false);
        let ts = v["@timestamp"].as_str().expect("a timestamp");
        assert_eq!(ts.len(), "2026-11-28T12:00:00.000000Z".len(), "{ts}");
        assert!(lines[0].ends_with("}\n"));
    }

    #[test]
    fn filters_by_level_and_by_crate() {
        let lines = capture(Level::INFO, || {
            tracing::debug!("hidden");
            tracing::info!("shown");
            tracing::info!(target: "h2::codec", "not ours");
        });
        assert_eq!(lines.len(), 1);
        assert!(lines[0].contains("\"shown\""));
    }

    const ALSO: &[Target] = &[
        ("reqwest::connect", Level::DEBUG),
        ("hyper_util::client::legacy::pool", Level::DEBUG),
    ];

    #[test]
    fn named_dependency_targets_are_written_as_trace_up_to_their_level() {
        let lines = capture_also(Level::TRACE, ALSO, || {
            tracing::debug!(target: "hyper_util::client::legacy::pool", "pooling idle connection");
            // Too verbose for its rule, a longer target, targets not named.
            tracing::trace!(target: "hyper_util::client::legacy::pool", "take?");
            tracing::trace!(target: "reqwest::connect::verbose", "write: b\"authorization\"");
            tracing::debug!(target: "h2::codec::framed_write", "send");
            tracing::debug!(target: "hyper::proto::h1::role", "headers");
        });
        assert_eq!(lines.len(), 1, "{lines:?}");
        let v: serde_json::Value = serde_json::from_str(&lines[0]).expect("a JSON line");
        assert_eq!(v["@level"], "trace");
        assert_eq!(v["@message"], "pooling idle connection");
        assert_eq!(v["target"], "hyper_util::client::legacy::pool");
    }

    #[test]
    fn named_dependency_targets_are_not_written_below_trace() {
        let lines = capture_also(Level::DEBUG, ALSO, || {
            tracing::debug!(target: "hyper_util::client::legacy::pool", "pooling idle connection");
            tracing::debug!("ours");
        });
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("\"ours\""));
    }

    #[test]
    fn log_crate_records_of_named_targets_are_bridged_with_only_their_target() {
        use tracing_log::log;
        // The process-wide `log` logger; nothing else in these tests logs through `log`.
        let _ = tracing_log::LogTracer::builder()
            .with_max_level(log_filter(Level::TRACE))
            .init();
        let lines = capture_also(Level::TRACE, ALSO, || {
            log::debug!(target: "reqwest::connect", "starting new connection '{}'", "127.0.0.1");
            log::trace!(target: "reqwest::connect::verbose", "read: {:?}", "HTTP/1.1 200 OK");
        });
        assert_eq!(lines.len(), 1, "{lines:?}");
        let v: serde_json::Value = serde_json::from_str(&lines[0]).expect("a JSON line");
        assert_eq!(v["@level"], "trace");
        assert_eq!(v["@message"], "starting new connection '127.0.0.1'");
        assert_eq!(v["target"], "reqwest::connect");
        assert!(!lines[0].contains("log."), "{}", lines[0]);
    }

    #[test]
    fn levels_follow_terraform_rules() {
        assert_eq!(parse_level("off"), None);
        assert_eq!(parse_level("DEBUG"), Some(Level::DEBUG));
        assert_eq!(parse_level("json"), Some(Level::TRACE));
        assert_eq!(parse_level("trace"), Some(Level::TRACE));
        assert_eq!(parse_level("warn"), Some(Level::WARN));
    }
}
