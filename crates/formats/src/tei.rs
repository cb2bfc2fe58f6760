//! Streaming reader for the Office of the Historian's TEI P5 volumes, every era (1861 to today).
//!
//! One pass of quick-xml events over the whole file, building the [`chancery_model`] tree by
//! recursive descent: each handler is called on a start tag and consumes events up to and
//! including its end tag. Namespaces are resolved (TEI, both frus URIs), text is kept exactly as
//! read with entities unescaped.
//!
//! # Modelling choices
//!
//! * **Documents.** Every `div[@type='document']` (in `front`, `body` or `back`), every
//!   `div[@type='section']` and `div[@type='toc']`, and every `subchapter` whose `@subtype` is
//!   `historical-document` or `editorial-note`, becomes a [`Document`]. Sections in `front` are
//!   [`DocumentKind::FrontMatter`], in `back` [`DocumentKind::BackMatter`] (their `@subtype`,
//!   e.g. the 1861 President's message's `historical-document`, is kept in `subtype`). Inside a
//!   document, a nested `div[@type='document']` is read as a document of its own; other nested
//!   divs are flattened into the body (their heads become [`ParagraphRole::Heading`]).
//! * **Divisions.** Compilations, chapters and non-document subchapters form [`Volume::toc`].
//!   Notes in their heads go to [`Division::footnotes`]; text directly inside them (referral
//!   chapters) goes to [`Division::body`].
//! * **Page breaks.** Inside a paragraph-like element a `pb` is an [`Inline::PageBreak`]; between
//!   blocks it is a [`Block::PageBreak`]; between list items it opens the next item (after the
//!   last item it follows the list); between table rows it is the next row's
//!   `page_break_before` (a further one in the same gap opens the row's first cell; after the
//!   last row it follows the table). A `pb` *between divisions* belongs to the **next document
//!   that starts**: it becomes the first block of its body (the document starts on that page).
//!   Pending page breaks that meet other non-document content first (the title page, a
//!   referral chapter's text) are not given to a document: they stay counted in
//!   [`Census::page_breaks_outside_documents`] (or are kept in that division's body). Page
//!   breaks left after the last document go to the end of the last document.
//! * **Notes printed in the body.** A `note` standing between blocks (not inside a paragraph)
//!   that has `@rend='inline'` or no `@n` — the 1940s–50s file-number source line before the
//!   head, 1861's "[Extract.]", "[Source: … not declassified.]" — is stored like every note as a
//!   [`Footnote`] (with `is_source` from `@type='source'`, and `mark` = `@n` or ""), and the body
//!   gets, at that position, a paragraph of role [`ParagraphRole::SourceLine`] (source notes) or
//!   [`ParagraphRole::EditorialInsertion`] (others) whose only inline is the note's
//!   [`Inline::NoteRef`]. Writers print that footnote's text in place of such a paragraph and
//!   leave it out of the footnote list. So note content always lives in exactly one
//!   [`Footnote`], and the tree only holds anchors.
//! * **Notes** without `xml:id` get `{owner}fn_auto{k}` (`k` counting from 1 per document or
//!   division). Footnotes are in the order of their start tags (an outer note before the notes
//!   nested in it).
//! * **Mentions.** `persName/@corresp` "#p_X" → `p_X`, a cross-volume "frus…#p_…" is kept whole;
//!   without `@corresp`, the glossary entry's own `xml:id` is used. `gloss/@target` "#t_X" →
//!   `t_X`. `@type` from/to becomes the role. `time` is read as an [`Inline::Date`] (`@when`, else
//!   `@from`). Transparent TEI wrappers (`seg`, inline `quote`, `label` outside lists, block
//!   elements found inside a paragraph's inline content) keep their children in place. Anything
//!   else is an [`Inline::Unknown`], counted per document and in the census.
//! * **Dates.** `frus:doc-dateTime-min/max` on the div win; else the first dateline's `date`
//!   (outside attachments and notes): `@when`, else `@from`/`@to`, else `@notBefore`/`@notAfter`.
//! * **Census.** Every `div[@type='document']`, `note`, `pb`, `persName` and `ref` of the file is
//!   counted; those not stored in a document are also counted in the `*_outside_documents`
//!   fields, so `stored in documents + outside == total` for each.

mod dates;

use std::borrow::Cow;
use std::collections::HashMap;

use chancery_model::{
    plain_text, walk_inlines, Block, Census, ChapterRef, DateInterval, Division, Document,
    DocumentDate, DocumentKind, Editor, Footnote, GlossaryEntry, Idno, Inline, ListItem, Origin,
    ParagraphRole, ParsedVolume, Reference, SourceFormat, TableCell, TableRow, UnknownElement,
    Volume, Warning,
};
use quick_xml::events::attributes::Attributes;
use quick_xml::events::Event;
use quick_xml::name::{QName, ResolveResult};
use quick_xml::NsReader;

use crate::{ReadError, ReadErrorKind};

const TEI_NS: &[u8] = b"http://www.tei-c.org/ns/1.0";
const FRUS_NS: &[u8] = b"http://history.state.gov/frus/ns/1.0";
/// The oldest revisions' frus namespace.
const FRUS_NS_OLD: &[u8] = b"http://history.state.gov/ns/1.0";
/// Real volumes nest about 13 deep; refusing much deeper input keeps the recursion (and the
/// stack it needs) bounded.
const MAX_DEPTH: usize = 64;

/// Whether a `<div>` is a document of the volume (see "Documents" above), from its `@type`, its
/// `@subtype` and whether it lies inside a document already. The one definition: the reader
/// and the checker ([`crate::check`]) both decide by it.
pub(crate) fn is_document_div(ty: Option<&str>, subtype: Option<&str>, in_document: bool) -> bool {
    if in_document {
        // Inside a document only a document stands apart; other divs are part of its body.
        return ty == Some("document");
    }
    match ty {
        Some("document" | "section" | "toc") => true,
        Some("subchapter") => matches!(subtype, Some("historical-document" | "editorial-note")),
        _ => false,
    }
}

/// Read one TEI volume. `path` is used for messages and [`Origin::path`] only.
pub fn read_tei(bytes: &[u8], path: &str) -> Result<ParsedVolume, ReadError> {
    let (base, src) = crate::decode(bytes, path)?;
    let mut parser = Parser::new(bytes, base, src, path);
    parser.run()?;
    Ok(parser.finish())
}

/// Elements the reader gives a meaning to; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Tei,
    TeiHeader,
    Text,
    Front,
    Body,
    Back,
    TitlePage,
    Div,
    Head,
    P,
    List,
    Item,
    Label,
    Table,
    Row,
    Cell,
    Hi,
    PersName,
    Gloss,
    Term,
    PlaceName,
    Date,
    Time,
    Ref,
    Lb,
    Pb,
    Note,
    Closer,
    Signed,
    Postscript,
    Opener,
    Dateline,
    Salute,
    Seg,
    Quote,
    Attachment,
    TitleStmt,
    PublicationStmt,
    Title,
    Editor,
    Publisher,
    PubPlace,
    Idno,
    Other,
}

fn tei_tag(local: &[u8]) -> Tag {
    match local {
        b"TEI" => Tag::Tei,
        b"teiHeader" => Tag::TeiHeader,
        b"text" => Tag::Text,
        b"front" => Tag::Front,
        b"body" => Tag::Body,
        b"back" => Tag::Back,
        b"titlePage" => Tag::TitlePage,
        b"div" => Tag::Div,
        b"head" => Tag::Head,
        b"p" => Tag::P,
        b"list" => Tag::List,
        b"item" => Tag::Item,
        b"label" => Tag::Label,
        b"table" => Tag::Table,
        b"row" => Tag::Row,
        b"cell" => Tag::Cell,
        b"hi" => Tag::Hi,
        b"persName" => Tag::PersName,
        b"gloss" => Tag::Gloss,
        b"term" => Tag::Term,
        b"placeName" => Tag::PlaceName,
        b"date" => Tag::Date,
        b"time" => Tag::Time,
        b"ref" => Tag::Ref,
        b"lb" => Tag::Lb,
        b"pb" => Tag::Pb,
        b"note" => Tag::Note,
        b"closer" => Tag::Closer,
        b"signed" => Tag::Signed,
        b"postscript" => Tag::Postscript,
        b"opener" => Tag::Opener,
        b"dateline" => Tag::Dateline,
        b"salute" => Tag::Salute,
        b"seg" => Tag::Seg,
        b"quote" => Tag::Quote,
        b"titleStmt" => Tag::TitleStmt,
        b"publicationStmt" => Tag::PublicationStmt,
        b"title" => Tag::Title,
        b"editor" => Tag::Editor,
        b"publisher" => Tag::Publisher,
        b"pubPlace" => Tag::PubPlace,
        b"idno" => Tag::Idno,
        _ => Tag::Other,
    }
}

