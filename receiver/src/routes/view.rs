//! The answers about a request: the acknowledgement of a new one, and its full status.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::calendar::{Calendar, Received};
use crate::store::StoredRequest;

/// `202` for a new request: `{"id", "requestId", "status": "queued", "optOut", "dueDate", "decision"}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    /// The receiver's id.
    pub id: String,
    /// The idempotency key.
    pub request_id: String,
    /// Always `queued`.
    pub status: &'static str,
    /// The value that will be applied.
    pub opt_out: bool,
    /// 15 business days after receipt.
    pub due_date: String,
    /// The decision from the signals (`null` for an explicit value without signals).
    pub decision: Value,
}

impl Accepted {
    /// The acknowledgement of `request`.
    pub fn of(request: &StoredRequest) -> Self {
        Accepted {
            id: request.id.clone(),
            request_id: request.request_id.clone(),
            status: "queued",
            opt_out: request.opt_out,
            due_date: request.due_date.clone(),
            decision: raw_json(request.decision.as_deref()),
        }
    }
}

/// `GET /v1/opt-outs/{id}` (and a repeated `requestId`): what became of a request.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
    /// The receiver's id.
    pub id: String,
    /// The idempotency key.
    pub request_id: String,
    /// `queued`, `applying`, `retrying`, `applied`, `unchanged`, `not-found` or `rejected`.
    pub status: &'static str,
    /// The value asked for.
    pub opt_out: bool,
    /// When it was received.
    pub received_at: String,
    /// The due date.
    pub due_date: String,
    /// Met or missed; absent while open and not yet late.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_met: Option<bool>,
    /// When it was settled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_at: Option<String>,
    /// Tries so far.
    pub attempts: u32,
    /// The profiles touched: `[{pkey, previous, current, changed}]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Value>,
    /// Why it was rejected or not found, or the last failure while it is retried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The decision from the signals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Value>,
}

impl RequestView {
    /// The view of `request` on the day of `now`.
    pub fn of(request: &StoredRequest, calendar: &Calendar, now: Timestamp) -> Self {
        let due_met = request.due_met.or_else(|| {
            let received = Received::parse(&request.received_at)?;
            calendar.due_met(&received, None, now)
        });
        RequestView {
            id: request.id.clone(),
            request_id: request.request_id.clone(),
            status: request.status.as_str(),
            opt_out: request.opt_out,
            received_at: request.received_at.clone(),
            due_date: request.due_date.clone(),
            due_met,
            applied_at: request.applied_at.clone(),
            attempts: request.attempts,
            changes: request.changes.as_deref().map(|c| raw_json(Some(c))),
            reason: request.reason.clone(),
            decision: request.decision.as_deref().map(|d| raw_json(Some(d))),
        }
    }
}

fn raw_json(text: Option<&str>) -> Value {
    text.and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null)
}
