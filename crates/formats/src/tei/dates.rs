//! ISO 8601 values as FRUS encodes them (`@when`, `@notBefore`, `frus:doc-dateTime-min`) turned
//! into [`DateInterval`]s, plus a UTC sort key for comparing values with different zones. The
//! calendar itself (month lengths, day numbers, a date's bounds) is [`chancery_model::date`]'s.

use chancery_model::date::{self, CalendarDate};
use chancery_model::{DateInterval, DatePrecision};

/// One parsed date or date-time, keeping the zone suffix exactly as written.
#[derive(Debug, Clone, PartialEq)]
struct Stamp<'s> {
    date: CalendarDate,
    /// (hour, minute, second); fractional seconds are dropped. Only with a day.
    time: Option<(u32, u32, u32)>,
    /// "Z", "-05:00", or "" when the source gave no zone.
    zone: &'s str,
}

impl Stamp<'_> {
    fn precision(&self) -> DatePrecision {
        match self.time {
            Some((_, _, s)) if s != 0 => DatePrecision::Second,
            Some(_) => DatePrecision::Minute,
            None => self.date.precision(),
        }
    }

    /// The first instant the value can stand for.
    fn lower(&self) -> String {
        match self.time {
            Some((h, mi, s)) => format!(
                "{:04}-{:02}-{:02}T{h:02}:{mi:02}:{s:02}{}",
                self.date.year,
                self.date.month.unwrap_or(1),
                self.date.day.unwrap_or(1),
                self.zone
            ),
            None => format!("{}{}", self.date.bounds().0, self.zone),
        }
    }

    /// The last second the value can stand for (an instant stands for itself).
    fn upper(&self) -> String {
        match self.time {
            Some(_) => self.lower(),
            None => format!("{}{}", self.date.bounds().1, self.zone),
        }
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Split a trailing zone (`Z`, `+hh:mm`, `-hh:mm`) off `s`.
fn split_zone(s: &str) -> Option<(&str, &str)> {
    if let Some(rest) = s.strip_suffix('Z') {
        return Some((rest, &s[rest.len()..]));
    }
    if s.len() > 6 && s.is_char_boundary(s.len() - 6) {
        let (body, zone) = s.split_at(s.len() - 6);
        if !zone.is_ascii() {
            return Some((s, ""));
        }
        let zb = zone.as_bytes();
        if (zb[0] == b'+' || zb[0] == b'-')
            && digits(&zone[1..3], 2).is_some_and(|h| h <= 14)
            && zb[3] == b':'
            && digits(&zone[4..6], 2).is_some_and(|m| m < 60)
        {
            return Some((body, zone));
        }
    }
    Some((s, ""))
}

fn parse(raw: &str) -> Option<Stamp<'_>> {
    let s = raw.trim();
    let (date_part, time_part) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    // A zone may follow the time, or the date itself (xs:date allows "1968-10-02-05:00").
    let (date_part, time_part, zone) = match time_part {
        Some(t) => {
            let (t, z) = split_zone(t)?;
            (date_part, Some(t), z)
        }
        None if date_part.len() > 10 => {
            let (d, z) = split_zone(date_part)?;
            (d, None, z)
        }
        None => (date_part.strip_suffix('Z').unwrap_or(date_part), None, ""),
    };
    let mut fields = date_part.split('-');
    let year = digits(fields.next()?, 4)? as i32;
    let month = match fields.next() {
        Some(m) => Some(digits(m, 2)?),
        None => None,
    };
    let day = match fields.next() {
        Some(d) => Some(digits(d, 2)?),
        None => None,
    };
    let date = CalendarDate::new(year, month, day)?;
    if fields.next().is_some() {
        return None;
    }
    let time = match time_part {
        Some(t) => {
            date.day?;
            let mut parts = t.split(':');
            let h = digits(parts.next()?, 2)?;
            let mi = digits(parts.next()?, 2)?;
            let sec = match parts.next() {
                Some(sec) => {
                    let whole = sec.split_once('.').map_or(sec, |(w, _)| w);
                    digits(whole, 2)?
                }
                None => 0,
            };
            if parts.next().is_some() || h > 24 || mi > 59 || sec > 60 {
                return None;
            }
            Some((h, mi, sec))
        }
        None => None,
    };
    Some(Stamp { date, time, zone })
}

/// The interval a single encoded value (`@when`) stands for: an instant for a date-time, the
/// whole day, month or year otherwise.
pub(crate) fn from_when(when: &str) -> Option<DateInterval> {
    let st = parse(when)?;
    Some(DateInterval {
        min: st.lower(),
        max: st.upper(),
        precision: st.precision(),
    })
}

