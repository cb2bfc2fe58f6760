//! From a [`Document`] to what the index holds.
//!
//! Split in two so the expensive part (flattening text, running the apparatus parsers) can run
//! on parser threads: [`IndexRecord::from_document`] needs only the document;
//! [`IndexRecord::to_tantivy`] is cheap and adds what comes from the volume (sub-series, glossary
//! names), which for a plain-text document is only known once the store has it.

use std::collections::HashMap;

use chancery_model::{
    plain_text, plain_text_blocks, walk_blocks, walk_inlines, Document, DocumentKind, Inline,
    Volume,
};
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use crate::analyzer::keyword;
use crate::schema::Fields;
use chancery_model::date::{parse_iso, year_of};

/// Everything the index needs from one document, volume context aside.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexRecord {
    /// The document's volume.
    pub volume_id: String,
    /// The document's id within its volume.
    pub doc_id: String,
    /// The printed number.
    pub number: Option<String>,
    /// `historical-document`, `editorial-note`, `front-matter`, `back-matter`.
    pub kind: String,
    /// The heading as plain text.
    pub heading: String,
    /// Body plain text, one block per line (as `documents.text` in the store).
    pub body: String,
    /// `(mark, text)` of each footnote, in order.
    pub footnotes: Vec<(String, String)>,
    /// Senders and recipients: the parsed heading parties (as written, office, person) and
    /// what the TEI marks.
    pub from: Vec<String>,
    /// Recipients, found as the senders are.
    pub to: Vec<String>,
    /// The facet values: the party as the heading writes it, else what the TEI marks.
    pub from_party: Vec<String>,
    /// The recipient facet's values, found as the sender's are.
    pub to_party: Vec<String>,
    /// `(glossary id, words as written)` of each person mention (heading, body, notes).
    pub persons: Vec<(Option<String>, String)>,
    /// The date as printed.
    pub date_text: Option<String>,
    /// Date interval in UTC seconds; `None` when undated or unparseable.
    pub date: Option<(i64, i64)>,
    /// The specific type ("memorandum of conversation") and its family ("memorandum").
    pub doc_type: Option<String>,
    /// The family of `doc_type`.
    pub doc_family: Option<String>,
    /// The security classification, normalised.
    pub classification: Option<String>,
    /// The telegram's precedence.
    pub precedence: Option<String>,
    /// Distribution caveats ("Nodis").
    pub caveats: Vec<String>,
    /// The repository holding the original, normalised.
    pub archive: Option<String>,
}

/// What a document's index entry takes from its volume.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeContext {
    /// The volume's sub-series ("1964-1968").
    pub sub_series: Option<String>,
    /// Glossary id → name as printed ("Harriman, W. Averell").
    pub persons: HashMap<String, String>,
    /// The persons list by surname, to link bare names as the store's preparation does (built
    /// by [`VolumeContext::new`]).
    surnames: chancery_apparatus::persons::PersonsIndex,
}

impl VolumeContext {
    /// The context of `volume`: its sub-series and persons list.
    pub fn of(volume: &Volume) -> VolumeContext {
        VolumeContext::new(
            volume.titles.sub_series.clone(),
            volume
                .persons
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect(),
        )
    }

    /// A context with its surname index built.
    pub fn new(sub_series: Option<String>, persons: HashMap<String, String>) -> VolumeContext {
        let surnames = chancery_apparatus::persons::PersonsIndex::new(
            persons
                .iter()
                .map(|(id, name)| (id.as_str(), name.as_str())),
        );
        VolumeContext {
            sub_series,
            persons,
            surnames,
        }
    }

    /// The id of the one persons-list entry a bare name fits (see
    /// `chancery_apparatus::persons::link`).
    pub fn link(&self, surface: &str) -> Option<&str> {
        self.surnames.link(surface)
    }
}

impl IndexRecord {
    /// Flatten and analyse one document.
    pub fn from_document(doc: &Document) -> IndexRecord {
        // Front and back matter carry no apparatus (as in the store): a preface or a list of
        // papers has no sender, type or markings.
        let analysis = match doc.kind {
            DocumentKind::HistoricalDocument | DocumentKind::EditorialNote => {
                chancery_apparatus::analyze_document(doc)
            }
            DocumentKind::FrontMatter | DocumentKind::BackMatter => Default::default(),
        };
        IndexRecord::from_analysed(doc, &analysis)
    }

