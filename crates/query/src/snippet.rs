//! Keyword-in-context snippets, highlighted from the stored text and the query's own words.
//!
//! Highlights are computed here rather than by tantivy's snippet generator so that every query
//! form marks what matched: phrases and proximity mark the words of each occurrence found within
//! the allowed distance (not every stray occurrence of each word), wildcards and fuzzy terms mark
//! the words they expand to.

use chancery_index::tantivy::tokenizer::TextAnalyzer;
use std::collections::HashSet;

use chancery_index::tantivy::tokenizer::TokenStream;
use chancery_index::text::analyzer;
use serde::{Deserialize, Serialize};

use crate::compile::Place;
use crate::parse::TextQuery;

/// Characters of context either side of the first match of a window.
const BEFORE: usize = 70;
const AFTER: usize = 150;
/// Headings are shown whole up to this length.
const HEADING_MAX: usize = 300;

/// One keyword-in-context excerpt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// Where the excerpt is from: `heading`, `body`, or `footnote N` (N as printed).
    pub location: String,
    /// The excerpt, whitespace collapsed, `…` where it was cut.
    pub text: String,
    /// Byte ranges of `text` that matched, in order.
    pub highlights: Vec<(usize, usize)>,
    /// `text` with `<mark>`…`</mark>` around each match (the text itself is not HTML-escaped).
    pub marked: String,
}

impl Snippet {
    /// The excerpt with matches wrapped in `open`…`close` (`[[`…`]]` on a plain terminal).
    pub fn render(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        let mut at = 0usize;
        for &(s, e) in &self.highlights {
            out.push_str(self.text.get(at..s).unwrap_or_default());
            out.push_str(open);
            out.push_str(self.text.get(s..e).unwrap_or_default());
            out.push_str(close);
            at = e;
        }
        out.push_str(self.text.get(at..).unwrap_or_default());
        out
    }
}

/// Finds the words a query matched in a text.
pub struct Highlighter {
    clauses: Vec<(Place, TextQuery)>,
    analyzer: TextAnalyzer,
    /// Every word of the terms and phrases.
    exact: HashSet<String>,
    globs: Vec<Vec<char>>,
    fuzzy: Vec<(String, u8)>,
}

/// A word that may match, and where it is.
struct Cand {
    pos: usize,
    start: usize,
    end: usize,
    text: String,
}

/// Where a text is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Heading,
    Body,
    Footnote,
}

impl Highlighter {
    pub fn new(clauses: Vec<(Place, TextQuery)>) -> Highlighter {
        let mut exact = HashSet::new();
        let mut globs = Vec::new();
        let mut fuzzy = Vec::new();
        for (_, q) in &clauses {
            match q {
                TextQuery::Term { word } => {
                    exact.insert(word.clone());
                }
                TextQuery::Phrase { words, .. } => exact.extend(words.iter().cloned()),
                TextQuery::Wildcard { pattern } => globs.push(pattern.chars().collect()),
                TextQuery::Fuzzy { word, distance } => fuzzy.push((word.clone(), *distance)),
            }
        }
        Highlighter {
            clauses,
            analyzer: analyzer(),
            exact,
            globs,
            fuzzy,
        }
    }

    /// Byte ranges of `text` the query matched, sorted and merged, scanning the text in pieces
    /// and stopping once `enough` matches are found (long bodies need not be read to the end
    /// for two snippets; a phrase cut by a piece boundary can be missed there).
    pub fn ranges_upto(
        &mut self,
        text: &str,
        location: Location,
        enough: usize,
    ) -> Vec<(usize, usize)> {
        const PIECE: usize = 4096;
        let mut out = Vec::new();
        let mut start = 0usize;
        while start < text.len() {
            let mut end = (start + PIECE).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            if end < text.len() {
                // Cut at a line or space so no word is split.
                if let Some(i) = text[end..].find(char::is_whitespace) {
                    end += i;
                } else {
                    end = text.len();
                }
            }
            let piece = &text[start..end];
            out.extend(
                self.ranges(piece, location)
                    .into_iter()
                    .map(|(a, b)| (a + start, b + start)),
            );
            if out.len() >= enough {
                break;
            }
            start = end;
        }
        out
    }

    /// Whether `piece` can hold a match, decided without tokenizing it: for queries of plain
    /// ASCII words only, a piece whose letters and digits are all ASCII and that contains none
    /// of the words (ignoring case) cannot, because there the analyzer only splits and
    /// lower-cases (curly quotes and dashes are separators). Anything else may. Most of a long
    /// body is skipped this way, several times faster than tokenizing it.
    fn may_match(&self, piece: &str) -> bool {
        let folds = |p: &str| p.chars().any(|c| !c.is_ascii() && c.is_alphanumeric());
        if !self.globs.is_empty()
            || !self.fuzzy.is_empty()
            || !self.exact.iter().all(|w| w.is_ascii())
            || (!piece.is_ascii() && folds(piece))
        {
            return true;
        }
        let lower = piece.to_ascii_lowercase();
        self.exact.iter().any(|w| lower.contains(w.as_str()))
    }

