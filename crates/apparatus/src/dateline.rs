//! Datelines: where a document was written, when, and when it was received.
//!
//! One grammar for every era:
//!
//! ```text
//! dateline := [place ","] date [sep time] ["."] [received]
//! place    := words before the date, ending in a comma; leading institutions dropped
//!             ("Legation of the United States, Managua" → "Managua"), brackets removed
//! date     := Month D[–D] "," YYYY | Month D "," YYYY "–" Month D "," YYYY | Month YYYY | D Month YYYY
//!             | Month D (year from context) | YYYY (alone, at the end of a dateline)
//! time     := H[:MM|.MM] a.m.|p.m. | HHMM"Z" | H:MM | noon | midnight, or a span of two
//! received := "[Received" [date] [sep time] "]" | "(Received …)" | "Received at" time
//! ```
//!
//! Datelines are printed at the head of a document (one line or wrapped over two), in its
//! heading ("…, Washington, December 19, 1956, 2:30 p.m."), or at its foot (notes that end with
//! place and date, "Approved January 13, 1925"). [`find`] looks in that order.

use std::sync::OnceLock;

use crate::rx;
use chancery_model::collapse_ws;
use chancery_model::date::{month_number, CalendarDate, TimeOfDay};
use regex::Regex;
use serde::{Deserialize, Serialize};

/// A date as printed: one calendar date, or a span of two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateSpan {
    /// The date, or the first day of a span.
    pub start: CalendarDate,
    /// The last day of a span ("September 28–30, 1968"); `None` for a single date.
    pub end: Option<CalendarDate>,
}

impl DateSpan {
    /// `1968-10-02`, or `1968-09-28/1968-09-30` for a span.
    pub fn iso(&self) -> String {
        match self.end {
            Some(e) => format!("{}/{}", self.start.iso(), e.iso()),
            None => self.start.iso(),
        }
    }
}

/// When a telegram was received: the date (year supplied from context when not printed) and
/// the time, as far as the line gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    /// The day received, when the line gives one.
    pub date: Option<CalendarDate>,
    /// The time received, when the line gives one.
    pub time: Option<TimeOfDay>,
}

impl Received {
    /// `1940-10-13T07:00`, `1894-07-03`; `None` when the date is unknown.
    pub fn iso(&self) -> Option<String> {
        let d = self.date?.iso();
        Some(match self.time {
            Some(t) => format!("{d}T{}", t.iso().trim_end_matches('Z')),
            None => d,
        })
    }
}

/// What a document's dateline says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dateline {
    /// The place as the dateline names it ("Paris", "Saigon").
    pub place: Option<String>,
    /// The date or span of dates printed.
    pub date: Option<DateSpan>,
    /// The time of day printed with the date (the start of a span of times).
    pub time: Option<TimeOfDay>,
    /// When a telegram was received, from a received line.
    pub received: Option<Received>,
    /// The dateline as printed, whitespace collapsed.
    pub text: String,
    /// The date (and time) part of it as printed: "June 20, 1936—11 a.m.".
    pub date_text: String,
}

/// A month word, then an optional day (with ordinal), optional day span, optional year.
fn month_date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"(?x)
        \b(?P<month>[A-Z][a-z]{2,8}\.?)
        (?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th|d)?
            (?:\s*[–-]\s*(?:(?P<month2>[A-Z][a-z]{2,8}\.?)\s+)?(?P<day2>\d{1,2})(?:st|nd|rd|th|d)?)?
        )?
        (?:\s*,?\s+(?P<year>1[789]\d\d|20\d\d)\b)?",
    )
}

/// "3 October 1968".
fn day_month_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"\b(?P<day>\d{1,2})\s+(?P<month>[A-Z][a-z]{2,8}\.?)\s+(?P<year>1[789]\d\d|20\d\d)\b",
    )
}

