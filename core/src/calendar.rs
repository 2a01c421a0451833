//! The deadline calendar (feature `jiff`): when a request was received, its 15-business-day due
//! date, and whether an answer met it, with both days taken in the zone the receipt was written in.
//!
//! `bulk` and the receiver count deadlines with this one type, so a request gets the same due
//! date and the same verdict whichever path it took.

use jiff::Timestamp;
use jiff::fmt::temporal::Pieces;
use jiff::tz::{Offset, TimeZone};

use crate::Date;
use crate::signals::opt_out_due_date;

/// When a request was received, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// `receivedAt` exactly as given.
    pub text: String,
    /// The day of receipt: the date as written, the local day where the request was taken.
    pub day: Date,
    /// The UTC offset written with the time; `None` for a date (or a local date-time, where a
    /// caller accepts one): a day of the calendar's zone.
    pub offset: Option<Offset>,
}

impl Received {
    /// Reads a date (`2025-01-03`) or an RFC 3339 date-time with its offset
    /// (`2025-01-03T09:30:00-08:00`, `…Z`, fractions allowed); `None` for anything else.
    pub fn parse(text: &str) -> Option<Received> {
        let received = |day, offset| Received {
            text: text.to_owned(),
            day,
            offset,
        };
        if let Ok(day) = Date::parse(text) {
            return Some(received(day, None));
        }
        // The core checks the shape strictly; jiff reads the offset it ends with.
        let day = Date::from_rfc3339(text).ok()?;
        let offset = Pieces::parse(text).ok()?.offset()?.to_numeric_offset();
        Some(received(day, Some(offset)))
    }
}

/// Business days and the zone of undated days: weekends and the holidays do not count; a day is
/// a day of the request's own offset, or of `zone` when it has none.
#[derive(Debug, Clone)]
pub struct Calendar {
    holidays: Vec<Date>,
    zone: TimeZone,
}

impl Default for Calendar {
    /// No holidays, UTC.
    fn default() -> Self {
        Calendar::new(Vec::new(), TimeZone::UTC)
    }
}

impl Calendar {
    /// A calendar with these holidays (in any order), counting days in `zone` for requests
    /// received without an offset.
    pub fn new(mut holidays: Vec<Date>, zone: TimeZone) -> Self {
        holidays.sort_unstable();
        holidays.dedup();
        Calendar { holidays, zone }
    }

    /// The holidays, sorted.
    pub fn holidays(&self) -> &[Date] {
        &self.holidays
    }

    /// The zone of requests received without an offset.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The zone both days of `received`'s deadline are taken in: its own offset when it has
    /// one. The day of the answer must be taken in the same zone as the day of receipt, or a
    /// late-afternoon Pacific answer on the due date counts as a day late.
    pub fn zone_of(&self, received: &Received) -> TimeZone {
        received
            .offset
            .map_or_else(|| self.zone.clone(), TimeZone::fixed)
    }

    /// The due date: 15 business days after the day of receipt.
    pub fn due_date(&self, received: &Received) -> Date {
        opt_out_due_date(received.day, &self.holidays)
    }

    /// Whether an answer at `answered` met the deadline; for an open request (`None`), a miss
    /// once the day of `now` is past it, and `None` while it can still be met.
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
}

/// The calendar day of `instant` in `zone`.
pub fn day_in(instant: Timestamp, zone: &TimeZone) -> Date {
    let date = instant.to_zoned(zone.clone()).date();
    // jiff's years run from -9999 to 9999 and the core's from 1 to 9999: only a clock set
    // before year 1 could fall outside, and then the earliest date is as good as any.
    let parts = (
        u16::try_from(date.year()).unwrap_or(1970),
        u8::try_from(date.month()).unwrap_or(1),
        u8::try_from(date.day()).unwrap_or(1),
    );
    Date::new(parts.0, parts.1, parts.2).unwrap_or(Date::MIN)
}

/// `instant` in UTC, RFC 3339 to the second (`2025-01-06T17:04:05Z`): the `appliedAt` of
/// records.
pub fn utc_text(instant: Timestamp) -> String {
    instant.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn received(text: &str) -> Received {
        Received::parse(text).unwrap()
    }

    #[test]
    fn dates_and_offset_date_times_are_read_and_nothing_else() {
        let dated = received("2025-01-03");
        assert_eq!(
            (dated.day.to_string(), dated.offset),
            ("2025-01-03".to_owned(), None)
        );
        let pacific = received("2025-01-03T23:30:00.5-08:00");
        assert_eq!(pacific.day.to_string(), "2025-01-03");
        assert_eq!(pacific.offset, Some(Offset::constant(-8)));
        for bad in ["2025-01-03T09:00:00", "03/01/2025", "2025-02-30", "", "now"] {
            assert_eq!(Received::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_late_answer_misses_and_an_open_request_misses_only_once_past_due() {
        let calendar = Calendar::new(vec![Date::parse("2025-01-20").unwrap()], TimeZone::UTC);
        let received = received("2025-01-03");
        let (monday, tuesday) = (at("2025-01-27T12:00:00Z"), at("2025-01-28T12:00:00Z"));
        assert_eq!(calendar.due_date(&received).to_string(), "2025-01-27");
        assert_eq!(
            calendar.due_met(&received, Some(monday), monday),
            Some(true)
        );
        assert_eq!(
            calendar.due_met(&received, Some(tuesday), tuesday),
            Some(false)
        );
        assert_eq!(calendar.due_met(&received, None, monday), None);
        assert_eq!(calendar.due_met(&received, None, tuesday), Some(false));
    }

    #[test]
    fn the_answer_day_is_taken_in_the_zone_of_the_receipt_day() {
        // Due Friday 2025-01-24; answered at 16:30 Pacific that Friday (00:30 UTC Saturday).
        let answered = at("2025-01-25T00:30:00Z");
        let utc = Calendar::default();
        let offset = received("2025-01-03T09:00:00-08:00");
        assert_eq!(utc.due_date(&offset).to_string(), "2025-01-24");
        assert_eq!(utc.due_met(&offset, Some(answered), answered), Some(true));
        // A bare date is a day of the calendar's zone: met in Los Angeles, a day late in UTC.
        let dated = received("2025-01-03");
        assert_eq!(utc.due_met(&dated, Some(answered), answered), Some(false));
        let pacific = Calendar::new(Vec::new(), TimeZone::get("America/Los_Angeles").unwrap());
        assert_eq!(
            pacific.due_met(&dated, Some(answered), answered),
            Some(true)
        );
    }

    #[test]
    fn days_and_utc_text() {
        let instant = at("2025-01-06T17:04:05.9Z");
        assert_eq!(utc_text(instant), "2025-01-06T17:04:05Z");
        assert_eq!(utc_text(Timestamp::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
        assert_eq!(
            day_in(at("2025-01-06T20:00:00Z"), &tokyo).to_string(),
            "2025-01-07"
        );
    }
}
