//! The HTTP API of the contract, as an axum [`Router`] that other Rust apps can mount.

mod cors;
mod limit;
mod opt_outs;
mod probes;
mod reply;
mod signals;
mod view;

use std::sync::Arc;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use limit::AddressLimiter;
pub use view::{Accepted, RequestView};

use crate::error::ApiError;
use crate::receiver::Shared;

/// The routes: `/v1/opt-outs`, `/v1/opt-outs/{id}`, `/v1/signals`, `/.well-known/gpc.json`,
/// `/healthz`, `/readyz`, `/metrics`; every other path or method a typed 404 or 405.
pub fn router(shared: Arc<Shared>) -> Router {
    let browser = Router::new()
        .route("/v1/signals", post(signals::post).options(signals::options))
        .route(
            "/v1/opt-outs/{id}",
            get(opt_outs::get).options(signals::options),
        )
        .layer(from_fn_with_state(
            Arc::clone(&shared),
            cors::browser_origin,
        ));
    Router::new()
        .route("/v1/opt-outs", post(opt_outs::post))
        .merge(browser)
        .route("/.well-known/gpc.json", get(probes::gpc_json))
        .route("/healthz", get(probes::healthz))
        .route("/readyz", get(probes::readyz))
        .route("/metrics", get(probes::metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(Arc::clone(&shared), count))
        .with_state(shared)
}

async fn not_found() -> Response {
    ApiError::not_found("no such route").into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::method_not_allowed().into_response()
}

/// Counts every answer by route (the matched pattern, not the path: ids would make one
/// series per request) and status.
async fn count(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    shared
        .metrics
        .http_requests
        .with_label_values(&[route.as_str(), response.status().as_str()])
        .inc();
    response
}
