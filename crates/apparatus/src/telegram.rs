//! Telegram numbers: the identity that opens a telegram's body
//! ("21737/Delto 788. From Harriman and Vance.", "164. Pignon told me…")
//! and cables cited in text ("Embtel 256", "Urtel 2430", "Paris 22390",
//! "telegram 21742/Delto 789 from Paris").

use std::sync::OnceLock;

use crate::rx;
use regex::Regex;
use serde::{Deserialize, Serialize};

/// The number(s) a telegram carries: a serial number, a channel series
/// number ("Delto 788"), or both ("21737/Delto 788").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TelegramNumber {
    /// As written, without the final period: "21737/Delto 788", "CAP 82396".
    pub raw: String,
    /// Serial number ("21737"); for White House and military channels with
    /// a prefix ("CAP 82396") the prefix goes in `series` instead.
    pub number: Option<String>,
    /// Channel series with its number: "Delto 788", "Secto 27", "CAP 82396".
    pub series: Option<String>,
    /// Byte offset of `raw` in the input.
    pub start: usize,
    /// Byte offset just past `raw`.
    pub end: usize,
}

impl TelegramNumber {
    /// Comparison key: the raw form with dashes unified.
    pub fn key(&self) -> String {
        norm_key(&self.raw)
    }
}

/// How a cited cable is introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CableKeyword {
    /// "telegram 1333", "cable 12".
    #[default]
    Telegram,
    /// Embtel: a telegram from the embassy.
    Embtel,
    /// Deptel: a telegram from the Department.
    Deptel,
    /// Urtel: your (the addressee's) telegram.
    Urtel,
    /// Mytel / Ourtel: the sender's own earlier telegram.
    Mytel,
    /// Reftel: the telegram under reference, usually without a number.
    Reftel,
    /// Circtel: a circular telegram.
    Circtel,
    /// "Paris 22390", "State 254715": origin and number.
    Place,
    /// "your 2061", "Department's 79", "London's 63".
    Possessive,
    /// A channel series alone: "Secto 10", "Tosec 9", "CAP 82396".
    Series,
    /// An item of a "Ref:" list in an unrecognised series ("HC–LN 720718").
    Other,
}

/// A cable cited in text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CableReference {
    /// The citation as written ("Embtel 1333").
    pub raw: String,
    /// Byte offsets of `raw` in the input.
    pub start: usize,
    /// Byte offset just past `raw`.
    pub end: usize,
    /// The cable's serial number, when given.
    pub number: Option<String>,
    /// Channel series with its number ("Delto 788"), when given.
    pub series: Option<String>,
    /// How the text names the cable (telegram, Embtel, Deptel, …).
    pub keyword: CableKeyword,
    /// Origin as written ("Paris", "State", "Berlin").
    pub origin: Option<String>,
    /// Normalised sender office ("Embassy in France", "Department of State").
    pub sender: Option<String>,
    /// Destination as written when the text says "to X".
    pub destination: Option<String>,
    /// A circular telegram ("circular telegram 42", Circtel).
    pub circular: bool,
}

impl CableReference {
    /// Comparison key: "21742/Delto 789", "22390", "Secto 10", "reftel".
    pub fn key(&self) -> String {
        match (&self.number, &self.series) {
            (Some(n), Some(s)) => norm_key(&format!("{n}/{s}")),
            (Some(n), None) => norm_key(n),
            (None, Some(s)) => norm_key(s),
            (None, None) => "reftel".to_string(),
        }
    }
}

fn norm_key(s: &str) -> String {
    s.trim().trim_end_matches('.').replace(['–', '—'], "-")
}

/// Channel series: delegation and conference channels (Delto/Todel, Secto/Tosec, …) and the
/// code-named series of the wartime conferences (Argonaut for Yalta, Cricket for Malta,
/// Victory and Terminal for Potsdam).
// Word boundaries in this module's patterns are ASCII ones, `(?-u:\b)`: the regex engine's
// fast automaton cannot decide a Unicode boundary once the text holds a non-ASCII character
// (every FRUS document has curly quotes or dashes), and fell back to a backtracker that made
// `find_references` run at ~19 MB/s; with ASCII boundaries it runs at ~125 MB/s. The words they
// bound (telegram keywords, channel names, numbers) are ASCII, and the analysis of every sample
// document is the same either way.
const SERIES: &str = "Delto|Todel|Secto|Tosec|Tedul|Dulte|Polto|Topol|Usdel|Actel|Niact|Deptel|Sectel|Telmar|Martel|Gadel|Delga|Tocah|Cahto|Argonaut|Cricket|Victory|Terminal";

