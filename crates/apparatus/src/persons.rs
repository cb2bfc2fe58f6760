//! Names of people as FRUS prints them: the surname of a persons-list entry, and the link from a
//! bare name in a heading or text ("Rostow", "President Johnson", "Rusk’s") to the volume's
//! persons list.
//!
//! A bare name is linked only when exactly one entry of the volume's list fits: its surname, and
//! the given name where the text prints one. "Johnson" in a volume that lists both Lyndon B. and
//! U. Alexis stays an unresolved name rather than a guess: a wrong link would put a document
//! under the wrong person in every count.

use std::collections::HashMap;

use chancery_model::GlossaryEntry;

/// Words that precede a name without being part of it ("President Johnson", "Ambassador
/// Reischauer", "Mr. Rusk").
const TITLES: &[&str] = &[
    "Mr.",
    "Mrs.",
    "Miss",
    "Ms.",
    "Dr.",
    "Sir",
    "Lord",
    "General",
    "Gen.",
    "Admiral",
    "Adm.",
    "Ambassador",
    "Amb.",
    "President",
    "Secretary",
    "Senator",
    "Governor",
    "Chairman",
    "Premier",
    "Minister",
    "Prime",
    "Foreign",
    "Vice",
    "Under",
    "Deputy",
    "Assistant",
    "Acting",
    "Colonel",
    "Col.",
    "Captain",
    "Capt.",
    "Major",
    "Judge",
    "Justice",
    "Representative",
    "Congressman",
    "Chancellor",
    "King",
    "Queen",
    "Emperor",
    "Prince",
    "Count",
    "Baron",
    "Marshal",
    "Commander",
    "Director",
    "Counselor",
    "Consul",
    "Professor",
    "Prof.",
];

pub use crate::names::fold;

/// The surname of a persons-list entry: the part before the first comma ("Harriman, W.
/// Averell" → "Harriman"); an entry printed without a comma ("Nguyen Cao Ky") has none.
pub fn entry_surname(name: &str) -> Option<&str> {
    let (surname, _) = name.split_once(',')?;
    let s = surname.trim();
    (!s.is_empty()).then_some(s)
}

/// The given names of an entry ("Harriman, W. Averell" → ["W.", "Averell"]), without titles
/// and ranks.
pub fn entry_given(name: &str) -> Vec<&str> {
    name.split_once(',')
        .map(|(_, rest)| {
            rest.split(',')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .filter(|w| !TITLES.contains(w))
                .collect()
        })
        .unwrap_or_default()
}

/// Split a name as it appears in text into given names and surname: "President Johnson" →
/// ([], "Johnson"); "Dean Rusk" → (["Dean"], "Rusk"); "Rusk’s" → ([], "Rusk").
fn bare_parts(surface: &str) -> Option<(Vec<&str>, String)> {
    let words: Vec<&str> = surface
        .split_whitespace()
        .filter(|w| !TITLES.contains(w))
        .collect();
    let (last, given) = words.split_last()?;
    let surname = last
        .trim_end_matches(['.', ',', ';', ':'])
        .trim_end_matches("’s")
        .trim_end_matches("'s")
        .trim_end_matches(['’', '\'']);
    if !surname.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    Some((given.to_vec(), surname.to_string()))
}

/// Whether given names printed in text fit an entry's: each printed name matches the entry's
/// name in the same place in full, or by its initial.
fn given_fits(printed: &[&str], entry: &[&str]) -> bool {
    printed.iter().enumerate().all(|(i, p)| {
        let Some(e) = entry.get(i) else {
            return false;
        };
        let (p, e) = (fold(p), fold(e));
        p == e || (p.len() == 1 && e.starts_with(&p)) || (e.len() == 1 && p.starts_with(&e))
    })
}

/// A persons list keyed by folded surname, for linking many bare names of one volume without
/// scanning the list for each: [`PersonsIndex::link`] answers what [`link`] answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonsIndex {
    /// Folded surname → (entry id, given names as the list prints them), in list order.
    by_surname: HashMap<String, Vec<(String, Vec<String>)>>,
}

