//! The audit record of one opt-out request: what CCPA §7101 asks a business to keep.
//!
//! One JSON object per line (JSONL), written once a request is settled. The CLI writes these,
//! and any other host can write the same records so one reader serves them all.

use serde::{Deserialize, Serialize};

use crate::profile::OptOutChange;

/// How a request ended.
///
/// Every outcome but [`AuditOutcome::Failed`] settles the request: a failed write leaves it
/// open (the deadline keeps running) and it is tried again on the next run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditOutcome {
    /// At least one profile was written (PATCHed) to the requested value.
    Applied,
    /// Every matching profile already had the value, or there was nothing to apply (a privacy
    /// signal that does not opt out); nothing was written.
    Unchanged,
    /// No profile has this PKey or email.
    NotFound,
    /// The request was invalid and was not applied; `reason` says why (the basis for the
    /// denial that §7101(b) asks for).
    Rejected,
    /// Applying failed (network, server, rate limit after retries); the request is still open.
    Failed,
}

impl AuditOutcome {
    /// Every outcome, in the order summaries list them.
    pub const ALL: [AuditOutcome; 5] = [
        AuditOutcome::Applied,
        AuditOutcome::Unchanged,
        AuditOutcome::NotFound,
        AuditOutcome::Rejected,
        AuditOutcome::Failed,
    ];

    /// The name written in records: `applied`, `unchanged`, `not-found`, `rejected`, `failed`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Applied => "applied",
            AuditOutcome::Unchanged => "unchanged",
            AuditOutcome::NotFound => "not-found",
            AuditOutcome::Rejected => "rejected",
            AuditOutcome::Failed => "failed",
        }
    }

    /// Whether the request is settled by this record (everything but `failed`).
    pub const fn is_final(self) -> bool {
        !matches!(self, AuditOutcome::Failed)
    }
}

/// One profile touched by a request: its value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditChange {
    /// The profile's PKey.
    pub pkey: String,
    /// The value before; `null` when the profile had none.
    pub previous: Option<bool>,
    /// The value after.
    pub current: bool,
    /// Whether a PATCH was sent (false when the profile already had the value).
    pub changed: bool,
}

impl From<&OptOutChange> for AuditChange {
    fn from(change: &OptOutChange) -> Self {
        AuditChange {
            pkey: change.pkey.as_str().to_owned(),
            previous: change.previous,
            current: change.current,
            changed: change.changed,
        }
    }
}

/// The audit record of one request (§7101(b): date and nature of the request, the manner in
/// which it was made, date and nature of the response, basis for any denial).
///
/// Serialized in camelCase; absent values are `null` or left out. The record never holds a
/// credential, and holds the requester's email only as a SHA-256 digest: the PKeys identify the
/// profiles, and an auditor holding an address can check it by hashing it
/// (`printf %s ana@example.com | sha256sum`).
///
/// ```
/// use ccpa_optout::{AuditOutcome, AuditRecord};
///
/// let line = r#"{"requestId":"req-1","line":2,"source":"web","receivedAt":"2025-01-03",
///   "appliedAt":"2025-01-06T10:00:00Z","pkey":null,"emailSha256":"ab12","requested":true,
///   "changes":[{"pkey":"@a1","previous":false,"current":true,"changed":true}],
///   "outcome":"applied","reason":null,"dueDate":"2025-01-24","dueMet":true}"#;
/// let record: AuditRecord = serde_json::from_str(line)?;
/// assert_eq!(record.outcome, AuditOutcome::Applied);
/// assert!(record.outcome.is_final());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRecord {
    /// The request's id: given in the input, or derived from a hash of its content.
    pub request_id: String,
    /// Where the request sits in the input (1-based line), to find it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The manner in which it was made: `web`, `email`, `phone`, `gpc`, `agent`, …
    #[serde(default)]
    pub source: Option<String>,
    /// When it was received, as given (RFC 3339 date-time or `YYYY-MM-DD`).
    #[serde(default)]
    pub received_at: Option<String>,
    /// When it was settled (the response date), UTC RFC 3339.
    pub applied_at: String,
    /// The subject when the request named a profile by PKey.
    #[serde(default)]
    pub pkey: Option<String>,
    /// The subject when the request named an email: its SHA-256, lowercase hex.
    #[serde(default)]
    pub email_sha256: Option<String>,
    /// The nature of the request: the opt-out value asked for (`null` when none could be
    /// determined, e.g. a rejected row or a privacy signal that does not opt out).
    #[serde(default)]
    pub requested: Option<bool>,
    /// The profiles touched, with their previous and new values.
    #[serde(default)]
    pub changes: Vec<AuditChange>,
    /// The nature of the response.
    pub outcome: AuditOutcome,
    /// Why: the basis for a rejection, the error of a failure, notes on signals.
    #[serde(default)]
    pub reason: Option<String>,
    /// The deadline: 15 business days after `receivedAt` (`YYYY-MM-DD`).
    #[serde(default)]
    pub due_date: Option<String>,
    /// Whether the response came on or before the due date; `null` when there is no due date,
    /// or the request is still open and not yet late.
    #[serde(default)]
    pub due_met: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_written_in_kebab_case() {
        for outcome in AuditOutcome::ALL {
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(json, format!("\"{}\"", outcome.as_str()));
            assert_eq!(
                serde_json::from_str::<AuditOutcome>(&json).unwrap(),
                outcome
            );
        }
        assert!(!AuditOutcome::Failed.is_final());
        assert!(AuditOutcome::NotFound.is_final());
    }

    #[test]
    fn a_record_round_trips_with_camel_case_names() {
        let record = AuditRecord {
            request_id: "req-7".into(),
            line: Some(8),
            source: Some("gpc".into()),
            received_at: Some("2025-01-03T09:00:00-08:00".into()),
            applied_at: "2025-01-06T17:00:00Z".into(),
            pkey: Some("@a1".into()),
            email_sha256: None,
            requested: Some(true),
            changes: vec![AuditChange {
                pkey: "@a1".into(),
                previous: None,
                current: true,
                changed: true,
            }],
            outcome: AuditOutcome::Applied,
            reason: None,
            due_date: Some("2025-01-24".into()),
            due_met: Some(true),
        };
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(json["requestId"], "req-7");
        assert_eq!(json["receivedAt"], "2025-01-03T09:00:00-08:00");
        assert_eq!(json["changes"][0]["previous"], serde_json::Value::Null);
        assert_eq!(json["dueMet"], true);
        let back: AuditRecord = serde_json::from_value(json).unwrap();
        assert_eq!(back, record);
    }
}
