//! `writer_confluence_oauth_app`: a self-managed OAuth app in Writer through
//! which Knowledge Graph syncs Confluence. `schema` is what users see (and the
//! docs), `checks` the configuration's rules; this file is the lifecycle, in
//! order: validate, plan, create, read, update, delete, import.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use crate::client::{self, CreateApp, NameMatch, OAuthApp, Secret, UpdateApp, Versioned};
use crate::domain;
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::schema::Schema;
use crate::tfplugin::value::Value;
use crate::tfplugin::{
    ApplyRequest, ApplyResponse, DeleteRequest, ImportRequest, ImportResponse, PlanRequest,
    PlanResponse, ReadRequest, ReadResponse, Resource,
};

use super::config::Api;
use super::lookup::{find_app, Lookup, CONNECTOR};
use super::state::Private;
use super::{texts, Shared};

mod checks;
mod schema;

use checks::{check_config, Judge};
pub(crate) use schema::schema;

pub(crate) const TYPE_NAME: &str = "writer_confluence_oauth_app";

pub(crate) struct ConfluenceOAuthApp {
    shared: Arc<Shared>,
}

impl ConfluenceOAuthApp {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

/// `state` with its `authorization_url` computed from the rest of it.
fn with_authorization_url(state: Value) -> Value {
    let url = authorization_url(&state);
    match state {
        Value::Object(mut m) => {
            m.insert("authorization_url".into(), url);
            Value::Object(m)
        }
        other => other,
    }
}

/// The consent URL, when everything it is built from is known.
fn authorization_url(state: &Value) -> Value {
    let (Some(client_id), Some(callback)) = (
        state.get("client_id").as_str(),
        state.get("callback_url").as_str(),
    ) else {
        return Value::Unknown;
    };
    let scopes = state.get("scopes");
    if !scopes.is_wholly_known() || scopes.is_null() {
        return Value::Unknown;
    }
    let mut names: Vec<&str> = scopes.elements().iter().filter_map(Value::as_str).collect();
    names.sort_unstable();
    match domain::authorization_url(client_id, &names, callback) {
        Ok(url) => Value::String(url),
        // Invalid inputs are reported by validation; the URL just stays unknown.
        Err(_) => Value::Unknown,
    }
}

fn scope_set(scopes: &[String]) -> Value {
    let mut sorted = scopes.to_vec();
    sorted.sort();
    sorted.dedup();
    Value::Set(sorted.into_iter().map(Value::String).collect())
}

fn default_scopes() -> Value {
    scope_set(&domain::REQUIRED_SCOPES.map(String::from))
}

fn attrs(v: Value) -> BTreeMap<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => BTreeMap::new(),
    }
}

/// The secret changes in this plan: its value (stored form) or its version
/// (write-only form) differs from the prior state.
fn secret_changes(prior: &Value, planned: &Value) -> bool {
    prior.get("client_secret") != planned.get("client_secret")
        || prior.get("client_secret_wo_version") != planned.get("client_secret_wo_version")
}

/// The state for `app`, keeping what only the configuration knows (the
/// secret's stored form, its version, the callback URL).
fn state_from(app: &OAuthApp, base: &Value) -> Value {
    let mut m = attrs(base.clone());
    m.insert("id".into(), Value::String(app.id.clone()));
    m.insert("name".into(), Value::String(app.name.clone()));
    m.insert("client_id".into(), Value::String(app.client_id.clone()));
    m.insert("scopes".into(), scope_set(&app.scopes));
    m.insert(
        "client_secret_hint".into(),
        Value::String(app.client_secret_hint.clone()),
    );
    m.insert(
        "client_secret_updated_at".into(),
        Value::String(app.client_secret_updated_at.clone()),
    );
    m.insert("created_at".into(), Value::String(app.created_at.clone()));
    m.insert("updated_at".into(), Value::String(app.updated_at.clone()));
    if m.get("callback_url")
        .is_none_or(|v| !v.is_wholly_known() || v.is_null())
    {
        m.insert(
            "callback_url".into(),
            Value::String(app.callback_url.clone()),
        );
    }
    with_authorization_url(Value::Object(m))
}

