//! Sans-IO request builders for the Privacy Service: create jobs, read one, list them, download.
//!
//! Every request carries `Authorization`, `x-api-key`, `x-gw-ims-org-id` and `Accept`, and
//! `Content-Type` when it has a body. Inputs are checked before a request is built.

use http::{HeaderName, HeaderValue, Method};

use super::answer::{JobId, JobStatus, check_download_url};
use super::config::PrivacyConfig;
use super::job::{JobRequest, Regulation};
use crate::date::Date;
use crate::request::{HttpRequest, authorized, with_body, with_query};
use crate::secret::AccessToken;
use crate::{Error, Result};

/// The header that names the IMS organization.
const X_GW_IMS_ORG_ID: HeaderName = HeaderName::from_static("x-gw-ims-org-id");

/// The largest page of jobs asked for (Adobe's guide; its OpenAPI says 100).
pub const MAX_JOB_PAGE_SIZE: u32 = 1000;

/// The page size asked for unless told otherwise.
pub const DEFAULT_JOB_PAGE_SIZE: u32 = 100;

/// The longest span a date filter may cover, in days (the guide: 30).
pub const MAX_JOB_DATE_SPAN_DAYS: i64 = 30;

/// Which jobs `GET /jobs` lists: one regulation, optionally one status and a date range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFilter {
    /// Jobs are kept per regulation; list with the code they were made with.
    pub regulation: Regulation,
    /// Only jobs in this status.
    pub status: Option<JobStatus>,
    /// Only jobs made from the first day to the second (GMT), both included.
    pub dates: Option<(Date, Date)>,
    /// Jobs per page (1 to 1,000; 100 by default).
    pub page_size: u32,
}

impl Default for JobFilter {
    /// Every `ccpa` job of the service's default window (the last 7 days), 100 per page.
    fn default() -> Self {
        JobFilter {
            regulation: Regulation::default(),
            status: None,
            dates: None,
            page_size: DEFAULT_JOB_PAGE_SIZE,
        }
    }
}

impl JobFilter {
    /// Checks the page size and the date range before a page is asked for.
    pub fn validate(&self) -> Result<()> {
        if self.page_size == 0 || self.page_size > MAX_JOB_PAGE_SIZE {
            return Err(Error::validation(
                "size",
                format!("the page size must be between 1 and {MAX_JOB_PAGE_SIZE}"),
            ));
        }
        if let Some((from, to)) = self.dates {
            let span = to.days_since_epoch() - from.days_since_epoch();
            if span < 0 {
                return Err(Error::validation("fromDate", "fromDate is after toDate"));
            }
            if span >= MAX_JOB_DATE_SPAN_DAYS {
                return Err(Error::validation(
                    "toDate",
                    format!("a date range covers at most {MAX_JOB_DATE_SPAN_DAYS} days"),
                ));
            }
        }
        if let Some(JobStatus::Other(status)) = &self.status {
            return Err(Error::validation(
                "status",
                format!("unknown status {status:?}; use submitted, processing, complete or error"),
            ));
        }
        Ok(())
    }

    fn query(&self, page: u32) -> Result<Vec<(&'static str, String)>> {
        self.validate()?;
        let mut query = vec![("regulation", self.regulation.as_str().to_owned())];
        if let Some(status) = &self.status {
            query.push(("status", status.as_str().to_owned()));
        }
        if let Some((from, to)) = self.dates {
            query.push(("fromDate", from.to_string()));
            query.push(("toDate", to.to_string()));
        }
        query.push(("page", page.to_string()));
        query.push(("size", self.page_size.to_string()));
        Ok(query)
    }
}

/// `POST /jobs`: one job per consumer and action. Not blindly retryable: a resend would make
/// the jobs twice (see `Client::submit_privacy_jobs`).
pub fn prepare_create_privacy_jobs(
    config: &PrivacyConfig,
    token: &AccessToken,
    request: &JobRequest,
) -> Result<HttpRequest> {
    request.validate()?;
    let body = serde_json::to_vec(&request.to_json(&config.ims_org))
        .map_err(|_| Error::validation("users", "the request cannot be written as JSON"))?;
    build(config, token, Method::POST, config.jobs_url(), Some(body))
}

/// `GET /jobs/{jobId}`.
pub fn prepare_get_privacy_job(
    config: &PrivacyConfig,
    token: &AccessToken,
    job_id: &JobId,
) -> Result<HttpRequest> {
    let url = format!("{}/{}", config.jobs_url(), job_id.as_str());
    build(config, token, Method::GET, url, None)
}

/// `GET /jobs?regulation=…&page=…&size=…`: page `page` (from 0) of the jobs `filter` selects.
pub fn prepare_list_privacy_jobs(
    config: &PrivacyConfig,
    token: &AccessToken,
    filter: &JobFilter,
    page: u32,
) -> Result<HttpRequest> {
    let url = with_query(config.jobs_url(), &filter.query(page)?);
    build(config, token, Method::GET, url, None)
}

