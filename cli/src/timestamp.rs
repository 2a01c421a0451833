//! Timestamps in records: `receivedAt` as given (RFC 3339 or a date), `appliedAt` in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

use ccpa_optout::Date;

/// Reads `receivedAt`: an RFC 3339 date-time (`2025-01-03T09:30:00-08:00`, `…Z`, fractions
/// allowed) or a full date (`2025-01-03`). The day of receipt is the date as written, in the
/// timestamp's own offset: the local day where the request was taken.
///
/// The message never repeats the value (a misplaced column could hold anything).
pub fn parse_received_at(text: &str) -> Result<Date, String> {
    Date::from_rfc3339(text).map_err(|_| {
        "receivedAt must be an RFC 3339 date-time (2025-01-03T09:30:00Z) or a date (2025-01-03)"
            .to_owned()
    })
}

/// The current time in UTC: RFC 3339 to the second (`2025-01-06T17:04:05Z`) and its date.
pub fn utc_now() -> (String, Date) {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_from_unix(seconds)
}

/// A Unix time in UTC, as RFC 3339 text and its date.
pub fn utc_from_unix(seconds: u64) -> (String, Date) {
    let days = i64::try_from(seconds / 86_400).unwrap_or(i64::MAX);
    let date = Date::from_days_since_epoch(days).unwrap_or(Date::MAX);
    let rest = seconds % 86_400;
    let text = format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    (text, date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_at_accepts_rfc_3339_and_dates_keeping_the_written_day() {
        for (text, expected) in [
            ("2025-01-03", "2025-01-03"),
            ("2025-01-03T23:30:00-08:00", "2025-01-03"),
            ("2025-01-04T07:30:00Z", "2025-01-04"),
            ("2024-02-29t00:00:00.123456z", "2024-02-29"),
        ] {
            assert_eq!(parse_received_at(text).unwrap().to_string(), expected);
        }
    }

    #[test]
    fn received_at_refuses_other_shapes_without_repeating_them() {
        for text in [
            "",
            "2025-1-3",
            "2025-02-29",
            "03/01/2025",
            "2025-01-03T10:00",
            "ana@example.com",
        ] {
            let why = parse_received_at(text).unwrap_err();
            assert!(text.is_empty() || !why.contains(text), "{why}");
        }
    }

    #[test]
    fn unix_times_format_as_utc() {
        assert_eq!(utc_from_unix(0).0, "1970-01-01T00:00:00Z");
        let (text, date) = utc_from_unix(1_709_210_096);
        assert_eq!(text, "2024-02-29T12:34:56Z");
        assert_eq!(date.to_string(), "2024-02-29");
    }
}
