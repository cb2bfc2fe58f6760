//! HTTP integration tests over the bundled sample: every route, and every hostile request of
//! issue #4 item 7. The router runs in-process (tower `oneshot`), the archive is built once per
//! test binary from `sample/` with the same readers and store the CLI uses.
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use chancery_formats::capture::TextOptions;
use chancery_model::{walk_blocks, Inline};
use chancery_store::Archive;
use chancery_web::{open_state, router, AppState, Options};

struct Fixture {
    _dir: tempfile::TempDir,
    state: Arc<AppState>,
    path: PathBuf,
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample")
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("archive");
        let mut archive = Archive::open(&path).expect("open archive");
        for f in files(&sample().join("bibliography"), "xml") {
            let bytes = std::fs::read(&f).expect("read record");
            let parsed =
                chancery_formats::bibliography::read_record(&bytes, &f.display().to_string())
                    .expect("parse record");
            archive.store_catalogue(&parsed).expect("store record");
        }
        for f in files(&sample().join("tei"), "xml") {
            let bytes = std::fs::read(&f).expect("read TEI");
            let parsed = chancery_formats::tei::read_tei(&bytes, &f.display().to_string())
                .expect("parse TEI");
            archive.store_volume(&parsed).expect("store TEI");
        }
        // The seeds in their real volumes: 000 becomes the second witness of v07's d45.
        let seeds = [
            ("000_b59939755342e843.txt", "frus1964-68v07"),
            ("003_5b44302af4495d90.txt", "frus1964-68v03"),
        ];
        let inputs: Vec<(PathBuf, Option<&str>)> = files(&sample().join("text"), "txt")
            .into_iter()
            .map(|f| (f, None))
            .chain(
                seeds
                    .iter()
                    .map(|(f, v)| (sample().join("seeds").join(f), Some(*v))),
            )
            .collect();
        {
            for (f, volume) in inputs {
                let bytes = std::fs::read(&f).expect("read text");
                let opts = TextOptions {
                    volume_id: volume.map(str::to_string),
                };
                let parsed =
                    chancery_formats::capture::read_text(&bytes, &f.display().to_string(), &opts)
                        .expect("parse text");
                archive.store_documents(&parsed, false).expect("store text");
            }
        }
        drop(archive);
        let state = open_state(
            &path,
            &Options {
                connections: 4,
                access_log: false,
                ..Options::default()
            },
        )
        .expect("open state");
        Fixture {
            _dir: dir,
            state,
            path,
        }
    })
}

