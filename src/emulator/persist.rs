//! The optional state file: the apps (with their secrets and entity tags)
//! saved after every change, so an emulator restarted on the same file
//! answers as before. Written whole to a 0600 temporary file and renamed over
//! the old one, so a crash leaves either the old state or the new, never half.
//! A temporary file a crash (`kill -9`) left behind is named after the state
//! file and removed when the emulator next loads it: it holds secrets.
//!
//! A file that cannot be read back is an error for the operator to settle;
//! it is never replaced by an empty state. Errors give positions, never the
//! file's content (it holds secrets).

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::knowledge_graph::KgStore;
use super::model::StoredApp;

/// Bumped when the layout changes in a way an older emulator cannot read.
const FORMAT: u32 = 1;

/// A state file as read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StateFile {
    format: u32,
    pub(crate) next_seq: u64,
    pub(crate) next_etag: u64,
    pub(crate) apps: Vec<StoredApp>,
    /// The Knowledge Graph family's state; absent in a file without any.
    #[serde(default)]
    pub(crate) knowledge_graph: Option<KgStore>,
}

/// The state to write, sharing its apps with the store so that taking it
/// under the store's lock costs a pointer per app; turned into bytes after
/// the lock is let go.
#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    pub(crate) next_seq: u64,
    pub(crate) next_etag: u64,
    pub(crate) apps: Vec<Arc<StoredApp>>,
    /// Left out of the file when `None` or empty.
    pub(crate) knowledge_graph: Option<KgStore>,
}

/// The layout of [`StateFile`], borrowing from a [`Snapshot`].
#[derive(Serialize)]
struct Layout<'a> {
    format: u32,
    next_seq: u64,
    next_etag: u64,
    apps: Vec<&'a StoredApp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    knowledge_graph: Option<&'a KgStore>,
}

impl Snapshot {
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        let layout = Layout {
            format: FORMAT,
            next_seq: self.next_seq,
            next_etag: self.next_etag,
            apps: self.apps.iter().map(|a| a.as_ref()).collect(),
            knowledge_graph: self.knowledge_graph.as_ref().filter(|kg| !kg.is_empty()),
        };
        let mut bytes = serde_json::to_vec_pretty(&layout)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// Reads a state file; `Ok(None)` when there is none yet (the first change
/// creates it). Removes the temporary files an interrupted save left.
pub(crate) fn load(path: &Path) -> Result<Option<StateFile>, String> {
    remove_leftovers(path);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let file: StateFile = serde_json::from_slice(&bytes).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => "does not have the layout of a state file",
            _ => "is not valid JSON",
        };
        format!("it {what} (line {}, column {})", e.line(), e.column())
    })?;
    if file.format != FORMAT {
        return Err(format!(
            "it has format {}, this emulator reads format {FORMAT}",
            file.format
        ));
    }
    Ok(Some(file))
}

/// The folder of the state file.
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// The name every temporary file of `path` starts with: `.<name>.`; they
/// end with `.tmp`.
fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    format!(".{name}.")
}

/// Removes temporary files of `path` that a killed emulator left behind.
fn remove_leftovers(path: &Path) {
    let prefix = temp_prefix(path);
    let Ok(entries) = std::fs::read_dir(folder(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Replaces the file atomically with `bytes`, readable by its owner only.
pub(crate) fn save(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = folder(path);
    // tempfile creates its files with mode 0600 on unix.
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable; not every platform can open a directory.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_an_empty_start() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(&dir.path().join("state.json")).unwrap().is_none());
    }

    #[test]
    fn save_then_load_with_owner_only_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let snapshot = Snapshot {
            next_seq: 3,
            next_etag: 9,
            apps: vec![],
            knowledge_graph: None,
        };
        save(&path, &snapshot.to_bytes().unwrap()).unwrap();
        let file = load(&path).unwrap().unwrap();
        assert_eq!((file.next_seq, file.next_etag), (3, 9));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn loading_removes_what_an_interrupted_save_left_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let left = dir.path().join(".state.json.abc123.tmp");
        let other = dir.path().join(".other.json.abc123.tmp");
        std::fs::write(&left, "{\"half\":").unwrap();
        std::fs::write(&other, "not ours").unwrap();
        assert!(load(&path).unwrap().is_none());
        assert!(!left.exists(), "the leftover is gone");
        assert!(other.exists(), "another file's is not touched");
    }

    #[test]
    fn corrupt_files_are_errors_that_do_not_quote_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        for (content, expect) in [
            ("", "not valid JSON"),
            ("{\"format\":1,", "not valid JSON"),
            ("{\"format\":1,\"next_seq\":\"fake-secret-0001\"}", "layout"),
            (
                "{\"format\":2,\"next_seq\":1,\"next_etag\":1,\"apps\":[]}",
                "format 2",
            ),
        ] {
            std::fs::write(&path, content).unwrap();
            let err = load(&path).unwrap_err();
            assert!(err.contains(expect), "{content}: {err}");
            assert!(!err.contains("fake-secret"), "{err}");
        }
    }
}
