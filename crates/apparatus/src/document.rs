//! All apparatus parsers applied to one document.

use serde::{Deserialize, Serialize};

use crate::heading::{self, HeadingInfo};
use crate::source_note::{self, Classification, SourceNote};
use crate::telegram::{self, CableReference, TelegramNumber};
use crate::xref::{TextReference, XrefContext, XrefScanner};

/// The apparatus texts of one document, as plain strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DocumentInput {
    /// Volume id ("frus1961-63v15"), used to resolve "vol. XIV".
    #[serde(default)]
    pub volume: Option<String>,
    #[serde(default)]
    pub heading: String,
    /// Source note (may be empty), tags stripped.
    #[serde(default)]
    pub source_note: String,
    /// Opener/dateline text ("confidential Paris, January 14, 1949—2 p. m.").
    #[serde(default)]
    pub opener: String,
    /// The first part of the body text.
    #[serde(default)]
    pub body_opening: String,
    /// Other footnotes, in order.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Which text a reference was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    #[default]
    SourceNote,
    Body,
    /// Index into `DocumentInput::notes`.
    Note(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Located<T> {
    pub place: Place,
    pub item: T,
}

/// Everything the parsers found in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DocumentAnalysis {
    pub heading: HeadingInfo,
    pub source: SourceNote,
    /// Heading type, else the file-number note's hint, else inferred from
    /// the body ("CIRCULAR.", "The undersigned … has the honor").
    pub doc_type: Option<String>,
    /// From the source note, else from the opener.
    pub classification: Option<Classification>,
    pub telegram_numbers: Vec<TelegramNumber>,
    pub cable_references: Vec<Located<CableReference>>,
    pub text_references: Vec<Located<TextReference>>,
}

fn infer_doc_type(h: &HeadingInfo, s: &SourceNote, body: &str) -> Option<String> {
    if let Some(t) = &h.doc_type {
        return Some(t.clone());
    }
    if let Some(hint) = &s.document_type_hint {
        return Some(hint.to_lowercase());
    }
    let b = body.trim_start();
    if b.starts_with("CIRCULAR") || b.starts_with("Circular.") {
        return Some("circular".to_string());
    }
    // Third-person diplomatic notes open "The undersigned, …".
    if b.starts_with("The undersigned") {
        return Some("note".to_string());
    }
    None
}

/// Analyse one document.
pub fn analyze(input: &DocumentInput) -> DocumentAnalysis {
    let heading = heading::parse(&input.heading);
    let source = source_note::parse(&input.source_note);
    let doc_type = infer_doc_type(&heading, &source, &input.body_opening);
    let classification = source
        .classification
        .or_else(|| source_note::classification_from_opener(&input.opener));
    let telegram_numbers = telegram::parse_identity(&input.body_opening);

    let mut pieces: Vec<(Place, &str)> = vec![
        (Place::SourceNote, input.source_note.as_str()),
        (Place::Body, input.body_opening.as_str()),
    ];
    pieces.extend(
        input
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| (Place::Note(i), n.as_str())),
    );
    let mut cable_references = Vec::new();
    let mut text_references = Vec::new();
    let mut scanner = XrefScanner::new(XrefContext {
        volume_id: input.volume.clone(),
    });
    for (place, text) in pieces {
        // The body's own identity is not a reference to another cable.
        let skip_until = if place == Place::Body {
            telegram_numbers.iter().map(|t| t.end).max().unwrap_or(0)
        } else {
            0
        };
        for r in telegram::find_references(text) {
            if r.start >= skip_until {
                cable_references.push(Located { place, item: r });
            }
        }
        for r in scanner.scan(text) {
            text_references.push(Located { place, item: r });
        }
    }
    DocumentAnalysis {
        heading,
        source,
        doc_type,
        classification,
        telegram_numbers,
        cable_references,
        text_references,
    }
}
