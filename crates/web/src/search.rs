//! Search for the reading room: request parameters, results, facets and KWIC snippets.
//!
//! The engine here is an interim one that scans the archive's documents in memory (cached per
//! store generation). It keeps the request/response shape the pages and the API need, so that
//! moving to the tantivy engine of `chancery-query` (issue #5) only replaces [`execute`].
//!
//! Query language (interim subset): words and `"quoted phrases"` must all occur
//! (case-insensitive); `-word` / `-"phrase"` must not; `word*` is a prefix. Errors carry the
//! 1-based column in `q`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use chancery_store::Archive;

use crate::error::Location;
use crate::pool::Pool;
use crate::AppError;

/// Longest `q` accepted (hsg refuses over 1,000 characters).
pub const MAX_QUERY_CHARS: usize = 1000;
/// Longest value of any other parameter.
pub const MAX_PARAM_CHARS: usize = 200;
/// Most results per page.
pub const MAX_PER_PAGE: usize = 100;
/// Most repeated filter values of one kind.
pub const MAX_FILTERS: usize = 20;

/// Facets offered, in display order: (parameter, label).
pub const FACETS: &[(&str, &str)] = &[
    ("volume", "Volume"),
    ("kind", "Kind"),
    ("type", "Document type"),
    ("classification", "Classification"),
    ("caveat", "Caveats"),
    ("year", "Year"),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchParams {
    pub q: String,
    /// Facet filters: parameter → chosen values (OR within a facet, AND across facets).
    pub filters: BTreeMap<String, Vec<String>>,
    /// Inclusive day range, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as given.
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Sort,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sort {
    #[default]
    Relevance,
    DateAsc,
    DateDesc,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::DateAsc => "date",
            Sort::DateDesc => "date-desc",
        }
    }
}

impl SearchParams {
    /// Read the parameters of `/search` and `/api/v1/search`. Unknown parameters are ignored
    /// (links may carry tracking junk); bad values are 400s naming the parameter.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<SearchParams, AppError> {
        let mut p = SearchParams {
            page: 1,
            per_page: 20,
            ..SearchParams::default()
        };
        for (k, v) in pairs {
            let limit = if k == "q" {
                MAX_QUERY_CHARS
            } else {
                MAX_PARAM_CHARS
            };
            let n = v.chars().count();
            if n > limit {
                return Err(AppError::bad(
                    k,
                    format!("parameter {k} is {n} characters long; at most {limit} are accepted"),
                ));
            }
            match k.as_str() {
                "q" => p.q = v.clone(),
                "from" | "start-date" => p.from = non_empty(v),
                "to" | "end-date" => p.to = non_empty(v),
                "sort" => {
                    p.sort = match v.as_str() {
                        "" | "relevance" => Sort::Relevance,
                        "date" | "date-asc" => Sort::DateAsc,
                        "date-desc" => Sort::DateDesc,
                        other => {
                            return Err(AppError::bad(
                                "sort",
                                format!("unknown sort {other:?}: use relevance, date or date-desc"),
                            ))
                        }
                    }
                }
                "page" => p.page = parse_num("page", v, 1, 100_000)?,
                "per_page" | "per-page" => p.per_page = parse_num("per_page", v, 1, MAX_PER_PAGE)?,
                // hsg's `volume-id=` is accepted as `volume=`.
                "volume" | "volume-id" | "kind" | "year" | "type" | "classification" | "caveat" => {
                    let key = if k == "volume-id" {
                        "volume"
                    } else {
                        k.as_str()
                    };
                    if v.is_empty() {
                        continue;
                    }
                    let list = p.filters.entry(key.to_string()).or_default();
                    if list.len() >= MAX_FILTERS {
                        return Err(AppError::bad(
                            key,
                            format!("at most {MAX_FILTERS} {key} filters"),
                        ));
                    }
                    if !list.contains(v) {
                        list.push(v.clone());
                    }
                }
                _ => {}
            }
        }
        if let Some(f) = &p.from {
            day_bound(f, false).map_err(|m| AppError::bad("from", m))?;
        }
        if let Some(t) = &p.to {
            day_bound(t, true).map_err(|m| AppError::bad("to", m))?;
        }
        // The query itself is parsed by the engine that runs it (the languages differ).
        Ok(p)
    }

    /// The query string for these parameters with `page` replaced (for links).
    pub fn to_query(&self, page: usize) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", crate::html::enc(&self.q)));
        }
        for (k, vs) in &self.filters {
            for v in vs {
                parts.push(format!("{k}={}", crate::html::enc(v)));
            }
        }
        if let Some(f) = &self.from {
            parts.push(format!("from={}", crate::html::enc(f)));
        }
        if let Some(t) = &self.to {
            parts.push(format!("to={}", crate::html::enc(t)));
        }
        if self.sort != Sort::Relevance {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        parts.join("&")
    }

    /// These parameters with one facet value toggled (added if absent, removed if present),
    /// back on page 1.
    pub fn toggled(&self, facet: &str, value: &str) -> SearchParams {
        let mut p = self.clone();
        let list = p.filters.entry(facet.to_string()).or_default();
        if let Some(i) = list.iter().position(|v| v == value) {
            list.remove(i);
        } else {
            list.push(value.to_string());
        }
        if list.is_empty() {
            p.filters.remove(facet);
        }
        p.page = 1;
        p
    }

    pub fn is_active(&self, facet: &str, value: &str) -> bool {
        self.filters
            .get(facet)
            .is_some_and(|l| l.iter().any(|v| v == value))
    }

    /// Whether anything at all was asked (an empty search page shows only the form).
    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.filters.is_empty()
            && self.from.is_none()
            && self.to.is_none()
    }
}

