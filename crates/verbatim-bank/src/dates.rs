//! ISO dates: parsing, validation and day numbers.
//!
//! A document's date is stored as `YYYY-MM-DD`. Quote ids are ordered by date (see
//! [`quote_id`]), which lets full-text search stream newest-first and stop early.

use crate::error::{Error, Result};

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year, 1–9999.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn num(s: &str, what: &str, full: &str) -> Result<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(format!(
            "bad date {full:?}: the {what} is not a number; write dates as YYYY-MM-DD"
        )));
    }
    s.parse()
        .map_err(|_| Error::invalid(format!("bad date {full:?}: {what} out of range")))
}

impl Date {
    /// Parse a publication date as news metadata writes it; what follows the date (a time, a
    /// zone) is ignored, so the date is the one written, in the writer's zone:
    ///
    /// * ISO 8601, `2012-03-26` or `2012-03-26T10:00:00Z`, and `2012/03/26`;
    /// * compact, `20120326` or `20120326101500` (GDELT's form);
    /// * RFC 2822 as in RSS, `Mon, 26 Mar 2012 10:00:00 +0000`, and `26 March 2012`;
    /// * `March 26, 2012`, `Mar. 26, 2012`, `Sept. 26, 2016`.
    ///
    /// A month or a year alone (`2016-09`) is refused: it names no day.
    pub fn parse(s: &str) -> Result<Date> {
        let t = s.trim();
        // Four digits first: a year, so the numeric forms ("26 March 2012" starts with two).
        if t.len() >= 4 && t.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
            return Date::parse_numeric(s, t);
        }
        Date::parse_words(t).ok_or_else(|| {
            Error::invalid(format!(
                "bad date {s:?}: write dates as YYYY-MM-DD (RFC 2822 and \"March 26, 2012\" are read too)"
            ))
        })
    }

    /// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` and `YYYYMMDDhhmmss`, each with anything after
    /// a `T` or a space ignored.
    fn parse_numeric(s: &str, t: &str) -> Result<Date> {
        let date_part = t.split(['T', ' ']).next().unwrap_or("");
        let bad = |why: &str| Err(Error::invalid(format!("bad date {s:?}: {why}")));
        if date_part.bytes().all(|b| b.is_ascii_digit()) && matches!(date_part.len(), 8 | 14) {
            let year = num(&date_part[..4], "year", s)? as i32;
            let month = num(&date_part[4..6], "month", s)?;
            let day = num(&date_part[6..8], "day", s)?;
            return match Date::new(year, month, day) {
                Some(d) => Ok(d),
                None => bad("no such day; write dates as YYYY-MM-DD"),
            };
        }
        let sep = if date_part.contains('/') { '/' } else { '-' };
        let parts: Vec<&str> = date_part.split(sep).collect();
        if parts[0].len() != 4 {
            return bad("write dates as YYYY-MM-DD");
        }
        if parts.len() < 3
            && parts.get(1).map_or(true, |m| m.len() <= 2)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return bad("a month or a year is not a date; give the day (YYYY-MM-DD) or no date");
        }
        if parts.len() != 3 {
            return bad("write dates as YYYY-MM-DD");
        }
        let year = num(parts[0], "year", s)? as i32;
        let month = num(parts[1], "month", s)?;
        let day = num(parts[2], "day", s)?;
        match Date::new(year, month, day) {
            Some(d) => Ok(d),
            None => bad("no such day; write dates as YYYY-MM-DD"),
        }
    }

    /// A date with the month in words: `[Mon,] 26 Mar 2012 …`, `March 26, 2012 …`.
    fn parse_words(t: &str) -> Option<Date> {
        let mut words = t
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .peekable();
        if words.peek().is_some_and(|w| weekday(w)) {
            words.next();
        }
        let (a, b, y) = (words.next()?, words.next()?, words.next()?);
        let (month, day) = match (month_of(a), month_of(b)) {
            (Some(m), None) => (m, day_of(b)?),
            (None, Some(m)) => (m, day_of(a)?),
            _ => return None,
        };
        if y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Date::new(y.parse().ok()?, month, day)
    }

    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date { year, month, day })
    }

    /// Days since 0000-03-01, plus one (so that 0 can mean "no date"). Always ≥ 1.
    pub fn day_number(self) -> i64 {
        // Howard Hinnant's days_from_civil, shifted to an era starting at year 0.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let m = i64::from(self.month);
        let d = i64::from(self.day);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe + 1
    }

    /// The date of a [`Date::day_number`] (the inverse), or `None` outside years 1–9999.
    pub fn from_day_number(n: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days, with the same shift as `day_number`.
        let z = n - 1;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, month as u32, day as u32)
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The months' names, lower-case, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month's number from its name, whole or cut to three letters or more ("Sept.").
fn month_of(w: &str) -> Option<u32> {
    let w = w.strip_suffix('.').unwrap_or(w).to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(w.as_str()))
        .map(|i| i as u32 + 1)
}

/// A day of the month as written: `26`, `26th`, `1st`.
fn day_of(w: &str) -> Option<u32> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if digits.is_empty()
        || digits.len() > 2
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !matches!(suffix, "" | "st" | "nd" | "rd" | "th")
    {
        return None;
    }
    digits.parse().ok()
}

