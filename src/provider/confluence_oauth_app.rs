//! `writer_confluence_oauth_app`: a self-managed OAuth app in Writer through
//! which Knowledge Graph syncs Confluence. Read in order: schema, validate,
//! plan, create, read, update, delete, import.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use crate::client::{CreateApp, OAuthApp, Secret, UpdateApp};
use crate::domain::{self, AppUrl};
use crate::tfplugin::diag::{Diagnostic, Diagnostics};
use crate::tfplugin::path::AttributePath;
use crate::tfplugin::schema::{Attribute, Block, Schema};
use crate::tfplugin::value::{Type, Value};
use crate::tfplugin::{
    ApplyRequest, ApplyResponse, ImportResponse, PlanRequest, PlanResponse, ReadRequest,
    ReadResponse, Resource,
};

use super::lookup::{find_app, Lookup, CONNECTOR};
use super::state::Private;
use super::{texts, Shared};

pub(crate) const TYPE_NAME: &str = "writer_confluence_oauth_app";

pub(crate) struct ConfluenceOAuthApp {
    shared: Arc<Shared>,
}

impl ConfluenceOAuthApp {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

fn strings() -> Type {
    Type::Set(Box::new(Type::String))
}

pub(crate) fn schema() -> Schema {
    let required = domain::REQUIRED_SCOPES
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Schema::new(
        Block::new(
            "A self-managed Confluence OAuth app in Writer (Admin > OAuth apps), through which \
             Knowledge Graph syncs Confluence. It mirrors an OAuth 2.0 (3LO) app that you create in \
             Atlassian's developer console: this resource holds its name, client ID and secret, and \
             checks at plan time that the Atlassian side is set up the way Writer needs (callback URL \
             and scopes). Every attribute updates in place; nothing forces replacement.",
        )
        .attribute(Attribute::computed("id", Type::String).description(
            "The app's ID in Writer. Use it to import the app, or to look it up with the \
             `writer_confluence_oauth_app` data source.",
        ))
        .attribute(Attribute::required("name", Type::String).description(
            "The app's name in Writer: 1 to 128 characters, no surrounding spaces, unique among \
             Confluence apps in your organization (ignoring case). Changing it renames the app in place.",
        ))
        .attribute(Attribute::required("client_id", Type::String).description(
            "The Client ID of the Atlassian OAuth 2.0 (3LO) app (developer console > your app > \
             Settings): 1 to 256 characters, no spaces. Changing it updates the app in place; set the \
             matching secret in the same change.",
        ))
        .attribute(Attribute::optional("client_secret", Type::String).sensitive().description(
            "The Secret of the Atlassian app, stored in Terraform state (marked sensitive). Prefer \
             `client_secret_wo`, which is never stored. Exactly one of the two must be set. Sent to \
             Writer only when it changes. If someone sets another secret in Writer, the next plan \
             shows an update that restores this one.",
        ))
        .attribute(Attribute::optional("client_secret_wo", Type::String).sensitive().write_only().description(
            "The Secret of the Atlassian app, write-only: sent to Writer but never stored in plan or \
             state (Terraform 1.11 or newer). Requires `client_secret_wo_version`; Terraform cannot see \
             a write-only value change, so the secret is sent on create and whenever the version \
             changes. 1 to 512 characters.",
        ))
        .attribute(Attribute::optional("client_secret_wo_version", Type::Number).description(
            "The version of `client_secret_wo`, a whole number of your choosing (start at 1). Increase \
             it to send a new secret (rotation). If the secret is changed in Writer outside Terraform, \
             the next plan shows this version as changed, and applying sends the configured secret \
             again.",
        ))
        .attribute(Attribute::optional_computed("callback_url", Type::String).description(
            "The Callback URL configured on the Atlassian app (developer console > your app > \
             Authorization > OAuth 2.0 (3LO)). Writer accepts exactly one: the provider's `app_url` \
             followed by `/connector/confluence`, by default \
             `https://app.writer.com/connector/confluence`, which is also the default here. Plans fail \
             on the usual mistakes (http, a trailing slash, another host or connector, a query, upper \
             case) and say the exact URL to use.",
        ))
        .attribute(Attribute::optional_computed("scopes", strings()).description(format!(
            "The scopes granted to the Atlassian app (developer console > your app > Permissions), a \
             set: order does not matter. Must include {required}; that is also the default, and all \
             Writer needs. Plans fail on a missing scope, a malformed one, or a near miss of a known \
             scope (with the likely intended one); they warn about unknown scopes and about write, \
             delete and other products' scopes, which Writer does not need."
        )))
        .attribute(Attribute::computed("client_secret_hint", Type::String).description(
            "Writer's hint of the secret it holds: `…` and its last four characters. Compare it with \
             the Atlassian console to see which secret Writer has.",
        ))
        .attribute(Attribute::computed("client_secret_updated_at", Type::String).description(
            "When the secret was last set in Writer (RFC 3339, UTC), by Terraform or anyone else.",
        ))
        .attribute(Attribute::computed("created_at", Type::String).description(
            "When the app was created in Writer (RFC 3339, UTC).",
        ))
        .attribute(Attribute::computed("updated_at", Type::String).description(
            "When the app was last changed in Writer (RFC 3339, UTC).",
        ))
        .attribute(Attribute::computed("authorization_url", Type::String).description(
            "The Atlassian consent URL for this app (`https://auth.atlassian.com/authorize` with \
             `audience=api.atlassian.com`, the client ID, the scopes, the callback URL, \
             `response_type=code` and `prompt=consent`), handy to test the Atlassian side by hand. It \
             has no `state` parameter: add your own when you use it.",
        )),
    )
}

/// How much of a configuration to judge: everything at validation, only
/// errors later (warnings were already shown once).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Judge {
    All,
    ErrorsOnly,
}

