//! The state of each family of the API (OAuth apps, ...) and its part of the
//! one state file. A family's store is a [`FamilyState`]; the HTTP handlers
//! of the family reach it through its [`Family`], which makes changes one at
//! a time and saves them (with every other family's part) before anyone sees
//! them. [`Loading`] hands each family its part of the file at start-up and
//! refuses a file holding keys no family owns.
//!
//! Each family has its own lock, so one family's requests never wait on
//! another's; saving is one at a time across families, since they share the
//! file.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Map, Value};

use super::errors::ApiError;
use super::persist::{self, Part, NOT_A_STATE_FILE};

/// What a family keeps, and how it is saved in the state file.
pub(crate) trait FamilyState: Clone + Send + Sync + 'static {
    /// The family in the emulator's words ("OAuth apps"), for errors about
    /// its part of the state file.
    const NAME: &'static str;
    /// The top-level keys of the state file it owns. A new family owns one,
    /// named after it; no two families share a key.
    const KEYS: &'static [&'static str];
    /// The state of an emulator with no state file yet.
    fn new() -> Self;
    /// The state saved in `part` (those of its [`FamilyState::KEYS`] the
    /// file has, perhaps none), refusing one that breaks the family's
    /// invariants. The reason names no value (it may be a secret).
    fn from_part(part: Map<String, Value>) -> Result<Self, String>;
    /// Its part of the state file, each key one of its
    /// [`FamilyState::KEYS`]. Cheap to call with the family's lock held.
    fn part(&self) -> Result<Part, String>;
    /// Counts changes, so an unchanged copy is not saved.
    fn revision(&self) -> u64;
}

/// The state file, shared by every family.
struct StateFile {
    path: PathBuf,
    /// Each family's part as last saved, by family name, in the order the
    /// families were loaded. Its lock is the permit to save: one save at a
    /// time, so no change is made on a stale copy.
    parts: Arc<tokio::sync::Mutex<Vec<(&'static str, Part)>>>,
}

/// One family's state, as its handlers see it.
pub(crate) struct Family<S> {
    store: Mutex<S>,
    file: Option<Arc<StateFile>>,
}

impl<S: FamilyState> Family<S> {
    fn lock(&self) -> MutexGuard<'_, S> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `op` on the store. With a state file, `op` changes a copy that
    /// replaces the store only once it is saved: a change that cannot be
    /// saved is not made at all (nor recorded for its `Idempotency-Key`), so
    /// its 500 is the whole truth and a retry starts afresh. Readers never see
    /// a change that is not on disk yet.
    pub(crate) async fn mutate<R>(
        self: &Arc<Self>,
        op: impl FnOnce(&mut S) -> R,
    ) -> Result<R, ApiError> {
        let Some(file) = &self.file else {
            return Ok(op(&mut self.lock()));
        };
        // One change at a time, so that no change is made on a stale copy.
        let mut parts = file.parts.clone().lock_owned().await;
        let mut next = self.lock().clone();
        let before = next.revision();
        let result = op(&mut next);
        if next.revision() == before {
            *self.lock() = next;
            return Ok(result);
        }
        // Saving and putting the copy in place happen on a task of their own,
        // which finishes (holding the permit) even if this request is
        // abandoned half way: the file and the store never disagree.
        let family = Arc::clone(self);
        let path = file.path.clone();
        let saved = tokio::task::spawn_blocking(move || {
            let part = next.part()?;
            let mut all = parts.clone();
            match all.iter_mut().find(|(name, _)| *name == S::NAME) {
                Some((_, slot)) => *slot = part,
                None => all.push((S::NAME, part)),
            }
            save(&path, &all)?;
            *parts = all;
            *family.lock() = next;
            Ok(())
        })
        .await
        .unwrap_or_else(|e| Err(format!("writing the state file failed: {e}")));
        saved.map_err(|reason| {
            tracing::error!("{reason}; the change was not made");
            ApiError::internal(
                "the emulator could not write its state file, so the change was not made; \
                 retry once the state file can be written",
            )
        })?;
        Ok(result)
    }

    pub(crate) fn read<R>(&self, op: impl FnOnce(&S) -> R) -> R {
        op(&self.lock())
    }

