//! The client's Knowledge Graph calls against the real `writer-emulator`
//! binary, which follows Writer's published behaviour: graphs created,
//! read, renamed and deleted; lists across several pages (more than 100
//! graphs); a web graph's URLs replaced whole; a file attached to and
//! detached from graphs, listed by graph; a chat agent's list replaced and
//! emptied; gone objects read as `None` and deleted again without error.

use std::collections::HashSet;

use terraform_provider_writer::client::knowledge_graph::{FileFilter, GraphFields, NewUrl, Order};
use terraform_provider_writer::client::Client;

use crate::support::client::client_config;
use crate::support::emulator::EmulatorProcess;
use crate::support::ADMIN;

fn client(emu: &EmulatorProcess) -> Client {
    Client::new(client_config(
        &url::Url::parse(&emu.base_url).unwrap(),
        ADMIN,
    ))
    .unwrap()
}

fn named(name: &str) -> GraphFields {
    GraphFields {
        name: Some(name.into()),
        ..GraphFields::default()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn graphs_files_and_an_agents_list_against_the_emulator() {
    let mut command = EmulatorProcess::command();
    command.args([
        "--api-key",
        ADMIN,
        "--processing-ms",
        "50",
        "--web-graph",
        "Docs site",
        "--chat-agent",
        "Support bot",
    ]);
    let (emu, lines) = EmulatorProcess::from_command_with_lines(command, 2);
    let web_id = lines[0].rsplit("id=").next().unwrap().to_owned();
    let agent = lines[1].rsplit("id=").next().unwrap().to_owned();
    let c = client(&emu);

    // More than a page of graphs: every one listed once, in both orders.
    let mut made = Vec::new();
    for i in 0..120 {
        made.push(
            c.create_graph(&named(&format!("Graph {i:03}")))
                .await
                .unwrap()
                .id,
        );
    }
    for order in [Order::Oldest, Order::Newest] {
        let mut seen = Vec::new();
        c.each_graph(order, |g| {
            seen.push(g.id);
            true
        })
        .await
        .unwrap();
        assert_eq!(seen.len(), 121, "{order:?}");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 121);
    }
    let read = c.get_graph(&made[7]).await.unwrap().unwrap();
    assert_eq!(read.name, "Graph 007");
    assert_eq!(read.kind.as_deref(), Some("manual"));
    assert_eq!(read.file_status.unwrap().total, 0);
    let renamed = c.update_graph(&made[7], &named("Renamed")).await.unwrap();
    assert_eq!(renamed.name, "Renamed");

    // A web graph's URLs, replaced whole, then cleared.
    let urls = |list: &[&str]| GraphFields {
        urls: Some(
            list.iter()
                .map(|u| NewUrl {
                    url: (*u).into(),
                    kind: "single_page".into(),
                    exclude_urls: vec![],
                })
                .collect(),
        ),
        ..GraphFields::default()
    };
    c.update_graph(
        &web_id,
        &urls(&["https://a.example.com/", "https://b.example.com/"]),
    )
    .await
    .unwrap();
    c.update_graph(&web_id, &urls(&["https://c.example.com/"]))
        .await
        .unwrap();
    let web = c.get_graph(&web_id).await.unwrap().unwrap();
    let listed: Vec<&str> = web.urls.iter().map(|u| u.url.as_str()).collect();
    assert_eq!(listed, ["https://c.example.com/"]);
    c.update_graph(&web_id, &urls(&[])).await.unwrap();
    assert!(c.get_graph(&web_id).await.unwrap().unwrap().urls.is_empty());

    // A file (uploaded as a person would), attached to two graphs, listed
    // by graph, detached from one.
    let http = reqwest::Client::new();
    let file: serde_json::Value = http
        .post(format!("{}/v1/files?graphId={}", emu.base_url, made[0]))
        .bearer_auth(ADMIN)
        .header("content-type", "text/plain")
        .header("content-disposition", "attachment; filename=\"notes.txt\"")
        .body("hello")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let file_id = file["id"].as_str().unwrap().to_owned();
    c.add_file_to_graph(&made[1], &file_id).await.unwrap();
    // Adding it again is done, not an error.
    c.add_file_to_graph(&made[1], &file_id).await.unwrap();
    let got = c.get_file(&file_id).await.unwrap().unwrap();
    let mut graphs = got.graph_ids.clone();
    graphs.sort();
    let mut expected = vec![made[0].clone(), made[1].clone()];
    expected.sort();
    assert_eq!(graphs, expected);
    let mut in_graph = Vec::new();
    let filter = FileFilter {
        graph_id: Some(made[1].clone()),
        status: None,
        file_types: Vec::new(),
    };
    c.each_file(&filter, Order::Oldest, |f| {
        in_graph.push(f.id);
        true
    })
    .await
    .unwrap();
    assert_eq!(in_graph, std::slice::from_ref(&file_id));
    c.remove_file_from_graph(&made[1], &file_id).await.unwrap();
    assert_eq!(
        c.get_file(&file_id).await.unwrap().unwrap().graph_ids,
        [made[0].clone()]
    );

    // The chat agent's list: replaced whole, read back, emptied.
    let set = c
        .set_application_graphs(&agent, &[made[0].clone(), web_id.clone()])
        .await
        .unwrap();
    assert_eq!(set.len(), 2);
    let mut read = c.get_application_graphs(&agent).await.unwrap().unwrap();
    read.sort();
    let mut both = vec![made[0].clone(), web_id.clone()];
    both.sort();
    assert_eq!(read, both);
    c.set_application_graphs(&agent, &[]).await.unwrap();
    assert_eq!(
        c.get_application_graphs(&agent).await.unwrap(),
        Some(vec![])
    );
    assert_eq!(
        c.get_application_graphs("no-such-agent").await.unwrap(),
        None
    );

    // Gone is gone: read as None, deleted again without error.
    c.delete_file(&file_id).await.unwrap();
    c.delete_file(&file_id).await.unwrap();
    assert_eq!(c.get_file(&file_id).await.unwrap(), None);
    c.delete_graph(&made[0]).await.unwrap();
    c.delete_graph(&made[0]).await.unwrap();
    assert_eq!(c.get_graph(&made[0]).await.unwrap(), None);
}
