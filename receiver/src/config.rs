//! The receiver's settings: who may post, from which origins, how fast, on which calendar,
//! and how the worker paces itself toward ACS.

use std::time::Duration;

use ccpa_optout::Date;

use crate::calendar::Calendar;
use crate::keys::ApiKeys;
use crate::token::SubjectTokenVerifier;

/// A setting that cannot be used; the message says which and why (never its secret value).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// A per-address budget: `burst` requests at once, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressLimit {
    /// Sustained requests per minute from one address.
    pub per_minute: u32,
    /// Requests one address may send at once.
    pub burst: u32,
}

/// What the HTTP side accepts.
#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    /// Keys for `POST /v1/opt-outs` and status reads by the backend.
    pub api_keys: ApiKeys,
    /// Subject-token checking; without it `/v1/signals` only answers whether a signal is
    /// honoured, and status reads need an API key.
    pub subject_tokens: Option<SubjectTokenVerifier>,
    /// Origins whose pages may call `/v1/signals` and read a status with a token, exactly as
    /// browsers send them (`https://shop.example`).
    pub allowed_origins: Vec<String>,
    /// The flood limit of `/v1/signals`, per client address.
    pub signals_limit: AddressLimit,
    /// A header set by a trusted proxy in front that holds the client address (the last
    /// entry of `X-Forwarded-For`); without it the peer address counts.
    pub client_ip_header: Option<http::HeaderName>,
    /// Holidays and the time zone of receipt days.
    pub calendar: Calendar,
    /// `lastUpdate` of `/.well-known/gpc.json`.
    pub gpc_last_update: Date,
}

impl ReceiverConfig {
    /// Defaults around these keys: no tokens, no origins, 60 signals a minute per address
    /// (bursts of 30), UTC days without holidays.
    pub fn new(api_keys: ApiKeys) -> Self {
        ReceiverConfig {
            api_keys,
            subject_tokens: None,
            allowed_origins: Vec::new(),
            signals_limit: AddressLimit {
                per_minute: 60,
                burst: 30,
            },
            client_ip_header: None,
            calendar: Calendar::default(),
            // The day §7025(c)(6) made showing the outcome of a signal mandatory.
            gpc_last_update: Date::new(2026, 1, 1).unwrap_or(Date::MIN),
        }
    }

    /// Adds the origins after checking each is a bare `http(s)://host[:port]`.
    pub fn with_origins<I, S>(mut self, origins: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for origin in origins {
            let origin = origin.as_ref().trim_end_matches('/');
            let host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            let valid = host.is_some_and(|host| {
                !host.is_empty()
                    && host
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
            });
            if !valid {
                return Err(ConfigError(format!(
                    "--allow-origin {origin:?} is not an origin such as https://shop.example"
                )));
            }
            self.allowed_origins.push(origin.to_ascii_lowercase());
        }
        Ok(self)
    }
}

/// How the worker applies stored requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkerConfig {
    /// Requests applied at the same time.
    pub concurrency: usize,
    /// HTTP requests per second toward ACS, at most (`None`: no ceiling).
    pub max_rps: Option<u32>,
    /// How long a leased request belongs to this worker before another may take it.
    pub lease: Duration,
    /// The first wait after a retryable failure; it doubles with each failure in a row.
    pub retry_base: Duration,
    /// The longest wait between two tries.
    pub retry_max: Duration,
    /// While ACS refuses the credentials, how often they are tried again.
    pub probe_interval: Duration,
    /// How often an idle worker looks for due retries.
    pub idle_poll: Duration,
    /// On shutdown, how long requests in flight may take before they are released.
    pub shutdown_grace: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            concurrency: 16,
            max_rps: Some(50),
            lease: Duration::from_secs(600),
            retry_base: Duration::from_secs(5),
            retry_max: Duration::from_secs(300),
            probe_interval: Duration::from_secs(30),
            idle_poll: Duration::from_secs(1),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_bare_and_lowercased() {
        let config = ReceiverConfig::new(ApiKeys::default())
            .with_origins(["https://Shop.Example/", "http://127.0.0.1:3000"])
            .unwrap();
        assert_eq!(
            config.allowed_origins,
            ["https://shop.example", "http://127.0.0.1:3000"]
        );
        for bad in ["shop.example", "https://shop.example/path", "*", "https://"] {
            assert!(
                ReceiverConfig::new(ApiKeys::default())
                    .with_origins([bad])
                    .is_err(),
                "{bad}"
            );
        }
    }
}
