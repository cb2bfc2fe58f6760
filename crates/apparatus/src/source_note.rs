//! Source notes: "Source: National Archives and Records Administration,
//! RG 59, A/IM Files: Lot 93 D 82, HARVAN-(Incoming)-October 1968. Secret;
//! Immediate; Nodis/HARVAN/Plus. Repeated to USUN for Secretary Rusk." and
//! the older file-number notes ("851G.00/1–1449: Telegram", "File No.
//! 763.72/1173", "[Extract.]").
//!
//! The note is cut into sentences; every sentence is classified and either
//! consumed into fields or kept in `remainder`, so nothing is lost.
//! Offsets in `segments` refer to the whitespace-collapsed note (`text`).

use std::sync::OnceLock;

use chancery_model::collapse_ws;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::prose::{sentences, split_list, strip_parentheticals, trim_punct};
use crate::rx;

/// Security classification, normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Classification {
    /// "Top Secret".
    #[serde(rename = "Top Secret")]
    TopSecret,
    /// "Secret".
    #[serde(rename = "Secret")]
    Secret,
    /// "Confidential".
    #[serde(rename = "Confidential")]
    Confidential,
    /// Pre-1953 level between Confidential and Official Use Only.
    #[serde(rename = "Restricted")]
    Restricted,
    /// "Limited Official Use".
    #[serde(rename = "Limited Official Use")]
    LimitedOfficialUse,
    /// "Official Use Only".
    #[serde(rename = "Official Use Only")]
    OfficialUseOnly,
    /// "Unclassified".
    #[serde(rename = "Unclassified")]
    Unclassified,
    /// The source text bears no classification marking.
    #[serde(rename = "No classification marking")]
    NoClassificationMarking,
}

impl Classification {
    /// The classification as printed ("Top Secret").
    pub fn label(self) -> &'static str {
        match self {
            Classification::TopSecret => "Top Secret",
            Classification::Secret => "Secret",
            Classification::Confidential => "Confidential",
            Classification::Restricted => "Restricted",
            Classification::LimitedOfficialUse => "Limited Official Use",
            Classification::OfficialUseOnly => "Official Use Only",
            Classification::Unclassified => "Unclassified",
            Classification::NoClassificationMarking => "No classification marking",
        }
    }

    /// Recognise a marking as written, in any case ("confidential" in
    /// lower-case small caps, "TOP SECRET", "No classification markings").
    pub fn from_marking(s: &str) -> Option<Classification> {
        let l = trim_punct(s).to_lowercase();
        let l = l.trim();
        Some(match l {
            "top secret" => Classification::TopSecret,
            "secret" => Classification::Secret,
            "confidential" => Classification::Confidential,
            "restricted" => Classification::Restricted,
            "limited official use" => Classification::LimitedOfficialUse,
            "official use only" | "for official use only" => Classification::OfficialUseOnly,
            "unclassified" => Classification::Unclassified,
            "no classification marking" | "no classification markings" | "no classification" => {
                Classification::NoClassificationMarking
            }
            _ => return None,
        })
    }
}

/// Transmission precedence of a telegram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Precedence {
    /// "Flash".
    Flash,
    /// "Niact" (night action: wake the addressee).
    Niact,
    /// "Immediate".
    Immediate,
    /// "Priority".
    Priority,
    /// "Routine".
    Routine,
    /// "Operational Immediate" (military channels).
    #[serde(rename = "Operational Immediate")]
    OperationalImmediate,
    /// The 1940s–50s wordings, and British usage: "most immediate", "most urgent", "urgent".
    #[serde(rename = "Most Immediate")]
    MostImmediate,
    /// "Most Urgent".
    #[serde(rename = "Most Urgent")]
    MostUrgent,
    /// "Urgent".
    Urgent,
    /// "Emergency".
    Emergency,
}

impl Precedence {
    /// The precedence as printed ("Niact", "Operational Immediate").
    pub fn label(self) -> &'static str {
        match self {
            Precedence::Flash => "Flash",
            Precedence::Niact => "Niact",
            Precedence::Immediate => "Immediate",
            Precedence::Priority => "Priority",
            Precedence::Routine => "Routine",
            Precedence::OperationalImmediate => "Operational Immediate",
            Precedence::MostImmediate => "Most Immediate",
            Precedence::MostUrgent => "Most Urgent",
            Precedence::Urgent => "Urgent",
            Precedence::Emergency => "Emergency",
        }
    }

    fn from_word(s: &str) -> Option<Precedence> {
        Some(match s.trim().to_lowercase().as_str() {
            "flash" => Precedence::Flash,
            "niact" | "niact immediate" => Precedence::Niact,
            "immediate" => Precedence::Immediate,
            "priority" => Precedence::Priority,
            "routine" => Precedence::Routine,
            "operational immediate" => Precedence::OperationalImmediate,
            "most immediate" => Precedence::MostImmediate,
            "most urgent" => Precedence::MostUrgent,
            "urgent" => Precedence::Urgent,
            "emergency" => Precedence::Emergency,
            _ => return None,
        })
    }
}

/// An addressee of a distribution line: "USUN" with detail "for
/// Secretary Rusk".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Addressee {
    /// The addressee ("USUN", "Saigon").
    pub name: String,
    /// What follows the name ("for Secretary Rusk"), if anything.
    pub detail: Option<String>,
}

/// How a reader left a trace on the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReadingMarkKind {
    /// "The President saw", "indicates McNamara saw it", "has seen".
    #[default]
    Saw,
    /// "indicates President Johnson read the memorandum".
    Read,
    /// "Rusk initialed".
    Initialed,
    /// "A notation on the memorandum by the President reads: …".
    Notation,
}

/// A reading mark with the reader when named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReadingMark {
    /// Saw, read, initialed, or a notation.
    pub kind: ReadingMarkKind,
    /// As written without a leading article: "President", "Bundy".
    pub reader: Option<String>,
    /// Quoted notation text, if any.
    pub quoted: Option<String>,
    /// The whole sentence.
    pub text: String,
}

impl ReadingMark {
    /// Comparison key "saw:President", "notation:".
    pub fn key(&self) -> String {
        let kind = match self.kind {
            ReadingMarkKind::Saw => "saw",
            ReadingMarkKind::Read => "read",
            ReadingMarkKind::Initialed => "initialed",
            ReadingMarkKind::Notation => "notation",
        };
        format!("{kind}:{}", self.reader.as_deref().unwrap_or(""))
    }
}

