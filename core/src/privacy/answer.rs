//! What the Privacy Service answers: created jobs, one job with its product responses, job pages.
//!
//! Adobe's guide and its OpenAPI disagree on several names (`jobs` or `jobDetails`,
//! `downloadURL` or `downloadUrl`), so both spellings are read. A download link must stay on
//! the configured gateway, or the client would send its token wherever a server points it.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use super::config::PrivacyConfig;
use super::job::PrivacyAction;
use crate::error_body::body_excerpt;
use crate::response::{HttpResponse, check_status};
use crate::{Error, Result};

/// The longest job ID accepted.
const MAX_JOB_ID_LEN: usize = 128;

/// A job's ID: letters, digits, `-`, `_` and `.`, so it is safe as a path segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct JobId(String);

impl JobId {
    /// Checks the shape of an ID (a caller's, or one in an answer).
    pub fn new(value: &str) -> Result<Self> {
        let valid = (1..=MAX_JOB_ID_LEN).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && value != "."
            && value != "..";
        if !valid {
            return Err(Error::validation(
                "jobId",
                format!("a job ID has 1 to {MAX_JOB_ID_LEN} letters, digits, '-', '_' or '.'"),
            ));
        }
        Ok(JobId(value.to_owned()))
    }

    /// The ID.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// Kotlin and Swift see a job ID as its text; it is checked again on its way back in.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(JobId, String);

impl From<JobId> for String {
    fn from(id: JobId) -> String {
        id.0
    }
}

impl TryFrom<String> for JobId {
    type Error = Error;

    fn try_from(value: String) -> Result<Self> {
        JobId::new(&value)
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a job is: `submitted`, `processing`, then `complete` or `error`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Sent to every product concerned.
    Submitted,
    /// The products acknowledged it and are working.
    Processing,
    /// Done; an access job's archive is ready.
    Complete,
    /// Something failed; the product responses say what.
    Error,
    /// A status this client does not know, as the service wrote it (never final).
    #[serde(untagged)]
    Other(String),
}

impl JobStatus {
    /// Reads a status (any case); an unknown one is kept as [`JobStatus::Other`].
    pub fn parse(text: &str) -> Self {
        match text.to_ascii_lowercase().as_str() {
            "submitted" => JobStatus::Submitted,
            "processing" => JobStatus::Processing,
            "complete" => JobStatus::Complete,
            "error" => JobStatus::Error,
            _ => JobStatus::Other(text.to_owned()),
        }
    }

    /// The API's spelling.
    pub fn as_str(&self) -> &str {
        match self {
            JobStatus::Submitted => "submitted",
            JobStatus::Processing => "processing",
            JobStatus::Complete => "complete",
            JobStatus::Error => "error",
            JobStatus::Other(text) => text,
        }
    }

