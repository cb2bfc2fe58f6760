//! Keyword-in-context snippets, highlighted from the stored text and the query's own words.
//!
//! Highlights are computed here rather than by tantivy's snippet generator so that every query
//! form marks what matched: phrases and proximity mark the words of each occurrence found within
//! the allowed distance (not every stray occurrence of each word), wildcards and fuzzy terms mark
//! the words they expand to.

use chancery_index::tantivy::tokenizer::TextAnalyzer;

use chancery_index::analyzer::{analyzer, MAX_TOKEN_BYTES};
use chancery_index::tantivy::tokenizer::TokenStream;
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

/// Finds the words a query matched in a text. Build one per query and clone it per thread.
#[derive(Clone)]
pub struct Highlighter {
    clauses: Vec<(Place, TextQuery)>,
    analyzer: TextAnalyzer,
    /// Every word of the terms and phrases (a handful: a list beats hashing every word read).
    exact: Vec<String>,
    globs: Vec<Glob>,
    fuzzy: Vec<(String, u8)>,
    /// Whether every word and wildcard is plain ASCII (see [`Highlighter::reading`]).
    plain: bool,
}

/// A wildcard pattern, with the longest run of plain characters every match must contain.
#[derive(Clone)]
struct Glob {
    pattern: Vec<char>,
    /// The pattern's bytes, when it is ASCII.
    ascii: Option<Vec<u8>>,
    literal: String,
}

impl Glob {
    fn new(pattern: &str) -> Glob {
        let literal = pattern
            .split(['*', '?'])
            .max_by_key(|run| run.len())
            .unwrap_or_default()
            .to_string();
        Glob {
            pattern: pattern.chars().collect(),
            ascii: pattern.is_ascii().then(|| pattern.as_bytes().to_vec()),
            literal,
        }
    }

    fn matches(&self, word: &str) -> bool {
        if !word.contains(self.literal.as_str()) {
            return false;
        }
        if let Some(p) = self.ascii.as_ref().filter(|_| word.is_ascii()) {
            // ASCII words (nearly all) are matched byte by byte, without collecting characters.
            glob(p, word.as_bytes(), b'?', b'*')
        } else {
            let w: Vec<char> = word.chars().collect();
            glob(&self.pattern, &w, '?', '*')
        }
    }
}

/// A word that may match, and where it is.
struct Cand {
    pos: usize,
    start: usize,
    end: usize,
    text: String,
}

/// How a piece of text is searched for the query's words.
enum Reading {
    /// None of them is there.
    Cannot,
    /// Look them up in this lower-cased copy of the piece; `folds`: it has words with letters
    /// outside ASCII, which the analyzer must read.
    Lookup { lower: String, folds: bool },
    /// Read it word by word through the analyzer.
    WordByWord,
}

/// Where a text is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The heading.
    Heading,
    /// The body.
    Body,
    /// A footnote.
    Footnote,
}

