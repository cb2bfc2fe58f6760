//! Document headings of every era, read with one grammar:
//!
//! ```text
//! heading := [number] ["No." N "."] [bracketed marks] title [", " place] [", " date]
//! number  := N "." | "[" N "]"                       "45. …", "[410] …"
//! title   := [qualifier] kind [telegram-no] [clauses] | party " to " party
//! kind    := "Telegram" | "Memorandum of Conversation" | "Letter" | … (see KINDS)
//! clauses := "From" party [" to " party] | [","] "by" party [" to " party]
//!          | "Prepared by|in" party | "Prepared for" party | "for" party | "to" party
//!          | "Between" names | "With" names
//! party   := office ["(" person ")"] | honorific person ["(" office ")"] | title person
//!          | person " of " office
//! ```
//!
//! "45. Telegram From the Embassy in France to the Department of State", "Mr. Seward to Mr.
//! Adams.", "No. 59. Mr. Baker to Mr. Gresham.", "Memorandum of Conversation, by the Secretary of
//! the Army (Royall)", "371. Telegram 1219 to Geneva", "Intelligence Report Prepared in the
//! Central Intelligence Agency", "67. Message From the Soviet Government to President Johnson,
//! Moscow, November 3, 1964."

use chancery_model::collapse_ws;
use serde::{Deserialize, Serialize};

use crate::prose::{split_list, trim_punct};

/// A sender or recipient as written, with office and person when the heading gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Party {
    /// As written, without a leading "the": "President's Special Assistant (Rostow)".
    pub text: String,
    /// "President's Special Assistant", "Embassy in France", "Secretary of State".
    pub office: Option<String>,
    /// The person without honorific or rank: "Rostow", "Seward", "Everett Dirksen".
    pub person: Option<String>,
}

/// What kind of document a heading names: the specific type historians filter by and the
/// family it belongs to ("memorandum of conversation" in the family "memorandum").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Kind {
    /// The specific type ("memorandum of conversation").
    pub doc_type: String,
    /// The family it belongs to ("memorandum").
    pub family: String,
}

impl Kind {
    /// A kind from its type and family.
    pub fn new(doc_type: &str, family: &str) -> Kind {
        Kind {
            doc_type: doc_type.to_string(),
            family: family.to_string(),
        }
    }
}

/// A parsed heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HeadingInfo {
    /// The heading, whitespace collapsed, note marker removed.
    pub text: String,
    /// Printed document number ("45." → 45; "[410]" → 410).
    pub number: Option<u32>,
    /// A "No. N." printed before the title: the volume's number for the document in some
    /// volumes, the despatch's own serial number in others (the caller compares it with the
    /// document's number to tell).
    pub numbered: Option<String>,
    /// Title without number, marks, place and date.
    pub title: String,
    /// The kind the title names, if it names one.
    pub kind: Option<Kind>,
    /// "Circular Telegram", "Circular Instruction".
    pub circular: bool,
    /// Form marks printed in brackets in the heading: "extract", "translation", "paraphrase",
    /// "telegram".
    pub marks: Vec<String>,
    /// Telegram number printed in the heading ("Telegram 4858 From …").
    pub telegram_number: Option<String>,
    /// The sender the heading names ("From the Embassy in France").
    pub from: Option<Party>,
    /// The recipient the heading names ("to the Department of State").
    pub to: Option<Party>,
    /// Where the recipient was: "to President Johnson at Camp David".
    pub to_location: Option<String>,
    /// Participants of "Conversation Between A and B" and "… With A" headings.
    pub between: Vec<String>,
    /// Bracketed declassification notes in the heading ("[text not declassified]").
    pub redactions: Vec<String>,
}

