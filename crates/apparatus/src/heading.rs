//! Document headings: "45. Telegram From the Embassy in France to the
//! Department of State", "46. Information Memorandum From the President's
//! Special Assistant (Rostow) to President Johnson", "Mr. Seward to Mr.
//! Adams", "The Ambassador in France (Caffery) to the Acting Secretary of
//! State", "67. Message From the Soviet Government to President Johnson,
//! Moscow, November 3, 1964."

use serde::{Deserialize, Serialize};

use crate::text::{collapse_ws, trim_punct};

/// A sender or recipient as written, with office and person when the
/// heading separates them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Party {
    /// As written, without a leading "the": "President's Special Assistant (Rostow)".
    pub text: String,
    /// "President's Special Assistant", "Embassy in France", "Secretary of State".
    pub office: Option<String>,
    /// "Rostow", "Mr. Seward".
    pub person: Option<String>,
}

/// A parsed heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HeadingInfo {
    /// The heading, whitespace collapsed, note marker removed.
    pub text: String,
    /// Printed document number ("45." → 45; "[410]" → 410).
    pub number: Option<u32>,
    /// Title without number, place and date.
    pub title: String,
    /// Coarse type: "telegram", "memorandum", "letter", "editorial note", …
    pub doc_type: Option<String>,
    /// Finer type: "memorandum of conversation", "information memorandum",
    /// "circular telegram", "NIE", …
    pub doc_subtype: Option<String>,
    pub circular: bool,
    /// Telegram number printed in the heading ("Telegram 4858 From …").
    pub telegram_number: Option<String>,
    pub from: Option<Party>,
    pub to: Option<Party>,
    /// Where the recipient was: "to President Johnson at Camp David".
    pub to_location: Option<String>,
    /// Participants of "Conversation Between A and B" headings.
    pub between: Vec<String>,
    pub place: Option<String>,
    pub date: Option<String>,
    /// Bracketed declassification notes in the heading ("[text not declassified]").
    pub redactions: Vec<String>,
}

/// (prefix, doc_type, doc_subtype) in matching order: longer first.
const TYPES: &[(&str, &str, Option<&str>)] = &[
    ("editorial note", "editorial note", None),
    ("editor's note", "editorial note", None),
    ("editor’s note", "editorial note", None),
    ("circular telegram", "telegram", Some("circular telegram")),
    ("circular airgram", "airgram", Some("circular airgram")),
    (
        "circular instruction",
        "instruction",
        Some("circular instruction"),
    ),
    ("circular note", "note", Some("circular note")),
    ("circular", "circular", None),
    ("telegram", "telegram", None),
    (
        "backchannel message",
        "message",
        Some("backchannel message"),
    ),
    ("message", "message", None),
    ("airgram", "airgram", None),
    ("despatch", "despatch", None),
    ("dispatch", "despatch", None),
    ("instruction", "instruction", None),
    (
        "memorandum of conversation",
        "memorandum",
        Some("memorandum of conversation"),
    ),
    (
        "memorandum of a conversation",
        "memorandum",
        Some("memorandum of conversation"),
    ),
    (
        "memorandum of telephone conversation",
        "memorandum",
        Some("memorandum of telephone conversation"),
    ),
    (
        "memorandum of a conference",
        "memorandum",
        Some("memorandum of conference"),
    ),
    (
        "memorandum of meeting",
        "memorandum",
        Some("memorandum of meeting"),
    ),
    (
        "memorandum for the record",
        "memorandum",
        Some("memorandum for the record"),
    ),
    (
        "memorandum for personal files",
        "memorandum",
        Some("memorandum for personal files"),
    ),
    (
        "memorandum for the files",
        "memorandum",
        Some("memorandum for the files"),
    ),
    (
        "information memorandum",
        "memorandum",
        Some("information memorandum"),
    ),
    ("action memorandum", "memorandum", Some("action memorandum")),
    (
        "intelligence memorandum",
        "memorandum",
        Some("intelligence memorandum"),
    ),
    (
        "research memorandum",
        "memorandum",
        Some("research memorandum"),
    ),
    (
        "briefing memorandum",
        "memorandum",
        Some("briefing memorandum"),
    ),
    (
        "national security action memorandum",
        "memorandum",
        Some("national security action memorandum"),
    ),
    ("memorandum", "memorandum", None),
    ("letter", "letter", None),
    ("aide-mémoire", "aide-mémoire", None),
    ("aide-memoire", "aide-mémoire", None),
    ("aide mémoire", "aide-mémoire", None),
    ("note verbale", "note", Some("note verbale")),
    ("intelligence note", "note", Some("intelligence note")),
    ("summary notes", "notes", Some("summary notes of meeting")),
    ("notes of meeting", "notes", Some("notes of meeting")),
    ("notes of a meeting", "notes", Some("notes of meeting")),
    ("notes of the", "notes", Some("notes of meeting")),
    ("notes", "notes", None),
    ("note", "note", None),
    ("minutes", "minutes", None),
    ("summary of meeting", "summary", Some("summary of meeting")),
    ("summary record", "record", Some("summary record")),
    ("record of meeting", "record", Some("record of meeting")),
    ("record of a meeting", "record", Some("record of meeting")),
    (
        "record of conversation",
        "record",
        Some("record of conversation"),
    ),
    (
        "special national intelligence estimate",
        "intelligence estimate",
        Some("SNIE"),
    ),
    (
        "national intelligence estimate",
        "intelligence estimate",
        Some("NIE"),
    ),
    ("intelligence estimate", "intelligence estimate", None),
    ("snie", "intelligence estimate", Some("SNIE")),
    ("nie", "intelligence estimate", Some("NIE")),
    ("intelligence report", "report", Some("intelligence report")),
    (
        "intelligence information cable",
        "telegram",
        Some("intelligence information cable"),
    ),
    ("report", "report", None),
    ("policy paper", "paper", Some("policy paper")),
    ("paper", "paper", None),
    ("telephone conversation", "telephone conversation", None),
    ("transcript", "transcript", None),
    ("conversation", "conversation", None),
    ("oral message", "message", Some("oral message")),
    ("talking points", "talking points", None),
    ("position paper", "paper", Some("position paper")),
    ("study", "study", None),
    ("draft", "draft", None),
    ("statement", "statement", None),
    ("agreement", "agreement", None),
    ("proclamation", "proclamation", None),
    ("directive", "directive", None),
];