/// What a sentence of the note was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    /// The archival citation ("Source: …").
    Citation,
    /// A decimal file number note ("851G.00/1–1449: Telegram").
    FileNumber,
    /// "[Extract.]", "[Translation.]".
    EditorialMark,
    /// The classification and its caveats ("Secret; Nodis").
    Classification,
    /// Drafting, clearance and approval ("Drafted by …").
    Drafting,
    /// "The source text bears no drafting information."
    NoDraftingInformation,
    /// Addressees ("Repeated to …", "Also sent to …").
    Distribution,
    /// When it was received ("Received at 2:53 p.m.").
    Received,
    /// A reading mark ("The President saw it").
    ReadingMark,
    /// Where the text was printed from ("Printed from a copy that …").
    PrintedFrom,
    /// Not consumed: kept in `remainder`.
    #[default]
    Other,
}

/// One sentence of the note with its byte span in `SourceNote::text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NoteSegment {
    /// What the sentence was taken for.
    pub kind: SegmentKind,
    /// The sentence.
    pub text: String,
    /// Byte offset of its start.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

/// A parsed source note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SourceNote {
    /// The note, whitespace collapsed; spans refer to this string.
    pub text: String,
    /// Normalised repository ("National Archives and Records Administration").
    pub repository: Option<String>,
    /// The repository as written ("Washington Nationals Records Center").
    pub repository_as_written: Option<String>,
    /// "RG 59".
    pub record_group: Option<String>,
    /// Archive path after repository and record group, as written:
    /// `["A/IM Files: Lot 93 D 82", "HARVAN-(Incoming)-October 1968"]`.
    pub archive_path: Vec<String>,
    /// Retired-records lot: "93 D 82".
    pub lot: Option<String>,
    /// Federal Records Center accession: "330 73 A 1250".
    pub frc_accession: Option<String>,
    /// CIA job number: "72-207A".
    pub job: Option<String>,
    /// Subject-numeric file: "POL 27-14 VIET/OHIO".
    pub subject_file: Option<String>,
    /// Decimal files: "851G.00/1–1449", "763.72/1507½".
    pub decimal_files: Vec<String>,
    /// Document type from a file-number note ("Telegram").
    pub document_type_hint: Option<String>,
    /// The classification, normalised.
    pub classification: Option<Classification>,
    /// The marking as written ("Secret", "No classification markings").
    pub classification_as_written: Option<String>,
    /// The transmission precedence.
    pub precedence: Option<Precedence>,
    /// Distribution caveats in canonical spelling: "Nodis", "Eyes Only".
    pub caveats: Vec<String>,
    /// Channel and code words in canonical spelling: "HARVAN", "Plus".
    pub code_words: Vec<String>,
    /// Addressees of "Sent to …".
    pub sent_to: Vec<Addressee>,
    /// Addressees of "Also sent to …".
    pub also_sent_to: Vec<Addressee>,
    /// Addressees of "Repeated to …".
    pub repeated_to: Vec<Addressee>,
    /// Who drafted the document, as written.
    pub drafted_by: Vec<String>,
    /// Who cleared it, as written.
    pub cleared_by: Vec<String>,
    /// Who approved it, as written.
    pub approved_by: Vec<String>,
    /// "2:53 p.m." from "Received at 2:53 p.m."
    pub received: Option<String>,
    /// Reading marks: who saw, read or initialed it, and notations.
    pub reading_marks: Vec<ReadingMark>,
    /// "Printed from a copy that bears this typed signature."
    pub printed_from: Option<String>,
    /// "Extract", "Translation".
    pub editorial_marks: Vec<String>,
    /// Every sentence, classified, in order.
    pub segments: Vec<NoteSegment>,
    /// Sentences or marking tokens not consumed into fields.
    pub remainder: Vec<String>,
}

/// Decimal file numbers of the State Department central files, 1910–1963, in every form the
/// series prints:
///
/// ```text
/// file   := class [qualifier]* "/" serial
/// class  := NNN [letter] ["." digits [letter]]        763.72  851G.00  745.45F  891.51A
/// qualifier := "." CAPS | "–" CAPS | " " Word | " (" Word ")" | " " N
///                                                     501.BB  700.5–MSP  740.00119 Control (Korea)
///                                                     882.6176 F 51
/// serial := digits ["–" digits] ["½" | letter]        1173  1–1449  2473½  9947a  8–151
/// ```
pub fn decimal_file_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"\b\d{3}[A-Z]?(?:\.\d+[A-Za-z]?)?(?:\.[A-Z]{1,4})?(?:[–-][A-Z]{1,5})?(?:\s(?:[A-Z][A-Za-z]*|\([A-Z][A-Za-z]*\)|\d{1,3})){0,3}/\d+(?:[–-]\d+)?(?:½|[a-z](?:\b|$))?",
    )
}

/// Find decimal file numbers in any text.
pub fn decimal_files(text: &str) -> Vec<String> {
    decimal_file_re()
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect()
}

const REPOSITORIES: &[(&[&str], &str)] = &[
    (
        &[
            "national archives and records administration",
            "national archives",
            "nara",
        ],
        "National Archives and Records Administration",
    ),
    (
        &[
            "washington national records center",
            "washington nationals records center",
            "wnrc",
        ],
        "Washington National Records Center",
    ),
    (
        &[
            "johnson library",
            "lyndon b. johnson library",
            "lbj library",
        ],
        "Johnson Library",
    ),
    (
        &["kennedy library", "john f. kennedy library"],
        "Kennedy Library",
    ),
    (
        &["eisenhower library", "dwight d. eisenhower library"],
        "Eisenhower Library",
    ),
    (
        &["truman library", "harry s. truman library"],
        "Truman Library",
    ),
    (
        &["carter library", "jimmy carter library"],
        "Carter Library",
    ),
    (&["ford library", "gerald r. ford library"], "Ford Library"),
    (
        &["reagan library", "ronald reagan library"],
        "Reagan Library",
    ),
    (
        &["roosevelt library", "franklin d. roosevelt library"],
        "Roosevelt Library",
    ),
    (
        &["hoover library", "herbert hoover library"],
        "Hoover Library",
    ),
    (
        &[
            "nixon presidential materials",
            "nixon library",
            "richard nixon library",
        ],
        "Nixon Library",
    ),
    (&["bush library", "george bush library"], "Bush Library"),
    (&["library of congress"], "Library of Congress"),
    (
        &["department of state", "state department"],
        "Department of State",
    ),
    (
        &["central intelligence agency", "cia"],
        "Central Intelligence Agency",
    ),
    (
        &["national defense university"],
        "National Defense University",
    ),
    (&["department of defense"], "Department of Defense"),
];

/// Normalise a repository name as written; `None` if unknown.
pub fn normalize_repository(s: &str) -> Option<&'static str> {
    let l = trim_punct(s).to_lowercase();
    REPOSITORIES
        .iter()
        .find(|(names, _)| names.iter().any(|n| l == *n))
        .map(|(_, canon)| *canon)
}