/// (words, specific type, family), longest first within each lead word. Matched at the start
/// of the title, whole words, case-blind.
const KINDS: &[(&str, &str, &str)] = &[
    ("editorial note", "editorial note", "editorial note"),
    ("editor's note", "editorial note", "editorial note"),
    ("editor’s note", "editorial note", "editorial note"),
    ("circular telegram", "circular telegram", "telegram"),
    ("circular airgram", "circular airgram", "airgram"),
    (
        "circular instruction",
        "circular instruction",
        "instruction",
    ),
    ("circular note", "note", "note"),
    ("circular", "circular", "circular"),
    ("telegram", "telegram", "telegram"),
    ("backchannel message", "backchannel message", "message"),
    ("back channel message", "backchannel message", "message"),
    ("oral message", "oral message", "message"),
    ("message", "message", "message"),
    ("airgram", "airgram", "airgram"),
    ("despatch", "despatch", "despatch"),
    ("dispatch", "despatch", "despatch"),
    ("instruction", "instruction", "instruction"),
    (
        "memorandum of conversation",
        "memorandum of conversation",
        "memorandum",
    ),
    (
        "memorandum of a conversation",
        "memorandum of conversation",
        "memorandum",
    ),
    (
        "memorandum of telephone conversation",
        "telephone conversation",
        "memorandum",
    ),
    (
        "memorandum of a telephone conversation",
        "telephone conversation",
        "memorandum",
    ),
    (
        "memorandum of discussion",
        "memorandum of discussion",
        "memorandum",
    ),
    (
        "memorandum of conference",
        "memorandum of conference",
        "memorandum",
    ),
    (
        "memorandum of a conference",
        "memorandum of conference",
        "memorandum",
    ),
    (
        "memorandum of meeting",
        "memorandum of meeting",
        "memorandum",
    ),
    (
        "memorandum of a meeting",
        "memorandum of meeting",
        "memorandum",
    ),
    (
        "memorandum for the record",
        "memorandum for the record",
        "memorandum",
    ),
    (
        "memorandum for the files",
        "memorandum for the record",
        "memorandum",
    ),
    (
        "memorandum for personal files",
        "memorandum for personal files",
        "memorandum",
    ),
    (
        "information memorandum",
        "information memorandum",
        "memorandum",
    ),
    ("action memorandum", "action memorandum", "memorandum"),
    ("briefing memorandum", "briefing memorandum", "memorandum"),
    (
        "intelligence memorandum",
        "intelligence memorandum",
        "memorandum",
    ),
    ("research memorandum", "research memorandum", "memorandum"),
    (
        "national security action memorandum",
        "national security action memorandum",
        "memorandum",
    ),
    (
        "national security study memorandum",
        "national security study memorandum",
        "memorandum",
    ),
    (
        "national security decision memorandum",
        "national security decision memorandum",
        "memorandum",
    ),
    ("memorandum", "memorandum", "memorandum"),
    ("intelligence note", "intelligence note", "memorandum"),
    ("letter", "letter", "letter"),
    ("aide-mémoire", "aide-mémoire", "note"),
    ("aide-memoire", "aide-mémoire", "note"),
    ("aide mémoire", "aide-mémoire", "note"),
    ("note verbale", "note verbale", "note"),
    ("summary notes of", "notes of meeting", "minutes"),
    ("notes of meeting", "notes of meeting", "minutes"),
    ("notes of a meeting", "notes of meeting", "minutes"),
    ("notes of the", "notes of meeting", "minutes"),
    ("notes on", "notes of meeting", "minutes"),
    ("note", "note", "note"),
    ("minutes", "minutes", "minutes"),
    ("summary of meeting", "summary of meeting", "minutes"),
    ("summary of a meeting", "summary of meeting", "minutes"),
    ("summary of the", "summary of meeting", "minutes"),
    (
        "summary of conclusions",
        "summary of conclusions",
        "minutes",
    ),
    ("summary record", "minutes", "minutes"),
    ("record of meeting", "record of meeting", "minutes"),
    ("record of a meeting", "record of meeting", "minutes"),
    (
        "record of conversation",
        "memorandum of conversation",
        "memorandum",
    ),
    (
        "special national intelligence estimate",
        "special national intelligence estimate",
        "intelligence estimate",
    ),
    (
        "national intelligence estimate",
        "national intelligence estimate",
        "intelligence estimate",
    ),
    (
        "snie",
        "special national intelligence estimate",
        "intelligence estimate",
    ),
    (
        "nie",
        "national intelligence estimate",
        "intelligence estimate",
    ),
    ("intelligence report", "intelligence report", "report"),
    (
        "intelligence information cable",
        "intelligence information cable",
        "telegram",
    ),
    ("report", "report", "report"),
    ("policy paper", "policy paper", "paper"),
    ("position paper", "position paper", "paper"),
    ("talking points", "talking points", "paper"),
    ("paper", "paper", "paper"),
    ("study", "study", "paper"),
    (
        "transcript of telephone conversation",
        "telephone conversation",
        "transcript",
    ),
    (
        "transcript of a telephone conversation",
        "telephone conversation",
        "transcript",
    ),
    (
        "telephone conversation",
        "telephone conversation",
        "transcript",
    ),
    ("transcript", "transcript", "transcript"),
    ("statement", "statement", "statement"),
    ("agreement", "agreement", "agreement"),
    ("treaty", "treaty", "agreement"),
    ("an act", "act", "legislation"),
    ("act", "act", "legislation"),
    ("proclamation", "proclamation", "proclamation"),
    ("directive", "directive", "directive"),
];

