//! The query language: a hand-written recursive-descent parser with byte positions.
//!
//! ```text
//! query   := or? END                    (an empty query matches everything)
//! or      := and ( "OR" and )*
//! and     := unary ( "AND"? unary )*    (AND is the default)
//! unary   := "NOT" unary | "-" primary | "+" primary | primary
//! primary := "(" or ")" | FIELD ":" value | value
//! value   := "(" or ")"                 (a field group: title:(cuba OR soviet))
//!          | PHRASE ( "~" N )?          ("cuba submarine"~10)
//!          | "[" DATE "TO" DATE "]"     (date: and year: only)
//!          | WORD ( "~" N? )?           (fuzzy: term~, term~1)
//! ```
//!
//! Precedence: NOT binds tighter than AND, AND tighter than OR. Operators are in capitals (as on
//! history.state.gov); `and`/`or`/`not` in lower case are ordinary words. Straight and curly
//! double quotes both open and close phrases. Every error names the byte position (and the
//! 1-based character column) and what was expected there.

use chancery_index::analyzer::{analyzer, keyword, words};
use chancery_index::tantivy::tokenizer::TextAnalyzer;
use chancery_model::date::parse_iso;
use serde::{Deserialize, Serialize};

/// Longest query accepted, in bytes (history.state.gov refuses past 1,000 characters).
pub const MAX_QUERY_BYTES: usize = 2000;
/// Deepest nesting of parentheses and NOTs.
const MAX_DEPTH: usize = 32;
/// Largest proximity accepted.
const MAX_SLOP: u32 = 1000;

/// A byte range of the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset just past the end.
    pub end: usize,
}

/// A malformed query: where, what was expected, what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("query error at position {column} (byte {position}): expected {expected}, found {found}")]
pub struct ParseError {
    /// Byte offset into the query.
    pub position: usize,
    /// 1-based character column (what a person counts).
    pub column: usize,
    /// What the parser expected there.
    pub expected: String,
    /// What it found instead.
    pub found: String,
}

/// Full-text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextField {
    /// Heading, body and footnotes (no field given).
    All,
    /// The heading (`title:`).
    Title,
    /// The body (`text:`).
    Text,
    /// The footnotes (`footnotes:`).
    Footnotes,
    /// Senders (`from:`).
    From,
    /// Recipients (`to:`).
    To,
}

/// Exact-value fields (matched after case and accent folding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeywordField {
    /// `volume:` — a volume id.
    Volume,
    /// `kind:` — historical document, editorial note, front or back matter.
    Kind,
    /// `type:` — the specific type or its family.
    Type,
    /// `family:` — the type's family.
    Family,
    /// `classification:`.
    Classification,
    /// `precedence:`.
    Precedence,
    /// `caveat:` — a handling caveat ("Nodis").
    Caveat,
    /// `archive:` — the repository holding the original.
    Archive,
}

/// What a text clause looks for, already normalised by the index's analyzer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "kebab-case")]
pub enum TextQuery {
    /// One word.
    Term {
        /// The word, normalised.
        word: String,
    },
    /// Words in order; `slop` extra positions allowed between them (0 = exact phrase).
    Phrase {
        /// The words, normalised.
        words: Vec<String>,
        /// Extra positions allowed between them.
        slop: u32,
    },
    /// `*` any run of characters, `?` one character.
    Wildcard {
        /// The pattern, normalised.
        pattern: String,
    },
    /// A word with spelling slack (`harriman~1`).
    Fuzzy {
        /// The word, normalised.
        word: String,
        /// Edits allowed (1 or 2).
        distance: u8,
    },
}

/// The parsed query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "node", rename_all = "kebab-case")]
pub enum Node {
    /// Every document (an empty query).
    All,
    /// Every item must match.
    And {
        /// The items.
        items: Vec<Node>,
    },
    /// Any item may match.
    Or {
        /// The items.
        items: Vec<Node>,
    },
    /// The item must not match.
    Not {
        /// The item.
        item: Box<Node>,
    },
    /// Words in a full-text field.
    Text {
        /// The field searched.
        field: TextField,
        /// What is looked for.
        query: TextQuery,
        /// Where the clause is in the query.
        span: Span,
    },
    /// An exact value of a keyword field.
    Keyword {
        /// The field searched.
        field: KeywordField,
        /// Normalised value; with `pattern` it may hold `*` and `?`.
        value: String,
        /// `value` is a wildcard pattern.
        pattern: bool,
        /// Where the clause is in the query.
        span: Span,
    },
    /// `person:` — a glossary id (exact) or a name (words).
    Person {
        /// The value as a keyword, matched against glossary ids.
        id: String,
        /// The value as words, matched against names as written.
        name: TextQuery,
        /// Where the clause is in the query.
        span: Span,
    },
    /// A date interval (UTC seconds, inclusive); how it applies depends on the request's mode.
    Date {
        /// First second of the interval.
        from: i64,
        /// Last second of the interval.
        to: i64,
        /// Where the clause is in the query.
        span: Span,
    },
}

