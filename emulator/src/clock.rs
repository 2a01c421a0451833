//! Wall-clock time in ACS's formats (`YYYY-MM-DD HH:MM:SS.mmmZ`, `YYYY-MM-DD`) and Privacy Service's.

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

/// `04/12/2025 04:08 PM GMT`, the form Privacy Service shows job dates in (minutes, 12-hour clock).
pub fn format_job_date(ms: i64) -> String {
    let (year, month, day) = civil_from_days(ms.div_euclid(MS_PER_DAY));
    let minutes = ms.rem_euclid(MS_PER_DAY) / 60_000;
    let (hour, minute) = (minutes / 60, minutes % 60);
    let half = if hour < 12 { "AM" } else { "PM" };
    let hour12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    format!("{month:02}/{day:02}/{year:04} {hour12:02}:{minute:02} {half} GMT")
}

/// The day (since the epoch, GMT) that `ms` falls on.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(MS_PER_DAY)
}

/// MS-DOS (time, date) as ZIP headers store them; dates before 1980 become 1980-01-01 00:00.
pub fn dos_datetime(ms: i64) -> (u16, u16) {
    let (year, month, day) = civil_from_days(ms.div_euclid(MS_PER_DAY));
    if !(1980..=2107).contains(&year) {
        return (0, (1 << 5) | 1);
    }
    let seconds = ms.rem_euclid(MS_PER_DAY) / 1000;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let time = u16::try_from((h << 11) | (m << 5) | (s / 2)).unwrap_or(0);
    let date = u16::try_from(((year - 1980) << 9) | (i64::from(month) << 5) | i64::from(day))
        .unwrap_or((1 << 5) | 1);
    (time, date)
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
    fn formats_job_dates_like_privacy_service() {
        // 2025-04-12 16:08:59 UTC, then just after midnight and just after noon.
        assert_eq!(
            format_job_date(1_744_474_139_000),
            "04/12/2025 04:08 PM GMT"
        );
        assert_eq!(format_job_date(60_000), "01/01/1970 12:01 AM GMT");
        assert_eq!(format_job_date(12 * 3_600_000), "01/01/1970 12:00 PM GMT");
        assert_eq!(dos_datetime(0), (0, 33));
        let (time, date) = dos_datetime(1_744_474_139_000);
        assert_eq!((time >> 11, (time >> 5) & 63, (time & 31) * 2), (16, 8, 58));
        assert_eq!((date >> 9, (date >> 5) & 15, date & 31), (45, 4, 12));
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
