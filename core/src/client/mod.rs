//! The async client: the pure pieces composed over a host [`Transport`].

mod auth;
mod listing;
mod privacy;
mod profiles;
mod sending;
mod signals;

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, UNIX_EPOCH};

use crate::config::ApiConfig;
use crate::privacy::PrivacyConfig;
use crate::response::DEFAULT_MAX_BODY_BYTES;
use crate::retry::RetryPolicy;
use crate::token::{Credentials, TokenCache};
use crate::transport::Transport;

pub use listing::{ListingCursor, ProfileListing, SharedListing};
pub use signals::AppliedSignals;

/// The default time limit for one HTTP exchange.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything a [`Client`] is configured with.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Tenant, API key, base URL, API name, opt-out field.
    pub api: ApiConfig,
    /// Where access tokens come from.
    pub credentials: Credentials,
    /// Which failures are retried and how.
    pub retry: RetryPolicy,
    /// The time limit for one HTTP exchange (enforced by the transport).
    pub timeout: Duration,
    /// The largest response body accepted.
    pub max_body_bytes: usize,
    /// Whether the `byEmail` lookups behind `find_by_email`, `opt_out_by_email` and
    /// `apply_signals` send `_forcePagination=true` (default `true`): without it ACS leaves
    /// `next` out on tables above 100,000 rows, and every match after the first page would be
    /// missed silently. Listings take the same setting in their
    /// [`ListOptions`](crate::ListOptions).
    pub force_pagination: bool,
    /// Where access and delete requests go (the Privacy Service); `None` until the IMS
    /// organization is set.
    pub privacy: Option<PrivacyConfig>,
}

impl ClientConfig {
    /// A configuration with the default retry policy, a 30 s timeout, a 16 MiB body cap and
    /// forced pagination.
    pub fn new(api: ApiConfig, credentials: Credentials) -> Self {
        ClientConfig {
            api,
            credentials,
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            force_pagination: true,
            privacy: None,
        }
    }
}

/// The ACS profile client: idempotent opt-out writes, retries, token refresh and pagination
/// over any [`Transport`].
///
/// ```no_run
/// # #[cfg(feature = "reqwest")]
/// # async fn demo() -> Result<(), ccpa_optout::Error> {
/// use ccpa_optout::{AccessToken, ApiConfig, ApiKey, Client, ClientConfig, Credentials, Organization, PKey, ReqwestTransport};
///
/// let api = ApiConfig::new(Organization::new("acme")?, ApiKey::new("my-client-id")?);
/// let token = AccessToken::new(std::env::var("CAMPAIGN_STANDARD_ACCESS_TOKEN").unwrap_or_default())?;
/// let client = Client::new(ClientConfig::new(api, Credentials::AccessToken(token)), ReqwestTransport::new()?);
/// let change = client.set_opt_out(&PKey::new("@Zk3q9Lw2TfR0")?, true).await?;
/// println!("{} was {:?}, now {}", change.pkey, change.previous, change.current);
/// # Ok(()) }
/// ```
pub struct Client<T> {
    config: ClientConfig,
    transport: T,
    tokens: TokenCache,
    token_refresh: futures_util::lock::Mutex<()>,
    jitter: Mutex<u64>,
}

impl<T: Transport> Client<T> {
    /// A client over `transport`.
    pub fn new(config: ClientConfig, transport: T) -> Self {
        let seed = transport
            .now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Client {
            config,
            transport,
            tokens: TokenCache::default(),
            token_refresh: futures_util::lock::Mutex::new(()),
            jitter: Mutex::new(seed),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// A number in `[0, 1)` for retry jitter (splitmix64; randomness need not be strong here).
    fn next_jitter(&self) -> f64 {
        let mut state = self
            .jitter
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let api = &self.config.api;
        f.debug_struct("Client")
            .field("organization", &api.organization.as_str())
            .field("base_url", &api.base_url.as_str())
            .field("api", &api.api.as_str())
            .field("opt_out_field", &api.opt_out_field.as_str())
            .finish_non_exhaustive()
    }
}
