//! Reader for one document as history.state.gov renders it in plain text.
//!
//! The site's pages reach us as HTML-to-text captures in two renderings (FORMATS.md §4):
//! *format A* (blocks separated by blank lines, `  • ` bullets, footnotes `  N. text` at the end)
//! and *format B* (single-newline blocks, `- ` list items, footnotes `- text↩`), plus mixtures.
//! [`read_text`] turns one capture into a structured [`Document`] *and* records enough layout hints
//! that [`crate::render::render_text`] writes the capture back byte for byte.
//!
//! # Identity
//!
//! * **Volume**: `opts.volume_id`; else the file name when it matches `{volume}_{doc}.txt` with
//!   `^(frus[^_]+)_(d\d+)\.txt$` (`frus1862_d5.txt` → `frus1862`); else [`DEFAULT_TEXT_VOLUME`].
//! * **Document id**: the `dN` of that file-name pattern; else `d{N}` from a printed heading number
//!   `N.` (digits only); else `t` + the first 12 hex digits of the content's SHA-256.
//! * **Number**: the printed heading number; else a `No. N.` line above an unnumbered heading;
//!   else the `N` of a `dN` id taken from the file name.
//!
//! # What counts as a document (`NotADocument`)
//!
//! A file is rejected unless (1) it contains no control characters other than tab, CR and LF, and
//! (2) its first non-blank line — after at most one inline source line (a file number such as
//! `851G.01/6–1349: Telegram`, `File No. 763.72/1173`, `Defense Files: Telegram`, or a short
//! archival citation such as `Eisenhower Library, … file`) and at most one `No. N.` line — is a
//! heading: `N. Title` (1–4 digits, optional letter, title starting upper case), `Editorial Note`,
//! or a title-case line of 2–40 words (every word capitalised, a number, or a function word) that
//! reads "X to Y"; directly after an inline source line any title-case line is accepted. README
//! or Markdown files, CSV, TSV, JSON and ordinary prose fail this test.
//!
//! # Structure
//!
//! * Heading: number, `heading_text` without the mark, heading inlines with a `NoteRef` for the
//!   source-note mark (`…Files1`, `…State 1`, `…Conversation0`, `…December 21, 19541`). Only the
//!   marks `0` and `1` (or the first printed footnote number) are recognised there. A heading mark
//!   is kept even when the capture was truncated before its footnote list: the `NoteRef` then
//!   names a footnote the document does not have (a warning says so).
//! * Inline source line (1910s–50s file numbers, printed above the heading): stored as the source
//!   footnote (`is_source`, mark `""`, id `{doc}src`), not as a body paragraph, because TEI
//!   encodes it as `note[@type='source']` too; it has no anchor.
//! * Body: every non-blank line is one block. `[Page N]` alone is a [`Block::PageBreak`]; inside a
//!   line it is an [`Inline::PageBreak`]. Runs of `  • ` lines (`    • ` is one level down, two
//!   more spaces per level) or `- ` lines are [`Block::List`]s, with an all-capitals line just above (SUBJECT,
//!   PARTICIPANTS) as the head; format B's `- 1.` + `- text` pairs become labelled items and its
//!   `-` + `U.S.` + `- …` groups nested lists. Paragraph roles are guessed conservatively:
//!   dateline, opener (`No. 144.]`, `[Received …]`), editorial insertion (`[…]`, dot rows),
//!   salute, closer (`Sincerely yours,`), postscript (`…, Esq., &c.`), sub-heading, and the
//!   signature (`W.A.H.`: a short name-like last line).
//! * Footnotes: numbered lines `  N. text` (continuation paragraphs indented four spaces) or
//!   `- text↩` lines at the end. In-text marks are resolved **only** against that list: a mark is
//!   a digit run (≤ 3 digits) glued to a preceding non-space character (or, as last resort, the
//!   last word of a block after a space: `Brzezinski 4`), taken in increasing order. Tried in
//!   turn: the printed numbers; consecutive numbers after the heading mark; a consecutive run
//!   starting anywhere (page-scoped numbering of older volumes: `comment59`, `Ankara60` for
//!   footnotes printed `1.`, `2.`); symbol marks (`instructions*`). Without a footnote list
//!   (truncated captures) digits stay text. Footnote ids are `{doc}fn{mark}` (`{doc}fn{ordinal}`
//!   for symbol marks), made unique if needed.
//!
//! # Layout hints
//!
//! [`TextLayout`]: `variant` "A"/"B" (how footnotes are written), `heading_mark_sep` ("" glued,
//! " " spaced), `footnotes_sep` (what precedes the footnote block), `preamble` (a `No. N.` line,
//! verbatim *including* the separator that follows it), `footnote_numbers` (printed numbers when
//! they differ from the marks), and `extra` = `{"leading": …, "trailing": …, "source_sep": …}` for
//! whitespace before the first and after the last line and the separator after an inline source
//! line. Per block, [`BlockLayout::sep_before`] holds the exact separator before the block (for a
//! list item: before its line; for a footnote: before its line or continuation paragraph), and
//! `style` says "bullet"/"dash" for lists, "own-line" for format B group items, "indent:N" for
//! footnote continuation paragraphs. Everything else (text, marks, page markers) is in the
//! structure itself. After parsing, the reader renders the document and compares it with the
//! input; if a construct could not be reproduced it falls back to plain paragraphs for the body
//! (and warns), so bytes are never lost.

use chancery_model::{
    Block, DateInterval, DatePrecision, Document, DocumentDate, DocumentKind, Footnote, Inline,
    ListItem, Origin, ParagraphRole, ParsedVolume, SourceFormat, TextLayout, Volume, Warning,
};

use crate::{ReadError, ReadErrorKind};

/// Options for [`read_text`].
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// Volume the document belongs to; overrides the file name.
    pub volume_id: Option<String>,
}

/// Volume id for text documents whose volume is neither given nor in the file name.
pub const DEFAULT_TEXT_VOLUME: &str = chancery_model::UNKNOWN_VOLUME;