/// Words before the kind that qualify it without changing it: "Department of State Policy
/// Paper", "Joint State/Defense Message", "Personal Letter".
const QUALIFIERS: &[&str] = &[
    "department of state ",
    "joint state/defense ",
    "joint state-defense ",
    "joint ",
    "personal ",
    "secret ",
    "draft ",
    "special ",
    "undated ",
    "paraphrase of ",
];

/// Office words after which " to " belongs to the office ("Ambassador to Japan").
const TO_OFFICES: &[&str] = &[
    "Ambassador",
    "Representative",
    "Assistant",
    "Adviser",
    "Advisor",
    "Delegate",
    "Delegation",
    "Mission",
    "Minister",
    "Envoy",
    "Counselor",
    "Observer",
    "Liaison",
];

/// Honorifics and ranks: they name no office and are dropped from the person.
const HONORIFICS: &[&str] = &[
    "Rear-Admiral",
    "Rear Admiral",
    "Vice-Admiral",
    "Vice Admiral",
    "Commodore",
    "Major-General",
    "Major General",
    "Brigadier-General",
    "Brigadier General",
    "Lieutenant-General",
    "Lieutenant General",
    "Field Marshal",
    "Marshal",
    "Mr.",
    "Mrs.",
    "Miss",
    "Ms.",
    "Messrs.",
    "Sir",
    "Señor",
    "Senor",
    "Señora",
    "Don",
    "Baron",
    "Baroness",
    "Count",
    "Countess",
    "Lord",
    "Lady",
    "M.",
    "Mme.",
    "Monsieur",
    "Madame",
    "Herr",
    "Dr.",
    "Doctor",
    "General",
    "Gen.",
    "Admiral",
    "Adm.",
    "Colonel",
    "Col.",
    "Captain",
    "Capt.",
    "Major",
    "Lieutenant",
    "Marquis",
    "Prince",
    "Duke",
    "Chevalier",
    "Hon.",
    "Honorable",
    "Rev.",
];

