//! Plain data types for FRUS volumes and documents.
//!
//! Everything a reader produces and a writer or store consumes is one of these types. They carry
//! no behaviour beyond small, obvious helpers (plain-text flattening, walking inlines), so that
//! every other crate can depend on them without pulling in parsers, SQLite or a web stack.
//!
//! The body of a document is kept as an ordered tree of [`Block`]s whose leaves are [`Inline`]s.
//! Footnote anchors, page breaks, person and term mentions and cross-references sit *inside* the
//! inline stream at the position where the printed volume has them, so a renderer can reproduce
//! the edition and an indexer can know which words a mention covers.

use serde::{Deserialize, Serialize};

pub mod date;
mod plain;
pub mod roman;
pub mod volume_id;
pub use date::{DatePrecision, MONTH_NAMES};
pub use plain::{
    collapse_ws, plain_text, plain_text_blocks, visit_blocks, walk_blocks, walk_inlines, Stop,
};

/// The volume id a reader gives a text capture when neither the command line nor the file name
/// names its volume: the store then files it under the one archive document with the same
/// number and heading, or refuses it asking for a volume. Never stored as a volume.
pub const UNKNOWN_VOLUME: &str = "unfiled";

/// The canonical web address of a FRUS document (the Office of the Historian's), which
/// citations append.
pub fn document_url(volume: &str, document: &str) -> String {
    format!("https://history.state.gov/historicaldocuments/{volume}/{document}")
}

/// The largest document the archive takes, measured as its stored JSON: ingest refuses a bigger
/// one with a message naming the limit, so everything stored can be served (page, API, export).
/// The largest real FRUS documents are a few hundred kilobytes.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// One FRUS volume: a printed book, one TEI file, or the container of loose text documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    /// Volume id, e.g. `frus1964-68v07`.
    pub id: String,
    /// The volume's titles as the title page gives them.
    pub titles: VolumeTitles,
    /// The editors named in the volume, in order.
    pub editors: Vec<Editor>,
    /// "United States Government Printing Office", as encoded.
    pub publisher: Option<String>,
    /// Where the volume was published: "Washington".
    pub pub_place: Option<String>,
    /// Publication year as printed ("2003").
    pub publication_year: Option<String>,
    /// `idno` values by type: dospubno, isbn-10, isbn-13, frus, oclc, …
    pub idnos: Vec<Idno>,
    /// The span of dates the volume's documents cover, when the header or documents say so.
    pub content_dates: Option<DateInterval>,
    /// The front-matter persons list ("Names"), in printed order.
    pub persons: Vec<GlossaryEntry>,
    /// The front-matter abbreviations and terms list, in printed order.
    pub terms: Vec<GlossaryEntry>,
    /// The compilation/chapter/subchapter tree; leaves name documents by id.
    pub toc: Vec<Division>,
    /// What the Office of the Historian's catalogue record adds, when the archive has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<Catalogue>,
    /// Where the volume came from.
    pub origin: Origin,
}

/// Who wrote to whom and what kind of document it is, as a citation names them ("Embassy in
/// France to Department of State, telegram"). The store derives it from the parsed apparatus;
/// citations print it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correspondence {
    /// "Walt W. Rostow", "Embassy in France".
    pub sender: Option<String>,
    /// The addressee, in the same forms as the sender.
    pub recipient: Option<String>,
    /// The specific type, lower case ("telegram", "memorandum of conversation").
    pub kind: Option<String>,
}

/// A volume's catalogue record beyond its titles and editors (which fill [`Volume`]'s own
/// fields): the administrations and years it covers, whether and when it was published, in
/// what media, and the editors' summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// "johnson", "nixon-ford", "pre-truman", as the record names them.
    pub administrations: Vec<String>,
    /// First and last year covered ("1952", "1954").
    pub coverage_from: Option<String>,
    /// The last year covered.
    pub coverage_to: Option<String>,
    /// "published", "in-production".
    pub publication_status: Option<String>,
    /// "2003-11-18" where the record dates the publication to the day.
    pub published_date: Option<String>,
    /// "print", "epub", "microfiche".
    pub media: Vec<String>,
    /// The editors' summary, paragraphs separated by a blank line.
    pub summary: Option<String>,
    /// The record file it was read from.
    pub source_path: String,
}

