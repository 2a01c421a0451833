//! `/_emulator/*`: faults, stats, reset and the privacy job schedule, for loopback clients, with
//! no auth and no faults.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::response::Response;
use http::StatusCode;
use serde_json::json;

use crate::acs_error::json_response;
use crate::app::App;
use crate::body;
use crate::faults::FaultPlan;
use crate::gateway::Peer;
use crate::jobs::{FailRefused, Schedule};

/// Largest accepted fault plan.
const PLAN_LIMIT: usize = 64 * 1024;

fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    let message: String = message.into();
    json_response(status, &json!({"error": message}))
}

/// The admin API is for the machine the emulator runs on: a 403 for any other peer.
fn refuse_remote(request: &Request) -> Option<Response> {
    match request.extensions().get::<Peer>() {
        Some(Peer(addr)) if !addr.ip().is_loopback() => Some(refuse(
            StatusCode::FORBIDDEN,
            "the admin API answers loopback clients only",
        )),
        _ => None,
    }
}

/// `GET /_emulator/faults`: the plan in force (`{}` when none).
pub async fn get_faults(State(app): State<Arc<App>>, request: Request) -> Response {
    if let Some(refused) = refuse_remote(&request) {
        return refused;
    }
    let plan = app.faults.plan();
    json_response(
        StatusCode::OK,
        &serde_json::to_value(&*plan).unwrap_or_else(|_| json!({})),
    )
}

/// `PUT /_emulator/faults`: replaces the plan; 400 with the reason when it is invalid.
pub async fn put_faults(State(app): State<Arc<App>>, request: Request) -> Response {
    if let Some(refused) = refuse_remote(&request) {
        return refused;
    }
    let bytes = match body::read(request.into_body(), PLAN_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("a fault plan is at most {PLAN_LIMIT} bytes"),
            );
        }
    };
    match FaultPlan::from_json(&bytes) {
        Ok(plan) => {
            let shown = serde_json::to_value(&plan).unwrap_or_else(|_| json!({}));
            app.faults.set(plan);
            json_response(StatusCode::OK, &shown)
        }
        Err(e) => refuse(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

/// `POST /_emulator/reset`: empties the store and the counters, re-seeds, keeps the faults.
pub async fn reset(State(app): State<Arc<App>>, request: Request) -> Response {
    if let Some(refused) = refuse_remote(&request) {
        return refused;
    }
    match app.reset().await {
        Ok(()) => json_response(
            StatusCode::OK,
            &json!({"reset": true, "profiles": app.read().len()}),
        ),
        Err(e) => refuse(
            e.status(),
            "the reset could not be written to the data file",
        ),
    }
}

/// `GET /_emulator/stats`: `{"total": n, "requests": [{method, route, status, count}, ...]}`.
pub async fn stats(State(app): State<Arc<App>>, request: Request) -> Response {
    if let Some(refused) = refuse_remote(&request) {
        return refused;
    }
    json_response(
        StatusCode::OK,
        &serde_json::to_value(app.stats.snapshot()).unwrap_or_else(|_| json!({})),
    )
}

/// `GET /_emulator/privacy`: the job schedule in force.
pub async fn get_privacy(State(app): State<Arc<App>>, request: Request) -> Response {
    if let Some(refused) = refuse_remote(&request) {
        return refused;
    }
    json_response(StatusCode::OK, &app.jobs.schedule().to_json())
}

/// `PUT /_emulator/privacy`: replaces the job schedule (keys left out take their defaults);
/// 400 with the reason when it is invalid.
pub async fn put_privacy(State(app): State<Arc<App>>, request: Request) -> Response {
    if let Some(refused) = refuse_remote(&request) {
        return refused;
    }
    let Ok(bytes) = body::read(request.into_body(), PLAN_LIMIT).await else {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("a privacy schedule is at most {PLAN_LIMIT} bytes"),
        );
    };
    match Schedule::from_json(&bytes) {
        Ok(schedule) => {
            let shown = schedule.to_json();
            app.jobs.set_schedule(schedule);
            json_response(StatusCode::OK, &shown)
        }
        Err(e) => refuse(
            StatusCode::BAD_REQUEST,
            format!("invalid privacy schedule: {e}"),
        ),
    }
}

/// `POST /_emulator/privacy/jobs/{id}/fail`: the job ends in `error` when it finishes.
pub async fn fail_job(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    if let Some(refused) = refuse_remote(&request) {
        return refused;
    }
    match app.jobs.fail(&id) {
        Ok(()) => json_response(StatusCode::OK, &json!({"jobId": id, "fail": true})),
        Err(FailRefused::Unknown) => refuse(StatusCode::NOT_FOUND, format!("no job {id}")),
        Err(FailRefused::Ended(status)) => refuse(
            StatusCode::CONFLICT,
            format!(
                "job {id} is already {}: too late to make it fail",
                status.name()
            ),
        ),
    }
}

/// Any other `/_emulator/…` path or method.
pub async fn unknown(request: Request<Body>) -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        format!(
            "no admin route {} {}: use GET/PUT /_emulator/faults, POST /_emulator/reset, GET /_emulator/stats, GET/PUT /_emulator/privacy, POST /_emulator/privacy/jobs/{{jobId}}/fail",
            request.method(),
            request.uri().path()
        ),
    )
}
