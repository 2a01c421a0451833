//! The receiver's side of the deadline calendar: the day of receipt of a request as it arrives
//! (given, or the arrival time), refused when malformed or in the future. Due dates and whether
//! they were met are the core's (`ccpa_optout::calendar`), as for `bulk`.

use ccpa_optout::Date;
pub use ccpa_optout::calendar::Received;
use ccpa_optout::calendar::day_in;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::error::ApiError;

/// The longest `receivedAt` accepted (an RFC 3339 date-time with nanoseconds is 35).
const MAX_RECEIVED_AT_LEN: usize = 64;

/// Business days: weekends and the given holidays do not count; a day is a day of the
/// request's own offset, or of `zone` when it has none.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    inner: ccpa_optout::calendar::Calendar,
}

impl Calendar {
    /// A calendar with these holidays, counting days in `zone` for dates without an offset.
    pub fn new(holidays: Vec<Date>, zone: TimeZone) -> Self {
        Calendar {
            inner: ccpa_optout::calendar::Calendar::new(holidays, zone),
        }
    }

    /// The day of receipt: `receivedAt` as given (RFC 3339 with an offset, or a date), else
    /// `now` in the calendar's zone. A time more than a day ahead of `now` is refused: a
    /// future receipt would push the deadline out.
    pub fn received(&self, given: Option<&str>, now: Timestamp) -> Result<Received, ApiError> {
        let Some(text) = given else {
            let zoned = now.to_zoned(self.inner.zone().clone());
            let text = zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
            return Received::parse(&text).ok_or_else(refused);
        };
        if text.len() > MAX_RECEIVED_AT_LEN {
            return Err(refused());
        }
        let received = Received::parse(text).ok_or_else(refused)?;
        let zone = self.inner.zone_of(&received);
        if received.day > day_in(now, &zone).add_days(1).unwrap_or(Date::MAX) {
            return Err(ApiError::validation(
                422,
                "receivedAt",
                "receivedAt is in the future",
            ));
        }
        Ok(received)
    }

    /// Whether an open request received then is past its due date on the day of `now`.
    pub fn is_overdue(&self, received_text: &str, now: Timestamp) -> bool {
        Received::parse(received_text)
            .is_some_and(|received| self.due_met(&received, None, now) == Some(false))
    }
}

/// Due dates and whether they were met: the core's calendar, as `bulk` counts them.
impl std::ops::Deref for Calendar {
    type Target = ccpa_optout::calendar::Calendar;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
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
        let received = Received::parse("2025-01-03").unwrap();
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
