//! The JSON API under `/api/v1/`. Errors are `{"error": {"status", "code", "message",
//! "location"?}}`; archive-derived resources carry an ETag and `Cache-Control`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use chancery_formats::cite::Citation;
use chancery_formats::render;
use chancery_query::SearchRequest;

use crate::error::{check_id as check, ApiError};
use crate::html::doc_url;
use crate::pages::{person_data, query_pairs};
use crate::search;
use crate::{cacheable, AppError, AppState};

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
        .route("/search", get(search).post(search_json))
        // API paths the routes above do not know get the API's JSON 404 (and its CORS headers).
        .fallback(api_fallback)
        .layer(cors())
}

/// Whether `path` is the search resource (the one the guard lets POST through to).
pub(crate) fn is_search_path(path: &str) -> bool {
    path == "/api/v1/search"
}

/// Any origin may read the API (it is public and takes no credentials), and may POST a search.
pub(crate) fn cors() -> tower_http::cors::CorsLayer {
    use axum::http::Method;
    tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::OPTIONS])
        .allow_headers([header::IF_NONE_MATCH, header::CONTENT_TYPE])
        .expose_headers([header::ETAG])
        .max_age(std::time::Duration::from_secs(86400))
}

async fn api_fallback(uri: Uri) -> Response {
    AppError::NotFound(format!("no such API resource: {}", uri.path())).into_api_response()
}

const CACHE: &str = "public, max-age=300";

fn json_cached(v: Value) -> Result<Response, AppError> {
    let mut r = cacheable(serde_json::to_vec(&v)?, CACHE);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(r)
}

fn text_cached(body: String, mime: &'static str) -> Response {
    let mut r = cacheable(body, CACHE);
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    r
}

pub(crate) async fn index() -> ApiResult {
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
            "search": "/api/v1/search?q=…&volume=…&kind=…&year=…&from=…&to=…&sort=…&page=…&per_page=…",
            "search_json": "POST /api/v1/search with a SearchRequest as JSON"
        }
    }))
    .map_err(ApiError)
}

async fn stats(State(state): State<Arc<AppState>>) -> ApiResult {
    let s = state.pool.run(|_, a| Ok::<_, AppError>(a.stats()?)).await?;
    Ok(json_cached(serde_json::to_value(s)?)?)
}

