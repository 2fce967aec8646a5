//! The file types Writer's File API takes, and the `Content-Type` each is
//! uploaded with, told from the file name's extension.
//!
//! The list is the request body types of Writer's upload endpoint: txt,
//! doc, docx, ppt, pptx, jpg, png, eml, html, pdf, srt, csv, xls, xlsx. Two
//! more are decided here:
//!
//! - `mp3` and `mp4` are taken too. Writer's API reference names them in its
//!   prose about the `Content-Type` header, though not among the body types.
//!   A plan-time error is only for what Writer certainly refuses; refusing
//!   what Writer's own reference says it takes would leave the user no way
//!   but to lie about the type. If Writer refuses one, the upload's error
//!   says so.
//! - `jpeg` and `htm` are other spellings of `jpg` and `html`: the same
//!   type, which is what Writer is told.
//!
//! Anything else (`.md`, `.json`, no extension) is a plan-time error naming
//! the supported types and the fix: set `content_type` yourself (Markdown
//! is text: `text/plain`), or convert the file.

use crate::domain::finding::Finding;
use crate::domain::quote;

/// One type Writer takes: the extension (lower case, no dot) and the media
/// type an upload of it declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    pub extension: &'static str,
    pub content_type: &'static str,
}

const fn t(extension: &'static str, content_type: &'static str) -> FileType {
    FileType {
        extension,
        content_type,
    }
}

