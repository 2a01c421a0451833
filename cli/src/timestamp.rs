//! Timestamps in records: `receivedAt` as given (RFC 3339 or a date), `appliedAt` in UTC, and
//! the time zone both days of the deadline are taken in.

use ccpa_optout::Date;
use jiff::Timestamp;
use jiff::fmt::temporal::Pieces;
use jiff::tz::{Offset, TimeZone};

/// When a request was received, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// `receivedAt` exactly as given.
    pub text: String,
    /// The day of receipt: the date as written.
    pub day: Date,
    /// The UTC offset written with the time, or `None` for a date or a local date-time
    /// (their day is a day of the run's `--time-zone`).
    pub offset: Option<Offset>,
}

impl Received {
    /// The zone the deadline of this request is counted in: its own offset when it has one,
    /// else `default`. The day of the answer must be taken in the same zone as the day of
    /// receipt, or a late-afternoon Pacific answer on the due date counts as a day late.
    pub fn zone(&self, default: &TimeZone) -> TimeZone {
        self.offset.map_or_else(|| default.clone(), TimeZone::fixed)
    }
}

/// Reads `receivedAt`: an RFC 3339 date-time (`2025-01-03T09:30:00-08:00`, `…Z`, fractions
/// allowed), the same without an offset (a local time of `--time-zone`), or a full date
/// (`2025-01-03`). The day of receipt is the date as written: the local day where the
/// request was taken.
///
/// The message never repeats the value (a misplaced column could hold anything).
pub fn parse_received_at(text: &str) -> Result<Received, String> {
    let refused = || {
        "receivedAt must be an RFC 3339 date-time (2025-01-03T09:30:00Z, or without the offset \
         for a time of --time-zone) or a date (2025-01-03)"
            .to_owned()
    };
    let received = |day, offset| Received {
        text: text.to_owned(),
        day,
        offset,
    };
    if let Ok(day) = Date::parse(text) {
        return Ok(received(day, None));
    }
    if let Ok(day) = Date::from_rfc3339(text) {
        // The core checked the shape strictly; jiff reads the offset it ends with.
        let offset = Pieces::parse(text)
            .ok()
            .and_then(|pieces| pieces.offset())
            .map(|offset| offset.to_numeric_offset())
            .ok_or_else(refused)?;
        return Ok(received(day, Some(offset)));
    }
    // A local date-time: what RFC 3339 allows once an offset is added.
    let has_time = text.len() > 10 && text.as_bytes()[10].eq_ignore_ascii_case(&b'T');
    match Date::from_rfc3339(&format!("{text}Z")) {
        Ok(day) if has_time && !text.ends_with(['Z', 'z']) => Ok(received(day, None)),
        _ => Err(refused()),
    }
}

/// `--time-zone`: an IANA time zone name (`America/Los_Angeles`, `UTC`).
pub fn parse_time_zone(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name).map_err(|_| {
        format!("{name:?} is not an IANA time zone name such as America/Los_Angeles or UTC")
    })
}

/// The calendar day of `instant` in `zone`.
pub fn day_in(instant: Timestamp, zone: &TimeZone) -> Date {
    let date = instant.to_zoned(zone.clone()).date();
    // jiff's years run from -9999 to 9999 and the core's from 1 to 9999: only a clock set
    // before year 1 could fall outside, and then the epoch is as good an answer as any.
    let parts = (
        u16::try_from(date.year()).unwrap_or(1970),
        u8::try_from(date.month()).unwrap_or(1),
        u8::try_from(date.day()).unwrap_or(1),
    );
    Date::new(parts.0, parts.1, parts.2).unwrap_or(Date::MIN)
}

/// `instant` in UTC, RFC 3339 to the second (`2025-01-06T17:04:05Z`).
pub fn utc_text(instant: Timestamp) -> String {
    instant.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_at_accepts_rfc_3339_local_times_and_dates_keeping_the_written_day() {
        for (text, expected, offset_seconds) in [
            ("2025-01-03", "2025-01-03", None),
            ("2025-01-03T23:30:00-08:00", "2025-01-03", Some(-8 * 3600)),
            ("2025-01-04T07:30:00Z", "2025-01-04", Some(0)),
            ("2024-02-29t00:00:00.123456z", "2024-02-29", Some(0)),
            ("2025-07-01T09:15:00+05:30", "2025-07-01", Some(19_800)),
            ("2025-01-03T23:30:00", "2025-01-03", None),
        ] {
            let received = parse_received_at(text).unwrap();
            assert_eq!(received.day.to_string(), expected, "{text}");
            assert_eq!(
                received.offset.map(|o| o.seconds()),
                offset_seconds,
                "{text}"
            );
            assert_eq!(received.text, text);
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
            "2025-01-03 10:00:00",
            "2025-01-03T10:00:00ZZ",
            "ana@example.com",
        ] {
            let why = parse_received_at(text).unwrap_err();
            assert!(text.is_empty() || !why.contains(text), "{why}");
        }
    }

    #[test]
    fn a_late_afternoon_pacific_answer_falls_on_the_pacific_day() {
        // 16:30 in Los Angeles on 2025-01-24 is 00:30 UTC on the 25th.
        let answered: Timestamp = "2025-01-25T00:30:00Z".parse().unwrap();
        let received = parse_received_at("2025-01-03T09:00:00-08:00").unwrap();
        let utc = TimeZone::UTC;
        assert_eq!(
            day_in(answered, &received.zone(&utc)).to_string(),
            "2025-01-24"
        );
        assert_eq!(day_in(answered, &utc).to_string(), "2025-01-25");

        let pacific = parse_time_zone("America/Los_Angeles").unwrap();
        let dated = parse_received_at("2025-01-03").unwrap();
        assert_eq!(
            day_in(answered, &dated.zone(&pacific)).to_string(),
            "2025-01-24"
        );
        assert_eq!(
            day_in(answered, &dated.zone(&utc)).to_string(),
            "2025-01-25"
        );
    }

    #[test]
    fn time_zones_are_iana_names_with_daylight_saving() {
        let pacific = parse_time_zone("America/Los_Angeles").unwrap();
        // 06:30 UTC is 23:30 the day before in July (UTC-7) and in January (UTC-8).
        for (instant, day) in [
            ("2025-07-02T06:30:00Z", "2025-07-01"),
            ("2025-07-02T07:30:00Z", "2025-07-02"),
            ("2025-01-02T07:30:00Z", "2025-01-01"),
        ] {
            let instant: Timestamp = instant.parse().unwrap();
            assert_eq!(day_in(instant, &pacific).to_string(), day, "{instant}");
        }
        let why = parse_time_zone("Pacific Standard Time").unwrap_err();
        assert!(why.contains("IANA"), "{why}");
    }

    #[test]
    fn unix_times_format_as_utc() {
        assert_eq!(utc_text(Timestamp::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let instant = Timestamp::from_second(1_709_210_096).unwrap();
        assert_eq!(utc_text(instant), "2024-02-29T12:34:56Z");
    }
}
