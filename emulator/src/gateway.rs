//! What stands before every ACS and token request: injected faults, then counting the outcome.

use std::future::Future;
use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, StatusCode, header};
use tokio::sync::Notify;

use crate::acs_error::AcsError;
use crate::app::App;
use crate::faults::Verdict;
use crate::stats::DROPPED;

/// Lets a handler close its own connection without answering (the `drop` fault).
#[derive(Debug, Clone, Default)]
pub struct ConnectionDrop(Arc<Notify>);

impl ConnectionDrop {
    /// Asks the connection's task to close the socket now.
    pub fn drop_now(&self) {
        self.0.notify_one();
    }

    /// Resolves once [`ConnectionDrop::drop_now`] was called.
    pub async fn requested(&self) {
        self.0.notified().await;
    }
}

/// The peer of a connection (the admin API answers loopback peers only).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub std::net::SocketAddr);

/// Runs `handle` under the fault plan and counts the final status for `/_emulator/stats`.
///
/// Order: latency, then rate limit (429), then injected statuses (not processed), then the
/// request itself; with `drop`, the processed request gets no answer and the connection closes.
pub async fn admit<F, Fut>(
    app: &App,
    method: &Method,
    route: &'static str,
    dropper: Option<ConnectionDrop>,
    handle: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Response>,
{
    let plan = app.faults.plan();
    let mut drop_connection = false;
    if !plan.is_off() {
        if let Some(delay) = app.faults.latency(&plan) {
            tokio::time::sleep(delay).await;
        }
        match app.faults.verdict(&plan) {
            Verdict::RateLimited(retry_after) => {
                app.stats.record(method, route, 429);
                return rate_limited(retry_after);
            }
            Verdict::Status(status) => {
                app.stats.record(method, route, status);
                return injected(status);
            }
            Verdict::Proceed { drop } => drop_connection = drop,
        }
    }
    let response = handle().await;
    if let (true, Some(dropper)) = (drop_connection, dropper) {
        app.stats.record(method, route, DROPPED);
        dropper.drop_now();
        // The connection task drops this future together with the connection.
        return std::future::pending().await;
    }
    app.stats.record(method, route, response.status().as_u16());
    response
}

/// 429 with `Retry-After`, in the gateway's shape (Adobe I/O answers throttling with `429050`).
fn rate_limited(retry_after: u64) -> Response {
    let mut response =
        AcsError::gateway(StatusCode::TOO_MANY_REQUESTS, "429050", "Too many requests")
            .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// An injected status in the backend shape; 429 also carries `Retry-After: 1`.
fn injected(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let reason = status.canonical_reason().unwrap_or("Error");
    let message = format!("{reason} (injected by the acs-emulator fault plan)");
    let mut response = AcsError::backend(status, message).into_response();
    if status == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(1u64));
    }
    response
}
