//! FRUS volume identifiers ("frus1964-68v06", "frus1949v07p1") derived from
//! printed citations ("1964–1968, vol. VI", "1949, vol. VII, Part 1").

use serde::{Deserialize, Serialize};

use crate::text::roman_to_u32;

/// The parts of a printed FRUS volume citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct VolumeSpec {
    /// Year or span as used in ids: "1949", "1964-68".
    pub years: String,
    /// Id fragment for subject volumes that carry one ("Russia", "Supp").
    pub subject: Option<String>,
    /// Volume number ("vol. XIV" → 14), if printed.
    pub volume: Option<u32>,
    /// Part number ("pt. 2" → 2), if printed.
    pub part: Option<u32>,
}

impl VolumeSpec {
    /// The history.state.gov volume id, e.g. `frus1949v07p1`.
    pub fn id(&self) -> String {
        let mut id = format!("frus{}", self.years);
        if let Some(s) = &self.subject {
            id.push_str(s);
        }
        if let Some(v) = self.volume {
            id.push_str(&format!("v{v:02}"));
        }
        if let Some(p) = self.part {
            id.push_str(&format!("p{p}"));
        }
        id
    }

    /// Parse an id such as `frus1961-63v15` back into its parts, so that a
    /// bare "vol. XIV" can be resolved within the same sub-series.
    pub fn from_id(id: &str) -> Option<VolumeSpec> {
        let rest = id.strip_prefix("frus")?;
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.len() != 4 {
            return None;
        }
        let mut years = digits.clone();
        let mut tail = &rest[4..];
        if let Some(t) = tail.strip_prefix('-') {
            let end: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
            years.push('-');
            years.push_str(&end);
            tail = &t[end.len()..];
        }
        let mut spec = VolumeSpec {
            years,
            ..Default::default()
        };
        // Subject letters run until a "v<digits>" volume marker.
        let mut subject = String::new();
        for (i, c) in tail.char_indices() {
            if c == 'v' && tail[i + 1..].starts_with(|d: char| d.is_ascii_digit()) {
                let num: String = tail[i + 1..]
                    .chars()
                    .take_while(|d| d.is_ascii_digit())
                    .collect();
                spec.volume = num.parse().ok();
                let after = &tail[i + 1 + num.len()..];
                if let Some(p) = after.strip_prefix('p') {
                    spec.part = p.parse().ok();
                }
                break;
            }
            subject.push(c);
        }
        if !subject.is_empty() {
            spec.subject = Some(subject);
        }
        Some(spec)
    }
}

/// "1964–1968" / "1964-68" / "1949" → "1964-68" / "1949".
pub fn normalize_years(s: &str) -> Option<String> {
    let s = s.trim();
    let start: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if start.len() != 4 {
        return None;
    }
    let rest = s[start.len()..].trim_start();
    let rest = rest
        .strip_prefix('–')
        .or_else(|| rest.strip_prefix('-'))
        .or_else(|| rest.strip_prefix('—'));
    let Some(rest) = rest else {
        return if s.len() == 4 { Some(start) } else { None };
    };
    let end: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    match end.len() {
        2 => Some(format!("{start}-{end}")),
        4 => {
            if end[..2] == start[..2] {
                Some(format!("{start}-{}", &end[2..]))
            } else {
                Some(format!("{start}-{end}"))
            }
        }
        _ => None,
    }
}

/// Volume or part number written as roman or arabic numerals.
pub fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim().trim_end_matches(['.', ',']);
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().filter(|n| *n > 0 && *n < 1000);
    }
    roman_to_u32(s).filter(|n| *n < 200)
}

/// Subject words that form part of a volume id.
pub fn subject_fragment(word: &str) -> Option<&'static str> {
    match word.trim() {
        "Supplement" | "supp." | "Supp." | "supp" | "Supp" => Some("Supp"),
        "Russia" => Some("Russia"),
        "Malta" | "Malta and Yalta" => Some("Malta"),
        "Potsdam" => Some("Potsdam"),
        "Guatemala" => Some("Guat"),
        "Iran" => Some("Iran"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(normalize_years("1964–1968").as_deref(), Some("1964-68"));
        assert_eq!(normalize_years("1964-68").as_deref(), Some("1964-68"));
        assert_eq!(normalize_years("1949").as_deref(), Some("1949"));
        assert_eq!(normalize_years("1899–1901").as_deref(), Some("1899-1901"));
        assert_eq!(normalize_years("19"), None);
    }

    #[test]
    fn ids() {
        let v = VolumeSpec {
            years: "1949".into(),
            volume: Some(7),
            part: Some(1),
            ..Default::default()
        };
        assert_eq!(v.id(), "frus1949v07p1");
        let back = VolumeSpec::from_id("frus1961-63v15");
        assert_eq!(back.map(|b| b.years), Some("1961-63".to_string()));
        let r = VolumeSpec::from_id("frus1918Russiav01");
        assert_eq!(
            r.as_ref().and_then(|b| b.subject.clone()).as_deref(),
            Some("Russia")
        );
        assert_eq!(r.and_then(|b| b.volume), Some(1));
    }
}
