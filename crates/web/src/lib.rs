//! The Chancery reading room: server-rendered HTML pages whose URLs mirror history.state.gov,
//! and a JSON API under `/api/v1/`.
//!
//! * [`router`] builds the whole application (used in-process by the tests and by the servers).
//! * [`serve`] binds a socket and serves until Ctrl-C or SIGTERM; [`serve_until`] serves a bound
//!   listener until a future of the caller's completes; [`serve_listener`] until dropped.
//!
//! Requests never touch the archive on the async threads: every read runs on tokio's blocking
//! pool against one of a small set of store connections ([`pool::Pool`]), so a slow read cannot
//! stall the accept loop. Searches go to the one engine, `chancery_query`, on the archive's
//! tantivy index; without a usable index the search page and API answer 503.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::map_request_body::MapRequestBodyLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

mod api;
mod assets;
mod error;
mod html;
mod pages;
pub mod pool;
mod search;
mod serve;

pub use api::openapi_doc;
pub use error::AppError;
pub use serve::{serve, serve_listener, serve_until, shutdown_signal};

/// Longest request target (path and query) accepted; longer ones get 414. hsg refuses `q` over
/// 1,000 characters; a whole URL of twice that leaves room for filters.
pub const MAX_URI_BYTES: usize = 2048;

/// The Content-Security-Policy of every response. The pages load one stylesheet and one script
/// from `/static/` and use no inline `<script>`, `<style>` or `style=""` (the script positions
/// its popover through the CSSOM, which the policy allows), so nothing inline is let in.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
     base-uri 'none'; frame-ancestors 'none'";

/// Timeouts and sizes that bound what one client can hold.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A request's header must arrive within this (from the connection's start, or from the end
    /// of the previous response on a kept-alive connection); else the connection is closed.
    /// This is also how long an idle keep-alive connection is kept.
    pub header_read_timeout: Duration,
    /// Each read of a request body must complete within this (only `POST /api/v1/search` reads
    /// one).
    pub body_read_timeout: Duration,
    /// Largest request body accepted (413 beyond).
    pub max_body_bytes: usize,
    /// After Ctrl-C/SIGTERM, in-flight requests get this long to finish; then their
    /// connections are dropped.
    pub shutdown_grace: Duration,
    /// Connections served at once; further ones wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(15),
            body_read_timeout: Duration::from_secs(15),
            max_body_bytes: 64 * 1024,
            shutdown_grace: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

/// Shared state of a running reading room.
pub struct AppState {
    /// Read connections to the archive and the search index.
    pub pool: Arc<pool::Pool>,
    /// Log one line per request at INFO (else at DEBUG).
    pub access_log: bool,
    /// Timeouts and sizes that bound one client.
    pub limits: Limits,
}

/// Options for [`open_state`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Read connections to the archive (each serves one request at a time).
    pub connections: usize,
    /// Log one line per request at INFO (else at DEBUG).
    pub access_log: bool,
    /// Timeouts and sizes that bound one client.
    pub limits: Limits,
}

impl Default for Options {
    fn default() -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Options {
            connections: (cores * 2).clamp(4, 16),
            access_log: true,
            limits: Limits::default(),
        }
    }
}

/// Open the archive in `dir` for serving. The search index is opened (and rebuilt if it is
/// behind the store) here; if that fails the reading room still serves everything but search,
/// which answers 503 with the reason.
pub fn open_state(dir: &Path, opts: &Options) -> Result<Arc<AppState>, AppError> {
    let pool = Arc::new(pool::Pool::open(dir, opts.connections)?);
    Ok(Arc::new(AppState {
        pool,
        access_log: opts.access_log,
        limits: opts.limits.clone(),
    }))
}

