//! From a [`chancery_model::Document`] to the parsers' string inputs.
//!
//! The parsers take plain strings so they can be tested and evaluated on their own; this is the
//! one place that decides which parts of a stored document feed which parser.

use chancery_model::{plain_text, Block, Document, ParagraphRole};

use crate::document::{analyze, DocumentAnalysis, DocumentInput};

/// How much of the body the telegram-identity parser sees: the number opens the first paragraph.
const BODY_OPENING_CHARS: usize = 600;

/// Build the parsers' input for `doc`.
pub fn input_for(doc: &Document) -> DocumentInput {
    let mut opener = Vec::new();
    let mut body = String::new();
    collect(&doc.body, &mut opener, &mut body);
    DocumentInput {
        volume: Some(doc.volume_id.clone()),
        heading: doc.heading_text.clone(),
        source_note: doc.source_note().map(|f| f.text()).unwrap_or_default(),
        opener: opener.join(" "),
        body_opening: body.chars().take(BODY_OPENING_CHARS).collect(),
        notes: doc
            .footnotes
            .iter()
            .filter(|f| !f.is_source)
            .map(|f| f.text())
            .collect(),
    }
}

/// Analyse a stored document: markings, type, parties, telegram identity, cable and text refs.
pub fn analyze_document(doc: &Document) -> DocumentAnalysis {
    analyze(&input_for(doc))
}

/// Opener material (classification line, dateline) goes to `opener`; the first ordinary
/// paragraphs to `body`, until it holds enough.
fn collect(blocks: &[Block], opener: &mut Vec<String>, body: &mut String) {
    for block in blocks {
        if body.chars().count() >= BODY_OPENING_CHARS {
            return;
        }
        match block {
            Block::Paragraph { role, inlines, .. } => match role {
                ParagraphRole::Opener | ParagraphRole::Dateline => {
                    if body.is_empty() {
                        opener.push(plain_text(inlines));
                    }
                }
                ParagraphRole::SourceLine | ParagraphRole::Heading => {}
                _ => {
                    if !body.is_empty() {
                        body.push(' ');
                    }
                    body.push_str(&plain_text(inlines));
                }
            },
            Block::Group {
                role: ParagraphRole::Opener | ParagraphRole::Dateline,
                blocks,
            } => {
                if body.is_empty() {
                    opener.push(chancery_model::plain_text_blocks(blocks).replace('\n', " "));
                }
            }
            Block::Group { blocks, .. } => collect(blocks, opener, body),
            Block::List { .. }
            | Block::Table { .. }
            | Block::Attachment { .. }
            | Block::PageBreak { .. } => {}
        }
    }
}