    /// Byte ranges of `text` the query matched, sorted and merged.
    pub fn ranges(&mut self, text: &str, location: Location) -> Vec<(usize, usize)> {
        if self.clauses.is_empty() || !self.may_match(text) {
            return Vec::new();
        }
        // Only the words that can match are kept (with their positions): no allocation for the
        // rest of a long text.
        let ws = self.candidates(text);
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for (place, q) in &self.clauses {
            let applies = match place {
                Place::Any => true,
                Place::Heading => location == Location::Heading,
                Place::Body => location == Location::Body,
                Place::Footnotes => location == Location::Footnote,
            };
            if !applies {
                continue;
            }
            match q {
                TextQuery::Term { word } => {
                    hits.extend(ws.iter().filter(|w| &w.text == word).map(span));
                }
                TextQuery::Wildcard { pattern } => {
                    let p: Vec<char> = pattern.chars().collect();
                    hits.extend(ws.iter().filter(|w| glob(&p, &w.text)).map(span));
                }
                TextQuery::Fuzzy { word, distance } => {
                    hits.extend(
                        ws.iter()
                            .filter(|w| within_edits(word, &w.text, usize::from(*distance)))
                            .map(span),
                    );
                }
                TextQuery::Phrase { words: p, slop } => phrase_hits(&ws, p, *slop, &mut hits),
            }
        }
        hits.sort_unstable();
        hits.dedup();
        // One mark for a run of matched words ("[[stop the bombing]]", not three marks).
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(hits.len());
        for (s, e) in hits {
            match merged.last_mut() {
                Some(last)
                    if s <= last.1
                        || text
                            .get(last.1..s)
                            .is_some_and(|gap| gap.chars().all(char::is_whitespace)) =>
                {
                    last.1 = last.1.max(e);
                }
                _ => merged.push((s, e)),
            }
        }
        merged
    }

    /// The words of `text` that some clause could match, with their positions.
    fn candidates(&mut self, text: &str) -> Vec<Cand> {
        let mut out = Vec::new();
        let mut stream = self.analyzer.token_stream(text);
        let mut pos = 0usize;
        while stream.advance() {
            let t = stream.token();
            let w = t.text.as_str();
            let keep = self.exact.contains(w)
                || self.globs.iter().any(|g| glob(g, w))
                || self
                    .fuzzy
                    .iter()
                    .any(|(f, d)| within_edits(f, w, usize::from(*d)));
            if keep {
                out.push(Cand {
                    pos,
                    start: t.offset_from,
                    end: t.offset_to,
                    text: w.to_string(),
                });
            }
            pos += 1;
        }
        out
    }

    /// Up to `max` snippets for a document's heading, body and footnotes (`(mark, text)`).
    pub fn snippets(
        &mut self,
        heading: &str,
        body: &str,
        footnotes: &[(String, String)],
        max: usize,
    ) -> Vec<Snippet> {
        let mut out = Vec::new();
        if max == 0 {
            return out;
        }
        let h = self.ranges(heading, Location::Heading);
        if !h.is_empty() {
            out.push(window(heading, &h, 0, HEADING_MAX, "heading"));
        }
        let b = self.ranges_upto(body, Location::Body, 4 * max);
        let mut used = 0usize;
        while out.len() < max && used < b.len() {
            let first = b[used].0;
            let snippet = window(
                body,
                &b[used..],
                first.saturating_sub(BEFORE),
                AFTER + BEFORE,
                "body",
            );
            // Skip the matches this window covered.
            let end = first.saturating_sub(BEFORE) + AFTER + BEFORE;
            while used < b.len() && b[used].1 <= end {
                used += 1;
            }
            out.push(snippet);
            if used < b.len() && out.len() >= max.saturating_sub(1) && !footnotes.is_empty() {
                break;
            }
        }
        for (mark, text) in footnotes {
            if out.len() >= max {
                break;
            }
            let r = self.ranges(text, Location::Footnote);
            if let Some(&(first, _)) = r.first() {
                out.push(window(
                    text,
                    &r,
                    first.saturating_sub(BEFORE),
                    AFTER + BEFORE,
                    &format!("footnote {mark}"),
                ));
            }
        }
        if out.is_empty() {
            // Filters only (kind:, person id, more-like-this…): show the opening.
            let (text, location) = if body.trim().is_empty() {
                (heading, "heading")
            } else {
                (body, "body")
            };
            out.push(window(text, &[], 0, AFTER + BEFORE, location));
        }
        out.truncate(max);
        out
    }
}

fn span(w: &Cand) -> (usize, usize) {
    (w.start, w.end)
}

/// Occurrences of a phrase: the first word, then each next word in order, the whole within
/// `words - 1 + slop` positions.
fn phrase_hits(ws: &[Cand], p: &[String], slop: u32, hits: &mut Vec<(usize, usize)>) {
    let Some(first) = p.first() else { return };
    let reach = p.len() - 1 + slop as usize;
    for i in 0..ws.len() {
        if &ws[i].text != first {
            continue;
        }
        let origin = ws[i].pos;
        let mut found = vec![i];
        let mut j = i + 1;
        for (k, want) in p.iter().enumerate().skip(1) {
            while j < ws.len() && ws[j].pos - origin <= reach && &ws[j].text != want {
                j += 1;
            }
            // An exact phrase wants each word right after the previous one.
            if j >= ws.len() || ws[j].pos - origin > reach || (slop == 0 && ws[j].pos != origin + k)
            {
                break;
            }
            found.push(j);
            j += 1;
        }
        if found.len() == p.len() {
            hits.extend(found.into_iter().map(|k| span(&ws[k])));
        }
    }
}

