//! Wall-clock time in ACS's formats: `YYYY-MM-DD HH:MM:SS.mmmZ` date-times and `YYYY-MM-DD` dates.

use std::time::{SystemTime, UNIX_EPOCH};

const MS_PER_DAY: i64 = 86_400_000;

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(elapsed) => i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
        Err(_) => 0,
    }
}

/// `2025-02-03 14:05:06.789Z`, the format ACS uses for `created` and `lastModified`.
pub fn format_datetime(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let in_day = ms.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02}.{milli:03}Z")
}

/// `YYYY-MM-DD` for a day count since the epoch.
pub fn format_date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Parses a `YYYY-MM-DD` date into (year, month, day), checking the calendar.
pub fn parse_date(text: &str) -> Option<(i64, u32, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i64 = digits(&text[0..4])?;
    let month: u32 = digits(&text[5..7])?;
    let day: u32 = digits(&text[8..10])?;
    let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
    valid.then_some((year, month, day))
}

/// Whole years between a birth date and the day `today_ms` falls on (ACS's computed `age`).
pub fn age_on(birth: (i64, u32, u32), today_ms: i64) -> i64 {
    let (year, month, day) = civil_from_days(today_ms.div_euclid(MS_PER_DAY));
    let mut age = year - birth.0;
    if (month, day) < (birth.1, birth.2) {
        age -= 1;
    }
    age.max(0)
}

/// Days since the epoch for a civil date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_datetimes_like_acs() {
        assert_eq!(format_datetime(0), "1970-01-01 00:00:00.000Z");
        // 2025-02-03 14:05:06.789 UTC
        assert_eq!(
            format_datetime(1_738_591_506_789),
            "2025-02-03 14:05:06.789Z"
        );
        assert_eq!(format_date(days_from_civil(2024, 2, 29)), "2024-02-29");
    }

    #[test]
    fn parses_only_real_dates() {
        assert_eq!(parse_date("1990-05-17"), Some((1990, 5, 17)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("1990-5-17"), None);
        assert_eq!(parse_date("+990-05-17"), None);
    }

    #[test]
    fn computes_age_in_whole_years() {
        let today = days_from_civil(2025, 6, 1) * MS_PER_DAY;
        assert_eq!(age_on((1990, 6, 1), today), 35);
        assert_eq!(age_on((1990, 6, 2), today), 34);
    }
}
