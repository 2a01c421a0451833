//! The sans-IO surface: `prepare_*` builds a `Request`, `parse_*` reads a `Response`.

use std::time::SystemTime;

use ccpa_optout::{
    AccessToken, ApiKey, ClientSecret, Email, Error, HttpRequest, ListOptions, OAuthCredentials,
    OptOutField, PKey,
};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::{IntoPyResult, exception_object};
use crate::http::{Request, Response};
use crate::json::{opt_out_flag, profile_fields};
use crate::operation::{ack_to_python, metadata_to_python, profile_to_python, profiles_to_python};
use crate::settings::PyApiConfig;

/// The request `build` makes with the caller's token, or the typed exception.
pub(crate) fn prepare(
    py: Python<'_>,
    access_token: &str,
    build: impl FnOnce(&AccessToken) -> Result<HttpRequest, Error>,
) -> PyResult<Request> {
    let built = AccessToken::new(access_token)
        .and_then(|token| build(&token))
        .or_raise(py)?;
    Ok(Request::from_http(py, &built))
}

fn field(py: Python<'_>, name: &str) -> PyResult<OptOutField> {
    OptOutField::new(name).or_raise(py)
}

/// Writes each `prepare_*` that takes the ACS settings and an access token: a `#[pyfunction]`
/// `name(api, access_token, …)` whose body builds the core's request from `api` and the checked
/// `token` (both named at the call, so that the body can use them).
macro_rules! prepare_fns {
    ($(
        $(#[$($attr:tt)*])*
        fn $name:ident($api:ident, $token:ident $(, $arg:ident: $ty:ty)* $(,)?) $body:block
    )*) => {$(
        #[pyfunction]
        $(#[$($attr)*])*
        pub fn $name(
            py: Python<'_>,
            $api: &PyApiConfig,
            access_token: &str,
            $($arg: $ty),*
        ) -> PyResult<Request> {
            prepare(py, access_token, |$token| $body)
        }
    )*};
}

prepare_fns! {
    /// `GET …/profile/{PKey}`.
    fn prepare_get_profile(api, token, pkey: &str) {
        ccpa_optout::prepare_get_profile(&api.inner, token, &PKey::new(pkey)?)
    }

    /// `GET …/profile/byEmail?email=…` (with `_forcePagination=true` unless turned off).
    #[pyo3(signature = (api, access_token, email, page_size = None, order = None, force_pagination = true))]
    fn prepare_find_by_email(
        api,
        token,
        email: &str,
        page_size: Option<u32>,
        order: Option<&str>,
        force_pagination: bool,
    ) {
        let options = ListOptions::parse(page_size, order, force_pagination)?;
        ccpa_optout::prepare_find_by_email(&api.inner, token, &Email::new(email)?, &options)
    }

    /// `GET …/profile?_lineCount=…&_order=…`.
    #[pyo3(signature = (api, access_token, page_size = None, order = None, force_pagination = true))]
    fn prepare_list_profiles(
        api,
        token,
        page_size: Option<u32>,
        order: Option<&str>,
        force_pagination: bool,
    ) {
        let options = ListOptions::parse(page_size, order, force_pagination)?;
        ccpa_optout::prepare_list_profiles(&api.inner, token, &options)
    }

    /// `GET {href}` for a link the server returned; it must stay on the configured origin.
    fn prepare_follow_href(api, token, href: &str) {
        ccpa_optout::prepare_follow_href(&api.inner, token, href)
    }

    /// `POST …/profile`.
    fn prepare_create_profile(api, token, fields: &Bound<'_, PyAny>) {
        let fields = profile_fields(fields, &api.inner.opt_out_field)?;
        ccpa_optout::prepare_create_profile(&api.inner, token, &fields)
    }

    /// `PATCH …/profile/{PKey}` with only the opt-out field.
    fn prepare_set_opt_out(api, token, pkey: &str, opted_out: &Bound<'_, PyAny>) {
        let pkey = PKey::new(pkey)?;
        let opted_out = opt_out_flag(opted_out, &api.inner.opt_out_field)?;
        ccpa_optout::prepare_set_opt_out(&api.inner, token, &pkey, opted_out)
    }

    /// `PATCH …/profile/{PKey}` with arbitrary fields.
    fn prepare_update_profile(api, token, pkey: &str, fields: &Bound<'_, PyAny>) {
        let pkey = PKey::new(pkey)?;
        let fields = profile_fields(fields, &api.inner.opt_out_field)?;
        ccpa_optout::prepare_update_profile(&api.inner, token, &pkey, &fields)
    }

    /// `DELETE …/profile/{PKey}`.
    fn prepare_delete_profile(api, token, pkey: &str) {
        ccpa_optout::prepare_delete_profile(&api.inner, token, &PKey::new(pkey)?)
    }

    /// `GET …/{api}/resourceType/profile`.
    fn prepare_profile_metadata(api, token) {
        ccpa_optout::prepare_profile_metadata(&api.inner, token)
    }
}

/// The OAuth server-to-server `client_credentials` exchange with IMS.
#[pyfunction]
#[pyo3(signature = (client_id, client_secret, scopes, token_url = None))]
pub fn prepare_token_request(
    py: Python<'_>,
    client_id: &str,
    client_secret: &str,
    scopes: &str,
    token_url: Option<&str>,
) -> PyResult<Request> {
    let built = (|| {
        let mut oauth = OAuthCredentials::new(
            ApiKey::new(client_id)?,
            ClientSecret::new(client_secret)?,
            scopes,
        )?;
        if let Some(url) = token_url {
            oauth = oauth.with_token_url(url)?;
        }
        ccpa_optout::prepare_token_request(&oauth)
    })()
    .or_raise(py)?;
    Ok(Request::from_http(py, &built))
}

/// One profile as a `dict` of every field.
#[pyfunction]
#[pyo3(signature = (response, opt_out_field = "ccpaOptOut"))]
pub fn parse_profile<'py>(
    py: Python<'py>,
    response: &Response,
    opt_out_field: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let field = field(py, opt_out_field)?;
    let answer = response.to_http(py);
    let profile = py
        .detach(|| ccpa_optout::parse_profile(&answer, &field))
        .or_raise(py)?;
    profile_to_python(py, &profile, &field)
}

/// One page: `(profiles, next_href, count_href)`.
#[pyfunction]
#[pyo3(signature = (response, opt_out_field = "ccpaOptOut"))]
pub fn parse_profile_page<'py>(
    py: Python<'py>,
    response: &Response,
    opt_out_field: &str,
) -> PyResult<Bound<'py, PyTuple>> {
    let field = field(py, opt_out_field)?;
    let answer = response.to_http(py);
    let page = py
        .detach(|| ccpa_optout::parse_profile_page(&answer, &field))
        .or_raise(py)?;
    let content = profiles_to_python(py, &page.content, &field)?;
    PyTuple::new(
        py,
        [
            content,
            page.next.into_bound_py_any(py)?,
            page.count.into_bound_py_any(py)?,
        ],
    )
}