/// Words of offices and institutions: a run of capitalised words that are not among these
/// (and do not follow a preposition) is a person's name.
const OFFICE_WORDS: &[&str] = &[
    "Academy",
    "Assembly",
    "Association",
    "Bank",
    "Chamber",
    "Club",
    "Company",
    "Corporation",
    "Court",
    "Foundation",
    "Institute",
    "Institution",
    "Legislature",
    "League",
    "Parliament",
    "Party",
    "Society",
    "Trade",
    "Union",
    "University",
    "Acting",
    "Administrator",
    "Adviser",
    "Advisor",
    "Affairs",
    "Agency",
    "Agriculture",
    "Air",
    "Ambassador",
    "American",
    "Army",
    "Assistant",
    "Attorney",
    "Board",
    "Bureau",
    "Cabinet",
    "Central",
    "Chairman",
    "Chancellor",
    "Chargé",
    "Chief",
    "Chiefs",
    "Commander",
    "Commerce",
    "Commission",
    "Commissioner",
    "Committee",
    "Conference",
    "Congress",
    "Consul",
    "Coordinator",
    "Council",
    "Counselor",
    "Defense",
    "Delegate",
    "Delegation",
    "Democratic",
    "Department",
    "Deputy",
    "Director",
    "Division",
    "Economic",
    "Embassy",
    "Emperor",
    "Envoy",
    "Estimates",
    "Executive",
    "Far",
    "Finance",
    "Force",
    "Foreign",
    "General",
    "Government",
    "Governor",
    "Group",
    "High",
    "House",
    "Intelligence",
    "Interior",
    "International",
    "Joint",
    "Justice",
    "King",
    "Leader",
    "Legation",
    "Majority",
    "Military",
    "Minister",
    "Minority",
    "Mission",
    "National",
    "Navy",
    "Nominee",
    "Office",
    "Officer",
    "Permanent",
    "Planning",
    "Political",
    "Premier",
    "Presidential",
    "President",
    "President's",
    "Prime",
    "Queen",
    "Representative",
    "Republican",
    "Research",
    "Secretary",
    "Security",
    "Senate",
    "Senator",
    "Special",
    "Staff",
    "State",
    "State’s",
    "State's",
    "Treasury",
    "Under",
    "Vice",
];

const PREPOSITIONS: &[&str] = &["in", "to", "at", "of", "for", "on", "the", "and", "from"];

/// Remove a source-note marker glued to the end of a captured heading:
/// "…Personal Files1", "…Department of State 1", "…Conversation0".
fn strip_marker(s: &str) -> &str {
    let t = s.trim_end();
    let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 2 {
        return t;
    }
    let before = &t[..t.len() - digits];
    let Some(prev) = before.chars().last() else {
        return t;
    };
    // A marker is glued to a letter, bracket, period or parenthesis; a
    // spaced one is a lone "0" or "1" after a word.
    let glued = prev.is_alphabetic() || matches!(prev, ')' | ']' | '.' | '’' | '\'' | '”');
    let spaced = prev == ' '
        && matches!(&t[t.len() - digits..], "0" | "1")
        && before
            .trim_end()
            .chars()
            .last()
            .is_some_and(|c| c.is_alphabetic() || c == ')');
    // Keep "Part 2", "NIE 41", "Group 5" and dates ("1964").
    let last_word = before.split_whitespace().last().unwrap_or("");
    let protected = matches!(
        last_word,
        "Part" | "No." | "Group" | "Tab" | "NIE" | "SNIE" | "Volume" | "Telegram"
    );
    if (glued || spaced) && !protected {
        before.trim_end()
    } else {
        t
    }
}

fn is_name_word(w: &str) -> bool {
    let w = w.trim_end_matches([',', ';']);
    let initial =
        w.len() <= 4 && w.ends_with('.') && w.chars().next().is_some_and(char::is_uppercase);
    let capital = w.chars().next().is_some_and(char::is_uppercase)
        && !OFFICE_WORDS.contains(&w)
        && !HONORIFICS.contains(&w)
        && !w.chars().any(|c| c.is_ascii_digit());
    initial || capital || matches!(w, "de" | "von" | "van" | "du" | "la" | "del" | "da")
}

/// Split "Secretary of State Rusk" into office and person: the trailing run of name words,
/// after an office word (not after a preposition: "Embassy in France" names no person).
fn split_title_name(s: &str) -> Option<(String, String)> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut k = words.len();
    while k > 0 && is_name_word(words[k - 1]) {
        k -= 1;
    }
    if k == 0 || k == words.len() || words.len() - k > 4 {
        return None;
    }
    let before = words[k - 1];
    if PREPOSITIONS.contains(&before.to_lowercase().as_str())
        || !before.chars().next().is_some_and(char::is_uppercase)
    {
        return None;
    }
    // Particles alone are no name.
    if words[k..]
        .iter()
        .all(|w| w.chars().next().is_some_and(char::is_lowercase))
    {
        return None;
    }
    Some((words[..k].join(" "), words[k..].join(" ")))
}

fn strip_honorific(s: &str) -> Option<&str> {
    let t = s.trim();
    for h in HONORIFICS {
        if let Some(rest) = t.strip_prefix(h) {
            if rest.starts_with(' ') {
                return Some(rest.trim());
            }
        }
    }
    None
}

