//! The one analyzer used for indexing, querying and highlighting, and keyword normalisation.
//!
//! Words are runs of letters and digits (any script); they are lower-cased and folded to ASCII
//! (`Debré` → `debre`, `Ngô` → `ngo`). No stemming and no stopwords, as on history.state.gov:
//! researchers search for exact words, and "to" or "the" matter inside phrases. Apostrophes and
//! quotes (straight or curly) are separators, so `doesn’t` and `doesn't` index alike.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TokenStream,
};

/// The name the analyzer is registered under in the index.
pub const TOKENIZER: &str = "chancery";

/// Longest token kept, in bytes: longer runs are OCR noise or base64, not words.
const MAX_TOKEN_BYTES: usize = 64;

/// The analyzer for every full-text field.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
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
