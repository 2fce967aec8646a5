//! Reading create and update bodies: every field rule of the contract, with
//! every problem reported at once (one `errors[]` entry each, `extras.field`
//! naming the field). Pure: no state, so name uniqueness is the store's job.
//!
//! Bodies are read here, before the store's lock is taken, and in time linear
//! in their size: the store only takes the validated types, so one large
//! request cannot hold up the others.
//!
//! Messages name fields and limits; they never repeat a secret's value.

use std::collections::{BTreeMap, HashSet};

use serde_json::{json, Map, Value};

use super::super::errors::{ApiError, ErrorItem};
use super::idempotency::Fingerprint;
use super::model::{Connector, Secret};

const NAME_MAX_CHARS: usize = 128;
const CLIENT_ID_MAX_CHARS: usize = 256;
const CLIENT_SECRET_MAX_CHARS: usize = 512;

const CREATE_FIELDS: [&str; 6] = [
    "connector",
    "name",
    "client_id",
    "client_secret",
    "scopes",
    "settings",
];
const UPDATE_FIELDS: [&str; 5] = ["name", "client_id", "client_secret", "scopes", "settings"];

/// A valid create request.
#[derive(Debug)]
pub(crate) struct CreateInput {
    pub(crate) connector: Connector,
    pub(crate) name: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) scopes: Vec<String>,
    pub(crate) settings: BTreeMap<String, String>,
}

/// A valid update request: `None` leaves the field as it is.
#[derive(Debug, Default)]
pub(crate) struct UpdateInput {
    pub(crate) name: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<Secret>,
    pub(crate) scopes: Option<Vec<String>>,
    /// The whole `settings` object: a key left out is unset.
    pub(crate) settings: Option<BTreeMap<String, String>>,
}

/// A create body, read: its fingerprint for `Idempotency-Key`, and either
/// a valid request or every reason it is not one.
pub(crate) struct CreateRequest {
    pub(crate) fingerprint: Fingerprint,
    pub(crate) input: Result<CreateInput, ApiError>,
}

pub(crate) fn read_create(body: &[u8]) -> CreateRequest {
    match parse_json(body) {
        Ok(value) => CreateRequest {
            fingerprint: Fingerprint::of_json(&value),
            input: object(value).and_then(create_input),
        },
        Err(e) => CreateRequest {
            fingerprint: Fingerprint::of_bytes(body),
            input: Err(e),
        },
    }
}

fn create_input(mut map: Map<String, Value>) -> Result<CreateInput, ApiError> {
    let mut errors = unknown_fields(&map, &CREATE_FIELDS, &[]);

    let connector = match required(&mut map, "connector", &mut errors)
        .and_then(|v| string(v, "connector", &mut errors))
    {
        Some(text) => match Connector::parse(&text) {
            Some(c) => Some(c),
            None => {
                errors.push(unknown_connector());
                None
            }
        },
        None => None,
    };
    let name = required(&mut map, "name", &mut errors).and_then(|v| name(v, &mut errors));
    let client_id =
        required(&mut map, "client_id", &mut errors).and_then(|v| client_id(v, &mut errors));
    let client_secret = required(&mut map, "client_secret", &mut errors)
        .and_then(|v| client_secret(v, &mut errors));
    // Without a known connector the required scopes are unknown; the other
    // scope rules still apply.
    let scopes =
        required(&mut map, "scopes", &mut errors).and_then(|v| scopes(v, connector, &mut errors));
    let settings = match map.remove("settings") {
        Some(v) => settings(v, connector, &mut errors),
        None => Some(BTreeMap::new()),
    };

    match (connector, name, client_id, client_secret, scopes, settings) {
        (
            Some(connector),
            Some(name),
            Some(client_id),
            Some(client_secret),
            Some(scopes),
            Some(settings),
        ) if errors.is_empty() => Ok(CreateInput {
            connector,
            name,
            client_id,
            client_secret,
            scopes,
            settings,
        }),
        _ => Err(ApiError::new(axum::http::StatusCode::BAD_REQUEST, errors)),
    }
}

