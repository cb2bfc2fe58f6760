//! Readers and writers for FRUS documents.
//!
//! * [`tei`]: a streaming reader for the Office of the Historian's TEI P5 volumes (every era).
//! * [`text`]: a reader for history.state.gov's plain-text rendering of one document.
//! * [`render`]: writers — plain text in the site's layout, Markdown, JSON.
//!
//! Readers return a [`chancery_model::ParsedVolume`] or a [`ReadError`] that names the file and
//! the place (line:column, or document id) of the problem.

pub mod check;
pub mod cite;
pub mod collate;
pub mod error;
pub mod render;
pub mod tei;
pub mod text;

pub use error::{line_col, ReadError, ReadErrorKind};

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of `bytes`: the identity of an input file's content.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}