fn is_frus_ns(ns: &[u8]) -> bool {
    ns == FRUS_NS || ns == FRUS_NS_OLD
}

/// The attributes the reader uses, borrowed from the input where no unescaping was needed.
#[derive(Debug, Default)]
struct Attrs<'a> {
    id: Option<Cow<'a, str>>,
    n: Option<Cow<'a, str>>,
    ty: Option<Cow<'a, str>>,
    subtype: Option<Cow<'a, str>>,
    rend: Option<Cow<'a, str>>,
    rendition: Option<Cow<'a, str>>,
    corresp: Option<Cow<'a, str>>,
    target: Option<Cow<'a, str>>,
    reference: Option<Cow<'a, str>>,
    when: Option<Cow<'a, str>>,
    from: Option<Cow<'a, str>>,
    to: Option<Cow<'a, str>>,
    not_before: Option<Cow<'a, str>>,
    not_after: Option<Cow<'a, str>>,
    role: Option<Cow<'a, str>>,
    dt_min: Option<Cow<'a, str>>,
    dt_max: Option<Cow<'a, str>>,
}

fn owned(v: &Option<Cow<'_, str>>) -> Option<String> {
    v.as_deref().map(str::to_string)
}

fn non_empty(v: &Option<Cow<'_, str>>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A start tag: what it is, where it is, its attributes.
struct Start<'a> {
    tag: Tag,
    /// Qualified name as written (for unknown elements and messages).
    name: &'a str,
    /// Byte offset of `<` in the parsed text.
    pos: usize,
    /// Boxed so events stay small (they are moved through every level of the descent); `None`
    /// for the many elements without attributes.
    attrs: Option<Box<Attrs<'a>>>,
}

/// What an element without attributes has.
const NO_ATTRS: Attrs<'static> = Attrs {
    id: None,
    n: None,
    ty: None,
    subtype: None,
    rend: None,
    rendition: None,
    corresp: None,
    target: None,
    reference: None,
    when: None,
    from: None,
    to: None,
    not_before: None,
    not_after: None,
    role: None,
    dt_min: None,
    dt_max: None,
};

impl<'a> Start<'a> {
    fn a(&self) -> &Attrs<'a> {
        self.attrs.as_deref().unwrap_or(&NO_ATTRS)
    }
}

enum Ev<'a> {
    Start(Start<'a>),
    End,
    Text(Cow<'a, str>),
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Matter {
    Front,
    Body,
    Back,
}

/// Where notes and unknown elements go while a document or division is read.
struct Sink {
    owner: String,
    is_doc: bool,
    footnotes: Vec<Footnote>,
    unknown: Vec<UnknownElement>,
    auto_notes: u32,
    note_depth: u32,
    attachment_depth: u32,
    /// True while inside the document's first dateline (outside notes and attachments).
    dateline_active: bool,
    dateline_done: bool,
    place: Option<String>,
    date: Option<DatelineDate>,
}

impl Sink {
    fn new(owner: String, is_doc: bool) -> Sink {
        Sink {
            owner,
            is_doc,
            footnotes: Vec::new(),
            unknown: Vec::new(),
            auto_notes: 0,
            note_depth: 0,
            attachment_depth: 0,
            dateline_active: false,
            dateline_done: false,
            place: None,
            date: None,
        }
    }
}

/// The dateline's `date` element, kept until the document is complete.
struct DatelineDate {
    text: String,
    when: Option<String>,
    from: Option<String>,
    to: Option<String>,
    not_before: Option<String>,
    not_after: Option<String>,
    pos: usize,
}

/// How a run of mixed content is cut into blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Inside `p`, `dateline`, `signed`…: everything is inline except real blocks (list, table,
    /// nested p, attachment), which split the paragraph.
    Para,
    /// Inside a div, item, note, attachment, closer…: block elements are blocks, loose inline
    /// content is gathered into paragraphs.
    Container,
}

struct Flow {
    mode: Mode,
    role: ParagraphRole,
    rend: Option<String>,
    /// Take the first `head` child as the container's heading instead of a body paragraph.
    capture_head: bool,
}

impl Flow {
    fn container(role: ParagraphRole) -> Flow {
        Flow {
            mode: Mode::Container,
            role,
            rend: None,
            capture_head: false,
        }
    }
}

enum DivOut {
    Document(String),
    Division(Division),
}

struct Parser<'a> {
    bytes: &'a [u8],
    base: usize,
    src: &'a str,
    path: &'a str,
    reader: NsReader<&'a [u8]>,
    /// Offsets of the open elements' `<`.
    stack: Vec<usize>,
    /// The End owed for an empty-element tag just returned as a Start.
    owe_end: bool,
    root_seen: bool,
    root_closed: bool,
    ids: HashMap<Cow<'a, str>, usize>,
    census: Census,
    warnings: Vec<Warning>,
    sinks: Vec<Sink>,
    in_doc: bool,
    matter: Matter,
    chapter_path: Vec<ChapterRef>,
    /// Page breaks read between divisions, waiting for the next document.
    pending_pbs: Vec<Block>,
    docs: Vec<Document>,
    volume: Volume,
    content_date: Option<DateInterval>,
    text_seen: bool,
    generated: u32,
}

/// Resolve entity and character references; on failure give the raw text back with the error.
fn unescape(raw: Cow<'_, str>) -> Result<Cow<'_, str>, (Cow<'_, str>, String)> {
    if !raw.contains('&') {
        return Ok(raw);
    }
    match raw {
        Cow::Borrowed(b) => {
            quick_xml::escape::unescape(b).map_err(|e| (Cow::Borrowed(b), e.to_string()))
        }
        Cow::Owned(o) => match quick_xml::escape::unescape(&o) {
            Ok(u) => Ok(Cow::Owned(u.into_owned())),
            Err(e) => Err((Cow::Owned(o.clone()), e.to_string())),
        },
    }
}

fn is_blank_str(s: &str) -> bool {
    // XML whitespace is ASCII; anything else (a no-break space) is content.
    s.bytes().all(|b| b.is_ascii_whitespace())
}

/// Append text, collapsing each run of XML whitespace to one space. Volumes are pretty-printed,
/// so raw text nodes carry newlines and deep indentation that mean no more than "a space here";
/// keeping them verbatim more than doubled the stored size of every document.
fn push_text(out: &mut Vec<Inline>, t: Cow<'_, str>) {
    let mut after_space = matches!(out.last(), Some(Inline::Text { text }) if text.ends_with(' '));
    let needs_collapse = t.bytes().enumerate().any(|(i, b)| {
        matches!(b, b'\n' | b'\r' | b'\t')
            || (b == b' ' && (t.as_bytes().get(i + 1) == Some(&b' ') || (i == 0 && after_space)))
    });
    let piece: Cow<'_, str> = if needs_collapse {
        let mut s = String::with_capacity(t.len());
        for c in t.chars() {
            if c.is_ascii_whitespace() {
                if !after_space {
                    s.push(' ');
                    after_space = true;
                }
            } else {
                s.push(c);
                after_space = false;
            }
        }
        Cow::Owned(s)
    } else {
        t
    };
    if piece.is_empty() {
        return;
    }
    if let Some(Inline::Text { text }) = out.last_mut() {
        text.push_str(&piece);
    } else {
        out.push(Inline::Text {
            text: piece.into_owned(),
        });
    }
}

fn is_blank(inlines: &[Inline]) -> bool {
    inlines.iter().all(|i| match i {
        Inline::Text { text } => is_blank_str(text),
        _ => false,
    })
}

fn flush(buf: &mut Vec<Inline>, out: &mut Vec<Block>, f: &Flow) {
    if is_blank(buf) {
        buf.clear();
        return;
    }
    out.push(Block::Paragraph {
        role: f.role,
        rend: f.rend.clone(),
        inlines: std::mem::take(buf),
        layout: None,
    });
}