async fn volumes(State(state): State<Arc<AppState>>) -> ApiResult {
    let v = state
        .pool
        .run(|_, a| Ok::<_, AppError>(a.volumes()?))
        .await?;
    Ok(json_cached(json!({ "volumes": v }))?)
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
    Ok(json_cached(v)?)
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
    Ok(json_cached(v)?)
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
    Ok(json_cached(v)?)
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
    Ok(json_cached(v)?)
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
        .run(move |pool, a| {
            let (doc, vol) = load(a, &vid, &did)?;
            // What ingest stored, never recomputed here.
            let apparatus = a.apparatus(&vid, &did)?.unwrap_or_default();
            let mut out = render::render_json(&doc, Some(&vol));
            out["url"] = json!(doc_url(&vid, &did));
            let m = apparatus.markings.clone().unwrap_or_default();
            out["analysis"] = json!({
                "doc_type": m.doc_type,
                "doc_family": m.doc_family,
                "classification": m.classification,
                "precedence": m.precedence,
                "caveats": m.caveats,
                "code_words": m.code_words,
                "repository": m.repository,
                "telegram_numbers": apparatus.telegrams,
            });
            out["apparatus"] = serde_json::to_value(&apparatus)?;
            let witnesses: Vec<Value> = pool
                .witnesses(a, &doc)?
                .into_iter()
                .map(|(w, c)| {
                    json!({
                        "format": w.format,
                        "source_path": w.source_path,
                        "source_sha256": w.source_sha256,
                        "identical": c.identical(),
                        "collation": &*c,
                    })
                })
                .collect();
            out["witnesses"] = Value::Array(witnesses);
            out["rendered"] = json!({
                "text": format!("/api/v1/documents/{vid}/{did}/text"),
                "markdown": format!("/api/v1/documents/{vid}/{did}/markdown"),
                "html": doc_url(&vid, &did),
            });
            Ok(out)
        })
        .await?;
    Ok(json_cached(v)?)
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
            let parties = a.apparatus(&vid, &did)?.unwrap_or_default();
            Ok(Citation::of_stored(&vol, &doc, parties.correspondents()))
        })
        .await?;
    Ok(match format.as_deref() {
        None | Some("") | Some("json") => json_cached(json!({
            "historian": c.historian(),
            "chicago": c.chicago(),
            "bibtex": c.bibtex(),
            "ris": c.ris(),
            "csl": c.csl_json(),
        }))?,
        Some("historian") => text_cached(c.historian(), "text/plain; charset=utf-8"),
        Some("chicago") => text_cached(c.chicago(), "text/plain; charset=utf-8"),
        Some("bibtex") => text_cached(c.bibtex(), "application/x-bibtex; charset=utf-8"),
        Some("ris") => text_cached(
            c.ris(),
            "application/x-research-info-systems; charset=utf-8",
        ),
        Some("csl") | Some("csl-json") => json_cached(json!([c.csl_json()]))?,
        Some(other) => {
            return Err(AppError::bad(
                "format",
                format!(
                    "unknown citation format {other:?}: use json, historian, chicago, bibtex, ris or csl"
                ),
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
    Ok(json_cached(v)?)
}

/// `GET /api/v1/search?…`: the URL form of a `SearchRequest` (see `search::request_from_pairs`);
/// the answer is the engine's `SearchResponse` as it serialises, nothing added.
async fn search(State(state): State<Arc<AppState>>, uri: Uri) -> ApiResult {
    let pairs = query_pairs(&uri)?;
    let req = search::request_from_pairs(&pairs)?;
    run_search(state, req, search::Form::Url).await
}

/// `POST /api/v1/search` with a `SearchRequest` as JSON (every field optional).
async fn search_json(State(state): State<Arc<AppState>>, body: Body) -> ApiResult {
    let max = state.limits.max_body_bytes;
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|e| body_error(&e, max))?;
    let req: SearchRequest = serde_json::from_slice(&bytes).map_err(|e| AppError::BadRequest {
        message: format!("the body is not a search request: {e}"),
        location: None,
    })?;
    search::check(&req, search::Form::Json)?;
    run_search(state, req, search::Form::Json).await
}

/// A request body that could not be read: too large (the limit layer), too slow (the timeout
/// layer), or the client went away.
fn body_error(e: &axum::Error, max: usize) -> AppError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return AppError::PayloadTooLarge(max);
        }
        if err.is::<tower_http::timeout::TimeoutError>() {
            return AppError::RequestTimeout;
        }
        source = err.source();
    }
    AppError::BadRequest {
        message: format!("the request body could not be read: {e}"),
        location: None,
    }
}

async fn run_search(state: Arc<AppState>, req: SearchRequest, form: search::Form) -> ApiResult {
    let resp = state
        .pool
        .run(move |pool, a| search::run(pool, a, &req, form))
        .await?;
    Ok(Json(resp).into_response())
}

async fn openapi() -> ApiResult {
    Ok(json_cached(openapi_doc())?)
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

/// Responses of both search operations.
fn search_responses() -> Value {
    json!({
        "200": { "description": "A page of results: the engine's SearchResponse as it serialises (the CLI's `chancery search --json` prints the same).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SearchResponse" } } } },
        "400": { "$ref": "#/components/responses/Error" },
        "408": { "$ref": "#/components/responses/Error" },
        "413": { "$ref": "#/components/responses/Error" },
        "414": { "$ref": "#/components/responses/Error" },
        "503": { "description": "No search index could be opened or brought up to date; the message gives the reason. No other engine answers.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
    })
}