/// The new state after Writer accepted a write, and what to remember: the
/// app's ETag, and when the secret was set if this write set it (or nothing
/// was remembered yet).
fn written(
    app: Versioned<OAuthApp>,
    planned: &Value,
    mut private: Private,
    secret_sent: bool,
) -> ApplyResponse {
    if secret_sent || private.secret_updated_at.is_none() {
        private.secret_updated_at = Some(app.value.client_secret_updated_at.clone());
    }
    private.etag = app.etag;
    ApplyResponse {
        new_state: state_from(&app.value, planned),
        private: private.encode(),
        diagnostics: Diagnostics::new(),
    }
}

/// The secret to send: the write-only one from the configuration, or the
/// stored one.
fn configured_secret(config: &Value, planned: &Value) -> Option<Secret> {
    config
        .get("client_secret_wo")
        .as_str()
        .or_else(|| planned.get("client_secret").as_str())
        .map(|s| Secret::new(s.to_string()))
}

/// Whether a failed create may still have made the app: anything but a
/// refusal up front (an answer lost, retries exhausted on 5xx, an unreadable
/// success, a stop between attempts).
fn may_have_created(e: &client::Error) -> bool {
    use client::Error as E;
    !matches!(
        e,
        E::Validation { .. }
            | E::Unauthorized { .. }
            | E::Forbidden { .. }
            | E::NameTaken { .. }
            | E::IdempotencyConflict { .. }
            | E::PreconditionFailed { .. }
            | E::InvalidConfig { .. }
    )
}

/// A create whose outcome is unknown: never report "nothing happened"
/// without looking. The app is looked up by name; the one this create sent
/// (same name, client ID and scopes) is taken into state, so it is neither
/// lost outside Terraform nor created twice by the next apply.
async fn after_lost_create(
    api: &Api,
    sent: &CreateApp,
    planned: &Value,
    e: client::Error,
) -> ApplyResponse {
    let fail = |d: Diagnostic| ApplyResponse::failed(Value::Null, Vec::new(), d.into());
    let found = match api.client.find_app_by_name(CONNECTOR, &sent.name).await {
        Ok(found) => found,
        Err(lookup) => return fail(texts::create_outcome_unknown(&e, &sent.name, &lookup)),
    };
    let app = match found {
        NameMatch::None => return fail(texts::create_failed_nothing_created(&e, &sent.name)),
        NameMatch::Several(ids) => {
            return fail(texts::create_outcome_other_app(&e, &sent.name, &ids))
        }
        NameMatch::One(app) => *app,
    };
    let ours = app.name == sent.name
        && app.client_id == sent.client_id
        && scope_set(&app.scopes) == scope_set(&sent.scopes);
    if !ours {
        return fail(texts::create_outcome_other_app(&e, &sent.name, &[app.id]));
    }
    tracing::info!(id = %app.id, "the create's answer was lost; taking the app it made");
    // The list has no ETag: read the app for it (the next refresh would too).
    let id = app.id.clone();
    let found = match api.client.get_app(&id).await {
        Ok(Some(found)) => found,
        _ => Versioned {
            value: app,
            etag: None,
        },
    };
    let mut response = written(found, planned, Private::default(), true);
    response
        .diagnostics
        .push(texts::create_answer_lost_app_adopted(&e, &id));
    response
}

fn strings_of(v: &Value) -> Vec<String> {
    v.elements()
        .iter()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect()
}

