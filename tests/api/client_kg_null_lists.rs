//! Writer's published docs allow a list to be `null` or absent: a page of
//! graphs or files whose `data` is either is an empty page, not a broken
//! answer. Our own OAuth Apps contract always sends a list, and a page
//! without one stays an error there.

use serde_json::json;
use terraform_provider_writer::client::knowledge_graph::{FileFilter, Order};
use terraform_provider_writer::client::{Client, Error, ListFilter};

use crate::support::client::few_attempts;
use crate::support::fake_writer::{FakeWriter, Reply};

const KEY: &str = "test-admin-key-not-real-nulls";

#[tokio::test(flavor = "current_thread")]
async fn a_page_of_graphs_or_files_with_null_or_absent_data_is_empty() {
    for page in [
        json!({"data": null, "has_more": false, "first_id": null, "last_id": null}),
        json!({"has_more": false}),
    ] {
        let sent = page.clone();
        let fake = FakeWriter::start(move |_, _| Reply::json(200, sent.clone()));
        let client = Client::new(few_attempts(&fake.base, KEY)).unwrap();
        let mut seen = 0;
        client
            .each_graph(Order::Oldest, |_| {
                seen += 1;
                true
            })
            .await
            .unwrap_or_else(|e| panic!("graphs, {page}: {e}"));
        client
            .each_file(&FileFilter::default(), Order::Newest, |_| {
                seen += 1;
                true
            })
            .await
            .unwrap_or_else(|e| panic!("files, {page}: {e}"));
        assert_eq!(seen, 0);
        let paths: Vec<String> = fake.requests().iter().map(|r| r.path.clone()).collect();
        assert_eq!(paths, ["/v1/graphs", "/v1/files"], "{page}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_null_page_that_claims_more_ends_instead_of_looping() {
    let fake = FakeWriter::start(|_, _| Reply::json(200, json!({"data": null, "has_more": true})));
    let client = Client::new(few_attempts(&fake.base, KEY)).unwrap();
    let e = client
        .each_graph(Order::Oldest, |_| true)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::BadResponse { .. }), "{e:?}");
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn an_oauth_app_page_without_a_list_is_still_refused() {
    let fake = FakeWriter::start(|_, _| Reply::json(200, json!({"data": null, "has_more": false})));
    let client = Client::new(few_attempts(&fake.base, KEY)).unwrap();
    let e = client.list_apps(&ListFilter::default()).await.unwrap_err();
    assert!(matches!(e, Error::BadResponse { .. }), "{e:?}");
    assert!(e.to_string().contains("`data` is null or absent"), "{e}");
}