/// The parts of a volume's title, each as printed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VolumeTitles {
    /// "Foreign Relations of the United States, 1964–1968, Volume VII, Vietnam, …"
    pub complete: Option<String>,
    /// "Foreign Relations of the United States"
    pub series: Option<String>,
    /// "1964–1968"
    pub sub_series: Option<String>,
    /// "Volume VII"
    pub volume_number: Option<String>,
    /// "Vietnam, September 1968–January 1969"
    pub volume: Option<String>,
}

/// An editor of a volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Editor {
    /// The editor's name as printed.
    pub name: String,
    /// "primary", "general", … as encoded.
    pub role: Option<String>,
}

/// An identifier of the volume (`idno`): its FRUS id, ISBN, and the like.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Idno {
    /// The `idno/@type`: "frus", "isbn-13", "dospubno", …
    pub kind: String,
    /// The identifier itself.
    pub value: String,
}

/// An entry of a volume's persons or terms list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GlossaryEntry {
    /// `p_HWA1`, `t_DMZ1`.
    pub id: String,
    /// The name or term as printed in bold: "Harriman, W. Averell", "DMZ".
    pub name: String,
    /// What follows the name: role or expansion ("Ambassador at Large; …").
    pub description: String,
}

/// A node of the volume's table of contents: a compilation, chapter, subchapter or section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Division {
    /// The division's `xml:id` (`ch1`, `comp2`).
    pub id: String,
    /// The TEI `div/@type`: compilation, chapter, subchapter, section, …
    pub kind: String,
    /// `div/@subtype` where present (referral, index, preface, …).
    pub subtype: Option<String>,
    /// The division's heading as plain text.
    pub heading: String,
    /// Divisions nested inside this one, in order.
    pub children: Vec<Division>,
    /// Ids of the documents directly inside this division, in order.
    pub documents: Vec<String>,
    /// Notes attached to the division itself (a chapter head's "Continued from …" note); the
    /// heading text leaves their text out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<Footnote>,
    /// Text directly inside the division that is not a document (a referral chapter's
    /// "[For text of Agreement … see …]").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<Block>,
}

impl Division {
    /// Documents in this division and all of its descendants.
    pub fn document_count(&self) -> usize {
        self.documents.len()
            + self
                .children
                .iter()
                .map(Division::document_count)
                .sum::<usize>()
    }
}

/// The input a volume or document was read from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    /// Path as given on the command line (for messages; not used as an identity).
    pub path: String,
    /// What kind of file it was.
    pub format: SourceFormat,
    /// Lower-case hex SHA-256 of the file's bytes; an unchanged file is not ingested twice.
    pub sha256: String,
    /// The file's size in bytes.
    pub bytes: u64,
}

/// The kind of file a volume or document was read from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// A TEI P5 volume from the Office of the Historian.
    #[default]
    Tei,
    /// A plain-text capture of a history.state.gov document page.
    Text,
    /// The Office of the Historian's catalogue record of a volume (`bibliography/{id}.xml`):
    /// metadata only, no documents.
    Bibliography,
}

/// What a document is, in the sense users filter on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// A document of the record: a telegram, memorandum, letter, …
    #[default]
    HistoricalDocument,
    /// An editors' note between documents.
    EditorialNote,
    /// A section of the front matter (preface, sources, persons list, the President's message…).
    FrontMatter,
    /// A section of the back matter (index, appendix, errata).
    BackMatter,
}

impl DocumentKind {
    /// The kebab-case name used in the store, the index and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::HistoricalDocument => "historical-document",
            DocumentKind::EditorialNote => "editorial-note",
            DocumentKind::FrontMatter => "front-matter",
            DocumentKind::BackMatter => "back-matter",
        }
    }

    /// The kind named by [`DocumentKind::as_str`], or `None` for another name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "historical-document" => DocumentKind::HistoricalDocument,
            "editorial-note" => DocumentKind::EditorialNote,
            "front-matter" => DocumentKind::FrontMatter,
            "back-matter" => DocumentKind::BackMatter,
            _ => return None,
        })
    }
}

