//! Applying one leased request with the core client, and what its outcome does to the store:
//! settle it, try it again later, or give it back untried.

use std::time::Duration;

use ccpa_optout::calendar::utc_text;
use ccpa_optout::{Client, Email, Error, ErrorKind, OptOutChange, PKey, Subject};
use jiff::Timestamp;

use super::pace::PacedTransport;
use crate::calendar::{Calendar, Received};
use crate::store::{Settlement, Status, StoredRequest};

/// What to do with a request after one try.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Settled: the store keeps this for good.
    Settle(Settlement),
    /// Worth another try (ACS down, rate limiting, an answer it should not have given):
    /// counted, and not before the wait (at least what ACS asked for).
    Retry {
        /// The failure, for the record.
        reason: String,
        /// The core's kind, for the metrics.
        kind: ErrorKind,
        /// `Retry-After`, when ACS gave one.
        retry_after: Option<Duration>,
    },
    /// ACS refused the credentials or the configuration: nothing about this request is
    /// wrong, so it goes back untried and the worker pauses.
    Pause(String),
}

/// Applies `request`: an explicit value with `set_opt_out` on the PKey or every profile with
/// the email; a derived one with `apply_signals`, whose "not opted out" never clears an
/// opt-out already recorded.
pub async fn apply(
    client: &Client<PacedTransport>,
    request: &StoredRequest,
) -> Result<Vec<OptOutChange>, Error> {
    let subject = subject_of(request)?;
    if request.explicit {
        return client.set_opt_out_for(&subject, request.opt_out).await;
    }
    let signals = &request.signals;
    let applied = client
        .apply_signals(
            &subject,
            signals.gpc,
            signals.usp.as_deref(),
            signals.gpp.as_deref(),
        )
        .await?;
    Ok(applied.changes)
}

/// The verdict on one try that ended at `now`.
pub fn judge(
    request: &StoredRequest,
    result: Result<Vec<OptOutChange>, Error>,
    calendar: &Calendar,
    now: Timestamp,
) -> Verdict {
    let settled = |status, changes: &[OptOutChange], reason: Option<String>| {
        let received = Received::parse(&request.received_at);
        Verdict::Settle(Settlement {
            status,
            changes: serde_json::to_string(changes).ok(),
            reason,
            applied_at: utc_text(now),
            due_met: received.and_then(|r| calendar.due_met(&r, Some(now), now)),
        })
    };
    match result {
        Ok(changes) if changes.is_empty() && request.email.is_some() => settled(
            Status::NotFound,
            &[],
            Some("no profile has this email".to_owned()),
        ),
        Ok(changes) if changes.iter().any(|c| c.changed) => {
            settled(Status::Applied, &changes, None)
        }
        Ok(changes) => settled(Status::Unchanged, &changes, None),
        Err(err) => match err.kind() {
            ErrorKind::NotFound => settled(
                Status::NotFound,
                &[],
                Some("no profile has this PKey (404)".to_owned()),
            ),
            ErrorKind::Auth | ErrorKind::Config => Verdict::Pause(err.to_string()),
            // ACS refused this request itself (a 4xx other than 401/403/404/429, or an input
            // the core refuses): trying again would give the same answer.
            ErrorKind::Validation | ErrorKind::Http => {
                settled(Status::Rejected, &[], Some(err.to_string()))
            }
            // Transport, RateLimited, Server, Decode, and kinds added later: try again.
            _ => Verdict::Retry {
                reason: err.to_string(),
                kind: err.kind(),
                retry_after: err.retry_after(),
            },
        },
    }
}

/// The wait before the next try of a request after `failures` failures in a row: doubling
/// from `base` up to `max`, with up to a fifth less at random so that a queue that failed
/// together does not come back together.
pub fn backoff(failures: u32, base: Duration, max: Duration, jitter: f64) -> Duration {
    let doubled = base.saturating_mul(1u32 << failures.saturating_sub(1).min(20));
    doubled.min(max).mul_f64(1.0 - 0.2 * jitter.clamp(0.0, 1.0))
}

fn subject_of(request: &StoredRequest) -> Result<Subject, Error> {
    match (&request.pkey, &request.email) {
        (Some(pkey), _) => PKey::new(pkey).map(Subject::PKey),
        (None, Some(email)) => Email::new(email).map(Subject::Email),
        // An open request always has its subject; only a settled one lost its email.
        (None, None) => Err(Error::validation(
            "email",
            "the request has no subject left",
        )),
    }
}

#[cfg(test)]
mod tests;
