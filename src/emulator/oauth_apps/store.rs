//! The emulator's state and the rules that need it: unique names, entity
//! tags, conditional updates and idempotent creates. Synchronous and free of
//! I/O so the HTTP layer can run each operation under one short lock (or on a
//! copy, when a state file must be written first); bodies arrive already
//! validated (`validate`), so nothing here grows faster than the number of apps.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use super::super::errors::{ApiError, ErrorItem};
use super::super::persist::Part;
use super::super::state::{bad_part, FamilyState};
use super::idempotency::{Answer, Record, Records};
use super::list;
use super::model::{name_key, timestamp, Connector, StoredApp};
use super::saved::{Saved, Snapshot};
use super::validate::{CreateInput, CreateRequest, UpdateInput};

/// Keys longer than this are refused, as the contract says.
const IDEMPOTENCY_KEY_MAX_CHARS: usize = 255;

/// The family's 404: no app has this ID.
pub(crate) fn app_not_found() -> ApiError {
    ApiError::not_found("oauth_app.not_found", "no OAuth app with this id")
}

/// How a create was answered.
pub(crate) struct CreateOutcome {
    pub(crate) result: Result<Arc<StoredApp>, ApiError>,
    /// The answer is the one recorded for an earlier request with the same key.
    pub(crate) replayed: bool,
}

/// Cheap to clone (apps are shared): the HTTP layer changes a copy when the
/// change must reach a state file first.
#[derive(Clone, Default)]
pub(crate) struct Store {
    /// In creation order.
    apps: Vec<Arc<StoredApp>>,
    next_seq: u64,
    next_etag: u64,
    /// Counts changes, so a writer can tell an older snapshot from a newer one.
    revision: u64,
    idempotency: Records,
}

impl Store {
    pub(crate) fn new() -> Self {
        Self {
            next_seq: 1,
            next_etag: 1,
            ..Self::default()
        }
    }

    /// Rebuilds the state saved in a state file, refusing one that breaks the
    /// store's invariants rather than serving wrong answers from it.
    pub(crate) fn from_state_file(file: Saved) -> Result<Self, String> {
        let mut apps = file.apps;
        apps.sort_by_key(|a| a.seq);
        let mut ids = HashSet::new();
        let mut seqs = HashSet::new();
        let mut names = HashSet::new();
        for app in &apps {
            if app.seq >= file.next_seq || app.etag >= file.next_etag {
                return Err(format!(
                    "app {} has a seq or etag not below next_seq/next_etag",
                    app.id
                ));
            }
            if !ids.insert(app.id.as_str()) || !seqs.insert(app.seq) {
                return Err(format!("app {} appears twice", app.id));
            }
            if !names.insert((app.connector, name_key(&app.name))) {
                return Err(format!("app {} repeats the name of another app", app.id));
            }
        }
        Ok(Self {
            apps: apps.into_iter().map(Arc::new).collect(),
            next_seq: file.next_seq,
            next_etag: file.next_etag,
            revision: 0,
            idempotency: Records::default(),
        })
    }

