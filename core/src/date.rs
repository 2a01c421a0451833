//! A small civil (calendar) date for CCPA deadlines: strict ISO parsing, weekdays, day arithmetic.
//!
//! No clock and no time zones: a [`Date`] is the date as written (`YYYY-MM-DD`), which is what
//! the CCPA's "business days after receipt" counts. The arithmetic is Howard Hinnant's
//! days-from-civil algorithm over the proleptic Gregorian calendar, on `i64` with years limited
//! to four digits, so nothing in here can overflow or panic.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A calendar date from `0000-01-01` to `9999-12-31`, written and read as ISO `YYYY-MM-DD`.
///
/// Ordering is chronological. It serializes as its ISO string, and deserializes only from a
/// valid one.
///
/// ```
/// use ccpa_optout::{Date, Weekday};
///
/// let received = Date::parse("2025-01-03")?;
/// assert_eq!(received.weekday(), Weekday::Friday);
/// assert_eq!(received.add_days(29), Some(Date::parse("2025-02-01")?));
/// assert!(Date::parse("2025-02-29").is_err()); // 2025 is not a leap year
/// assert_eq!(Date::from_rfc3339("2025-01-03T23:59:59-08:00")?.to_string(), "2025-01-03");
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order gives the derived chronological `Ord`.
    year: u16,
    month: u8,
    day: u8,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl Weekday {
    /// Saturday and Sunday; every other day is a business day unless it is a holiday.
    pub const fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
}

/// Days between 0000-03-01 and 1970-01-01 in Hinnant's era arithmetic.
const EPOCH_SHIFT: i64 = 719_468;
const DAYS_PER_ERA: i64 = 146_097;

impl Date {
    /// The earliest representable date, `0000-01-01`.
    pub const MIN: Date = Date {
        year: 0,
        month: 1,
        day: 1,
    };
    /// The latest representable date, `9999-12-31`.
    pub const MAX: Date = Date {
        year: 9999,
        month: 12,
        day: 31,
    };

