//! Pins field numbers of `proto/*.proto` through encoded bytes. Terraform
//! only sees numbers, so a renumbered field would compile fine and then fail
//! silently against real Terraform; these tests make it fail here instead.
//!
//! A protobuf tag byte is `(field_number << 3) | wire_type`, with wire type
//! 0 for varints (bool, int64, enum) and 2 for length-delimited fields
//! (bytes, string, messages, maps).

use prost::Message;

use super::plugin;
use super::tfplugin6 as tf;

const VARINT: u8 = 0;
const LEN: u8 = 2;

fn tag(field: u8, wire_type: u8) -> u8 {
    (field << 3) | wire_type
}

#[test]
fn tag_helper_matches_protobuf_spec() {
    // Known values from the protobuf encoding guide: field 1 string = 0x0a,
    // field 2 varint = 0x10.
    assert_eq!(tag(1, LEN), 0x0a);
    assert_eq!(tag(2, VARINT), 0x10);
}

#[test]
fn schema_attribute_sensitive_and_write_only_numbers() {
    let attr = tf::schema::Attribute {
        name: "client_secret".into(),
        sensitive: true,
        write_only: true,
        ..Default::default()
    };
    let mut want = vec![tag(1, LEN), 13];
    want.extend_from_slice(b"client_secret");
    want.extend_from_slice(&[tag(7, VARINT), 1, tag(11, VARINT), 1]);
    assert_eq!(attr.encode_to_vec(), want);
    assert_eq!(tag(11, VARINT), 0x58);
}

#[test]
fn schema_attribute_decodes_every_flag_from_its_number() {
    // Bytes as Terraform would see them: each flag alone, by number.
    type IsSet = fn(&tf::schema::Attribute) -> bool;
    let cases: [(u8, IsSet); 7] = [
        (4, |a| a.required),
        (5, |a| a.optional),
        (6, |a| a.computed),
        (7, |a| a.sensitive),
        (9, |a| a.deprecated),
        (11, |a| a.write_only),
        // description_kind = MARKDOWN (1)
        (8, |a| a.description_kind == tf::StringKind::Markdown as i32),
    ];
    for (field, is_set) in cases {
        let attr = tf::schema::Attribute::decode(&[tag(field, VARINT), 1][..]);
        let attr = attr.unwrap_or_else(|e| panic!("field {field}: {e}"));
        assert!(is_set(&attr), "field {field} did not land where expected");
    }
    let nested = tf::schema::Attribute::decode(&[tag(10, LEN), 0][..]);
    assert!(nested.is_ok_and(|a| a.nested_type.is_some()));
}

#[test]
fn dynamic_value_msgpack_is_1_json_is_2() {
    let msgpack_nil = tf::DynamicValue {
        msgpack: vec![0xc0],
        json: Vec::new(),
    };
    assert_eq!(msgpack_nil.encode_to_vec(), [tag(1, LEN), 1, 0xc0]);

    let json_null = tf::DynamicValue {
        msgpack: Vec::new(),
        json: b"null".to_vec(),
    };
    assert_eq!(
        json_null.encode_to_vec(),
        [tag(2, LEN), 4, b'n', b'u', b'l', b'l']
    );
}

#[test]
fn diagnostic_numbers_and_attribute_path_steps() {
    let diag = tf::Diagnostic {
        severity: tf::diagnostic::Severity::Error as i32,
        summary: "s".into(),
        detail: "d".into(),
        attribute: Some(tf::AttributePath {
            steps: vec![tf::attribute_path::Step {
                selector: Some(tf::attribute_path::step::Selector::AttributeName(
                    "scopes".into(),
                )),
            }],
        }),
    };
    let step = [tag(1, LEN), 6, b's', b'c', b'o', b'p', b'e', b's'];
    let mut path = vec![tag(1, LEN), step.len() as u8];
    path.extend_from_slice(&step);
    let mut want = vec![
        tag(1, VARINT),
        1,
        tag(2, LEN),
        1,
        b's',
        tag(3, LEN),
        1,
        b'd',
    ];
    want.extend_from_slice(&[tag(4, LEN), path.len() as u8]);
    want.extend_from_slice(&path);
    assert_eq!(diag.encode_to_vec(), want);

    assert_eq!(tf::diagnostic::Severity::Warning as i32, 2);
}

