//! The series-wide person authority: which persons-list entries of different volumes are one
//! person.
//!
//! Two entries are compared by their names read with [`crate::names`]: the surname, and the given
//! names in full or by initial ("Johnson, Lyndon B." / "Johnson, Lyndon Baines"), spelled or
//! transliterated differently ("Dobrynin, Anatoli F." / "Dobrynin, Anatoliy"), with or without a
//! rank ("Norstad, General Lauris"), a nickname or another form of the name in brackets, or in
//! the person's own order ("Ky, Nguyen Cao" / "Nguyen Cao Ky").
//!
//! The authority would rather miss a merge than join two people, so a name match is necessary
//! but not enough:
//!
//! * initials that disagree keep entries apart ("Rogers, William D." / "Rogers, William P."),
//!   as do generational suffixes (Jr. / III);
//! * a merge must fit every member of both groups (complete linkage), so "Brown, George" cannot
//!   join two different George Browns through a third entry;
//! * one volume never lists one person twice: when a volume has two entries a name fits
//!   equally well (two "Pham Van Dong"s), the name is ambiguous and joins neither;
//! * careers have an era and a country: entries whose dated careers span more than
//!   [`MAX_CAREER_YEARS`], or whose descriptions name different countries ("British Deputy
//!   Prime Minister" / "General, USAF"), stay apart;
//! * a name with no given names ("Tito, Marshal") joins only the one group that fits it, and a
//!   name that lacks given names another has ("Ball, George" / "Ball, George W.") joins only
//!   when it fits no other group that the fuller name excludes ("Christian, George" fits both
//!   "George A." and "George E.");
//! * agreement on a common name is weak evidence: where the archive lists
//!   [`CROWDED_SURNAME`] or more people of one surname with different first names (Anderson,
//!   Brown, Smith), a name that lacks given names the other has joins only when the two
//!   descriptions name the same office ("Smith, Bromley" / "Smith, Bromley K.", both "Executive
//!   Secretary of the National Security Council").
//!
//! Cross-reference entries ("Home" — "see Douglas-Home") join the entry they point to. Damaged
//! names (see [`Damage`]) are flagged: they never found a person of their own.

use std::collections::{BTreeMap, HashMap};

use chancery_model::volume_id::VolumeId;
use chancery_model::MONTH_NAMES;

use crate::names::{fold, Damage, Given, PersonName, Suffix};

/// The longest span of dated activity one person's entries may cover. Careers in FRUS run to
/// about half a century (Harriman, Kennan); namesakes decades apart exceed it.
pub const MAX_CAREER_YEARS: u32 = 60;

/// How many different first names one surname must carry in the archive before agreement on
/// that surname alone stops counting as evidence.
pub const CROWDED_SURNAME: usize = 3;

/// One persons-list entry, as the store holds it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The volume whose persons list holds the entry.
    pub volume: &'a str,
    /// The entry's id in that list (`p_HWA1`).
    pub id: &'a str,
    /// The name as the list prints it ("Harriman, W. Averell").
    pub name: &'a str,
    /// The description after the name (offices held, dates).
    pub description: &'a str,
}

/// Where an entry belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The authority id ("harriman-w-averell"): equal for entries that are one person.
    pub authority_id: String,
    /// Why the printed name is not a proper name, when it is not.
    pub damage: Option<Damage>,
}

/// How well two names agree, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Agreement {
    /// The same names, letter for letter once folded.
    Exact,
    /// An initial stands for the other's full name ("Lyndon B." / "Lyndon Baines").
    Expanded,
    /// A spelling, transliteration or short form ("Anatoli" / "Anatoliy", "Mike" / "Michael").
    Variant,
    /// One has given names the other lacks ("Ball, George" / "Ball, George W.").
    Thin,
    /// One has no given names at all ("Tito, Marshal").
    Bare,
}