impl PersonsIndex {
    /// Index the entries `(id, name as printed)` of one persons list.
    pub fn new<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> PersonsIndex {
        let mut by_surname: HashMap<String, Vec<(String, Vec<String>)>> = HashMap::new();
        for (id, name) in entries {
            if let Some(s) = entry_surname(name) {
                let given = entry_given(name).into_iter().map(str::to_string).collect();
                by_surname
                    .entry(fold(s))
                    .or_default()
                    .push((id.to_string(), given));
            }
        }
        PersonsIndex { by_surname }
    }

    /// Index a volume's persons list.
    pub fn of(glossary: &[GlossaryEntry]) -> PersonsIndex {
        PersonsIndex::new(glossary.iter().map(|e| (e.id.as_str(), e.name.as_str())))
    }

    /// The id of the one entry a bare name in text fits, if exactly one does.
    pub fn link(&self, surface: &str) -> Option<&str> {
        let (given, surname) = bare_parts(surface)?;
        let key = fold(&surname);
        if key.is_empty() {
            return None;
        }
        let candidates = self.by_surname.get(&key)?;
        let mut fitting = candidates.iter().filter(|(_, entry)| {
            let entry: Vec<&str> = entry.iter().map(String::as_str).collect();
            given_fits(&given, &entry)
        });
        match (fitting.next(), fitting.next()) {
            (Some((id, _)), None) => Some(id.as_str()),
            _ => None,
        }
    }
}

/// The id of the one entry of `glossary` a bare name in text fits, if exactly one does.
pub fn link<'g>(surface: &str, glossary: &'g [GlossaryEntry]) -> Option<&'g str> {
    let (given, surname) = bare_parts(surface)?;
    let key = fold(&surname);
    if key.is_empty() {
        return None;
    }
    let mut found: Option<&'g str> = None;
    for e in glossary {
        let Some(s) = entry_surname(&e.name) else {
            continue;
        };
        if fold(s) != key || !given_fits(&given, &entry_given(&e.name)) {
            continue;
        }
        if found.is_some() {
            return None;
        }
        found = Some(e.id.as_str());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(id: &str, name: &str) -> GlossaryEntry {
        GlossaryEntry {
            id: id.into(),
            name: name.into(),
            description: String::new(),
        }
    }

    #[test]
    fn bare_names_link_when_one_entry_fits() {
        let list = vec![
            g("p_JLB1", "Johnson, Lyndon Baines"),
            g("p_JUA1", "Johnson, U. Alexis"),
            g("p_RD1", "Rusk, Dean"),
            g("p_RWW1", "Rostow, Walt W."),
            g("p_DZM1", "Debré, Michel"),
        ];
        assert_eq!(link("Rostow", &list), Some("p_RWW1"));
        assert_eq!(link("Secretary Rusk", &list), Some("p_RD1"));
        assert_eq!(link("Rusk’s", &list), Some("p_RD1"));
        assert_eq!(link("Dean Rusk", &list), Some("p_RD1"));
        assert_eq!(link("Johnson", &list), None);
        assert_eq!(link("Lyndon Johnson", &list), Some("p_JLB1"));
        assert_eq!(link("U. Alexis Johnson", &list), Some("p_JUA1"));
        assert_eq!(link("Debre", &list), Some("p_DZM1"));
        assert_eq!(link("Thieu", &list), None);
        assert_eq!(link("the", &list), None);
        // The index answers exactly what the scan answers, for each of these forms.
        let index = PersonsIndex::of(&list);
        for surface in [
            "Rostow",
            "Secretary Rusk",
            "Rusk’s",
            "Rusk’s,",
            "Dean Rusk",
            "Johnson",
            "Lyndon Johnson",
            "U. Alexis Johnson",
            "Debre",
            "Thieu",
            "the",
            "",
        ] {
            assert_eq!(index.link(surface), link(surface, &list), "{surface:?}");
        }
    }
}
