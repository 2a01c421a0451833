//! The HTTP surface: the ACS profile API, Privacy Service, the IMS-like token endpoint, the admin API, CORS.

mod job_view;
mod jobs;
mod listing;
mod metadata;
mod paging;
mod privacy;
mod profiles;
mod query;
mod target;
mod view;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use http::{HeaderName, Method, StatusCode, header, request::Parts};
use tower_http::cors::{Any, CorsLayer};

pub use query::Query;

use self::listing::PageRequest;
use self::target::{Resource, Target};
use self::view::Links;
use crate::acs_error::{AcsError, json_response};
use crate::app::App;
use crate::gateway::{self, ConnectionDrop};
use crate::{admin, auth, clock, ims};

/// Every route, behind CORS (preflights are answered before auth and faults).
pub fn router(app: Arc<App>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PATCH,
            Method::DELETE,
            Method::PUT,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            HeaderName::from_static("x-api-key"),
            header::CACHE_CONTROL,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("x-gw-ims-org-id"),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            header::LOCATION,
            header::CONTENT_DISPOSITION,
        ])
        .max_age(Duration::from_secs(600));
    Router::new()
        .route(
            "/_emulator/faults",
            get(admin::get_faults)
                .put(admin::put_faults)
                .fallback(admin::unknown),
        )
        .route(
            "/_emulator/reset",
            post(admin::reset).fallback(admin::unknown),
        )
        .route(
            "/_emulator/stats",
            get(admin::stats).fallback(admin::unknown),
        )
        .route(
            "/_emulator/privacy",
            get(admin::get_privacy)
                .put(admin::put_privacy)
                .fallback(admin::unknown),
        )
        .route(
            "/_emulator/privacy/jobs/{id}/fail",
            post(admin::fail_job).fallback(admin::unknown),
        )
        .route("/_emulator/{*rest}", any(admin::unknown))
        .route("/ims/token/v3", any(ims::token))
        .fallback(acs)
        .layer(cors)
        .with_state(app)
}

/// Any other path: the ACS API behind the gateway.
async fn acs(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let target = Target::parse(parts.uri.path());
    let route = target.as_ref().map_or("unknown", Target::route_name);
    let dropper = parts.extensions.get::<ConnectionDrop>().cloned();
    let method = parts.method.clone();
    gateway::admit(&app, &method, route, dropper, || async {
        serve(&app, &parts, target, body)
            .await
            .unwrap_or_else(IntoResponse::into_response)
    })
    .await
}

async fn serve(
    app: &App,
    parts: &Parts,
    target: Result<Target, AcsError>,
    body: Body,
) -> Result<Response, AcsError> {
    let target = target?;
    let query = Query::parse(parts.uri.query())?;
    app.tokens
        .check(&parts.headers, target.org(), &app.config)?;
    if let Target::PrivacyService(_) = target {
        auth::check_ims_org(&parts.headers, &app.config)?;
    }
    jobs::settle(app).await?;
    // HEAD is answered as GET (hyper leaves the body out).
    let get_for_head = if parts.method == Method::HEAD {
        Method::GET
    } else {
        parts.method.clone()
    };
    let (org, api, resource) = match target {
        Target::Known { org, api, resource } => (org, api, resource),
        Target::Privacy { org, resource } => {
            let links = Links::new(&parts.headers, &app.host, &org, crate::api::Api::Plain);
            let root = view::campaign_root(&parts.headers, &app.host, &org);
            return privacy::serve(app, &links, &root, resource, get_for_head, body).await;
        }
        Target::PrivacyService(resource) => {
            return jobs::serve(app, &parts.headers, &query, resource, get_for_head, body).await;
        }
        Target::UnknownApi { name, .. } => return Err(AcsError::unknown_api(&name)),
        Target::Unknown { .. } => return Err(AcsError::not_found()),
    };
    let links = Links::new(&parts.headers, &app.host, &org, api);
    let method = get_for_head;
    let page = |filter, select| PageRequest {
        filter,
        query: &query,
        select,
        big_table_threshold: app.config.big_table_threshold,
        now_ms: clock::now_ms(),
    };
    let ok = |value: serde_json::Value| Ok(json_response(StatusCode::OK, &value));
    match (resource, method) {
        (Resource::Collection, Method::GET) => {
            ok(listing::page(&app.read(), &links, &page(None, None))?)
        }
        (Resource::Collection, Method::POST) => profiles::create(app, &links, body).await,
        (Resource::Collection, m) => Err(AcsError::method_not_allowed(&m, "GET, POST")),
        (Resource::Profile(pkey), Method::GET) => profiles::get(app, &links, &pkey),
        (Resource::Profile(pkey), Method::PATCH) => profiles::patch(app, &links, &pkey, body).await,
        (Resource::Profile(pkey), Method::DELETE) => profiles::delete(app, &pkey).await,
        (Resource::Profile(_), m) => Err(AcsError::method_not_allowed(&m, "GET, PATCH, DELETE")),
        (Resource::Subscriptions(pkey), Method::GET) => profiles::subscriptions(app, &pkey),
        (Resource::Filtered(filter), Method::GET) => ok(listing::page(
            &app.read(),
            &links,
            &page(Some(filter), None),
        )?),
        (Resource::Count(filter), Method::GET) => {
            ok(listing::count(&app.read(), api, filter, &query)?)
        }
        (Resource::Field(field), Method::GET) => ok(listing::page(
            &app.read(),
            &links,
            &page(None, Some(field)),
        )?),
        (Resource::Metadata, Method::GET) => ok(metadata::profile_metadata(
            &links,
            &app.config.custom_fields,
        )),
        (Resource::MetadataFilters, Method::GET) => ok(metadata::filters(&links)),
        (_, m) => Err(AcsError::method_not_allowed(&m, "GET")),
    }
}