/// The field a value is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldSpec {
    Text(TextField),
    Keyword(KeywordField),
    Person,
    Date,
    Year,
}

/// Field names the language knows, for lookups and for messages.
const FIELDS: &[(&str, FieldSpec)] = &[
    ("title", FieldSpec::Text(TextField::Title)),
    ("text", FieldSpec::Text(TextField::Text)),
    ("footnotes", FieldSpec::Text(TextField::Footnotes)),
    ("from", FieldSpec::Text(TextField::From)),
    ("to", FieldSpec::Text(TextField::To)),
    ("person", FieldSpec::Person),
    ("volume", FieldSpec::Keyword(KeywordField::Volume)),
    ("kind", FieldSpec::Keyword(KeywordField::Kind)),
    ("type", FieldSpec::Keyword(KeywordField::Type)),
    ("family", FieldSpec::Keyword(KeywordField::Family)),
    (
        "classification",
        FieldSpec::Keyword(KeywordField::Classification),
    ),
    ("precedence", FieldSpec::Keyword(KeywordField::Precedence)),
    ("caveat", FieldSpec::Keyword(KeywordField::Caveat)),
    ("archive", FieldSpec::Keyword(KeywordField::Archive)),
    ("date", FieldSpec::Date),
    ("year", FieldSpec::Year),
];

/// Document kinds `kind:` accepts, with their aliases.
const KINDS: &[(&str, &[&str])] = &[
    (
        "historical-document",
        &["historical-document", "document", "documents"],
    ),
    ("editorial-note", &["editorial-note", "note", "notes"]),
    ("front-matter", &["front-matter"]),
    ("back-matter", &["back-matter"]),
];

/// Parse a query string.
pub fn parse(query: &str) -> Result<Node, ParseError> {
    let mut p = Parser {
        src: query,
        pos: 0,
        depth: 0,
        analyzer: analyzer(),
    };
    if query.len() > MAX_QUERY_BYTES {
        return Err(p.error_at(
            MAX_QUERY_BYTES,
            format!("a query of at most {MAX_QUERY_BYTES} bytes"),
            format!("{} bytes", query.len()),
        ));
    }
    if let Some((i, c)) = query
        .char_indices()
        .find(|(_, c)| c.is_control() && !c.is_whitespace())
    {
        return Err(p.error_at(
            i,
            "printable text".into(),
            format!("the control character U+{:04X}", u32::from(c)),
        ));
    }
    p.skip_ws();
    if p.at_end() {
        return Ok(Node::All);
    }
    let node = p.or(None)?;
    p.skip_ws();
    if !p.at_end() {
        return Err(p.error("AND, OR, NOT, a term, or the end of the query"));
    }
    Ok(node)
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
    analyzer: TextAnalyzer,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}')
}