    /// What the state file holds, sharing the apps: a pointer per app.
    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            next_seq: self.next_seq,
            next_etag: self.next_etag,
            apps: self.apps.clone(),
        }
    }

    pub(crate) fn revision(&self) -> u64 {
        self.revision
    }

    pub(crate) fn get(&self, id: &str) -> Result<Arc<StoredApp>, ApiError> {
        self.find(id).cloned().ok_or_else(app_not_found)
    }

    /// The connector of an app, which decides how an update body is checked.
    /// It never changes, so it can be read before the update itself.
    pub(crate) fn connector_of(&self, id: &str) -> Result<Connector, ApiError> {
        self.find(id).map(|a| a.connector).ok_or_else(app_not_found)
    }

    /// One page of the list; it shares the apps, so the caller serializes it
    /// after letting the lock go.
    pub(crate) fn list(&self, query: &list::ListQuery) -> Result<list::Page, ApiError> {
        list::page(&self.apps, query)
    }

    /// A create, honouring `Idempotency-Key`: the first answer for a key is
    /// recorded (errors included) and replayed to a retry with the same body.
    pub(crate) fn create(
        &mut self,
        request: CreateRequest,
        idempotency_key: Option<&str>,
        now: OffsetDateTime,
        clock: Instant,
    ) -> CreateOutcome {
        let fresh = |result| CreateOutcome {
            result,
            replayed: false,
        };
        let Some(key) = idempotency_key else {
            return fresh(request.input.and_then(|input| self.create_app(input, now)));
        };
        if !(1..=IDEMPOTENCY_KEY_MAX_CHARS).contains(&key.chars().count()) {
            return fresh(Err(invalid_idempotency_key()));
        }
        if let Some(recorded) = self.idempotency.get(key, clock) {
            return CreateOutcome {
                result: replay(recorded, request),
                replayed: true,
            };
        }
        let (result, answer) = match request.input {
            Err(error) => (Err(error), Answer::Invalid),
            Ok(input) => match self.create_app(input, now) {
                Ok(app) => (Ok(app.clone()), Answer::Created(app)),
                Err(error) => (Err(error.clone()), Answer::Refused(error)),
            },
        };
        self.idempotency
            .insert(key, request.fingerprint, answer, clock);
        fresh(result)
    }

    fn create_app(
        &mut self,
        input: CreateInput,
        now: OffsetDateTime,
    ) -> Result<Arc<StoredApp>, ApiError> {
        self.check_name_free(input.connector, &input.name, None)?;
        let at = timestamp(now);
        let app = Arc::new(StoredApp {
            id: Uuid::new_v4().to_string(),
            seq: self.next_seq,
            etag: self.take_etag(),
            connector: input.connector,
            name: input.name,
            client_id: input.client_id,
            client_secret: input.client_secret,
            client_secret_updated_at: at.clone(),
            scopes: input.scopes,
            settings: input.settings,
            created_at: at.clone(),
            updated_at: at,
        });
        self.next_seq += 1;
        self.apps.push(app.clone());
        self.revision += 1;
        Ok(app)
    }

    /// A partial update. The body is checked first, so a 412 always means
    /// "valid, but stale": resending it after a fresh read will work. Nothing
    /// changes when `If-Match` fails. A request that changes nothing keeps the
    /// entity tag and `updated_at`.
    pub(crate) fn update(
        &mut self,
        id: &str,
        if_match: Option<&str>,
        input: UpdateInput,
        now: OffsetDateTime,
    ) -> Result<Arc<StoredApp>, ApiError> {
        let current = self.get(id)?;
        if let Some(condition) = if_match {
            if !if_match_allows(condition, &current.etag_header()) {
                return Err(ApiError::one(
                    StatusCode::PRECONDITION_FAILED,
                    ErrorItem::field(
                        "oauth_app.precondition_failed",
                        "If-Match",
                        "the OAuth app changed since you read it (If-Match does not match its \
                         current ETag); read it again and retry",
                    ),
                ));
            }
        }
        if let Some(name) = &input.name {
            self.check_name_free(current.connector, name, Some(id))?;
        }
        let mut next = StoredApp::clone(&current);
        let at = timestamp(now);
        if let Some(name) = input.name {
            next.name = name;
        }
        if let Some(client_id) = input.client_id {
            next.client_id = client_id;
        }
        if let Some(scopes) = input.scopes {
            next.scopes = scopes;
        }
        if let Some(settings) = input.settings {
            next.settings = settings;
        }
        if let Some(secret) = input.client_secret {
            next.client_secret = secret;
            next.client_secret_updated_at = at.clone();
        }
        if next == *current {
            return Ok(current);
        }
        next.etag = self.take_etag();
        next.updated_at = at;
        let next = Arc::new(next);
        if let Some(slot) = self.apps.iter_mut().find(|a| a.id == id) {
            *slot = next.clone();
        }
        self.revision += 1;
        Ok(next)
    }

    pub(crate) fn delete(&mut self, id: &str) -> Result<(), ApiError> {
        let before = self.apps.len();
        self.apps.retain(|a| a.id != id);
        if self.apps.len() == before {
            return Err(app_not_found());
        }
        self.revision += 1;
        Ok(())
    }

    fn find(&self, id: &str) -> Option<&Arc<StoredApp>> {
        self.apps.iter().find(|a| a.id == id)
    }

    fn take_etag(&mut self) -> u64 {
        let etag = self.next_etag;
        self.next_etag += 1;
        etag
    }

    fn check_name_free(
        &self,
        connector: Connector,
        name: &str,
        except_id: Option<&str>,
    ) -> Result<(), ApiError> {
        let key = name_key(name);
        match self.apps.iter().find(|a| {
            a.connector == connector && Some(a.id.as_str()) != except_id && name_key(&a.name) == key
        }) {
            None => Ok(()),
            Some(other) => Err(ApiError::one(
                StatusCode::CONFLICT,
                ErrorItem::field(
                    "oauth_app.name_taken",
                    "name",
                    format!(
                        "an OAuth app named {:?} already exists for connector {} (names are \
                         compared ignoring case)",
                        other.name.trim(),
                        connector.as_str()
                    ),
                )
                .with("conflicting_id", json!(other.id)),
            )),
        }
    }
}

