//! Client settings, validated by the core: where requests go, credentials, retries and limits.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ccpa_optout::{
    AccessToken, ApiKey, ApiName, BaseUrl, ClientConfig, ClientSecret, Error, OAuthCredentials,
    OptOutField, Organization,
};

use crate::error::{Result, ffi};
use crate::host::TokenProvider;

/// Tenant, API key, base URL, API name and opt-out field. An object (not a record) so that
/// printing it never shows the API key.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct ApiConfig {
    pub(crate) inner: ccpa_optout::ApiConfig,
}

#[uniffi::export]
impl ApiConfig {
    /// `base_url` defaults to `https://mc.adobe.io` (plain `http://` only on loopback), `api`
    /// to `profileAndServices` (or `profileAndServicesExt`), `opt_out_field` to `ccpaOptOut`.
    #[uniffi::constructor(default(base_url = None, api = None, opt_out_field = None))]
    pub fn new(
        organization: String,
        api_key: String,
        base_url: Option<String>,
        api: Option<String>,
        opt_out_field: Option<String>,
    ) -> Result<Arc<Self>> {
        let build = || -> ccpa_optout::Result<ccpa_optout::ApiConfig> {
            let mut config = ccpa_optout::ApiConfig::new(
                Organization::new(organization)?,
                ApiKey::new(api_key)?,
            );
            if let Some(url) = base_url {
                config = config.with_base_url(BaseUrl::new(&url)?);
            }
            if let Some(api) = api {
                config = config.with_api(api.parse::<ApiName>()?);
            }
            if let Some(field) = opt_out_field {
                config = config.with_opt_out_field(OptOutField::new(field)?);
            }
            Ok(config)
        };
        Ok(Arc::new(ApiConfig {
            inner: ffi(build())?,
        }))
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
        let api = &self.inner;
        write!(
            f,
            "ApiConfig(organization={:?}, base_url={:?}, api={:?}, opt_out_field={:?})",
            api.organization.as_str(),
            api.base_url.as_str(),
            api.api.as_str(),
            api.opt_out_field.as_str()
        )
    }
}

impl fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Where access tokens come from: a fixed token, OAuth server-to-server (the core fetches and
/// caches tokens from IMS), or the host's own provider. Printing it shows which, never a secret.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Credentials {
    pub(crate) source: TokenSource,
}

pub(crate) enum TokenSource {
    Core(ccpa_optout::Credentials),
    Provider(Arc<dyn TokenProvider>),
}

#[uniffi::export]
impl Credentials {
    /// A fixed access token (e.g. from `CAMPAIGN_STANDARD_ACCESS_TOKEN`).
    #[uniffi::constructor]
    pub fn access_token(token: String) -> Result<Arc<Self>> {
        let token = ffi(AccessToken::new(token))?;
        Ok(Self::core(ccpa_optout::Credentials::AccessToken(token)))
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
        if scopes.trim().is_empty() {
            return Err(Error::config(
                "scopes",
                "OAuth needs the scopes shown in the Developer Console",
            )
            .into());
        }
        let oauth = ffi(oauth_credentials(
            client_id,
            client_secret,
            scopes,
            token_url,
        ))?;
        Ok(Self::core(ccpa_optout::Credentials::OAuth(oauth)))
    }

    /// Tokens from the host, asked for whenever the client needs one.
    #[uniffi::constructor]
    pub fn token_provider(provider: Arc<dyn TokenProvider>) -> Arc<Self> {
        Arc::new(Credentials {
            source: TokenSource::Provider(provider),
        })
    }
}

impl Credentials {
    fn core(credentials: ccpa_optout::Credentials) -> Arc<Self> {
        Arc::new(Credentials {
            source: TokenSource::Core(credentials),
        })
    }

    /// The core's credentials; a host provider is reached through the driver's token steps.
    pub(crate) fn for_core(&self) -> ccpa_optout::Credentials {
        match &self.source {
            TokenSource::Core(credentials) => credentials.clone(),
            TokenSource::Provider(_) => {
                ccpa_optout::Credentials::Provider(Arc::new(ccpa_optout::driver::HostTokens))
            }
        }
    }

    pub(crate) fn provider(&self) -> Option<Arc<dyn TokenProvider>> {
        match &self.source {
            TokenSource::Core(_) => None,
            TokenSource::Provider(provider) => Some(Arc::clone(provider)),
        }
    }
}

/// The core's OAuth credentials, each part checked.
pub(crate) fn oauth_credentials(
    client_id: String,
    client_secret: String,
    scopes: String,
    token_url: Option<String>,
) -> ccpa_optout::Result<OAuthCredentials> {
    let oauth = OAuthCredentials::new(
        ApiKey::new(client_id)?,
        ClientSecret::new(client_secret)?,
        scopes,
    )?;
    match token_url {
        Some(url) => oauth.with_token_url(&url),
        None => Ok(oauth),
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match &self.source {
            TokenSource::Core(ccpa_optout::Credentials::AccessToken(_)) => {
                "Credentials(access token ***)"
            }
            TokenSource::Core(ccpa_optout::Credentials::OAuth(_)) => {
                "Credentials(OAuth client credentials ***)"
            }
            TokenSource::Core(_) | TokenSource::Provider(_) => "Credentials(token provider)",
        })
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

/// Optional client settings; anything left out keeps the core's default (30 s per exchange,
/// 16 MiB bodies, `default_retry_policy()`).
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
}

/// The core's client configuration from the FFI settings.
pub(crate) fn client_config(
    api: &ApiConfig,
    credentials: &Credentials,
    options: ClientOptions,
) -> ccpa_optout::Result<ClientConfig> {
    let mut config = ClientConfig::new(api.inner.clone(), credentials.for_core());
    if let Some(timeout) = options.timeout_seconds {
        config.timeout = seconds(timeout, "timeout")?;
        if config.timeout.is_zero() {
            return Err(Error::config(
                "timeout",
                "timeout must be more than 0 seconds",
            ));
        }
    }
    if let Some(max) = options.max_body_bytes {
        config.max_body_bytes = usize::try_from(max).unwrap_or(usize::MAX);
    }
    if let Some(retry) = options.retry {
        if retry.max_attempts == 0 {
            return Err(Error::config("retry", "max_attempts must be at least 1"));
        }
        config.retry = ccpa_optout::RetryPolicy {
            max_attempts: retry.max_attempts,
            base_delay: seconds(retry.base_delay_seconds, "retry")?,
            max_delay: seconds(retry.max_delay_seconds, "retry")?,
            max_retry_after: seconds(retry.max_retry_after_seconds, "retry")?,
        };
    }
    Ok(config)
}

/// A finite, non-negative number of seconds.
fn seconds(value: f64, field: &str) -> ccpa_optout::Result<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        Error::config(
            field,
            format!("{field} must be a finite, non-negative number of seconds"),
        )
    })
}
