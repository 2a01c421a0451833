//! Privacy-signal columns (`gpc`, `usp`, `gpp`) turned into an opt-out decision.

use crate::input::row::{Column, RowFields};

/// What the signals of one row say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignalDecision {
    /// A signal opts out (any opt-out wins); the reasons name the signals.
    OptOut(String),
    /// No signal opts out, and one explicitly says "not opted out".
    NotOptedOut(String),
    /// The signals present carry no decision (e.g. USP `1---`).
    NoSignal(String),
}

/// The decision of a row's signal columns; `None` when it has none.
pub fn decide(fields: &RowFields) -> Result<Option<SignalDecision>, String> {
    let present = [Column::Gpc, Column::Usp, Column::Gpp]
        .into_iter()
        .any(|column| fields.get(column).is_some());
    if present {
        return Err("privacy-signal columns are not supported by this build".to_owned());
    }
    Ok(None)
}
