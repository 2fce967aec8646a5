//! The bytes of uploaded files, and the upload's headers. A file is streamed
//! from the request to disk (never held in memory, whatever its size, up to
//! the `--max-file-bytes` limit), under a folder beside the state file
//! (`<state file>.files/`) or, without one, a temporary folder made by the
//! first upload and removed when the emulator stops (one that takes no
//! upload makes none, so even a killed one leaves no empty folder). Its name
//! comes from `Content-Disposition` (RFC 6266, with RFC 5987's
//! `filename*=UTF-8''...` for any Unicode name), its type from
//! `Content-Type`, which must be one Writer takes, or `text/plain` for any
//! file, as Writer's own SDK sends.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::settings::{UploadFaults, STALL};
use crate::emulator::errors::{ApiError, ErrorItem};

/// The media types Writer's upload takes (its API reference's list).
pub(crate) const CONTENT_TYPES: [&str; 16] = [
    "text/plain",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "image/jpeg",
    "image/png",
    "message/rfc822",
    "text/html",
    "application/pdf",
    "application/x-subrip",
    "text/csv",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "audio/mpeg",
    "video/mp4",
];

/// Written to disk in pieces of this size.
const WRITE_BUFFER: usize = 1024 * 1024;
/// Read from disk for a download in pieces of this size.
const READ_CHUNK: usize = 256 * 1024;
const TEMP_PREFIX: &str = ".upload-";

/// Where the files' bytes are, one file per ID.
pub(crate) struct FileDir {
    /// `<state file>.files/`, or `None`: a temporary folder, made by the
    /// first upload (an emulator that takes none leaves no folder behind,
    /// however it ends).
    beside: Option<PathBuf>,
    /// The temporary folder once made; removed on drop.
    temp: std::sync::Mutex<Option<tempfile::TempDir>>,
}

impl FileDir {
    /// `<state file>.files/` (made by the first upload, mode 0700), or a
    /// temporary folder (made by the first upload too).
    pub(crate) fn open(state_file: Option<&Path>) -> Self {
        Self {
            beside: state_file.map(beside),
            temp: std::sync::Mutex::new(None),
        }
    }

    /// The folder, if it has been made (or is the one beside the state
    /// file): `None` means no file was ever stored.
    fn folder(&self) -> Option<PathBuf> {
        match &self.beside {
            Some(path) => Some(path.clone()),
            None => self.temp_folder().as_ref().map(|t| t.path().to_owned()),
        }
    }