fn non_empty(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn parse_num(name: &str, v: &str, min: usize, max: usize) -> Result<usize, AppError> {
    match v.trim().parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(AppError::bad(
            name,
            format!("{name} must be a whole number from {min} to {max}, not {v:?}"),
        )),
    }
}

/// `1968` → `1968-01-01` (from) or `1968-12-31` (to); `1968-10` likewise; a full day as is.
pub fn day_bound(s: &str, end: bool) -> Result<String, String> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str, len: usize| -> Option<u32> {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let bad = || format!("{s:?} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");
    match parts.as_slice() {
        [y] => {
            let y = num(y, 4).ok_or_else(bad)?;
            Ok(if end {
                format!("{y:04}-12-31")
            } else {
                format!("{y:04}-01-01")
            })
        }
        [y, m] => {
            let y = num(y, 4).ok_or_else(bad)?;
            let m = num(m, 2).filter(|m| (1..=12).contains(m)).ok_or_else(bad)?;
            Ok(if end {
                format!("{y:04}-{m:02}-31")
            } else {
                format!("{y:04}-{m:02}-01")
            })
        }
        [y, m, d] => {
            let y = num(y, 4).ok_or_else(bad)?;
            let m = num(m, 2).filter(|m| (1..=12).contains(m)).ok_or_else(bad)?;
            let d = num(d, 2).filter(|d| (1..=31).contains(d)).ok_or_else(bad)?;
            Ok(format!("{y:04}-{m:02}-{d:02}"))
        }
        _ => Err(bad()),
    }
}

/// One term of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Lower-cased words (one for a word, several for a phrase).
    pub text: String,
    pub negated: bool,
    pub prefix: bool,
}

fn query_error(q: &str, byte: usize, message: &str) -> AppError {
    let column = q.get(..byte).map(|s| s.chars().count() + 1).unwrap_or(1);
    AppError::BadRequest {
        message: format!("{message} (column {column})"),
        location: Some(Location {
            param: "q".into(),
            column: Some(column),
        }),
    }
}

