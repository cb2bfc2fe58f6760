//! Preparing a parsed volume for the writer off the database: serialised JSON, plain text,
//! every page, mention and reference row, and references inside the volume resolved in memory.

use std::collections::{HashMap, HashSet};

use chancery_model::{
    plain_text, plain_text_blocks, visit_blocks, walk_blocks, walk_inlines, Document, Inline,
    ParsedVolume, ReferenceKind, Stop,
};

use chancery_apparatus::persons::PersonsIndex;

use super::{division_rows, ref_kind_str, DivisionRow};
use crate::StoreError;

/// Resolves a volume's references to itself against the parsed volume, in memory, by the same
/// rules as the SQL in [`super::resolve_refs`] (which stays the authority for everything else).
struct Resolver<'a> {
    documents: HashSet<&'a str>,
    footnotes: HashMap<&'a str, &'a str>,
    pages_by_id: HashMap<&'a str, &'a str>,
    /// Pages without an id, by printed number (a `#pg_N` target falls back on these).
    pages_by_n: HashMap<&'a str, &'a str>,
    divisions: HashMap<&'a str, Option<&'a str>>,
    glossary: HashSet<&'a str>,
}

impl<'a> Resolver<'a> {
    fn new(parsed: &'a ParsedVolume, divisions: &[DivisionRow<'a>]) -> Self {
        let mut r = Resolver {
            documents: HashSet::with_capacity(parsed.documents.len()),
            footnotes: HashMap::new(),
            pages_by_id: HashMap::new(),
            pages_by_n: HashMap::new(),
            divisions: HashMap::with_capacity(divisions.len()),
            glossary: HashSet::new(),
        };
        for doc in &parsed.documents {
            let id = doc.id.as_str();
            r.documents.insert(id);
            for f in &doc.footnotes {
                r.footnotes.entry(f.id.as_str()).or_insert(id);
            }
        }
        // Page breaks carry owned strings only inside the walker's callback, so collect the
        // (document, id, n) triples by position first and borrow them from the documents.
        for doc in &parsed.documents {
            let id = doc.id.as_str();
            for p in doc_page_breaks(doc) {
                match p.id {
                    Some(pid) => {
                        r.pages_by_id.entry(pid).or_insert(id);
                    }
                    None => {
                        r.pages_by_n.entry(p.n).or_insert(id);
                    }
                }
            }
        }
        for row in divisions {
            r.divisions
                .entry(row.div.id.as_str())
                .or_insert(row.first_document);
        }
        let vol = &parsed.volume;
        r.glossary
            .extend(vol.persons.iter().chain(&vol.terms).map(|e| e.id.as_str()));
        r
    }

    /// (`resolved_document`, `resolved`) for a reference into this volume.
    fn resolve(&self, kind: ReferenceKind, element: Option<&str>) -> (Option<&'a str>, i64) {
        let Some(e) = element else {
            return (None, 1); // the volume itself
        };
        let found = self
            .documents
            .get(e)
            .copied()
            .or_else(|| self.footnotes.get(e).copied())
            .or_else(|| self.pages_by_id.get(e).copied())
            .or_else(|| match kind {
                ReferenceKind::Page => e
                    .strip_prefix("pg_")
                    .and_then(|n| self.pages_by_n.get(n).copied()),
                _ => None,
            })
            .or_else(|| self.divisions.get(e).copied().flatten())
            .or_else(|| match kind {
                ReferenceKind::Footnote => e
                    .find("fn")
                    .and_then(|i| self.documents.get(&e[..i]).copied()),
                _ => None,
            });
        match found {
            Some(d) => (Some(d), 1),
            None if self.glossary.contains(e) || self.divisions.contains_key(e) => (None, 1),
            None => (None, 0),
        }
    }
}

/// A page break borrowed from a document.
struct PageRef<'a> {
    n: &'a str,
    id: Option<&'a str>,
}

/// The page breaks of a document in `pages.seq` order (heading, body, footnotes), borrowed.
fn doc_page_breaks<'a>(doc: &'a Document) -> Vec<PageRef<'a>> {
    let mut out = Vec::new();
    let mut take = |stop: Stop<'a>| match stop {
        Stop::Inline(Inline::PageBreak { n, id }) => out.push(PageRef {
            n: n.as_str(),
            id: id.as_deref(),
        }),
        Stop::PageBreak { n, id } => out.push(PageRef { n, id }),
        Stop::Inline(_) => {}
    };
    walk_inlines(&doc.heading, &mut |i| take(Stop::Inline(i)));
    visit_blocks(&doc.body, &mut take);
    for f in &doc.footnotes {
        visit_blocks(&f.blocks, &mut take);
    }
    out
}

/// Everything the writer inserts for one volume or batch of documents, computed without the
/// database so that it can run on the parser threads ([`prepare`]): the single SQLite writer
/// then only binds values.
#[derive(Debug, Default)]
pub struct PreparedVolume {
    pub(super) docs: Vec<PreparedDocument>,
    /// The apparatus analysis of each document (`None` where none is stored: front and back
    /// matter), kept for other consumers of the same documents (the search index).
    pub(super) analyses: Vec<Option<chancery_apparatus::document::DocumentAnalysis>>,
    /// Whether references into the same volume were resolved against the parsed documents
    /// (TEI volumes, which replace the whole volume) or left to the database (text documents).
    pub(super) resolved_within: bool,
    pub(super) doc_ids: Vec<String>,
}

