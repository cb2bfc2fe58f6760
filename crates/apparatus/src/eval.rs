//! Scoring against the blind gold set (`gold/` at the repository root): per-field and per-era
//! precision and recall, with every disagreement listed so a regression reads as a sentence.
//!
//! The gold names real documents by source file and id and gives the values a historian reads
//! in them ([`Labels`], written to `gold/GUIDE.md` before the parsers were changed). Reading the
//! files is the caller's job (the CLI has the readers); this module only compares.

use std::collections::BTreeSet;
use std::fmt;

use chancery_model::volume_id::VolumeId;
use serde::{Deserialize, Serialize};

use crate::prose::trim_punct;

/// Every labelled field, in report order.
pub const FIELDS: &[&str] = &[
    "doc_type",
    "doc_family",
    "markers",
    "serial_number",
    "telegram_numbers",
    "from",
    "from_office",
    "from_person",
    "to",
    "to_office",
    "to_person",
    "place",
    "date",
    "time",
    "received",
    "repository",
    "record_group",
    "lot",
    "archive_path",
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
    "cable_references",
    "text_references",
];

/// The values of one document, as the gold writes them (and as predictions are put to be
/// compared). Scalars are `None` when the document does not state them; lists are empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Labels {
    /// The specific type ("memorandum of conversation").
    pub doc_type: Option<String>,
    /// The type's family ("memorandum").
    pub doc_family: Option<String>,
    /// Form marks: circular, paraphrase, extract, translation.
    pub markers: Vec<String>,
    /// The despatch's or instruction's own number.
    pub serial_number: Option<String>,
    /// The numbers the telegram carries.
    pub telegram_numbers: Vec<String>,
    /// The sender as the heading names it.
    pub from: Option<String>,
    /// The sender's office, when the sender is one.
    pub from_office: Option<String>,
    /// The sending person, when the sender is one.
    pub from_person: Option<String>,
    /// The recipient as the heading names it.
    pub to: Option<String>,
    /// The recipient's office, when the recipient is one.
    pub to_office: Option<String>,
    /// The receiving person, when the recipient is one.
    pub to_person: Option<String>,
    /// The dateline's place.
    pub place: Option<String>,
    /// The dateline's date, ISO (`1968-10-02`, or a span `a/b`).
    pub date: Option<String>,
    /// The dateline's time of day (`14:10`, `14:10Z`).
    pub time: Option<String>,
    /// When the telegram was received.
    pub received: Option<String>,
    /// The repository, normalised.
    pub repository: Option<String>,
    /// The record group ("RG 59").
    pub record_group: Option<String>,
    /// The retired-records lot ("93 D 82").
    pub lot: Option<String>,
    /// The archive path after repository and record group.
    pub archive_path: Option<String>,
    /// Decimal file numbers ("851G.00/1–1449").
    pub decimal_files: Vec<String>,
    /// The security classification.
    pub classification: Option<String>,
    /// The transmission precedence.
    pub precedence: Option<String>,
    /// Distribution caveats ("Nodis").
    pub caveats: Vec<String>,
    /// Channel and code words ("HARVAN").
    pub code_words: Vec<String>,
    /// Addressees beyond the recipient.
    pub repeated_to: Vec<String>,
    /// Who drafted the document.
    pub drafted_by: Vec<String>,
    /// Who cleared it.
    pub cleared_by: Vec<String>,
    /// Who approved it.
    pub approved_by: Vec<String>,
    /// Reading marks, as `ReadingMark::key`s ("saw:President").
    pub reading_marks: Vec<String>,
    /// Cables the document cites.
    pub cable_references: Vec<String>,
    /// Cross-references written as text.
    pub text_references: Vec<String>,
}

impl Labels {
    /// The field's values as comparison keys (see [`normalize`]).
    pub fn keys(&self, field: &str) -> BTreeSet<String> {
        let one = |v: &Option<String>| keys_of(field, v.iter());
        let many = |v: &Vec<String>| keys_of(field, v.iter());
        match field {
            "doc_type" => one(&self.doc_type),
            "doc_family" => one(&self.doc_family),
            "markers" => many(&self.markers),
            "serial_number" => one(&self.serial_number),
            "telegram_numbers" => many(&self.telegram_numbers),
            "from" => one(&self.from),
            "from_office" => one(&self.from_office),
            "from_person" => one(&self.from_person),
            "to" => one(&self.to),
            "to_office" => one(&self.to_office),
            "to_person" => one(&self.to_person),
            "place" => one(&self.place),
            "date" => one(&self.date),
            "time" => one(&self.time),
            "received" => one(&self.received),
            "repository" => one(&self.repository),
            "record_group" => one(&self.record_group),
            "lot" => one(&self.lot),
            "archive_path" => one(&self.archive_path),
            "decimal_files" => many(&self.decimal_files),
            "classification" => one(&self.classification),
            "precedence" => one(&self.precedence),
            "caveats" => many(&self.caveats),
            "code_words" => many(&self.code_words),
            "repeated_to" => many(&self.repeated_to),
            "drafted_by" => many(&self.drafted_by),
            "cleared_by" => many(&self.cleared_by),
            "approved_by" => many(&self.approved_by),
            "reading_marks" => many(&self.reading_marks),
            "cable_references" => many(&self.cable_references),
            "text_references" => many(&self.text_references),
            _ => BTreeSet::new(),
        }
    }
}