fn identity_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        &format!(
            r"^(?:(?P<s1>(?:{SERIES})s?)\s+(?P<s1n>\d+)(?:/(?P<s1x>\d+))?|(?P<pre>CAP|DIR|MAC|JCS|WH|DTG)\s+(?P<pren>\d+(?:[–-]\d+)?)|(?P<num>\d{{2,7}})(?:/(?P<s2>{SERIES})\s+(?P<s2n>\d+))?|(?P<air>A[–-]\d+))(?P<stop>\.?)(?:\s|$)"
        ),
    )
}

/// The telegram number(s) at the very start of a body text. Paragraph
/// numbers ("1. The Lien Minh…") and other document numbers ("No.
/// 2040/68", "JCSM–537–65") are not taken; a leading bracketed editorial
/// block ("[Source: …]") is skipped.
pub fn parse_identity(text: &str) -> Vec<TelegramNumber> {
    let mut offset = text.len() - text.trim_start().len();
    let mut body = &text[offset..];
    if body.starts_with('[') {
        if let Some(close) = body.find(']') {
            let after = &body[close + 1..];
            let trimmed = after.trim_start();
            offset += close + 1 + (after.len() - trimmed.len());
            body = trimmed;
        }
    }
    let Some(c) = identity_re().captures(body) else {
        return Vec::new();
    };
    let g = |n: &str| c.name(n).map(|m| m.as_str().to_string());
    let stop = c.name("stop").map(|m| m.as_str()).unwrap_or("");
    let raw_end = c
        .name("stop")
        .map(|m| m.start())
        .unwrap_or_else(|| c.get(0).map(|m| m.end()).unwrap_or(0));
    let raw = body[..raw_end].to_string();
    let (number, series) = if let Some(s) = g("s1") {
        let s = s.trim_end_matches('s').to_string();
        (
            g("s1x"),
            Some(format!("{s} {}", g("s1n").unwrap_or_default())),
        )
    } else if let Some(p) = g("pre") {
        (None, Some(format!("{p} {}", g("pren").unwrap_or_default())))
    } else if let Some(n) = g("num") {
        // A lone number must end with a period ("164. Pignon") and be at
        // least 10: "1." – "9." open numbered paragraphs.
        let small = n.parse::<u64>().map(|v| v < 10).unwrap_or(true);
        if stop.is_empty() || small {
            return Vec::new();
        }
        let series = g("s2").map(|s| format!("{s} {}", g("s2n").unwrap_or_default()));
        (Some(n), series)
    } else if let Some(a) = g("air") {
        (None, Some(a))
    } else {
        return Vec::new();
    };
    vec![TelegramNumber {
        raw,
        number,
        series,
        start: offset,
        end: offset + raw_end,
    }]
}

