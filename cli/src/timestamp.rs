//! `receivedAt` as a file gives it (the core's forms, plus a local date-time of `--time-zone`)
//! and `--time-zone` itself; the deadline calendar is the core's (`ccpa_optout::calendar`).

use ccpa_optout::Date;
use ccpa_optout::calendar::Received;
use jiff::tz::TimeZone;

/// Reads `receivedAt`: an RFC 3339 date-time (`2025-01-03T09:30:00-08:00`, `…Z`, fractions
/// allowed), the same without an offset (a local time of `--time-zone`), or a full date
/// (`2025-01-03`). The day of receipt is the date as written: the local day where the
/// request was taken.
///
/// The message never repeats the value (a misplaced column could hold anything).
pub fn parse_received_at(text: &str) -> Result<Received, String> {
    if let Some(received) = Received::parse(text) {
        return Ok(received);
    }
    // A local date-time: what RFC 3339 allows once an offset is added.
    let has_time = text.len() > 10 && text.as_bytes()[10].eq_ignore_ascii_case(&b'T');
    match Date::from_rfc3339(&format!("{text}Z")) {
        Ok(day) if has_time && !text.ends_with(['Z', 'z']) => Ok(Received {
            text: text.to_owned(),
            day,
            offset: None,
        }),
        _ => Err(
            "receivedAt must be an RFC 3339 date-time (2025-01-03T09:30:00Z, or without \
                  the offset for a time of --time-zone) or a date (2025-01-03)"
                .to_owned(),
        ),
    }
}

/// `--time-zone`: an IANA time zone name (`America/Los_Angeles`, `UTC`).
pub fn parse_time_zone(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name).map_err(|_| {
        format!("{name:?} is not an IANA time zone name such as America/Los_Angeles or UTC")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccpa_optout::calendar::day_in;
    use jiff::Timestamp;

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
}
