//! ISO 8601 dates to UTC seconds, without a date-time dependency.
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
        _ => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// The precision a date was written with: what "the whole period" means for its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Year,
    Month,
    Day,
    Minute,
    Second,
}

/// A parsed ISO date: the first second it names (UTC) and its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsoDate {
    pub start: i64,
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
    fn bad_dates_say_why() {
        assert!(parse_iso("1968-13").unwrap_err().contains("month"));
        assert!(parse_iso("1968-02-30").unwrap_err().contains("day"));
        assert!(parse_iso("68").is_err());
        assert!(parse_iso("1968-10-01x").is_err());
    }
}