/// Read one plain-text document. See the module documentation for the rules.
pub fn read_text(bytes: &[u8], path: &str, opts: &TextOptions) -> Result<ParsedVolume, ReadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Err(ReadError::new(
                ReadErrorKind::Encoding,
                path,
                format!(
                    "not UTF-8: invalid byte 0x{:02x}",
                    bytes.get(e.valid_up_to()).copied().unwrap_or(0)
                ),
            )
            .at_offset(bytes, e.valid_up_to()))
        }
    };
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        let msg = if text.is_empty() {
            "empty file"
        } else {
            "file holds only whitespace"
        };
        return Err(ReadError::new(ReadErrorKind::Empty, path, msg).at_offset(bytes, 0));
    }
    if let Some((off, c)) = text
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ReadError::new(
            ReadErrorKind::NotADocument,
            path,
            format!(
                "control character U+{:04X}: not a plain-text document",
                c as u32
            ),
        )
        .at_offset(bytes, off));
    }

    let sha = crate::sha256_hex(bytes);
    let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let name_ids = ids_from_file_name(file_name);

    let mut parsed = parse_document(text, path, bytes, false)?;
    let mut late_warnings = Vec::new();
    if crate::render::render_text(&parsed.doc) != text {
        // Some construct did not survive the structured path: keep the body as plain lines.
        let simple = parse_document(text, path, bytes, true)?;
        late_warnings
            .push("layout not reproducible with lists and marks; body kept as plain paragraphs");
        if crate::render::render_text(&simple.doc) != text {
            late_warnings.push("plain-text rendering does not reproduce the capture exactly");
        }
        parsed = simple;
    }

    let volume_id = opts
        .volume_id
        .clone()
        .or_else(|| name_ids.as_ref().map(|(v, _)| v.clone()))
        .unwrap_or_else(|| DEFAULT_TEXT_VOLUME.to_string());
    let Parsed {
        doc: mut d,
        warnings,
    } = parsed;
    let doc_id = match &name_ids {
        Some((_, id)) => id.clone(),
        None => match &d.number {
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => format!("d{n}"),
            _ => format!("t{}", &sha[..12]),
        },
    };
    if d.number.is_none() {
        if let Some((_, id)) = &name_ids {
            d.number = id.strip_prefix('d').map(str::to_string);
        }
    }
    d.volume_id = volume_id.clone();
    assign_ids(&mut d, &doc_id);

    let warnings: Vec<Warning> = warnings
        .into_iter()
        .chain(late_warnings.into_iter().map(|m| Warning {
            message: m.to_string(),
            ..Warning::default()
        }))
        .map(|mut w| {
            w.file = path.to_string();
            w.document = Some(doc_id.clone());
            w
        })
        .collect();

    let census = chancery_model::Census {
        document_divs: 1,
        notes: d.footnotes.len() as u64,
        page_breaks: d.pages().len() as u64,
        ..Default::default()
    };
    Ok(ParsedVolume {
        volume: Volume {
            id: volume_id,
            origin: Origin {
                path: path.to_string(),
                format: SourceFormat::Text,
                sha256: sha,
                bytes: bytes.len() as u64,
            },
            ..Volume::default()
        },
        documents: vec![d],
        warnings,
        census,
    })
}

/// `(volume, dN)` from a `frus…_dN.txt` file name.
fn ids_from_file_name(name: &str) -> Option<(String, String)> {
    let stem = name.strip_suffix(".txt")?;
    let (vol, doc) = stem.split_once('_')?;
    let ok_vol = vol.len() > 4 && vol.starts_with("frus");
    let digits = doc.strip_prefix('d')?;
    let ok_doc = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    (ok_vol && ok_doc).then(|| (vol.to_string(), doc.to_string()))
}

/// Replace the provisional footnote ids (`#fn{index}`) by `{doc}fn{mark}` and fix the anchors.
fn assign_ids(doc: &mut Document, doc_id: &str) {
    doc.id = doc_id.to_string();
    let mut taken: Vec<String> = Vec::new();
    let mut map: Vec<(String, String)> = Vec::new();
    for (i, f) in doc.footnotes.iter_mut().enumerate() {
        let base = if f.mark.is_empty() && f.is_source {
            format!("{doc_id}src")
        } else if !f.mark.is_empty() && f.mark.bytes().all(|b| b.is_ascii_digit()) {
            format!("{doc_id}fn{}", f.mark)
        } else {
            format!("{doc_id}fn{}", i + 1)
        };
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        taken.push(id.clone());
        map.push((f.id.clone(), id.clone()));
        f.id = id;
    }
    let fix = |inl: &mut Inline| {
        if let Inline::NoteRef { id, mark } = inl {
            if let Some((_, new)) = map.iter().find(|(old, _)| old == id) {
                *id = new.clone();
            } else if id.starts_with("#dangling") {
                *id = format!("{doc_id}fn{mark}");
            }
        }
    };
    for inl in doc.heading.iter_mut() {
        fix(inl);
    }
    let mut slots = Vec::new();
    text_slots(&mut doc.body, &mut slots);
    for slot in slots {
        for inl in slot.iter_mut() {
            fix(inl);
        }
    }
}

struct Parsed {
    doc: Document,
    warnings: Vec<Warning>,
}

/// One non-blank line of the capture with the exact separator that preceded it.
#[derive(Debug, Clone, Copy)]
struct Unit<'a> {
    text: &'a str,
    sep: &'a str,
    offset: usize,
}

fn split_units(core: &str, base: usize) -> Vec<Unit<'_>> {
    let mut units = Vec::new();
    let mut pos = 0;
    let mut sep_start = 0;
    let mut first = true;
    while pos <= core.len() {
        let end = core[pos..].find('\n').map_or(core.len(), |i| pos + i);
        let line = &core[pos..end];
        if !line.trim().is_empty() {
            units.push(Unit {
                text: line,
                sep: if first { "" } else { &core[sep_start..pos] },
                offset: base + pos,
            });
            first = false;
            sep_start = end;
        }
        if end == core.len() {
            break;
        }
        pos = end + 1;
    }
    units
}