const PLACES: &[(&str, &str)] = &[
    ("State", "Department of State"),
    ("Paris", "Embassy in France"),
    ("Tokyo", "Embassy in Japan"),
    ("Saigon", "Embassy in Vietnam"),
    ("London", "Embassy in the United Kingdom"),
    ("Moscow", "Embassy in the Soviet Union"),
    ("Bonn", "Embassy in Germany"),
    ("Berlin", "Mission in Berlin"),
    ("Oslo", "Embassy in Norway"),
    ("Rome", "Embassy in Italy"),
    ("Geneva", "Mission in Geneva"),
    ("USUN", "Mission to the United Nations"),
    ("Vientiane", "Embassy in Laos"),
    ("Bangkok", "Embassy in Thailand"),
    ("Seoul", "Embassy in Korea"),
    ("Taipei", "Embassy in the Republic of China"),
    ("Manila", "Embassy in the Philippines"),
    ("Djakarta", "Embassy in Indonesia"),
    ("New Delhi", "Embassy in India"),
    ("Karachi", "Embassy in Pakistan"),
    ("Ottawa", "Embassy in Canada"),
    ("Canberra", "Embassy in Australia"),
    ("Ankara", "Embassy in Turkey"),
    ("Tehran", "Embassy in Iran"),
    ("Cairo", "Embassy in Egypt"),
    ("Hong Kong", "Consulate General in Hong Kong"),
    ("Phnom Penh", "Embassy in Cambodia"),
    ("Warsaw", "Embassy in Poland"),
    ("Vienna", "Embassy in Austria"),
    ("Brussels", "Embassy in Belgium"),
    ("Madrid", "Embassy in Spain"),
    ("Athens", "Embassy in Greece"),
    ("Belgrade", "Embassy in Yugoslavia"),
    ("Stockholm", "Embassy in Sweden"),
    ("Copenhagen", "Embassy in Denmark"),
    ("Hanoi", "Consulate in Hanoi"),
    ("Rangoon", "Embassy in Burma"),
    ("Nanking", "Embassy in China"),
    ("Havana", "Embassy in Cuba"),
    ("Mexico", "Embassy in Mexico"),
    ("Fukuoka", "Consulate in Fukuoka"),
    ("Islamabad", "Embassy in Pakistan"),
    ("Kabul", "Embassy in Afghanistan"),
    ("Dacca", "Embassy in Bangladesh"),
    ("Colombo", "Embassy in Ceylon"),
    ("Kathmandu", "Embassy in Nepal"),
    ("Lahore", "Consulate General in Lahore"),
    ("Calcutta", "Consulate General in Calcutta"),
    ("Bombay", "Consulate General in Bombay"),
    ("Peking", "Liaison Office in Peking"),
    ("Beijing", "Embassy in China"),
    ("Chungking", "Embassy in China"),
    ("Peiping", "Embassy in China"),
    ("Shanghai", "Consulate General in Shanghai"),
    ("Singapore", "Embassy in Singapore"),
    ("Kuala Lumpur", "Embassy in Malaysia"),
    ("Wellington", "Embassy in New Zealand"),
    ("Baghdad", "Embassy in Iraq"),
    ("Damascus", "Embassy in Syria"),
    ("Beirut", "Embassy in Lebanon"),
    ("Amman", "Embassy in Jordan"),
    ("Jidda", "Embassy in Saudi Arabia"),
    ("Riyadh", "Embassy in Saudi Arabia"),
    ("Tel Aviv", "Embassy in Israel"),
    ("Jerusalem", "Consulate General in Jerusalem"),
    ("Kuwait", "Embassy in Kuwait"),
    ("Tripoli", "Embassy in Libya"),
    ("Tunis", "Embassy in Tunisia"),
    ("Algiers", "Embassy in Algeria"),
    ("Rabat", "Embassy in Morocco"),
    ("Khartoum", "Embassy in Sudan"),
    ("Addis Ababa", "Embassy in Ethiopia"),
    ("Nairobi", "Embassy in Kenya"),
    ("Lagos", "Embassy in Nigeria"),
    ("Accra", "Embassy in Ghana"),
    ("Leopoldville", "Embassy in the Congo"),
    ("Kinshasa", "Embassy in Zaire"),
    ("Pretoria", "Embassy in South Africa"),
    ("Monrovia", "Embassy in Liberia"),
    ("The Hague", "Embassy in the Netherlands"),
    ("Hague", "Embassy in the Netherlands"),
    ("Luxembourg", "Embassy in Luxembourg"),
    ("Bern", "Embassy in Switzerland"),
    ("Lisbon", "Embassy in Portugal"),
    ("Dublin", "Embassy in Ireland"),
    ("Helsinki", "Embassy in Finland"),
    ("Reykjavik", "Embassy in Iceland"),
    ("Prague", "Embassy in Czechoslovakia"),
    ("Budapest", "Embassy in Hungary"),
    ("Bucharest", "Embassy in Romania"),
    ("Sofia", "Embassy in Bulgaria"),
    ("Nicosia", "Embassy in Cyprus"),
    ("Valletta", "Embassy in Malta"),
    (
        "USNATO",
        "Mission to the North Atlantic Treaty Organization",
    ),
    ("USEC", "Mission to the European Communities"),
    ("Ottawa", "Embassy in Canada"),
    ("Panama", "Embassy in Panama"),
    ("Guatemala", "Embassy in Guatemala"),
    ("San Salvador", "Embassy in El Salvador"),
    ("Tegucigalpa", "Embassy in Honduras"),
    ("Managua", "Embassy in Nicaragua"),
    ("San Jose", "Embassy in Costa Rica"),
    ("Santo Domingo", "Embassy in the Dominican Republic"),
    ("Port-au-Prince", "Embassy in Haiti"),
    ("Caracas", "Embassy in Venezuela"),
    ("Bogota", "Embassy in Colombia"),
    ("Quito", "Embassy in Ecuador"),
    ("Lima", "Embassy in Peru"),
    ("La Paz", "Embassy in Bolivia"),
    ("Santiago", "Embassy in Chile"),
    ("Buenos Aires", "Embassy in Argentina"),
    ("Montevideo", "Embassy in Uruguay"),
    ("Asuncion", "Embassy in Paraguay"),
    ("Rio de Janeiro", "Embassy in Brazil"),
    ("Brasilia", "Embassy in Brazil"),
    ("Jakarta", "Embassy in Indonesia"),
    ("Canton", "Consulate General in Canton"),
    ("Kabul", "Embassy in Afghanistan"),
];