/// The first non-blank character of the inlines' text, looking into wrappers.
fn first_char(inlines: &[Inline]) -> Option<char> {
    for i in inlines {
        let found = match i {
            Inline::Text { text } => text.trim_start().chars().next(),
            Inline::LineBreak | Inline::NoteRef { .. } | Inline::PageBreak { .. } => None,
            wrapper => first_char(wrapper.children()),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// "[Omitted here is …]": the whole paragraph is one bracketed editorial insertion.
fn is_bracketed(inlines: &[Inline]) -> bool {
    // Cheap test first: flattening every paragraph would cost more than the rest of the read.
    if first_char(inlines) != Some('[') {
        return false;
    }
    let t = plain_text(inlines);
    t.starts_with('[') && t.ends_with(']') && t.find(']') == Some(t.len() - 1)
}

/// Whether `flow_child` treats the element as a block (so blank text before it is dropped).
fn is_block(tag: Tag, a: &Attrs, mode: Mode) -> bool {
    match tag {
        Tag::P | Tag::List | Tag::Table | Tag::Attachment | Tag::Div => true,
        _ if mode == Mode::Para => false,
        Tag::Closer
        | Tag::Postscript
        | Tag::Opener
        | Tag::Signed
        | Tag::Salute
        | Tag::Head
        | Tag::Dateline
        | Tag::Quote
        | Tag::Pb => true,
        Tag::Note => a.rend.as_deref() == Some("inline") || a.n.is_none(),
        _ => false,
    }
}

fn rend_of(a: &Attrs) -> Option<String> {
    match (&a.rend, &a.rendition) {
        (Some(r), _) => Some(r.to_string()),
        (None, Some(r)) => Some(r.trim_start_matches('#').to_string()),
        (None, None) => None,
    }
}

/// `#p_X` → `p_X`; `frus1964-68v06#p_X` is kept whole; blank → None.
fn local_id(v: &Option<Cow<'_, str>>) -> Option<String> {
    let v = v.as_deref()?.trim();
    if v.is_empty() {
        return None;
    }
    Some(v.strip_prefix('#').unwrap_or(v).to_string())
}

fn from_to(a: &Attrs) -> Option<String> {
    match a.ty.as_deref() {
        Some(t @ ("from" | "to")) => Some(t.to_string()),
        _ => None,
    }
}

fn page_break(a: &Attrs) -> (String, Option<String>) {
    (a.n.as_deref().unwrap_or("").to_string(), owned(&a.id))
}

fn is_editorial_heading(heading: &str) -> bool {
    // heading_text is whitespace-collapsed, so `\s+` is one space here.
    let lower = heading.to_lowercase();
    lower.contains("editorial note")
        || lower.contains("editor's note")
        || lower.contains("editor\u{2019}s note")
}

/// "45. Telegram …" → "45".
fn leading_number(heading: &str) -> Option<String> {
    let digits = heading.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && heading[digits..].starts_with('.')).then(|| heading[..digits].to_string())
}

fn add_unknown(list: &mut Vec<UnknownElement>, name: &str) {
    match list.iter_mut().find(|u| u.name == name) {
        Some(u) => u.count += 1,
        None => list.push(UnknownElement {
            name: name.to_string(),
            count: 1,
        }),
    }
}

impl<'a> Parser<'a> {
    fn new(bytes: &'a [u8], base: usize, src: &'a str, path: &'a str) -> Parser<'a> {
        let mut reader = NsReader::from_reader(src.as_bytes());
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Parser {
            bytes,
            base,
            src,
            path,
            reader,
            stack: Vec::with_capacity(32),
            owe_end: false,
            root_seen: false,
            root_closed: false,
            ids: HashMap::new(),
            census: Census::default(),
            warnings: Vec::new(),
            sinks: Vec::new(),
            in_doc: false,
            matter: Matter::Body,
            chapter_path: Vec::new(),
            pending_pbs: Vec::new(),
            docs: Vec::new(),
            volume: Volume::default(),
            content_date: None,
            text_seen: false,
            generated: 0,
        }
    }

    // ----- errors, warnings -------------------------------------------------------------

    fn error(&self, kind: ReadErrorKind, pos: usize, msg: impl Into<String>) -> ReadError {
        let mut e = ReadError::new(kind, self.path, msg).at_offset(self.bytes, pos + self.base);
        if let Some(doc) = self.sinks.iter().rev().find(|s| s.is_doc) {
            e = e.in_document(doc.owner.clone());
        }
        e
    }

    fn warn(&mut self, pos: Option<usize>, msg: impl Into<String>) {
        let (line, column) = match pos {
            Some(p) => {
                let (l, c) = crate::line_col(self.bytes, p + self.base);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        let document = self
            .sinks
            .iter()
            .rev()
            .find(|s| s.is_doc)
            .map(|s| s.owner.clone());
        self.warnings.push(Warning {
            file: self.path.to_string(),
            line,
            column,
            document,
            message: msg.into(),
        });
    }

    fn line_col_text(&self, pos: usize) -> String {
        let (l, c) = crate::line_col(self.bytes, pos + self.base);
        format!("{l}:{c}")
    }

    /// The element name written at `pos` (`<name …`), for messages.
    fn name_at(&self, pos: usize) -> &'a str {
        let rest = self.src.get(pos + 1..).unwrap_or("");
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        &rest[..end]
    }

    fn generate_id(&mut self, prefix: &str) -> String {
        self.generated += 1;
        format!("_{prefix}{}", self.generated)
    }

    // ----- events -----------------------------------------------------------------------

    /// The next event that matters. Start tags come with their attributes parsed, census and
    /// id checks done; an empty-element tag is a Start followed by an End.
    fn next(&mut self) -> Result<Ev<'a>, ReadError> {
        if self.owe_end {
            self.owe_end = false;
            self.stack.pop();
            if self.stack.is_empty() {
                self.root_closed = true;
            }
            return Ok(Ev::End);
        }
        loop {
            let pos = self.reader.buffer_position() as usize;
            let event = match self.reader.read_event() {
                Ok(ev) => ev,
                Err(e) => {
                    let at = self.reader.error_position() as usize;
                    return Err(self.error(
                        ReadErrorKind::Malformed,
                        at,
                        format!("malformed XML: {e}"),
                    ));
                }
            };
            match event {
                Event::Start(s) => return self.start(pos, &s).map(Ev::Start),
                Event::Empty(s) => {
                    let st = self.start(pos, &s)?;
                    self.owe_end = true;
                    return Ok(Ev::Start(st));
                }
                Event::End(_) => {
                    self.stack.pop();
                    if self.stack.is_empty() {
                        self.root_closed = true;
                    }
                    return Ok(Ev::End);
                }
                Event::Text(t) => {
                    let raw: Cow<'a, str> = match self.borrow_src(&t) {
                        Some(s) => Cow::Borrowed(s),
                        None => Cow::Owned(String::from_utf8_lossy(&t).into_owned()),
                    };
                    let text = match unescape(raw) {
                        Ok(s) => s,
                        Err((raw, e)) => {
                            // Keep the raw text rather than lose it; an undeclared entity is
                            // local damage, not a reason to refuse the volume.
                            self.warn(Some(pos), format!("text kept unescaped: {e}"));
                            raw
                        }
                    };
                    if self.stack.is_empty() {
                        if !text.trim().is_empty() {
                            return Err(self.error(
                                ReadErrorKind::Malformed,
                                pos,
                                "text outside the root element",
                            ));
                        }
                        continue;
                    }
                    return Ok(Ev::Text(text));
                }
                Event::CData(c) => {
                    let text = String::from_utf8_lossy(&c).into_owned();
                    if self.stack.is_empty() {
                        continue;
                    }
                    return Ok(Ev::Text(Cow::Owned(text)));
                }
                Event::Eof => {
                    if let Some(&open) = self.stack.last() {
                        let name = self.name_at(open);
                        let at = self.line_col_text(open);
                        return Err(self.error(
                            ReadErrorKind::Malformed,
                            self.src.len(),
                            format!(
                                "unexpected end of file: <{name}> opened at {at} is not closed"
                            ),
                        ));
                    }
                    return Ok(Ev::Eof);
                }
                // Declarations, comments, processing instructions, DOCTYPE: nothing to keep.
                _ => continue,
            }
        }
    }

    /// The input text an event's bytes were sliced from (a slice reader never copies), so
    /// that it lives as long as the input and needs no second UTF-8 check.
    fn borrow_src(&self, part: &[u8]) -> Option<&'a str> {
        let off = (part.as_ptr() as usize).checked_sub(self.src.as_ptr() as usize)?;
        self.src.get(off..off.checked_add(part.len())?)
    }

    fn start(
        &mut self,
        pos: usize,
        s: &quick_xml::events::BytesStart<'_>,
    ) -> Result<Start<'a>, ReadError> {
        if self.root_closed {
            return Err(self.error(
                ReadErrorKind::Malformed,
                pos,
                "element after the end of the root element",
            ));
        }
        let name_len = s.name().as_ref().len();
        let (resolved, local) = self.reader.resolve_element(s.name());
        let tag = match resolved {
            ResolveResult::Bound(ns) if ns.as_ref() == TEI_NS => tei_tag(local.as_ref()),
            ResolveResult::Bound(ns) if is_frus_ns(ns.as_ref()) => {
                if local.as_ref() == b"attachment" {
                    Tag::Attachment
                } else {
                    Tag::Other
                }
            }
            // No namespace at all: read TEI element names leniently.
            ResolveResult::Unbound => tei_tag(local.as_ref()),
            _ => Tag::Other,
        };
        // The tag's text, borrowed from the input so attribute values live as long as it does.
        let content = match self.borrow_src(s) {
            Some(c) => c,
            None => {
                return Err(self.error(
                    ReadErrorKind::Malformed,
                    pos,
                    "could not locate a start tag in the input",
                ))
            }
        };
        let name = content.get(..name_len).unwrap_or(content);
        let attrs = if content.len() > name_len {
            Some(Box::new(self.attrs(content, name_len, pos, name)?))
        } else {
            None
        };
        let a = attrs.as_deref().unwrap_or(&NO_ATTRS);

        self.stack.push(pos);
        if self.stack.len() > MAX_DEPTH {
            return Err(self.error(
                ReadErrorKind::Malformed,
                pos,
                format!("elements nested more than {MAX_DEPTH} deep"),
            ));
        }
        if let Some(id) = &a.id {
            if let Some(&first) = self.ids.get(id) {
                let at = self.line_col_text(first);
                return Err(self.error(
                    ReadErrorKind::DuplicateId,
                    pos,
                    format!("duplicate xml:id \"{id}\" (first used at {at})"),
                ));
            }
            self.ids.insert(id.clone(), pos);
        }
        let outside = !self.in_doc;
        match tag {
            Tag::Note => {
                self.census.notes += 1;
                self.census.notes_outside_documents += u64::from(outside);
            }
            Tag::Pb => {
                self.census.page_breaks += 1;
                self.census.page_breaks_outside_documents += u64::from(outside);
            }
            Tag::PersName => {
                self.census.pers_names += 1;
                self.census.pers_names_outside_documents += u64::from(outside);
            }
            Tag::Ref => {
                self.census.refs += 1;
                self.census.refs_outside_documents += u64::from(outside);
            }
            Tag::Div if a.ty.as_deref() == Some("document") => self.census.document_divs += 1,
            _ => {}
        }
        Ok(Start {
            tag,
            name,
            pos,
            attrs,
        })
    }

    fn attrs(
        &self,
        content: &'a str,
        name_len: usize,
        pos: usize,
        name: &str,
    ) -> Result<Attrs<'a>, ReadError> {
        let mut a = Attrs::default();
        if content.len() == name_len {
            return Ok(a);
        }
        for attr in Attributes::new(content, name_len) {
            let attr = attr.map_err(|e| {
                self.error(
                    ReadErrorKind::Malformed,
                    pos,
                    format!("malformed attribute in <{name}>: {e}"),
                )
            })?;
            let key: QName<'a> = attr.key;
            let value = || {
                let raw = match &attr.value {
                    Cow::Borrowed(b) => self.borrow_src(b).map(Cow::Borrowed),
                    Cow::Owned(_) => None,
                };
                let raw =
                    raw.unwrap_or_else(|| Cow::Owned(String::from_utf8_lossy(&attr.value).into()));
                unescape(raw).map_err(|(_, e)| {
                    self.error(
                        ReadErrorKind::Malformed,
                        pos,
                        format!("bad attribute value in <{name}>: {e}"),
                    )
                })
            };
            let slot = match key.as_ref() {
                b"xml:id" => &mut a.id,
                b"n" => &mut a.n,
                b"type" => &mut a.ty,
                b"subtype" => &mut a.subtype,
                b"rend" => &mut a.rend,
                b"rendition" => &mut a.rendition,
                b"corresp" => &mut a.corresp,
                b"target" => &mut a.target,
                b"ref" => &mut a.reference,
                b"when" => &mut a.when,
                b"from" => &mut a.from,
                b"to" => &mut a.to,
                b"notBefore" => &mut a.not_before,
                b"notAfter" => &mut a.not_after,
                b"role" => &mut a.role,
                k if k.ends_with(b":doc-dateTime-min") || k.ends_with(b":doc-dateTime-max") => {
                    // Any prefix may be bound to the frus namespace.
                    let (ns, local) = self.reader.resolve_attribute(key);
                    match ns {
                        ResolveResult::Bound(ns) if is_frus_ns(ns.as_ref()) => {
                            if local.as_ref() == b"doc-dateTime-min" {
                                &mut a.dt_min
                            } else {
                                &mut a.dt_max
                            }
                        }
                        _ => continue,
                    }
                }
                _ => continue,
            };
            *slot = Some(value()?);
        }
        Ok(a)
    }

    /// Consume the rest of an element whose content is not read (census still counts it).
    fn skip(&mut self) -> Result<(), ReadError> {
        let mut depth = 1usize;
        loop {
            match self.next()? {
                Ev::Start(_) => depth += 1,
                Ev::End => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Ev::Text(_) => {}
                Ev::Eof => return Ok(()),
            }
        }
    }

    /// All text inside the current element, whitespace collapsed (header fields).
    fn text_content(&mut self) -> Result<String, ReadError> {
        let mut out = String::new();
        let mut depth = 1usize;
        loop {
            match self.next()? {
                Ev::Start(st) => {
                    if st.tag == Tag::Lb {
                        out.push(' ');
                    }
                    depth += 1;
                }
                Ev::End => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Ev::Text(t) => out.push_str(&t),
                Ev::Eof => break,
            }
        }
        Ok(chancery_model::collapse_ws(&out))
    }

    // ----- volume structure -------------------------------------------------------------

    fn run(&mut self) -> Result<(), ReadError> {
        loop {
            match self.next()? {
                Ev::Eof => break,
                Ev::Text(_) | Ev::End => {}
                Ev::Start(st) => {
                    if self.root_seen {
                        // The root's End closes everything; a second root is caught in start().
                        self.skip()?;
                        continue;
                    }
                    self.root_seen = true;
                    if st.tag != Tag::Tei {
                        return Err(self.error(
                            ReadErrorKind::UnknownLayout,
                            st.pos,
                            format!("the root element is <{}>, not a TEI <TEI>", st.name),
                        ));
                    }
                    if let Some(id) = non_empty(&st.a().id) {
                        self.volume.id = id;
                    }
                    self.tei_root()?;
                }
            }
        }
        if !self.root_seen {
            return Err(self.error(ReadErrorKind::Malformed, self.src.len(), "no root element"));
        }
        if !self.text_seen {
            return Err(self.error(
                ReadErrorKind::UnknownLayout,
                self.src.len(),
                "the TEI file has no <text> element",
            ));
        }
        Ok(())
    }

    fn tei_root(&mut self) -> Result<(), ReadError> {
        loop {
            match self.next()? {
                Ev::End | Ev::Eof => return Ok(()),
                Ev::Text(_) => {}
                Ev::Start(st) => match st.tag {
                    Tag::TeiHeader => self.header()?,
                    Tag::Text if !self.text_seen => {
                        self.text_seen = true;
                        self.text()?;
                    }
                    // facsimile, standOff, a second text: nothing the model holds.
                    _ => self.skip()?,
                },
            }
        }
    }

    fn header(&mut self) -> Result<(), ReadError> {
        let mut stack: Vec<Tag> = Vec::new();
        loop {
            match self.next()? {
                Ev::Eof => return Ok(()),
                Ev::End => {
                    if stack.pop().is_none() {
                        return Ok(());
                    }
                }
                Ev::Text(_) => {}
                Ev::Start(st) => {
                    let parent = stack.last().copied();
                    let ty = st.a().ty.as_deref().map(str::trim);
                    match (parent, st.tag) {
                        (Some(Tag::TitleStmt), Tag::Title) => {
                            let text = self.text_content()?;
                            let titles = &mut self.volume.titles;
                            let slot = match ty {
                                Some("complete") => &mut titles.complete,
                                Some("series") => &mut titles.series,
                                Some("sub-series" | "subseries") => &mut titles.sub_series,
                                Some("volume-number" | "volumenumber") => &mut titles.volume_number,
                                Some("volume") => &mut titles.volume,
                                _ => continue,
                            };
                            if slot.is_none() && !text.is_empty() {
                                *slot = Some(text);
                            }
                        }
                        (Some(Tag::TitleStmt), Tag::Editor) => {
                            let role = non_empty(&st.a().role);
                            let name = self.text_content()?;
                            if !name.is_empty() {
                                self.volume.editors.push(Editor { name, role });
                            }
                        }
                        (Some(Tag::PublicationStmt), Tag::Publisher) => {
                            let t = self.text_content()?;
                            if self.volume.publisher.is_none() && !t.is_empty() {
                                self.volume.publisher = Some(t);
                            }
                        }
                        (Some(Tag::PublicationStmt), Tag::PubPlace) => {
                            let t = self.text_content()?;
                            if self.volume.pub_place.is_none() && !t.is_empty() {
                                self.volume.pub_place = Some(t);
                            }
                        }
                        (Some(Tag::PublicationStmt), Tag::Idno) => {
                            let kind = ty.unwrap_or("").to_string();
                            let value = self.text_content()?;
                            if !value.is_empty() {
                                self.volume.idnos.push(Idno { kind, value });
                            }
                        }
                        (_, Tag::Date) if ty == Some("content-date") => {
                            let lo = st.a().not_before.as_deref().or(st.a().from.as_deref());
                            let hi = st.a().not_after.as_deref().or(st.a().to.as_deref());
                            if let (Some(lo), Some(hi)) = (lo, hi) {
                                self.content_date = dates::from_bounds(lo, hi);
                                if self.content_date.is_none() {
                                    self.warn(Some(st.pos), "unreadable content-date bounds");
                                }
                            }
                            self.skip()?;
                        }
                        (Some(Tag::PublicationStmt), Tag::Date)
                            if ty.is_none() || ty == Some("publication-date") =>
                        {
                            let t = self.text_content()?;
                            if self.volume.publication_year.is_none() && !t.is_empty() {
                                self.volume.publication_year = Some(t);
                            }
                        }
                        _ => stack.push(st.tag),
                    }
                }
            }
        }
    }

    fn text(&mut self) -> Result<(), ReadError> {
        loop {
            match self.next()? {
                Ev::End | Ev::Eof => return Ok(()),
                Ev::Text(_) => {}
                Ev::Start(st) => match st.tag {
                    Tag::Front => self.matter(Matter::Front)?,
                    Tag::Body => self.matter(Matter::Body)?,
                    Tag::Back => self.matter(Matter::Back)?,
                    Tag::Pb => {
                        self.pending_pbs.push(pb_block(st.a()));
                        self.skip()?;
                    }
                    _ => {
                        self.warn(
                            Some(st.pos),
                            format!("<{}> directly in <text> is not read", st.name),
                        );
                        self.skip()?;
                    }
                },
            }
        }
    }

    fn matter(&mut self, m: Matter) -> Result<(), ReadError> {
        self.matter = m;
        loop {
            match self.next()? {
                Ev::End | Ev::Eof => return Ok(()),
                Ev::Text(t) => {
                    if !is_blank_str(&t) {
                        let pos = self.reader.buffer_position() as usize;
                        self.warn(Some(pos), "text outside any division is not read");
                    }
                }
                Ev::Start(st) => match st.tag {
                    Tag::Div => {
                        if let DivOut::Division(d) = self.div(st)? {
                            self.volume.toc.push(d);
                        }
                    }
                    Tag::Pb => {
                        self.pending_pbs.push(pb_block(st.a()));
                        self.skip()?;
                    }
                    Tag::TitlePage => {
                        // The title page is no document: its page breaks stay counted outside.
                        self.pending_pbs.clear();
                        self.skip()?;
                    }
                    _ => {
                        self.pending_pbs.clear();
                        self.warn(
                            Some(st.pos),
                            format!("<{}> outside any division is not read", st.name),
                        );
                        self.skip()?;
                    }
                },
            }
        }
    }

    /// A div read as a whole: a document, or a division of the volume.
    fn div(&mut self, st: Start<'a>) -> Result<DivOut, ReadError> {
        let a = st.a();
        if is_document_div(a.ty.as_deref(), a.subtype.as_deref(), self.in_doc) {
            self.document(st).map(DivOut::Document)
        } else {
            self.division(st).map(DivOut::Division)
        }
    }

    fn division(&mut self, st: Start<'a>) -> Result<Division, ReadError> {
        let id = match non_empty(&st.a().id) {
            Some(id) => id,
            None => {
                self.warn(Some(st.pos), "division without xml:id");
                self.generate_id("div")
            }
        };
        let mut div = Division {
            id: id.clone(),
            kind: owned(&st.a().ty).unwrap_or_default(),
            subtype: owned(&st.a().subtype),
            ..Division::default()
        };
        self.sinks.push(Sink::new(id.clone(), false));
        self.in_doc = false;
        self.chapter_path.push(ChapterRef {
            id,
            heading: String::new(),
        });
        let mut heading_done = false;
        let flow = Flow::container(ParagraphRole::Paragraph);
        let result = loop {
            let ev = match self.next() {
                Ok(ev) => ev,
                Err(e) => break Err(e),
            };
            let step = match ev {
                Ev::End | Ev::Eof => break Ok(()),
                Ev::Text(t) => {
                    if !is_blank_str(&t) {
                        div.body.append(&mut self.pending_pbs);
                        let mut buf = vec![Inline::Text {
                            text: t.into_owned(),
                        }];
                        flush(&mut buf, &mut div.body, &flow);
                    }
                    Ok(())
                }
                Ev::Start(st) => match st.tag {
                    Tag::Head if !heading_done => {
                        heading_done = true;
                        self.inline_children().map(|inl| {
                            div.heading = plain_text(&inl);
                            if let Some(c) = self.chapter_path.last_mut() {
                                c.heading = div.heading.clone();
                            }
                        })
                    }
                    Tag::Div => self.div(st).map(|out| match out {
                        DivOut::Document(id) => div.documents.push(id),
                        DivOut::Division(d) => div.children.push(d),
                    }),
                    Tag::Pb => {
                        self.pending_pbs.push(pb_block(st.a()));
                        self.skip()
                    }
                    _ => {
                        div.body.append(&mut self.pending_pbs);
                        let mut buf = Vec::new();
                        let r = self.flow_child(st, &mut buf, &mut div.body, &flow);
                        flush(&mut buf, &mut div.body, &flow);
                        r
                    }
                },
            };
            if let Err(e) = step {
                break Err(e);
            }
        };
        self.chapter_path.pop();
        if let Some(sink) = self.sinks.pop() {
            div.footnotes = sink.footnotes;
        }
        self.in_doc = self.sinks.last().is_some_and(|s| s.is_doc);
        result.map(|()| div)
    }

    fn document(&mut self, mut st: Start<'a>) -> Result<String, ReadError> {
        let a = st.attrs.take().map(|b| *b).unwrap_or_default();
        let id = match non_empty(&a.id) {
            Some(id) => id,
            None => {
                let id = self.generate_id("doc");
                self.warn(Some(st.pos), format!("document without xml:id, named {id}"));
                id
            }
        };
        let slot = self.docs.len();
        self.docs.push(Document::default());
        self.sinks.push(Sink::new(id.clone(), true));
        self.in_doc = true;

        let mut body: Vec<Block> = Vec::new();
        if !self.pending_pbs.is_empty() {
            // Page breaks read between divisions: this document starts on that page.
            self.census.page_breaks_outside_documents = self
                .census
                .page_breaks_outside_documents
                .saturating_sub(self.pending_pbs.len() as u64);
            body.append(&mut self.pending_pbs);
        }
        let flow = Flow {
            mode: Mode::Container,
            role: ParagraphRole::Paragraph,
            rend: None,
            capture_head: true,
        };
        let heading = self.flow(&mut body, &flow);
        let sink = match self.sinks.pop() {
            Some(s) => s,
            None => Sink::new(id.clone(), true),
        };
        self.in_doc = self.sinks.last().is_some_and(|s| s.is_doc);
        let heading = heading?;

        let heading = match heading {
            Some(h) => h,
            None => {
                self.warn(Some(st.pos), format!("document {id} has no head"));
                Vec::new()
            }
        };
        let heading_text = plain_text(&heading);
        let mut from = Vec::new();
        let mut to = Vec::new();
        walk_inlines(&heading, &mut |inline| {
            let (role, children) = match inline {
                Inline::Person {
                    role: Some(r),
                    children,
                    ..
                }
                | Inline::Term {
                    role: Some(r),
                    children,
                    ..
                } => (r, children),
                _ => return,
            };
            let name = plain_text(children);
            match role.as_str() {
                "from" => from.push(name),
                "to" => to.push(name),
                _ => {}
            }
        });

        let ty = a.ty.as_deref().unwrap_or("");
        let editorial =
            a.subtype.as_deref() == Some("editorial-note") || is_editorial_heading(&heading_text);
        let by_content = if editorial {
            DocumentKind::EditorialNote
        } else {
            DocumentKind::HistoricalDocument
        };
        let kind = match (ty, self.matter) {
            ("section" | "toc", Matter::Front) => DocumentKind::FrontMatter,
            ("section" | "toc", Matter::Back) => DocumentKind::BackMatter,
            _ => by_content,
        };
        let number = non_empty(&a.n).or_else(|| match kind {
            DocumentKind::HistoricalDocument | DocumentKind::EditorialNote => {
                leading_number(&heading_text)
            }
            _ => None,
        });

        let date = self.document_date(&a, sink.date, st.pos);
        let place = sink.place;
        let doc = Document {
            volume_id: String::new(),
            id: id.clone(),
            number,
            kind,
            subtype: non_empty(&a.subtype),
            heading,
            heading_text,
            from,
            to,
            place,
            date,
            chapter_path: self.chapter_path.clone(),
            body,
            footnotes: sink.footnotes,
            text_layout: None,
            unknown_elements: sink.unknown,
        };
        if let Some(d) = self.docs.get_mut(slot) {
            *d = doc;
        }
        Ok(id)
    }

    fn document_date(
        &mut self,
        a: &Attrs,
        dateline: Option<DatelineDate>,
        div_pos: usize,
    ) -> Option<DocumentDate> {
        let from_div = match (a.dt_min.as_deref(), a.dt_max.as_deref()) {
            (Some(lo), Some(hi)) => {
                let i = dates::from_bounds(lo, hi);
                if i.is_none() {
                    self.warn(Some(div_pos), "unreadable frus:doc-dateTime-min/max");
                }
                i
            }
            (Some(v), None) | (None, Some(v)) => dates::from_when(v),
            (None, None) => None,
        };
        let Some(dl) = dateline else {
            return from_div.map(|i| DocumentDate {
                text: String::new(),
                when: None,
                interval: Some(i),
            });
        };
        let when = dl
            .when
            .clone()
            .or_else(|| dl.from.clone())
            .or_else(|| dl.not_before.clone())
            .or_else(|| dl.to.clone())
            .or_else(|| dl.not_after.clone());
        let interval = match from_div {
            Some(i) => Some(i),
            None => {
                let derived = if let Some(w) = &dl.when {
                    Some(dates::from_when(w))
                } else if let (Some(f), t) = (&dl.from, &dl.to) {
                    Some(dates::from_bounds(f, t.as_deref().unwrap_or(f.as_str())))
                } else if let (Some(f), t) = (&dl.not_before, &dl.not_after) {
                    Some(dates::from_bounds(f, t.as_deref().unwrap_or(f.as_str())))
                } else {
                    dl.to
                        .as_deref()
                        .or(dl.not_after.as_deref())
                        .map(dates::from_when)
                };
                match derived {
                    Some(None) => {
                        let shown = when.as_deref().unwrap_or("");
                        self.warn(Some(dl.pos), format!("unreadable date value \"{shown}\""));
                        None
                    }
                    Some(i) => i,
                    None => None,
                }
            }
        };
        Some(DocumentDate {
            text: dl.text,
            when,
            interval,
        })
    }

    // ----- blocks -----------------------------------------------------------------------

    /// Read the current element's children as blocks into `out`; returns the captured head.
    fn flow(&mut self, out: &mut Vec<Block>, f: &Flow) -> Result<Option<Vec<Inline>>, ReadError> {
        let mut buf: Vec<Inline> = Vec::new();
        let mut head = None;
        // Blank text seen while the run is empty: most of it is indentation between blocks, so
        // it is only copied if inline content follows.
        let mut blank: Option<Cow<'a, str>> = None;
        loop {
            match self.next()? {
                Ev::End | Ev::Eof => break,
                Ev::Text(t) => {
                    if buf.is_empty() && is_blank_str(&t) {
                        blank = Some(match blank.take() {
                            None => t,
                            Some(prev) => Cow::Owned(format!("{prev}{t}")),
                        });
                    } else {
                        if let Some(b) = blank.take() {
                            push_text(&mut buf, b);
                        }
                        push_text(&mut buf, t);
                    }
                }
                Ev::Start(st) => {
                    if f.capture_head && head.is_none() && st.tag == Tag::Head {
                        blank = None;
                        head = Some(self.inline_children()?);
                        continue;
                    }
                    if let Some(b) = blank.take() {
                        if !is_block(st.tag, st.a(), f.mode) {
                            push_text(&mut buf, b);
                        }
                    }
                    self.flow_child(st, &mut buf, out, f)?;
                }
            }
        }
        if let Some(b) = blank {
            // Keep a paragraph's own whitespace when it is not otherwise empty.
            if !buf.is_empty() {
                push_text(&mut buf, b);
            }
        }
        flush(&mut buf, out, f);
        Ok(head)
    }

    /// One child element of mixed content: a block (after flushing the inline run) or an inline.
    fn flow_child(
        &mut self,
        st: Start<'a>,
        buf: &mut Vec<Inline>,
        out: &mut Vec<Block>,
        f: &Flow,
    ) -> Result<(), ReadError> {
        match st.tag {
            Tag::P => {
                flush(buf, out, f);
                self.paragraph(&st, out)
            }
            Tag::List => {
                flush(buf, out, f);
                self.list(&st, out)
            }
            Tag::Table => {
                flush(buf, out, f);
                self.table(out)
            }
            Tag::Attachment => {
                flush(buf, out, f);
                self.attachment(out)
            }
            Tag::Div => {
                flush(buf, out, f);
                let a = st.a();
                if self.in_doc && !is_document_div(a.ty.as_deref(), a.subtype.as_deref(), true) {
                    // A sub-division of a document: read into the document's body.
                    self.flow(out, &Flow::container(ParagraphRole::Paragraph))
                        .map(|_| ())
                } else {
                    match self.div(st)? {
                        DivOut::Document(_) => {}
                        DivOut::Division(d) => self.volume.toc.push(d),
                    }
                    Ok(())
                }
            }
            _ if f.mode == Mode::Para => self.inline_el(st, buf),
            Tag::Closer => {
                flush(buf, out, f);
                self.group(ParagraphRole::Closer, out)
            }
            Tag::Postscript => {
                flush(buf, out, f);
                self.group(ParagraphRole::Postscript, out)
            }
            Tag::Opener => {
                flush(buf, out, f);
                self.group(ParagraphRole::Opener, out)
            }
            Tag::Signed => {
                flush(buf, out, f);
                self.para_like(&st, ParagraphRole::Signed, out)
            }
            Tag::Salute => {
                flush(buf, out, f);
                self.para_like(&st, ParagraphRole::Salute, out)
            }
            Tag::Head => {
                flush(buf, out, f);
                self.para_like(&st, ParagraphRole::Heading, out)
            }
            Tag::Dateline => {
                flush(buf, out, f);
                let track = self.begin_dateline();
                let r = self.para_like(&st, ParagraphRole::Dateline, out);
                self.end_dateline(track);
                r
            }
            Tag::Quote => {
                flush(buf, out, f);
                self.quote(out)
            }
            Tag::Note
                if is_blank(buf)
                    && (st.a().rend.as_deref() == Some("inline") || st.a().n.is_none()) =>
            {
                flush(buf, out, f);
                let is_source = st.a().ty.as_deref() == Some("source");
                let (id, mark) = self.note(&st)?;
                out.push(Block::Paragraph {
                    role: if is_source {
                        ParagraphRole::SourceLine
                    } else {
                        ParagraphRole::EditorialInsertion
                    },
                    rend: owned(&st.a().rend),
                    inlines: vec![Inline::NoteRef { id, mark }],
                    layout: None,
                });
                Ok(())
            }
            Tag::Pb if is_blank(buf) => {
                flush(buf, out, f);
                out.push(pb_block(st.a()));
                self.skip()
            }
            _ => self.inline_el(st, buf),
        }
    }

    fn paragraph(&mut self, st: &Start<'a>, out: &mut Vec<Block>) -> Result<(), ReadError> {
        let first = out.len();
        self.flow(
            out,
            &Flow {
                mode: Mode::Para,
                role: ParagraphRole::Paragraph,
                rend: rend_of(st.a()),
                capture_head: false,
            },
        )?;
        if out.len() == first + 1 {
            if let Some(Block::Paragraph { role, inlines, .. }) = out.last_mut() {
                if *role == ParagraphRole::Paragraph && is_bracketed(inlines) {
                    *role = ParagraphRole::EditorialInsertion;
                }
            }
        }
        Ok(())
    }

    fn para_like(
        &mut self,
        st: &Start<'a>,
        role: ParagraphRole,
        out: &mut Vec<Block>,
    ) -> Result<(), ReadError> {
        self.flow(
            out,
            &Flow {
                mode: Mode::Para,
                role,
                rend: rend_of(st.a()),
                capture_head: false,
            },
        )
        .map(|_| ())
    }

    fn group(&mut self, role: ParagraphRole, out: &mut Vec<Block>) -> Result<(), ReadError> {
        let mut blocks = Vec::new();
        self.flow(&mut blocks, &Flow::container(role))?;
        out.push(Block::Group { role, blocks });
        Ok(())
    }

    fn quote(&mut self, out: &mut Vec<Block>) -> Result<(), ReadError> {
        let mut blocks = Vec::new();
        self.flow(&mut blocks, &Flow::container(ParagraphRole::Quote))?;
        if blocks.len() == 1 {
            if let Some(Block::Paragraph { role, .. }) = blocks.first_mut() {
                *role = ParagraphRole::Quote;
                out.append(&mut blocks);
                return Ok(());
            }
        }
        if !blocks.is_empty() {
            out.push(Block::Group {
                role: ParagraphRole::Quote,
                blocks,
            });
        }
        Ok(())
    }

    fn attachment(&mut self, out: &mut Vec<Block>) -> Result<(), ReadError> {
        if let Some(s) = self.sinks.last_mut() {
            s.attachment_depth += 1;
        }
        let mut blocks = Vec::new();
        let head = self.flow(
            &mut blocks,
            &Flow {
                mode: Mode::Container,
                role: ParagraphRole::Paragraph,
                rend: None,
                capture_head: true,
            },
        );
        if let Some(s) = self.sinks.last_mut() {
            s.attachment_depth = s.attachment_depth.saturating_sub(1);
        }
        out.push(Block::Attachment {
            head: head?,
            blocks,
        });
        Ok(())
    }

    fn list(&mut self, st: &Start<'a>, out: &mut Vec<Block>) -> Result<(), ReadError> {
        let kind = non_empty(&st.a().ty);
        let mut head: Option<Vec<Inline>> = None;
        let mut items: Vec<ListItem> = Vec::new();
        let mut label: Option<String> = None;
        let mut pbs: Vec<Block> = Vec::new();
        let item_flow = Flow::container(ParagraphRole::Paragraph);
        loop {
            match self.next()? {
                Ev::End | Ev::Eof => break,
                Ev::Text(t) => {
                    if !is_blank_str(&t) {
                        let mut blocks = std::mem::take(&mut pbs);
                        let mut buf = vec![Inline::Text {
                            text: t.into_owned(),
                        }];
                        flush(&mut buf, &mut blocks, &item_flow);
                        items.push(ListItem {
                            label: label.take(),
                            blocks,
                        });
                    }
                }
                Ev::Start(st) => match st.tag {
                    Tag::Head if head.is_none() && items.is_empty() => {
                        head = Some(self.inline_children()?);
                    }
                    Tag::Label => {
                        let text = plain_text(&self.inline_children()?);
                        label = Some(match label.take() {
                            Some(prev) => format!("{prev} {text}"),
                            None => text,
                        });
                    }
                    Tag::Item => {
                        // A page break between items opens the next item.
                        let mut blocks = std::mem::take(&mut pbs);
                        self.flow(&mut blocks, &item_flow)?;
                        items.push(ListItem {
                            label: label.take(),
                            blocks,
                        });
                    }
                    Tag::Pb => {
                        pbs.push(pb_block(st.a()));
                        self.skip()?;
                    }
                    _ => {
                        let mut blocks = std::mem::take(&mut pbs);
                        let mut buf = Vec::new();
                        self.flow_child(st, &mut buf, &mut blocks, &item_flow)?;
                        flush(&mut buf, &mut blocks, &item_flow);
                        items.push(ListItem {
                            label: label.take(),
                            blocks,
                        });
                    }
                },
            }
        }
        if let Some(l) = label {
            items.push(ListItem {
                label: Some(l),
                blocks: Vec::new(),
            });
        }
        out.push(Block::List {
            kind,
            head,
            items,
            layout: None,
        });
        // Page breaks after the last item follow the list.
        out.append(&mut pbs);
        Ok(())
    }

    fn table(&mut self, out: &mut Vec<Block>) -> Result<(), ReadError> {
        let mut rows: Vec<TableRow> = Vec::new();
        let mut before: Vec<Block> = Vec::new();
        let mut pbs: Vec<(String, Option<String>)> = Vec::new();
        loop {
            match self.next()? {
                Ev::End | Ev::Eof => break,
                Ev::Text(t) => {
                    if !is_blank_str(&t) {
                        let inlines = vec![Inline::Text {
                            text: t.into_owned(),
                        }];
                        rows.push(take_row(
                            &mut pbs,
                            vec![TableCell {
                                role: None,
                                inlines,
                            }],
                        ));
                    }
                }
                Ev::Start(st) => match st.tag {
                    Tag::Row => {
                        let cells = self.row()?;
                        rows.push(take_row(&mut pbs, cells));
                    }
                    Tag::Pb => {
                        pbs.push(page_break(st.a()));
                        self.skip()?;
                    }
                    Tag::Head => {
                        self.para_like(&st, ParagraphRole::Heading, &mut before)?;
                    }
                    _ => {
                        let mut inlines = Vec::new();
                        self.inline_el(st, &mut inlines)?;
                        rows.push(take_row(
                            &mut pbs,
                            vec![TableCell {
                                role: None,
                                inlines,
                            }],
                        ));
                    }
                },
            }
        }
        out.append(&mut before);
        out.push(Block::Table { rows, layout: None });
        // Page breaks after the last row follow the table.
        for (n, id) in pbs {
            out.push(Block::PageBreak {
                n,
                id,
                layout: None,
            });
        }
        Ok(())
    }

    fn row(&mut self) -> Result<Vec<TableCell>, ReadError> {
        let mut cells: Vec<TableCell> = Vec::new();
        let mut pending: Vec<Inline> = Vec::new();
        loop {
            match self.next()? {
                Ev::End | Ev::Eof => break,
                Ev::Text(t) => {
                    if !is_blank_str(&t) {
                        let mut inlines = std::mem::take(&mut pending);
                        push_text(&mut inlines, t);
                        cells.push(TableCell {
                            role: None,
                            inlines,
                        });
                    }
                }
                Ev::Start(st) => match st.tag {
                    Tag::Cell => {
                        let mut inlines = std::mem::take(&mut pending);
                        inlines.extend(self.inline_children()?);
                        cells.push(TableCell {
                            role: non_empty(&st.a().role),
                            inlines,
                        });
                    }
                    Tag::Pb => {
                        let (n, id) = page_break(st.a());
                        pending.push(Inline::PageBreak { n, id });
                        self.skip()?;
                    }
                    _ => {
                        let mut inlines = std::mem::take(&mut pending);
                        self.inline_el(st, &mut inlines)?;
                        cells.push(TableCell {
                            role: None,
                            inlines,
                        });
                    }
                },
            }
        }
        if !pending.is_empty() {
            match cells.last_mut() {
                Some(c) => c.inlines.append(&mut pending),
                None => cells.push(TableCell {
                    role: None,
                    inlines: pending,
                }),
            }
        }
        Ok(cells)
    }

    // ----- inlines ----------------------------------------------------------------------

    fn inline_children(&mut self) -> Result<Vec<Inline>, ReadError> {
        let mut out = Vec::new();
        loop {
            match self.next()? {
                Ev::End | Ev::Eof => return Ok(out),
                Ev::Text(t) => push_text(&mut out, t),
                Ev::Start(st) => self.inline_el(st, &mut out)?,
            }
        }
    }

    fn inline_el(&mut self, st: Start<'a>, out: &mut Vec<Inline>) -> Result<(), ReadError> {
        let inline = match st.tag {
            Tag::Hi => Inline::Hi {
                rend: rend_of(st.a()).unwrap_or_default(),
                children: self.inline_children()?,
            },
            Tag::PersName => Inline::Person {
                person_id: local_id(&st.a().corresp).or_else(|| local_id(&st.a().id)),
                role: from_to(st.a()),
                children: self.inline_children()?,
            },
            Tag::Gloss => Inline::Term {
                term_id: local_id(&st.a().target).or_else(|| local_id(&st.a().reference)),
                role: from_to(st.a()),
                children: self.inline_children()?,
            },
            Tag::Term => Inline::Term {
                term_id: local_id(&st.a().target)
                    .or_else(|| local_id(&st.a().reference))
                    .or_else(|| local_id(&st.a().corresp))
                    .or_else(|| local_id(&st.a().id)),
                role: from_to(st.a()),
                children: self.inline_children()?,
            },
            Tag::PlaceName => {
                let children = self.inline_children()?;
                if let Some(s) = self.sinks.last_mut() {
                    if s.dateline_active && s.place.is_none() {
                        let p = plain_text(&children);
                        let p = p.trim_end_matches([',', ' ']);
                        s.place = Some(p.to_string());
                    }
                }
                Inline::Place { children }
            }
            Tag::Date => {
                let children = self.inline_children()?;
                let a = st.a();
                if let Some(s) = self.sinks.last_mut() {
                    if s.dateline_active && s.date.is_none() {
                        s.date = Some(DatelineDate {
                            text: plain_text(&children),
                            when: non_empty(&a.when),
                            from: non_empty(&a.from),
                            to: non_empty(&a.to),
                            not_before: non_empty(&a.not_before),
                            not_after: non_empty(&a.not_after),
                            pos: st.pos,
                        });
                    }
                }
                Inline::Date {
                    when: non_empty(&a.when)
                        .or_else(|| non_empty(&a.from))
                        .or_else(|| non_empty(&a.not_before))
                        .or_else(|| non_empty(&a.to))
                        .or_else(|| non_empty(&a.not_after)),
                    children,
                }
            }
            Tag::Time => Inline::Date {
                when: non_empty(&st.a().when).or_else(|| non_empty(&st.a().from)),
                children: self.inline_children()?,
            },
            Tag::Ref => Inline::Ref {
                target: match st.a().target.as_deref().map(str::trim) {
                    Some(t) if !t.is_empty() => Reference::parse(t),
                    _ => Reference::default(),
                },
                children: self.inline_children()?,
            },
            Tag::Lb => {
                self.skip()?;
                Inline::LineBreak
            }
            Tag::Pb => {
                let (n, id) = page_break(st.a());
                self.skip()?;
                Inline::PageBreak { n, id }
            }
            Tag::Note => {
                let (id, mark) = self.note(&st)?;
                Inline::NoteRef { id, mark }
            }
            Tag::Dateline => {
                let track = self.begin_dateline();
                let children = self.inline_children();
                self.end_dateline(track);
                out.extend(children?);
                return Ok(());
            }
            // Wrappers with no inline meaning of their own, and block elements met inside
            // inline content: keep their content in place.
            Tag::Seg
            | Tag::Quote
            | Tag::Label
            | Tag::P
            | Tag::List
            | Tag::Item
            | Tag::Table
            | Tag::Row
            | Tag::Cell
            | Tag::Head
            | Tag::Closer
            | Tag::Signed
            | Tag::Postscript
            | Tag::Opener
            | Tag::Salute
            | Tag::Attachment
            | Tag::Div => {
                let children = self.inline_children()?;
                out.extend(children);
                return Ok(());
            }
            _ => {
                self.census.unknown_elements += 1;
                if let Some(s) = self.sinks.last_mut() {
                    add_unknown(&mut s.unknown, st.name);
                }
                Inline::Unknown {
                    name: st.name.to_string(),
                    children: self.inline_children()?,
                }
            }
        };
        out.push(inline);
        Ok(())
    }

    fn begin_dateline(&mut self) -> bool {
        match self.sinks.last_mut() {
            Some(s)
                if s.is_doc
                    && !s.dateline_done
                    && !s.dateline_active
                    && s.note_depth == 0
                    && s.attachment_depth == 0 =>
            {
                s.dateline_active = true;
                true
            }
            _ => false,
        }
    }

    fn end_dateline(&mut self, tracked: bool) {
        if tracked {
            if let Some(s) = self.sinks.last_mut() {
                s.dateline_active = false;
                s.dateline_done = true;
            }
        }
    }

    /// Read a note into the current sink's footnotes; returns its anchor (id, mark).
    fn note(&mut self, st: &Start<'a>) -> Result<(String, String), ReadError> {
        let mark = st.a().n.as_deref().unwrap_or("").to_string();
        let is_source = st.a().ty.as_deref() == Some("source");
        let Some(sink) = self.sinks.last_mut() else {
            // Notes are only read inside documents and divisions; elsewhere they are skipped.
            self.skip()?;
            return Ok((String::new(), mark));
        };
        let id = match non_empty(&st.a().id) {
            Some(id) => id,
            None => {
                sink.auto_notes += 1;
                format!("{}fn_auto{}", sink.owner, sink.auto_notes)
            }
        };
        let slot = sink.footnotes.len();
        sink.footnotes.push(Footnote {
            id: id.clone(),
            mark: mark.clone(),
            is_source,
            blocks: Vec::new(),
        });
        sink.note_depth += 1;
        // A dateline inside a note is not the document's dateline.
        let was_active = std::mem::replace(&mut sink.dateline_active, false);
        let mut blocks = Vec::new();
        let r = self.flow(&mut blocks, &Flow::container(ParagraphRole::Paragraph));
        if let Some(sink) = self.sinks.last_mut() {
            sink.note_depth -= 1;
            sink.dateline_active = was_active;
            if let Some(f) = sink.footnotes.get_mut(slot) {
                f.blocks = blocks;
            }
        }
        r?;
        Ok((id, mark))
    }

    // ----- finishing --------------------------------------------------------------------

    fn finish(mut self) -> ParsedVolume {
        // Page breaks after the last document end it.
        if !self.pending_pbs.is_empty() {
            if let Some(last) = self.docs.last_mut() {
                self.census.page_breaks_outside_documents = self
                    .census
                    .page_breaks_outside_documents
                    .saturating_sub(self.pending_pbs.len() as u64);
                last.body.append(&mut self.pending_pbs);
            }
        }
        let mut volume = std::mem::take(&mut self.volume);
        if volume.id.is_empty() {
            volume.id = volume
                .idnos
                .iter()
                .find(|i| i.kind == "frus")
                .map(|i| i.value.clone())
                .unwrap_or_else(|| file_stem(self.path));
        }
        for d in &mut self.docs {
            d.volume_id.clone_from(&volume.id);
        }
        volume.persons = glossary(&self.docs, "persons", |i| match i {
            Inline::Person {
                person_id: Some(id),
                children,
                ..
            } => Some((id, children)),
            _ => None,
        });
        volume.terms = glossary(&self.docs, "terms", |i| match i {
            Inline::Term {
                term_id: Some(id),
                children,
                ..
            } => Some((id, children)),
            _ => None,
        });
        volume.content_dates = self.content_date.take().or_else(|| span(&self.docs));
        volume.origin = Origin {
            path: self.path.to_string(),
            format: SourceFormat::Tei,
            sha256: crate::sha256_hex(self.bytes),
            bytes: self.bytes.len() as u64,
        };
        ParsedVolume {
            volume,
            documents: self.docs,
            warnings: self.warnings,
            census: self.census,
        }
    }
}

