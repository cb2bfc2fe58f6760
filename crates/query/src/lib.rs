//! Search over a Chancery archive's index: the query language ([`parse`]), filters, date
//! semantics, exact facets, sorting and paging, snippets and more-like-this, behind one call:
//! [`search`]`(&SearchIndex, &SearchRequest) -> SearchResponse`. Both are serde types, so the web
//! API can take and return them as JSON. The query language is documented in `docs/search.md`.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::time::Instant;

use chancery_index::analyzer::keyword;
use chancery_index::tantivy::collector::{Count, TopDocs};
use chancery_index::tantivy::query::{
    BooleanQuery, MoreLikeThisQuery, Occur, RangeQuery, TermQuery,
};
use chancery_index::tantivy::schema::document::{
    DeserializeError, DocumentDeserialize, DocumentDeserializer,
};
use chancery_index::tantivy::schema::{Field, IndexRecordOption, OwnedValue, Value};
use chancery_index::tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};
use chancery_index::{Fields, SearchIndex};
use chancery_model::date::{format_utc, parse_iso};
use serde::{Deserialize, Serialize};

pub mod compile;
mod dated;
pub mod facets;
mod parallel;
pub mod parse;
pub mod snippet;

pub use compile::DateMode;
pub use facets::FacetCount;
pub use parse::{parse, Node, ParseError};
pub use snippet::Snippet;

use compile::{compile, filter, has_text, highlights, BoxQuery};
use dated::dated;

/// Most hits one page may ask for.
pub const MAX_LIMIT: usize = 1000;
/// Deepest page (offset + limit).
pub const MAX_DEPTH: usize = 100_000;

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sort {
    /// Best match first (BM25).
    #[default]
    Relevance,
    /// Oldest first; undated last.
    Date,
    /// Newest first; undated last.
    DateDesc,
}

/// A search. Every field has a default, so `{"query": "cuba"}` is a whole request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// The query (see `docs/search.md`); empty matches everything the filters let through.
    pub query: String,
    /// Restrict to these volumes (any of them).
    pub volumes: Vec<String>,
    /// Date interval (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or with a time); a day means the whole day.
    pub date_from: Option<String>,
    /// The end of the date interval, as `date_from`.
    pub date_to: Option<String>,
    /// How the date interval (and `date:`/`year:` in the query) selects documents.
    pub date_mode: DateMode,
    /// Restrict to these kinds (`historical-document`, `editorial-note`, `front-matter`,
    /// `back-matter`). Empty: documents and editorial notes, plus front and back matter when
    /// `include_matter`.
    pub kinds: Vec<String>,
    /// With `kinds` empty, also search front and back matter.
    pub include_matter: bool,
    /// Facet filters: facet name (`volume`, `type`, `classification`, `person`, `year`,
    /// `decade`… as in [`SearchResponse::facets`]) → values exactly as a facet listed them. A
    /// document passes a facet when it has any of its values, and the request when it passes
    /// every facet. Each facet is counted without its own filter, so its other values stay in
    /// the counts (to widen the choice again, or add a second value).
    pub filters: BTreeMap<String, Vec<String>>,
    /// How results are ordered.
    pub sort: Sort,
    /// Compute facet counts.
    pub facets: bool,
    /// Values listed per facet (year and decade are always complete).
    pub facet_limit: usize,
    /// Results per page.
    pub limit: usize,
    /// Results to skip before the page.
    pub offset: usize,
    /// Snippets per hit.
    pub snippets: usize,
    /// `volume/doc`: documents like this one (combined with `query` if both are given).
    pub like: Option<String>,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            volumes: Vec::new(),
            date_from: None,
            date_to: None,
            date_mode: DateMode::Overlap,
            kinds: Vec::new(),
            include_matter: false,
            filters: BTreeMap::new(),
            sort: Sort::Relevance,
            facets: false,
            facet_limit: 10,
            limit: 10,
            offset: 0,
            snippets: 3,
            like: None,
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// `volume/doc`.
    pub path: String,
    /// The document's volume.
    pub volume_id: String,
    /// The document's id in its volume.
    pub id: String,
    /// The printed number.
    pub number: Option<String>,
    /// `historical-document`, `editorial-note`, `front-matter` or `back-matter`.
    pub kind: String,
    /// The heading as plain text.
    pub heading: String,
    /// The date as printed.
    pub date_text: Option<String>,
    /// The document's date interval, UTC.
    pub date_min: Option<String>,
    /// The end of the date interval, UTC.
    pub date_max: Option<String>,
    /// BM25 score (relevance sort only).
    pub score: Option<f32>,
    /// Passages matching the query, with the words marked.
    pub snippets: Vec<Snippet>,
}