fn parse_document(text: &str, path: &str, bytes: &[u8], simple: bool) -> Result<Parsed, ReadError> {
    // Leading: everything before the first line with content; trailing: from the newline that
    // ends the last line with content.
    let first_content = text
        .find(|c: char| !c.is_whitespace() && c != '\u{feff}')
        .unwrap_or(0);
    let lead_len = text[..first_content].rfind('\n').map_or(0, |i| i + 1);
    let lead_len = if text[..lead_len].is_empty() && text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        lead_len
    };
    let last_content = text
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, c)| i + c.len_utf8());
    let trail_start = text[last_content..]
        .find('\n')
        .map_or(text.len(), |i| last_content + i);
    let leading = &text[..lead_len];
    let trailing = &text[trail_start..];
    let core = &text[lead_len..trail_start];
    let units = split_units(core, lead_len);

    let mut warnings = Vec::new();
    let not_doc = |offset: usize, why: &str| {
        ReadError::new(
            ReadErrorKind::NotADocument,
            path,
            format!("not a history.state.gov document: {why}"),
        )
        .at_offset(bytes, offset)
    };
    let Some(first) = units.first() else {
        return Err(not_doc(0, "no text"));
    };

    // ---- footnote block at the end
    let fn_region = find_footnotes(&units);
    let (body_end, raw_notes, variant_b_notes) = match &fn_region {
        Some((start, notes, b)) => (*start, notes.clone(), *b),
        None => (units.len(), Vec::new(), false),
    };

    // ---- top: inline source line, number line, heading
    let mut idx = 0;
    let mut source_line: Option<(&str, &str)> = None;
    let mut preamble = Vec::new();
    let mut number: Option<String> = None;
    if body_end > 1 && is_source_line(units[0].text) && heading_ok(units[1].text, true) {
        source_line = Some((units[0].text, units[1].sep));
        idx = 1;
    }
    if idx + 1 < body_end {
        if let Some(n) = number_line(units[idx].text) {
            if heading_ok(units[idx + 1].text, false) {
                preamble.push(format!("{}{}", units[idx].text, units[idx + 1].sep));
                number = Some(n);
                idx += 1;
            }
        }
    }
    if idx >= body_end || !heading_ok(units[idx].text, source_line.is_some()) {
        let at = units.get(idx).map_or(first.offset, |u| u.offset);
        return Err(not_doc(
            at,
            "no heading (`N. Title`, `Editorial Note`, or `X to Y`) where one is expected",
        ));
    }
    let heading_line = units[idx].text;

    // Marks the heading may carry: 0/1, or the first printed footnote number.
    let mut allowed = vec!["1".to_string(), "0".to_string()];
    if let Some(Some(n)) = raw_notes.first().map(|n| n.number.clone()) {
        if !allowed.contains(&n) {
            allowed.insert(0, n);
        }
    }
    let (heading_text, heading_mark) = split_heading_mark(heading_line, &allowed);
    let heading_text = heading_text.to_string();
    let (num_from_heading, title) = match numbered_heading(&heading_text) {
        Some((n, t)) => (Some(n.to_string()), t.to_string()),
        None => (None, heading_text.clone()),
    };
    if num_from_heading.is_some() {
        number = num_from_heading;
    }
    let kind = if title.trim_end_matches('.') == "Editorial Note" {
        DocumentKind::EditorialNote
    } else {
        DocumentKind::HistoricalDocument
    };
    let (from, to) = from_to(&title);

    // ---- body
    let body_units = &units[idx + 1..body_end];
    let mut body = if simple {
        body_units.iter().map(plain_block).collect()
    } else {
        build_blocks(body_units)
    };
    assign_roles(&mut body, !raw_notes.is_empty());

    // ---- footnotes and marks
    let mut footnotes: Vec<Footnote> = Vec::new();
    let mut heading_inlines = vec![Inline::text(heading_text.clone())];
    let mut heading_mark_sep = None;
    if let Some((_, src_sep)) = source_line {
        let _ = src_sep;
        footnotes.push(Footnote {
            id: "#src".into(),
            mark: String::new(),
            is_source: true,
            blocks: vec![Block::Paragraph {
                role: ParagraphRole::SourceLine,
                rend: None,
                inlines: vec![Inline::text(units[0].text)],
                layout: None,
            }],
        });
    }
    let fn_base = footnotes.len();
    for (i, n) in raw_notes.iter().enumerate() {
        let blocks = n
            .paras
            .iter()
            .enumerate()
            .map(|(j, (sep, indent, t))| Block::Paragraph {
                role: ParagraphRole::Paragraph,
                rend: None,
                inlines: vec![Inline::text(*t)],
                layout: layout(
                    if j == 0 && (i == 0 || *sep == "\n") {
                        None
                    } else {
                        Some(sep.to_string())
                    },
                    indent.map(|k| format!("indent:{k}")),
                ),
            })
            .collect();
        footnotes.push(Footnote {
            id: format!("#fn{i}"),
            mark: String::new(),
            is_source: false,
            blocks,
        });
    }

    let mut first_body_note = 0;
    if let Some((sep, mark)) = &heading_mark {
        heading_mark_sep = Some(sep.to_string());
        if raw_notes.is_empty() {
            heading_inlines.push(Inline::NoteRef {
                id: "#dangling".into(),
                mark: mark.to_string(),
            });
            warnings.push(Warning {
                line: Some(crate::line_col(bytes, units[idx].offset).0),
                message: format!(
                    "heading mark {mark} has no footnote (capture truncated before the notes?)"
                ),
                ..Warning::default()
            });
        } else {
            let f = &mut footnotes[fn_base];
            f.mark = mark.to_string();
            f.is_source = source_line.is_none() || starts_source(f);
            heading_inlines.push(Inline::NoteRef {
                id: f.id.clone(),
                mark: mark.to_string(),
            });
            first_body_note = 1;
        }
    }
    for f in footnotes.iter_mut().skip(fn_base) {
        if starts_source(f) {
            f.is_source = true;
        }
    }

    let body_notes = raw_notes.len().saturating_sub(first_body_note);
    let mut footnote_numbers = Vec::new();
    if body_notes > 0 {
        let printed: Vec<Option<String>> = raw_notes[first_body_note..]
            .iter()
            .map(|n| n.number.clone())
            .collect();
        let heading_num = heading_mark
            .as_ref()
            .and_then(|(_, m)| m.parse::<u32>().ok());
        let marks = if simple {
            vec![None; body_notes]
        } else {
            resolve_marks(&mut body, &printed, heading_num, first_body_note)
        };
        for (k, m) in marks.into_iter().enumerate() {
            let f = &mut footnotes[fn_base + first_body_note + k];
            f.mark = match m {
                Some(m) => m,
                None => {
                    warnings.push(Warning {
                        message: format!("footnote {} has no mark in the text", k + 1),
                        ..Warning::default()
                    });
                    printed[k]
                        .clone()
                        .unwrap_or_else(|| (first_body_note + k + 1).to_string())
                }
            };
        }
    }
    if !variant_b_notes {
        let printed: Vec<String> = raw_notes
            .iter()
            .map(|n| n.number.clone().unwrap_or_default())
            .collect();
        let marks: Vec<&str> = footnotes[fn_base..]
            .iter()
            .map(|f| f.mark.as_str())
            .collect();
        if printed.iter().map(String::as_str).ne(marks.iter().copied()) {
            footnote_numbers = printed;
        }
    }

    // ---- layout
    let variant =
        if variant_b_notes || (raw_notes.is_empty() && body_units.iter().all(|u| u.sep == "\n")) {
            "B"
        } else {
            "A"
        };
    let mut extra = serde_json::Map::new();
    if !leading.is_empty() {
        extra.insert("leading".into(), leading.into());
    }
    if !trailing.is_empty() {
        extra.insert("trailing".into(), trailing.into());
    }
    if let Some((_, sep)) = source_line {
        extra.insert("source_sep".into(), sep.into());
    }
    // The heading is the first body separator's anchor: what follows it is the first block's sep.
    let text_layout = TextLayout {
        variant: variant.into(),
        heading_mark_sep,
        footnotes_sep: fn_region
            .as_ref()
            .map(|(s, _, _)| units[*s].sep.to_string()),
        preamble,
        footnote_numbers,
        extra: (!extra.is_empty()).then_some(serde_json::Value::Object(extra)),
    };

    let (place, date) = dateline_of(&body);
    let doc = Document {
        volume_id: String::new(),
        id: String::new(),
        number,
        kind,
        subtype: Some(kind.as_str().to_string()),
        heading: heading_inlines,
        heading_text: heading_text.trim().to_string(),
        from,
        to,
        place,
        date,
        chapter_path: Vec::new(),
        body,
        footnotes,
        text_layout: Some(text_layout),
        unknown_elements: Vec::new(),
    };
    Ok(Parsed { doc, warnings })
}