/// A day of the week, whole or cut to three letters, as RFC 2822 starts a date.
fn weekday(w: &str) -> bool {
    let w = w.strip_suffix('.').unwrap_or(w).to_ascii_lowercase();
    w.len() >= 3 && WEEKDAYS.iter().any(|d| d.starts_with(w.as_str()))
}

/// The days' names, lower-case.
pub(crate) const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Which end of a date range a filter bound is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// Inclusive lower bound: `2012` means 2012-01-01.
    Since,
    /// Inclusive upper bound: `2012` means 2012-12-31.
    Until,
}

/// Parse a filter bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn parse_bound(s: &str, bound: Bound) -> Result<Date> {
    let t = s.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let bad = || {
        Error::invalid(format!(
            "bad date {s:?}: write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2012-03-26)"
        ))
    };
    if parts[0].len() != 4 {
        return Err(bad());
    }
    let year = num(parts[0], "year", s)? as i32;
    let (month, day) = match (parts.len(), bound) {
        (1, Bound::Since) => (1, 1),
        (1, Bound::Until) => (12, 31),
        (2, _) => {
            let m = num(parts[1], "month", s)?;
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            match bound {
                Bound::Since => (m, 1),
                Bound::Until => (m, days_in_month(year, m)),
            }
        }
        (3, _) => (num(parts[1], "month", s)?, num(parts[2], "day", s)?),
        _ => return Err(bad()),
    };
    Date::new(year, month, day).ok_or_else(bad)
}

/// Bits of a quote id below the day number.
pub const SEQ_BITS: u32 = 32;

/// A quote id: the document's day number (0 when undated) in the high bits, a bank-wide
/// sequence number in the low 32. Ids therefore sort by date, then by ingest order.
pub fn quote_id(day: i64, seq: u64) -> i64 {
    (day << SEQ_BITS) | (seq as i64 & 0xFFFF_FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders() {
        let d = Date::parse("2012-03-26").unwrap();
        assert_eq!(d.iso(), "2012-03-26");
        assert_eq!(Date::parse("2012-03-26T10:00:00Z").unwrap(), d);
        assert!(Date::parse("2012-02-30").is_err());
        assert!(Date::parse("2012-3-26x").is_err());
        assert!(Date::parse("yesterday").is_err());
        assert!(Date::parse("").is_err());
        let a = Date::parse("1999-12-31").unwrap().day_number();
        let b = Date::parse("2000-01-01").unwrap().day_number();
        assert_eq!(b - a, 1);
        let c = Date::parse("2000-03-01").unwrap().day_number();
        assert_eq!(c - b, 60);
        assert!(Date::parse("0001-01-01").unwrap().day_number() >= 1);
    }

    /// The forms news metadata writes dates in.
    #[test]
    fn other_forms() {
        for s in [
            "2012-03-26",
            "2012/03/26",
            "20120326",
            "20120326101500",
            "2012-03-26 10:00",
            "2012/03/26 10:00",
            "20120326 101500",
            "Mon, 26 Mar 2012 10:00:00 +0000",
            "26 Mar 2012 23:59:59 GMT",
            "26 March 2012",
            "March 26, 2012",
            "Mar. 26, 2012",
            "march 26th, 2012, 10:31 a.m. EST",
            "Monday, March 26, 2012",
        ] {
            assert_eq!(Date::parse(s).unwrap().iso(), "2012-03-26", "{s:?}");
        }
        assert_eq!(Date::parse("Sept. 1, 2016").unwrap().iso(), "2016-09-01");
        assert_eq!(Date::parse("1st May 2016").unwrap().iso(), "2016-05-01");
        for s in [
            "March 2012",
            "Ma 26, 2012",
            "March 32, 2012",
            "Feb 30, 2012",
            "March 26, 12",
            "26 26 2012",
            "March 26th2, 2012",
            "20121326",
            "2012032",
            "Monday",
            "2012/03",
        ] {
            assert!(Date::parse(s).is_err(), "{s:?}");
        }
        // A month alone says why it is refused.
        let e = Date::parse("2016-09").unwrap_err().to_string();
        assert!(e.contains("month or a year is not a date"), "{e}");
        assert!(Date::parse("2016")
            .unwrap_err()
            .to_string()
            .contains("not a date"));
        let e = Date::parse("2012-086").unwrap_err().to_string();
        assert!(e.contains("YYYY-MM-DD") && !e.contains("month"), "{e}");
    }

    #[test]
    fn day_numbers_round_trip() {
        for s in [
            "0001-01-01",
            "1999-12-31",
            "2000-02-29",
            "2012-03-01",
            "9999-12-31",
        ] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_day_number(d.day_number()), Some(d), "{s}");
        }
        let first = Date::parse("1900-01-01").unwrap().day_number();
        for n in first..first + 200_000 {
            assert_eq!(Date::from_day_number(n).unwrap().day_number(), n);
        }
        assert_eq!(Date::from_day_number(0), None);
    }

    #[test]
    fn bounds() {
        assert_eq!(
            parse_bound("2012", Bound::Until).unwrap().iso(),
            "2012-12-31"
        );
        assert_eq!(
            parse_bound("2012-02", Bound::Until).unwrap().iso(),
            "2012-02-29"
        );
        assert_eq!(
            parse_bound("2012-02", Bound::Since).unwrap().iso(),
            "2012-02-01"
        );
        assert!(parse_bound("12", Bound::Since).is_err());
        assert!(parse_bound("2012-13", Bound::Since).is_err());
    }
}