/// Parse `q` into terms, or a 400 with the column of the problem.
pub fn parse_query(q: &str) -> Result<Vec<Term>, AppError> {
    let mut terms = Vec::new();
    let bytes = q.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let negated = c == b'-';
        if negated {
            i += 1;
            if i >= bytes.len() || bytes[i].is_ascii_whitespace() {
                return Err(query_error(q, start, "nothing follows '-'"));
            }
        }
        if matches!(bytes[i], b'(' | b')') {
            return Err(query_error(
                q,
                i,
                "parentheses are not supported by this search",
            ));
        }
        if bytes[i] == b'"' {
            let open = i;
            let Some(len) = q[open + 1..].find('"') else {
                return Err(query_error(q, open, "unclosed quotation mark"));
            };
            let phrase = q[open + 1..open + 1 + len]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if phrase.is_empty() {
                return Err(query_error(q, open, "empty phrase"));
            }
            terms.push(Term {
                text: phrase.to_lowercase(),
                negated,
                prefix: false,
            });
            i = open + len + 2;
            continue;
        }
        let word_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'"' {
            if matches!(bytes[i], b'(' | b')') {
                return Err(query_error(
                    q,
                    i,
                    "parentheses are not supported by this search",
                ));
            }
            i += 1;
        }
        let mut word = &q[word_start..i];
        if word == "AND" {
            continue;
        }
        if word == "OR" || word == "NOT" {
            return Err(query_error(
                q,
                word_start,
                &format!("{word} is not supported by this search; use -word to exclude"),
            ));
        }
        let prefix = word.ends_with('*');
        word = word.trim_end_matches('*');
        if word.contains('*') || word.contains('?') {
            return Err(query_error(
                q,
                word_start,
                "wildcards are only allowed at the end of a word",
            ));
        }
        if word.is_empty() {
            return Err(query_error(
                q,
                word_start,
                "a wildcard needs a word before it",
            ));
        }
        terms.push(Term {
            text: word.to_lowercase(),
            negated,
            prefix,
        });
    }
    Ok(terms)
}

/// Keyword-in-context: the excerpt as segments, matched or not (escaped when rendered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// `heading`, `body`, `footnote 3`, when the engine knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub text: String,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

