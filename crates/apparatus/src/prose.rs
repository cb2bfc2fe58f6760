//! Cutting apparatus prose into its pieces: sentences (segmentation tuned to FRUS source notes
//! and editorial prose), name and addressee lists, parenthetical asides, trailing punctuation.
//! Whitespace is collapsed by [`chancery_model::collapse_ws`].

use chancery_model::collapse_ws;

/// A byte span of a sentence inside the text it was cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the sentence's start.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

/// Words that end with a period without ending a sentence. Compared
/// lower-case, without the final period.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "st", "jr", "sr", "gen", "adm", "col", "capt", "lt", "maj",
    "sgt", "cdr", "amb", "asst", "sec", "secy", "dept", "dep", "gov", "govt", "sen", "rep", "hon",
    "rev", "prof", "no", "nos", "vol", "vols", "p", "pp", "ed", "eds", "doc", "docs", "ch", "cf",
    "vs", "viz", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "inc", "co", "corp", "ltd", "bros", "msgr", "fig", "art", "arts", "para", "paras",
    "approx", "ca", "esq", "et", "al", "tel", "subj", "ref",
];

/// Tokens right before a single capital letter that make it a roman
/// numeral or file letter ending a sentence rather than a name initial.
const NUMERAL_INTRODUCERS: &[&str] = &["vol.", "vols.", "part", "no.", "tab", "annex", "box"];

fn prev_word(text: &str, end: usize) -> &str {
    let head = &text[..end];
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || *c == '(' || *c == '[' || *c == '“' || *c == '"')
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    &head[start..]
}

fn word_before(text: &str, word_start: usize) -> &str {
    let head = text[..word_start].trim_end();
    prev_word(head, head.len())
}

/// Decide whether the period at byte `dot` ends a sentence, given the
/// first non-space character after it.
fn period_ends_sentence(text: &str, dot: usize, next: char) -> bool {
    // The word that the period closes, e.g. "Mr", "U.S", "a.m", "S".
    let word = prev_word(text, dot);
    let word_start = dot - word.len();
    let lower = word.to_lowercase();
    let bare = lower.trim_start_matches(['(', '[', '“', '"', '‘', '\'']);
    if bare.is_empty() {
        return true;
    }
    // "a.m." / "p.m." close a sentence only when a capital follows
    // ("Received at 9 a.m. Repeated to Paris" vs "2:47 p.m. later").
    if bare == "a.m" || bare == "p.m" || word == "m" {
        return next.is_uppercase();
    }
    if ABBREVIATIONS.contains(&bare) {
        return false;
    }
    // Internal periods ("U.S", "e.g", "J.B") mark abbreviations; file
    // numbers ("762.0221/3–1062") do not.
    if bare.contains('.')
        && bare
            .split('.')
            .all(|p| p.chars().count() <= 3 && p.chars().all(char::is_alphabetic))
    {
        return false;
    }
    let chars: Vec<char> = word.chars().collect();
    if chars.len() == 1 && chars[0].is_uppercase() {
        // A lone capital is a name initial ("William Y. Smith") unless it
        // follows an all-caps file token ("POL 27 VIET S.") or a numeral
        // introducer ("Vol. I.").
        let before = word_before(text, word_start);
        let before_lower = before.to_lowercase();
        if NUMERAL_INTRODUCERS.contains(&before_lower.as_str()) {
            return true;
        }
        let is_caps_token = before.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && before
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase());
        let is_number = !before.is_empty() && before.chars().all(|c| c.is_ascii_digit());
        return is_caps_token || is_number;
    }
    true
}

