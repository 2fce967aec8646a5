//! `writer_<connector>_oauth_app`: a self-managed OAuth app in Writer, the
//! same lifecycle for every connector (the [`Connector`] says what differs).
//! `model` is the typed attributes, `schema` what users see (and the docs),
//! `checks` the configuration's rules, `texts` the resource's words, `data`
//! the data source; this file is the lifecycle, in order: validate, plan,
//! create, read, update, delete, import.
//!
//! What every connector's app shares: the secret stored or write-only, sent
//! on create and on a new version; drift of the secret seen through
//! `client_secret_updated_at` kept in private state; updates always sent with
//! If-Match (the app is read first when no ETag is remembered); a 404 removes
//! the app from state; import by ID or `name=`; a connector's own attributes
//! (its settings) read from and sent to Writer's `settings` like any other
//! attribute. An app Writer made is never left outside state: a create whose
//! answer cannot be used keeps the app's ID in state (tainted), and one whose
//! outcome is unknown takes in only the app it provably made.

mod checks;
mod connector;
mod data;
pub(crate) mod list;
mod lookup;
mod model;
mod private;
mod schema;
mod texts;

use std::sync::Arc;
use std::time::SystemTime;

use async_trait::async_trait;

use crate::client::{self, CreateApp, NameMatch, OAuthApp, Outcome, Secret, UpdateApp, Versioned};
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::schema::Schema;
use crate::tfplugin::value::Value;
use crate::tfplugin::{
    ApplyRequest, ApplyResponse, DeleteRequest, ImportRequest, ImportResponse, PlanRequest,
    PlanResponse, ReadRequest, ReadResponse, Resource,
};

use crate::provider::adoption::Decision;
use crate::provider::config::Api;
use crate::provider::shared::Shared;
pub(crate) use checks::client_id_problem;
use checks::{check_config, check_secret_plan, Judge};
use lookup::{find_app, find_created, holds_what_was_sent, read_app, Lookup};
use model::{scope_set, APP};
use private::Private;

pub(crate) use connector::{code_list, no_rule, Connector, Docs, Setting, Settings, Words};
pub(crate) use data::OAuthAppData;
pub(crate) use model::{App, AppData};

pub(crate) struct OAuthAppResource {
    shared: Arc<Shared>,
    connector: &'static Connector,
}

impl OAuthAppResource {
    pub fn new(shared: Arc<Shared>, connector: &'static Connector) -> Self {
        Self { shared, connector }
    }
}

/// `state` with its `authorization_url` computed from the rest of it.
fn with_authorization_url(c: &Connector, mut state: App<Value>) -> App<Value> {
    state.authorization_url = authorization_url(c, &state);
    state
}

/// The consent URL, when everything it is built from is known.
fn authorization_url(c: &Connector, state: &App<Value>) -> Value {
    let (Some(client_id), Some(callback)) = (state.client_id.as_str(), state.callback_url.as_str())
    else {
        return Value::Unknown;
    };
    let scopes = &state.scopes;
    if !scopes.is_wholly_known() || scopes.is_null() {
        return Value::Unknown;
    }
    if state.settings.values().any(|v| !v.is_wholly_known()) {
        return Value::Unknown;
    }
    let mut names: Vec<&str> = scopes.elements().iter().filter_map(Value::as_str).collect();
    names.sort_unstable();
    match (c.authorization_url)(client_id, &names, callback, &state.settings_set()) {
        Ok(url) => Value::String(url),
        // Invalid inputs are reported by validation; the URL just stays unknown.
        Err(_) => Value::Unknown,
    }
}

fn default_scopes(c: &Connector) -> Value {
    let required: Vec<String> = c.required_scopes.iter().map(|s| s.to_string()).collect();
    scope_set(&required)
}

/// This plan sends a secret: its value (stored form) or its version
/// (write-only form) is set and differs from the prior state. Removing both
/// sends nothing: Writer keeps the secret it has.
fn secret_changes(prior: &App<Value>, planned: &App<Value>) -> bool {
    let sends = |prior: &Value, planned: &Value| !planned.is_null() && prior != planned;
    sends(&prior.client_secret, &planned.client_secret)
        || sends(
            &prior.client_secret_wo_version,
            &planned.client_secret_wo_version,
        )
}