impl Snippet {
    /// Cut `text` at the matched byte ranges (ranges off char boundaries are skipped).
    pub fn from_ranges(location: Option<String>, text: &str, ranges: &[(usize, usize)]) -> Snippet {
        let mut segments = Vec::new();
        let mut at = 0;
        for &(a, b) in ranges {
            if a < at
                || b <= a
                || b > text.len()
                || !text.is_char_boundary(a)
                || !text.is_char_boundary(b)
            {
                continue;
            }
            if a > at {
                segments.push(Segment {
                    text: text[at..a].to_string(),
                    hit: false,
                });
            }
            segments.push(Segment {
                text: text[a..b].to_string(),
                hit: true,
            });
            at = b;
        }
        if at < text.len() {
            segments.push(Segment {
                text: text[at..].to_string(),
                hit: false,
            });
        }
        Snippet {
            location,
            text: text.to_string(),
            segments,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub volume_id: String,
    pub id: String,
    pub heading: String,
    pub kind: String,
    pub date_text: Option<String>,
    pub date: Option<String>,
    pub score: f64,
    pub snippets: Vec<Snippet>,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub params: SearchParams,
    pub total: u64,
    /// Matching documents without a date (left out when a date range is given).
    pub undated: u64,
    pub page: usize,
    pub per_page: usize,
    pub pages: usize,
    pub hits: Vec<Hit>,
    /// Facet parameter → values with counts under the current query and filters.
    pub facets: BTreeMap<String, Vec<FacetValue>>,
    pub took_ms: f64,
    /// Which engine answered.
    pub engine: &'static str,
}

/// One searchable document, lower-cased once per store generation.
#[derive(Debug)]
pub struct Rec {
    volume_id: String,
    id: String,
    heading: String,
    kind: String,
    date_text: Option<String>,
    /// `YYYY-MM-DD` of `date_min`.
    day: Option<String>,
    /// Heading, body and notes, one per line, as stored.
    text: String,
    lower: String,
    heading_lower: String,
    seq: i64,
}

pub struct Corpus {
    generation: i64,
    recs: Vec<Rec>,
    volume_titles: BTreeMap<String, String>,
}

fn load_corpus(archive: &Archive, generation: i64) -> Result<Corpus, AppError> {
    let conn = archive.connection();
    let mut stmt = conn.prepare_cached(
        "SELECT d.volume_id, d.id, d.heading, d.kind, d.date_text, substr(d.date_min, 1, 10),
                d.text, d.seq,
                (SELECT group_concat(f.text, char(10)) FROM footnotes f WHERE f.document_key = d.key)
         FROM documents d",
    )?;
    let rows = stmt.query_map([], |r| {
        let heading: String = r.get(2)?;
        let body: String = r.get(6)?;
        let notes: Option<String> = r.get(8)?;
        let text = format!("{heading}\n{body}\n{}", notes.unwrap_or_default());
        Ok(Rec {
            volume_id: r.get(0)?,
            id: r.get(1)?,
            lower: text.to_lowercase(),
            heading_lower: heading.to_lowercase(),
            heading,
            kind: r.get(3)?,
            date_text: r.get(4)?,
            day: r.get(5)?,
            text,
            seq: r.get(7)?,
        })
    })?;
    let recs = rows.collect::<Result<Vec<_>, _>>()?;
    let mut volume_titles = BTreeMap::new();
    for v in archive.volumes()? {
        if let Some(t) = v.title.filter(|t| !t.trim().is_empty()) {
            volume_titles.insert(v.id, t);
        }
    }
    Ok(Corpus {
        generation,
        recs,
        volume_titles,
    })
}

fn corpus(pool: &Pool, archive: &Archive) -> Result<Arc<Corpus>, AppError> {
    let generation = archive.generation()?;
    if let Some(c) = pool.search_corpus() {
        if c.generation == generation {
            return Ok(c);
        }
    }
    let c = Arc::new(load_corpus(archive, generation)?);
    pool.set_search_corpus(Arc::clone(&c));
    Ok(c)
}

/// Whether `term` occurs in `hay` (lower-cased), at a word start; byte offset of the first.
fn find_term(hay: &str, term: &Term) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(pos) = hay[from..].find(term.text.as_str()) {
        let start = from + pos;
        let end = start + term.text.len();
        let before_ok = hay[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = term.prefix
            || hay[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            // Extend a prefix match to the end of its word, for the snippet.
            let mut e = end;
            if term.prefix {
                e += hay[end..]
                    .char_indices()
                    .find(|(_, c)| !c.is_alphanumeric())
                    .map(|(i, _)| i)
                    .unwrap_or(hay.len() - end);
            }
            return Some((start, e));
        }
        from = start + hay[start..].chars().next().map(char::len_utf8).unwrap_or(1);
    }
    None
}

fn count_term(hay: &str, term: &Term) -> usize {
    let mut n = 0;
    let mut from = 0;
    while let Some((s, e)) = find_term(&hay[from..], term) {
        n += 1;
        from += e.max(s + 1);
        if n >= 1000 {
            break;
        }
    }
    n
}

/// Cut `s` at a char boundary at or before `i`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn snippets(rec: &Rec, terms: &[Term]) -> Vec<Snippet> {
    const WIDTH: usize = 70;
    let mut out: Vec<Snippet> = Vec::new();
    let mut used: Vec<(usize, usize)> = Vec::new();
    for t in terms.iter().filter(|t| !t.negated) {
        let mut from = 0;
        while out.len() < 3 {
            let Some((s, e)) = find_term(&rec.lower[from..], t).map(|(s, e)| (s + from, e + from))
            else {
                break;
            };
            from = e;
            if used.iter().any(|(a, b)| s < *b + WIDTH && e + WIDTH > *a) {
                continue;
            }
            // Lower-casing can change byte lengths (rarely); fall back to no snippet then.
            if rec.lower.len() != rec.text.len() {
                break;
            }
            let a = floor(&rec.text, s.saturating_sub(WIDTH));
            let b = floor(&rec.text, (e + WIDTH).min(rec.text.len()));
            let (s, e) = (floor(&rec.text, s), floor(&rec.text, e));
            let clean = |x: &str| x.replace('\n', " ¶ ");
            let before = format!("{}{}", if a > 0 { "…" } else { "" }, clean(&rec.text[a..s]));
            let hit = clean(&rec.text[s..e]);
            let after = format!(
                "{}{}",
                clean(&rec.text[e..b]),
                if b < rec.text.len() { "…" } else { "" }
            );
            let text = format!("{before}{hit}{after}");
            out.push(Snippet::from_ranges(
                None,
                &text,
                &[(before.len(), before.len() + hit.len())],
            ));
            used.push((s, e));
        }
    }
    out
}

fn year_of(rec: &Rec) -> Option<&str> {
    rec.day.as_deref().and_then(|d| d.get(..4))
}

fn facet_value<'a>(rec: &'a Rec, facet: &str) -> Option<&'a str> {
    match facet {
        "volume" => Some(&rec.volume_id),
        "kind" => Some(&rec.kind),
        "year" => year_of(rec),
        _ => None,
    }
}