/// Distribution caveats: (lower-case form, canonical form).
const CAVEATS: &[(&str, &str)] = &[
    ("nodis", "Nodis"),
    ("exdis", "Exdis"),
    ("exclusive distribution", "Exdis"),
    ("limdis", "Limdis"),
    ("limited distribution", "Limdis"),
    ("limit distribution", "Limit Distribution"),
    ("noforn", "Noforn"),
    ("no foreign dissem", "Noforn"),
    ("no foreign dissemination", "Noforn"),
    ("literally eyes only", "Literally Eyes Only"),
    ("eyes only", "Eyes Only"),
    ("sensitive", "Sensitive"),
    (
        "no distribution outside department",
        "No Distribution Outside Department",
    ),
    ("for the president only", "For the President Only"),
    ("personal", "Personal"),
    ("personal and confidential", "Personal and Confidential"),
    ("personal and official", "Personal and Official"),
    ("official–informal", "Official–Informal"),
    ("official-informal", "Official–Informal"),
    ("official informal", "Official–Informal"),
    ("controlled dissem", "Controlled Dissem"),
    ("need to know", "Need to Know"),
    ("specat", "Specat"),
    ("roger channel", "Roger Channel"),
    ("cherokee", "Cherokee"),
];

/// Channel and code words (lower-case form, canonical form).
const CODE_WORDS: &[(&str, &str)] = &[
    ("harvan", "HARVAN"),
    ("double plus", "Double Plus"),
    ("plus", "Plus"),
    ("ohio", "Ohio"),
    ("marigold", "Marigold"),
    ("sunflower", "Sunflower"),
    ("pennsylvania", "Pennsylvania"),
    ("buttercup", "Buttercup"),
    ("aspen", "Aspen"),
    ("chlodnick", "Chlodnick"),
    ("todel", "Todel"),
    ("delto", "Delto"),
    ("secto", "Secto"),
    ("tosec", "Tosec"),
];

/// One recognised marking token.
#[derive(Debug, Clone, PartialEq)]
enum Marking {
    Class(Classification),
    Prec(Precedence),
    Caveat(&'static str),
    Code(&'static str),
}

/// Recognise one marking token ("Nodis", "Harvan Double Plus", "Eyes Only
/// for the Secretary"); `None` if any part is unknown.
fn markings(token: &str) -> Option<Vec<Marking>> {
    let t = trim_punct(token);
    if t.is_empty() {
        return Some(Vec::new());
    }
    if let Some(c) = Classification::from_marking(t) {
        return Some(vec![Marking::Class(c)]);
    }
    if let Some(p) = Precedence::from_word(t) {
        return Some(vec![Marking::Prec(p)]);
    }
    let lower = t.to_lowercase();
    // "Eyes Only for the Secretary", "Literally Eyes Only For the President":
    // the addressee after "for" qualifies the caveat.
    for prefix in [
        "literally eyes only",
        "eyes only",
        "personal for",
        "personal and confidential for",
    ] {
        if lower.starts_with(prefix)
            && (lower.len() == prefix.len()
                || lower[prefix.len()..].starts_with(" for")
                || prefix.ends_with("for"))
        {
            let canon = match prefix {
                "literally eyes only" => "Literally Eyes Only",
                "eyes only" => "Eyes Only",
                "personal for" => "Personal",
                _ => "Personal and Confidential",
            };
            return Some(vec![Marking::Caveat(canon)]);
        }
    }
    // Greedy phrase match over the words: "Harvan Double Plus".
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < words.len() {
        for len in (1..=4).rev() {
            if i + len > words.len() {
                continue;
            }
            let phrase = words[i..i + len].join(" ");
            if let Some((_, c)) = CAVEATS.iter().find(|(k, _)| *k == phrase) {
                out.push(Marking::Caveat(c));
                i += len;
                continue 'outer;
            }
            if let Some((_, c)) = CODE_WORDS.iter().find(|(k, _)| *k == phrase) {
                out.push(Marking::Code(c));
                i += len;
                continue 'outer;
            }
            if let Some(p) = Precedence::from_word(&phrase) {
                out.push(Marking::Prec(p));
                i += len;
                continue 'outer;
            }
            if let Some(c) = Classification::from_marking(&phrase) {
                out.push(Marking::Class(c));
                i += len;
                continue 'outer;
            }
        }
        return None;
    }
    Some(out)
}

/// Split a marking sentence ("Secret; Immediate; Nodis/Harvan/Plus.") into
/// tokens; `/` and `,` separate within a `;` token.
fn marking_tokens(sentence: &str) -> Vec<String> {
    let body = trim_punct(sentence);
    let mut out = Vec::new();
    for semi in body.split(';') {
        for slash in semi.split('/') {
            // "Secret, Eyes Only" – only split on commas when every piece is
            // a marking, so "Eyes Only for Smith, Jones" stays whole.
            let pieces: Vec<&str> = slash.split(',').collect();
            if pieces.len() > 1 && pieces.iter().all(|p| markings(p).is_some()) {
                out.extend(pieces.iter().map(|p| p.trim().to_string()));
            } else {
                out.push(slash.trim().to_string());
            }
        }
    }
    out.into_iter().filter(|t| !t.is_empty()).collect()
}

/// If the sentence is a marking line, return the recognised markings and
/// the unrecognised tokens.
fn parse_marking_sentence(sentence: &str) -> Option<(Vec<Marking>, Vec<String>)> {
    let tokens = marking_tokens(sentence);
    let first = tokens.first()?;
    let first_marks = markings(first)?;
    // The line must open with a classification, or be a short line of
    // caveats ("Literally Eyes Only for the President and Secretary Rusk.").
    let opens_ok = match first_marks.first() {
        Some(Marking::Class(_)) => true,
        Some(Marking::Caveat(_)) | Some(Marking::Prec(_)) => tokens.len() <= 6,
        _ => false,
    };
    if !opens_ok {
        return None;
    }
    let mut marks = Vec::new();
    let mut unknown = Vec::new();
    for t in &tokens {
        match markings(t) {
            Some(m) => marks.extend(m),
            None => unknown.push(t.clone()),
        }
    }
    Some((marks, unknown))
}

/// Replace the inside of curly quotes with spaces, keeping byte offsets,
/// so that keywords inside quoted notations are not taken as drafting or
/// reading information of the note itself.
fn mask_quotes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '“' => {
                depth += 1;
                out.push(c);
            }
            '”' => {
                depth = (depth - 1).max(0);
                out.push(c);
            }
            _ if depth > 0 => {
                for _ in 0..c.len_utf8() {
                    out.push(' ');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn drafting_kw_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"(?i)\b(drafted|prepared|cleared|approved|concurred|initialed)(?:\s+and\s+(approved|initialed|cleared|signed))?(?:\s+in\s+(?:draft|substance))?(?:(?:\s+in)?\s+by\s+|\s+in\s+(?:the\s+)?(?-i:[A-Z]))",
    )
}

fn clause_end_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r";|,?\s+(?:and\s+)?(?:also\s+)?(?:[a-z]+ed|sent|seen|signed)\b|\.\s*$",
    )
}