fn starts_source(f: &Footnote) -> bool {
    f.text().trim_start().starts_with("Source:")
}

fn layout(sep: Option<String>, style: Option<String>) -> Option<chancery_model::BlockLayout> {
    (sep.is_some() || style.is_some()).then_some(chancery_model::BlockLayout {
        sep_before: sep,
        style,
    })
}

// ------------------------------------------------------------------------------------------
// Footnote block

#[derive(Debug, Clone)]
struct RawNote<'a> {
    /// Printed number (format A); `None` for format B.
    number: Option<String>,
    /// Paragraphs: separator before, indentation of continuation lines, text.
    paras: Vec<(&'a str, Option<usize>, &'a str)>,
}

/// `  N. text` → (N, text).
fn numbered_note_line(s: &str) -> Option<(&str, &str)> {
    let rest = s.strip_prefix("  ")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let text = rest[digits..].strip_prefix(". ")?;
    Some((&rest[..digits], text))
}

fn continuation_line(s: &str) -> Option<(usize, &str)> {
    let indent = s.bytes().take_while(|&b| b == b' ').count();
    let rest = &s[indent..];
    (indent >= 4 && !rest.starts_with('•') && numbered_note_line(s).is_none())
        .then_some((indent, rest))
}

fn dash_note_line(s: &str) -> Option<&str> {
    s.strip_prefix("- ")?.strip_suffix('↩')
}

/// The footnote block: index of its first unit, the notes, and whether it is format B.
fn find_footnotes<'a>(units: &[Unit<'a>]) -> Option<(usize, Vec<RawNote<'a>>, bool)> {
    let n = units.len();
    // Format A, possibly with continuation paragraphs.
    let mut i = n;
    while i > 1
        && (numbered_note_line(units[i - 1].text).is_some()
            || continuation_line(units[i - 1].text).is_some())
    {
        i -= 1;
    }
    while i < n && numbered_note_line(units[i].text).is_none() {
        i += 1;
    }
    if i < n {
        let mut notes: Vec<RawNote> = Vec::new();
        for u in &units[i..] {
            if let Some((num, t)) = numbered_note_line(u.text) {
                notes.push(RawNote {
                    number: Some(num.to_string()),
                    paras: vec![(u.sep, None, t)],
                });
            } else if let (Some((indent, t)), Some(last)) =
                (continuation_line(u.text), notes.last_mut())
            {
                last.paras.push((u.sep, Some(indent), t));
            }
        }
        return Some((i, notes, false));
    }
    // Format B.
    let mut i = n;
    while i > 1 && dash_note_line(units[i - 1].text).is_some() {
        i -= 1;
    }
    if i < n {
        let notes = units[i..]
            .iter()
            .filter_map(|u| {
                dash_note_line(u.text).map(|t| RawNote {
                    number: None,
                    paras: vec![(u.sep, None, t)],
                })
            })
            .collect();
        return Some((i, notes, true));
    }
    None
}

// ------------------------------------------------------------------------------------------
// Heading

const FUNCTION_WORDS: &[&str] = &[
    "of",
    "in",
    "the",
    "to",
    "and",
    "at",
    "for",
    "on",
    "from",
    "with",
    "by",
    "a",
    "an",
    "de",
    "von",
    "van",
    "du",
    "la",
    "le",
    "y",
    "del",
    "&",
    "or",
    "about",
    "between",
    "concerning",
    "regarding",
    "into",
    "upon",
    "over",
    "under",
    "not",
    "text",
    "declassified",
    "than",
    "less",
    "line",
    "lines",
    "p.m.",
    "a.m.",
    "mr.",
];

/// Title case: every word capitalised, a number, bracketed, or a short function word.
fn title_like(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < 2 || words.len() > 40 || s.len() > 400 {
        return false;
    }
    let mut caps = 0;
    for w in &words {
        let core = w.trim_start_matches(['(', '[', '“', '"', '‘', '\'']);
        let Some(c) = core.chars().next() else {
            continue; // a lone bracket, as in "( Francis)"
        };
        if c.is_uppercase() {
            caps += 1;
        } else if c.is_ascii_digit() || !c.is_alphabetic() {
        } else if !FUNCTION_WORDS.contains(
            &core
                .trim_end_matches([',', ']', ')'])
                .to_lowercase()
                .as_str(),
        ) {
            return false;
        }
    }
    caps >= 2
}

/// `N. Title` → (N, whole heading).
fn numbered_heading(s: &str) -> Option<(&str, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let mut end = digits;
    if s[end..].starts_with(|c: char| c.is_ascii_alphabetic()) && s[end + 1..].starts_with(". ") {
        end += 1;
    }
    let rest = s[end..].strip_prefix(". ")?;
    let c = rest.chars().next()?;
    (c.is_uppercase() || c == '[' || c == '“' || c == '"').then_some((&s[..end], s))
}

/// Whether `line` (mark included) can be a document heading.
fn heading_ok(line: &str, after_source: bool) -> bool {
    let (t, _) = split_heading_mark(line, &["1".into(), "0".into()]);
    if numbered_heading(t).is_some() || t.trim_end_matches('.') == "Editorial Note" {
        return true;
    }
    if !title_like(t) {
        return false;
    }
    after_source || t.contains(" to ")
}

/// `No. 39.` → "39".
fn number_line(s: &str) -> Option<String> {
    let n = s.strip_prefix("No. ")?.strip_suffix('.')?;
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then(|| n.to_string())
}

/// A file number or archival line printed above an older heading.
fn is_source_line(s: &str) -> bool {
    if s.len() > 160 || s.starts_with(' ') {
        return false;
    }
    let file_part = |p: &str| {
        p.contains('/')
            && p.starts_with(|c: char| c.is_ascii_digit())
            && p.chars().all(|c| {
                c.is_alphanumeric() || matches!(c, '.' | '/' | '–' | '-' | '½' | '¼' | '¾')
            })
    };
    if let Some(rest) = s.strip_prefix("File No. ") {
        return !rest.contains(' ');
    }
    let (head, tail) = match s.split_once(": ") {
        Some((h, t)) => (h, Some(t)),
        None => (s, None),
    };
    if file_part(head) {
        return match tail {
            Some(t) => t.split_whitespace().count() <= 6,
            None => true,
        };
    }
    const KINDS: &[&str] = &[
        "Telegram",
        "Despatch",
        "Airgram",
        "Memorandum",
        "Letter",
        "Instruction",
        "Note",
        "Circular telegram",
    ];
    if let Some(t) = tail {
        if KINDS.contains(&t.trim_end_matches('.')) && head.split_whitespace().count() <= 6 {
            return true;
        }
    }
    let words = s.split_whitespace().count();
    words <= 14
        && !s.ends_with('.')
        && ["Library", "Files", "files", "Papers", "papers", "Archives"]
            .iter()
            .any(|k| s.contains(k))
}