/// A page of results with exact totals and facets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    /// Exact number of matching documents.
    pub total: u64,
    /// Results skipped before this page.
    pub offset: usize,
    /// Results asked for per page.
    pub limit: usize,
    /// The order used (a query without words sorts by date).
    pub sort: Sort,
    /// With a date filter: documents that matched everything else but are undated, and so were
    /// left out.
    pub undated_excluded: Option<u64>,
    /// The page of results.
    pub hits: Vec<Hit>,
    /// Facet name → top values with exact counts over all `total` results (a facet with a
    /// filter in the request: over the results of every other filter).
    pub facets: Option<BTreeMap<String, Vec<FacetCount>>>,
    /// Of the results, how many are undated (with facets).
    pub undated: Option<u64>,
    /// How long the search took.
    pub took_ms: f64,
}

/// Why a search could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query text is malformed.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A field of the request is wrong: which, and why (the message does not name the field,
    /// so that each caller can name it as its users know it: a flag, a URL parameter).
    #[error("{}: {message}", field.name())]
    Request {
        /// The field at fault.
        field: RequestField,
        /// What is wrong with it.
        message: String,
    },
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] chancery_index::IndexError),
    /// Tantivy failed while searching.
    #[error("index error: {0}")]
    Tantivy(#[from] chancery_index::tantivy::TantivyError),
}

/// The field of a [`SearchRequest`] that a [`SearchError::Request`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestField {
    /// The query text (a field value it cannot use, e.g. `date:` with no date).
    Query,
    /// `limit`.
    Limit,
    /// `offset`.
    Offset,
    /// `kinds`.
    Kinds,
    /// `filters`.
    Filters,
    /// `date_from`.
    DateFrom,
    /// `date_to`.
    DateTo,
    /// `like` (more-like-this).
    Like,
}

impl RequestField {
    /// The field's name in [`SearchRequest`] (and the API's JSON).
    pub fn name(self) -> &'static str {
        match self {
            RequestField::Query => "query",
            RequestField::Limit => "limit",
            RequestField::Offset => "offset",
            RequestField::Kinds => "kinds",
            RequestField::Filters => "filters",
            RequestField::DateFrom => "date_from",
            RequestField::DateTo => "date_to",
            RequestField::Like => "like",
        }
    }
}

fn bad(field: RequestField, message: impl Into<String>) -> SearchError {
    SearchError::Request {
        field,
        message: message.into(),
    }
}

