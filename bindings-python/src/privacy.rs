//! Privacy Service jobs and the §7021 clocks for Python: `PrivacyConfig`, the sans-IO pairs, job conversions.
//!
//! Jobs, pages and clocks cross as the core's serde dicts (camelCase keys, ISO dates); the
//! Python layer (`_privacy.py`) turns them into typed objects. Every check is the core's.

use ccpa_optout::Error;
use ccpa_optout::privacy::{
    JobFilter, JobId, JobRequest, PrivacyConfig, PrivacyJob, PrivacyUser, RequestClocks,
    RequestEvents,
};
use pyo3::prelude::*;

use crate::errors::IntoPyResult;
use crate::http::{Request, Response, quoted};
use crate::json::from_python;
use crate::sansio::prepare;
use crate::signals::as_python;

/// Where Privacy Service requests go, for the sans-IO functions: IMS organization, API key,
/// gateway.
#[pyclass(frozen, module = "ccpa_optout", name = "PrivacyConfig")]
pub struct PyPrivacyConfig {
    pub(crate) inner: PrivacyConfig,
}

#[pymethods]
impl PyPrivacyConfig {
    #[new]
    #[pyo3(signature = (*, ims_org, api_key, base_url = None))]
    fn new(py: Python<'_>, ims_org: &str, api_key: &str, base_url: Option<&str>) -> PyResult<Self> {
        let inner = PrivacyConfig::from_text(ims_org, api_key, base_url).or_raise(py)?;
        Ok(PyPrivacyConfig { inner })
    }

    /// The IMS organization, `…@AdobeOrg`.
    #[getter]
    fn ims_org(&self) -> &str {
        self.inner.ims_org.as_str()
    }

    /// The gateway, without a trailing slash.
    #[getter]
    fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Never the API key.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "PrivacyConfig(ims_org={}, base_url={})",
            quoted(py, self.inner.ims_org.as_str())?,
            quoted(py, self.inner.base_url.as_str())?
        ))
    }
}

/// The `JobRequest` of a Python call: users as plain dicts, optional products and regulation.
pub(crate) fn job_request(
    users: &Bound<'_, PyAny>,
    include: Option<Vec<String>>,
    regulation: Option<&str>,
) -> Result<JobRequest, Error> {
    let users = PrivacyUser::list_from_json(&from_python(users, "users")?)?;
    JobRequest::with_options(users, include, regulation)
}

/// A job as Python hands it back (the dict `parse_privacy_job` gave), read for its download.
pub(crate) fn privacy_job(job: &Bound<'_, PyAny>) -> Result<PrivacyJob, Error> {
    PrivacyJob::from_json(&from_python(job, "job")?)
}

/// `POST /jobs`: one job per consumer and action.
#[pyfunction]
#[pyo3(signature = (config, access_token, users, include = None, regulation = None))]
pub fn prepare_create_privacy_jobs(
    py: Python<'_>,
    config: &PyPrivacyConfig,
    access_token: &str,
    users: &Bound<'_, PyAny>,
    include: Option<Vec<String>>,
    regulation: Option<&str>,
) -> PyResult<Request> {
    let request = job_request(users, include, regulation).or_raise(py)?;
    prepare(py, access_token, |t| {
        ccpa_optout::privacy::prepare_create_privacy_jobs(&config.inner, t, &request)
    })
}

/// `GET /jobs/{jobId}`.
#[pyfunction]
pub fn prepare_get_privacy_job(
    py: Python<'_>,
    config: &PyPrivacyConfig,
    access_token: &str,
    job_id: &str,
) -> PyResult<Request> {
    prepare(py, access_token, |t| {
        ccpa_optout::privacy::prepare_get_privacy_job(&config.inner, t, &JobId::new(job_id)?)
    })
}

/// `GET /jobs?regulation=…&page=…&size=…`, page `page` from 0.
#[pyfunction]
#[pyo3(signature = (config, access_token, page = 0, regulation = "ccpa", status = None, from_date = None, to_date = None, page_size = 100))]
#[allow(clippy::too_many_arguments)]
pub fn prepare_list_privacy_jobs(
    py: Python<'_>,
    config: &PyPrivacyConfig,
    access_token: &str,
    page: u32,
    regulation: &str,
    status: Option<&str>,
    from_date: Option<&str>,
    to_date: Option<&str>,
    page_size: u32,
) -> PyResult<Request> {
    prepare(py, access_token, |t| {
        let filter = JobFilter::from_text(
            Some(regulation),
            status,
            from_date,
            to_date,
            Some(page_size),
        )?;
        ccpa_optout::privacy::prepare_list_privacy_jobs(&config.inner, t, &filter, page)
    })
}

/// `GET {downloadURL}`, which must stay on the configured gateway.
#[pyfunction]
pub fn prepare_download_privacy_data(
    py: Python<'_>,
    config: &PyPrivacyConfig,
    access_token: &str,
    download_url: &str,
) -> PyResult<Request> {
    prepare(py, access_token, |t| {
        ccpa_optout::privacy::prepare_download_privacy_data(&config.inner, t, download_url)
    })
}

/// The created jobs, each `{"jobId", "userKey", "action"}`.
#[pyfunction]
pub fn parse_created_privacy_jobs<'py>(
    py: Python<'py>,
    response: &Response,
) -> PyResult<Bound<'py, PyAny>> {
    let jobs =
        ccpa_optout::privacy::parse_created_privacy_jobs(&response.to_http(py)).or_raise(py)?;
    as_python(py, jobs)
}

/// One job as a dict (camelCase keys, as the core serialises it).
#[pyfunction]
pub fn parse_privacy_job<'py>(
    py: Python<'py>,
    response: &Response,
    config: &PyPrivacyConfig,
) -> PyResult<Bound<'py, PyAny>> {
    let job = ccpa_optout::privacy::parse_privacy_job(&response.to_http(py), &config.inner)
        .or_raise(py)?;
    as_python(py, job)
}

/// One page: `{"jobs": [...], "total": n | None}`.
#[pyfunction]
pub fn parse_privacy_job_page<'py>(
    py: Python<'py>,
    response: &Response,
    config: &PyPrivacyConfig,
) -> PyResult<Bound<'py, PyAny>> {
    let page = ccpa_optout::privacy::parse_privacy_job_page(&response.to_http(py), &config.inner)
        .or_raise(py)?;
    as_python(py, page)
}

/// The §7021 deadlines as a dict (`confirmBy`, `respondBy`, `extendedTo`, `confirmation`,
/// `response`, ISO dates).
#[pyfunction]
#[pyo3(signature = (received, today, holidays = Vec::new(), confirmed_on = None, extension_noticed_on = None, answered_on = None))]
pub fn request_clocks<'py>(
    py: Python<'py>,
    received: &str,
    today: &str,
    holidays: Vec<String>,
    confirmed_on: Option<&str>,
    extension_noticed_on: Option<&str>,
    answered_on: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let clocks = RequestEvents::from_text(confirmed_on, extension_noticed_on, answered_on)
        .and_then(|events| RequestClocks::from_text(received, &holidays, &events, today))
        .or_raise(py)?;
    as_python(py, clocks)
}
