//! Printed citations of FRUS resolved to a volume id and a document or
//! page: "FRUS, 1964–1968, vol. VII, doc. 45", "Foreign Relations, 1949,
//! vol. VII, Part 1, p. 23", "Foreign Relations of the United States,
//! 1961–1963, Volume XV, Document 12".

use serde::{Deserialize, Serialize};

use crate::xref::{RefKind, XrefContext, XrefScanner};

/// A resolved citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CitationRef {
    /// The citation text matched.
    pub raw: String,
    /// "frus1961-63v15".
    pub volume_id: String,
    /// Document number, when the citation names one.
    pub document: Option<u32>,
    /// Footnote number, when the citation names one.
    pub footnote: Option<u32>,
    /// Page number, when the citation names one.
    pub page: Option<u32>,
    /// Last page of a page range ("pp. 12–15").
    pub page_end: Option<u32>,
}

impl CitationRef {
    /// history.state.gov path fragment: "frus1961-63v15/d12", "frus1949v07p1/pg_23".
    pub fn path(&self) -> String {
        match (self.document, self.page) {
            (Some(d), _) => format!("{}/d{d}", self.volume_id),
            (None, Some(p)) => format!("{}/pg_{p}", self.volume_id),
            _ => self.volume_id.clone(),
        }
    }
}

/// Resolve the first FRUS citation in `text` that names its volume.
pub fn parse_citation(text: &str) -> Option<CitationRef> {
    let refs = XrefScanner::new(XrefContext::default()).scan(text);
    let r = refs.into_iter().find(|r| r.volume.is_some())?;
    let volume_id = r.volume.clone()?;
    Some(CitationRef {
        raw: r.raw,
        volume_id,
        document: if r.kind == RefKind::Page {
            None
        } else {
            r.document
        },
        footnote: r.footnote,
        page: r.page,
        page_end: r.page_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let c = parse_citation("FRUS, 1964–1968, vol. VII, doc. 45");
        assert_eq!(c.map(|c| c.path()).as_deref(), Some("frus1964-68v07/d45"));
        let c = parse_citation("Foreign Relations, 1949, vol. VII, Part 1, p. 23");
        assert_eq!(c.map(|c| c.path()).as_deref(), Some("frus1949v07p1/pg_23"));
        let c = parse_citation(
            "Foreign Relations of the United States, 1961–1963, Volume XV, Document 12",
        );
        assert_eq!(c.map(|c| c.path()).as_deref(), Some("frus1961-63v15/d12"));
        assert!(parse_citation("nothing here").is_none());
    }
}