/// Run a search.
pub fn search(index: &SearchIndex, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
    let started = Instant::now();
    let f = index.fields();
    let searcher = index.searcher();
    if req.limit > MAX_LIMIT {
        return Err(bad(
            RequestField::Limit,
            format!("{} is more than {MAX_LIMIT}", req.limit),
        ));
    }
    if req.offset.saturating_add(req.limit) > MAX_DEPTH {
        return Err(bad(
            RequestField::Offset,
            format!("{} plus the limit must be at most {MAX_DEPTH}", req.offset),
        ));
    }
    let ast = parse(&req.query)?;
    let mut sort = req.sort;

    // The query proper: the parsed text, or more-like-this, or both.
    let mut main: Vec<(Occur, BoxQuery)> = Vec::new();
    let mut scoring = has_text(&ast);
    if !matches!(ast, Node::All) {
        main.push((
            Occur::Must,
            compile(&ast, f, req.date_mode).map_err(|m| bad(RequestField::Query, m))?,
        ));
    }
    if let Some(like) = &req.like {
        let (mlt, exclude) = more_like_this(&searcher, f, like)?;
        main.push((Occur::Must, mlt));
        main.push((Occur::MustNot, exclude));
        scoring = true;
    }
    if !scoring && sort == Sort::Relevance {
        // Nothing to rank by: say so and sort by date, rather than return an arbitrary order.
        sort = Sort::Date;
    }

    // Filters: volumes, kinds.
    let mut filters: Vec<(Occur, BoxQuery)> = Vec::new();
    if !req.volumes.is_empty() {
        filters.push((
            Occur::Must,
            filter(any_of(f.volume, req.volumes.iter().map(|v| keyword(v)))),
        ));
    }
    let kinds: Vec<String> = if req.kinds.is_empty() {
        let mut k = vec![
            "historical-document".to_string(),
            "editorial-note".to_string(),
        ];
        if req.include_matter {
            k.push("front-matter".into());
            k.push("back-matter".into());
        }
        k
    } else {
        for k in &req.kinds {
            if !matches!(
                k.as_str(),
                "historical-document" | "editorial-note" | "front-matter" | "back-matter"
            ) {
                return Err(bad(
                    RequestField::Kinds,
                    format!(
                        "{k:?} is not a kind: expected historical-document, editorial-note, \
                         front-matter or back-matter"
                    ),
                ));
            }
        }
        req.kinds.clone()
    };
    // Excluding the (few) others is cheaper than requiring the (many) kinds asked for.
    let others: Vec<String> = [
        "historical-document",
        "editorial-note",
        "front-matter",
        "back-matter",
    ]
    .into_iter()
    .filter(|k| !kinds.iter().any(|w| w == k))
    .map(str::to_string)
    .collect();
    if others == ["front-matter", "back-matter"] {
        // The default scope: one term marks both.
        filters.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(f.scope, chancery_index::schema::MATTER),
                IndexRecordOption::Basic,
            )),
        ));
    } else if !others.is_empty() {
        filters.push((Occur::MustNot, any_of(f.kind, others.into_iter())));
    }

    let facet_filters: Vec<(&str, BoxQuery)> = req
        .filters
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(name, values)| Ok((name.as_str(), facet_filter(f, name, values)?)))
        .collect::<Result<_, SearchError>>()?;

    // The request's date interval.
    let date = date_interval(req)?;
    // The query with every filter but facet `skip`'s (the date interval is not a clause).
    let base_without = |skip: Option<&str>| -> BoxQuery {
        let mut clauses: Vec<(Occur, BoxQuery)> =
            main.iter().map(|(o, q)| (*o, q.box_clone())).collect();
        clauses.extend(filters.iter().map(|(o, q)| (*o, q.box_clone())));
        clauses.extend(
            facet_filters
                .iter()
                .filter(|(name, _)| Some(*name) != skip)
                .map(|(_, q)| (Occur::Must, q.box_clone())),
        );
        if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
            clauses.push((
                Occur::Must,
                Box::new(chancery_index::tantivy::query::AllQuery),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    };
    // The date interval is applied while collecting (see `dated`), which also counts the
    // undated documents it holds back.
    let query = base_without(None);

    // One pass: the page, the exact total, the facets.
    let want = req.limit.max(1);
    let top = TopDocs::with_limit(want).and_offset(req.offset);
    let facet_collector = req.facets.then(|| facets::FacetCollector::of(index));
    let (page, total, counts, held_back): (Vec<(Option<f32>, DocAddress)>, usize, _, u64) =
        match sort {
            Sort::Relevance => {
                let ((docs, total, counts), held_back) = parallel::search(
                    &searcher,
                    &query,
                    dated(
                        (top.order_by_score(), Count, facet_collector),
                        date,
                        req.date_mode,
                    ),
                )?;
                (
                    docs.into_iter().map(|(s, a)| (Some(s), a)).collect(),
                    total,
                    counts,
                    held_back,
                )
            }
            Sort::Date | Sort::DateDesc => {
                let collector = if sort == Sort::Date {
                    top.order_by_fast_field::<i64>("sort_asc", Order::Asc)
                } else {
                    top.order_by_fast_field::<i64>("sort_desc", Order::Desc)
                };
                let ((docs, total, counts), held_back) = parallel::search(
                    &searcher,
                    &query,
                    dated((collector, Count, facet_collector), date, req.date_mode),
                )?;
                (
                    docs.into_iter().map(|(_, a)| (None, a)).collect(),
                    total,
                    counts,
                    held_back,
                )
            }
        };
    let undated_excluded = date.map(|_| held_back);
    let mut page = page;
    page.truncate(req.limit);

    // A facet with a filter is counted again without it: one more pass per filtered facet.
    let mut counts = counts;
    if let Some(c) = counts.as_mut() {
        for (name, _) in &facet_filters {
            let (mut other, _) = parallel::search(
                &searcher,
                &base_without(Some(name)),
                dated(facets::FacetCollector::of(index), date, req.date_mode),
            )?;
            match *name {
                "year" => c.years = std::mem::take(&mut other.years),
                "decade" => c.decade_years = Some(std::mem::take(&mut other.years)),
                _ => {
                    if let Some(values) = other.fields.remove(*name) {
                        c.fields.insert((*name).to_string(), values);
                    }
                }
            }
        }
    }

    // Hits are fetched and highlighted in parallel: on a page of ten this is most of the time
    // left once the search itself is done.
    let highlighter = snippet::Highlighter::new(highlights(&ast));
    // One highlighter per share of the page, built where it is used.
    let share = page.len().div_ceil(2).max(1);
    let shares: Vec<Vec<(Option<f32>, DocAddress)>> =
        page.chunks(share).map(<[_]>::to_vec).collect();
    let (owned, fields, snippets) = (searcher.clone(), *f, req.snippets);
    let mut hits: Vec<Hit> = parallel::map_shared(shares, move |share| {
        let mut highlighter = highlighter.clone();
        share
            .iter()
            .map(|(score, addr)| -> Result<Hit, SearchError> {
                let doc: StoredFields = owned.doc(*addr)?;
                Ok(hit(&doc, &fields, *score, &mut highlighter, snippets))
            })
            .collect::<Result<Vec<Hit>, SearchError>>()
    })
    .into_iter()
    .collect::<Result<Vec<Vec<Hit>>, SearchError>>()?
    .into_iter()
    .flatten()
    .collect();
    if sort == Sort::Relevance {
        // Documents with equal scores (a volume's document and its text capture, replicated
        // volumes) come in the order of the index segments that hold them, which depends on
        // how ingest spread documents over its indexing threads; within the page they go in
        // path order, so the same search on the same archive shows the same page.
        hits.sort_by(|a, b| {
            let score = |h: &Hit| h.score.unwrap_or(f32::NEG_INFINITY);
            score(b)
                .total_cmp(&score(a))
                .then_with(|| a.path.cmp(&b.path))
        });
    }
    let (facets, undated) = match counts {
        Some(c) => (Some(c.top(req.facet_limit)), Some(c.undated)),
        None => (None, None),
    };
    Ok(SearchResponse {
        total: total as u64,
        offset: req.offset,
        limit: req.limit,
        sort,
        undated_excluded,
        hits,
        facets,
        undated,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// The filter for one facet's chosen values (any of them).
fn facet_filter(f: &Fields, name: &str, values: &[String]) -> Result<BoxQuery, SearchError> {
    let years = |from: u64, to: u64| -> BoxQuery {
        Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(f.year, from)),
            Bound::Included(Term::from_field_u64(f.year, to)),
        ))
    };
    let number = |v: &str, suffix: &str| -> Result<u64, SearchError> {
        v.strip_suffix(suffix).unwrap_or(v).parse().map_err(|_| {
            bad(
                RequestField::Filters,
                format!("{name} {v:?} is not a {name}"),
            )
        })
    };
    let field = match name {
        "year" | "decade" => {
            let alternatives = values
                .iter()
                .map(|v| {
                    Ok(if name == "year" {
                        let y = number(v, "")?;
                        years(y, y)
                    } else {
                        let d = number(v, "s")? / 10 * 10;
                        years(d, d + 9)
                    })
                })
                .collect::<Result<Vec<_>, SearchError>>()?;
            return Ok(filter(Box::new(BooleanQuery::union(alternatives))));
        }
        "volume" => f.volume,
        "sub_series" => f.sub_series,
        "kind" => f.kind,
        "type" => f.type_facet,
        "family" => f.family,
        "classification" => f.classification,
        "precedence" => f.precedence,
        "caveat" => f.caveat,
        "archive" => f.archive,
        "from" => f.from_facet,
        "to" => f.to_facet,
        "person" => f.person_facet,
        "name" => f.name_facet,
        other => {
            return Err(bad(
                RequestField::Filters,
                format!(
                    "{other:?} is not a facet: expected one of volume, sub_series, kind, type, \
                     family, classification, precedence, caveat, archive, from, to, person, name, \
                     year, decade"
                ),
            ))
        }
    };
    // Facet values are the indexed terms: normalised as the index normalised them (a value
    // taken from a facet is already), so a typed `volume=FRUS1964-68v07` works too.
    let normalise = |v: &String| -> String {
        match name {
            // Shown as written: only whitespace is collapsed.
            "from" | "to" | "person" | "name" => chancery_model::collapse_ws(v),
            "kind" => v.trim().to_string(),
            _ => keyword(v),
        }
    };
    Ok(filter(any_of(field, values.iter().map(normalise))))
}

/// A disjunction of exact terms on a keyword field.
fn any_of(
    field: chancery_index::tantivy::schema::Field,
    values: impl Iterator<Item = String>,
) -> BoxQuery {
    let terms: Vec<Term> = values.map(|v| Term::from_field_text(field, &v)).collect();
    Box::new(BooleanQuery::new_multiterms_query(terms))
}

/// The request's date interval as inclusive UTC seconds; a bound given as a day covers the day.
fn date_interval(req: &SearchRequest) -> Result<Option<(i64, i64)>, SearchError> {
    let parse_bound =
        |field: RequestField, v: &Option<String>, end: bool| -> Result<Option<i64>, SearchError> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => match parse_iso(s) {
                    Ok(d) => Ok(Some(if end { d.end() } else { d.start })),
                    Err(why) => Err(bad(
                        field,
                        format!("{s:?} is not a date (YYYY, YYYY-MM, YYYY-MM-DD): {why}"),
                    )),
                },
            }
        };
    let from = parse_bound(RequestField::DateFrom, &req.date_from, false)?;
    let to = parse_bound(RequestField::DateTo, &req.date_to, true)?;
    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    let (from, to) = (from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX));
    if from > to {
        return Err(bad(
            RequestField::DateTo,
            format!(
                "{:?} is before the start of the interval, {:?}",
                req.date_to.as_deref().unwrap_or(""),
                req.date_from.as_deref().unwrap_or("")
            ),
        ));
    }
    Ok(Some((from, to)))
}

