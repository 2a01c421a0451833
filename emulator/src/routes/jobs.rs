//! `/data/core/privacy/jobs…`: Adobe Experience Platform Privacy Service's job routes.

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use serde_json::{Value, json};

use super::job_view::{render, summary};
use super::query::Query;
use super::target::JobResource;
use super::view::{self, Links};
use crate::acs_error::{AcsError, json_response};
use crate::api::Api;
use crate::app::App;
use crate::jobs::{
    Action, Finishing, Identity, JobStatus, JobsRequest, ListFilter, Outcome, UserId, regulation,
    stored_zip,
};
use crate::store::{Record, Store};
use crate::{body, clock};

/// The path prefix of every Privacy Service route.
pub const PREFIX: &str = "/data/core/privacy";
/// Default and largest list page (the guide's numbers).
const DEFAULT_SIZE: usize = 100;
const MAX_SIZE: usize = 1000;

/// Answers one Privacy Service route (the gateway and IMS org checks have passed).
pub async fn serve(
    app: &App,
    headers: &HeaderMap,
    query: &Query,
    resource: JobResource,
    method: Method,
    body: Body,
) -> Result<Response, AcsError> {
    let origin = view::origin(headers, &app.host);
    match (resource, method) {
        (JobResource::Collection, Method::POST) => create(app, headers, body).await,
        (JobResource::Collection, Method::GET) => {
            let filter = list_filter(query)?;
            let (total, ids) = app.jobs.list(&filter, clock::now_ms());
            run(app, &ids).await?;
            let details: Vec<Value> = ids
                .iter()
                .filter_map(|id| app.jobs.get(id))
                .map(|job| Value::Object(summary(&job)))
                .collect();
            Ok(json_response(
                StatusCode::OK,
                &json!({"totalRecords": total, "jobDetails": details}),
            ))
        }
        (JobResource::Collection, m) => Err(not_allowed(&m, "GET, POST")),
        (JobResource::Job(id), Method::GET) => {
            app.jobs.get(&id).ok_or_else(|| unknown_job(&id))?;
            run(app, std::slice::from_ref(&id)).await?;
            let job = app.jobs.get(&id).ok_or_else(|| unknown_job(&id))?;
            Ok(json_response(StatusCode::OK, &render(&job, &origin)))
        }
        (JobResource::Job(_), m) => Err(not_allowed(&m, "GET")),
        (JobResource::Content(id), Method::GET) => content(app, &id),
        (JobResource::Content(_), m) => Err(not_allowed(&m, "GET")),
        (JobResource::Unknown, _) => Err(AcsError::problem(
            StatusCode::NOT_FOUND,
            "Not Found",
            format!(
                "No such Privacy Service route; the emulator serves {PREFIX}/jobs[/{{jobId}}[/content]]"
            ),
        )),
    }
}

/// Finishes the jobs a time schedule made due (called before every ACS and privacy request, so
/// that a delete's effect is visible on the profile API as soon as the job is complete).
pub async fn settle(app: &App) -> Result<(), AcsError> {
    run(app, &[]).await
}

async fn create(app: &App, headers: &HeaderMap, body: Body) -> Result<Response, AcsError> {
    let bytes = body::read(body, app.config.body_limit).await?;
    let request = JobsRequest::parse(&bytes, &app.config.ims_org)?;
    let now = clock::now_ms();
    let jobs = app.jobs.create(&request, now);
    // An access job answers with the data held when the consumer asked: captured now, so that
    // a delete filed beside it (which may well finish first) cannot empty it.
    let links = Links::new(headers, &app.host, &app.config.org, Api::Plain);
    {
        let store = app.read();
        for job in jobs.iter().filter(|job| job.action == Action::Access) {
            let data = matching(&store, &job.ids)
                .into_iter()
                .map(|record| view::profile(record, &links, now))
                .collect();
            app.jobs.capture(&job.id, data);
        }
    }
    let listed: Vec<Value> = jobs
        .iter()
        .map(|job| {
            json!({"jobId": job.id,
                   "customer": {"user": {"key": job.user_key, "action": [job.action.name()]}}})
        })
        .collect();
    Ok(json_response(
        StatusCode::ACCEPTED,
        &json!({"jobs": listed, "requestStatus": 1, "totalRecords": jobs.len()}),
    ))
}

/// The access archive: `campaign/profiles.json`, the profiles as captured when the job was filed.
fn content(app: &App, id: &str) -> Result<Response, AcsError> {
    let job = app.jobs.get(id).ok_or_else(|| unknown_job(id))?;
    if job.action != Action::Access {
        return Err(AcsError::problem(
            StatusCode::BAD_REQUEST,
            "No content",
            format!("Job {id} is a delete job; only access jobs have content"),
        ));
    }
    let Some((Outcome::Success { .. } | Outcome::NotFound, processed)) = job.outcome else {
        return Err(AcsError::problem(
            StatusCode::CONFLICT,
            "Content not ready",
            format!(
                "Job {id} is {}: its content exists once the job is complete",
                job.status.name()
            ),
        ));
    };
    let profiles = serde_json::to_vec_pretty(&job.data)
        .map_err(|e| AcsError::internal(format!("The access data cannot be written: {e}")))?;
    let archive = stored_zip(&[("campaign/profiles.json", &profiles)], processed)
        .map_err(|_| AcsError::internal("The access data is too large for a ZIP archive"))?;
    let mut response = (StatusCode::OK, archive).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{id}.zip\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}

