//! `POST /v1/signals`: a visitor's browser says what its signals are. The subject comes only
//! from a subject token, and only an opt-out is ever queued this way.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use ccpa_optout::signals::{OptOutDecision, gpc_from_headers};
use http::StatusCode;
use jiff::Timestamp;
use serde::Serialize;

use super::opt_outs::now_seconds;
use super::reply::{bearer, client_ip, content_type, json, read_body};
use crate::body::{SignalsBody, read_json};
use crate::error::ApiError;
use crate::intake::{browser_signals, signal_request};
use crate::keys::new_request_id;
use crate::receiver::Shared;
use crate::store::Inserted;

/// `{"honored", "decision", "id"?, "status"?}`.
#[derive(Debug, Serialize)]
struct SignalsAnswer {
    /// Whether the signals are an opt-out that is honoured (for this browser, and with a
    /// token for the subject's profiles).
    honored: bool,
    /// The decision with its reasons.
    decision: OptOutDecision,
    /// The stored request, when one was queued (or had been today).
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    /// Its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
}

/// `POST /v1/signals`.
pub async fn post(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    accept(&shared, request)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// `OPTIONS /v1/signals` without an `Origin` (preflights with one are answered by the origin
/// check): nothing to say but what is allowed.
pub async fn options() -> StatusCode {
    StatusCode::NO_CONTENT
}

async fn accept(shared: &Shared, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let address = client_ip(&parts, shared.config.client_ip_header.as_ref());
    shared.limiter.take(address, Instant::now())?;
    let subject = match bearer(&parts.headers)? {
        Some(token) => {
            let verifier = shared.config.subject_tokens.as_ref().ok_or_else(|| {
                ApiError::unauthorized("token", "this receiver accepts no subject tokens")
            })?;
            Some(verifier.verify(token, now_seconds())?)
        }
        None => None,
    };
    let bytes = read_body(&parts, body).await?;
    let body: SignalsBody = read_json(content_type(&parts.headers), &bytes)?;
    let signals = browser_signals(body, gpc_from_headers(&parts.headers));
    let Some(subject) = subject else {
        // No token: nothing is stored, but the page can still show whether the signal counts.
        let decision = signals.decide();
        let answer = SignalsAnswer {
            honored: decision.value == Some(true),
            decision,
            id: None,
            status: None,
        };
        return Ok(json(StatusCode::OK, &answer));
    };
    let id = new_request_id().map_err(|e| ApiError::unavailable(e.0))?;
    let (decision, request) = signal_request(
        subject,
        signals,
        id,
        Timestamp::now(),
        &shared.config.calendar,
    );
    let Some(request) = request else {
        let answer = SignalsAnswer {
            honored: false,
            decision,
            id: None,
            status: None,
        };
        return Ok(json(StatusCode::OK, &answer));
    };
    let (code, stored) = match shared.insert(request).await? {
        Inserted::New(stored) => {
            shared
                .metrics
                .acknowledged
                .with_label_values(&["/v1/signals"])
                .inc();
            (StatusCode::ACCEPTED, stored)
        }
        Inserted::Existing(stored) => (StatusCode::OK, stored),
    };
    let answer = SignalsAnswer {
        honored: true,
        decision,
        id: Some(stored.id),
        status: Some(stored.status.as_str()),
    };
    Ok(json(code, &answer))
}
