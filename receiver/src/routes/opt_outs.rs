//! `POST /v1/opt-outs` (the site's backend) and `GET /v1/opt-outs/{id}` (the backend, or the
//! browser of the subject with its token).

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use ccpa_optout::Subject;
use http::StatusCode;
use jiff::Timestamp;

use super::reply::{bearer, content_type, json, read_body};
use super::view::{Accepted, RequestView};
use crate::body::{OptOutBody, read_json};
use crate::error::ApiError;
use crate::intake::{NewRequest, opt_out_request, sha256_hex};
use crate::keys::new_request_id;
use crate::receiver::Shared;
use crate::store::{Inserted, StoredRequest};

/// Ids are `oo_` and 32 hex digits; anything much longer is not one.
const MAX_ID_LEN: usize = 64;

/// `POST /v1/opt-outs`.
pub async fn post(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    accept(&shared, request)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn accept(shared: &Shared, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    match bearer(&parts.headers)? {
        Some(key) if shared.config.api_keys.accepts(key) => {}
        Some(_) => return Err(ApiError::unauthorized("authorization", "unknown API key")),
        None => {
            return Err(ApiError::unauthorized(
                "authorization",
                "Authorization: Bearer <receiver API key> is required",
            ));
        }
    }
    let bytes = read_body(&parts, body).await?;
    let body: OptOutBody = read_json(content_type(&parts.headers), &bytes)?;
    let id = new_request_id().map_err(|e| ApiError::unavailable(e.0))?;
    let request = opt_out_request(body, id, Timestamp::now(), &shared.config.calendar)?;
    store(shared, request, "/v1/opt-outs").await
}

/// Stores a request: `202` with the acknowledgement once committed, or `200` with the request
/// already stored under the same `requestId`.
pub async fn store(
    shared: &Shared,
    request: NewRequest,
    route: &str,
) -> Result<Response, ApiError> {
    match shared.insert(request).await? {
        Inserted::New(stored) => {
            shared
                .metrics
                .acknowledged
                .with_label_values(&[route])
                .inc();
            Ok(json(StatusCode::ACCEPTED, &Accepted::of(&stored)))
        }
        Inserted::Existing(stored) => Ok(json(
            StatusCode::OK,
            &RequestView::of(&stored, &shared.config.calendar, Timestamp::now()),
        )),
    }
}

/// `GET /v1/opt-outs/{id}`.
pub async fn get(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    status(&shared, id, request)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn status(shared: &Shared, id: String, request: Request) -> Result<Response, ApiError> {
    let credential = bearer(request.headers())?.ok_or_else(|| {
        ApiError::unauthorized(
            "authorization",
            "Authorization: Bearer <receiver API key or subject token> is required",
        )
    })?;
    // A token is only ever allowed to see its own subject's requests.
    let subject = if shared.config.api_keys.accepts(credential) {
        None
    } else {
        let verifier = shared
            .config
            .subject_tokens
            .as_ref()
            .ok_or_else(|| ApiError::unauthorized("authorization", "unknown API key"))?;
        Some(verifier.verify(credential, now_seconds())?)
    };
    let unknown = || ApiError::not_found("no request has this id");
    if id.len() > MAX_ID_LEN {
        return Err(unknown());
    }
    let stored = shared
        .store
        .get(id)
        .await
        .map_err(|e| ApiError::unavailable(e.to_string()))?
        .ok_or_else(unknown)?;
    if let Some(subject) = subject
        && !is_about(&stored, &subject)
    {
        // The same answer as an unknown id: a token does not learn whether others exist.
        return Err(unknown());
    }
    let view = RequestView::of(&stored, &shared.config.calendar, Timestamp::now());
    Ok(json(StatusCode::OK, &view))
}

/// Whether a stored request is about `subject` (its email compared by SHA-256, since the
/// address itself is gone once the request is settled).
fn is_about(stored: &StoredRequest, subject: &Subject) -> bool {
    match subject {
        Subject::PKey(pkey) => stored.pkey.as_deref() == Some(pkey.as_str()),
        Subject::Email(email) => {
            stored.email_sha256.as_deref() == Some(sha256_hex(email.as_str().as_bytes()).as_str())
        }
    }
}

/// Seconds since the epoch.
pub fn now_seconds() -> u64 {
    u64::try_from(Timestamp::now().as_second()).unwrap_or(0)
}