/// An update body for an app of `connector` (which decides the required scopes).
pub(crate) fn parse_update(body: &[u8], connector: Connector) -> Result<UpdateInput, ApiError> {
    let mut map = parse_json(body).and_then(object)?;
    let mut errors = unknown_fields(&map, &UPDATE_FIELDS, &["connector"]);
    if map.contains_key("connector") {
        errors.push(ErrorItem::field(
            "oauth_app.connector.immutable",
            "connector",
            "connector is set when the app is created and cannot be changed; create a new app instead",
        ));
    }
    let input = UpdateInput {
        name: map.remove("name").and_then(|v| name(v, &mut errors)),
        client_id: map
            .remove("client_id")
            .and_then(|v| client_id(v, &mut errors)),
        client_secret: map
            .remove("client_secret")
            .and_then(|v| client_secret(v, &mut errors)),
        scopes: map
            .remove("scopes")
            .and_then(|v| scopes(v, Some(connector), &mut errors)),
        settings: map
            .remove("settings")
            .and_then(|v| settings(v, Some(connector), &mut errors)),
    };
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(ApiError::new(axum::http::StatusCode::BAD_REQUEST, errors))
    }
}

fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(ErrorItem::new(
            "request.invalid_json",
            "the request body is empty; send a JSON object",
        )));
    }
    // serde_json's syntax errors give a position, never the offending text.
    serde_json::from_slice::<Value>(body).map_err(|e| {
        ApiError::bad_request(ErrorItem::new(
            "request.invalid_json",
            format!("the request body is not valid JSON: {e}"),
        ))
    })
}

fn object(value: Value) -> Result<Map<String, Value>, ApiError> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::bad_request(ErrorItem::new(
            "request.invalid_json",
            "the request body must be a JSON object",
        ))),
    }
}

fn unknown_fields(map: &Map<String, Value>, known: &[&str], handled: &[&str]) -> Vec<ErrorItem> {
    map.keys()
        .filter(|k| !known.contains(&k.as_str()) && !handled.contains(&k.as_str()))
        .map(|k| {
            ErrorItem::field(
                "request.unknown_field",
                k,
                format!("unknown field {k:?}; allowed fields: {}", known.join(", ")),
            )
        })
        .collect()
}

fn required(
    map: &mut Map<String, Value>,
    field: &str,
    errors: &mut Vec<ErrorItem>,
) -> Option<Value> {
    let value = map.remove(field);
    if value.is_none() {
        errors.push(ErrorItem::field(
            required_key(field),
            field,
            format!("{field} is required"),
        ));
    }
    value
}

fn required_key(field: &str) -> &'static str {
    match field {
        "connector" => "oauth_app.connector.required",
        "name" => "oauth_app.name.required",
        "client_id" => "oauth_app.client_id.required",
        "client_secret" => "oauth_app.client_secret.required",
        _ => "oauth_app.scopes.required",
    }
}

fn string(value: Value, field: &str, errors: &mut Vec<ErrorItem>) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        _ => {
            errors.push(
                ErrorItem::field(
                    "request.invalid_type",
                    field,
                    format!("{field} must be a string"),
                )
                .with("expected", json!("string")),
            );
            None
        }
    }
}

fn unknown_connector() -> ErrorItem {
    let allowed: Vec<&str> = Connector::ALL.iter().map(|c| c.as_str()).collect();
    ErrorItem::field(
        "oauth_app.connector.unknown",
        "connector",
        format!("connector must be one of: {}", allowed.join(", ")),
    )
    .with("allowed", json!(allowed))
}