/// Sender office for an origin as written ("Paris" → "Embassy in France").
pub fn sender_for(origin: &str) -> Option<&'static str> {
    PLACES
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(origin.trim()))
        .map(|(_, s)| *s)
}

/// Origin as written in cable references for a sender office ("Embassy in France" → "Paris"),
/// the inverse of [`sender_for`], so a telegram known by its sender can be matched to "Paris
/// 22390".
pub fn origin_for(office: &str) -> Option<&'static str> {
    let office = office.trim();
    let office = office.strip_prefix("the ").unwrap_or(office);
    PLACES
        .iter()
        .find(|(_, s)| s.eq_ignore_ascii_case(office))
        .map(|(p, _)| *p)
}

fn num_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        &format!(
            r"^(?:No\.\s*)?(?:(?P<pre>[A-Z]{{2,5}})\s)?(?P<n>\d{{6}}Z|\d+(?:\[\d+\])?(?:[–-]\d+)?)(?:\s\[(?P<fix>\d+)\])?(?:/(?P<s>{SERIES})\s(?P<sn>\d+))?"
        ),
    )
}

/// A date after a cited number: "Aug 10", "March 16, 2 p. m.", "August 14 and 15",
/// "September 14, 14, and 15, 1967". The longer reading of the two patterns wins (a list of
/// days and a time both follow "Month D,").
fn date_chunk(text: &str) -> Option<usize> {
    let a = date_chunk_re().find(text).map(|m| m.end());
    let b = date_days_re().find(text).map(|m| m.end());
    a.max(b)
}

fn date_days_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"^,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th|d)?(?:(?:,\s*and|,|\s+and)\s+\d{1,2}\b)+(?:,\s+\d{4})?",
    )
}

fn date_chunk_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"^,?\s+(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th|d)?(?:,\s+\d{4})?(?:,\s+\d{1,2}(?::\d\d)?\s?[ap]\.\s?m\.)?)",
    )
}

/// " from Oslo" / " to Paris" between the members of a list of cables.
fn place_clause_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(&R, r"^\s+(?:from|to)\s+[A-Z][A-Za-z]+(?:\s[A-Z][a-z]+)?")
}

fn list_sep_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(&R, r"^\s*(?:[,;]\s*and|and|[,;])\s+(?:No\.\s*)?")
}

struct Num {
    start: usize,
    end: usize,
    number: Option<String>,
    series: Option<String>,
}

/// Parse "1031", "21742/Delto 789", "MAC 12129" and lists of them
/// ("853 Aug 10 and 856 Aug 12") starting at `pos`.
fn parse_numbers(text: &str, mut pos: usize, allow_prefix: bool) -> Vec<Num> {
    let mut out = Vec::new();
    for _ in 0..12 {
        let Some(c) = num_re().captures(&text[pos..]) else {
            break;
        };
        let Some(m) = c.get(0) else { break };
        let pre = c.name("pre").map(|p| p.as_str().to_string());
        if pre.is_some() && !allow_prefix {
            break;
        }
        // "4[48]": the editors restored digits in brackets; "967 [976]": they corrected the
        // number.
        let n = c
            .name("fix")
            .or(c.name("n"))
            .map(|x| x.as_str().replace(['[', ']'], ""));
        let series = c.name("s").map(|s| {
            format!(
                "{} {}",
                s.as_str(),
                c.name("sn").map(|x| x.as_str()).unwrap_or("")
            )
        });
        let (number, series) = match pre {
            Some(p) => (None, Some(format!("{p} {}", n.unwrap_or_default()))),
            None => (n, series),
        };
        // "1077–1078": two consecutive telegrams, not one number.
        let range = number.as_deref().and_then(|n| {
            let (a, b) = n.split_once(['–', '-'])?;
            let (a, b) = (a.parse::<u64>().ok()?, b.parse::<u64>().ok()?);
            (b > a && b - a < 10).then_some((a, b))
        });
        match range {
            Some((a, b)) if series.is_none() => {
                for v in a..=b {
                    out.push(Num {
                        start: pos + m.start(),
                        end: pos + m.end(),
                        number: Some(v.to_string()),
                        series: None,
                    });
                }
            }
            _ => out.push(Num {
                start: pos + m.start(),
                end: pos + m.end(),
                number,
                series,
            }),
        }
        pos += m.end();
        // Skip a date after the number, then look for another number.
        let mut look = pos;
        if let Some(p) = place_clause_re().find(&text[look..]) {
            look += p.end();
        }
        if let Some(d) = date_chunk(&text[look..]) {
            look += d;
        }
        match list_sep_re().find(&text[look..]) {
            Some(s) if text[look + s.end()..].starts_with(|ch: char| ch.is_ascii_digit()) => {
                pos = look + s.end();
            }
            _ => break,
        }
    }
    out
}