/// The search resource: the URL form of a SearchRequest (GET) and the request itself (POST).
fn search_op() -> Value {
    let p = |name: &str, desc: &str| param(name, "query", desc, false);
    json!({
        "get": {
            "summary": "Search documents (a SearchRequest in URL parameters)",
            "description": "Each parameter sets a field of the SearchRequest; a page past the last result is an empty page with the same total.",
            "parameters": [
                p("q", "The query (`query`): words (all must occur), \"phrases\", AND/OR/NOT, parentheses, +/-, wildcards, ~proximity and ~fuzzy, fields (title:, person:, from:, type:, date:[A TO B]…). At most 1000 characters; errors give the column."),
                p("volume", "Facet filter on volume (repeatable; any of the values). Also hsg's `volume-id`."),
                p("kind", "Facet filter on kind: historical-document, editorial-note, front-matter, back-matter (repeatable); a matter kind brings front and back matter into scope."),
                p("type", "Facet filter on document type (repeatable)."),
                p("classification", "Facet filter on classification (repeatable)."),
                p("precedence", "Facet filter on precedence (repeatable)."),
                p("caveat", "Facet filter on caveats (repeatable)."),
                p("archive", "Facet filter on the source's repository (repeatable)."),
                p("person", "Facet filter on persons mentioned (repeatable)."),
                p("sub_series", "Facet filter on sub-series (repeatable)."),
                p("year", "Facet filter on year (repeatable)."),
                p("decade", "Facet filter on decade, e.g. 1960s (repeatable)."),
                p("filter", "Any facet filter as NAME=VALUE, e.g. from=Embassy in France (repeatable)."),
                p("from", "`date_from`: YYYY, YYYY-MM or YYYY-MM-DD (a bound covers all of it). Also `start-date`."),
                p("to", "`date_to`, likewise. Also `end-date`."),
                p("date_mode", "overlap (default) or within."),
                p("sort", "relevance (default), date (oldest first) or date-desc (newest first); undated last."),
                p("page", "1-based page (sets `offset`); at most 100,000 results deep."),
                p("per_page", "Results per page, 1–100 (sets `limit`; default 20)."),
                p("facets", "true (default) or false."),
                p("facet_limit", "Values per facet, 1–1000 (default 30; year and decade are complete)."),
                p("snippets", "Snippets per hit, 0–10 (default 3)."),
                p("matter", "true: include front and back matter."),
                p("like", "VOLUME/DOC: documents like this one.")
            ],
            "responses": search_responses()
        },
        "post": {
            "summary": "Search documents (a SearchRequest as JSON)",
            "description": "The body is a SearchRequest; every field has a default, so {\"query\": \"cuba\"} is a whole request. At most 64 KiB.",
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SearchRequest" } } } },
            "responses": search_responses()
        }
    })
}

fn nullable(schema: Value) -> Value {
    let mut s = schema;
    s["nullable"] = json!(true);
    s
}

