//! The search page: the form, the hits with their snippets, the facets.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use chancery_query::{SearchRequest, SearchResponse, Sort};

use super::query_pairs;
use crate::error::HtmlError;
use crate::html::{self, doc_url, page, Crumb};
use crate::search;
use crate::{AppError, AppState};

pub async fn search(State(state): State<Arc<AppState>>, uri: Uri) -> Result<Response, HtmlError> {
    let pairs = query_pairs(&uri)?;
    let raw_q = pairs
        .iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let parsed = search::request_from_pairs(&pairs);
    let (status, body) = state
        .pool
        .run(move |pool, archive| {
            let req = match parsed {
                Ok(req) => req,
                Err(e @ AppError::BadRequest { .. }) => {
                    // Show the form again with what was typed, and the error under it.
                    let req = SearchRequest {
                        query: raw_q,
                        ..search::default_request()
                    };
                    return Ok((e.status(), search_page(&req, None, Some(&e), None)));
                }
                Err(e) => return Err(e),
            };
            if search::is_empty(&req) {
                return Ok((StatusCode::OK, search_page(&req, None, None, None)));
            }
            match search::run(pool, archive, &req, search::Form::Url) {
                Ok(resp) => {
                    if let Some(e) = search::past_the_end(&req, &resp) {
                        return Ok((e.status(), search_page(&req, Some(&resp), Some(&e), None)));
                    }
                    let titles = pool.volume_titles(archive)?;
                    Ok((
                        StatusCode::OK,
                        search_page(&req, Some(&resp), None, Some(&titles)),
                    ))
                }
                // A bad query, or no index: the page says so, with the form to try again.
                Err(e @ (AppError::BadRequest { .. } | AppError::Unavailable(_))) => {
                    Ok((e.status(), search_page(&req, None, Some(&e), None)))
                }
                Err(e) => Err(e),
            }
        })
        .await?;
    Ok((status, Html(body)).into_response())
}

/// The parts of a snippet's text, each marked as matched or not (ranges off char boundaries,
/// which the engine never gives, are skipped rather than trusted).
fn segments<'a>(text: &'a str, ranges: &[(usize, usize)]) -> Vec<(&'a str, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(a, b) in ranges {
        if a < at || b <= a {
            continue;
        }
        let (Some(before), Some(hit)) = (text.get(at..a), text.get(a..b)) else {
            continue;
        };
        if !before.is_empty() {
            out.push((before, false));
        }
        out.push((hit, true));
        at = b;
    }
    if let Some(rest) = text.get(at..).filter(|r| !r.is_empty()) {
        out.push((rest, false));
    }
    out
}

