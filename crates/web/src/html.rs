//! HTML: the page layout and the rendering of a document's blocks and inlines.
//!
//! Templates are maud macros: they are Rust code checked at compile time, and every
//! interpolated string is HTML-escaped unless explicitly wrapped in `PreEscaped` (used here only
//! for the constant doctype-free SVG/CSS we generate ourselves from numbers).

use std::collections::HashMap;

use maud::{html, Markup, DOCTYPE};

use chancery_model::{Block, GlossaryEntry, Inline, ListItem, ParagraphRole, ReferenceKind};

/// `/historicaldocuments/{volume}/{id}`.
pub fn doc_url(volume: &str, id: &str) -> String {
    format!("/historicaldocuments/{volume}/{id}")
}

pub fn volume_url(volume: &str) -> String {
    format!("/historicaldocuments/{volume}")
}

/// `/people/{volume}:{p_id}`: glossary ids are per volume, so the volume qualifies them. A
/// series-wide authority id (planned) will be a bare id without a colon.
pub fn person_url(volume: &str, id: &str) -> String {
    format!("/people/{volume}:{id}")
}

/// "1 document", "2 documents": a count with its noun in the right number.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One crumb of the breadcrumb trail: label and link (the last has none).
pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

impl Crumb {
    pub fn link(label: impl Into<String>, href: impl Into<String>) -> Crumb {
        Crumb {
            label: label.into(),
            href: Some(href.into()),
        }
    }
    pub fn here(label: impl Into<String>) -> Crumb {
        Crumb {
            label: label.into(),
            href: None,
        }
    }
}

/// The site layout around a page body.
pub fn page(title: &str, head: Markup, crumbs: &[Crumb], body: Markup) -> String {
    let v = crate::assets::version();
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Chancery" }
                link rel="stylesheet" href={ "/static/app.css?v=" (v) };
                (head)
                script src={ "/static/app.js?v=" (v) } defer {}
            }
            body {
                header.site {
                    a.brand href="/" { "Chancery" }
                    nav {
                        a href="/historicaldocuments" { "Volumes" }
                        a href="/search" { "Search" }
                        a href="/timeline" { "Timeline" }
                        a href="/people" { "People" }
                        a href="/terms" { "Terms" }
                        a href="/api/v1" { "API" }
                    }
                    form action="/search" method="get" role="search" {
                        input type="search" name="q" placeholder="Search documents" aria-label="Search documents";
                    }
                }
                main {
                    @if !crumbs.is_empty() {
                        nav.crumbs aria-label="Breadcrumb" {
                            @for (i, c) in crumbs.iter().enumerate() {
                                @if i > 0 { span.sep { "›" } }
                                @match &c.href {
                                    Some(h) => a href=(h) { (c.label) },
                                    None => span aria-current="page" { (c.label) },
                                }
                            }
                        }
                    }
                    (body)
                }
                footer.site {
                    "Chancery — an open archive engine for the record of diplomacy. FRUS texts are works of the U.S. government, public domain."
                }
            }
        }
    };
    markup.into_string()
}

pub fn error_page(status: u16, title: &str, message: &str) -> String {
    page(
        title,
        html! {},
        &[Crumb::link("Home", "/"), Crumb::here(title)],
        html! {
            div.error-page {
                h1 { (status) " — " (title) }
                p { (message) }
                p { a href="/historicaldocuments" { "Browse the volumes" } " or " a href="/search" { "search" } "." }
            }
        },
    )
}

/// Where a cross-reference leads, from the store's `refs` table.
#[derive(Debug, Clone)]
pub struct RefTarget {
    pub target_volume: Option<String>,
    pub target_element: Option<String>,
    pub resolved_document: Option<String>,
    pub resolved: Option<bool>,
}

/// What the inline renderer needs to know about the document's surroundings.
pub struct DocCtx<'a> {
    pub volume_id: &'a str,
    pub persons: &'a HashMap<String, GlossaryEntry>,
    pub terms: &'a HashMap<String, GlossaryEntry>,
    /// `refs.raw` → resolution.
    pub refs: &'a HashMap<String, RefTarget>,
}

