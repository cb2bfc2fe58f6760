//! Static assets, compiled into the binary: the reading room works offline and needs no CDN.

use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::Response;

use crate::error::HtmlError;
use crate::{cacheable, AppError};

pub const CSS: &str = include_str!("assets/app.css");
pub const JS: &str = include_str!("assets/app.js");

/// A short content hash for cache-busting URLs (`/static/app.css?v=…`), computed at first use.
pub fn version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        CSS.hash(&mut h);
        JS.hash(&mut h);
        format!("{:08x}", h.finish() & 0xffff_ffff)
    })
}

pub async fn serve(Path(name): Path<String>) -> Result<Response, HtmlError> {
    // Only names in this table exist; the request never reaches the file system.
    let (body, mime) = match name.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return Err(AppError::NotFound(format!("no asset {name}")).into()),
    };
    let mut resp = cacheable(body, "public, max-age=31536000, immutable");
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    Ok(resp)
}
