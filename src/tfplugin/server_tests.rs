//! The server's own guarantees, with a provider that misbehaves on purpose:
//! a panic becomes an error diagnostic and the server keeps serving; a plan
//! that contradicts the configuration, or unknowns left after apply, become
//! diagnostics naming the attribute (an apply's state is kept, unknowns
//! null); write-only values never come back;
//! StopProvider cancels the handle of every call.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use tonic::Request;

use super::diag::Diagnostics;
use super::interface::*;
use super::proto::tfplugin6 as pb;
use super::proto::tfplugin6::provider_server::Provider as _;
use super::schema::{Attribute, Block, Schema};
use super::server::ProviderService;
use super::value::{self, Type, Value};
use tokio_util::sync::CancellationToken;

struct Misbehaving;

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

#[async_trait]
impl Resource for Misbehaving {
    fn type_name(&self) -> &'static str {
        "test_thing"
    }
    fn schema(&self) -> Schema {
        schema()
    }
    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let name = request
            .config
            .get("name")
            .as_str()
            .unwrap_or_default()
            .to_string();
        if name == "panic" {
            panic!("boom in plan");
        }
        let mut planned = request.planned_state;
        if name == "rename" {
            if let Value::Object(m) = &mut planned {
                m.insert("name".into(), Value::string("something else"));
            }
        }
        if let Value::Object(m) = &mut planned {
            // Tries to leak the write-only value into the plan.
            m.insert("secret_wo".into(), request.config.get("secret_wo").clone());
        }
        PlanResponse::from_request(PlanRequest {
            planned_state: planned,
            ..request
        })
    }
    async fn create(&self, request: ApplyRequest) -> ApplyResponse {
        // Leaves `id` unknown and echoes the write-only value.
        let mut m = match request.planned_state {
            Value::Object(m) => m,
            _ => Default::default(),
        };
        m.insert("secret_wo".into(), request.config.get("secret_wo").clone());
        ApplyResponse {
            new_state: Value::Object(m),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }
    async fn read(&self, request: ReadRequest) -> ReadResponse {
        if request.current_state.get("name").as_str() == Some("wait") {
            // Waits on something remote until the provider is stopped.
            request.cancel.cancelled().await;
        }
        ReadResponse {
            new_state: request.current_state,
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
    async fn delete(&self, request: DeleteRequest) -> Diagnostics {
        let mut d = Diagnostics::new();
        if request.private != b"remembered" || request.prior_state.get("name").is_null() {
            d.push(crate::tfplugin::diag::Diagnostic::error(
                "delete got no prior state",
                "",
            ));
        }
        d
    }
    async fn import(&self, _request: ImportRequest) -> ImportResponse {
        unreachable!("not used")
    }
}

#[derive(Default)]
struct TestProvider {
    /// The handle `configure` was given, kept as a provider keeps its client.
    configured: Mutex<Option<CancellationToken>>,
}

#[async_trait]
impl Provider for TestProvider {
    fn schema(&self) -> Schema {
        Schema::new(Block::new("p"))
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(Misbehaving)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
    async fn configure(&self, request: ConfigureRequest) -> Diagnostics {
        *self.configured.lock().unwrap() = Some(request.cancel);
        Diagnostics::new()
    }
}

fn service() -> ProviderService {
    ProviderService::for_tests(Arc::new(TestProvider::default()), CancellationToken::new())
}

fn dv(v: &Value) -> Option<pb::DynamicValue> {
    let ty = schema().value_type();
    Some(pb::DynamicValue {
        msgpack: value::encode_msgpack(v, &ty).expect("encodes"),
        json: Vec::new(),
    })
}

fn config(name: &str) -> Value {
    Value::object([
        ("id", Value::Null),
        ("name", Value::string(name)),
        ("secret_wo", Value::string("fake-secret-0001")),
    ])
}

async fn plan(name: &str) -> pb::plan_resource_change::Response {
    let c = config(name);
    let req = pb::plan_resource_change::Request {
        type_name: "test_thing".into(),
        prior_state: dv(&Value::Null),
        proposed_new_state: dv(&c),
        config: dv(&c),
        ..Default::default()
    };
    service()
        .plan_resource_change(Request::new(req))
        .await
        .expect("a response")
        .into_inner()
}

#[tokio::test]
async fn a_panic_becomes_an_error_diagnostic_and_serving_goes_on() {
    let r = plan("panic").await;
    assert!(r.planned_state.is_none());
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(
        r.diagnostics[0].severity,
        pb::diagnostic::Severity::Error as i32
    );
    assert!(
        r.diagnostics[0].summary.contains("PlanResourceChange"),
        "{:?}",
        r.diagnostics[0]
    );
    assert!(r.diagnostics[0].detail.contains("boom in plan"));
    // The same server answers the next call normally.
    let ok = plan("fine").await;
    assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
}

#[tokio::test]
async fn write_only_values_are_null_in_the_plan() {
    let r = plan("fine").await;
    let planned = value::decode_msgpack(
        &r.planned_state.expect("planned").msgpack,
        &schema().value_type(),
    )
    .expect("decodes");
    assert_eq!(planned.get("secret_wo"), &Value::Null);
    assert_eq!(planned.get("id"), &Value::Unknown);
}

#[tokio::test]
async fn a_plan_that_contradicts_the_config_names_the_attribute() {
    let r = plan("rename").await;
    assert!(r.planned_state.is_none());
    let d = &r.diagnostics[0];
    assert_eq!(d.severity, pb::diagnostic::Severity::Error as i32);
    let step = &d.attribute.as_ref().expect("a path").steps[0];
    assert_eq!(
        step.selector,
        Some(pb::attribute_path::step::Selector::AttributeName(
            "name".into()
        ))
    );
}

#[tokio::test]
async fn unknowns_after_apply_name_the_attribute_and_write_only_stays_null() {
    let c = config("fine");
    let planned = Value::object([
        ("id", Value::Unknown),
        ("name", Value::string("fine")),
        ("secret_wo", Value::Null),
    ]);
    let req = pb::apply_resource_change::Request {
        type_name: "test_thing".into(),
        prior_state: dv(&Value::Null),
        planned_state: dv(&planned),
        config: dv(&c),
        ..Default::default()
    };
    let r = service()
        .apply_resource_change(Request::new(req))
        .await
        .expect("response")
        .into_inner();
    let d = &r.diagnostics[0];
    assert!(d.summary.contains("`id`"), "{d:?}");
    let encoded = format!("{:?}", r.new_state);
    assert!(
        !encoded.contains("fake-secret"),
        "the write-only value never comes back"
    );
    // The object the create made is kept (Terraform taints it, as the
    // diagnostic is an error), its unknowns null: never dropped.
    let state = value::decode_msgpack(
        &r.new_state.expect("a new state").msgpack,
        &schema().value_type(),
    )
    .expect("decodes");
    assert_eq!(
        state,
        Value::object([
            ("id", Value::Null),
            ("name", Value::string("fine")),
            ("secret_wo", Value::Null),
        ])
    );
}

#[tokio::test]
async fn write_only_attributes_are_refused_when_terraform_cannot_handle_them() {
    let c = config("fine");
    let req = pb::validate_resource_config::Request {
        type_name: "test_thing".into(),
        config: dv(&c),
        client_capabilities: Some(pb::ClientCapabilities {
            deferral_allowed: false,
            write_only_attributes_allowed: false,
        }),
    };
    let r = service()
        .validate_resource_config(Request::new(req))
        .await
        .expect("response")
        .into_inner();
    assert_eq!(r.diagnostics.len(), 1);
    assert!(r.diagnostics[0].summary.contains("Terraform 1.11"));
}

#[tokio::test]
async fn an_unknown_type_is_a_grpc_error_not_a_crash() {
    let req = pb::read_resource::Request {
        type_name: "nope".into(),
        ..Default::default()
    };
    let err = service()
        .read_resource(Request::new(req))
        .await
        .expect_err("unknown type");
    assert_eq!(err.code(), tonic::Code::NotFound);
}

#[tokio::test]
async fn stop_provider_cancels_calls_in_flight_and_the_configured_handle() {
    let provider = Arc::new(TestProvider::default());
    let service = Arc::new(ProviderService::for_tests(
        provider.clone(),
        CancellationToken::new(),
    ));
    service
        .configure_provider(Request::new(pb::configure_provider::Request {
            config: Some(pb::DynamicValue {
                msgpack: vec![0x80],
                json: Vec::new(),
            }),
            ..Default::default()
        }))
        .await
        .expect("configured");
    let configured = provider.configured.lock().unwrap().clone().expect("kept");
    let state = Value::object([
        ("id", Value::string("1")),
        ("name", Value::string("wait")),
        ("secret_wo", Value::Null),
    ]);
    let reading = service.clone();
    let read = tokio::spawn(async move {
        let req = pb::read_resource::Request {
            type_name: "test_thing".into(),
            current_state: dv(&state),
            ..Default::default()
        };
        reading.read_resource(Request::new(req)).await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!read.is_finished(), "the read waits for its handle");
    assert!(!configured.is_cancelled());
    let r = service
        .stop_provider(Request::new(pb::stop_provider::Request {}))
        .await
        .expect("a response")
        .into_inner();
    assert_eq!(r.error, "");
    // A guard against hanging, not a timing assertion.
    tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("the read ends once the provider is stopped")
        .expect("no panic")
        .expect("a response");
    assert!(
        configured.is_cancelled(),
        "configure's handle is cancelled too"
    );
}

#[tokio::test]
async fn a_delete_gets_the_prior_state_and_private_and_records_the_object_gone() {
    let prior = Value::object([
        ("id", Value::string("1")),
        ("name", Value::string("fine")),
        ("secret_wo", Value::Null),
    ]);
    let req = pb::apply_resource_change::Request {
        type_name: "test_thing".into(),
        prior_state: dv(&prior),
        planned_state: dv(&Value::Null),
        config: dv(&Value::Null),
        planned_private: b"remembered".to_vec(),
        ..Default::default()
    };
    let r = service()
        .apply_resource_change(Request::new(req))
        .await
        .expect("response")
        .into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let new_state = value::decode_msgpack(
        &r.new_state.expect("a new state").msgpack,
        &schema().value_type(),
    )
    .expect("decodes");
    assert_eq!(new_state, Value::Null);
}
