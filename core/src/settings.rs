//! Client settings as every host has them (optional strings and numbers), checked in one place.
//!
//! JavaScript options, Python keyword arguments, UniFFI records, CLI flags and environment
//! variables all become a [`ClientSettings`]; [`ClientSettings::client_config`] applies the
//! rules once: exactly one credential, OAuth settings only with OAuth, scopes, timeout, retry
//! and size limits. [`Setting`] is the one table of names and environment variables.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::client::ClientConfig;
use crate::config::{ApiConfig, ApiName, BaseUrl, OptOutField, Organization};
use crate::privacy::{ImsOrg, PrivacyConfig};
use crate::retry::RetryPolicy;
use crate::secret::{AccessToken, ApiKey, ClientSecret};
use crate::token::{Credentials, OAuthCredentials};
use crate::token_provider::TokenProvider;
use crate::{Error, Result};

/// The longest timeout accepted: about 24.8 days, the most a browser timer can wait.
pub const MAX_TIMEOUT: Duration = Duration::from_millis(2_147_483_647);

/// A setting that can come from the environment, with its names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// The ACS tenant ID.
    Organization,
    /// The API key (`X-Api-Key`).
    ApiKey,
    /// A fixed access token.
    AccessToken,
    /// The OAuth client ID (defaults to the API key).
    ClientId,
    /// The OAuth client secret.
    ClientSecret,
    /// The OAuth scopes.
    Scopes,
    /// The IMS token endpoint.
    TokenUrl,
    /// The gateway URL.
    BaseUrl,
    /// `profileAndServices` or `profileAndServicesExt`.
    Api,
    /// The opt-out field.
    OptOutField,
    /// The IMS organization (`…@AdobeOrg`), which the Privacy Service needs.
    ImsOrg,
    /// The Privacy Service's gateway (default `https://platform.adobe.io`).
    PrivacyBaseUrl,
}

impl Setting {
    /// Every setting that has an environment variable, in the order users fix them.
    pub const ALL: [Setting; 12] = [
        Setting::Organization,
        Setting::ApiKey,
        Setting::AccessToken,
        Setting::ClientId,
        Setting::ClientSecret,
        Setting::Scopes,
        Setting::TokenUrl,
        Setting::BaseUrl,
        Setting::Api,
        Setting::OptOutField,
        Setting::ImsOrg,
        Setting::PrivacyBaseUrl,
    ];

    /// The name in errors' `field` and in JavaScript (`apiKey`).
    pub const fn field(self) -> &'static str {
        match self {
            Setting::Organization => "organization",
            Setting::ApiKey => "apiKey",
            Setting::AccessToken => "accessToken",
            Setting::ClientId => "clientId",
            Setting::ClientSecret => "clientSecret",
            Setting::Scopes => "scopes",
            Setting::TokenUrl => "tokenUrl",
            Setting::BaseUrl => "baseUrl",
            Setting::Api => "api",
            Setting::OptOutField => "optOutField",
            Setting::ImsOrg => "imsOrg",
            Setting::PrivacyBaseUrl => "privacyBaseUrl",
        }
    }

    /// The name in Rust, Python and UniFFI (`api_key`).
    pub const fn snake_case(self) -> &'static str {
        match self {
            Setting::Organization => "organization",
            Setting::ApiKey => "api_key",
            Setting::AccessToken => "access_token",
            Setting::ClientId => "client_id",
            Setting::ClientSecret => "client_secret",
            Setting::Scopes => "scopes",
            Setting::TokenUrl => "token_url",
            Setting::BaseUrl => "base_url",
            Setting::Api => "api",
            Setting::OptOutField => "opt_out_field",
            Setting::ImsOrg => "ims_org",
            Setting::PrivacyBaseUrl => "privacy_base_url",
        }
    }

    /// The environment variable; the first three are the names Adobe's own SDK uses.
    pub const fn env_var(self) -> &'static str {
        match self {
            Setting::Organization => "CAMPAIGN_STANDARD_TENANT_ID",
            Setting::ApiKey => "CAMPAIGN_STANDARD_API_KEY",
            Setting::AccessToken => "CAMPAIGN_STANDARD_ACCESS_TOKEN",
            Setting::ClientId => "CAMPAIGN_STANDARD_CLIENT_ID",
            Setting::ClientSecret => "CAMPAIGN_STANDARD_CLIENT_SECRET",
            Setting::Scopes => "CAMPAIGN_STANDARD_SCOPES",
            Setting::TokenUrl => "CAMPAIGN_STANDARD_TOKEN_URL",
            Setting::BaseUrl => "CAMPAIGN_STANDARD_BASE_URL",
            Setting::Api => "CAMPAIGN_STANDARD_API",
            Setting::OptOutField => "CAMPAIGN_STANDARD_OPT_OUT_FIELD",
            Setting::ImsOrg => "CAMPAIGN_STANDARD_IMS_ORG",
            Setting::PrivacyBaseUrl => "CAMPAIGN_STANDARD_PRIVACY_BASE_URL",
        }
    }

    /// What it is, in words for messages (`"the API key"`): neutral about each host's spelling.
    pub const fn label(self) -> &'static str {
        match self {
            Setting::Organization => "the ACS tenant ID",
            Setting::ApiKey => "the API key",
            Setting::AccessToken => "the access token",
            Setting::ClientId => "the OAuth client ID",
            Setting::ClientSecret => "the OAuth client secret",
            Setting::Scopes => "the OAuth scopes",
            Setting::TokenUrl => "the token URL",
            Setting::BaseUrl => "the base URL",
            Setting::Api => "the API name",
            Setting::OptOutField => "the opt-out field",
            Setting::ImsOrg => "the IMS organization ID",
            Setting::PrivacyBaseUrl => "the Privacy Service URL",
        }
    }

    /// Whether the value is a credential (never printed).
    pub const fn is_secret(self) -> bool {
        matches!(
            self,
            Setting::ApiKey | Setting::AccessToken | Setting::ClientId | Setting::ClientSecret
        )
    }
}