/// The whole application: pages, API, static assets, and the request guards.
pub fn router(state: Arc<AppState>) -> Router {
    let limits = state.limits.clone();
    let access_log = state.access_log;
    Router::new()
        .route("/", get(pages::home))
        .route("/historicaldocuments", get(pages::volumes))
        .route("/historicaldocuments/{volume}", get(pages::volume))
        .route("/historicaldocuments/{volume}/{item}", get(pages::item))
        .route("/search", get(pages::search))
        .route("/people", get(pages::people_index))
        .route("/people/{id}", get(pages::person))
        .route("/terms", get(pages::all_terms))
        .route("/timeline", get(pages::timeline))
        .route("/static/{name}", get(assets::serve))
        // The README gives `/api/v1/`; the nested router's own root is `/api/v1`.
        .route("/api/v1/", get(api::index).layer(api::cors()))
        .nest("/api/v1", api::routes())
        .fallback(fallback)
        .layer(middleware::from_fn(conditional_layer))
        // Only the search API reads a body; it is bounded in size and in time per read.
        // (The body is mapped back to axum's type so the routes see one body type.)
        .layer(
            ServiceBuilder::new()
                .layer(RequestBodyTimeoutLayer::new(limits.body_read_timeout))
                .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
                .layer(MapRequestBodyLayer::new(Body::new)),
        )
        .layer(middleware::from_fn_with_state(
            limits.max_body_bytes,
            guard_layer,
        ))
        .layer(CompressionLayer::new().gzip(true).br(true))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        // One event per request (method, path, status, milliseconds) through `tracing`: at INFO
        // with the access log on, else at DEBUG. The query string is left out: it may be long,
        // and pages echo it anyway.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(move |resp: &Response, latency: Duration, _: &tracing::Span| {
                    let status = resp.status().as_u16();
                    let ms = latency.as_secs_f64() * 1000.0;
                    if access_log {
                        tracing::info!(status, ms, "served");
                    } else {
                        tracing::debug!(status, ms, "served");
                    }
                })
                .on_body_chunk(())
                .on_eos(())
                .on_failure(()),
        )
        .with_state(state)
}

async fn fallback(req: Request) -> Response {
    let path = req.uri().path();
    if is_api(path) {
        AppError::NotFound(format!("no such API resource: {path}")).into_api_response()
    } else {
        AppError::NotFound(format!("no page at {path}")).into_html_response()
    }
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Refuse what no page needs before any handler runs: over-long targets, methods other than
/// GET/HEAD/OPTIONS (and POST to the search API), and paths with `..` segments or NUL bytes
/// (after percent-decoding).
async fn guard_layer(State(max_body): State<usize>, req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let reject = |e: AppError| {
        if api {
            e.into_api_response()
        } else {
            e.into_html_response()
        }
    };
    let target_len = req
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().len())
        .unwrap_or(0);
    if target_len > MAX_URI_BYTES {
        return reject(AppError::UriTooLong(target_len));
    }
    let method = req.method();
    let search_post = method == Method::POST && api::is_search_path(req.uri().path());
    if !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) && !search_post {
        return reject(AppError::MethodNotAllowed(method.to_string()));
    }
    let decoded = percent_encoding::percent_decode_str(req.uri().path()).decode_utf8_lossy();
    if decoded.split(['/', '\\']).any(|seg| seg == "..") || decoded.contains('\0') {
        return reject(AppError::NotFound("no such path".into()));
    }
    let resp = next.run(req).await;
    // tower-http's body limit answers a Content-Length over the limit itself, in plain text:
    // say it the way every other error is said.
    if resp.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return reject(AppError::PayloadTooLarge(max_body));
    }
    resp
}

/// A response whose content depends only on the archive (documents, volumes, citations,
/// assets): a weak content ETag, the given Cache-Control. The hash is taken here, where the
/// body is already one buffer, so nothing downstream has to collect (or cap) it; weak because
/// compression may change the bytes, not the content.
pub(crate) fn cacheable(body: impl Into<Bytes>, cache_control: &'static str) -> Response {
    let bytes: Bytes = body.into();
    use std::hash::{Hash, Hasher};
    // SipHash with the fixed keys of `DefaultHasher::new` is stable for the life of the
    // process, which is all an ETag must be (a restart at worst costs one full response).
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.as_ref().hash(&mut h);
    let etag = format!("W/\"{:016x}-{:x}\"", h.finish(), bytes.len());
    let mut resp = Body::from(bytes).into_response();
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    resp
}

/// 304 for a request whose `If-None-Match` names the response's ETag. The response body is
/// dropped unread: nothing is collected, whatever its size.
async fn conditional_layer(req: Request, next: Next) -> Response {
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let resp = next.run(req).await;
    let Some(if_none_match) = if_none_match else {
        return resp;
    };
    if resp.status() != StatusCode::OK {
        return resp;
    }
    let Some(etag) = resp.headers().get(header::ETAG) else {
        return resp;
    };
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let ours = opaque(etag.to_str().unwrap_or(""));
    // Weak comparison, as RFC 9110 prescribes for If-None-Match.
    let matches = if_none_match.to_str().is_ok_and(|v| {
        v.split(',')
            .map(opaque)
            .any(|t| t == "*" || (!ours.is_empty() && t == ours))
    });
    if !matches {
        return resp;
    }
    let (mut parts, _body) = resp.into_parts();
    parts.status = StatusCode::NOT_MODIFIED;
    for h in [header::CONTENT_LENGTH, header::CONTENT_TYPE] {
        parts.headers.remove(h);
    }
    Response::from_parts(parts, Body::empty())
}
