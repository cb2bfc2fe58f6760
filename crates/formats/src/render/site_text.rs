//! Plain text in history.state.gov's layout.
//!
//! [`render_text`] writes format A (FORMATS.md §4.2) for any document. Documents read from a text
//! capture carry a [`TextLayout`] and per-block [`BlockLayout`] hints; with those the text is
//! written verbatim and the capture comes back byte for byte (see [`crate::capture`] for what the
//! hints mean). Documents from TEI have no hints: their text is whitespace-normalised (TEI breaks
//! and indents lines inside `p`), footnote marks are glued to the preceding word, the heading's
//! source mark follows the heading after one space, and the footnotes follow as `  N. text`.
//! A source note that nothing anchors (the 1940s–50s inline file numbers) is printed as its own
//! line above the heading, as the site does.

use std::collections::HashSet;

use chancery_model::{
    collapse_ws, walk_blocks, walk_inlines, Block, BlockLayout, Document, Footnote, Inline,
    ListItem, ParagraphRole, TextLayout,
};
use serde_json::Value;

/// Render a document as plain text (format A, or the capture's own layout when it has one).
pub fn render_text(doc: &Document) -> String {
    let layout = doc.text_layout.as_ref();
    let cx = Cx {
        verbatim: layout.is_some(),
    };
    let extra = |k: &str| {
        layout
            .and_then(|l| l.extra.as_ref())
            .and_then(|e| e.get(k))
            .and_then(Value::as_str)
    };
    let mut out = String::new();
    out.push_str(extra("leading").unwrap_or(""));

    let inline_notes = notes_printed_in_body(doc);
    let top = top_source(doc);
    if let Some(f) = top {
        out.push_str(&footnote_text(f, cx));
        out.push_str(extra("source_sep").unwrap_or("\n\n"));
    }
    if let Some(l) = layout {
        for p in &l.preamble {
            out.push_str(p);
        }
    }

    let heading = heading_line(doc, layout, cx);
    let mut started = !heading.is_empty() || !out.is_empty();
    out.push_str(&heading);

    for b in &doc.body {
        let mut s = String::new();
        match printed_note(b, &inline_notes)
            .and_then(|id| doc.footnotes.iter().find(|f| f.id == id))
        {
            // The leading source line already went above the heading.
            Some(note) if top.is_some_and(|t| std::ptr::eq(note, t)) => continue,
            Some(note) => s.push_str(&footnote_text(note, cx)),
            None => render_block(b, cx, &mut s),
        }
        push_block(b, &s, &mut started, cx, &mut out);
    }

    let listed: Vec<&Footnote> = doc
        .footnotes
        .iter()
        .filter(|f| {
            !top.is_some_and(|t| std::ptr::eq(*f, t)) && !inline_notes.contains(f.id.as_str())
        })
        .collect();
    if !listed.is_empty() {
        let variant_b = layout.is_some_and(|l| l.variant == "B");
        if started {
            out.push_str(
                layout
                    .and_then(|l| l.footnotes_sep.as_deref())
                    .unwrap_or("\n"),
            );
        }
        for (i, f) in listed.iter().enumerate() {
            let first_sep = f.blocks.first().and_then(block_sep);
            if i > 0 {
                out.push_str(first_sep.unwrap_or("\n"));
            }
            if variant_b {
                out.push_str("- ");
                out.push_str(&footnote_text(f, cx));
                out.push('↩');
                continue;
            }
            let number = layout
                .and_then(|l| l.footnote_numbers.get(i))
                .map(String::as_str)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| {
                    if f.mark.is_empty() {
                        (i + 1).to_string()
                    } else {
                        f.mark.clone()
                    }
                });
            out.push_str("  ");
            out.push_str(&number);
            out.push_str(". ");
            out.push_str(&footnote_text(f, cx));
        }
    }
    out.push_str(extra("trailing").unwrap_or(""));
    out
}

#[derive(Clone, Copy)]
struct Cx {
    /// Text from a capture: write it exactly. Otherwise normalise whitespace.
    verbatim: bool,
}

/// The source note printed above the heading: for captures, the one the reader took from an
/// inline source line; for TEI, a source note no `NoteRef` anchors.
pub(super) fn top_source(doc: &Document) -> Option<&Footnote> {
    if let Some(l) = &doc.text_layout {
        let has = l.extra.as_ref().and_then(|e| e.get("source_sep")).is_some();
        return if has {
            doc.footnotes.iter().find(|f| f.is_source)
        } else {
            None
        };
    }
    // A mid-century source line ("851G.00/1–1449: Telegram") opening the body is printed above
    // the heading, as history.state.gov does.
    let inline_notes = notes_printed_in_body(doc);
    let first = doc
        .body
        .iter()
        .find(|b| !matches!(b, Block::PageBreak { .. }));
    if let Some(id) = first.and_then(|b| printed_note(b, &inline_notes)) {
        if let Some(f) = doc.footnotes.iter().find(|f| f.id == id && f.is_source) {
            return Some(f);
        }
    }
    let anchored = anchored_ids(doc);
    doc.footnotes
        .iter()
        .find(|f| f.is_source && !anchored.contains(f.id.as_str()))
}