#[test]
fn attribute_path_element_keys() {
    use tf::attribute_path::step::Selector;
    let key = tf::attribute_path::Step {
        selector: Some(Selector::ElementKeyString("k".into())),
    };
    assert_eq!(key.encode_to_vec(), [tag(2, LEN), 1, b'k']);
    let index = tf::attribute_path::Step {
        selector: Some(Selector::ElementKeyInt(3)),
    };
    assert_eq!(index.encode_to_vec(), [tag(3, VARINT), 3]);
}

#[test]
fn plan_resource_change_response_numbers() {
    let resp = tf::plan_resource_change::Response {
        requires_replace: vec![tf::AttributePath::default()],
        ..Default::default()
    };
    assert_eq!(resp.encode_to_vec(), [tag(2, LEN), 0]);

    let resp = tf::plan_resource_change::Response {
        planned_state: Some(tf::DynamicValue::default()),
        planned_private: b"p".to_vec(),
        diagnostics: vec![tf::Diagnostic::default()],
        legacy_type_system: true,
        deferred: Some(tf::Deferred {
            reason: tf::deferred::Reason::ResourceConfigUnknown as i32,
        }),
        ..Default::default()
    };
    assert_eq!(
        resp.encode_to_vec(),
        [
            tag(1, LEN),
            0,
            tag(3, LEN),
            1,
            b'p',
            tag(4, LEN),
            0,
            tag(5, VARINT),
            1,
            tag(6, LEN),
            2,
            tag(1, VARINT),
            1,
        ]
    );
}

#[test]
fn client_capabilities_numbers_and_where_terraform_sends_them() {
    let caps = tf::ClientCapabilities {
        deferral_allowed: true,
        write_only_attributes_allowed: true,
    };
    assert_eq!(caps.encode_to_vec(), [tag(1, VARINT), 1, tag(2, VARINT), 1]);

    // write_only_attributes_allowed only, as Terraform 1.11 sends it.
    let caps_bytes = [tag(2, VARINT), 1];
    let mut validate = vec![tag(3, LEN), caps_bytes.len() as u8];
    validate.extend_from_slice(&caps_bytes);
    let req = tf::validate_resource_config::Request::decode(&validate[..]);
    assert!(req.is_ok_and(|r| r
        .client_capabilities
        .is_some_and(|c| c.write_only_attributes_allowed && !c.deferral_allowed)));

    let mut plan = vec![tag(7, LEN), caps_bytes.len() as u8];
    plan.extend_from_slice(&caps_bytes);
    let req = tf::plan_resource_change::Request::decode(&plan[..]);
    assert!(req.is_ok_and(|r| r.client_capabilities.is_some()));
}

#[test]
fn plan_and_apply_request_numbers() {
    let dv = |b: u8| tf::DynamicValue {
        msgpack: vec![b],
        json: Vec::new(),
    };
    let plan = tf::plan_resource_change::Request {
        type_name: "t".into(),
        prior_state: Some(dv(1)),
        proposed_new_state: Some(dv(2)),
        config: Some(dv(3)),
        prior_private: vec![4],
        provider_meta: Some(dv(5)),
        client_capabilities: None,
        prior_identity: None,
    };
    let mut want = vec![tag(1, LEN), 1, b't'];
    for (field, byte) in [(2, 1), (3, 2), (4, 3)] {
        want.extend_from_slice(&[tag(field, LEN), 3, tag(1, LEN), 1, byte]);
    }
    want.extend_from_slice(&[tag(5, LEN), 1, 4]);
    want.extend_from_slice(&[tag(6, LEN), 3, tag(1, LEN), 1, 5]);
    assert_eq!(plan.encode_to_vec(), want);

    let apply = tf::apply_resource_change::Response {
        new_state: None,
        private: vec![9],
        diagnostics: vec![tf::Diagnostic::default()],
        legacy_type_system: false,
        new_identity: None,
    };
    assert_eq!(apply.encode_to_vec(), [tag(2, LEN), 1, 9, tag(3, LEN), 0]);
}

