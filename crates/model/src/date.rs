//! Dates, the one home for them: the calendar (leap years, month lengths, day numbers), ISO 8601
//! strings to UTC seconds and back, and the parts of dates as FRUS prints them (month names and
//! abbreviations, calendar dates of any precision, times of day). No date-time dependency: the
//! archive needs proleptic Gregorian arithmetic and nothing else.
//!
//! The archive keeps dates as the source gave them: with a zone (`Z`, `-05:00`) or without one.
//! A time without a zone is taken as UTC. That is a documented convention, not a guess at the
//! writer's clock: FRUS dates without a zone are mostly whole days, and shifting them by a
//! hard-coded offset (as history.state.gov does with UTC−5) would move day boundaries.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil year of a UTC timestamp.
pub fn year_of(secs: i64) -> i64 {
    let z = secs.div_euclid(DAY) + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

/// Days in a month of a year.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

use serde::{Deserialize, Serialize};

/// How precisely a date was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatePrecision {
    /// A year only.
    Year,
    /// A month of a year.
    Month,
    /// A day.
    #[default]
    Day,
    /// A day and a time to the minute.
    Minute,
    /// A day and a time to the second.
    Second,
}

impl DatePrecision {
    /// The name serde writes, also the archive's column value: "year" … "second".
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Year => "year",
            DatePrecision::Month => "month",
            DatePrecision::Day => "day",
            DatePrecision::Minute => "minute",
            DatePrecision::Second => "second",
        }
    }

    /// The precision [`DatePrecision::as_str`] names; `None` for any other word.
    pub fn from_name(name: &str) -> Option<DatePrecision> {
        [
            DatePrecision::Year,
            DatePrecision::Month,
            DatePrecision::Day,
            DatePrecision::Minute,
            DatePrecision::Second,
        ]
        .into_iter()
        .find(|p| p.as_str() == name)
    }
}

use DatePrecision as Precision;

/// A parsed ISO date: the first second it names (UTC) and its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsoDate {
    /// Seconds since 1970-01-01T00:00:00 UTC of the first second the date names.
    pub start: i64,
    /// How much of the date was given: year, month, day, or a time.
    pub precision: Precision,
    /// Seconds to add to `start` to reach the last second of the period named (a day given as
    /// `1968-10-01` ends at 23:59:59).
    pub span: i64,
}

impl IsoDate {
    /// The last second of the period named.
    pub fn end(&self) -> i64 {
        self.start + self.span
    }
}

/// Parse `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]`, optionally followed by
/// `Z` or `±HH:MM` / `±HHMM`. Returns a message saying what was expected on failure.
pub fn parse_iso(s: &str) -> Result<IsoDate, String> {
    let b = s.as_bytes();
    let mut i = 0usize;
    let num = |i: &mut usize, n: usize, what: &str| -> Result<u32, String> {
        let part = b
            .get(*i..*i + n)
            .filter(|p| p.iter().all(u8::is_ascii_digit))
            .ok_or_else(|| format!("expected {n} digits for the {what}"))?;
        *i += n;
        Ok(part
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
    };
    let year = i64::from(num(&mut i, 4, "year")?);
    let mut month = 1u32;
    let mut day = 1u32;
    let (mut hour, mut minute, mut second) = (0u32, 0u32, 0u32);
    let mut precision = Precision::Year;
    if b.get(i) == Some(&b'-') {
        i += 1;
        month = num(&mut i, 2, "month")?;
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is not 01–12"));
        }
        precision = Precision::Month;
        if b.get(i) == Some(&b'-') {
            i += 1;
            day = num(&mut i, 2, "day")?;
            if day == 0 || day > days_in_month(year, month) {
                return Err(format!("day {day} does not exist in {year}-{month:02}"));
            }
            precision = Precision::Day;
            if matches!(b.get(i), Some(b'T') | Some(b't') | Some(b' ')) {
                i += 1;
                hour = num(&mut i, 2, "hour")?;
                if b.get(i) != Some(&b':') {
                    return Err("expected ':' and minutes after the hour".into());
                }
                i += 1;
                minute = num(&mut i, 2, "minute")?;
                precision = Precision::Minute;
                if b.get(i) == Some(&b':') {
                    i += 1;
                    second = num(&mut i, 2, "second")?;
                    precision = Precision::Second;
                    if b.get(i) == Some(&b'.') {
                        i += 1;
                        while b.get(i).is_some_and(u8::is_ascii_digit) {
                            i += 1;
                        }
                    }
                }
                if hour > 24 || minute > 59 || second > 60 {
                    return Err(format!(
                        "time {hour:02}:{minute:02}:{second:02} is out of range"
                    ));
                }
            }
        }
    }
    let mut offset = 0i64;
    match b.get(i) {
        None => {}
        Some(b'Z') | Some(b'z') => i += 1,
        Some(&sign @ (b'+' | b'-')) => {
            i += 1;
            let oh = num(&mut i, 2, "zone hours")?;
            if b.get(i) == Some(&b':') {
                i += 1;
            }
            let om = num(&mut i, 2, "zone minutes")?;
            let o = i64::from(oh) * 3600 + i64::from(om) * 60;
            offset = if sign == b'+' { o } else { -o };
        }
        Some(_) => {}
    }
    if i != b.len() {
        return Err(format!(
            "unexpected {:?} after the date",
            s.get(i..).unwrap_or_default()
        ));
    }
    let start = days_from_civil(year, month, day) * DAY
        + i64::from(hour) * 3600
        + i64::from(minute) * 60
        + i64::from(second)
        - offset;
    let span = match precision {
        Precision::Year => {
            (days_from_civil(year + 1, 1, 1) - days_from_civil(year, 1, 1)) * DAY - 1
        }
        Precision::Month => i64::from(days_in_month(year, month)) * DAY - 1,
        Precision::Day => DAY - 1,
        Precision::Minute => 59,
        Precision::Second => 0,
    };
    Ok(IsoDate {
        start,
        precision,
        span,
    })
}