    /// The date `year-month-day`; a `Validation` error (field `date`) if it does not exist.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date> {
        if year > 9999 {
            return Err(invalid(format!("year {year} has more than four digits")));
        }
        if !(1..=12).contains(&month) {
            return Err(invalid(format!("month {month} is not 1 to 12")));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(invalid(format!(
                "day {day} does not exist in {year:04}-{month:02} (it has {last} days)"
            )));
        }
        Ok(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` (RFC 3339 `full-date`), checking that the day exists.
    ///
    /// Anything else — other separators, missing zeros, surrounding spaces, a time — is a
    /// `Validation` error with field `date`.
    pub fn parse(text: &str) -> Result<Date> {
        let bytes: &[u8; 10] = text
            .as_bytes()
            .try_into()
            .map_err(|_| invalid(format!("{text:?} is not a YYYY-MM-DD date")))?;
        let (year, month, day) = parse_full_date(bytes)
            .ok_or_else(|| invalid(format!("{text:?} is not a YYYY-MM-DD date")))?;
        Date::new(year, month, day)
    }

    /// As [`Date::parse`], the error naming `field` (the argument the text came from).
    pub fn parse_field(text: &str, field: &str) -> Result<Date> {
        Date::parse(text).map_err(|err| err.with_field(field))
    }

    /// Each of `texts` (a host's list of holidays) as in [`Date::parse_field`].
    pub fn parse_each(texts: &[impl AsRef<str>], field: &str) -> Result<Vec<Date>> {
        texts
            .iter()
            .map(|text| Date::parse_field(text.as_ref(), field))
            .collect()
    }

    /// The date part of an RFC 3339 `full-date` or `date-time`, e.g. `2025-01-03T09:30:00Z`.
    ///
    /// The whole text is validated (time, fraction, `Z` or `±hh:mm` offset; `T`, `t` or a
    /// space between date and time). The date is taken as written, in the timestamp's own
    /// offset: `2025-01-03T23:30:00-08:00` is 2025-01-03, the day the sender saw.
    pub fn from_rfc3339(text: &str) -> Result<Date> {
        let bad = || invalid(format!("{text:?} is not an RFC 3339 date or date-time"));
        let bytes = text.as_bytes();
        let date: &[u8; 10] = bytes
            .get(..10)
            .and_then(|head| head.try_into().ok())
            .ok_or_else(bad)?;
        let (year, month, day) = parse_full_date(date).ok_or_else(bad)?;
        let date = Date::new(year, month, day)?;
        match bytes.get(10..) {
            None | Some([]) => Ok(date),
            Some([b'T' | b't' | b' ', time @ ..]) if is_rfc3339_time(time) => Ok(date),
            Some(_) => Err(bad()),
        }
    }

    /// The year, 0 to 9999.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match self.days_since_epoch().rem_euclid(7) {
            0 => Weekday::Thursday,
            1 => Weekday::Friday,
            2 => Weekday::Saturday,
            3 => Weekday::Sunday,
            4 => Weekday::Monday,
            5 => Weekday::Tuesday,
            _ => Weekday::Wednesday,
        }
    }

    /// Days from 1970-01-01 to this date (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        // Years start on March 1st so the leap day is the last day of the year.
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let shifted_month = if month > 2 { month - 3 } else { month + 9 };
        let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT
    }

    /// The date `days` days from 1970-01-01, or `None` outside `0000-01-01..=9999-12-31`.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        if days < Date::MIN.days_since_epoch() || days > Date::MAX.days_since_epoch() {
            return None;
        }
        let shifted = days + EPOCH_SHIFT;
        let era = shifted.div_euclid(DAYS_PER_ERA);
        let day_of_era = shifted.rem_euclid(DAYS_PER_ERA);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Some(Date {
            year: u16::try_from(year).ok()?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        })
    }

    /// This date moved by `days` (negative goes back), or `None` outside the representable range.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch().checked_add(days)?)
    }

    /// The day `days` business days after this one: counted from the next day, Saturdays,
    /// Sundays and `holidays` not counting. Past 9999-12-31 it is [`Date::MAX`], the earlier
    /// and so stricter answer for a deadline.
    pub fn add_business_days(self, days: u32, holidays: &[Date]) -> Date {
        let mut holidays = holidays.to_vec();
        holidays.sort_unstable();
        let mut day = self;
        let mut counted = 0;
        while counted < days {
            let Some(next) = day.add_days(1) else {
                return Date::MAX;
            };
            day = next;
            if !day.weekday().is_weekend() && holidays.binary_search(&day).is_err() {
                counted += 1;
            }
        }
        day
    }

    /// The same day `years` years later, with February 29 becoming March 1 in a common year;
    /// `None` past 9999.
    pub fn add_years(self, years: u16) -> Option<Date> {
        let year = self.year.checked_add(years).filter(|y| *y <= 9999)?;
        if self.month == 2 && self.day == 29 && !is_leap_year(year) {
            return Some(Date {
                year,
                month: 3,
                day: 1,
            });
        }
        Some(Date { year, ..self })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = Error;

    fn from_str(text: &str) -> Result<Date> {
        Date::parse(text)
    }
}

// Kotlin and Swift see a date as its `YYYY-MM-DD` text, checked on its way back in.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(Date, String, {
    lower: |date| date.to_string(),
    try_lift: |text| Ok(Date::parse(&text)?),
});

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(|err| serde::de::Error::custom(err.message()))
    }
}

/// Whether `year` has a February 29 (Gregorian rule).
pub const fn is_leap_year(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn invalid(message: String) -> Error {
    Error::validation("date", message)
}

/// Year, month and day of `YYYY-MM-DD`, unchecked beyond being digits in the right places.
fn parse_full_date(bytes: &[u8; 10]) -> Option<(u16, u8, u8)> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *bytes else {
        return None;
    };
    let year = digits(&[y1, y2, y3, y4])?;
    let month = digits(&[m1, m2])?;
    let day = digits(&[d1, d2])?;
    Some((year, u8::try_from(month).ok()?, u8::try_from(day).ok()?))
}

/// The value of a run of ASCII digits (at most four, so it fits a `u16`).
fn digits(bytes: &[u8]) -> Option<u16> {
    bytes.iter().try_fold(0u16, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u16::from(byte - b'0'))
    })
}

/// RFC 3339 `full-time`: `hh:mm:ss[.fraction](Z|±hh:mm)`, seconds up to 60 (a leap second).
fn is_rfc3339_time(time: &[u8]) -> bool {
    let [h1, h2, b':', m1, m2, b':', s1, s2, rest @ ..] = time else {
        return false;
    };
    let in_range = |pair: [u8; 2], max: u16| digits(&pair).is_some_and(|v| v <= max);
    if !(in_range([*h1, *h2], 23) && in_range([*m1, *m2], 59) && in_range([*s1, *s2], 60)) {
        return false;
    }
    let offset = match rest {
        [b'.', fraction @ ..] => {
            let digits_len = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits_len == 0 {
                return false;
            }
            fraction.get(digits_len..).unwrap_or_default()
        }
        _ => rest,
    };
    match offset {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => in_range([*h1, *h2], 23) && in_range([*m1, *m2], 59),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_round_trip_over_the_whole_range() {
        let mut date = Date::MIN;
        let mut expected = Date::MIN.days_since_epoch();
        // Walk every day of the range one by one: the two algorithms must agree everywhere.
        while date < Date::MAX {
            let next = date.add_days(1).unwrap();
            expected += 1;
            assert_eq!(next.days_since_epoch(), expected, "after {date}");
            assert!(next > date);
            date = next;
        }
        assert_eq!(date, Date::MAX);
        assert_eq!(Date::MAX.add_days(1), None);
        assert_eq!(Date::MIN.add_days(-1), None);
        assert_eq!(Date::MIN.add_days(i64::MAX), None);
    }

    #[test]
    fn known_epoch_and_weekdays() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(
            Date::parse("2000-03-01").unwrap().days_since_epoch(),
            11_017
        );
        assert_eq!(
            Date::parse("2025-01-03").unwrap().weekday(),
            Weekday::Friday
        );
        assert_eq!(
            Date::parse("2024-02-29").unwrap().weekday(),
            Weekday::Thursday
        );
        assert_eq!(
            Date::parse("0000-01-01").unwrap().weekday(),
            Weekday::Saturday
        );
        assert_eq!(
            Date::parse("9999-12-31").unwrap().weekday(),
            Weekday::Friday
        );
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2025-02-29").is_err());
        assert!(Date::parse("2025-04-31").is_err());
        assert!(Date::parse("2025-00-10").is_err());
        assert!(Date::parse("2025-13-10").is_err());
        assert!(Date::parse("2025-01-00").is_err());
    }

    #[test]
    fn parse_is_strict() {
        for text in [
            "2025-1-03",
            "2025/01/03",
            " 2025-01-03",
            "2025-01-03 ",
            "+2025-01-03",
            "2025-01-03T00:00:00Z",
            "２０２５-01-03",
            "",
        ] {
            let err = Date::parse(text).unwrap_err();
            assert_eq!(err.field(), Some("date"), "{text:?}");
        }
    }

    #[test]
    fn rfc3339_takes_the_date_as_written() {
        for (text, date) in [
            ("2025-01-03", "2025-01-03"),
            ("2025-01-03T23:59:60Z", "2025-01-03"),
            ("2025-01-03t08:00:00.123456+05:30", "2025-01-03"),
            ("2025-01-03 23:30:00-08:00", "2025-01-03"),
        ] {
            assert_eq!(Date::from_rfc3339(text).unwrap().to_string(), date);
        }
        for text in [
            "2025-01-03T",
            "2025-01-03T24:00:00Z",
            "2025-01-03T10:00:00",
            "2025-01-03T10:00:00.Z",
            "2025-01-03T10:00:00+0800",
            "2025-01-03T10:00Z",
            "2025-02-30T10:00:00Z",
            "2025-01-03X10:00:00Z",
        ] {
            assert!(Date::from_rfc3339(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn add_years_moves_february_29_to_march_1() {
        let leap = Date::parse("2024-02-29").unwrap();
        assert_eq!(leap.add_years(1), Some(Date::parse("2025-03-01").unwrap()));
        assert_eq!(leap.add_years(4), Some(leap.with_year(2028)));
        assert_eq!(Date::MAX.add_years(1), None);
    }

    impl Date {
        fn with_year(self, year: u16) -> Date {
            Date { year, ..self }
        }
    }

    #[test]
    fn serde_uses_the_iso_string() {
        let date = Date::parse("2025-04-15").unwrap();
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2025-04-15\"");
        assert_eq!(
            serde_json::from_str::<Date>("\"2025-04-15\"").unwrap(),
            date
        );
        assert!(serde_json::from_str::<Date>("\"2025-04-31\"").is_err());
    }
}
