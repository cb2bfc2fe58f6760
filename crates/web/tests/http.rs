//! HTTP integration tests over the bundled sample: every route, and every hostile request of
//! issue #4 item 7. The router runs in-process (tower `oneshot`), the archive is built once per
//! test binary from `sample/` with the same readers and store the CLI uses.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use chancery_formats::text::TextOptions;
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
        for f in files(&sample().join("tei"), "xml") {
            let bytes = std::fs::read(&f).expect("read TEI");
            let parsed = chancery_formats::tei::read_tei(&bytes, &f.display().to_string())
                .expect("parse TEI");
            archive.store_volume(&parsed).expect("store TEI");
        }
        for (sub, volume) in [("text", None), ("seeds", Some("seeds"))] {
            for f in files(&sample().join(sub), "txt") {
                let bytes = std::fs::read(&f).expect("read text");
                let opts = TextOptions {
                    volume_id: volume.map(str::to_string),
                };
                let parsed =
                    chancery_formats::text::read_text(&bytes, &f.display().to_string(), &opts)
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
            "/historicaldocuments/seeds/d261",
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
    for id in ["d45", "d261"] {
        let doc = archive
            .document("seeds", id)
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
        let r = get(&format!("/historicaldocuments/seeds/{id}")).await;
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