/// The PATCH acknowledgement `(pkey, href)`, or `None` for an empty 2xx.
#[pyfunction]
pub fn parse_patch_ack<'py>(py: Python<'py>, response: &Response) -> PyResult<Bound<'py, PyAny>> {
    match ccpa_optout::parse_patch_ack(&response.to_http(py)).or_raise(py)? {
        Some(ack) => ack_to_python(py, &ack),
        None => Ok(py.None().into_bound(py)),
    }
}

/// `None` for any 2xx; the typed exception otherwise.
#[pyfunction]
pub fn parse_delete(py: Python<'_>, response: &Response) -> PyResult<()> {
    ccpa_optout::parse_delete(&response.to_http(py)).or_raise(py)
}

/// `{"count": n}` as `n`.
#[pyfunction]
pub fn parse_count(py: Python<'_>, response: &Response) -> PyResult<u64> {
    ccpa_optout::parse_count(&response.to_http(py)).or_raise(py)
}

/// `([(name, type), ...], opt_out_field_ok)`.
#[pyfunction]
#[pyo3(signature = (response, opt_out_field = "ccpaOptOut"))]
pub fn parse_profile_metadata<'py>(
    py: Python<'py>,
    response: &Response,
    opt_out_field: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let field = field(py, opt_out_field)?;
    let metadata = ccpa_optout::parse_profile_metadata(&response.to_http(py)).or_raise(py)?;
    metadata_to_python(py, &metadata, &field)
}

/// IMS's answer as `(access_token, expires_in_seconds)`.
#[pyfunction]
pub fn parse_token_response(py: Python<'_>, response: &Response) -> PyResult<(String, f64)> {
    let (issued, lifetime) =
        ccpa_optout::parse_token_response(&response.to_http(py), SystemTime::now()).or_raise(py)?;
    Ok((issued.token.expose().to_owned(), lifetime.as_secs_f64()))
}

/// Raises the typed exception unless the status is 2xx.
#[pyfunction]
pub fn check_status(py: Python<'_>, response: &Response) -> PyResult<()> {
    ccpa_optout::check_status(&response.to_http(py)).or_raise(py)
}

/// The typed exception a non-2xx answer stands for (returned, not raised).
#[pyfunction]
pub fn error_from_response<'py>(
    py: Python<'py>,
    response: &Response,
) -> PyResult<Bound<'py, PyAny>> {
    let answer = response.to_http(py);
    let err =
        ccpa_optout::error_from_response(answer.status().as_u16(), answer.headers(), answer.body());
    exception_object(py, &err)
}
