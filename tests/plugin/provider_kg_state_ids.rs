//! The Knowledge Graph resources with a state whose ID names nothing (empty,
//! `.`, `..`), from the provider in this process against a fake Writer that
//! answers yes to everything: no read or delete says the object is gone or
//! deleted, none asks Writer, and each says so in the provider-wide words.
//! A delete once answered "deleted" without asking Writer.

use crate::support::fake_writer::{FakeWriter, Reply};
use crate::support::provider::configured;
use serde_json::json;
use terraform_provider_writer::tfplugin::diag::Diagnostics;
use terraform_provider_writer::tfplugin::value::Value;
use terraform_provider_writer::tfplugin::{
    CancellationToken, DeleteRequest, Provider, ReadRequest,
};

fn text(d: &Diagnostics) -> String {
    d.iter()
        .map(|d| format!("{}\n{}", d.summary, d.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "current_thread")]
async fn no_read_or_delete_of_a_state_without_an_id_asks_writer_or_drops_it() {
    let fake = FakeWriter::start(|_, _| Reply::json(200, json!({"graph_ids": []})));
    let p = configured(fake.base.as_str(), &[], &CancellationToken::new()).await;
    for (type_name, attribute, object) in [
        ("writer_knowledge_graph", "id", "Knowledge Graph"),
        ("writer_file", "id", "file"),
        (
            "writer_application_knowledge_graphs",
            "application_id",
            "chat agent",
        ),
    ] {
        let resource = p
            .resources()
            .into_iter()
            .find(|r| r.type_name() == type_name)
            .expect(type_name);
        for id in ["", ".", ".."] {
            let state = Value::object([(attribute, Value::string(id))]);
            let d = resource
                .delete(DeleteRequest {
                    prior_state: state.clone(),
                    private: Vec::new(),
                    cancel: CancellationToken::new(),
                })
                .await;
            let said = text(&d);
            assert!(d.has_errors(), "{type_name} delete({id:?}): {said}");
            assert!(
                said.contains(&format!("The state has no ID for this {object}"))
                    && said.contains("did not ask it"),
                "{type_name} delete({id:?}): {said}"
            );
            let read = resource
                .read(ReadRequest {
                    current_state: state.clone(),
                    private: Vec::new(),
                    cancel: CancellationToken::new(),
                })
                .await;
            assert_eq!(read.new_state, state, "{type_name} read({id:?}) keeps it");
            assert!(read.diagnostics.has_errors(), "{type_name} read({id:?})");
        }
    }
    assert_eq!(fake.count(), 0, "calls made: {:?}", fake.requests());
}
