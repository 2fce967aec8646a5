//! The optional state file: every family's state (the apps with their
//! secrets and entity tags, ...) saved after every change, so an emulator
//! restarted on the same file answers as before. Written whole to a 0600
//! temporary file and renamed over the old one, so a crash leaves either the
//! old state or the new, never half.
//! A temporary file a crash (`kill -9`) left behind is named after the state
//! file and removed when the emulator next loads it: it holds secrets.
//!
//! The file is one JSON object: `format`, then each family's own top-level
//! keys (its [`Part`]); which keys are whose is the families' business
//! (`state`). The OAuth-app family's keys are the ones the file had before
//! there were families (`next_seq`, `next_etag`, `apps`), so older files load
//! unchanged; each other family has one key of its own.
//!
//! One emulator at a time uses a state file: before anything else it takes an
//! exclusive lock on `<state file>.lock` (the operating system's lock,
//! released when the process ends, however it ends) and writes its process
//! ID there. A second emulator on the same file refuses to start, naming that
//! process: two would overwrite each other's apps, and each would remove the
//! other's temporary file. Only the lock's holder removes leftovers, so a
//! temporary file it removes is never one another process is writing.
//!
//! A file that cannot be read back is an error for the operator to settle;
//! it is never replaced by an empty state. Errors give positions, never the
//! file's content (it holds secrets).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// Bumped when the layout changes in a way an older emulator cannot read.
const FORMAT: u32 = 1;

/// One family's part of the state file: its top-level keys and their
/// values, in the order they are written.
pub(crate) type Part = Vec<(String, Value)>;

/// The layout of a state file holding `parts`: `format` first, then each
/// part's keys in order.
struct Layout<'a>(&'a [Part]);

impl Serialize for Layout<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("format", &FORMAT)?;
        for (key, value) in self.0.iter().flatten() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// The bytes of a state file holding `parts`.
pub(crate) fn to_bytes(parts: &[Part]) -> Result<Vec<u8>, serde_json::Error> {
    let mut bytes = serde_json::to_vec_pretty(&Layout(parts))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The words for a file whose JSON is fine but whose content does not fit.
pub(crate) const NOT_A_STATE_FILE: &str = "does not have the layout of a state file";

/// The exclusive lock on a state file, held as long as this value lives (and
/// released by the operating system if the process dies first).
#[derive(Debug)]
pub(crate) struct StateLock {
    _file: File,
}

/// Why the lock on a state file could not be taken.
#[derive(Debug)]
pub(crate) enum LockError {
    /// Another process holds it: the process ID it wrote, when it could be read.
    Held {
        lock_file: PathBuf,
        pid: Option<u32>,
    },
    /// The lock file cannot be opened or locked at all.
    Io {
        lock_file: PathBuf,
        error: io::Error,
    },
}

/// `<state file>.lock`, beside it. It is never removed: an emulator that
/// removed it on exit could let a third one lock a new file while a second
/// still held the old one.
pub(crate) fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// Takes the exclusive lock on `path`'s lock file without waiting, and writes
/// this process's ID in it.
pub(crate) fn lock(path: &Path) -> Result<StateLock, LockError> {
    let lock_file = lock_path(path);
    let io_error = |error| LockError::Io {
        lock_file: lock_file.clone(),
        error,
    };
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&lock_file).map_err(io_error)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let pid = file
                .read_to_string(&mut text)
                .ok()
                .and_then(|_| text.trim().parse().ok());
            return Err(LockError::Held { lock_file, pid });
        }
        Err(TryLockError::Error(e)) => return Err(io_error(e)),
    }
    file.set_len(0)
        .and_then(|()| file.write_all(format!("{}\n", std::process::id()).as_bytes()))
        .and_then(|()| file.sync_all())
        .map_err(io_error)?;
    Ok(StateLock { _file: file })
}

/// Reads a state file: its top-level keys but `format`, for the families to
/// take apart; `Ok(None)` when there is none yet (the first change creates
/// it). Removes the temporary files an interrupted save left: only the
/// holder of the file's [`StateLock`] may call it.
pub(crate) fn load(path: &Path, _locked: &StateLock) -> Result<Option<Map<String, Value>>, String> {
    remove_leftovers(path);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let mut file: Map<String, Value> = serde_json::from_slice(&bytes).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => NOT_A_STATE_FILE,
            _ => "is not valid JSON",
        };
        format!("it {what} (line {}, column {})", e.line(), e.column())
    })?;
    match file.remove("format").map(|f| f.as_u64()) {
        Some(Some(format)) if format == u64::from(FORMAT) => Ok(Some(file)),
        Some(Some(format)) => Err(format!(
            "it has format {format}, this emulator reads format {FORMAT}"
        )),
        _ => Err(format!("it {NOT_A_STATE_FILE} (no format number)")),
    }
}

/// The folder of the state file.
pub(crate) fn folder(path: &Path) -> &Path {
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
        let path = dir.path().join("state.json");
        assert!(load(&path, &lock(&path).unwrap()).unwrap().is_none());
    }

    #[test]
    fn save_then_load_with_owner_only_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let parts = vec![
            vec![("next_seq".to_string(), Value::from(3))],
            vec![("other".to_string(), Value::from("x"))],
        ];
        save(&path, &to_bytes(&parts).unwrap()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("{\n  \"format\": 1,\n  \"next_seq\": 3,"),
            "{text}"
        );
        let file = load(&path, &lock(&path).unwrap()).unwrap().unwrap();
        assert_eq!(file.get("next_seq"), Some(&Value::from(3)));
        assert_eq!(file.get("other"), Some(&Value::from("x")));
        assert_eq!(file.len(), 2, "format is taken out");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left.len(),
            2,
            "the file and its lock, no temp file: {left:?}"
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
        assert!(load(&path, &lock(&path).unwrap()).unwrap().is_none());
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
            ("[\"fake-secret-0001\"]", "layout"),
            ("{\"next_seq\":\"fake-secret-0001\"}", "no format"),
            (
                "{\"format\":2,\"next_seq\":1,\"next_etag\":1,\"apps\":[]}",
                "format 2",
            ),
        ] {
            std::fs::write(&path, content).unwrap();
            let err = load(&path, &lock(&path).unwrap()).unwrap_err();
            assert!(err.contains(expect), "{content}: {err}");
            assert!(!err.contains("fake-secret"), "{err}");
        }
    }

    #[test]
    fn the_lock_is_exclusive_names_its_holder_and_goes_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let held = lock(&path).unwrap();
        let lock_file = dir.path().join("state.json.lock");
        assert_eq!(lock_path(&path), lock_file);
        assert_eq!(
            std::fs::read_to_string(&lock_file).unwrap(),
            format!("{}\n", std::process::id())
        );
        // Locks belong to open files: a second open, even in this process, is refused.
        match lock(&path) {
            Err(LockError::Held { lock_file: f, pid }) => {
                assert_eq!(f, lock_file);
                assert_eq!(pid, Some(std::process::id()));
            }
            other => panic!("{other:?}"),
        }
        drop(held);
        let again = lock(&path).expect("free once its holder is gone");
        drop(again);
        assert!(lock_file.exists(), "the lock file is never removed");
    }
}
