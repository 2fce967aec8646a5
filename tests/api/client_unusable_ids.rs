//! IDs that name nothing (empty, `.`, `..`): no call about one is sent, in
//! any family, and no write about one reports done. A delete of such an ID
//! once answered "deleted" without asking Writer.

use serde_json::json;
use terraform_provider_writer::client::knowledge_graph::GraphFields;
use terraform_provider_writer::client::{can_name, Client, Error, Outcome, UpdateApp, WriteError};

use crate::support::client::few_attempts;
use crate::support::fake_writer::{FakeWriter, Reply};

const KEY: &str = "test-admin-key-not-real-ids";

const NOTHING: [&str; 3] = ["", ".", ".."];

fn refused(what: &str, id: &str, result: Result<impl std::fmt::Debug, WriteError>) {
    let e = result.expect_err(&format!("{what}({id:?}) must fail, not report done"));
    assert_eq!(e.outcome, Outcome::NotDone, "{what}({id:?}): {e:?}");
    assert!(
        matches!(&e.error, Error::UnusableId { id: got } if got == id),
        "{what}({id:?}): {e:?}"
    );
    assert!(e.to_string().contains("nothing was sent"), "{e}");
}

#[tokio::test(flavor = "current_thread")]
async fn no_write_about_an_id_that_names_nothing_is_sent_or_reported_done() {
    // A Writer that says yes to everything: any request reaching it would
    // make a write look done.
    let fake = FakeWriter::start(|_, _| Reply::json(200, json!({"graph_ids": []})));
    let client = Client::new(few_attempts(&fake.base, KEY)).unwrap();
    for id in NOTHING {
        assert!(!can_name(id));
        refused("delete_graph", id, client.delete_graph(id).await);
        refused("delete_file", id, client.delete_file(id).await);
        refused(
            "remove_file_from_graph",
            id,
            client.remove_file_from_graph("g-1", id).await,
        );
        refused(
            "remove_file_from_graph",
            id,
            client.remove_file_from_graph(id, "f-1").await,
        );
        refused(
            "add_file_to_graph",
            id,
            client.add_file_to_graph(id, "f-1").await,
        );
        refused(
            "update_graph",
            id,
            client.update_graph(id, &GraphFields::default()).await,
        );
        refused(
            "set_application_graphs",
            id,
            client.set_application_graphs(id, &[]).await,
        );
        refused("delete_app", id, client.delete_app(id).await);
        refused(
            "update_app",
            id,
            client
                .update_app(id, &UpdateApp::default(), Some("\"1\""))
                .await,
        );
        // A read answers that there is no such object, without asking.
        assert!(client.get_graph(id).await.unwrap().is_none());
        assert!(client.get_file(id).await.unwrap().is_none());
        assert!(client.get_application_graphs(id).await.unwrap().is_none());
        assert!(client.get_app(id).await.unwrap().is_none());
    }
    assert!(
        fake.requests().is_empty(),
        "sent: {:?}",
        fake.requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect::<Vec<_>>()
    );
}