/// The configuration's own rules, judged on known values only. Run at
/// validation, again at plan (values now known) and before each API call.
fn check_config(config: &Value, app_url: Option<&AppUrl>, judge: Judge) -> Diagnostics {
    let mut d = Diagnostics::new();
    if let Some(name) = config.get("name").as_str() {
        let trimmed = name.trim();
        if trimmed.is_empty() || trimmed.chars().count() > 128 {
            d.push(texts::bad_text(
                "name",
                &format!("the name has {} characters", trimmed.chars().count()),
                "Use 1 to 128 characters.",
            ));
        } else if trimmed != name {
            d.push(texts::bad_text(
                "name",
                &format!("{name:?} has spaces around it"),
                &format!("Writer trims names; write {trimmed:?}."),
            ));
        }
    }
    if let Some(id) = config.get("client_id").as_str() {
        if id.is_empty() || id.chars().count() > 256 || id.chars().any(char::is_whitespace) {
            d.push(texts::bad_text(
                "client_id",
                &format!("{id:?} is not an Atlassian client ID"),
                "Copy the Client ID from the app's Settings page in Atlassian's developer console: 1 to \
                 256 characters, no spaces.",
            ));
        }
    }
    check_secrets(config, &mut d);
    if let (Some(url), Some(app)) = (config.get("callback_url").as_str(), app_url) {
        for f in domain::check_callback_url(url, app) {
            d.push(texts::finding(f, AttributePath::attribute("callback_url")));
        }
    }
    let scopes = config.get("scopes");
    if !scopes.is_null() && scopes.is_known() {
        let names: Vec<&str> = scopes.elements().iter().filter_map(Value::as_str).collect();
        for f in domain::check_scopes(&names) {
            d.push(texts::finding(f, AttributePath::attribute("scopes")));
        }
    }
    if judge == Judge::ErrorsOnly {
        d = d.into_iter().filter(Diagnostic::is_error).collect();
    }
    d
}

