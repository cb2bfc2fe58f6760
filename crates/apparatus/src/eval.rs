//! Evaluation against a hand-built gold set: per-field precision and
//! recall, with the misses listed so that regressions are readable.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::document::{analyze, DocumentAnalysis, DocumentInput};
use crate::text::trim_punct;

/// The fields scored, in report order.
pub const FIELDS: &[&str] = &[
    "doc_type",
    "from",
    "to",
    "repository",
    "record_group",
    "lot",
    "decimal_files",
    "classification",
    "precedence",
    "caveats",
    "code_words",
    "repeated_to",
    "drafted_by",
    "cleared_by",
    "approved_by",
    "reading_marks",
    "telegram_numbers",
    "cable_references",
    "text_references",
];

/// Expected values of one gold document. Scalars are `null` when absent;
/// lists hold comparison keys (see the key methods of the item types).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Expected {
    pub doc_type: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub repository: Option<String>,
    pub record_group: Option<String>,
    pub lot: Option<String>,
    pub decimal_files: Vec<String>,
    pub classification: Option<String>,
    pub precedence: Option<String>,
    pub caveats: Vec<String>,
    pub code_words: Vec<String>,
    pub repeated_to: Vec<String>,
    pub drafted_by: Vec<String>,
    pub cleared_by: Vec<String>,
    pub approved_by: Vec<String>,
    pub reading_marks: Vec<String>,
    pub telegram_numbers: Vec<String>,
    pub cable_references: Vec<String>,
    pub text_references: Vec<String>,
}

/// One gold document: the texts and the expected values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct GoldEntry {
    pub volume: String,
    pub document: String,
    /// "tei" or "text" (a history.state.gov capture).
    pub origin: String,
    pub heading: String,
    pub source_note: String,
    pub opener: String,
    pub body_opening: String,
    pub notes: Vec<String>,
    pub expected: Expected,
}

/// The gold file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct GoldSet {
    pub description: String,
    pub entries: Vec<GoldEntry>,
}

/// Counts and scores of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct FieldScore {
    pub field: String,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl FieldScore {
    /// 1.0 when nothing was predicted (no false claims were made).
    pub fn precision(&self) -> f64 {
        let d = self.true_positives + self.false_positives;
        if d == 0 {
            1.0
        } else {
            self.true_positives as f64 / d as f64
        }
    }

    /// 1.0 when the gold set holds no value for the field.
    pub fn recall(&self) -> f64 {
        let d = self.true_positives + self.false_negatives;
        if d == 0 {
            1.0
        } else {
            self.true_positives as f64 / d as f64
        }
    }

    pub fn support(&self) -> usize {
        self.true_positives + self.false_negatives
    }
}

/// A disagreement on one field of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Miss {
    pub volume: String,
    pub document: String,
    pub field: String,
    /// In the gold set, not predicted.
    pub missing: Vec<String>,
    /// Predicted, not in the gold set.
    pub spurious: Vec<String>,
}

/// Result of [`eval`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct EvalReport {
    pub documents: usize,
    pub fields: Vec<FieldScore>,
    pub misses: Vec<Miss>,
    /// Set when the gold JSON could not be read.
    pub error: Option<String>,
}

impl EvalReport {
    pub fn field(&self, name: &str) -> Option<&FieldScore> {
        self.fields.iter().find(|f| f.field == name)
    }

    /// Lowest precision or recall over all fields.
    pub fn worst(&self) -> f64 {
        self.fields
            .iter()
            .flat_map(|f| [f.precision(), f.recall()])
            .fold(1.0, f64::min)
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(e) = &self.error {
            writeln!(f, "gold set error: {e}")?;
        }
        writeln!(f, "documents: {}", self.documents)?;
        writeln!(
            f,
            "{:<18} {:>7} {:>5} {:>5} {:>5} {:>9} {:>7}",
            "field", "support", "tp", "fp", "fn", "precision", "recall"
        )?;
        writeln!(f, "{}", "-".repeat(62))?;
        for s in &self.fields {
            writeln!(
                f,
                "{:<18} {:>7} {:>5} {:>5} {:>5} {:>8.1}% {:>6.1}%",
                s.field,
                s.support(),
                s.true_positives,
                s.false_positives,
                s.false_negatives,
                s.precision() * 100.0,
                s.recall() * 100.0
            )?;
        }
        if !self.misses.is_empty() {
            writeln!(f, "\nmisses ({}):", self.misses.len())?;
            for m in &self.misses {
                writeln!(
                    f,
                    "  {} {} {}: missing {:?} spurious {:?}",
                    m.volume, m.document, m.field, m.missing, m.spurious
                )?;
            }
        }
        Ok(())
    }
}

/// Normalise a value for comparison: trimmed, en dashes as hyphens, no
/// leading "the ", no trailing punctuation.
fn norm(s: &str) -> String {
    let t = trim_punct(s);
    let t = t
        .strip_prefix("the ")
        .or_else(|| t.strip_prefix("The "))
        .unwrap_or(t);
    t.replace(['–', '—'], "-")
}

