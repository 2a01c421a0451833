//! `_NativeClient`: the core client over the host transport, one `start_*` method per operation.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use ccpa_optout::driver::HostTransport;
use ccpa_optout::{
    AccessToken, Client, Email, Error, ListOptions, ListingCursor, OptOutField, Order, PKey,
    ProfileFields, Subject, SubjectKind, prepare_list_profiles, prepare_update_profile,
};
use pyo3::prelude::*;

use crate::config::{RetryTuple, TokenSource, api_config, client_config, describe};
use crate::errors::IntoPyResult;
use crate::json::{from_python, opt_out_flag};
use crate::operation::{Outcome, PyOperation};

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

/// A token that only stands in while checking inputs; requests built with it are never sent.
fn placeholder_token() -> Result<AccessToken, Error> {
    AccessToken::new("input-check")
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (*, organization, api_key, access_token = None, token_provider = false,
        client_id = None, client_secret = None, scopes = None, token_url = None, base_url = None,
        api = "profileAndServices", opt_out_field = "ccpaOptOut", retry = None, timeout = 30.0,
        max_body_bytes = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        organization: &str,
        api_key: &str,
        access_token: Option<&str>,
        token_provider: bool,
        client_id: Option<&str>,
        client_secret: Option<&str>,
        scopes: Option<&str>,
        token_url: Option<&str>,
        base_url: Option<&str>,
        api: &str,
        opt_out_field: &str,
        retry: Option<RetryTuple>,
        timeout: f64,
        max_body_bytes: Option<usize>,
    ) -> PyResult<Self> {
        let tokens = TokenSource {
            access_token,
            token_provider,
            client_id,
            client_secret,
            scopes,
            token_url,
        };
        let config = api_config(organization, api_key, base_url, api, opt_out_field)
            .and_then(|api| {
                let credentials = tokens.credentials(api_key)?;
                client_config(api, credentials, retry, timeout, max_body_bytes)
            })
            .or_raise(py)?;
        let transport = HostTransport::new(SystemTime::now);
        Ok(NativeClient {
            client: Arc::new(Client::new(config, transport)),
        })
    }

    /// The ACS tenant ID.
    #[getter]
    fn organization(&self) -> &str {
        self.client.config().api.organization.as_str()
    }

    /// The gateway URL.
    #[getter]
    fn base_url(&self) -> &str {
        self.client.config().api.base_url.as_str()
    }

    /// The API name.
    #[getter]
    fn api(&self) -> &str {
        self.client.config().api.api.as_str()
    }

    /// The opt-out attribute.
    #[getter]
    fn opt_out_field(&self) -> &str {
        self.field().as_str()
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
        let opted_out = self.opt_out_input(opted_out).or_raise(py)?;
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
        let opted_out = self.opt_out_input(opted_out).or_raise(py)?;
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
        let fields = self.fields_input(fields).or_raise(py)?;
        Ok(self.run(|c| async move { c.create_profile(&fields).await.map(Outcome::Profile) }))
    }

    fn start_update_profile(
        &self,
        py: Python<'_>,
        pkey: &str,
        fields: &Bound<'_, PyAny>,
    ) -> PyResult<PyOperation> {
        let pkey = PKey::new(pkey).or_raise(py)?;
        let fields = self.fields_input(fields).or_raise(py)?;
        let api = &self.client.config().api;
        // Refuses an empty update now rather than at the first step.
        placeholder_token()
            .and_then(|token| prepare_update_profile(api, &token, &pkey, &fields))
            .or_raise(py)?;
        Ok(self.run(|c| async move { c.update_profile(&pkey, &fields).await.map(Outcome::Ack) }))
    }

    fn start_delete_profile(&self, py: Python<'_>, pkey: &str) -> PyResult<PyOperation> {
        let pkey = PKey::new(pkey).or_raise(py)?;
        Ok(self.run(|c| async move { c.delete_profile(&pkey).await.map(|()| Outcome::Deleted) }))
    }

    fn start_profile_metadata(&self) -> PyOperation {
        self.run(|c| async move {
            let metadata = c.profile_metadata().await?;
            let ok = metadata
                .check_opt_out_field(&c.config().api.opt_out_field)
                .is_ok();
            Ok(Outcome::Metadata(metadata, ok))
        })
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

    /// A listing of every profile; nothing is fetched until its first page is asked for.
    #[pyo3(signature = (page_size = None, order = None, force_pagination = true))]
    fn listing(
        &self,
        py: Python<'_>,
        page_size: Option<u32>,
        order: Option<&str>,
        force_pagination: bool,
    ) -> PyResult<Listing> {
        let options = ListOptions {
            page_size,
            order: order.map(Order::parse).transpose().or_raise(py)?,
            force_pagination,
        };
        // Checks the page size now, so a bad one fails at the call and not at the first page.
        placeholder_token()
            .and_then(|token| prepare_list_profiles(&self.client.config().api, &token, &options))
            .or_raise(py)?;
        Ok(Listing {
            client: Arc::clone(&self.client),
            cursor: Arc::new(Mutex::new(ListingCursor::all(options))),
        })
    }

    fn __repr__(&self) -> String {
        describe("Client", &self.client.config().api)
    }
}

impl NativeClient {
    fn opt_out_input(&self, value: &Bound<'_, PyAny>) -> Result<bool, Error> {
        opt_out_flag(value, self.field())
    }

    fn fields_input(&self, fields: &Bound<'_, PyAny>) -> Result<ProfileFields, Error> {
        ProfileFields::from_json(from_python(fields, "fields")?, self.field())
    }
}

/// Where a listing stands; each `next_page()` is an operation that reads one page.
#[pyclass(frozen, module = "ccpa_optout._native", name = "_Listing")]
pub struct Listing {
    client: Arc<HostClient>,
    cursor: Arc<Mutex<ListingCursor>>,
}

#[pymethods]
impl Listing {
    /// The operation that reads the next page; it finishes with a list of profile dicts, or
    /// `None` after the last page. A failed page can be asked for again.
    fn next_page(&self) -> PyOperation {
        let client = Arc::clone(&self.client);
        let shared = Arc::clone(&self.cursor);
        let field = client.config().api.opt_out_field.clone();
        PyOperation::new(field, async move {
            let mut cursor = { lock(&shared).clone() };
            let page = cursor.next_page(&client).await?;
            *lock(&shared) = cursor;
            Ok(Outcome::Page(page))
        })
    }

    /// Whether the last page was read.
    #[getter]
    fn done(&self) -> bool {
        lock(&self.cursor).is_done()
    }
}

fn lock(cursor: &Mutex<ListingCursor>) -> std::sync::MutexGuard<'_, ListingCursor> {
    cursor
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