/// `GET {downloadURL}`: a complete access job's archive. The link must stay on the configured
/// gateway (a `Validation` error on field `downloadURL` otherwise).
pub fn prepare_download_privacy_data(
    config: &PrivacyConfig,
    token: &AccessToken,
    download_url: &str,
) -> Result<HttpRequest> {
    let url = check_download_url(config, download_url)?;
    build(config, token, Method::GET, url.into(), None)
}

fn build(
    config: &PrivacyConfig,
    token: &AccessToken,
    method: Method,
    url: String,
    body: Option<Vec<u8>>,
) -> Result<HttpRequest> {
    // The organization ID was checked to be letters, digits and `@AdobeOrg`.
    let org = HeaderValue::try_from(config.ims_org.as_str())
        .map_err(|_| Error::config("imsOrg", "the IMS organization cannot be sent as a header"))?;
    let builder = authorized(method, url, token, &config.api_key)?
        .header(X_GW_IMS_ORG_ID, org)
        .header(http::header::ACCEPT, "application/json");
    with_body(builder, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BaseUrl;
    use crate::email::Email;
    use crate::privacy::{ImsOrg, PrivacyAction, PrivacyUser, UserId};
    use crate::secret::ApiKey;

    fn config() -> PrivacyConfig {
        PrivacyConfig::new(
            ImsOrg::new("ABC123@AdobeOrg").unwrap(),
            ApiKey::new("key").unwrap(),
        )
    }

    fn token() -> AccessToken {
        AccessToken::new("tok").unwrap()
    }

    #[test]
    fn a_create_carries_the_org_twice_and_every_user() {
        let request = JobRequest::new(vec![PrivacyUser {
            key: "t-1".into(),
            actions: vec![PrivacyAction::Access, PrivacyAction::Delete],
            ids: vec![UserId::email(&Email::new("ana@example.com").unwrap())],
        }]);
        let built = prepare_create_privacy_jobs(&config(), &token(), &request).unwrap();
        assert_eq!(built.method(), Method::POST);
        assert_eq!(
            built.uri().to_string(),
            "https://platform.adobe.io/data/core/privacy/jobs"
        );
        assert_eq!(built.headers()["x-gw-ims-org-id"], "ABC123@AdobeOrg");
        let body: serde_json::Value = serde_json::from_slice(built.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "companyContexts": [{"namespace": "imsOrgID", "value": "ABC123@AdobeOrg"}],
                "users": [{"key": "t-1", "action": ["access", "delete"],
                           "userIDs": [{"namespace": "email", "value": "ana@example.com", "type": "standard"}]}],
                "include": ["campaign"],
                "regulation": "ccpa"
            })
        );
    }

    #[test]
    fn a_listing_names_its_filters_and_page() {
        let filter = JobFilter {
            status: Some(JobStatus::Complete),
            dates: Some((
                Date::parse("2025-04-01").unwrap(),
                Date::parse("2025-04-30").unwrap(),
            )),
            page_size: 50,
            ..JobFilter::default()
        };
        let built = prepare_list_privacy_jobs(&config(), &token(), &filter, 2).unwrap();
        assert_eq!(
            built.uri().to_string(),
            "https://platform.adobe.io/data/core/privacy/jobs?regulation=ccpa&status=complete&fromDate=2025-04-01&toDate=2025-04-30&page=2&size=50"
        );
        assert!(built.body().is_empty());
    }

    #[test]
    fn bad_filters_and_foreign_links_are_refused() {
        let refused = |filter: JobFilter| {
            prepare_list_privacy_jobs(&config(), &token(), &filter, 0)
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        let day = |d: &str| Date::parse(d).unwrap();
        for (filter, field) in [
            (
                JobFilter {
                    page_size: 0,
                    ..JobFilter::default()
                },
                "size",
            ),
            (
                JobFilter {
                    page_size: 1001,
                    ..JobFilter::default()
                },
                "size",
            ),
            (
                JobFilter {
                    dates: Some((day("2025-05-02"), day("2025-05-01"))),
                    ..JobFilter::default()
                },
                "fromDate",
            ),
            (
                JobFilter {
                    dates: Some((day("2025-04-01"), day("2025-05-01"))),
                    ..JobFilter::default()
                },
                "toDate",
            ),
            (
                JobFilter {
                    status: Some(JobStatus::parse("queued")),
                    ..JobFilter::default()
                },
                "status",
            ),
        ] {
            assert_eq!(refused(filter).as_deref(), Some(field));
        }
        let emulator = config().with_base_url(BaseUrl::new("http://127.0.0.1:9").unwrap());
        assert!(
            prepare_download_privacy_data(
                &emulator,
                &token(),
                "http://127.0.0.1:9/data/core/privacy/jobs/a/content"
            )
            .is_ok()
        );
        for foreign in [
            "https://evil.example/data/core/privacy/jobs/a/content",
            "http://127.0.0.1:10/x",
            "/data/core/privacy/jobs/a/content",
            "http://u:p@127.0.0.1:9/x",
        ] {
            let err = prepare_download_privacy_data(&emulator, &token(), foreign).unwrap_err();
            assert_eq!(err.field(), Some("downloadURL"), "{foreign}");
        }
    }
}
