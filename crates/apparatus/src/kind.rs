//! What kind of document this is, and the form marks it prints.
//!
//! The heading decides when it names a kind ("Telegram From …", "Memorandum of Conversation").
//! Older headings name only the parties ("Mr. Seward to Mr. Adams"); then the document's own
//! marks decide, in this order:
//!
//! 1. telegram marks: a file-number note ending ": Telegram", a "[Telegram]" or "[Paraphrase]"
//!    line, or a received line with a telegram number opening the text;
//! 2. "CIRCULAR." opening the text;
//! 3. the salutation of a letter ("Dear Mr. Secretary:", "My dear Dr. Kung:");
//! 4. the third person of a diplomatic note ("The undersigned …", "… presents his
//!    compliments");
//! 5. the parties, by FRUS convention: from the Secretary of State (or the Department) to a
//!    U.S. diplomatic or consular officer is an instruction, the reverse a despatch; to or from a
//!    foreign representative a note; to or from anyone else a letter. Who was Secretary of State
//!    comes from the heading's office or, for "Mr. Seward", from the years of the volume;
//! 6. a "Sir:" letter between other parties is a letter.

use crate::heading::{HeadingInfo, Kind, Party};
use crate::source_note::SourceNote;

/// Secretaries of State and the assistant secretaries who signed the Department's mail in the
/// years FRUS prints headings by name ("Mr. Seward to Mr. Adams"): surname, first and last year
/// in office.
const SECRETARIES: &[(&str, u32, u32)] = &[
    ("Black", 1860, 1861),
    ("Seward", 1861, 1869),
    ("Hunter", 1866, 1886),
    ("Washburne", 1869, 1869),
    ("Fish", 1869, 1877),
    ("Davis", 1869, 1871),
    ("Davis", 1873, 1874),
    ("Davis", 1881, 1882),
    ("Evarts", 1877, 1881),
    ("Blaine", 1881, 1881),
    ("Frelinghuysen", 1881, 1885),
    ("Bayard", 1885, 1889),
    ("Adee", 1886, 1924),
    ("Blaine", 1889, 1892),
    ("Foster", 1892, 1893),
    ("Gresham", 1893, 1895),
    ("Uhl", 1893, 1896),
    ("Olney", 1895, 1897),
    ("Sherman", 1897, 1898),
    ("Day", 1898, 1898),
    ("Hay", 1898, 1905),
    ("Root", 1905, 1909),
    ("Bacon", 1909, 1909),
    ("Knox", 1909, 1913),
    ("Bryan", 1913, 1915),
    ("Lansing", 1915, 1920),
    ("Colby", 1920, 1921),
    ("Hughes", 1921, 1925),
    ("Kellogg", 1925, 1929),
    ("Stimson", 1929, 1933),
    ("Hull", 1933, 1944),
    ("Stettinius", 1944, 1945),
    ("Byrnes", 1945, 1947),
    ("Marshall", 1947, 1949),
    ("Acheson", 1949, 1953),
    ("Dulles", 1953, 1959),
    ("Herter", 1959, 1961),
    ("Rusk", 1961, 1969),
    ("Rogers", 1969, 1973),
    ("Kissinger", 1973, 1977),
    ("Vance", 1977, 1980),
    ("Muskie", 1980, 1981),
    ("Haig", 1981, 1982),
    ("Shultz", 1982, 1989),
    ("Baker", 1989, 1992),
    ("Eagleburger", 1992, 1993),
];

/// Honorifics and titles of foreign representatives in headings.
const FOREIGN_HONORIFICS: &[&str] = &[
    "Baron",
    "Count",
    "Señor",
    "Senor",
    "Don",
    "M.",
    "Monsieur",
    "Chevalier",
    "Sir",
    "Lord",
    "Marquis",
    "Prince",
    "Duke",
    "Herr",
    "Mr. de",
    "Viscount",
    "Earl",
];

