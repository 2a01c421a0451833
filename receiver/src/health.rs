//! What `/readyz` reports: draining, the store, and what ACS last said about the credentials
//! and its own availability. Shared by the routes and the worker.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU8, Ordering};

use serde::Serialize;

/// What ACS last said about the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credentials {
    /// No answer from ACS yet.
    Unknown,
    /// ACS answered a request made with them.
    Accepted,
    /// ACS answered 401/403 (or the configuration is refused): the worker is paused.
    Refused,
}

/// The receiver's state as the probes see it.
#[derive(Debug, Default)]
pub struct Health {
    draining: AtomicBool,
    credentials: AtomicU8,
    credentials_at_ms: AtomicI64,
    /// Since when ACS answers with retryable failures only (0: it does not).
    unavailable_since_ms: AtomicI64,
}

/// The `/readyz` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// Whether a load balancer should send requests here.
    pub ready: bool,
    /// Why not, one line each.
    pub reasons: Vec<String>,
    /// What ACS last said about the credentials.
    pub credentials: Credentials,
    /// When it said so (ms since the epoch), if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials_checked_at_ms: Option<i64>,
    /// `available`, or `unavailable` while ACS answers with retryable failures only. Not a
    /// reason to take the receiver out of rotation: requests are still stored, and applied
    /// once ACS is back.
    pub acs: &'static str,
}

impl Health {
    /// Stops accepting: the probes say so from now on.
    pub fn set_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Whether a shutdown has begun.
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    /// Records what ACS said about the credentials.
    pub fn set_credentials(&self, credentials: Credentials, now_ms: i64) {
        self.credentials.store(credentials as u8, Ordering::SeqCst);
        self.credentials_at_ms.store(now_ms, Ordering::SeqCst);
    }

    /// What ACS last said about the credentials.
    pub fn credentials(&self) -> Credentials {
        match self.credentials.load(Ordering::SeqCst) {
            1 => Credentials::Accepted,
            2 => Credentials::Refused,
            _ => Credentials::Unknown,
        }
    }

    /// Records whether ACS answers with retryable failures only.
    pub fn set_acs_available(&self, available: bool, now_ms: i64) {
        if available {
            self.unavailable_since_ms.store(0, Ordering::SeqCst);
        } else {
            let _ = self.unavailable_since_ms.compare_exchange(
                0,
                now_ms.max(1),
                Ordering::SeqCst,
                Ordering::SeqCst,
            );
        }
    }

    /// Whether ACS is available (as far as the last answers tell).
    pub fn acs_available(&self) -> bool {
        self.unavailable_since_ms.load(Ordering::SeqCst) == 0
    }

    /// The readiness, given whether the store answered a write just now.
    pub fn readiness(&self, store: Result<(), String>) -> Readiness {
        let mut reasons = Vec::new();
        if self.is_draining() {
            reasons.push("draining: the receiver is shutting down".to_owned());
        }
        if let Err(why) = store {
            reasons.push(format!("store: {why}"));
        }
        let credentials = self.credentials();
        if credentials == Credentials::Refused {
            reasons.push(
                "ACS refused the credentials: the worker is paused until they are accepted"
                    .to_owned(),
            );
        }
        let checked = self.credentials_at_ms.load(Ordering::SeqCst);
        Readiness {
            ready: reasons.is_empty(),
            reasons,
            credentials,
            credentials_checked_at_ms: (checked > 0).then_some(checked),
            acs: if self.acs_available() {
                "available"
            } else {
                "unavailable"
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_credentials_and_draining_make_it_unready_an_outage_does_not() {
        let health = Health::default();
        assert!(health.readiness(Ok(())).ready);
        health.set_acs_available(false, 5);
        let outage = health.readiness(Ok(()));
        assert!(outage.ready);
        assert_eq!(outage.acs, "unavailable");
        health.set_credentials(Credentials::Refused, 7);
        let refused = health.readiness(Ok(()));
        assert!(!refused.ready);
        assert_eq!(refused.credentials_checked_at_ms, Some(7));
        health.set_credentials(Credentials::Accepted, 8);
        assert!(!health.readiness(Err("disk full".into())).ready);
        health.set_draining();
        assert!(health.readiness(Ok(())).reasons[0].starts_with("draining"));
    }
}
