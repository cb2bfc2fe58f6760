//! From a [`chancery_model::Document`] to the parsers' string inputs.
//!
//! The parsers take plain strings so they can be tested and evaluated on their own; this is the
//! one place that decides which parts of a stored document feed which parser: the lines at the
//! head of the document (where datelines, "[Telegram]", "No. 144.]" and classification lines are
//! printed), the body, the lines at its foot (closers, signatures, datelines of notes), the
//! footnotes, and what the TEI encodes outright (sender and recipient glosses, the date value).

use chancery_model::{
    plain_text, plain_text_blocks, walk_blocks, walk_inlines, Block, DateInterval, Document,
    DocumentDate, Inline, ParagraphRole, ReferenceKind,
};

use crate::document::{analyze, DocumentAnalysis, DocumentInput};

/// How much of the body the telegram-identity parser sees: the number opens the first paragraph.
const BODY_OPENING_CHARS: usize = 600;

/// A paragraph this long is text, not an opener line.
const OPENER_LINE_MAX: usize = 100;

/// How many blocks at the head, and at the foot, are looked at for opener and closing lines.
const HEAD_BLOCKS: usize = 8;
const FOOT_BLOCKS: usize = 4;

/// Build the parsers' input for `doc`.
pub fn input_for(doc: &Document) -> DocumentInput {
    let mut opening: Vec<String> = doc
        .text_layout
        .as_ref()
        .map(|l| {
            l.preamble
                .iter()
                .flat_map(|p| p.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let mut body_opening = String::new();
    let mut started = false;
    let mut first_text = doc.body.len();
    for (i, block) in doc.body.iter().enumerate().take(HEAD_BLOCKS) {
        if started {
            break;
        }
        first_text = i + 1;
        match block {
            Block::Paragraph { role, inlines, .. } => {
                let text = plain_text(inlines);
                let t = text.trim();
                match role {
                    ParagraphRole::SourceLine => {}
                    ParagraphRole::Opener | ParagraphRole::Dateline => push_lines(&mut opening, t),
                    _ if t.chars().count() < OPENER_LINE_MAX && !starts_text(t) => {
                        push_lines(&mut opening, t)
                    }
                    _ => {
                        started = true;
                        first_text = i;
                    }
                }
            }
            Block::Group {
                role: ParagraphRole::Opener | ParagraphRole::Dateline,
                blocks,
            } => {
                for b in blocks {
                    push_lines(&mut opening, &plain_text_blocks(std::slice::from_ref(b)));
                }
            }
            Block::PageBreak { .. } => {}
            _ => {
                started = true;
                first_text = i;
            }
        }
    }
    collect_text(doc.body.get(first_text..).unwrap_or(&[]), &mut body_opening);
    let body_opening: String = body_opening.chars().take(BODY_OPENING_CHARS).collect();
    let source = source_text(doc);
    DocumentInput {
        volume: Some(doc.volume_id.clone()),
        number: doc.number.clone(),
        heading: doc.heading_text.clone(),
        heading_note: heading_note(doc, &source),
        source_note: source,
        opening,
        body_opening,
        body: body_text(&doc.body),
        closing: closing_lines(&doc.body),
        notes: doc
            .footnotes
            .iter()
            .filter(|f| !f.is_source)
            .map(|f| f.text())
            .collect(),
        encoded_from: doc.from.clone(),
        encoded_to: doc.to.clone(),
        encoded_date: doc.date.as_ref().and_then(|d| d.when.clone()),
        encoded_refs: encoded_refs(doc),
    }
}

/// The source note's text. Where there is no note marked as the source, a footnote or a
/// paragraph that is a bracketed "[Source: …]" (documents not declassified) is the note.
fn source_text(doc: &Document) -> String {
    if let Some(f) = doc.source_note() {
        return f.text();
    }
    let bracketed = |t: &str| t.trim_start().starts_with("[Source:");
    if let Some(f) = doc.footnotes.iter().find(|f| bracketed(&f.text())) {
        return f.text().trim().to_string();
    }
    for b in doc.body.iter().take(HEAD_BLOCKS) {
        if let Block::Paragraph { inlines, .. } = b {
            let t = plain_text(inlines);
            if bracketed(&t) {
                return t.trim().to_string();
            }
        }
    }
    String::new()
}

/// Where the source note is only an inline file number ("493.949/8–1753: Telegram") or there
/// is none, the footnote on the heading carries the rest of the apparatus ("Repeated to …;
/// drafted in …", "Copy obtained from the Franklin D. Roosevelt Library").
fn heading_note(doc: &Document, source: &str) -> String {
    let bare_file = source.split_whitespace().count() <= 6 && !source.contains("Source");
    if !bare_file {
        return String::new();
    }
    let mut ids = Vec::new();
    walk_inlines(&doc.heading, &mut |i| {
        if let Inline::NoteRef { id, .. } = i {
            ids.push(id.clone());
        }
    });
    doc.footnotes
        .iter()
        .filter(|f| !f.is_source && ids.contains(&f.id))
        .map(|f| f.text())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The FRUS targets of the document's `ref` links (documents, footnotes, pages, volumes).
fn encoded_refs(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut visit = |inline: &Inline| {
        if let Inline::Ref { target, .. } = inline {
            let frus = matches!(
                target.kind,
                ReferenceKind::Document
                    | ReferenceKind::Footnote
                    | ReferenceKind::Page
                    | ReferenceKind::Volume
            );
            if frus && !out.contains(&target.raw) {
                out.push(target.raw.clone());
            }
        }
    };
    walk_inlines(&doc.heading, &mut visit);
    walk_blocks(&doc.body, &mut visit);
    for f in &doc.footnotes {
        walk_blocks(&f.blocks, &mut visit);
    }
    out
}

/// Analyse a stored document: markings, type, parties, dateline, telegram identity, cable and
/// text references.
pub fn analyze_document(doc: &Document) -> DocumentAnalysis {
    analyze(&input_for(doc))
}

/// What the analysis adds to the document itself, so every reader of the archive (the page, the
/// API, the index, the timeline, date filters) sees it: the date of a dateline the reader did
/// not date (text captures print datelines as plain lines), the place as the dateline names it
/// ("Legation of the United States, Managua" → "Managua"), and the sender and recipient as the
/// heading parses them. `None` when nothing changes.
pub fn enrich(doc: &Document, a: &DocumentAnalysis) -> Option<Document> {
    let mut out: Option<Document> = None;
    let d = &a.dateline;
    if let Some(place) = &d.place {
        if doc.place.as_deref() != Some(place) {
            out.get_or_insert_with(|| doc.clone()).place = Some(place.clone());
        }
    }
    if doc.date.is_none() {
        if let Some(span) = d.date {
            let (min, _) = span.start.bounds();
            let (_, max) = span.end.unwrap_or(span.start).bounds();
            // A span of days is as precise as its ends.
            let precision = span.start.precision();
            let text = if d.date_text.is_empty() {
                span.iso()
            } else {
                d.date_text.clone()
            };
            out.get_or_insert_with(|| doc.clone()).date = Some(DocumentDate {
                text,
                when: Some(span.iso()),
                interval: Some(DateInterval {
                    min,
                    max,
                    precision,
                }),
            });
        }
    }
    let party = |p: &Option<crate::heading::Party>| p.as_ref().map(|p| vec![p.text.clone()]);
    if let Some(from) = party(&a.from) {
        if doc.from != from {
            out.get_or_insert_with(|| doc.clone()).from = from;
        }
    }
    if let Some(to) = party(&a.to) {
        if doc.to != to {
            out.get_or_insert_with(|| doc.clone()).to = to;
        }
    }
    out
}

fn push_lines(out: &mut Vec<String>, text: &str) {
    out.extend(
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string),
    );
}

/// Short paragraphs that are nevertheless the text: a salutation with its sentence, a telegram
/// number opening the message.
fn starts_text(t: &str) -> bool {
    if !crate::telegram::parse_identity(t).is_empty() {
        return true;
    }
    let first = t.split_whitespace().next().unwrap_or("");
    let numbered = first
        .trim_end_matches('.')
        .chars()
        .all(|c| c.is_ascii_digit())
        && first.ends_with('.')
        && t.split_whitespace().count() > 2;
    numbered || (t.ends_with('.') && t.split_whitespace().count() > 8)
}

/// The body's running text in reading order, paragraphs first (what a telegram opens with).
fn collect_text(blocks: &[Block], out: &mut String) {
    for block in blocks {
        if out.chars().count() >= BODY_OPENING_CHARS {
            return;
        }
        match block {
            Block::Paragraph { role, inlines, .. } => match role {
                ParagraphRole::Opener
                | ParagraphRole::Dateline
                | ParagraphRole::SourceLine
                | ParagraphRole::Heading => {}
                _ => {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(&plain_text(inlines));
                }
            },
            Block::Group {
                role: ParagraphRole::Opener | ParagraphRole::Dateline,
                ..
            } => {}
            Block::Group { blocks, .. } => collect_text(blocks, out),
            Block::List { .. }
            | Block::Table { .. }
            | Block::Attachment { .. }
            | Block::PageBreak { .. } => {}
        }
    }
}

/// The whole body as text, attachments included (cables are cited anywhere).
fn body_text(blocks: &[Block]) -> String {
    plain_text_blocks(blocks)
}

/// The lines at the foot of the document, in order: the last blocks before any attachment,
/// groups (closer, signature, postscript) opened up.
fn closing_lines(blocks: &[Block]) -> Vec<String> {
    let main: Vec<&Block> = blocks
        .iter()
        .take_while(|b| !matches!(b, Block::Attachment { .. }))
        .filter(|b| !matches!(b, Block::PageBreak { .. }))
        .collect();
    let start = main.len().saturating_sub(FOOT_BLOCKS);
    let mut out = Vec::new();
    for b in &main[start..] {
        match b {
            Block::Paragraph { inlines, .. } => push_lines(&mut out, &plain_text(inlines)),
            Block::Group { blocks, .. } => {
                for inner in blocks {
                    push_lines(&mut out, &plain_text_blocks(std::slice::from_ref(inner)));
                }
            }
            _ => {}
        }
    }
    out
}