/// The search page: the form, then the results (`resp` without `error`), or the error box
/// (a bad query with a caret under its column, no index, a page past the end).
fn search_page(
    req: &SearchRequest,
    resp: Option<&SearchResponse>,
    error: Option<&AppError>,
    titles: Option<&HashMap<String, String>>,
) -> String {
    let q_error = error.filter(|e| e.location().is_some_and(|l| l.param == "q"));
    let caret = q_error
        .and_then(|e| e.location())
        .and_then(|l| l.column)
        .map(|c| {
            format!(
                "{}\n{}^ {}",
                req.query,
                " ".repeat(c.saturating_sub(1)),
                q_error.map(|e| e.to_string()).unwrap_or_default()
            )
        });
    let title = if req.query.is_empty() {
        "Search".to_string()
    } else {
        format!("Search: {}", req.query)
    };
    let page_no = search::page_of(req);
    let per_page = req.limit.max(1);
    let pages = resp.map(|r| (r.total as usize).div_ceil(per_page).max(1));
    let undated = resp
        .and_then(|r| r.undated_excluded.or(r.undated))
        .unwrap_or(0);
    let dated = req.date_from.is_some() || req.date_to.is_some();
    let facets = resp.map(shown_facets).unwrap_or_default();
    let cleared = SearchRequest {
        filters: Default::default(),
        include_matter: false,
        offset: 0,
        ..req.clone()
    };
    page(
        &title,
        html! { meta name="robots" content="noindex"; },
        &[Crumb::link("Home", "/"), Crumb::here("Search")],
        html! {
            h1.page { "Search" }
            form.search action="/search" method="get" {
                input type="search" name="q" value=(req.query) class=[q_error.map(|_| "error")]
                    aria-invalid=[q_error.map(|_| "true")] aria-describedby=[q_error.map(|_| "qerror")]
                    placeholder="words, \"exact phrases\", OR, NOT, -exclude, bomb*, title:…" aria-label="Query";
                @for (k, vs) in &req.filters {
                    @for v in vs {
                        @if search::is_filter_param(k) {
                            input type="hidden" name=(k) value=(v);
                        } @else {
                            input type="hidden" name="filter" value={ (k) "=" (v) };
                        }
                    }
                }
                @if req.date_mode == chancery_query::DateMode::Within { input type="hidden" name="date_mode" value="within"; }
                @if let Some(l) = &req.like { input type="hidden" name="like" value=(l); }
                @if req.limit != search::DEFAULT_PER_PAGE { input type="hidden" name="per_page" value=(req.limit); }
                label { "From " input type="text" name="from" size="10" placeholder="YYYY-MM-DD" value=[req.date_from.as_deref()]; }
                label { "to " input type="text" name="to" size="10" placeholder="YYYY-MM-DD" value=[req.date_to.as_deref()]; }
                label { "Sort "
                    select name="sort" {
                        option value="relevance" selected[req.sort == Sort::Relevance] { "relevance" }
                        option value="date" selected[req.sort == Sort::Date] { "date, oldest first" }
                        option value="date-desc" selected[req.sort == Sort::DateDesc] { "date, newest first" }
                    }
                }
                button type="submit" { "Search" }
            }
            @if let Some(c) = &caret {
                div.qerror id="qerror" role="alert" { (c) }
            } @else if let Some(e) = error {
                div.qerror id="qerror" role="alert" {
                    (e.to_string())
                    @if let (Some(n), StatusCode::NOT_FOUND) = (pages, e.status()) {
                        " " a href={ "/search?" (search::to_query(req, n)) } { "Go to the last page" } "."
                    }
                }
            }
            @if let (Some(r), None) = (resp, error) {
                div.layout {
                    div {
                        p.summary id="summary" data-total=(r.total) {
                            @if r.total == 0 { "No documents match." } @else {
                                "Displaying " (r.offset + 1) "–" (r.offset + r.hits.len()) " of "
                                strong id="total" { (r.total) } (if r.total == 1 { " document" } else { " documents" })
                            }
                            @if undated > 0 {
                                " · " span.undated { (undated) " undated" @if dated { " (left out by the date range)" } }
                            }
                            " · " ((r.took_ms * 100.0).round() / 100.0) " ms"
                        }
                        ol.hits {
                            @for h in &r.hits {
                                li {
                                    a.title href=(doc_url(&h.volume_id, &h.id)) { (h.heading) }
                                    div.where {
                                        (h.volume_id) " · " (kind_label(&h.kind))
                                        @if let Some(d) = &h.date_text { " · " (d) }
                                        @else if let Some(d) = h.date_min.as_deref().and_then(|d| d.get(..10)) { " · " (d) }
                                    }
                                    @for s in &h.snippets {
                                        p.kwic {
                                            @if s.location != "body" { span.meta { (s.location) ": " } }
                                            @for (text, hit) in segments(&s.text, &s.highlights) {
                                                @if hit { mark { (text) } } @else { (text) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        (html::pager(page_no, pages.unwrap_or(1), |n| format!("/search?{}", search::to_query(req, n))))
                    }
                    aside.panel.facets {
                        @for (facet, label) in FACETS {
                            @if let Some(values) = facets.get(*facet) {
                                section data-facet=(facet) {
                                    h2 { (label) }
                                    ul {
                                        @for v in values {
                                            li {
                                                @let active = search::is_active(req, facet, &v.value);
                                                @let label = if *facet == "kind" { kind_label(&v.value) } else { v.value.as_str() };
                                                a.active[active] href={ "/search?" (search::to_query(&search::toggled(req, facet, &v.value), 1)) }
                                                    data-value=(v.value) data-count=(v.count)
                                                    title=[(*facet == "volume").then(|| titles.and_then(|t| t.get(&v.value))).flatten()] {
                                                    span { @if active { "✓ " } (label) }
                                                    span.n { (v.count) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        @if !req.filters.is_empty() {
                            p { a href={ "/search?" (search::to_query(&cleared, 1)) } { "Clear filters" } }
                        }
                    }
                }
            } @else if error.is_none() {
                p.meta {
                    "All words must occur (AND is the default); put exact phrases in quotes; OR, NOT and parentheses combine; "
                    "-word excludes; bomb* and b?mbing are wildcards; fields narrow: title:, person:, from:, to:, type:, "
                    "classification:, date:[1968-10-01 TO 1968-10-31]. Filter by volume, type and year after searching; "
                    "dates as YYYY, YYYY-MM or YYYY-MM-DD."
                }
            }
        },
    )
}

/// Facets the page lists, in display order: (facet, label).
const FACETS: &[(&str, &str)] = &[
    ("volume", "Volume"),
    ("kind", "Kind"),
    ("type", "Document type"),
    ("classification", "Classification"),
    ("caveat", "Caveats"),
    ("year", "Year"),
];

/// How the page names a document kind.
fn kind_label(kind: &str) -> &str {
    match kind {
        "historical-document" => "Historical document",
        "editorial-note" => "Editorial note",
        "front-matter" => "Front matter",
        "back-matter" => "Back matter",
        other => other,
    }
}

/// Facet name → values with counts above zero, for the page.
fn shown_facets(resp: &SearchResponse) -> BTreeMap<&str, Vec<&chancery_query::FacetCount>> {
    let mut out = BTreeMap::new();
    if let Some(facets) = &resp.facets {
        for (name, values) in facets {
            let shown: Vec<_> = values.iter().filter(|v| v.count > 0).collect();
            if !shown.is_empty() {
                out.insert(name.as_str(), shown);
            }
        }
    }
    out
}