/// Look after a cited number for "from Paris" / "to Saigon" within the
/// same clause.
fn origin_destination(text: &str, pos: usize) -> (Option<String>, Option<String>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = rx(
        &R,
        r"(?-u:\b)(from|to|by)\s+(?:the\s+)?([A-Z][A-Za-z.]*(?:\s+(?:Penh|Delhi|Kong|Aires|Aviv|Hague))?)",
    );
    let window_end = text[pos..]
        .find([';', ')', '(', '\n'])
        .map(|i| pos + i)
        .unwrap_or(text.len())
        .min(floor_boundary(text, pos + 60));
    let window = &text[pos..window_end.max(pos)];
    let mut from = None;
    let mut to = None;
    for c in r.captures_iter(window) {
        let (Some(kw), Some(place)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let place = place.as_str().trim_end_matches('.').to_string();
        match kw.as_str() {
            "from" | "by" if from.is_none() => from = Some(place),
            "to" if to.is_none() => to = Some(place),
            _ => {}
        }
    }
    (from, to)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn keyword_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"(?i)(?-u:\b)(?:re)?(embtel|deptel|urtel|mytel|ourtel|contel|circtel|reftel)(s?)(?-u:\b)\s*",
    )
}

fn telegram_word_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"(?i)(?-u:\b)(circular\s+|flash\s+|niact\s+|priority\s+|immediate\s+|joint\s+state/defense\s+)?(telegrams?|cables?|messages?)\s+(?:nos?\.\s*)?",
    )
}

fn series_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        &format!(r"(?-u:\b)(?P<s>{SERIES}|CAP)(?P<pl>s?)\s+(?P<n>\d+)"),
    )
}

fn place_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    let names: Vec<&str> = PLACES.iter().map(|(p, _)| *p).collect();
    rx(
        &R,
        &format!(
            r"(?-u:\b)(?P<p>{})(?:’s|'s)?\s+(?:[Tt]el\s+)?(?P<n>\d{{2,7}})(?-u:\b)",
            names.join("|")
        ),
    )
}

fn possessive_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(
        &R,
        r"(?-u:\b)(?P<w>[Yy]our|[Mm]y|[Oo]ur|(?:Department|Dept|Embassy|Consulate|Consulate General|Legation|Mission|Delegation)(?:’s|'s))\s+(?:No\.\s*|number\s+)?(?P<n>\d{2,7})(?-u:\b)",
    )
}

fn ref_list_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    rx(&R, r"(?-u:\b)(?:Refs?|Reference|References)(?::|\s)\s*")
}

fn is_year(n: &str) -> bool {
    n.len() == 4
        && n.parse::<u32>()
            .map(|y| (1900..=2030).contains(&y))
            .unwrap_or(false)
}

fn overlaps(refs: &[CableReference], start: usize, end: usize) -> bool {
    refs.iter().any(|r| start < r.end && end > r.start)
}

