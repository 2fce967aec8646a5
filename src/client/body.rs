//! What a call sends: nothing, JSON, or a file's bytes streamed from disk.
//! A body is built anew for every attempt, so a retry sends the same bytes;
//! a file is opened again and read from its start, never held in memory
//! (an upload's memory stays bounded whatever the file's size).

use std::path::Path;

use reqwest::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::RequestBuilder;

use super::error::Error;

/// How much of a file is read from disk at once. At `ReaderStream`'s
/// default of 4 KiB over tokio's `File` (a trip to a blocking thread per
/// read), a 256 MiB upload ran at a sixth of `curl`'s speed to the same
/// emulator (`benches/upload.py`). Now one blocking thread reads the whole
/// file: at 256 KiB a piece the upload measured 0.93 to 0.96 of curl's
/// throughput on a quiet machine, at 1 MiB 0.83 to 0.93, at 4 MiB 0.73 to
/// 0.81 (a piece that still sits in the CPU's cache when it is sent is
/// cheaper to send). Memory stays a few of these pieces, whatever the
/// file's size.
const FILE_CHUNK_BYTES: usize = 256 * 1024;

/// Pieces read ahead of the one being sent: reading and sending overlap,
/// and memory stays these few pieces.
const PIECES_AHEAD: usize = 2;

/// The first `length` bytes of `file`, [`FILE_CHUNK_BYTES`] at a time, read
/// on a blocking thread straight into the pieces that are sent (tokio's
/// `File` reads into a buffer of its own and copies every piece once more),
/// up to [`PIECES_AHEAD`] ahead of the sending. The reading stops when the
/// request is dropped. A file that ends early ends the stream early: the
/// request then carries fewer bytes than its `Content-Length`, and fails.
fn file_pieces(
    mut file: std::fs::File,
    length: u64,
) -> impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> + Send + 'static {
    let (pieces, received) = tokio::sync::mpsc::channel(PIECES_AHEAD);
    tokio::task::spawn_blocking(move || {
        let mut left = length;
        while left > 0 {
            let want =
                usize::try_from(left.min(FILE_CHUNK_BYTES as u64)).unwrap_or(FILE_CHUNK_BYTES);
            // Read into capacity, not into zeroed bytes: `read_to_end`
            // fills uninitialized memory (and retries an interrupted read),
            // so no piece is written twice before it is sent.
            let mut piece = Vec::with_capacity(want);
            if let Err(e) = std::io::Read::read_to_end(
                &mut std::io::Read::take(&mut file, want as u64),
                &mut piece,
            ) {
                let _ = pieces.blocking_send(Err(e));
                return;
            }
            let filled = piece.len();
            if filled == 0 {
                return;
            }
            left -= filled as u64;
            if pieces.blocking_send(Ok(piece)).is_err() {
                return;
            }
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(received)
}

/// The body of a call.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Body<'a> {
    /// None (a read or a delete).
    Empty,
    /// JSON, the same bytes on every attempt.
    Json(&'a [u8]),
    /// The first `length` bytes of the file at `path`, sent as they are
    /// with `Content-Type: content_type` and `Content-Length: length`. A
    /// file shorter than `length` when read fails the attempt (the server
    /// never takes a cut-off file for a whole one). The Knowledge Graph
    /// family's uploads (`Client::upload_file`, in `knowledge_graph`).
    File {
        path: &'a Path,
        length: u64,
        content_type: &'a HeaderValue,
    },
}

impl Body<'_> {
    /// `request` carrying this body and the headers that describe it. A file
    /// that cannot be opened is an error before anything is sent.
    pub(crate) async fn attach(&self, request: RequestBuilder) -> Result<RequestBuilder, Error> {
        match *self {
            Body::Empty => Ok(request),
            Body::Json(bytes) => Ok(request
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.to_vec())),
            Body::File {
                path,
                length,
                content_type,
            } => {
                let file = tokio::fs::File::open(path)
                    .await
                    .map_err(|e| unreadable(path, &e))?
                    .into_std()
                    .await;
                let stream = file_pieces(file, length);
                Ok(request
                    .header(CONTENT_TYPE, content_type)
                    .header(CONTENT_LENGTH, length)
                    .body(reqwest::Body::wrap_stream(stream)))
            }
        }
    }
}