#[test]
fn get_provider_schema_response_numbers() {
    let resp = tf::get_provider_schema::Response {
        provider: Some(tf::Schema::default()),
        diagnostics: vec![tf::Diagnostic::default()],
        provider_meta: Some(tf::Schema::default()),
        server_capabilities: Some(tf::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: true,
            move_resource_state: true,
            generate_resource_config: false,
        }),
        ..Default::default()
    };
    assert_eq!(
        resp.encode_to_vec(),
        [
            tag(1, LEN),
            0,
            tag(4, LEN),
            0,
            tag(5, LEN),
            0,
            tag(6, LEN),
            6,
            tag(1, VARINT),
            1,
            tag(2, VARINT),
            1,
            tag(3, VARINT),
            1,
        ]
    );

    // Map entries are messages {key = 1, value = 2} under the map's number.
    let only = |resp: tf::get_provider_schema::Response| resp.encode_to_vec()[0];
    let one = || {
        [("r".to_string(), tf::Schema::default())]
            .into_iter()
            .collect()
    };
    let functions = [("f".to_string(), tf::Function::default())]
        .into_iter()
        .collect();
    assert_eq!(
        only(tf::get_provider_schema::Response {
            resource_schemas: one(),
            ..Default::default()
        }),
        tag(2, LEN)
    );
    assert_eq!(
        only(tf::get_provider_schema::Response {
            data_source_schemas: one(),
            ..Default::default()
        }),
        tag(3, LEN)
    );
    assert_eq!(
        only(tf::get_provider_schema::Response {
            functions,
            ..Default::default()
        }),
        tag(7, LEN)
    );
    assert_eq!(
        only(tf::get_provider_schema::Response {
            ephemeral_resource_schemas: one(),
            ..Default::default()
        }),
        tag(8, LEN)
    );
}

#[test]
fn odd_numbers_that_look_like_mistakes_but_are_not() {
    // ValidateProviderConfig.Response.diagnostics is 2, not 1.
    let resp = tf::validate_provider_config::Response {
        diagnostics: vec![tf::Diagnostic::default()],
    };
    assert_eq!(resp.encode_to_vec(), [tag(2, LEN), 0]);

    // Schema.Object.nesting is 3 (2 was never used).
    let obj = tf::schema::Object {
        nesting: tf::schema::object::NestingMode::List as i32,
        ..Default::default()
    };
    assert_eq!(obj.encode_to_vec(), [tag(3, VARINT), 2]);

    // StopProvider.Response.Error (capitalised) is 1.
    let stop = tf::stop_provider::Response { error: "e".into() };
    assert_eq!(stop.encode_to_vec(), [tag(1, LEN), 1, b'e']);
}

#[test]
fn nested_block_and_block_numbers() {
    let block = tf::schema::Block {
        version: 1,
        attributes: vec![tf::schema::Attribute::default()],
        block_types: vec![tf::schema::NestedBlock {
            nesting: tf::schema::nested_block::NestingMode::Group as i32,
            min_items: 1,
            max_items: 2,
            ..Default::default()
        }],
        description_kind: tf::StringKind::Markdown as i32,
        deprecated: true,
        ..Default::default()
    };
    assert_eq!(
        block.encode_to_vec(),
        [
            tag(1, VARINT),
            1,
            tag(2, LEN),
            0,
            tag(3, LEN),
            6,
            tag(3, VARINT),
            5,
            tag(4, VARINT),
            1,
            tag(5, VARINT),
            2,
            tag(5, VARINT),
            1,
            tag(6, VARINT),
            1,
        ]
    );
}

#[test]
fn ephemeral_renew_at_and_private_numbers() {
    let resp = tf::open_ephemeral_resource::Response {
        renew_at: Some(prost_types::Timestamp {
            seconds: 1,
            nanos: 0,
        }),
        private: Some(Vec::new()),
        ..Default::default()
    };
    // `optional bytes` is sent even when empty: presence is the point.
    assert_eq!(
        resp.encode_to_vec(),
        [tag(2, LEN), 2, tag(1, VARINT), 1, tag(4, LEN), 0]
    );
}

#[test]
fn go_plugin_stdio_data_numbers() {
    let data = plugin::StdioData {
        channel: plugin::stdio_data::Channel::Stderr as i32,
        data: b"x".to_vec(),
    };
    assert_eq!(
        data.encode_to_vec(),
        [tag(1, VARINT), 2, tag(2, LEN), 1, b'x']
    );
    assert_eq!(plugin::stdio_data::Channel::Stdout as i32, 1);
}

#[test]
fn service_names_are_the_ones_terraform_dials() {
    assert_eq!(tf::provider_server::SERVICE_NAME, "tfplugin6.Provider");
    assert_eq!(
        plugin::grpc_controller_server::SERVICE_NAME,
        "plugin.GRPCController"
    );
    assert_eq!(plugin::grpc_stdio_server::SERVICE_NAME, "plugin.GRPCStdio");
}