/// Cables cited in a text, in order, with byte offsets.
pub fn find_references(text: &str) -> Vec<CableReference> {
    let mut refs: Vec<CableReference> = Vec::new();

    // 1. Telegram keywords: "Embtel 632", "urtels 853 Aug 10 and 856 Aug 12", "reftel".
    for c in keyword_re().captures_iter(text) {
        let (Some(m), Some(kw)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let keyword = match kw.as_str().to_lowercase().as_str() {
            "embtel" => CableKeyword::Embtel,
            "deptel" => CableKeyword::Deptel,
            "urtel" => CableKeyword::Urtel,
            "mytel" | "ourtel" => CableKeyword::Mytel,
            "circtel" => CableKeyword::Circtel,
            "reftel" => CableKeyword::Reftel,
            _ => CableKeyword::Telegram,
        };
        let sender = match keyword {
            CableKeyword::Deptel | CableKeyword::Circtel => Some("Department of State".to_string()),
            CableKeyword::Embtel => Some("Embassy".to_string()),
            _ => None,
        };
        let nums = parse_numbers(text, m.end(), false);
        if nums.is_empty() {
            let end = kw.end() + c.get(2).map(|p| p.len()).unwrap_or(0);
            // A bare "Embtel" without number says little; keep only reftel.
            if keyword == CableKeyword::Reftel && !overlaps(&refs, kw.start(), end) {
                refs.push(CableReference {
                    raw: text[kw.start()..end].to_string(),
                    start: kw.start(),
                    end,
                    keyword,
                    ..Default::default()
                });
            }
            continue;
        }
        for (i, n) in nums.iter().enumerate() {
            let start = if i == 0 { kw.start() } else { n.start };
            if overlaps(&refs, start, n.end) {
                continue;
            }
            refs.push(CableReference {
                raw: text[start..n.end].to_string(),
                start,
                end: n.end,
                number: n.number.clone(),
                series: n.series.clone(),
                keyword,
                sender: sender.clone(),
                circular: keyword == CableKeyword::Circtel,
                ..Default::default()
            });
        }
    }

    // 2. "telegram 1333 from Berlin", "Telegrams 20340/Delto 668 and 20347/Delto 689".
    for c in telegram_word_re().captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let circular = c
            .get(1)
            .is_some_and(|q| q.as_str().to_lowercase().starts_with("circular"));
        let nums = parse_numbers(text, m.end(), true);
        let Some(last) = nums.last() else { continue };
        // "Following are four cables … Cable 1. …": items of the document, not citations.
        let heading_like = m.as_str().starts_with(|ch: char| ch.is_uppercase())
            && nums.len() == 1
            && last.number.as_deref().is_some_and(|n| n.len() == 1)
            && text[last.end..].starts_with(". ");
        if heading_like {
            continue;
        }
        let (origin, destination) = origin_destination(text, last.end);
        // Members of one list may share a span ("1077–1078"): only earlier
        // matches of other patterns block them.
        let before = refs.len();
        for (i, n) in nums.iter().enumerate() {
            let start = if i == 0 { m.start() } else { n.start };
            if overlaps(&refs[..before], start, n.end) {
                continue;
            }
            let sender = origin.as_deref().and_then(sender_for).map(str::to_string);
            refs.push(CableReference {
                raw: text[start..n.end].to_string(),
                start,
                end: n.end,
                number: n.number.clone(),
                series: n.series.clone(),
                keyword: if circular {
                    CableKeyword::Circtel
                } else {
                    CableKeyword::Telegram
                },
                origin: origin.clone(),
                sender,
                destination: destination.clone(),
                circular,
            });
        }
    }

    // 3. Channel series alone: "Secto 10 from Geneva", "Tosecs 9 and 10", "CAP 82396".
    for c in series_re().captures_iter(text) {
        let (Some(m), Some(s)) = (c.name("n"), c.name("s")) else {
            continue;
        };
        let Some(all) = c.get(0) else { continue };
        if overlaps(&refs, all.start(), all.end()) {
            continue;
        }
        let mut nums = vec![(all.start(), m.end(), m.as_str().to_string())];
        // The rest of a list shares the series: "Tosecs 9 and 10", "Secto 8004, 8005, 8006".
        nums.extend(parse_list_after(text, m.end()));
        let (origin, destination) =
            origin_destination(text, nums.last().map(|n| n.1).unwrap_or(m.end()));
        for (st, en, num) in nums {
            if overlaps(&refs, st, en) {
                continue;
            }
            refs.push(CableReference {
                raw: text[st..en].to_string(),
                start: st,
                end: en,
                series: Some(format!("{} {num}", s.as_str())),
                keyword: CableKeyword::Series,
                sender: origin.as_deref().and_then(sender_for).map(str::to_string),
                origin: origin.clone(),
                destination: destination.clone(),
                ..Default::default()
            });
        }
    }

    // 4. "Paris 22390", "State 254715", "Berlin's 1733", "Berlin Tel 36".
    for c in place_re().captures_iter(text) {
        let (Some(all), Some(p), Some(n)) = (c.get(0), c.name("p"), c.name("n")) else {
            continue;
        };
        if overlaps(&refs, all.start(), all.end()) || is_year(n.as_str()) {
            continue;
        }
        // "rptd London 24", "repeated Saigon 5": the same telegram's number in another series.
        let before = text[..all.start()].trim_end().to_lowercase();
        if before.ends_with("rptd")
            || before.ends_with("repeated")
            || before.ends_with("repeated to")
            || before.ends_with("rptd to")
            || before.ends_with("passed")
        {
            continue;
        }
        // "Central Files 1964–66" style spans and times ("Paris 10:15") are not cables.
        let mut after = text[n.end()..].chars();
        if matches!(after.next(), Some(':' | '–' | '-' | '/' | '.'))
            && after.next().is_some_and(|ch| ch.is_ascii_digit())
        {
            continue;
        }
        let (_, destination) = origin_destination(text, n.end());
        refs.push(CableReference {
            raw: all.as_str().to_string(),
            start: all.start(),
            end: all.end(),
            number: Some(n.as_str().to_string()),
            keyword: CableKeyword::Place,
            origin: Some(p.as_str().to_string()),
            sender: sender_for(p.as_str()).map(str::to_string),
            destination,
            ..Default::default()
        });
    }

    // 5. "your 2061, December 8", "Department's 79, June 18", "my 429, June 10".
    for c in possessive_re().captures_iter(text) {
        let (Some(all), Some(w), Some(n)) = (c.get(0), c.name("w"), c.name("n")) else {
            continue;
        };
        if overlaps(&refs, all.start(), all.end()) || is_year(n.as_str()) {
            continue;
        }
        // A cable citation is followed by a date, a comma or a clause end,
        // unlike "our 20 years".
        let mut after = &text[n.end()..];
        let mut number = n.as_str().to_string();
        let mut end = all.end();
        // "our 967 [976]": the editors' correction is the number.
        if let Some(fix) = bracket_fix(after) {
            number = fix.0;
            end += fix.1;
            after = &text[end..];
        }
        let trimmed = after.trim_start();
        let ok = after.is_empty()
            || after.starts_with([',', '.', ';', ')'])
            || date_chunk(after).is_some()
            || trimmed.starts_with("to ")
            || trimmed.starts_with("from ")
            || trimmed.starts_with("of ") && date_chunk(&trimmed[2..]).is_some();
        if !ok {
            continue;
        }
        let word = w.as_str();
        let lower = word.to_lowercase();
        let (keyword, sender) = if lower.starts_with("your") {
            (CableKeyword::Urtel, None)
        } else if lower.starts_with("my") || lower.starts_with("our") {
            (CableKeyword::Mytel, None)
        } else if lower.starts_with("dep") {
            (
                CableKeyword::Possessive,
                Some("Department of State".to_string()),
            )
        } else {
            (CableKeyword::Possessive, Some("Embassy".to_string()))
        };
        refs.push(CableReference {
            raw: text[all.start()..end].to_string(),
            start: all.start(),
            end,
            number: Some(number),
            keyword,
            sender,
            ..Default::default()
        });
    }

    // 6. Items of "Ref:" lists in other series ("Ref: HC–LN 720718").
    static OTHER: OnceLock<Regex> = OnceLock::new();
    let other = rx(
        &OTHER,
        r"(?-u:\b)[A-Z]{2,}(?:[–-][A-Z]{2,})?\s+\d{3,}(?-u:\b)",
    );
    for m in ref_list_re().find_iter(text) {
        let tail = &text[m.end()..];
        let stop = tail
            .find(". ")
            .or_else(|| tail.find('\n'))
            .unwrap_or(tail.len());
        for o in other.find_iter(&tail[..stop]) {
            let (s, e) = (m.end() + o.start(), m.end() + o.end());
            if overlaps(&refs, s, e) {
                continue;
            }
            let raw = o.as_str().to_string();
            // Record groups and documents of other series ("NSC 152/2", "NIE 41–64") are no
            // cables.
            let prefix = raw.split_whitespace().next().unwrap_or("");
            let document_series = matches!(
                prefix,
                "RG" | "NSC" | "NIE" | "SNIE" | "NSAM" | "NSSM" | "NSDM" | "PRM" | "PD" | "JCSM"
            );
            if document_series || tail[o.end()..].starts_with('/') {
                continue;
            }
            refs.push(CableReference {
                raw: raw.clone(),
                start: s,
                end: e,
                series: Some(raw),
                keyword: CableKeyword::Other,
                ..Default::default()
            });
        }
    }

    refs.sort_by_key(|r| r.start);
    merge_pairs(text, refs)
}