fn unreadable(path: &Path, e: &std::io::Error) -> Error {
    Error::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

    /// A one-request HTTP server on loopback: the request's head and the
    /// number of body bytes it got, and a SHA-free check of their content.
    async fn one_request(listener: tokio::net::TcpListener) -> (Vec<String>, Vec<u8>) {
        let (stream, _) = listener.accept().await.unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).await.unwrap();
            let line = line.trim_end().to_string();
            if line.is_empty() {
                break;
            }
            head.push(line);
        }
        let length: usize = head
            .iter()
            .find_map(|h| {
                h.to_lowercase()
                    .strip_prefix("content-length: ")
                    .map(str::to_string)
            })
            .expect("a content-length header")
            .parse()
            .unwrap();
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await.unwrap();
        let mut stream = reader.into_inner();
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
            .await
            .unwrap();
        (head, body)
    }

    #[tokio::test]
    async fn a_file_is_streamed_with_its_length_and_type() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("handbook.txt");
        let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/v1/files", listener.local_addr().unwrap());
        let server = tokio::spawn(one_request(listener));
        let content_type = HeaderValue::from_static("text/plain");
        let body = Body::File {
            path: &path,
            length: content.len() as u64,
            content_type: &content_type,
        };
        let request = body
            .attach(reqwest::Client::new().post(&url))
            .await
            .unwrap();
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status(), 200);
        let (head, got) = server.await.unwrap();
        let lower: Vec<String> = head.iter().map(|h| h.to_lowercase()).collect();
        assert!(
            lower.contains(&"content-type: text/plain".to_string()),
            "{head:?}"
        );
        assert!(
            lower.contains(&"content-length: 300000".to_string()),
            "{head:?}"
        );
        assert!(
            !lower.iter().any(|h| h.starts_with("transfer-encoding")),
            "{head:?}"
        );
        assert!(got == content, "the bytes arrive as they are on disk");
    }

    #[tokio::test]
    async fn a_file_shorter_than_its_length_fails_the_request() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shrunk.txt");
        std::fs::write(&path, b"ten bytes!").unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/v1/files", listener.local_addr().unwrap());
        // The server reads what comes and never answers: only the client's
        // own failure can end the request.
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut got = Vec::new();
            let _ = stream.read_to_end(&mut got).await;
            got
        });
        let content_type = HeaderValue::from_static("text/plain");
        let body = Body::File {
            path: &path,
            length: 20,
            content_type: &content_type,
        };
        let request = body
            .attach(reqwest::Client::new().post(&url))
            .await
            .unwrap();
        let sent = tokio::time::timeout(std::time::Duration::from_secs(10), request.send())
            .await
            .expect("the request ends by itself");
        assert!(
            sent.is_err(),
            "a cut-off file is never sent as whole: {sent:?}"
        );
        // Whatever reached the server (perhaps nothing) is no whole body.
        let got = server.await.unwrap();
        let body = match got.windows(4).position(|w| w == b"\r\n\r\n") {
            Some(end) => &got[end + 4..],
            None => &[][..],
        };
        assert!(body.len() < 20, "{}", String::from_utf8_lossy(&got));
    }

    #[tokio::test]
    async fn a_missing_file_fails_before_anything_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone.pdf");
        let content_type = HeaderValue::from_static("application/pdf");
        let body = Body::File {
            path: &path,
            length: 1,
            content_type: &content_type,
        };
        let e = body
            .attach(reqwest::Client::new().post("http://127.0.0.1:9/v1/files"))
            .await
            .expect_err("no file, no request");
        assert!(matches!(e, Error::Unreadable { .. }), "{e:?}");
        assert!(e.to_string().contains("gone.pdf"), "{e}");
    }

    #[test]
    fn json_is_sent_as_json() {
        let request = futures_util::FutureExt::now_or_never(
            Body::Json(b"{}").attach(reqwest::Client::new().post("http://127.0.0.1:9/")),
        )
        .unwrap()
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(request.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(request.body().and_then(|b| b.as_bytes()), Some(&b"{}"[..]));
    }
}
