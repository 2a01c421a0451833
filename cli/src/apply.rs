//! Applying one checked request through the core client, and the audit record of its outcome.

use ccpa_optout::{AuditChange, AuditOutcome, AuditRecord, ErrorKind};
use sha2::{Digest, Sha256};

use crate::config::AcsClient;
use crate::deadline::Deadlines;
use crate::failure::describe;
use crate::input::request::{Action, Request};
use ccpa_optout::Subject;
use ccpa_optout::calendar::utc_text;

/// A settled (or failed) request: its record, and whether the run must stop (the
/// credentials or configuration are wrong, so every further request would fail the same way).
pub struct Settlement {
    /// The audit record.
    pub record: AuditRecord,
    /// The input offset after the request (progress).
    pub end_offset: u64,
    /// Set when ACS refused the credentials or the set-up; the message says why.
    pub stop: Option<String>,
}

/// What applying gave, before it becomes a record.
struct Written {
    outcome: AuditOutcome,
    changes: Vec<AuditChange>,
    reason: Option<String>,
    stop: Option<String>,
}

/// Applies `request` (or settles it without I/O when it is rejected or has nothing to apply).
pub async fn apply(client: &AcsClient, request: Request, deadlines: &Deadlines) -> Settlement {
    let result = match &request.action {
        Action::Reject(why) => Written::settled(AuditOutcome::Rejected, why.clone()),
        Action::Nothing(why) => Written::settled(AuditOutcome::Unchanged, why.clone()),
        Action::Apply { opted_out, note } => match &request.subject {
            Some(subject) => write(client, subject, *opted_out, note.clone()).await,
            None => Written::settled(AuditOutcome::Rejected, "no subject".to_owned()),
        },
    };
    let now = jiff::Timestamp::now();
    let due = request.row.received.as_ref().map(|received| {
        let responded = result.outcome.is_final().then_some(now);
        deadlines.status(received, responded, now)
    });
    let (pkey, email_sha256) = match &request.subject {
        Some(Subject::PKey(pkey)) => (Some(pkey.as_str().to_owned()), None),
        Some(Subject::Email(email)) => (None, Some(email_digest(email.as_str()))),
        None => (None, None),
    };
    let requested = match request.action {
        Action::Apply { opted_out, .. } => Some(opted_out),
        Action::Nothing(_) | Action::Reject(_) => None,
    };
    Settlement {
        record: AuditRecord {
            request_id: request.row.id,
            line: Some(request.row.line),
            source: request.row.source,
            received_at: request.row.received.map(|received| received.text),
            applied_at: utc_text(now),
            pkey,
            email_sha256,
            requested,
            changes: result.changes,
            outcome: result.outcome,
            reason: result.reason,
            due_date: due.map(|d| d.due.to_string()),
            due_met: due.and_then(|d| d.met),
        },
        end_offset: request.row.end_offset,
        stop: result.stop,
    }
}

async fn write(
    client: &AcsClient,
    subject: &Subject,
    opted_out: bool,
    note: Option<String>,
) -> Written {
    let written = match subject {
        Subject::PKey(pkey) => client.set_opt_out(pkey, opted_out).await.map(|c| vec![c]),
        Subject::Email(email) => client.opt_out_by_email(email, opted_out).await,
    };
    match written {
        Ok(changes) if changes.is_empty() => Written {
            outcome: AuditOutcome::NotFound,
            changes: Vec::new(),
            reason: Some(join(Some("no profile has this email"), note)),
            stop: None,
        },
        Ok(changes) => {
            let outcome = if changes.iter().any(|c| c.changed) {
                AuditOutcome::Applied
            } else {
                AuditOutcome::Unchanged
            };
            Written {
                outcome,
                changes: changes.iter().map(AuditChange::from).collect(),
                reason: note,
                stop: None,
            }
        }
        Err(err) if err.kind() == ErrorKind::NotFound => Written {
            outcome: AuditOutcome::NotFound,
            changes: Vec::new(),
            reason: Some(join(Some("no profile has this PKey (404)"), note)),
            stop: None,
        },
        Err(err) => {
            let why = describe(&err);
            let stop =
                matches!(err.kind(), ErrorKind::Auth | ErrorKind::Config).then(|| why.clone());
            Written {
                outcome: AuditOutcome::Failed,
                changes: Vec::new(),
                reason: Some(why),
                stop,
            }
        }
    }
}

impl Written {
    fn settled(outcome: AuditOutcome, reason: String) -> Self {
        Written {
            outcome,
            changes: Vec::new(),
            reason: Some(reason),
            stop: None,
        }
    }
}

fn join(first: Option<&str>, second: Option<String>) -> String {
    match (first, second) {
        (Some(a), Some(b)) => format!("{a}; {b}"),
        (Some(a), None) => a.to_owned(),
        (None, Some(b)) => b,
        (None, None) => String::new(),
    }
}

/// The SHA-256 of an email as given, lowercase hex: the record's subject without the address.
pub fn email_digest(email: &str) -> String {
    Sha256::digest(email.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
