//! `/metrics`: the receiver's counters, gauges and ACS latency histogram, exposed in the
//! Prometheus text format by the `prometheus` crate.

use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use crate::store::QueueStats;

const PREFIX: &str = "ccpa_optout_receiver";

/// Every metric of one receiver.
#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    /// HTTP requests answered, by route and status.
    pub http_requests: IntCounterVec,
    /// Requests stored (acknowledged), by route.
    pub acknowledged: IntCounterVec,
    /// Requests settled, by outcome (`applied`, `unchanged`, `not-found`, `rejected`).
    pub settled: IntCounterVec,
    /// Tries that failed and will be retried, by the core's error kind.
    pub retries: IntCounterVec,
    /// Requests not settled yet.
    pub queue_depth: IntGauge,
    /// Age of the oldest request not settled yet, in seconds.
    pub oldest_queued_age: Gauge,
    /// Open requests past their 15-business-day due date.
    pub overdue: IntGauge,
    /// 1 while ACS refuses the credentials (the worker is paused).
    pub acs_credentials_refused: IntGauge,
    /// 0 while ACS answers with retryable failures (outage, rate limit), else 1.
    pub acs_available: IntGauge,
    /// Duration of each HTTP exchange with ACS, by status class (`2xx`, `4xx`, `5xx`, `error`).
    pub acs_latency: HistogramVec,
}

impl Metrics {
    /// A fresh set, registered in its own registry.
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let name = |short: &str| format!("{PREFIX}_{short}");
        let counter = |short: &str, help: &str, labels: &[&str]| {
            let metric = IntCounterVec::new(Opts::new(name(short), help), labels)?;
            registry.register(Box::new(metric.clone()))?;
            Ok::<_, prometheus::Error>(metric)
        };
        let gauge = |short: &str, help: &str| {
            let metric = IntGauge::new(name(short), help)?;
            registry.register(Box::new(metric.clone()))?;
            Ok::<_, prometheus::Error>(metric)
        };
        let metrics = Metrics {
            http_requests: counter(
                "http_requests_total",
                "HTTP requests answered, by route and status",
                &["route", "status"],
            )?,
            acknowledged: counter(
                "acknowledged_total",
                "Opt-out requests stored durably and acknowledged, by route",
                &["route"],
            )?,
            settled: counter(
                "settled_total",
                "Requests settled, by outcome",
                &["outcome"],
            )?,
            retries: counter(
                "retries_total",
                "Tries that failed and will be retried, by error kind",
                &["kind"],
            )?,
            queue_depth: gauge("queue_depth", "Requests not settled yet")?,
            oldest_queued_age: {
                let metric = Gauge::new(
                    name("oldest_queued_age_seconds"),
                    "Age of the oldest request not settled yet",
                )?;
                registry.register(Box::new(metric.clone()))?;
                metric
            },
            overdue: gauge(
                "overdue_requests",
                "Open requests past their 15-business-day due date",
            )?,
            acs_credentials_refused: gauge(
                "acs_credentials_refused",
                "1 while ACS refuses the credentials and the worker is paused",
            )?,
            acs_available: gauge(
                "acs_available",
                "0 while ACS answers with retryable failures, else 1",
            )?,
            acs_latency: {
                let opts = HistogramOpts::new(
                    name("acs_request_duration_seconds"),
                    "Duration of each HTTP exchange with ACS, by status class",
                )
                .buckets(vec![
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
                ]);
                let metric = HistogramVec::new(opts, &["status"])?;
                registry.register(Box::new(metric.clone()))?;
                metric
            },
            registry,
        };
        metrics.acs_available.set(1);
        Ok(metrics)
    }

    /// Sets the queue gauges from the store's counts.
    pub fn set_queue(&self, stats: &QueueStats, now_ms: i64) {
        self.queue_depth
            .set(i64::try_from(stats.open).unwrap_or(i64::MAX));
        self.overdue
            .set(i64::try_from(stats.overdue).unwrap_or(i64::MAX));
        let age = stats
            .oldest_open_ms
            .map_or(0.0, |oldest| (now_ms - oldest).max(0) as f64 / 1000.0);
        self.oldest_queued_age.set(age);
    }

    /// The text exposition of every metric.
    pub fn render(&self) -> String {
        let mut text = Vec::new();
        // Encoding into a Vec cannot fail for the text format.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut text);
        String::from_utf8(text).unwrap_or_default()
    }
}

/// The status class of an ACS answer, for the latency histogram.
pub fn status_class(status: Option<u16>) -> &'static str {
    match status {
        Some(200..=299) => "2xx",
        Some(300..=399) => "3xx",
        Some(400..=499) => "4xx",
        Some(500..=599) => "5xx",
        _ => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_names_every_metric_with_the_prefix() {
        let metrics = Metrics::new().unwrap();
        metrics
            .http_requests
            .with_label_values(&["/v1/opt-outs", "202"])
            .inc();
        metrics
            .acs_latency
            .with_label_values(&["2xx"])
            .observe(0.02);
        metrics.set_queue(
            &QueueStats {
                total: 3,
                open: 2,
                oldest_open_ms: Some(1_000),
                overdue: 1,
            },
            4_000,
        );
        let text = metrics.render();
        for line in [
            "ccpa_optout_receiver_http_requests_total{route=\"/v1/opt-outs\",status=\"202\"} 1",
            "ccpa_optout_receiver_queue_depth 2",
            "ccpa_optout_receiver_oldest_queued_age_seconds 3",
            "ccpa_optout_receiver_overdue_requests 1",
            "ccpa_optout_receiver_acs_available 1",
            "# TYPE ccpa_optout_receiver_acs_request_duration_seconds histogram",
        ] {
            assert!(text.contains(line), "{line} missing in\n{text}");
        }
    }
}
