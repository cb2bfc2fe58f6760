//! From the parsed query to tantivy queries, and to what snippets highlight.

use std::ops::Bound;

use chancery_index::tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use chancery_index::tantivy::schema::{Field, IndexRecordOption};
use chancery_index::tantivy::Term;
use chancery_index::Fields;
use serde::{Deserialize, Serialize};

use crate::parse::{KeywordField, Node, TextField, TextQuery};

/// How a date interval selects documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateMode {
    /// The document's interval overlaps the one asked for (a document dated "October 1968"
    /// matches a search for 1968-10-15).
    #[default]
    Overlap,
    /// The document's whole interval lies inside the one asked for (history.state.gov's rule).
    Within,
}

pub(crate) type BoxQuery = Box<dyn Query>;

/// A query whose matches all score zero: filters should not move the ranking.
pub(crate) fn filter(q: BoxQuery) -> BoxQuery {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

pub(crate) fn text_field(f: &Fields, field: TextField) -> Field {
    match field {
        TextField::All => f.all,
        TextField::Title => f.title,
        TextField::Text => f.text,
        TextField::Footnotes => f.footnotes,
        TextField::From => f.from,
        TextField::To => f.to,
    }
}

fn keyword_field(f: &Fields, field: KeywordField) -> Field {
    match field {
        KeywordField::Volume => f.volume,
        KeywordField::Kind => f.kind,
        KeywordField::Type => f.doc_type,
        KeywordField::Family => f.family,
        KeywordField::Classification => f.classification,
        KeywordField::Precedence => f.precedence,
        KeywordField::Caveat => f.caveat,
        KeywordField::Archive => f.archive,
    }
}

/// Escape a literal for the term-dictionary regex, turning `*` and `?` into wildcards.
fn glob_to_regex(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    for c in pattern.chars() {
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            '\\' | '.' | '+' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' | '#' | '&'
            | '-' | '~' => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out
}

pub(crate) fn text_query(field: Field, q: &TextQuery) -> Result<BoxQuery, String> {
    Ok(match q {
        TextQuery::Term { word } => Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        )),
        TextQuery::Phrase { words, slop } => {
            let mut pq = PhraseQuery::new(
                words
                    .iter()
                    .map(|w| Term::from_field_text(field, w))
                    .collect(),
            );
            pq.set_slop(*slop);
            Box::new(pq)
        }
        TextQuery::Wildcard { pattern } => Box::new(
            RegexQuery::from_pattern(&glob_to_regex(pattern), field)
                .map_err(|e| format!("bad wildcard {pattern:?}: {e}"))?,
        ),
        TextQuery::Fuzzy { word, distance } => Box::new(FuzzyTermQuery::new(
            Term::from_field_text(field, word),
            *distance,
            true,
        )),
    })
}

/// Whether an exact phrase can be looked up as word pairs: every two adjacent words include a
/// common one (so the pair field holds each pair wherever the phrase occurs).
fn pairs_cover(words: &[String]) -> bool {
    words.len() >= 2
        && words.windows(2).all(|w| {
            chancery_index::analyzer::is_common(&w[0]) || chancery_index::analyzer::is_common(&w[1])
        })
}

/// An exact phrase as its word pairs, each at its word's offset: the pairs occur at consecutive
/// positions exactly where the words do, and pairs are far rarer than their common words.
fn pair_phrase(field: Field, words: &[String]) -> BoxQuery {
    let terms: Vec<(usize, Term)> = words
        .windows(2)
        .enumerate()
        .map(|(i, w)| {
            (
                i,
                Term::from_field_text(field, &chancery_index::analyzer::pair(&w[0], &w[1])),
            )
        })
        .collect();
    match terms.as_slice() {
        [(_, one)] => Box::new(TermQuery::new(one.clone(), IndexRecordOption::WithFreqs)),
        _ => Box::new(PhraseQuery::new_with_offset(terms)),
    }
}

/// The date clause for an interval under a mode. Undated documents have no `date_min`, so no
/// range matches them: they are excluded from every date filter.
pub(crate) fn date_query(f: &Fields, from: i64, to: i64, mode: DateMode) -> BoxQuery {
    let bound = |field, v: i64, lower: bool| -> Bound<Term> {
        if (lower && v == i64::MIN) || (!lower && v == i64::MAX) {
            Bound::Unbounded
        } else {
            Bound::Included(Term::from_field_i64(field, v))
        }
    };
    let (a, b): (BoxQuery, BoxQuery) = match mode {
        // min ≤ to  and  max ≥ from
        DateMode::Overlap => (
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.date_min, i64::MIN)),
                bound(f.date_min, to, false),
            )),
            Box::new(RangeQuery::new(
                bound(f.date_max, from, true),
                Bound::Included(Term::from_field_i64(f.date_max, i64::MAX)),
            )),
        ),
        // min ≥ from  and  max ≤ to
        DateMode::Within => (
            Box::new(RangeQuery::new(
                bound(f.date_min, from, true),
                Bound::Included(Term::from_field_i64(f.date_min, i64::MAX)),
            )),
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.date_max, i64::MIN)),
                bound(f.date_max, to, false),
            )),
        ),
    };
    filter(Box::new(BooleanQuery::new(vec![
        (Occur::Must, a),
        (Occur::Must, b),
    ])))
}