/// More-like-this for `volume/doc`: the query, and the clause that excludes the document itself.
fn more_like_this(
    searcher: &Searcher,
    f: &Fields,
    like: &str,
) -> Result<(BoxQuery, BoxQuery), SearchError> {
    let key = Term::from_field_text(f.key, like.trim_matches('/'));
    let found = parallel::search(
        searcher,
        &TermQuery::new(key.clone(), IndexRecordOption::Basic),
        TopDocs::with_limit(1).order_by_score(),
    )?;
    let Some((_, addr)) = found.first() else {
        return Err(bad(
            RequestField::Like,
            format!(
                "no document {like:?} in the index (expected VOLUME/DOC, e.g. frus1964-68v07/d45)"
            ),
        ));
    };
    let doc: TantivyDocument = searcher.doc(*addr)?;
    let texts: Vec<OwnedValue> = [f.title, f.text]
        .iter()
        .flat_map(|fld| {
            doc.get_all(*fld)
                .filter_map(|v| v.as_str().map(str::to_string))
        })
        .map(OwnedValue::Str)
        .collect();
    let num_docs = searcher.num_docs();
    let mlt = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(2)
        // Words in more than a tenth of the archive say nothing about a document.
        .with_max_doc_frequency((num_docs / 10).max(2))
        .with_min_term_frequency(2)
        .with_min_word_length(3)
        .with_max_query_terms(30)
        .with_document_fields(vec![(f.all, texts)]);
    Ok((
        Box::new(mlt),
        Box::new(TermQuery::new(key, IndexRecordOption::Basic)),
    ))
}