/// The OAuth apps' part of the state file is `saved`'s layout.
impl FamilyState for Store {
    const NAME: &'static str = "OAuth apps";
    const KEYS: &'static [&'static str] = &["next_seq", "next_etag", "apps"];

    fn new() -> Self {
        Store::new()
    }

    fn from_part(part: Map<String, Value>) -> Result<Self, String> {
        let saved: Saved =
            serde_json::from_value(Value::Object(part)).map_err(|_| bad_part(Self::NAME))?;
        Store::from_state_file(saved)
    }

    fn part(&self) -> Result<Part, String> {
        self.snapshot().part()
    }

    fn revision(&self) -> u64 {
        Store::revision(self)
    }
}

/// `If-Match` with strong comparison (RFC 9110 §13.1.1): `*`, or a list of
/// entity tags one of which is exactly the current one. Weak or malformed tags
/// never match.
pub(crate) fn if_match_allows(header: &str, current: &str) -> bool {
    let header = header.trim();
    header == "*" || header.split(',').map(str::trim).any(|tag| tag == current)
}

/// The recorded answer to an earlier create with the same `Idempotency-Key`,
/// if `request` has the same body.
fn replay(recorded: &Record, request: CreateRequest) -> Result<Arc<StoredApp>, ApiError> {
    if recorded.fingerprint != request.fingerprint {
        return Err(ApiError::one(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorItem::field(
                "idempotency_key.reused",
                "Idempotency-Key",
                "this Idempotency-Key was already used with a different request body; \
                 use a new key for a new request",
            ),
        ));
    }
    match (&recorded.answer, request.input) {
        (Answer::Created(app), _) => Ok(app.clone()),
        (Answer::Refused(error), _) => Err(error.clone()),
        // The same body: validation refuses it the same way again.
        (Answer::Invalid, Err(error)) => Err(error),
        (Answer::Invalid, Ok(_)) => Err(ApiError::internal(
            "a body recorded as invalid was valid on retry",
        )),
    }
}

