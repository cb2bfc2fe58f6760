//! Typed read errors that always say where.

use std::fmt;

/// What went wrong, for callers that branch on it (tests, the ingest summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadErrorKind {
    /// The file could not be read from disk.
    Io,
    /// The file has no content.
    Empty,
    /// The bytes are not UTF-8.
    Encoding,
    /// XML that is not well-formed (or ends early).
    Malformed,
    /// Two elements share an `xml:id`.
    DuplicateId,
    /// Well-formed XML that is not a FRUS TEI volume we know how to read.
    UnknownLayout,
    /// A text file that is not a history.state.gov document rendering.
    NotADocument,
}

impl ReadErrorKind {
    /// The kebab-case name the ingest summary and `--json` print.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadErrorKind::Io => "io",
            ReadErrorKind::Empty => "empty",
            ReadErrorKind::Encoding => "encoding",
            ReadErrorKind::Malformed => "malformed",
            ReadErrorKind::DuplicateId => "duplicate-id",
            ReadErrorKind::UnknownLayout => "unknown-layout",
            ReadErrorKind::NotADocument => "not-a-document",
        }
    }
}

/// A file that could not be read, with the place of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// What went wrong.
    pub kind: ReadErrorKind,
    /// The file, as given.
    pub file: String,
    /// 1-based line and column, where the problem has a place in the file.
    pub line: Option<u64>,
    /// Column of the line (1-based).
    pub column: Option<u64>,
    /// The document the problem is in, where known (`d45`).
    pub document: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

impl ReadError {
    /// An error with no place yet (see [`ReadError::at_offset`]).
    pub fn new(kind: ReadErrorKind, file: impl Into<String>, message: impl Into<String>) -> Self {
        ReadError {
            kind,
            file: file.into(),
            line: None,
            column: None,
            document: None,
            message: message.into(),
        }
    }

    /// Attach the line:column of byte `offset` in `bytes`.
    pub fn at_offset(mut self, bytes: &[u8], offset: usize) -> Self {
        let (line, column) = line_col(bytes, offset);
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Name the document the problem is in.
    pub fn in_document(mut self, id: impl Into<String>) -> Self {
        self.document = Some(id.into());
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(doc) = &self.document {
            write!(f, " (document {doc})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ReadError {}

/// 1-based line and column (in characters) of byte `offset` in `bytes`.
pub fn line_col(bytes: &[u8], offset: usize) -> (u64, u64) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let s = "ab\ncd–e\nf".as_bytes();
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 3), (2, 1));
        // after "cd–" (– is 3 bytes)
        assert_eq!(line_col(s, 3 + 2 + 3), (2, 4));
    }

    #[test]
    fn display_names_file_and_place() {
        let e = ReadError::new(ReadErrorKind::Malformed, "v.xml", "unexpected end")
            .at_offset(b"a\nbc", 3);
        assert_eq!(e.to_string(), "v.xml:2:2: unexpected end");
    }
}