/// Characters that end a bare word.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')' || is_quote(c)
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        self.src.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// What stands at `pos`, for messages.
    fn describe_at(&self, pos: usize) -> String {
        let rest = self.src.get(pos..).unwrap_or_default();
        match rest.chars().next() {
            None => "the end of the query".into(),
            Some(c) if c.is_whitespace() => "a space".into(),
            Some(_) => {
                let word: String = rest
                    .chars()
                    .take_while(|c| !c.is_whitespace())
                    .take(20)
                    .collect();
                format!("{word:?}")
            }
        }
    }

    fn error_at(&self, pos: usize, expected: String, found: String) -> ParseError {
        let pos = pos.min(self.src.len());
        let column = self.src.get(..pos).map(|s| s.chars().count()).unwrap_or(0) + 1;
        ParseError {
            position: pos,
            column,
            expected,
            found,
        }
    }

    fn error(&self, expected: &str) -> ParseError {
        self.error_at(self.pos, expected.to_string(), self.describe_at(self.pos))
    }

    /// An operator keyword (AND, OR, NOT) standing as a whole word at the cursor.
    fn at_keyword(&self, kw: &str) -> bool {
        let rest = self.rest();
        rest.starts_with(kw)
            && rest[kw.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == '(' || is_quote(c))
    }

    /// True where an operand cannot start: end, `)`, or an OR/AND operator.
    fn at_operand_end(&self) -> bool {
        self.at_end() || self.peek() == Some(')') || self.at_keyword("OR") || self.at_keyword("AND")
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(
                self.pos,
                format!("at most {MAX_DEPTH} levels of nesting"),
                "deeper nesting".into(),
            ));
        }
        Ok(())
    }

    fn or(&mut self, ctx: Option<FieldSpec>) -> Result<Node, ParseError> {
        let mut items = vec![self.and(ctx)?];
        loop {
            self.skip_ws();
            if !self.at_keyword("OR") {
                break;
            }
            self.pos += 2;
            self.skip_ws();
            if self.at_operand_end() {
                return Err(self.error("a term after OR"));
            }
            items.push(self.and(ctx)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::All)
        } else {
            Node::Or { items }
        })
    }

    fn and(&mut self, ctx: Option<FieldSpec>) -> Result<Node, ParseError> {
        self.skip_ws();
        if self.at_operand_end() {
            return Err(self.error("a term"));
        }
        let mut items = vec![self.unary(ctx)?];
        loop {
            self.skip_ws();
            if self.at_end() || self.peek() == Some(')') || self.at_keyword("OR") {
                break;
            }
            if self.at_keyword("AND") {
                self.pos += 3;
                self.skip_ws();
                if self.at_operand_end() {
                    return Err(self.error("a term after AND"));
                }
            }
            items.push(self.unary(ctx)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::All)
        } else {
            Node::And { items }
        })
    }

    fn unary(&mut self, ctx: Option<FieldSpec>) -> Result<Node, ParseError> {
        self.skip_ws();
        if self.at_keyword("NOT") {
            self.pos += 3;
            self.skip_ws();
            if self.at_operand_end() {
                return Err(self.error("a term after NOT"));
            }
            self.enter()?;
            let inner = self.unary(ctx)?;
            self.depth -= 1;
            return Ok(Node::Not {
                item: Box::new(inner),
            });
        }
        match self.peek() {
            Some(sign @ ('-' | '+')) => {
                let at = self.pos;
                self.bump();
                if self
                    .peek()
                    .is_none_or(|c| c.is_whitespace() || c == ')' || c == '-' || c == '+')
                {
                    return Err(self.error_at(
                        at + 1,
                        format!("a term right after '{sign}'"),
                        self.describe_at(at + 1),
                    ));
                }
                let inner = self.primary(ctx)?;
                Ok(if sign == '-' {
                    Node::Not {
                        item: Box::new(inner),
                    }
                } else {
                    inner
                })
            }
            _ => self.primary(ctx),
        }
    }

    fn primary(&mut self, ctx: Option<FieldSpec>) -> Result<Node, ParseError> {
        self.skip_ws();
        match self.peek() {
            None => Err(self.error("a term")),
            Some('(') => self.group(ctx),
            Some(')') => Err(self.error("a term before ')'")),
            Some(c) if is_quote(c) => {
                self.phrase_value(ctx.unwrap_or(FieldSpec::Text(TextField::All)))
            }
            Some('[') => match ctx {
                Some(spec @ (FieldSpec::Date | FieldSpec::Year)) => self.range(spec),
                _ => {
                    Err(self.error("a field before a range, as in date:[1968-10-01 TO 1968-10-31]"))
                }
            },
            Some(_) => {
                // A field prefix: letters and underscores, then ':'.
                let start = self.pos;
                let name_len = self
                    .rest()
                    .find(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
                    .unwrap_or(self.rest().len());
                if name_len > 0 && self.rest()[name_len..].starts_with(':') {
                    let name = &self.src[start..start + name_len];
                    let Some(spec) = field_spec(name) else {
                        let known: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
                        return Err(self.error_at(
                            start,
                            format!("a known field ({})", known.join(", ")),
                            format!("the unknown field {name:?}"),
                        ));
                    };
                    if ctx.is_some() {
                        return Err(self.error_at(
                            start,
                            "a value (fields cannot be nested inside a field group)".into(),
                            format!("the field {name:?}"),
                        ));
                    }
                    self.pos += name_len + 1;
                    match self.peek() {
                        None => {
                            return Err(self.error(&format!("a value after '{name}:'")));
                        }
                        Some(c) if c.is_whitespace() || c == ')' => {
                            return Err(self.error(&format!("a value right after '{name}:'")));
                        }
                        _ => {}
                    }
                    return self.value(spec);
                }
                self.value(ctx.unwrap_or(FieldSpec::Text(TextField::All)))
            }
        }
    }

    fn group(&mut self, ctx: Option<FieldSpec>) -> Result<Node, ParseError> {
        let open = self.pos;
        self.bump();
        self.enter()?;
        self.skip_ws();
        if self.peek() == Some(')') {
            return Err(self.error("a term inside the parentheses"));
        }
        let inner = self.or(ctx)?;
        self.skip_ws();
        if self.peek() != Some(')') {
            return Err(self.error_at(
                self.pos,
                format!(
                    "')' to close the '(' at position {}",
                    self.src[..open].chars().count() + 1
                ),
                self.describe_at(self.pos),
            ));
        }
        self.bump();
        self.depth -= 1;
        Ok(inner)
    }

    /// A value for `spec` at the cursor (after `field:` or bare).
    fn value(&mut self, spec: FieldSpec) -> Result<Node, ParseError> {
        match self.peek() {
            Some('(') => self.group(Some(spec)),
            Some(c) if is_quote(c) => self.phrase_value(spec),
            Some('[') => match spec {
                FieldSpec::Date | FieldSpec::Year => self.range(spec),
                _ => Err(self.error("a word or a phrase (ranges are for date: and year:)")),
            },
            _ => self.word_value(spec),
        }
    }

    /// `"…"` with an optional `~N`.
    fn phrase_value(&mut self, spec: FieldSpec) -> Result<Node, ParseError> {
        let open = self.pos;
        self.bump();
        let inner_start = self.pos;
        let Some(close_rel) = self.rest().find(is_quote) else {
            return Err(self.error_at(
                self.src.len(),
                format!(
                    "a closing quote for the phrase opened at position {}",
                    self.src[..open].chars().count() + 1
                ),
                "the end of the query".into(),
            ));
        };
        let inner = &self.src[inner_start..inner_start + close_rel];
        self.pos = inner_start + close_rel;
        self.bump();
        if let Some(i) = inner.find(['*', '?']) {
            return Err(self.error_at(
                inner_start + i,
                "words inside a phrase (wildcards are not supported in phrases)".into(),
                format!("{:?}", &inner[i..i + 1]),
            ));
        }
        let mut slop = 0u32;
        if self.peek() == Some('~') {
            let tilde = self.pos;
            self.bump();
            let digits: String = self
                .rest()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if digits.is_empty() {
                return Err(self.error("a number after '~' (proximity in words)"));
            }
            self.pos += digits.len();
            slop = digits.parse::<u32>().unwrap_or(u32::MAX);
            if slop > MAX_SLOP {
                return Err(self.error_at(
                    tilde + 1,
                    format!("a proximity of at most {MAX_SLOP} words"),
                    digits,
                ));
            }
        }
        self.expect_value_end()?;
        let span = Span {
            start: open,
            end: self.pos,
        };
        match spec {
            FieldSpec::Text(field) => {
                let query = self.text_words(inner, inner_start, slop)?;
                Ok(Node::Text { field, query, span })
            }
            FieldSpec::Person => {
                let name = self.text_words(inner, inner_start, slop)?;
                Ok(Node::Person {
                    id: keyword(inner),
                    name,
                    span,
                })
            }
            FieldSpec::Keyword(field) => {
                if slop > 0 {
                    return Err(self.error_at(
                        open,
                        "a plain value (proximity is for text fields)".into(),
                        "'~'".into(),
                    ));
                }
                self.keyword_node(field, inner, inner_start, false, span)
            }
            FieldSpec::Date | FieldSpec::Year => {
                self.date_node(spec, inner.trim(), inner_start, span)
            }
        }
    }

    /// After a value: whitespace, `)` or the end. Anything else glued on is an error.
    fn expect_value_end(&self) -> Result<(), ParseError> {
        match self.peek() {
            None => Ok(()),
            Some(c) if c.is_whitespace() || c == ')' => Ok(()),
            Some(_) => Err(self.error("a space, ')' or the end of the query after the value")),
        }
    }

    /// A bare word value, with wildcards or a fuzzy suffix.
    fn word_value(&mut self, spec: FieldSpec) -> Result<Node, ParseError> {
        let start = self.pos;
        let len = self.rest().find(is_delimiter).unwrap_or(self.rest().len());
        let raw = &self.src[start..start + len];
        self.pos = start + len;
        let span = Span {
            start,
            end: self.pos,
        };
        if let Some(i) = raw.find(['^', '\\', '{', '}', '[', ']']) {
            let c = &raw[i..]
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default();
            return Err(self.error_at(
                start + i,
                "letters, digits, '*', '?' or '~' in a word (boosts, escapes and braces are not supported)".into(),
                format!("{c:?}"),
            ));
        }
        if let Some(i) = raw.find(':') {
            return Err(self.error_at(
                start + i,
                "a known field before ':' (see the list of fields), or a word without ':'".into(),
                format!("{:?}", raw),
            ));
        }
        if matches!(spec, FieldSpec::Date | FieldSpec::Year) {
            return self.date_node(spec, raw, start, span);
        }
        // Fuzzy suffix.
        let (base, fuzzy) = match raw.find('~') {
            Some(i) => {
                let tail = &raw[i + 1..];
                let distance = if tail.is_empty() {
                    2
                } else if tail.len() == 1 && tail.as_bytes()[0].is_ascii_digit() {
                    tail.as_bytes()[0] - b'0'
                } else {
                    return Err(self.error_at(
                        start + i + 1,
                        "an edit distance 0, 1 or 2 after '~'".into(),
                        format!("{tail:?}"),
                    ));
                };
                if distance > 2 {
                    return Err(self.error_at(
                        start + i + 1,
                        "an edit distance 0, 1 or 2 after '~'".into(),
                        format!("{tail:?}"),
                    ));
                }
                (&raw[..i], Some(distance))
            }
            None => (raw, None),
        };
        if base.is_empty() {
            return Err(self.error_at(start, "a word before '~'".into(), format!("{raw:?}")));
        }
        let wildcard = base.find(['*', '?']);
        if let Some(i) = wildcard {
            if i == 0 {
                return Err(self.error_at(
                    start,
                    "a letter or digit before the wildcard (a word cannot start with '*' or '?')"
                        .into(),
                    format!("{raw:?}"),
                ));
            }
            if fuzzy.is_some() {
                return Err(self.error_at(
                    start + base.len(),
                    "either wildcards or '~', not both".into(),
                    "'~'".into(),
                ));
            }
        }
        match spec {
            FieldSpec::Keyword(field) => {
                if fuzzy.is_some() {
                    return Err(self.error_at(
                        start + base.len(),
                        "an exact value ('~' is for text fields)".into(),
                        "'~'".into(),
                    ));
                }
                self.keyword_node(field, base, start, wildcard.is_some(), span)
            }
            FieldSpec::Text(field) => {
                let query = self.word_query(base, start, wildcard.is_some(), fuzzy)?;
                Ok(Node::Text { field, query, span })
            }
            FieldSpec::Person => {
                let name = self.word_query(base, start, wildcard.is_some(), fuzzy)?;
                Ok(Node::Person {
                    id: keyword(base),
                    name,
                    span,
                })
            }
            FieldSpec::Date | FieldSpec::Year => self.date_node(spec, raw, start, span),
        }
    }

    /// A bare word: a term, a phrase if it holds several words (`Viet-Nam`), a wildcard, or fuzzy.
    fn word_query(
        &mut self,
        base: &str,
        start: usize,
        wildcard: bool,
        fuzzy: Option<u8>,
    ) -> Result<TextQuery, ParseError> {
        if wildcard {
            let mut pattern = String::new();
            let mut seg_start = 0usize;
            let flush = |p: &mut Self,
                         seg_start: usize,
                         end: usize,
                         pattern: &mut String|
             -> Result<(), ParseError> {
                let seg = &base[seg_start..end];
                if seg.is_empty() {
                    return Ok(());
                }
                let w = words(&mut p.analyzer, seg);
                if w.len() != 1 || w[0].start != 0 || w[0].end != seg.len() {
                    return Err(p.error_at(
                        start + seg_start,
                        "only letters and digits around a wildcard".into(),
                        format!("{base:?}"),
                    ));
                }
                pattern.push_str(&w[0].text);
                Ok(())
            };
            for (i, c) in base.char_indices() {
                if c == '*' || c == '?' {
                    flush(self, seg_start, i, &mut pattern)?;
                    pattern.push(c);
                    seg_start = i + 1;
                }
            }
            flush(self, seg_start, base.len(), &mut pattern)?;
            return Ok(TextQuery::Wildcard { pattern });
        }
        if let Some(distance) = fuzzy {
            let w = words(&mut self.analyzer, base);
            if w.len() != 1 {
                return Err(self.error_at(
                    start,
                    "a single word before '~' (fuzzy matching is for one word)".into(),
                    format!("{base:?}"),
                ));
            }
            return Ok(TextQuery::Fuzzy {
                word: w[0].text.clone(),
                distance,
            });
        }
        self.text_words(base, start, 0)
    }

    /// Words of a phrase or bare word, through the index's analyzer.
    fn text_words(&mut self, text: &str, start: usize, slop: u32) -> Result<TextQuery, ParseError> {
        let mut w: Vec<String> = words(&mut self.analyzer, text)
            .into_iter()
            .map(|w| w.text)
            .collect();
        match w.len() {
            0 => Err(self.error_at(
                start,
                "a word with at least one letter or digit".into(),
                format!("{text:?}"),
            )),
            1 => Ok(TextQuery::Term {
                word: w.pop().unwrap_or_default(),
            }),
            _ => Ok(TextQuery::Phrase { words: w, slop }),
        }
    }

    fn keyword_node(
        &mut self,
        field: KeywordField,
        raw: &str,
        start: usize,
        pattern: bool,
        span: Span,
    ) -> Result<Node, ParseError> {
        let value = keyword(raw);
        if value.is_empty() {
            return Err(self.error_at(start, "a value".into(), format!("{raw:?}")));
        }
        if field == KeywordField::Kind && !pattern {
            let canonical = KINDS
                .iter()
                .find(|(_, aliases)| aliases.contains(&value.as_str()))
                .map(|(k, _)| *k);
            let Some(kind) = canonical else {
                let all: Vec<&str> = KINDS.iter().flat_map(|(_, a)| a.iter().copied()).collect();
                return Err(self.error_at(
                    start,
                    format!("a document kind ({})", all.join(", ")),
                    format!("{raw:?}"),
                ));
            };
            return Ok(Node::Keyword {
                field,
                value: kind.to_string(),
                pattern,
                span,
            });
        }
        Ok(Node::Keyword {
            field,
            value,
            pattern,
            span,
        })
    }

    /// `date:1968-10-02`, `year:1968`, or a quoted date.
    fn date_node(
        &mut self,
        spec: FieldSpec,
        raw: &str,
        start: usize,
        span: Span,
    ) -> Result<Node, ParseError> {
        let (from, to) = self.date_bound(spec, raw, start)?;
        Ok(Node::Date { from, to, span })
    }

    /// One date or year as an inclusive interval of UTC seconds.
    fn date_bound(
        &self,
        spec: FieldSpec,
        raw: &str,
        start: usize,
    ) -> Result<(i64, i64), ParseError> {
        if spec == FieldSpec::Year && !(raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit())) {
            return Err(self.error_at(
                start,
                "a four-digit year, e.g. 1968".into(),
                format!("{raw:?}"),
            ));
        }
        match parse_iso(raw) {
            Ok(d) => Ok((d.start, d.end())),
            Err(why) => Err(self.error_at(
                start,
                format!("a date as YYYY, YYYY-MM or YYYY-MM-DD ({why})"),
                format!("{raw:?}"),
            )),
        }
    }

    /// `[A TO B]`, either end may be `*`.
    fn range(&mut self, spec: FieldSpec) -> Result<Node, ParseError> {
        let open = self.pos;
        self.bump();
        let Some(close_rel) = self.rest().find(']') else {
            return Err(self.error_at(
                self.src.len(),
                format!(
                    "']' to close the range opened at position {}",
                    self.src[..open].chars().count() + 1
                ),
                "the end of the query".into(),
            ));
        };
        let inner_start = self.pos;
        let inner = &self.src[inner_start..inner_start + close_rel];
        // Split on whitespace keeping offsets.
        let mut parts: Vec<(usize, &str)> = Vec::new();
        let mut i = 0usize;
        for piece in inner.split_whitespace() {
            let at = inner[i..].find(piece).map(|o| o + i).unwrap_or(i);
            parts.push((inner_start + at, piece));
            i = at + piece.len();
        }
        let end_pos = inner_start + close_rel;
        let (a, to_kw, b) = match parts.as_slice() {
            [a, t, b] => (*a, *t, *b),
            [] => return Err(self.error_at(inner_start, "a date after '['".into(), "']'".into())),
            [a] => {
                return Err(self.error_at(
                    a.0 + a.1.len(),
                    "'TO' and an end date, as in [1968-10-01 TO 1968-10-31]".into(),
                    self.describe_at(a.0 + a.1.len()),
                ))
            }
            [_, t] => {
                return Err(if t.1 == "TO" {
                    self.error_at(end_pos, "an end date after TO".into(), "']'".into())
                } else {
                    self.error_at(t.0, "'TO'".into(), format!("{:?}", t.1))
                })
            }
            [_, _, _, extra, ..] => {
                return Err(self.error_at(
                    extra.0,
                    "']' after the end date".into(),
                    format!("{:?}", extra.1),
                ))
            }
        };
        if to_kw.1 != "TO" {
            return Err(self.error_at(
                to_kw.0,
                "'TO' between the two dates".into(),
                format!("{:?}", to_kw.1),
            ));
        }
        let from = if a.1 == "*" {
            i64::MIN
        } else {
            self.date_bound(spec, a.1, a.0)?.0
        };
        let to = if b.1 == "*" {
            i64::MAX
        } else {
            self.date_bound(spec, b.1, b.0)?.1
        };
        if from > to {
            return Err(self.error_at(
                b.0,
                "an end date on or after the start date".into(),
                format!("{:?}", b.1),
            ));
        }
        self.pos = end_pos + 1;
        self.expect_value_end()?;
        Ok(Node::Date {
            from,
            to,
            span: Span {
                start: open,
                end: self.pos,
            },
        })
    }
}

