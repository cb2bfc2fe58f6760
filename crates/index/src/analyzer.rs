//! The one analyzer used for indexing, querying and highlighting, and keyword normalisation.
//!
//! Words are runs of letters and digits (any script); they are lower-cased and folded to ASCII
//! (`Debré` → `debre`, `Ngô` → `ngo`). No stemming and no stopwords, as on history.state.gov:
//! researchers search for exact words, and "to" or "the" matter inside phrases. Apostrophes and
//! quotes (straight or curly) are separators, so `doesn’t` and `doesn't` index alike.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// The name the analyzer is registered under in the index.
pub const TOKENIZER: &str = "chancery";

/// The name of the word-pair analyzer ([`grams_analyzer`]).
pub const GRAMS_TOKENIZER: &str = "chancery_grams";

/// Longest token kept, in bytes: longer runs are OCR noise or base64, not words.
pub const MAX_TOKEN_BYTES: usize = 64;

/// The analyzer for every full-text field.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default()).build()
}

/// Words in one pass over the text: runs of letters and digits (`char::is_alphanumeric`), runs
/// of [`MAX_TOKEN_BYTES`] or more dropped (their position is still counted), lower-cased,
/// folded to ASCII. It gives exactly the tokens of tantivy's `SimpleTokenizer`,
/// `RemoveLongFilter`, `LowerCaser` and `AsciiFoldingFilter` in a row (a test holds them
/// equal), without their three passes over every word: an ASCII word, nearly every word of
/// the record, is lower-cased as it is copied; the rare word with other characters goes
/// through tantivy's own lower-casing and folding.
#[derive(Clone)]
pub struct WordTokenizer {
    token: Token,
    fold: TextAnalyzer,
}

impl Default for WordTokenizer {
    fn default() -> Self {
        WordTokenizer {
            token: Token::default(),
            fold: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
        }
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            at: 0,
            token: &mut self.token,
            fold: &mut self.fold,
        }
    }
}

/// The words of one text, as [`WordTokenizer`] emits them.
pub struct WordStream<'a> {
    text: &'a str,
    /// Byte offset of the next character to read (always a character boundary).
    at: usize,
    token: &'a mut Token,
    fold: &'a mut TextAnalyzer,
}

impl WordStream<'_> {
    /// The character starting at byte `i` (a character boundary), if any.
    #[inline]
    fn char_at(&self, i: usize) -> Option<char> {
        self.text.get(i..)?.chars().next()
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        loop {
            self.token.position = self.token.position.wrapping_add(1);
            // Skip to the next word.
            loop {
                match bytes.get(i) {
                    None => {
                        self.at = i;
                        self.token.text.clear();
                        return false;
                    }
                    Some(b) if b.is_ascii_alphanumeric() => break,
                    Some(b) if b.is_ascii() => i += 1,
                    Some(_) => match self.char_at(i) {
                        Some(c) if c.is_alphanumeric() => break,
                        Some(c) => i += c.len_utf8(),
                        // Not a character boundary: cannot happen, as `i` only ever moves by
                        // whole characters; end the text rather than cut one.
                        None => i = bytes.len(),
                    },
                }
            }
            let start = i;
            let mut ascii = true;
            loop {
                match bytes.get(i) {
                    Some(b) if b.is_ascii_alphanumeric() => i += 1,
                    Some(b) if b.is_ascii() => break,
                    None => break,
                    Some(_) => match self.char_at(i) {
                        Some(c) if c.is_alphanumeric() => {
                            ascii = false;
                            i += c.len_utf8();
                        }
                        _ => break,
                    },
                }
            }
            if i - start >= MAX_TOKEN_BYTES {
                continue;
            }
            self.at = i;
            let word = self.text.get(start..i).unwrap_or_default();
            self.token.offset_from = start;
            self.token.offset_to = i;
            self.token.position_length = 1;
            self.token.text.clear();
            if ascii {
                self.token.text.push_str(word);
                self.token.text.make_ascii_lowercase();
            } else {
                let mut folded = self.fold.token_stream(word);
                while folded.advance() {
                    self.token.text.push_str(&folded.token().text);
                }
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Words so frequent in the record that a phrase containing them is slow to verify word by
/// word: "the", "of" and "state" occur in nearly every document, hundreds of times. Pairs with
/// one of them are indexed as single terms too ([`grams_analyzer`]), so "Secretary of State" is
/// looked up as two rare pairs rather than by reading every position of "of".
///
/// A `match` rather than a search in a list: this runs once for every word indexed, and the
/// compiled match looks at the length first, so most words are turned away by one comparison.
pub fn is_common(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "as"
            | "at"
            | "be"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "he"
            | "his"
            | "i"
            | "in"
            | "is"
            | "it"
            | "its"
            | "not"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "this"
            | "to"
            | "was"
            | "we"
            | "were"
            | "which"
            | "will"
            | "with"
            | "would"
    )
}

/// The indexed term for the adjacent words `a` `b` in the pair field. The space cannot occur
/// inside a word, so a pair never collides with one.
pub fn pair(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len() + 1);
    push_pair(&mut s, a, b);
    s
}

/// [`pair`] into a reused buffer (the indexing side; the query side uses [`pair`]: one format).
fn push_pair(out: &mut String, a: &str, b: &str) {
    out.clear();
    out.push_str(a);
    out.push(' ');
    out.push_str(b);
}

/// The analyzer of the pair field: [`analyzer`]'s words, emitting for each two adjacent words
/// of which at least one is common the pair as one token, at the first word's position. The
/// words themselves are not emitted (they are in the main field).
pub fn grams_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(CommonPairs)
        .build()
}