    /// Whether the job will not change any more (`complete` or `error`).
    pub fn is_final(&self) -> bool {
        matches!(self, JobStatus::Complete | JobStatus::Error)
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A job `POST /jobs` made: one per consumer and action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(rename_all = "camelCase")]
pub struct CreatedJob {
    /// The job's ID.
    pub job_id: JobId,
    /// The consumer's key from the request.
    pub user_key: Option<String>,
    /// What the job does.
    pub action: Option<PrivacyAction>,
}

/// One product's part of a job (ACS reports as `Campaign`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(rename_all = "camelCase")]
pub struct ProductResponse {
    /// The product's name.
    pub product: String,
    /// Its status for this job.
    pub status: Option<String>,
    /// Its message, e.g. `Success`.
    pub message: Option<String>,
    /// Its code, e.g. `PRVCY-6000-200` (success) or `PRVCY-6052-200` (user IDs not found).
    pub code: Option<String>,
    /// Its detail text.
    pub detail: Option<String>,
}

/// A job as `GET /jobs/{id}` (or a page of `GET /jobs`) describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(rename_all = "camelCase")]
pub struct PrivacyJob {
    /// The job's ID.
    pub job_id: JobId,
    /// The request it came from.
    pub request_id: Option<String>,
    /// The consumer's key from the request.
    pub user_key: Option<String>,
    /// What the job does (`None` if the service named an action this client does not know).
    pub action: Option<PrivacyAction>,
    /// Where it is.
    pub status: JobStatus,
    /// The regulation it runs under.
    pub regulation: Option<String>,
    /// When it was made, as the service wrote it (e.g. `04/12/2025 04:08 PM GMT`).
    pub created: Option<String>,
    /// When it last changed, as written.
    pub last_modified: Option<String>,
    /// Each product's part (only in a single job's answer).
    pub product_responses: Vec<ProductResponse>,
    /// For a complete access job, where its archive is; always on the configured gateway.
    pub download_url: Option<String>,
}

impl PrivacyJob {
    /// The job as the answer to the create that made it would have named it.
    pub fn created(self) -> CreatedJob {
        CreatedJob {
            job_id: self.job_id,
            user_key: self.user_key,
            action: self.action,
        }
    }
}

/// A page of `GET /jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyJobPage {
    /// The jobs on this page.
    pub jobs: Vec<PrivacyJob>,
    /// The matching jobs on all pages, when the service says.
    pub total: Option<u64>,
}

/// The jobs a `POST /jobs` answer lists (`jobs`, or `jobDetails` as the OpenAPI names it).
pub fn parse_created_privacy_jobs(response: &HttpResponse) -> Result<Vec<CreatedJob>> {
    check_status(response)?;
    let body = object(response)?;
    let jobs = array(&body, &["jobs", "jobDetails"], response)?;
    jobs.iter()
        .map(|job| {
            let job = job_object(job, response)?;
            let user = job
                .get("customer")
                .and_then(|c| c.get("user"))
                .and_then(Value::as_object);
            let user_key = text(&job, "userKey")
                .or_else(|| user.and_then(|u| u.get("key")?.as_str().map(str::to_owned)));
            let action = match job.get("action").or_else(|| user?.get("action")) {
                Some(Value::Array(actions)) if actions.len() == 1 => action_of(&actions[0]),
                Some(action) => action_of(action),
                None => None,
            };
            Ok(CreatedJob {
                job_id: job_id(&job, response)?,
                user_key,
                action,
            })
        })
        .collect()
}

/// One job, with its product responses and (complete access jobs) its download URL.
pub fn parse_privacy_job(response: &HttpResponse, config: &PrivacyConfig) -> Result<PrivacyJob> {
    check_status(response)?;
    let body = object(response)?;
    job(&body, config, response)
}

/// A page of jobs (`jobDetails`, or `jobs`).
pub fn parse_privacy_job_page(
    response: &HttpResponse,
    config: &PrivacyConfig,
) -> Result<PrivacyJobPage> {
    check_status(response)?;
    let body = object(response)?;
    let jobs = array(&body, &["jobDetails", "jobs"], response)?
        .iter()
        .map(|entry| job(&job_object(entry, response)?, config, response))
        .collect::<Result<Vec<_>>>()?;
    Ok(PrivacyJobPage {
        jobs,
        total: body.get("totalRecords").and_then(Value::as_u64),
    })
}

/// Resolves a download link and checks it stays on the configured gateway.
pub fn check_download_url(config: &PrivacyConfig, url: &str) -> Result<Url> {
    let refuse = |why: &str| Err(Error::validation("downloadURL", why));
    if url.chars().any(char::is_control) {
        return refuse("the link contains control characters");
    }
    if !crate::config::plain_authority(url) {
        return refuse(crate::config::PLAIN_HOST);
    }
    let Ok(parsed) = Url::parse(url) else {
        return refuse("the link is not an absolute URL");
    };
    if !config.base_url.same_origin(&parsed) {
        return refuse(
            "the link leaves the configured gateway; refusing to send credentials there",
        );
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return refuse("the link carries credentials");
    }
    Ok(parsed)
}

fn job(
    body: &Map<String, Value>,
    config: &PrivacyConfig,
    response: &HttpResponse,
) -> Result<PrivacyJob> {
    let download_url = match text(body, "downloadURL").or_else(|| text(body, "downloadUrl")) {
        Some(url) => Some(
            check_download_url(config, &url)
                .map_err(|e| decode(response, e.message()).with_field("downloadURL"))?
                .to_string(),
        ),
        None => None,
    };
    let status = body
        .get("status")
        .and_then(Value::as_str)
        .ok_or_else(|| decode(response, "a job has no status").with_field("status"))?;
    let product_responses = match body.get("productResponses") {
        Some(Value::Array(products)) => products.iter().filter_map(product).collect(),
        _ => Vec::new(),
    };
    Ok(PrivacyJob {
        job_id: job_id(body, response)?,
        request_id: text(body, "requestId"),
        user_key: text(body, "userKey"),
        action: body.get("action").and_then(action_of),
        status: JobStatus::parse(status),
        regulation: text(body, "regulation"),
        created: text(body, "createdDate"),
        last_modified: text(body, "lastModifiedDate"),
        product_responses,
        download_url,
    })
}

fn product(value: &Value) -> Option<ProductResponse> {
    let product = value.as_object()?;
    let status = product
        .get("productStatusResponse")
        .and_then(Value::as_object);
    let field = |name: &str| status.and_then(|s| text(s, name));
    Some(ProductResponse {
        product: text(product, "product")?,
        status: field("status"),
        message: field("message"),
        code: field("responseMsgCode"),
        detail: field("responseMsgDetail"),
    })
}

fn action_of(value: &Value) -> Option<PrivacyAction> {
    PrivacyAction::parse(value.as_str()?).ok()
}

fn job_id(body: &Map<String, Value>, response: &HttpResponse) -> Result<JobId> {
    let id = body
        .get("jobId")
        .and_then(Value::as_str)
        .ok_or_else(|| decode(response, "a job has no jobId").with_field("jobId"))?;
    JobId::new(id).map_err(|e| decode(response, e.message()).with_field("jobId"))
}

fn text(object: &Map<String, Value>, name: &str) -> Option<String> {
    object.get(name)?.as_str().map(str::to_owned)
}

fn object(response: &HttpResponse) -> Result<Map<String, Value>> {
    match serde_json::from_slice(response.body()) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(decode(response, "the answer is not a JSON object")),
    }
}

fn job_object(value: &Value, response: &HttpResponse) -> Result<Map<String, Value>> {
    value
        .as_object()
        .cloned()
        .ok_or_else(|| decode(response, "a job is not a JSON object"))
}

fn array<'a>(
    body: &'a Map<String, Value>,
    names: &[&str],
    response: &HttpResponse,
) -> Result<&'a Vec<Value>> {
    names
        .iter()
        .find_map(|name| body.get(*name)?.as_array())
        .ok_or_else(|| decode(response, format!("the answer has no {} array", names[0])))
}

fn decode(response: &HttpResponse, message: impl Into<String>) -> Error {
    Error::decode(message, body_excerpt(response.body()))
}
