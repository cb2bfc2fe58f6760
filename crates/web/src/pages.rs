//! HTML pages. Each handler reads what it needs on the blocking pool and renders there too.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup};

use chancery_formats::cite::Citation;
use chancery_model::{walk_blocks, walk_inlines, Division, Document, Inline};
use chancery_query::{SearchRequest, SearchResponse, Sort};
use chancery_store::{Apparatus, Archive, DocLink, GlossaryKind};

use crate::error::{check_id, HtmlError};
use crate::html::{self, count, doc_url, page, person_url, volume_url, Crumb, DocCtx, RefTarget};
use crate::pool::{Pool, VolumeInfo};
use crate::search::{self, enc, FACETS};
use crate::{cacheable, AppError, AppState};

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

// ---------------------------------------------------------------------------------------------
// Home and volume list

pub async fn home(State(state): State<Arc<AppState>>) -> Page {
    let body = state
        .pool
        .run(|_, archive| {
            let stats = archive.stats()?;
            let vols = archive.volumes()?;
            let full: Vec<_> = vols.iter().filter(|v| !v.stub).collect();
            Ok(page(
                "Reading room",
                html! {},
                &[],
                html! {
                    h1.page { "The Chancery reading room" }
                    p.meta {
                        (count(stats.documents, "document", "documents")) " in " (count(stats.volumes, "volume", "volumes")) " of "
                        em { "Foreign Relations of the United States" } ", with "
                        (count(stats.footnotes, "footnote", "footnotes")) " and " (count(stats.persons, "person", "persons")) " in the volumes' lists."
                    }
                    form.search action="/search" method="get" {
                        input type="search" name="q" placeholder="Search the documents (words, \"phrases\", AND/OR/NOT, fields)" aria-label="Query";
                        button type="submit" { "Search" }
                    }
                    h2 { "Volumes with full text" }
                    ul {
                        @for v in &full {
                            li { a href=(volume_url(&v.id)) { (v.title.as_deref().unwrap_or(&v.id)) } " " span.meta { "(" (count(v.documents, "document", "documents")) ")" } }
                        }
                    }
                    p { a href="/historicaldocuments" { "All volumes" } " · " a href="/timeline" { "Timeline" } " · " a href="/people" { "People" } " · " a href="/api/v1" { "JSON API" } }
                },
            ))
        })
        .await?;
    Ok(cached(body))
}

pub async fn volumes(State(state): State<Arc<AppState>>) -> Page {
    let body = state
        .pool
        .run(|_, archive| {
            let vols = archive.volumes()?;
            Ok(page(
                "Historical Documents",
                html! {},
                &[Crumb::link("Home", "/"), Crumb::here("Historical Documents")],
                html! {
                    h1.page { "Historical Documents" }
                    table.list {
                        thead { tr { th { "Volume" } th { "Title" } th { "Documents" } th { "Notes" } } }
                        tbody {
                            @for v in &vols {
                                tr {
                                    td { a href=(volume_url(&v.id)) { (v.id) } }
                                    td {
                                        @match &v.title { Some(t) => (t), None => span.meta { "documents from text captures" } }
                                    }
                                    td { (v.documents) }
                                    td { (v.footnotes) }
                                }
                            }
                        }
                    }
                },
            ))
        })
        .await?;
    Ok(cached(body))
}

// ---------------------------------------------------------------------------------------------
// Volume page

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
fn toc_tree(
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

// ---------------------------------------------------------------------------------------------
// /historicaldocuments/{volume}/{item}: a document, a page, or the persons/terms lists

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
                return page_view(archive, &info, n);
            }
            match item.as_str() {
                "persons" => glossary_page(archive, &info, true),
                "terms" => glossary_page(archive, &info, false),
                _ => document_page(pool, archive, &info, &item),
            }
        })
        .await?;
    Ok(cached(body))
}

/// The links the TEI encodes in the document and where they lead, from the stored apparatus.
fn refs_of(apparatus: &Apparatus) -> HashMap<String, RefTarget> {
    apparatus
        .cross_refs
        .iter()
        .filter(|r| r.source == "tei")
        .map(|r| {
            (
                r.raw.clone(),
                RefTarget {
                    target_volume: r.target_volume.clone(),
                    target_element: r.target_element.clone(),
                    resolved_document: r.resolved_document.clone(),
                    resolved: r.resolved,
                },
            )
        })
        .collect()
}

