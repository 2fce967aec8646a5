//! What creates answered, remembered for their `Idempotency-Key` so that a
//! retry gets the first answer. Anyone holding a key can send creates, so the
//! memory is bounded three ways: a record holds a hash of the body (never the
//! body), records expire after the contract's 24 hours, and at most
//! [`MAX_KEYS`] are kept (the oldest goes first). Pure: the caller passes the
//! clock.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::super::errors::ApiError;
use super::model::StoredApp;

/// How long a create's answer is replayed for its key (the contract's 24 hours).
pub(crate) const WINDOW: Duration = Duration::from_secs(24 * 60 * 60);
/// Far more creates than a Terraform run retries at once; a retry that comes
/// after this many other keyed creates is treated as a new request.
pub(crate) const MAX_KEYS: usize = 1000;

/// "The same body": equal JSON values (so key order and spacing do not
/// matter), or equal bytes when the body is not JSON. A SHA-256 hash of a
/// canonical form, so a record is a few bytes whatever the body's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fingerprint([u8; 32]);

impl Fingerprint {
    pub(crate) fn of_json(value: &Value) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"json");
        feed(&mut hasher, value);
        Self(hasher.finalize().into())
    }

    pub(crate) fn of_bytes(body: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"bytes");
        hasher.update(body);
        Self(hasher.finalize().into())
    }
}

/// Feeds a canonical, unambiguous form: a tag per kind, lengths before
/// contents, object members sorted by key.
fn feed(hasher: &mut Sha256, value: &Value) {
    let text = |hasher: &mut Sha256, s: &str| {
        hasher.update((s.len() as u64).to_le_bytes());
        hasher.update(s.as_bytes());
    };
    match value {
        Value::Null => hasher.update(b"n"),
        Value::Bool(b) => hasher.update(if *b { b"t" } else { b"f" }),
        Value::Number(n) => {
            hasher.update(b"#");
            text(hasher, &n.to_string());
        }
        Value::String(s) => {
            hasher.update(b"s");
            text(hasher, s);
        }
        Value::Array(items) => {
            hasher.update(b"[");
            hasher.update((items.len() as u64).to_le_bytes());
            for item in items {
                feed(hasher, item);
            }
        }
        Value::Object(map) => {
            hasher.update(b"{");
            hasher.update((map.len() as u64).to_le_bytes());
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_unstable_by_key(|(k, _)| *k);
            for (k, v) in members {
                text(hasher, k);
                feed(hasher, v);
            }
        }
    }
}

/// The first answer to a keyed create.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Answer {
    /// 201 and this app, as it was then (shared with the store until it changes).
    Created(Arc<StoredApp>),
    /// An error that depended on the state (a name conflict).
    Refused(ApiError),
    /// The body was invalid. Validation depends on the body alone, so the
    /// same body is refused the same way again: no need to keep the errors.
    Invalid,
}

#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub(crate) fingerprint: Fingerprint,
    pub(crate) answer: Answer,
    at: Instant,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Records {
    by_key: HashMap<Arc<str>, Record>,
    /// Keys in the order they were recorded, to forget the oldest first.
    order: VecDeque<Arc<str>>,
}

impl Records {
    /// The record for `key`, after forgetting the expired ones.
    pub(crate) fn get(&mut self, key: &str, now: Instant) -> Option<&Record> {
        while let Some(oldest) = self.order.front() {
            let expired = self
                .by_key
                .get(oldest)
                .is_none_or(|r| now.saturating_duration_since(r.at) >= WINDOW);
            if !expired {
                break;
            }
            if let Some(key) = self.order.pop_front() {
                self.by_key.remove(&key);
            }
        }
        self.by_key.get(key)
    }

    /// Records the first answer for a key not recorded yet (see [`Self::get`]).
    pub(crate) fn insert(
        &mut self,
        key: &str,
        fingerprint: Fingerprint,
        answer: Answer,
        now: Instant,
    ) {
        let key: Arc<str> = Arc::from(key);
        let record = Record {
            fingerprint,
            answer,
            at: now,
        };
        if self.by_key.insert(key.clone(), record).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > MAX_KEYS {
            if let Some(oldest) = self.order.pop_front() {
                self.by_key.remove(&oldest);
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.by_key.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fp(n: u8) -> Fingerprint {
        Fingerprint([n; 32])
    }

    #[test]
    fn equal_json_values_have_one_fingerprint() {
        let a: Value = serde_json::from_str(r#"{"name":"Eng","scopes":["a","b"],"n":1}"#).unwrap();
        let b: Value =
            serde_json::from_str("{ \"n\" : 1, \"scopes\": [\"a\", \"b\"],\n \"name\": \"Eng\" }")
                .unwrap();
        assert_eq!(Fingerprint::of_json(&a), Fingerprint::of_json(&b));
        for other in [
            json!({"name":"Eng","scopes":["b","a"],"n":1}),
            json!({"name":"Eng","scopes":["a","b"],"n":2}),
            json!({"name":"Eng","scopes":["ab"],"n":1}),
            json!({"name":"Eng","scopes":["a","b"],"n":"1"}),
            json!({"name":"Eng","scopes":["a","b"]}),
        ] {
            assert_ne!(
                Fingerprint::of_json(&a),
                Fingerprint::of_json(&other),
                "{other}"
            );
        }
        assert_ne!(Fingerprint::of_bytes(b"{"), Fingerprint::of_bytes(b"{ "));
        assert_ne!(
            Fingerprint::of_bytes(b"null"),
            Fingerprint::of_json(&Value::Null)
        );
    }

    #[test]
    fn records_expire_after_the_window() {
        let start = Instant::now();
        let mut records = Records::default();
        records.insert("k", fp(1), Answer::Invalid, start);
        let just_before = start + WINDOW - Duration::from_secs(1);
        assert_eq!(records.get("k", just_before).unwrap().fingerprint, fp(1));
        assert!(records.get("k", start + WINDOW).is_none());
        assert_eq!(records.len(), 0, "forgotten, not just hidden");
    }

    #[test]
    fn at_most_max_keys_are_kept_oldest_forgotten_first() {
        let now = Instant::now();
        let mut records = Records::default();
        for i in 0..=MAX_KEYS {
            records.insert(&format!("k{i}"), fp(1), Answer::Invalid, now);
        }
        assert_eq!(records.len(), MAX_KEYS);
        assert!(records.get("k0", now).is_none(), "the oldest went first");
        assert!(records.get("k1", now).is_some());
        assert!(records.get(&format!("k{MAX_KEYS}"), now).is_some());
        assert_eq!(records.order.len(), MAX_KEYS);
    }
}