/// Qualifiers that may precede the type word: "Department of State Policy
/// Paper", "Joint State/Defense Message".
const QUALIFIERS: &[&str] = &[
    "department of state ",
    "joint state/defense ",
    "joint ",
    "personal ",
    "secret ",
    "draft ",
    "special ",
    "undated ",
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

/// Titles that precede a surname: "President Johnson", "Secretary of State Rusk".
const TITLES: &[&str] = &[
    "Secretary of State",
    "Secretary of Defense",
    "Secretary of the Treasury",
    "Secretary of Commerce",
    "Secretary of Agriculture",
    "Director of Central Intelligence",
    "Vice President",
    "President",
    "Chairman",
    "Premier",
    "Prime Minister",
    "Foreign Minister",
    "Ambassador",
    "Senator",
    "Governor",
    "General",
    "Admiral",
    "Under Secretary",
    "Secretary",
    "Emperor",
    "King",
    "Queen",
    "Chancellor",
];

const MONTHS: [&str; 12] = chancery_model::MONTH_NAMES;

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
        "Part" | "No." | "Group" | "Tab" | "NIE" | "SNIE" | "Volume"
    );
    if (glued || spaced) && !protected {
        before.trim_end()
    } else {
        t
    }
}

/// Split a trailing ", Place, Month D, YYYY[, time]." from the title.
fn split_place_date(title: &str) -> (String, Option<String>, Option<String>) {
    let t = trim_punct(title);
    for m in MONTHS {
        let pat = format!(", {m} ");
        if let Some(i) = t.find(&pat) {
            let date = t[i + 2..].trim().to_string();
            let head = &t[..i];
            // The place is the last comma item before the date.
            if let Some(j) = head.rfind(", ") {
                let place = head[j + 2..].trim();
                if place.split_whitespace().count() <= 4
                    && place.chars().next().is_some_and(char::is_uppercase)
                {
                    return (head[..j].to_string(), Some(place.to_string()), Some(date));
                }
            }
            return (head.to_string(), None, Some(date));
        }
    }
    (t.to_string(), None, None)
}