    /// [`IndexRecord::from_document`] with the apparatus analysis already made (the store's
    /// preparation makes it too: one analysis serves both).
    pub fn from_analysed(
        doc: &Document,
        analysis: &chancery_apparatus::document::DocumentAnalysis,
    ) -> IndexRecord {
        let mut persons = Vec::new();
        let mut visit = |inline: &Inline| {
            if let Inline::Person {
                person_id,
                children,
                ..
            } = inline
            {
                persons.push((person_id.clone(), plain_text(children)));
            }
        };
        walk_inlines(&doc.heading, &mut visit);
        walk_blocks(&doc.body, &mut visit);
        for f in &doc.footnotes {
            walk_blocks(&f.blocks, &mut visit);
        }
        let footnotes = doc.footnotes.iter().map(|f| f.text()).collect();
        IndexRecord::assemble(
            doc,
            analysis,
            plain_text_blocks(&doc.body),
            footnotes,
            persons,
        )
    }

    /// The record of the `i`th document of a volume the store has prepared: its analysis and
    /// flattened text are taken from the preparation rather than made again (during ingest
    /// both happen on the same parser thread). `None` if the preparation has no analysis for
    /// it (front and back matter).
    pub fn from_prepared(
        doc: &Document,
        prepared: &chancery_store::PreparedVolume,
        i: usize,
    ) -> Option<IndexRecord> {
        let analysis = prepared.analysis(i)?;
        let flat = prepared.flat_text(i)?;
        // The document as stored (dated from its dateline, parties parsed), as a rebuild from
        // the store sees it.
        let doc = prepared.stored(i, doc);
        let persons = flat
            .persons
            .iter()
            .map(|(id, surface)| (id.map(str::to_string), surface.to_string()))
            .collect();
        Some(IndexRecord::assemble(
            doc,
            analysis,
            flat.body.to_string(),
            flat.footnotes.to_vec(),
            persons,
        ))
    }

    fn assemble(
        doc: &Document,
        analysis: &chancery_apparatus::document::DocumentAnalysis,
        body: String,
        footnote_texts: Vec<String>,
        persons: Vec<(Option<String>, String)>,
    ) -> IndexRecord {
        let date = doc
            .date
            .as_ref()
            .and_then(|d| d.interval.as_ref())
            .and_then(|i| {
                let min = parse_iso(&i.min).ok()?;
                let max = parse_iso(&i.max).ok()?;
                // A max given at day precision means the end of that day.
                Some((min.start, max.end().max(min.start)))
            });
        let mut caveats = analysis.source.caveats.clone();
        caveats.extend(analysis.source.code_words.iter().cloned());
        // Parties: what the heading says (as written, office, person), or what the TEI marks
        // where the heading could not be read (the stored document carries the heading's).
        let side = |p: &Option<chancery_apparatus::heading::Party>, encoded: &[String]| {
            let mut all: Vec<String> = Vec::new();
            match p {
                Some(p) => {
                    all.push(p.text.clone());
                    all.extend(p.office.clone());
                    all.extend(p.person.clone());
                }
                None => all.extend(encoded.iter().cloned()),
            }
            let mut unique: Vec<String> = Vec::with_capacity(all.len());
            for v in all {
                if !unique.contains(&v) {
                    unique.push(v);
                }
            }
            unique
        };
        let from = side(&analysis.from, &doc.from);
        let to = side(&analysis.to, &doc.to);
        let party_text =
            |p: &Option<chancery_apparatus::heading::Party>, encoded: &[String]| match p {
                Some(p) => vec![p.text.clone()],
                None => encoded.to_vec(),
            };
        IndexRecord {
            volume_id: doc.volume_id.clone(),
            doc_id: doc.id.clone(),
            number: doc.number.clone(),
            kind: doc.kind.as_str().to_string(),
            heading: doc.heading_text.clone(),
            body,
            footnotes: doc
                .footnotes
                .iter()
                .map(|f| f.mark.clone())
                .zip(footnote_texts)
                .collect(),
            from_party: party_text(&analysis.from, &doc.from),
            to_party: party_text(&analysis.to, &doc.to),
            from,
            to,
            persons,
            date_text: doc.date.as_ref().map(|d| d.text.clone()),
            date,
            doc_type: analysis.doc_type().map(str::to_string),
            doc_family: analysis.doc_family().map(str::to_string),
            classification: analysis.classification.map(|c| c.label().to_string()),
            precedence: analysis.source.precedence.map(|p| p.label().to_string()),
            caveats,
            archive: analysis.source.repository.clone(),
        }
    }