    /// Changes the state before anything is served (what the command line
    /// seeds), without saving it: it is saved with the next change, and made
    /// again at the next start.
    pub(crate) fn prepare(&self, op: impl FnOnce(&mut S)) {
        op(&mut self.lock());
    }
}

/// Serializes and writes every family's part; the reason it could not, for
/// the log.
fn save(path: &std::path::Path, parts: &[(&'static str, Part)]) -> Result<(), String> {
    let parts: Vec<Part> = parts.iter().map(|(_, part)| part.clone()).collect();
    let bytes =
        persist::to_bytes(&parts).map_err(|e| format!("cannot serialize the state: {e}"))?;
    persist::save(path, &bytes)
        .map_err(|e| format!("cannot write the state file {}: {e}", path.display()))
}

/// The state file being read at start-up, handed out family by family.
pub(crate) struct Loading {
    file: Option<Arc<StateFile>>,
    /// The keys of the file no family has taken yet; `None` without a file
    /// or before the first change made one.
    left: Option<Map<String, Value>>,
}

impl Loading {
    /// Reads the state file at `path`, if any (and if it exists yet): only
    /// the holder of its lock may.
    pub(crate) fn open(file: Option<(PathBuf, &persist::StateLock)>) -> Result<Loading, String> {
        let Some((path, lock)) = file else {
            return Ok(Loading {
                file: None,
                left: None,
            });
        };
        let left = persist::load(&path, lock)?;
        Ok(Loading {
            file: Some(Arc::new(StateFile {
                path,
                parts: Arc::new(tokio::sync::Mutex::new(Vec::new())),
            })),
            left,
        })
    }

    /// The family `S` with its state from the file (or new).
    pub(crate) fn family<S: FamilyState>(&mut self) -> Result<Arc<Family<S>>, String> {
        let store = match &mut self.left {
            None => S::new(),
            Some(left) => {
                let part: Map<String, Value> = S::KEYS
                    .iter()
                    .filter_map(|key| left.remove(*key).map(|v| (key.to_string(), v)))
                    .collect();
                S::from_part(part)?
            }
        };
        if let Some(file) = &self.file {
            let part = store.part()?;
            // Nothing else holds the lock while the emulator starts.
            match file.parts.try_lock() {
                Ok(mut parts) => parts.push((S::NAME, part)),
                Err(_) => return Err("the state file is busy while loading".to_string()),
            }
        }
        Ok(Arc::new(Family {
            store: Mutex::new(store),
            file: self.file.clone(),
        }))
    }

    /// Every family has taken its part: a key left over belongs to none of
    /// them (a newer emulator's family, or a mistake), and the file is not
    /// served, since saving would drop it.
    pub(crate) fn finish(self) -> Result<(), String> {
        let Some(left) = self.left else {
            return Ok(());
        };
        match left.keys().next() {
            None => Ok(()),
            Some(key) => {
                let shown = if key.len() <= 40
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    format!(" `{key}`")
                } else {
                    String::new()
                };
                Err(format!(
                    "it {NOT_A_STATE_FILE}: it holds a key{shown} that no part of this \
                     emulator owns"
                ))
            }
        }
    }
}

/// The error for a family's part that does not fit its layout: names the
/// family, never the content.
pub(crate) fn bad_part(family: &str) -> String {
    format!("it {NOT_A_STATE_FILE} (the {family} in it)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::oauth_apps::model::StoredApp;
    use crate::emulator::oauth_apps::store::Store;
    use crate::emulator::oauth_apps::validate::read_create;
    use futures_util::FutureExt;
    use std::time::Instant;
    use time::OffsetDateTime;

    const BODY: &[u8] = br#"{"connector":"confluence","name":"Eng","client_id":"abc",
        "client_secret":"fake-secret-0001",
        "scopes":["search:confluence","read:space:confluence","read:page:confluence"]}"#;

    fn create(family: &Arc<Family<Store>>) -> impl std::future::Future<Output = ()> + '_ {
        family
            .mutate(|store| {
                store.create(
                    read_create(BODY),
                    Some("k"),
                    OffsetDateTime::now_utc(),
                    Instant::now(),
                )
            })
            .map(|r| {
                r.unwrap().result.unwrap();
            })
    }

    /// A second family, made up: one counter under its own key.
    #[derive(Clone)]
    struct Counter(u64);

    impl FamilyState for Counter {
        const NAME: &'static str = "counters";
        const KEYS: &'static [&'static str] = &["counter"];
        fn new() -> Self {
            Counter(0)
        }
        fn from_part(part: Map<String, Value>) -> Result<Self, String> {
            match part.get("counter") {
                None => Ok(Counter(0)),
                Some(v) => v.as_u64().map(Counter).ok_or_else(|| bad_part(Self::NAME)),
            }
        }
        fn part(&self) -> Result<Part, String> {
            Ok(vec![("counter".to_string(), Value::from(self.0))])
        }
        fn revision(&self) -> u64 {
            self.0
        }
    }

    type Both = (Arc<Family<Store>>, Arc<Family<Counter>>);

    fn open(path: &std::path::Path) -> Result<Both, String> {
        let lock = persist::lock(path).map_err(|e| format!("{e:?}"))?;
        let mut loading = Loading::open(Some((path.to_path_buf(), &lock)))?;
        let apps = loading.family::<Store>()?;
        let counters = loading.family::<Counter>()?;
        loading.finish()?;
        Ok((apps, counters))
    }

