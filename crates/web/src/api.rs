//! The JSON API under `/api/v1/`. Errors are `{"error": {"status", "code", "message",
//! "location"?}}`; archive-derived resources carry an ETag and `Cache-Control`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use chancery_apparatus::analyze_document;
use chancery_formats::cite::Citation;
use chancery_formats::render;

use crate::error::{valid_id, ApiError};
use crate::html::doc_url;
use crate::pages::{person_data, query_pairs};
use crate::search::{self, SearchParams};
use crate::{AppError, AppState, Cacheable};

type ApiResult = Result<Response, ApiError>;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(index))
        .route("/openapi.json", get(openapi))
        .route("/stats", get(stats))
        .route("/volumes", get(volumes))
        .route("/volumes/{volume}", get(volume))
        .route("/volumes/{volume}/toc", get(toc))
        .route("/volumes/{volume}/documents", get(volume_documents))
        .route("/volumes/{volume}/persons", get(persons))
        .route("/volumes/{volume}/terms", get(terms))
        .route("/documents/{volume}/{doc}", get(document))
        .route("/documents/{volume}/{doc}/text", get(document_text))
        .route("/documents/{volume}/{doc}/markdown", get(document_markdown))
        .route("/documents/{volume}/{doc}/citation", get(citation))
        .route("/persons/{id}", get(person))
        .route("/search", get(search))
}

fn json_cached(v: Value) -> Response {
    let mut r = Json(v).into_response();
    r.extensions_mut().insert(Cacheable {
        cache_control: "public, max-age=300",
    });
    r
}

fn text_cached(body: String, mime: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    r.extensions_mut().insert(Cacheable {
        cache_control: "public, max-age=300",
    });
    r
}

fn check(kind: &str, id: &str) -> Result<(), AppError> {
    if valid_id(id) {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("no {kind} with that id")))
    }
}

async fn index() -> Response {
    json_cached(json!({
        "name": "Chancery API",
        "version": "v1",
        "openapi": "/api/v1/openapi.json",
        "resources": {
            "stats": "/api/v1/stats",
            "volumes": "/api/v1/volumes",
            "volume": "/api/v1/volumes/{volume}",
            "toc": "/api/v1/volumes/{volume}/toc",
            "volume_documents": "/api/v1/volumes/{volume}/documents",
            "persons": "/api/v1/volumes/{volume}/persons",
            "terms": "/api/v1/volumes/{volume}/terms",
            "document": "/api/v1/documents/{volume}/{doc}",
            "document_text": "/api/v1/documents/{volume}/{doc}/text",
            "document_markdown": "/api/v1/documents/{volume}/{doc}/markdown",
            "citation": "/api/v1/documents/{volume}/{doc}/citation",
            "person": "/api/v1/persons/{volume}:{person}",
            "search": "/api/v1/search?q=…&volume=…&kind=…&year=…&from=…&to=…&sort=…&page=…&per_page=…"
        }
    }))
}

async fn stats(State(state): State<Arc<AppState>>) -> ApiResult {
    let s = state.pool.run(|_, a| Ok::<_, AppError>(a.stats()?)).await?;
    Ok(json_cached(serde_json::to_value(s)?))
}

async fn volumes(State(state): State<Arc<AppState>>) -> ApiResult {
    let v = state
        .pool
        .run(|_, a| Ok::<_, AppError>(a.volumes()?))
        .await?;
    Ok(json_cached(json!({ "volumes": v })))
}

async fn volume(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    check("volume", &id)?;
    let v = state
        .pool
        .run(move |pool, a| {
            let info = pool
                .volume_info(a, &id)?
                .ok_or_else(|| AppError::NotFound(format!("no volume {id}")))?;
            let v = &info.volume;
            Ok(json!({
                "id": v.id,
                "stub": info.stub,
                "titles": v.titles,
                "editors": v.editors,
                "publisher": v.publisher,
                "pub_place": v.pub_place,
                "publication_year": v.publication_year,
                "idnos": v.idnos,
                "content_dates": v.content_dates,
                "documents": info.documents.len(),
                "persons": v.persons.len(),
                "terms": v.terms.len(),
                "url": crate::html::volume_url(&v.id),
            }))
        })
        .await?;
    Ok(json_cached(v))
}

