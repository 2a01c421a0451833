//! What the host app implements: the HTTP transport, and optionally a sleeper and a token provider.

use std::sync::Arc;

use ccpa_optout::{AccessToken, Error, TransportError, TransportErrorKind};

use crate::http::{HttpRequest, HttpResponse};

/// Why the host could not do what was asked. Thrown by the host's implementations; any other
/// exception they throw counts as `Other` with its text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum HostError {
    /// The connection could not be opened; nothing was sent (safe to retry any request).
    Connect {
        /// What failed, without credentials.
        reason: String,
    },
    /// No complete answer within `request.timeoutSeconds()`.
    Timeout {
        /// What failed, without credentials.
        reason: String,
    },
    /// The body was larger than `request.maxBodyBytes()`.
    BodyTooLarge {
        /// What failed, without credentials.
        reason: String,
    },
    /// Anything else; the request may have been acted on.
    Other {
        /// What failed, without credentials.
        reason: String,
    },
}

impl std::fmt::Display for HostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason())
    }
}

impl std::error::Error for HostError {}

impl From<uniffi::UnexpectedUniFFICallbackError> for HostError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        HostError::Other { reason: err.reason }
    }
}

impl HostError {
    fn reason(&self) -> &str {
        match self {
            HostError::Connect { reason }
            | HostError::Timeout { reason }
            | HostError::BodyTooLarge { reason }
            | HostError::Other { reason } => reason,
        }
    }
}

impl From<HostError> for TransportError {
    fn from(err: HostError) -> Self {
        let kind = match err {
            HostError::Connect { .. } => TransportErrorKind::Connect,
            HostError::Timeout { .. } => TransportErrorKind::Timeout,
            HostError::BodyTooLarge { .. } => TransportErrorKind::BodyTooLarge,
            HostError::Other { .. } => TransportErrorKind::Other,
        };
        TransportError::new(kind, err.reason())
    }
}

/// The host's HTTP client (OkHttp, Ktor, URLSession, urllib…). Called on the thread that
/// called the client method, so it may block; run client calls off the UI thread.
#[uniffi::export(foreign)]
pub trait HttpTransport: Send + Sync {
    /// Sends the request exactly as given (method, URL, every header, body), honouring
    /// `timeoutSeconds()` and `maxBodyBytes()`, and returns the answer whatever its status.
    fn send(&self, request: Arc<HttpRequest>) -> Result<HttpResponse, HostError>;
}

/// Waits between retries. Without one the client blocks its thread with `std::thread::sleep`.
#[uniffi::export(foreign)]
pub trait Sleeper: Send + Sync {
    /// Returns after `seconds` (fractions allowed).
    fn sleep(&self, seconds: f64);
}

/// The host's own source of access tokens (for `Credentials.tokenProvider`).
#[uniffi::export(foreign)]
pub trait TokenProvider: Send + Sync {
    /// A current access token; `refresh` is true after the last one was refused (401), so a
    /// cached token must not be returned again. A failure becomes a `Config` error.
    fn access_token(&self, refresh: bool) -> Result<String, HostError>;
}

/// The default sleeper: blocks the calling thread.
pub(crate) struct ThreadSleeper;

impl Sleeper for ThreadSleeper {
    fn sleep(&self, seconds: f64) {
        if let Ok(duration) = std::time::Duration::try_from_secs_f64(seconds) {
            std::thread::sleep(duration);
        }
    }
}

/// The host's provider as the core's: asked on the calling thread whenever the client needs a
/// token, and again after a 401.
pub(crate) fn core_provider(
    provider: Arc<dyn TokenProvider>,
) -> Arc<dyn ccpa_optout::TokenProvider> {
    Arc::new(move |refresh| std::future::ready(token_from(provider.as_ref(), refresh)))
}

/// Asks the provider for a token, turning its failure or an unusable token into core errors.
fn token_from(provider: &dyn TokenProvider, refresh: bool) -> ccpa_optout::Result<AccessToken> {
    let token = provider.access_token(refresh).map_err(|err| {
        Error::config(
            "accessToken",
            format!("the token provider failed: {}", err.reason()),
        )
    })?;
    AccessToken::new(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_host_failure_keeps_what_the_retry_policy_needs() {
        let connect = TransportError::from(HostError::Connect {
            reason: "refused".into(),
        });
        assert_eq!(connect.kind(), TransportErrorKind::Connect);
        let timeout = TransportError::from(HostError::Timeout {
            reason: "30 s".into(),
        });
        assert_eq!(timeout.kind(), TransportErrorKind::Timeout);
        assert_eq!(timeout.message(), "30 s");
    }

    struct Refusing;

    impl TokenProvider for Refusing {
        fn access_token(&self, _refresh: bool) -> Result<String, HostError> {
            Err(HostError::Other {
                reason: "keychain locked".into(),
            })
        }
    }

    #[test]
    fn a_failing_token_provider_is_a_config_error_naming_the_token() {
        let err = token_from(&Refusing, false).unwrap_err();
        assert_eq!(err.kind(), ccpa_optout::ErrorKind::Config);
        assert_eq!(err.field(), Some("accessToken"));
        assert!(err.message().contains("keychain locked"));
    }
}
