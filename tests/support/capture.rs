//! A tracing layer that captures every log line (events and spans, at
//! every level), and the check that none holds a secret.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// One captured event or span: where from, and every field, rendered.
#[derive(Clone, Debug)]
pub struct Line {
    pub target: String,
    pub level: tracing::Level,
    pub fields: BTreeMap<String, String>,
    pub text: String,
}

impl Line {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    pub fn number(&self, name: &str) -> Option<u64> {
        self.field(name).and_then(|v| v.parse().ok())
    }
}

type Hook = dyn Fn(&Line) + Send + Sync;

/// Records every event and span at every level.
#[derive(Clone, Default)]
pub struct Capture {
    lines: Arc<Mutex<Vec<Line>>>,
    hook: Option<Arc<Hook>>,
}

#[derive(Default)]
struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Capture {
    fn push(&self, meta: &tracing::Metadata<'_>, fields: Fields) {
        let text = format!(
            "{} {} {}",
            meta.level(),
            meta.target(),
            fields
                .0
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let line = Line {
            target: meta.target().to_owned(),
            level: *meta.level(),
            fields: fields.0,
            text,
        };
        if let Some(hook) = &self.hook {
            hook(&line);
        }
        self.lines.lock().unwrap().push(line);
    }

    /// Also calls `hook` with every line as it is logged: lets a test act at
    /// an exact point of the client's work.
    pub fn with_hook(hook: impl Fn(&Line) + Send + Sync + 'static) -> Capture {
        Capture {
            hook: Some(Arc::new(hook)),
            ..Capture::default()
        }
    }

    /// Every line except the emulator's own (the far side of the wire).
    pub fn client_side(&self) -> Vec<Line> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| !l.target.starts_with("terraform_provider_writer::emulator"))
            .cloned()
            .collect()
    }

    /// Installs this capture for the current thread (tests using it run on a
    /// current-thread runtime, so every task of the test is seen).
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::registry().with(self.clone());
        tracing::subscriber::set_default(subscriber)
    }
}

impl<S: tracing::Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.push(event.metadata(), fields);
    }

    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _id: &tracing::span::Id,
        _ctx: Context<'_, S>,
    ) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        self.push(attrs.metadata(), fields);
    }

    fn on_record(
        &self,
        _id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _ctx: Context<'_, S>,
    ) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        self.lines.lock().unwrap().push(Line {
            target: "span-record".into(),
            level: tracing::Level::TRACE,
            text: format!("{:?}", fields.0),
            fields: fields.0,
        });
    }
}

/// Fails, naming `place`, if `text` holds one of `sentinels`, or its first
/// or last `piece` characters (a long piece of a secret is a leak too).
pub fn assert_no_piece_of(place: &str, text: &str, sentinels: &[&str], piece: usize) {
    for sentinel in sentinels {
        let start = &sentinel[..piece];
        let end = &sentinel[sentinel.len() - piece..];
        for piece in [sentinel, start, end] {
            assert!(
                !text.contains(piece),
                "{place} holds {piece:?}:\n{}",
                text.replace(piece, "<LEAK>")
            );
        }
    }
}

/// Fails, naming the line, if any captured line holds one of `secrets`.
pub fn assert_no_secret_in(lines: &[Line], secrets: &[String]) {
    for line in lines {
        for secret in secrets {
            assert!(
                !line.text.contains(secret.as_str()),
                "a log line holds a secret: {}",
                line.text.replace(secret.as_str(), "<THE SECRET>")
            );
        }
    }
}
