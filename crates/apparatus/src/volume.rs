//! FRUS volume identifiers ("frus1964-68v06", "frus1949v07p1") derived from
//! printed citations ("1964–1968, vol. VI", "1949, vol. VII, Part 1"). Ids themselves are
//! read and written by [`chancery_model::volume_id::VolumeId`].

use serde::{Deserialize, Serialize};

use chancery_model::roman::from_roman;
use chancery_model::volume_id::VolumeId;

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
        VolumeId::compose(&self.years, self.subject.as_deref(), self.volume, self.part)
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
    from_roman(s).filter(|n| *n < 200)
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
    fn numbers() {
        assert_eq!(parse_number("XIV"), Some(14));
        assert_eq!(parse_number("vi."), Some(6));
        assert_eq!(parse_number("29"), Some(29));
        assert_eq!(parse_number("Q"), None);
    }

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
    }
}
