//! Identity (6.9) and list resources (6.10) through the server, with a
//! provider whose resource can misbehave on purpose: identities are derived
//! from state and sent on every call, old state gets one, a changed or
//! unknown identity names the attribute, imports by identity need their
//! required attributes, and a list streams identities (and states when
//! asked), stops at `limit`, and reports filter problems under `config`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use futures_util::StreamExt as _;
use tonic::Request;

use super::diag::{Diagnostic, Diagnostics};
use super::identity::{IdentityAttribute, IdentitySchema};
use super::interface::*;
use super::list::{ListRequest, ListResource, ListResults};
use super::path::AttributePath;
use super::proto::tfplugin6 as pb;
use super::proto::tfplugin6::provider_server::Provider as _;
use super::schema::{Attribute, Block, Schema};
use super::server::ProviderService;
use super::value::{self, Type, Value};

const TYPE: &str = "test_thing";

fn schema() -> Schema {
    Schema::new(
        Block::new("test")
            .attribute(Attribute::computed("id", Type::String).description("id"))
            .attribute(Attribute::required("name", Type::String).description("name"))
            .attribute(
                Attribute::optional("secret_wo", Type::String)
                    .write_only()
                    .description("s"),
            ),
    )
}

fn identity_schema() -> IdentitySchema {
    IdentitySchema::new(vec![IdentityAttribute::required_for_import(
        "id",
        Type::String,
    )
    .description("The thing's ID.")])
}

fn thing(id: Value, name: &str) -> Value {
    Value::object([
        ("id", id),
        ("name", Value::string(name)),
        ("secret_wo", Value::Null),
    ])
}

/// `name` says how to misbehave: "flip" changes the ID on read and update,
/// "forget" plans the ID of an update unknown.
struct Thing;

#[async_trait]
impl Resource for Thing {
    fn type_name(&self) -> &'static str {
        TYPE
    }
    fn schema(&self) -> Schema {
        schema()
    }
    fn identity(&self) -> Option<IdentitySchema> {
        Some(identity_schema())
    }
    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let mut planned = request.planned_state.clone();
        if request.config.get("name").as_str() == Some("forget") {
            if let Value::Object(m) = &mut planned {
                m.insert("id".into(), Value::Unknown);
            }
        } else if !request.prior_state.is_null() {
            if let Value::Object(m) = &mut planned {
                m.insert("id".into(), request.prior_state.get("id").clone());
            }
        }
        PlanResponse::from_request(PlanRequest {
            planned_state: planned,
            ..request
        })
    }
    async fn create(&self, request: ApplyRequest) -> ApplyResponse {
        let name = request
            .planned_state
            .get("name")
            .as_str()
            .unwrap_or_default();
        ApplyResponse {
            new_state: thing(Value::string("thing-1"), name),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }
    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let state = request.current_state;
        let new_state = if state.get("name").as_str() == Some("flip") {
            thing(Value::string("thing-other"), "flip")
        } else {
            state
        };
        ReadResponse {
            new_state,
            private: request.private,
            diagnostics: Diagnostics::new(),
        }
    }
    async fn update(&self, request: ApplyRequest) -> ApplyResponse {
        ApplyResponse {
            new_state: request.planned_state,
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }
    async fn delete(&self, _request: DeleteRequest) -> Diagnostics {
        Diagnostics::new()
    }
    async fn import(&self, request: ImportRequest) -> ImportResponse {
        ImportResponse {
            state: thing(Value::string(request.id), "imported"),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }
}

/// Five things; counts what it pushed, to see that it stops at the limit.
struct Things {
    pushed: Arc<AtomicUsize>,
}

#[async_trait]
impl ListResource for Things {
    fn type_name(&self) -> &'static str {
        TYPE
    }
    fn schema(&self) -> Schema {
        Schema::new(
            Block::new("filter")
                .attribute(Attribute::optional("name", Type::String).description("n")),
        )
    }
    async fn validate(&self, config: &Value) -> Diagnostics {
        if config.get("name").as_str() == Some("") {
            return Diagnostic::error("empty", "set a name")
                .at(AttributePath::attribute("name"))
                .into();
        }
        Diagnostics::new()
    }
    async fn list(&self, request: ListRequest, mut results: ListResults) -> Diagnostics {
        for i in 1..=5 {
            let name = format!("thing {i}");
            if let Some(wanted) = request.config.get("name").as_str() {
                if wanted != name {
                    continue;
                }
            }
            let mut state = thing(Value::string(format!("thing-{i}")), &name);
            if let Value::Object(m) = &mut state {
                // Tries to leak a write-only value.
                m.insert("secret_wo".into(), Value::string("fake-secret-0001"));
            }
            self.pushed.fetch_add(1, Ordering::SeqCst);
            if !results.push(name, state) {
                break;
            }
        }
        Diagnostic::warning("listed", "all of them").into()
    }
}