/// Run a search: on the tantivy index when there is one, else on the interim scan.
pub fn execute(
    pool: &Pool,
    archive: &Archive,
    p: &SearchParams,
) -> Result<SearchResults, AppError> {
    match pool.current_index(archive) {
        Some(index) => execute_index(index, archive, p),
        None => execute_scan(pool, archive, p),
    }
}

fn query_error_of(e: &chancery_query::ParseError) -> AppError {
    AppError::BadRequest {
        message: e.to_string(),
        location: Some(Location {
            param: "q".into(),
            column: Some(e.column),
        }),
    }
}

fn execute_index(
    index: &chancery_index::SearchIndex,
    archive: &Archive,
    p: &SearchParams,
) -> Result<SearchResults, AppError> {
    // The user's query is checked on its own so an error's column is a column of what they typed.
    chancery_query::parse(&p.q).map_err(|e| query_error_of(&e))?;
    let per_page = p.per_page.clamp(1, MAX_PER_PAGE);
    let req = chancery_query::SearchRequest {
        query: p.q.clone(),
        // Facet filters go to the engine as filters, not query text: each facet is then counted
        // without its own filter, so the other values stay listed and a choice can be widened.
        filters: p
            .filters
            .iter()
            .filter(|(name, _)| FACETS.iter().any(|(f, _)| f == name))
            .map(|(name, values)| (name.clone(), values.clone()))
            .collect(),
        date_from: p.from.clone(),
        date_to: p.to.clone(),
        sort: match p.sort {
            Sort::Relevance => chancery_query::Sort::Relevance,
            Sort::DateAsc => chancery_query::Sort::Date,
            Sort::DateDesc => chancery_query::Sort::DateDesc,
        },
        facets: true,
        facet_limit: 30,
        limit: per_page,
        offset: (p.page.max(1) - 1) * per_page,
        snippets: 3,
        // Front and back matter are out of scope unless a matter kind is chosen.
        include_matter: p
            .filters
            .get("kind")
            .is_some_and(|k| k.iter().any(|k| k.ends_with("-matter"))),
        ..chancery_query::SearchRequest::default()
    };
    let resp = chancery_query::search(index, &req).map_err(|e| match e {
        chancery_query::SearchError::Parse(pe) => query_error_of(&pe),
        chancery_query::SearchError::Request(m) => AppError::BadRequest {
            message: m,
            location: None,
        },
        other => AppError::Internal(other.to_string()),
    })?;
    let _ = archive;
    let pages = (resp.total as usize).div_ceil(per_page).max(1);
    let facets = resp
        .facets
        .unwrap_or_default()
        .into_iter()
        .filter(|(name, _)| FACETS.iter().any(|(f, _)| f == name))
        .map(|(name, values)| {
            let values = values
                .into_iter()
                .filter(|v| v.count > 0)
                .map(|v| FacetValue {
                    label: if name == "kind" {
                        kind_label(&v.value).to_string()
                    } else {
                        v.value.clone()
                    },
                    value: v.value,
                    count: v.count,
                })
                .collect();
            (name, values)
        })
        .collect();
    Ok(SearchResults {
        params: p.clone(),
        total: resp.total,
        undated: resp.undated_excluded.or(resp.undated).unwrap_or(0),
        page: p.page.max(1),
        per_page,
        pages,
        hits: resp
            .hits
            .into_iter()
            .map(|h| Hit {
                url: crate::html::doc_url(&h.volume_id, &h.id),
                date: h
                    .date_min
                    .as_deref()
                    .and_then(|d| d.get(..10))
                    .map(str::to_string),
                volume_id: h.volume_id,
                id: h.id,
                heading: h.heading,
                kind: h.kind,
                date_text: h.date_text,
                score: h.score.map(f64::from).unwrap_or(0.0),
                snippets: h
                    .snippets
                    .into_iter()
                    .map(|s| Snippet::from_ranges(Some(s.location), &s.text, &s.highlights))
                    .collect(),
            })
            .collect(),
        facets,
        took_ms: (resp.took_ms * 100.0).round() / 100.0,
        engine: "tantivy",
    })
}

