//! HTML pages, one module per page (or family of pages). Each handler reads what it needs on the
//! blocking pool and renders there too; what several pages share (caching, breadcrumbs, the
//! volume lookup) is here.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, Uri};
use axum::response::Response;
use chancery_store::Archive;

use crate::error::{check_id, HtmlError};
use crate::html::{volume_url, Crumb};
use crate::pool::{Pool, VolumeInfo};
use crate::{cacheable, AppError, AppState};

mod document;
mod glossary;
mod home;
mod people;
mod printed_page;
mod search;
mod timeline;
mod volume;

pub use glossary::all_terms;
pub use home::{home, volumes};
pub(crate) use people::person_data;
pub use people::{people_index, person};
pub use search::search;
pub use timeline::timeline;
pub use volume::volume;

type Page = Result<Response, HtmlError>;

/// Pages whose content depends only on the archive: ETag + short public caching.
pub(crate) fn cached(body: String) -> Response {
    let mut r = cacheable(body, "public, max-age=300");
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

pub(crate) fn query_pairs(uri: &Uri) -> Result<Vec<(String, String)>, AppError> {
    match Query::<Vec<(String, String)>>::try_from_uri(uri) {
        Ok(Query(pairs)) => Ok(pairs),
        Err(e) => Err(AppError::BadRequest {
            message: format!("malformed query string: {e}"),
            location: None,
        }),
    }
}

fn volume_or_404(pool: &Pool, archive: &Archive, id: &str) -> Result<Arc<VolumeInfo>, AppError> {
    pool.volume_info(archive, id)?
        .ok_or_else(|| AppError::NotFound(format!("no volume {id} in this archive")))
}

fn volume_crumbs(info: &VolumeInfo) -> Vec<Crumb> {
    vec![
        Crumb::link("Home", "/"),
        Crumb::link("Historical Documents", "/historicaldocuments"),
        Crumb::link(short_title(info), volume_url(&info.volume.id)),
    ]
}

/// "1964–1968, Volume VII" or the id.
fn short_title(info: &VolumeInfo) -> String {
    let t = &info.volume.titles;
    let parts: Vec<&str> = [t.sub_series.as_deref(), t.volume_number.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        info.volume.id.clone()
    } else {
        parts.join(", ")
    }
}

/// `/historicaldocuments/{volume}/{item}`: a document, a printed page (`pg_N`), or the
/// persons/terms lists, as history.state.gov shares the one path between them.
pub async fn item(
    State(state): State<Arc<AppState>>,
    Path((volume, item)): Path<(String, String)>,
) -> Page {
    check_id("volume", &volume)?;
    check_id("document", &item)?;
    let body = state
        .pool
        .run(move |pool, archive| {
            let info = volume_or_404(pool, archive, &volume)?;
            if let Some(n) = item.strip_prefix("pg_") {
                return printed_page::page_view(archive, &info, n);
            }
            match item.as_str() {
                "persons" => glossary::glossary_page(archive, &info, true),
                "terms" => glossary::glossary_page(archive, &info, false),
                _ => document::document_page(pool, archive, &info, &item),
            }
        })
        .await?;
    Ok(cached(body))
}
