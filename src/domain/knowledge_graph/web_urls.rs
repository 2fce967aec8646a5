//! The web connector URLs of a `web` Knowledge Graph (`web_urls`), checked
//! before they are sent.
//!
//! Writer replaces the whole list on every update and validates each URL
//! asynchronously, so a mistake shows only minutes later as a URL in
//! `error`, or never (an exclusion that cannot match). What Writer's API
//! refuses or ignores for certain is an error here: a URL that is not
//! `http`/`https`, the same URL twice, `exclude_urls` on a `single_page` URL
//! (exclusions only mean something for `sub_pages`). What Writer's help
//! centre says its web connector does not take, but which the user may know
//! better about, is a warning: a query string (a dynamic URL), a fragment, a
//! PDF or image URL, an exclusion that is not under its URL (it can never
//! match), more than the 20 sites Writer's UI adds at a time.
//!
//! URLs are compared as the `url` crate normalises them (scheme and host in
//! lower case, the default port dropped, an empty path as `/`): two spellings
//! of one address are the same site to a crawler.

use url::Url;

use crate::domain::finding::Finding;
use crate::domain::quote;

/// The most sites Writer's UI adds at a time. The API may take more
/// (unpublished); beyond this the provider warns.
pub const MAX_SITES: usize = 20;

/// How much of a site Writer's web connector reads from a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// That page only.
    SinglePage,
    /// That page and the pages under it.
    SubPages,
}

impl UrlKind {
    pub const ALL: [UrlKind; 2] = [UrlKind::SinglePage, UrlKind::SubPages];

    /// Writer's word for it: `single_page`, `sub_pages`.
    pub fn as_str(self) -> &'static str {
        match self {
            UrlKind::SinglePage => "single_page",
            UrlKind::SubPages => "sub_pages",
        }
    }

    pub fn parse(s: &str) -> Option<UrlKind> {
        UrlKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The finding for a `type` that is neither `single_page` nor `sub_pages`.
pub fn bad_kind(input: &str) -> Finding {
    Finding::error(
        "Invalid web URL type",
        format!(
            "`{}` is not a web URL type. Write `single_page` to read that page only, or \
             `sub_pages` to read it and the pages under it.",
            quote::text(input)
        ),
    )
}

/// One entry of `web_urls` as configured; `None` where the value is not
/// known yet (it is judged when it is).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebUrl {
    pub url: Option<String>,
    pub kind: Option<UrlKind>,
    pub exclude_urls: Option<Vec<String>>,
}

/// Where a finding belongs: the attribute the provider points it at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The whole `web_urls` list.
    List,
    /// `web_urls[i].url`.
    Url(usize),
    /// `web_urls[i].exclude_urls` (the finding's `element` names the
    /// exclusion when it is about one).
    ExcludeUrls(usize),
}

/// One finding about the list, and where it belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlFinding {
    pub place: Place,
    pub finding: Finding,
}

/// Why a URL is not one Writer can read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NotHttp {
    /// Spaces or line breaks around it.
    Spaces,
    /// Not an absolute URL (the parser's reason).
    Unparsable(String),
    /// Another scheme (`ftp`, `file`, `mailto`).
    Scheme(String),
}

/// What a PDF or image URL is, as a person names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Document {
    Pdf,
    Image,
}

/// One named way an entry of `web_urls` can be wrong or doubtful.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mistake {
    NotHttp(NotHttp),
    /// The same address as entry `first`.
    Duplicate {
        first: usize,
    },
    ExcludeOnSinglePage,
    ExcludeNotHttp {
        exclude: String,
        why: NotHttp,
    },
    Query,
    Fragment,
    Document(Document),
    ExcludeNotUnder {
        exclude: String,
    },
    TooMany {
        count: usize,
    },
}