fn set<I: IntoIterator<Item = String>>(it: I) -> BTreeSet<String> {
    it.into_iter()
        .map(|s| norm(&s))
        .filter(|s| !s.is_empty())
        .collect()
}

fn opt(o: &Option<String>) -> BTreeSet<String> {
    set(o.clone())
}

/// Predicted values per field as comparison keys.
pub fn predicted(a: &DocumentAnalysis) -> Vec<(&'static str, BTreeSet<String>)> {
    let s = &a.source;
    let names = |v: &[crate::source_note::Addressee]| set(v.iter().map(|x| x.name.clone()));
    vec![
        ("doc_type", opt(&a.doc_type)),
        (
            "from",
            opt(&a.heading.from.as_ref().map(|p| p.text.clone())),
        ),
        ("to", opt(&a.heading.to.as_ref().map(|p| p.text.clone()))),
        ("repository", opt(&s.repository)),
        ("record_group", opt(&s.record_group)),
        ("lot", opt(&s.lot)),
        ("decimal_files", set(s.decimal_files.clone())),
        (
            "classification",
            opt(&a.classification.map(|c| c.label().to_string())),
        ),
        (
            "precedence",
            opt(&s.precedence.map(|p| p.label().to_string())),
        ),
        ("caveats", set(s.caveats.clone())),
        ("code_words", set(s.code_words.clone())),
        ("repeated_to", names(&s.repeated_to)),
        ("drafted_by", set(s.drafted_by.clone())),
        ("cleared_by", set(s.cleared_by.clone())),
        ("approved_by", set(s.approved_by.clone())),
        (
            "reading_marks",
            set(s.reading_marks.iter().map(|m| m.key())),
        ),
        (
            "telegram_numbers",
            set(a.telegram_numbers.iter().map(|t| t.key())),
        ),
        (
            "cable_references",
            set(a.cable_references.iter().map(|c| c.item.key())),
        ),
        (
            "text_references",
            set(a.text_references.iter().map(|r| r.item.key())),
        ),
    ]
}

fn expected_sets(e: &Expected) -> Vec<(&'static str, BTreeSet<String>)> {
    vec![
        ("doc_type", opt(&e.doc_type)),
        ("from", opt(&e.from)),
        ("to", opt(&e.to)),
        ("repository", opt(&e.repository)),
        ("record_group", opt(&e.record_group)),
        ("lot", opt(&e.lot)),
        ("decimal_files", set(e.decimal_files.clone())),
        ("classification", opt(&e.classification)),
        ("precedence", opt(&e.precedence)),
        ("caveats", set(e.caveats.clone())),
        ("code_words", set(e.code_words.clone())),
        ("repeated_to", set(e.repeated_to.clone())),
        ("drafted_by", set(e.drafted_by.clone())),
        ("cleared_by", set(e.cleared_by.clone())),
        ("approved_by", set(e.approved_by.clone())),
        ("reading_marks", set(e.reading_marks.clone())),
        ("telegram_numbers", set(e.telegram_numbers.clone())),
        ("cable_references", set(e.cable_references.clone())),
        ("text_references", set(e.text_references.clone())),
    ]
}

/// Analyse one gold entry with the crate's parsers.
pub fn analyze_entry(e: &GoldEntry) -> DocumentAnalysis {
    analyze(&DocumentInput {
        volume: Some(e.volume.clone()),
        heading: e.heading.clone(),
        source_note: e.source_note.clone(),
        opener: e.opener.clone(),
        body_opening: e.body_opening.clone(),
        notes: e.notes.clone(),
    })
}

/// Score the parsers against a gold JSON document ([`GoldSet`]).
pub fn eval(gold_json: &str) -> EvalReport {
    let gold: GoldSet = match serde_json::from_str(gold_json) {
        Ok(g) => g,
        Err(err) => {
            return EvalReport {
                error: Some(err.to_string()),
                ..Default::default()
            }
        }
    };
    let mut fields: Vec<FieldScore> = FIELDS
        .iter()
        .map(|f| FieldScore {
            field: f.to_string(),
            ..Default::default()
        })
        .collect();
    let mut misses = Vec::new();
    for entry in &gold.entries {
        let a = analyze_entry(entry);
        let pred = predicted(&a);
        let exp = expected_sets(&entry.expected);
        for ((name, p), (_, g)) in pred.iter().zip(exp.iter()) {
            let Some(score) = fields.iter_mut().find(|f| f.field == *name) else {
                continue;
            };
            let tp = p.intersection(g).count();
            let spurious: Vec<String> = p.difference(g).cloned().collect();
            let missing: Vec<String> = g.difference(p).cloned().collect();
            score.true_positives += tp;
            score.false_positives += spurious.len();
            score.false_negatives += missing.len();
            if !spurious.is_empty() || !missing.is_empty() {
                misses.push(Miss {
                    volume: entry.volume.clone(),
                    document: entry.document.clone(),
                    field: name.to_string(),
                    missing,
                    spurious,
                });
            }
        }
    }
    EvalReport {
        documents: gold.entries.len(),
        fields,
        misses,
        error: None,
    }
}
