//! Walking and flattening the block/inline tree.

use crate::{Block, Inline};

/// Call `f` on every inline of `inlines`, depth first, parents before children.
pub fn walk_inlines<'a>(inlines: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
    for inline in inlines {
        f(inline);
        walk_inlines(inline.children(), f);
    }
}

/// One stop of a walk over blocks ([`visit_blocks`]): an inline, or a page break printed
/// between blocks (a [`Block::PageBreak`], or a table row's `page_break_before`).
#[derive(Debug, Clone, Copy)]
pub enum Stop<'a> {
    /// An inline, wherever it sits.
    Inline(&'a Inline),
    /// A page break at block level.
    PageBreak {
        /// The printed page number.
        n: &'a str,
        /// The page break's `xml:id`, where it has one.
        id: Option<&'a str>,
    },
}

/// Call `f` on every inline of every block, and on every block-level page break, in document
/// order, lending each out for as long as the blocks live.
pub fn visit_blocks<'a>(blocks: &'a [Block], f: &mut dyn FnMut(Stop<'a>)) {
    let inlines = |list: &'a [Inline], f: &mut dyn FnMut(Stop<'a>)| {
        walk_inlines(list, &mut |i| f(Stop::Inline(i)));
    };
    for block in blocks {
        match block {
            Block::Paragraph { inlines: list, .. } => inlines(list, f),
            Block::List { head, items, .. } => {
                if let Some(head) = head {
                    inlines(head, f);
                }
                for item in items {
                    visit_blocks(&item.blocks, f);
                }
            }
            Block::Table { rows, .. } => {
                for row in rows {
                    if let Some(n) = &row.page_break_before {
                        f(Stop::PageBreak { n, id: None });
                    }
                    for cell in &row.cells {
                        inlines(&cell.inlines, f);
                    }
                }
            }
            Block::Attachment { head, blocks } => {
                if let Some(head) = head {
                    inlines(head, f);
                }
                visit_blocks(blocks, f);
            }
            Block::Group { blocks, .. } => visit_blocks(blocks, f),
            Block::PageBreak { n, id, .. } => f(Stop::PageBreak {
                n,
                id: id.as_deref(),
            }),
        }
    }
}

/// Call `f` on every inline of every block, in document order. Block-level page breaks are
/// reported as [`Inline::PageBreak`] so callers see one stream of milestones.
pub fn walk_blocks(blocks: &[Block], f: &mut dyn FnMut(&Inline)) {
    visit_blocks(blocks, &mut |stop| match stop {
        Stop::Inline(inline) => f(inline),
        Stop::PageBreak { n, id } => f(&Inline::PageBreak {
            n: n.to_string(),
            id: id.map(str::to_string),
        }),
    });
}

/// The inlines' text with whitespace runs collapsed to one space; note anchors and page breaks
/// contribute nothing. Used for headings, glossary entries and search text.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut raw = String::new();
    collect(inlines, &mut raw);
    collapse_ws(&raw)
}

/// Plain text of blocks, one line per block-level unit.
pub fn plain_text_blocks(blocks: &[Block]) -> String {
    let mut lines = Vec::new();
    blocks_lines(blocks, &mut lines);
    lines.retain(|l| !l.is_empty());
    lines.join("\n")
}

fn blocks_lines(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Paragraph { inlines, .. } => out.push(plain_text(inlines)),
            Block::List { head, items, .. } => {
                if let Some(head) = head {
                    out.push(plain_text(head));
                }
                for item in items {
                    let mut inner = Vec::new();
                    blocks_lines(&item.blocks, &mut inner);
                    let mut line = item.label.clone().map(|l| l + " ").unwrap_or_default();
                    line.push_str(&inner.join(" "));
                    out.push(line.trim().to_string());
                }
            }
            Block::Table { rows, .. } => {
                for row in rows {
                    let cells: Vec<String> =
                        row.cells.iter().map(|c| plain_text(&c.inlines)).collect();
                    out.push(cells.join(" | "));
                }
            }
            Block::Attachment { head, blocks } => {
                if let Some(head) = head {
                    out.push(plain_text(head));
                }
                blocks_lines(blocks, out);
            }
            Block::Group { blocks, .. } => blocks_lines(blocks, out),
            Block::PageBreak { .. } => {}
        }
    }
}

fn collect(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => out.push_str(text),
            Inline::LineBreak => out.push(' '),
            Inline::NoteRef { .. } | Inline::PageBreak { .. } => {}
            wrapper => collect(wrapper.children(), out),
        }
    }
}

/// Collapse every run of whitespace (as `char::is_whitespace` defines it) to a single space
/// and trim both ends.
///
/// Every text node of every volume passes through here, so it reads bytes and decodes only
/// non-ASCII characters (`split_whitespace` decodes every character); a test holds the two
/// equal.
pub fn collapse_ws(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut word: Option<usize> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (space, len) = if b.is_ascii() {
            (matches!(b, b' ' | b'\t'..=b'\r'), 1)
        } else {
            match s.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => break,
            }
        };
        if space {
            if let Some(start) = word.take() {
                push_word(&mut out, s.get(start..i).unwrap_or_default());
            }
        } else if word.is_none() {
            word = Some(i);
        }
        i += len;
    }
    if let Some(start) = word {
        push_word(&mut out, s.get(start..).unwrap_or_default());
    }
    out
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_ws_equals_split_whitespace() {
        let reference = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut texts: Vec<String> = [
            "",
            " ",
            "a",
            "  a  b\t\tc\n\r\x0b\x0cd  ",
            "no\u{a0}break\u{2003}em\u{3000}ideographic\u{85}nel\u{2028}line\u{200b}zero-width",
            "Debré\n   Ngô — “quoted” \u{1F642}",
            "\u{1c}\u{1f} separators are not spaces",
            "end\u{202f}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for dir in ["seeds", "text", "tei"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../sample")
                .join(dir);
            for entry in std::fs::read_dir(&path).expect("sample dir") {
                if let Ok(text) = std::fs::read_to_string(entry.expect("entry").path()) {
                    // Whole files and every line: long and short inputs.
                    texts.extend(text.lines().map(str::to_string));
                    texts.push(text);
                }
            }
        }
        assert!(texts.len() > 10_000);
        for t in &texts {
            assert_eq!(collapse_ws(t), reference(t), "{:?}", &t[..t.len().min(60)]);
        }
    }

    #[test]
    fn plain_text_skips_milestones_and_collapses() {
        let inlines = vec![
            Inline::text("We said we "),
            Inline::PageBreak {
                n: "120".into(),
                id: None,
            },
            Inline::text("had\n   not"),
            Inline::NoteRef {
                id: "d45fn2".into(),
                mark: "2".into(),
            },
            Inline::Person {
                person_id: None,
                role: None,
                children: vec![Inline::text(" Humphrey")],
            },
        ];
        assert_eq!(plain_text(&inlines), "We said we had not Humphrey");
    }
}