/// Every extension the provider knows a type for, in the order Writer lists
/// them (aliases after the name Writer uses).
pub const FILE_TYPES: [FileType; 18] = [
    t("txt", "text/plain"),
    t("doc", "application/msword"),
    t(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    t("ppt", "application/vnd.ms-powerpoint"),
    t(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    t("jpg", "image/jpeg"),
    t("jpeg", "image/jpeg"),
    t("png", "image/png"),
    t("eml", "message/rfc822"),
    t("html", "text/html"),
    t("htm", "text/html"),
    t("pdf", "application/pdf"),
    t("srt", "application/x-subrip"),
    t("csv", "text/csv"),
    t("xls", "application/vnd.ms-excel"),
    t(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    t("mp3", "audio/mpeg"),
    t("mp4", "video/mp4"),
];

/// The extensions a message lists as supported: Writer's own names, not the
/// aliases.
fn supported_list() -> String {
    FILE_TYPES
        .iter()
        .filter(|t| !matches!(t.extension, "jpeg" | "htm"))
        .map(|t| format!(".{}", t.extension))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The extension of a file name (after the last `.` of its last path
/// segment), if it has one.
fn extension(name: &str) -> Option<&str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = base.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then_some(ext)
}

/// The `Content-Type` Writer takes a file named `name` with, from its
/// extension (any case); or the error naming the supported types and the
/// fix.
pub fn content_type_for(name: &str) -> Result<&'static str, Finding> {
    let shown = quote::text(name);
    let Some(ext) = extension(name) else {
        return Err(Finding::error(
            "File type unknown",
            format!(
                "`{shown}` has no extension, so its type cannot be told. Writer takes {}. Set \
                 `content_type` to the file's media type (e.g. `content_type = \"text/plain\"` \
                 for text), or rename the file with the right extension.",
                supported_list()
            ),
        ));
    };
    let lower = ext.to_ascii_lowercase();
    FILE_TYPES
        .iter()
        .find(|t| t.extension == lower)
        .map(|t| t.content_type)
        .ok_or_else(|| {
            Finding::error(
                format!("Writer does not take .{} files", quote::text(ext)),
                format!(
                    "`{shown}` is a `.{}` file, which is not among the types Writer's File API \
                     takes: {}. If it is text (Markdown, JSON, YAML), set `content_type = \
                     \"text/plain\"` to upload it as text; otherwise convert it to one of those \
                     types (e.g. PDF or HTML).",
                    quote::text(ext),
                    supported_list()
                ),
            )
        })
}

/// What can be wrong with a `content_type` the user gives.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mistake {
    /// Not `type/subtype` (with optional parameters).
    NotAMediaType,
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn diagnose(value: &str) -> Option<Mistake> {
    let essence = value.split(';').next().unwrap_or_default();
    let params_ok = value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b));
    match essence.split_once('/') {
        Some((kind, sub)) if is_token(kind) && is_token(sub) && params_ok => None,
        _ => Some(Mistake::NotAMediaType),
    }
}

/// The rules of a `content_type` the user sets: a media type such as
/// `text/plain` (any type: the user may know better than the list above).
/// `None` means correct.
pub fn check_content_type(value: &str) -> Option<Finding> {
    diagnose(value).map(|Mistake::NotAMediaType| {
        Finding::error(
            "Invalid content_type",
            format!(
                "`{}` is not a media type. Write `type/subtype` in ASCII, such as `text/plain` \
                 or `application/pdf`, or leave `content_type` out to take it from the file's \
                 extension.",
                quote::text(value)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[rustfmt::skip]
    fn every_type_writer_takes_by_extension() {
        let cases = [
            ("notes.txt", "text/plain"),
            ("a.doc", "application/msword"),
            ("Plan.DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("deck.ppt", "application/vnd.ms-powerpoint"),
            ("deck.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            ("photo.jpg", "image/jpeg"),
            ("photo.JPEG", "image/jpeg"),
            ("logo.png", "image/png"),
            ("mail.eml", "message/rfc822"),
            ("page.html", "text/html"),
            ("page.htm", "text/html"),
            ("policy.pdf", "application/pdf"),
            ("talk.srt", "application/x-subrip"),
            ("data.csv", "text/csv"),
            ("sheet.xls", "application/vnd.ms-excel"),
            ("sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("call.mp3", "audio/mpeg"),
            ("demo.mp4", "video/mp4"),
            ("docs/2024.v2/hand book.final.pdf", "application/pdf"),
            ("C:\\docs\\übersicht.txt", "text/plain"),
        ];
        for (name, expected) in cases {
            assert_eq!(content_type_for(name), Ok(expected), "{name}");
        }
        assert_eq!(FILE_TYPES.len(), cases.len() - 2);
    }

    #[test]
    fn others_are_refused_with_the_list_and_the_fix() {
        let f = content_type_for("handbook.md").unwrap_err();
        assert_eq!(f.summary, "Writer does not take .md files");
        assert!(
            f.detail.contains("`handbook.md` is a `.md` file"),
            "{}",
            f.detail
        );
        assert!(
            f.detail.contains("content_type = \"text/plain\""),
            "{}",
            f.detail
        );
        assert!(
            f.detail.contains(
                ".txt, .doc, .docx, .ppt, .pptx, .jpg, .png, .eml, .html, .pdf, .srt, .csv, \
                 .xls, .xlsx, .mp3, .mp4"
            ),
            "{}",
            f.detail
        );
        for name in ["README", ".bashrc", "archive.", "dir.d/README", "x.tar.gz"] {
            let f = content_type_for(name).unwrap_err();
            assert!(f.detail.contains("content_type"), "{name}: {}", f.detail);
        }
        let f = content_type_for("README").unwrap_err();
        assert!(f.detail.contains("has no extension"), "{}", f.detail);
    }

    #[test]
    #[rustfmt::skip]
    fn judges_a_content_type_given() {
        let cases = [
            ("text/plain", None),
            ("text/markdown; charset=utf-8", None),
            ("application/vnd.ms-excel", None),
            ("", Some(Mistake::NotAMediaType)),
            ("text", Some(Mistake::NotAMediaType)),
            ("text/", Some(Mistake::NotAMediaType)),
            ("text plain/x", Some(Mistake::NotAMediaType)),
            ("text/plain\r\nX-Evil: 1", Some(Mistake::NotAMediaType)),
            ("text/plain; name=é", Some(Mistake::NotAMediaType)),
        ];
        for (value, mistake) in cases {
            assert_eq!(diagnose(value), mistake, "{value:?}");
        }
        let f = check_content_type("pdf").unwrap();
        assert!(f.detail.contains("`application/pdf`"), "{}", f.detail);
    }
}