async fn toc(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    check("volume", &id)?;
    let v = state
        .pool
        .run(move |pool, a| {
            let info = pool
                .volume_info(a, &id)?
                .ok_or_else(|| AppError::NotFound(format!("no volume {id}")))?;
            fn div(d: &chancery_model::Division) -> Value {
                json!({
                    "id": d.id,
                    "kind": d.kind,
                    "subtype": d.subtype,
                    "heading": d.heading,
                    "document_count": d.document_count(),
                    "documents": d.documents,
                    "children": d.children.iter().map(div).collect::<Vec<_>>(),
                })
            }
            Ok(json!({
                "volume": info.volume.id,
                "toc": info.volume.toc.iter().map(div).collect::<Vec<_>>(),
                "documents": info.documents,
            }))
        })
        .await?;
    Ok(json_cached(v))
}

async fn volume_documents(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    check("volume", &id)?;
    let v = state
        .pool
        .run(move |pool, a| {
            let info = pool
                .volume_info(a, &id)?
                .ok_or_else(|| AppError::NotFound(format!("no volume {id}")))?;
            Ok(json!({ "volume": id, "documents": info.documents }))
        })
        .await?;
    Ok(json_cached(v))
}

async fn glossary(state: Arc<AppState>, id: String, persons: bool) -> ApiResult {
    check("volume", &id)?;
    let v = state
        .pool
        .run(move |pool, a| {
            let info = pool
                .volume_info(a, &id)?
                .ok_or_else(|| AppError::NotFound(format!("no volume {id}")))?;
            let list = if persons {
                &info.volume.persons
            } else {
                &info.volume.terms
            };
            let key = if persons { "persons" } else { "terms" };
            let entries: Vec<Value> = list
                .iter()
                .map(|e| {
                    let mut v = json!({ "id": e.id, "name": e.name, "description": e.description.trim().trim_start_matches(',').trim() });
                    if persons {
                        v["url"] = json!(crate::html::person_url(&id, &e.id));
                        v["api"] = json!(format!("/api/v1/persons/{id}:{}", e.id));
                    }
                    v
                })
                .collect();
            Ok(json!({ "volume": id, key: entries }))
        })
        .await?;
    Ok(json_cached(v))
}

async fn persons(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    glossary(state, id, true).await
}

async fn terms(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    glossary(state, id, false).await
}

/// Load a document and its volume, or 404.
fn load(
    a: &chancery_store::Archive,
    vid: &str,
    did: &str,
) -> Result<(chancery_model::Document, chancery_model::Volume), AppError> {
    let doc = a
        .document(vid, did)?
        .ok_or_else(|| AppError::NotFound(format!("no document {vid}/{did}")))?;
    let vol = a
        .volume(vid)?
        .ok_or_else(|| AppError::NotFound(format!("no volume {vid}")))?;
    Ok((doc, vol))
}

async fn document(
    State(state): State<Arc<AppState>>,
    Path((vid, did)): Path<(String, String)>,
) -> ApiResult {
    check("volume", &vid)?;
    check("document", &did)?;
    let v = state
        .pool
        .run(move |_, a| {
            let (doc, vol) = load(a, &vid, &did)?;
            let analysis = analyze_document(&doc);
            let mut out = render::render_json(&doc, Some(&vol));
            out["url"] = json!(doc_url(&vid, &did));
            out["analysis"] = json!({
                "doc_type": analysis.doc_type(),
                "classification": analysis.classification.map(|c| c.label()),
                "precedence": analysis.source.precedence.map(|p| p.label()),
                "caveats": analysis.source.caveats,
                "code_words": analysis.source.code_words,
                "repository": analysis.source.repository,
                "telegram_numbers": analysis.telegram_numbers,
            });
            out["rendered"] = json!({
                "text": format!("/api/v1/documents/{vid}/{did}/text"),
                "markdown": format!("/api/v1/documents/{vid}/{did}/markdown"),
                "html": doc_url(&vid, &did),
            });
            Ok(out)
        })
        .await?;
    Ok(json_cached(v))
}

