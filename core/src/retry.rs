//! When to try a request again and how long to wait: pure policy, with jitter passed in.

use std::time::Duration;

use http::Method;

/// What happened to one attempt, as far as the retry policy cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with this status (and maybe a `Retry-After`).
    Answered {
        /// The HTTP status.
        status: u16,
        /// The server's `Retry-After`, if any.
        retry_after: Option<Duration>,
    },
    /// The connection could not be opened: the request certainly never reached the server.
    ConnectFailed,
    /// The request may have been sent, but no answer arrived (reset, timeout).
    NoAnswer,
}

/// Which failures are retried, how often, and how long to wait in between.
///
/// Retried: 429, 502, 503, 504 and transport failures, with exponential backoff and jitter,
/// waiting at least what `Retry-After` asks. A POST (create) is retried only when the server
/// certainly did not act on it (429, or a connection that never opened); anything else could
/// create a duplicate profile, so the client checks first (see `Client::create_profile`).
///
/// ```
/// use std::time::Duration;
/// use ccpa_optout::{Outcome, RetryPolicy};
/// use http::Method;
///
/// let policy = RetryPolicy::default();
/// let limited = Outcome::Answered { status: 429, retry_after: Some(Duration::from_secs(2)) };
/// assert!(policy.delay_before_retry(1, &Method::PATCH, limited, 0.5).unwrap() >= Duration::from_secs(2));
/// let not_found = Outcome::Answered { status: 404, retry_after: None };
/// assert_eq!(policy.delay_before_retry(1, &Method::GET, not_found, 0.5), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles on each further retry.
    pub base_delay: Duration,
    /// The longest backoff between two attempts (`Retry-After` may ask for more).
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; beyond it the client gives up rather than stall.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Whether a status is worth retrying: 429, 502, 503, 504.
    pub fn is_retryable_status(status: u16) -> bool {
        matches!(status, 429 | 502 | 503 | 504)
    }

    /// Whether a `method` request with this outcome can be sent again without risking a
    /// duplicate side effect. GET, PATCH (which sets values) and DELETE are idempotent; POST is
    /// safe only when the server certainly did not act on it.
    pub fn is_safe_to_resend(method: &Method, outcome: Outcome) -> bool {
        if *method != Method::POST {
            return true;
        }
        matches!(
            outcome,
            Outcome::ConnectFailed | Outcome::Answered { status: 429, .. }
        )
    }

    /// The wait before attempt `attempts_made + 1`, or `None` to give up.
    ///
    /// `jitter` is a number in `[0, 1)` from the caller's random source; it spreads the
    /// backoff over its upper half so that many clients do not retry in lockstep.
    pub fn delay_before_retry(
        &self,
        attempts_made: u32,
        method: &Method,
        outcome: Outcome,
        jitter: f64,
    ) -> Option<Duration> {
        if attempts_made >= self.max_attempts {
            return None;
        }
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let retry_after = match outcome {
            Outcome::Answered {
                status,
                retry_after,
            } if Self::is_retryable_status(status) => retry_after,
            Outcome::Answered { .. } => return None,
            Outcome::ConnectFailed | Outcome::NoAnswer => None,
        };
        if !Self::is_safe_to_resend(method, outcome) {
            return None;
        }
        let backoff = self.backoff(attempts_made, jitter);
        match retry_after {
            Some(wait) if wait > self.max_retry_after => None,
            // The server's wait is a floor; the small jitter on top avoids a thundering herd.
            Some(wait) => Some(wait.saturating_add(self.base_delay.mul_f64(jitter))),
            None => Some(backoff),
        }
    }

    /// Exponential backoff for the retry after `attempts_made` attempts, with "equal jitter":
    /// half the delay is fixed, half is spread by `jitter`.
    pub fn backoff(&self, attempts_made: u32, jitter: f64) -> Duration {
        let exponent = attempts_made.saturating_sub(1).min(20);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        full / 2 + (full / 2).mul_f64(jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: u16) -> Outcome {
        Outcome::Answered {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(1, 1.0), Duration::from_millis(200));
        assert_eq!(policy.backoff(2, 1.0), Duration::from_millis(400));
        assert_eq!(policy.backoff(3, 0.0), Duration::from_millis(400));
        assert_eq!(policy.backoff(30, 1.0), Duration::from_secs(10));
    }

    #[test]
    fn gives_up_after_max_attempts() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        assert!(
            policy
                .delay_before_retry(2, &Method::GET, answered(503), 0.3)
                .is_some()
        );
        assert_eq!(
            policy.delay_before_retry(3, &Method::GET, answered(503), 0.3),
            None
        );
        assert_eq!(
            RetryPolicy::never().delay_before_retry(1, &Method::GET, answered(503), 0.3),
            None
        );
    }

    #[test]
    fn a_post_is_resent_only_when_it_certainly_did_nothing() {
        let policy = RetryPolicy::default();
        assert!(
            policy
                .delay_before_retry(1, &Method::POST, answered(429), 0.1)
                .is_some()
        );
        assert!(
            policy
                .delay_before_retry(1, &Method::POST, Outcome::ConnectFailed, 0.1)
                .is_some()
        );
        assert_eq!(
            policy.delay_before_retry(1, &Method::POST, answered(503), 0.1),
            None
        );
        assert_eq!(
            policy.delay_before_retry(1, &Method::POST, Outcome::NoAnswer, 0.1),
            None
        );
        assert!(
            policy
                .delay_before_retry(1, &Method::PATCH, Outcome::NoAnswer, 0.1)
                .is_some()
        );
    }

    #[test]
    fn an_excessive_retry_after_gives_up_instead_of_stalling() {
        let policy = RetryPolicy::default();
        let outcome = Outcome::Answered {
            status: 429,
            retry_after: Some(Duration::from_secs(3600)),
        };
        assert_eq!(
            policy.delay_before_retry(1, &Method::GET, outcome, 0.5),
            None
        );
    }
}