/// Notes the TEI prints in the body rather than as footnotes (`note[@rend='inline']`): the TEI
/// reader gives each a paragraph (source line or editorial insertion) holding only its anchor.
/// Captures carry their own layout and have none.
fn notes_printed_in_body(doc: &Document) -> HashSet<String> {
    if doc.text_layout.is_some() {
        return HashSet::new();
    }
    let mut ids = HashSet::new();
    for b in &doc.body {
        if let Block::Paragraph {
            role: ParagraphRole::SourceLine | ParagraphRole::EditorialInsertion,
            inlines,
            ..
        } = b
        {
            if let [Inline::NoteRef { id, .. }] = inlines.as_slice() {
                ids.insert(id.clone());
            }
        }
    }
    ids
}

/// The id of the note a body paragraph prints in place, if it is one of `printed`.
fn printed_note<'a>(b: &'a Block, printed: &HashSet<String>) -> Option<&'a str> {
    match b {
        Block::Paragraph { inlines, .. } => match inlines.as_slice() {
            [Inline::NoteRef { id, .. }] if printed.contains(id) => Some(id.as_str()),
            _ => None,
        },
        _ => None,
    }
}

fn anchored_ids(doc: &Document) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut f = |i: &Inline| {
        if let Inline::NoteRef { id, .. } = i {
            ids.insert(id.clone());
        }
    };
    walk_inlines(&doc.heading, &mut f);
    walk_blocks(&doc.body, &mut f);
    ids
}

/// Whether the text just before the first footnote anchor ends in whitespace.
fn space_before_first_note(inlines: &[Inline]) -> bool {
    fn scan(inlines: &[Inline], last: &mut Option<char>) -> bool {
        for inline in inlines {
            match inline {
                Inline::NoteRef { .. } => return true,
                Inline::Text { text } => {
                    if let Some(c) = text.chars().last() {
                        *last = Some(c);
                    }
                }
                Inline::LineBreak => *last = Some('\n'),
                Inline::PageBreak { .. } => {}
                wrapper => {
                    if scan(wrapper.children(), last) {
                        return true;
                    }
                }
            }
        }
        false
    }
    let mut last = None;
    scan(inlines, &mut last);
    last.is_some_and(char::is_whitespace)
}

fn heading_line(doc: &Document, layout: Option<&TextLayout>, cx: Cx) -> String {
    if doc.heading.is_empty() {
        return if cx.verbatim {
            doc.heading_text.clone()
        } else {
            collapse_ws(&doc.heading_text)
        };
    }
    // Captures record the spacing; for TEI the site glues the mark unless the XML has
    // whitespace before the note (FORMATS §4.3 rule 1).
    let tei_sep = if space_before_first_note(&doc.heading) {
        " "
    } else {
        ""
    };
    let sep = layout
        .and_then(|l| l.heading_mark_sep.as_deref())
        .unwrap_or(tei_sep);
    let mut s = String::new();
    push_inlines(&doc.heading, cx, Some(sep), &mut s);
    if cx.verbatim {
        s
    } else {
        collapse_ws(&s)
    }
}

fn block_sep(b: &Block) -> Option<&str> {
    let l: &Option<BlockLayout> = match b {
        Block::Paragraph { layout, .. }
        | Block::List { layout, .. }
        | Block::Table { layout, .. }
        | Block::PageBreak { layout, .. } => layout,
        Block::Attachment { .. } | Block::Group { .. } => return None,
    };
    l.as_ref().and_then(|l| l.sep_before.as_deref())
}

fn block_style(b: &Block) -> Option<&str> {
    match b {
        Block::Paragraph { layout, .. }
        | Block::List { layout, .. }
        | Block::Table { layout, .. }
        | Block::PageBreak { layout, .. } => layout.as_ref().and_then(|l| l.style.as_deref()),
        _ => None,
    }
}

/// Inline content as text; `note_sep` is put before note marks (the heading), else marks glue.
fn push_inlines(inlines: &[Inline], cx: Cx, note_sep: Option<&str>, out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { text } => out.push_str(text),
            Inline::NoteRef { mark, .. } => {
                if !cx.verbatim {
                    // TEI often has whitespace before <note>; the site glues the mark.
                    let keep = out.trim_end().len();
                    out.truncate(keep);
                }
                if let Some(s) = note_sep {
                    out.push_str(s);
                }
                out.push_str(mark);
            }
            Inline::PageBreak { n, .. } => {
                out.push_str("[Page ");
                out.push_str(n);
                out.push(']');
            }
            Inline::LineBreak => out.push(if cx.verbatim { '\n' } else { ' ' }),
            wrapper => push_inlines(wrapper.children(), cx, note_sep, out),
        }
    }
}