/// One document (or front/back-matter section) of a volume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The volume the document belongs to.
    pub volume_id: String,
    /// The document's `xml:id`, e.g. `d45`; unique within the volume.
    pub id: String,
    /// The printed number (`@n`, or the number in the heading), e.g. "45"; not always numeric.
    pub number: Option<String>,
    /// Whether it is a historical document, an editorial note, or front or back matter.
    pub kind: DocumentKind,
    /// The TEI `div/@subtype` as encoded (historical-document, editorial-note, preface, index…).
    pub subtype: Option<String>,
    /// The heading as inlines, without the source note's text but with its anchor.
    pub heading: Vec<Inline>,
    /// The heading as plain text, without any footnote mark: "45. Telegram From the Embassy …".
    pub heading_text: String,
    /// Senders as written in the heading (`type="from"`): "Embassy in France", "Rostow".
    pub from: Vec<String>,
    /// Recipients as written in the heading (`type="to"`).
    pub to: Vec<String>,
    /// The dateline's place: "Paris".
    pub place: Option<String>,
    /// The document's date, where the source gives one.
    pub date: Option<DocumentDate>,
    /// Enclosing compilation/chapter/subchapter, outermost first.
    pub chapter_path: Vec<ChapterRef>,
    /// The body: paragraphs, lists, tables, closers, attachments, in order.
    pub body: Vec<Block>,
    /// Footnotes in document order (source note, if any, first).
    pub footnotes: Vec<Footnote>,
    /// Hints that let the plain-text writer reproduce a text capture byte for byte.
    /// `None` for documents read from TEI, which render with the default layout.
    pub text_layout: Option<TextLayout>,
    /// Elements the reader did not know; their text is kept in place, the count is reported.
    pub unknown_elements: Vec<UnknownElement>,
}

impl Document {
    /// The source note, if the document has one.
    pub fn source_note(&self) -> Option<&Footnote> {
        self.footnotes.iter().find(|f| f.is_source)
    }

    /// Page numbers of the page breaks inside the document, in order.
    pub fn pages(&self) -> Vec<String> {
        let mut out = Vec::new();
        walk_blocks(&self.body, &mut |inline| {
            if let Inline::PageBreak { n, .. } = inline {
                out.push(n.clone());
            }
        });
        out
    }

    /// `volume/id`, the identity used on the command line and in URLs.
    pub fn path(&self) -> String {
        format!("{}/{}", self.volume_id, self.id)
    }
}

/// A division enclosing a document, as the table of contents names it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChapterRef {
    /// The division's `xml:id`.
    pub id: String,
    /// The division's heading as plain text.
    pub heading: String,
}

/// A document's date: what the dateline says, and the machine interval it stands for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentDate {
    /// As printed: "October 2, 1968, 1410Z".
    pub text: String,
    /// The encoded value (`@when`, or `@from`/`@notBefore`…), e.g. "1968-10-02T14:10:00Z".
    pub when: Option<String>,
    /// The interval the date stands for, when it could be read.
    pub interval: Option<DateInterval>,
}

/// A closed interval of time, ISO 8601 at both ends, with the precision of the source.
///
/// `min` and `max` keep the time zone of the source (`Z`, `-05:00`) or none when the source gave
/// none; a whole day is `T00:00:00`..`T23:59:59`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateInterval {
    /// The first second of the interval (`1968-10-02T00:00:00`).
    pub min: String,
    /// The last second of the interval (`1968-10-02T23:59:59`).
    pub max: String,
    /// How precise the source was.
    pub precision: DatePrecision,
}

/// A block-level unit of a document body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A paragraph; `role` says what kind (plain paragraph, dateline, closer, …).
    Paragraph {
        /// What kind of paragraph it is.
        role: ParagraphRole,
        /// TEI `@rend` / `@rendition` if any ("center", "sectiontitleital", …).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rend: Option<String>,
        /// The paragraph's content.
        inlines: Vec<Inline>,
        /// Layout hints from a plain-text capture.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        layout: Option<BlockLayout>,
    },
    /// A list, possibly labelled, possibly with a head ("SUBJECT", "PARTICIPANTS").
    List {
        /// TEI `list/@type`: subject, participants, simple, …
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        /// The list's head, if it has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        head: Option<Vec<Inline>>,
        /// The items, in order.
        items: Vec<ListItem>,
        /// Layout hints from a plain-text capture.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        layout: Option<BlockLayout>,
    },
    /// A table, row by row.
    Table {
        /// The rows, in order.
        rows: Vec<TableRow>,
        /// Layout hints from a plain-text capture.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        layout: Option<BlockLayout>,
    },
    /// `frus:attachment`: a document attached to the main one (Tab A, an enclosure).
    Attachment {
        /// The attachment's head ("Tab A", "Enclosure").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        head: Option<Vec<Inline>>,
        /// The attachment's content.
        blocks: Vec<Block>,
    },
    /// A container such as `closer` or `postscript` holding several blocks.
    Group {
        /// What the container is (closer, postscript, …).
        role: ParagraphRole,
        /// The blocks it holds.
        blocks: Vec<Block>,
    },
    /// A page break standing between blocks (not inside a paragraph).
    PageBreak {
        /// Printed page number as encoded.
        n: String,
        /// The page break's `xml:id` (`pg_120`), the target of page references.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// Layout hints from a plain-text capture.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        layout: Option<BlockLayout>,
    },
}