/// Clean one name from a drafting list: "Seligmann (DOD/ISA)" →
/// "Seligmann", "Hillenbrand on March 9" → "Hillenbrand", "by G/PM" →
/// "G/PM", "Richard K. Stuart of INR/DDC" → "Richard K. Stuart".
fn clean_name(s: &str) -> String {
    let mut n = strip_parentheticals(s);
    if let Some(r) = n.strip_prefix("by ") {
        n = r.to_string();
    }
    for cut in [" on ", " at the ", " at ", " in the ", " from ", " after "] {
        if let Some(i) = n.find(cut) {
            n.truncate(i);
        }
    }
    if let Some(i) = n.find(" of ") {
        let tail = &n[i + 4..];
        // Only office suffixes such as "of INR/DDC"; keep "Secretary of State".
        if tail.contains('/')
            || tail
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase())
        {
            n.truncate(i);
        }
    }
    // Ranks and honorifics are not part of the name: "Adm. Vannoy" is Vannoy.
    for h in [
        "Adm. ",
        "Gen. ",
        "Mr. ",
        "Mrs. ",
        "Dr. ",
        "Col. ",
        "Ambassador ",
        "Admiral ",
        "General ",
    ] {
        if let Some(r) = n.strip_prefix(h) {
            n = r.to_string();
        }
    }
    // "Kitchen(G/PM)" lost its parenthesis above; trim leftovers.
    trim_punct(&n).trim_start_matches("the ").to_string()
}

fn names_in(clause: &str) -> Vec<String> {
    split_list(&clause.replace(" and by ", ", ").replace(" and in ", ", "))
        .iter()
        .map(|p| clean_name(p))
        .filter(|p| !p.is_empty() && p.chars().next().is_some_and(|c| c.is_uppercase()))
        .collect()
}

/// Drafting, clearance and approval names in a sentence (quotes masked).
fn parse_drafting(sentence: &str, note: &mut SourceNote) -> bool {
    let masked = mask_quotes(sentence);
    let kws: Vec<_> = drafting_kw_re().captures_iter(&masked).collect();
    if kws.is_empty() {
        return false;
    }
    for (idx, c) in kws.iter().enumerate() {
        let Some(m) = c.get(0) else { continue };
        let next_kw = kws
            .get(idx + 1)
            .and_then(|n| n.get(0))
            .map(|n| n.start())
            .unwrap_or(masked.len());
        // "approved in S", "cleared in SOV, P, and G/PM": the match ends on the office's first
        // letter, which belongs to the clause.
        let start = if m.as_str().ends_with(char::is_uppercase) {
            m.end() - 1
        } else {
            m.end()
        };
        let region = &masked[start..next_kw];
        let end = clause_end_re()
            .find(region)
            .map(|e| e.start())
            .unwrap_or(region.len());
        let clause = &sentence[start..start + end];
        let names = names_in(clause);
        let verbs = [
            c.get(1).map(|v| v.as_str().to_lowercase()),
            c.get(2).map(|v| v.as_str().to_lowercase()),
        ];
        for v in verbs.iter().flatten() {
            let list = match v.as_str() {
                "drafted" | "prepared" => &mut note.drafted_by,
                "cleared" | "concurred" => &mut note.cleared_by,
                "approved" => &mut note.approved_by,
                // "Drafted and initialed by Rusk": the drafter initialed; "approved and
                // signed by Dulles": signing is no part of drafting.
                "initialed" if verbs[0].as_deref() != Some("initialed") => continue,
                "signed" => continue,
                _ => &mut note.drafted_by,
            };
            for n in &names {
                if !list.contains(n) {
                    list.push(n.clone());
                }
            }
        }
    }
    // "Drafted by Dean and also sent to Bohlen, …".
    parse_distribution(sentence, note);
    true
}

/// Parse an addressee list with "for …" details: "CINCPAC for Polad and
/// COMUSJAPAN", "Paris for Harriman and Vance".
fn addressees(list: &str) -> Vec<Addressee> {
    let list = trim_punct(list);
    let mut out: Vec<Addressee> = Vec::new();
    for part in split_top_level(list) {
        let part = part.trim();
        let part = part.strip_prefix("the ").unwrap_or(part);
        if part.is_empty() {
            continue;
        }
        // "… and with instructions to pass to OSD/ISA for Halperin" and
        // "…for Harriman and Vance": lower-case continuations and person
        // names after "for" belong to the previous addressee's detail.
        // "Paris for EUCOM and USAFE": a piece shaped like the first one after "for" (both
        // all capitals, or both names) continues that detail; "CINCPAC for Polad and
        // COMUSJAPAN" starts a new addressee.
        let same_shape = out
            .last()
            .and_then(|a| a.detail.as_deref())
            .and_then(|d| d.strip_prefix("for "))
            .is_some_and(|d| {
                let first = d.split_whitespace().next().unwrap_or("");
                all_caps(first) && all_caps(part) && !part.contains(' ')
            });
        let continues_detail = out.last().is_some_and(|a| a.detail.is_some())
            && (part.chars().next().is_some_and(|c| c.is_lowercase())
                || looks_like_person(part)
                || same_shape);
        if continues_detail {
            if let Some(last) = out.last_mut() {
                if let Some(d) = last.detail.as_mut() {
                    d.push_str(" and ");
                    d.push_str(part);
                }
            }
            continue;
        }
        let (name, detail) = match part.find(" for ") {
            Some(i) => (part[..i].trim(), Some(part[i + 1..].trim().to_string())),
            None => (part, None),
        };
        out.push(Addressee {
            name: name.to_string(),
            detail,
        });
    }
    out
}