fn invalid_idempotency_key() -> ApiError {
    ApiError::bad_request(
        ErrorItem::field(
            "idempotency_key.invalid",
            "Idempotency-Key",
            format!("Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_CHARS} characters"),
        )
        .with("max", json!(IDEMPOTENCY_KEY_MAX_CHARS)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::oauth_apps::idempotency::{MAX_KEYS, WINDOW};
    use crate::emulator::oauth_apps::validate::{parse_update, read_create};
    use serde_json::Value;
    use std::time::Duration;

    fn create(
        store: &mut Store,
        body: &[u8],
        key: Option<&str>,
        now: OffsetDateTime,
        clock: Instant,
    ) -> CreateOutcome {
        store.create(read_create(body), key, now, clock)
    }

    fn update(
        store: &mut Store,
        id: &str,
        if_match: Option<&str>,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<Arc<StoredApp>, ApiError> {
        let input = parse_update(body, store.connector_of(id)?)?;
        store.update(id, if_match, input, now)
    }

    fn reload(snapshot: Snapshot) -> Result<Store, String> {
        let part: serde_json::Map<String, serde_json::Value> =
            snapshot.part().unwrap().into_iter().collect();
        <Store as FamilyState>::from_part(part)
    }

    const BODY: &str = r#"{"connector":"confluence","name":"Eng","client_id":"abc",
        "client_secret":"fake-secret-0001",
        "scopes":["search:confluence","read:space:confluence","read:page:confluence"]}"#;

    fn t(secs: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_700_000_000 + secs).unwrap()
    }

    fn body_named(name: &str) -> Vec<u8> {
        let mut v: Value = serde_json::from_str(BODY).unwrap();
        v["name"] = json!(name);
        v.to_string().into_bytes()
    }

    #[test]
    fn create_then_update_moves_etag_and_times() {
        let mut store = Store::new();
        let app = create(&mut store, BODY.as_bytes(), None, t(0), Instant::now())
            .result
            .unwrap();
        assert_eq!(app.etag_header(), "\"1\"");
        assert_eq!(app.created_at, app.client_secret_updated_at);

        let same = update(&mut store, &app.id, None, br#"{"name":"Eng"}"#, t(5)).unwrap();
        assert_eq!(same, app, "a no-op update changes nothing");

        let renamed = update(
            &mut store,
            &app.id,
            Some("\"1\""),
            br#"{"name":"Eng 2"}"#,
            t(10),
        )
        .unwrap();
        assert_eq!(renamed.etag_header(), "\"2\"");
        assert_eq!(renamed.updated_at, timestamp(t(10)));
        assert_eq!(
            renamed.client_secret_updated_at,
            app.client_secret_updated_at
        );

        let rotated = update(
            &mut store,
            &app.id,
            None,
            br#"{"client_secret":"fake-secret-0002"}"#,
            t(20),
        )
        .unwrap();
        assert_eq!(rotated.client_secret_updated_at, timestamp(t(20)));
        assert_eq!(rotated.client_secret.hint(), "…0002");
        assert_eq!(rotated.etag, 3);
    }

    #[test]
    fn stale_if_match_changes_nothing() {
        let mut store = Store::new();
        let app = create(&mut store, BODY.as_bytes(), None, t(0), Instant::now())
            .result
            .unwrap();
        for stale in ["\"2\"", "W/\"1\"", "1", ""] {
            let err =
                update(&mut store, &app.id, Some(stale), br#"{"name":"X"}"#, t(1)).unwrap_err();
            assert_eq!(err.status, StatusCode::PRECONDITION_FAILED, "{stale}");
            assert_eq!(err.errors[0].key, "oauth_app.precondition_failed");
        }
        assert_eq!(store.get(&app.id).unwrap(), app);
        assert!(update(
            &mut store,
            &app.id,
            Some("\"7\", \"1\""),
            br#"{"name":"X"}"#,
            t(1)
        )
        .is_ok());
        assert!(update(&mut store, &app.id, Some("*"), br#"{"name":"Y"}"#, t(1)).is_ok());
    }

    #[test]
    fn names_are_unique_per_connector_ignoring_case() {
        let mut store = Store::new();
        let first = create(&mut store, &body_named("Eng"), None, t(0), Instant::now())
            .result
            .unwrap();
        let err = create(&mut store, &body_named(" eNG "), None, t(0), Instant::now())
            .result
            .unwrap_err();
        assert_eq!(err.status, StatusCode::CONFLICT);
        assert_eq!(err.errors[0].key, "oauth_app.name_taken");
        assert_eq!(err.errors[0].extras["conflicting_id"], json!(first.id));

        let mut other: Value = serde_json::from_str(BODY).unwrap();
        other["connector"] = json!("notion");
        assert!(create(
            &mut store,
            other.to_string().as_bytes(),
            None,
            t(0),
            Instant::now()
        )
        .result
        .is_ok());

        let second = create(&mut store, &body_named("Ops"), None, t(0), Instant::now())
            .result
            .unwrap();
        let err = update(&mut store, &second.id, None, br#"{"name":"ENG"}"#, t(1)).unwrap_err();
        assert_eq!(err.status, StatusCode::CONFLICT);
        assert!(update(&mut store, &first.id, None, br#"{"name":"ENG"}"#, t(1)).is_ok());
    }

    #[test]
    fn idempotent_create_replays_and_refuses_other_bodies() {
        let mut store = Store::new();
        let start = Instant::now();
        let first = create(&mut store, BODY.as_bytes(), Some("k1"), t(0), start);
        assert!(!first.replayed);
        let app = first.result.unwrap();

        let respaced = serde_json::to_vec(&serde_json::from_str::<Value>(BODY).unwrap()).unwrap();
        let again = create(&mut store, &respaced, Some("k1"), t(1), start);
        assert!(again.replayed);
        assert_eq!(again.result.unwrap(), app);
        assert_eq!(store.apps.len(), 1);

        let other = create(&mut store, &body_named("Other"), Some("k1"), t(1), start);
        assert_eq!(
            other.result.unwrap_err().status,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        let later = start + WINDOW + Duration::from_secs(1);
        let expired = create(&mut store, BODY.as_bytes(), Some("k1"), t(2), later);
        assert!(!expired.replayed);
        assert_eq!(expired.result.unwrap_err().status, StatusCode::CONFLICT);

        let too_long = "k".repeat(256);
        let err = create(&mut store, BODY.as_bytes(), Some(&too_long), t(2), later)
            .result
            .unwrap_err();
        assert_eq!(err.errors[0].key, "idempotency_key.invalid");
    }

    #[test]
    fn recorded_errors_are_replayed_too() {
        let mut store = Store::new();
        let first = create(&mut store, b"{", Some("k"), t(0), Instant::now());
        let again = create(&mut store, b"{", Some("k"), t(0), Instant::now());
        assert!(again.replayed);
        assert_eq!(again.result.unwrap_err(), first.result.unwrap_err());
    }

    #[test]
    fn delete_then_gone() {
        let mut store = Store::new();
        let app = create(&mut store, BODY.as_bytes(), None, t(0), Instant::now())
            .result
            .unwrap();
        store.delete(&app.id).unwrap();
        assert_eq!(
            store.get(&app.id).unwrap_err().status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            store.delete(&app.id).unwrap_err().status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(store.revision(), 2);
    }

    #[test]
    fn state_file_round_trip_and_invariants() {
        let mut store = Store::new();
        let app = create(&mut store, BODY.as_bytes(), None, t(0), Instant::now())
            .result
            .unwrap();
        let restored = reload(store.snapshot()).unwrap();
        assert_eq!(restored.get(&app.id).unwrap(), app);
        assert_eq!(restored.next_etag, 2);

        let mut broken = store.snapshot();
        broken.apps.push(app.clone());
        assert!(reload(broken).is_err());
    }

    #[test]
    fn a_replayed_create_shares_the_stored_app() {
        let mut store = Store::new();
        let clock = Instant::now();
        let first = create(&mut store, BODY.as_bytes(), Some("k"), t(0), clock);
        let again = create(&mut store, BODY.as_bytes(), Some("k"), t(1), clock);
        assert!(again.replayed);
        let (first, again) = (first.result.unwrap(), again.result.unwrap());
        assert!(Arc::ptr_eq(&first, &again), "the record holds no copy");
        assert!(Arc::ptr_eq(&store.apps[0], &again));
    }

    #[test]
    fn idempotency_keys_are_forgotten_beyond_the_count_bound() {
        let mut store = Store::new();
        let clock = Instant::now();
        let first = create(&mut store, BODY.as_bytes(), Some("k-first"), t(0), clock);
        assert!(first.result.is_ok());
        for i in 0..MAX_KEYS {
            // Invalid bodies: recorded, and cheap.
            let key = format!("k-{i}");
            assert!(create(&mut store, b"{}", Some(&key), t(0), clock)
                .result
                .is_err());
        }
        assert_eq!(store.idempotency.len(), MAX_KEYS);
        // Forgotten: the same body is a new create (a name conflict), and another body is no 422.
        let retry = create(&mut store, BODY.as_bytes(), Some("k-first"), t(1), clock);
        assert!(!retry.replayed);
        assert_eq!(retry.result.unwrap_err().status, StatusCode::CONFLICT);
        let last = format!("k-{}", MAX_KEYS - 1);
        assert!(create(&mut store, b"{}", Some(&last), t(1), clock).replayed);
    }

    #[test]
    fn validated_requests_with_many_scopes() {
        let mut body: Value = serde_json::from_str(BODY).unwrap();
        let mut scopes: Vec<String> = (0..20_000)
            .map(|i| format!("read:thing-{i}:confluence"))
            .collect();
        scopes.extend(
            crate::emulator::oauth_apps::model::REQUIRED_CONFLUENCE_SCOPES
                .iter()
                .map(|s| s.to_string()),
        );
        body["scopes"] = json!(scopes);
        let mut store = Store::new();
        let app = create(
            &mut store,
            body.to_string().as_bytes(),
            None,
            t(0),
            Instant::now(),
        )
        .result
        .unwrap();
        assert_eq!(app.scopes.len(), 20_003);

        scopes.push("read:thing-7:confluence".into());
        scopes.push("read:thing-7:confluence".into());
        scopes.push("read:thing-9:confluence".into());
        let err = update(
            &mut store,
            &app.id,
            None,
            json!({ "scopes": scopes }).to_string().as_bytes(),
            t(1),
        )
        .unwrap_err();
        assert_eq!(
            err.errors[0].extras["duplicates"],
            json!(["read:thing-7:confluence", "read:thing-9:confluence"])
        );
    }
}
