//! FRUS volume ids (`frus1964-68v07`, `frus1949v07p1`, `frus1918Russiav01`, `frus1861`): the
//! one place that reads them, and the rule for ids the archive accepts at all.

use std::fmt;

/// A FRUS volume id read into its parts. Ids are opaque to the Office of the Historian; these
/// parts are what the naming convention lets one read back.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VolumeId {
    raw: String,
    /// First and last year of the sub-series (`1964`, `1968`; equal for one year).
    pub first_year: u32,
    /// The last year of the sub-series.
    pub last_year: u32,
    /// Letters between the years and the volume mark ("Russia", "Supp", "China").
    pub subject: Option<String>,
    /// The volume number (`v07` → 7), if the id has one.
    pub volume: Option<u32>,
    /// The part of the volume (`p1` → 1), if the id has one.
    pub part: Option<u32>,
}

impl VolumeId {
    /// Read a FRUS id; `None` for an id that does not follow the convention (a local volume
    /// such as `unfiled`).
    pub fn parse(id: &str) -> Option<VolumeId> {
        let rest = id.strip_prefix("frus")?;
        let start: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if start.len() != 4 {
            return None;
        }
        let first_year: u32 = start.parse().ok()?;
        let mut tail = &rest[4..];
        let mut last_year = first_year;
        if let Some(t) = tail.strip_prefix('-') {
            let end: String = t.chars().take_while(char::is_ascii_digit).collect();
            last_year = match end.len() {
                2 => (first_year / 100) * 100 + end.parse::<u32>().ok()?,
                4 => end.parse().ok()?,
                _ => return None,
            };
            // "1899-1901"-style spans that cross a century are written in full.
            if last_year < first_year {
                last_year += 100;
            }
            tail = &t[end.len()..];
        }
        let mut id = VolumeId {
            raw: id.to_string(),
            first_year,
            last_year,
            subject: None,
            volume: None,
            part: None,
        };
        // Subject letters run until a "v<digits>" volume mark or a "p<digits>" part mark.
        let mut subject = String::new();
        let mut chars = tail;
        while let Some(c) = chars.chars().next() {
            let digits_after = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
            if c == 'v' && digits_after(&chars[1..]) > 0 {
                let n = digits_after(&chars[1..]);
                id.volume = chars[1..1 + n].parse().ok();
                chars = &chars[1 + n..];
                continue;
            }
            if c == 'p'
                && digits_after(&chars[1..]) > 0
                && (id.volume.is_some() || subject.is_empty())
            {
                let n = digits_after(&chars[1..]);
                id.part = chars[1..1 + n].parse().ok();
                chars = &chars[1 + n..];
                continue;
            }
            subject.push(c);
            chars = &chars[c.len_utf8()..];
        }
        if !subject.is_empty() {
            id.subject = Some(subject);
        }
        Some(id)
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The years exactly as the id writes them (`1964-68`, `1899-1901`, `1949`): the part a
    /// sibling volume's id shares.
    pub fn years_as_written(&self) -> &str {
        let rest = self.raw.get(4..).unwrap_or_default();
        let end = match rest.get(4..).and_then(|t| t.strip_prefix('-')) {
            Some(t) => 5 + t.bytes().take_while(u8::is_ascii_digit).count(),
            None => 4,
        };
        rest.get(..end).unwrap_or(rest)
    }

    /// The one year the volume covers, if it covers one (`frus1940v04` → 1940).
    pub fn single_year(&self) -> Option<u32> {
        (self.first_year == self.last_year).then_some(self.first_year)
    }

    /// The sub-series as printed: "1964–1968", "1949".
    pub fn years_label(&self) -> String {
        if self.first_year == self.last_year {
            self.first_year.to_string()
        } else {
            format!("{}–{}", self.first_year, self.last_year)
        }
    }

    /// Build the id of a volume from its parts, as the Office of the Historian spells them:
    /// years as in ids (`1964-68`, `1949`), an optional subject, two-digit volume, part.
    pub fn compose(
        years: &str,
        subject: Option<&str>,
        volume: Option<u32>,
        part: Option<u32>,
    ) -> String {
        let mut id = format!("frus{years}");
        if let Some(s) = subject {
            id.push_str(s);
        }
        if let Some(v) = volume {
            id.push_str(&format!("v{v:02}"));
        }
        if let Some(p) = part {
            id.push_str(&format!("p{p}"));
        }
        id
    }
}

impl fmt::Display for VolumeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// Longest volume or document id the archive accepts.
pub const MAX_ID_LEN: usize = 100;

/// Whether `id` may name a volume or a document in the archive: ASCII letters, digits, `-`, `_`
/// and `.`, not starting with a dot, at most [`MAX_ID_LEN`] bytes. This is the rule URLs are
/// built on (`/historicaldocuments/{volume}/{document}`), so an id that passes can always be
/// shown; `/`, `..`, spaces and other characters cannot.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_every_shape() {
        let v = VolumeId::parse("frus1964-68v07").unwrap();
        assert_eq!(
            (v.first_year, v.last_year, v.volume, v.part),
            (1964, 1968, Some(7), None)
        );
        assert_eq!(v.years_label(), "1964–1968");
        let v = VolumeId::parse("frus1949v07p1").unwrap();
        assert_eq!(
            (v.single_year(), v.volume, v.part),
            (Some(1949), Some(7), Some(1))
        );
        let v = VolumeId::parse("frus1918Russiav01").unwrap();
        assert_eq!((v.subject.as_deref(), v.volume), (Some("Russia"), Some(1)));
        let v = VolumeId::parse("frus1865p1").unwrap();
        assert_eq!((v.part, v.volume), (Some(1), None));
        let v = VolumeId::parse("frus1917Supp02v02").unwrap();
        assert_eq!(v.subject.as_deref(), Some("Supp02"));
        let v = VolumeId::parse("frus1899-1901").unwrap();
        assert_eq!(v.last_year, 1901);
        assert_eq!(v.years_as_written(), "1899-1901");
        let years = |id: &str| VolumeId::parse(id).map(|v| v.years_as_written().to_string());
        assert_eq!(years("frus1964-68v07").as_deref(), Some("1964-68"));
        assert_eq!(years("frus1949v07p1").as_deref(), Some("1949"));
        assert_eq!(years("frus1918Russiav01").as_deref(), Some("1918"));
        assert_eq!(VolumeId::parse("unfiled"), None);
        assert_eq!(
            VolumeId::compose("1949", None, Some(7), Some(1)),
            "frus1949v07p1"
        );
    }

    #[test]
    fn ids_the_archive_accepts() {
        assert!(is_valid_id("frus1964-68v07"));
        assert!(is_valid_id("d45"));
        assert!(!is_valid_id("a/b"));
        assert!(!is_valid_id(".."));
        assert!(!is_valid_id("d 45"));
        assert!(!is_valid_id(""));
    }
}