/// Split the source-note mark off a heading line: (text, Some((sep, mark))).
fn split_heading_mark<'a>(
    line: &'a str,
    allowed: &[String],
) -> (&'a str, Option<(&'a str, String)>) {
    let run = line.bytes().rev().take_while(u8::is_ascii_digit).count();
    if run == 0 {
        return (line, None);
    }
    let digits = &line[line.len() - run..];
    let before = &line[..line.len() - run];
    for m in allowed {
        let Some(prefix) = digits.strip_suffix(m.as_str()) else {
            continue;
        };
        if prefix.is_empty() {
            let Some(c) = before.chars().next_back() else {
                continue;
            };
            if c == ' ' {
                let head = &before[..before.len() - 1];
                let prev_word = head.split_whitespace().next_back().unwrap_or("");
                let ok_prev = head
                    .chars()
                    .next_back()
                    .is_some_and(|p| !p.is_whitespace() && !p.is_ascii_digit());
                const NUMBERED: &[&str] = &[
                    "No.",
                    "Number",
                    "Document",
                    "Part",
                    "Volume",
                    "Annex",
                    "Tab",
                    "Telegram",
                    "Memorandum",
                    "Enclosure",
                    "Attachment",
                ];
                if ok_prev && !NUMBERED.contains(&prev_word) && numbered_heading(head).is_some()
                    || ok_prev && !NUMBERED.contains(&prev_word) && title_like(head)
                {
                    return (head, Some((" ", m.clone())));
                }
            } else if !c.is_whitespace() && !matches!(c, '/' | '-' | '–' | ':' | '#' | '$') {
                return (before, Some(("", m.clone())));
            }
        } else if prefix.len() == 4 && (1700..=2099).contains(&prefix.parse::<u32>().unwrap_or(0)) {
            // A year with the mark glued on: "December 21, 19541".
            let cut = line.len() - m.len();
            return (&line[..cut], Some(("", m.clone())));
        }
    }
    (line, None)
}

/// Sender and recipient from "Telegram From X to Y" or "The X to the Y" / "Mr. X to Mr. Y".
fn from_to(title: &str) -> (Vec<String>, Vec<String>) {
    let clean = |s: &str| {
        let s = s.trim().trim_end_matches('.').trim();
        let s = s
            .strip_prefix("the ")
            .or_else(|| s.strip_prefix("The "))
            .unwrap_or(s);
        s.to_string()
    };
    if let Some(i) = title.find(" From ") {
        let rest = &title[i + 6..];
        if let Some((a, b)) = rest.split_once(" to ") {
            if !a.is_empty() && !b.is_empty() {
                return (vec![clean(a)], vec![clean(b)]);
            }
        }
        return (Vec::new(), Vec::new());
    }
    let (_, t) = numbered_heading(title)
        .map(|(n, t)| ((), &t[n.len() + 2..]))
        .unwrap_or(((), title));
    let parts: Vec<&str> = t.split(" to ").collect();
    let opens = t.starts_with("The ")
        || t.starts_with("Mr. ")
        || t.starts_with("Mrs. ")
        || t.starts_with("Sir ")
        || t.starts_with("President ")
        || t.starts_with("Secretary ");
    if parts.len() == 2 && opens && !parts[0].is_empty() && !parts[1].is_empty() {
        return (vec![clean(parts[0])], vec![clean(parts[1])]);
    }
    (Vec::new(), Vec::new())
}

// ------------------------------------------------------------------------------------------
// Body blocks

/// Split `[Page N]` markers out of a line.
fn page_inlines(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut buf = String::new();
    while let Some(i) = rest.find("[Page ") {
        let after = &rest[i + 6..];
        if let Some(n) = page_number(after) {
            buf.push_str(&rest[..i]);
            if !buf.is_empty() {
                out.push(Inline::text(std::mem::take(&mut buf)));
            }
            out.push(Inline::PageBreak {
                n: n.to_string(),
                id: None,
            });
            rest = &after[n.len() + 1..];
        } else {
            buf.push_str(&rest[..i + 6]);
            rest = after;
        }
    }
    buf.push_str(rest);
    if !buf.is_empty() {
        out.push(Inline::text(buf));
    }
    out
}

/// The page number at the start of `s` when `s` continues `N]`; `[II]` forms are allowed.
fn page_number(s: &str) -> Option<&str> {
    let end = if s.starts_with('[') {
        s.find("]]").map(|i| i + 1)?
    } else {
        s.find(']')?
    };
    let n = &s[..end];
    let ok = !n.is_empty()
        && n.len() <= 12
        && n.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '[' | ']' | '-' | '.'));
    ok.then_some(n)
}

fn plain_block(u: &Unit) -> Block {
    let inlines = page_inlines(u.text);
    if let [Inline::PageBreak { n, .. }] = inlines.as_slice() {
        return Block::PageBreak {
            n: n.clone(),
            id: None,
            layout: layout(Some(u.sep.to_string()), None),
        };
    }
    Block::Paragraph {
        role: ParagraphRole::Paragraph,
        rend: None,
        inlines,
        layout: layout(Some(u.sep.to_string()), None),
    }
}

/// `  • text` → (level, text) when the indentation is 2 + 2·level (`    • ` is level 1).
fn bullet(s: &str) -> Option<(usize, &str)> {
    let indent = s.bytes().take_while(|&b| b == b' ').count();
    let rest = s[indent..].strip_prefix("• ")?;
    (indent >= 2 && indent % 2 == 0).then_some(((indent - 2) / 2, rest))
}

fn list_head_ok(s: &str) -> bool {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 3
        && s.len() <= 40
        && s.split_whitespace().count() <= 4
        && s.chars()
            .all(|c| c.is_uppercase() || c == ' ' || c == ':' || c == '/')
}

fn para(text: &str, sep: Option<&str>, style: Option<&str>) -> Block {
    Block::Paragraph {
        role: ParagraphRole::Paragraph,
        rend: None,
        inlines: page_inlines(text),
        layout: layout(sep.map(str::to_string), style.map(str::to_string)),
    }
}

fn build_blocks(units: &[Unit]) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    // Index of the unit the last pushed block came from, to find list heads.
    let mut last_plain: Option<usize> = None;
    let mut k = 0;
    while k < units.len() {
        let u = units[k];
        if bullet(u.text).is_some_and(|(lvl, _)| lvl == 0) {
            let head = take_head(&mut blocks, last_plain, k, units);
            let (list, next) = bullet_list(units, k, head);
            blocks.push(list);
            last_plain = None;
            k = next;
            continue;
        }
        if u.text.starts_with("- ") || u.text == "-" {
            if let Some((items, next)) = dash_items(units, k) {
                let head = take_head(&mut blocks, last_plain, k, units);
                let sep = head.as_ref().map_or(u.sep, |(_, s)| *s).to_string();
                blocks.push(Block::List {
                    kind: head.as_ref().and_then(|(h, _)| list_kind(h)),
                    head: head.map(|(h, _)| page_inlines(h)),
                    items,
                    layout: layout(Some(sep), Some("dash".into())),
                });
                last_plain = None;
                k = next;
                continue;
            }
        }
        blocks.push(plain_block(&u));
        last_plain = Some(k);
        k += 1;
    }
    blocks
}

