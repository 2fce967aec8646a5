//! Pins the field numbers of resource identity (6.9) and list resources
//! (6.10) through encoded bytes, as `wire_tests` does for the rest: Terraform
//! only sees numbers (Terraform's `tfplugin6.proto` at v1.15.5).

use prost::Message;

use super::tfplugin6 as tf;

const VARINT: u8 = 0;
const LEN: u8 = 2;

fn tag(field: u8, wire_type: u8) -> u8 {
    (field << 3) | wire_type
}

/// An identity whose msgpack is the one byte `b`.
fn id(b: u8) -> Option<tf::ResourceIdentityData> {
    Some(tf::ResourceIdentityData {
        identity_data: Some(tf::DynamicValue {
            msgpack: vec![b],
            json: Vec::new(),
        }),
    })
}

/// `field` holding an identity made by [`id`].
fn id_bytes(field: u8, b: u8) -> Vec<u8> {
    vec![tag(field, LEN), 5, tag(1, LEN), 3, tag(1, LEN), 1, b]
}

#[test]
fn identity_fields_of_the_lifecycle_calls() {
    let read = tf::read_resource::Request {
        current_identity: id(1),
        ..Default::default()
    };
    assert_eq!(read.encode_to_vec(), id_bytes(6, 1));
    let read = tf::read_resource::Response {
        new_identity: id(2),
        ..Default::default()
    };
    assert_eq!(read.encode_to_vec(), id_bytes(5, 2));
    let plan = tf::plan_resource_change::Request {
        prior_identity: id(3),
        ..Default::default()
    };
    assert_eq!(plan.encode_to_vec(), id_bytes(8, 3));
    let plan = tf::plan_resource_change::Response {
        planned_identity: id(4),
        ..Default::default()
    };
    assert_eq!(plan.encode_to_vec(), id_bytes(7, 4));
    let apply = tf::apply_resource_change::Request {
        planned_identity: id(5),
        ..Default::default()
    };
    assert_eq!(apply.encode_to_vec(), id_bytes(7, 5));
    let apply = tf::apply_resource_change::Response {
        new_identity: id(6),
        ..Default::default()
    };
    assert_eq!(apply.encode_to_vec(), id_bytes(5, 6));
    let import = tf::import_resource_state::Request {
        identity: id(7),
        ..Default::default()
    };
    assert_eq!(import.encode_to_vec(), id_bytes(4, 7));
    let imported = tf::import_resource_state::ImportedResource {
        identity: id(8),
        ..Default::default()
    };
    assert_eq!(imported.encode_to_vec(), id_bytes(4, 8));
    let moved = tf::move_resource_state::Response {
        target_identity: id(9),
        ..Default::default()
    };
    assert_eq!(moved.encode_to_vec(), id_bytes(4, 9));
    let moved = tf::move_resource_state::Request {
        source_identity: Some(tf::RawState {
            json: vec![b'x'],
            ..Default::default()
        }),
        source_identity_schema_version: 1,
        ..Default::default()
    };
    assert_eq!(
        moved.encode_to_vec(),
        [tag(7, LEN), 3, tag(1, LEN), 1, b'x', tag(8, VARINT), 1]
    );
}

#[test]
fn identity_schema_and_its_rpcs() {
    let attribute = tf::resource_identity_schema::IdentityAttribute {
        name: "i".into(),
        r#type: vec![b't'],
        required_for_import: true,
        optional_for_import: true,
        description: "d".into(),
    };
    assert_eq!(
        attribute.encode_to_vec(),
        [
            tag(1, LEN),
            1,
            b'i',
            tag(2, LEN),
            1,
            b't',
            tag(3, VARINT),
            1,
            tag(4, VARINT),
            1,
            tag(5, LEN),
            1,
            b'd'
        ]
    );
    let schema = tf::ResourceIdentitySchema {
        version: 2,
        identity_attributes: vec![Default::default()],
    };
    assert_eq!(schema.encode_to_vec(), [tag(1, VARINT), 2, tag(2, LEN), 0]);
    let schemas = tf::get_resource_identity_schemas::Response {
        identity_schemas: [("r".to_string(), Default::default())]
            .into_iter()
            .collect(),
        diagnostics: vec![Default::default()],
    };
    let bytes = schemas.encode_to_vec();
    assert_eq!(bytes[0], tag(1, LEN));
    assert_eq!(&bytes[bytes.len() - 2..], [tag(2, LEN), 0]);
    let upgrade = tf::upgrade_resource_identity::Request {
        type_name: "r".into(),
        version: 1,
        raw_identity: Some(Default::default()),
    };
    assert_eq!(
        upgrade.encode_to_vec(),
        [tag(1, LEN), 1, b'r', tag(2, VARINT), 1, tag(3, LEN), 0]
    );
    let upgraded = tf::upgrade_resource_identity::Response {
        upgraded_identity: id(1),
        diagnostics: vec![Default::default()],
    };
    let mut want = id_bytes(1, 1);
    want.extend_from_slice(&[tag(2, LEN), 0]);
    assert_eq!(upgraded.encode_to_vec(), want);
}

#[test]
fn list_resource_numbers() {
    let request = tf::list_resource::Request {
        type_name: "r".into(),
        config: Some(Default::default()),
        include_resource_object: true,
        limit: 7,
    };
    assert_eq!(
        request.encode_to_vec(),
        [
            tag(1, LEN),
            1,
            b'r',
            tag(2, LEN),
            0,
            tag(3, VARINT),
            1,
            tag(4, VARINT),
            7
        ]
    );
    let event = tf::list_resource::Event {
        identity: id(1),
        display_name: "n".into(),
        resource_object: Some(Default::default()),
        diagnostic: vec![Default::default()],
    };
    let mut want = id_bytes(1, 1);
    want.extend_from_slice(&[tag(2, LEN), 1, b'n', tag(3, LEN), 0, tag(4, LEN), 0]);
    assert_eq!(event.encode_to_vec(), want);
    let validate = tf::validate_list_resource_config::Request {
        type_name: "r".into(),
        config: Some(Default::default()),
        include_resource_object: Some(Default::default()),
        limit: Some(Default::default()),
    };
    assert_eq!(
        validate.encode_to_vec(),
        [
            tag(1, LEN),
            1,
            b'r',
            tag(2, LEN),
            0,
            tag(3, LEN),
            0,
            tag(4, LEN),
            0
        ]
    );
}

#[test]
fn list_and_capability_numbers_in_schema_and_metadata() {
    let schema = tf::get_provider_schema::Response {
        list_resource_schemas: [("r".to_string(), Default::default())]
            .into_iter()
            .collect(),
        ..Default::default()
    };
    assert_eq!(schema.encode_to_vec()[0], tag(9, LEN));
    let metadata = tf::get_metadata::Response {
        list_resources: vec![tf::get_metadata::ListResourceMetadata {
            type_name: "r".into(),
        }],
        ..Default::default()
    };
    assert_eq!(
        metadata.encode_to_vec(),
        [tag(7, LEN), 3, tag(1, LEN), 1, b'r']
    );
    let capabilities = tf::ServerCapabilities {
        generate_resource_config: true,
        ..Default::default()
    };
    assert_eq!(capabilities.encode_to_vec(), [tag(4, VARINT), 1]);
}