/// Adjectives that make an office foreign ("Chinese Ambassador", "British Minister").
const NATIONALITIES: &[&str] = &[
    "Afghan",
    "Albanian",
    "Algerian",
    "Argentine",
    "Australian",
    "Austrian",
    "Bavarian",
    "Belgian",
    "Bolivian",
    "Brazilian",
    "British",
    "Bulgarian",
    "Burmese",
    "Cambodian",
    "Canadian",
    "Ceylonese",
    "Chilean",
    "Chinese",
    "Colombian",
    "Costa",
    "Cuban",
    "Czechoslovak",
    "Danish",
    "Dominican",
    "Dutch",
    "Ecuadorian",
    "Egyptian",
    "Estonian",
    "Ethiopian",
    "Finnish",
    "French",
    "German",
    "Greek",
    "Guatemalan",
    "Haitian",
    "Hawaiian",
    "Honduran",
    "Hungarian",
    "Indian",
    "Indonesian",
    "Iranian",
    "Iraqi",
    "Irish",
    "Israeli",
    "Italian",
    "Japanese",
    "Jordanian",
    "Korean",
    "Laotian",
    "Latvian",
    "Lebanese",
    "Liberian",
    "Libyan",
    "Lithuanian",
    "Mexican",
    "Moroccan",
    "Nepalese",
    "Netherlands",
    "Nicaraguan",
    "Norwegian",
    "Ottoman",
    "Pakistani",
    "Panamanian",
    "Paraguayan",
    "Persian",
    "Peruvian",
    "Philippine",
    "Polish",
    "Portuguese",
    "Prussian",
    "Romanian",
    "Rumanian",
    "Russian",
    "Salvadoran",
    "Sardinian",
    "Saudi",
    "Siamese",
    "Soviet",
    "Spanish",
    "Swedish",
    "Swiss",
    "Syrian",
    "Thai",
    "Tunisian",
    "Turkish",
    "Uruguayan",
    "Venezuelan",
    "Vietnamese",
    "Yugoslav",
];

/// Offices held by U.S. representatives abroad ("Ambassador in Germany", "Minister in
/// China", "ministers of the United States", "Consul at Geneva").
const US_POSTS: &[&str] = &[
    "Ambassador",
    "Minister",
    "Chargé",
    "Charge",
    "Consul",
    "Envoy",
    "Agent",
    "Commissioner",
    "Legation",
    "Embassy",
    "Clerk in Charge",
    "Special Representative",
    "Representative",
    "Delegation",
    "Mission",
];

/// What the other evidence says besides the heading.
#[derive(Debug, Clone, Default)]
pub struct Evidence<'a> {
    /// The parsed heading, if any.
    pub heading: Option<&'a HeadingInfo>,
    /// The parsed source note, if any.
    pub source: Option<&'a SourceNote>,
    /// Lines at the head of the document.
    pub opening: &'a [String],
    /// The start of the text.
    pub body_opening: &'a str,
    /// The sender, from the heading or the TEI.
    pub from: Option<&'a Party>,
    /// The recipient, from the heading or the TEI.
    pub to: Option<&'a Party>,
    /// The document carries a despatch or instruction number ("No. 144.]").
    pub serial: bool,
    /// A received line, or a telegram number opening the text.
    pub received: bool,
    /// The document carries a telegram number.
    pub telegram_number: bool,
    /// First and last year of the volume.
    pub years: Option<(u32, u32)>,
}

/// The form marks a document prints: circular, paraphrase, extract, translation.
pub fn markers(e: &Evidence<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |m: &str| {
        if !out.iter().any(|x| x == m) {
            out.push(m.to_string());
        }
    };
    if let Some(h) = e.heading {
        if h.circular {
            add("circular");
        }
        for m in &h.marks {
            if m != "telegram" {
                add(m);
            }
        }
    }
    if opens_circular(e) {
        add("circular");
    }
    for line in e.opening {
        if let Some(m) = line_mark(line) {
            if m != "telegram" {
                add(m);
            }
        }
    }
    if let Some(s) = e.source {
        for m in &s.editorial_marks {
            add(&m.to_lowercase());
        }
        if s.document_type_hint
            .as_deref()
            .is_some_and(|h| h.to_lowercase().contains("paraphrase"))
        {
            add("paraphrase");
        }
    }
    out
}

/// A line that is only a form mark: "[Telegram]", "[Paraphrase]", "[Extract.]", "Translation.".
pub fn line_mark(line: &str) -> Option<&'static str> {
    let t = line
        .trim()
        .trim_matches(|c: char| matches!(c, '[' | ']' | '(' | ')' | '.' | ' '))
        .to_lowercase();
    match t.as_str() {
        "telegram" | "by cable" | "by telegraph" | "telegraphic" | "cablegram" => Some("telegram"),
        "paraphrase"
        | "paraphrase of telegram"
        | "telegram—paraphrase"
        | "telegram-paraphrase"
        | "telegram paraphrase"
        | "paraphrase of a telegram" => Some("paraphrase"),
        "extract" | "extracts" => Some("extract"),
        "translation" => Some("translation"),
        _ => None,
    }
}