/// Whether `len`, the length of `field` in characters (`how` says how it was
/// counted, for the message), is 1 to `max`; if not, the error saying so.
fn length_within(
    len: usize,
    max: usize,
    (key, field, how): (&'static str, &str, &str),
    errors: &mut Vec<ErrorItem>,
) -> bool {
    if (1..=max).contains(&len) {
        return true;
    }
    errors.push(
        ErrorItem::field(
            key,
            field,
            format!("{field} must be 1 to {max} characters{how} (got {len})"),
        )
        .with("min", json!(1))
        .with("max", json!(max)),
    );
    false
}

fn name(value: Value, errors: &mut Vec<ErrorItem>) -> Option<String> {
    let name = string(value, "name", errors)?;
    let field = (
        "oauth_app.name.invalid_length",
        "name",
        " after trimming surrounding whitespace",
    );
    length_within(name.trim().chars().count(), NAME_MAX_CHARS, field, errors).then_some(name)
}

fn client_id(value: Value, errors: &mut Vec<ErrorItem>) -> Option<String> {
    let id = string(value, "client_id", errors)?;
    let field = ("oauth_app.client_id.invalid_length", "client_id", "");
    if !length_within(id.chars().count(), CLIENT_ID_MAX_CHARS, field, errors) {
        return None;
    }
    if id.chars().any(char::is_whitespace) {
        errors.push(ErrorItem::field(
            "oauth_app.client_id.contains_whitespace",
            "client_id",
            "client_id must not contain whitespace; copy it again from the Atlassian developer console",
        ));
        return None;
    }
    Some(id)
}

fn client_secret(value: Value, errors: &mut Vec<ErrorItem>) -> Option<Secret> {
    let secret = string(value, "client_secret", errors)?;
    let field = (
        "oauth_app.client_secret.invalid_length",
        "client_secret",
        "",
    );
    let len = secret.chars().count();
    length_within(len, CLIENT_SECRET_MAX_CHARS, field, errors).then(|| Secret::new(secret))
}

fn scopes(
    value: Value,
    connector: Option<Connector>,
    errors: &mut Vec<ErrorItem>,
) -> Option<Vec<String>> {
    let before = errors.len();
    let Value::Array(items) = value else {
        errors.push(
            ErrorItem::field(
                "request.invalid_type",
                "scopes",
                "scopes must be an array of strings",
            )
            .with("expected", json!("array")),
        );
        return None;
    };
    let (scopes, seen) = distinct_scopes(items, errors);
    require_scopes(connector?, &seen, errors);
    (errors.len() == before).then_some(scopes)
}

/// The well-formed scopes of `items`, in order and each once, and the set of
/// them; a malformed or repeated scope is an error.
fn distinct_scopes(
    items: Vec<Value>,
    errors: &mut Vec<ErrorItem>,
) -> (Vec<String>, HashSet<String>) {
    // Sets, not searches of the lists: linear in the number of scopes.
    let mut scopes: Vec<String> = Vec::with_capacity(items.len());
    let mut seen: HashSet<String> = HashSet::with_capacity(items.len());
    let mut duplicates: Vec<String> = Vec::new();
    let mut repeated: HashSet<String> = HashSet::new();
    for (index, item) in items.into_iter().enumerate() {
        match item {
            Value::String(s) if !s.is_empty() && !s.chars().any(char::is_whitespace) => {
                if !seen.insert(s.clone()) {
                    if repeated.insert(s.clone()) {
                        duplicates.push(s);
                    }
                } else {
                    scopes.push(s);
                }
            }
            _ => errors.push(
                ErrorItem::field(
                    "oauth_app.scopes.invalid",
                    "scopes",
                    format!("scopes[{index}] must be a non-empty string without whitespace"),
                )
                .with("index", json!(index)),
            ),
        }
    }
    if !duplicates.is_empty() {
        errors.push(
            ErrorItem::field(
                "oauth_app.scopes.duplicate",
                "scopes",
                format!(
                    "scopes is a set: each scope may appear once ({} repeated)",
                    duplicates.join(", ")
                ),
            )
            .with("duplicates", json!(duplicates)),
        );
    }
    (scopes, seen)
}

/// A `settings` object: the keys `connector` has, each a string or null
/// (not set). A SharePoint `tenant_id` is a GUID (a tenant's ID, never
/// `common` or `organizations`: a multitenant app has none).
fn settings(
    value: Value,
    connector: Option<Connector>,
    errors: &mut Vec<ErrorItem>,
) -> Option<BTreeMap<String, String>> {
    let before = errors.len();
    let Value::Object(map) = value else {
        errors.push(
            ErrorItem::field(
                "request.invalid_type",
                "settings",
                "settings must be an object",
            )
            .with("expected", json!("object")),
        );
        return None;
    };
    let mut out = BTreeMap::new();
    for (key, value) in map {
        if connector.is_some_and(|c| !c.settings().contains(&key.as_str())) {
            let allowed = connector.map(Connector::settings).unwrap_or_default();
            errors.push(
                ErrorItem::field(
                    "oauth_app.settings.unknown",
                    "settings",
                    format!(
                        "settings has no key {key:?} for this connector (its keys: [{}])",
                        allowed.join(", ")
                    ),
                )
                .with("key", json!(key)),
            );
            continue;
        }
        match value {
            Value::Null => {}
            Value::String(s) if key != "tenant_id" || is_guid(&s) => {
                out.insert(key, s);
            }
            _ => {
                let what = if key == "tenant_id" {
                    "a tenant ID (a GUID) or null; a multitenant app has none"
                } else {
                    "a string or null"
                };
                errors.push(
                    ErrorItem::field(
                        "oauth_app.settings.invalid",
                        "settings",
                        format!("settings.{key} must be {what}"),
                    )
                    .with("key", json!(key)),
                )
            }
        }
    }
    (errors.len() == before).then_some(out)
}

/// The hyphenated form of a GUID, the one Entra shows.
fn is_guid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

/// An error naming the scopes `connector` requires that `seen` lacks.
fn require_scopes(connector: Connector, seen: &HashSet<String>, errors: &mut Vec<ErrorItem>) {
    let missing: Vec<&str> = connector
        .required_scopes()
        .iter()
        .copied()
        .filter(|r| !seen.contains(*r))
        .collect();
    if !missing.is_empty() {
        errors.push(
            ErrorItem::field(
                "oauth_app.scopes.missing_required",
                "scopes",
                format!(
                    "scopes must include {} for connector {}",
                    missing.join(", "),
                    connector.as_str()
                ),
            )
            .with("missing", json!(missing)),
        );
    }
    let one_of = connector.one_of_scopes();
    if !one_of.is_empty() && !one_of.iter().any(|s| seen.contains(*s)) {
        errors.push(
            ErrorItem::field(
                "oauth_app.scopes.missing_required",
                "scopes",
                format!(
                    "scopes must include one of {} for connector {}",
                    one_of.join(", "),
                    connector.as_str()
                ),
            )
            .with("missing", json!(one_of)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"connector":"confluence","name":"Eng","client_id":"abc123",
        "client_secret":"fake-secret-0001",
        "scopes":["search:confluence","read:space:confluence","read:page:confluence"]}"#;

    fn parse_create(body: &[u8]) -> Result<CreateInput, ApiError> {
        read_create(body).input
    }

    fn keys(err: &ApiError) -> Vec<&'static str> {
        err.errors.iter().map(|e| e.key).collect()
    }

    fn create_with(field: &str, value: Value) -> Result<CreateInput, ApiError> {
        let mut body: Value = serde_json::from_str(GOOD).unwrap();
        body[field] = value;
        parse_create(body.to_string().as_bytes())
    }

    #[test]
    fn a_complete_body_is_accepted() {
        let input = parse_create(GOOD.as_bytes()).unwrap();
        assert_eq!(input.connector, Connector::Confluence);
        assert_eq!(input.name, "Eng");
        assert_eq!(input.scopes.len(), 3);
    }

    #[test]
    fn field_rules() {
        let cases: &[(&str, Value, Option<&str>)] = &[
            ("name", json!("   "), Some("oauth_app.name.invalid_length")),
            ("name", json!("x".repeat(128)), None),
            ("name", json!(format!("  {}  ", "x".repeat(128))), None),
            (
                "name",
                json!("x".repeat(129)),
                Some("oauth_app.name.invalid_length"),
            ),
            ("name", json!(7), Some("request.invalid_type")),
            (
                "client_id",
                json!(""),
                Some("oauth_app.client_id.invalid_length"),
            ),
            ("client_id", json!("a".repeat(256)), None),
            (
                "client_id",
                json!("a".repeat(257)),
                Some("oauth_app.client_id.invalid_length"),
            ),
            (
                "client_id",
                json!("ab c"),
                Some("oauth_app.client_id.contains_whitespace"),
            ),
            (
                "client_id",
                json!("abc\n"),
                Some("oauth_app.client_id.contains_whitespace"),
            ),
            (
                "client_secret",
                json!(""),
                Some("oauth_app.client_secret.invalid_length"),
            ),
            ("client_secret", json!("s".repeat(512)), None),
            (
                "client_secret",
                json!("s".repeat(513)),
                Some("oauth_app.client_secret.invalid_length"),
            ),
            (
                "connector",
                json!("jira"),
                Some("oauth_app.connector.unknown"),
            ),
            ("connector", json!(null), Some("request.invalid_type")),
            (
                "scopes",
                json!("search:confluence"),
                Some("request.invalid_type"),
            ),
            (
                "scopes",
                json!(["search:confluence", "read:space:confluence"]),
                Some("oauth_app.scopes.missing_required"),
            ),
            (
                "scopes",
                json!([
                    "search:confluence",
                    "read:space:confluence",
                    "read:page:confluence",
                    "search:confluence"
                ]),
                Some("oauth_app.scopes.duplicate"),
            ),
            (
                "scopes",
                json!([
                    "search:confluence",
                    "read:space:confluence",
                    "read:page:confluence",
                    ""
                ]),
                Some("oauth_app.scopes.invalid"),
            ),
            (
                "scopes",
                json!([
                    "search:confluence",
                    "read:space:confluence",
                    "read:page:confluence",
                    3
                ]),
                Some("oauth_app.scopes.invalid"),
            ),
            ("surprise", json!(1), Some("request.unknown_field")),
        ];
        for (field, value, expected) in cases {
            let result = create_with(field, value.clone());
            match (expected, result) {
                (None, Ok(_)) => {}
                (Some(key), Err(e)) => {
                    assert_eq!(keys(&e), vec![*key], "{field} = {value}");
                    assert_eq!(e.errors[0].extras["field"], json!(field));
                }
                (expected, other) => {
                    panic!("{field} = {value}: expected {expected:?}, got {other:?}")
                }
            }
        }
    }

    #[test]
    fn missing_required_scope_names_each_one() {
        let err = create_with("scopes", json!(["search:confluence"])).unwrap_err();
        assert_eq!(
            err.errors[0].extras["missing"],
            json!(["read:space:confluence", "read:page:confluence"])
        );
    }

    #[test]
    fn other_connectors_have_no_required_scopes() {
        let mut body: Value = serde_json::from_str(GOOD).unwrap();
        body["connector"] = json!("google_drive");
        body["scopes"] = json!([]);
        assert!(parse_create(body.to_string().as_bytes()).is_ok());
    }

    const TENANT: &str = "11111111-2222-4333-8444-555555555555";

    #[test]
    #[rustfmt::skip]
    fn sharepoint_scopes_and_its_tenant_setting() {
        let mut body: Value = serde_json::from_str(GOOD).unwrap();
        body["connector"] = json!("sharepoint");
        let cases = [
            (json!(["User.Read", "Sites.Selected"]), None, vec![]),
            (json!(["User.Read", "Sites.Read.All", "Files.Read.All"]), Some(json!({"tenant_id": TENANT})), vec![]),
            (json!(["User.Read", "Sites.Selected"]), Some(json!({"tenant_id": null})), vec![]),
            (json!(["User.Read", "Sites.Selected"]), Some(json!({})), vec![]),
            (json!(["Sites.Selected"]), None, vec!["oauth_app.scopes.missing_required"]),
            (json!(["User.Read"]), None, vec!["oauth_app.scopes.missing_required"]),
            (json!(["User.Read", "sites.selected"]), None, vec!["oauth_app.scopes.missing_required"]),
            (json!(["User.Read", "Sites.Selected"]), Some(json!({"tenant_id": "common"})), vec!["oauth_app.settings.invalid"]),
            (json!(["User.Read", "Sites.Selected"]), Some(json!({"tenant_id": 7})), vec!["oauth_app.settings.invalid"]),
            (json!(["User.Read", "Sites.Selected"]), Some(json!({"region": "x"})), vec!["oauth_app.settings.unknown"]),
            (json!(["User.Read", "Sites.Selected"]), Some(json!([TENANT])), vec!["request.invalid_type"]),
        ];
        for (scopes, settings, expected) in cases {
            let mut b = body.clone();
            b["scopes"] = scopes.clone();
            if let Some(s) = &settings {
                b["settings"] = s.clone();
            }
            match parse_create(b.to_string().as_bytes()) {
                Ok(input) => {
                    assert!(expected.is_empty(), "{scopes} {settings:?}");
                    let tenant = settings.as_ref().and_then(|s| s.get("tenant_id")).and_then(Value::as_str);
                    assert_eq!(input.settings.get("tenant_id").map(String::as_str), tenant);
                }
                Err(err) => assert_eq!(keys(&err), expected, "{scopes} {settings:?}"),
            }
        }
        // Confluence apps have no settings; an update replaces the whole object.
        let mut confluence: Value = serde_json::from_str(GOOD).unwrap();
        confluence["settings"] = json!({"tenant_id": TENANT});
        let err = parse_create(confluence.to_string().as_bytes()).unwrap_err();
        assert_eq!(keys(&err), vec!["oauth_app.settings.unknown"]);
        let update = parse_update(br#"{"settings":{}}"#, Connector::Sharepoint).unwrap();
        assert_eq!(update.settings, Some(BTreeMap::new()));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let err = parse_create(br#"{"connector":"confluence","name":""}"#).unwrap_err();
        assert_eq!(
            keys(&err),
            vec![
                "oauth_app.name.invalid_length",
                "oauth_app.client_id.required",
                "oauth_app.client_secret.required",
                "oauth_app.scopes.required",
            ]
        );
    }

    #[test]
    fn bodies_that_are_not_objects() {
        for body in ["", "  ", "{", "[]", "\"x\"", "null"] {
            let err = parse_create(body.as_bytes()).unwrap_err();
            assert_eq!(keys(&err), vec!["request.invalid_json"], "{body:?}");
        }
    }

    #[test]
    fn errors_never_repeat_the_secret() {
        let err = create_with(
            "client_secret",
            json!(format!("fake-secret-{}", "9".repeat(600))),
        )
        .unwrap_err();
        let body = serde_json::to_string(&err.body()).unwrap();
        assert!(!body.contains("fake-secret"));
    }

    #[test]
    fn update_rules() {
        let ok = parse_update(br#"{}"#, Connector::Confluence).unwrap();
        assert!(ok.name.is_none() && ok.scopes.is_none() && ok.client_secret.is_none());
        let ok = parse_update(br#"{"name":"New"}"#, Connector::Confluence).unwrap();
        assert_eq!(ok.name.as_deref(), Some("New"));

        let err =
            parse_update(br#"{"connector":"confluence"}"#, Connector::Confluence).unwrap_err();
        assert_eq!(keys(&err), vec!["oauth_app.connector.immutable"]);
        let err = parse_update(
            br#"{"scopes":["search:confluence"]}"#,
            Connector::Confluence,
        )
        .unwrap_err();
        assert_eq!(keys(&err), vec!["oauth_app.scopes.missing_required"]);
        let err = parse_update(br#"{"name":null}"#, Connector::Confluence).unwrap_err();
        assert_eq!(keys(&err), vec!["request.invalid_type"]);
        let err = parse_update(br#"{"id":"x"}"#, Connector::Confluence).unwrap_err();
        assert_eq!(keys(&err), vec!["request.unknown_field"]);
    }
}