impl Highlighter {
    /// A highlighter for the query's text clauses, each with where it applies.
    pub fn new(clauses: Vec<(Place, TextQuery)>) -> Highlighter {
        let mut exact: Vec<String> = Vec::new();
        let mut globs = Vec::new();
        let mut fuzzy = Vec::new();
        for (_, q) in &clauses {
            match q {
                TextQuery::Term { word } => exact.push(word.clone()),
                TextQuery::Phrase { words, .. } => exact.extend(words.iter().cloned()),
                TextQuery::Wildcard { pattern } => globs.push(Glob::new(pattern)),
                TextQuery::Fuzzy { word, distance } => fuzzy.push((word.clone(), *distance)),
            }
        }
        exact.sort_unstable();
        exact.dedup();
        // Pieces can be searched for the words (see [`Highlighter::reading`]) when every
        // word and wildcard is plain ASCII; else every piece is read word by word.
        let plain = fuzzy.is_empty()
            && exact.iter().all(|w| w.is_ascii() && !w.is_empty())
            && globs
                .iter()
                .all(|g| g.literal.is_ascii() && !g.literal.is_empty());
        Highlighter {
            clauses,
            analyzer: analyzer(),
            exact,
            globs,
            fuzzy,
            plain,
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

    /// How to find the query's words in `piece`. For queries of plain ASCII words and wildcards
    /// the analyzer's output can be predicted from the text: ASCII words are only lower-cased
    /// (curly quotes and dashes are separators), so the query's words can be looked up in a
    /// lower-cased copy of the piece; only words with other letters (which the analyzer may
    /// fold, "Debré" to "debre") need the analyzer. A piece of ASCII letters holding none of the
    /// words (nor any wildcard's plain run) cannot match at all. Queries with fuzzy terms or
    /// accented words are read word by word. Most of a long body is skipped or searched this
    /// way, many times faster than reading its words.
    fn reading(&self, piece: &str) -> Reading {
        if !self.plain {
            return Reading::WordByWord;
        }
        let lower = piece.to_ascii_lowercase();
        if has_non_ascii_letters(piece) {
            return Reading::Lookup { lower, folds: true };
        }
        let found = self.exact.iter().any(|w| lower.contains(w.as_str()))
            || self
                .globs
                .iter()
                .any(|g| lower.contains(g.literal.as_str()));
        if found {
            Reading::Lookup {
                lower,
                folds: false,
            }
        } else {
            Reading::Cannot
        }
    }

    /// The candidates of a piece read by [`Highlighter::reading`] as `Lookup`: every whole-word
    /// occurrence of a query word, every ASCII word holding a wildcard's plain run that the
    /// wildcard matches, and (`folds`) every word with other letters whose analyzed form
    /// matches. Positions count the words in between only up to the longest reach a phrase
    /// allows; past that, "too far" is all a phrase needs to know.
    fn located(&mut self, text: &str, lower: &str, folds: bool) -> Vec<Cand> {
        let bytes = lower.as_bytes();
        // Whether the character starting at / ending at byte `i` is part of a word.
        let word_at = |i: usize| match bytes.get(i) {
            Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
            Some(_) => lower
                .get(i..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(char::is_alphanumeric),
            None => false,
        };
        let word_before = |i: usize| match i.checked_sub(1).and_then(|j| bytes.get(j)) {
            Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
            Some(_) => lower
                .get(..i)
                .and_then(|head| head.chars().next_back())
                .is_some_and(char::is_alphanumeric),
            None => false,
        };
        let char_len_before = |i: usize| {
            lower
                .get(..i)
                .and_then(|head| head.chars().next_back())
                .map_or(1, char::len_utf8)
        };
        let char_len_at = |i: usize| {
            lower
                .get(i..)
                .and_then(|rest| rest.chars().next())
                .map_or(1, char::len_utf8)
        };
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        for w in &self.exact {
            for at in memchr::memmem::find_iter(bytes, w.as_bytes()) {
                let end = at + w.len();
                if !word_before(at) && !word_at(end) {
                    found.push((at, end, w.clone()));
                }
            }
        }
        for g in &self.globs {
            for at in memchr::memmem::find_iter(bytes, g.literal.as_bytes()) {
                let mut start = at;
                while word_before(start) {
                    start -= char_len_before(start);
                }
                let mut end = at + g.literal.len();
                while word_at(end) {
                    end += char_len_at(end);
                }
                // Words with other letters are the analyzer's, below.
                if let Some(w) = lower.get(start..end) {
                    if w.is_ascii() && w.len() < MAX_TOKEN_BYTES && g.matches(w) {
                        found.push((start, end, w.to_string()));
                    }
                }
            }
        }
        if folds {
            let mut at = 0usize;
            while let Some(offset) = bytes
                .get(at..)
                .and_then(|rest| rest.iter().position(|b| !b.is_ascii()))
            {
                at += offset;
                if !word_at(at) {
                    at += char_len_at(at);
                    continue;
                }
                let mut start = at;
                while word_before(start) {
                    start -= char_len_before(start);
                }
                let mut end = at;
                while word_at(end) {
                    end += char_len_at(end);
                }
                at = end;
                let Some(raw) = text.get(start..end) else {
                    continue;
                };
                if raw.len() >= MAX_TOKEN_BYTES {
                    continue;
                }
                let w = self.normalise(raw);
                if self.exact.contains(&w) || self.globs.iter().any(|g| g.matches(&w)) {
                    found.push((start, end, w));
                }
            }
        }
        found.sort_unstable_by_key(|f| f.0);
        found.dedup_by_key(|f| f.0);
        let cap = self.reach() + 1;
        let mut out: Vec<Cand> = Vec::with_capacity(found.len());
        for (start, end, word) in found {
            let pos = match out.last() {
                Some(prev) => {
                    let gap = lower.get(prev.end..start).unwrap_or_default();
                    prev.pos + 1 + words_upto(gap, cap)
                }
                None => 0,
            };
            out.push(Cand {
                pos,
                start,
                end,
                text: word,
            });
        }
        out
    }

    /// The most positions a phrase of the query may span past its first word.
    fn reach(&self) -> usize {
        self.clauses
            .iter()
            .map(|(_, q)| match q {
                TextQuery::Phrase { words, slop } => words.len().saturating_sub(1) + *slop as usize,
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    /// Byte ranges of `text` the query matched, sorted and merged.
    pub fn ranges(&mut self, text: &str, location: Location) -> Vec<(usize, usize)> {
        if self.clauses.is_empty() {
            return Vec::new();
        }
        // Only the words that can match are kept (with their positions): no allocation for the
        // rest of a long text.
        let ws = match self.reading(text) {
            Reading::Cannot => return Vec::new(),
            Reading::Lookup { lower, folds } => self.located(text, &lower, folds),
            Reading::WordByWord => self.candidates(text),
        };
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
                    let g = Glob::new(pattern);
                    hits.extend(ws.iter().filter(|w| g.matches(&w.text)).map(span));
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
        let mut pos = 0usize;
        let mut lower = [0u8; MAX_TOKEN_BYTES];
        for (start, end) in words(text) {
            let raw = &text[start..end];
            // The analyzer drops words this long, and they take no position.
            if raw.len() >= MAX_TOKEN_BYTES {
                continue;
            }
            // ASCII words (nearly all) need only lower-casing, done in place; the others go
            // through the analyzer itself, so folding stays exactly the index's.
            let folded;
            let w: &str = if raw.is_ascii() {
                let buf = &mut lower[..raw.len()];
                buf.copy_from_slice(raw.as_bytes());
                buf.make_ascii_lowercase();
                std::str::from_utf8(buf).unwrap_or_default()
            } else {
                folded = self.normalise(raw);
                &folded
            };
            let keep = self.exact.iter().any(|e| e == w)
                || self.globs.iter().any(|g| g.matches(w))
                || self
                    .fuzzy
                    .iter()
                    .any(|(f, d)| within_edits(f, w, usize::from(*d)));
            if keep {
                out.push(Cand {
                    pos,
                    start,
                    end,
                    text: w.to_string(),
                });
            }
            pos += 1;
        }
        out
    }

    /// One word as the analyzer normalises it.
    fn normalise(&mut self, word: &str) -> String {
        let mut stream = self.analyzer.token_stream(word);
        let mut out = String::new();
        while stream.advance() {
            out.push_str(&stream.token().text);
        }
        out
    }

    /// Up to `max` snippets for a document's heading, body and footnotes (`(mark, text)`).
    pub fn snippets(
        &mut self,
        heading: &str,
        body: &str,
        footnotes: &[(&str, &str)],
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

/// `*` any run, `?` one item (a byte of ASCII, a character otherwise).
fn glob<T: Copy + PartialEq>(p: &[T], s: &[T], one: T, any: T) -> bool {
    let (mut pi, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == one || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == any {
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
    while pi < p.len() && p[pi] == any {
        pi += 1;
    }
    pi == p.len()
}

/// Whether `text` has a letter or digit outside ASCII (which the analyzer may fold). Only
/// the characters after a non-ASCII byte are decoded: curly quotes and dashes in English text
/// leave most of it ASCII.
fn has_non_ascii_letters(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0usize;
    while let Some(offset) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|b| !b.is_ascii()))
    {
        at += offset;
        // A non-ASCII byte after ASCII ones starts a character.
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            return true;
        };
        if c.is_alphanumeric() {
            return true;
        }
        at += c.len_utf8();
    }
    false
}

/// The words in `gap` (between two words), counted up to `cap`; words the analyzer drops for
/// their length take no position there either.
fn words_upto(gap: &str, cap: usize) -> usize {
    words(gap)
        .filter(|(start, end)| end - start < MAX_TOKEN_BYTES)
        .take(cap)
        .count()
}

/// The words of `text` as the analyzer's tokenizer splits it (runs of letters and digits), as
/// byte ranges. ASCII is classified byte by byte; other characters are decoded.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0usize;
    // The character at byte `i`, its length, and whether it is part of a word.
    let class = move |i: usize| -> (usize, bool) {
        let b = bytes[i];
        if b.is_ascii() {
            (1, b.is_ascii_alphanumeric())
        } else {
            match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.len_utf8(), c.is_alphanumeric()),
                None => (1, false),
            }
        }
    };
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let (len, word) = class(at);
            if word {
                break;
            }
            at += len;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() {
            let (len, word) = class(at);
            if !word {
                break;
            }
            at += len;
        }
        Some((start, at))
    })
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
    // Text is copied a run at a time (the bytes from `run` up to the next whitespace), so the
    // position in `out` of text byte `at` inside a run is `out.len() + (at - run)`.
    let mut run = start;
    let bytes = text.as_bytes();
    let mut at = start;
    while at < end {
        // Characters one byte at a time where ASCII (nearly all), decoded only where not.
        let (next, space) = match bytes.get(at) {
            Some(&b) if b.is_ascii() => (at + 1, matches!(b, b'\t'..=b'\r' | b' ')),
            _ => match text.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) => (at + c.len_utf8(), c.is_whitespace()),
                None => break,
            },
        };
        while ri.peek().is_some_and(|r| r.1 <= at) {
            ri.next();
        }
        if let Some(&&(s, _)) = ri.peek() {
            if s == at {
                pending = Some(out.len() + (at - run));
            }
        }
        if space {
            out.push_str(&text[run..at]);
            if !last_ws {
                out.push(' ');
            }
            last_ws = true;
            run = next;
        } else {
            last_ws = false;
        }
        if let Some(&&(_, e)) = ri.peek() {
            if next == e {
                if let Some(s) = pending.take() {
                    highlights.push((s, out.len() + (next - run)));
                }
            }
        }
        at = next;
    }
    out.push_str(&text[run..end]);
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
        let g = Glob::new("viet*");
        assert!(g.matches("vietnam"));
        assert!(!g.matches("soviet"));
        let g = Glob::new("b?mb*");
        assert!(g.matches("bombing"));
        assert!(g.matches("bémb"), "? is one character, not one byte");
        assert!(!g.matches("bmb"));
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
        let s = h.snippets("Heading", "Body text.", &[("3", "Ibid., p. 4.")], 3);
        assert_eq!(s[0].location, "footnote 3");
        assert_eq!(s[0].marked, "<mark>Ibid</mark>., p. 4.");
    }
    /// The words of `text` as the analyzer gives them.
    fn analyzed(text: &str) -> Vec<String> {
        let mut a = analyzer();
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn looking_words_up_finds_what_reading_every_word_finds() {
        // The fast path (look the words up, analyze only accented words) must mark exactly
        // what reading every word through the analyzer marks: on the real sample texts and on
        // a hostile one (accents, ligatures, curly quotes, over-long runs, digits glued to
        // fractions), for terms, phrases exact and with slop, and wildcards.
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../../sample");
        let mut texts: Vec<String> = Vec::new();
        for dir in ["text", "seeds"] {
            let mut paths: Vec<_> = std::fs::read_dir(format!("{sample}/{dir}"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            paths.sort();
            texts.extend(paths.iter().map(|p| std::fs::read_to_string(p).unwrap()));
        }
        assert!(texts.len() > 30, "the sample texts are there");
        let long = "x".repeat(70);
        texts.push(format!(
            "Debré met DEBRE and debre’s aide; the ﬁnance minister (Thiệu) said “Debré\u{2014}no.” \
             {long} Secretary of State Rusk; secretary {long} of state. 2473½ Attachés \
             communiqué, Communique; Viet-Nam viet nam; ÉTAT état; Secretary’s State"
        ));
        for text in &texts {
            let words = analyzed(text);
            let mut queries: Vec<TextQuery> = Vec::new();
            for (i, w) in words.iter().enumerate().step_by(7) {
                queries.push(TextQuery::Term { word: w.clone() });
                if let Some(next) = words.get(i + 1) {
                    for slop in [0, 3] {
                        queries.push(TextQuery::Phrase {
                            words: vec![w.clone(), next.clone()],
                            slop,
                        });
                    }
                }
                if w.chars().count() > 3 {
                    let head: String = w.chars().take(3).collect();
                    let tail: String = w.chars().skip(1).collect();
                    queries.push(TextQuery::Wildcard {
                        pattern: format!("{head}*"),
                    });
                    queries.push(TextQuery::Wildcard {
                        pattern: format!("?{tail}"),
                    });
                }
            }
            queries.push(TextQuery::Term {
                word: "debre".into(),
            });
            queries.push(TextQuery::Phrase {
                words: vec!["secretary".into(), "of".into(), "state".into()],
                slop: 2,
            });
            for q in queries {
                let mut fast = Highlighter::new(vec![(Place::Any, q.clone())]);
                let mut slow = fast.clone();
                slow.plain = false;
                assert_eq!(
                    fast.ranges(text, Location::Body),
                    slow.ranges(text, Location::Body),
                    "{q:?} in {:?}",
                    text.get(..80)
                );
            }
        }
    }

    #[test]
    fn windows_collapse_whitespace_and_keep_marks_on_their_words() {
        // Runs of any whitespace (newlines, tabs, no-break and em spaces) become one space;
        // marks stay on their words, at the edges of the text too.
        let text = "Secretary\n\n  of\tState\u{a0}Rusk\u{2003}said: “Debré”\r\n— end";
        let words = ["Secretary", "State", "Rusk", "Debré", "end"];
        let ranges: Vec<(usize, usize)> = words
            .iter()
            .map(|w| {
                let s = text.find(w).unwrap();
                (s, s + w.len())
            })
            .collect();
        let s = window(text, &ranges, 0, text.len(), "body");
        assert_eq!(s.text, "Secretary of State Rusk said: “Debré” — end");
        assert_eq!(
            s.render("[", "]"),
            "[Secretary] of [State] [Rusk] said: “[Debré]” — [end]"
        );
        let cut = window(text, &ranges, 14, 10, "body");
        assert_eq!(cut.render("[", "]"), "…of [State] [Rusk]…");
    }
}
