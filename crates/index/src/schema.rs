//! The tantivy schema: which field holds what, and how it is indexed.
//!
//! Full-text fields use the [`crate::analyzer::analyzer`] with positions (phrases, proximity).
//! Keyword fields hold the normalised value ([`crate::analyzer::keyword`]) as one raw term and as a
//! fast (columnar) value, so they serve both exact filters and facet counts. Dates are UTC
//! seconds in fast i64 columns.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

use crate::analyzer::{GRAMS_TOKENIZER, TOKENIZER};

/// Bump when the mapping from documents to index fields changes: an index written with another
/// version is rebuilt from the store on open.
pub const MAPPING_VERSION: u32 = 4;

/// Every field of the index, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `volume/doc`: the unit of replacement (delete by this term, add the new version).
    pub key: Field,
    /// Volume id (keyword; also the unit of replacement for a TEI volume).
    pub volume: Field,
    /// Document id within the volume (stored).
    pub doc_id: Field,
    /// Printed number (stored).
    pub number: Field,
    /// Sub-series ("1964-1968"), keyword.
    pub sub_series: Field,
    /// `historical-document`, `editorial-note`, `front-matter`, `back-matter`.
    pub kind: Field,
    /// [`MATTER`] on front- and back-matter sections, absent otherwise (indexed only): the
    /// default scope excludes them with one term rather than a union of two kinds, a cost
    /// every search paid per matching document.
    pub scope: Field,
    /// Document type from the apparatus, the specific type and its family both
    /// ("memorandum of conversation", "memorandum"), so `type:` matches either (indexed only).
    pub doc_type: Field,
    /// The specific type alone, for the type facet.
    pub type_facet: Field,
    /// The family alone ("memorandum", "telegram"), keyword and facet.
    pub family: Field,
    /// Security classification (keyword, facet).
    pub classification: Field,
    /// Telegram precedence (keyword, facet).
    pub precedence: Field,
    /// Handling caveats and code words (Nodis, Exdis, HARVAN…), keyword, multi-valued.
    pub caveat: Field,
    /// Repository of the source ("national archives and records administration").
    pub archive: Field,
    /// Heading text (full text, stored: title and snippets).
    pub title: Field,
    /// Body text (full text, stored for snippets).
    pub text: Field,
    /// Footnotes, one value per note (full text, stored for snippets).
    pub footnotes: Field,
    /// The printed mark of each footnote, in the order of `footnotes` (stored only).
    pub footnote_marks: Field,
    /// Heading, body and footnotes together: the default search field (indexed only).
    pub all: Field,
    /// The same text as adjacent-word pairs involving a common word ("of state"), indexed
    /// only: exact phrases in `all` with common words are looked up here (see
    /// [`crate::analyzer::grams_analyzer`]).
    pub all_pairs: Field,
    /// Senders and recipients as written (full text).
    pub from: Field,
    /// Recipients, as senders.
    pub to: Field,
    /// Senders and recipients as written (keyword values as displayed, for facets).
    pub from_facet: Field,
    /// Recipients, as senders.
    pub to_facet: Field,
    /// Glossary ids of person mentions, normalised (`p_hwa1`), keyword.
    pub person_id: Field,
    /// Person names: mentions as written and the glossary names they point to (full text).
    pub person_name: Field,
    /// Persons for facets: the glossary name of each mention that has one (encoded by the
    /// source, or a bare name Chancery linked to the one entry that fits).
    pub person_facet: Field,
    /// Names of persons no glossary entry could be found for, counted apart from persons.
    pub name_facet: Field,
    /// Dateline date as printed (stored).
    pub date_text: Field,
    /// The document's date interval in UTC seconds (fast; absent when undated).
    pub date_min: Field,
    /// The end of the interval.
    pub date_max: Field,
    /// Sort keys: `date_min` with undated documents at `i64::MAX` (ascending, undated last) and
    /// at `i64::MIN` (descending, undated last).
    pub sort_asc: Field,
    /// The descending sort key.
    pub sort_desc: Field,
    /// 1 when the document has no date interval.
    pub undated: Field,
    /// Year of `date_min` (fast; facet and decade facet).
    pub year: Field,
}

/// The `scope` value of front- and back-matter sections.
pub const MATTER: &str = "matter";

/// Build the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let full_text = TextFieldIndexing::default()
        .set_tokenizer(TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let stored_text = TextOptions::default()
        .set_indexing_options(full_text.clone())
        .set_stored();
    let indexed_text = TextOptions::default().set_indexing_options(full_text);
    let pairs = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(GRAMS_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let keyword = STRING | FAST;
    let keyword_stored = STRING | FAST | STORED;
    let date = NumericOptions::default().set_fast().set_stored();
    let fast_i64 = NumericOptions::default().set_fast();

    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        volume: b.add_text_field("volume", keyword_stored.clone()),
        doc_id: b.add_text_field("doc_id", STORED),
        number: b.add_text_field("number", STORED),
        sub_series: b.add_text_field("sub_series", keyword.clone()),
        kind: b.add_text_field("kind", keyword_stored),
        scope: b.add_text_field("scope", STRING),
        doc_type: b.add_text_field("type", STRING),
        type_facet: b.add_text_field("type_facet", keyword.clone()),
        family: b.add_text_field("family", keyword.clone()),
        classification: b.add_text_field("classification", keyword.clone()),
        precedence: b.add_text_field("precedence", keyword.clone()),
        caveat: b.add_text_field("caveat", keyword.clone()),
        archive: b.add_text_field("archive", keyword.clone()),
        title: b.add_text_field("title", stored_text.clone()),
        text: b.add_text_field("text", stored_text.clone()),
        footnotes: b.add_text_field("footnotes", stored_text),
        footnote_marks: b.add_text_field("footnote_marks", STORED),
        all: b.add_text_field("all", indexed_text.clone()),
        all_pairs: b.add_text_field("all_pairs", pairs),
        from: b.add_text_field("from", indexed_text.clone()),
        to: b.add_text_field("to", indexed_text.clone()),
        from_facet: b.add_text_field("from_facet", keyword.clone()),
        to_facet: b.add_text_field("to_facet", keyword.clone()),
        person_id: b.add_text_field("person_id", keyword.clone()),
        person_name: b.add_text_field("person_name", indexed_text),
        person_facet: b.add_text_field("person_facet", keyword.clone()),
        name_facet: b.add_text_field("name_facet", keyword),
        date_text: b.add_text_field("date_text", STORED),
        date_min: b.add_i64_field("date_min", date.clone()),
        date_max: b.add_i64_field("date_max", date),
        sort_asc: b.add_i64_field("sort_asc", fast_i64.clone()),
        sort_desc: b.add_i64_field("sort_desc", fast_i64),
        undated: b.add_u64_field(
            "undated",
            NumericOptions::default().set_indexed().set_fast(),
        ),
        year: b.add_u64_field("year", NumericOptions::default().set_fast()),
    };
    (b.build(), fields)
}

/// Fast-field names of the keyword facets, as `(facet name, field name)`.
pub const KEYWORD_FACETS: &[(&str, &str)] = &[
    ("volume", "volume"),
    ("sub_series", "sub_series"),
    ("kind", "kind"),
    ("type", "type_facet"),
    ("family", "family"),
    ("classification", "classification"),
    ("precedence", "precedence"),
    ("caveat", "caveat"),
    ("archive", "archive"),
    ("from", "from_facet"),
    ("to", "to_facet"),
    ("person", "person_facet"),
    ("name", "name_facet"),
];