/// Token filter behind [`grams_analyzer`].
#[derive(Clone)]
pub struct CommonPairs;

impl TokenFilter for CommonPairs {
    type Tokenizer<T: Tokenizer> = CommonPairsTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CommonPairsTokenizer<T> {
        CommonPairsTokenizer(tokenizer)
    }
}

/// The tokenizer [`CommonPairs`] makes of another: it emits the pairs.
#[derive(Clone)]
pub struct CommonPairsTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for CommonPairsTokenizer<T> {
    type TokenStream<'a> = CommonPairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CommonPairsStream {
            tail: self.0.token_stream(text),
            previous: String::new(),
            previous_at: None,
            previous_common: false,
            pair: Token::default(),
        }
    }
}

/// The token stream of [`CommonPairsTokenizer`].
pub struct CommonPairsStream<T> {
    tail: T,
    /// The last word read (buffers reused: this runs once per indexed word).
    previous: String,
    /// Its position and start offset; `None` before the first word.
    previous_at: Option<(usize, usize)>,
    previous_common: bool,
    pair: Token,
}

impl<T: TokenStream> TokenStream for CommonPairsStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let t = self.tail.token();
            let common = is_common(&t.text);
            let emitted = match self.previous_at {
                Some((position, from))
                    if t.position == position + 1 && (common || self.previous_common) =>
                {
                    self.pair.offset_from = from;
                    self.pair.offset_to = t.offset_to;
                    self.pair.position = position;
                    self.pair.position_length = 1;
                    push_pair(&mut self.pair.text, &self.previous, &t.text);
                    true
                }
                _ => false,
            };
            self.previous.clear();
            self.previous.push_str(&t.text);
            self.previous_at = Some((t.position, t.offset_from));
            self.previous_common = common;
            if emitted {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.pair
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pair
    }
}

/// One word of a text: its normalised form and where it sits (byte offsets into the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word, normalised.
    pub text: String,
    /// Byte offset of its start.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

/// Split `text` into normalised words with their byte offsets.
pub fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push(Word {
            text: t.text.clone(),
            start: t.offset_from,
            end: t.offset_to,
        });
    }
    out
}

/// Normalise a keyword value (volume id, document type, classification…) for exact matching:
/// lower case, folded to ASCII, whitespace collapsed, curly quotes straightened.
pub fn keyword(value: &str) -> String {
    let mut folder = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let straight = straighten_quotes(value);
    let mut folded = String::new();
    let mut stream = folder.token_stream(&straight);
    while stream.advance() {
        folded.push_str(&stream.token().text);
    }
    chancery_model::collapse_ws(&folded)
}