fn opens_circular(e: &Evidence<'_>) -> bool {
    let b = e.body_opening.trim_start();
    b.starts_with("CIRCULAR")
        || b.starts_with("Circular.")
        || e.opening.iter().any(|l| {
            matches!(
                l.trim(),
                "CIRCULAR." | "CIRCULAR" | "Circular." | "[Circular.]"
            )
        })
}

fn telegram_marked(e: &Evidence<'_>) -> bool {
    let hint = e
        .source
        .and_then(|s| s.document_type_hint.as_deref())
        .is_some_and(|h| h.to_lowercase().starts_with("telegram"));
    let mark = e
        .heading
        .is_some_and(|h| h.marks.iter().any(|m| m == "telegram"))
        || e.opening
            .iter()
            .any(|l| matches!(line_mark(l), Some("telegram" | "paraphrase")));
    hint || mark || (e.received && e.telegram_number)
}

fn salutation_letter(body: &str) -> bool {
    let b = body.trim_start().trim_start_matches(['[', '(']);
    let lower: String = b.chars().take(16).collect::<String>().to_lowercase();
    lower.starts_with("dear ") || lower.starts_with("my dear ") || lower.starts_with("my very dear")
}

fn third_person_note(body: &str) -> bool {
    let head: String = body.chars().take(300).collect();
    let b = head.trim_start();
    b.starts_with("The undersigned")
        || head.contains("presents his compliments")
        || head.contains("present their compliments")
        || head.contains("presents its compliments")
}

fn surname(person: &str) -> &str {
    person
        .trim_end_matches('.')
        .split_whitespace()
        .last()
        .unwrap_or("")
}

/// Whether a party is the Secretary of State (or the Department writing for him).
fn is_secretary(p: &Party, years: Option<(u32, u32)>) -> bool {
    if let Some(o) = &p.office {
        let o = o.trim();
        let own = o.ends_with("Secretary of State")
            && !o.contains("Assistant")
            && !o.contains("Under")
            && !o.contains("Deputy");
        if own || o == "Department of State" || o == "Department" {
            return true;
        }
        if !o.is_empty() && p.person.is_none() {
            return false;
        }
    }
    let Some(person) = &p.person else {
        return false;
    };
    let name = surname(person);
    let Some((first, last)) = years else {
        return false;
    };
    SECRETARIES
        .iter()
        .any(|(s, from, to)| *s == name && *from <= last && first <= *to)
}

enum Side {
    /// A U.S. diplomatic or consular officer (or a plain "Mr. X" of the older headings).
    UsRepresentative,
    Foreign,
    Other,
}

fn side(p: &Party, text_hint: &str) -> Side {
    let text = p.text.as_str();
    if FOREIGN_HONORIFICS
        .iter()
        .any(|h| text.starts_with(&format!("{h} ")))
    {
        return Side::Foreign;
    }
    if let Some(o) = &p.office {
        let first = o.split_whitespace().next().unwrap_or("");
        // "Chinese Ambassador", "British Minister", "Minister of Finance", "Foreign Minister".
        let nationality = NATIONALITIES.contains(&first);
        let foreign_office = o.contains("Minister of")
            || o.contains("Minister for")
            || o.starts_with("Foreign Minister")
            || o.contains("Government")
            || o.contains("Ministry");
        let post = US_POSTS.iter().any(|w| o.contains(w));
        if post && !nationality && !foreign_office {
            return Side::UsRepresentative;
        }
        if nationality || foreign_office {
            return Side::Foreign;
        }
        return Side::Other;
    }
    if p.person.is_some() && text.starts_with("Mr.") && !text_hint.contains("undersigned") {
        return Side::UsRepresentative;
    }
    Side::Other
}