fn field_spec(name: &str) -> Option<FieldSpec> {
    FIELDS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(field: TextField, w: &str) -> TextQuery {
        let _ = field;
        TextQuery::Term { word: w.into() }
    }

    #[test]
    fn default_and_with_precedence() {
        let n = parse("cuba OR soviet submarine").unwrap();
        let Node::Or { items } = n else {
            panic!("{n:?}")
        };
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[1], Node::And { items } if items.len() == 2));
    }

    #[test]
    fn phrases_fold_and_curly_quotes() {
        let n = parse("\u{201C}Debré said\u{201D}~3").unwrap();
        let Node::Text { query, .. } = n else {
            panic!()
        };
        assert_eq!(
            query,
            TextQuery::Phrase {
                words: vec!["debre".into(), "said".into()],
                slop: 3
            }
        );
        assert_eq!(
            parse("DEBRÉ").unwrap(),
            Node::Text {
                field: TextField::All,
                query: term(TextField::All, "debre"),
                span: Span { start: 0, end: 6 }
            }
        );
    }

    #[test]
    fn fields_and_dates() {
        assert!(matches!(
            parse("title:(cuba OR soviet)").unwrap(),
            Node::Or { .. }
        ));
        assert!(matches!(
            parse("date:[1968-10-01 TO 1968-10-31]").unwrap(),
            Node::Date { .. }
        ));
        assert!(matches!(parse("year:1968").unwrap(), Node::Date { .. }));
        assert!(matches!(parse("kind:note").unwrap(), Node::Keyword { .. }));
        assert!(matches!(
            parse("-kind:note cuba").unwrap(),
            Node::And { .. }
        ));
        assert!(matches!(
            parse("vietna*").unwrap(),
            Node::Text {
                query: TextQuery::Wildcard { .. },
                ..
            }
        ));
        assert!(matches!(
            parse("harriman~1").unwrap(),
            Node::Text {
                query: TextQuery::Fuzzy { distance: 1, .. },
                ..
            }
        ));
    }

    #[test]
    fn errors_are_located() {
        let e = parse("cuba AND").unwrap_err();
        assert_eq!(e.position, 8);
        assert!(e.expected.contains("term after AND"));
        let e = parse("foo:bar").unwrap_err();
        assert_eq!(e.position, 0);
        assert!(e.found.contains("unknown field"));
    }
}
