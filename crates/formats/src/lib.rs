//! Readers and writers for FRUS documents.
//!
//! * [`tei`]: a streaming reader for the Office of the Historian's TEI P5 volumes (every era).
//! * [`capture`]: a reader for history.state.gov's plain-text rendering of one document.
//! * [`render`]: writers — plain text in the site's layout, Markdown, JSON.
//!
//! Readers return a [`chancery_model::ParsedVolume`] or a [`ReadError`] that names the file and
//! the place (line:column, or document id) of the problem.

pub mod bibliography;
pub mod capture;
pub mod check;
pub mod cite;
pub mod collate;
pub mod error;
pub mod render;
pub mod tei;

pub use error::{line_col, ReadError, ReadErrorKind};

use chancery_model::ParsedVolume;

use sha2::{Digest, Sha256};

/// Read any FRUS XML file by what its root element says it is: a TEI volume, or a volume's
/// catalogue record (`<volume id="…">`).
pub fn read_xml(bytes: &[u8], path: &str) -> Result<ParsedVolume, ReadError> {
    match bibliography::root_element(bytes).as_deref() {
        Some("volume") => bibliography::read_record(bytes, path),
        _ => tei::read_tei(bytes, path),
    }
}

/// The text of an XML file, with the offset of the text in `bytes` (a UTF-8 byte-order mark is
/// skipped but still counted in messages): empty files, UTF-16 and invalid UTF-8 are errors that
/// say where.
pub(crate) fn decode<'b>(bytes: &'b [u8], path: &str) -> Result<(usize, &'b str), ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(
            ReadError::new(ReadErrorKind::Empty, path, "the file is empty").at_offset(bytes, 0),
        );
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::new(
            ReadErrorKind::Encoding,
            path,
            "the file is UTF-16; only UTF-8 is read",
        )
        .at_offset(bytes, 0));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let bad = bytes.get(at).copied().unwrap_or(0);
        ReadError::new(
            ReadErrorKind::Encoding,
            path,
            format!("invalid UTF-8 (byte 0x{bad:02X} at offset {at})"),
        )
        .at_offset(bytes, at)
    })?;
    Ok(match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (3, rest),
        None => (0, text),
    })
}

/// Lower-case hex SHA-256 of `bytes`: the identity of an input file's content.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}
