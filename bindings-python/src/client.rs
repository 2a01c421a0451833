//! `_NativeClient`: the core client over the host transport, one `start_*` method per operation.

use std::sync::Arc;
use std::time::SystemTime;

use ccpa_optout::driver::HostTransport;
use ccpa_optout::privacy::{JobFilter, JobId, wait_seconds};
use ccpa_optout::{
    Client, Email, Error, ListOptions, OptOutField, PKey, SharedListing, Subject, SubjectKind,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::IntoPyResult;
use crate::json::{opt_out_flag, profile_fields};
use crate::operation::{Outcome, PyOperation};
use crate::privacy::{PyPrivacyConfig, job_request, privacy_job};
use crate::settings::{PyApiConfig, from_keywords, retry_tuple};

type HostClient = Client<HostTransport>;

/// The core `Client`; its operations run as `_Operation`s driven by the Python clients.
#[pyclass(frozen, module = "ccpa_optout._native", name = "_NativeClient")]
pub struct NativeClient {
    client: Arc<HostClient>,
}

impl NativeClient {
    fn field(&self) -> &OptOutField {
        &self.client.config().api.opt_out_field
    }

    fn run<F>(&self, call: impl FnOnce(Arc<HostClient>) -> F) -> PyOperation
    where
        F: std::future::Future<Output = Result<Outcome, Error>> + Send + 'static,
    {
        PyOperation::new(self.field().clone(), call(Arc::clone(&self.client)))
    }
}

#[pymethods]
impl NativeClient {
    /// The client that `ClientSettings` (`_settings.py`) describe, every rule checked by the core.
    #[new]
    #[pyo3(signature = (settings, token_provider = false))]
    fn new(py: Python<'_>, settings: &Bound<'_, PyDict>, token_provider: bool) -> PyResult<Self> {
        let config = from_keywords(settings, token_provider)?
            .client_config()
            .or_raise(py)?;
        let transport = HostTransport::new(SystemTime::now);
        Ok(NativeClient {
            client: Arc::new(Client::new(config, transport)),
        })
    }

    /// Where requests go (tenant, base URL, API, opt-out field), as a sans-IO `ApiConfig`.
    #[getter]
    fn api_config(&self) -> PyApiConfig {
        PyApiConfig {
            inner: self.client.config().api.clone(),
        }
    }

    /// Seconds one HTTP exchange may take.
    #[getter]
    fn timeout(&self) -> f64 {
        self.client.config().timeout.as_secs_f64()
    }

    #[getter]
    fn max_body_bytes(&self) -> usize {
        self.client.config().max_body_bytes
    }

    /// `(max_attempts, base_delay, max_delay, max_retry_after)`.
    #[getter]
    fn retry(&self) -> (u32, f64, f64, f64) {
        retry_tuple(&self.client.config().retry)
    }

    /// Whether byEmail lookups send `_forcePagination=true`.
    #[getter]
    fn force_pagination(&self) -> bool {
        self.client.config().force_pagination
    }

    fn start_get_profile(&self, py: Python<'_>, pkey: &str) -> PyResult<PyOperation> {
        let pkey = PKey::new(pkey).or_raise(py)?;
        Ok(self.run(|c| async move { c.get_profile(&pkey).await.map(Outcome::Profile) }))
    }

    fn start_get_opt_out(&self, py: Python<'_>, pkey: &str) -> PyResult<PyOperation> {
        let pkey = PKey::new(pkey).or_raise(py)?;
        Ok(self.run(|c| async move { c.get_opt_out(&pkey).await.map(Outcome::OptOut) }))
    }

    fn start_set_opt_out(
        &self,
        py: Python<'_>,
        pkey: &str,
        opted_out: &Bound<'_, PyAny>,
    ) -> PyResult<PyOperation> {
        let pkey = PKey::new(pkey).or_raise(py)?;
        let opted_out = opt_out_flag(opted_out, self.field()).or_raise(py)?;
        Ok(self.run(|c| async move { c.set_opt_out(&pkey, opted_out).await.map(Outcome::Change) }))
    }

    fn start_find_by_email(&self, py: Python<'_>, email: &str) -> PyResult<PyOperation> {
        let email = Email::new(email).or_raise(py)?;
        Ok(self.run(|c| async move { c.find_by_email(&email).await.map(Outcome::Profiles) }))
    }

    fn start_opt_out_by_email(
        &self,
        py: Python<'_>,
        email: &str,
        opted_out: &Bound<'_, PyAny>,
    ) -> PyResult<PyOperation> {
        let email = Email::new(email).or_raise(py)?;
        let opted_out = opt_out_flag(opted_out, self.field()).or_raise(py)?;
        Ok(self.run(|c| async move {
            c.opt_out_by_email(&email, opted_out)
                .await
                .map(Outcome::Changes)
        }))
    }

    fn start_create_profile(
        &self,
        py: Python<'_>,
        fields: &Bound<'_, PyAny>,
    ) -> PyResult<PyOperation> {
        let fields = profile_fields(fields, self.field()).or_raise(py)?;
        Ok(self.run(|c| async move { c.create_profile(&fields).await.map(Outcome::Profile) }))
    }

    fn start_update_profile(
        &self,
        py: Python<'_>,
        pkey: &str,
        fields: &Bound<'_, PyAny>,
    ) -> PyResult<PyOperation> {
        let pkey = PKey::new(pkey).or_raise(py)?;
        let fields = profile_fields(fields, self.field()).or_raise(py)?;
        fields.check_update().or_raise(py)?;
        Ok(self.run(|c| async move { c.update_profile(&pkey, &fields).await.map(Outcome::Ack) }))
    }

    fn start_delete_profile(&self, py: Python<'_>, pkey: &str) -> PyResult<PyOperation> {
        let pkey = PKey::new(pkey).or_raise(py)?;
        Ok(self.run(|c| async move { c.delete_profile(&pkey).await.map(|()| Outcome::Deleted) }))
    }

    fn start_profile_metadata(&self) -> PyOperation {
        self.run(|c| async move { c.profile_metadata().await.map(Outcome::Metadata) })
    }

    /// Derives the opt-out from the raw signals and applies it to a PKey or to every profile
    /// with an email (the core's `Subject` rule decides which). A bad subject raises here; a
    /// signal string that cannot be read is a reason of the decision, never an error.
    #[pyo3(signature = (subject, gpc = None, usp = None, gpp = None))]
    fn start_apply_signals(
        &self,
        py: Python<'_>,
        subject: &str,
        gpc: Option<bool>,
        usp: Option<String>,
        gpp: Option<String>,
    ) -> PyResult<PyOperation> {
        let subject = Subject::parse(subject, SubjectKind::Guess).or_raise(py)?;
        Ok(self.run(|c| async move {
            c.apply_signals(&subject, gpc, usp.as_deref(), gpp.as_deref())
                .await
                .map(Outcome::Applied)
        }))
    }

    /// The Privacy Service configuration (`None` without `ims_org`).
    #[getter]
    fn privacy_config(&self) -> Option<PyPrivacyConfig> {
        let privacy = self.client.config().privacy.clone();
        privacy.map(|inner| PyPrivacyConfig { inner })
    }

    /// Files access and delete jobs; `users` are dicts (`key`, `actions`, `ids`).
    #[pyo3(signature = (users, include = None, regulation = None))]
    fn start_submit_privacy_jobs(
        &self,
        py: Python<'_>,
        users: &Bound<'_, PyAny>,
        include: Option<Vec<String>>,
        regulation: Option<&str>,
    ) -> PyResult<PyOperation> {
        let request = job_request(users, include, regulation).or_raise(py)?;
        Ok(self.run(|c| async move {
            c.submit_privacy_jobs(&request)
                .await
                .map(Outcome::CreatedJobs)
        }))
    }

    fn start_privacy_job(&self, py: Python<'_>, job_id: &str) -> PyResult<PyOperation> {
        let job_id = JobId::new(job_id).or_raise(py)?;
        Ok(self.run(|c| async move { c.privacy_job(&job_id).await.map(Outcome::PrivacyJob) }))
    }

    /// Dates are ISO strings, both or neither.
    #[pyo3(signature = (regulation = "ccpa", status = None, from_date = None, to_date = None, page_size = 100))]
    fn start_list_privacy_jobs(
        &self,
        py: Python<'_>,
        regulation: &str,
        status: Option<&str>,
        from_date: Option<&str>,
        to_date: Option<&str>,
        page_size: u32,
    ) -> PyResult<PyOperation> {
        let (regulation, page_size) = (Some(regulation), Some(page_size));
        let filter = JobFilter::from_text(regulation, status, from_date, to_date, page_size);
        let filter = filter.or_raise(py)?;
        Ok(self
            .run(|c| async move { c.list_privacy_jobs(&filter).await.map(Outcome::PrivacyJobs) }))
    }

    /// Reads the job every `interval` seconds until it is final, for at most `timeout` seconds.
    fn start_wait_for_privacy_job(
        &self,
        py: Python<'_>,
        job_id: &str,
        interval: f64,
        timeout: f64,
    ) -> PyResult<PyOperation> {
        let job_id = JobId::new(job_id).or_raise(py)?;
        let interval = wait_seconds(interval, "interval").or_raise(py)?;
        let limit = wait_seconds(timeout, "timeout").or_raise(py)?;
        Ok(self.run(|c| async move {
            c.wait_for_privacy_job(&job_id, interval, limit)
                .await
                .map(Outcome::PrivacyJob)
        }))
    }

    /// `job` is a job as read (a dict with `jobId`, `status`, `downloadUrl`, ...).
    fn start_download_privacy_data(
        &self,
        py: Python<'_>,
        job: &Bound<'_, PyAny>,
    ) -> PyResult<PyOperation> {
        let job = privacy_job(job).or_raise(py)?;
        Ok(self.run(|c| async move { c.download_privacy_data(&job).await.map(Outcome::Archive) }))
    }

    /// A listing of every profile; nothing is fetched until its first page is asked for, and
    /// bad options raise here.
    #[pyo3(signature = (page_size = None, order = None, force_pagination = true))]
    fn listing(
        &self,
        py: Python<'_>,
        page_size: Option<u32>,
        order: Option<&str>,
        force_pagination: bool,
    ) -> PyResult<Listing> {
        let listing = ListOptions::parse(page_size, order, force_pagination)
            .and_then(SharedListing::all)
            .or_raise(py)?;
        Ok(Listing {
            client: Arc::clone(&self.client),
            listing: Arc::new(listing),
        })
    }
}

/// A listing shared by every caller that holds it: the core serves its `next_page` calls one
/// after the other, so two calls at once read two different pages.
#[pyclass(frozen, module = "ccpa_optout._native", name = "_Listing")]
pub struct Listing {
    client: Arc<HostClient>,
    listing: Arc<SharedListing>,
}

#[pymethods]
impl Listing {
    /// The operation that reads the next page; it finishes with a list of profile dicts, or
    /// `None` after the last page. A failed page can be asked for again.
    fn next_page(&self) -> PyOperation {
        let client = Arc::clone(&self.client);
        let listing = Arc::clone(&self.listing);
        let field = client.config().api.opt_out_field.clone();
        PyOperation::new(field, async move {
            listing.next_page(&client).await.map(Outcome::Page)
        })
    }
}