    /// A request abandoned while its change is being saved (the client hung
    /// up) still ends with the file and the store agreeing.
    #[tokio::test]
    async fn an_abandoned_change_is_saved_and_made_or_neither() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.json");
        let (shared, _) = open(&state).unwrap();
        let change = create(&shared);
        // One poll, then the request is dropped, mostly while the save runs.
        let _ = change.now_or_never();
        // The save holds the writer's permit until it is done.
        drop(shared.file.as_ref().unwrap().parts.lock().await);
        let locked = persist::lock(&state).unwrap();
        let saved = persist::load(&state, &locked)
            .unwrap()
            .expect("the file was written");
        let saved: Vec<StoredApp> = serde_json::from_value(saved["apps"].clone()).unwrap();
        let in_memory = shared.read(|store| store.snapshot());
        assert_eq!(saved.len(), 1);
        assert_eq!(in_memory.apps.len(), 1, "the store agrees with the file");
        assert_eq!(*in_memory.apps[0], saved[0]);
    }

    /// Two families in one file: each change saves both parts, each family
    /// gets its own back.
    #[tokio::test]
    async fn families_share_the_file_each_under_its_own_keys() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.json");
        let (apps, counters) = open(&state).unwrap();
        create(&apps).await;
        counters.mutate(|c| c.0 = 7).await.unwrap();
        let text = std::fs::read_to_string(&state).unwrap();
        let file: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(file["counter"], 7, "{text}");
        assert_eq!(file["apps"].as_array().map(Vec::len), Some(1), "{text}");
        assert!(
            text.starts_with("{\n  \"format\": 1,\n  \"next_seq\": 2,"),
            "{text}"
        );
        let (apps, counters) = open(&state).unwrap();
        assert_eq!(apps.read(|s| s.snapshot().apps.len()), 1);
        assert_eq!(counters.read(|c| c.0), 7);
    }

    /// A file an emulator wrote before there were families (only the OAuth
    /// apps, at the top level) loads unchanged, and is written back the same
    /// way with the other families' keys beside.
    #[tokio::test]
    async fn a_file_from_before_families_loads_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.json");
        let old = r#"{
  "format": 1,
  "next_seq": 2,
  "next_etag": 2,
  "apps": [
    {
      "id": "app_0001",
      "seq": 1,
      "etag": 1,
      "connector": "confluence",
      "name": "Eng",
      "client_id": "abc",
      "client_secret": "fake-secret-0001",
      "client_secret_updated_at": "2026-01-01T00:00:00Z",
      "scopes": ["search:confluence", "read:space:confluence", "read:page:confluence"],
      "created_at": "2026-01-01T00:00:00Z",
      "updated_at": "2026-01-01T00:00:00Z"
    }
  ]
}
"#;
        std::fs::write(&state, old).unwrap();
        let loaded = open(&state);
        let (apps, counters) = match loaded {
            Ok(families) => families,
            Err(e) => panic!("an old file must load: {e}"),
        };
        assert_eq!(
            apps.read(|s| s.get("app_0001").map(|a| a.name.clone())),
            Ok("Eng".into())
        );
        assert_eq!(
            counters.read(|c| c.0),
            0,
            "a family the file lacks starts empty"
        );
        counters.mutate(|c| c.0 = 1).await.unwrap();
        let file: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
        let before: Value = serde_json::from_str(old).unwrap();
        for key in ["format", "next_seq", "next_etag"] {
            assert_eq!(file[key], before[key], "{key}");
        }
        for field in [
            "id",
            "seq",
            "etag",
            "name",
            "client_secret",
            "scopes",
            "created_at",
        ] {
            assert_eq!(file["apps"][0][field], before["apps"][0][field], "{field}");
        }
        assert_eq!(file["counter"], 1);
    }

    /// What no family owns is refused (saving would drop it), and a family's
    /// part that does not fit says whose it is, never what it holds.
    #[test]
    fn keys_no_family_owns_and_bad_parts_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.json");
        let empty = r#""next_seq":1,"next_etag":1,"apps":[]"#;
        for (content, says) in [
            (format!(r#"{{"format":1,{empty},"graphs":[]}}"#), "`graphs`"),
            (format!(r#"{{"format":1,{empty},"a b":[]}}"#), "a key that"),
            (
                r#"{"format":1,"next_seq":"fake-secret-0001"}"#.to_string(),
                "(the OAuth apps in it)",
            ),
            (
                format!(r#"{{"format":1,{empty},"counter":"x"}}"#),
                "(the counters in it)",
            ),
        ] {
            std::fs::write(&state, &content).unwrap();
            let err = open(&state)
                .err()
                .unwrap_or_else(|| panic!("{content} loaded"));
            assert!(err.contains(says), "{content}: {err}");
            assert!(err.contains("does not have the layout"), "{content}: {err}");
            assert!(!err.contains("fake-secret"), "{err}");
        }
    }
}