/// Split apparatus prose into sentences, returning byte spans that cover
/// the text (only whitespace between spans is left out).
///
/// Rules follow the FRUS house style: a sentence ends at `.`, `?` or `!`
/// (optionally followed by closing quotes or brackets) when whitespace and
/// an upper-case letter, digit, opening quote or bracket follow; periods
/// of abbreviations and initials do not end sentences; nothing inside
/// curly quotes or parentheses ends a sentence, except that a closing
/// parenthesis that follows a full stop ends one ("…(Ibid.) A full…").
/// Unbalanced brackets or quotes are tolerated: depth never goes below 0.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0usize;
    let mut paren = 0i32;
    let mut quote = 0i32;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        match c {
            '(' | '[' => paren += 1,
            ')' | ']' => {
                paren = (paren - 1).max(0);
                if paren == 0 && quote == 0 {
                    // "(Ibid., President's Daily Diary) In a memorandum…":
                    // a parenthetical citation closes the sentence before it.
                    let after = &text[i + 1..];
                    let trimmed = after.trim_start();
                    let before = text[..i].trim_end();
                    let opened_after_stop = paren_opened_after_stop(text, i);
                    if opened_after_stop
                        && trimmed.len() < after.len()
                        && trimmed.chars().next().is_some_and(|n| n.is_uppercase())
                        && !before.is_empty()
                    {
                        push_span(&mut spans, text, start, i + 1);
                        start = i + 1;
                    }
                }
            }
            '“' => quote += 1,
            '”' => quote = (quote - 1).max(0),
            '.' | '?' | '!' => {
                if paren > 0 || quote > 0 {
                    // A sentence can end inside a closing quote: `reads: “… seen.”`
                    // is handled when the quote closes below.
                    continue;
                }
                // Swallow closing quotes right after the stop.
                let mut end = i + c.len_utf8();
                while let Some(&(j, n)) = iter.peek() {
                    if n == '”' || n == '"' || n == '’' || n == '\'' {
                        end = j + n.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
                if ends_here(text, i, c, end) {
                    push_span(&mut spans, text, start, end);
                    start = end;
                }
            }
            _ => {}
        }
        // A closing curly quote that ends a quoted full sentence:
        // `A notation reads: “Dep. Sec. has seen.” Another note…`
        if c == '”' && quote == 0 && paren == 0 && i > 0 {
            let before = text[..i].trim_end();
            if before.ends_with('.') || before.ends_with('?') || before.ends_with('!') {
                let end = i + c.len_utf8();
                let after = &text[end..];
                let trimmed = after.trim_start();
                if trimmed.len() < after.len()
                    && trimmed
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_uppercase() || n == '(')
                {
                    push_span(&mut spans, text, start, end);
                    start = end;
                }
            }
        }
    }
    push_span(&mut spans, text, start, text.len());
    spans
}

