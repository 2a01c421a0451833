//! The worker's transport: reqwest, no faster than `--max-rps` toward ACS, each exchange
//! timed into the latency histogram.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use ccpa_optout::{HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError};

use crate::metrics::{Metrics, status_class};

/// A request-rate ceiling: the generic cell rate algorithm (a token bucket that keeps one
/// instant instead of a count), with bursts of a tenth of a second's worth.
#[derive(Debug)]
struct Pace {
    interval: Duration,
    tolerance: Duration,
    next: Mutex<Option<Instant>>,
}

impl Pace {
    fn new(per_second: u32) -> Pace {
        let per_second = per_second.max(1);
        let interval = Duration::from_secs(1) / per_second;
        Pace {
            interval,
            tolerance: interval * (per_second / 10).saturating_sub(1),
            next: Mutex::new(None),
        }
    }

    /// How long to wait before sending, the slot being taken at once (so concurrent senders
    /// queue up behind one another instead of all waking together).
    fn reserve(&self, now: Instant) -> Duration {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let arrival = next.map_or(now, |at| at.max(now));
        *next = Some(arrival + self.interval);
        arrival.saturating_duration_since(now + self.tolerance)
    }
}

/// HTTP toward ACS for the worker's client.
#[derive(Debug, Clone)]
pub struct PacedTransport {
    inner: ReqwestTransport,
    pace: Option<Arc<Pace>>,
    metrics: Arc<Metrics>,
}

impl PacedTransport {
    /// Over `inner`, at most `max_rps` requests per second (`None`: no ceiling).
    pub fn new(inner: ReqwestTransport, max_rps: Option<u32>, metrics: Arc<Metrics>) -> Self {
        PacedTransport {
            inner,
            pace: max_rps.map(|rps| Arc::new(Pace::new(rps))),
            metrics,
        }
    }
}

impl Transport for PacedTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        if let Some(pace) = &self.pace {
            let wait = pace.reserve(Instant::now());
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
        }
        let started = Instant::now();
        let answer = self.inner.send(request).await;
        let status = answer.as_ref().ok().map(|r| r.status().as_u16());
        self.metrics
            .acs_latency
            .with_label_values(&[status_class(status)])
            .observe(started.elapsed().as_secs_f64());
        answer
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }

    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_spaces_requests_after_a_short_burst() {
        let pace = Pace::new(100);
        let now = Instant::now();
        let waits: Vec<Duration> = (0..12).map(|_| pace.reserve(now)).collect();
        // 10 ms apart, the first 10 (a tenth of a second's worth) at once.
        assert!(waits[..10].iter().all(Duration::is_zero), "{waits:?}");
        assert_eq!(waits[10], Duration::from_millis(10));
        assert_eq!(waits[11], Duration::from_millis(20));
        let slow = Pace::new(1);
        assert_eq!(slow.reserve(now), Duration::ZERO);
        assert_eq!(slow.reserve(now), Duration::from_secs(1));
    }
}