/// Counts reads of `read`, then finishes every job that became due.
async fn run(app: &App, read: &[String]) -> Result<(), AcsError> {
    let now = clock::now_ms();
    let due = app.jobs.step(read, now);
    if due.is_empty() {
        return Ok(());
    }
    for finishing in due {
        finish(app, finishing, now).await?;
    }
    Ok(())
}

/// Campaign's part: an access job hands over what it captured when filed, a delete job erases
/// the matching profiles.
async fn finish(app: &App, due: Finishing, now: i64) -> Result<(), AcsError> {
    let job = due.job;
    if due.fails {
        app.jobs.finish(&job.id, Outcome::Failed, Vec::new(), now);
        return Ok(());
    }
    let outcome = |profiles: usize| match profiles {
        0 => Outcome::NotFound,
        profiles => Outcome::Success { profiles },
    };
    match job.action {
        Action::Access => {
            let data = job.data;
            app.jobs.finish(&job.id, outcome(data.len()), data, now);
        }
        Action::Delete => {
            let erased = app
                .write(|store, journal| {
                    let pkeys: Vec<String> = matching(store, &job.ids)
                        .into_iter()
                        .map(|r| r.pkey.clone())
                        .collect();
                    for pkey in &pkeys {
                        store.delete(pkey);
                        journal.delete(pkey);
                    }
                    Ok(pkeys.len())
                })
                .await;
            match erased {
                Ok(count) => app.jobs.finish(&job.id, outcome(count), Vec::new(), now),
                Err(e) => {
                    app.jobs.finish(&job.id, Outcome::Failed, Vec::new(), now);
                    return Err(e);
                }
            }
        }
    }
    Ok(())
}

/// Profiles any of the identities names: email case-insensitively, phone by its digits.
fn matching<'a>(store: &'a Store, ids: &[UserId]) -> Vec<&'a Record> {
    let wanted: Vec<(Identity, String)> = ids
        .iter()
        .filter_map(|id| match id.identity {
            Identity::Email => Some((Identity::Email, id.value.trim().to_lowercase())),
            Identity::Phone => Some((Identity::Phone, digits(&id.value))),
            Identity::Unmatched => None,
        })
        .filter(|(_, value)| !value.is_empty())
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    store
        .starting_at(0)
        .filter(|record| {
            wanted.iter().any(|(identity, value)| match identity {
                Identity::Email => record.text("email").to_lowercase() == *value,
                Identity::Phone => ["phone", "mobilePhone"]
                    .iter()
                    .any(|field| digits(record.text(field)) == *value),
                Identity::Unmatched => false,
            })
        })
        .collect()
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// `regulation` (required), `status`, `page`, `size`, `fromDate`+`toDate`, `filterDate`.
fn list_filter(query: &Query) -> Result<ListFilter, AcsError> {
    let bad = |name: &str, detail: String| {
        AcsError::problem(
            StatusCode::BAD_REQUEST,
            &format!("Invalid query: {name}"),
            detail,
        )
    };
    let regulation = regulation(query.get("regulation"))?;
    let status = match query.get("status") {
        None => None,
        Some(name) => Some(JobStatus::from_name(name).ok_or_else(|| {
            bad(
                "status",
                format!(
                    "Unknown status '{name}': expected submitted, processing, complete or error"
                ),
            )
        })?),
    };
    let page = match query.get("page") {
        None => 0,
        Some(text) => text.parse::<usize>().map_err(|_| {
            bad(
                "page",
                format!("'page' is a 0-based page number, got '{text}'"),
            )
        })?,
    };
    let size = match query.get("size") {
        None => DEFAULT_SIZE,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_SIZE).contains(n))
            .ok_or_else(|| {
                bad(
                    "size",
                    format!("'size' must be 1 to {MAX_SIZE}, got '{text}'"),
                )
            })?,
    };
    let day = |name: &str| -> Result<Option<i64>, AcsError> {
        query
            .get(name)
            .map(|text| {
                clock::parse_date(text)
                    .map(|(y, m, d)| clock::days_from_civil(y, m, d))
                    .ok_or_else(|| {
                        bad(name, format!("'{name}' is a YYYY-MM-DD date, got '{text}'"))
                    })
            })
            .transpose()
    };
    let mut days = match (day("fromDate")?, day("toDate")?) {
        (None, None) => None,
        (Some(from), Some(to)) if from <= to => Some((from, to)),
        (Some(_), Some(_)) => {
            return Err(bad(
                "fromDate",
                "'fromDate' must not be after 'toDate'".into(),
            ));
        }
        _ => {
            return Err(bad(
                "fromDate",
                "'fromDate' and 'toDate' go together: give both or neither".into(),
            ));
        }
    };
    if let Some(one) = day("filterDate")? {
        // Both filters given: the day must lie in the range too (an empty result otherwise).
        days = Some(match days {
            Some((from, to)) => (from.max(one), to.min(one)),
            None => (one, one),
        });
    }
    Ok(ListFilter {
        regulation,
        status,
        days,
        page,
        size,
    })
}

fn unknown_job(id: &str) -> AcsError {
    AcsError::problem(
        StatusCode::NOT_FOUND,
        "Job not found",
        format!("No job with id '{id}'"),
    )
}

fn not_allowed(method: &Method, allow: &'static str) -> AcsError {
    AcsError::problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method Not Allowed",
        format!("Method {method} is not allowed here (allowed: {allow})"),
    )
    .allowing(allow)
}