/// The query crate's request and response types, as their serde forms.
fn search_schemas() -> Value {
    let string = || json!({ "type": "string" });
    let strings = || json!({ "type": "array", "items": { "type": "string" } });
    let int = || json!({ "type": "integer", "minimum": 0 });
    json!({
        "Sort": { "type": "string", "enum": ["relevance", "date", "date-desc"] },
        "DateMode": { "type": "string", "enum": ["overlap", "within"] },
        "SearchRequest": {
            "type": "object",
            "description": "chancery_query::SearchRequest. Every field is optional.",
            "properties": {
                "query": string(),
                "volumes": { "type": "array", "items": { "type": "string" }, "description": "Restrict to these volumes (not counted as a facet filter)." },
                "date_from": nullable(string()),
                "date_to": nullable(string()),
                "date_mode": { "$ref": "#/components/schemas/DateMode" },
                "kinds": { "type": "array", "items": { "type": "string" }, "description": "Restrict to these kinds; empty: documents and editorial notes (plus matter with include_matter)." },
                "include_matter": { "type": "boolean" },
                "filters": { "type": "object", "additionalProperties": strings(), "description": "Facet name → values (any of them); each facet is counted without its own filter." },
                "sort": { "$ref": "#/components/schemas/Sort" },
                "facets": { "type": "boolean" },
                "facet_limit": int(),
                "limit": { "type": "integer", "minimum": 0, "maximum": 1000 },
                "offset": int(),
                "snippets": { "type": "integer", "minimum": 0, "maximum": 10 },
                "like": nullable(string())
            }
        },
        "SearchResponse": {
            "type": "object",
            "description": "chancery_query::SearchResponse.",
            "required": ["total", "offset", "limit", "sort", "undated_excluded", "hits", "facets", "undated", "took_ms"],
            "properties": {
                "total": int(),
                "offset": int(),
                "limit": int(),
                "sort": { "$ref": "#/components/schemas/Sort" },
                "undated_excluded": nullable(int()),
                "hits": { "type": "array", "items": { "$ref": "#/components/schemas/Hit" } },
                "facets": nullable(json!({ "type": "object", "additionalProperties": { "type": "array", "items": { "$ref": "#/components/schemas/FacetCount" } } })),
                "undated": nullable(int()),
                "took_ms": { "type": "number" }
            }
        },
        "Hit": {
            "type": "object",
            "required": ["path", "volume_id", "id", "number", "kind", "heading", "date_text", "date_min", "date_max", "score", "snippets"],
            "properties": {
                "path": string(),
                "volume_id": string(),
                "id": string(),
                "number": nullable(string()),
                "kind": string(),
                "heading": string(),
                "date_text": nullable(string()),
                "date_min": nullable(string()),
                "date_max": nullable(string()),
                "score": nullable(json!({ "type": "number" })),
                "snippets": { "type": "array", "items": { "$ref": "#/components/schemas/Snippet" } }
            }
        },
        "Snippet": {
            "type": "object",
            "required": ["location", "text", "highlights", "marked"],
            "properties": {
                "location": { "type": "string", "description": "heading, body or footnote N" },
                "text": string(),
                "highlights": { "type": "array", "description": "Byte ranges [start, end) of text that matched.", "items": { "type": "array", "items": { "type": "integer" }, "minItems": 2, "maxItems": 2 } },
                "marked": { "type": "string", "description": "text with <mark>…</mark> around each match (not HTML-escaped)" }
            }
        },
        "FacetCount": {
            "type": "object",
            "required": ["value", "count"],
            "properties": { "value": string(), "count": int() }
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
    let mut schemas = search_schemas();
    schemas["Error"] = json!({
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "code", "message"],
                "properties": {
                    "status": { "type": "integer" },
                    "code": { "type": "string", "enum": ["not_found", "bad_request", "uri_too_long", "method_not_allowed", "unavailable", "payload_too_large", "request_timeout", "internal"] },
                    "message": { "type": "string" },
                    "location": { "type": "object", "properties": { "param": { "type": "string" }, "column": { "type": "integer" } } }
                }
            }
        }
    });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Chancery API",
            "version": "1.0.0",
            "description": "Read-only access to a Chancery archive of Foreign Relations of the United States documents. Any origin may call it (CORS); archive-derived resources carry an ETag and Cache-Control; responses are gzip- or brotli-compressed on request. Search takes and returns the query engine's own SearchRequest and SearchResponse."
        },
        "servers": [{ "url": "/api/v1" }],
        "paths": {
            "/": op("This index of resources", vec![], j),
            "/openapi.json": op("This description", vec![], j),
            "/stats": op("Counts of everything in the archive", vec![], j),
            "/volumes": op("All volumes", vec![], j),
            "/volumes/{volume}": op("A volume's metadata", vec![vol()], j),
            "/volumes/{volume}/toc": op("A volume's table of contents with document counts, and its documents in reading order", vec![vol()], j),
            "/volumes/{volume}/documents": op("A volume's documents in reading order", vec![vol()], j),
            "/volumes/{volume}/persons": op("A volume's persons list", vec![vol()], j),
            "/volumes/{volume}/terms": op("A volume's abbreviations and terms", vec![vol()], j),
            "/documents/{volume}/{doc}": op("A document: structure (blocks, inlines, footnotes), plain text, and the apparatus ingest stored (`apparatus`: markings, parties, telegram numbers, cable references, thread, cross-references, persons; `analysis`: its markings in brief)", vec![vol(), doc()], j),
            "/documents/{volume}/{doc}/text": op("A document as plain text in history.state.gov's layout", vec![vol(), doc()], "text/plain"),
            "/documents/{volume}/{doc}/markdown": op("A document as Markdown", vec![vol(), doc()], "text/markdown"),
            "/documents/{volume}/{doc}/citation": op("Citations: Chicago, BibTeX, RIS, CSL-JSON", vec![vol(), doc(), param("format", "query", "json (default, all forms), chicago, bibtex, ris or csl", false)], j),
            "/persons/{id}": op("A person of a volume's list and the documents mentioning them, by date", vec![param("id", "path", "VOLUME:PERSON, e.g. frus1964-68v07:p_HWA1", true)], j),
            "/search": search_op()
        },
        "components": {
            "schemas": schemas,
            "responses": {
                "Error": { "description": "An error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        }
    })
}