/// The block keys of a name: entries are compared only within a block. Three letters of the
/// surname's skeleton, so spelling slips after them ("Dirkson", "Brehznev") stay in the
/// block.
pub fn block_keys(name: &PersonName) -> Vec<String> {
    let mut keys = Vec::new();
    let mut push = |w: &str| {
        let s = skeleton(w);
        if s.len() >= 2 {
            keys.push(s.chars().take(3).collect::<String>());
        }
    };
    for n in std::iter::once(name).chain(&name.aliases) {
        if n.natural {
            if let Some(f) = n.surname.first() {
                push(f);
            }
            if let Some(l) = n.surname.last() {
                push(l);
            }
        } else {
            for w in n.surname_core() {
                push(w);
            }
            push(&n.surname.concat());
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The block keys of a persons-list entry as the store files it: its name's, and for a
/// cross-reference ("see Douglas-Home") its target's too, so that the entry and its target are
/// always regrouped together. An entry with no usable name has the empty key.
pub fn keys(name: &str, description: &str) -> Vec<String> {
    let mut out: Vec<String> = PersonName::parse(name)
        .map(|n| block_keys(&n))
        .unwrap_or_default();
    if let Some(t) = see_target(description).and_then(PersonName::parse) {
        out.extend(block_keys(&t));
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// How well two names agree, if they can be one person's at all.
pub fn agreement(a: &PersonName, b: &PersonName) -> Option<Agreement> {
    let mut best: Option<Agreement> = None;
    for x in std::iter::once(a).chain(&a.aliases) {
        for y in std::iter::once(b).chain(&b.aliases) {
            if let Some(m) = agree_one(x, y) {
                best = Some(best.map_or(m, |b| b.min(m)));
            }
        }
    }
    best
}

fn agree_one(a: &PersonName, b: &PersonName) -> Option<Agreement> {
    if !suffixes_fit(a.suffix, b.suffix) {
        return None;
    }
    if a.natural || b.natural {
        return agree_words(a, b);
    }
    let surname = agree_surnames(a, b)?;
    let given = agree_given_with_nicknames(a, b)?;
    Some(surname.max(given))
}

fn suffixes_fit(a: Option<Suffix>, b: Option<Suffix>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// Names compared word by word, order aside: "Nguyen Cao Ky" / "Ky, Nguyen Cao", "Chiang
/// Kai-shek, Generalissimo" / "Chiang Kai-Shek".
fn agree_words(a: &PersonName, b: &PersonName) -> Option<Agreement> {
    if (!a.natural && a.has_initials()) || (!b.natural && b.has_initials()) {
        return None;
    }
    let (x, y) = (a.words(), b.words());
    if x.len() != y.len() || x.is_empty() {
        return None;
    }
    let xs: Vec<Given> = x.iter().map(|w| Given::Full((*w).to_string())).collect();
    let ys: Vec<Given> = y.iter().map(|w| Given::Full((*w).to_string())).collect();
    let m = match_lists(&xs, &ys, true)?;
    // Words out of order are still the same name; a spelling difference in one word of a
    // three-word Vietnamese name is not ("Nguyen Dinh Trinh" / "Nguyen Duy Trinh" kept apart by
    // the token rules themselves).
    Some(m.max(Agreement::Exact))
}

fn agree_surnames(a: &PersonName, b: &PersonName) -> Option<Agreement> {
    let (ja, jb) = (a.surname.concat(), b.surname.concat());
    if ja.is_empty() || jb.is_empty() {
        return None;
    }
    let (ca, cb) = (a.surname_core(), b.surname_core());
    if ja == jb || ca == cb {
        return Some(Agreement::Exact);
    }
    if skeleton(&ja) == skeleton(&jb) {
        return Some(Agreement::Variant);
    }
    if ja.len().min(jb.len()) >= 6 && damerau(&ja, &jb) <= 1 {
        return Some(Agreement::Variant);
    }
    // A letter lost in conversion ("DebrZ" for "Debré") is a one-letter difference by
    // definition, however short the word.
    let encoded = [a, b].iter().any(|n| n.damage == Some(Damage::Encoding));
    if encoded && ja.len().min(jb.len()) >= 4 && damerau(&ja, &jb) <= 1 {
        return Some(Agreement::Variant);
    }
    // Compound surnames: "Castro" / "Castro Ruz", "Home" / "Douglas-Home".
    let (short, long) = if ca.len() < cb.len() {
        (&ca, &cb)
    } else {
        (&cb, &ca)
    };
    if !short.is_empty()
        && short.len() < long.len()
        && short.iter().all(|s| {
            long.iter()
                .any(|l| words_agree(s, l) == Some(Agreement::Exact))
        })
    {
        return Some(Agreement::Thin);
    }
    None
}

fn agree_given_with_nicknames(a: &PersonName, b: &PersonName) -> Option<Agreement> {
    let mut best = agree_given(&a.given, &b.given);
    // "Mansfield, Mike" / "Mansfield, Michael J. “Mike”".
    for (x, y) in [(a, b), (b, a)] {
        for nick in &x.nicknames {
            // The nickname stands for the first given name: "Carter, James Earl (Jimmy)".
            let mut alt = vec![Given::Full(nick.clone())];
            alt.extend(x.given.iter().skip(1).cloned());
            if let Some(m) = agree_given(&alt, &y.given) {
                let m = m.max(Agreement::Variant);
                best = Some(best.map_or(m, |b| b.min(m)));
            }
        }
    }
    best
}

/// Given names: the shorter list must fit into the longer one name by name, in order or (for
/// "Dillon, C. Douglas" / "Dillon, Douglas C.") in any order.
fn agree_given(a: &[Given], b: &[Given]) -> Option<Agreement> {
    if a.is_empty() || b.is_empty() {
        return Some(if a.is_empty() && b.is_empty() {
            Agreement::Exact
        } else {
            Agreement::Bare
        });
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let m = match_lists(short, long, false)
        .or_else(|| match_lists(short, long, true).map(|m| m.max(Agreement::Variant)))?;
    Some(if short.len() < long.len() {
        m.max(Agreement::Thin)
    } else {
        m
    })
}

/// The best agreement of an assignment of every name of `short` to a different name of
/// `long`, in order unless `any_order`.
fn match_lists(short: &[Given], long: &[Given], any_order: bool) -> Option<Agreement> {
    fn go(
        short: &[Given],
        long: &[Given],
        used: &mut Vec<bool>,
        from: usize,
        any_order: bool,
    ) -> Option<Agreement> {
        let Some((first, rest)) = short.split_first() else {
            return Some(Agreement::Exact);
        };
        let mut best: Option<Agreement> = None;
        let start = if any_order { 0 } else { from };
        for j in start..long.len() {
            if used[j] {
                continue;
            }
            let Some(m) = given_agree(first, &long[j]) else {
                continue;
            };
            used[j] = true;
            if let Some(r) = go(rest, long, used, j + 1, any_order) {
                let total = m.max(r);
                best = Some(best.map_or(total, |b| b.min(total)));
            }
            used[j] = false;
        }
        best
    }
    let mut used = vec![false; long.len()];
    go(short, long, &mut used, 0, any_order)
}

fn given_agree(a: &Given, b: &Given) -> Option<Agreement> {
    match (a, b) {
        (Given::Full(x), Given::Full(y)) => words_agree(x, y),
        (Given::Initial(x), Given::Initial(y)) => (x == y).then_some(Agreement::Exact),
        (Given::Initial(i), Given::Full(w)) | (Given::Full(w), Given::Initial(i)) => {
            w.starts_with(*i).then_some(Agreement::Expanded)
        }
    }
}

/// Two folded words: the same, the same once transliteration is set aside, a short form, or a
/// one-letter slip in a long word ("Goerge", "Mikhal").
fn words_agree(a: &str, b: &str) -> Option<Agreement> {
    if a == b {
        return Some(Agreement::Exact);
    }
    if skeleton(a) == skeleton(b) || short_form(a, b) {
        return Some(Agreement::Variant);
    }
    if a.len().min(b.len()) >= 5 && damerau(a, b) <= 1 {
        return Some(Agreement::Variant);
    }
    None
}

/// English short forms of given names: the pairs a persons list uses for one person
/// ("Sir Alec" / "Sir Alexander Frederick", "Mike" / "Michael J.").
const SHORT_FORMS: &[(&str, &str)] = &[
    ("alec", "alexander"),
    ("alex", "alexander"),
    ("sandy", "alexander"),
    ("mike", "michael"),
    ("mickey", "michael"),
    ("jimmy", "james"),
    ("jim", "james"),
    ("jamie", "james"),
    ("ted", "edward"),
    ("ted", "theodore"),
    ("ed", "edward"),
    ("eddie", "edward"),
    ("ned", "edward"),
    ("tom", "thomas"),
    ("tommy", "thomas"),
    ("bill", "william"),
    ("billy", "william"),
    ("will", "william"),
    ("willie", "william"),
    ("bob", "robert"),
    ("bobby", "robert"),
    ("rob", "robert"),
    ("bert", "albert"),
    ("dick", "richard"),
    ("rick", "richard"),
    ("chip", "charles"),
    ("chuck", "charles"),
    ("charlie", "charles"),
    ("hal", "harold"),
    ("hal", "henry"),
    ("harry", "henry"),
    ("hank", "henry"),
    ("jack", "john"),
    ("johnny", "john"),
    ("joe", "joseph"),
    ("pete", "peter"),
    ("larry", "lawrence"),
    ("dan", "daniel"),
    ("danny", "daniel"),
    ("dave", "david"),
    ("don", "donald"),
    ("doug", "douglas"),
    ("fred", "frederick"),
    ("freddie", "frederick"),
    ("gene", "eugene"),
    ("jerry", "gerald"),
    ("jerry", "jerome"),
    ("ken", "kenneth"),
    ("les", "leslie"),
    ("liz", "elizabeth"),
    ("betty", "elizabeth"),
    ("peggy", "margaret"),
    ("maggie", "margaret"),
    ("matt", "matthew"),
    ("nick", "nicholas"),
    ("pat", "patrick"),
    ("ray", "raymond"),
    ("ron", "ronald"),
    ("sam", "samuel"),
    ("steve", "stephen"),
    ("tony", "anthony"),
    ("walt", "walter"),
    ("stan", "stanley"),
    ("andy", "andrew"),
    ("art", "arthur"),
    ("ben", "benjamin"),
    ("phil", "philip"),
    ("vic", "victor"),
    ("zbig", "zbigniew"),
];

fn short_form(a: &str, b: &str) -> bool {
    SHORT_FORMS
        .iter()
        .any(|(s, f)| (a == *s && b == *f) || (a == *f && b == *s))
}

/// A folded word with the spelling choices of romanisation levelled: "Tcherniakov" and
/// "Chernyakov", "Anatoliy" and "Anatoli", "Aleksei" and "Alexei", "Qadhafi" and "Qaddafi",
/// "Vasily" and "Vassily" come out the same.
pub fn skeleton(word: &str) -> String {
    let w = word
        .replace("tch", "ch")
        .replace('x', "ks")
        .replace("ck", "k")
        .replace("ph", "f")
        .replace("dh", "d")
        .replace("ou", "u")
        .replace('w', "v")
        .replace(['y', 'j'], "i");
    let chars: Vec<char> = w.chars().collect();
    let mut out = String::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let c = if c == 'c' {
            match chars.get(i + 1) {
                Some('h') => 'c',
                Some('e' | 'i') => 's',
                _ => 'k',
            }
        } else {
            c
        };
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Edit distance counting a swap of two neighbouring letters as one edit.
fn damerau(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// The country a description gives its person first ("British Deputy Prime Minister", "Soviet
/// Ambassador", "General, USAF"), when it opens with one.
pub fn country(description: &str) -> Option<&'static str> {
    const COUNTRIES: &[(&str, &str)] = &[
        ("british", "gb"),
        ("english", "gb"),
        ("scottish", "gb"),
        ("soviet", "su"),
        ("russian", "su"),
        ("french", "fr"),
        ("west german", "de"),
        ("east german", "dd"),
        ("german", "de"),
        ("italian", "it"),
        ("japanese", "jp"),
        ("chinese", "cn"),
        ("indian", "in"),
        ("pakistani", "pk"),
        ("israeli", "il"),
        ("egyptian", "eg"),
        ("canadian", "ca"),
        ("australian", "au"),
        ("south vietnamese", "vn"),
        ("north vietnamese", "vn"),
        ("vietnamese", "vn"),
        ("polish", "pl"),
        ("czechoslovak", "cs"),
        ("hungarian", "hu"),
        ("romanian", "ro"),
        ("yugoslav", "yu"),
        ("greek", "gr"),
        ("turkish", "tr"),
        ("iranian", "ir"),
        ("iraqi", "iq"),
        ("saudi", "sa"),
        ("jordanian", "jo"),
        ("syrian", "sy"),
        ("lebanese", "lb"),
        ("spanish", "es"),
        ("portuguese", "pt"),
        ("belgian", "be"),
        ("dutch", "nl"),
        ("netherlands", "nl"),
        ("swedish", "se"),
        ("norwegian", "no"),
        ("danish", "dk"),
        ("finnish", "fi"),
        ("austrian", "at"),
        ("swiss", "ch"),
        ("irish", "ie"),
        ("mexican", "mx"),
        ("cuban", "cu"),
        ("brazilian", "br"),
        ("argentine", "ar"),
        ("chilean", "cl"),
        ("south korean", "kr"),
        ("north korean", "kp"),
        ("korean", "kr"),
        ("thai", "th"),
        ("indonesian", "id"),
        ("philippine", "ph"),
        ("cambodian", "kh"),
        ("laotian", "la"),
        ("burmese", "mm"),
        ("afghan", "af"),
        ("nigerian", "ng"),
        ("south african", "za"),
        ("u.s.", "us"),
        ("american", "us"),
    ];
    let d = description.trim().to_lowercase();
    let d = d.strip_prefix("former ").unwrap_or(&d);
    for (adjective, code) in COUNTRIES {
        if let Some(rest) = d.strip_prefix(adjective) {
            if rest.starts_with([' ', ',']) {
                return Some(code);
            }
        }
    }
    // An American's service ("USA, Assistant to the Chairman…", "General, USAF").
    let head: Vec<&str> = d.split([',', ';']).take(2).map(str::trim).collect();
    if head.iter().any(|w| {
        matches!(
            *w,
            "usa" | "usaf" | "usn" | "usmc" | "usa (ret.)" | "usn (ret.)"
        )
    }) {
        return Some("us");
    }
    None
}

/// The offices a description names, without their dates: "Under Secretary of State to
/// September 30, 1966; Representative to the United Nations" → ["under secretary of state",
/// "representative to the united nations"].
pub fn offices(description: &str) -> Vec<String> {
    let lower = description.to_lowercase();
    let mut out = Vec::new();
    for clause in lower.split([';', ',', '(', ')']) {
        let mut words: Vec<&str> = Vec::new();
        let all: Vec<&str> = clause.split_whitespace().collect();
        for (k, w) in all.iter().enumerate() {
            let next = all.get(k + 1).copied().unwrap_or("");
            let dated = matches!(
                *w,
                "from" | "until" | "after" | "since" | "through" | "in" | "to"
            ) && (next.starts_with(|c: char| c.is_ascii_digit())
                || MONTH_NAMES
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(next.trim_end_matches(['.', ',']))));
            if dated || matches!(*w, "from" | "until" | "since") {
                break;
            }
            words.push(w);
        }
        while let Some(first) = words.first() {
            if matches!(
                *first,
                "thereafter" | "former" | "also" | "and" | "then" | "later"
            ) {
                words.remove(0);
            } else {
                break;
            }
        }
        let office = words.join(" ");
        if office.len() >= 4 && !office.starts_with(|c: char| c.is_ascii_digit()) {
            out.push(office);
        }
    }
    out
}

/// The years a description dates, or the volume's own years when it dates none.
fn era(entry: &Entry<'_>) -> Option<(u32, u32)> {
    let mut years = Vec::new();
    let bytes = entry.description.as_bytes();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let four = &bytes[i..i + 4];
        let bounded = (i == 0 || !bytes[i - 1].is_ascii_digit())
            && bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        if bounded && four.iter().all(u8::is_ascii_digit) {
            let y = four.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
            if (1776..=2100).contains(&y) {
                years.push(y);
            }
            i += 4;
        } else {
            i += 1;
        }
    }
    match (years.iter().min(), years.iter().max()) {
        (Some(&lo), Some(&hi)) => Some((lo, hi)),
        _ => VolumeId::parse(entry.volume).map(|v| (v.first_year, v.last_year)),
    }
}

/// A cross-reference entry's target: "see Douglas-Home" → "Douglas-Home".
fn see_target(description: &str) -> Option<&str> {
    let d = description.trim();
    let rest = d.strip_prefix("see ").or_else(|| d.strip_prefix("See "))?;
    let t = rest.trim().trim_end_matches('.').trim();
    (!t.is_empty()).then_some(t)
}

/// The slug of a name: its words, folded, joined by hyphens ("Harriman, W. Averell" →
/// "harriman-w-averell"); `None` when it has no letters.
pub fn slug(name: &str) -> Option<String> {
    let mut clean = String::with_capacity(name.len());
    let mut depth = 0usize;
    for ch in name.split(';').next().unwrap_or("").chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '“' | '”' | '"' => clean.push(' '),
            _ if depth == 0 => clean.push(ch),
            _ => {}
        }
    }
    let words: Vec<String> = clean
        .split(|c: char| !c.is_alphanumeric())
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect();
    if !words
        .iter()
        .any(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
    {
        return None;
    }
    Some(words.join("-"))
}

struct Parsed<'a> {
    entry: Entry<'a>,
    name: Option<PersonName>,
    damage: Option<Damage>,
    /// The entry of the same volume this cross-reference points to.
    see: Option<usize>,
    era: Option<(u32, u32)>,
    country: Option<&'static str>,
}

impl Parsed<'_> {
    /// Whether the entry takes part in matching across volumes: a name, not a pointer, not a
    /// fragment.
    fn matchable(&self) -> bool {
        self.see.is_none()
            && self.name.is_some()
            && !matches!(
                self.damage,
                Some(Damage::NotAName | Damage::BrokenReference)
            )
    }
}

/// Group the entries of many persons lists into persons. The result is parallel to `entries`
/// and depends only on the set of entries, not their order.
pub fn cluster(entries: &[Entry<'_>]) -> Vec<Membership> {
    let mut parsed: Vec<Parsed> = entries
        .iter()
        .map(|e| {
            let name = PersonName::parse(e.name);
            let damage = name.as_ref().map_or(Some(Damage::NotAName), |n| n.damage);
            Parsed {
                entry: *e,
                name,
                damage,
                see: None,
                era: era(e),
                country: country(e.description),
            }
        })
        .collect();
    let mut by_volume: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in parsed.iter().enumerate() {
        by_volume.entry(p.entry.volume).or_default().push(i);
    }
    resolve_cross_references(&mut parsed, &by_volume);

    let mut groups = Groups::new(parsed.len());
    for (i, p) in parsed.iter().enumerate() {
        if let Some(t) = p.see {
            groups.union(i, t);
        }
    }

    // Candidate pairs within blocks.
    let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in parsed.iter().enumerate() {
        if !p.matchable() {
            continue;
        }
        if let Some(n) = &p.name {
            for k in block_keys(n) {
                blocks.entry(k).or_default().push(i);
            }
        }
    }
    let mut pairs: Vec<(Agreement, usize, usize)> = Vec::new();
    let mut seen: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    for members in blocks.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let (i, j) = (i.min(j), i.max(j));
                if parsed[i].entry.volume == parsed[j].entry.volume || !seen.insert((i, j)) {
                    continue;
                }
                if let Some(m) = pair_agreement(&parsed, i, j) {
                    pairs.push((m, i, j));
                }
            }
        }
    }
    let key = |i: usize| (parsed[i].entry.volume, parsed[i].entry.id);
    pairs.sort_by(|a, b| (a.0, key(a.1), key(a.2)).cmp(&(b.0, key(b.1), key(b.2))));

    let ambiguous = |i: usize, j: usize, m: Agreement| -> bool {
        // Another entry of j's volume fits i as well (or better), or the other way round.
        for (x, y) in [(i, j), (j, i)] {
            let Some(others) = by_volume.get(parsed[y].entry.volume) else {
                continue;
            };
            for &o in others {
                if o != y
                    && parsed[o].matchable()
                    && pair_agreement(&parsed, x, o).is_some_and(|n| n <= m)
                {
                    return true;
                }
            }
        }
        false
    };

    // Every name each entry agrees with: a name that lacks given names is ambiguous when it
    // agrees with two that exclude each other.
    let mut partners: HashMap<usize, Vec<usize>> = HashMap::new();
    for &(_, i, j) in &pairs {
        partners.entry(i).or_default().push(j);
        partners.entry(j).or_default().push(i);
    }
    let thin_ambiguous = |i: usize, j: usize| -> bool {
        [(i, j), (j, i)].iter().any(|&(x, y)| {
            partners.get(&x).is_some_and(|ks| {
                ks.iter()
                    .any(|&k| k != y && pair_agreement(&parsed, y, k).is_none())
            })
        })
    };
    let crowded = crowded_surnames(&parsed);
    let weak_evidence = |i: usize, j: usize| -> bool {
        let common = [i, j].iter().all(|&x| {
            parsed[x]
                .name
                .as_ref()
                .is_some_and(|n| !n.natural && crowded.contains(&skeleton(&n.surname.concat())))
        });
        if !common {
            return false;
        }
        let a = offices(parsed[i].entry.description);
        let b = offices(parsed[j].entry.description);
        !a.iter().any(|o| b.contains(o))
    };

    let (named, bare): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|p| p.0 < Agreement::Bare);
    for (m, i, j) in named {
        if groups.find(i) == groups.find(j) || ambiguous(i, j, m) {
            continue;
        }
        if m == Agreement::Thin && (thin_ambiguous(i, j) || weak_evidence(i, j)) {
            continue;
        }
        if fits_together(&parsed, &groups, i, j) {
            groups.union(i, j);
        }
    }
    // A name without given names joins a group only when exactly one group fits it.
    let mut candidates: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (_, i, j) in &bare {
        let (thin, full) = if parsed[*i].name.as_ref().is_some_and(|n| n.given.is_empty()) {
            (*i, *j)
        } else {
            (*j, *i)
        };
        candidates.entry(thin).or_default().push(full);
    }
    for (thin, fulls) in candidates {
        let mut roots: Vec<usize> = fulls
            .iter()
            .map(|&f| groups.find(f))
            .filter(|&r| r != groups.find(thin))
            .collect();
        roots.sort_unstable();
        roots.dedup();
        if let [root] = roots[..] {
            if weak_evidence(thin, root) {
                continue;
            }
            if fits_together(&parsed, &groups, thin, root) {
                groups.union(thin, root);
            }
        }
    }

    name_groups(&parsed, &mut groups)
}

