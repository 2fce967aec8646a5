//! Knowledge Graphs, files and an application's graphs as Writer's published
//! API returns them, and the bodies that create and change them.
//!
//! Read leniently: Writer's answers differ by call (a create's answer has
//! no `type` or `file_status`; `urls` comes back `null`, absent or `[]`;
//! `description` may be `null`), and its SDK treats `status` as a free
//! string. What is missing reads as `None` or empty; what Writer adds later
//! is ignored. Values are kept exactly as Writer sent them (`created_at` as
//! its text).

use serde::{Deserialize, Deserializer, Serialize};

/// `null` and absent read as the type's default (an empty list).
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A Knowledge Graph.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Graph {
    pub id: String,
    pub created_at: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// `manual`, `connector` or `web`; absent from a create's or update's
    /// answer.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Absent from a create's or update's answer.
    #[serde(default)]
    pub file_status: Option<FileStatus>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub urls: Vec<GraphUrl>,
}

/// How many of a graph's files are in each processing state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct FileStatus {
    #[serde(default)]
    pub in_progress: u64,
    #[serde(default)]
    pub completed: u64,
    #[serde(default)]
    pub failed: u64,
    #[serde(default)]
    pub total: u64,
}

/// A web connector URL of a graph, with where Writer's reading of it stands.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct GraphUrl {
    pub url: String,
    /// `single_page` or `sub_pages`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub exclude_urls: Vec<String>,
    #[serde(default)]
    pub status: Option<UrlStatus>,
}

/// `validating`, `success` or `error`, and in error Writer's reason.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct UrlStatus {
    pub status: String,
    #[serde(default)]
    pub error_type: Option<String>,
}

/// A web connector URL as sent: Writer replaces the whole list with these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewUrl {
    pub url: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Sent only when there is one: an empty list means the same.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exclude_urls: Vec<String>,
}

/// The fields of a create or update (`PUT`): `None` is not sent and leaves
/// the field as it is; `urls: Some(vec![])` clears the list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GraphFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<NewUrl>>,
}

impl GraphFields {
    pub(crate) fn body(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A file in Writer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct File {
    pub id: String,
    pub created_at: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Empty in an upload's answer even when it named a graph: a later read
    /// shows it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub graph_ids: Vec<String>,
    /// `in_progress`, `completed`, `failed`; a free string.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: String,
}

/// Which files to list; `None` means no filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileFilter {
    pub graph_id: Option<String>,
    pub status: Option<String>,
    /// Extensions without the dot (`pdf`, `docx`), sent comma-separated.
    pub file_types: Vec<String>,
}

/// An application's Knowledge Graphs.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct ApplicationGraphs {
    #[serde(default, deserialize_with = "null_as_default")]
    pub graph_ids: Vec<String>,
}

/// `{"file_id": ...}`, the body that adds a file to a graph.
#[derive(Serialize)]
pub(crate) struct FileRef<'a> {
    pub file_id: &'a str,
}

/// What lists are made of: something with an ID to page after.
pub(crate) trait Listed {
    fn id(&self) -> &str;
}

impl Listed for Graph {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Listed for File {
    fn id(&self) -> &str {
        &self.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_answer_reads_without_type_or_file_status() {
        let g: Graph = serde_json::from_str(
            r#"{"id":"g1","created_at":"2025-01-01T00:00:00Z","name":"Handbook","urls":[]}"#,
        )
        .unwrap();
        assert_eq!(g.kind, None);
        assert_eq!(g.file_status, None);
        assert!(g.urls.is_empty());
        assert_eq!(g.description, None);
    }

    #[test]
    fn urls_null_absent_and_empty_read_alike() {
        for body in [
            r#"{"id":"g","created_at":"t","name":"n","urls":null}"#,
            r#"{"id":"g","created_at":"t","name":"n"}"#,
            r#"{"id":"g","created_at":"t","name":"n","urls":[]}"#,
        ] {
            let g: Graph = serde_json::from_str(body).unwrap();
            assert!(g.urls.is_empty(), "{body}");
        }
    }

    #[test]
    fn a_full_graph_and_its_urls() {
        let g: Graph = serde_json::from_str(
            r#"{"id":"g","created_at":"t","name":"Docs","description":null,"type":"web",
                "file_status":{"in_progress":1,"completed":2,"failed":0,"total":3},
                "urls":[{"url":"https://d.example.com/","type":"sub_pages","exclude_urls":null,
                         "status":{"status":"error","error_type":"not_found"}},
                        {"url":"https://e.example.com/","type":"single_page",
                         "status":{"status":"validating"}}],
                "extra":"ignored"}"#,
        )
        .unwrap();
        assert_eq!(g.kind.as_deref(), Some("web"));
        assert_eq!(g.file_status.unwrap().total, 3);
        assert_eq!(
            g.urls[0].status.as_ref().unwrap().error_type.as_deref(),
            Some("not_found")
        );
        assert!(g.urls[0].exclude_urls.is_empty());
        assert_eq!(g.urls[1].status.as_ref().unwrap().status, "validating");
    }

    #[test]
    fn fields_send_only_what_is_set() {
        let body = |f: GraphFields| String::from_utf8(f.body()).unwrap();
        assert_eq!(body(GraphFields::default()), "{}");
        assert_eq!(
            body(GraphFields {
                name: Some("A".into()),
                urls: Some(vec![]),
                ..GraphFields::default()
            }),
            r#"{"name":"A","urls":[]}"#
        );
        assert_eq!(
            body(GraphFields {
                urls: Some(vec![NewUrl {
                    url: "https://d.example.com/".into(),
                    kind: "sub_pages".into(),
                    exclude_urls: vec!["https://d.example.com/old".into()],
                }]),
                ..GraphFields::default()
            }),
            r#"{"urls":[{"url":"https://d.example.com/","type":"sub_pages","exclude_urls":["https://d.example.com/old"]}]}"#
        );
    }

    #[test]
    fn files_read_leniently() {
        let f: File = serde_json::from_str(
            r#"{"id":"f","created_at":"t","name":"a.pdf","graph_ids":null,"status":"in_progress"}"#,
        )
        .unwrap();
        assert_eq!(f.graph_ids, Vec::<String>::new());
        let f: File = serde_json::from_str(r#"{"id":"f","created_at":"t"}"#).unwrap();
        assert!(f.name.is_empty() && f.status.is_empty());
    }
}