fn pb_block(a: &Attrs) -> Block {
    let (n, id) = page_break(a);
    Block::PageBreak {
        n,
        id,
        layout: None,
    }
}

/// A row, given the page breaks that stood before it.
fn take_row(pbs: &mut Vec<(String, Option<String>)>, mut cells: Vec<TableCell>) -> TableRow {
    let mut iter = std::mem::take(pbs).into_iter();
    let first = iter.next();
    let extra: Vec<Inline> = iter.map(|(n, id)| Inline::PageBreak { n, id }).collect();
    if !extra.is_empty() {
        match cells.first_mut() {
            Some(c) => {
                let mut inl = extra;
                inl.append(&mut c.inlines);
                c.inlines = inl;
            }
            None => cells.push(TableCell {
                role: None,
                inlines: extra,
            }),
        }
    }
    TableRow {
        cells,
        page_break_before: first.map(|(n, _)| n),
    }
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.strip_suffix(".xml").unwrap_or(name).to_string()
}

/// Entries of the persons or terms list: `item/hi[@rend='strong'][1]/(persName|term)[@xml:id]`
/// is the name, the text after that `hi` the description.
fn glossary(
    docs: &[Document],
    section: &str,
    pick: impl Fn(&Inline) -> Option<(&String, &Vec<Inline>)>,
) -> Vec<GlossaryEntry> {
    let mut out = Vec::new();
    let Some(doc) = docs.iter().find(|d| d.id == section) else {
        return out;
    };
    let mut lists: Vec<&Vec<ListItem>> = Vec::new();
    collect_lists(&doc.body, &mut lists);
    for items in lists {
        for item in items {
            let Some(Block::Paragraph { inlines, .. }) = item
                .blocks
                .iter()
                .find(|b| matches!(b, Block::Paragraph { inlines, .. } if !is_blank(inlines)))
            else {
                continue;
            };
            let Some(pos) = inlines
                .iter()
                .position(|i| matches!(i, Inline::Hi { rend, .. } if rend.contains("strong")))
            else {
                continue;
            };
            let Some(Inline::Hi { children, .. }) = inlines.get(pos) else {
                continue;
            };
            let Some((id, name)) = children.iter().find_map(&pick) else {
                continue;
            };
            let description = plain_text(&inlines[pos + 1..]);
            let description = description
                .trim_start_matches(|c: char| c == ',' || c.is_whitespace())
                .to_string();
            out.push(GlossaryEntry {
                id: id.clone(),
                name: plain_text(name),
                description,
            });
        }
    }
    out
}

