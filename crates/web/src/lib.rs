//! The Chancery reading room: server-rendered HTML pages whose URLs mirror history.state.gov,
//! and a JSON API under `/api/v1/`.
//!
//! * [`router`] builds the whole application (used in-process by the tests and by [`serve`]).
//! * [`serve`] binds a socket, logs one line per request and stops cleanly on Ctrl-C.
//!
//! Requests never touch the archive on the async threads: every read runs on tokio's blocking
//! pool against one of a small set of SQLite connections ([`pool::Pool`]), so a slow query
//! cannot stall the accept loop.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

mod api;
mod assets;
mod error;
mod html;
mod pages;
pub mod pool;
mod search;
mod timeline;

pub use error::AppError;
pub use search::{SearchParams, SearchResults};

/// Longest request target (path and query) accepted; longer ones get 414. hsg refuses `q` over
/// 1,000 characters; a whole URL of twice that leaves room for filters.
pub const MAX_URI_BYTES: usize = 2048;

/// Shared state of a running reading room.
pub struct AppState {
    pub pool: Arc<pool::Pool>,
    /// Print one access-log line per request to stdout.
    pub access_log: bool,
}

/// Options for [`open_state`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Read connections to the archive (each serves one request at a time).
    pub connections: usize,
    pub access_log: bool,
}

impl Default for Options {
    fn default() -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Options {
            connections: (cores * 2).clamp(4, 16),
            access_log: true,
        }
    }
}

/// Open the archive in `dir` for serving.
pub fn open_state(dir: &Path, opts: &Options) -> Result<Arc<AppState>, AppError> {
    let pool = Arc::new(pool::Pool::open(dir, opts.connections)?);
    Ok(Arc::new(AppState {
        pool,
        access_log: opts.access_log,
    }))
}

/// The whole application: pages, API, static assets, and the request guards.
pub fn router(state: Arc<AppState>) -> Router {
    let api = api::routes();
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
        .nest("/api/v1", api)
        .fallback(fallback)
        .layer(middleware::from_fn(etag_layer))
        .layer(middleware::from_fn(cors_layer))
        .layer(middleware::from_fn(guard_layer))
        .layer(middleware::from_fn_with_state(state.clone(), log_layer))
        .with_state(state)
}

/// Bind `addr` and serve until Ctrl-C (or SIGTERM); in-flight requests finish first.
pub async fn serve(state: Arc<AppState>, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    println!("chancery: reading room on http://{local}/ (Ctrl-C to stop)");
    let app = router(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    println!("chancery: stopped");
    Ok(())
}

/// Serve on an already bound listener until the task is dropped (benchmarks and tests).
pub async fn serve_listener(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed there is no way to be told; wait forever then.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
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

/// One line per request: method, target, status, bytes (when known) and milliseconds.
async fn log_layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if !state.access_log {
        return next.run(req).await;
    }
    let start = Instant::now();
    let method = req.method().clone();
    // The path only: query strings may be long and are echoed back in pages anyway.
    let target = req.uri().path().to_string();
    let resp = next.run(req).await;
    let len = resp
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string();
    println!(
        "{method} {target} {} {len} {:.1}ms",
        resp.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    resp
}

/// Refuse what no page needs before any handler runs: over-long targets, methods other than
/// GET/HEAD/OPTIONS, and paths with `..` segments or NUL bytes (after percent-decoding).
async fn guard_layer(req: Request, next: Next) -> Response {
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
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return reject(AppError::MethodNotAllowed(req.method().to_string()));
    }
    let path = req.uri().path();
    let decoded = percent_decode(path);
    if decoded.split(['/', '\\']).any(|seg| seg == "..") || decoded.contains('\0') {
        return reject(AppError::NotFound("no such path".into()));
    }
    next.run(req).await
}

/// Lossy percent-decoding, enough to see through `%2e%2e%2f`.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// CORS for the read-only API: any origin may GET; preflights are answered here.
async fn cors_layer(req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    if api && req.method() == Method::OPTIONS {
        let mut resp = StatusCode::NO_CONTENT.into_response();
        let h = resp.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("If-None-Match, Content-Type"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("86400"),
        );
        return resp;
    }
    let mut resp = next.run(req).await;
    if api {
        let h = resp.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("ETag"),
        );
    }
    resp
}

/// Marks a response whose content depends only on the archive (documents, volumes, citations,
/// assets): it gets a content ETag, the given Cache-Control, and 304 on a matching
/// `If-None-Match`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cacheable {
    pub cache_control: &'static str,
}

/// Longest body the ETag layer will buffer to hash; larger bodies go out without an ETag.
const ETAG_MAX_BODY: usize = 16 * 1024 * 1024;

async fn etag_layer(req: Request, next: Next) -> Response {
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let resp = next.run(req).await;
    let Some(cacheable) = resp.extensions().get::<Cacheable>().copied() else {
        return resp;
    };
    if resp.status() != StatusCode::OK {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = match axum::body::to_bytes(body, ETAG_MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return AppError::Internal("response body too large to send".into())
                .into_html_response()
        }
    };
    // A content hash is always right, whatever changed in the archive; SipHash with the fixed
    // keys of `DefaultHasher::new` is stable for the life of the process, which is all an ETag
    // must be (a restart at worst costs one full response).
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    let etag = format!("\"{:016x}-{:x}\"", h.finish(), bytes.len());
    let matches = if_none_match.is_some_and(|v| {
        v.split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*")
    });
    if let Ok(v) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, v);
    }
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cacheable.cache_control),
    );
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_traversal() {
        assert_eq!(percent_decode("/a/%2e%2E%2Fb"), "/a/../b");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%41"), "A");
        assert_eq!(percent_decode("x%zz"), "x%zz");
    }
}