/// Glossary ids mentioned in the document (heading, body, notes), in first-seen order, with counts.
/// Glossary ids with how often they occur.
type Counted = Vec<(String, usize)>;

fn mentioned(doc: &Document) -> (Counted, Counted) {
    let mut persons: Vec<(String, usize)> = Vec::new();
    let mut terms: Vec<(String, usize)> = Vec::new();
    let add = |list: &mut Vec<(String, usize)>, id: &str| {
        if let Some(e) = list.iter_mut().find(|(x, _)| x == id) {
            e.1 += 1;
        } else {
            list.push((id.to_string(), 1));
        }
    };
    let mut visit = |i: &Inline| match i {
        Inline::Person {
            person_id: Some(p), ..
        } => add(&mut persons, p),
        Inline::Term {
            term_id: Some(t), ..
        } => add(&mut terms, t),
        _ => {}
    };
    walk_inlines(&doc.heading, &mut visit);
    walk_blocks(&doc.body, &mut visit);
    for n in &doc.footnotes {
        walk_blocks(&n.blocks, &mut visit);
    }
    (persons, terms)
}

fn document_page(
    pool: &Pool,
    archive: &Archive,
    info: &VolumeInfo,
    id: &str,
) -> Result<String, AppError> {
    let vid = info.volume.id.as_str();
    let Some(doc) = archive.document(vid, id)? else {
        return Err(AppError::NotFound(format!(
            "no document {vid}/{id} in this archive"
        )));
    };
    // The apparatus as ingest stored it (markings, thread, references): read, never recomputed.
    let apparatus = archive.apparatus(vid, id)?.unwrap_or_default();
    let refs = refs_of(&apparatus);
    let ctx = DocCtx {
        volume_id: vid,
        persons: &info.persons,
        terms: &info.terms,
        refs: &refs,
    };
    let pos = info.position(id);
    let prev = pos
        .and_then(|p| p.checked_sub(1))
        .and_then(|p| info.documents.get(p));
    let next = pos.and_then(|p| info.documents.get(p + 1));
    let cite = Citation::new(&info.volume, &doc)
        .with_correspondence(markings_parties(&apparatus))
        .with_url(chancery_model::document_url(vid, id));
    // The document's other witnesses and where their words differ from its own.
    let witnesses = pool.witnesses(archive, &doc)?;
    let (persons, terms) = mentioned(&doc);
    let headings: HashMap<&str, &chancery_store::DocumentSummary> =
        info.documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let label = match &doc.number {
        Some(n) => format!("Document {n}"),
        None => doc.heading_text.clone(),
    };
    let mut crumbs = volume_crumbs(info);
    for ch in &doc.chapter_path {
        crumbs.push(Crumb::link(
            ch.heading.clone(),
            format!("{}#{}", volume_url(vid), ch.id),
        ));
    }
    crumbs.push(Crumb::here(label.clone()));
    let markings = apparatus.markings.clone().unwrap_or_default();
    let has_markings = markings.classification.is_some()
        || markings.precedence.is_some()
        || !markings.caveats.is_empty()
        || !markings.code_words.is_empty()
        || markings.repository.is_some()
        || markings.doc_type.is_some();
    let telegrams: Vec<&str> = apparatus
        .telegrams
        .iter()
        .map(|t| t.number.as_deref().unwrap_or(&t.raw))
        .collect();
    let thread = &apparatus.thread;
    let nav = html! {
        nav.docnav aria-label="Previous and next document" {
            @match prev { Some(p) => a href=(doc_url(vid, &p.id)) rel="prev" { "‹ " (p.number.as_deref().map(|n| format!("Document {n}")).unwrap_or_else(|| p.heading.clone())) }, None => span {} }
            @match next { Some(p) => a href=(doc_url(vid, &p.id)) rel="next" { (p.number.as_deref().map(|n| format!("Document {n}")).unwrap_or_else(|| p.heading.clone())) " ›" }, None => span {} }
        }
    };
    let head = meta_tags(&cite, &doc);
    let body = html! {
        div.layout {
            article.doc {
                (nav)
                h1 { (ctx.inlines(&doc.heading)) }
                (ctx.blocks(&doc.body))
                @if !doc.footnotes.is_empty() {
                    section.notes id="notes" {
                        h2 { "Footnotes" }
                        (ctx.notes(&doc.footnotes))
                    }
                }
                (nav)
            }
            aside.panel {
                @if has_markings {
                    section.markings {
                        h2 { "Markings" }
                        dl {
                            @if let Some(t) = &markings.doc_type { dt { "Type" } dd { (t) } }
                            @if !markings.markers.is_empty() { dt { "Form" } dd { (markings.markers.join(", ")) } }
                            @if let Some(n) = &markings.serial_number { dt { "Number" } dd { "No. " (n) } }
                            @if let Some(t) = &markings.sent_time { dt { "Sent" } dd { (t) } }
                            @if let Some(t) = &markings.received_at { dt { "Received" } dd { (t) } }
                            @if !telegrams.is_empty() { dt { "Telegram" } dd { (telegrams.join(", ")) } }
                            @if let Some(c) = &markings.classification {
                                dt { "Classification" } dd { span class={ "chip class-" (c.to_lowercase().replace(' ', "-")) } { (c) } }
                            }
                            @if let Some(p) = &markings.precedence { dt { "Precedence" } dd { (p) } }
                            @if !markings.caveats.is_empty() || !markings.code_words.is_empty() {
                                dt { "Caveats" } dd { @for c in markings.caveats.iter().chain(markings.code_words.iter()) { span.chip { (c) } } }
                            }
                            @if let Some(r) = &markings.repository { dt { "Archive" } dd { (r) } }
                            @if let Some(l) = &markings.lot { dt { "Lot" } dd { (l) } }
                        }
                    }
                }
                @if !thread.answers.is_empty() || !thread.answered_by.is_empty() {
                    section.thread {
                        h2 { "Cable thread" }
                        @if !thread.answers.is_empty() {
                            p.meta { "Cites" }
                            (doc_links(&thread.answers))
                        }
                        @if !thread.answered_by.is_empty() {
                            p.meta { "Cited in" }
                            (doc_links(&thread.answered_by))
                        }
                    }
                }
                @if !apparatus.cited_by.is_empty() {
                    section.cited-by {
                        h2 { "Referred to by" }
                        (doc_links(&apparatus.cited_by))
                    }
                }
                @if !persons.is_empty() {
                    section.persons {
                        h2 { "Persons" }
                        ul {
                            @for (pid, n) in &persons {
                                @let (v, local) = split_gloss(vid, pid);
                                li {
                                    a href=(person_url(v, local)) { (info.persons.get(local).filter(|_| v == vid).map(|e| e.name.as_str()).unwrap_or(local)) }
                                    @if *n > 1 { " " span.meta { "×" (n) } }
                                    @if let Some(e) = info.persons.get(local).filter(|_| v == vid) {
                                        br; span.gloss-desc { (e.description.trim().trim_start_matches(',').trim()) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !terms.is_empty() {
                    section.terms {
                        h2 { "Abbreviations & Terms" }
                        ul {
                            @for (tid, _) in &terms {
                                @let (v, local) = split_gloss(vid, tid);
                                li {
                                    a href={ (volume_url(v)) "/terms#" (local) } { strong { (info.terms.get(local).filter(|_| v == vid).map(|e| e.name.as_str()).unwrap_or(local)) } }
                                    @if let Some(e) = info.terms.get(local).filter(|_| v == vid) {
                                        " " span.gloss-desc { (e.description.trim().trim_start_matches(',').trim()) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !witnesses.is_empty() {
                    section.witnesses {
                        h2 { "Witnesses" }
                        p.meta { "This document is stored from " (witnesses.len() + 1) " sources." }
                        ol {
                            li { "The text shown on this page." }
                            @for (w, c) in &witnesses {
                                li {
                                    (source_label(w.format)) ": " code { (w.source_path) }
                                    @if c.identical() {
                                        " — the same words."
                                    } @else {
                                        " — " (c.differences.len() + c.more) " "
                                        (if c.differences.len() + c.more == 1 { "place where the words differ" } else { "places where the words differ" })
                                        ":"
                                        ul.differences {
                                            @for d in &c.differences {
                                                li {
                                                    span.meta { "…" (d.context) " " }
                                                    del { (d.first) } " → " ins { (d.second) }
                                                }
                                            }
                                            @if c.more > 0 { li.meta { "and " (c.more) " more" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                section.cite {
                    h2 { "Cite this document" }
                    p.historian id="cite-historian" { (cite.historian()) }
                    button.copy type="button" data-copy="cite-historian" { "Copy" }
                    details {
                        summary { "Chicago note" }
                        p.chicago id="cite-chicago" { (cite.chicago()) }
                        button.copy type="button" data-copy="cite-chicago" { "Copy Chicago" }
                    }
                    details {
                        summary { "BibTeX" }
                        pre id="cite-bibtex" { (cite.bibtex()) }
                        button.copy type="button" data-copy="cite-bibtex" { "Copy BibTeX" }
                    }
                    details {
                        summary { "RIS" }
                        pre id="cite-ris" { (cite.ris()) }
                        button.copy type="button" data-copy="cite-ris" { "Copy RIS" }
                    }
                    p { a href={ "/api/v1/documents/" (vid) "/" (id) "/citation" } { "CSL-JSON and all forms" } }
                }
                section.formats {
                    h2 { "Other forms" }
                    ul {
                        li { a href={ "/api/v1/documents/" (vid) "/" (id) } type="application/json" { "JSON (structured)" } }
                        li { a href={ "/api/v1/documents/" (vid) "/" (id) "/text" } type="text/plain" { "Plain text" } }
                        li { a href={ "/api/v1/documents/" (vid) "/" (id) "/markdown" } type="text/markdown" { "Markdown" } }
                        li { a href={ "https://history.state.gov" (doc_url(vid, id)) } rel="noopener" { "On history.state.gov" } }
                    }
                }
                section.toc-panel {
                    h2 { "Contents of the volume" }
                    @if info.volume.toc.is_empty() {
                        ol.toc {
                            @for d in &info.documents {
                                li.current[d.id == id] { a href=(doc_url(vid, &d.id)) { (d.heading) } }
                            }
                        }
                    } @else {
                        (toc_tree(vid, &info.volume.toc, &headings, Some(id), false))
                    }
                }
            }
        }
    };
    Ok(page(&doc.heading_text, head, &crumbs, body))
}

/// Documents of the thread or backlinks, with their dates.
/// What kind of file a witness was read from.
fn source_label(format: chancery_model::SourceFormat) -> &'static str {
    match format {
        chancery_model::SourceFormat::Tei => "TEI volume file",
        chancery_model::SourceFormat::Text => "Plain-text capture",
        chancery_model::SourceFormat::Bibliography => "Catalogue record",
    }
}

/// The parties and kind of the document as the stored apparatus names them, for citing it.
fn markings_parties(apparatus: &Apparatus) -> chancery_model::Correspondence {
    apparatus
        .markings
        .as_ref()
        .map(|m| m.correspondents())
        .unwrap_or_default()
}

fn doc_links(links: &[DocLink]) -> Markup {
    html! {
        ul {
            @for l in links {
                li {
                    a href=(doc_url(&l.volume_id, &l.document_id)) { (l.heading.as_deref().unwrap_or(&l.document_id)) }
                    @if let Some(d) = l.date_min.as_deref().and_then(|d| d.get(..10)) { " " span.meta { (d) } }
                }
            }
        }
    }
}

fn split_gloss<'a>(vid: &'a str, id: &'a str) -> (&'a str, &'a str) {
    match id.split_once('#') {
        Some((v, l)) if !v.is_empty() => (v, l),
        Some((_, l)) => (vid, l),
        None => (vid, id),
    }
}

/// Highwire Press (Google Scholar, Zotero) and Dublin Core tags.
fn meta_tags(c: &Citation, doc: &Document) -> Markup {
    html! {
        meta name="citation_title" content=(c.document_title);
        meta name="citation_inbook_title" content=(c.volume_title);
        meta name="citation_series_title" content=(c.series);
        @if let Some(v) = &c.volume_number { meta name="citation_volume" content=(v); }
        @for e in &c.editors { meta name="citation_editor" content=(e); }
        @if let Some(p) = &c.publisher { meta name="citation_publisher" content=(p); }
        @if let Some(y) = &c.year { meta name="citation_publication_date" content=(y); }
        @if let Some(i) = &c.isbn { meta name="citation_isbn" content=(i); }
        meta name="citation_firstpage" content=(c.locator());
        @if let Some(d) = &c.date { meta name="citation_date" content=(d); }
        @if let Some(u) = &c.url { meta name="citation_public_url" content=(u); }
        meta name="DC.title" content=(doc.heading_text);
        meta name="DC.type" content="Text";
        meta name="DC.relation.ispartof" content=(c.volume_title);
        @if let Some(p) = &c.publisher { meta name="DC.publisher" content=(p); }
        @if let Some(d) = &c.date { meta name="DC.date" content=(d); }
        @for e in &c.editors { meta name="DC.contributor" content=(e); }
        @if let Some(u) = &c.url { meta name="DC.identifier" content=(u); }
        meta name="DC.rights" content="Public domain (work of the U.S. government)";
    }
}

/// `/historicaldocuments/{volume}/pg_{n}`: where a printed page is and what is on it.
fn page_view(archive: &Archive, info: &VolumeInfo, n: &str) -> Result<String, AppError> {
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

/// Mention counts per glossary entry of one volume.
fn mention_counts(
    archive: &Archive,
    vid: &str,
    kind: GlossaryKind,
) -> Result<HashMap<String, u64>, AppError> {
    Ok(archive.mention_counts(vid, kind)?)
}

fn glossary_page(archive: &Archive, info: &VolumeInfo, persons: bool) -> Result<String, AppError> {
    let vid = info.volume.id.as_str();
    let (entries, title, kind) = if persons {
        (&info.volume.persons, "Persons", GlossaryKind::Person)
    } else {
        (
            &info.volume.terms,
            "Abbreviations and Terms",
            GlossaryKind::Term,
        )
    };
    let counts = mention_counts(archive, vid, kind)?;
    let mut crumbs = volume_crumbs(info);
    crumbs.push(Crumb::here(title));
    Ok(page(
        &format!("{title} — {}", info.title()),
        html! {},
        &crumbs,
        html! {
            h1.page { (title) }
            p.meta { (info.title()) " · " (count(entries.len() as u64, "entry", "entries")) }
            @if entries.is_empty() {
                p { "This volume has no " (title.to_lowercase()) " list in the archive." }
            }
            dl.glossary {
                @for e in entries {
                    dt id=(e.id) {
                        @if persons { a href=(person_url(vid, &e.id)) { (e.name) } } @else { (e.name) }
                        @if let Some(n) = counts.get(&e.id) { " " span.meta { "(" (count(*n, "document", "documents")) ")" } }
                    }
                    dd { (e.description.trim().trim_start_matches(',').trim()) }
                }
            }
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// People and terms across volumes

pub async fn people_index(State(state): State<Arc<AppState>>) -> Page {
    let body = state
        .pool
        .run(|_, archive| {
            let rows: Vec<(String, Option<String>, u64)> = archive
                .persons_lists()?
                .into_iter()
                .map(|l| (l.volume, l.title, l.persons))
                .collect();
            Ok(page(
                "People",
                html! {},
                &[Crumb::link("Home", "/"), Crumb::here("People")],
                html! {
                    h1.page { "People" }
                    p.meta { "Persons lists of the volumes. Person pages are per volume (" code { "/people/{volume}:{id}" } ") until a series-wide authority exists." }
                    ul {
                        @for (id, title, n) in &rows {
                            li { a href={ (volume_url(id)) "/persons" } { (title.as_deref().unwrap_or(id)) } " " span.meta { "(" (count(*n, "person", "persons")) ")" } }
                        }
                    }
                },
            ))
        })
        .await?;
    Ok(cached(body))
}

/// (volume, doc id, heading, date text, day, mentions)
pub(crate) type PersonDoc = (String, String, String, Option<String>, Option<String>, u64);

/// The person behind `/people/{volume}:{p_id}`.
pub(crate) struct PersonData {
    pub volume: String,
    pub entry: chancery_model::GlossaryEntry,
    pub volume_title: String,
    /// (volume, doc id, heading, date text, day, mentions)
    pub documents: Vec<PersonDoc>,
}

pub(crate) fn person_data(
    pool: &Pool,
    archive: &Archive,
    key: &str,
) -> Result<PersonData, AppError> {
    let Some((vid, pid)) = key.split_once(':') else {
        return Err(AppError::NotFound(format!(
            "no person {key}: person ids have the form VOLUME:ID, e.g. frus1964-68v07:p_HWA1"
        )));
    };
    check_id("person", vid)?;
    check_id("person", pid)?;
    let info = volume_or_404(pool, archive, vid)?;
    let Some(entry) = info.persons.get(pid).cloned() else {
        return Err(AppError::NotFound(format!("no person {pid} in {vid}")));
    };
    let documents = archive
        .documents_mentioning(vid, pid)?
        .into_iter()
        .map(|d| (d.volume, d.id, d.heading, d.date_text, d.day, d.mentions))
        .collect();
    Ok(PersonData {
        volume: vid.to_string(),
        volume_title: info.title(),
        entry,
        documents,
    })
}

pub async fn person(State(state): State<Arc<AppState>>, Path(key): Path<String>) -> Page {
    let body = state
        .pool
        .run(move |pool, archive| {
            let p = person_data(pool, archive, &key)?;
            Ok(page(
                &p.entry.name,
                html! {},
                &[
                    Crumb::link("Home", "/"),
                    Crumb::link("People", "/people"),
                    Crumb::link(p.volume.clone(), format!("{}/persons", volume_url(&p.volume))),
                    Crumb::here(p.entry.name.clone()),
                ],
                html! {
                    h1.page { (p.entry.name) }
                    p { (p.entry.description.trim().trim_start_matches(',').trim()) }
                    p.meta { "From the persons list of " a href={ (volume_url(&p.volume)) "/persons#" (p.entry.id) } { (p.volume_title) } "." }
                    h2 { "Documents, by date (" (p.documents.len()) ")" }
                    table.list {
                        thead { tr { th { "Date" } th { "Document" } th { "Mentions" } } }
                        tbody {
                            @for (v, d, heading, date_text, day, n) in &p.documents {
                                tr {
                                    td { (day.as_deref().or(date_text.as_deref()).unwrap_or("undated")) }
                                    td { a href=(doc_url(v, d)) { (heading) } }
                                    td { (n) }
                                }
                            }
                        }
                    }
                },
            ))
        })
        .await?;
    Ok(cached(body))
}

pub async fn all_terms(State(state): State<Arc<AppState>>) -> Page {
    let body = state
        .pool
        .run(|_, archive| {
            let rows: Vec<(String, String, String, String)> = archive
                .all_terms()?
                .into_iter()
                .map(|t| (t.name, t.description, t.volume, t.id))
                .collect();
            // Group identical names: one term, its expansions, the volumes that list it.
            let mut grouped: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
            for (name, desc, vol, id) in rows {
                grouped.entry(name).or_default().push((desc, vol, id));
            }
            Ok(page(
                "Abbreviations and Terms",
                html! {},
                &[Crumb::link("Home", "/"), Crumb::here("Terms")],
                html! {
                    h1.page { "Abbreviations and Terms" }
                    p.meta { (count(grouped.len() as u64, "term", "terms")) " from the volumes' lists." }
                    dl.glossary {
                        @for (name, entries) in &grouped {
                            dt { (name) }
                            @for (desc, vol, id) in entries {
                                dd { (desc.trim().trim_start_matches(',').trim()) " " span.meta { "— " a href={ (volume_url(vol)) "/terms#" (id) } { (vol) } } }
                            }
                        }
                    }
                },
            ))
        })
        .await?;
    Ok(cached(body))
}

// ---------------------------------------------------------------------------------------------
// Search

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
    let facets = resp.map(search::shown_facets).unwrap_or_default();
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
                                        (h.volume_id) " · " (search::kind_label(&h.kind))
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
                                                @let label = if *facet == "kind" { search::kind_label(&v.value) } else { v.value.as_str() };
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

// ---------------------------------------------------------------------------------------------
// Timeline

pub async fn timeline(State(state): State<Arc<AppState>>, uri: Uri) -> Page {
    let pairs = query_pairs(&uri)?;
    let mut sel: Option<String> = None;
    for (k, v) in &pairs {
        if k == "at" && !v.is_empty() {
            sel = Some(v.clone());
        }
    }
    let level = crate::timeline::Level::parse(sel.as_deref())?;
    let body = state
        .pool
        .run(move |_, archive| crate::timeline::page(archive, &level))
        .await?;
    Ok(cached(body))
}