impl DocCtx<'_> {
    fn page_href(&self, n: &str) -> String {
        doc_url(self.volume_id, &format!("pg_{n}"))
    }

    pub fn blocks(&self, blocks: &[Block]) -> Markup {
        html! { @for b in blocks { (self.block(b)) } }
    }

    fn block(&self, b: &Block) -> Markup {
        match b {
            Block::Paragraph {
                role,
                rend,
                inlines,
                ..
            } => {
                let class = role_class(*role);
                let body = self.inlines(inlines);
                match role {
                    ParagraphRole::Heading => html! { h3 class=(class) { (body) } },
                    ParagraphRole::Quote => html! { blockquote { p { (body) } } },
                    _ => {
                        // A class, not a style attribute: the CSP lets no inline style in.
                        let center = rend.as_deref().is_some_and(|r| r.contains("center"));
                        html! { p class={ (class) @if center { " center" } } { (body) } }
                    }
                }
            }
            Block::List {
                kind, head, items, ..
            } => {
                let bulleted = items.iter().all(|i| i.label.is_none())
                    && !matches!(
                        kind.as_deref(),
                        Some("participants" | "subject" | "simple" | "to" | "from")
                    );
                html! {
                    @if let Some(h) = head {
                        p.list-head { (self.inlines(h)) }
                    }
                    ul.list.bulleted[bulleted] data-kind=[kind.as_deref()] {
                        @for item in items { (self.item(item)) }
                    }
                }
            }
            Block::Table { rows, .. } => html! {
                div.table-wrap {
                    table {
                        @for row in rows {
                            @if let Some(n) = &row.page_break_before {
                                tr.pbrow { td colspan=(row.cells.len().max(1)) { (self.page_marker(n, None)) } }
                            }
                            tr {
                                @for cell in &row.cells {
                                    @if cell.role.as_deref() == Some("label") {
                                        th { (self.inlines(&cell.inlines)) }
                                    } @else {
                                        td { (self.inlines(&cell.inlines)) }
                                    }
                                }
                            }
                        }
                    }
                }
            },
            Block::Attachment { head, blocks } => html! {
                section.attachment {
                    @if let Some(h) = head { h3 { (self.inlines(h)) } }
                    (self.blocks(blocks))
                }
            },
            Block::Group { role, blocks } => html! {
                div class={ "group " (role_class(*role)) } { (self.blocks(blocks)) }
            },
            Block::PageBreak { n, id, .. } => html! {
                div.pb { (self.page_marker(n, id.as_deref())) }
            },
        }
    }

    fn item(&self, item: &ListItem) -> Markup {
        match &item.label {
            Some(label) => html! {
                li.labelled { span.label { (label) } div { (self.blocks(&item.blocks)) } }
            },
            None => html! { li { div { (self.blocks(&item.blocks)) } } },
        }
    }

    fn page_marker(&self, n: &str, id: Option<&str>) -> Markup {
        let anchor = id.map(str::to_string).unwrap_or_else(|| format!("pg_{n}"));
        html! {
            a.pb id=(anchor) href=(self.page_href(n)) title={ "Page " (n) " of the printed volume" } { "[Page " (n) "]" }
        }
    }

    pub fn inlines(&self, inlines: &[Inline]) -> Markup {
        html! { @for i in inlines { (self.inline(i)) } }
    }

    fn inline(&self, i: &Inline) -> Markup {
        match i {
            Inline::Text { text } => html! { (text) },
            Inline::Hi { rend, children } => {
                let inner = self.inlines(children);
                let r = rend.to_ascii_lowercase();
                if r.contains("italic") {
                    html! { em { (inner) } }
                } else if r.contains("strong") || r.contains("bold") {
                    html! { strong { (inner) } }
                } else if r.contains("smallcaps") {
                    html! { span.smallcaps { (inner) } }
                } else if r.contains("sup") {
                    html! { sup { (inner) } }
                } else if r.contains("sub") {
                    html! { sub { (inner) } }
                } else if r.contains("underline") {
                    html! { u { (inner) } }
                } else {
                    html! { span { (inner) } }
                }
            }
            Inline::NoteRef { id, mark } => html! {
                a.fnref id={ "fnref-" (id) } href={ "#fn-" (id) } data-note=(id)
                    aria-label={ "Footnote " (mark) } { (mark) }
            },
            Inline::PageBreak { n, id } => self.page_marker(n, id.as_deref()),
            Inline::LineBreak => html! { br; },
            Inline::Person {
                person_id,
                children,
                ..
            } => {
                let inner = self.inlines(children);
                match person_id
                    .as_deref()
                    .and_then(|p| self.glossary_link(p, true))
                {
                    Some((href, title, key)) => html! {
                        a.person href=(href) title=(title) data-ref=(key) { (inner) }
                    },
                    None => html! { span.person.untagged { (inner) } },
                }
            }
            Inline::Term {
                term_id, children, ..
            } => {
                let inner = self.inlines(children);
                match term_id
                    .as_deref()
                    .and_then(|t| self.glossary_link(t, false))
                {
                    Some((href, title, key)) => html! {
                        a.term href=(href) data-ref=(key) { abbr.term title=(title) { (inner) } }
                    },
                    None => inner,
                }
            }
            Inline::Place { children } => html! { span.place { (self.inlines(children)) } },
            Inline::Date { when, children } => html! {
                time datetime=[when.as_deref()] { (self.inlines(children)) }
            },
            Inline::Ref { target, children } => {
                let inner = self.inlines(children);
                if target.kind == ReferenceKind::External {
                    let lower = target.raw.to_ascii_lowercase();
                    // Only web links; a `javascript:` or odd scheme never becomes an href.
                    if lower.starts_with("http://") || lower.starts_with("https://") {
                        return html! { a.xref.external href=(target.raw) rel="noopener noreferrer" { (inner) } };
                    }
                    return html! { span.xref.unresolved title=(target.raw) { (inner) } };
                }
                match self.ref_href(&target.raw) {
                    Some(href) => html! { a.xref href=(href) { (inner) } },
                    None => html! {
                        span.xref.unresolved title={ "Not in this archive: " (target.raw) } { (inner) }
                    },
                }
            }
            Inline::Unknown { children, .. } => self.inlines(children),
        }
    }

    /// A resolved reference's URL, or `None` when its target is not in the archive.
    fn ref_href(&self, raw: &str) -> Option<String> {
        let t = self.refs.get(raw)?;
        if t.resolved != Some(true) {
            return None;
        }
        let volume = t.target_volume.as_deref().unwrap_or(self.volume_id);
        match (&t.resolved_document, &t.target_element) {
            (Some(doc), Some(el)) if doc != el => {
                Some(format!("{}#{}", doc_url(volume, doc), frag(el)))
            }
            (Some(doc), _) => Some(doc_url(volume, doc)),
            (None, None) => Some(volume_url(volume)),
            (None, Some(el)) if el.starts_with("p_") => Some(person_url(volume, el)),
            (None, Some(el)) if el.starts_with("t_") => {
                Some(format!("{}/terms#{el}", volume_url(volume)))
            }
            (None, Some(_)) => Some(volume_url(volume)),
        }
    }

    /// Link, hover text and key of a glossary entry (`p_HWA1`, or cross-volume `frus…#p_…`).
    fn glossary_link(&self, id: &str, person: bool) -> Option<(String, String, String)> {
        let (volume, local) = match id.split_once('#') {
            Some((v, l)) if !v.is_empty() => (v, l),
            Some((_, l)) => (self.volume_id, l),
            None => (self.volume_id, id),
        };
        let table = if person { self.persons } else { self.terms };
        let title = if volume == self.volume_id {
            table.get(local).map(gloss_title)
        } else {
            None
        }
        .unwrap_or_else(|| format!("{local} ({volume})"));
        let href = if person {
            person_url(volume, local)
        } else {
            format!("{}/terms#{local}", volume_url(volume))
        };
        Some((href, title, format!("{volume}:{local}")))
    }

    /// Footnotes in the order printed, each with a back link to its mark.
    pub fn notes(&self, notes: &[chancery_model::Footnote]) -> Markup {
        html! {
            @for n in notes {
                div.note.source[n.is_source] id={ "fn-" (n.id) } {
                    a.mark href={ "#fnref-" (n.id) } title="Back to the text" { (n.mark) }
                    div.body { (self.blocks(&n.blocks)) }
                }
            }
        }
    }
}