fn list_kind(head: &str) -> Option<String> {
    let h = head.trim().trim_end_matches(':').to_lowercase();
    matches!(h.as_str(), "subject" | "participants").then_some(h)
}

/// Pop the paragraph just before unit `k` if it is an all-capitals list head.
fn take_head<'a>(
    blocks: &mut Vec<Block>,
    last_plain: Option<usize>,
    k: usize,
    units: &[Unit<'a>],
) -> Option<(&'a str, &'a str)> {
    let prev = last_plain.filter(|&p| p + 1 == k)?;
    let u = units[prev];
    if !list_head_ok(u.text) {
        return None;
    }
    blocks.pop();
    Some((u.text, u.sep))
}

/// A format A bullet list starting at unit `k`; returns the block and the next unit.
fn bullet_list(units: &[Unit], k: usize, head: Option<(&str, &str)>) -> (Block, usize) {
    // Gather the run: levels may rise by one at a time; a level-0 item after a blank line starts
    // a new list.
    let mut entries: Vec<(usize, &str, &str)> = Vec::new();
    let mut j = k;
    let mut prev_level: Option<usize> = None;
    while j < units.len() {
        let Some((lvl, text)) = bullet(units[j].text) else {
            break;
        };
        match prev_level {
            None if lvl != 0 => break,
            Some(p) if lvl > p + 1 => break,
            Some(_) if lvl == 0 && units[j].sep != "\n" => break,
            _ => {}
        }
        entries.push((lvl, text, units[j].sep));
        prev_level = Some(lvl);
        j += 1;
    }
    let mut pos = 0;
    let mut items = build_items(&entries, &mut pos, 0);
    let list_sep = match head {
        Some((_, s)) => s,
        None => units[k].sep,
    };
    if head.is_none() {
        // The list's own separator stands before the first item.
        if let Some(Block::Paragraph { layout, .. }) =
            items.first_mut().and_then(|i| i.blocks.first_mut())
        {
            *layout = None;
        }
    }
    let block = Block::List {
        kind: head.and_then(|(h, _)| list_kind(h)),
        head: head.map(|(h, _)| page_inlines(h)),
        items,
        layout: layout(Some(list_sep.to_string()), Some("bullet".into())),
    };
    (block, j)
}

fn build_items(entries: &[(usize, &str, &str)], pos: &mut usize, level: usize) -> Vec<ListItem> {
    let mut items = Vec::new();
    while *pos < entries.len() && entries[*pos].0 == level {
        let (_, text, sep) = entries[*pos];
        *pos += 1;
        let mut blocks = vec![para(text, Some(sep), None)];
        if *pos < entries.len() && entries[*pos].0 == level + 1 {
            let nested = build_items(entries, pos, level + 1);
            blocks.push(Block::List {
                kind: None,
                head: None,
                items: nested,
                layout: layout(None, Some("bullet".into())),
            });
        }
        items.push(ListItem {
            label: None,
            blocks,
        });
    }
    items
}

fn is_label(s: &str) -> bool {
    let t = s.trim_start_matches('(');
    let core = t.trim_end_matches(['.', ')']);
    !core.is_empty()
        && core.len() <= 3
        && t.len() > core.len()
        && (core.bytes().all(|b| b.is_ascii_digit())
            || (core.len() == 1 && core.bytes().all(|b| b.is_ascii_lowercase())))
}

/// A format B run of `- ` lines starting at unit `k` (single newlines only).
fn dash_items(units: &[Unit], k: usize) -> Option<(Vec<ListItem>, usize)> {
    let mut items = Vec::new();
    let mut j = k;
    let cont = |j: usize| j < units.len() && (j == k || units[j].sep == "\n");
    while cont(j) {
        let t = units[j].text;
        if t == "-" {
            // "-" / "U.S." / "- The Secretary" …: a group item with a nested list.
            if !(cont(j + 1)
                && !units[j + 1].text.starts_with("- ")
                && units[j + 1].text != "-"
                && units[j + 1].sep == "\n")
            {
                break;
            }
            let label_line = units[j + 1].text;
            j += 2;
            let mut nested = Vec::new();
            while cont(j) && j > k && units[j].text.starts_with("- ") {
                nested.push(ListItem {
                    label: None,
                    blocks: vec![para(&units[j].text[2..], None, None)],
                });
                j += 1;
            }
            let mut blocks = vec![para(label_line, None, Some("own-line"))];
            if !nested.is_empty() {
                blocks.push(Block::List {
                    kind: None,
                    head: None,
                    items: nested,
                    layout: layout(None, Some("dash".into())),
                });
            }
            items.push(ListItem {
                label: None,
                blocks,
            });
            continue;
        }
        let Some(text) = t.strip_prefix("- ") else {
            break;
        };
        if is_label(text)
            && cont(j + 1)
            && j + 1 > k
            && units[j + 1]
                .text
                .strip_prefix("- ")
                .is_some_and(|n| !is_label(n))
        {
            items.push(ListItem {
                label: Some(text.to_string()),
                blocks: vec![para(&units[j + 1].text[2..], None, None)],
            });
            j += 2;
            continue;
        }
        items.push(ListItem {
            label: None,
            blocks: vec![para(text, None, None)],
        });
        j += 1;
    }
    (!items.is_empty()).then_some((items, j))
}

// ------------------------------------------------------------------------------------------
// Paragraph roles

fn para_text(b: &Block) -> Option<String> {
    match b {
        Block::Paragraph { inlines, .. } => {
            let mut s = String::new();
            for i in inlines {
                if let Inline::Text { text } = i {
                    s.push_str(text);
                }
            }
            Some(s)
        }
        _ => None,
    }
}

fn set_role(b: &mut Block, r: ParagraphRole) {
    if let Block::Paragraph { role, .. } = b {
        *role = r;
    }
}

/// (month 1–12, day, year, byte offset of the month) of the first "Month D, YYYY" in `s`.
fn find_date(s: &str) -> Option<(u32, u32, u32, usize)> {
    for (mi, m) in chancery_model::MONTH_NAMES.iter().enumerate() {
        let mut from = 0;
        while let Some(i) = s[from..].find(m) {
            let at = from + i;
            from = at + m.len();
            let rest = &s[at + m.len()..];
            let Some(rest) = rest.strip_prefix(' ') else {
                continue;
            };
            let dd = rest.bytes().take_while(u8::is_ascii_digit).count();
            if dd == 0 || dd > 2 {
                continue;
            }
            let Some(after) = rest[dd..].strip_prefix(", ") else {
                continue;
            };
            let yy = after.bytes().take_while(u8::is_ascii_digit).count();
            if yy != 4 {
                continue;
            }
            let day: u32 = rest[..dd].parse().ok()?;
            let year: u32 = after[..4].parse().ok()?;
            if (1..=31).contains(&day) {
                return Some((mi as u32 + 1, day, year, at));
            }
        }
    }
    None
}