fn all_caps(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && w.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

/// "Vance", "Bundy", "Secretary Rusk" – not "COMUSJAPAN", "Fukuoka" is
/// ambiguous but appears only as a list member, never after "for".
fn looks_like_person(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    let mut cs = first.chars();
    let upper_first = cs.next().is_some_and(|c| c.is_uppercase());
    let rest_lower = cs.clone().any(|c| c.is_lowercase());
    upper_first
        && rest_lower
        && words.len() <= 3
        && !first.starts_with("Embassy")
        && !first.starts_with("Department")
        && !first.starts_with("Mission")
        && !first.starts_with("Consulate")
        && !first.starts_with("High")
}

/// Split on ", ", ", and ", " and " at parenthesis depth 0, keeping the
/// pieces' text.
fn split_top_level(s: &str) -> Vec<String> {
    split_list(s)
}

fn parse_distribution(sentence: &str, note: &mut SourceNote) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = rx(
        &R,
        r"(?i)\b(also\s+repeated\s+to|repeated\s+to|also\s+sent\s+to|sent\s+(?:for\s+)*information(?:\s+(?:niact\s+immediate|immediate|priority|routine|flash))?\s+to|sent\s+to|a\s+copy\s+was\s+(?:also\s+)?sent\s+to|copies\s+were\s+(?:also\s+)?sent\s+to|rptd)\s+",
    );
    let masked = mask_quotes(sentence);
    let found: Vec<_> = r.captures_iter(&masked).collect();
    if found.is_empty() {
        return false;
    }
    for (i, c) in found.iter().enumerate() {
        let (Some(m), Some(kw)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let next = found
            .get(i + 1)
            .and_then(|n| n.get(0))
            .map(|n| n.start())
            .unwrap_or(sentence.len());
        let mut chunk = &sentence[m.end()..next];
        // "Also sent to CINCPAC and repeated to COMUSFJ": drop the joiner.
        for j in [" and ", ", and ", "; and ", "; "] {
            if let Some(s) = chunk.strip_suffix(j) {
                chunk = s;
            }
        }
        let chunk = chunk.trim_end().trim_end_matches(" and");
        let kw = kw.as_str().to_lowercase();
        let target = if kw.contains("repeated") || kw == "rptd" || kw.contains("information") {
            &mut note.repeated_to
        } else if kw.starts_with("sent") {
            &mut note.sent_to
        } else {
            &mut note.also_sent_to
        };
        target.extend(addressees(chunk));
    }
    true
}

/// The reading marks of one sentence: "X wrote in the margin: “President has seen.”" is a
/// notation by X and the President's sighting; "Initialed by Kissinger." an initialing; "A
/// notation in an unknown hand reads …" a notation whose writer is unknown.
fn reading_marks(sentence: &str) -> Vec<ReadingMark> {
    static WROTE: OnceLock<Regex> = OnceLock::new();
    static INITIALED_BY: OnceLock<Regex> = OnceLock::new();
    let masked = mask_quotes(sentence);
    let quoted = sentence.find('“').and_then(|s| {
        sentence[s..]
            .find('”')
            .map(|e| sentence[s + '“'.len_utf8()..s + e].to_string())
    });
    let mark = |kind, reader: &str| ReadingMark {
        kind,
        reader: Some(reader.to_string()),
        quoted: quoted.clone(),
        text: sentence.to_string(),
    };
    let init = rx(
        &INITIALED_BY,
        r"^Initialed by (?:the )?([A-Z][a-zA-Z’'.]+(?: [A-Z][a-zA-Z’'.]+)?)",
    );
    if let Some(c) = init.captures(masked.trim()) {
        if let Some(r) = c.get(1) {
            return vec![mark(ReadingMarkKind::Initialed, r.as_str())];
        }
    }
    let wrote = rx(
        &WROTE,
        r"^(?:(An unknown hand)|([A-Z][a-zA-Z’'.]+(?: [A-Z][a-zA-Z’'.]+)?)) (?:wrote|added|noted|indicated)\b",
    );
    let lower = masked.to_lowercase();
    let unknown = lower.contains("in an unknown hand") || lower.contains("an unknown hand wrote");
    if let Some(c) = wrote.captures(masked.trim()) {
        let mut out = Vec::new();
        match (c.get(1), c.get(2)) {
            (Some(_), _) => out.push(mark(ReadingMarkKind::Notation, "unknown hand")),
            (None, Some(who)) => out.push(mark(ReadingMarkKind::Notation, who.as_str())),
            _ => {}
        }
        if let Some(q) = &quoted {
            if let Some(i) = q.find(" has seen") {
                let reader = q[..i]
                    .trim()
                    .trim_start_matches("The ")
                    .trim_start_matches("the ");
                out.push(mark(ReadingMarkKind::Saw, reader));
            }
        }
        return out;
    }
    if unknown && lower.contains("notation") {
        return vec![mark(ReadingMarkKind::Notation, "unknown hand")];
    }
    reading_mark(sentence).into_iter().collect()
}

fn reading_mark(sentence: &str) -> Option<ReadingMark> {
    static TRIGGER: OnceLock<Regex> = OnceLock::new();
    static SAW: OnceLock<Regex> = OnceLock::new();
    static INIT: OnceLock<Regex> = OnceLock::new();
    static BY: OnceLock<Regex> = OnceLock::new();
    let masked = mask_quotes(sentence);
    let trigger = rx(
        &TRIGGER,
        r"(?i)\b(saw|has seen|had seen|initialed|notation|handwritten note|read the (?:memorandum|telegram|letter|paper))\b",
    );
    if !trigger.is_match(&masked) || masked.contains("initialed by") {
        return None;
    }
    let saw = rx(
        &SAW,
        r"(?:\b(?:the|The)\s+)?\b(President(?:\s+Johnson|\s+Kennedy|\s+Nixon)?|Secretary(?:\s+Rusk)?|[A-Z][a-zA-Z’']+(?:\s[A-Z][a-zA-Z’']+)?|he|she)\s+(saw|had seen|has seen|read)\b",
    );
    let init = rx(&INIT, r"\b([A-Z][a-z]+)\s+initialed\b");
    let quoted = sentence.find('“').and_then(|s| {
        sentence[s..]
            .find('”')
            .map(|e| sentence[s + '“'.len_utf8()..s + e].to_string())
    });
    let mut mark = ReadingMark {
        text: sentence.to_string(),
        quoted,
        ..Default::default()
    };
    if let Some(c) = saw.captures(&masked) {
        let reader = c.get(1).map(|m| m.as_str()).unwrap_or("");
        let verb = c.get(2).map(|m| m.as_str()).unwrap_or("");
        mark.kind = if verb == "read" {
            ReadingMarkKind::Read
        } else {
            ReadingMarkKind::Saw
        };
        let reader = if reader == "he" || reader == "she" {
            // "The President's copy …, which indicates he saw it".
            if masked.contains("President") {
                Some("President".to_string())
            } else {
                None
            }
        } else if ["Memorandum", "Telegram", "Notation", "Letter", "The"].contains(&reader) {
            None
        } else {
            Some(reader.to_string())
        };
        mark.reader = reader;
        return Some(mark);
    }
    if let Some(c) = init.captures(&masked) {
        mark.kind = ReadingMarkKind::Initialed;
        mark.reader = c.get(1).map(|m| m.as_str().to_string());
        return Some(mark);
    }
    // "A notation on the paper reads: “Dep. Sec. has seen.”"
    if let Some(q) = &mark.quoted {
        if let Some(i) = q.find(" has seen") {
            mark.kind = ReadingMarkKind::Saw;
            mark.reader = Some(q[..i].trim().to_string());
            return Some(mark);
        }
    }
    if masked.to_lowercase().contains("notation") || masked.contains("handwritten note") {
        mark.kind = ReadingMarkKind::Notation;
        let by = rx(
            &BY,
            r"\bby\s+(?:the\s+)?(President|Secretary|[A-Z][a-zA-Z’']+)\s+(?:reads|states|indicates)\b",
        );
        mark.reader = by
            .captures(&masked)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string());
        // A notation whose writer the note does not name leaves no reader's trace.
        return mark.reader.is_some().then_some(mark);
    }
    None
}

