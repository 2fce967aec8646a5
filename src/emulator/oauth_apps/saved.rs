//! The OAuth apps' part of the state file: the apps with their secrets and
//! entity tags, and the counters that number the next ones. Its keys are the
//! top-level keys the file had before there were families (`next_seq`,
//! `next_etag`, `apps`), so a state file of an older emulator loads unchanged.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::super::persist::Part;
use super::model::StoredApp;

/// The OAuth apps' part as read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Saved {
    pub(crate) next_seq: u64,
    pub(crate) next_etag: u64,
    pub(crate) apps: Vec<StoredApp>,
}

/// The part to write, sharing its apps with the store so that taking it
/// under the store's lock costs a pointer per app.
#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    pub(crate) next_seq: u64,
    pub(crate) next_etag: u64,
    pub(crate) apps: Vec<Arc<StoredApp>>,
}

impl Snapshot {
    /// The part of the state file, in the order the keys are written.
    pub(crate) fn part(&self) -> Result<Part, String> {
        let json = |e: serde_json::Error| format!("cannot serialize the OAuth apps: {e}");
        let apps: Vec<&StoredApp> = self.apps.iter().map(|a| a.as_ref()).collect();
        Ok(vec![
            ("next_seq".to_string(), Value::from(self.next_seq)),
            ("next_etag".to_string(), Value::from(self.next_etag)),
            (
                "apps".to_string(),
                serde_json::to_value(apps).map_err(json)?,
            ),
        ])
    }
}