/// Interpret "Embassy in France", "President's Special Assistant (Rostow)", "Mr. Black
/// (Secretary of State)", "President Johnson", "Mr. Baker", "Robert N. Ginsburgh of the National
/// Security Council Staff".
pub fn parse_party(s: &str) -> Party {
    let s = trim_punct(s);
    let s = s
        .strip_prefix("the ")
        .or_else(|| s.strip_prefix("The "))
        .unwrap_or(s)
        .trim();
    // Captures print "( Page)" for "(Page)"; a parenthesis the source left open is closed.
    let mut s = s.replace("( ", "(").replace(" )", ")");
    if s.matches('(').count() > s.matches(')').count() {
        s.push(')');
    }
    let mut p = Party {
        text: s.to_string(),
        ..Default::default()
    };
    if let (Some(open), true) = (s.rfind('('), s.ends_with(')')) {
        let outside = s[..open].trim();
        let inside = s[open + 1..s.len() - 1].trim();
        if let Some(person) = strip_honorific(outside) {
            // 19th century: "Mr. Black (Secretary of State)".
            p.person = Some(person.to_string());
            p.office = Some(inside.to_string());
        } else {
            p.office = Some(office_of(outside));
            p.person = Some(strip_honorific(inside).unwrap_or(inside).to_string());
        }
        return p;
    }
    if let Some(person) = strip_honorific(&s) {
        p.person = Some(person.to_string());
        return p;
    }
    // "Robert N. Ginsburgh of the National Security Council Staff".
    for sep in [" of the ", " of "] {
        if let Some(i) = s.find(sep) {
            let who = &s[..i];
            let names = who
                .split_whitespace()
                .all(|w| is_name_word(w) || w == "and");
            if names && who.split_whitespace().count() >= 2 {
                p.person = Some(who.to_string());
                p.office = Some(s[i + sep.len()..].to_string());
                return p;
            }
        }
    }
    if let Some((office, person)) = split_title_name(&s) {
        p.office = Some(office_of(&office));
        p.person = Some(person);
        return p;
    }
    p.office = Some(office_of(&s));
    p
}

/// The office as filed: without "all the" ("all the ministers of the United States").
fn office_of(s: &str) -> String {
    let t = s.trim();
    t.strip_prefix("all the ")
        .or_else(|| t.strip_prefix("All the "))
        .or_else(|| t.strip_prefix("the "))
        .unwrap_or(t)
        .to_string()
}

/// Find the " to " that separates sender and recipient.
fn split_from_to(s: &str) -> Option<(String, String)> {
    // If the sender carries a parenthesised person, the split follows it.
    let mut depth = 0i32;
    let mut first_close = None;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 && first_close.is_none() {
                    first_close = Some(i);
                }
            }
            _ => {}
        }
    }
    if let Some(close) = first_close {
        let after = &s[close + 1..];
        if let Some(rest) = after.strip_prefix(" to ") {
            return Some((s[..close + 1].to_string(), rest.to_string()));
        }
    }
    let mut search = 0;
    while let Some(i) = s[search..].find(" to ") {
        let at = search + i;
        let left = &s[..at];
        let last_word = left.split_whitespace().last().unwrap_or("");
        let inside_paren = left.matches('(').count() > left.matches(')').count();
        let right = &s[at + 4..];
        // "Ambassador to Japan" keeps its "to", unless a recipient title
        // follows ("…Paris Delegation to Secretary of State Rusk").
        let recipient_follows = [
            "Secretary",
            "President",
            "Mr.",
            "Under",
            "Deputy",
            "Director",
            "Chairman",
            "Prime",
            "Vice",
            "Assistant",
        ]
        .iter()
        .any(|w| right.starts_with(w));
        if !inside_paren && (!TO_OFFICES.contains(&last_word) || recipient_follows) {
            return Some((left.to_string(), s[at + 4..].to_string()));
        }
        search = at + 4;
    }
    None
}