fn parse_citation(cit: &str, note: &mut SourceNote) {
    static LOT: OnceLock<Regex> = OnceLock::new();
    static FRC: OnceLock<Regex> = OnceLock::new();
    static JOB: OnceLock<Regex> = OnceLock::new();
    static RG: OnceLock<Regex> = OnceLock::new();
    static SUBJ: OnceLock<Regex> = OnceLock::new();
    let body = trim_punct(cit);
    let lot = rx(&LOT, r"\b[Ll]ots?\s+(\d{2})\s*([A-Z])\s*(\d+)\b");
    let frc = rx(&FRC, r"\bFRC\s+(\d+\s+\d+\s+[A-Z]\s+\d+)\b");
    let job = rx(&JOB, r"\bJob\s+([0-9][\w-]*)");
    let rg = rx(&RG, r"^RG\s*(\d+)$");
    let subj = rx(
        &SUBJ,
        r"^(?:POL|DEF|E|FN|FT|INCO|AID|ORG|PER|SOC|CSM|CUL|EDU|INT|ST|PET|AV|TEL|SCI|LEG|ECIN|CONS|PPB)\s+\S",
    );
    note.lot = lot
        .captures(body)
        .map(|c| format!("{} {} {}", &c[1], &c[2], &c[3]));
    note.frc_accession = frc.captures(body).map(|c| c[1].to_string());
    note.job = job.captures(body).map(|c| c[1].to_string());
    note.decimal_files.extend(decimal_files(body));
    let mut parts = split_path(body);
    if parts.is_empty() {
        return;
    }
    // "CA Files: Lot 59 D 228": a file named without its repository.
    if normalize_repository(&parts[0]).is_none() && is_file_name(&parts[0]) {
        note.archive_path = parts;
        return;
    }
    let first = parts.remove(0);
    let mut repository = normalize_repository(&first)
        .map(str::to_string)
        .unwrap_or_else(|| first.clone());
    // "National Archives, Nixon Presidential Materials, …": the presidential materials are
    // the Nixon Library's.
    if repository == "National Archives and Records Administration"
        && parts
            .first()
            .is_some_and(|p| p.starts_with("Nixon Presidential Materials"))
    {
        parts.remove(0);
        repository = "Nixon Library".to_string();
    }
    note.repository = Some(repository);
    note.repository_as_written = Some(first);
    for p in parts {
        if note.record_group.is_none() {
            if let Some(c) = rg.captures(&p) {
                note.record_group = Some(format!("RG {}", &c[1]));
                continue;
            }
        }
        if note.subject_file.is_none() && subj.is_match(&p) {
            note.subject_file = Some(p.clone());
        }
        note.archive_path.push(p);
    }
}