/// Retry settings in seconds; each one left `None` keeps the default of [`RetryPolicy`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RetrySettings {
    /// Attempts in all, the first included (at least 1).
    pub max_attempts: Option<u32>,
    /// The first backoff, in seconds.
    pub base_delay: Option<f64>,
    /// The longest backoff, in seconds.
    pub max_delay: Option<f64>,
    /// The longest `Retry-After` honoured, in seconds.
    pub max_retry_after: Option<f64>,
}

impl RetrySettings {
    /// The settings of a policy (to start from a host's defaults).
    pub fn from_policy(policy: &RetryPolicy) -> Self {
        RetrySettings {
            max_attempts: Some(policy.max_attempts),
            base_delay: Some(policy.base_delay.as_secs_f64()),
            max_delay: Some(policy.max_delay.as_secs_f64()),
            max_retry_after: Some(policy.max_retry_after.as_secs_f64()),
        }
    }

    /// The policy, refusing nonsense: no attempt at all, negative, endless or NaN waits.
    pub fn policy(&self) -> Result<RetryPolicy> {
        let defaults = RetryPolicy::default();
        let wait = |value: Option<f64>, default: Duration| {
            value.map_or(Ok(default), |seconds| {
                duration(seconds, "retry", "a retry delay", false)
            })
        };
        let max_attempts = self.max_attempts.unwrap_or(defaults.max_attempts);
        if max_attempts == 0 {
            return Err(Error::config(
                "retry",
                "the retry policy needs at least 1 attempt",
            ));
        }
        Ok(RetryPolicy {
            max_attempts,
            base_delay: wait(self.base_delay, defaults.base_delay)?,
            max_delay: wait(self.max_delay, defaults.max_delay)?,
            max_retry_after: wait(self.max_retry_after, defaults.max_retry_after)?,
        })
    }
}

