//! The origin check of the browser routes: a request from a page (one with `Origin`) must
//! come from an allowed origin, which then gets the CORS headers; preflights are answered here.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, ORIGIN, VARY,
};
use http::{HeaderValue, Method, StatusCode};

use crate::error::ApiError;
use crate::receiver::Shared;

/// Refuses (403, field `origin`) a request whose `Origin` is not allowed; answers preflights;
/// adds `Access-Control-Allow-Origin` for allowed origins. Requests without `Origin` (servers,
/// tools) pass: the subject token, not the origin, is what authorises a browser request.
pub async fn browser_origin(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(origin) = request.headers().get(ORIGIN).cloned() else {
        return next.run(request).await;
    };
    let allowed = origin.to_str().is_ok_and(|text| {
        let text = text.to_ascii_lowercase();
        shared.config.allowed_origins.contains(&text)
    });
    if !allowed {
        return ApiError::forbidden("origin", "requests from this origin are not allowed")
            .into_response();
    }
    let mut response = if request.method() == Method::OPTIONS {
        let mut preflight = StatusCode::NO_CONTENT.into_response();
        let headers = preflight.headers_mut();
        headers.insert(
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        headers.insert(
            ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        preflight
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.append(VARY, HeaderValue::from_static("origin"));
    response
}
