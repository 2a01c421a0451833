//! Fault injection: the `{"latency_ms", "status", "rate_limit", "drop"}` plan and its dice.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::pkey::mix;

/// Faults applied to ACS API and token requests (never to `/_emulator/*`). `{}` means none.
///
/// JSON: `{"latency_ms": [min, max], "status": {"503": 0.05}, "rate_limit": {"per_second": 50,
/// "retry_after": 1}, "drop": 0.01}`, every key optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPlan {
    /// Delay every request by a uniformly drawn number of milliseconds in `[min, max]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<[u64; 2]>,
    /// Answer this status (4xx/5xx) with this probability, before the request is processed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub status: BTreeMap<u16, f64>,
    /// Answer 429 with `Retry-After` above this many requests per second (token bucket).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// Process the request, then close the connection without answering, with this probability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<f64>,
}

/// The `rate_limit` part of a [`FaultPlan`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Sustained requests per second (also the burst size).
    pub per_second: u32,
    /// The `Retry-After` value, in seconds (default 1).
    #[serde(default = "one_second")]
    pub retry_after: u64,
}

fn one_second() -> u64 {
    1
}

/// A fault plan that cannot be used; the message says why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid faults: {0}")]
pub struct FaultError(pub String);

impl FaultPlan {
    /// Parses and checks the JSON form.
    pub fn from_json(json: &[u8]) -> Result<FaultPlan, FaultError> {
        let plan: FaultPlan =
            serde_json::from_slice(json).map_err(|e| FaultError(e.to_string()))?;
        plan.validate()?;
        Ok(plan)
    }

    /// Checks ranges: probabilities in `[0, 1]` summing to at most 1, statuses 400–599,
    /// `min <= max <= 60000` ms, `per_second >= 1`, `retry_after <= 3600`.
    pub fn validate(&self) -> Result<(), FaultError> {
        let fail = |message: String| Err(FaultError(message));
        if let Some([min, max]) = self.latency_ms
            && (min > max || max > 60_000)
        {
            return fail(format!(
                "latency_ms must be [min, max] with min <= max <= 60000, got [{min}, {max}]"
            ));
        }
        let mut total = 0.0;
        for (status, share) in &self.status {
            if !(400..=599).contains(status) {
                return fail(format!("status {status} is not a 4xx or 5xx status"));
            }
            if !(0.0..=1.0).contains(share) {
                return fail(format!(
                    "the share of status {status} must be between 0 and 1, got {share}"
                ));
            }
            total += share;
        }
        if total > 1.0 + 1e-9 {
            return fail(format!("the status shares add up to {total}, more than 1"));
        }
        if let Some(rate) = self.rate_limit
            && (rate.per_second == 0 || rate.retry_after > 3600)
        {
            return fail("rate_limit needs per_second >= 1 and retry_after <= 3600".to_owned());
        }
        match self.drop {
            Some(p) if !(0.0..=1.0).contains(&p) => {
                fail(format!("drop must be between 0 and 1, got {p}"))
            }
            _ => Ok(()),
        }
    }

    /// Whether the plan injects nothing.
    pub fn is_off(&self) -> bool {
        self.latency_ms.is_none()
            && self.status.is_empty()
            && self.rate_limit.is_none()
            && self.drop.is_none()
    }
}

/// A lock-free xorshift64* generator: seedable, good enough for fault dice.
#[derive(Debug)]
pub struct Rng(AtomicU64);

impl Rng {
    /// A generator from a seed (any value; 0 is remapped).
    pub fn new(seed: u64) -> Rng {
        Rng(AtomicU64::new(mix(seed) | 1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&self) -> u64 {
        let step = |mut x: u64| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x
        };
        let previous = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |x| Some(step(x)))
            .unwrap_or_else(|x| x);
        step(previous).wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A uniform draw in `[0, 1)`.
    pub fn unit(&self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform draw in `[min, max]`.
    pub fn between(&self, min: u64, max: u64) -> u64 {
        let span = max.saturating_sub(min).saturating_add(1);
        min + self.next_u64() % span.max(1)
    }
}

/// What the dice decided for one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Answer 429 with this `Retry-After` (seconds).
    RateLimited(u64),
    /// Answer this status without processing.
    Status(u16),
    /// Process; then answer, or close the connection without answering when `drop` is set.
    Proceed {
        /// Close the connection after processing.
        drop: bool,
    },
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled: Instant,
}

/// The current plan, the dice and the rate limiter's bucket.
#[derive(Debug)]
pub struct Faults {
    plan: RwLock<Arc<FaultPlan>>,
    bucket: Mutex<Bucket>,
    rng: Rng,
}

impl Faults {
    /// Faults following `plan`, with dice seeded by `seed`.
    pub fn new(plan: FaultPlan, seed: u64) -> Faults {
        let tokens = plan.rate_limit.map_or(0.0, |r| f64::from(r.per_second));
        Faults {
            plan: RwLock::new(Arc::new(plan)),
            bucket: Mutex::new(Bucket {
                tokens,
                refilled: Instant::now(),
            }),
            rng: Rng::new(seed),
        }
    }

