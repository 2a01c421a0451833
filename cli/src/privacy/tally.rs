//! Counting a `privacy submit` run and the summary printed at its end.

use std::path::Path;
use std::time::Duration;

use ccpa_optout::privacy::{PrivacyOutcome, PrivacyRecord};
use serde_json::json;

use crate::outcomes::OutcomeCounts;
use crate::progress::Counted;

/// Counts of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrivacyTally {
    /// Records written per outcome.
    pub outcomes: OutcomeCounts<PrivacyOutcome>,
    /// Jobs the requests filed in this run have (one per action).
    pub jobs: u64,
    /// Requests whose jobs an interrupted run had made (found, not filed again).
    pub found_again: u64,
    /// Rows skipped: settled by an earlier run.
    pub settled_before: u64,
    /// Rows skipped: the file repeats a request id already taken up in this run.
    pub repeated: u64,
}

impl PrivacyTally {
    /// Counts one record.
    pub fn add(&mut self, record: &PrivacyRecord, found_again: bool) {
        self.outcomes.add(record.outcome);
        self.jobs += record.jobs.len() as u64;
        self.found_again += u64::from(found_again);
    }

    /// The count of one outcome.
    pub fn count(&self, outcome: PrivacyOutcome) -> u64 {
        self.outcomes.count(outcome)
    }
}

impl Counted for PrivacyTally {
    fn records(&self) -> u64 {
        self.outcomes.total()
    }

    fn progress_line(&self) -> String {
        self.outcomes.progress_line()
    }
}

/// The summary of a run as JSON (the `--json` output, and what the text is written from).
pub fn summary(
    tally: &PrivacyTally,
    elapsed: Duration,
    audit: &Path,
    stopped: Option<&str>,
) -> serde_json::Value {
    json!({
        "requests": tally.records(),
        "outcomes": tally.outcomes.json(),
        "jobs": tally.jobs,
        "foundAgain": tally.found_again,
        "skippedSettledBefore": tally.settled_before,
        "repeated": tally.repeated,
        "elapsedSeconds": elapsed.as_secs_f64(),
        "audit": audit.display().to_string(),
        "stopped": stopped,
    })
}

/// The summary for people.
pub fn summary_text(summary: &serde_json::Value) -> String {
    let number = |value: &serde_json::Value| value.as_u64().unwrap_or(0);
    let jobs = number(&summary["jobs"]);
    let mut out = format!(
        "{} requests in {:.2} s; {jobs} jobs\n",
        number(&summary["requests"]),
        summary["elapsedSeconds"].as_f64().unwrap_or(0.0),
    );
    let notes = [
        (
            PrivacyOutcome::Submitted,
            "filed; follow with `privacy status --audit`",
        ),
        (
            PrivacyOutcome::Rejected,
            "invalid rows; see each record's reason",
        ),
        (
            PrivacyOutcome::Failed,
            "still open; run again with --resume",
        ),
    ];
    for (outcome, note) in notes {
        let count = number(&summary["outcomes"][outcome.as_str()]);
        out.push_str(&format!("  {:<10} {count:>8}   {note}\n", outcome.as_str()));
    }
    for (key, note) in [
        ("foundAgain", "found the jobs an interrupted run had filed"),
        ("skippedSettledBefore", "skipped: settled by an earlier run"),
        (
            "repeated",
            "skipped: request ids already taken up in this run",
        ),
    ] {
        let count = number(&summary[key]);
        if count > 0 {
            out.push_str(&format!("  {:<10} {count:>8}   {note}\n", ""));
        }
    }
    out.push_str(&format!(
        "audit log: {}\n",
        summary["audit"].as_str().unwrap_or("")
    ));
    out
}
