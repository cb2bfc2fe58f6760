//! A readable Markdown edition of one document.

use std::collections::HashSet;

use chancery_model::{collapse_ws, Block, Document, Footnote, Inline, ParagraphRole, Volume};

use super::site_text::top_source;

/// A readable Markdown edition: heading, dateline, paragraphs, lists, pipe tables, page markers
/// as `*[Page N]*`, footnote marks as `[^N]` with the definitions at the end.
pub fn render_markdown(doc: &Document, volume: Option<&Volume>) -> String {
    let labels = footnote_labels(doc);
    let mut out = String::new();
    let title = if doc.heading_text.is_empty() {
        doc.id.clone()
    } else {
        collapse_ws(&doc.heading_text)
    };
    out.push_str("# ");
    out.push_str(&md_escape(&title));
    for i in &doc.heading {
        if let Inline::NoteRef { id, mark } = i {
            out.push_str(&format!("[^{}]", label_for(&labels, id, mark)));
        }
    }
    out.push('\n');
    if let Some(v) = volume {
        if let Some(t) = v.titles.complete.as_deref().or(v.titles.volume.as_deref()) {
            out.push_str(&format!(
                "\n*{}*, {}\n",
                md_escape(&collapse_ws(t)),
                doc.path()
            ));
        }
    }
    let top = top_source(doc);
    if let Some(f) = top {
        out.push_str(&format!("\n> {}\n", md_escape(&collapse_ws(&f.text()))));
    }
    let has_dateline = doc.body.iter().any(|b| {
        matches!(
            b,
            Block::Paragraph {
                role: ParagraphRole::Dateline,
                ..
            }
        )
    });
    if !has_dateline {
        let line = match (&doc.place, &doc.date) {
            (Some(p), Some(d)) => Some(format!("{p}, {}", d.text)),
            (None, Some(d)) => Some(d.text.clone()),
            _ => None,
        };
        if let Some(l) = line {
            out.push_str(&format!("\n*{}*\n", md_escape(&collapse_ws(&l))));
        }
    }
    for b in &doc.body {
        md_block(b, &labels, 0, &mut out);
    }
    let notes: Vec<&Footnote> = doc
        .footnotes
        .iter()
        .filter(|f| !top.is_some_and(|t| std::ptr::eq(*f, t)))
        .collect();
    if !notes.is_empty() {
        out.push('\n');
        for f in notes {
            let text = f
                .blocks
                .iter()
                .map(|b| {
                    let mut s = String::new();
                    md_block(b, &labels, 0, &mut s);
                    s.trim().to_string()
                })
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!(
                "[^{}]: {}\n",
                label_for(&labels, &f.id, &f.mark),
                text
            ));
        }
    }
    out
}

/// Footnote labels: the mark when marks are unique within the document, else the id.
fn footnote_labels(doc: &Document) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    let unique = doc
        .footnotes
        .iter()
        .all(|f| !f.mark.is_empty() && seen.insert(f.mark.clone()));
    doc.footnotes
        .iter()
        .map(|f| {
            let label = if unique && f.mark.chars().all(|c| c.is_alphanumeric()) {
                f.mark.clone()
            } else {
                f.id.clone()
            };
            (f.id.clone(), label)
        })
        .collect()
}

fn label_for(labels: &[(String, String)], id: &str, mark: &str) -> String {
    labels
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, l)| l.clone())
        .unwrap_or_else(|| mark.to_string())
}

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    // A line that would start a Markdown block construct.
    let starts_block = out.starts_with('#')
        || out.starts_with("- ")
        || out.starts_with("+ ")
        || out.split_once(". ").is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
        });
    if starts_block {
        if let Some(pos) = out.find(['#', '-', '+', '.']) {
            out.insert(pos, '\\');
        }
    }
    out
}

