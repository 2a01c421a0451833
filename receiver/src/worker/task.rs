//! One try of one request: apply it and judge the outcome; then record it in the store.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use super::Context;
use super::apply::{self, Verdict, backoff, judge};
use crate::store::StoredRequest;

/// How one try ended, for the worker's own state.
pub enum TaskEnd {
    /// ACS answered and the request is settled.
    Settled,
    /// A retryable failure.
    Retried,
    /// ACS refused the credentials.
    Paused,
}

/// One try of one request: applied and judged. Its record is written apart ([`record`]), so
/// that the slot toward ACS is free while the store writes; the request stays leased until
/// then, so no other request about its subject starts before it is recorded.
pub async fn attempt(context: &Context, request: StoredRequest) -> (StoredRequest, Verdict) {
    let result = apply::apply(&context.client, &request).await;
    let verdict = judge(&request, result, &context.calendar, Timestamp::now());
    (request, verdict)
}

/// What a verdict means for the worker's own state.
pub fn end_of(verdict: &Verdict) -> TaskEnd {
    match verdict {
        Verdict::Settle(_) => TaskEnd::Settled,
        Verdict::Retry { .. } => TaskEnd::Retried,
        Verdict::Pause(_) => TaskEnd::Paused,
    }
}

/// Writes a verdict to the store: settled, tried again later, or given back untried. A write
/// that fails leaves the lease to run out, and the request is applied again (idempotent).
pub async fn record(context: Arc<Context>, request: StoredRequest, verdict: Verdict) {
    let (store, worker) = (&context.store, context.name.clone());
    match verdict {
        Verdict::Settle(settlement) => {
            let outcome = settlement.status.as_str();
            match store.complete(request.id, worker, settlement).await {
                Ok(true) => context.metrics.settled.with_label_values(&[outcome]).inc(),
                Ok(false) => tracing::warn!("a lease ran out before its request was settled"),
                Err(err) => tracing::warn!(error = %err, "cannot record a settled request"),
            }
        }
        Verdict::Retry {
            reason,
            kind,
            retry_after,
        } => {
            context
                .metrics
                .retries
                .with_label_values(&[kind.as_str()])
                .inc();
            let config = &context.config;
            let wait = backoff(
                request.attempts + 1,
                config.retry_base,
                config.retry_max,
                jitter(),
            )
            .max(retry_after.unwrap_or_default());
            let at = now_ms().saturating_add(millis(wait));
            if let Err(err) = store.retry_later(request.id, worker, at, reason).await {
                tracing::warn!(error = %err, "cannot record a retry");
            }
        }
        Verdict::Pause(_) => {
            if let Err(err) = store.release(request.id, worker).await {
                tracing::warn!(error = %err, "cannot give a request back");
            }
        }
    }
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

pub fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// A number in `[0, 1)`, different for each call (the clock's nanoseconds, mixed).
pub fn jitter() -> f64 {
    let nanos = u64::from(Timestamp::now().subsec_nanosecond().unsigned_abs());
    let mixed = nanos.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11;
    mixed as f64 / (1u64 << 53) as f64
}