/// Split "President Johnson at Camp David" / "Rusk, at Geneva" / "Johnson in Texas": only when
/// what precedes is a named person, so that offices such as "Ambassador in Turkey (Wilson)"
/// keep their "in".
fn split_location(s: &str) -> (String, Option<String>) {
    for sep in [", at ", " at ", " in "] {
        if let Some(i) = s.rfind(sep) {
            let left = s[..i].trim_end_matches(',');
            let loc = s[i + sep.len()..].trim();
            let p = parse_party(left);
            if p.person.is_some()
                && !left.ends_with(')')
                && loc.chars().next().is_some_and(char::is_uppercase)
            {
                return (left.to_string(), Some(loc.to_string()));
            }
        }
    }
    (s.to_string(), None)
}

/// Bracketed form marks a heading may carry ("[Extract.]", "[Telegram]").
fn mark_of(bracketed: &str) -> Option<&'static str> {
    let l = bracketed
        .trim_matches(|c: char| c == '[' || c == ']' || c == '.' || c.is_whitespace())
        .to_lowercase();
    match l.as_str() {
        "extract" | "extracts" | "excerpt" | "excerpts" => Some("extract"),
        "translation" => Some("translation"),
        "paraphrase" => Some("paraphrase"),
        "telegram" => Some("telegram"),
        _ if l.starts_with("paraphrase of") || l.contains("telegram—paraphrase") => {
            Some("paraphrase")
        }
        _ => None,
    }
}

/// Strip "N. " / "[N] " from the start; returns the number.
fn take_number(rest: &mut &str) -> Option<u32> {
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() && rest[digits.len()..].starts_with(". ") {
        *rest = &rest[digits.len() + 2..];
        return digits.parse().ok();
    }
    if let Some(r) = rest.strip_prefix('[') {
        let d: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !d.is_empty() && r[d.len()..].starts_with("] ") {
            *rest = &r[d.len() + 2..];
            return d.parse().ok();
        }
    }
    None
}

/// Strip "No. 59." / "No. 679" from the start; returns "59".
fn take_no(rest: &mut &str) -> Option<String> {
    let r = rest
        .strip_prefix("No. ")
        .or_else(|| rest.strip_prefix("No."))?;
    let digits: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return None;
    }
    let after = &r[digits.len()..];
    let after = after.strip_prefix('.').unwrap_or(after);
    let after = after.strip_prefix(']').unwrap_or(after);
    *rest = after.trim_start();
    Some(digits)
}