/// Compile a parsed query.
pub fn compile(node: &Node, f: &Fields, mode: DateMode) -> Result<BoxQuery, String> {
    Ok(match node {
        Node::All => Box::new(AllQuery),
        Node::And { items } => {
            let mut clauses = Vec::new();
            let mut positive = false;
            for item in items {
                match item {
                    Node::Not { item } => clauses.push((Occur::MustNot, compile(item, f, mode)?)),
                    other => {
                        positive = true;
                        clauses.push((Occur::Must, compile(other, f, mode)?));
                    }
                }
            }
            if !positive {
                // Only exclusions: exclude them from everything.
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Node::Or { items } => Box::new(BooleanQuery::new(
            items
                .iter()
                .map(|i| Ok((Occur::Should, compile(i, f, mode)?)))
                .collect::<Result<_, String>>()?,
        )),
        Node::Not { item } => Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery) as BoxQuery),
            (Occur::MustNot, compile(item, f, mode)?),
        ])),
        Node::Text {
            field: TextField::All,
            query: TextQuery::Phrase { words, slop: 0 },
            ..
        } if pairs_cover(words) => pair_phrase(f.all_pairs, words),
        Node::Text { field, query, .. } => text_query(text_field(f, *field), query)?,
        Node::Keyword {
            field,
            value,
            pattern,
            ..
        } => {
            let fld = keyword_field(f, *field);
            filter(if *pattern {
                Box::new(
                    RegexQuery::from_pattern(&glob_to_regex(value), fld)
                        .map_err(|e| format!("bad wildcard {value:?}: {e}"))?,
                )
            } else {
                Box::new(TermQuery::new(
                    Term::from_field_text(fld, value),
                    IndexRecordOption::Basic,
                ))
            })
        }
        Node::Person { id, name, .. } => {
            let by_id: BoxQuery = match name {
                TextQuery::Wildcard { pattern } => Box::new(
                    RegexQuery::from_pattern(&glob_to_regex(pattern), f.person_id)
                        .map_err(|e| format!("bad wildcard {pattern:?}: {e}"))?,
                ),
                _ => Box::new(TermQuery::new(
                    Term::from_field_text(f.person_id, id),
                    IndexRecordOption::Basic,
                )),
            };
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, by_id),
                (Occur::Should, text_query(f.person_name, name)?),
            ]))
        }
        Node::Date { from, to, .. } => date_query(f, *from, *to, mode),
    })
}

/// Whether the query has anything that scores (words), as opposed to filters only.
pub fn has_text(node: &Node) -> bool {
    match node {
        Node::All | Node::Keyword { .. } | Node::Date { .. } => false,
        Node::Text { .. } | Node::Person { .. } => true,
        Node::Not { .. } => false,
        Node::And { items } | Node::Or { items } => items.iter().any(has_text),
    }
}

/// Where a highlight applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Anywhere in the document (a clause with no field).
    Any,
    /// The heading only (`title:`).
    Heading,
    /// The body only (`text:`).
    Body,
    /// The footnotes only (`footnotes:`).
    Footnotes,
}

/// The positive text clauses of a query (not under NOT), with where they can match.
pub fn highlights(node: &Node) -> Vec<(Place, TextQuery)> {
    let mut out = Vec::new();
    collect_highlights(node, &mut out);
    out
}

fn collect_highlights(node: &Node, out: &mut Vec<(Place, TextQuery)>) {
    match node {
        Node::And { items } | Node::Or { items } => {
            for i in items {
                collect_highlights(i, out);
            }
        }
        Node::Text { field, query, .. } => {
            let place = match field {
                TextField::All => Place::Any,
                TextField::Title | TextField::From | TextField::To => Place::Heading,
                TextField::Text => Place::Body,
                TextField::Footnotes => Place::Footnotes,
            };
            out.push((place, query.clone()));
        }
        Node::Person { name, .. } => out.push((Place::Any, name.clone())),
        Node::Not { .. } | Node::All | Node::Keyword { .. } | Node::Date { .. } => {}
    }
}
