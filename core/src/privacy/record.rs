//! The audit record of one request to know or to delete: what was filed, when, and by when to answer.
//!
//! One JSON object per line, as the opt-out's [`AuditRecord`](crate::AuditRecord): the same
//! names for the same things (`requestId`, `line`, `source`, `receivedAt`, `outcome`,
//! `reason`), an identity only as its SHA-256, never a credential.

use serde::{Deserialize, Serialize};

use super::answer::CreatedJob;
use super::job::PrivacyAction;
use crate::date::Date;

/// How filing a request ended.
///
/// Every outcome but [`PrivacyOutcome::Failed`] settles the request: a failed one is tried
/// again by the next run (after looking for the jobs it may have made).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrivacyOutcome {
    /// The Privacy Service made the jobs (`jobs` lists them).
    Submitted,
    /// The request was invalid and was not filed; `reason` says why.
    Rejected,
    /// Filing failed (network, server, rate limit after retries); the request is still open.
    Failed,
}

impl PrivacyOutcome {
    /// Every outcome, in the order summaries list them.
    pub const ALL: [PrivacyOutcome; 3] = [
        PrivacyOutcome::Submitted,
        PrivacyOutcome::Rejected,
        PrivacyOutcome::Failed,
    ];

    /// The name written in records.
    pub const fn as_str(self) -> &'static str {
        match self {
            PrivacyOutcome::Submitted => "submitted",
            PrivacyOutcome::Rejected => "rejected",
            PrivacyOutcome::Failed => "failed",
        }
    }

    /// Whether the request is settled by this record (everything but `failed`).
    pub const fn is_final(self) -> bool {
        !matches!(self, PrivacyOutcome::Failed)
    }
}

/// The audit record of one request to know or delete (§7101(b): date and nature of the
/// request, the manner in which it was made, the date and nature of the response, the basis
/// for any denial), with the §7021 deadlines counted from its receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyRecord {
    /// The request's id, also the jobs' `userKey`.
    pub request_id: String,
    /// Where the request sits in the input (1-based line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The manner in which it was made: `web`, `email`, `phone`, `agent`, …
    #[serde(default)]
    pub source: Option<String>,
    /// When it was received, as given.
    #[serde(default)]
    pub received_at: Option<String>,
    /// When it was settled here (filed, refused or given up on), UTC RFC 3339.
    pub settled_at: String,
    /// The nature of the request: `access`, `delete` or both.
    #[serde(default)]
    pub actions: Vec<PrivacyAction>,
    /// The identity's namespace (`email`, `phone`, a custom one).
    #[serde(default)]
    pub namespace: Option<String>,
    /// The identity's value as its SHA-256, lowercase hex (`printf %s ana@example.com | sha256sum`).
    #[serde(default)]
    pub identity_sha256: Option<String>,
    /// The regulation the jobs run under.
    #[serde(default)]
    pub regulation: Option<String>,
    /// The jobs made for it, one per action.
    #[serde(default)]
    pub jobs: Vec<CreatedJob>,
    /// The nature of the response.
    pub outcome: PrivacyOutcome,
    /// Why: the basis for a rejection, the error of a failure, how jobs were found again.
    #[serde(default)]
    pub reason: Option<String>,
    /// The last day to confirm receipt: 10 business days after `receivedAt`.
    #[serde(default)]
    pub confirm_by: Option<Date>,
    /// The last day to answer: 45 days after `receivedAt`.
    #[serde(default)]
    pub respond_by: Option<Date>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::JobId;

    #[test]
    fn a_record_round_trips_with_camel_case_names() {
        let record = PrivacyRecord {
            request_id: "t-1".into(),
            line: Some(2),
            source: Some("web".into()),
            received_at: Some("2025-04-04".into()),
            settled_at: "2025-04-04T10:00:00Z".into(),
            actions: vec![PrivacyAction::Access],
            namespace: Some("email".into()),
            identity_sha256: Some("ab12".into()),
            regulation: Some("ccpa".into()),
            jobs: vec![CreatedJob {
                job_id: JobId::new("j-1").unwrap(),
                user_key: Some("t-1".into()),
                action: Some(PrivacyAction::Access),
            }],
            outcome: PrivacyOutcome::Submitted,
            reason: None,
            confirm_by: Date::parse("2025-04-18").ok(),
            respond_by: Date::parse("2025-05-19").ok(),
        };
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(json["requestId"], "t-1");
        assert_eq!(json["jobs"][0]["jobId"], "j-1");
        assert_eq!(json["outcome"], "submitted");
        assert_eq!(json["respondBy"], "2025-05-19");
        let back: PrivacyRecord = serde_json::from_value(json).unwrap();
        assert_eq!(back, record);
        let hostile = serde_json::json!({"requestId": "x", "settledAt": "t", "outcome": "submitted",
            "jobs": [{"jobId": "../x"}]});
        assert!(serde_json::from_value::<PrivacyRecord>(hostile).is_err());
    }
}