impl PreparedVolume {
    /// The `i`th document as it is stored: what the apparatus added to it (a dateline's date,
    /// the parsed parties) included; `original` when it added nothing.
    pub fn stored<'a>(&'a self, i: usize, original: &'a Document) -> &'a Document {
        self.docs
            .get(i)
            .and_then(|d| d.enriched.as_ref())
            .unwrap_or(original)
    }

    /// The apparatus analysis of the `i`th document, if one was made.
    pub fn analysis(&self, i: usize) -> Option<&chancery_apparatus::document::DocumentAnalysis> {
        self.analyses.get(i).and_then(Option::as_ref)
    }

    /// The `i`th document's text as flattened for its rows, for other consumers of the same
    /// documents (the search index) that would otherwise flatten it again.
    pub fn flat_text(&self, i: usize) -> Option<FlatText<'_>> {
        let doc = self.docs.get(i)?;
        Some(FlatText {
            body: &doc.text,
            footnotes: &doc.footnote_texts,
            persons: doc
                .mentions
                .iter()
                .filter(|m| m.kind == "person")
                .map(|m| (m.target.as_deref(), m.surface.as_str()))
                .collect(),
        })
    }

    /// Whether this was prepared from `parsed` in the way the caller needs.
    pub(super) fn fits(&self, parsed: &ParsedVolume, resolved_within: bool) -> bool {
        self.resolved_within == resolved_within
            && self.docs.len() == parsed.documents.len()
            && self
                .doc_ids
                .iter()
                .zip(&parsed.documents)
                .all(|(a, d)| *a == d.id)
    }
}

/// A document's text as [`prepare`] flattened it (see [`PreparedVolume::flat_text`]).
#[derive(Debug)]
pub struct FlatText<'a> {
    /// The body, one block per line (`documents.text`).
    pub body: &'a str,
    /// Each footnote's text, in order (`footnotes.text`).
    pub footnotes: &'a [String],
    /// Each person mention, heading then body then notes: glossary id, words as written.
    pub persons: Vec<(Option<&'a str>, &'a str)>,
}

#[derive(Debug, Default)]
pub(super) struct PreparedDocument {
    /// The document as stored when the apparatus added to it (a dateline's date, the parsed
    /// parties): see `chancery_apparatus::enrich`.
    pub(super) enriched: Option<Document>,
    pub(super) json: String,
    pub(super) text: String,
    pub(super) senders: String,
    pub(super) recipients: String,
    pub(super) chapter_path: String,
    pub(super) footnote_texts: Vec<String>,
    pub(super) pages: Vec<PageRow>,
    pub(super) mentions: Vec<MentionRow>,
    pub(super) refs: Vec<RefRow>,
    pub(super) apparatus: crate::apparatus::PreparedApparatus,
}

#[derive(Debug)]
pub(super) struct PageRow {
    pub(super) n: String,
    pub(super) id: Option<String>,
    pub(super) footnote: Option<usize>,
}

#[derive(Debug)]
pub(super) struct MentionRow {
    pub(super) kind: &'static str,
    pub(super) target: Option<String>,
    pub(super) role: Option<String>,
    pub(super) surface: String,
    pub(super) footnote: Option<usize>,
    /// The target was found by Chancery (a bare name fitting one persons-list entry), not
    /// encoded by the source.
    pub(super) linked: bool,
}

#[derive(Debug)]
pub(super) struct RefRow {
    pub(super) raw: String,
    pub(super) target_volume: Option<String>,
    pub(super) element: Option<String>,
    pub(super) kind: &'static str,
    pub(super) surface: String,
    pub(super) resolved_document: Option<String>,
    pub(super) resolved: Option<i64>,
    pub(super) footnote: Option<usize>,
}