/// Everything a client is configured with, as hosts hold it: every value optional and
/// unchecked until [`ClientSettings::client_config`].
///
/// ```
/// use ccpa_optout::ClientSettings;
///
/// let settings = ClientSettings {
///     organization: Some("acme".into()),
///     api_key: Some("my-client-id".into()),
///     client_secret: Some("s3cret".into()),
///     scopes: Some("openid,AdobeID,campaign_sdk".into()),
///     ..ClientSettings::default()
/// };
/// let config = settings.client_config()?;
/// assert_eq!(config.api.organization.as_str(), "acme");
/// // Printing settings shows which credential is set, never its value.
/// assert!(!settings.to_string().contains("s3cret"));
///
/// let two = ClientSettings { access_token: Some("t".into()), ..settings };
/// assert_eq!(two.client_config().unwrap_err().field(), Some("accessToken"));
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct ClientSettings {
    /// The ACS tenant ID (`acme`, `acme-mkt-stage`).
    pub organization: Option<String>,
    /// The API key; with OAuth it defaults to the client ID (the same value).
    pub api_key: Option<String>,
    /// A fixed access token.
    pub access_token: Option<String>,
    /// The host's own token source (a callback); exclusive with the other credentials.
    pub token_provider: Option<Arc<dyn TokenProvider>>,
    /// OAuth: the client ID (defaults to the API key).
    pub client_id: Option<String>,
    /// OAuth: the client secret.
    pub client_secret: Option<String>,
    /// OAuth: the comma-separated scopes.
    pub scopes: Option<String>,
    /// OAuth: the token endpoint (default Adobe IMS).
    pub token_url: Option<String>,
    /// The gateway (default `https://mc.adobe.io`).
    pub base_url: Option<String>,
    /// `profileAndServices` (default) or `profileAndServicesExt`.
    pub api: Option<String>,
    /// The opt-out field (default `ccpaOptOut`).
    pub opt_out_field: Option<String>,
    /// The IMS organization (`…@AdobeOrg`); with it the client can file access and delete
    /// requests through the Privacy Service.
    pub ims_org: Option<String>,
    /// The Privacy Service's gateway (default `https://platform.adobe.io`).
    pub privacy_base_url: Option<String>,
    /// The time limit of one HTTP exchange, in seconds (default 30).
    pub timeout: Option<f64>,
    /// The largest response body, in bytes (default 16 MiB).
    pub max_body_bytes: Option<u64>,
    /// Retries (default [`RetryPolicy::default`]).
    pub retry: Option<RetrySettings>,
    /// `_forcePagination=true` on byEmail lookups (default true).
    pub force_pagination: Option<bool>,
}

