//! `POST /ims/token/v3`: an IMS-like OAuth server-to-server (`client_credentials`) token endpoint.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::response::Response;
use http::{Method, StatusCode};
use serde_json::json;

use crate::acs_error::json_response;
use crate::app::App;
use crate::body;
use crate::gateway::{self, ConnectionDrop};
use crate::routes::Query;

/// Issues a bearer token for the configured client credentials, under the fault plan.
pub async fn token(State(app): State<Arc<App>>, request: Request) -> Response {
    let dropper = request.extensions().get::<ConnectionDrop>().cloned();
    let method = request.method().clone();
    gateway::admit(&app, &method, "token", dropper, || issue(&app, request)).await
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    json_response(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

async fn issue(app: &App, request: Request) -> Response {
    if request.method() != Method::POST {
        return oauth_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request",
            "use POST with a form body",
        );
    }
    let bytes = match body::read(request.into_body(), app.config.body_limit).await {
        Ok(bytes) => bytes,
        Err(e) => {
            return oauth_error(
                e.status(),
                "invalid_request",
                "the request body is too large",
            );
        }
    };
    let form = match std::str::from_utf8(&bytes)
        .ok()
        .map(|text| Query::parse(Some(text)))
    {
        Some(Ok(form)) => form,
        _ => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "the body is not a valid form",
            );
        }
    };
    let config = &app.config;
    if form.get("grant_type") != Some("client_credentials") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be client_credentials",
        );
    }
    if form.get("client_id") != Some(config.effective_client_id()) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "invalid client_id parameter",
        );
    }
    if form.get("client_secret") != Some(config.client_secret.as_str()) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "invalid client_secret parameter",
        );
    }
    let access_token = app
        .tokens
        .issue(Duration::from_secs(config.token_expires_in));
    json_response(
        StatusCode::OK,
        &json!({"access_token": access_token, "token_type": "bearer", "expires_in": config.token_expires_in}),
    )
}