/// Serialise and flatten `parsed` for the writer. `resolve_within` resolves references into
/// the same volume against the parsed documents (what [`crate::Archive::store_volume`] needs).
pub fn prepare(parsed: &ParsedVolume, resolve_within: bool) -> Result<PreparedVolume, StoreError> {
    let vid = parsed.volume.id.as_str();
    let divisions;
    let resolver = if resolve_within {
        divisions = division_rows(&parsed.volume.toc, &parsed.documents);
        Some(Resolver::new(parsed, &divisions))
    } else {
        None
    };
    let persons = PersonsIndex::of(&parsed.volume.persons);
    let mut docs = Vec::with_capacity(parsed.documents.len());
    let mut analyses = Vec::with_capacity(parsed.documents.len());
    for original in &parsed.documents {
        // The apparatus parsers run here, on the caller's (parser) thread, like the rest; what
        // they add to the document (a dateline's date, the parties) is stored with it.
        let analysis = crate::apparatus::analyse(original);
        let mut enriched = analysis
            .as_ref()
            .and_then(|a| chancery_apparatus::enrich(original, a));
        if original.volume_id.is_empty() {
            // The stored copy carries the volume id the reader left blank.
            enriched.get_or_insert_with(|| original.clone()).volume_id = vid.to_string();
        }
        let doc = enriched.as_ref().unwrap_or(original);
        // The JSON is the reconstruction source; one size limit for everything stored, so
        // everything stored can be served.
        let json = serde_json::to_string(doc)?;
        if json.len() > chancery_model::MAX_DOCUMENT_BYTES {
            return Err(StoreError::DocumentTooLarge {
                volume: vid.to_string(),
                document: doc.id.clone(),
                bytes: json.len(),
            });
        }
        let mut prep = PreparedDocument {
            enriched: None,
            json,
            text: plain_text_blocks(&doc.body),
            senders: serde_json::to_string(&doc.from)?,
            recipients: serde_json::to_string(&doc.to)?,
            chapter_path: serde_json::to_string(&doc.chapter_path)?,
            footnote_texts: doc.footnotes.iter().map(|f| f.text()).collect(),
            ..PreparedDocument::default()
        };
        let mut rows = Rows {
            prep: &mut prep,
            vid,
            footnote: None,
            resolver: resolver.as_ref(),
        };
        walk_inlines(&doc.heading, &mut |i| rows.visit(i));
        walk_blocks(&doc.body, &mut |i| rows.visit(i));
        for (n, f) in doc.footnotes.iter().enumerate() {
            rows.footnote = Some(n);
            walk_blocks(&f.blocks, &mut |i| rows.visit(i));
        }
        link_mentions(&mut prep.mentions, &persons);
        let tei_targets: HashSet<(Option<String>, Option<String>)> = prep
            .refs
            .iter()
            .map(|r| {
                let doc_part = r
                    .element
                    .as_deref()
                    .map(|e| e.find("fn").map_or(e, |i| &e[..i]).to_string());
                (r.target_volume.clone(), doc_part)
            })
            .collect();
        prep.apparatus = match &analysis {
            Some(a) => crate::apparatus::prepare_analysed(vid, doc, &tei_targets, a)?,
            None => Default::default(),
        };
        prep.enriched = enriched;
        analyses.push(analysis);
        docs.push(prep);
    }
    Ok(PreparedVolume {
        docs,
        analyses,
        resolved_within: resolve_within,
        doc_ids: parsed.documents.iter().map(|d| d.id.clone()).collect(),
    })
}

/// Link the bare names of persons (a `persName` without `@corresp`) to the one entry of the
/// volume's persons list that fits, where exactly one does (`chancery_apparatus::persons`).
fn link_mentions(mentions: &mut [MentionRow], persons: &PersonsIndex) {
    for m in mentions
        .iter_mut()
        .filter(|m| m.kind == "person" && m.target.is_none())
    {
        if let Some(id) = persons.link(&m.surface) {
            m.target = Some(id.to_string());
            m.linked = true;
        }
    }
}

/// One walk over a document's inline stream, collecting milestone rows in reading order.
struct Rows<'w> {
    prep: &'w mut PreparedDocument,
    vid: &'w str,
    footnote: Option<usize>,
    resolver: Option<&'w Resolver<'w>>,
}

impl Rows<'_> {
    fn visit(&mut self, inline: &Inline) {
        match inline {
            Inline::PageBreak { n, id } => self.prep.pages.push(PageRow {
                n: n.clone(),
                id: id.clone(),
                footnote: self.footnote,
            }),
            Inline::Person {
                person_id,
                role,
                children,
            } => self.mention("person", person_id, role, children),
            Inline::Term {
                term_id,
                role,
                children,
            } => self.mention("term", term_id, role, children),
            Inline::Ref { target, children } => {
                // A target without a volume points into the volume it sits in.
                let target_volume = match target.kind {
                    ReferenceKind::External => None,
                    _ => Some(target.volume.as_deref().unwrap_or(self.vid)),
                };
                // Left NULL here, a reference is resolved by `resolve_refs` before commit.
                let (doc, resolved) = match (target_volume, self.resolver) {
                    (Some(v), Some(r)) if v == self.vid => {
                        let (d, ok) = r.resolve(target.kind, target.element.as_deref());
                        (d.map(str::to_string), Some(ok))
                    }
                    _ => (None, None),
                };
                self.prep.refs.push(RefRow {
                    raw: target.raw.clone(),
                    target_volume: target_volume.map(str::to_string),
                    element: target.element.clone(),
                    kind: ref_kind_str(target.kind),
                    surface: plain_text(children),
                    resolved_document: doc,
                    resolved,
                    footnote: self.footnote,
                });
            }
            _ => {}
        }
    }

    fn mention(
        &mut self,
        kind: &'static str,
        target: &Option<String>,
        role: &Option<String>,
        children: &[Inline],
    ) {
        self.prep.mentions.push(MentionRow {
            kind,
            target: target.clone(),
            role: role.clone(),
            surface: plain_text(children),
            footnote: self.footnote,
            linked: false,
        });
    }
}