async fn document_text(
    State(state): State<Arc<AppState>>,
    Path((vid, did)): Path<(String, String)>,
) -> ApiResult {
    check("volume", &vid)?;
    check("document", &did)?;
    let t = state
        .pool
        .run(move |_, a| Ok(render::render_text(&load(a, &vid, &did)?.0)))
        .await?;
    Ok(text_cached(t, "text/plain; charset=utf-8"))
}

async fn document_markdown(
    State(state): State<Arc<AppState>>,
    Path((vid, did)): Path<(String, String)>,
) -> ApiResult {
    check("volume", &vid)?;
    check("document", &did)?;
    let t = state
        .pool
        .run(move |_, a| {
            let (doc, vol) = load(a, &vid, &did)?;
            Ok(render::render_markdown(&doc, Some(&vol)))
        })
        .await?;
    Ok(text_cached(t, "text/markdown; charset=utf-8"))
}

async fn citation(
    State(state): State<Arc<AppState>>,
    Path((vid, did)): Path<(String, String)>,
    uri: Uri,
) -> ApiResult {
    check("volume", &vid)?;
    check("document", &did)?;
    let pairs = query_pairs(&uri)?;
    let format = pairs
        .iter()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.clone());
    let c = state
        .pool
        .run(move |_, a| {
            let (doc, vol) = load(a, &vid, &did)?;
            Ok(Citation::new(&vol, &doc)
                .with_url(format!("https://history.state.gov{}", doc_url(&vid, &did))))
        })
        .await?;
    Ok(match format.as_deref() {
        None | Some("") | Some("json") => json_cached(json!({
            "historian": c.historian(),
            "chicago": c.chicago(),
            "bibtex": c.bibtex(),
            "ris": c.ris(),
            "csl": c.csl_json(),
        })),
        Some("historian") => text_cached(c.historian(), "text/plain; charset=utf-8"),
        Some("chicago") => text_cached(c.chicago(), "text/plain; charset=utf-8"),
        Some("bibtex") => text_cached(c.bibtex(), "application/x-bibtex; charset=utf-8"),
        Some("ris") => text_cached(
            c.ris(),
            "application/x-research-info-systems; charset=utf-8",
        ),
        Some("csl") | Some("csl-json") => json_cached(json!([c.csl_json()])),
        Some(other) => {
            return Err(AppError::bad(
                "format",
                format!("unknown citation format {other:?}: use json, chicago, bibtex, ris or csl"),
            )
            .into())
        }
    })
}

async fn person(State(state): State<Arc<AppState>>, Path(key): Path<String>) -> ApiResult {
    let v = state
        .pool
        .run(move |pool, a| {
            let p = person_data(pool, a, &key)?;
            let docs: Vec<Value> = p
                .documents
                .iter()
                .map(|(v, d, h, dt, day, n)| {
                    json!({ "volume_id": v, "id": d, "heading": h, "date_text": dt, "date": day, "mentions": n, "url": doc_url(v, d) })
                })
                .collect();
            Ok(json!({
                "id": format!("{}:{}", p.volume, p.entry.id),
                "volume": p.volume,
                "glossary_id": p.entry.id,
                "name": p.entry.name,
                "description": p.entry.description.trim().trim_start_matches(',').trim(),
                "documents": docs,
            }))
        })
        .await?;
    Ok(json_cached(v))
}

async fn search(State(state): State<Arc<AppState>>, uri: Uri) -> ApiResult {
    let pairs = query_pairs(&uri)?;
    let params = SearchParams::from_pairs(&pairs)?;
    let r = state
        .pool
        .run(move |pool, a| search::execute(pool, a, &params))
        .await?;
    Ok(Json(serde_json::to_value(r)?).into_response())
}

async fn openapi() -> Response {
    json_cached(openapi_doc())
}