impl ClientSettings {
    /// The settings the environment holds (`CAMPAIGN_STANDARD_*`, see [`Setting::env_var`]);
    /// empty values count as unset.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`ClientSettings::from_env`], reading variables through `lookup` (a host's own
    /// environment, or a test's map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let mut settings = ClientSettings::default();
        for setting in Setting::ALL {
            let value = lookup(setting.env_var()).filter(|value| !value.trim().is_empty());
            settings.set(setting, value);
        }
        settings
    }

    /// Sets a string setting (`None` unsets it), for hosts that read settings by name.
    pub fn set(&mut self, setting: Setting, value: Option<String>) {
        *self.slot(setting) = value;
    }

    /// These settings, with every one left unset taken from `fallback` (e.g. explicit
    /// arguments over the environment).
    pub fn or(self, fallback: ClientSettings) -> Self {
        ClientSettings {
            organization: self.organization.or(fallback.organization),
            api_key: self.api_key.or(fallback.api_key),
            access_token: self.access_token.or(fallback.access_token),
            token_provider: self.token_provider.or(fallback.token_provider),
            client_id: self.client_id.or(fallback.client_id),
            client_secret: self.client_secret.or(fallback.client_secret),
            scopes: self.scopes.or(fallback.scopes),
            token_url: self.token_url.or(fallback.token_url),
            base_url: self.base_url.or(fallback.base_url),
            api: self.api.or(fallback.api),
            opt_out_field: self.opt_out_field.or(fallback.opt_out_field),
            ims_org: self.ims_org.or(fallback.ims_org),
            privacy_base_url: self.privacy_base_url.or(fallback.privacy_base_url),
            timeout: self.timeout.or(fallback.timeout),
            max_body_bytes: self.max_body_bytes.or(fallback.max_body_bytes),
            retry: self.retry.or(fallback.retry),
            force_pagination: self.force_pagination.or(fallback.force_pagination),
        }
    }

    /// The value of a string setting.
    pub fn get(&self, setting: Setting) -> Option<&str> {
        let value = match setting {
            Setting::Organization => &self.organization,
            Setting::ApiKey => &self.api_key,
            Setting::AccessToken => &self.access_token,
            Setting::ClientId => &self.client_id,
            Setting::ClientSecret => &self.client_secret,
            Setting::Scopes => &self.scopes,
            Setting::TokenUrl => &self.token_url,
            Setting::BaseUrl => &self.base_url,
            Setting::Api => &self.api,
            Setting::OptOutField => &self.opt_out_field,
            Setting::ImsOrg => &self.ims_org,
            Setting::PrivacyBaseUrl => &self.privacy_base_url,
        };
        value.as_deref()
    }

    fn slot(&mut self, setting: Setting) -> &mut Option<String> {
        match setting {
            Setting::Organization => &mut self.organization,
            Setting::ApiKey => &mut self.api_key,
            Setting::AccessToken => &mut self.access_token,
            Setting::ClientId => &mut self.client_id,
            Setting::ClientSecret => &mut self.client_secret,
            Setting::Scopes => &mut self.scopes,
            Setting::TokenUrl => &mut self.token_url,
            Setting::BaseUrl => &mut self.base_url,
            Setting::Api => &mut self.api,
            Setting::OptOutField => &mut self.opt_out_field,
            Setting::ImsOrg => &mut self.ims_org,
            Setting::PrivacyBaseUrl => &mut self.privacy_base_url,
        }
    }

    /// Where requests go: tenant, API key, base URL, API name and opt-out field (what the
    /// sans-IO `prepare_*` functions need). Each is checked in the order a user fixes them.
    pub fn api_config(&self) -> Result<ApiConfig> {
        let organization = self
            .organization
            .as_deref()
            .ok_or_else(|| missing(Setting::Organization, "e.g. \"acme\" or \"acme-mkt-stage\""))?;
        let organization = Organization::new(organization)?;
        // With OAuth the API key and the client ID are the same value: either one will do.
        let oauth_id = self.client_secret.as_ref().and(self.client_id.as_ref());
        let api_key = match (&self.api_key, oauth_id) {
            (Some(key), _) => ApiKey::new(key.as_str())?,
            (None, Some(id)) => client_id_key(id)?,
            (None, None) => {
                return Err(missing(
                    Setting::ApiKey,
                    "the integration's client ID in the Developer Console",
                ));
            }
        };
        let mut api = ApiConfig::new(organization, api_key);
        if let Some(url) = &self.base_url {
            api = api.with_base_url(BaseUrl::new(url)?);
        }
        if let Some(name) = &self.api {
            api = api.with_api(name.parse::<ApiName>()?);
        }
        if let Some(field) = &self.opt_out_field {
            api = api.with_opt_out_field(OptOutField::new(field.as_str())?);
        }
        Ok(api)
    }

    /// The credentials: exactly one of a fixed token, a token provider, or OAuth client
    /// credentials (whose client ID, scopes and token URL make sense only with the secret).
    pub fn credentials(&self) -> Result<Credentials> {
        let given = [
            self.access_token.is_some(),
            self.token_provider.is_some(),
            self.client_secret.is_some(),
        ];
        match given.iter().filter(|given| **given).count() {
            0 => {
                return Err(Error::config(
                    "accessToken",
                    format!(
                        "no credentials: give an access token, a token provider, or an OAuth client secret with its scopes (or set {})",
                        Setting::AccessToken.env_var()
                    ),
                ));
            }
            1 => {}
            _ => {
                return Err(Error::config(
                    "accessToken",
                    "give only one of an access token, a token provider or an OAuth client secret",
                ));
            }
        }
        if self.client_secret.is_none() {
            let oauth_only = [Setting::ClientId, Setting::Scopes, Setting::TokenUrl];
            if let Some(setting) = oauth_only.into_iter().find(|s| self.get(*s).is_some()) {
                return Err(Error::config(
                    "clientSecret",
                    format!(
                        "{} is an OAuth setting and needs the client secret as well",
                        setting.label()
                    ),
                ));
            }
        }
        if let Some(token) = &self.access_token {
            return Ok(Credentials::AccessToken(AccessToken::new(token.as_str())?));
        }
        if let Some(provider) = &self.token_provider {
            return Ok(Credentials::Provider(Arc::clone(provider)));
        }
        self.oauth_credentials().map(Credentials::OAuth)
    }

    /// The OAuth server-to-server credentials alone (what a token request needs): the client
    /// ID (or the API key, the same value), the client secret, the scopes and the token URL.
    pub fn oauth_credentials(&self) -> Result<OAuthCredentials> {
        let client_id = match (&self.client_id, &self.api_key) {
            (Some(id), _) => client_id_key(id)?,
            (None, Some(key)) => ApiKey::new(key.as_str())?,
            (None, None) => {
                return Err(missing(Setting::ClientId, "the API key, the same value"));
            }
        };
        let secret = self
            .client_secret
            .as_deref()
            .ok_or_else(|| missing(Setting::ClientSecret, "shown in the Developer Console"))?;
        let scopes = self.scopes.clone().ok_or_else(|| {
            missing(
                Setting::Scopes,
                "the comma-separated list shown in the Developer Console",
            )
        })?;
        let oauth = OAuthCredentials::new(client_id, ClientSecret::new(secret)?, scopes)?;
        match &self.token_url {
            Some(url) => oauth.with_token_url(url),
            None => Ok(oauth),
        }
    }

    /// The whole client configuration, every rule checked; the error's `field` names the
    /// setting to fix and its message never holds a credential.
    pub fn client_config(&self) -> Result<ClientConfig> {
        let mut config = ClientConfig::new(self.api_config()?, self.credentials()?);
        if let Some(seconds) = self.timeout {
            config.timeout = duration(seconds, "timeout", "the timeout", true)?;
        }
        if let Some(bytes) = self.max_body_bytes {
            if bytes == 0 {
                return Err(Error::config(
                    "maxBodyBytes",
                    "the response size limit must be at least 1 byte",
                ));
            }
            config.max_body_bytes = usize::try_from(bytes).unwrap_or(usize::MAX);
        }
        if let Some(retry) = &self.retry {
            config.retry = retry.policy()?;
        }
        if let Some(force) = self.force_pagination {
            config.force_pagination = force;
        }
        config.privacy = self.privacy_config(&config.api.api_key)?;
        Ok(config)
    }

    /// The Privacy Service's configuration when the IMS organization is set; its gateway
    /// without the organization is refused rather than ignored.
    fn privacy_config(&self, api_key: &ApiKey) -> Result<Option<PrivacyConfig>> {
        let Some(ims_org) = &self.ims_org else {
            return match self.privacy_base_url {
                Some(_) => Err(ims_org_missing()),
                None => Ok(None),
            };
        };
        let privacy = PrivacyConfig::new(ImsOrg::new(ims_org)?, api_key.clone());
        let privacy = privacy.with_base_url_text(self.privacy_base_url.as_deref())?;
        Ok(Some(privacy))
    }
}