/// " [976]" after a cited number: the corrected number and the bytes it takes.
fn bracket_fix(after: &str) -> Option<(String, usize)> {
    let rest = after.strip_prefix(" [")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || !rest[digits.len()..].starts_with(']') {
        return None;
    }
    Some((digits.clone(), 3 + digits.len()))
}

/// "Paris 21191 Delto 753": a number followed by its channel series is one cable, as if
/// written "21191/Delto 753".
fn merge_pairs(text: &str, refs: Vec<CableReference>) -> Vec<CableReference> {
    let mut out: Vec<CableReference> = Vec::with_capacity(refs.len());
    for r in refs {
        if let Some(prev) = out.last_mut() {
            let gap = text.get(prev.end..r.start).unwrap_or("x");
            let joinable = prev.series.is_none()
                && prev.number.is_some()
                && r.number.is_none()
                && r.keyword == CableKeyword::Series
                && gap.len() <= 2
                && gap.chars().all(|c| c == ' ' || c == '/' || c == '(');
            if joinable {
                prev.series = r.series;
                prev.end = r.end;
                prev.raw = text
                    .get(prev.start..prev.end)
                    .unwrap_or(&prev.raw)
                    .to_string();
                continue;
            }
        }
        out.push(r);
    }
    out
}

/// Numbers after a plural series ("Tosecs 9 and 10"): returns the list
/// members after the first.
fn parse_list_after(text: &str, pos: usize) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut p = pos;
    for _ in 0..12 {
        let Some(s) = list_sep_re().find(&text[p..]) else {
            break;
        };
        let st = p + s.end();
        let digits: String = text[st..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if digits.is_empty() {
            break;
        }
        let en = st + digits.len();
        out.push((st, en, digits));
        p = en;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(t: &str) -> Vec<String> {
        parse_identity(t).iter().map(|n| n.key()).collect()
    }

    fn refkeys(t: &str) -> Vec<String> {
        find_references(t).iter().map(|r| r.key()).collect()
    }

    #[test]
    fn identities() {
        assert_eq!(
            ids("21737/Delto 788. From Harriman and Vance."),
            vec!["21737/Delto 788"]
        );
        assert_eq!(
            ids("256008/Todel 1284. For Harriman."),
            vec!["256008/Todel 1284"]
        );
        assert_eq!(ids("2189. Please tell"), vec!["2189"]);
        assert_eq!(ids("164. Pignon told me"), vec!["164"]);
        assert_eq!(ids("1. The Lien Minh"), Vec::<String>::new());
        assert_eq!(ids("CAP 82396. The telephonic"), vec!["CAP 82396"]);
        assert_eq!(ids("Secto 21/1716. Eyes Only"), vec!["Secto 21/1716"]);
        assert_eq!(ids("No. 2040/68 1968 AS THE YEAR"), Vec::<String>::new());
        assert_eq!(ids("JCSM–537–65 1. (U)"), Vec::<String>::new());
        assert_eq!(ids("September 3, 1968. We met"), Vec::<String>::new());
    }

    #[test]
    fn references() {
        assert_eq!(
            refkeys("Reference: State 254715, Paris 22390."),
            vec!["254715", "22390"]
        );
        assert_eq!(
            refkeys("transmitted in telegram 21742/Delto 789 from Paris, October 2."),
            vec!["21742/Delto 789"]
        );
        let r = find_references("Telegram 1333 from Berlin");
        assert_eq!(r[0].origin.as_deref(), Some("Berlin"));
        assert_eq!(
            refkeys("Embtel 256 and Deptel 70; Urtel 2430"),
            vec!["256", "70", "2430"]
        );
        assert_eq!(
            refkeys("As instructed by reftel, Ambassador"),
            vec!["reftel"]
        );
        assert_eq!(
            refkeys("urtels 853 Aug 10 and 856 Aug 12."),
            vec!["853", "856"]
        );
        assert_eq!(refkeys("Circular telegram 1234"), vec!["1234"]);
        assert!(find_references("Circular telegram 1234")[0].circular);
        assert_eq!(refkeys("in Tosecs 9 and 10."), vec!["Tosec 9", "Tosec 10"]);
    }
}