/// Interpret "Embassy in France", "President's Special Assistant (Rostow)",
/// "Mr. Black (Secretary of State)", "President Johnson".
pub fn parse_party(s: &str) -> Party {
    let s = trim_punct(s);
    let s = s
        .strip_prefix("the ")
        .or_else(|| s.strip_prefix("The "))
        .unwrap_or(s)
        .trim();
    let mut p = Party {
        text: s.to_string(),
        ..Default::default()
    };
    if let (Some(open), true) = (s.rfind('('), s.ends_with(')')) {
        let outside = s[..open].trim();
        let inside = s[open + 1..s.len() - 1].trim();
        let honorific = [
            "Mr.", "Mrs.", "Baron", "Count", "Sir", "Señor", "M.", "Lord",
        ]
        .iter()
        .any(|h| outside.starts_with(h));
        if honorific {
            // 19th century: "Mr. Black (Secretary of State)".
            p.person = Some(outside.to_string());
            p.office = Some(inside.to_string());
        } else {
            p.office = Some(outside.to_string());
            p.person = Some(inside.to_string());
        }
        return p;
    }
    for t in TITLES {
        if let Some(rest) = s.strip_prefix(t) {
            let rest = rest.trim();
            if !rest.is_empty()
                && rest.split_whitespace().count() <= 3
                && rest.chars().next().is_some_and(char::is_uppercase)
                && !rest.starts_with("of ")
            {
                p.office = Some(t.to_string());
                p.person = Some(rest.to_string());
                return p;
            }
        }
    }
    if s.starts_with("Mr.") || s.starts_with("Baron") || s.starts_with("Mrs.") {
        p.person = Some(s.to_string());
    } else {
        p.office = Some(s.to_string());
    }
    p
}