/// A finite, non-negative number of seconds (positive when `positive`), at most [`MAX_TIMEOUT`].
fn duration(seconds: f64, field: &str, what: &str, positive: bool) -> Result<Duration> {
    let refused = || {
        let floor = if positive { "more than 0" } else { "0 or more" };
        Error::config(field, format!("{what} must be {floor} and at most 24 days"))
    };
    let value = Duration::try_from_secs_f64(seconds).map_err(|_| refused())?;
    if value > MAX_TIMEOUT || (positive && value.is_zero()) {
        return Err(refused());
    }
    Ok(value)
}

/// The error for a Privacy Service call (or setting) without the IMS organization.
pub(crate) fn ims_org_missing() -> Error {
    missing(
        Setting::ImsOrg,
        "e.g. \"0123ABCD@AdobeOrg\", needed for access and delete requests",
    )
}

fn missing(setting: Setting, hint: &str) -> Error {
    Error::config(
        setting.field(),
        format!(
            "{} is missing: give it ({hint}) or set {}",
            setting.label(),
            setting.env_var()
        ),
    )
}

/// The client ID as the API key it also is; its errors name the client ID.
fn client_id_key(id: &str) -> Result<ApiKey> {
    ApiKey::new(id).map_err(|err| {
        Error::config(
            Setting::ClientId.field(),
            err.message().replacen("apiKey", "the OAuth client ID", 1),
        )
    })
}

/// `ClientSettings(organization="acme", api_key=set, access_token=unset, …)`: values of the
/// non-secret settings, only "set" for the credentials.
impl fmt::Display for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSettings(")?;
        for (index, setting) in Setting::ALL.into_iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            let name = setting.snake_case();
            match (self.get(setting), setting.is_secret()) {
                (None, _) => write!(f, "{name}=unset")?,
                (Some(_), true) => write!(f, "{name}=set")?,
                (Some(value), false) => write!(f, "{name}={value:?}")?,
            }
        }
        let provider = if self.token_provider.is_some() {
            "set"
        } else {
            "unset"
        };
        write!(f, ", token_provider={provider})")
    }
}

impl fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
