//! Business-day arithmetic on calendar days (stand-in until the core's `Date` lands).

use crate::timestamp::Day;

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(day: Day) -> i64 {
    let year = i64::from(day.year) - i64::from(day.month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(day.month);
    let doy =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day 15 business days after `received`: counting Monday to Friday from the next day,
/// skipping `holidays` (sorted).
pub fn opt_out_due_date(received: Day, holidays: &[Day]) -> Day {
    let mut days = days_from_civil(received);
    let mut counted = 0;
    while counted < 15 {
        days += 1;
        let day = crate::timestamp::utc_from_unix((days * 86_400) as u64).1;
        // 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays.
        let weekday = (days + 3).rem_euclid(7);
        if weekday < 5 && holidays.binary_search(&day).is_err() {
            counted += 1;
        }
    }
    crate::timestamp::utc_from_unix((days * 86_400) as u64).1
}
