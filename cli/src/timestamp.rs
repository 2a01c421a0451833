//! Timestamps in records: `receivedAt` as given (RFC 3339 or a date), `appliedAt` in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

/// A calendar day, as written in a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    /// Year (0000–9999).
    pub year: i32,
    /// Month 1–12.
    pub month: u8,
    /// Day of the month 1–31.
    pub day: u8,
}

/// Reads `receivedAt`: an RFC 3339 date-time (`2025-01-03T09:30:00-08:00`, `…Z`, fractions
/// allowed) or a full date (`2025-01-03`). The day of receipt is the date as written, in the
/// timestamp's own offset: that is the local day where the request was taken.
pub fn parse_received_at(text: &str) -> Result<Day, String> {
    let bad = || {
        "receivedAt must be an RFC 3339 date-time (2025-01-03T09:30:00Z) or a date (2025-01-03)"
            .to_owned()
    };
    let bytes = text.as_bytes();
    if bytes.len() < 10 {
        return Err(bad());
    }
    let day = parse_day(&bytes[..10]).ok_or_else(bad)?;
    if bytes.len() == 10 {
        return Ok(day);
    }
    if !matches!(bytes[10], b'T' | b't' | b' ') || !is_time(&bytes[11..]) {
        return Err(bad());
    }
    Ok(day)
}

/// `YYYY-MM-DD` with a day that exists in that month.
fn parse_day(bytes: &[u8]) -> Option<Day> {
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digits(&bytes[0..4])? as i32;
    let month = digits(&bytes[5..7])? as u8;
    let day = digits(&bytes[8..10])? as u8;
    (1..=12).contains(&month).then_some(())?;
    (1..=days_in_month(year, month))
        .contains(&day)
        .then_some(())?;
    Some(Day { year, month, day })
}

/// `HH:MM:SS[.frac](Z|±HH:MM)`.
fn is_time(bytes: &[u8]) -> bool {
    if bytes.len() < 9 || bytes[2] != b':' || bytes[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (
        digits(&bytes[0..2]),
        digits(&bytes[3..5]),
        digits(&bytes[6..8]),
    ) else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &bytes[8..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            matches!((digits(&[*h1, *h2]), digits(&[*m1, *m2])), (Some(h), Some(m)) if h <= 23 && m <= 59)
        }
        _ => false,
    }
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + u32::from(b - b'0'))
    })
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The current time in UTC: RFC 3339 to the second (`2025-01-06T17:04:05Z`) and its day.
pub fn utc_now() -> (String, Day) {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_from_unix(seconds)
}

/// A Unix time in UTC, as RFC 3339 text and its day.
pub fn utc_from_unix(seconds: u64) -> (String, Day) {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let day = civil_from_days(days);
    let text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        day.year,
        day.month,
        day.day,
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    (text, day)
}

/// The calendar day `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> Day {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Day { year, month, day }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u8, d: u8) -> Day {
        Day {
            year,
            month,
            day: d,
        }
    }

    #[test]
    fn received_at_accepts_rfc_3339_and_dates_keeping_the_written_day() {
        for (text, expected) in [
            ("2025-01-03", day(2025, 1, 3)),
            ("2025-01-03T23:30:00-08:00", day(2025, 1, 3)),
            ("2025-01-04T07:30:00Z", day(2025, 1, 4)),
            ("2024-02-29t00:00:00.123456z", day(2024, 2, 29)),
            ("2025-12-31 23:59:60+14:00", day(2025, 12, 31)),
        ] {
            assert_eq!(parse_received_at(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn received_at_refuses_other_shapes_and_impossible_days() {
        for text in [
            "",
            "2025-1-3",
            "2025-02-29",
            "2025-13-01",
            "03/01/2025",
            "2025-01-03T10:00",
            "2025-01-03T10:00:00",
            "2025-01-03T24:00:00Z",
            "2025-01-03T10:00:00.Z",
            "2025-01-03T10:00:00+0800",
            "2025-01-03X",
            "yesterday",
        ] {
            assert!(parse_received_at(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn unix_times_format_as_utc() {
        assert_eq!(utc_from_unix(0).0, "1970-01-01T00:00:00Z");
        let (text, d) = utc_from_unix(1_709_210_096);
        assert_eq!(text, "2024-02-29T12:34:56Z");
        assert_eq!(d, day(2024, 2, 29));
    }
}