fn inline_text(inlines: &[Inline], cx: Cx) -> String {
    let mut s = String::new();
    push_inlines(inlines, cx, None, &mut s);
    if cx.verbatim {
        s
    } else {
        collapse_ws(&s)
    }
}

fn footnote_text(f: &Footnote, cx: Cx) -> String {
    let mut out = String::new();
    for (i, b) in f.blocks.iter().enumerate() {
        let mut s = String::new();
        render_block(b, cx, &mut s);
        if cx.verbatim {
            if i > 0 {
                out.push_str(block_sep(b).unwrap_or("\n\n"));
                let indent = block_style(b)
                    .and_then(|s| s.strip_prefix("indent:"))
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(4);
                out.push_str(&" ".repeat(indent));
            }
            out.push_str(&s);
        } else {
            // One line per footnote.
            let s = collapse_ws(&s);
            if s.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s);
        }
    }
    out
}

fn render_block(b: &Block, cx: Cx, out: &mut String) {
    match b {
        Block::Paragraph { inlines, .. } => out.push_str(&inline_text(inlines, cx)),
        Block::PageBreak { n, .. } => {
            out.push_str("[Page ");
            out.push_str(n);
            out.push(']');
        }
        Block::List {
            head,
            items,
            layout,
            ..
        } => {
            let dash = layout.as_ref().and_then(|l| l.style.as_deref()) == Some("dash");
            let mut started = false;
            if let Some(h) = head {
                let h = inline_text(h, cx);
                if !h.is_empty() {
                    out.push_str(&h);
                    started = true;
                }
            }
            render_items(items, 0, dash, started, cx, out);
        }
        Block::Table { rows, .. } => {
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                if let Some(n) = &row.page_break_before {
                    out.push_str(&format!("[Page {n}]\n"));
                }
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .map(|c| inline_text(&c.inlines, cx))
                    .collect();
                out.push_str(&cells.join(" | "));
                out.push_str(" |");
            }
        }
        Block::Attachment { head, blocks } => {
            let mut started = false;
            if let Some(h) = head {
                let h = inline_text(h, cx);
                if !h.is_empty() {
                    out.push_str(&h);
                    started = true;
                }
            }
            render_blocks_seq(blocks, started, cx, out);
        }
        Block::Group { blocks, .. } => render_blocks_seq(blocks, false, cx, out),
    }
}

fn render_blocks_seq(blocks: &[Block], mut started: bool, cx: Cx, out: &mut String) {
    for b in blocks {
        let mut s = String::new();
        render_block(b, cx, &mut s);
        push_block(b, &s, &mut started, cx, out);
    }
}

/// Append one rendered block after the separator its layout asks for (a blank line unless the
/// capture recorded another); blocks that render to nothing are dropped unless verbatim.
fn push_block(b: &Block, rendered: &str, started: &mut bool, cx: Cx, out: &mut String) {
    if !cx.verbatim && rendered.trim().is_empty() {
        return;
    }
    if *started {
        out.push_str(block_sep(b).unwrap_or("\n\n"));
    }
    *started = true;
    out.push_str(rendered);
}

/// List items: `  • text` (`    • ` one level down) or, for format B captures, `- text`.
fn render_items(
    items: &[ListItem],
    level: usize,
    dash: bool,
    after_line: bool,
    cx: Cx,
    out: &mut String,
) {
    for (i, item) in items.iter().enumerate() {
        let (first, rest) = match item.blocks.split_first() {
            Some((f @ Block::Paragraph { .. }, rest)) => (Some(f), rest),
            _ => (None, item.blocks.as_slice()),
        };
        let default_sep = match (i, after_line, dash) {
            (0, false, _) => "",
            (0, true, false) => "\n\n",
            _ => "\n",
        };
        out.push_str(first.and_then(block_sep).unwrap_or(default_sep));
        let text = match first {
            Some(Block::Paragraph { inlines, .. }) => inline_text(inlines, cx),
            _ => String::new(),
        };
        if dash {
            if let Some(l) = &item.label {
                out.push_str("- ");
                out.push_str(l);
                out.push_str("\n- ");
            } else if first.and_then(block_style) == Some("own-line") {
                out.push_str("-\n");
            } else {
                out.push_str("- ");
            }
        } else {
            out.push_str("  ");
            out.push_str(&"  ".repeat(level));
            out.push_str("• ");
            if let Some(l) = &item.label {
                out.push_str(l);
                out.push(' ');
            }
        }
        out.push_str(&text);
        for b in rest {
            match b {
                Block::List {
                    items: nested,
                    layout,
                    ..
                } => {
                    let nested_dash =
                        layout.as_ref().and_then(|l| l.style.as_deref()) == Some("dash") || dash;
                    render_items(nested, level + 1, nested_dash, true, cx, out);
                }
                other => {
                    let mut s = String::new();
                    render_block(other, cx, &mut s);
                    let s = if cx.verbatim { s } else { collapse_ws(&s) };
                    if !s.is_empty() {
                        out.push(' ');
                        out.push_str(&s);
                    }
                }
            }
        }
    }
}
