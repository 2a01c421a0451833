//! Counting outcomes during a run and the summary printed at its end.

use std::path::Path;
use std::time::Duration;

use ccpa_optout::{AuditOutcome, AuditRecord};
use serde_json::json;

use crate::outcomes::OutcomeCounts;
use crate::progress::Counted;

/// Counts of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Records written per outcome.
    pub outcomes: OutcomeCounts<AuditOutcome>,
    /// Profiles written (PATCHed).
    pub profiles_written: u64,
    /// Settled requests that missed their due date.
    pub overdue: u64,
    /// Requests still open and already past their due date (failed).
    pub open_overdue: u64,
    /// Rows skipped: settled by an earlier run (resume).
    pub settled_before: u64,
    /// Rows skipped: the file repeats a request id already taken up in this run.
    pub repeated: u64,
}

impl Tally {
    /// Counts one record.
    pub fn add(&mut self, record: &AuditRecord) {
        self.outcomes.add(record.outcome);
        self.profiles_written += record.changes.iter().filter(|c| c.changed).count() as u64;
        if record.due_met == Some(false) {
            if record.outcome.is_final() {
                self.overdue += 1;
            } else {
                self.open_overdue += 1;
            }
        }
    }

    /// The count of one outcome.
    pub fn count(&self, outcome: AuditOutcome) -> u64 {
        self.outcomes.count(outcome)
    }
}

impl Counted for Tally {
    fn records(&self) -> u64 {
        self.outcomes.total()
    }

    fn progress_line(&self) -> String {
        self.outcomes.progress_line()
    }
}

/// How a run ended, for the summary.
pub struct RunEnd<'a> {
    /// The counts.
    pub tally: &'a Tally,
    /// Wall time.
    pub elapsed: Duration,
    /// The audit log.
    pub audit: &'a Path,
    /// Requests that were in flight at once at most (`--concurrency`).
    pub concurrency: u16,
    /// Why the run stopped early, if it did (in the JSON summary; the text one is followed by
    /// the error line anyway).
    pub stopped: Option<&'a str>,
}

impl RunEnd<'_> {
    fn rate(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.tally.records() as f64 / seconds
        } else {
            0.0
        }
    }

    /// The summary for people.
    pub fn text(&self) -> String {
        let t = self.tally;
        let mut out = String::new();
        out.push_str(&format!(
            "{} requests in {:.2} s ({:.0} rows/s); {} profiles written\n",
            t.records(),
            self.elapsed.as_secs_f64(),
            self.rate(),
            t.profiles_written
        ));
        let notes = [
            (AuditOutcome::Applied, "opt-out written"),
            (
                AuditOutcome::Unchanged,
                "already had the value, or nothing to apply",
            ),
            (AuditOutcome::NotFound, "no matching profile"),
            (
                AuditOutcome::Rejected,
                "invalid rows; see each record's reason",
            ),
            (AuditOutcome::Failed, "still open; run again with --resume"),
        ];
        for (outcome, note) in notes {
            out.push_str(&format!(
                "  {:<10} {:>8}   {note}\n",
                outcome.as_str(),
                t.count(outcome)
            ));
        }
        if t.settled_before > 0 {
            out.push_str(&format!(
                "  skipped    {:>8}   settled by an earlier run\n",
                t.settled_before
            ));
        }
        if t.repeated > 0 {
            out.push_str(&format!(
                "  repeated   {:>8}   request ids already taken up in this run\n",
                t.repeated
            ));
        }
        out.push_str(&format!(
            "overdue: {} answered after their 15-business-day due date, {} still open and past it\n",
            t.overdue, t.open_overdue
        ));
        out.push_str(&format!("audit log: {}\n", self.audit.display()));
        out
    }

    /// The summary as JSON.
    pub fn json(&self) -> serde_json::Value {
        let t = self.tally;
        json!({
            "requests": t.records(),
            "outcomes": t.outcomes.json(),
            "profilesWritten": t.profiles_written,
            "skippedSettledBefore": t.settled_before,
            "repeated": t.repeated,
            "overdue": t.overdue,
            "openOverdue": t.open_overdue,
            "elapsedSeconds": self.elapsed.as_secs_f64(),
            "rowsPerSecond": self.rate(),
            "concurrency": self.concurrency,
            "audit": self.audit.display().to_string(),
            "stopped": self.stopped,
        })
    }
}