/// Layout hints kept from a plain-text capture so it can be written back byte for byte.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockLayout {
    /// The exact separator that preceded this block in the capture ("\n\n", "\n", "\n\n\n").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sep_before: Option<String>,
    /// Free-form hint for the writer (e.g. list bullet style "dash" for format B).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
}

/// What a paragraph is within its document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParagraphRole {
    /// Running text.
    #[default]
    Paragraph,
    /// An inline source note printed in the body (1940s–50s file numbers: "851G.00/1–1449: Telegram").
    SourceLine,
    /// The opening lines of a letter or memorandum (`opener`).
    Opener,
    /// The place and date line: "Paris, October 2, 1968".
    Dateline,
    /// The salutation: "Dear Mr. President:".
    Salute,
    /// The closing lines (`closer`): "Sincerely,".
    Closer,
    /// A signature: "Dean Rusk".
    Signed,
    /// A postscript.
    Postscript,
    /// Bracketed editorial text: "[Omitted here is …]", "[Here follow …]".
    EditorialInsertion,
    /// A heading inside a body (sub-heads, attachment heads).
    Heading,
    /// Quoted text set apart (`quote`).
    Quote,
}

/// One item of a list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListItem {
    /// The label printed before the item ("1.", "a)"), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Item content: usually one paragraph, possibly nested lists.
    pub blocks: Vec<Block>,
}

/// One row of a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    /// The row's cells, in order.
    pub cells: Vec<TableCell>,
    /// A page break that sat before this row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_break_before: Option<String>,
}

/// One cell of a table row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableCell {
    /// The TEI `cell/@role` ("label", "data"), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The cell's content.
    pub inlines: Vec<Inline>,
}

/// Inline content. Text is kept exactly as read (whitespace included) so writers can decide how
/// to normalise it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Inline {
    /// Plain text.
    Text {
        /// The text itself.
        text: String,
    },
    /// Highlighted text: `hi/@rend` italic, strong, smallcaps, …
    Hi {
        /// The rendering as encoded ("italic", "strong", "smallcaps").
        rend: String,
        /// The highlighted content.
        children: Vec<Inline>,
    },
    /// A footnote anchor; `id` names a [`Footnote`] of the same document.
    NoteRef {
        /// The footnote's `xml:id`.
        id: String,
        /// The printed mark ("2", "0", "*").
        mark: String,
    },
    /// A page break inside running text.
    PageBreak {
        /// Printed page number as encoded ("120", "XIV", "[1]").
        n: String,
        /// The page break's `xml:id` (`pg_120`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
    },
    /// A line break (`lb`).
    LineBreak,
    /// A person named in the text (`persName`).
    Person {
        /// Glossary id (`p_HWA1`), or a cross-volume `frus…#p_…`; `None` when the source gives none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        person_id: Option<String>,
        /// `from` / `to` when the mention marks a sender or recipient.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
        /// The words as written.
        children: Vec<Inline>,
    },
    /// A term of the volume's glossary named in the text (`gloss`, `term`).
    Term {
        /// Glossary id (`t_DMZ1`); `None` when the source gives none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        term_id: Option<String>,
        /// `from` / `to` when the term marks a sender or recipient (an office).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
        /// The words as written.
        children: Vec<Inline>,
    },
    /// A place named in the text (`placeName`).
    Place {
        /// The words as written.
        children: Vec<Inline>,
    },
    /// A date in the text (`date`).
    Date {
        /// The encoded value, e.g. "1968-10-02".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<String>,
        /// The words as written.
        children: Vec<Inline>,
    },
    /// A cross-reference (`ref/@target`).
    Ref {
        /// Where the reference points.
        target: Reference,
        /// The words as written.
        children: Vec<Inline>,
    },
    /// An element the reader does not model; its text is kept.
    Unknown {
        /// The element's name.
        name: String,
        /// Its content, kept.
        children: Vec<Inline>,
    },
}