/// Curly quotes and apostrophes to their straight forms (same byte length is not kept).
pub fn straighten_quotes(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer};

    /// The chain [`WordTokenizer`] stands for.
    fn tantivy_chain() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build()
    }

    fn all_tokens(a: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut stream = a.token_stream(text);
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    #[test]
    fn word_tokenizer_gives_the_tantivy_chain_tokens() {
        let long_ascii = "x".repeat(MAX_TOKEN_BYTES);
        let just_short = "y".repeat(MAX_TOKEN_BYTES - 1);
        // 62 bytes of ASCII and one 2-byte letter: 64 bytes, dropped; 61 + 2 = 63 kept.
        let long_mixed = format!("{}é", "z".repeat(MAX_TOKEN_BYTES - 2));
        let short_mixed = format!("{}é", "w".repeat(MAX_TOKEN_BYTES - 3));
        let mut texts: Vec<String> = [
            "",
            "   ",
            "...;--",
            "Hello",
            "Debré met NGÔ in Paris; doesn’t, don't. 1968-10-02 1410Z",
            "straße ÆSIR ǅemal İstanbul ﬁnal ΣΊΣΥΦΟΣ ＡＢＣ ١٢٣ x² Ⅻ",
            "e\u{301}clair cafe\u{301} naïve",
            "日本語のテキスト and Русский текст",
            "🙂smile🙂 a🙂b",
            "Ω",
            "end with word",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.push(format!(
            "{long_ascii} {just_short} {long_mixed} {short_mixed} after"
        ));
        texts.push(format!("{long_mixed}{long_ascii}"));
        for dir in ["tei", "text", "seeds"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../sample")
                .join(dir);
            for entry in std::fs::read_dir(&path).expect("sample dir") {
                let p = entry.expect("entry").path();
                if let Ok(text) = std::fs::read_to_string(&p) {
                    texts.push(text);
                }
            }
        }
        assert!(texts.len() > 30);
        let (mut ours, mut theirs) = (analyzer(), tantivy_chain());
        let mut non_ascii = 0;
        for text in &texts {
            let a = all_tokens(&mut ours, text);
            let b = all_tokens(&mut theirs, text);
            non_ascii += a
                .iter()
                .filter(|t| !text[t.offset_from..t.offset_to].is_ascii())
                .count();
            assert_eq!(
                a.len(),
                b.len(),
                "token count of {:?}",
                &text[..text.len().min(80)]
            );
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(
                    (
                        &x.text,
                        x.position,
                        x.offset_from,
                        x.offset_to,
                        x.position_length
                    ),
                    (
                        &y.text,
                        y.position,
                        y.offset_from,
                        y.offset_to,
                        y.position_length
                    ),
                );
            }
        }
        assert!(non_ascii > 50, "only {non_ascii} non-ASCII words compared");
    }

    #[test]
    fn folds_case_and_accents() {
        let mut a = analyzer();
        let w: Vec<String> = words(&mut a, "Debré met NGÔ; doesn’t")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(w, ["debre", "met", "ngo", "doesn", "t"]);
        assert_eq!(keyword("  Top   Secret "), "top secret");
        assert_eq!(
            keyword("Memorandum of Conversation"),
            "memorandum of conversation"
        );
    }

    #[test]
    fn offsets_point_into_the_original() {
        let mut a = analyzer();
        let text = "Le général Debré";
        let w = words(&mut a, text);
        assert_eq!(&text[w[2].start..w[2].end], "Debré");
    }
}

#[cfg(test)]
mod pair_tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, usize)> {
        let mut a = grams_analyzer();
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn common_words_are_exact_normalised_words() {
        for w in ["a", "the", "of", "to", "which", "would", "from", "i"] {
            assert!(is_common(w), "{w}");
        }
        // Normalised form only, whole words only.
        for w in [
            "The", "", "th", "thee", "state", "whic", "woulds", "of ", "nodis",
        ] {
            assert!(!is_common(w), "{w:?}");
        }
    }

    #[test]
    fn pairs_with_a_common_word_at_the_first_position() {
        assert_eq!(
            pairs("The Secretary of State met Ambassador Thompson in Paris."),
            vec![
                ("the secretary".to_string(), 0),
                ("secretary of".to_string(), 1),
                ("of state".to_string(), 2),
                ("thompson in".to_string(), 6),
                ("in paris".to_string(), 7),
            ]
        );
        // Folded like the words; nothing for text without common words.
        assert_eq!(pairs("Debré AT Élysée")[0].0, "debre at");
        assert!(pairs("United States Embassy").is_empty());
    }
}