struct TestProvider {
    pushed: Arc<AtomicUsize>,
    with_identity: bool,
}

/// The same resource without an identity: a list of it is a provider bug.
struct NoIdentity;

#[async_trait]
impl Resource for NoIdentity {
    fn type_name(&self) -> &'static str {
        TYPE
    }
    fn schema(&self) -> Schema {
        schema()
    }
    async fn create(&self, r: ApplyRequest) -> ApplyResponse {
        Thing.create(r).await
    }
    async fn read(&self, r: ReadRequest) -> ReadResponse {
        Thing.read(r).await
    }
    async fn update(&self, r: ApplyRequest) -> ApplyResponse {
        Thing.update(r).await
    }
    async fn delete(&self, r: DeleteRequest) -> Diagnostics {
        Thing.delete(r).await
    }
    async fn import(&self, r: ImportRequest) -> ImportResponse {
        Thing.import(r).await
    }
}

#[async_trait]
impl Provider for TestProvider {
    fn schema(&self) -> Schema {
        Schema::new(Block::new("p"))
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        if self.with_identity {
            vec![Arc::new(Thing)]
        } else {
            vec![Arc::new(NoIdentity)]
        }
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![Arc::new(Things {
            pushed: self.pushed.clone(),
        })]
    }
    async fn configure(&self, _request: ConfigureRequest) -> Diagnostics {
        Diagnostics::new()
    }
}

fn service_with(with_identity: bool) -> (ProviderService, Arc<AtomicUsize>) {
    let pushed = Arc::new(AtomicUsize::new(0));
    let p = TestProvider {
        pushed: pushed.clone(),
        with_identity,
    };
    let stop_calls = tokio_util::sync::CancellationToken::new();
    (ProviderService::for_tests(Arc::new(p), stop_calls), pushed)
}

fn service() -> ProviderService {
    service_with(true).0
}

fn dv(v: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: value::encode_msgpack(v, ty).unwrap(),
        json: Vec::new(),
    })
}

fn state_dv(v: &Value) -> Option<pb::DynamicValue> {
    dv(v, &schema().value_type())
}

fn id_type() -> Type {
    identity_schema().value_type()
}

fn identity(id: Value) -> Value {
    Value::object([("id", id)])
}

fn identity_data(v: &Value) -> Option<pb::ResourceIdentityData> {
    Some(pb::ResourceIdentityData {
        identity_data: dv(v, &id_type()),
    })
}

fn decoded_identity(data: Option<pb::ResourceIdentityData>) -> Value {
    let data = data.expect("an identity");
    value::decode_msgpack(&data.identity_data.unwrap().msgpack, &id_type()).unwrap()
}

fn summaries(d: &[pb::Diagnostic]) -> Vec<String> {
    d.iter().map(|d| d.summary.clone()).collect()
}