impl Inline {
    /// Plain text as an inline.
    pub fn text(s: impl Into<String>) -> Inline {
        Inline::Text { text: s.into() }
    }

    /// The inlines this one wraps (a highlight, a mention, a date, a reference, an element
    /// the reader does not model); empty for text and milestones. The one place that knows
    /// which inlines are wrappers, so a walk over the tree cannot forget one.
    pub fn children(&self) -> &[Inline] {
        match self {
            Inline::Hi { children, .. }
            | Inline::Person { children, .. }
            | Inline::Term { children, .. }
            | Inline::Place { children }
            | Inline::Date { children, .. }
            | Inline::Ref { children, .. }
            | Inline::Unknown { children, .. } => children,
            Inline::Text { .. }
            | Inline::NoteRef { .. }
            | Inline::PageBreak { .. }
            | Inline::LineBreak => &[],
        }
    }
}

/// Where a cross-reference points, parsed from `ref/@target` or from text ("See Document 40").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The target exactly as written: `#d40`, `frus1964-68v06#d299`, `#pg_120`, `frus1948v06`.
    pub raw: String,
    /// Target volume; `None` means the volume the reference sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Target element id within the volume (`d40`, `d236fn6`, `pg_120`); `None` for a whole volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// What the target is: a document, a footnote, a page or a volume.
    pub kind: ReferenceKind,
}

/// What a cross-reference points at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferenceKind {
    /// A document (`#d40`).
    Document,
    /// A footnote (`#d236fn6`).
    Footnote,
    /// A page (`#pg_120`).
    Page,
    /// A whole volume (`frus1948v06`).
    Volume,
    /// A division, index anchor, person or term, or anything else with an id.
    #[default]
    Other,
    /// A web address or mail link.
    External,
}

impl Reference {
    /// Parse a TEI `ref/@target` value.
    pub fn parse(raw: &str) -> Reference {
        let raw_trim = raw.trim();
        let lower = raw_trim.to_ascii_lowercase();
        if lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("mailto:")
        {
            return Reference {
                raw: raw_trim.to_string(),
                volume: None,
                element: None,
                kind: ReferenceKind::External,
            };
        }
        let (volume, element) = match raw_trim.split_once('#') {
            Some((v, e)) => (
                (!v.is_empty()).then(|| v.to_string()),
                (!e.is_empty()).then(|| e.to_string()),
            ),
            None => (Some(raw_trim.to_string()), None),
        };
        let kind = match element.as_deref() {
            None => ReferenceKind::Volume,
            Some(e) => classify_element_id(e),
        };
        Reference {
            raw: raw_trim.to_string(),
            volume,
            element,
            kind,
        }
    }
}

/// Classify an element id by the FRUS id conventions: `d45`, `d45fn2`, `pg_120`.
pub fn classify_element_id(id: &str) -> ReferenceKind {
    if let Some(rest) = id.strip_prefix("pg_") {
        if !rest.is_empty() {
            return ReferenceKind::Page;
        }
    }
    if let Some(rest) = id.strip_prefix('d') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let tail = &rest[digits..];
            if tail.is_empty() {
                return ReferenceKind::Document;
            }
            if let Some(fnn) = tail.strip_prefix("fn") {
                if !fnn.is_empty() {
                    return ReferenceKind::Footnote;
                }
            }
        }
    }
    ReferenceKind::Other
}

/// A footnote (TEI `note`) of a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Footnote {
    /// `xml:id` (`d45fn2`), or a deterministic id for text documents.
    pub id: String,
    /// The printed mark (`@n`): "2"; "0" for 1958–63 source notes; may repeat within a document.
    pub mark: String,
    /// True for the source note (`type="source"`).
    pub is_source: bool,
    /// Footnote content as blocks (most notes are one paragraph).
    pub blocks: Vec<Block>,
}

impl Footnote {
    /// The footnote as plain text.
    pub fn text(&self) -> String {
        plain_text_blocks(&self.blocks)
    }
}