fn is_dateline(s: &str) -> bool {
    if s.len() > 90 || s.contains(": ") || !s.starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    match find_date(s) {
        Some((_, _, _, at)) => at == 0 || s[..at].ends_with(", "),
        None => false,
    }
}

fn name_like(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 || s.len() > 40 {
        return false;
    }
    let initials = s.chars().all(|c| c.is_uppercase() || c == '.' || c == ' ') && s.contains('.');
    if initials {
        return true;
    }
    if s.ends_with(['.', ':', ';', '?', '!']) || s.ends_with(',') {
        return false;
    }
    words.iter().all(|w| {
        let c = w.trim_start_matches(['(', '[']).chars().next();
        c.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || matches!(*w, "de" | "von" | "van" | "du" | "la")
    })
}

fn assign_roles(body: &mut [Block], has_notes: bool) {
    let n = body.len();
    let mut closer_at = None;
    for (i, block) in body.iter_mut().enumerate() {
        let Some(t) = para_text(block) else {
            continue;
        };
        let t = t.trim();
        let role = if i < 3 && is_dateline(t) {
            Some(ParagraphRole::Dateline)
        } else if (t.starts_with("No. ") && t.ends_with(".]"))
            || (t.starts_with("[Received") || t == "[Telegram]") && t.ends_with(']')
        {
            Some(ParagraphRole::Opener)
        } else if (t.starts_with('[') && t.ends_with(']'))
            || (!t.is_empty() && t.chars().all(|c| matches!(c, '.' | '*' | ' ')))
        {
            Some(ParagraphRole::EditorialInsertion)
        } else if t.ends_with(':') && t.split_whitespace().count() <= 5 {
            Some(ParagraphRole::Salute)
        } else if i + 4 >= n
            && [
                "Sincerely",
                "Yours",
                "Faithfully",
                "Respectfully",
                "Very truly",
                "Very respectfully",
                "Cordially",
                "I am, sir",
                "I have the honor to be",
                "I have, etc",
                "With best",
                "Warm regards",
            ]
            .iter()
            .any(|p| t.starts_with(p))
            && t.len() < 120
        {
            closer_at = Some(i);
            Some(ParagraphRole::Closer)
        } else if closer_at.is_some_and(|c| i > c)
            && (t.contains("Esq.") || t.starts_with("Hon. ") || t.starts_with("(Same"))
        {
            Some(ParagraphRole::Postscript)
        } else {
            None
        };
        if let Some(r) = role {
            set_role(block, r);
        }
    }
    // Dateline continued over two lines ("Department of State, Washington," / "December 13, 1861.").
    for i in 1..n.min(4) {
        let is_dl = matches!(
            &body[i],
            Block::Paragraph {
                role: ParagraphRole::Dateline,
                ..
            }
        );
        if is_dl {
            if let Some(prev) = para_text(&body[i - 1]) {
                if prev.ends_with(',') && prev.len() < 60 && !prev.contains(": ") {
                    set_role(&mut body[i - 1], ParagraphRole::Dateline);
                }
            }
        }
    }
    // The signature: a short, name-like last line.
    if n >= 2 {
        if let Some(t) = para_text(&body[n - 1]) {
            let t = t.trim();
            let prev_closer = matches!(
                &body[n - 2],
                Block::Paragraph {
                    role: ParagraphRole::Closer,
                    ..
                }
            );
            let single = t.split_whitespace().count() == 1;
            let role_free = matches!(
                &body[n - 1],
                Block::Paragraph {
                    role: ParagraphRole::Paragraph,
                    ..
                }
            );
            // A capture cut off after a space ("Dubinin ") is not a signature.
            let cut = matches!(&body[n - 1], Block::Paragraph { inlines, .. }
                if matches!(inlines.last(), Some(Inline::Text { text }) if text.ends_with(char::is_whitespace)));
            if role_free && !cut && name_like(t) && (has_notes || prev_closer || single) {
                set_role(&mut body[n - 1], ParagraphRole::Signed);
            }
        }
    }
    // Sub-headings: short title-case lines inside the body.
    for block in body.iter_mut().take(n.saturating_sub(1)).skip(1) {
        let Some(t) = para_text(block) else {
            continue;
        };
        let plain = matches!(
            block,
            Block::Paragraph {
                role: ParagraphRole::Paragraph,
                ..
            }
        );
        let words = t.split_whitespace().count();
        if plain
            && words <= 8
            && title_like(t.trim())
            && !t.trim_end().ends_with(['.', ':', ',', ';', '?'])
        {
            set_role(block, ParagraphRole::Heading);
        }
    }
}

fn dateline_of(body: &[Block]) -> (Option<String>, Option<DocumentDate>) {
    for b in body.iter().take(4) {
        if let Block::Paragraph {
            role: ParagraphRole::Dateline,
            ..
        } = b
        {
            let Some(t) = para_text(b) else { continue };
            let Some((m, d, y, at)) = find_date(&t) else {
                continue;
            };
            let place = (at > 0)
                .then(|| t[..at].trim_end_matches([',', ' ']))
                .map(|p| p.rsplit(", ").next().unwrap_or(p).to_string());
            let day = format!("{y:04}-{m:02}-{d:02}");
            return (
                place,
                Some(DocumentDate {
                    text: t[at..].trim().trim_end_matches('.').to_string(),
                    when: Some(day.clone()),
                    interval: Some(DateInterval {
                        min: format!("{day}T00:00:00"),
                        max: format!("{day}T23:59:59"),
                        precision: DatePrecision::Day,
                    }),
                }),
            );
        }
    }
    (None, None)
}

// ------------------------------------------------------------------------------------------
// Footnote marks

/// Every inline sequence of the body that can hold marks, in document order.
pub(crate) fn text_slots<'a>(blocks: &'a mut [Block], out: &mut Vec<&'a mut Vec<Inline>>) {
    for b in blocks {
        match b {
            Block::Paragraph { inlines, .. } => out.push(inlines),
            Block::List { head, items, .. } => {
                if let Some(h) = head {
                    out.push(h);
                }
                for it in items {
                    text_slots(&mut it.blocks, out);
                }
            }
            Block::Table { rows, .. } => {
                for r in rows {
                    for c in &mut r.cells {
                        out.push(&mut c.inlines);
                    }
                }
            }
            Block::Attachment { head, blocks } => {
                if let Some(h) = head {
                    out.push(h);
                }
                text_slots(blocks, out);
            }
            Block::Group { blocks, .. } => text_slots(blocks, out),
            Block::PageBreak { .. } => {}
        }
    }
}

#[derive(Debug, Clone)]
struct Cand {
    slot: usize,
    inl: usize,
    start: usize,
    end: usize,
    value: String,
    symbol: bool,
}