/// The interval between two encoded bounds (`@notBefore`/`@notAfter`, `@from`/`@to`,
/// `frus:doc-dateTime-min/max`). The precision is what the pair spans: a whole day, month or
/// year when the bounds are its first and last second, else the precision of the lower bound.
pub(crate) fn from_bounds(lo: &str, hi: &str) -> Option<DateInterval> {
    let a = parse(lo)?;
    let b = parse(hi)?;
    let min = a.lower();
    let max = b.upper();
    let precision = if a.time.is_some() && b.time.is_some() {
        span_precision(&a, &b).unwrap_or_else(|| a.precision())
    } else {
        a.precision()
    };
    Some(DateInterval {
        min,
        max,
        precision,
    })
}

/// Recognise bounds that are exactly a whole day, month or year.
fn span_precision(a: &Stamp, b: &Stamp) -> Option<DatePrecision> {
    if a == b {
        return Some(a.precision());
    }
    let (a_date, b_date) = (&a.date, &b.date);
    if a.time != Some((0, 0, 0)) || b.time != Some((23, 59, 59)) || a_date.year != b_date.year {
        return None;
    }
    let (am, ad, bm, bd) = (a_date.month?, a_date.day?, b_date.month?, b_date.day?);
    if am == bm && ad == bd {
        Some(DatePrecision::Day)
    } else if am == bm && ad == 1 && bd == date::days_in_month(i64::from(b_date.year), bm) {
        Some(DatePrecision::Month)
    } else if am == 1 && ad == 1 && bm == 12 && bd == 31 {
        Some(DatePrecision::Year)
    } else {
        Some(DatePrecision::Day)
    }
}

/// Seconds since 1970-01-01T00:00:00Z of the value's first instant; values without a zone count
/// as UTC. Used only to order values written in different zones.
pub(crate) fn sort_key(value: &str) -> Option<i64> {
    let st = parse(value)?;
    let (h, mi, s) = st.time.unwrap_or((0, 0, 0));
    let days = date::days_from_civil(
        i64::from(st.date.year),
        st.date.month.unwrap_or(1),
        st.date.day.unwrap_or(1),
    );
    let offset = match st.zone {
        "" | "Z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let hh: i64 = z.get(1..3)?.parse().ok()?;
            let mm: i64 = z.get(4..6)?.parse().ok()?;
            sign * (hh * 3600 + mm * 60)
        }
    };
    Some(days * date::DAY + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s) - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_forms() {
        let i = from_when("1968-10-02T14:10:00Z").unwrap();
        assert_eq!(
            (i.min.as_str(), i.max.as_str(), i.precision),
            (
                "1968-10-02T14:10:00Z",
                "1968-10-02T14:10:00Z",
                DatePrecision::Minute
            )
        );
        let i = from_when("1968-10-02").unwrap();
        assert_eq!(
            (i.min.as_str(), i.max.as_str(), i.precision),
            (
                "1968-10-02T00:00:00",
                "1968-10-02T23:59:59",
                DatePrecision::Day
            )
        );
        let i = from_when("1968-02").unwrap();
        assert_eq!(i.max, "1968-02-29T23:59:59");
        assert_eq!(i.precision, DatePrecision::Month);
        let i = from_when("1968").unwrap();
        assert_eq!(
            (i.min.as_str(), i.max.as_str(), i.precision),
            (
                "1968-01-01T00:00:00",
                "1968-12-31T23:59:59",
                DatePrecision::Year
            )
        );
        let i = from_when("1965-12-28T18:40:00-05:00").unwrap();
        assert_eq!(i.min, "1965-12-28T18:40:00-05:00");
        let i = from_when("1968-09-30T20:15:30").unwrap();
        assert_eq!(i.precision, DatePrecision::Second);
        assert_eq!(
            from_when("1968-10-02-05:00").unwrap().max,
            "1968-10-02T23:59:59-05:00"
        );
        for bad in [
            "",
            "68",
            "1968-13",
            "1968-02-30",
            "1968-10-02T25:00",
            "x1968",
        ] {
            assert!(from_when(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn bounds_precision() {
        let i = from_bounds("1965-12-28T00:00:00-05:00", "1965-12-28T23:59:59-05:00").unwrap();
        assert_eq!(i.precision, DatePrecision::Day);
        let i = from_bounds("1861-01-01T00:00:00-05:00", "1861-12-31T23:59:59-05:00").unwrap();
        assert_eq!(i.precision, DatePrecision::Year);
        let i = from_bounds("1949-01-14T08:00:00-05:00", "1949-01-14T08:00:00-05:00").unwrap();
        assert_eq!(i.precision, DatePrecision::Minute);
        let i = from_bounds("1949-01-03", "1949-12-31").unwrap();
        assert_eq!(i.max, "1949-12-31T23:59:59");
    }

    #[test]
    fn sort_keys_respect_zones() {
        let a = sort_key("1949-03-03T00:00:00+12:00").unwrap();
        let b = sort_key("1949-03-02T13:00:00Z").unwrap();
        assert_eq!(a + 3600, b);
        assert_eq!(sort_key("1970-01-01"), Some(0));
    }
}
