//! One profile: create (POST), read (GET), change (PATCH), delete (DELETE).

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::json;

use super::view::{self, Links};
use crate::acs_error::{AcsError, json_response};
use crate::app::App;
use crate::{body, clock, fields};

/// `GET …/profile/{PKey}`: the bare profile object.
pub fn get(app: &App, links: &Links, pkey: &str) -> Result<Response, AcsError> {
    let store = app.read();
    let record = store.get(pkey).ok_or_else(AcsError::not_found)?;
    Ok(json_response(
        StatusCode::OK,
        &view::profile(record, links, clock::now_ms()),
    ))
}

/// `POST …/profile`: 201 with the full created profile.
pub async fn create(app: &App, links: &Links, body: Body) -> Result<Response, AcsError> {
    let bytes = body::read(body, app.config.body_limit).await?;
    let written = body::json_object(&bytes)?;
    fields::validate_write(links.api, &written)?;
    let now = clock::now_ms();
    let record = app
        .write(|store, journal| {
            let record = store.create(written, now);
            journal.put(record);
            Ok(record.clone())
        })
        .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &view::profile(&record, links, now),
    ))
}

/// `PATCH …/profile/{PKey}`: 200 `{PKey, href}`. An empty object changes nothing (not even
/// `lastModified`) and still answers 200.
pub async fn patch(app: &App, links: &Links, pkey: &str, body: Body) -> Result<Response, AcsError> {
    let bytes = body::read(body, app.config.body_limit).await?;
    let changes = body::json_object(&bytes)?;
    fields::validate_write(links.api, &changes)?;
    let now = clock::now_ms();
    let changed = !changes.is_empty();
    let pkey = app
        .write(|store, journal| {
            let record = store
                .patch(pkey, changes, now)
                .ok_or_else(AcsError::not_found)?;
            if changed {
                journal.put(record);
            }
            Ok(record.pkey.clone())
        })
        .await?;
    let href = links.profile(&pkey);
    Ok(json_response(
        StatusCode::OK,
        &json!({"PKey": pkey, "href": href}),
    ))
}

/// `DELETE …/profile/{PKey}`: 200 with an empty body (ACS documents none).
pub async fn delete(app: &App, pkey: &str) -> Result<Response, AcsError> {
    app.write(|store, journal| {
        store.delete(pkey).ok_or_else(AcsError::not_found)?;
        journal.delete(pkey);
        Ok(())
    })
    .await?;
    Ok(StatusCode::OK.into_response())
}

/// `GET …/profile/{PKey}/subscriptions/`: the emulator keeps no services, so always empty.
pub fn subscriptions(app: &App, pkey: &str) -> Result<Response, AcsError> {
    app.read().get(pkey).ok_or_else(AcsError::not_found)?;
    Ok(json_response(
        StatusCode::OK,
        &json!({"content": [], "serverSidePagination": true}),
    ))
}
