//! Request counters for `/_emulator/stats`: by method, coarse route name and final status.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;

/// The status recorded for a request whose connection was dropped without an answer.
pub const DROPPED: u16 = 0;

/// A snapshot of the counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Every counted request.
    pub total: u64,
    /// One entry per (method, route, status), sorted by route, method, status.
    pub requests: Vec<RequestCount>,
}

/// How many requests had this method, route and final status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestCount {
    /// `GET`, `POST`, `PATCH`, `DELETE`, `PUT`, `HEAD`, `OPTIONS`, or `OTHER` for any other method.
    pub method: String,
    /// The route name: `profile`, `byEmail`, `byText`, `count`, `field`, `subscriptions`,
    /// `metadata`, `token` or `unknown`.
    pub route: String,
    /// The final HTTP status; `0` when the connection was dropped on purpose (fault `drop`).
    pub status: u16,
    /// The number of such requests.
    pub count: u64,
}

/// The live counters.
#[derive(Debug, Default)]
pub struct StatsCounter {
    counts: Mutex<HashMap<(&'static str, &'static str, u16), u64>>,
}

impl StatsCounter {
    /// Counts one request.
    pub fn record(&self, method: &http::Method, route: &'static str, status: u16) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        *counts
            .entry((method_name(method), route, status))
            .or_default() += 1;
    }

    /// Forgets every count.
    pub fn clear(&self) {
        self.counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// The counts so far.
    pub fn snapshot(&self) -> Stats {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let mut requests: Vec<RequestCount> = counts
            .iter()
            .map(|(&(method, route, status), &count)| RequestCount {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
                count,
            })
            .collect();
        requests
            .sort_by(|a, b| (&a.route, &a.method, a.status).cmp(&(&b.route, &b.method, b.status)));
        Stats {
            total: requests.iter().map(|r| r.count).sum(),
            requests,
        }
    }
}

/// Known methods by name; any other token is `OTHER`, so odd clients cannot grow the table.
fn method_name(method: &http::Method) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"];
    KNOWN
        .into_iter()
        .find(|k| *k == method.as_str())
        .unwrap_or("OTHER")
}