    /// The plan in force.
    pub fn plan(&self) -> Arc<FaultPlan> {
        match self.plan.read() {
            Ok(plan) => Arc::clone(&plan),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the plan (and refills the rate limiter's bucket).
    pub fn set(&self, plan: FaultPlan) {
        let tokens = plan.rate_limit.map_or(0.0, |r| f64::from(r.per_second));
        *self.plan.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(plan);
        *self.bucket.lock().unwrap_or_else(|p| p.into_inner()) = Bucket {
            tokens,
            refilled: Instant::now(),
        };
    }

    /// The injected delay for one request, if any.
    pub fn latency(&self, plan: &FaultPlan) -> Option<Duration> {
        plan.latency_ms
            .map(|[min, max]| Duration::from_millis(self.rng.between(min, max)))
    }

    /// Rolls the dice for one request (after its latency).
    pub fn verdict(&self, plan: &FaultPlan) -> Verdict {
        if let Some(rate) = plan.rate_limit
            && !self.take_token(rate.per_second)
        {
            return Verdict::RateLimited(rate.retry_after);
        }
        if !plan.status.is_empty() {
            let roll = self.rng.unit();
            let mut cumulative = 0.0;
            for (status, share) in &plan.status {
                cumulative += share;
                if roll < cumulative {
                    return Verdict::Status(*status);
                }
            }
        }
        let drop = plan.drop.is_some_and(|p| self.rng.unit() < p);
        Verdict::Proceed { drop }
    }

    fn take_token(&self, per_second: u32) -> bool {
        let rate = f64::from(per_second);
        let mut bucket = self.bucket.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let earned = now.duration_since(bucket.refilled).as_secs_f64() * rate;
        bucket.tokens = (bucket.tokens + earned).min(rate);
        bucket.refilled = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_shape_and_round_trips() {
        let json = br#"{"latency_ms": [1, 5], "status": {"503": 0.05}, "rate_limit": {"per_second": 50, "retry_after": 1}, "drop": 0.01}"#;
        let plan = FaultPlan::from_json(json).unwrap();
        assert_eq!(plan.status.get(&503), Some(&0.05));
        let again = FaultPlan::from_json(serde_json::to_string(&plan).unwrap().as_bytes()).unwrap();
        assert_eq!(plan, again);
        assert!(FaultPlan::from_json(b"{}").unwrap().is_off());
    }

    #[test]
    fn refuses_bad_plans() {
        for bad in [
            r#"{"latency_ms": [5, 1]}"#,
            r#"{"status": {"200": 0.5}}"#,
            r#"{"status": {"503": 0.7, "500": 0.7}}"#,
            r#"{"drop": 2}"#,
            r#"{"rate_limit": {"per_second": 0}}"#,
            r#"{"dropped": 0.1}"#,
            r#"{"status": {"abc": 0.1}}"#,
            "[",
        ] {
            assert!(FaultPlan::from_json(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn status_share_matches_probability() {
        let faults = Faults::new(
            FaultPlan::from_json(br#"{"status": {"503": 0.25}}"#).unwrap(),
            7,
        );
        let plan = faults.plan();
        let hits = (0..20_000)
            .filter(|_| faults.verdict(&plan) == Verdict::Status(503))
            .count();
        assert!((4_500..5_500).contains(&hits), "{hits}");
    }

    #[test]
    fn rate_limit_allows_a_burst_then_refuses() {
        let faults = Faults::new(
            FaultPlan::from_json(br#"{"rate_limit": {"per_second": 10, "retry_after": 2}}"#)
                .unwrap(),
            1,
        );
        let plan = faults.plan();
        let verdicts: Vec<Verdict> = (0..12).map(|_| faults.verdict(&plan)).collect();
        assert_eq!(
            verdicts
                .iter()
                .filter(|v| **v == Verdict::RateLimited(2))
                .count(),
            2
        );
    }
}