/// Parses `input` as a URL Writer could crawl.
fn parse_http(input: &str) -> Result<Url, NotHttp> {
    if input.trim() != input {
        return Err(NotHttp::Spaces);
    }
    let url = Url::parse(input).map_err(|e| NotHttp::Unparsable(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(NotHttp::Scheme(url.scheme().to_owned()));
    }
    Ok(url)
}

const PDF_EXTENSIONS: [&str; 1] = ["pdf"];
const IMAGE_EXTENSIONS: [&str; 11] = [
    "jpg", "jpeg", "png", "gif", "webp", "svg", "bmp", "tif", "tiff", "avif", "ico",
];

/// A PDF or an image, told from the extension of the path's last segment.
fn document(url: &Url) -> Option<Document> {
    let last = url.path_segments()?.next_back()?;
    let (_, extension) = last.rsplit_once('.')?;
    let extension = extension.to_ascii_lowercase();
    if PDF_EXTENSIONS.contains(&extension.as_str()) {
        Some(Document::Pdf)
    } else if IMAGE_EXTENSIONS.contains(&extension.as_str()) {
        Some(Document::Image)
    } else {
        None
    }
}

/// Whether `exclude` can match a page read from `base`: same origin, and its
/// path starts with the base's path (taken without a trailing `/`).
fn is_under(exclude: &Url, base: &Url) -> bool {
    let base_path = base.path().trim_end_matches('/');
    exclude.origin() == base.origin() && exclude.path().starts_with(base_path)
}

/// Every mistake of entry `i` on its own (not the duplicates).
fn diagnose_entry(i: usize, entry: &WebUrl) -> Vec<(Place, Mistake)> {
    let mut found = Vec::new();
    let parsed = entry.url.as_deref().map(parse_http);
    if let Some(Err(why)) = &parsed {
        found.push((Place::Url(i), Mistake::NotHttp(why.clone())));
    }
    if let Some(Ok(url)) = &parsed {
        if url.query().is_some() {
            found.push((Place::Url(i), Mistake::Query));
        }
        if url.fragment().is_some() {
            found.push((Place::Url(i), Mistake::Fragment));
        }
        if let Some(d) = document(url) {
            found.push((Place::Url(i), Mistake::Document(d)));
        }
    }
    let Some(excludes) = &entry.exclude_urls else {
        return found;
    };
    if entry.kind == Some(UrlKind::SinglePage) && !excludes.is_empty() {
        found.push((Place::ExcludeUrls(i), Mistake::ExcludeOnSinglePage));
        // Exclusions of a single page are refused as a whole: judging each
        // one as well would only repeat the same fix.
        return found;
    }
    for exclude in excludes {
        match (parse_http(exclude), &parsed) {
            (Err(why), _) => found.push((
                Place::ExcludeUrls(i),
                Mistake::ExcludeNotHttp {
                    exclude: exclude.clone(),
                    why,
                },
            )),
            (Ok(ex), Some(Ok(base))) if !is_under(&ex, base) => found.push((
                Place::ExcludeUrls(i),
                Mistake::ExcludeNotUnder {
                    exclude: exclude.clone(),
                },
            )),
            _ => {}
        }
    }
    found
}

/// Every mistake in the list, each with the entry it is about (`None` for
/// the list as a whole), in list order.
fn diagnose(entries: &[WebUrl]) -> Vec<(Option<usize>, Place, Mistake)> {
    let mut found = Vec::new();
    if entries.len() > MAX_SITES {
        found.push((
            None,
            Place::List,
            Mistake::TooMany {
                count: entries.len(),
            },
        ));
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        for (place, mistake) in diagnose_entry(i, entry) {
            found.push((Some(i), place, mistake));
        }
        let Some(key) = entry
            .url
            .as_deref()
            .and_then(|u| parse_http(u).ok())
            .map(String::from)
        else {
            continue;
        };
        match seen.iter().find(|(k, _)| *k == key) {
            Some(&(_, first)) => found.push((Some(i), Place::Url(i), Mistake::Duplicate { first })),
            None => seen.push((key, i)),
        }
    }
    found
}

/// Checks the whole `web_urls` list. Empty means nothing to say.
pub fn check(entries: &[WebUrl]) -> Vec<UrlFinding> {
    diagnose(entries)
        .into_iter()
        .map(|(index, place, mistake)| {
            let entry = index.and_then(|i| entries.get(i));
            let url = entry.and_then(|e| e.url.as_deref()).unwrap_or_default();
            UrlFinding {
                place,
                finding: mistake.finding(url),
            }
        })
        .collect()
}

impl NotHttp {
    /// What is wrong, as the middle of a sentence about `shown`.
    fn reason(&self) -> String {
        match self {
            NotHttp::Spaces => "has spaces or line breaks around it".to_owned(),
            NotHttp::Unparsable(e) => format!("is not an absolute URL ({e})"),
            NotHttp::Scheme(s) => format!("uses `{}:`, not `http` or `https`", quote::text(s)),
        }
    }
}

const TYPE_FIX: &str = "For a whole section of a site, use the URL of the section's first page \
     with `type = \"sub_pages\"`.";

impl Mistake {
    fn finding(&self, url: &str) -> Finding {
        let shown = quote::url(url);
        match self {
            Mistake::NotHttp(why) => Finding::error(
                "Web URL is not an http(s) URL",
                format!(
                    "`{shown}` {}. Writer's web connector reads only public web pages: write \
                     the page's full address, such as `https://docs.example.com/handbook`.",
                    why.reason()
                ),
            ),
            Mistake::Duplicate { first } => Finding::error(
                "Duplicate web URL",
                format!(
                    "`{shown}` is already in `web_urls` (entry {first}, counting from 0). Writer \
                     keeps one entry per URL: remove one of them, and if they differ in `type` \
                     or `exclude_urls`, keep the one you mean."
                ),
            ),
            Mistake::ExcludeOnSinglePage => Finding::error(
                "exclude_urls on a single page",
                format!(
                    "`{shown}` has `type = \"single_page\"`, so Writer reads that page only and \
                     there is nothing to exclude. Remove `exclude_urls`, or set `type = \
                     \"sub_pages\"` to read the pages under it except the excluded ones."
                ),
            ),
            Mistake::ExcludeNotHttp { exclude, why } => Finding::error(
                "Excluded URL is not an http(s) URL",
                format!(
                    "`{}`, excluded from `{shown}`, {}. Write the full address of the page or \
                     section to leave out, under `{shown}`.",
                    quote::url(exclude),
                    why.reason()
                ),
            )
            .about(exclude),
            Mistake::Query => Finding::warning(
                "Web URL has a query string",
                format!(
                    "`{shown}` has a query string (`?…`), which makes it a dynamic URL. Writer's \
                     help centre says its web connector does not read dynamic URLs (search \
                     pages, `?query=`), so it may end in error. Use the page's address without \
                     the query if it shows the same content; keep it if you know Writer reads \
                     it."
                ),
            ),
            Mistake::Fragment => Finding::warning(
                "Web URL has a fragment",
                format!(
                    "`{shown}` has a fragment (`#…`), a place within a page that a crawler never \
                     sees: Writer reads the whole page. Remove the fragment, or keep it if you \
                     know Writer needs it. {TYPE_FIX}"
                ),
            ),
            Mistake::Document(d) => {
                let what = match d {
                    Document::Pdf => "a PDF",
                    Document::Image => "an image",
                };
                Finding::warning(
                    format!("Web URL points to {what}"),
                    format!(
                        "`{shown}` looks like {what}. Writer's help centre says its web \
                         connector does not read PDFs or images: download it and upload it \
                         with a `writer_file` resource instead (PNG, JPG and PDF files are \
                         taken), or keep the URL if you know Writer reads it."
                    ),
                )
            }
            Mistake::ExcludeNotUnder { exclude } => Finding::warning(
                "Excluded URL is not under its URL",
                format!(
                    "`{}` is not under `{shown}` (another site, or another path), so Writer \
                     never reaches it from there and excluding it changes nothing. Write an \
                     address that starts with `{shown}`, or remove it.",
                    quote::url(exclude)
                ),
            )
            .about(exclude),
            Mistake::TooMany { count } => Finding::warning(
                "More web URLs than Writer adds at a time",
                format!(
                    "`web_urls` has {} URLs; Writer's AI Studio adds at most {MAX_SITES} sites \
                     at a time, and Writer does not say whether its API takes more. If Writer \
                     refuses the list, split the sites over several web Knowledge Graphs. \
                     {TYPE_FIX}",
                    quote::count(*count)
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str, kind: UrlKind, excludes: &[&str]) -> WebUrl {
        WebUrl {
            url: Some(url.to_owned()),
            kind: Some(kind),
            exclude_urls: Some(excludes.iter().map(|s| (*s).to_owned()).collect()),
        }
    }

    use UrlKind::{SinglePage as One, SubPages as Sub};

    /// The mistakes of a list of one entry.
    fn alone(url: &str, kind: UrlKind, excludes: &[&str]) -> Vec<Mistake> {
        diagnose(&[entry(url, kind, excludes)])
            .into_iter()
            .map(|(_, _, m)| m)
            .collect()
    }

    #[test]
    #[rustfmt::skip]
    fn judges_one_url() {
        let s = String::from;
        let cases: Vec<(&str, UrlKind, Vec<&str>, Vec<Mistake>)> = vec![
            ("https://docs.example.com/handbook", Sub, vec![], vec![]),
            ("http://intranet.example.com/", One, vec![], vec![]),
            ("https://docs.example.com/guide", Sub, vec!["https://docs.example.com/guide/old"], vec![]),
            ("https://docs.example.com/guide/", Sub, vec!["https://docs.example.com/guide/old/"], vec![]),
            ("https://docs.example.com", Sub, vec!["https://DOCS.example.com/archive"], vec![]),
            ("ftp://files.example.com/a", Sub, vec![], vec![Mistake::NotHttp(NotHttp::Scheme(s("ftp")))]),
            ("docs.example.com/handbook", Sub, vec![], vec![Mistake::NotHttp(NotHttp::Unparsable(s("relative URL without a base")))]),
            (" https://docs.example.com", Sub, vec![], vec![Mistake::NotHttp(NotHttp::Spaces)]),
            ("https://docs.example.com/search?q=pto", One, vec![], vec![Mistake::Query]),
            ("https://docs.example.com/a#part-2", One, vec![], vec![Mistake::Fragment]),
            ("https://docs.example.com/policy.PDF", One, vec![], vec![Mistake::Document(Document::Pdf)]),
            ("https://cdn.example.com/logo.png", One, vec![], vec![Mistake::Document(Document::Image)]),
            ("https://docs.example.com/pdf-guide", One, vec![], vec![]),
            ("https://docs.example.com/a", One, vec!["https://docs.example.com/a/b"], vec![Mistake::ExcludeOnSinglePage]),
            ("https://docs.example.com/a", One, vec![], vec![]),
            ("https://docs.example.com/guide", Sub, vec!["https://blog.example.com/guide/x"], vec![Mistake::ExcludeNotUnder { exclude: s("https://blog.example.com/guide/x") }]),
            ("https://docs.example.com/guide", Sub, vec!["https://docs.example.com/blog"], vec![Mistake::ExcludeNotUnder { exclude: s("https://docs.example.com/blog") }]),
            ("https://docs.example.com/guide", Sub, vec!["/guide/old"], vec![Mistake::ExcludeNotHttp { exclude: s("/guide/old"), why: NotHttp::Unparsable(s("relative URL without a base")) }]),
            ("https://docs.example.com/s?x=1#y", Sub, vec![], vec![Mistake::Query, Mistake::Fragment]),
        ];
        for (url, kind, excludes, expected) in cases {
            assert_eq!(alone(url, kind, &excludes), expected, "{url} {excludes:?}");
        }
    }

    #[test]
    fn duplicates_are_the_same_address_however_spelled() {
        let list = [
            entry("https://docs.example.com", Sub, &[]),
            entry("https://blog.example.com/", One, &[]),
            entry("HTTPS://Docs.Example.com:443/", One, &[]),
            entry("https://docs.example.com/other", One, &[]),
        ];
        let found = diagnose(&list);
        assert_eq!(
            found,
            vec![(Some(2), Place::Url(2), Mistake::Duplicate { first: 0 })]
        );
        let f = check(&list).remove(0).finding;
        assert!(f.detail.contains("entry 0"), "{}", f.detail);
        assert!(
            f.detail.contains("HTTPS://Docs.Example.com:443/"),
            "{}",
            f.detail
        );
    }

    #[test]
    fn more_than_twenty_sites_is_one_warning_about_the_list() {
        let list: Vec<WebUrl> = (0..=MAX_SITES)
            .map(|i| entry(&format!("https://site{i}.example.com/"), One, &[]))
            .collect();
        let found = check(&list);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].place, Place::List);
        assert!(found[0].finding.detail.contains("has 21 URLs"));
        assert!(check(&list[..MAX_SITES]).is_empty());
    }

    #[test]
    fn unknown_values_are_not_judged() {
        let list = [
            WebUrl::default(),
            WebUrl {
                url: Some("https://docs.example.com/a".into()),
                kind: None,
                exclude_urls: Some(vec!["https://docs.example.com/a/b".into()]),
            },
            WebUrl {
                url: None,
                kind: Some(One),
                exclude_urls: Some(vec!["https://docs.example.com/a/b".into()]),
            },
        ];
        // The exclusion of an unknown URL cannot be judged as "not under";
        // but a single page's exclusions are refused whatever the URL.
        let found = diagnose(&list);
        assert_eq!(
            found,
            vec![(Some(2), Place::ExcludeUrls(2), Mistake::ExcludeOnSinglePage)]
        );
    }

    #[test]
    fn every_finding_names_the_url_and_a_fix() {
        let list = [
            entry("ftp://files.example.com/a", Sub, &[]),
            entry("https://docs.example.com/search?q=pto", One, &[]),
            entry("https://docs.example.com/a#part-2", One, &[]),
            entry("https://docs.example.com/policy.pdf", One, &[]),
            entry(
                "https://docs.example.com/a",
                One,
                &["https://docs.example.com/a/b"],
            ),
            entry(
                "https://docs.example.com/g",
                Sub,
                &["https://blog.example.com/x"],
            ),
            entry("https://docs.example.com/h", Sub, &["mailto:x@example.com"]),
            entry("https://docs.example.com/search?q=pto", One, &[]),
        ];
        let found = check(&list);
        let places: Vec<Place> = found.iter().map(|f| f.place).collect();
        assert_eq!(
            places,
            vec![
                Place::Url(0),
                Place::Url(1),
                Place::Url(2),
                Place::Url(3),
                Place::ExcludeUrls(4),
                Place::ExcludeUrls(5),
                Place::ExcludeUrls(6),
                Place::Url(7),
                Place::Url(7),
            ]
        );
        for (f, entry) in found.iter().zip([0, 1, 2, 3, 4, 5, 6, 7, 7]) {
            let url = list[entry].url.as_deref().unwrap();
            assert!(
                f.finding.detail.contains(url),
                "{url}: {}",
                f.finding.detail
            );
        }
        let severities: Vec<bool> = found
            .iter()
            .map(|f| f.finding.severity == crate::domain::Severity::Error)
            .collect();
        assert_eq!(
            severities,
            vec![true, false, false, false, true, false, true, false, true]
        );
        assert!(found[0].finding.detail.contains("uses `ftp:`"));
        assert!(found[1].finding.detail.contains("dynamic URL"));
        assert!(found[2].finding.detail.contains("Remove the fragment"));
        assert!(found[3].finding.detail.contains("writer_file"));
        assert!(found[4].finding.detail.contains("Remove `exclude_urls`"));
        assert_eq!(
            found[5].finding.element.as_deref(),
            Some("https://blog.example.com/x")
        );
        assert!(found[5].finding.detail.contains("changes nothing"));
        assert_eq!(
            found[6].finding.element.as_deref(),
            Some("mailto:x@example.com")
        );
        assert!(found[8].finding.detail.contains("already in `web_urls`"));
    }

    #[test]
    fn a_password_in_a_url_is_never_shown() {
        let list = [entry(
            "https://me:fake-pw-1@docs.example.com/?a=1",
            One,
            &[],
        )];
        for f in check(&list) {
            assert!(
                !f.finding.detail.contains("fake-pw-1"),
                "{}",
                f.finding.detail
            );
        }
    }

    #[test]
    fn kinds_are_writers_words() {
        for kind in UrlKind::ALL {
            assert_eq!(UrlKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(UrlKind::parse("subpages"), None);
        assert!(bad_kind("subpages").detail.contains("`sub_pages`"));
    }
}