fn param(name: &str, location: &str, desc: &str, required: bool) -> Value {
    json!({ "name": name, "in": location, "required": required, "description": desc, "schema": { "type": "string" } })
}

fn op(summary: &str, params: Vec<Value>, content: &str) -> Value {
    json!({
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": { "description": "OK", "content": { content: { "schema": { "type": if content.starts_with("application/json") { "object" } else { "string" } } } } },
                "304": { "description": "Not modified (If-None-Match matched the ETag)" },
                "400": { "$ref": "#/components/responses/Error" },
                "404": { "$ref": "#/components/responses/Error" },
                "414": { "$ref": "#/components/responses/Error" }
            }
        }
    })
}

/// OpenAPI 3.0 description of the API.
pub fn openapi_doc() -> Value {
    let vol = || param("volume", "path", "Volume id, e.g. frus1964-68v07", true);
    let doc = || {
        param(
            "doc",
            "path",
            "Document id within the volume, e.g. d45",
            true,
        )
    };
    let j = "application/json";
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Chancery API",
            "version": "1.0.0",
            "description": "Read-only access to a Chancery archive of Foreign Relations of the United States documents. Every GET answers CORS requests from any origin; archive-derived resources carry an ETag and Cache-Control."
        },
        "servers": [{ "url": "/api/v1" }],
        "paths": {
            "/stats": op("Counts of everything in the archive", vec![], j),
            "/volumes": op("All volumes", vec![], j),
            "/volumes/{volume}": op("A volume's metadata", vec![vol()], j),
            "/volumes/{volume}/toc": op("A volume's table of contents with document counts, and its documents in reading order", vec![vol()], j),
            "/volumes/{volume}/documents": op("A volume's documents in reading order", vec![vol()], j),
            "/volumes/{volume}/persons": op("A volume's persons list", vec![vol()], j),
            "/volumes/{volume}/terms": op("A volume's abbreviations and terms", vec![vol()], j),
            "/documents/{volume}/{doc}": op("A document: structure (blocks, inlines, footnotes), plain text, analysis of its markings", vec![vol(), doc()], j),
            "/documents/{volume}/{doc}/text": op("A document as plain text in history.state.gov's layout", vec![vol(), doc()], "text/plain"),
            "/documents/{volume}/{doc}/markdown": op("A document as Markdown", vec![vol(), doc()], "text/markdown"),
            "/documents/{volume}/{doc}/citation": op("Citations: Chicago, BibTeX, RIS, CSL-JSON", vec![vol(), doc(), param("format", "query", "json (default, all forms), chicago, bibtex, ris or csl", false)], j),
            "/persons/{id}": op("A person of a volume's list and the documents mentioning them, by date", vec![param("id", "path", "VOLUME:PERSON, e.g. frus1964-68v07:p_HWA1", true)], j),
            "/search": op("Search documents", vec![
                param("q", "query", "Query: words (all must occur), \"phrases\", -exclusions, prefix*. At most 1000 characters; errors give the column.", false),
                param("volume", "query", "Volume filter (repeatable; OR)", false),
                param("kind", "query", "Document kind filter: historical-document, editorial-note, front-matter, back-matter (repeatable)", false),
                param("year", "query", "Year filter (repeatable)", false),
                param("from", "query", "Earliest date, YYYY[-MM[-DD]] (undated documents are then left out)", false),
                param("to", "query", "Latest date, YYYY[-MM[-DD]]", false),
                param("sort", "query", "relevance (default), date or date-desc", false),
                param("page", "query", "1-based page", false),
                param("per_page", "query", "Results per page, 1–100 (default 20)", false)
            ], j)
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "code", "message"],
                            "properties": {
                                "status": { "type": "integer" },
                                "code": { "type": "string", "enum": ["not_found", "bad_request", "uri_too_long", "method_not_allowed", "internal"] },
                                "message": { "type": "string" },
                                "location": { "type": "object", "properties": { "param": { "type": "string" }, "column": { "type": "integer" } } }
                            }
                        }
                    }
                }
            },
            "responses": {
                "Error": { "description": "An error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        }
    })
}
