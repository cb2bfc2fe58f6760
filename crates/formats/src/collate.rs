//! Collating two witnesses of one document: a TEI edition and a capture of the live site say the
//! same text with small differences (paragraph labels the capture drops, a signature line, a
//! revised word). This lists where their words differ, so a reader can see what each witness
//! adds, without the typographic noise (curly and straight quotes, dashes, spacing) that differs
//! between revisions everywhere.

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

/// One place where the texts differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// Words of the first text before the difference, for locating it.
    pub context: String,
    /// What the first text has there ("" when it has nothing).
    pub first: String,
    /// What the second text has there.
    pub second: String,
}

/// How two texts compare.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Collation {
    /// Words in the first text.
    pub first_words: usize,
    /// Words in the second text.
    pub second_words: usize,
    /// Words the two share in order.
    pub same_words: usize,
    /// The differences, in the first text's order (at most the limit asked for).
    pub differences: Vec<Difference>,
    /// Differences beyond the limit.
    pub more: usize,
}

impl Collation {
    /// Whether the texts have the same words.
    pub fn identical(&self) -> bool {
        self.differences.is_empty() && self.more == 0
    }
}

/// A word as compared: typographic quotes and dashes as ASCII.
fn comparable(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            '’' | '‘' | 'ʼ' => '\'',
            '“' | '”' => '"',
            '–' | '—' => '-',
            c => c,
        })
        .collect()
}

/// How many differences between a document and one of its witnesses are listed before "and N
/// more" (the page, `show --format json`, the API).
pub const WITNESS_DIFFERENCES: usize = 50;

/// A witness's text (as the store keeps it: `chancery_model::plain_text_blocks` of its body)
/// compared with the document's own.
pub fn collate_witness(doc: &chancery_model::Document, witness_text: &str) -> Collation {
    let own = chancery_model::plain_text_blocks(&doc.body);
    collate(&own, witness_text, WITNESS_DIFFERENCES)
}

/// Compare two texts word by word; list at most `limit` differences.
pub fn collate(first: &str, second: &str, limit: usize) -> Collation {
    let a: Vec<&str> = first.split_whitespace().collect();
    let b: Vec<&str> = second.split_whitespace().collect();
    let ka: Vec<String> = a.iter().map(|w| comparable(w)).collect();
    let kb: Vec<String> = b.iter().map(|w| comparable(w)).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &ka, &kb);
    let mut out = Collation {
        first_words: a.len(),
        second_words: b.len(),
        ..Collation::default()
    };
    for op in ops {
        let (old, new) = match op {
            DiffOp::Equal { len, .. } => {
                out.same_words += len;
                continue;
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index..old_index + old_len, 0..0),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        if out.differences.len() >= limit {
            out.more += 1;
            continue;
        }
        let context_start = old.start.saturating_sub(6);
        out.differences.push(Difference {
            context: a.get(context_start..old.start).unwrap_or(&[]).join(" "),
            first: a.get(old).unwrap_or(&[]).join(" "),
            second: b.get(new).unwrap_or(&[]).join(" "),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typography_is_not_a_difference() {
        let c = collate("today's meeting—at noon", "today’s meeting–at noon", 10);
        assert!(c.identical(), "{c:?}");
        assert_eq!(c.same_words, 3);
    }

    #[test]
    fn additions_and_omissions_are_located() {
        let c = collate(
            "1. Thuy and Lau joined us. We then ended the conversation. Harriman",
            "Thuy and Lau joined us. We then ended the conversation.",
            10,
        );
        assert_eq!(c.differences.len(), 2);
        assert_eq!(c.differences[0].first, "1.");
        assert_eq!(c.differences[0].second, "");
        assert_eq!(c.differences[1].first, "Harriman");
        assert!(c.differences[1].context.ends_with("conversation."));
        let c = collate("a b c", "x y z", 0);
        assert_eq!((c.differences.len(), c.more), (0, 1));
    }
}