fn keys_of<'a>(field: &str, values: impl Iterator<Item = &'a String>) -> BTreeSet<String> {
    values
        .map(|v| normalize(field, v))
        .filter(|v| !v.is_empty())
        .collect()
}

/// The comparison key of a value: whitespace collapsed, surrounding punctuation and a leading
/// "the" dropped, dashes as hyphens, curly apostrophes straight, case kept except for the
/// kind fields. Names of drafters, clearers and approvers lose parenthesised office symbols.
pub fn normalize(field: &str, value: &str) -> String {
    let mut v = chancery_model::collapse_ws(value);
    if matches!(field, "drafted_by" | "cleared_by" | "approved_by") {
        v = crate::prose::strip_parentheticals(&v);
    }
    let t = trim_punct(&v);
    let t = t
        .strip_prefix("the ")
        .or_else(|| t.strip_prefix("The "))
        .unwrap_or(t);
    let t = t.replace(['–', '—'], "-").replace(['’', 'ʼ'], "'");
    match field {
        "doc_type" | "doc_family" | "markers" => t.to_lowercase(),
        _ => t,
    }
}

/// The periods the report breaks scores down by, by the first year of the volume.
pub const ERAS: &[(&str, i32, i32)] = &[
    ("1861–1899", 0, 1899),
    ("1900–1932", 1900, 1932),
    ("1933–1954", 1933, 1954),
    ("1955–1976", 1955, 1976),
    ("1977–", 1977, i32::MAX),
];

/// The era of a volume id (`frus1964-68v07` → "1955–1976"); `None` if the id has no year.
pub fn era_of(volume: &str) -> Option<&'static str> {
    let year = i32::try_from(VolumeId::parse(volume)?.first_year).ok()?;
    ERAS.iter()
        .find(|(_, lo, hi)| (*lo..=*hi).contains(&year))
        .map(|(name, _, _)| *name)
}

/// One gold document: where it is, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct GoldEntry {
    /// Path of the source file, relative to the repository root.
    pub source: String,
    /// The document's volume id.
    pub volume: String,
    /// The document's id in its volume.
    pub document: String,
    /// What the document says, labelled by hand.
    pub labels: Labels,
    /// The labeller's judgment calls.
    pub notes: Option<String>,
}

/// Counts and scores of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FieldScore {
    /// The field's name, as in `Labels`.
    pub field: String,
    /// Values both predicted and in the gold set.
    pub true_positives: usize,
    /// Values predicted but not in the gold set.
    pub false_positives: usize,
    /// Values in the gold set but not predicted.
    pub false_negatives: usize,
}

impl FieldScore {
    fn new(field: &str) -> FieldScore {
        FieldScore {
            field: field.to_string(),
            ..Default::default()
        }
    }

    /// 1.0 when nothing was predicted (no false claims were made).
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// 1.0 when the gold set holds no value for the field.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// How many gold values the field has.
    pub fn support(&self) -> usize {
        self.true_positives + self.false_negatives
    }

    fn add(&mut self, other: &FieldScore) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// A disagreement on one field of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Miss {
    /// The document's volume id.
    pub volume: String,
    /// The document's id in its volume.
    pub document: String,
    /// The field the prediction got wrong.
    pub field: String,
    /// In the gold set, not predicted.
    pub missing: Vec<String>,
    /// Predicted, not in the gold set.
    pub spurious: Vec<String>,
}

/// Scores of one era.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EraScore {
    /// The era's name, as in [`ERAS`].
    pub era: String,
    /// Gold documents of the era.
    pub documents: usize,
    /// Scores per field over the era's documents.
    pub fields: Vec<FieldScore>,
}

/// Result of [`score`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EvalReport {
    /// Gold documents scored.
    pub documents: usize,
    /// Scores per field over all documents.
    pub fields: Vec<FieldScore>,
    /// Scores per era.
    pub eras: Vec<EraScore>,
    /// Every disagreement, for the report.
    pub misses: Vec<Miss>,
}

impl EvalReport {
    /// The score of one field over the whole gold.
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

    /// Share of gold values found, and of predictions that were right, over all fields.
    pub fn overall(&self) -> FieldScore {
        let mut all = FieldScore::new("all fields");
        for f in &self.fields {
            all.add(f);
        }
        all
    }
}

