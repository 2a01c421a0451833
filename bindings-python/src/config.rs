//! Client settings from Python keyword arguments, validated by the core.

use std::time::Duration;

use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, ApiName, BaseUrl, ClientConfig, ClientSecret, Credentials,
    Error, OAuthCredentials, OptOutField, Organization, RetryPolicy,
};
use pyo3::prelude::*;

use crate::errors::IntoPyResult;

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
        let inner = api_config(organization, api_key, base_url, api, opt_out_field).or_raise(py)?;
        Ok(PyApiConfig { inner })
    }

    /// The ACS tenant ID.
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

    /// The opt-out attribute.
    #[getter]
    fn opt_out_field(&self) -> &str {
        self.inner.opt_out_field.as_str()
    }

    fn __repr__(&self) -> String {
        describe("ApiConfig", &self.inner)
    }
}

/// `Name(organization=…, base_url=…, api=…, opt_out_field=…)`: never a credential.
pub(crate) fn describe(name: &str, api: &ApiConfig) -> String {
    format!(
        "{name}(organization={:?}, base_url={:?}, api={:?}, opt_out_field={:?})",
        api.organization.as_str(),
        api.base_url.as_str(),
        api.api.as_str(),
        api.opt_out_field.as_str()
    )
}

/// The core's `ApiConfig`, each setting checked in the order a user would fix them.
pub(crate) fn api_config(
    organization: &str,
    api_key: &str,
    base_url: Option<&str>,
    api: &str,
    opt_out_field: &str,
) -> Result<ApiConfig, Error> {
    let mut config = ApiConfig::new(Organization::new(organization)?, ApiKey::new(api_key)?);
    if let Some(url) = base_url {
        config = config.with_base_url(BaseUrl::new(url)?);
    }
    Ok(config
        .with_api(api.parse::<ApiName>()?)
        .with_opt_out_field(OptOutField::new(opt_out_field)?))
}

/// The ways a Python client can get its access tokens.
pub(crate) struct TokenSource<'a> {
    pub access_token: Option<&'a str>,
    pub token_provider: bool,
    pub client_id: Option<&'a str>,
    pub client_secret: Option<&'a str>,
    pub scopes: Option<&'a str>,
    pub token_url: Option<&'a str>,
}

impl TokenSource<'_> {
    /// Exactly one source: a fixed token, the host's provider, or OAuth client credentials.
    pub(crate) fn credentials(&self, api_key: &str) -> Result<Credentials, Error> {
        let given = [
            self.access_token.is_some(),
            self.token_provider,
            self.client_secret.is_some(),
        ];
        match given.iter().filter(|g| **g).count() {
            0 if self.client_id.is_some() => {
                return Err(Error::config(
                    "clientSecret",
                    "OAuth needs client_secret as well as client_id",
                ));
            }
            0 => {
                return Err(Error::config(
                    "accessToken",
                    "no credentials: pass access_token, token_provider, or client_secret (OAuth server-to-server)",
                ));
            }
            1 => {}
            _ => {
                return Err(Error::config(
                    "accessToken",
                    "pass only one of access_token, token_provider and client_secret",
                ));
            }
        }
        if let Some(token) = self.access_token {
            return Ok(Credentials::AccessToken(AccessToken::new(token)?));
        }
        if self.token_provider {
            return Ok(Credentials::Provider(std::sync::Arc::new(
                ccpa_optout::driver::HostTokens,
            )));
        }
        let secret = ClientSecret::new(self.client_secret.unwrap_or_default())?;
        let Some(scopes) = self.scopes.filter(|s| !s.trim().is_empty()) else {
            return Err(Error::config(
                "scopes",
                "OAuth needs the scopes shown in the Developer Console (e.g. \"openid,AdobeID,campaign_sdk\")",
            ));
        };
        let client_id = ApiKey::new(self.client_id.unwrap_or(api_key))?;
        let mut oauth = OAuthCredentials::new(client_id, secret, scopes)?;
        if let Some(url) = self.token_url {
            oauth = oauth.with_token_url(url)?;
        }
        Ok(Credentials::OAuth(oauth))
    }
}

/// Retry settings as Python passes them: attempts, then seconds.
pub(crate) type RetryTuple = (u32, f64, f64, f64);

/// The core's retry policy, refusing nonsense (no attempt at all, negative or endless waits).
pub(crate) fn retry_policy(retry: RetryTuple) -> Result<RetryPolicy, Error> {
    let (max_attempts, base, max, max_retry_after) = retry;
    if max_attempts == 0 {
        return Err(Error::config("retry", "max_attempts must be at least 1"));
    }
    Ok(RetryPolicy {
        max_attempts,
        base_delay: seconds(base, "retry")?,
        max_delay: seconds(max, "retry")?,
        max_retry_after: seconds(max_retry_after, "retry")?,
    })
}

/// The core's defaults, for the Python `RetryPolicy` to start from.
pub(crate) fn default_retry() -> RetryTuple {
    let policy = RetryPolicy::default();
    (
        policy.max_attempts,
        policy.base_delay.as_secs_f64(),
        policy.max_delay.as_secs_f64(),
        policy.max_retry_after.as_secs_f64(),
    )
}

/// A non-negative, finite number of seconds.
pub(crate) fn seconds(value: f64, field: &str) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        Error::config(
            field,
            format!("{field} must be a finite, non-negative number of seconds"),
        )
    })
}

/// The full client configuration.
pub(crate) fn client_config(
    api: ApiConfig,
    credentials: Credentials,
    retry: Option<RetryTuple>,
    timeout: f64,
    max_body_bytes: Option<usize>,
) -> Result<ClientConfig, Error> {
    let mut config = ClientConfig::new(api, credentials);
    if let Some(retry) = retry {
        config.retry = retry_policy(retry)?;
    }
    config.timeout = seconds(timeout, "timeout")?;
    if config.timeout.is_zero() {
        return Err(Error::config(
            "timeout",
            "timeout must be more than 0 seconds",
        ));
    }
    if let Some(max) = max_body_bytes {
        config.max_body_bytes = max;
    }
    Ok(config)
}
