//! Chancery apparatus: pure parsers that turn FRUS apparatus prose into
//! data. Inputs are plain strings (footnote text, heading text, body
//! text); nothing here depends on the TEI reader or the store. [`bridge`]
//! feeds a stored [`chancery_model::Document`] to them.
//!
//! * [`source_note::parse`] – archival citation, classification, caveats,
//!   distribution, drafting, reading marks; unconsumed text in `remainder`.
//! * [`heading::parse`] – number, document type, sender and recipient.
//! * [`telegram::parse_identity`] / [`telegram::find_references`] – the
//!   telegram number opening a body and cables cited in text.
//! * [`xref::find_text_references`] / [`xref::XrefScanner`] – "See
//!   Document 40", "ibid., Document 308", FRUS volume ids.
//! * [`citation::parse_citation`] – printed FRUS citations.
//! * [`document::analyze`] – all of the above for one document.
//! * [`eval::score`] – precision and recall against the blind gold set (`gold/`).

pub mod authority;
pub mod bridge;
pub mod citation;
pub mod dateline;
pub mod document;
pub mod eval;
pub mod heading;
pub mod kind;
pub mod names;
pub mod persons;
pub mod prose;
pub mod source_note;
pub mod telegram;
pub mod volume;
pub mod xref;

use std::sync::OnceLock;

use regex::Regex;

/// The regex in `cell`, compiled from `pat` on first use. Every pattern of the parsers is a
/// literal of its module, checked by its unit tests; should one fail to compile, it matches
/// nothing rather than panicking on a reader's document.
pub(crate) fn rx(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| match Regex::new(pat) {
        Ok(r) => r,
        Err(_) => match Regex::new(r"[^\s\S]") {
            Ok(r) => r,
            Err(_) => unreachable!("a static never-matching pattern"),
        },
    })
}

pub use bridge::{analyze_document, enrich, input_for};
pub use eval::EvalReport;
