//! The 15-business-day deadline of §7026(f): due dates, holidays, and whether a response met it.

use std::path::Path;

use crate::failure::Failure;
use crate::timestamp::{Day, parse_received_at};

/// The calendar the deadline is counted on: weekends and the given holidays are not
/// business days.
#[derive(Debug, Clone, Default)]
pub struct Deadlines {
    holidays: Vec<Day>,
}

/// What the record says about the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueStatus {
    /// The due date.
    pub due: Day,
    /// Met (responded on or before), missed, or `None` while open and not yet late.
    pub met: Option<bool>,
}

impl Deadlines {
    /// A calendar with these holidays.
    pub fn new(mut holidays: Vec<Day>) -> Self {
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
            match parse_received_at(line) {
                Ok(day) if line.len() == 10 => holidays.push(day),
                _ => {
                    return Err(Failure::usage(format!(
                        "{shown} line {}: expected a date as YYYY-MM-DD",
                        index + 1
                    )));
                }
            }
        }
        Ok(Deadlines::new(holidays))
    }

    /// The due date for a request received on `received`.
    pub fn due(&self, received: Day) -> Day {
        crate::calendar::opt_out_due_date(received, &self.holidays)
    }

    /// The deadline of a request received on `received` and, when `responded_on` is known,
    /// whether that met it; for a request still open (`None`), missed once `today` is past it.
    pub fn status(&self, received: Day, responded_on: Option<Day>, today: Day) -> DueStatus {
        let due = self.due(received);
        let met = match responded_on {
            Some(day) => Some(day <= due),
            None if today > due => Some(false),
            None => None,
        };
        DueStatus { due, met }
    }
}