/// Find the " to " that separates sender and recipient.
fn split_from_to(s: &str) -> Option<(String, String)> {
    // If the sender carries a parenthesised person, the split follows it.
    let mut depth = 0i32;
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    let mut first_close = None;
    for &(i, c) in &bytes {
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

/// Split "President Johnson at Camp David" / "Rusk, at Geneva" / "Johnson
/// in Texas": only when what precedes is a named person, so that offices
/// such as "Ambassador in Turkey (Wilson)" keep their "in".
fn split_location(s: &str) -> (String, Option<String>) {
    for sep in [", at ", " at ", " in "] {
        if let Some(i) = s.rfind(sep) {
            let left = s[..i].trim_end_matches(',');
            let loc = s[i + sep.len()..].trim();
            let p = parse_party(left);
            if p.person.is_some() && loc.chars().next().is_some_and(char::is_uppercase) {
                return (left.to_string(), Some(loc.to_string()));
            }
        }
    }
    (s.to_string(), None)
}

/// Parse a heading of any era.
pub fn parse(heading: &str) -> HeadingInfo {
    // Captures write "( Page)" for "(Page)".
    let text = collapse_ws(heading).replace("( ", "(").replace(" )", ")");
    let text = strip_marker(&text).to_string();
    let mut info = HeadingInfo {
        text: text.clone(),
        ..Default::default()
    };
    let mut rest: &str = &text;
    // "45. " or "[410] ".
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() && rest[digits.len()..].starts_with(". ") {
        info.number = digits.parse().ok();
        rest = &rest[digits.len() + 2..];
    } else if let Some(r) = rest.strip_prefix('[') {
        let d: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !d.is_empty() && r[d.len()..].starts_with("] ") {
            info.number = d.parse().ok();
            rest = &r[d.len() + 2..];
        }
    }
    // Bracketed declassification notes: keep aside.
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
                    info.redactions.push(format!("[{cur}]"));
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
    let (title, place, date) = split_place_date(&cleaned);
    info.place = place;
    info.date = date;
    let title = trim_punct(&title).to_string();
    info.title = title.clone();

    // Document type at the start of the title, after optional qualifiers.
    let lower = title.to_lowercase();
    let mut offset = 0;
    for q in QUALIFIERS {
        if lower[offset..].starts_with(q)
            && TYPES
                .iter()
                .any(|(p, _, _)| lower[offset + q.len()..].starts_with(p))
        {
            offset += q.len();
            break;
        }
    }
    let mut after_type = title.as_str();
    for (prefix, ty, sub) in TYPES {
        let l = &lower[offset..];
        if l.starts_with(prefix) {
            let end = offset + prefix.len();
            // Whole words only ("Notes" is not "Note" + "s").
            let next = title[end..].chars().next();
            if next.is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            info.doc_type = Some(ty.to_string());
            info.doc_subtype = sub.map(str::to_string);
            info.circular = prefix.starts_with("circular");
            after_type = &title[end..];
            break;
        }
    }
    let after_type = after_type.trim();
    // "Telegram 4858 From …".
    let num: String = after_type
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let after_type = if info.doc_type.as_deref() == Some("telegram") && !num.is_empty() {
        info.telegram_number = Some(num.clone());
        after_type[num.len()..].trim()
    } else {
        after_type
    };

    let (from_part, to_part): (Option<String>, Option<String>) = if info.doc_type.is_some() {
        let a = after_type;
        let lower_a = a.to_lowercase();
        if let Some(r) = strip_ci(a, &lower_a, "from ") {
            match split_from_to(r) {
                Some((f, t)) => (Some(f), Some(t)),
                None => (Some(r.to_string()), None),
            }
        } else if let Some(r) = strip_ci(a, &lower_a, "prepared by ")
            .or_else(|| strip_ci(a, &lower_a, "prepared in "))
            .or_else(|| strip_ci(a, &lower_a, "by "))
        {
            match split_from_to(r) {
                Some((f, t)) => (Some(f), Some(t)),
                None => (Some(r.to_string()), None),
            }
        } else if let Some(r) = strip_ci(a, &lower_a, "prepared for ")
            .or_else(|| strip_ci(a, &lower_a, "for "))
            .or_else(|| strip_ci(a, &lower_a, "to "))
        {
            (None, Some(r.to_string()))
        } else if let Some(r) = strip_ci(a, &lower_a, "between ") {
            info.between = crate::text::split_list(r);
            (None, None)
        } else if let Some(r) = strip_ci(a, &lower_a, "with ") {
            info.between = crate::text::split_list(r);
            (None, None)
        } else {
            // "Memorandum of Conversation Between …" handled above; other
            // tails ("of the 590th Meeting …") name no parties.
            if let Some(i) = lower_a.find(" between ") {
                info.between = crate::text::split_list(&a[i + 9..]);
            }
            (None, None)
        }
    } else {
        // Older headings without a type word: "Mr. Seward to Mr. Adams".
        match split_from_to(&title) {
            Some((f, t)) => (Some(f), Some(t)),
            None => (None, None),
        }
    };
    if let Some(f) = from_part {
        info.from = Some(parse_party(&f));
    }
    if let Some(t) = to_part {
        let (who, loc) = split_location(trim_punct(&t));
        info.to_location = loc;
        info.to = Some(parse_party(&who));
    }
    info
}

fn strip_ci<'a>(s: &'a str, lower: &str, prefix: &str) -> Option<&'a str> {
    if lower.starts_with(prefix) {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modern() {
        let h = parse("45. Telegram From the Embassy in France to the Department of State 1");
        assert_eq!(h.number, Some(45));
        assert_eq!(h.doc_type.as_deref(), Some("telegram"));
        assert_eq!(
            h.from.map(|p| p.text),
            Some("Embassy in France".to_string())
        );
        assert_eq!(
            h.to.map(|p| p.text),
            Some("Department of State".to_string())
        );
    }

    #[test]
    fn special_assistant() {
        let h = parse("46. Information Memorandum From the President's Special Assistant (Rostow) to President Johnson");
        assert_eq!(h.doc_subtype.as_deref(), Some("information memorandum"));
        let f = h.from.unwrap_or_default();
        assert_eq!(f.office.as_deref(), Some("President's Special Assistant"));
        assert_eq!(f.person.as_deref(), Some("Rostow"));
        assert_eq!(h.to.map(|p| p.text), Some("President Johnson".to_string()));
    }

    #[test]
    fn nineteenth_century() {
        let h = parse("Mr. Seward to Mr. Adams.");
        assert_eq!(h.from.map(|p| p.text), Some("Mr. Seward".to_string()));
        assert_eq!(h.to.map(|p| p.text), Some("Mr. Adams".to_string()));
        assert_eq!(h.doc_type, None);
    }

    #[test]
    fn place_date() {
        let h = parse("67. Message From the Soviet Government to President Johnson, Moscow, November 3, 1964.");
        assert_eq!(h.place.as_deref(), Some("Moscow"));
        assert_eq!(h.date.as_deref(), Some("November 3, 1964"));
        assert_eq!(h.to.map(|p| p.text), Some("President Johnson".to_string()));
    }
}