/// A hit's stored fields as read from the store: each value deserialized once, straight into
/// place (tantivy's own document type packs them into a buffer of its own first, a copy and
/// an allocation per value more for every hit).
struct StoredFields(Vec<(Field, OwnedValue)>);

impl DocumentDeserialize for StoredFields {
    fn deserialize<'de, D: DocumentDeserializer<'de>>(
        mut deserializer: D,
    ) -> Result<Self, DeserializeError> {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(value) = deserializer.next_field()? {
            values.push(value);
        }
        Ok(StoredFields(values))
    }
}

impl StoredFields {
    fn all(&self, field: Field) -> impl Iterator<Item = &OwnedValue> {
        self.0
            .iter()
            .filter(move |(f, _)| *f == field)
            .map(|(_, v)| v)
    }

    fn str(&self, field: Field) -> Option<&str> {
        self.strs(field).next()
    }

    fn strs(&self, field: Field) -> impl Iterator<Item = &str> {
        self.all(field).filter_map(|v| match v {
            OwnedValue::Str(s) => Some(s.as_str()),
            _ => None,
        })
    }

    fn i64(&self, field: Field) -> Option<i64> {
        self.all(field).find_map(|v| match v {
            OwnedValue::I64(n) => Some(*n),
            _ => None,
        })
    }
}

