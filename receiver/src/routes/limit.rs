//! The flood limit of `/v1/signals`: a token bucket per client address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use crate::config::AddressLimit;
use crate::error::ApiError;

/// Addresses remembered at most; beyond it, the ones whose bucket is full again are forgotten
/// (they are indistinguishable from new ones), so a spray of addresses cannot grow memory.
const MAX_ADDRESSES: usize = 100_000;

/// Per-address buckets.
#[derive(Debug)]
pub struct AddressLimiter {
    limit: AddressLimit,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl AddressLimiter {
    /// Buckets of `limit.burst` tokens refilled at `limit.per_minute`.
    pub fn new(limit: AddressLimit) -> Self {
        AddressLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `address`, or a 429 saying how many seconds until the next one.
    pub fn take(&self, address: IpAddr, now: Instant) -> Result<(), ApiError> {
        let burst = f64::from(self.limit.burst.max(1));
        let per_second = f64::from(self.limit.per_minute.max(1)) / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_ADDRESSES && !buckets.contains_key(&address) {
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.saturating_duration_since(*at).as_secs_f64() * per_second < burst
            });
        }
        let (tokens, at) = buckets.entry(address).or_insert((burst, now));
        let refilled =
            (*tokens + now.saturating_duration_since(*at).as_secs_f64() * per_second).min(burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            return Ok(());
        }
        *tokens = refilled;
        let wait = ((1.0 - refilled) / per_second).ceil().max(1.0);
        Err(ApiError::rate_limited(wait as u64))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_passes_then_one_address_waits_while_another_goes_on() {
        let limiter = AddressLimiter::new(AddressLimit {
            per_minute: 60,
            burst: 3,
        });
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let now = Instant::now();
        for _ in 0..3 {
            limiter.take(a, now).unwrap();
        }
        let refused = limiter.take(a, now).unwrap_err();
        assert_eq!((refused.status, refused.retry_after), (429, Some(1)));
        limiter.take(b, now).unwrap();
        limiter.take(a, now + Duration::from_secs(1)).unwrap();
    }
}