fn collect_lists<'d>(blocks: &'d [Block], out: &mut Vec<&'d Vec<ListItem>>) {
    for b in blocks {
        match b {
            Block::List { items, .. } => {
                out.push(items);
                for it in items {
                    collect_lists(&it.blocks, out);
                }
            }
            Block::Group { blocks, .. } | Block::Attachment { blocks, .. } => {
                collect_lists(blocks, out)
            }
            _ => {}
        }
    }
}

/// The span of the volume's documents' dates, when the header does not give one.
fn span(docs: &[Document]) -> Option<DateInterval> {
    let mut lo: Option<(i64, &str)> = None;
    let mut hi: Option<(i64, &str)> = None;
    for d in docs {
        if !matches!(
            d.kind,
            DocumentKind::HistoricalDocument | DocumentKind::EditorialNote
        ) {
            continue;
        }
        let Some(i) = d.date.as_ref().and_then(|d| d.interval.as_ref()) else {
            continue;
        };
        if let Some(k) = dates::sort_key(&i.min) {
            if !matches!(lo, Some((l, _)) if l <= k) {
                lo = Some((k, &i.min));
            }
        }
        if let Some(k) = dates::sort_key(&i.max) {
            if !matches!(hi, Some((h, _)) if h >= k) {
                hi = Some((k, &i.max));
            }
        }
    }
    let (lo, hi) = (lo?, hi?);
    Some(DateInterval {
        min: lo.1.to_string(),
        max: hi.1.to_string(),
        precision: chancery_model::DatePrecision::Day,
    })
}