fn hit(
    doc: &StoredFields,
    f: &Fields,
    score: Option<f32>,
    highlighter: &mut snippet::Highlighter,
    snippets: usize,
) -> Hit {
    let stored = |field| doc.str(field).map(str::to_string);
    let path = stored(f.key).unwrap_or_default();
    let (volume_id, id) = path
        .split_once('/')
        .map(|(v, d)| (v.to_string(), d.to_string()))
        .unwrap_or_default();
    let heading = stored(f.title).unwrap_or_default();
    // Body and footnotes are only read for snippets: borrowed, not copied.
    let body = doc.str(f.text).unwrap_or_default();
    let marks: Vec<&str> = doc.strs(f.footnote_marks).collect();
    let notes: Vec<(&str, &str)> = doc
        .strs(f.footnotes)
        .enumerate()
        .map(|(i, t)| (marks.get(i).copied().unwrap_or_default(), t))
        .collect();
    let date = |fld| doc.i64(fld).map(format_utc);
    Hit {
        snippets: highlighter.snippets(&heading, body, &notes, snippets),
        path,
        volume_id,
        id,
        number: stored(f.number),
        kind: stored(f.kind).unwrap_or_default(),
        heading,
        date_text: stored(f.date_text),
        date_min: date(f.date_min),
        date_max: date(f.date_max),
        score,
    }
}
