//! The routes for machines: `/healthz`, `/readyz`, `/metrics`, and the GPC support resource
//! `/.well-known/gpc.json`.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use ccpa_optout::calendar::day_in;
use http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};
use jiff::Timestamp;
use serde_json::json;

use super::reply::json;
use crate::receiver::Shared;

/// How long `/readyz` waits for the store to take a write.
const STORE_CHECK: Duration = Duration::from_secs(2);

/// `GET /healthz`: the process runs.
pub async fn healthz() -> Response {
    json(StatusCode::OK, &json!({"status": "ok"}))
}

/// `GET /readyz`: 200 when the store takes writes, the receiver is not draining and ACS has
/// not refused the credentials; 503 with the reasons otherwise.
pub async fn readyz(State(shared): State<Arc<Shared>>) -> Response {
    let store = match tokio::time::timeout(STORE_CHECK, shared.store.ping()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(err)) => Err(err.to_string()),
        Err(_) => Err("no answer within 2 s".to_owned()),
    };
    let readiness = shared.health.readiness(store);
    let status = if readiness.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    json(status, &readiness)
}

/// `GET /metrics`: the Prometheus text format, the queue gauges read from the store now.
pub async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    let now = Timestamp::now();
    let today = day_in(now, &jiff::tz::TimeZone::UTC);
    if let Ok(stats) = shared.store.stats(today).await {
        shared.metrics.set_queue(&stats, now.as_millisecond());
    }
    (
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        shared.metrics.render(),
    )
        .into_response()
}

/// `GET /.well-known/gpc.json`: `{"gpc": true, "lastUpdate": "YYYY-MM-DD"}`.
pub async fn gpc_json(State(shared): State<Arc<Shared>>) -> Response {
    let body = json!({"gpc": true, "lastUpdate": shared.config.gpc_last_update.to_string()});
    let mut response = json(StatusCode::OK, &body);
    // A public statement: any page or extension may read it.
    response
        .headers_mut()
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}