struct Resp {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn send(req: Request<Body>) -> Resp {
    let app = router(Arc::clone(&fixture().state));
    let resp = app.oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(uri: &str) -> Resp {
    send(Request::get(uri).body(Body::empty()).expect("request")).await
}

#[tokio::test]
async fn every_html_route_answers() {
    let cases: &[(&str, &str)] = &[
        ("/", "reading room"),
        ("/historicaldocuments", "frus1964-68v07"),
        ("/historicaldocuments/frus1964-68v07", "Kent Sieg"),
        (
            "/historicaldocuments/frus1964-68v07/d45",
            "Telegram From the Embassy in France",
        ),
        (
            "/historicaldocuments/frus1964-68v07/pg_120",
            "Documents on this page",
        ),
        (
            "/historicaldocuments/frus1964-68v07/persons",
            "Harriman, W. Averell",
        ),
        ("/historicaldocuments/frus1964-68v07/terms", "DMZ"),
        ("/historicaldocuments/frus1861", "Message of the President"),
        (
            "/historicaldocuments/frus1964-68v03/d261",
            "Memorandum for Personal Files",
        ),
        ("/search", "Search"),
        ("/search?q=bombing", "documents"),
        (
            "/search?q=Harriman&volume=frus1964-68v07&sort=date",
            "Harriman",
        ),
        ("/people", "People"),
        ("/people/frus1964-68v07:p_HWA1", "Harriman"),
        ("/terms", "Abbreviations and Terms"),
        ("/timeline", "<svg"),
        ("/timeline?at=1968", "Documents by month, 1968"),
        ("/timeline?at=1968-10", "Documents by day"),
        (
            "/timeline?at=1968-10-02",
            "Telegram From the Embassy in France",
        ),
        ("/static/app.css", "--serif"),
        ("/static/app.js", "popover"),
    ];
    for (uri, needle) in cases {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        assert!(r.body.contains(needle), "{uri} lacks {needle:?}");
    }
}

#[tokio::test]
async fn document_page_has_the_apparatus() {
    let r = get("/historicaldocuments/frus1964-68v07/d45").await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    // Footnote 3: a mark that anchors to the note list (works without JavaScript).
    assert!(b.contains(r##"href="#fn-d45fn3""##), "mark 3");
    assert!(b.contains(r#"id="fn-d45fn3""#), "note 3");
    // The note's cross-reference is a link.
    assert!(
        b.contains(
            r#"<a class="xref" href="/historicaldocuments/frus1964-68v07/d40">Document 40</a>"#
        ),
        "Document 40 link"
    );
    // Page markers link to the page view.
    assert!(b.contains(r#"href="/historicaldocuments/frus1964-68v07/pg_120""#));
    assert!(b.contains("[Page 120]"));
    // Persons highlighted with their glossary description on hover, and in the side panel.
    assert!(b.contains(
        r#"class="person" href="/people/frus1964-68v07:p_HWA1" title="Harriman, W. Averell"#
    ));
    assert!(b.contains("<h2>Persons</h2>"));
    // Markings from the source note.
    assert!(b.contains("Secret") && b.contains("Nodis") && b.contains("Immediate"));
    // Breadcrumb, previous/next, TOC.
    assert!(b.contains(r#"rel="prev""#) && b.contains(r#"rel="next""#));
    assert!(b.contains("Contents of the volume"));
    // Citation box and reference-manager tags.
    assert!(
        b.contains("ed. Kent Sieg (Washington: Government Printing Office, 2003), Document 45.")
    );
    assert!(b.contains(r#"<meta name="citation_title" content="Telegram From the Embassy in France to the Department of State">"#));
    assert!(b.contains(r#"name="citation_firstpage" content="Document 45""#));
    assert!(b.contains("@incollection{frus1964-68v07-d45"));
    assert!(b.contains("TY  - CHAP"));
    // JSON and text forms.
    assert!(b.contains(r#"href="/api/v1/documents/frus1964-68v07/d45""#));
    assert!(b.contains(r#"href="/api/v1/documents/frus1964-68v07/d45/text""#));
}

/// Inlines of a document (body and notes) that satisfy `f`.
fn count_inlines(doc: &chancery_model::Document, f: impl Fn(&Inline) -> bool) -> usize {
    let mut n = 0;
    let mut visit = |i: &Inline| {
        if f(i) {
            n += 1;
        }
    };
    chancery_model::walk_inlines(&doc.heading, &mut visit);
    walk_blocks(&doc.body, &mut visit);
    for note in &doc.footnotes {
        walk_blocks(&note.blocks, &mut visit);
    }
    n
}

fn block_breaks(blocks: &[chancery_model::Block]) -> usize {
    use chancery_model::Block;
    blocks
        .iter()
        .map(|b| match b {
            Block::PageBreak { .. } => 1,
            Block::List { items, .. } => items.iter().map(|i| block_breaks(&i.blocks)).sum(),
            Block::Attachment { blocks, .. } | Block::Group { blocks, .. } => block_breaks(blocks),
            Block::Table { rows, .. } => rows
                .iter()
                .filter(|r| r.page_break_before.is_some())
                .count(),
            Block::Paragraph { .. } => 0,
        })
        .sum()
}

#[tokio::test]
async fn text_ingested_seeds_render_all_footnotes_and_page_markers() {
    let archive = Archive::open_existing(&fixture().path).expect("archive");
    for (volume, id) in [("frus1964-68v03", "d261")] {
        let doc = archive
            .document(volume, id)
            .expect("read")
            .expect("seed present");
        let notes = doc.footnotes.len();
        let marks = count_inlines(&doc, |i| matches!(i, Inline::NoteRef { .. }));
        let breaks = count_inlines(&doc, |i| matches!(i, Inline::PageBreak { .. }))
            + block_breaks(&doc.body)
            + doc
                .footnotes
                .iter()
                .map(|n| block_breaks(&n.blocks))
                .sum::<usize>();
        assert!(notes > 0 && breaks > 0, "seed {id} has notes and pages");
        let r = get(&format!("/historicaldocuments/{volume}/{id}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            r.body.matches(r#"<div class="note"#).count(),
            notes,
            "{id} notes"
        );
        assert_eq!(
            r.body.matches(r#"class="fnref""#).count(),
            marks,
            "{id} marks"
        );
        assert_eq!(
            r.body.matches(r#"<a class="pb""#).count(),
            breaks,
            "{id} page markers"
        );
        for n in &doc.footnotes {
            assert!(
                r.body.contains(&format!(r#"id="fn-{}""#, n.id)),
                "{id}: note {}",
                n.id
            );
        }
    }
}

/// The first document (in archive order) with an encoded reference that satisfies `f`, read
/// through the store's API.
fn find_ref(
    archive: &Archive,
    f: impl Fn(&chancery_store::EncodedRef, &str) -> bool,
) -> Option<(String, String, chancery_store::EncodedRef)> {
    for d in archive.documents(None).expect("documents") {
        for r in archive.encoded_refs(&d.volume_id, &d.id).expect("refs") {
            if f(&r, &d.volume_id) {
                return Some((d.volume_id, d.id, r));
            }
        }
    }
    None
}

#[tokio::test]
async fn unresolved_references_are_plain_and_resolved_ones_link() {
    let archive = Archive::open_existing(&fixture().path).expect("archive");
    let unresolved = find_ref(&archive, |r, _| {
        r.resolved == Some(false)
            && r.target_element
                .as_deref()
                .is_some_and(|e| e.starts_with('d'))
    });
    if let Some((v, d, _)) = unresolved {
        let r = get(&format!("/historicaldocuments/{v}/{d}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(r#"class="xref unresolved""#), "{v}/{d}");
    }
    let cross = find_ref(&archive, |r, v| {
        r.resolved == Some(true)
            && r.resolved_document.is_some()
            && r.target_volume.as_deref().is_some_and(|t| t != v)
    });
    if let Some((v, d, r)) = cross {
        let tv = r.target_volume.unwrap_or_default();
        let td = r.resolved_document.unwrap_or_default();
        let page = get(&format!("/historicaldocuments/{v}/{d}")).await;
        assert!(
            page.body
                .contains(&format!("/historicaldocuments/{tv}/{td}")),
            "cross-volume link"
        );
    }
}

#[tokio::test]
async fn every_api_route_answers_json() {
    let cases: &[(&str, &str)] = &[
        ("/api/v1", "resources"),
        ("/api/v1/", "resources"),
        ("/api/v1/openapi.json", "openapi"),
        ("/api/v1/stats", "documents"),
        ("/api/v1/volumes", "volumes"),
        ("/api/v1/volumes/frus1964-68v07", "titles"),
        ("/api/v1/volumes/frus1964-68v07/toc", "toc"),
        ("/api/v1/volumes/frus1964-68v07/documents", "documents"),
        ("/api/v1/volumes/frus1964-68v07/persons", "persons"),
        ("/api/v1/volumes/frus1964-68v07/terms", "terms"),
        ("/api/v1/documents/frus1964-68v07/d45", "footnotes"),
        ("/api/v1/documents/frus1964-68v07/d45/citation", "chicago"),
        ("/api/v1/persons/frus1964-68v07:p_HWA1", "documents"),
        ("/api/v1/search?q=bombing", "facets"),
    ];
    for (uri, key) in cases {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        let v = r.json();
        assert!(v.get(key).is_some(), "{uri} lacks {key}");
    }
    let d = get("/api/v1/documents/frus1964-68v07/d45").await.json();
    assert_eq!(d["analysis"]["classification"], "Secret");
    let c = get("/api/v1/documents/frus1964-68v07/d45/citation")
        .await
        .json();
    assert_eq!(c["csl"]["editor"][0]["family"], "Sieg");
    let t = get("/api/v1/documents/frus1964-68v07/d45/text").await;
    assert!(t
        .body
        .starts_with("45. Telegram From the Embassy in France"));
    assert!(t.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or("")
        .starts_with("text/plain"));
    let m = get("/api/v1/documents/frus1964-68v07/d45/markdown").await;
    assert_eq!(m.status, StatusCode::OK);
    let b = get("/api/v1/documents/frus1964-68v07/d45/citation?format=bibtex").await;
    assert!(b.body.starts_with("@incollection{"));
    let ris = get("/api/v1/documents/frus1964-68v07/d45/citation?format=ris").await;
    assert!(ris.body.starts_with("TY  - CHAP"));
}

#[tokio::test]
async fn facet_counts_match_filtered_totals() {
    let all = get("/api/v1/search?q=bombing").await.json();
    let total = all["total"].as_u64().unwrap_or(0);
    assert!(total > 0);
    for facet in ["volume", "kind", "year"] {
        let values = all["facets"][facet].as_array().cloned().unwrap_or_default();
        for v in values.iter().take(3) {
            let value = v["value"].as_str().unwrap_or("");
            let count = v["count"].as_u64().unwrap_or(0);
            let narrowed = get(&format!("/api/v1/search?q=bombing&{facet}={value}"))
                .await
                .json();
            assert_eq!(narrowed["total"].as_u64(), Some(count), "{facet}={value}");
            // The chosen facet keeps listing its other values with their counts (to widen the
            // choice again); only the other facets narrow.
            assert_eq!(
                narrowed["facets"][facet], all["facets"][facet],
                "{facet}={value} still lists every {facet}"
            );
        }
    }
    let sorted = get("/api/v1/search?q=bombing&sort=date&per_page=5&page=2")
        .await
        .json();
    // The engine's response: the page is an offset and a limit.
    assert_eq!(
        (sorted["offset"].as_u64(), sorted["limit"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(sorted["sort"], "date");
    assert!(sorted["hits"].as_array().is_some_and(|h| h.len() <= 5));
    let ranged = get("/api/v1/search?q=bombing&from=1968-10&to=1968-10")
        .await
        .json();
    // Overlap (the default): each hit's dates meet October 1968.
    for h in ranged["hits"].as_array().cloned().unwrap_or_default() {
        let min = h["date_min"].as_str().unwrap_or("");
        let max = h["date_max"].as_str().unwrap_or("");
        assert!(min < "1968-11" && max >= "1968-10", "{min} … {max}");
    }
    let page = get("/search?q=bombing").await;
    assert!(page.body.contains("undated") || all["undated"] == 0);
    assert!(page.body.contains("<mark>"), "KWIC");
}

#[tokio::test]
async fn unknown_ids_are_404_in_html_and_json() {
    for uri in [
        "/historicaldocuments/frus1900v99",
        "/historicaldocuments/frus1964-68v07/d99999",
        "/historicaldocuments/frus1964-68v07/pg_99999",
        "/people/frus1964-68v07:p_NOBODY",
        "/people/nocolon",
        "/nothing/here",
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(r.body.contains("<!DOCTYPE html>"), "{uri} is an HTML page");
    }
    for uri in [
        "/api/v1/volumes/frus1900v99",
        "/api/v1/documents/frus1964-68v07/d99999",
        "/api/v1/documents/frus1964-68v07/d99999/citation",
        "/api/v1/persons/frus1964-68v07:p_NOBODY",
        "/api/v1/nothing",
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        let v = r.json();
        assert_eq!(v["error"]["code"], "not_found", "{uri}");
        assert!(v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn malformed_queries_are_400_with_the_place() {
    let r = get("/api/v1/search?q=bombing%20%22Paris").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let v = r.json();
    assert_eq!(v["error"]["code"], "bad_request");
    assert_eq!(v["error"]["location"]["param"], "q");
    // The engine names where it stopped: at the quote or where the closing one was expected.
    assert!(
        v["error"]["location"]["column"]
            .as_u64()
            .is_some_and(|c| c >= 9),
        "{v}"
    );
    let r = get("/search?q=bombing%20%22Paris").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains(r#"id="qerror""#), "{}", r.body);
    assert!(r.body.contains(r#"class="error""#), "the box is marked");
    for (uri, param) in [
        ("/api/v1/search?q=x&sort=sideways", "sort"),
        ("/api/v1/search?q=x&page=0", "page"),
        ("/api/v1/search?q=x&per_page=100000", "per_page"),
        ("/api/v1/search?q=x&from=1968-13-01", "from"),
        ("/api/v1/search?q=(a", "q"),
        (
            "/api/v1/documents/frus1964-68v07/d45/citation?format=mla",
            "format",
        ),
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(r.json()["error"]["location"]["param"], param, "{uri}");
    }
    let r = get("/timeline?at=1968-99").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // A day its month does not have is no date either (1968 is a leap year: 02-29 exists).
    for day in ["1968-02-30", "1967-02-29", "1968-04-31"] {
        let r = get(&format!("/timeline?at={day}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{day}");
    }
    assert_eq!(get("/timeline?at=1968-02-29").await.status, StatusCode::OK);
}

#[tokio::test]
async fn over_long_requests_are_refused() {
    let long = "a".repeat(3000);
    let r = get(&format!("/search?q={long}")).await;
    assert_eq!(r.status, StatusCode::URI_TOO_LONG);
    let r = get(&format!("/api/v1/search?q={long}")).await;
    assert_eq!(r.status, StatusCode::URI_TOO_LONG);
    assert_eq!(r.json()["error"]["code"], "uri_too_long");
    // Within the URI limit but over the parameter limit.
    let q = "b".repeat(1500);
    let r = get(&format!("/api/v1/search?q={q}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["location"]["param"], "q");
    let r = get(&format!(
        "/historicaldocuments/frus1964-68v07/{}",
        "d".repeat(300)
    ))
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn path_traversal_is_impossible() {
    for uri in [
        "/historicaldocuments/..%2F..%2Fetc%2Fpasswd",
        "/historicaldocuments/frus1964-68v07/..%2F..%2FCargo.toml",
        "/static/../Cargo.toml",
        "/static/%2e%2e%2fCargo.toml",
        "/static/..%5cCargo.toml",
        "/static/Cargo.toml",
        "/api/v1/documents/..%2F..%2F/etc",
        "/historicaldocuments/%00",
        "/people/..%2F..:p_x",
    ] {
        let r = get(uri).await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::BAD_REQUEST,
            "{uri}: {}",
            r.status
        );
        assert!(
            !r.body.contains("[workspace]") && !r.body.contains("root:"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn etag_round_trip_and_cors() {
    for uri in [
        "/historicaldocuments/frus1964-68v07/d45",
        "/api/v1/documents/frus1964-68v07/d45",
        "/static/app.css",
    ] {
        let r = get(uri).await;
        let etag = r.headers[header::ETAG].to_str().expect("etag").to_string();
        assert!(r.headers.contains_key(header::CACHE_CONTROL), "{uri}");
        let again = send(
            Request::get(uri)
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again.body.is_empty());
        let other = send(
            Request::get(uri)
                .header(header::IF_NONE_MATCH, "\"nope\"")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(other.status, StatusCode::OK);
    }
    let r = get("/api/v1/volumes").await;
    assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let pre = send(
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/search")
            .header(header::ORIGIN, "https://example.org")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    // tower-http answers a preflight 200 (the hand-written layer said 204; Fetch takes any 2xx).
    assert!(pre.status.is_success(), "{}", pre.status);
    assert!(pre.headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap_or("")
        .contains("GET"));
}

#[tokio::test]
async fn writes_are_refused() {
    let r = send(
        Request::post("/api/v1/volumes")
            .body(Body::from("{}"))
            .expect("request"),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.json()["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn odd_requests_never_fail_the_server() {
    let odd = [
        "/search?q=%FF%FE",
        "/search?q=%",
        "/search?q=%22%22",
        "/search?q=-",
        "/search?q=*",
        "/search?page=999999&q=the",
        "/search?q=the&page=abc",
        "/search?volume=&kind=&year=",
        "/search?q=%E2%80%9Cquote%E2%80%9D",
        "/api/v1/search?q=%22a%22%22",
        "/timeline?at=",
        "/timeline?at=0000-00-00",
        "/historicaldocuments/frus1964-68v07/pg_",
        "/historicaldocuments/frus1964-68v07/pg_%F0%9F%98%80",
        "/people/:",
        "/people/frus1964-68v07:",
        "/api/v1/persons/%3A%3A",
        "/historicaldocuments/%E2%80%A6",
    ];
    for uri in odd {
        let r = get(uri).await;
        assert!(
            r.status.is_success() || r.status.is_client_error(),
            "{uri}: {} {}",
            r.status,
            r.body
        );
    }
}

/// A server keeps serving while another process ingests into its archive: once that ingest has
/// committed its index, searches see the new documents without a restart.
#[tokio::test]
async fn search_sees_documents_ingested_while_serving() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("archive");
    let store = |name: &str| {
        let f = sample().join("tei").join(name);
        let bytes = std::fs::read(&f).expect("read TEI");
        let parsed =
            chancery_formats::tei::read_tei(&bytes, &f.display().to_string()).expect("parse TEI");
        let mut archive = Archive::open(&path).expect("open archive");
        archive.store_volume(&parsed).expect("store TEI");
        // What `chancery ingest` does after storing: bring the index in step and commit it.
        let index = chancery_index::SearchIndex::open(&path).expect("index");
        index.ensure_current(&archive).expect("index in step");
    };
    store("frus1861-excerpt.xml");
    let state = open_state(
        &path,
        &Options {
            connections: 2,
            access_log: false,
            ..Options::default()
        },
    )
    .expect("open state");
    let total = |state: Arc<AppState>| async move {
        let resp = router(state)
            .oneshot(
                Request::builder()
                    .uri("/api/v1/search?q=harriman")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        let v: Value = serde_json::from_slice(&body).expect("json");
        v["total"].as_u64().expect("total")
    };
    assert_eq!(total(Arc::clone(&state)).await, 0, "not in the 1861 volume");
    store("frus1964-68v07-excerpt.xml");
    assert!(
        total(Arc::clone(&state)).await > 0,
        "the new volume is searched"
    );
}

// ---------------------------------------------------------------------------------------------
// One search path: the API is the engine's request and response.

async fn post_json(uri: &str, body: &str) -> Resp {
    send(
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request"),
    )
    .await
}

fn without_timing(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("took_ms");
    }
    v
}

#[tokio::test]
async fn the_search_api_is_the_engines_request_and_response() {
    let r = get("/api/v1/search?q=bombing&volume=frus1964-68v07&sort=date&per_page=5&page=2").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The JSON is SearchResponse's serde form, nothing added or renamed.
    let typed: chancery_query::SearchResponse =
        serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not a SearchResponse: {e}"));
    assert_eq!(
        serde_json::to_value(&typed).expect("serialise"),
        r.json(),
        "nothing beside the response's own fields"
    );
    assert!(typed.total > 5 && typed.hits.len() == 5);
    // The same request as a JSON SearchRequest answers the same.
    let req = chancery_query::SearchRequest {
        query: "bombing".into(),
        filters: [("volume".to_string(), vec!["frus1964-68v07".to_string()])]
            .into_iter()
            .collect(),
        sort: chancery_query::Sort::Date,
        facets: true,
        facet_limit: 30,
        limit: 5,
        offset: 5,
        ..chancery_query::SearchRequest::default()
    };
    let posted = post_json(
        "/api/v1/search",
        &serde_json::to_string(&req).expect("json"),
    )
    .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    assert_eq!(without_timing(posted.json()), without_timing(r.json()));
    // Every field has a default: a bare query is a whole request.
    let bare = post_json("/api/v1/search", r#"{"query": "harriman"}"#).await;
    assert_eq!(bare.status, StatusCode::OK, "{}", bare.body);
    assert!(bare.json()["total"].as_u64().is_some_and(|n| n > 0));
}

#[tokio::test]
async fn the_whole_query_language_is_served() {
    // OR, NOT and parentheses were 400s under the interim engine.
    for q in [
        "(bombing OR harriman) NOT paris",
        "title:(cuba OR soviet)",
        "bomb* AND b?mbing",
        "\"stop the bombing\"~3",
        "harriman~1",
        "date:[1968-10-01 TO 1968-10-31]",
    ] {
        let uri = format!("/api/v1/search?q={}", enc(q));
        let r = get(&uri).await;
        assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
        let page = get(&format!("/search?q={}", enc(q))).await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
    }
    let or = get(&format!("/api/v1/search?q={}", enc("bombing OR harriman")))
        .await
        .json();
    let one = get("/api/v1/search?q=bombing").await.json();
    assert!(or["total"].as_u64() > one["total"].as_u64(), "OR widens");
}

#[tokio::test]
async fn bad_search_requests_name_their_parameter() {
    for (uri, param) in [
        ("/api/v1/search?q=x&from=1968-10&to=1968-09", "to"),
        ("/api/v1/search?q=x&facet_limit=0", "facet_limit"),
        ("/api/v1/search?q=x&filter=type", "filter"),
        ("/api/v1/search?q=x&date_mode=around", "date_mode"),
        ("/api/v1/search?q=x&page=100000", "page"),
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(r.json()["error"]["location"]["param"], param, "{uri}");
    }
    // A facet the engine does not know: 400 with its message.
    let r = get("/api/v1/search?q=x&filter=colour%3Dblue").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("\"colour\" is not a facet")));
    // JSON requests: the query's column is under `query`.
    let r = post_json("/api/v1/search", r#"{"query": "cuba AND"}"#).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["location"]["param"], "query");
    assert_eq!(r.json()["error"]["location"]["column"], 9);
    let r = post_json(
        "/api/v1/search",
        r#"{"query": "x", "date_from": "1968-13"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["location"]["param"], "date_from");
    let r = post_json("/api/v1/search", "{not json").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("not a search request")));
    let r = post_json("/api/v1/search", r#"{"query": "x", "limit": 5000}"#).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Request limits: a body over 64 KiB is refused.
    let big = format!(r#"{{"query": "{}"}}"#, "a".repeat(70 * 1024));
    let r = post_json("/api/v1/search", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"]["code"], "payload_too_large");
    assert_eq!(
        r.json()["error"]["message"],
        "the request body is larger than 65536 bytes"
    );
    // With a Content-Length over the limit it is refused before any byte is read: the same
    // answer. (Above, with no Content-Length, the limit was met while reading.)
    let r = send(
        Request::post("/api/v1/search")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, big.len())
            .body(Body::from(big.clone()))
            .expect("request"),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"]["code"], "payload_too_large");
    // POST is for the search resource only.
    let r = post_json("/api/v1/stats", "{}").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.json()["error"]["code"], "method_not_allowed");
    let r = post_json("/search", "{}").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Friction found by a new user.

#[tokio::test]
async fn a_search_page_past_the_last_result_is_404() {
    let all = get("/api/v1/search?q=bombing&per_page=5").await.json();
    let total = all["total"].as_u64().unwrap_or(0);
    assert!(total > 5, "enough results for two pages");
    let pages = total.div_ceil(5);
    let last = get(&format!("/search?q=bombing&per_page=5&page={pages}")).await;
    assert_eq!(last.status, StatusCode::OK);
    assert!(last.body.contains(&format!(
        "of <strong id=\"total\">{total}</strong> documents"
    )));
    let past = get(&format!("/search?q=bombing&per_page=5&page={}", pages + 1)).await;
    assert_eq!(past.status, StatusCode::NOT_FOUND, "{}", past.body);
    assert!(
        past.body.contains(&format!(
            "there is no page {} of this search: it has {total} results on {pages} pages",
            pages + 1
        )),
        "{}",
        past.body
    );
    assert!(past.body.contains("Go to the last page"));
    assert!(!past.body.contains("Displaying"), "no 'Displaying 21–20'");
    // Page 1 exists even when nothing matches.
    let none = get("/search?q=zzzzqqqq").await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body.contains("No documents match."));
    let none2 = get("/search?q=zzzzqqqq&page=2").await;
    assert_eq!(none2.status, StatusCode::NOT_FOUND);
    assert!(
        none2.body.contains("it has 0 results on 1 page"),
        "{}",
        none2.body
    );
    // The API pages like the CLI: past the end is an empty page of the same total.
    let api = get(&format!(
        "/api/v1/search?q=bombing&per_page=5&page={}",
        pages + 1
    ))
    .await
    .json();
    assert_eq!(api["total"].as_u64(), Some(total));
    assert_eq!(api["hits"].as_array().map(Vec::len), Some(0));
}

/// No count of one takes a plural noun anywhere on these pages.
fn assert_no_plural_one(uri: &str, body: &str) {
    for noun in [
        "documents",
        "volumes",
        "footnotes",
        "persons",
        "entries",
        "terms",
        "results",
        "pages",
        "dated documents",
    ] {
        for prefix in [">1 ", "(1 ", " 1 "] {
            let bad = format!("{prefix}{noun}");
            assert!(!body.contains(&bad), "{uri} says {bad:?}");
        }
    }
}

#[tokio::test]
async fn counts_agree_with_their_nouns() {
    use chancery_store::{DateBucket, GlossaryKind};
    let archive = Archive::open_existing(&fixture().path).expect("archive");
    let mut checked = 0;
    // A person mentioned in exactly one document, on their volume's persons list.
    let mut glossary_one = false;
    for v in archive.volumes().expect("volumes") {
        let counts = archive
            .mention_counts(&v.id, GlossaryKind::Person)
            .expect("counts");
        let uri = format!("/historicaldocuments/{}/persons", v.id);
        let r = get(&uri).await;
        if r.status != StatusCode::OK {
            continue;
        }
        assert_no_plural_one(&uri, &r.body);
        if counts.values().any(|n| *n == 1) {
            assert!(r.body.contains("(1 document)"), "{uri}");
            glossary_one = true;
        }
        checked += 1;
    }
    assert!(glossary_one, "the sample has a person mentioned once");
    // A day with one document on the timeline.
    let mut day_one = None;
    'years: for (y, _) in archive.date_counts(DateBucket::Year, None).expect("years") {
        for (m, _) in archive
            .date_counts(DateBucket::Month, Some(&y))
            .expect("months")
        {
            for (d, n) in archive
                .date_counts(DateBucket::Day, Some(&m))
                .expect("days")
            {
                if n == 1 {
                    day_one = Some(d);
                    break 'years;
                }
            }
        }
    }
    let day = day_one.expect("a day with one document");
    let uri = format!("/timeline?at={day}");
    let r = get(&uri).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h2>1 document</h2>"), "{uri}");
    assert!(r.body.contains(": 1 document</title>"), "{uri}");
    assert_no_plural_one(&uri, &r.body);
    // A search with one result: a facet value counted once, chosen.
    let all = get("/api/v1/search?q=bombing").await.json();
    let one = all["facets"]["year"]
        .as_array()
        .and_then(|v| v.iter().find(|v| v["count"] == 1).cloned())
        .expect("a year with one bombing document");
    let uri = format!(
        "/search?q=bombing&year={}",
        one["value"].as_str().unwrap_or("")
    );
    let r = get(&uri).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Displaying 1–1 of <strong id=\"total\">1</strong> document"),
        "{uri}"
    );
    assert_no_plural_one(&uri, &r.body);
    for uri in [
        "/",
        "/historicaldocuments",
        "/people",
        "/terms",
        "/timeline",
    ] {
        let r = get(uri).await;
        assert_no_plural_one(uri, &r.body);
        checked += 1;
    }
    assert!(checked > 5);
}

#[tokio::test]
async fn the_api_root_answers_with_and_without_a_slash() {
    let a = get("/api/v1").await;
    let b = get("/api/v1/").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(a.json(), b.json());
    assert_eq!(a.headers[header::CONTENT_TYPE], "application/json");
}

#[tokio::test]
async fn ids_follow_the_archive_rule() {
    // Ids `is_valid_id` refuses (a leading dot, over 100 bytes) never reach the store.
    for (uri, kind) in [
        (
            "/historicaldocuments/frus1964-68v07/.d45".to_string(),
            "document",
        ),
        (
            format!("/historicaldocuments/{}", "v".repeat(101)),
            "volume",
        ),
        (
            format!("/api/v1/documents/frus1964-68v07/{}", "d".repeat(101)),
            "document",
        ),
        ("/api/v1/volumes/.frus1964-68v07".to_string(), "volume"),
    ] {
        let r = get(&uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            r.body.contains(&format!("no {kind} with that id")),
            "{uri}: {}",
            r.body
        );
    }
    // Ids it accepts are looked up (and 404 as absent, not as malformed).
    let r = get(&format!(
        "/historicaldocuments/frus1964-68v07/{}",
        "d".repeat(100)
    ))
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("in this archive"), "{}", r.body);
}

// ---------------------------------------------------------------------------------------------
// The stored apparatus, read not recomputed.

#[tokio::test]
async fn the_document_api_serves_the_stored_apparatus() {
    let archive = Archive::open_existing(&fixture().path).expect("archive");
    let stored = archive
        .apparatus("frus1964-68v07", "d45")
        .expect("read")
        .expect("d45 has an apparatus");
    let d = get("/api/v1/documents/frus1964-68v07/d45").await.json();
    assert_eq!(d["apparatus"], serde_json::to_value(&stored).expect("json"));
    let m = stored.markings.clone().expect("markings");
    assert_eq!(d["analysis"]["classification"], "Secret");
    assert_eq!(d["analysis"]["classification"], json_str(&m.classification));
    assert_eq!(d["analysis"]["precedence"], json_str(&m.precedence));
    // The page shows the same markings.
    let page = get("/historicaldocuments/frus1964-68v07/d45").await;
    for c in m.caveats.iter().chain(m.code_words.iter()) {
        assert!(
            page.body
                .contains(&format!("<span class=\"chip\">{c}</span>")),
            "{c}"
        );
    }
    if let Some(t) = &m.doc_type {
        assert!(
            page.body.contains(&format!("<dt>Type</dt><dd>{t}</dd>")),
            "{t}"
        );
    }
}

fn json_str(v: &Option<String>) -> Value {
    v.as_deref().map(Value::from).unwrap_or(Value::Null)
}

// ---------------------------------------------------------------------------------------------
// Security headers, CSP, compression, CORS.

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let etag = get("/api/v1/stats").await.headers[header::ETAG]
        .to_str()
        .expect("etag")
        .to_string();
    let mut responses = Vec::new();
    for uri in [
        "/",
        "/historicaldocuments/frus1964-68v07/d45",
        "/search?q=bombing",
        "/search?q=%22open",
        "/api/v1/documents/frus1964-68v07/d45",
        "/api/v1/search?q=bombing",
        "/static/app.css",
        "/nothing/here",
        "/api/v1/nothing",
    ] {
        responses.push((uri.to_string(), get(uri).await));
    }
    responses.push((
        "long".into(),
        get(&format!("/search?q={}", "a".repeat(3000))).await,
    ));
    responses.push((
        "POST".into(),
        send(Request::post("/").body(Body::empty()).expect("request")).await,
    ));
    responses.push((
        "304".into(),
        send(
            Request::get("/api/v1/stats")
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .expect("request"),
        )
        .await,
    ));
    assert_eq!(
        responses.last().map(|r| r.1.status),
        Some(StatusCode::NOT_MODIFIED)
    );
    for (uri, r) in &responses {
        assert_eq!(
            r.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{uri}"
        );
        assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
        assert_eq!(
            r.headers[header::CONTENT_SECURITY_POLICY],
            chancery_web::CONTENT_SECURITY_POLICY,
            "{uri}"
        );
    }
}

/// What the CSP forbids, looked for in a page's HTML: inline scripts and event handlers, style
/// attributes and elements, scripts from elsewhere.
fn assert_csp_clean(uri: &str, body: &str) {
    assert!(!body.contains(" style="), "{uri}: a style attribute");
    assert!(!body.contains("<style"), "{uri}: a style element");
    assert!(!body.contains("javascript:"), "{uri}: a javascript: URL");
    for (i, _) in body.match_indices("<script") {
        let tag = &body[i..body[i..].find('>').map_or(body.len(), |e| i + e)];
        assert!(
            tag.contains(" src=\"/static/"),
            "{uri}: inline script {tag}"
        );
    }
    let lower = body.to_ascii_lowercase();
    for handler in [
        " onclick=",
        " onload=",
        " onerror=",
        " onmouseover=",
        " onsubmit=",
    ] {
        assert!(!lower.contains(handler), "{uri}: {handler}");
    }
}

#[tokio::test]
async fn every_page_satisfies_the_content_security_policy() {
    let archive = Archive::open_existing(&fixture().path).expect("archive");
    let mut uris: Vec<String> = [
        "/",
        "/historicaldocuments",
        "/search",
        "/search?q=bombing",
        "/search?q=%22open",
        "/people",
        "/people/frus1964-68v07:p_HWA1",
        "/terms",
        "/timeline",
        "/timeline?at=1968",
        "/timeline?at=1968-10",
        "/timeline?at=1968-10-02",
        "/historicaldocuments/frus1964-68v07/pg_120",
        "/nothing/here",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for v in archive.volumes().expect("volumes") {
        uris.push(format!("/historicaldocuments/{}", v.id));
        uris.push(format!("/historicaldocuments/{}/persons", v.id));
    }
    // Every document: paragraphs with a rendition (centred and the like) are classes now.
    for d in archive.documents(None).expect("documents") {
        uris.push(format!("/historicaldocuments/{}/{}", d.volume_id, d.id));
    }
    for uri in &uris {
        let r = get(uri).await;
        assert!(
            [
                StatusCode::OK,
                StatusCode::NOT_FOUND,
                StatusCode::BAD_REQUEST
            ]
            .contains(&r.status),
            "{uri}: {}",
            r.status
        );
        assert_csp_clean(uri, &r.body);
    }
}

#[tokio::test]
async fn html_and_json_are_compressed_on_request() {
    use tower_http::decompression::Decompression;
    for uri in [
        "/historicaldocuments/frus1964-68v07/d45",
        "/api/v1/documents/frus1964-68v07/d45",
        "/api/v1/search?q=bombing",
    ] {
        let plain = get(uri).await;
        assert!(
            !plain.headers.contains_key(header::CONTENT_ENCODING),
            "{uri}"
        );
        for coding in ["gzip", "br"] {
            let app = router(Arc::clone(&fixture().state));
            let resp = app
                .oneshot(
                    Request::get(uri)
                        .header(header::ACCEPT_ENCODING, coding)
                        .body(Body::empty())
                        .expect("request"),
                )
                .await
                .expect("infallible");
            assert_eq!(resp.status(), StatusCode::OK);
            assert_eq!(resp.headers()[header::CONTENT_ENCODING], coding, "{uri}");
            let bytes = resp.into_body().collect().await.expect("body").to_bytes();
            assert!(
                bytes.len() < plain.body.len() / 2,
                "{uri} {coding}: smaller"
            );
            // And it decodes to the same content.
            let decoded = Decompression::new(router(Arc::clone(&fixture().state)))
                .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
                .await
                .expect("infallible");
            let bytes = decoded
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes();
            if uri.contains("/search") {
                // took_ms differs between two runs.
                let a: Value = serde_json::from_slice(&bytes).expect("json");
                assert_eq!(without_timing(a), without_timing(plain.json()));
            } else {
                assert_eq!(String::from_utf8_lossy(&bytes), plain.body, "{uri}");
            }
        }
    }
}

#[tokio::test]
async fn cors_answers_on_the_api_only() {
    let with_origin = |uri: &str| {
        Request::get(uri)
            .header(header::ORIGIN, "https://example.org")
            .body(Body::empty())
            .expect("request")
    };
    let api = send(with_origin("/api/v1/volumes")).await;
    assert_eq!(api.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    for root in ["/api/v1", "/api/v1/"] {
        let r = send(with_origin(root)).await;
        assert_eq!(
            r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "*",
            "{root}"
        );
    }
    assert!(api.headers[header::ACCESS_CONTROL_EXPOSE_HEADERS]
        .to_str()
        .unwrap_or("")
        .to_ascii_lowercase()
        .contains("etag"));
    // An API 404 is readable cross-origin too.
    let missing = send(with_origin("/api/v1/nothing")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let page = send(with_origin("/historicaldocuments")).await;
    assert!(!page
        .headers
        .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
    // A cross-origin JSON search is preflighted: POST and Content-Type are allowed.
    let pre = send(
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/search")
            .header(header::ORIGIN, "https://example.org")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert!(pre.status.is_success());
    let methods = pre.headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap_or("")
        .to_string();
    assert!(
        methods.contains("POST") && methods.contains("GET"),
        "{methods}"
    );
    assert!(pre.headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap_or("")
        .to_ascii_lowercase()
        .contains("content-type"));
}

#[tokio::test]
async fn the_openapi_document_describes_the_engines_types() {
    use std::collections::BTreeSet;
    let doc = get("/api/v1/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    let keys = |v: &Value| -> BTreeSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let request = serde_json::to_value(chancery_query::SearchRequest::default()).expect("json");
    assert_eq!(
        keys(&request),
        keys(&schemas["SearchRequest"]["properties"])
    );
    let resp = get("/api/v1/search?q=bombing").await.json();
    let hit = &resp["hits"][0];
    for (schema, value) in [
        ("SearchResponse", &resp),
        ("Hit", hit),
        ("Snippet", &hit["snippets"][0]),
        ("FacetCount", &resp["facets"]["year"][0]),
    ] {
        assert!(value.is_object(), "{schema}: an example in the sample");
        assert_eq!(
            keys(value),
            keys(&schemas[schema]["properties"]),
            "{schema}"
        );
        let required: BTreeSet<String> = schemas[schema]["required"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            keys(value),
            required,
            "{schema}: every field is always present"
        );
    }
    for sort in [
        chancery_query::Sort::Relevance,
        chancery_query::Sort::Date,
        chancery_query::Sort::DateDesc,
    ] {
        let v = serde_json::to_value(sort).expect("json");
        assert!(
            schemas["Sort"]["enum"]
                .as_array()
                .is_some_and(|e| e.contains(&v)),
            "{v}"
        );
    }
    let search = &doc["paths"]["/search"];
    assert!(search["get"].is_object() && search["post"].is_object());
    assert!(search["get"]["responses"]["503"].is_object());
    // Every parameter the URL form reads is documented.
    let documented: BTreeSet<String> = search["get"]["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| p["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for p in [
        "q",
        "volume",
        "kind",
        "type",
        "year",
        "filter",
        "from",
        "to",
        "date_mode",
        "sort",
        "page",
        "per_page",
        "facets",
        "facet_limit",
        "snippets",
        "matter",
        "like",
    ] {
        assert!(documented.contains(p), "{p}");
    }
}

#[tokio::test]
async fn a_document_with_a_second_witness_lists_both_and_where_they_differ() {
    let archive = Archive::open_existing(&fixture().path).expect("archive");
    // Seed 000 is stored as a witness of the TEI document, not as a document of its own.
    let witnesses = archive
        .witnesses("frus1964-68v07", "d45")
        .expect("witnesses");
    assert_eq!(witnesses.len(), 1, "{witnesses:?}");
    assert!(witnesses[0]
        .source_path
        .ends_with("000_b59939755342e843.txt"));
    let page = get("/historicaldocuments/frus1964-68v07/d45").await;
    assert!(page.body.contains("<h2>Witnesses</h2>"), "witness section");
    assert!(page.body.contains("stored from 2 sources"));
    assert!(page.body.contains("Plain-text capture"));
    assert!(page.body.contains("000_b59939755342e843.txt"));
    let api = get("/api/v1/documents/frus1964-68v07/d45").await.json();
    let w = &api["witnesses"][0];
    assert_eq!(w["format"], "text");
    let doc = archive
        .document("frus1964-68v07", "d45")
        .expect("read")
        .expect("d45");
    let c = chancery_formats::collate::collate_witness(&doc, &witnesses[0].text);
    assert_eq!(w["identical"], c.identical());
    assert_eq!(
        w["collation"]["differences"].as_array().map(Vec::len),
        Some(c.differences.len())
    );
    if !c.identical() {
        assert!(page.body.contains("where the words differ"));
    }
    // A document with no other witness has no such section.
    let alone = get("/historicaldocuments/frus1964-68v07/d40").await;
    assert!(!alone.body.contains("<h2>Witnesses</h2>"));
}

#[tokio::test]
async fn the_document_page_cites_in_the_historians_form_and_as_a_chicago_note() {
    let page = get("/historicaldocuments/frus1964-68v07/d45").await;
    assert!(page.body.contains(
        "Vietnam, September 1968–January 1969, ed. Kent Sieg (Washington: Government Printing \
         Office, 2003), Document 45. https://history.state.gov/historicaldocuments/frus1964-68v07/d45"
    ));
    assert!(page
        .body
        .contains(r#"id="cite-chicago">Embassy in France to Department of State, telegram, "#));
    let api = get("/api/v1/documents/frus1964-68v07/d45/citation")
        .await
        .json();
    assert!(api["chicago"]
        .as_str()
        .is_some_and(|c| c.contains("doc. 45")));
}
