//! Client settings as typed FFI objects, each a part of the core's `ClientSettings`.

use std::fmt;
use std::sync::Arc;

use ccpa_optout::{ClientConfig, ClientSettings, RetrySettings};

use crate::error::{Result, ffi};
use crate::host::{TokenProvider, core_provider};

/// Tenant, API key, base URL, API name and opt-out field. An object (not a record) so that
/// printing it never shows the API key.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct ApiConfig {
    settings: ClientSettings,
    pub(crate) inner: ccpa_optout::ApiConfig,
}

#[uniffi::export]
impl ApiConfig {
    /// `base_url` defaults to `https://mc.adobe.io` (plain `http://` only on loopback), `api`
    /// to `profileAndServices` (or `profileAndServicesExt`), `opt_out_field` to `ccpaOptOut`.
    /// `ims_org` (`…@AdobeOrg`) turns on the Privacy Service, at `privacy_base_url`
    /// (default `https://platform.adobe.io`); both are checked when the client is made.
    #[uniffi::constructor(default(
        base_url = None,
        api = None,
        opt_out_field = None,
        ims_org = None,
        privacy_base_url = None
    ))]
    pub fn new(
        organization: String,
        api_key: String,
        base_url: Option<String>,
        api: Option<String>,
        opt_out_field: Option<String>,
        ims_org: Option<String>,
        privacy_base_url: Option<String>,
    ) -> Result<Arc<Self>> {
        let settings = ClientSettings {
            organization: Some(organization),
            api_key: Some(api_key),
            base_url,
            api,
            opt_out_field,
            ims_org,
            privacy_base_url,
            ..ClientSettings::default()
        };
        let inner = ffi(settings.api_config())?;
        Ok(Arc::new(ApiConfig { settings, inner }))
    }

    /// The ACS tenant ID.
    pub fn organization(&self) -> String {
        self.inner.organization.as_str().to_owned()
    }

    /// The gateway URL, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.inner.base_url.as_str().to_owned()
    }

    /// `profileAndServices` or `profileAndServicesExt`.
    pub fn api(&self) -> String {
        self.inner.api.as_str().to_owned()
    }

    /// The opt-out attribute.
    pub fn opt_out_field(&self) -> String {
        self.inner.opt_out_field.as_str().to_owned()
    }
}

impl fmt::Display for ApiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ApiConfig(organization={:?}, base_url={:?}, api={:?}, opt_out_field={:?})",
            self.organization(),
            self.base_url(),
            self.api(),
            self.opt_out_field()
        )
    }
}

impl fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Where access tokens come from: a fixed token, OAuth server-to-server (the core fetches and
/// caches tokens from IMS), or the host's own provider. Printing it shows which (the core's
/// form), never a secret.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Credentials {
    settings: ClientSettings,
    checked: ccpa_optout::Credentials,
}

#[uniffi::export]
impl Credentials {
    /// A fixed access token (e.g. from `CAMPAIGN_STANDARD_ACCESS_TOKEN`).
    #[uniffi::constructor]
    pub fn access_token(token: String) -> Result<Arc<Self>> {
        Credentials::checked(ClientSettings {
            access_token: Some(token),
            ..ClientSettings::default()
        })
    }

    /// OAuth server-to-server: `client_id` is the API key of the Developer Console project,
    /// `scopes` the ones it lists; `token_url` defaults to Adobe IMS.
    #[uniffi::constructor(default(token_url = None))]
    pub fn oauth(
        client_id: String,
        client_secret: String,
        scopes: String,
        token_url: Option<String>,
    ) -> Result<Arc<Self>> {
        Credentials::checked(oauth_settings(client_id, client_secret, scopes, token_url))
    }

    /// Tokens from the host, asked for whenever the client needs one.
    #[uniffi::constructor]
    pub fn token_provider(provider: Arc<dyn TokenProvider>) -> Arc<Self> {
        let provider = core_provider(provider);
        Arc::new(Credentials {
            checked: ccpa_optout::Credentials::Provider(Arc::clone(&provider)),
            settings: ClientSettings {
                token_provider: Some(provider),
                ..ClientSettings::default()
            },
        })
    }
}

impl Credentials {
    fn checked(settings: ClientSettings) -> Result<Arc<Self>> {
        let checked = ffi(settings.credentials())?;
        Ok(Arc::new(Credentials { settings, checked }))
    }
}

/// The settings of OAuth server-to-server credentials.
pub(crate) fn oauth_settings(
    client_id: String,
    client_secret: String,
    scopes: String,
    token_url: Option<String>,
) -> ClientSettings {
    ClientSettings {
        client_id: Some(client_id),
        client_secret: Some(client_secret),
        scopes: Some(scopes),
        token_url,
        ..ClientSettings::default()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.checked)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Which failures are retried and how long to wait; every time is in seconds.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (at least 1).
    pub max_attempts: u32,
    /// The first backoff; it doubles each retry (with jitter).
    pub base_delay_seconds: f64,
    /// The longest backoff.
    pub max_delay_seconds: f64,
    /// The longest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_after_seconds: f64,
}

/// The core's default retry policy.
#[uniffi::export]
pub fn default_retry_policy() -> RetryPolicy {
    let policy = ccpa_optout::RetryPolicy::default();
    RetryPolicy {
        max_attempts: policy.max_attempts,
        base_delay_seconds: policy.base_delay.as_secs_f64(),
        max_delay_seconds: policy.max_delay.as_secs_f64(),
        max_retry_after_seconds: policy.max_retry_after.as_secs_f64(),
    }
}

impl From<RetryPolicy> for RetrySettings {
    fn from(policy: RetryPolicy) -> Self {
        RetrySettings {
            max_attempts: Some(policy.max_attempts),
            base_delay: Some(policy.base_delay_seconds),
            max_delay: Some(policy.max_delay_seconds),
            max_retry_after: Some(policy.max_retry_after_seconds),
        }
    }
}

/// Optional client settings; anything left out keeps the core's default (30 s per exchange,
/// 16 MiB bodies, `default_retry_policy()`, `_forcePagination=true` on byEmail lookups).
#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct ClientOptions {
    /// The time limit for one HTTP exchange, in seconds.
    #[uniffi(default = None)]
    pub timeout_seconds: Option<f64>,
    /// The largest response body accepted.
    #[uniffi(default = None)]
    pub max_body_bytes: Option<u64>,
    /// Which failures are retried and how.
    #[uniffi(default = None)]
    pub retry: Option<RetryPolicy>,
    /// Whether byEmail lookups send `_forcePagination=true` (ACS leaves `next` out on big
    /// tables without it).
    #[uniffi(default = None)]
    pub force_pagination: Option<bool>,
}

/// The core's client configuration: the three parts together, checked by `ClientSettings`.
pub(crate) fn client_config(
    api: &ApiConfig,
    credentials: &Credentials,
    options: ClientOptions,
) -> Result<ClientConfig> {
    let settings = ClientSettings {
        timeout: options.timeout_seconds,
        max_body_bytes: options.max_body_bytes,
        retry: options.retry.map(RetrySettings::from),
        force_pagination: options.force_pagination,
        ..credentials.settings.clone().or(api.settings.clone())
    };
    ffi(settings.client_config())
}
