//! Records counted per outcome, for both kinds of audit record (opt-out and privacy).

use std::marker::PhantomData;

use ccpa_optout::AuditOutcome;
use ccpa_optout::privacy::PrivacyOutcome;
use serde_json::json;

/// How a record ended: the outcome enums of both kinds of record, as a run counts them.
pub trait Outcome: Copy + PartialEq + 'static {
    /// Every outcome, in the order summaries list them.
    const ALL: &'static [Self];

    /// The name written in records and summaries.
    fn name(self) -> &'static str;
}

impl Outcome for AuditOutcome {
    const ALL: &'static [Self] = &AuditOutcome::ALL;

    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Outcome for PrivacyOutcome {
    const ALL: &'static [Self] = &PrivacyOutcome::ALL;

    fn name(self) -> &'static str {
        self.as_str()
    }
}

/// Records written in a run, per outcome (in [`Outcome::ALL`] order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeCounts<O> {
    counts: Vec<u64>,
    kind: PhantomData<O>,
}

impl<O: Outcome> Default for OutcomeCounts<O> {
    fn default() -> Self {
        OutcomeCounts {
            counts: vec![0; O::ALL.len()],
            kind: PhantomData,
        }
    }
}

impl<O: Outcome> OutcomeCounts<O> {
    /// Counts one record that ended with `outcome`.
    pub fn add(&mut self, outcome: O) {
        if let Some(index) = O::ALL.iter().position(|o| *o == outcome) {
            self.counts[index] += 1;
        }
    }

    /// The count of one outcome.
    pub fn count(&self, outcome: O) -> u64 {
        O::ALL
            .iter()
            .position(|o| *o == outcome)
            .map_or(0, |i| self.counts[i])
    }

    /// Records counted in all.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// `N done, N applied, …`: the outcomes seen so far, for progress output.
    pub fn progress_line(&self) -> String {
        let mut parts = vec![format!("{} done", self.total())];
        for &outcome in O::ALL {
            let count = self.count(outcome);
            if count > 0 {
                parts.push(format!("{count} {}", outcome.name()));
            }
        }
        parts.join(", ")
    }

    /// Every outcome's name and count, for the JSON summary's `outcomes`.
    pub fn json(&self) -> serde_json::Value {
        let outcomes: serde_json::Map<String, serde_json::Value> = O::ALL
            .iter()
            .map(|o| (o.name().to_owned(), json!(self.count(*o))))
            .collect();
        serde_json::Value::Object(outcomes)
    }
}
