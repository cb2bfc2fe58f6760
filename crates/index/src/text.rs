//! The one analyzer used for indexing, querying and highlighting, and keyword normalisation.
//!
//! Words are runs of letters and digits (any script); they are lower-cased and folded to ASCII
//! (`Debré` → `debre`, `Ngô` → `ngo`). No stemming and no stopwords, as on history.state.gov:
//! researchers search for exact words, and "to" or "the" matter inside phrases. Apostrophes and
//! quotes (straight or curly) are separators, so `doesn’t` and `doesn't` index alike.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// The name the analyzer is registered under in the index.
pub const TOKENIZER: &str = "chancery";

/// The name of the word-pair analyzer ([`grams_analyzer`]).
pub const GRAMS_TOKENIZER: &str = "chancery_grams";

/// Longest token kept, in bytes: longer runs are OCR noise or base64, not words.
pub const MAX_TOKEN_BYTES: usize = 64;

/// The analyzer for every full-text field.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Words so frequent in the record that a phrase containing them is slow to verify word by
/// word: "the", "of" and "state" occur in nearly every document, hundreds of times. Pairs with
/// one of them are indexed as single terms too ([`grams_analyzer`]), so "Secretary of State" is
/// looked up as two rare pairs rather than by reading every position of "of".
const COMMON: &[&str] = &[
    "a", "an", "and", "as", "at", "be", "by", "for", "from", "has", "have", "he", "his", "i", "in",
    "is", "it", "its", "not", "of", "on", "or", "that", "the", "this", "to", "was", "we", "were",
    "which", "will", "with", "would",
];

/// Whether `word` (normalised) is one of the [`COMMON`] words.
pub fn is_common(word: &str) -> bool {
    COMMON.binary_search(&word).is_ok()
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
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
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
    pub text: String,
    pub start: usize,
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
    fn common_list_is_sorted() {
        assert!(COMMON.windows(2).all(|w| w[0] < w[1]));
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
