//! A volume's page: its particulars and its contents as a tree of chapters.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use maud::{html, Markup};

use chancery_model::Division;

use super::{cached, short_title, volume_crumbs, volume_or_404, Page};
use crate::error::check_id;
use crate::html::{doc_url, page, volume_url, Crumb};
use crate::pool::VolumeInfo;
use crate::search::enc;
use crate::AppState;

pub async fn volume(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Page {
    check_id("volume", &id)?;
    let body = state
        .pool
        .run(move |pool, archive| {
            let info = volume_or_404(pool, archive, &id)?;
            Ok(volume_page(&info))
        })
        .await?;
    Ok(cached(body))
}

fn volume_page(info: &VolumeInfo) -> String {
    let v = &info.volume;
    let headings: HashMap<&str, &chancery_store::DocumentSummary> =
        info.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let in_toc: std::collections::HashSet<&str> = {
        let mut s = std::collections::HashSet::new();
        fn collect<'a>(ds: &'a [Division], s: &mut std::collections::HashSet<&'a str>) {
            for d in ds {
                s.extend(d.documents.iter().map(String::as_str));
                collect(&d.children, s);
            }
        }
        collect(&v.toc, &mut s);
        s
    };
    let loose: Vec<&chancery_store::DocumentSummary> = info
        .documents
        .iter()
        .filter(|d| !in_toc.contains(d.id.as_str()))
        .collect();
    let dated: Vec<&str> = info
        .documents
        .iter()
        .filter_map(|d| d.date_min.as_deref())
        .collect();
    let span = match (dated.iter().min(), dated.iter().max()) {
        (Some(a), Some(b)) => Some((a.get(..10).unwrap_or(a), b.get(..10).unwrap_or(b))),
        _ => None,
    };
    let mut crumbs = volume_crumbs(info);
    crumbs.pop();
    crumbs.push(Crumb::here(short_title(info)));
    page(
        &info.title(),
        html! {},
        &crumbs,
        html! {
            h1.page { (info.title()) }
            @if info.stub {
                p.meta { "This volume is known only from documents read from text captures; its title, editors and contents list come with its TEI." }
            }
            dl.volmeta {
                @let eds: Vec<&str> = v.editors.iter().filter(|e| !e.name.trim().is_empty()).map(|e| e.name.as_str()).collect();
                @if !eds.is_empty() {
                    dt { "Editors" } dd { (eds.join(", ")) }
                }
                @if let Some(y) = &v.publication_year {
                    dt { "Published" } dd { (v.pub_place.as_deref().unwrap_or("")) " " (v.publisher.as_deref().unwrap_or("")) ", " (y) }
                }
                @if let Some(cd) = &v.content_dates {
                    dt { "Covers" } dd { (cd.min.get(..10).unwrap_or(&cd.min)) " to " (cd.max.get(..10).unwrap_or(&cd.max)) }
                } @else if let Some((a, b)) = span {
                    dt { "Documents dated" } dd { (a) " to " (b) }
                }
                @for i in v.idnos.iter().filter(|i| i.kind.starts_with("isbn") && !i.value.trim().is_empty()) {
                    dt { (i.kind.to_uppercase()) } dd { (i.value) }
                }
                dt { "Documents" } dd { (info.documents.len()) }
            }
            p {
                a href={ "/search?volume=" (enc(&v.id)) } { "Search inside this volume" }
                @if !v.persons.is_empty() { " · " a href={ (volume_url(&v.id)) "/persons" } { "Persons (" (v.persons.len()) ")" } }
                @if !v.terms.is_empty() { " · " a href={ (volume_url(&v.id)) "/terms" } { "Abbreviations and terms (" (v.terms.len()) ")" } }
                " · " a href={ "/api/v1/volumes/" (v.id) "/toc" } { "TOC as JSON" }
            }
            h2 { "Contents" }
            @if !loose.is_empty() {
                ol.toc {
                    @for d in &loose { li { a href=(doc_url(&v.id, &d.id)) { (d.heading) } } }
                }
            }
            (toc_tree(&v.id, &v.toc, &headings, None, true))
        },
    )
}

/// The TOC as nested lists; `current` (a document id) is marked and its chapters open.
pub(super) fn toc_tree(
    volume: &str,
    divs: &[Division],
    headings: &HashMap<&str, &chancery_store::DocumentSummary>,
    current: Option<&str>,
    open_all: bool,
) -> Markup {
    fn contains(d: &Division, id: &str) -> bool {
        d.documents.iter().any(|x| x == id) || d.children.iter().any(|c| contains(c, id))
    }
    html! {
        ol.toc {
            @for d in divs {
                li id=[open_all.then_some(d.id.as_str())] {
                    @let open = open_all || current.is_some_and(|c| contains(d, c));
                    details open[open] {
                        summary {
                            (d.heading)
                            " " span.count { "(" (d.document_count()) ")" }
                        }
                        @if !d.children.is_empty() {
                            (toc_tree(volume, &d.children, headings, current, open_all))
                        }
                        @if !d.documents.is_empty() {
                            ol {
                                @for id in &d.documents {
                                    li.current[current == Some(id.as_str())] {
                                        a href=(doc_url(volume, id)) {
                                            (headings.get(id.as_str()).map(|s| s.heading.as_str()).unwrap_or(id))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