/// A fragment for an element inside a document page: footnotes are `fn-…` there.
fn frag(el: &str) -> String {
    if chancery_model::classify_element_id(el) == ReferenceKind::Footnote {
        format!("fn-{el}")
    } else {
        el.to_string()
    }
}

pub fn gloss_title(e: &GlossaryEntry) -> String {
    let d = e.description.trim().trim_start_matches(',').trim();
    if d.is_empty() {
        e.name.clone()
    } else {
        format!("{}: {}", e.name, d)
    }
}

fn role_class(role: ParagraphRole) -> &'static str {
    match role {
        ParagraphRole::Paragraph => "para",
        ParagraphRole::SourceLine => "source-line",
        ParagraphRole::Opener => "opener",
        ParagraphRole::Dateline => "dateline",
        ParagraphRole::Salute => "salute",
        ParagraphRole::Closer => "closer",
        ParagraphRole::Signed => "signed",
        ParagraphRole::Postscript => "postscript",
        ParagraphRole::EditorialInsertion => "editorial-insertion",
        ParagraphRole::Heading => "heading",
        ParagraphRole::Quote => "quote",
    }
}

/// Pagination links: `href(page)` builds the URL of a 1-based page.
pub fn pager(current: usize, pages: usize, href: impl Fn(usize) -> String) -> Markup {
    if pages <= 1 {
        return html! {};
    }
    let mut shown: Vec<usize> = vec![1, pages];
    for p in current.saturating_sub(2)..=(current + 2) {
        if p >= 1 && p <= pages {
            shown.push(p);
        }
    }
    shown.sort_unstable();
    shown.dedup();
    html! {
        nav.pager aria-label="Pages" {
            @if current > 1 { a href=(href(current - 1)) rel="prev" { "‹ Previous" } }
            @for (i, p) in shown.iter().enumerate() {
                @if i > 0 && shown[i - 1] + 1 < *p { span.gap { "…" } }
                @if *p == current { span.current { (p) } } @else { a href=(href(*p)) { (p) } }
            }
            @if current < pages { a href=(href(current + 1)) rel="next" { "Next ›" } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chancery_model::Reference;

    #[test]
    fn escapes_text_and_refuses_script_links() {
        let persons = HashMap::new();
        let terms = HashMap::new();
        let refs = HashMap::new();
        let ctx = DocCtx {
            volume_id: "v",
            persons: &persons,
            terms: &terms,
            refs: &refs,
        };
        let out = ctx
            .inlines(&[
                Inline::text("a < b & c"),
                Inline::Ref {
                    target: Reference {
                        raw: "javascript:alert(1)".into(),
                        volume: None,
                        element: None,
                        kind: ReferenceKind::External,
                    },
                    children: vec![Inline::text("x")],
                },
                Inline::Ref {
                    target: Reference::parse("#d999"),
                    children: vec![Inline::text("Document 999")],
                },
            ])
            .into_string();
        assert!(out.contains("a &lt; b &amp; c"), "{out}");
        assert!(!out.contains("href=\"javascript"), "{out}");
        assert!(out.contains("class=\"xref unresolved\""), "{out}");
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "document", "documents"), "1 document");
        assert_eq!(count(0, "document", "documents"), "0 documents");
        assert_eq!(count(2, "entry", "entries"), "2 entries");
    }
}