fn check_secrets(config: &Value, d: &mut Diagnostics) {
    let secret = config.get("client_secret");
    let wo = config.get("client_secret_wo");
    let version = config.get("client_secret_wo_version");
    match (secret.is_null(), wo.is_null()) {
        (true, true) => d.push(texts::set_one_secret()),
        (false, false) => d.push(texts::two_secrets()),
        _ => {}
    }
    if !wo.is_null() && version.is_null() {
        d.push(texts::version_needed());
    }
    if wo.is_null() && !version.is_null() && secret.is_known() {
        d.push(texts::version_without_secret());
    }
    if let Value::Number(n) = version {
        if n.as_i64().is_none_or(|v| v < 1) {
            d.push(texts::bad_version(&n.to_string()));
        }
    }
    for (attribute, value) in [("client_secret", secret), ("client_secret_wo", wo)] {
        if let Some(s) = value.as_str() {
            // The secret itself never appears in a message.
            if s.is_empty() || s.chars().count() > 512 {
                d.push(texts::bad_text(
                    attribute,
                    "the secret must have 1 to 512 characters",
                    "Copy the Secret from the app's Settings page in Atlassian's developer console.",
                ));
            } else if s.trim() != s {
                d.push(texts::bad_text(
                    attribute,
                    "the secret has spaces or a line break at its start or end",
                    "That usually comes from copying; remove them (trimspace() in HCL).",
                ));
            }
        }
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
    if !scopes.is_known() || scopes.is_null() {
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
        .is_none_or(|v| !v.is_known() || v.is_null())
    {
        m.insert(
            "callback_url".into(),
            Value::String(app.callback_url.clone()),
        );
    }
    let mut state = Value::Object(m);
    let url = authorization_url(&state);
    if let Value::Object(m) = &mut state {
        m.insert("authorization_url".into(), url);
    }
    state
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
                || !same_set(prior.get("scopes"), planned.get("scopes"));
            if !remote {
                m.insert("updated_at".into(), prior.get("updated_at").clone());
            }
        }
        let url = authorization_url(&Value::Object(m.clone()));
        m.insert("authorization_url".into(), url);
        PlanResponse {
            planned_state: Value::Object(m),
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
                let private = Private {
                    secret_updated_at: Some(created.value.client_secret_updated_at.clone()),
                    etag: created.etag.clone(),
                };
                tracing::info!(id = %created.value.id, "created Confluence OAuth app");
                ApplyResponse {
                    new_state: state_from(&created.value, planned),
                    private: private.encode(),
                    diagnostics: Diagnostics::new(),
                }
            }
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
        let mut private = Private::decode(&request.planned_private);
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
            scopes: (!same_set(prior.get("scopes"), planned.get("scopes")))
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
                if !v.is_known() {
                    *v = prior.get(k).clone();
                }
            }
            let mut state = Value::Object(m);
            let url = authorization_url(&state);
            if let Value::Object(m) = &mut state {
                m.insert("authorization_url".into(), url);
            }
            return ApplyResponse {
                new_state: state,
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
            Ok(updated) => {
                if send_secret || private.secret_updated_at.is_none() {
                    private.secret_updated_at =
                        Some(updated.value.client_secret_updated_at.clone());
                }
                private.etag = updated.etag.clone();
                ApplyResponse {
                    new_state: state_from(&updated.value, planned),
                    private: private.encode(),
                    diagnostics: Diagnostics::new(),
                }
            }
            Err(e) => fail(texts::api_error("update the OAuth app", &e).into()),
        }
    }

    async fn delete(&self, request: ApplyRequest) -> Diagnostics {
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

    async fn import(&self, id: &str) -> ImportResponse {
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

fn same_set(a: &Value, b: &Value) -> bool {
    let mut x = strings_of(a);
    let mut y = strings_of(b);
    x.sort();
    y.sort();
    x == y && a.is_null() == b.is_null()
}