fn candidates(slots: &[&mut Vec<Inline>]) -> Vec<Cand> {
    let mut out = Vec::new();
    for (si, slot) in slots.iter().enumerate() {
        let last_inl = slot.len().saturating_sub(1);
        for (ii, inl) in slot.iter().enumerate() {
            let Inline::Text { text } = inl else { continue };
            let b = text.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let c = b[i];
                let is_sym = c == b'*';
                if !(c.is_ascii_digit() || is_sym) {
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j < b.len() && b[j] == c || (!is_sym && j < b.len() && b[j].is_ascii_digit())
                {
                    j += 1;
                }
                let prev = text[..i].chars().next_back();
                let next = text[j..].chars().next();
                let next_ok = !next
                    .is_some_and(|n| n.is_alphanumeric() || matches!(n, '/' | '½' | '%' | '*'));
                let glued = prev.is_some_and(|p| {
                    !p.is_whitespace()
                        && !p.is_ascii_digit()
                        && !matches!(
                            p,
                            '/' | '-' | '–' | '[' | '(' | '$' | '£' | '#' | ':' | '+' | '=' | '*'
                        )
                });
                // Last resort for spaced marks at the very end of a block ("Brzezinski 4").
                let spaced_end = !is_sym
                    && ii == last_inl
                    && j == b.len()
                    && prev == Some(' ')
                    && text[..i.saturating_sub(1)]
                        .chars()
                        .next_back()
                        .is_some_and(|p| p.is_alphabetic());
                if (glued || spaced_end) && next_ok && j - i <= 3 {
                    out.push(Cand {
                        slot: si,
                        inl: ii,
                        start: i,
                        end: j,
                        value: text[i..j].to_string(),
                        symbol: is_sym,
                    });
                }
                i = j;
            }
        }
    }
    out
}

/// Greedy: each expected value at the first candidate after the previous one.
fn match_seq(cands: &[Cand], expected: &[String], from: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    let mut pos = from;
    for e in expected {
        match cands[pos..].iter().position(|c| &c.value == e) {
            Some(p) => {
                out.push(Some(pos + p));
                pos += p + 1;
            }
            None => out.push(None),
        }
    }
    out
}

/// Resolve the body marks of the footnotes whose printed numbers are `printed` (None in format
/// B); rewrites the body with `NoteRef`s (provisional ids `#fn{index}`) and returns the marks.
fn resolve_marks(
    body: &mut [Block],
    printed: &[Option<String>],
    heading_mark: Option<u32>,
    first_index: usize,
) -> Vec<Option<String>> {
    let mut slots = Vec::new();
    text_slots(body, &mut slots);
    let all = candidates(&slots);
    let digits: Vec<Cand> = all.iter().filter(|c| !c.symbol).cloned().collect();
    let n = printed.len();
    let full = |m: &[Option<usize>]| m.iter().all(Option::is_some);
    let consecutive =
        |start: u32| -> Vec<String> { (0..n as u32).map(|k| (start + k).to_string()).collect() };

    let mut tries: Vec<Vec<String>> = Vec::new();
    if printed.iter().all(Option::is_some) {
        tries.push(printed.iter().flatten().cloned().collect());
    }
    tries.push(consecutive(heading_mark.map_or(1, |h| h + 1)));
    let mut best: Option<(Vec<Option<usize>>, Vec<String>, bool)> = None;
    for t in &tries {
        let m = match_seq(&digits, t, 0);
        if full(&m) {
            best = Some((m, t.clone(), false));
            break;
        }
        if best.is_none() {
            best = Some((m, t.clone(), false));
        }
    }
    if !best.as_ref().is_some_and(|(m, _, _)| full(m)) {
        // Page- or volume-scoped numbering: a consecutive run starting at any glued number.
        let mut seen = Vec::new();
        for (ci, c) in digits.iter().enumerate() {
            let Ok(v) = c.value.parse::<u32>() else {
                continue;
            };
            if seen.contains(&(ci, v)) {
                continue;
            }
            seen.push((ci, v));
            let t = consecutive(v);
            let m = match_seq(&digits, &t, ci);
            if full(&m) {
                best = Some((m, t, false));
                break;
            }
        }
    }
    if !best.as_ref().is_some_and(|(m, _, _)| full(m)) {
        // Symbol marks ("instructions*"), when there are exactly as many as notes.
        let syms: Vec<Cand> = all.iter().filter(|c| c.symbol).cloned().collect();
        if syms.len() == n && n > 0 {
            let m = (0..n).map(Some).collect();
            let t = syms.iter().map(|c| c.value.clone()).collect();
            return apply_marks(&mut slots, &syms, m, t, first_index);
        }
    }
    match best {
        Some((m, t, _)) => apply_marks(&mut slots, &digits, m, t, first_index),
        None => vec![None; n],
    }
}

fn apply_marks(
    slots: &mut [&mut Vec<Inline>],
    cands: &[Cand],
    matched: Vec<Option<usize>>,
    values: Vec<String>,
    first_index: usize,
) -> Vec<Option<String>> {
    // (slot, inline) → [(start, end, id, mark)]
    let mut cuts: Vec<(usize, usize, usize, usize, String, String)> = Vec::new();
    let mut out = Vec::new();
    for (k, m) in matched.iter().enumerate() {
        match m {
            Some(ci) => {
                let c = &cands[*ci];
                let id = format!("#fn{}", first_index + k);
                cuts.push((c.slot, c.inl, c.start, c.end, id, values[k].clone()));
                out.push(Some(values[k].clone()));
            }
            None => out.push(None),
        }
    }
    // Rewrite from the back so earlier indices stay valid.
    cuts.sort_by_key(|a| (a.0, a.1, a.2));
    for (slot, inl, start, end, id, mark) in cuts.into_iter().rev() {
        let v = &mut slots[slot];
        let Some(Inline::Text { text }) = v.get(inl).cloned() else {
            continue;
        };
        let mut repl = Vec::new();
        if start > 0 {
            repl.push(Inline::text(&text[..start]));
        }
        repl.push(Inline::NoteRef { id, mark });
        if end < text.len() {
            repl.push(Inline::text(&text[end..]));
        }
        v.splice(inl..inl + 1, repl);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_marks() {
        let a = ["1".to_string(), "0".to_string()];
        assert_eq!(
            split_heading_mark(
                "45. Telegram From the Embassy to the Department of State 1",
                &a
            ),
            (
                "45. Telegram From the Embassy to the Department of State",
                Some((" ", "1".into()))
            )
        );
        assert_eq!(
            split_heading_mark("261. Memorandum for Personal Files1", &a).1,
            Some(("", "1".into()))
        );
        assert_eq!(
            split_heading_mark("17. Memorandum, December 21, 19541", &a).0,
            "17. Memorandum, December 21, 1954"
        );
        assert_eq!(split_heading_mark("Telegram No. 1", &a).1, None);
    }

    #[test]
    fn source_lines() {
        assert!(is_source_line("851G.01/6–1349: Telegram"));
        assert!(is_source_line("File No. 763.72119/987"));
        assert!(is_source_line("Defense Files: Telegram"));
        assert!(is_source_line("763.72/2473½"));
        assert!(!is_source_line("Sir: I have the honor."));
    }
}