/// `*` any run, `?` one character.
fn glob(p: &[char], s: &str) -> bool {
    let s: Vec<char> = s.chars().collect();
    let (mut pi, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Edit distance (with adjacent transpositions, as the index's fuzzy query) at most `max`.
fn within_edits(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()] <= max
}

/// Cut `text` to about `len` bytes from `from`, on word boundaries, whitespace collapsed, with
/// the ranges inside it re-based.
fn window(
    text: &str,
    ranges: &[(usize, usize)],
    from: usize,
    len: usize,
    location: &str,
) -> Snippet {
    let mut start = from.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    // Back up to the start of a word.
    if start > 0 {
        if let Some(sp) = text[..start].rfind(char::is_whitespace) {
            if start - sp < 20 {
                start = sp + 1;
            }
        } else {
            start = 0;
        }
    }
    let mut end = (start + len).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    // Never cut a highlighted word.
    for &(s, e) in ranges {
        if s < end && e > end {
            end = e;
        }
    }
    if end < text.len() {
        if let Some(sp) = text[end..].find(char::is_whitespace) {
            if sp < 20 {
                end += sp;
            }
        }
    }
    let mut out = String::new();
    let mut highlights = Vec::new();
    if start > 0 {
        out.push('…');
    }
    let mut pending: Option<usize> = None;
    let mut last_ws = false;
    let mut ri = ranges.iter().peekable();
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        while ri.peek().is_some_and(|r| r.1 <= at) {
            ri.next();
        }
        if let Some(&&(s, _)) = ri.peek() {
            if s == at {
                pending = Some(out.len());
            }
        }
        if c.is_whitespace() {
            if !last_ws {
                out.push(' ');
            }
            last_ws = true;
        } else {
            out.push(c);
            last_ws = false;
        }
        if let Some(&&(_, e)) = ri.peek() {
            if at + c.len_utf8() == e {
                if let Some(s) = pending.take() {
                    highlights.push((s, out.len()));
                }
            }
        }
    }
    let trimmed_end = out.trim_end().len();
    out.truncate(trimmed_end);
    if end < text.len() {
        out.push('…');
    }
    let snippet = Snippet {
        location: location.to_string(),
        marked: String::new(),
        highlights,
        text: out,
    };
    Snippet {
        marked: snippet.render("<mark>", "</mark>"),
        ..snippet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proximity_marks_both_words() {
        let mut h = Highlighter::new(vec![(
            Place::Any,
            TextQuery::Phrase {
                words: vec!["cuba".into(), "submarine".into()],
                slop: 5,
            },
        )]);
        let s = h.snippets(
            "",
            "A Soviet submarine was seen near Cuba; the submarine left.",
            &[],
            3,
        );
        assert_eq!(s[0].location, "body");
        assert_eq!(
            s[0].render("[[", "]]"),
            "A Soviet submarine was seen near [[Cuba]]; the [[submarine]] left."
        );
    }

    #[test]
    fn globs_and_edits() {
        let p: Vec<char> = "viet*".chars().collect();
        assert!(glob(&p, "vietnam"));
        assert!(!glob(&p, "soviet"));
        assert!(within_edits("harriman", "hariman", 1));
        assert!(!within_edits("harriman", "herman", 1));
    }

    #[test]
    fn skipped_pieces_never_hide_a_match() {
        // Long bodies are scanned in pieces; pieces that cannot match are skipped. Matches in
        // ASCII pieces, after curly quotes, and behind folded letters must all still be found.
        let filler = "word ".repeat(2000);
        let text = format!(
            "{filler}the Secretary’s cable{filler}Debré said{filler}SECRETARY again{filler}"
        );
        let clauses = vec![
            (
                Place::Any,
                TextQuery::Term {
                    word: "secretary".into(),
                },
            ),
            (
                Place::Any,
                TextQuery::Term {
                    word: "debre".into(),
                },
            ),
        ];
        let mut h = Highlighter::new(clauses);
        let found: Vec<&str> = h
            .ranges_upto(&text, Location::Body, 100)
            .iter()
            .map(|&(a, b)| &text[a..b])
            .collect();
        assert_eq!(found, vec!["Secretary", "Debré", "SECRETARY"]);
    }

    #[test]
    fn footnotes_are_named() {
        let mut h = Highlighter::new(vec![(
            Place::Any,
            TextQuery::Term {
                word: "ibid".into(),
            },
        )]);
        let s = h.snippets(
            "Heading",
            "Body text.",
            &[("3".into(), "Ibid., p. 4.".into())],
            3,
        );
        assert_eq!(s[0].location, "footnote 3");
        assert_eq!(s[0].marked, "<mark>Ibid</mark>., p. 4.");
    }
}