/// Render UTC seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_utc(secs: i64) -> String {
    let days = secs.div_euclid(DAY);
    let rem = secs.rem_euclid(DAY);
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// English month names as FRUS datelines and headings print them, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The three-letter abbreviation of a month (1–12): "Jan", "Sep"; `None` outside 1–12.
pub fn month_abbreviation(month: u32) -> Option<&'static str> {
    let name = MONTH_NAMES.get(usize::try_from(month).ok()?.checked_sub(1)?)?;
    name.get(..3)
}

/// The month (1–12) a word names: a full name or one of the abbreviations FRUS prints ("Jan.",
/// "Sept.", "Sept", "Oct"), in any case. A trailing period or comma is ignored.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']);
    if w.len() < 3 {
        return None;
    }
    let lower = w.to_ascii_lowercase();
    for (i, name) in MONTH_NAMES.iter().enumerate() {
        let full = name.to_ascii_lowercase();
        // Full name, or an abbreviation of three or four letters ("Sept"), never "Mar" for
        // "March" spelt in full by another word ("Marshal" is not a month).
        if lower == full || (lower.len() <= 4 && full.starts_with(&lower)) {
            return u32::try_from(i + 1).ok();
        }
    }
    None
}

/// Whether a year is a leap year of the (proleptic) Gregorian calendar.
pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// A calendar date with the precision it was written with: a year, a month of a year, or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CalendarDate {
    /// The year.
    pub year: i32,
    /// 1–12, when the month was given.
    pub month: Option<u32>,
    /// 1–31, when the day was given.
    pub day: Option<u32>,
}

impl CalendarDate {
    /// A date that exists: a month 1–12, a day within its month (and never a day without a
    /// month).
    pub fn new(year: i32, month: Option<u32>, day: Option<u32>) -> Option<CalendarDate> {
        match (month, day) {
            (None, Some(_)) => return None,
            (Some(m), d) if !(1..=12).contains(&m) => {
                let _ = d;
                return None;
            }
            (Some(m), Some(d)) if d == 0 || d > days_in_month(i64::from(year), m) => return None,
            _ => {}
        }
        Some(CalendarDate { year, month, day })
    }

    /// `1968-10-02`, `1968-10` or `1968`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// The precision the date was written with.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The first and last instants the date covers, as ISO strings without a zone
    /// (`1968-10-02T00:00:00` … `1968-10-02T23:59:59`).
    pub fn bounds(&self) -> (String, String) {
        let year = i64::from(self.year);
        let (m0, m1) = self.month.map_or((1, 12), |m| (m, m));
        let d0 = self.day.unwrap_or(1);
        let d1 = self.day.unwrap_or_else(|| days_in_month(year, m1));
        (
            format!("{:04}-{m0:02}-{d0:02}T00:00:00", self.year),
            format!("{:04}-{m1:02}-{d1:02}T23:59:59", self.year),
        )
    }
}