/// Compare each gold entry with what was predicted for it.
pub fn score<'a>(items: impl IntoIterator<Item = (&'a GoldEntry, &'a Labels)>) -> EvalReport {
    let mut fields: Vec<FieldScore> = FIELDS.iter().map(|f| FieldScore::new(f)).collect();
    let mut eras: Vec<EraScore> = ERAS
        .iter()
        .map(|(name, _, _)| EraScore {
            era: name.to_string(),
            documents: 0,
            fields: FIELDS.iter().map(|f| FieldScore::new(f)).collect(),
        })
        .collect();
    let mut misses = Vec::new();
    let mut documents = 0;
    for (entry, predicted) in items {
        documents += 1;
        let era = era_of(&entry.volume).and_then(|e| eras.iter_mut().find(|s| s.era == e));
        let mut era_fields = match era {
            Some(e) => {
                e.documents += 1;
                Some(&mut e.fields)
            }
            None => None,
        };
        for (i, name) in FIELDS.iter().enumerate() {
            let gold = entry.labels.keys(name);
            let got = predicted.keys(name);
            let one = FieldScore {
                field: name.to_string(),
                true_positives: gold.intersection(&got).count(),
                false_positives: got.difference(&gold).count(),
                false_negatives: gold.difference(&got).count(),
            };
            fields[i].add(&one);
            if let Some(ef) = era_fields.as_deref_mut() {
                ef[i].add(&one);
            }
            if one.false_positives + one.false_negatives > 0 {
                misses.push(Miss {
                    volume: entry.volume.clone(),
                    document: entry.document.clone(),
                    field: name.to_string(),
                    missing: gold.difference(&got).cloned().collect(),
                    spurious: got.difference(&gold).cloned().collect(),
                });
            }
        }
    }
    EvalReport {
        documents,
        fields,
        eras,
        misses,
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}", x * 100.0)
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let overall = self.overall();
        writeln!(
            f,
            "documents: {}   all fields: precision {}%, recall {}%",
            self.documents,
            pct(overall.precision()),
            pct(overall.recall())
        )?;
        writeln!(
            f,
            "{:<17} {:>7} {:>5} {:>4} {:>4} {:>6} {:>6}",
            "field", "support", "tp", "fp", "fn", "P%", "R%"
        )?;
        writeln!(f, "{}", "-".repeat(54))?;
        for s in &self.fields {
            writeln!(
                f,
                "{:<17} {:>7} {:>5} {:>4} {:>4} {:>6} {:>6}",
                s.field,
                s.support(),
                s.true_positives,
                s.false_positives,
                s.false_negatives,
                pct(s.precision()),
                pct(s.recall())
            )?;
        }
        writeln!(f, "\nprecision / recall by era (documents):")?;
        write!(f, "{:<17}", "field")?;
        for e in &self.eras {
            write!(f, " {:>13}", format!("{} ({})", e.era, e.documents))?;
        }
        writeln!(f)?;
        for (i, name) in FIELDS.iter().enumerate() {
            write!(f, "{name:<17}")?;
            for e in &self.eras {
                let s = &e.fields[i];
                if s.support() + s.false_positives == 0 {
                    write!(f, " {:>13}", "–")?;
                } else {
                    write!(
                        f,
                        " {:>13}",
                        format!("{}/{}", pct(s.precision()), pct(s.recall()))
                    )?;
                }
            }
            writeln!(f)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eras_by_first_year() {
        assert_eq!(era_of("frus1861"), Some("1861–1899"));
        assert_eq!(era_of("frus1914-20v01"), Some("1900–1932"));
        assert_eq!(era_of("frus1952-54v14p2"), Some("1933–1954"));
        assert_eq!(era_of("frus1964-68v07"), Some("1955–1976"));
        assert_eq!(era_of("frus1981-88v06"), Some("1977–"));
        assert_eq!(era_of("unfiled"), None);
    }

    #[test]
    fn values_compare_by_key() {
        assert_eq!(
            normalize("from", "the Embassy in France."),
            "Embassy in France"
        );
        assert_eq!(
            normalize("decimal_files", "851G.00/1–1449"),
            "851G.00/1-1449"
        );
        assert_eq!(normalize("drafted_by", "Wickel (EA/J)"), "Wickel");
        assert_eq!(normalize("doc_type", "Telegram"), "telegram");
    }

    #[test]
    fn scores_count_each_value() {
        let gold = GoldEntry {
            volume: "frus1964-68v07".into(),
            document: "d45".into(),
            labels: Labels {
                caveats: vec!["Nodis".into()],
                code_words: vec!["HARVAN".into(), "Plus".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        let got = Labels {
            caveats: vec!["Nodis".into(), "Exdis".into()],
            code_words: vec!["HARVAN".into()],
            ..Default::default()
        };
        let r = score([(&gold, &got)]);
        let cav = r.field("caveats").cloned().unwrap_or_default();
        assert_eq!((cav.true_positives, cav.false_positives), (1, 1));
        let cw = r.field("code_words").cloned().unwrap_or_default();
        assert_eq!((cw.true_positives, cw.false_negatives), (1, 1));
        assert_eq!(r.misses.len(), 2);
        assert_eq!(r.eras[3].documents, 1);
    }
}