fn execute_scan(
    pool: &Pool,
    archive: &Archive,
    p: &SearchParams,
) -> Result<SearchResults, AppError> {
    let started = std::time::Instant::now();
    let terms = parse_query(&p.q)?;
    let corpus = corpus(pool, archive)?;
    let from = p
        .from
        .as_deref()
        .map(|f| day_bound(f, false))
        .transpose()
        .map_err(|m| AppError::bad("from", m))?;
    let to =
        p.to.as_deref()
            .map(|t| day_bound(t, true))
            .transpose()
            .map_err(|m| AppError::bad("to", m))?;
    let dated = from.is_some() || to.is_some();

    // Documents matching the query text (before filters), with scores.
    let mut matched: Vec<(&Rec, f64)> = Vec::new();
    for rec in &corpus.recs {
        let mut score = 0.0;
        let mut ok = true;
        for t in &terms {
            let present = find_term(&rec.lower, t).is_some();
            if t.negated {
                if present {
                    ok = false;
                    break;
                }
            } else if !present {
                ok = false;
                break;
            } else {
                score += count_term(&rec.lower, t) as f64
                    + 5.0 * count_term(&rec.heading_lower, t) as f64;
            }
        }
        if ok {
            matched.push((
                rec,
                score / (1.0 + (rec.lower.len() as f64 / 2000.0)).sqrt(),
            ));
        }
    }
    let in_range = |r: &Rec| match &r.day {
        None => !dated,
        Some(d) => {
            from.as_deref().is_none_or(|f| d.as_str() >= f)
                && to.as_deref().is_none_or(|t| d.as_str() <= t)
        }
    };
    let passes = |r: &Rec, skip: Option<&str>| -> bool {
        p.filters.iter().all(|(facet, values)| {
            if Some(facet.as_str()) == skip {
                return true;
            }
            facet_value(r, facet).is_some_and(|v| values.iter().any(|x| x == v))
        })
    };
    // Facet counts: each facet counted under every filter except its own, so the other values
    // of a facet stay visible (and clickable) after one is chosen.
    let mut facets = BTreeMap::new();
    for (facet, _) in FACETS {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for (rec, _) in &matched {
            if in_range(rec) && passes(rec, Some(facet)) {
                if let Some(v) = facet_value(rec, facet) {
                    *counts.entry(v.to_string()).or_default() += 1;
                }
            }
        }
        let mut values: Vec<FacetValue> = counts
            .into_iter()
            .map(|(value, count)| FacetValue {
                label: match *facet {
                    "kind" => kind_label(&value).to_string(),
                    _ => value.clone(),
                },
                value,
                count,
            })
            .collect();
        if *facet == "year" {
            values.sort_by(|a, b| a.value.cmp(&b.value));
        } else {
            values.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        }
        facets.insert(facet.to_string(), values);
    }
    let undated = matched
        .iter()
        .filter(|(r, _)| r.day.is_none() && passes(r, None))
        .count() as u64;
    let mut hits: Vec<(&Rec, f64)> = matched
        .into_iter()
        .filter(|(r, _)| in_range(r) && passes(r, None))
        .collect();
    let no_text = terms.iter().all(|t| t.negated);
    match (p.sort, no_text) {
        (Sort::Relevance, false) => hits.sort_by(|a, b| {
            b.1.partial_cmp(&a.1)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| date_key(a.0).cmp(&date_key(b.0)))
        }),
        // No words to rank by: date order, as hsg does.
        (Sort::Relevance, true) | (Sort::DateAsc, _) => {
            hits.sort_by(|a, b| date_key(a.0).cmp(&date_key(b.0)))
        }
        (Sort::DateDesc, _) => hits.sort_by(|a, b| {
            let (ka, kb) = (date_key(a.0), date_key(b.0));
            // Undated last in both directions.
            ka.0.cmp(&kb.0).then_with(|| kb.cmp(&ka))
        }),
    }
    let total = hits.len() as u64;
    let per_page = p.per_page.clamp(1, MAX_PER_PAGE);
    let pages = hits.len().div_ceil(per_page).max(1);
    let page = p.page.clamp(1, pages.max(1));
    let hits = hits
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|(r, score)| Hit {
            volume_id: r.volume_id.clone(),
            id: r.id.clone(),
            heading: r.heading.clone(),
            kind: r.kind.clone(),
            date_text: r.date_text.clone(),
            date: r.day.clone(),
            score: (score * 1000.0).round() / 1000.0,
            snippets: snippets(r, &terms),
            url: crate::html::doc_url(&r.volume_id, &r.id),
        })
        .collect();
    let _ = &corpus.volume_titles;
    Ok(SearchResults {
        params: p.clone(),
        total,
        undated,
        page,
        per_page,
        pages,
        hits,
        facets,
        took_ms: (started.elapsed().as_secs_f64() * 1e5).round() / 100.0,
        engine: "interim-scan",
    })
}

