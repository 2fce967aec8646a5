//! The Knowledge Graph family of the emulator: Writer's published Knowledge
//! Graph, File and agent-graph endpoints (`/v1/graphs`, `/v1/files`,
//! `/v1/applications/{id}/graphs`) with the behaviour Writer documents, so
//! that the provider's Knowledge Graph resources, and Writer's own SDK, can be
//! run against it. Writer's conventions, not the OAuth-app contract's: 200 for
//! creates, no ETags, no idempotency keys, cursor pages, raw-body uploads.
//!
//! What only AI Studio can make (a `web` graph, a graph deployed to one team,
//! a no-code chat agent) is seeded from the command line ([`Settings`]), with
//! IDs derived from the flags so that a restart finds the same ones.
//!
//! Layout: `store` holds the state and its rules, `page` the cursor pages,
//! `processing` the clock that moves files and URLs along, `files` the
//! uploaded bytes on disk, `handlers` the routes, `settings` the flags'
//! [`Settings`].

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::state::Family;

mod files;
mod handlers;
mod page;
mod processing;
mod settings;
mod store;

use files::FileDir;
use handlers::Kg;
pub use settings::{Settings, UploadFaults};
use store::KgStore;

/// What a seed flag makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedKind {
    WebGraph,
    ChatAgent,
    TeamGraph,
}

impl SeedKind {
    fn words(self) -> &'static str {
        match self {
            SeedKind::WebGraph => "web graph",
            SeedKind::ChatAgent => "chat agent",
            SeedKind::TeamGraph => "team graph",
        }
    }
}

/// One seeded object; shown as the emulator prints it at start-up:
/// `seeded web graph "NAME" id=ID`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seeded {
    pub kind: SeedKind,
    pub name: String,
    pub id: String,
}

impl fmt::Display for Seeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "seeded {} \"{}\" id={}",
            self.kind.words(),
            self.name,
            self.id
        )
    }
}

/// What `settings` seeds, in the order of the flags (web graphs, chat
/// agents, team graphs). The IDs depend only on the kind, the name and how
/// many times that name was given before: the same flags give the same IDs.
pub fn seeded(settings: &Settings) -> Vec<Seeded> {
    let mut out: Vec<Seeded> = Vec::new();
    for (kind, names) in [
        (SeedKind::WebGraph, &settings.web_graphs),
        (SeedKind::ChatAgent, &settings.chat_agents),
        (SeedKind::TeamGraph, &settings.team_graphs),
    ] {
        for name in names {
            let repeat = out
                .iter()
                .filter(|s| s.kind == kind && s.name == *name)
                .count();
            let digest = Sha256::new()
                .chain_update(b"writer-emulator seed\0")
                .chain_update(kind.words())
                .chain_update(b"\0")
                .chain_update(name.as_bytes())
                .chain_update(b"\0")
                .chain_update(repeat.to_le_bytes())
                .finalize();
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(&digest[..16]);
            out.push(Seeded {
                kind,
                name: name.clone(),
                id: uuid::Builder::from_random_bytes(bytes)
                    .into_uuid()
                    .to_string(),
            });
        }
    }
    out
}

/// Why the settings cannot be used.
pub(crate) fn invalid(settings: &Settings) -> Option<String> {
    if !(0.0..=1.0).contains(&settings.file_fail_rate) {
        return Some("file fail rate must be between 0 and 1".to_owned());
    }
    if settings.max_file_bytes == 0 {
        return Some("the largest file must be at least 1 byte".to_owned());
    }
    let names = settings
        .web_graphs
        .iter()
        .chain(&settings.chat_agents)
        .chain(&settings.team_graphs);
    for name in names {
        let count = name.chars().count();
        if name.trim().is_empty() || count > store::MAX_TEXT_CHARS {
            return Some(format!(
                "a seeded graph or agent needs a name of 1 to {} characters",
                store::MAX_TEXT_CHARS
            ));
        }
    }
    None
}

/// The family's routes, on its state (loaded from the state file), with
/// what `settings` seeds added, and the uploaded files' folder beside the
/// state file (half-written uploads a killed emulator left removed).
pub(crate) fn router(
    family: Arc<Family<KgStore>>,
    state_file: Option<&Path>,
    settings: &Settings,
) -> Result<axum::Router, String> {
    if let Some(path) = state_file {
        FileDir::remove_leftovers(path);
    }
    let files = FileDir::open(state_file);
    family.prepare(|store| seed(store, settings));
    Ok(handlers::router(Arc::new(Kg::new(
        family,
        files,
        settings.clone(),
    ))))
}

/// Adds what `settings` seeds to `store` (what is there already is kept).
fn seed(store: &mut KgStore, settings: &Settings) {
    let now = handlers::Now::get();
    for s in seeded(settings) {
        match s.kind {
            SeedKind::WebGraph => {
                store.seed_graph(&s.id, &s.name, store::GraphType::Web, false, &now.text)
            }
            SeedKind::TeamGraph => {
                store.seed_graph(&s.id, &s.name, store::GraphType::Manual, true, &now.text)
            }
            SeedKind::ChatAgent => store.seed_agent(&s.id, &s.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_stable_and_distinct() {
        let settings = Settings {
            web_graphs: vec!["Docs".into(), "Docs".into()],
            chat_agents: vec!["Docs".into()],
            ..Settings::default()
        };
        let first = seeded(&settings);
        assert_eq!(first, seeded(&settings));
        assert_eq!(first.len(), 3);
        assert_ne!(first[0].id, first[1].id);
        assert_ne!(first[0].id, first[2].id);
        assert!(uuid::Uuid::parse_str(&first[0].id).is_ok());
        assert_eq!(
            first[2].to_string(),
            format!("seeded chat agent \"Docs\" id={}", first[2].id)
        );
    }
}