    /// `volume/doc`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.volume_id, self.doc_id)
    }

    /// The tantivy document for this record in its volume's context.
    pub fn to_tantivy(&self, f: &Fields, ctx: &VolumeContext) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(f.key, self.key());
        d.add_text(f.volume, keyword(&self.volume_id));
        d.add_text(f.doc_id, &self.doc_id);
        if let Some(n) = &self.number {
            d.add_text(f.number, n);
        }
        if let Some(s) = &ctx.sub_series {
            d.add_text(f.sub_series, keyword(s));
        }
        d.add_text(f.kind, &self.kind);
        if self.kind.ends_with("-matter") {
            d.add_text(f.scope, crate::schema::MATTER);
        }
        let mut add_kw = |field, value: &Option<String>| {
            if let Some(v) = value {
                let v = keyword(v);
                if !v.is_empty() {
                    d.add_text(field, v);
                }
            }
        };
        add_kw(f.doc_type, &self.doc_type);
        if self.doc_family != self.doc_type {
            add_kw(f.doc_type, &self.doc_family);
        }
        add_kw(f.type_facet, &self.doc_type);
        add_kw(f.family, &self.doc_family);
        add_kw(f.classification, &self.classification);
        add_kw(f.precedence, &self.precedence);
        add_kw(f.archive, &self.archive);
        let mut seen = Vec::new();
        for c in &self.caveats {
            let c = keyword(c);
            if !c.is_empty() && !seen.contains(&c) {
                d.add_text(f.caveat, &c);
                seen.push(c);
            }
        }

        d.add_text(f.title, &self.heading);
        d.add_text(f.all, &self.heading);
        d.add_text(f.all_pairs, &self.heading);
        d.add_text(f.text, &self.body);
        d.add_text(f.all, &self.body);
        d.add_text(f.all_pairs, &self.body);
        for (mark, text) in &self.footnotes {
            d.add_text(f.footnotes, text);
            d.add_text(f.footnote_marks, mark);
            d.add_text(f.all, text);
            d.add_text(f.all_pairs, text);
        }

        for (list, party, text_field, facet_field) in [
            (&self.from, &self.from_party, f.from, f.from_facet),
            (&self.to, &self.to_party, f.to, f.to_facet),
        ] {
            for value in list {
                let shown = chancery_model::collapse_ws(value);
                if !shown.is_empty() {
                    d.add_text(text_field, &shown);
                }
            }
            let mut seen: Vec<String> = Vec::new();
            for p in party {
                let shown = chancery_model::collapse_ws(p);
                if !shown.is_empty() && !seen.contains(&shown) {
                    d.add_text(facet_field, &shown);
                    seen.push(shown);
                }
            }
        }

        let mut ids: Vec<String> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut facets: Vec<String> = Vec::new();
        let mut unresolved: Vec<String> = Vec::new();
        for (encoded, surface) in &self.persons {
            // A bare name is linked to the one entry of the volume's list that fits, if one
            // does; otherwise it is an unresolved name, counted apart from persons.
            let target = encoded
                .clone()
                .or_else(|| ctx.link(surface).map(str::to_string));
            let target = &target;
            let glossary = target.as_ref().and_then(|t| ctx.persons.get(t));
            if let Some(t) = target {
                // A cross-volume target (`frus…#p_X`) also answers to its bare id.
                for id in [Some(t.as_str()), t.split_once('#').map(|(_, id)| id)]
                    .into_iter()
                    .flatten()
                {
                    let id = keyword(id);
                    if !id.is_empty() && !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            for name in [Some(surface), glossary].into_iter().flatten() {
                let name = chancery_model::collapse_ws(name);
                if !name.is_empty() && !names.contains(&name) {
                    names.push(name);
                }
            }
            match (target, glossary) {
                (Some(_), Some(name)) => {
                    let shown = chancery_model::collapse_ws(name);
                    if !shown.is_empty() && !facets.contains(&shown) {
                        facets.push(shown);
                    }
                }
                // A cross-volume target (`frus…#p_X`) names a person the volume does not list.
                (Some(t), None) => {
                    let shown = chancery_model::collapse_ws(surface);
                    if t.contains('#') && !shown.is_empty() && !facets.contains(&shown) {
                        facets.push(shown);
                    }
                }
                (None, _) => {
                    let shown = chancery_model::collapse_ws(surface);
                    if !shown.is_empty() && !unresolved.contains(&shown) {
                        unresolved.push(shown);
                    }
                }
            }
        }
        for id in &ids {
            d.add_text(f.person_id, id);
        }
        for name in &names {
            d.add_text(f.person_name, name);
        }
        for name in &facets {
            d.add_text(f.person_facet, name);
        }
        for name in &unresolved {
            d.add_text(f.name_facet, name);
        }

        if let Some(t) = &self.date_text {
            d.add_text(f.date_text, t);
        }
        match self.date {
            Some((min, max)) => {
                d.add_i64(f.date_min, min);
                d.add_i64(f.date_max, max);
                d.add_i64(f.sort_asc, min);
                d.add_i64(f.sort_desc, min);
                d.add_u64(f.undated, 0);
                d.add_u64(f.year, u64::try_from(year_of(min)).unwrap_or(0));
            }
            None => {
                d.add_i64(f.sort_asc, i64::MAX);
                d.add_i64(f.sort_desc, i64::MIN);
                d.add_u64(f.undated, 1);
            }
        }
        d
    }
}