/// A time of day as a dateline prints it: "2 p.m.", "1410Z", "noon", "midnight" (24:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TimeOfDay {
    /// 0–24 (24 only as 24:00, the midnight that ends a day).
    pub hour: u32,
    /// 0–59.
    pub minute: u32,
    /// Given in Zulu (GMT) time: "1410Z".
    pub zulu: bool,
}

impl TimeOfDay {
    /// A time of day, or `None` when it is not one (a minute over 59, an hour over 24, or 24 with
    /// minutes).
    pub fn new(hour: u32, minute: u32, zulu: bool) -> Option<TimeOfDay> {
        (hour < 24 && minute < 60 || hour == 24 && minute == 0).then_some(TimeOfDay {
            hour,
            minute,
            zulu,
        })
    }

    /// `14:10`, `14:10Z`.
    pub fn iso(&self) -> String {
        format!(
            "{:02}:{:02}{}",
            self.hour,
            self.minute,
            if self.zulu { "Z" } else { "" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for s in [
            "1861-04-12T00:00:00Z",
            "1968-10-02T14:10:00Z",
            "2000-02-29T23:59:59Z",
        ] {
            let d = parse_iso(s).unwrap();
            assert_eq!(format_utc(d.start), s);
        }
        assert_eq!(
            year_of(parse_iso("1968-12-31T23:59:59Z").unwrap().start),
            1968
        );
        assert_eq!(year_of(parse_iso("1969-01-01").unwrap().start), 1969);
    }

    #[test]
    fn zones_and_periods() {
        let a = parse_iso("1965-12-28T00:00:00-05:00").unwrap();
        assert_eq!(format_utc(a.start), "1965-12-28T05:00:00Z");
        let d = parse_iso("1968-10").unwrap();
        assert_eq!(format_utc(d.end()), "1968-10-31T23:59:59Z");
        let y = parse_iso("1968").unwrap();
        assert_eq!(format_utc(y.end()), "1968-12-31T23:59:59Z");
        // No zone: UTC by convention.
        assert_eq!(
            parse_iso("1968-10-02T00:00:00").unwrap().start,
            parse_iso("1968-10-02").unwrap().start
        );
    }

    #[test]
    fn printed_parts() {
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("october"), Some(10));
        assert_eq!(month_number("Jun"), Some(6));
        assert_eq!(month_number("Marshal"), None);
        assert_eq!(month_number("Ma"), None);
        assert_eq!(month_abbreviation(9), Some("Sep"));
        assert_eq!(month_abbreviation(5), Some("May"));
        assert_eq!(month_abbreviation(0), None);
        assert_eq!(month_abbreviation(13), None);
        let d = CalendarDate::new(1968, Some(2), Some(29));
        assert_eq!(d.map(|d| d.iso()).as_deref(), Some("1968-02-29"));
        assert_eq!(CalendarDate::new(1967, Some(2), Some(29)), None);
        assert_eq!(CalendarDate::new(1967, None, Some(2)), None);
        let m = CalendarDate::new(1968, Some(10), None).map(|d| d.bounds());
        assert_eq!(
            m,
            Some(("1968-10-01T00:00:00".into(), "1968-10-31T23:59:59".into()))
        );
        assert_eq!(
            TimeOfDay::new(14, 10, true).map(|t| t.iso()).as_deref(),
            Some("14:10Z")
        );
        assert_eq!(TimeOfDay::new(24, 1, false), None);
    }

    #[test]
    fn precision_names_are_serdes() {
        for p in [
            Precision::Year,
            Precision::Month,
            Precision::Day,
            Precision::Minute,
            Precision::Second,
        ] {
            let json = serde_json::to_string(&p).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
            assert_eq!(Precision::from_name(p.as_str()), Some(p));
        }
        assert_eq!(Precision::from_name("week"), None);
    }

    #[test]
    fn bad_dates_say_why() {
        assert!(parse_iso("1968-13").unwrap_err().contains("month"));
        assert!(parse_iso("1968-02-30").unwrap_err().contains("day"));
        assert!(parse_iso("68").is_err());
        assert!(parse_iso("1968-10-01x").is_err());
    }
}
