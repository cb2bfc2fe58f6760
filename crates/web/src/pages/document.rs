//! A document's page: the text with its notes, witnesses, apparatus, citations and neighbours.

use std::collections::HashMap;

use maud::{html, Markup};

use chancery_formats::cite::Citation;
use chancery_model::{walk_blocks, walk_inlines, Document, Inline};
use chancery_store::{Apparatus, Archive, DocLink};

use super::volume::toc_tree;
use super::volume_crumbs;
use crate::html::{doc_url, page, person_url, volume_url, Crumb, DocCtx, RefTarget};
use crate::pool::{Pool, VolumeInfo};
use crate::AppError;

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

/// Glossary ids with how often they occur.
type Counted = Vec<(String, usize)>;

/// Glossary ids mentioned in the document (heading, body, notes), in first-seen order, with counts.
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

pub(super) fn document_page(
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
    let cite = Citation::of_stored(&info.volume, &doc, apparatus.correspondents());
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
                        li { a href=(chancery_model::document_url(vid, id)) rel="noopener" { "On history.state.gov" } }
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

/// What kind of file a witness was read from.
fn source_label(format: chancery_model::SourceFormat) -> &'static str {
    match format {
        chancery_model::SourceFormat::Tei => "TEI volume file",
        chancery_model::SourceFormat::Text => "Plain-text capture",
        chancery_model::SourceFormat::Bibliography => "Catalogue record",
    }
}

/// Documents of the thread or backlinks, with their dates.
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