/// A time of day, or a span of two, as datelines print them.
fn time_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"(?xi)
        ^(?:
            (?P<noon>(?:12\s+)?noon)
          | (?P<midnight>(?:12\s+)?midnight)
          | (?P<zulu>[0-2]\d[0-5]\d)\s?(?:Z|GMT)\b
          | (?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?
            (?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?
            (?:\s*[–—-]\s*(?P<h2>\d{1,2})(?:[:.](?P<m2>\d{2}))?\s*(?P<ap2>[ap])\.?\s?m\b\.?)?
        )",
    )
}

/// A date found in a text, with its byte span. The year may be missing ("July 3").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FoundDate {
    start: usize,
    end: usize,
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    end_month: Option<u32>,
    end_day: Option<u32>,
}

impl FoundDate {
    fn span(&self, year: i32) -> Option<DateSpan> {
        let start = CalendarDate::new(year, self.month, self.day)?;
        let end = match self.end_day {
            Some(d) => Some(CalendarDate::new(
                year,
                self.end_month.or(self.month),
                Some(d),
            )?),
            None => None,
        };
        Some(DateSpan { start, end })
    }
}

/// Every printed date in `s`, in order.
fn dates_in(s: &str) -> Vec<FoundDate> {
    let mut out: Vec<FoundDate> = Vec::new();
    for c in month_date_re().captures_iter(s) {
        let (Some(all), Some(m)) = (c.get(0), c.name("month")) else {
            continue;
        };
        let Some(month) = month_number(m.as_str()) else {
            continue;
        };
        // "May" alone is a verb more often than a date.
        let day = c.name("day").and_then(|d| d.as_str().parse().ok());
        let year = c.name("year").and_then(|y| y.as_str().parse().ok());
        if day.is_none() && year.is_none() {
            continue;
        }
        if m.as_str().ends_with('.') && m.as_str().len() < 4 {
            continue;
        }
        let mut end = all.end();
        let mut end_day = c.name("day2").and_then(|d| d.as_str().parse().ok());
        // "October 13-7 a.m." is a day and a time, not a span of days.
        if let (Some(d), None) = (c.name("day"), c.name("year")) {
            let after = s[all.end()..].trim_start();
            if end_day.is_some() && (after.starts_with(['a', 'p', ':', '.'])) {
                end_day = None;
                end = d.end();
            }
        }
        out.push(FoundDate {
            start: all.start(),
            end,
            year,
            month: Some(month),
            day,
            end_month: c.name("month2").and_then(|m| month_number(m.as_str())),
            end_day,
        });
    }
    for c in day_month_re().captures_iter(s) {
        let (Some(all), Some(m)) = (c.get(0), c.name("month")) else {
            continue;
        };
        if out
            .iter()
            .any(|d| d.start < all.end() && all.start() < d.end)
        {
            continue;
        }
        if let Some(month) = month_number(m.as_str()) {
            out.push(FoundDate {
                start: all.start(),
                end: all.end(),
                year: c.name("year").and_then(|y| y.as_str().parse().ok()),
                month: Some(month),
                day: c.name("day").and_then(|d| d.as_str().parse().ok()),
                end_month: None,
                end_day: None,
            });
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

/// Parse a time (or the start of a span of times) at the start of `s`; returns it and the bytes
/// it took.
fn time_at(s: &str) -> Option<(TimeOfDay, usize)> {
    let c = time_re().captures(s)?;
    let len = c.get(0)?.end();
    if c.name("noon").is_some() {
        return Some((TimeOfDay::new(12, 0, false)?, len));
    }
    if c.name("midnight").is_some() {
        return Some((TimeOfDay::new(24, 0, false)?, len));
    }
    if let Some(z) = c.name("zulu") {
        let z = z.as_str();
        let h = z.get(..2)?.parse().ok()?;
        let m = z.get(2..)?.parse().ok()?;
        return Some((TimeOfDay::new(h, m, true)?, len));
    }
    let h: u32 = c.name("h")?.as_str().parse().ok()?;
    let m: u32 = c.name("m").map_or(Some(0), |m| m.as_str().parse().ok())?;
    let ap = c.name("ap").map(|a| a.as_str().to_ascii_lowercase());
    let ap2 = c.name("ap2").map(|a| a.as_str().to_ascii_lowercase());
    // A bare number is a time only with minutes ("1:03"), never a lone "12".
    if ap.is_none() && ap2.is_none() && c.name("m").is_none() {
        return None;
    }
    let meridian = match (ap, ap2) {
        (Some(a), _) => Some(a),
        // "1:15–2 p.m.": the start shares the end's half of the day unless it is later on the
        // clock ("11–1 p.m." starts in the morning).
        (None, Some(b)) => {
            let h2: u32 = c.name("h2")?.as_str().parse().ok()?;
            if b == "p" && h != 12 && h > h2 && h2 != 12 {
                Some("a".to_string())
            } else {
                Some(b)
            }
        }
        (None, None) => None,
    };
    let hour = match meridian.as_deref() {
        Some("p") if h < 12 => h + 12,
        Some("a") if h == 12 => 0,
        _ => h,
    };
    if meridian.is_some() && !(1..=12).contains(&h) {
        return None;
    }
    Some((TimeOfDay::new(hour, m, false)?, len))
}

/// Words that make a dateline component an institution rather than a place.
const INSTITUTION_WORDS: &[&str] = &[
    "Legation",
    "Embassy",
    "Consulate",
    "Department",
    "Mansion",
    "Office",
    "Mission",
    "Delegation",
    "Ministry",
    "Hotel",
    "House",
    "Headquarters",
    "Residence",
    "Palace",
    "Chancery",
    "Agency",
    "Secretariat",
    "United States",
    "Steamer",
    "Flag ship",
    "Flagship",
    "U.S.S.",
    "USS ",
    "H.M.S.",
    "Ship",
];

/// Countries after a locality ("Wusung, China", "Managua, Nicaragua"): the dateline's place is
/// the locality.
const COUNTRIES: &[&str] = &[
    "Argentina",
    "Austria",
    "Belgium",
    "Bolivia",
    "Brazil",
    "Burma",
    "Canada",
    "Chile",
    "China",
    "Colombia",
    "Cuba",
    "Denmark",
    "Ecuador",
    "Egypt",
    "England",
    "France",
    "Germany",
    "Greece",
    "Guatemala",
    "Haiti",
    "Honduras",
    "India",
    "Iran",
    "Italy",
    "Japan",
    "Korea",
    "Liberia",
    "Mexico",
    "Netherlands",
    "Nicaragua",
    "Norway",
    "Pakistan",
    "Panama",
    "Paraguay",
    "Persia",
    "Peru",
    "Portugal",
    "Prussia",
    "Russia",
    "Salvador",
    "Siam",
    "Spain",
    "Sweden",
    "Switzerland",
    "Turkey",
    "Uruguay",
    "Venezuela",
    "Vietnam",
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The place part of a dateline ("Legation of the United States, Managua," → "Managua").
fn clean_place(raw: &str) -> Option<String> {
    let t = raw
        .replace(['[', ']'], "")
        .trim()
        .trim_end_matches([',', ' '])
        .to_string();
    let t = collapse_ws(&t);
    let mut parts: Vec<String> = t
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty() && !WEEKDAYS.contains(&p.as_str()))
        // "below Shanghai": a description of the place, not its name.
        .filter(|p| p.starts_with(|c: char| !c.is_lowercase()))
        .collect();
    if parts.len() > 1
        && parts
            .last()
            .is_some_and(|p| COUNTRIES.contains(&p.as_str()))
    {
        parts.pop();
    }
    if let Some(last_inst) = parts
        .iter()
        .rposition(|p| INSTITUTION_WORDS.iter().any(|w| p.contains(w)))
    {
        if last_inst + 1 < parts.len() {
            parts.drain(..=last_inst);
        }
    }
    let place = parts.join(", ");
    let plausible = !place.is_empty()
        && place.starts_with(|c: char| c.is_uppercase())
        && !place.chars().any(|c| c.is_ascii_digit())
        && place.split_whitespace().count() <= 8
        && place.len() <= 80;
    plausible.then_some(place)
}

/// The year to read a date without one in: the given context year.
fn with_year(found: &FoundDate, context: Option<i32>) -> Option<DateSpan> {
    found.span(found.year.or(context)?)
}

/// Parse a received line anywhere in `s`: "[Received November 18, 7.25 a.m.]", "(Received July
/// 3.)", "Received at 2:53 p.m.". `sent` is the dateline's date, for the year (and the day when
/// only a time is given); `context_year` the volume's year when it has only one.
pub fn parse_received(
    s: &str,
    sent: Option<CalendarDate>,
    context_year: Option<i32>,
) -> Option<Received> {
    let at = s.find("Received").or_else(|| s.find("received at"))?;
    let rest = &s[at + "Received".len()..];
    let rest = rest
        .trim_start()
        .strip_prefix("at ")
        .map_or(rest, |r| r)
        .trim_start();
    let close = rest.find([']', ')']).unwrap_or(rest.len().min(60));
    let body = rest.get(..close).unwrap_or(rest);
    let mut date = None;
    let mut after = body;
    if let Some(f) = dates_in(body).into_iter().find(|f| f.start < 3) {
        let year = f.year.or_else(|| {
            // A telegram received in January that was sent in December.
            sent.map(|s| {
                if f.month.unwrap_or(1) < s.month.unwrap_or(1) {
                    s.year + 1
                } else {
                    s.year
                }
            })
        });
        date = year
            .or(context_year)
            .and_then(|y| CalendarDate::new(y, f.month, f.day));
        after = body.get(f.end..).unwrap_or("");
    }
    let after = after.trim_start_matches([',', '—', '–', '-', ' ', '.']);
    let time = time_at(after).map(|(t, _)| t);
    if date.is_none() {
        time?;
        date = sent.filter(|d| d.day.is_some());
    }
    Some(Received { date, time })
}

/// Parse one dateline. `context_year` supplies a missing year. The date must open the line or
/// follow a place ending in a comma; what follows the date may only be a time, a received line
/// and punctuation. Lines that fail these tests are not datelines (body prose that happens to
/// hold a date).
pub fn parse(line: &str, context_year: Option<i32>) -> Option<Dateline> {
    let text = collapse_ws(line);
    let text = text.trim();
    let found = dates_in(text);
    let f = found.first()?;
    let before = &text[..f.start];
    let place = if before.trim().is_empty() {
        None
    } else {
        let b = before.trim_end();
        let b = b.strip_suffix('[').unwrap_or(b).trim_end();
        if !(b.ends_with(',') || b.ends_with(",]")) {
            return None;
        }
        let p = clean_place(b);
        // A weekday alone before the date ("Tuesday, December 21, 1954") is no place, but it
        // is still a dateline.
        if p.is_none() && !WEEKDAYS.iter().any(|w| b.contains(w)) && !b.contains('[') {
            return None;
        }
        p
    };
    let date = with_year(f, context_year)?;
    let mut tail = text[f.end..].trim_start_matches([',', '—', '–', '-', ' ', '.', ';']);
    let mut time = None;
    let mut date_end = f.end;
    if let Some((t, len)) = time_at(tail) {
        time = Some(t);
        date_end = text.len() - tail.len() + len;
        tail = tail.get(len..).unwrap_or("");
    }
    let date_text = text
        .get(f.start..date_end)
        .unwrap_or("")
        .trim_end_matches([',', ' '])
        .to_string();
    let tail = tail.trim_start_matches(['.', ',', ' ', ')', ';']);
    let received = if tail.contains("Received") {
        parse_received(tail, Some(date.start), context_year)
    } else {
        None
    };
    let tail_ok = tail.is_empty()
        || received.is_some()
        || tail.starts_with('(') && tail.len() < 40
        || tail.len() <= 3;
    if !tail_ok {
        return None;
    }
    Some(Dateline {
        place,
        date: Some(date),
        time,
        received,
        text: text.to_string(),
        date_text,
    })
}

/// A dateline of the form "Executive Mansion, Washington, D. C., 1861.": place and a year.
fn parse_year_only(line: &str) -> Option<Dateline> {
    static R: OnceLock<Regex> = OnceLock::new();
    let text = collapse_ws(line);
    let c = rx(&R, r"^(?P<place>.+?),\s*(?P<year>1[789]\d\d|20\d\d)\.?$").captures(&text)?;
    let year = c.name("year")?.as_str().parse().ok()?;
    let place = clean_place(c.name("place")?.as_str())?;
    Some(Dateline {
        place: Some(place),
        date: Some(DateSpan {
            start: CalendarDate::new(year, None, None)?,
            end: None,
        }),
        time: None,
        received: None,
        date_text: year.to_string(),
        text,
    })
}

/// The year a volume id stands for when it covers one year (`frus1940v04` → 1940); `None` for a
/// span (`frus1964-68v07`).
pub fn volume_year(volume: &str) -> Option<i32> {
    let id = chancery_model::volume_id::VolumeId::parse(volume)?;
    i32::try_from(id.single_year()?).ok()
}

/// Where a document's dateline may be printed.
#[derive(Debug, Clone, Default)]
pub struct DatelineSources<'a> {
    /// Lines at the head of the document (opener, dateline, short lines before the text).
    pub opening: &'a [String],
    /// The heading.
    pub heading: &'a str,
    /// Lines at the foot of the document (closer, signature, last paragraphs), in order.
    pub closing: &'a [String],
    /// The source note (for "Received at 2:53 p.m.").
    pub source_note: &'a str,
    /// The volume id, for a year the dateline does not print.
    pub volume: Option<&'a str>,
}

/// Find the dateline: in the opening lines (a line alone, or wrapped over two), then in the
/// heading, then at the foot; and the received time wherever it is printed.
pub fn find(src: &DatelineSources<'_>) -> Dateline {
    let context = src.volume.and_then(volume_year);
    let mut found = opening_dateline(src.opening, context)
        .or_else(|| heading_dateline(src.heading, context))
        .or_else(|| closing_dateline(src.closing, context))
        .unwrap_or_default();
    if found.received.is_none() {
        let sent = found.date.map(|d| d.start);
        found.received = src
            .opening
            .iter()
            .chain(
                src.heading
                    .lines()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
                    .iter(),
            )
            .filter(|l| l.contains("Received"))
            .find_map(|l| parse_received(l, sent, context.or(sent.map(|s| s.year))))
            .or_else(|| source_note_received(src.source_note, sent, context));
    }
    found
}

fn opening_dateline(lines: &[String], context: Option<i32>) -> Option<Dateline> {
    for (i, line) in lines.iter().enumerate() {
        let next = lines.get(i + 1);
        // Wrapped: "Department of State, Washington," / "December 13, 1861." or
        // "Tokyo, June 20, 1936—11" / "a.m.".
        if let Some(next) = next {
            let joined = format!("{line} {next}");
            let wrapped_place = line.trim_end().ends_with(',') && dates_in(line).is_empty();
            let wrapped_time = !dates_in(line).is_empty()
                && next.len() < 12
                && next
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_lowercase());
            if wrapped_place || wrapped_time {
                if let Some(d) = parse(&joined, context) {
                    return Some(d);
                }
            }
        }
        if line.len() > 160 {
            continue;
        }
        if let Some(d) = parse(line, context).or_else(|| parse_year_only(line)) {
            return Some(d);
        }
    }
    None
}

/// "67. Message From the Soviet Government to President Johnson, Moscow, November 3, 1964." and
/// "Memorandum of Discussion at the 229th Meeting …, Tuesday, December 21, 1954".
fn heading_dateline(heading: &str, context: Option<i32>) -> Option<Dateline> {
    let h = collapse_ws(heading);
    let f = dates_in(&h).into_iter().last()?;
    // The date must come after a comma: the tail of the heading, not a date in its title.
    let before = h[..f.start].trim_end();
    if !before.ends_with(',') {
        return None;
    }
    // Take the last two comma parts before the date as a candidate place.
    let parts: Vec<&str> = before.trim_end_matches(',').rsplitn(2, ',').collect();
    let place_part = parts.first().copied().unwrap_or("");
    let candidate = format!("{}, {}", place_part.trim(), &h[f.start..]);
    let mut d = parse(&candidate, context).or_else(|| parse(&h[f.start..], context))?;
    // A place is a short proper name, never the tail of the title ("… National Security
    // Council").
    if let Some(p) = &d.place {
        let words = p.split_whitespace().count();
        let lower_word = p.split_whitespace().any(|w| {
            w.starts_with(|c: char| c.is_lowercase()) && !matches!(w, "de" | "la" | "am" | "an")
        });
        if words > 3 || lower_word || p.contains("Meeting") || p.contains("Council") {
            d.place = None;
        }
    }
    d.text = h[f.start..].to_string();
    Some(d)
}

/// Notes and acts that end with their place and date ("Washington, November 26, 1943.",
/// "Approved January 13, 1925").
fn closing_dateline(lines: &[String], context: Option<i32>) -> Option<Dateline> {
    for line in lines.iter().rev() {
        if line.len() > 120 {
            continue;
        }
        if let Some(d) = parse(line, context) {
            return Some(d);
        }
        let t = line.trim();
        for lead in ["Approved ", "Done ", "Signed ", "Dated "] {
            if let Some(rest) = t.strip_prefix(lead) {
                if let Some(d) = parse(rest, context) {
                    return Some(Dateline { place: None, ..d });
                }
            }
        }
    }
    None
}

fn source_note_received(
    note: &str,
    sent: Option<CalendarDate>,
    context: Option<i32>,
) -> Option<Received> {
    // "… transmitted to the Department by the Navy Department and received September 8."
    static DATED: OnceLock<Regex> = OnceLock::new();
    let dated = rx(
        &DATED,
        r"\b[Rr]eceived (?:in the Department )?(?:on )?([A-Z][a-z]+\.? \d{1,2}(?:, \d{4})?)",
    );
    if let Some(c) = dated.captures(note) {
        let year = sent.map(|s| s.year).or(context);
        if let Some(f) = c
            .get(1)
            .and_then(|m| dates_in(m.as_str()).into_iter().next())
        {
            let y = f.year.or(year);
            if let Some(date) = y.and_then(|y| CalendarDate::new(y, f.month, f.day)) {
                return Some(Received {
                    date: Some(date),
                    time: None,
                });
            }
        }
    }
    static R: OnceLock<Regex> = OnceLock::new();
    // "Received at 2:53 p.m.", "Received in the Department at 6:29 p.m.", "Received at the LBJ
    // Ranch at 12:36 p.m.".
    let re = rx(&R, r"\b[Rr]eceived(?: (?:at|in) [^.;]{1,40}?)? at ");
    let m = re.find(note)?;
    let time = time_at(note.get(m.end()..)?).map(|(t, _)| t)?;
    Some(Received {
        date: sent.filter(|d| d.day.is_some()),
        time: Some(time),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(d: &Dateline) -> (Option<&str>, Option<String>, Option<String>) {
        (
            d.place.as_deref(),
            d.date.map(|x| x.iso()),
            d.time.map(|t| t.iso()),
        )
    }

    #[test]
    fn datelines_of_every_era() {
        let d = parse("Paris, January 14, 1949—2 p. m.", None).unwrap_or_default();
        assert_eq!(
            iso(&d),
            (
                Some("Paris"),
                Some("1949-01-14".into()),
                Some("14:00".into())
            )
        );
        let d = parse(
            "Legation of the United States, Managua, June 5, 1894. (Received July 3.)",
            None,
        )
        .unwrap_or_default();
        assert_eq!(iso(&d).0, Some("Managua"));
        assert_eq!(
            d.received.and_then(|r| r.iso()).as_deref(),
            Some("1894-07-03")
        );
        let d = parse("Saigon, October 2, 1968, 1200Z.", None).unwrap_or_default();
        assert_eq!(d.time.map(|t| t.iso()).as_deref(), Some("12:00Z"));
        let d = parse("[Washington,] August 27, 1953.", None).unwrap_or_default();
        assert_eq!(iso(&d).0, Some("Washington"));
        let d = parse("Geneva, March 13, 1962, midnight.", None).unwrap_or_default();
        assert_eq!(d.time.map(|t| t.iso()).as_deref(), Some("24:00"));
        let d = parse("April 22, 1959, 8:32–10:06 a.m.", None).unwrap_or_default();
        assert_eq!(
            iso(&d),
            (None, Some("1959-04-22".into()), Some("08:32".into()))
        );
        let d = parse("Washington, September 24, 1968, 1:15–2 p.m.", None).unwrap_or_default();
        assert_eq!(d.time.map(|t| t.iso()).as_deref(), Some("13:15"));
        let d = parse(
            "London, November 17, 1917, 2 p.m. [Received November 18, 7.25 a.m.]",
            None,
        )
        .unwrap_or_default();
        assert_eq!(
            d.received.and_then(|r| r.iso()).as_deref(),
            Some("1917-11-18T07:25")
        );
        let d = parse("Washington, September 28–30, 1968.", None).unwrap_or_default();
        assert_eq!(iso(&d).1.as_deref(), Some("1968-09-28/1968-09-30"));
    }

    #[test]
    fn prose_is_not_a_dateline() {
        assert_eq!(
            parse("On February 2, the United Nations Commission met.", None),
            None
        );
        assert_eq!(
            parse(
                "Your despatch of November 22, No. 75, was duly received.",
                None
            ),
            None
        );
    }

    #[test]
    fn wrapped_and_closing() {
        let lines = vec![
            "Department of State, Washington,".to_string(),
            "December 13, 1861.".to_string(),
        ];
        let d = find(&DatelineSources {
            opening: &lines,
            ..Default::default()
        });
        assert_eq!(iso(&d).0, Some("Washington"));
        let lines = vec!["Tokyo, June 20, 1936—11".to_string(), "a.m.".to_string()];
        let d = find(&DatelineSources {
            opening: &lines,
            ..Default::default()
        });
        assert_eq!(d.time.map(|t| t.iso()).as_deref(), Some("11:00"));
        let closing = vec!["Washington, November 26, 1943.".to_string()];
        let d = find(&DatelineSources {
            closing: &closing,
            ..Default::default()
        });
        assert_eq!(iso(&d).1.as_deref(), Some("1943-11-26"));
        let closing = vec!["Approved January 13, 1925".to_string()];
        let d = find(&DatelineSources {
            closing: &closing,
            ..Default::default()
        });
        assert_eq!(iso(&d), (None, Some("1925-01-13".into()), None));
    }

    #[test]
    fn received_in_context() {
        let opening = vec!["[Received October 13—7 a.m.]".to_string()];
        let d = find(&DatelineSources {
            opening: &opening,
            volume: Some("frus1940v04"),
            ..Default::default()
        });
        assert_eq!(
            d.received.and_then(|r| r.iso()).as_deref(),
            Some("1940-10-13T07:00")
        );
        let opening = vec!["Paris, September 3, 1968, 1807Z.".to_string()];
        let d = find(&DatelineSources {
            opening: &opening,
            source_note: "Secret; Immediate. Received at 2:53 p.m.",
            ..Default::default()
        });
        assert_eq!(
            d.received.and_then(|r| r.iso()).as_deref(),
            Some("1968-09-03T14:53")
        );
    }

    #[test]
    fn heading_dates() {
        let d = find(&DatelineSources {
            heading: "67. Message From the Soviet Government to President Johnson, Moscow, November 3, 1964.",
            ..Default::default()
        });
        assert_eq!(iso(&d).0, Some("Moscow"));
        let d = find(&DatelineSources {
            heading: "Memorandum of Discussion at the 229th Meeting of the National Security Council, Tuesday, December 21, 1954",
            ..Default::default()
        });
        assert_eq!(iso(&d), (None, Some("1954-12-21".into()), None));
    }
}
