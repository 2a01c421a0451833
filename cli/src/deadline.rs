//! The 15-business-day deadline of §7026(f): due dates, holidays, and whether a response met it.

use std::path::Path;

use ccpa_optout::Date;
use ccpa_optout::signals::opt_out_due_date;

use crate::failure::Failure;

/// The calendar the deadline is counted on: weekends and the given holidays are not
/// business days.
#[derive(Debug, Clone, Default)]
pub struct Deadlines {
    holidays: Vec<Date>,
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
    /// A calendar with these holidays.
    pub fn new(mut holidays: Vec<Date>) -> Self {
        holidays.sort_unstable();
        holidays.dedup();
        Deadlines { holidays }
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

    /// The deadline of a request received on `received` and, when `responded_on` is known,
    /// whether that met it; for a request still open (`None`), missed once `today` is past it.
    pub fn status(&self, received: Date, responded_on: Option<Date>, today: Date) -> DueStatus {
        let due = opt_out_due_date(received, &self.holidays);
        let met = match responded_on {
            Some(day) => Some(day <= due),
            None if today > due => Some(false),
            None => None,
        };
        DueStatus { due, met }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn a_late_answer_misses_and_an_open_request_misses_only_once_past_due() {
        let calendar = Deadlines::new(vec![date("2025-01-20")]);
        let received = date("2025-01-03");
        let on_time = calendar.status(received, Some(date("2025-01-27")), date("2025-01-27"));
        assert_eq!(on_time.due, date("2025-01-27"));
        assert_eq!(on_time.met, Some(true));
        let late = calendar.status(received, Some(date("2025-01-28")), date("2025-01-28"));
        assert_eq!(late.met, Some(false));
        assert_eq!(
            calendar.status(received, None, date("2025-01-27")).met,
            None
        );
        assert_eq!(
            calendar.status(received, None, date("2025-01-28")).met,
            Some(false)
        );
    }
}