fn md_inlines(inlines: &[Inline], labels: &[(String, String)], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { text } => out.push_str(&md_escape(text)),
            Inline::NoteRef { id, mark } => {
                let keep = out.trim_end().len();
                out.truncate(keep);
                out.push_str(&format!("[^{}]", label_for(labels, id, mark)));
            }
            Inline::PageBreak { n, .. } => out.push_str(&format!(" *\\[Page {n}\\]* ")),
            Inline::LineBreak => out.push(' '),
            Inline::Hi { rend, children } => {
                let mut s = String::new();
                md_inlines(children, labels, &mut s);
                let s = s.trim();
                let wrap = match rend.as_str() {
                    "italic" | "i" => "*",
                    "strong" | "bold" | "b" => "**",
                    _ => "",
                };
                if s.is_empty() {
                } else {
                    out.push_str(wrap);
                    out.push_str(s);
                    out.push_str(wrap);
                }
            }
            wrapper => md_inlines(wrapper.children(), labels, out),
        }
    }
}

fn md_text(inlines: &[Inline], labels: &[(String, String)]) -> String {
    let mut s = String::new();
    md_inlines(inlines, labels, &mut s);
    collapse_ws(&s)
}

fn md_block(b: &Block, labels: &[(String, String)], depth: usize, out: &mut String) {
    match b {
        Block::Paragraph { role, inlines, .. } => {
            let t = md_text(inlines, labels);
            if t.is_empty() {
                return;
            }
            out.push('\n');
            match role {
                ParagraphRole::Dateline | ParagraphRole::Opener => {
                    out.push_str(&format!("*{t}*\n"))
                }
                ParagraphRole::Heading => out.push_str(&format!("### {t}\n")),
                ParagraphRole::Quote => out.push_str(&format!("> {t}\n")),
                _ => {
                    out.push_str(&t);
                    out.push('\n');
                }
            }
        }
        Block::PageBreak { n, .. } => out.push_str(&format!("\n*\\[Page {n}\\]*\n")),
        Block::List { head, items, .. } => {
            if depth == 0 {
                out.push('\n');
            }
            if let Some(h) = head {
                let h = md_text(h, labels);
                if !h.is_empty() {
                    out.push_str(&format!("**{h}**\n\n"));
                }
            }
            for item in items {
                let mut line = String::new();
                let mut nested = Vec::new();
                for ib in &item.blocks {
                    match ib {
                        Block::List { .. } => nested.push(ib),
                        Block::Paragraph { inlines, .. } => {
                            if !line.is_empty() {
                                line.push(' ');
                            }
                            line.push_str(&md_text(inlines, labels));
                        }
                        other => {
                            let mut s = String::new();
                            md_block(other, labels, depth + 1, &mut s);
                            line.push_str(&collapse_ws(&s));
                        }
                    }
                }
                out.push_str(&"  ".repeat(depth));
                out.push_str("- ");
                if let Some(l) = &item.label {
                    out.push_str(&md_escape(l));
                    out.push(' ');
                }
                out.push_str(&line);
                out.push('\n');
                for n in nested {
                    md_block(n, labels, depth + 1, out);
                }
            }
        }
        Block::Table { rows, .. } => {
            out.push('\n');
            let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            for (i, row) in rows.iter().enumerate() {
                if let Some(n) = &row.page_break_before {
                    if i > 0 {
                        out.push_str(&format!(
                            "| *\\[Page {n}\\]* |{}\n",
                            " |".repeat(width.saturating_sub(1))
                        ));
                    }
                }
                let mut cells: Vec<String> = row
                    .cells
                    .iter()
                    .map(|c| md_text(&c.inlines, labels))
                    .collect();
                cells.resize(width, String::new());
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
                if i == 0 {
                    out.push_str(&format!("|{}\n", " --- |".repeat(width.max(1))));
                }
            }
        }
        Block::Attachment { head, blocks } => {
            if let Some(h) = head {
                let h = md_text(h, labels);
                if !h.is_empty() {
                    out.push_str(&format!("\n## {h}\n"));
                }
            }
            for b in blocks {
                md_block(b, labels, depth, out);
            }
        }
        Block::Group { blocks, .. } => {
            for b in blocks {
                md_block(b, labels, depth, out);
            }
        }
    }
}