fn steps(d: &pb::Diagnostic) -> Vec<String> {
    use pb::attribute_path::step::Selector;
    d.attribute
        .as_ref()
        .map(|p| {
            p.steps
                .iter()
                .filter_map(|s| match &s.selector {
                    Some(Selector::AttributeName(n)) => Some(n.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn identity_schemas_are_announced_and_never_an_error() {
    let s = service();
    let ids = s
        .get_resource_identity_schemas(Request::new(pb::get_resource_identity_schemas::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert!(ids.diagnostics.is_empty());
    let attrs = &ids.identity_schemas[TYPE].identity_attributes;
    assert_eq!(attrs.len(), 1);
    assert_eq!(attrs[0].name, "id");
    assert!(attrs[0].required_for_import);
    let schema = s
        .get_provider_schema(Request::new(pb::get_provider_schema::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert!(schema.diagnostics.is_empty(), "{:?}", schema.diagnostics);
    let filter = schema.list_resource_schemas[TYPE].block.as_ref().unwrap();
    assert_eq!(filter.attributes[0].name, "name");
    let meta = s
        .get_metadata(Request::new(pb::get_metadata::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(meta.list_resources[0].type_name, TYPE);
}

#[tokio::test]
async fn a_list_without_an_identity_is_a_schema_error_not_an_identity_error() {
    let (s, _) = service_with(false);
    let ids = s
        .get_resource_identity_schemas(Request::new(pb::get_resource_identity_schemas::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert!(ids.diagnostics.is_empty() && ids.identity_schemas.is_empty());
    let schema = s
        .get_provider_schema(Request::new(pb::get_provider_schema::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        summaries(&schema.diagnostics),
        vec![format!(
            "List resource {TYPE} has no managed resource with an identity"
        )]
    );
}

async fn read(state: &Value, prior: Option<&Value>) -> pb::read_resource::Response {
    service()
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: TYPE.into(),
            current_state: state_dv(state),
            current_identity: prior.and_then(identity_data),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn read_backfills_the_identity_of_old_state_and_keeps_it_after() {
    let state = thing(Value::string("thing-7"), "seven");
    let first = read(&state, None).await;
    assert!(first.diagnostics.is_empty(), "{:?}", first.diagnostics);
    let id = decoded_identity(first.new_identity);
    assert_eq!(id, identity(Value::string("thing-7")));
    let again = read(&state, Some(&id)).await;
    assert_eq!(decoded_identity(again.new_identity), id);
}

#[tokio::test]
async fn a_read_that_changes_the_identity_is_refused_and_keeps_the_state() {
    let state = thing(Value::string("thing-7"), "flip");
    let prior = identity(Value::string("thing-7"));
    let out = read(&state, Some(&prior)).await;
    assert_eq!(
        summaries(&out.diagnostics),
        vec!["Provider changed identity attribute `id` in read".to_string()]
    );
    assert_eq!(steps(&out.diagnostics[0]), vec!["id"]);
    assert_eq!(out.new_state, state_dv(&state), "the stored object stands");
    assert_eq!(decoded_identity(out.new_identity), prior);
}

async fn plan(
    prior: &Value,
    name: &str,
    prior_identity: Option<&Value>,
) -> pb::plan_resource_change::Response {
    let config = thing(Value::Null, name);
    let proposed = if prior.is_null() {
        config.clone()
    } else {
        thing(prior.get("id").clone(), name)
    };
    service()
        .plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: TYPE.into(),
            prior_state: state_dv(prior),
            proposed_new_state: state_dv(&proposed),
            config: state_dv(&config),
            prior_identity: prior_identity.and_then(identity_data),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn plans_carry_no_identity_on_create_and_an_unchanged_one_on_update() {
    let create = plan(&Value::Null, "new", None).await;
    assert!(create.diagnostics.is_empty(), "{:?}", create.diagnostics);
    assert!(create.planned_state.is_some());
    assert_eq!(create.planned_identity, None, "its ID is not known yet");

    let prior = thing(Value::string("thing-1"), "old");
    let id = identity(Value::string("thing-1"));
    let update = plan(&prior, "renamed", Some(&id)).await;
    assert!(update.diagnostics.is_empty(), "{:?}", update.diagnostics);
    assert_eq!(decoded_identity(update.planned_identity), id);

    let backfill = plan(&prior, "renamed", None).await;
    assert_eq!(decoded_identity(backfill.planned_identity), id);

    let broken = plan(&prior, "forget", Some(&id)).await;
    assert!(broken.planned_state.is_none());
    assert_eq!(
        summaries(&broken.diagnostics),
        vec!["Provider left identity attribute `id` unknown after plan of an update".to_string()]
    );
}

#[tokio::test]
async fn apply_returns_the_known_identity_of_a_new_object() {
    let planned = thing(Value::Unknown, "new");
    let out = service()
        .apply_resource_change(Request::new(pb::apply_resource_change::Request {
            type_name: TYPE.into(),
            prior_state: state_dv(&Value::Null),
            planned_state: state_dv(&planned),
            config: state_dv(&thing(Value::Null, "new")),
            planned_identity: identity_data(&identity(Value::Unknown)),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(
        decoded_identity(out.new_identity),
        identity(Value::string("thing-1"))
    );
}

async fn import_by_identity(id: &Value) -> pb::import_resource_state::Response {
    service()
        .import_resource_state(Request::new(pb::import_resource_state::Request {
            type_name: TYPE.into(),
            identity: identity_data(id),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn import_by_identity_starts_from_the_identity_and_returns_it() {
    let id = identity(Value::string("thing-3"));
    let out = import_by_identity(&id).await;
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let imported = &out.imported_resources[0];
    let state = value::decode_msgpack(
        &imported.state.as_ref().unwrap().msgpack,
        &schema().value_type(),
    )
    .unwrap();
    let expected = Value::object([
        ("id", Value::string("thing-3")),
        ("name", Value::Null),
        ("secret_wo", Value::Null),
    ]);
    assert_eq!(
        state, expected,
        "only the identity; the read fills in the rest"
    );
    assert_eq!(decoded_identity(imported.identity.clone()), id);

    let missing = import_by_identity(&identity(Value::Null)).await;
    assert!(missing.imported_resources.is_empty());
    assert_eq!(
        summaries(&missing.diagnostics),
        vec!["The import identity needs `id`".to_string()]
    );
    assert_eq!(steps(&missing.diagnostics[0]), vec!["identity", "id"]);
}

#[tokio::test]
async fn import_by_id_returns_the_identity_too() {
    let out = service()
        .import_resource_state(Request::new(pb::import_resource_state::Request {
            type_name: TYPE.into(),
            id: "thing-4".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        decoded_identity(out.imported_resources[0].identity.clone()),
        identity(Value::string("thing-4"))
    );
}

#[tokio::test]
async fn stored_identities_upgrade_from_json_and_newer_versions_are_refused() {
    let s = service();
    let upgrade = |version| {
        s.upgrade_resource_identity(Request::new(pb::upgrade_resource_identity::Request {
            type_name: TYPE.into(),
            version,
            raw_identity: Some(pb::RawState {
                json: br#"{"id":"thing-9"}"#.to_vec(),
                ..Default::default()
            }),
        }))
    };
    let out = upgrade(0).await.unwrap().into_inner();
    assert!(out.diagnostics.is_empty());
    assert_eq!(
        decoded_identity(out.upgraded_identity),
        identity(Value::string("thing-9"))
    );
    let newer = upgrade(3).await.unwrap().into_inner();
    assert!(newer.upgraded_identity.is_none());
    assert_eq!(
        summaries(&newer.diagnostics),
        vec!["Identity was written by a newer version of this provider".to_string()]
    );
}

fn filter(name: Option<&str>) -> Option<pb::DynamicValue> {
    let ty = Type::object([("name", Type::String)]);
    let v = Value::object([("name", name.map_or(Value::Null, Value::string))]);
    dv(&v, &ty)
}

async fn list(
    s: &ProviderService,
    name: Option<&str>,
    limit: i64,
    include: bool,
) -> Vec<pb::list_resource::Event> {
    let stream = s
        .list_resource(Request::new(pb::list_resource::Request {
            type_name: TYPE.into(),
            config: filter(name),
            include_resource_object: include,
            limit,
        }))
        .await
        .unwrap()
        .into_inner();
    stream.map(|e| e.unwrap()).collect().await
}

#[tokio::test]
async fn a_list_streams_identities_and_display_names_then_its_warnings() {
    let s = service();
    let events = list(&s, None, 100, false).await;
    assert_eq!(events.len(), 6, "five things and the final warning");
    for (i, e) in events[..5].iter().enumerate() {
        assert_eq!(e.display_name, format!("thing {}", i + 1));
        assert_eq!(
            decoded_identity(e.identity.clone()),
            identity(Value::string(format!("thing-{}", i + 1)))
        );
        assert!(e.resource_object.is_none(), "not asked for");
        assert!(e.diagnostic.is_empty());
    }
    assert!(events[5].identity.is_none());
    assert_eq!(summaries(&events[5].diagnostic), vec!["listed".to_string()]);

    let filtered = list(&s, Some("thing 2"), 100, false).await;
    assert_eq!(filtered[0].display_name, "thing 2");
    assert_eq!(filtered.len(), 2);
}

#[tokio::test]
async fn a_list_sends_states_when_asked_without_write_only_values() {
    let events = list(&service(), Some("thing 3"), 100, true).await;
    let object = events[0].resource_object.as_ref().expect("asked for");
    let state = value::decode_msgpack(&object.msgpack, &schema().value_type()).unwrap();
    assert_eq!(state.get("name"), &Value::string("thing 3"));
    assert_eq!(state.get("secret_wo"), &Value::Null);
}

#[tokio::test]
async fn a_list_stops_the_provider_at_the_limit() {
    let (s, pushed) = service_with(true);
    let events = list(&s, None, 2, false).await;
    let found: Vec<_> = events.iter().filter(|e| e.identity.is_some()).collect();
    assert_eq!(found.len(), 2);
    assert_eq!(pushed.load(Ordering::SeqCst), 2, "no third thing fetched");
}

#[tokio::test]
async fn filter_problems_point_into_the_config_block() {
    let out = service()
        .validate_list_resource_config(Request::new(pb::validate_list_resource_config::Request {
            type_name: TYPE.into(),
            config: filter(Some("")),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(summaries(&out.diagnostics), vec!["empty".to_string()]);
    assert_eq!(steps(&out.diagnostics[0]), vec!["config", "name"]);
}
