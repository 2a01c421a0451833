//! Days and deadlines: the day a request was received, its 15-business-day due date (§7026(f)),
//! and whether the answer met it.

use ccpa_optout::Date;
use ccpa_optout::signals::opt_out_due_date;
use jiff::Timestamp;
use jiff::fmt::temporal::Pieces;
use jiff::tz::{Offset, TimeZone};

use crate::error::ApiError;

/// The longest `receivedAt` accepted (an RFC 3339 date-time with nanoseconds is 35).
const MAX_RECEIVED_AT_LEN: usize = 64;

/// Business days: weekends and the given holidays do not count; a day is a day of the
/// request's own offset, or of `zone` when it has none.
#[derive(Debug, Clone)]
pub struct Calendar {
    holidays: Vec<Date>,
    zone: TimeZone,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::new(Vec::new(), TimeZone::UTC)
    }
}

/// When a request was received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// As given, or the time of arrival with the calendar's offset (`2026-01-05T09:00:00-08:00`).
    pub text: String,
    /// The day of receipt: the date as written.
    pub day: Date,
    /// The offset written with the time; `None` for a bare date (a day of the calendar's zone).
    pub offset: Option<Offset>,
}

impl Calendar {
    /// A calendar with these holidays, counting days in `zone` for dates without an offset.
    pub fn new(mut holidays: Vec<Date>, zone: TimeZone) -> Self {
        holidays.sort_unstable();
        holidays.dedup();
        Calendar { holidays, zone }
    }

    /// The day of receipt: `receivedAt` as given (RFC 3339 with an offset, or a date), else
    /// `now` in the calendar's zone. A time more than a day ahead of `now` is refused: a
    /// future receipt would push the deadline out.
    pub fn received(&self, given: Option<&str>, now: Timestamp) -> Result<Received, ApiError> {
        let Some(text) = given else {
            let zoned = now.to_zoned(self.zone.clone());
            let text = zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
            return parse_received(&text).ok_or_else(refused);
        };
        if text.len() > MAX_RECEIVED_AT_LEN {
            return Err(refused());
        }
        let received = parse_received(text).ok_or_else(refused)?;
        let zone = self.zone_of(&received);
        if received.day > day_in(now, &zone).add_days(1).unwrap_or(Date::MAX) {
            return Err(ApiError::validation(
                422,
                "receivedAt",
                "receivedAt is in the future",
            ));
        }
        Ok(received)
    }

    /// The due date: 15 business days after the day of receipt.
    pub fn due_date(&self, received: &Received) -> Date {
        opt_out_due_date(received.day, &self.holidays)
    }

    /// Whether an answer at `answered` met the deadline, or for an open request (`None`) a
    /// miss once the day of `now` is past it (`None` while it can still be met). Both days are
    /// taken in the zone the receipt day was written in.
    pub fn due_met(
        &self,
        received: &Received,
        answered: Option<Timestamp>,
        now: Timestamp,
    ) -> Option<bool> {
        let zone = self.zone_of(received);
        let due = self.due_date(received);
        match answered {
            Some(instant) => Some(day_in(instant, &zone) <= due),
            None if day_in(now, &zone) > due => Some(false),
            None => None,
        }
    }

    /// Whether an open request received then is past its due date on the day of `now`.
    pub fn is_overdue(&self, received_text: &str, now: Timestamp) -> bool {
        parse_received(received_text)
            .is_some_and(|received| self.due_met(&received, None, now) == Some(false))
    }

    fn zone_of(&self, received: &Received) -> TimeZone {
        received
            .offset
            .map_or_else(|| self.zone.clone(), TimeZone::fixed)
    }
}

/// Reads a stored or given `receivedAt`: a date, or an RFC 3339 date-time with its offset.
pub fn parse_received(text: &str) -> Option<Received> {
    if let Ok(day) = Date::parse(text) {
        return Some(Received {
            text: text.to_owned(),
            day,
            offset: None,
        });
    }
    // The core checks the shape strictly; jiff reads the offset it ends with.
    let day = Date::from_rfc3339(text).ok()?;
    let offset = Pieces::parse(text).ok()?.offset()?.to_numeric_offset();
    Some(Received {
        text: text.to_owned(),
        day,
        offset: Some(offset),
    })
}

/// The calendar day of `instant` in `zone`.
pub fn day_in(instant: Timestamp, zone: &TimeZone) -> Date {
    let date = instant.to_zoned(zone.clone()).date();
    let parts = (
        u16::try_from(date.year()).unwrap_or(1970),
        u8::try_from(date.month()).unwrap_or(1),
        u8::try_from(date.day()).unwrap_or(1),
    );
    // Only a clock before year 1 falls outside the core's calendar.
    Date::new(parts.0, parts.1, parts.2).unwrap_or(Date::MIN)
}

/// `instant` in UTC, RFC 3339 to the second: the `appliedAt` of records.
pub fn utc_text(instant: Timestamp) -> String {
    instant.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn refused() -> ApiError {
    ApiError::validation(
        422,
        "receivedAt",
        "receivedAt must be an RFC 3339 date-time with an offset (2026-01-05T09:30:00-08:00) or a date (2026-01-05)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn without_receipt_time_the_arrival_counts_in_the_calendar_zone() {
        let pacific = Calendar::new(Vec::new(), TimeZone::get("America/Los_Angeles").unwrap());
        let received = pacific.received(None, at("2026-01-03T06:30:00Z")).unwrap();
        assert_eq!(received.text, "2026-01-02T22:30:00-08:00");
        assert_eq!(received.day.to_string(), "2026-01-02");
        assert_eq!(pacific.due_date(&received).to_string(), "2026-01-23");
    }

    #[test]
    fn given_receipt_times_keep_their_own_day_and_future_ones_are_refused() {
        let calendar = Calendar::default();
        let now = at("2026-01-05T12:00:00Z");
        let received = calendar
            .received(Some("2026-01-05T23:30:00-08:00"), now)
            .unwrap();
        assert_eq!(received.day.to_string(), "2026-01-05");
        for bad in [
            "2026-01-05T10:00:00",
            "05/01/2026",
            "2026-02-30",
            "tomorrow",
        ] {
            let err = calendar.received(Some(bad), now).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("receivedAt"), "{bad}");
        }
        assert!(calendar.received(Some("2026-01-06"), now).is_ok());
        assert_eq!(
            calendar
                .received(Some("2026-01-08"), now)
                .unwrap_err()
                .message,
            "receivedAt is in the future"
        );
    }

    #[test]
    fn an_open_request_is_overdue_only_after_its_due_day() {
        let calendar = Calendar::default();
        let received = parse_received("2025-01-03").unwrap();
        assert_eq!(calendar.due_date(&received).to_string(), "2025-01-24");
        assert_eq!(
            calendar.due_met(&received, None, at("2025-01-24T23:00:00Z")),
            None
        );
        assert!(calendar.is_overdue("2025-01-03", at("2025-01-25T00:00:01Z")));
        let answered = Some(at("2025-01-24T10:00:00Z"));
        assert_eq!(
            calendar.due_met(&received, answered, at("2025-02-01T00:00:00Z")),
            Some(true)
        );
    }
}
