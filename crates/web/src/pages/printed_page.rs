//! A printed page of a volume: where it is and which documents it holds.

use maud::html;

use chancery_store::Archive;

use super::volume_crumbs;
use crate::html::{doc_url, page, Crumb};
use crate::pool::VolumeInfo;
use crate::AppError;

/// `/historicaldocuments/{volume}/pg_{n}`: where a printed page is and what is on it.
pub(super) fn page_view(archive: &Archive, info: &VolumeInfo, n: &str) -> Result<String, AppError> {
    let vid = info.volume.id.as_str();
    // Every break of the volume in reading order: the page runs from its break to the next.
    let breaks: Vec<(String, String)> = archive
        .page_breaks(vid)?
        .into_iter()
        .map(|b| (b.n, b.document))
        .collect();
    let Some(at) = breaks.iter().position(|(pn, _)| pn == n) else {
        return Err(AppError::NotFound(format!("no page {n} in {vid}")));
    };
    let start_doc = breaks[at].1.clone();
    let end_doc = breaks.get(at + 1).map(|b| b.1.clone());
    let prev = at
        .checked_sub(1)
        .and_then(|i| breaks.get(i))
        .map(|b| b.0.clone());
    let next = breaks.get(at + 1).map(|b| b.0.clone());
    // Documents from the one holding the break up to the one holding the next break.
    let mut docs = Vec::new();
    if let Some(s) = info.position(&start_doc) {
        let e = end_doc
            .as_deref()
            .and_then(|d| info.position(d))
            .unwrap_or(s);
        for d in info.documents.iter().skip(s).take(e.saturating_sub(s) + 1) {
            docs.push(d);
        }
    }
    let mut crumbs = volume_crumbs(info);
    crumbs.push(Crumb::here(format!("Page {n}")));
    Ok(page(
        &format!("Page {n} — {}", info.title()),
        html! {},
        &crumbs,
        html! {
            h1.page { "Page " (n) }
            p.meta { (info.title()) }
            nav.docnav {
                @if let Some(p) = &prev { a href=(doc_url(vid, &format!("pg_{p}"))) rel="prev" { "‹ Page " (p) } } " "
                @if let Some(p) = &next { a href=(doc_url(vid, &format!("pg_{p}"))) rel="next" { "Page " (p) " ›" } }
            }
            h2 { "Documents on this page" }
            ul {
                @for (i, d) in docs.iter().enumerate() {
                    li {
                        @if i == 0 {
                            a href={ (doc_url(vid, &d.id)) "#pg_" (n) } { (d.heading) }
                            " " span.meta { "(page " (n) " begins here)" }
                        } @else {
                            a href=(doc_url(vid, &d.id)) { (d.heading) }
                        }
                    }
                }
            }
        },
    ))
}
