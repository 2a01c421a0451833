//! Python keyword arguments and environments as the core's `ClientSettings`; `ApiConfig`.

use std::sync::Arc;

use ccpa_optout::driver::HostTokens;
use ccpa_optout::{ApiConfig, ClientSettings, RetryPolicy, RetrySettings, Setting};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::errors::IntoPyResult;
use crate::http::quoted;
use crate::json::type_name;

/// The settings of `Client(**settings)`. Text settings are read through the core's table of
/// names ([`Setting`]), the rest by their keyword; `None` leaves a setting to its default,
/// except `retry=None`, which turns retries off. `token_provider` says whether the Python
/// client has one: the core then asks for tokens through the driver's `"token"` step.
pub(crate) fn from_keywords(
    keywords: &Bound<'_, PyDict>,
    token_provider: bool,
) -> PyResult<ClientSettings> {
    let mut settings = ClientSettings {
        token_provider: token_provider.then(|| Arc::new(HostTokens) as _),
        ..ClientSettings::default()
    };
    for (key, value) in keywords {
        let key = key.extract::<String>()?;
        if let Some(setting) = Setting::ALL.into_iter().find(|s| s.snake_case() == key) {
            if !value.is_none() {
                settings.set(setting, Some(text_setting(&key, &value)?));
            }
            continue;
        }
        // A value of the wrong type keeps its Python exception, with the keyword in front.
        let named = |err: PyErr| {
            let py = value.py();
            PyErr::from_type(err.get_type(py), format!("{key}: {}", err.value(py)))
        };
        match key.as_str() {
            "retry" => settings.retry = Some(retry_settings(&value).map_err(named)?),
            "timeout" | "max_body_bytes" | "force_pagination" if value.is_none() => {}
            "timeout" => settings.timeout = Some(value.extract().map_err(named)?),
            "max_body_bytes" => settings.max_body_bytes = Some(value.extract().map_err(named)?),
            "force_pagination" => {
                settings.force_pagination = Some(value.extract().map_err(named)?);
            }
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "got an unexpected keyword argument '{key}'"
                )));
            }
        }
    }
    Ok(settings)
}

/// A text setting; `scopes` may also be a list or tuple of scopes.
fn text_setting(key: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_cow()?.into_owned());
    }
    if key == "scopes" && (value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>()) {
        return Ok(value.extract::<Vec<String>>()?.join(","));
    }
    Err(PyTypeError::new_err(format!(
        "{key} must be a str, not {}",
        type_name(value)
    )))
}

/// A `RetryPolicy` (read through its attributes), or `None` for a single attempt.
fn retry_settings(retry: &Bound<'_, PyAny>) -> PyResult<RetrySettings> {
    if retry.is_none() {
        return Ok(RetrySettings {
            max_attempts: Some(1),
            ..RetrySettings::default()
        });
    }
    Ok(RetrySettings {
        max_attempts: Some(retry.getattr("max_attempts")?.extract()?),
        base_delay: Some(retry.getattr("base_delay")?.extract()?),
        max_delay: Some(retry.getattr("max_delay")?.extract()?),
        max_retry_after: Some(retry.getattr("max_retry_after")?.extract()?),
    })
}

/// The settings an environment holds as `(keyword, value)` pairs (`("organization", "acme")`),
/// read with the core's table of `CAMPAIGN_STANDARD_*` variables; blank values are left out.
#[pyfunction]
pub fn environment(environ: &Bound<'_, PyAny>) -> PyResult<Vec<(&'static str, String)>> {
    let mut values = Vec::new();
    for setting in Setting::ALL {
        let variable = setting.env_var();
        if environ.contains(variable)? {
            values.push((variable, environ.get_item(variable)?.extract::<String>()?));
        }
    }
    let settings = ClientSettings::from_lookup(|variable| {
        values
            .iter()
            .find(|(v, _)| *v == variable)
            .map(|(_, value)| value.clone())
    });
    Ok(Setting::ALL
        .into_iter()
        .filter_map(|s| Some((s.snake_case(), settings.get(s)?.to_owned())))
        .collect())
}

/// The core's default retry policy: `(max_attempts, base_delay, max_delay, max_retry_after)`.
#[pyfunction]
pub fn default_retry() -> (u32, f64, f64, f64) {
    retry_tuple(&RetryPolicy::default())
}

/// A retry policy as the Python `RetryPolicy` takes it: attempts, then seconds.
pub(crate) fn retry_tuple(policy: &RetryPolicy) -> (u32, f64, f64, f64) {
    (
        policy.max_attempts,
        policy.base_delay.as_secs_f64(),
        policy.max_delay.as_secs_f64(),
        policy.max_retry_after.as_secs_f64(),
    )
}

/// Where requests go, for the sans-IO `prepare_*` functions: tenant, API key, base URL, API
/// name and opt-out field.
#[pyclass(frozen, module = "ccpa_optout", name = "ApiConfig")]
pub struct PyApiConfig {
    pub(crate) inner: ApiConfig,
}

#[pymethods]
impl PyApiConfig {
    #[new]
    #[pyo3(signature = (*, organization, api_key, base_url = None, api = "profileAndServices", opt_out_field = "ccpaOptOut"))]
    fn new(
        py: Python<'_>,
        organization: &str,
        api_key: &str,
        base_url: Option<&str>,
        api: &str,
        opt_out_field: &str,
    ) -> PyResult<Self> {
        let settings = ClientSettings {
            organization: Some(organization.into()),
            api_key: Some(api_key.into()),
            base_url: base_url.map(Into::into),
            api: Some(api.into()),
            opt_out_field: Some(opt_out_field.into()),
            ..ClientSettings::default()
        };
        let inner = settings.api_config().or_raise(py)?;
        Ok(PyApiConfig { inner })
    }

    #[getter]
    fn organization(&self) -> &str {
        self.inner.organization.as_str()
    }

    /// The gateway URL, without a trailing slash.
    #[getter]
    fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// `profileAndServices` or `profileAndServicesExt`.
    #[getter]
    fn api(&self) -> &str {
        self.inner.api.as_str()
    }

    #[getter]
    fn opt_out_field(&self) -> &str {
        self.inner.opt_out_field.as_str()
    }

    /// Never a credential; the clients show the same under their own name.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let api = &self.inner;
        Ok(format!(
            "ApiConfig(organization={}, base_url={}, api={}, opt_out_field={})",
            quoted(py, api.organization.as_str())?,
            quoted(py, api.base_url.as_str())?,
            quoted(py, api.api.as_str())?,
            quoted(py, api.opt_out_field.as_str())?
        ))
    }
}