    fn temp_folder(&self) -> std::sync::MutexGuard<'_, Option<tempfile::TempDir>> {
        // A panic while holding it left an `Option`, still usable.
        self.temp.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Removes what a killed emulator left half uploaded beside `state_file`
    /// (done when the state file is loaded, before anything listens).
    pub(crate) fn remove_leftovers(state_file: &Path) {
        let Ok(entries) = std::fs::read_dir(beside(state_file)) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Makes the folder if it is missing (not its parents: a state file's
    /// folder that is gone is an error, as for the state file itself), and
    /// says where it is.
    fn ensure(&self) -> io::Result<PathBuf> {
        let Some(path) = &self.beside else {
            let mut temp = self.temp_folder();
            if temp.is_none() {
                *temp = Some(
                    tempfile::Builder::new()
                        .prefix("writer-emulator-files-")
                        .tempdir()?,
                );
            }
            return Ok(temp
                .as_ref()
                .map(|t| t.path().to_owned())
                .unwrap_or_default());
        };
        let builder = std::fs::DirBuilder::new();
        // Only the owner may read the uploads (no mode to set elsewhere).
        #[cfg(unix)]
        let builder = {
            let mut builder = builder;
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder
        };
        match builder.create(path) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
            _ => Ok(path.clone()),
        }
    }

    /// Where the file `id` is, if any file was ever stored.
    fn path_of(&self, id: &str) -> Option<PathBuf> {
        self.folder().map(|folder| folder.join(id))
    }

    /// Streams `body` to a new file named `id`; its size. Beyond `limit`
    /// bytes the upload is refused (413) and nothing is kept. `pace` may
    /// slow or stall the reading (`--upload-bytes-per-second`,
    /// `--stall-uploads-after`).
    pub(crate) async fn receive(
        &self,
        id: &str,
        body: Body,
        limit: u64,
        pace: &UploadFaults,
    ) -> Result<u64, ApiError> {
        let folder = self.ensure().map_err(|e| storage_error(&e))?;
        let temp = folder.join(format!(
            "{TEMP_PREFIX}{}.tmp",
            uuid::Uuid::new_v4().simple()
        ));
        let result = write_stream(&temp, body, limit, pace).await;
        let result = match result {
            Ok(size) => tokio::fs::rename(&temp, folder.join(id))
                .await
                .map(|()| size)
                .map_err(|e| storage_error(&e)),
            Err(e) => Err(e),
        };
        if result.is_err() {
            let _ = tokio::fs::remove_file(&temp).await;
        }
        result
    }

    /// The file's bytes as a response body, read from disk as it is sent.
    pub(crate) async fn send(&self, id: &str) -> io::Result<Body> {
        let path = self
            .path_of(id)
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        let file = tokio::fs::File::open(path).await?;
        let stream = futures_util::stream::unfold(Some(file), |file| async move {
            let mut file = file?;
            let mut buf = vec![0u8; READ_CHUNK];
            match file.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(Bytes::from(buf)), Some(file)))
                }
                Err(e) => Some((Err(e), None)),
            }
        });
        Ok(Body::from_stream(stream))
    }

    /// Removes a file's bytes (a file already gone is fine).
    pub(crate) async fn remove(&self, id: &str) {
        if let Some(path) = self.path_of(id) {
            let _ = tokio::fs::remove_file(path).await;
        }
    }
}

/// `<state file>.files`
fn beside(state_file: &Path) -> PathBuf {
    let mut name = state_file.file_name().unwrap_or_default().to_owned();
    name.push(".files");
    state_file.with_file_name(name)
}

fn storage_error(e: &io::Error) -> ApiError {
    tracing::error!("cannot store an uploaded file: {e}");
    ApiError::internal("the emulator could not store the file; retry the upload")
}

fn too_large(limit: u64) -> ApiError {
    ApiError::one(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorItem::new(
            "file.too_large",
            format!(
                "the file is larger than this emulator's limit of {limit} bytes (--max-file-bytes)"
            ),
        ),
    )
}

async fn write_stream(
    path: &Path,
    body: Body,
    limit: u64,
    pace: &UploadFaults,
) -> Result<u64, ApiError> {
    let file = tokio::fs::File::create(path)
        .await
        .map_err(|e| storage_error(&e))?;
    let mut out = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, file);
    let mut size: u64 = 0;
    let mut stream = body.into_data_stream();
    let started = tokio::time::Instant::now();
    let mut stalled = false;
    loop {
        if !stalled && pace.stall_after.is_some_and(|after| size >= after) {
            stalled = true;
            tokio::time::sleep(STALL).await;
        }
        let Some(chunk) = stream.next().await else {
            break;
        };
        let chunk = chunk.map_err(|_| {
            ApiError::bad_request(ErrorItem::new(
                "request.body_unreadable",
                "the file's bytes could not be read to the end",
            ))
        })?;
        size = size.saturating_add(chunk.len() as u64);
        if size > limit {
            return Err(too_large(limit));
        }
        out.write_all(&chunk).await.map_err(|e| storage_error(&e))?;
        if let Some(rate) = pace.bytes_per_second.filter(|r| *r > 0) {
            // No faster than `rate` from the start: what was read so far
            // takes at least size / rate, however large the pieces.
            let due = started + Duration::from_secs_f64(size as f64 / rate as f64);
            tokio::time::sleep_until(due).await;
        }
    }
    out.flush().await.map_err(|e| storage_error(&e))?;
    if size == 0 {
        return Err(ApiError::bad_request(ErrorItem::new(
            "file.empty",
            "the request body is empty: send the file's bytes as the body",
        )));
    }
    Ok(size)
}