#[async_trait]
impl Resource for ConfluenceOAuthApp {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        check_config(config, self.shared.app_url().as_ref(), Judge::All)
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let app_url = self.shared.app_url();
        let diagnostics = check_config(&request.config, app_url.as_ref(), Judge::ErrorsOnly);
        let prior = &request.prior_state;
        let config = &request.config;
        let mut m = attrs(request.planned_state);
        if config.get("callback_url").is_null() {
            let url = app_url.map_or(Value::Unknown, |a| Value::String(a.expected_callback_url()));
            m.insert("callback_url".into(), url);
        }
        if config.get("scopes").is_null() {
            m.insert("scopes".into(), default_scopes());
        }
        if !prior.is_null() {
            // What Writer assigned does not change on update.
            for stable in ["id", "created_at"] {
                m.insert(stable.into(), prior.get(stable).clone());
            }
            let planned = Value::Object(m.clone());
            let secret = secret_changes(prior, &planned);
            if !secret {
                for kept in ["client_secret_hint", "client_secret_updated_at"] {
                    m.insert(kept.into(), prior.get(kept).clone());
                }
            }
            let remote = secret
                || ["name", "client_id"]
                    .iter()
                    .any(|a| prior.get(a) != planned.get(a))
                || prior.get("scopes") != planned.get("scopes");
            if !remote {
                m.insert("updated_at".into(), prior.get("updated_at").clone());
            }
        }
        PlanResponse {
            planned_state: with_authorization_url(Value::Object(m)),
            planned_private: request.prior_private,
            requires_replace: Vec::new(),
            diagnostics,
        }
    }

    async fn create(&self, request: ApplyRequest) -> ApplyResponse {
        let fail = |d: Diagnostics| ApplyResponse::failed(Value::Null, Vec::new(), d);
        let api = match self.shared.api() {
            Ok(api) => api,
            Err(d) => return fail(d.into()),
        };
        let errors = check_config(&request.config, Some(&api.app_url), Judge::ErrorsOnly);
        if errors.has_errors() {
            return fail(errors);
        }
        let planned = &request.planned_state;
        let Some(client_secret) = configured_secret(&request.config, planned) else {
            return fail(texts::set_one_secret().into());
        };
        let body = CreateApp {
            connector: CONNECTOR.to_string(),
            name: planned.get("name").as_str().unwrap_or_default().to_string(),
            client_id: planned
                .get("client_id")
                .as_str()
                .unwrap_or_default()
                .to_string(),
            client_secret,
            scopes: strings_of(planned.get("scopes")),
        };
        match api.client.create_app(&body).await {
            Ok(created) => {
                tracing::info!(id = %created.value.id, "created Confluence OAuth app");
                written(created, planned, Private::default(), true)
            }
            Err(e) if may_have_created(&e) => after_lost_create(&api, &body, planned, e).await,
            Err(e) => fail(texts::api_error("create the OAuth app", &e).into()),
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let current = request.current_state;
        let keep = |state: Value, private: Vec<u8>, d: Diagnostic| ReadResponse {
            new_state: state,
            private,
            diagnostics: d.into(),
        };
        let api = match self.shared.api() {
            Ok(api) => api,
            Err(d) => return keep(current, request.private, d),
        };
        let id = current.get("id").as_str().unwrap_or_default().to_string();
        let found = match api.client.get_app(&id).await {
            Ok(found) => found,
            Err(e) => {
                return keep(
                    current,
                    request.private,
                    texts::api_error("read the OAuth app", &e),
                )
            }
        };
        let Some(found) = found else {
            return ReadResponse {
                new_state: Value::Null,
                private: Vec::new(),
                diagnostics: texts::app_gone(&id).into(),
            };
        };
        let app = found.value;
        if app.connector != CONNECTOR {
            return keep(
                current,
                request.private,
                texts::wrong_connector(&id, &app.connector),
            );
        }
        if app.scopes.len() > domain::MAX_SCOPES {
            let d = texts::too_many_scopes_from_writer(&id, app.scopes.len(), domain::MAX_SCOPES);
            return keep(current, request.private, d);
        }
        let mut private = Private::decode(&request.private);
        let mut diagnostics = Diagnostics::new();
        let mut state = state_from(&app, &current);
        match &private.secret_updated_at {
            None => private.secret_updated_at = Some(app.client_secret_updated_at.clone()),
            Some(ours) if *ours != app.client_secret_updated_at => {
                // Someone set the secret outside Terraform: forget what we
                // sent, so the plan shows an update that sends it again.
                tracing::info!(id = %app.id, "secret changed outside Terraform");
                if let Value::Object(m) = &mut state {
                    for a in ["client_secret", "client_secret_wo_version"] {
                        if m.get(a).is_some_and(|v| !v.is_null()) {
                            m.insert(a.into(), Value::Null);
                        }
                    }
                }
            }
            Some(_) => {}
        }
        if let Some(ours) = current.get("callback_url").as_str() {
            if ours != app.callback_url && api.app_url.expected_callback_url() == ours {
                diagnostics.push(texts::callback_url_moved(ours, &app.callback_url));
            }
        }
        private.etag = found.etag;
        ReadResponse {
            new_state: state,
            private: private.encode(),
            diagnostics,
        }
    }

    async fn update(&self, request: ApplyRequest) -> ApplyResponse {
        let prior = &request.prior_state;
        let planned = &request.planned_state;
        let fail = |d: Diagnostics| {
            ApplyResponse::failed(prior.clone(), request.planned_private.clone(), d)
        };
        let api = match self.shared.api() {
            Ok(api) => api,
            Err(d) => return fail(d.into()),
        };
        let errors = check_config(&request.config, Some(&api.app_url), Judge::ErrorsOnly);
        if errors.has_errors() {
            return fail(errors);
        }
        let private = Private::decode(&request.planned_private);
        let changed = |a: &str| prior.get(a) != planned.get(a);
        let send_secret = secret_changes(prior, planned);
        let patch = UpdateApp {
            name: changed("name")
                .then(|| planned.get("name").as_str().unwrap_or_default().to_string()),
            client_id: changed("client_id").then(|| {
                planned
                    .get("client_id")
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            }),
            client_secret: if send_secret {
                configured_secret(&request.config, planned)
            } else {
                None
            },
            scopes: (prior.get("scopes") != planned.get("scopes"))
                .then(|| strings_of(planned.get("scopes"))),
        };
        if patch.name.is_none()
            && patch.client_id.is_none()
            && patch.client_secret.is_none()
            && patch.scopes.is_none()
        {
            // Only local attributes changed (callback_url): nothing to send.
            let mut m = attrs(planned.clone());
            for (k, v) in m.iter_mut() {
                if !v.is_wholly_known() {
                    *v = prior.get(k).clone();
                }
            }
            return ApplyResponse {
                new_state: with_authorization_url(Value::Object(m)),
                private: request.planned_private.clone(),
                diagnostics: Diagnostics::new(),
            };
        }
        let id = prior.get("id").as_str().unwrap_or_default().to_string();
        match api
            .client
            .update_app(&id, &patch, private.etag.as_deref())
            .await
        {
            Ok(updated) => written(updated, planned, private, send_secret),
            Err(e) => fail(texts::api_error("update the OAuth app", &e).into()),
        }
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let api = match self.shared.api() {
            Ok(api) => api,
            Err(d) => return d.into(),
        };
        let id = request
            .prior_state
            .get("id")
            .as_str()
            .unwrap_or_default()
            .to_string();
        match api.client.delete_app(&id).await {
            Ok(()) => Diagnostics::new(),
            Err(e) => texts::api_error("delete the OAuth app", &e).into(),
        }
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let id = request.id.as_str();
        let fail = |d: Diagnostic| ImportResponse {
            state: Value::Null,
            private: Vec::new(),
            diagnostics: d.into(),
        };
        let api = match self.shared.api() {
            Ok(api) => api,
            Err(d) => return fail(d),
        };
        let lookup = match id.strip_prefix("name=") {
            Some(name) => Lookup::Name(name),
            None => Lookup::Id(id),
        };
        let app = match find_app(&api, lookup).await {
            Ok(app) => app,
            Err(d) => return fail(d),
        };
        // Only the ID: the read that Terraform runs next fills in the rest.
        let mut m: BTreeMap<String, Value> = schema()
            .block
            .attributes
            .iter()
            .map(|a| (a.name.clone(), Value::Null))
            .collect();
        m.insert("id".into(), Value::String(app.id));
        ImportResponse {
            state: Value::Object(m),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }
}
