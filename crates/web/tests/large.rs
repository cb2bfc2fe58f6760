//! The largest document the archive takes (`MAX_DOCUMENT_BYTES` of stored JSON) is served whole,
//! as a page and through the API, without a 500. The document is synthetic, stored through the
//! store's API; its text is full of characters HTML escapes (`<`, `&`, `"`), so its page is
//! several times the limit (what the old 16 MiB response buffer refused).
// Helpers fail the test the way the tests do: by panicking where they stand.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use chancery_model::{
    Block, Document, DocumentKind, Inline, ParagraphRole, ParsedVolume, Volume, MAX_DOCUMENT_BYTES,
};
use chancery_store::Archive;
use chancery_web::{open_state, router, AppState, Options};

fn paragraph(text: String) -> Block {
    Block::Paragraph {
        role: ParagraphRole::Paragraph,
        rend: None,
        inlines: vec![Inline::text(text)],
        layout: None,
    }
}

/// A document whose stored JSON is just under the limit.
fn largest_document() -> Document {
    let mut doc = Document {
        volume_id: "frus-large".into(),
        id: "d1".into(),
        number: Some("1".into()),
        kind: DocumentKind::HistoricalDocument,
        heading: vec![Inline::text("1. Memorandum of the longest conversation")],
        heading_text: "1. Memorandum of the longest conversation".into(),
        ..Document::default()
    };
    let line = "Harriman said the <talks> & \"the bombing\" must stop; Le Duc Tho disagreed. ";
    let chunk = line.repeat(4096);
    let size = |d: &Document| serde_json::to_string(d).map(|s| s.len()).unwrap_or(0);
    while size(&doc) + 2 * chunk.len() < MAX_DOCUMENT_BYTES {
        doc.body.push(paragraph(chunk.clone()));
    }
    // Fill the rest with plain letters (one JSON byte each), up to 64 bytes short of the limit.
    doc.body.push(paragraph(String::new()));
    let missing = MAX_DOCUMENT_BYTES - 64 - size(&doc);
    doc.body.pop();
    doc.body.push(paragraph("a".repeat(missing)));
    doc
}

async fn fetch(
    state: &Arc<AppState>,
    uri: &str,
    etag: Option<&str>,
) -> (StatusCode, header::HeaderMap, usize) {
    let mut req = Request::get(uri);
    if let Some(e) = etag {
        req = req.header(header::IF_NONE_MATCH, e);
    }
    let resp = router(Arc::clone(state))
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (status, headers, bytes.len())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_at_the_size_limit_is_served_whole() {
    let doc = largest_document();
    let json_len = serde_json::to_string(&doc).map(|s| s.len()).unwrap_or(0);
    assert!(
        json_len < MAX_DOCUMENT_BYTES && json_len > MAX_DOCUMENT_BYTES - 1024,
        "{json_len}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("archive");
    {
        let mut archive = Archive::open(&path).expect("open archive");
        let parsed = ParsedVolume {
            volume: Volume {
                id: "frus-large".into(),
                ..Volume::default()
            },
            documents: vec![doc],
            ..ParsedVolume::default()
        };
        archive.store_documents(&parsed, false).expect("store");
        let stored = archive
            .document("frus-large", "d1")
            .expect("read")
            .expect("stored");
        assert_eq!(
            serde_json::to_string(&stored).map(|s| s.len()).unwrap_or(0),
            json_len
        );
    }
    let state = open_state(
        &path,
        &Options {
            connections: 2,
            access_log: false,
            ..Options::default()
        },
    )
    .expect("open state");
    let page = "/historicaldocuments/frus-large/d1";
    let (status, headers, len) = fetch(&state, page, None).await;
    assert_eq!(status, StatusCode::OK, "the page");
    assert!(
        len > MAX_DOCUMENT_BYTES,
        "the page ({len} bytes) is larger than the stored JSON"
    );
    // Still a cacheable response: its ETag answers 304.
    let etag = headers[header::ETAG].to_str().expect("etag").to_string();
    let (status, _, len) = fetch(&state, page, Some(&etag)).await;
    assert_eq!((status, len), (StatusCode::NOT_MODIFIED, 0));
    for uri in [
        "/api/v1/documents/frus-large/d1",
        "/api/v1/documents/frus-large/d1/text",
        "/api/v1/documents/frus-large/d1/markdown",
    ] {
        let (status, _, len) = fetch(&state, uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(len > MAX_DOCUMENT_BYTES / 2, "{uri}: {len} bytes");
    }
}