/// What an upload's headers say: the file's name and type. A declared
/// `Content-Length` over `limit` is refused before anything is read.
pub(crate) fn upload_headers(
    headers: &HeaderMap,
    limit: u64,
) -> Result<(String, String), ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let disposition = headers.get(header::CONTENT_DISPOSITION).ok_or_else(|| {
        field_error(
            "file.content_disposition.missing",
            "Content-Disposition",
            "send the file's name as Content-Disposition: attachment; filename=NAME",
        )
    })?;
    let name = filename(disposition.as_bytes()).ok_or_else(|| {
        field_error(
            "file.content_disposition.invalid",
            "Content-Disposition",
            "Content-Disposition must name the file: attachment; filename=\"NAME\" or, for any \
             Unicode name, filename*=UTF-8''PERCENT-ENCODED-NAME",
        )
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|v| CONTENT_TYPES.contains(&v.as_str()))
        .ok_or_else(|| {
            ApiError::bad_request(
                ErrorItem::field(
                    "file.content_type.unsupported",
                    "Content-Type",
                    format!(
                        "Content-Type must be one of the types Writer takes ({}); text/plain is \
                         taken for any file",
                        CONTENT_TYPES.join(", ")
                    ),
                )
                .with("supported", serde_json::json!(CONTENT_TYPES)),
            )
        })?;
    Ok((name, content_type))
}

fn field_error(key: &'static str, field: &str, description: &str) -> ApiError {
    ApiError::bad_request(ErrorItem::field(key, field, description))
}

/// The file name in a `Content-Disposition` value: `filename*` (RFC 5987,
/// UTF-8 or ISO-8859-1) when present, else `filename` (a token or a quoted
/// string, whose bytes may be UTF-8). `None` without a usable non-empty name.
pub(crate) fn filename(value: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(value);
    let mut plain: Option<String> = None;
    let mut extended: Option<String> = None;
    let mut rest = text.split_once(';').map(|(_, r)| r).unwrap_or("");
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            break;
        }
        let (name, after) = rest.split_once('=')?;
        let name = name.trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let (value, consumed) = unquote(quoted)?;
            (value, &quoted[consumed..])
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        match name.as_str() {
            "filename" => plain = Some(value),
            "filename*" => extended = decode_ext_value(&value),
            _ => {}
        }
        rest = next;
    }
    extended.or(plain).filter(|n| !n.is_empty())
}

/// A quoted string's content (after the opening quote): its value and the
/// bytes consumed, closing quote included.
fn unquote(text: &str) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, i + 1)),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

/// `charset'language'percent-encoded` (RFC 5987).
fn decode_ext_value(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let charset = parts.next()?.to_ascii_lowercase();
    let _language = parts.next()?;
    let encoded = parts.next()?;
    let bytes: Vec<u8> = percent_decode(encoded)?;
    match charset.as_str() {
        "utf-8" => String::from_utf8(bytes).ok(),
        "iso-8859-1" => Some(bytes.into_iter().map(char::from).collect()),
        _ => None,
    }
}

fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        for (value, expected) in [
            ("attachment; filename=handbook.pdf", Some("handbook.pdf")),
            ("attachment; filename=\"a b; c.pdf\"", Some("a b; c.pdf")),
            (
                "attachment; filename=\"say \\\"hi\\\".txt\"",
                Some("say \"hi\".txt"),
            ),
            ("ATTACHMENT; FILENAME=x.txt", Some("x.txt")),
            (
                "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%E2%82%AC%20rates.pdf",
                Some("€ rates.pdf"),
            ),
            (
                "attachment; filename*=utf-8'en'%C3%A9t%C3%A9.txt",
                Some("été.txt"),
            ),
            (
                "attachment; filename*=ISO-8859-1''caf%E9.txt",
                Some("café.txt"),
            ),
            ("attachment; filename=\"日本語.txt\"", Some("日本語.txt")),
            ("attachment", None),
            ("attachment; filename=\"\"", None),
            ("attachment; filename=\"unterminated", None),
            ("attachment; filename*=UTF-8''%FF.txt", None),
            ("attachment; filename*=UTF-8''%zz.txt", None),
        ] {
            assert_eq!(filename(value.as_bytes()).as_deref(), expected, "{value}");
        }
    }
}