/// Sort key: dated before undated, then day, then reading order.
fn date_key(r: &Rec) -> (bool, &str, &str, i64) {
    (
        r.day.is_none(),
        r.day.as_deref().unwrap_or(""),
        r.volume_id.as_str(),
        r.seq,
    )
}

pub fn kind_label(kind: &str) -> &str {
    match kind {
        "historical-document" => "Historical document",
        "editorial-note" => "Editorial note",
        "front-matter" => "Front matter",
        "back-matter" => "Back matter",
        other => other,
    }
}

/// The volume titles known to the search corpus (for facet labels).
pub fn volume_title(pool: &Pool, id: &str) -> Option<String> {
    pool.search_corpus()
        .and_then(|c| c.volume_titles.get(id).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_errors_are_located() {
        let e = parse_query("bombing \"Paris talks").err();
        match e {
            Some(AppError::BadRequest { message, location }) => {
                assert!(message.contains("unclosed quotation mark"), "{message}");
                assert_eq!(location.and_then(|l| l.column), Some(9));
            }
            other => panic!("expected a located error, got {other:?}"),
        }
        assert!(parse_query("a - b").is_err());
        assert!(parse_query("a (b)").is_err());
        assert!(parse_query("*").is_err());
        let t = parse_query("Harriman -Vance \"tea break\" bomb*").unwrap_or_default();
        assert_eq!(t.len(), 4);
        assert!(t[1].negated && t[3].prefix && t[2].text == "tea break");
    }

    #[test]
    fn day_bounds() {
        assert_eq!(day_bound("1968", false).as_deref(), Ok("1968-01-01"));
        assert_eq!(day_bound("1968-10", true).as_deref(), Ok("1968-10-31"));
        assert!(day_bound("68", false).is_err());
        assert!(day_bound("1968-13", false).is_err());
    }

    #[test]
    fn term_boundaries() {
        let t = Term {
            text: "tho".into(),
            negated: false,
            prefix: false,
        };
        assert!(find_term("though tho", &t) == Some((7, 10)));
        let t = Term {
            text: "bomb".into(),
            negated: false,
            prefix: true,
        };
        assert_eq!(find_term("the bombing", &t), Some((4, 11)));
    }
}