/// Surnames (by skeleton) that the archive lists with [`CROWDED_SURNAME`] or more different
/// first names.
fn crowded_surnames(parsed: &[Parsed<'_>]) -> std::collections::HashSet<String> {
    let mut firsts: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
    for p in parsed {
        let Some(n) = &p.name else { continue };
        if n.natural || !p.matchable() {
            continue;
        }
        if let Some(Given::Full(first)) = n.given.first() {
            firsts
                .entry(skeleton(&n.surname.concat()))
                .or_default()
                .insert(skeleton(first));
        }
    }
    firsts
        .into_iter()
        .filter(|(_, f)| f.len() >= CROWDED_SURNAME)
        .map(|(s, _)| s)
        .collect()
}

fn pair_agreement(parsed: &[Parsed<'_>], i: usize, j: usize) -> Option<Agreement> {
    let (a, b) = (parsed[i].name.as_ref()?, parsed[j].name.as_ref()?);
    agreement(a, b)
}

/// Point each cross-reference entry at the one entry of its volume it names; one that names no
/// entry is a broken reference.
fn resolve_cross_references(parsed: &mut [Parsed<'_>], by_volume: &BTreeMap<&str, Vec<usize>>) {
    for members in by_volume.values() {
        for &i in members {
            let Some(target) = see_target(parsed[i].entry.description) else {
                continue;
            };
            let wanted = PersonName::parse(target);
            let folded_target = fold(target);
            let hits: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&j| j != i && see_target(parsed[j].entry.description).is_none())
                .filter(|&j| {
                    let printed = parsed[j].entry.name;
                    let surname = printed.split(',').next().unwrap_or(printed);
                    fold(surname) == folded_target
                        || match (&wanted, &parsed[j].name) {
                            (Some(w), Some(n)) => {
                                agreement(w, n).is_some_and(|m| m < Agreement::Thin)
                            }
                            _ => false,
                        }
                })
                .collect();
            match hits[..] {
                [t] => parsed[i].see = Some(t),
                [] => {
                    parsed[i].damage.get_or_insert(Damage::BrokenReference);
                }
                _ => {}
            }
        }
    }
}

/// Whether the groups of `i` and `j` can be one person: every pair of members fits (names,
/// volumes, countries), and their careers together are not longer than a career.
fn fits_together(parsed: &[Parsed<'_>], groups: &Groups, i: usize, j: usize) -> bool {
    let (gi, gj) = (groups.members(i), groups.members(j));
    let mut lo = u32::MAX;
    let mut hi = 0;
    for &x in gi.iter().chain(&gj) {
        if let Some((a, b)) = parsed[x].era {
            lo = lo.min(a);
            hi = hi.max(b);
        }
    }
    if hi > lo && hi - lo > MAX_CAREER_YEARS {
        return false;
    }
    for &x in &gi {
        for &y in &gj {
            let (px, py) = (&parsed[x], &parsed[y]);
            if !px.matchable() || !py.matchable() {
                continue;
            }
            if px.entry.volume == py.entry.volume {
                return false;
            }
            if let (Some(a), Some(b)) = (px.country, py.country) {
                if a != b {
                    return false;
                }
            }
            if pair_agreement(parsed, x, y).is_none() {
                return false;
            }
        }
    }
    true
}

/// Name every group after its fullest member ("Johnson, Lyndon Baines" rather than "Johnson,
/// Lyndon B."): the longest undamaged printed name, the first in code-point order among equals
/// (the rule the store's `authority_persons` view names a person by, so id and name agree).
/// Names shared by two groups are numbered in the order of their first entry.
fn name_groups(parsed: &[Parsed<'_>], groups: &mut Groups) -> Vec<Membership> {
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..parsed.len() {
        by_root.entry(groups.find(i)).or_default().push(i);
    }
    let key = |i: usize| (parsed[i].entry.volume, parsed[i].entry.id);
    let mut named: Vec<(String, (&str, &str), Vec<usize>)> = by_root
        .into_values()
        .map(|members| {
            let first = members.iter().map(|&i| key(i)).min().unwrap_or(("", ""));
            let order = |i: usize| {
                let p = &parsed[i];
                (
                    p.damage.is_some(),
                    std::cmp::Reverse(p.entry.name.chars().count()),
                    p.entry.name,
                    key(i),
                )
            };
            let best = members
                .iter()
                .copied()
                .min_by(|&a, &b| order(a).cmp(&order(b)));
            let base = best
                .and_then(|b| slug(parsed[b].entry.name))
                .or_else(|| slug(first.1))
                .unwrap_or_else(|| "person".to_string());
            (base, first, members)
        })
        .collect();
    named.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut out = vec![
        Membership {
            authority_id: String::new(),
            damage: None,
        };
        parsed.len()
    ];
    let mut used: HashMap<String, usize> = HashMap::new();
    for (base, _, members) in named {
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        let id = if *n == 1 { base } else { format!("{base}-{n}") };
        for i in members {
            out[i] = Membership {
                authority_id: id.clone(),
                damage: parsed[i].damage,
            };
        }
    }
    out
}

/// Union–find over entry indices, keeping each group's members.
struct Groups {
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
}

impl Groups {
    fn new(n: usize) -> Groups {
        Groups {
            parent: (0..n).collect(),
            members: (0..n).map(|i| vec![i]).collect(),
        }
    }

    fn find(&self, mut i: usize) -> usize {
        while self.parent[i] != i {
            i = self.parent[i];
        }
        i
    }

    fn members(&self, i: usize) -> Vec<usize> {
        self.members[self.find(i)].clone()
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[gone] = keep;
        let moved = std::mem::take(&mut self.members[gone]);
        self.members[keep].extend(moved);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> PersonName {
        PersonName::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    fn agree(a: &str, b: &str) -> Option<Agreement> {
        agreement(&n(a), &n(b))
    }

    #[test]
    fn skeletons_level_romanisation() {
        for (a, b) in [
            ("tcherniakov", "chernyakov"),
            ("anatoliy", "anatoli"),
            ("aleksei", "alexei"),
            ("qadhafi", "qaddafi"),
            ("vasily", "vassily"),
            ("korniyenko", "kornienko"),
            ("georgii", "georgy"),
            ("nicolai", "nikolay"),
        ] {
            assert_eq!(skeleton(a), skeleton(b), "{a} {b}");
        }
        assert_ne!(skeleton("rowan"), skeleton("rowen"));
    }

    #[test]
    fn agreements_by_class() {
        use Agreement::*;
        assert_eq!(
            agree("Harriman, W. Averell", "Harriman, W. Averell"),
            Some(Exact)
        );
        assert_eq!(
            agree("Johnson, Lyndon B.", "Johnson, Lyndon Baines"),
            Some(Expanded)
        );
        assert_eq!(
            agree("Dobrynin, Anatoli F.", "Dobrynin, Anatoliy F."),
            Some(Variant)
        );
        assert_eq!(agree("Ball, George", "Ball, George W."), Some(Thin));
        assert_eq!(
            agree("Harriman, Averell", "Harriman, W. Averell"),
            Some(Thin)
        );
        assert_eq!(agree("Tito, Marshal", "Tito, Josip Broz"), Some(Bare));
        assert_eq!(agree("Ky, Nguyen Cao", "Nguyen Cao Ky"), Some(Exact));
        assert_eq!(
            agree("Chiang Kai-shek, Generalissimo", "Chiang Kai-Shek"),
            Some(Exact)
        );
        assert_eq!(
            agree("Sihanouk, Prince Norodom", "Norodom Sihanouk, Prince"),
            Some(Exact)
        );
        assert_eq!(
            agree("Dillon, Douglas C.", "Dillon, C. Douglas"),
            Some(Variant)
        );
        assert_eq!(
            agree("Mansfield, Mike", "Mansfield, Michael J."),
            Some(Thin)
        );
        assert_eq!(
            agree(
                "Douglas-Home, Sir Alec",
                "Douglas-Home, Sir Alexander Frederick"
            ),
            Some(Thin)
        );
        assert_eq!(agree("Castro, Fidel", "Castro Ruz, Fidel"), Some(Thin));
        assert_eq!(
            agree("de Gaulle, Charles", "DeGaulle, Charles"),
            Some(Exact)
        );
        assert_eq!(
            agree(
                "Sharansky, Natan (also Shcharansky, Anatoly)",
                "Shcharanskiy, Anatoly"
            ),
            Some(Variant)
        );
        assert_eq!(
            agree("Dirkson, Everett M.", "Dirksen, Everett M."),
            Some(Variant)
        );
    }

    #[test]
    fn guardrails_in_the_names() {
        // Conflicting initials, different given names, generations.
        for (a, b) in [
            ("Rogers, William D.", "Rogers, William P."),
            ("Johnson, Lyndon B.", "Johnson, U. Alexis"),
            ("Porter, Brigadier General R.W., Jr.", "Porter, William J."),
            ("Carter, J. Hodding, III", "Carter, James Earl (Jimmy)"),
            (
                "Zhukov, Georgii Konstantinovich",
                "Zhukov, Georgi (Yuri) A.",
            ),
            ("Stevenson, Adlai E., Jr.", "Stevenson, Adlai E., III"),
            ("Rowan, Carl T.", "Rowen, Henry S."),
            ("Kohl, Helmut", "Kohler, Foy D."),
            ("Nguyen Dinh Trinh", "Nguyen Van Thieu"),
        ] {
            assert_eq!(agree(a, b), None, "{a} / {b}");
        }
    }

    fn e<'a>(volume: &'a str, id: &'a str, name: &'a str, description: &'a str) -> Entry<'a> {
        Entry {
            volume,
            id,
            name,
            description,
        }
    }

    fn same(m: &[Membership], a: usize, b: usize) -> bool {
        m[a].authority_id == m[b].authority_id
    }

    #[test]
    fn clusters_merge_variants_and_keep_guardrails() {
        let entries = [
            e(
                "frus1964-68v14",
                "p_BG1",
                "Ball, George",
                "Under Secretary of State",
            ),
            e(
                "frus1961-63v05",
                "p_BGW1",
                "Ball, George W.",
                "Under Secretary of State",
            ),
            e(
                "frus1964-68v12",
                "p_BG1",
                "Brown, George",
                "British Deputy Prime Minister",
            ),
            e(
                "frus1977-80v01",
                "p_BGS1",
                "Brown, George S.",
                "General, USAF; Chairman of the JCS",
            ),
            e(
                "frus1964-68v03",
                "p_PVD1",
                "Pham Van Dong",
                "Prime Minister, DRV",
            ),
            e("frus1964-68v03", "p_PVD2", "Pham Van Dong", "General, ARVN"),
            e(
                "frus1964-68v07",
                "p_PVD1",
                "Pham Van Dong",
                "Premier of the DRV",
            ),
            e(
                "frus1981-88v05",
                "p_HHA1",
                "Holmes, H. Allen, Jr.",
                "Ambassador to Portugal",
            ),
            e(
                "frus1981-88v05",
                "p_HOW1",
                "Holmes, Oliver Wendell",
                "Justice from 1902 until 1932",
            ),
            e(
                "frus1977-80v01",
                "p_HOW1",
                "Holmes, Oliver",
                "Ambassador, 1979",
            ),
            e("frus1964-68v12", "p_H1", "Home", "see Douglas-Home"),
            e(
                "frus1964-68v12",
                "p_DHA1",
                "Douglas-Home, Sir Alec",
                "British Prime Minister",
            ),
            e(
                "frus1961-63v05",
                "p_DHAF1",
                "Douglas-Home, Sir Alexander Frederick",
                "British Secretary of State for Foreign Affairs",
            ),
            e("frus1964-68v07", "p_Loan.1", "Loan.", ""),
            e("frus1964-68v07", "p_TL1", "Thanh Le", "see Nguyen Thanh"),
            e(
                "frus1964-68v07",
                "p_T1",
                "Tito, Marshal",
                "President of Yugoslavia",
            ),
            e(
                "frus1977-80v01",
                "p_TJB1",
                "Tito, Josip Broz",
                "President of Yugoslavia",
            ),
        ];
        let m = cluster(&entries);
        assert!(same(&m, 0, 1), "Ball");
        assert!(!same(&m, 2, 3), "two George Browns");
        assert!(
            !same(&m, 4, 5) && !same(&m, 6, 4) && !same(&m, 6, 5),
            "ambiguous name"
        );
        assert!(!same(&m, 8, 9), "careers a lifetime apart");
        assert!(
            same(&m, 10, 11) && same(&m, 11, 12),
            "cross-reference and short form"
        );
        assert_eq!(m[13].damage, Some(Damage::NotAName));
        assert_eq!(m[14].damage, Some(Damage::BrokenReference));
        assert!(same(&m, 15, 16), "Tito");
        assert_eq!(m[0].authority_id, "ball-george-w");
        assert_eq!(m[12].authority_id, "douglas-home-sir-alexander-frederick");
        // Order does not matter.
        let mut rev = entries.to_vec();
        rev.reverse();
        let mr = cluster(&rev);
        for i in 0..entries.len() {
            assert_eq!(m[i], mr[entries.len() - 1 - i]);
        }
    }
}
