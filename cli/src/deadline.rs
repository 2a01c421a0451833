//! The 15-business-day deadline of §7026(f): due dates, holidays, and whether a response met it.

use std::path::Path;

use ccpa_optout::Date;
use ccpa_optout::calendar::{Calendar, Received};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::failure::Failure;

/// The calendar the deadline is counted on (the core's, as the receiver counts it): weekends
/// and the given holidays are not business days, and days are those of the request's own
/// offset, or of `--time-zone` for a request received without one.
#[derive(Debug, Clone, Default)]
pub struct Deadlines {
    calendar: Calendar,
}

/// What the record says about the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueStatus {
    /// The due date.
    pub due: Date,
    /// Met (responded on or before), missed, or `None` while open and not yet late.
    pub met: Option<bool>,
}

impl Deadlines {
    /// A calendar with these holidays, in UTC.
    pub fn new(holidays: Vec<Date>) -> Self {
        Deadlines {
            calendar: Calendar::new(holidays, TimeZone::UTC),
        }
    }

    /// The holidays, sorted.
    pub fn holidays(&self) -> &[Date] {
        self.calendar.holidays()
    }

    /// The same calendar, with days of `zone` for requests received without an offset.
    pub fn in_zone(self, zone: TimeZone) -> Self {
        Deadlines {
            calendar: Calendar::new(self.calendar.holidays().to_vec(), zone),
        }
    }

    /// Reads a holidays file: one `YYYY-MM-DD` per line; blank lines and `#` comments allowed.
    pub fn from_file(path: &Path) -> Result<Self, Failure> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("cannot read the holidays file {shown}: {e}")))?;
        let mut holidays = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let day = Date::parse(line).map_err(|_| {
                Failure::usage(format!(
                    "{shown} line {}: expected a date as YYYY-MM-DD",
                    index + 1
                ))
            })?;
            holidays.push(day);
        }
        Ok(Deadlines::new(holidays))
    }

    /// The deadline of a request and, when it was answered at `responded`, whether that met
    /// it; for a request still open (`None`), missed once the day of `now` is past it.
    pub fn status(
        &self,
        received: &Received,
        responded: Option<Timestamp>,
        now: Timestamp,
    ) -> DueStatus {
        DueStatus {
            due: self.calendar.due_date(received),
            met: self.calendar.due_met(received, responded, now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn received(text: &str) -> Received {
        crate::timestamp::parse_received_at(text).unwrap()
    }

    #[test]
    fn a_late_answer_misses_and_an_open_request_misses_only_once_past_due() {
        let calendar = Deadlines::new(vec![date("2025-01-20")]);
        let received = received("2025-01-03");
        let (monday, tuesday) = (at("2025-01-27T12:00:00Z"), at("2025-01-28T12:00:00Z"));
        let on_time = calendar.status(&received, Some(monday), monday);
        assert_eq!(on_time.due, date("2025-01-27"));
        assert_eq!(on_time.met, Some(true));
        let late = calendar.status(&received, Some(tuesday), tuesday);
        assert_eq!(late.met, Some(false));
        assert_eq!(calendar.status(&received, None, monday).met, None);
        assert_eq!(calendar.status(&received, None, tuesday).met, Some(false));
    }

    #[test]
    fn the_answer_day_is_taken_in_the_zone_of_the_receipt_day() {
        // Due Friday 2025-01-24; answered at 16:30 Pacific that Friday (00:30 UTC Saturday).
        let answered = at("2025-01-25T00:30:00Z");
        let utc = Deadlines::default();
        let offset = received("2025-01-03T09:00:00-08:00");
        let status = utc.status(&offset, Some(answered), answered);
        assert_eq!((status.due, status.met), (date("2025-01-24"), Some(true)));

        // A bare date is a day of --time-zone: met in Los Angeles, a day late in UTC.
        let dated = received("2025-01-03");
        assert_eq!(
            utc.status(&dated, Some(answered), answered).met,
            Some(false)
        );
        let pacific = Deadlines::default().in_zone(TimeZone::get("America/Los_Angeles").unwrap());
        assert_eq!(
            pacific.status(&dated, Some(answered), answered).met,
            Some(true)
        );
    }
}
