//! Provider functions through the gRPC service: GetFunctions,
//! GetProviderSchema and GetMetadata describe the same functions, and
//! CallFunction decodes arguments, calls, and encodes the result or a
//! function error that names the argument, on a provider never configured.

use std::sync::Arc;

use async_trait::async_trait;
use tonic::Request;

use super::diag::Diagnostics;
use super::function::{Function, FunctionError, Parameter, Signature};
use super::interface::*;
use super::proto::tfplugin6 as pb;
use super::proto::tfplugin6::provider_server::Provider as _;
use super::schema::{Block, Schema};
use super::server::ProviderService;
use super::value::{self, Type, Value};

struct Repeat;

impl Function for Repeat {
    fn name(&self) -> &'static str {
        "repeat"
    }

    fn signature(&self) -> Signature {
        Signature {
            summary: "Repeats a text".into(),
            description: "`repeat(\"ab\", 2)` is `\"abab\"`.".into(),
            parameters: vec![
                Parameter::new("text", Type::String, "The text."),
                Parameter::new("times", Type::Number, "How many times, 0 to 10."),
            ],
            returns: Type::String,
        }
    }

    fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError> {
        let text = arguments[0].as_str().unwrap_or_default();
        match arguments[1].as_number().and_then(|n| n.as_i64()) {
            Some(n @ 0..=10) => Ok(Value::string(text.repeat(n as usize))),
            _ => Err(FunctionError::argument(1, "times must be 0 to 10.")),
        }
    }
}

/// A provider with one function and nothing else; `configure` is never called.
struct OnlyFunctions;

#[async_trait]
impl Provider for OnlyFunctions {
    fn schema(&self) -> Schema {
        Schema::new(Block::new("test"))
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        Vec::new()
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
    fn functions(&self) -> Vec<Arc<dyn Function>> {
        vec![Arc::new(Repeat)]
    }
    async fn configure(&self, _request: ConfigureRequest) -> Diagnostics {
        panic!("functions must not need a configured provider")
    }
}

fn service() -> ProviderService {
    ProviderService::for_tests(
        Arc::new(OnlyFunctions),
        tokio_util::sync::CancellationToken::new(),
    )
}

fn msgpack(v: &Value, ty: &Type) -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: value::encode_msgpack(v, ty).expect("encodes"),
        json: Vec::new(),
    }
}

async fn call(args: Vec<pb::DynamicValue>) -> pb::call_function::Response {
    service()
        .call_function(Request::new(pb::call_function::Request {
            name: "repeat".into(),
            arguments: args,
        }))
        .await
        .expect("a response")
        .into_inner()
}

#[tokio::test]
async fn every_listing_describes_the_same_functions() {
    let s = service();
    let listed = s
        .get_functions(Request::new(pb::get_functions::Request {}))
        .await
        .expect("GetFunctions")
        .into_inner()
        .functions;
    let schema = s
        .get_provider_schema(Request::new(pb::get_provider_schema::Request {}))
        .await
        .expect("GetProviderSchema")
        .into_inner()
        .functions;
    let metadata: Vec<String> = s
        .get_metadata(Request::new(pb::get_metadata::Request {}))
        .await
        .expect("GetMetadata")
        .into_inner()
        .functions
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(listed, schema);
    assert_eq!(metadata, ["repeat"]);
    let f = &listed["repeat"];
    assert_eq!(f.summary, "Repeats a text");
    let params: Vec<(&str, &[u8])> = f
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.r#type.as_slice()))
        .collect();
    assert_eq!(
        params,
        [("text", &b"\"string\""[..]), ("times", &b"\"number\""[..])]
    );
    assert!(f
        .parameters
        .iter()
        .all(|p| !p.allow_null_value && !p.allow_unknown_values));
    assert_eq!(
        f.r#return.as_ref().map(|r| r.r#type.as_slice()),
        Some(&b"\"string\""[..])
    );
}

#[tokio::test]
async fn a_call_decodes_its_arguments_and_encodes_its_result() {
    let r = call(vec![
        msgpack(&Value::string("ab"), &Type::String),
        msgpack(&Value::number(2), &Type::Number),
    ])
    .await;
    assert_eq!(r.error, None);
    let result = r.result.expect("a result");
    assert_eq!(
        value::decode_msgpack(&result.msgpack, &Type::String).expect("decodes"),
        Value::string("abab")
    );
}

#[tokio::test]
async fn bad_arguments_are_function_errors_naming_the_argument() {
    let too_many = call(vec![
        msgpack(&Value::string("ab"), &Type::String),
        msgpack(&Value::number(11), &Type::Number),
    ])
    .await;
    assert_eq!(too_many.result, None);
    let e = too_many.error.expect("a function error");
    assert_eq!(e.function_argument, Some(1));
    // Terraform adds the final period itself.
    assert_eq!(e.text, "times must be 0 to 10");

    let null = call(vec![
        msgpack(&Value::Null, &Type::String),
        msgpack(&Value::number(1), &Type::Number),
    ])
    .await;
    assert_eq!(null.error.expect("an error").function_argument, Some(0));

    let garbage = call(vec![
        pb::DynamicValue {
            msgpack: vec![0xc1],
            json: Vec::new(),
        },
        msgpack(&Value::number(1), &Type::Number),
    ])
    .await;
    assert_eq!(garbage.error.expect("an error").function_argument, Some(0));

    let missing = call(Vec::new()).await;
    let e = missing.error.expect("an error");
    assert_eq!(e.function_argument, None);
    assert!(e.text.contains("takes 2 argument(s)"), "{}", e.text);
}

#[tokio::test]
async fn an_unknown_function_is_not_found() {
    let status = service()
        .call_function(Request::new(pb::call_function::Request {
            name: "nope".into(),
            arguments: Vec::new(),
        }))
        .await
        .expect_err("not found");
    assert_eq!(status.code(), tonic::Code::NotFound);
}