/// Match a kind at the start of `title` (after qualifiers); returns it and the rest.
fn take_kind(title: &str) -> Option<(Kind, bool, &str)> {
    let lower = title.to_lowercase();
    let mut offset = 0;
    for q in QUALIFIERS {
        if lower.starts_with(q)
            && KINDS
                .iter()
                .any(|(p, _, _)| lower[q.len()..].starts_with(p))
        {
            offset = q.len();
            break;
        }
    }
    for (prefix, ty, fam) in KINDS {
        let l = &lower[offset..];
        if !l.starts_with(prefix) {
            continue;
        }
        let end = offset + prefix.len();
        // Whole words only ("Notes" is not "Note" + "s").
        if title[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let circular = prefix.starts_with("circular");
        return Some((Kind::new(ty, fam), circular, &title[end..]));
    }
    None
}

fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// The clauses after the kind: who it is from and to.
fn parties_after_kind(info: &mut HeadingInfo, after: &str) -> (Option<String>, Option<String>) {
    let a = after.trim().trim_start_matches(',').trim();
    if let Some(r) = strip_ci(a, "from ") {
        return match split_from_to(r) {
            Some((f, t)) => (Some(f), Some(t)),
            None => (Some(r.to_string()), None),
        };
    }
    for lead in ["prepared by ", "prepared in ", "by "] {
        if let Some(r) = strip_ci(a, lead) {
            return match split_from_to(r) {
                Some((f, t)) => (Some(f), Some(t)),
                None => (Some(r.to_string()), None),
            };
        }
    }
    for lead in ["prepared for ", "for ", "to "] {
        if let Some(r) = strip_ci(a, lead) {
            return (None, Some(r.to_string()));
        }
    }
    for lead in ["between ", "with "] {
        if let Some(r) = strip_ci(a, lead) {
            info.between = split_list(r);
            return (None, None);
        }
    }
    // "… of the 590th Meeting …", "Conversation … Between": no sender or recipient, but
    // perhaps participants.
    let lower = a.to_lowercase();
    if let Some(i) = lower.find(" between ") {
        info.between = split_list(&a[i + 9..]);
    }
    (None, None)
}

/// Parse a heading of any era. Place and date at its end are left to the dateline parser.
pub fn parse(heading: &str) -> HeadingInfo {
    let text = collapse_ws(heading).replace("( ", "(").replace(" )", ")");
    let text = strip_marker(&text).to_string();
    let mut info = HeadingInfo {
        text: text.clone(),
        ..Default::default()
    };
    let mut rest: &str = &text;
    info.number = take_number(&mut rest);
    info.numbered = take_no(&mut rest);
    // Bracketed pieces: form marks, or declassification notes kept aside.
    let mut cleaned = String::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in rest.chars() {
        match c {
            '[' => {
                depth += 1;
                if depth == 1 {
                    cur.clear();
                    continue;
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    match mark_of(&cur) {
                        Some(m) => info.marks.push(m.to_string()),
                        None if cur.trim().ends_with(',') => cleaned.push_str(&cur),
                        None => info.redactions.push(format!("[{cur}]")),
                    }
                    continue;
                }
            }
            _ => {}
        }
        if depth > 0 {
            cur.push(c);
        } else {
            cleaned.push(c);
        }
    }
    let cleaned = collapse_ws(&cleaned);
    let title = strip_place_date(&cleaned);
    let title = trim_punct(&title).to_string();
    info.title = title.clone();

    let (from_part, to_part) = match take_kind(&title) {
        Some((kind, circular, after)) => {
            info.circular = circular;
            let is_telegram = kind.family == "telegram";
            info.kind = Some(kind);
            let after = after.trim();
            // "Telegram 4858 From …", "Telegram 1219 to Geneva".
            let num: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
            let after = if is_telegram && !num.is_empty() {
                info.telegram_number = Some(num.clone());
                after[num.len()..].trim()
            } else {
                after
            };
            parties_after_kind(&mut info, after)
        }
        // Older headings without a kind: "Mr. Seward to Mr. Adams".
        None => match split_from_to(&title) {
            Some((f, t)) => (Some(f), Some(t)),
            None => (None, None),
        },
    };
    if let Some(f) = from_part {
        let f = f.trim();
        if !f.is_empty() {
            info.from = Some(parse_party(f));
        }
    }
    if let Some(t) = to_part {
        let (who, loc) = split_location(trim_punct(&t));
        info.to_location = loc;
        if !who.trim().is_empty() {
            info.to = Some(parse_party(&who));
        }
    }
    info
}

/// Drop ", Place, Month D, YYYY[, time]" (or ", Weekday, Month D, YYYY") from the end of a title.
fn strip_place_date(title: &str) -> String {
    let t = trim_punct(title);
    for m in chancery_model::MONTH_NAMES {
        let pat = format!(", {m} ");
        if let Some(i) = t.find(&pat) {
            let head = &t[..i];
            // The place is the last comma item before the date when it is a short proper name.
            if let Some(j) = head.rfind(", ") {
                let place = head[j + 2..].trim();
                if place.split_whitespace().count() <= 3
                    && place.chars().next().is_some_and(char::is_uppercase)
                    && !place.contains(" of ")
                {
                    return head[..j].to_string();
                }
            }
            return head.to_string();
        }
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parties(h: &HeadingInfo) -> (Option<&str>, Option<&str>) {
        (
            h.from.as_ref().map(|p| p.text.as_str()),
            h.to.as_ref().map(|p| p.text.as_str()),
        )
    }

    #[test]
    fn modern() {
        let h = parse("45. Telegram From the Embassy in France to the Department of State 1");
        assert_eq!(h.number, Some(45));
        assert_eq!(h.kind, Some(Kind::new("telegram", "telegram")));
        assert_eq!(
            parties(&h),
            (Some("Embassy in France"), Some("Department of State"))
        );
        let to = h.to.unwrap_or_default();
        assert_eq!(
            (to.office.as_deref(), to.person),
            (Some("Department of State"), None)
        );
    }

    #[test]
    fn offices_and_persons() {
        let p = parse_party("President's Special Assistant (Rostow)");
        assert_eq!(p.office.as_deref(), Some("President's Special Assistant"));
        assert_eq!(p.person.as_deref(), Some("Rostow"));
        let p = parse_party("Secretary of State Rusk");
        assert_eq!(
            (p.office.as_deref(), p.person.as_deref()),
            (Some("Secretary of State"), Some("Rusk"))
        );
        let p = parse_party("Mr. Baker");
        assert_eq!((p.office, p.person.as_deref()), (None, Some("Baker")));
        let p = parse_party("Mr. Black (Secretary of State)");
        assert_eq!(
            (p.office.as_deref(), p.person.as_deref()),
            (Some("Secretary of State"), Some("Black"))
        );
        let p = parse_party("the Embassy in the Soviet Union");
        assert_eq!(p.person, None);
        let p = parse_party("Republican Presidential Nominee Richard Nixon");
        assert_eq!(p.person.as_deref(), Some("Richard Nixon"));
        let p = parse_party("Robert N. Ginsburgh of the National Security Council Staff");
        assert_eq!(
            (p.office.as_deref(), p.person.as_deref()),
            (
                Some("National Security Council Staff"),
                Some("Robert N. Ginsburgh")
            )
        );
        let p = parse_party("Board of Trade of Kansas City");
        assert_eq!(p.person, None);
        let p = parse_party("all the ministers of the United States");
        assert_eq!(p.office.as_deref(), Some("ministers of the United States"));
    }

    #[test]
    fn numbered_despatches_and_authors() {
        let h = parse("No. 59. Mr. Baker to Mr. Gresham.");
        assert_eq!(h.numbered.as_deref(), Some("59"));
        assert_eq!(parties(&h), (Some("Mr. Baker"), Some("Mr. Gresham")));
        let h = parse("No. 679 Memorandum by the Deputy Assistant Secretary of State for Far Eastern Affairs (Johnson) to the Secretary of State");
        assert_eq!(h.numbered.as_deref(), Some("679"));
        assert_eq!(h.kind.map(|k| k.doc_type).as_deref(), Some("memorandum"));
        let h = parse("Memorandum of Conversation, by the Secretary of the Army (Royall)");
        assert_eq!(h.from.and_then(|p| p.person).as_deref(), Some("Royall"));
        let h = parse("371. Telegram 1219 to Geneva");
        assert_eq!(h.telegram_number.as_deref(), Some("1219"));
        assert_eq!(parties(&h), (None, Some("Geneva")));
        let h = parse("17. Intelligence Report Prepared in the Central Intelligence Agency");
        assert_eq!(parties(&h).0, Some("Central Intelligence Agency"));
        let h = parse("Mr. Seward to Mr. Judd. [Extract.]");
        assert_eq!(h.marks, vec!["extract".to_string()]);
        assert_eq!(parties(&h), (Some("Mr. Seward"), Some("Mr. Judd")));
    }

    #[test]
    fn kinds_and_participants() {
        let h = parse(
            "1. Telephone Conversation Between President Johnson and Secretary of Defense Clifford",
        );
        assert_eq!(
            h.kind,
            Some(Kind::new("telephone conversation", "transcript"))
        );
        assert_eq!(parties(&h), (None, None));
        assert_eq!(h.between.len(), 2);
        let h = parse("4. Summary Notes of the 590th Meeting of the National Security Council");
        assert_eq!(h.kind, Some(Kind::new("notes of meeting", "minutes")));
        let h = parse("174. Memorandum of a Conference With the President, Washington, December 19, 1956, 2:30 p.m.");
        assert_eq!(
            h.kind.map(|k| k.doc_type).as_deref(),
            Some("memorandum of conference")
        );
        assert_eq!(h.title, "Memorandum of a Conference With the President");
    }
}