/// Was the parenthesis closing at `close` opened right after a sentence
/// stop (". (")? Only such parentheticals stand as their own sentence end.
fn paren_opened_after_stop(text: &str, close: usize) -> bool {
    let mut depth = 0i32;
    for (i, c) in text[..close].char_indices().rev() {
        match c {
            ')' | ']' => depth += 1,
            '(' | '[' => {
                if depth == 0 {
                    let before = text[..i].trim_end();
                    return before.is_empty()
                        || before.ends_with('.')
                        || before.ends_with('”')
                        || before.ends_with('?');
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    false
}

fn ends_here(text: &str, dot: usize, stop: char, end: usize) -> bool {
    let after = &text[end..];
    let trimmed = after.trim_start();
    let Some(next) = trimmed.chars().next() else {
        return true;
    };
    if trimmed.len() == after.len() {
        // No whitespace after the stop: "U.S.", "851G.00/1", "17!.".
        return false;
    }
    let plausible_start = next.is_uppercase()
        || next.is_ascii_digit()
        || matches!(next, '“' | '"' | '(' | '[' | '‘' | '—');
    // A parenthetical right after a stop is the citation of the sentence
    // before it ("…later that day. (Ibid., Transcripts)"): keep them together.
    if !plausible_start || next == '(' {
        return false;
    }
    if stop != '.' {
        return true;
    }
    // "POL IRAN–U.S. Secret; Priority": a marking line starts a sentence
    // even after an abbreviation.
    let marking = [
        "Top Secret",
        "Secret",
        "Confidential",
        "Unclassified",
        "Limited Official Use",
        "No classification",
    ]
    .iter()
    .any(|w| trimmed.starts_with(w) && trimmed[w.len()..].starts_with([';', '.', ',']))
        || trimmed.starts_with("No classification");
    marking || period_ends_sentence(text, dot, next)
}

fn push_span(spans: &mut Vec<Span>, text: &str, start: usize, end: usize) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    let s = start + lead;
    let e = end - trail;
    if s < e {
        spans.push(Span { start: s, end: e });
    }
}

/// Split a name or addressee list: "Green and Read", "Harriman, Rostow,
/// Katzenbach, Clifford, and Read". Commas and "and" inside parentheses
/// do not split.
pub fn split_list(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '(' || c == '[' {
            depth += 1;
        } else if c == ')' || c == ']' {
            depth = (depth - 1).max(0);
        }
        if depth == 0 {
            if let Some(r) = rest.strip_prefix(", and ") {
                parts.push(std::mem::take(&mut cur));
                rest = r;
                continue;
            }
            if let Some(r) = rest.strip_prefix(" and ") {
                parts.push(std::mem::take(&mut cur));
                rest = r;
                continue;
            }
            if let Some(r) = rest.strip_prefix(", ") {
                parts.push(std::mem::take(&mut cur));
                rest = r;
                continue;
            }
        }
        cur.push(c);
        rest = &rest[c.len_utf8()..];
    }
    parts.push(cur);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Strip parenthetical and bracketed asides: "Seligmann (DOD/ISA)" → "Seligmann".
pub fn strip_parentheticals(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    collapse_ws(&out)
}

/// Trim trailing sentence punctuation and spaces.
pub fn trim_punct(s: &str) -> &str {
    s.trim()
        .trim_end_matches(['.', ',', ';', ':'])
        .trim_end()
        .trim_start_matches([',', ';', ':'])
        .trim_start()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(t: &str) -> Vec<&str> {
        sentences(t).iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn splits_source_note() {
        let t = "Source: National Archives and Records Administration, RG 59, A/IM Files: Lot 93 D 82, HARVAN-(Incoming)-October 1968. Secret; Immediate; Nodis/HARVAN/Plus. Repeated to USUN for Secretary Rusk.";
        assert_eq!(cut(t).len(), 3);
    }

    #[test]
    fn keeps_initials_and_times() {
        let t = "Prepared by William Y. Smith. Received at 9 a.m. Repeated to Paris. Met at 2:47 p.m. later that day. POL 27 VIET S. Secret.";
        assert_eq!(
            cut(t),
            vec![
                "Prepared by William Y. Smith.",
                "Received at 9 a.m.",
                "Repeated to Paris.",
                "Met at 2:47 p.m. later that day.",
                "POL 27 VIET S.",
                "Secret."
            ]
        );
    }

    #[test]
    fn parenthetical_citation_closes() {
        let t = "Muskie called later that day. (Ibid., Transcripts) A full record is ibid.";
        assert_eq!(
            cut(t),
            vec![
                "Muskie called later that day. (Ibid., Transcripts)",
                "A full record is ibid."
            ]
        );
    }

    #[test]
    fn initials_in_lists() {
        let t = "Affairs John M. Leddy, Ambassador. Central Files, 762.0221/3–1062. Secret.";
        assert_eq!(
            cut(t),
            vec![
                "Affairs John M. Leddy, Ambassador.",
                "Central Files, 762.0221/3–1062.",
                "Secret."
            ]
        );
    }

    #[test]
    fn lists() {
        assert_eq!(
            split_list("Harriman, Rostow, Katzenbach, Clifford, and Read"),
            vec!["Harriman", "Rostow", "Katzenbach", "Clifford", "Read"]
        );
        assert_eq!(
            split_list("Seligmann (DOD/ISA) and Sneider (EA/J)"),
            vec!["Seligmann (DOD/ISA)", "Sneider (EA/J)"]
        );
    }
}