/// How a plain-text capture was laid out, beyond what the blocks' own layout hints say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextLayout {
    /// "A" (blank-line blocks, `  N. ` footnotes) or "B" (single newlines, `- text↩` footnotes).
    pub variant: String,
    /// What stood between the heading text and the source-note mark: "" (glued) or " ".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading_mark_sep: Option<String>,
    /// The separator before the footnote block ("\n" or "\n\n").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footnotes_sep: Option<String>,
    /// Lines of the capture that come before the body proper and are kept verbatim
    /// (file numbers, "[Telegram]", the 19th-century "Mr. X to Mr. Y" line when unnumbered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preamble: Vec<String>,
    /// The printed footnote numbers in the footnote block ("1", "2"), when they differ from marks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnote_numbers: Vec<String>,
    /// Any writer-specific extra hints, kept opaque.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
}

/// An element the reader did not model; counted and reported, its text kept in place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownElement {
    /// The element's name.
    pub name: String,
    /// How many times it occurred.
    pub count: u32,
}

/// A problem found while reading that did not stop the file from being stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The file it was found in.
    pub file: String,
    /// Line and column (1-based) where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Column of the line (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// The document it concerns, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(doc) = &self.document {
            write!(f, " ({doc})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything read from one input file: a volume (TEI) or one text document plus its volume stub.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedVolume {
    /// The volume (for a text document, the stub of the volume it is filed under).
    pub volume: Volume,
    /// The documents read, in order.
    pub documents: Vec<Document>,
    /// Problems that did not stop the file from being read.
    pub warnings: Vec<Warning>,
    /// Counts of what the file held, for accounting ("every footnote, pb, persName, ref").
    pub census: Census,
}

/// Element counts taken while reading a TEI file, so tests and `stats` can check nothing was lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Census {
    /// Document `div`s.
    pub document_divs: u64,
    /// Footnotes (`note`).
    pub notes: u64,
    /// Page breaks (`pb`).
    pub page_breaks: u64,
    /// Person mentions (`persName`).
    pub pers_names: u64,
    /// Cross-references (`ref`).
    pub refs: u64,
    /// Elements the reader does not model.
    pub unknown_elements: u64,
    /// Of `notes`, those not stored in any [`Document`]: in the TEI header, the title page, or a
    /// compilation/chapter/subchapter (kept in [`Division::footnotes`]).
    #[serde(default)]
    pub notes_outside_documents: u64,
    /// Of `page_breaks`, those not stored in any document (title page, header, inside a division's
    /// own text). Page breaks between divisions are given to the next document and not counted.
    #[serde(default)]
    pub page_breaks_outside_documents: u64,
    /// Of `pers_names`, those not stored in any document (title-page bylines, header, division
    /// headings and notes).
    #[serde(default)]
    pub pers_names_outside_documents: u64,
    /// Of `refs`, those not stored in any document.
    #[serde(default)]
    pub refs_outside_documents: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_forms() {
        let r = Reference::parse("#d40");
        assert_eq!(
            (r.volume, r.element.as_deref(), r.kind),
            (None, Some("d40"), ReferenceKind::Document)
        );
        let r = Reference::parse("#d236fn6");
        assert_eq!(r.kind, ReferenceKind::Footnote);
        let r = Reference::parse("#pg_120");
        assert_eq!(r.kind, ReferenceKind::Page);
        let r = Reference::parse("frus1964-68v06#d299");
        assert_eq!(r.volume.as_deref(), Some("frus1964-68v06"));
        assert_eq!(r.kind, ReferenceKind::Document);
        let r = Reference::parse("frus1948v06");
        assert_eq!(
            (r.volume.as_deref(), r.kind),
            (Some("frus1948v06"), ReferenceKind::Volume)
        );
        assert_eq!(Reference::parse("#in5").kind, ReferenceKind::Other);
        assert_eq!(Reference::parse("https://x").kind, ReferenceKind::External);
        assert_eq!(Reference::parse("#dx").kind, ReferenceKind::Other);
    }

    #[test]
    fn kind_round_trips() {
        for k in [
            DocumentKind::HistoricalDocument,
            DocumentKind::EditorialNote,
            DocumentKind::FrontMatter,
            DocumentKind::BackMatter,
        ] {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
        }
    }
}