/// Classify a document. `None` when nothing decides.
pub fn classify(e: &Evidence<'_>) -> Option<Kind> {
    let circular = opens_circular(e);
    if let Some(k) = e.heading.and_then(|h| h.kind.clone()) {
        return Some(k);
    }
    if telegram_marked(e) {
        return Some(if circular {
            Kind::new("circular telegram", "telegram")
        } else {
            Kind::new("telegram", "telegram")
        });
    }
    if circular {
        return Some(Kind::new("circular", "circular"));
    }
    if salutation_letter(e.body_opening) {
        return Some(Kind::new("letter", "letter"));
    }
    if third_person_note(e.body_opening) {
        return Some(Kind::new("note", "note"));
    }
    // A numbered message ("1891. Your 2061, December 8, 9 p.m., has been transmitted"): mail
    // opens with a salutation, never with a number.
    if e.telegram_number {
        return Some(Kind::new("telegram", "telegram"));
    }
    if let (Some(from), Some(to)) = (e.from, e.to) {
        let from_sec = is_secretary(from, e.years);
        let to_sec = is_secretary(to, e.years);
        if from_sec != to_sec {
            let other = if from_sec { to } else { from };
            return Some(match side(other, e.body_opening) {
                Side::UsRepresentative if from_sec => Kind::new("instruction", "instruction"),
                Side::UsRepresentative => Kind::new("despatch", "despatch"),
                Side::Foreign => Kind::new("note", "note"),
                Side::Other => Kind::new("letter", "letter"),
            });
        }
        let sir = |t: &str| {
            let t = t.trim_start();
            t.starts_with("Sir:")
                || t.starts_with("Sir;")
                || t.starts_with("Sir,")
                || t.starts_with("Sir *")
        };
        if sir(e.body_opening) || e.opening.iter().any(|l| sir(l)) {
            return Some(Kind::new("letter", "letter"));
        }
    }
    let _ = e.serial;
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heading;

    fn kind_of(heading_text: &str, body: &str, years: (u32, u32)) -> Option<String> {
        let h = heading::parse(heading_text);
        classify(&Evidence {
            heading: Some(&h),
            body_opening: body,
            from: h.from.as_ref(),
            to: h.to.as_ref(),
            years: Some(years),
            ..Default::default()
        })
        .map(|k| k.doc_type)
    }

    #[test]
    fn correspondence_by_its_parties() {
        let y = (1861, 1861);
        assert_eq!(
            kind_of("Mr. Seward to Mr. Adams.", "Sir: Your despatch", y).as_deref(),
            Some("instruction")
        );
        assert_eq!(
            kind_of("Mr. Wright to Mr. Seward.", "Sir: I have", y).as_deref(),
            Some("despatch")
        );
        assert_eq!(
            kind_of("Mr. Seward to Baron Gerolt.", "Sir: I have", y).as_deref(),
            Some("note")
        );
        assert_eq!(
            kind_of("Baron Gerolt to Mr. Seward.", "The undersigned, envoy", y).as_deref(),
            Some("note")
        );
        let y = (1914, 1920);
        assert_eq!(
            kind_of(
                "The Ambassador in Germany (Gerard) to the Secretary of State",
                "My Dear Mr. Secretary: The",
                y
            )
            .as_deref(),
            Some("letter")
        );
        assert_eq!(
            kind_of(
                "The Secretary of State to the Chinese Ambassador (Wei)",
                "The Secretary of State presents his compliments",
                y
            )
            .as_deref(),
            Some("note")
        );
        assert_eq!(
            kind_of("The Secretary of State to the Vice President of the Board of Trade of Kansas City (D. F. Piazzek)", "Sir: The Department", y).as_deref(),
            Some("letter")
        );
        // A Secretary's name outside his years is nobody in particular.
        assert_eq!(
            kind_of("Mr. Baker to Mr. Gresham.", "Sir; On Sunday", (1894, 1894)).as_deref(),
            Some("despatch")
        );
    }

    #[test]
    fn marks_outside_the_heading() {
        let opening = vec!["[Telegram]".to_string()];
        let h = heading::parse("The Ambassador in Great Britain (Page) to the Secretary of State");
        let k = classify(&Evidence {
            heading: Some(&h),
            opening: &opening,
            from: h.from.as_ref(),
            to: h.to.as_ref(),
            ..Default::default()
        });
        assert_eq!(k.map(|k| k.doc_type).as_deref(), Some("telegram"));
        let opening = vec!["[Paraphrase]".to_string()];
        let e = Evidence {
            opening: &opening,
            ..Default::default()
        };
        assert_eq!(markers(&e), vec!["paraphrase".to_string()]);
        assert_eq!(
            classify(&e).map(|k| k.doc_type).as_deref(),
            Some("telegram")
        );
    }
}