/// The state for `app`, keeping what only the configuration knows (the
/// secret's stored form, its version, the callback URL).
fn state_from(c: &Connector, app: &OAuthApp, base: &App<Value>) -> App<Value> {
    let s = |v: &str| Value::String(v.to_string());
    let mut m = base.clone();
    m.id = s(&app.id);
    m.name = s(&app.name);
    m.client_id = s(&app.client_id);
    m.scopes = scope_set(&app.scopes);
    m.client_secret_hint = s(&app.client_secret_hint);
    m.client_secret_updated_at = s(&app.client_secret_updated_at);
    m.created_at = s(&app.created_at);
    m.updated_at = s(&app.updated_at);
    m.settings = c.settings_of(app);
    if !m.callback_url.is_wholly_known() || m.callback_url.is_null() {
        m.callback_url = s(&app.callback_url);
    }
    let mut m = with_authorization_url(c, m);
    // Writer's values make no consent URL (a setting Writer holds is not
    // valid): a state has no unknowns, so there is none.
    if !m.authorization_url.is_wholly_known() {
        m.authorization_url = Value::Null;
    }
    m
}

/// The state of an app Writer created (`id`) whose answer cannot be used:
/// the plan, with the ID, and null for what is not known. Returned with an
/// error, so that Terraform keeps it tainted: the app is never left in
/// Writer outside state.
fn kept_tainted(planned: &App<Value>, id: &str, d: Diagnostic) -> ApplyResponse {
    let mut state = planned.clone();
    state.id = Value::String(id.to_string());
    let mut slots = state.as_mut();
    for slot in slots.settings.values_mut() {
        if !slot.is_wholly_known() {
            **slot = Value::Null;
        }
    }
    for slot in slots.into_array() {
        if !slot.is_wholly_known() {
            *slot = Value::Null;
        }
    }
    ApplyResponse {
        new_state: state.to_value(),
        private: Private::just_created().encode(),
        diagnostics: d.into(),
    }
}

/// The first attribute in which Writer's new app is not what the create
/// sent, if any.
fn unlike_sent(c: &Connector, app: &OAuthApp, sent: &CreateApp) -> Option<&'static str> {
    if holds_what_was_sent(app, sent) {
        return None;
    }
    let scopes = |s: &[String]| scope_set(s);
    if app.connector != sent.connector {
        Some("connector")
    } else if app.name != sent.name {
        Some(APP.name)
    } else if app.client_id != sent.client_id {
        Some(APP.client_id)
    } else if scopes(&app.scopes) != scopes(&sent.scopes) {
        Some(APP.scopes)
    } else {
        c.settings
            .iter()
            .map(|s| s.name)
            .find(|name| app.settings.get(*name) != sent.settings.get(*name))
            .or(Some("settings"))
    }
}

/// The new state after Writer accepted a write, and what to remember: the
/// app's ETag, and when the secret was set if this write set it (or nothing
/// was remembered yet).
fn written(
    c: &Connector,
    app: Versioned<OAuthApp>,
    planned: &App<Value>,
    mut private: Private,
    secret_sent: bool,
) -> ApplyResponse {
    if secret_sent || private.secret_updated_at.is_none() {
        private.secret_updated_at = Some(app.value.client_secret_updated_at.clone());
    }
    private.etag = app.etag;
    ApplyResponse {
        new_state: state_from(c, &app.value, planned).to_value(),
        private: private.encode(),
        diagnostics: Diagnostics::new(),
    }
}

/// The secret to send: the write-only one from the configuration, or the
/// stored one.
fn configured_secret(config: &App<Value>, planned: &App<Value>) -> Option<Secret> {
    config
        .client_secret_wo
        .as_str()
        .or_else(|| planned.client_secret.as_str())
        .map(|s| Secret::new(s.to_string()))
}