/// Split an archival citation on ", " and "; " outside brackets.
fn split_path(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth == 0 && (c == ',' || c == ';') && chars.peek().is_some_and(|n| n.is_whitespace()) {
            out.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Does the note consist of file numbers only ("851G.00/1–1449:
/// Telegram", "File No. 763.72/1173")? Returns files and the type hint.
fn file_number_note(s: &str) -> Option<(Vec<String>, Option<String>)> {
    let t = trim_punct(s);
    let t = t
        .strip_prefix("File No.")
        .or_else(|| t.strip_prefix("File Nos."))
        .unwrap_or(t)
        .trim();
    let (files_part, hint) = match t.rfind(": ") {
        Some(i) => (&t[..i], Some(trim_punct(&t[i + 2..]).to_string())),
        None => (t, None),
    };
    let files = decimal_files(files_part);
    if files.is_empty() {
        // "Defense Files: Telegram": a named file and the kind, nothing else.
        let kind_word = hint.as_deref().is_some_and(|h| {
            let l = h.to_lowercase();
            [
                "telegram",
                "airgram",
                "memorandum",
                "despatch",
                "letter",
                "message",
            ]
            .iter()
            .any(|k| l.starts_with(k))
        });
        let short_name = files_part.split_whitespace().count() <= 4
            && files_part.to_lowercase().ends_with("files");
        return (kind_word && short_name).then(|| (Vec::new(), hint));
    }
    // Everything but the file numbers and separators must be absent.
    let leftover = decimal_file_re().replace_all(files_part, "");
    if leftover.chars().any(|c| {
        !(c.is_whitespace() || matches!(c, ',' | ';' | '&') || c == 'a' || c == 'n' || c == 'd')
    }) {
        return None;
    }
    let hint = hint.filter(|h| h.len() < 40 && h.chars().next().is_some_and(char::is_uppercase));
    Some((files, hint))
}

/// A file rather than an archive: "Central Files", "CA Files: Lot 59 D 228", "Defense Files".
fn is_file_name(part: &str) -> bool {
    let head = part.split(':').next().unwrap_or(part).to_lowercase();
    head.ends_with(" files") || head.ends_with(" file") || head.ends_with(" papers")
}

fn looks_like_citation(first: &str) -> bool {
    let head = split_path(trim_punct(first))
        .into_iter()
        .next()
        .unwrap_or_default();
    normalize_repository(&head).is_some() || is_file_name(&head)
}

/// Parse a source note (any era).
pub fn parse(text: &str) -> SourceNote {
    let text = collapse_ws(text);
    let mut note = SourceNote {
        text: text.clone(),
        ..Default::default()
    };
    if text.is_empty() {
        return note;
    }
    // "[Extract.]", "[Translation.]": editorial marks of 19th-century volumes.
    let inner_trim = text.trim();
    if inner_trim.starts_with('[') && inner_trim.ends_with(']') && !inner_trim[1..].contains('[') {
        let inner = trim_punct(&inner_trim[1..inner_trim.len() - 1]).to_string();
        if !inner.to_lowercase().starts_with("source") && inner.len() < 40 {
            let canon = match inner.to_lowercase().as_str() {
                "extract" | "extracts" | "excerpt" | "excerpts" => "Extract".to_string(),
                "translation" => "Translation".to_string(),
                _ => inner,
            };
            note.editorial_marks.push(canon);
            note.segments.push(NoteSegment {
                kind: SegmentKind::EditorialMark,
                text: text.clone(),
                start: 0,
                end: text.len(),
            });
            return note;
        }
    }
    if let Some((files, hint)) = file_number_note(&text) {
        if files.is_empty() {
            // A named file ("Defense Files: Telegram") is the whole citation.
            if let Some((file, _)) = text.split_once(": ") {
                note.archive_path.push(trim_punct(file).to_string());
            }
        }
        note.decimal_files = files;
        note.document_type_hint = hint;
        note.segments.push(NoteSegment {
            kind: SegmentKind::FileNumber,
            text: text.clone(),
            start: 0,
            end: text.len(),
        });
        return note;
    }
    // "[Source: …]" in the body of some volumes: drop the brackets but keep offsets.
    let (base, body) = if text.starts_with("[Source") && text.ends_with(']') {
        (1, &text[1..text.len() - 1])
    } else {
        (0, text.as_str())
    };
    let spans = clauses(body, &sentences(body));
    for (idx, sp) in spans.iter().enumerate() {
        let s = &body[sp.start..sp.end];
        let mut seg = NoteSegment {
            kind: SegmentKind::Other,
            text: s.to_string(),
            start: base + sp.start,
            end: base + sp.end,
        };
        let lower = s.to_lowercase();
        if idx == 0 {
            let cit = ["Source:", "Source,", "Source "]
                .iter()
                .find_map(|p| s.strip_prefix(p));
            if let Some(cit) = cit {
                parse_citation(cit.trim(), &mut note);
                seg.kind = SegmentKind::Citation;
                note.segments.push(seg);
                continue;
            }
            // "Copy obtained from the Franklin D. Roosevelt Library, Hyde Park, N. Y."
            if let Some(rest) = s
                .strip_prefix("Copy obtained from ")
                .or_else(|| s.strip_prefix("Printed from a copy obtained from "))
            {
                let rest = rest.strip_prefix("the ").unwrap_or(rest);
                let head = split_path(trim_punct(rest))
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                let head = head
                    .strip_prefix("Franklin D. ")
                    .or_else(|| head.strip_prefix("Harry S. "))
                    .unwrap_or(&head)
                    .to_string();
                note.repository = normalize_repository(&head)
                    .map(str::to_string)
                    .or(Some(head));
                note.repository_as_written = Some(trim_punct(rest).to_string());
                seg.kind = SegmentKind::Citation;
                note.segments.push(seg);
                continue;
            }
            if looks_like_citation(s) {
                parse_citation(s, &mut note);
                seg.kind = SegmentKind::Citation;
                note.segments.push(seg);
                continue;
            }
        }
        if lower.contains("no classification marking")
            || lower.contains("no security classification")
            || lower.contains("no classification")
        {
            if note.classification.is_none() {
                note.classification = Some(Classification::NoClassificationMarking);
                note.classification_as_written = Some(trim_punct(s).to_string());
            }
            seg.kind = SegmentKind::Classification;
            note.segments.push(seg);
            continue;
        }
        if let Some((marks, unknown)) = parse_marking_sentence(s) {
            for m in marks {
                match m {
                    Marking::Class(c) => {
                        if note.classification.is_none() {
                            note.classification = Some(c);
                            note.classification_as_written = marking_tokens(s).into_iter().next();
                        }
                    }
                    Marking::Prec(p) => {
                        if note.precedence.is_none() {
                            note.precedence = Some(p);
                        }
                    }
                    Marking::Caveat(c) => push_unique(&mut note.caveats, c),
                    Marking::Code(c) => push_unique(&mut note.code_words, c),
                }
            }
            note.remainder.extend(unknown);
            seg.kind = SegmentKind::Classification;
            note.segments.push(seg);
            continue;
        }
        if lower.starts_with("the source text bears no drafting information")
            || lower.starts_with("the source text does not indicate the drafter")
        {
            seg.kind = SegmentKind::NoDraftingInformation;
            note.segments.push(seg);
            continue;
        }
        // "Paraphrase of code telegram transmitted to the Department …".
        if lower.starts_with("paraphrase") {
            push_unique(&mut note.editorial_marks, "Paraphrase");
            seg.kind = SegmentKind::EditorialMark;
            note.segments.push(seg);
            continue;
        }
        // "Excerpt—6 pages of source text not declassified."
        if lower.starts_with("excerpt") || lower.starts_with("extract") {
            push_unique(&mut note.editorial_marks, "Extract");
            seg.kind = SegmentKind::EditorialMark;
            note.segments.push(seg);
            continue;
        }
        if lower.starts_with("printed from") {
            note.printed_from = Some(s.to_string());
            seg.kind = SegmentKind::PrintedFrom;
            note.segments.push(seg);
            continue;
        }
        if lower.starts_with("received") {
            let r = s["received".len()..].trim();
            let r = r.strip_prefix("at ").unwrap_or(r);
            note.received = Some(trim_time(r));
            seg.kind = SegmentKind::Received;
            note.segments.push(seg);
            continue;
        }
        if let Some(i) = lower.find("the telegram was received at ") {
            let r = &s[i + "the telegram was received at ".len()..];
            note.received = Some(trim_time(r));
            seg.kind = SegmentKind::Received;
            note.segments.push(seg);
            continue;
        }
        // Reading marks before drafting: a quoted notation may contain "by".
        let lower = lower
            .strip_prefix("presumably ")
            .or_else(|| lower.strip_prefix("apparently "))
            .or_else(|| lower.strip_prefix("probably "))
            .map(str::to_string)
            .unwrap_or(lower);
        let starts_drafting = lower.starts_with("drafted")
            || lower.starts_with("prepared by")
            || lower.starts_with("cleared")
            || lower.starts_with("approved");
        if !starts_drafting {
            let marks = reading_marks(s);
            if !marks.is_empty() {
                note.reading_marks.extend(marks);
                seg.kind = SegmentKind::ReadingMark;
                note.segments.push(seg);
                continue;
            }
        }
        // Drafting lines open with the verb; elsewhere only "the … copy
        // indicates it was drafted by" describes this document (an agenda
        // "prepared by Read" does not).
        if let Some(name) = approval_line(s) {
            push_unique(&mut note.approved_by, &name);
            seg.kind = SegmentKind::Drafting;
            note.segments.push(seg);
            continue;
        }
        if let Some(name) = drafted_it(s) {
            push_unique(&mut note.drafted_by, &name);
            seg.kind = SegmentKind::Drafting;
            note.segments.push(seg);
            continue;
        }
        let drafting_line = starts_drafting
            || lower.starts_with("text received")
            || lower.starts_with("concurred")
            || lower.contains(" was drafted by ")
            || lower.contains(" was drafted in ")
            || lower.contains(" was drafted and ");
        if drafting_line && parse_drafting(s, &mut note) {
            seg.kind = SegmentKind::Drafting;
            note.segments.push(seg);
            continue;
        }
        let distribution_opening = [
            "repeated to",
            "also sent to",
            "also repeated to",
            "sent to",
            "a copy was sent to",
            "sent for information",
            "sent for for information",
            "a copy was also sent to",
            "copies were sent to",
        ]
        .iter()
        .any(|p| lower.starts_with(p));
        if distribution_opening && parse_distribution(s, &mut note) {
            seg.kind = SegmentKind::Distribution;
            note.segments.push(seg);
            continue;
        }
        note.remainder.push(s.to_string());
        note.segments.push(seg);
    }
    note
}

/// Cut sentences further where a semicolon opens another apparatus clause ("Repeated to Paris,
/// London, and Hong Kong; drafted in the Office of …; cleared in …"), so each clause is read
/// for what it is.
fn clauses(body: &str, spans: &[crate::prose::Span]) -> Vec<crate::prose::Span> {
    const OPENERS: &[&str] = &[
        "drafted",
        "cleared",
        "approved",
        "repeated",
        "also sent",
        "sent to",
        "concurred",
        "prepared",
        "received",
    ];
    let mut out = Vec::new();
    for sp in spans {
        let s = &body[sp.start..sp.end];
        let mut start = 0;
        let mut search = 0;
        while let Some(i) = s[search..].find("; ") {
            let at = search + i;
            let next = s[at + 2..].to_lowercase();
            if OPENERS.iter().any(|o| next.starts_with(o)) {
                // The semicolon stays with its clause, so the spans still cover the note.
                out.push(crate::prose::Span {
                    start: sp.start + start,
                    end: sp.start + at + 1,
                });
                start = at + 2;
            }
            search = at + 2;
        }
        out.push(crate::prose::Span {
            start: sp.start + start,
            end: sp.end,
        });
    }
    out
}

/// "Dulles’ name is typed in the approval line", "Rusk's initials appear on the approval line".
fn approval_line(sentence: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = rx(
        &R,
        r"^([A-Z][a-zA-Z.]+(?: [A-Z][a-zA-Z.]+)?)(?:’s|'s|’|') (?:name|initials?|signature) (?:is|are|appears?) (?:typed |stamped |written )?(?:in|on) the approval line",
    );
    r.captures(sentence.trim())
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

/// "Another copy of the memorandum indicates Dillon drafted it on March 18."
fn drafted_it(sentence: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = rx(
        &R,
        r"\bindicates (?:that )?([A-Z][a-zA-Z’'.]+(?: [A-Z][a-zA-Z’'.]+){0,2}) drafted (?:it|the (?:memorandum|telegram|letter|paper))\b",
    );
    r.captures(sentence)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

/// Trim sentence punctuation but keep the period of "a.m."/"p.m.".
fn trim_time(s: &str) -> String {
    let t = s.trim();
    if t.ends_with("a.m.") || t.ends_with("p.m.") {
        t.to_string()
    } else {
        trim_punct(t).to_string()
    }
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// Classification from an opener line of 1940s–50s volumes:
/// "confidential Paris, January 14, 1949—2 p. m." → Confidential.
pub fn classification_from_opener(opener: &str) -> Option<Classification> {
    let t = collapse_ws(opener);
    let lower = t.to_lowercase();
    for (prefix, c) in [
        ("top secret", Classification::TopSecret),
        ("limited official use", Classification::LimitedOfficialUse),
        ("official use only", Classification::OfficialUseOnly),
        ("secret", Classification::Secret),
        ("confidential", Classification::Confidential),
        ("restricted", Classification::Restricted),
        ("unclassified", Classification::Unclassified),
    ] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            // Whole word only: "secretary" is not "secret".
            if rest.is_empty() || rest.starts_with([' ', ';', '.', ',', '\n']) {
                return Some(c);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markings_tokens() {
        let (m, u) =
            parse_marking_sentence("Secret; Immediate; Nodis/HARVAN/Plus.").unwrap_or_default();
        assert!(u.is_empty());
        assert_eq!(m.len(), 5);
        assert!(parse_marking_sentence("Drafted by Harriman.").is_none());
    }

    #[test]
    fn drafting() {
        let n = parse("Source: Johnson Library. Drafted by Bundy; cleared by Harriman, Rostow, Katzenbach, Clifford, and Read; and approved by Rusk.");
        assert_eq!(n.drafted_by, vec!["Bundy"]);
        assert_eq!(
            n.cleared_by,
            vec!["Harriman", "Rostow", "Katzenbach", "Clifford", "Read"]
        );
        assert_eq!(n.approved_by, vec!["Rusk"]);
    }

    #[test]
    fn decimal_files_in_every_form() {
        for f in [
            "501.BB Korea/2–949",
            "740.00119 Control (Korea)/3–349",
            "882.6176 F 51/7",
            "811.3362i/11",
            "700.5–MSP/3–1959",
            "793B.00/8–151",
            "751G.94/14a",
            "763.72/2473½",
            "611.93/11–1055",
        ] {
            assert_eq!(decimal_files(f), vec![f.to_string()], "{f}");
            let n = parse(&format!("{f}: Telegram"));
            assert_eq!(n.decimal_files, vec![f.to_string()]);
            assert_eq!(n.document_type_hint.as_deref(), Some("Telegram"));
        }
        assert_eq!(
            decimal_files("611.94/7–2849, 794.00/8–149"),
            vec!["611.94/7–2849".to_string(), "794.00/8–149".to_string()]
        );
        let n = parse("Defense Files: Telegram");
        assert_eq!(n.archive_path, vec!["Defense Files".to_string()]);
        assert_eq!(n.document_type_hint.as_deref(), Some("Telegram"));
    }

    #[test]
    fn opener() {
        assert_eq!(
            classification_from_opener("confidential Paris, January 14, 1949—2 p. m."),
            Some(Classification::Confidential)
        );
        assert_eq!(classification_from_opener("Secretary"), None);
    }
}