/// A create whose outcome is unknown ([`Outcome::Unknown`]: an answer lost,
/// retries run out on 5xx, an unreadable success without an ID): never
/// report "nothing happened" without looking. Writer's apps of that name are
/// looked up, in the time the create kept for it, and one is taken into
/// state only if it provably came from this create (`adoption`'s rule: it
/// holds what was sent, was created after the create began by Writer's
/// clock, and its secret hint is the one sent); otherwise the error names
/// each app found and how to import it.
async fn after_lost_create(
    api: &Api,
    c: &Connector,
    sent: &CreateApp,
    planned: &App<Value>,
    began: SystemTime,
    e: client::Error,
) -> ApplyResponse {
    let fail = |d: Diagnostic| ApplyResponse::failed(Value::Null, Vec::new(), d.into());
    let (decision, apps) = match find_created(api, sent, began).await {
        Ok(found) => found,
        Err(lookup) => return fail(texts::create_outcome_unknown(c, &e, &sent.name, &lookup)),
    };
    let id = match decision {
        Decision::Adopt { id } => id,
        Decision::Refuse { found } if found.is_empty() => {
            return fail(texts::create_failed_nothing_created(&e, &sent.name))
        }
        Decision::Refuse { found } => {
            return fail(texts::create_outcome_not_adopted(c, &e, &sent.name, &found))
        }
    };
    let Some(app) = apps.into_iter().find(|a| a.id == id) else {
        return fail(texts::create_outcome_unknown(c, &e, &sent.name, &e));
    };
    tracing::info!(id = %app.id, "the create's answer was lost; taking the app it made");
    // The list has no ETag: read the app for it (an update without one
    // reads it first anyway).
    let found = match api.client.get_app(&id).await {
        Ok(Some(found)) => found,
        _ => Versioned {
            value: app,
            etag: None,
        },
    };
    let mut response = written(c, found, planned, Private::just_created(), true);
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

fn string_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// On update, what the plan keeps from the prior state: what Writer
/// assigned, and what only a write to Writer changes.
fn keep_from_prior(prior: &App<Value>, m: &mut App<Value>) {
    m.id = prior.id.clone();
    m.created_at = prior.created_at.clone();
    let secret = secret_changes(prior, m);
    if !secret {
        m.client_secret_hint = prior.client_secret_hint.clone();
        m.client_secret_updated_at = prior.client_secret_updated_at.clone();
    }
    let remote = secret
        || prior.name != m.name
        || prior.client_id != m.client_id
        || prior.scopes != m.scopes
        || prior.settings != m.settings;
    if !remote {
        m.updated_at = prior.updated_at.clone();
    }
}

/// Someone set the secret outside Terraform if Writer's time of the last
/// secret change is not the one remembered. Then the state forgets what was
/// sent, so the plan shows an update that sends it again.
fn note_secret_drift(app: &OAuthApp, private: &mut Private, state: &mut App<Value>) {
    match &private.secret_updated_at {
        None => private.secret_updated_at = Some(app.client_secret_updated_at.clone()),
        Some(ours) if *ours != app.client_secret_updated_at => {
            tracing::info!(id = %app.id, "secret changed outside Terraform");
            for sent in [
                &mut state.client_secret,
                &mut state.client_secret_wo_version,
            ] {
                if !sent.is_null() {
                    *sent = Value::Null;
                }
            }
        }
        Some(_) => {}
    }
}

/// The changes an update sends to Writer; the secret only when it changed.
fn patch(config: &App<Value>, prior: &App<Value>, planned: &App<Value>) -> UpdateApp {
    let changed = |prior: &Value, planned: &Value| prior != planned;
    UpdateApp {
        name: changed(&prior.name, &planned.name).then(|| string_of(&planned.name)),
        client_id: changed(&prior.client_id, &planned.client_id)
            .then(|| string_of(&planned.client_id)),
        client_secret: if secret_changes(prior, planned) {
            configured_secret(config, planned)
        } else {
            None
        },
        scopes: changed(&prior.scopes, &planned.scopes).then(|| strings_of(&planned.scopes)),
        settings: (prior.settings != planned.settings).then(|| planned.settings_set()),
    }
}

impl OAuthAppResource {
    /// Before a write: the API, and the configuration judged again now that
    /// every value is known.
    fn ready_to_write(&self, request: &ApplyRequest) -> Result<(Api, App<Value>), Diagnostics> {
        let api = self.shared.api(&request.cancel)?;
        let config = App::from_value(&request.config);
        let errors = check_config(
            self.connector,
            &config,
            Some(&api.app_url),
            Judge::ErrorsOnly,
        );
        if errors.has_errors() {
            return Err(errors);
        }
        Ok((api, config))
    }

    /// A plan change of local attributes only (callback_url): nothing is
    /// sent; what the plan left unknown keeps its prior value.
    fn local_update(&self, request: &ApplyRequest) -> ApplyResponse {
        let prior = App::from_value(&request.prior_state);
        let mut m = App::from_value(&request.planned_state);
        for (slot, before) in m.as_mut().into_array().into_iter().zip(prior.into_array()) {
            if !slot.is_wholly_known() {
                *slot = before;
            }
        }
        ApplyResponse {
            new_state: with_authorization_url(self.connector, m).to_value(),
            private: request.planned_private.clone(),
            diagnostics: Diagnostics::new(),
        }
    }

    /// The ETag to send with an update when private state remembers none
    /// (state from before ETags were kept, an app taken in from a list):
    /// the app is read now. It must still be the app Terraform last saw
    /// (the same `updated_at` as in state), or a change made since would be
    /// overwritten.
    async fn current_etag(
        &self,
        api: &Api,
        id: &str,
        prior: &App<Value>,
    ) -> Result<String, Diagnostic> {
        let c = self.connector;
        let found = match api.client.get_app(id).await {
            Ok(Some(found)) => found,
            Ok(None) => return Err(texts::gone_before_update(c, id)),
            Err(e) => {
                return Err(texts::api_error(
                    c,
                    "read the OAuth app before updating it",
                    &e,
                ))
            }
        };
        if let Some(seen) = prior.updated_at.as_str() {
            if seen != found.value.updated_at {
                return Err(texts::changed_since_read(c, id));
            }
        }
        found.etag.ok_or_else(|| texts::no_etag_for_update(c, id))
    }

    /// A create refused because its name is taken: the app that has it, if
    /// Writer shows exactly one, so the words can name it. Terraform tells a
    /// create nothing of an app it replaces (a `create_before_destroy`
    /// replacement is planned again at apply with no prior state or private
    /// state), so whether that app is the one being replaced is not known.
    async fn name_taken(&self, api: &Api, name: &str, e: &client::Error) -> Diagnostic {
        let c = self.connector;
        match api.client.find_app_by_name(c.name, name).await {
            Ok(NameMatch::One(app)) => texts::name_taken_by(c, e, name, &app.id),
            _ => texts::write_not_done(c, "create the OAuth app", e),
        }
    }

    /// What a read found that is not the app this resource manages, as the
    /// diagnostic that keeps the state as it was.
    fn refuse_read(&self, id: &str, app: &OAuthApp) -> Option<Diagnostic> {
        let c = self.connector;
        if app.connector != c.name {
            return Some(texts::wrong_connector(c, id, &app.connector));
        }
        if app.scopes.len() > c.max_scopes {
            return Some(texts::too_many_scopes_from_writer(c, id, app.scopes.len()));
        }
        None
    }
}

#[async_trait]
impl Resource for OAuthAppResource {
    fn type_name(&self) -> &'static str {
        self.connector.type_name
    }

    fn identity(&self) -> Option<crate::tfplugin::IdentitySchema> {
        Some(schema::identity(self.connector))
    }

    fn schema(&self) -> Schema {
        schema::schema(self.connector)
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let config = App::from_value(config);
        check_config(
            self.connector,
            &config,
            self.shared.app_url().as_ref(),
            Judge::All,
        )
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let c = self.connector;
        let app_url = self.shared.app_url();
        let config = App::from_value(&request.config);
        let mut diagnostics = check_config(c, &config, app_url.as_ref(), Judge::ErrorsOnly);
        let prior = (!request.prior_state.is_null()).then(|| App::from_value(&request.prior_state));
        diagnostics.extend(check_secret_plan(
            c,
            prior.as_ref(),
            &config,
            &Private::decode(&request.prior_private),
        ));
        let mut m = App::from_value(&request.planned_state);
        if config.callback_url.is_null() {
            m.callback_url = app_url.map_or(Value::Unknown, |a| {
                Value::String(a.callback_url(&c.callback))
            });
        }
        if config.scopes.is_null() {
            m.scopes = default_scopes(c);
        }
        if let Some(prior) = &prior {
            keep_from_prior(prior, &mut m);
        }
        PlanResponse {
            planned_state: with_authorization_url(c, m).to_value(),
            planned_private: request.prior_private,
            requires_replace: Vec::new(),
            diagnostics,
        }
    }

    async fn create(&self, request: ApplyRequest) -> ApplyResponse {
        let c = self.connector;
        let fail = |d: Diagnostics| ApplyResponse::failed(Value::Null, Vec::new(), d);
        let (api, config) = match self.ready_to_write(&request) {
            Ok(ready) => ready,
            Err(d) => return fail(d),
        };
        let planned = App::from_value(&request.planned_state);
        let Some(client_secret) = configured_secret(&config, &planned) else {
            return fail(texts::set_one_secret(c).into());
        };
        let body = CreateApp {
            connector: c.name.to_string(),
            name: string_of(&planned.name),
            client_id: string_of(&planned.client_id),
            client_secret,
            scopes: strings_of(&planned.scopes),
            settings: planned.settings_set(),
        };
        // The create leaves time in the operation to look up its app if
        // its outcome is unknown.
        let creating = api.client.keeping(api.lookup_room);
        let began = SystemTime::now();
        match creating.create_app(&body).await {
            Ok(created) => {
                tracing::info!(id = %created.value.id, connector = c.name, "created OAuth app");
                let unlike = unlike_sent(c, &created.value, &body);
                let id = created.value.id.clone();
                let mut response = written(c, created, &planned, Private::just_created(), true);
                if let Some(attribute) = unlike {
                    // The state shows what Writer has; the error taints it.
                    response
                        .diagnostics
                        .push(texts::created_unlike_sent(c, &id, attribute));
                }
                response
            }
            Err(e) => match e.outcome {
                Outcome::Done { id } => {
                    let d = texts::create_answer_unusable(c, &e.error, &id);
                    kept_tainted(&planned, &id, d)
                }
                Outcome::Unknown => {
                    after_lost_create(&api, c, &body, &planned, began, e.error).await
                }
                Outcome::NotDone => match e.error {
                    client::Error::NameTaken { .. } => {
                        fail(self.name_taken(&api, &body.name, &e.error).await.into())
                    }
                    _ => fail(texts::write_not_done(c, "create the OAuth app", &e.error).into()),
                },
            },
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let c = self.connector;
        let keep = |d: Diagnostic| request.unchanged(d);
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return keep(d),
        };
        let current = App::from_value(&request.current_state);
        let id = string_of(&current.id);
        if !client::can_name(&id) {
            return keep(texts::state_without_id(c, &id));
        }
        let mut private = Private::decode(&request.private);
        let found = match read_app(&api, &id, &private, &request.cancel).await {
            Ok(Some(found)) => found,
            Ok(None) => {
                return ReadResponse {
                    new_state: Value::Null,
                    private: Vec::new(),
                    diagnostics: texts::app_gone(c, &id).into(),
                }
            }
            Err(e) => return keep(texts::api_error(c, "read the OAuth app", &e)),
        };
        let app = found.value;
        if let Some(refusal) = self.refuse_read(&id, &app) {
            return keep(refusal);
        }
        // Found once: from now on a 404 means gone.
        private.created_unix = None;
        let mut diagnostics = Diagnostics::new();
        let mut state = state_from(c, &app, &current);
        note_secret_drift(&app, &mut private, &mut state);
        if let Some(ours) = current.callback_url.as_str() {
            if ours != app.callback_url && api.app_url.callback_url(&c.callback) == ours {
                diagnostics.push(texts::callback_url_moved(c, ours, &app.callback_url));
            }
        }
        private.etag = found.etag;
        ReadResponse {
            new_state: state.to_value(),
            private: private.encode(),
            diagnostics,
        }
    }

    async fn update(&self, request: ApplyRequest) -> ApplyResponse {
        let c = self.connector;
        let fail = |d: Diagnostics| {
            ApplyResponse::failed(
                request.prior_state.clone(),
                request.planned_private.clone(),
                d,
            )
        };
        let (api, config) = match self.ready_to_write(&request) {
            Ok(ready) => ready,
            Err(d) => return fail(d),
        };
        let prior = App::from_value(&request.prior_state);
        let planned = App::from_value(&request.planned_state);
        let patch = patch(&config, &prior, &planned);
        if secret_changes(&prior, &planned) && patch.client_secret.is_none() {
            return fail(texts::secret_needed_to_apply().into());
        }
        if patch.name.is_none()
            && patch.client_id.is_none()
            && patch.client_secret.is_none()
            && patch.scopes.is_none()
            && patch.settings.is_none()
        {
            return self.local_update(&request);
        }
        let private = Private::decode(&request.planned_private);
        let id = string_of(&prior.id);
        if !client::can_name(&id) {
            return fail(texts::state_without_id(c, &id).into());
        }
        let secret_sent = secret_changes(&prior, &planned);
        let etag = match &private.etag {
            Some(etag) => etag.clone(),
            None => match self.current_etag(&api, &id, &prior).await {
                Ok(etag) => etag,
                Err(d) => return fail(d.into()),
            },
        };
        match api.client.update_app(&id, &patch, Some(&etag)).await {
            Ok(updated) => written(c, updated, &planned, private, secret_sent),
            Err(e) => fail(
                match (e.outcome, &e.error) {
                    (Outcome::NotDone, client::Error::NotFound { .. }) => {
                        texts::app_gone_before_update(c, &id)
                    }
                    (Outcome::NotDone, _) => {
                        texts::write_not_done(c, "update the OAuth app", &e.error)
                    }
                    (Outcome::Unknown, _) => texts::update_outcome_unknown(&e.error),
                    (Outcome::Done { .. }, _) => texts::update_answer_unusable(&e.error),
                }
                .into(),
            ),
        }
    }

    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return d.into(),
        };
        let id = string_of(&App::from_value(&request.prior_state).id);
        // Never "deleted" without asking Writer.
        if !client::can_name(&id) {
            return texts::state_without_id(self.connector, &id).into();
        }
        match api.client.delete_app(&id).await {
            Ok(()) => Diagnostics::new(),
            Err(e) => match e.outcome {
                Outcome::NotDone => {
                    texts::write_not_done(self.connector, "delete the OAuth app", &e.error)
                }
                // A delete's answer is never read, so never `Done`.
                Outcome::Unknown | Outcome::Done { .. } => texts::delete_outcome_unknown(&e.error),
            }
            .into(),
        }
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let id = request.id.as_str();
        let fail = |d: Diagnostic| ImportResponse {
            state: Value::Null,
            private: Vec::new(),
            diagnostics: d.into(),
        };
        let api = match self.shared.api(&request.cancel) {
            Ok(api) => api,
            Err(d) => return fail(d),
        };
        let lookup = match id.strip_prefix("name=") {
            Some(name) => Lookup::Name(name),
            None => Lookup::Id(id),
        };
        let app = match find_app(&api, self.connector, lookup).await {
            Ok(app) => app,
            Err(d) => return fail(d),
        };
        // Only the ID: the read that Terraform runs next fills in the rest.
        let mut state = App::filled(Value::Null);
        state.id = Value::String(app.id);
        ImportResponse {
            state: state.to_value(),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }
}
