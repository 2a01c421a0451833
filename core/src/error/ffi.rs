//! The error model as one UniFFI error enum for Kotlin, Swift and Python, a variant per kind.

use std::fmt;

use super::{Error, ErrorKind};

/// Why a call failed. The variant is the contract's `kind`; each carries the context that kind
/// has, and whether trying again later may succeed.
///
/// The explanation is called `reason` rather than `message` because Kotlin exceptions already
/// have a `message` (UniFFI fills it with every field). `description` is the [`Error`]'s
/// `Display`, e.g. `NotFound (404 RST-360011): no profile with that PKey`, kept when the error
/// is converted so that Kotlin's `toString()` and Swift's `description` say exactly what Rust
/// says; `kind()` gives the contract's kind string in every language. No variant ever holds a
/// token, API key or client secret.
#[derive(Debug, Clone, PartialEq, uniffi::Error)]
#[uniffi::export(Display)]
pub enum CcpaOptOutError {
    /// Bad input, refused before anything was sent.
    Validation {
        /// What is wrong.
        reason: String,
        /// The input at fault (`pkey`, `email`, the opt-out field, `pageSize`…).
        field: Option<String>,
        /// Always false: the same input fails the same way.
        retryable: bool,
        /// The core's one-line text, what `toString()` and `description` return.
        description: String,
    },
    /// Bad client configuration (organization, base URL, credentials).
    Config {
        /// What is wrong.
        reason: String,
        /// The setting at fault (`organization`, `baseUrl`, `accessToken`…).
        field: Option<String>,
        /// Always false.
        retryable: bool,
        /// The core's one-line text, what `toString()` and `description` return.
        description: String,
    },
    /// The gateway refused the credentials (401 or 403).
    Auth {
        /// The server's explanation.
        reason: String,
        /// 401 or 403.
        status: Option<u16>,
        /// The ACS vendor code, e.g. `401013`.
        error_code: Option<String>,
        /// Whether trying again later may succeed.
        retryable: bool,
        /// The core's one-line text, what `toString()` and `description` return.
        description: String,
    },
    /// The profile does not exist (404).
    NotFound {
        /// The server's explanation.
        reason: String,
        /// 404.
        status: Option<u16>,
        /// The ACS vendor code, if any.
        error_code: Option<String>,
        /// Whether trying again later may succeed.
        retryable: bool,
        /// The core's one-line text, what `toString()` and `description` return.
        description: String,
    },
    /// Still rate limited (429) after the retry policy gave up.
    RateLimited {
        /// The server's explanation.
        reason: String,
        /// 429.
        status: Option<u16>,
        /// The ACS vendor code, e.g. `429050`.
        error_code: Option<String>,
        /// How long the server asked to wait, in seconds.
        retry_after_seconds: Option<f64>,
        /// Whether trying again later may succeed.
        retryable: bool,
        /// The core's one-line text, what `toString()` and `description` return.
        description: String,
    },
    /// A 5xx answer after the retry policy gave up.
    Server {
        /// The server's explanation.
        reason: String,
        /// The 5xx status.
        status: Option<u16>,
        /// The ACS vendor code, if any.
        error_code: Option<String>,
        /// How long the server asked to wait (503 with `Retry-After`), in seconds.
        retry_after_seconds: Option<f64>,
        /// Whether trying again later may succeed (502/503/504).
        retryable: bool,
        /// The core's one-line text, what `toString()` and `description` return.
        description: String,
    },
    /// Any other non-2xx answer.
    Http {
        /// The server's explanation.
        reason: String,
        /// The status.
        status: Option<u16>,
        /// The ACS vendor code, if any.
        error_code: Option<String>,
        /// Whether trying again later may succeed.
        retryable: bool,
        /// The core's one-line text, what `toString()` and `description` return.
        description: String,
    },
    /// The request did not complete: the host transport failed or timed out.
    Transport {
        /// What the transport reported.
        reason: String,
        /// Whether trying again later may succeed.
        retryable: bool,
        /// The core's one-line text, what `toString()` and `description` return.
        description: String,
    },
    /// A 2xx answer whose body is not what the API promises.
    Decode {
        /// What is wrong with the body.
        reason: String,
        /// The field at fault, if one is.
        field: Option<String>,
        /// A short, redacted excerpt of the body.
        excerpt: Option<String>,
        /// Always false.
        retryable: bool,
        /// The core's one-line text, what `toString()` and `description` return.
        description: String,
    },
}

#[uniffi::export]
impl CcpaOptOutError {
    /// The contract's kind string (`"Validation"`, `"NotFound"`…), the same in every language.
    pub fn kind(&self) -> String {
        self.core_kind().as_str().to_owned()
    }
}

impl CcpaOptOutError {
    fn core_kind(&self) -> ErrorKind {
        match self {
            CcpaOptOutError::Validation { .. } => ErrorKind::Validation,
            CcpaOptOutError::Config { .. } => ErrorKind::Config,
            CcpaOptOutError::Auth { .. } => ErrorKind::Auth,
            CcpaOptOutError::NotFound { .. } => ErrorKind::NotFound,
            CcpaOptOutError::RateLimited { .. } => ErrorKind::RateLimited,
            CcpaOptOutError::Server { .. } => ErrorKind::Server,
            CcpaOptOutError::Http { .. } => ErrorKind::Http,
            CcpaOptOutError::Transport { .. } => ErrorKind::Transport,
            CcpaOptOutError::Decode { .. } => ErrorKind::Decode,
        }
    }
}

impl From<Error> for CcpaOptOutError {
    fn from(err: Error) -> Self {
        let description = err.to_string();
        let reason = err.message().to_owned();
        let field = err.field().map(str::to_owned);
        let status = err.status();
        let error_code = err.error_code().map(str::to_owned);
        let retry_after_seconds = err.retry_after().map(|wait| wait.as_secs_f64());
        let retryable = err.is_retryable();
        match err.kind() {
            ErrorKind::Validation => CcpaOptOutError::Validation {
                reason,
                field,
                retryable,
                description,
            },
            ErrorKind::Config => CcpaOptOutError::Config {
                reason,
                field,
                retryable,
                description,
            },
            ErrorKind::Auth => CcpaOptOutError::Auth {
                reason,
                status,
                error_code,
                retryable,
                description,
            },
            ErrorKind::NotFound => CcpaOptOutError::NotFound {
                reason,
                status,
                error_code,
                retryable,
                description,
            },
            ErrorKind::RateLimited => CcpaOptOutError::RateLimited {
                reason,
                status,
                error_code,
                retry_after_seconds,
                retryable,
                description,
            },
            ErrorKind::Server => CcpaOptOutError::Server {
                reason,
                status,
                error_code,
                retry_after_seconds,
                retryable,
                description,
            },
            ErrorKind::Transport => CcpaOptOutError::Transport {
                reason,
                retryable,
                description,
            },
            ErrorKind::Decode => CcpaOptOutError::Decode {
                reason,
                field,
                excerpt: err.excerpt().map(str::to_owned),
                retryable,
                description,
            },
            ErrorKind::Http => CcpaOptOutError::Http {
                reason,
                status,
                error_code,
                retryable,
                description,
            },
        }
    }
}

/// The core's one-line text, kept from when the error was made.
impl fmt::Display for CcpaOptOutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (CcpaOptOutError::Validation { description, .. }
        | CcpaOptOutError::Config { description, .. }
        | CcpaOptOutError::Auth { description, .. }
        | CcpaOptOutError::NotFound { description, .. }
        | CcpaOptOutError::RateLimited { description, .. }
        | CcpaOptOutError::Server { description, .. }
        | CcpaOptOutError::Http { description, .. }
        | CcpaOptOutError::Transport { description, .. }
        | CcpaOptOutError::Decode { description, .. }) = self;
        f.write_str(description)
    }
}

impl std::error::Error for CcpaOptOutError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_the_cores_for_every_shape() {
        let errors = [
            Error::http_status(401, Some("401013".into()), "Oauth token is not valid"),
            Error::http_status(404, None, "no such profile"),
            Error::validation("ccpaOptOut", "must be a JSON boolean"),
            Error::config("baseUrl", "plain http is for loopback only"),
            Error::transport("connection refused"),
            Error::decode("not a profile", "<html>").with_field("PKey"),
            Error::http_status(503, Some("RST-1".into()), "down"),
            Error::http_status(429, Some("429050".into()), "Too many requests"),
        ];
        for err in errors {
            assert_eq!(
                CcpaOptOutError::from(err.clone()).to_string(),
                err.to_string()
            );
        }
    }

    #[test]
    fn every_field_of_the_model_survives_the_conversion() {
        let err = Error::http_status(429, None, "slow down")
            .with_retry_after(Some(std::time::Duration::from_millis(1500)));
        let converted = CcpaOptOutError::from(err);
        assert_eq!(converted.kind(), "RateLimited");
        assert_eq!(
            converted,
            CcpaOptOutError::RateLimited {
                reason: "slow down".into(),
                status: Some(429),
                error_code: None,
                retry_after_seconds: Some(1.5),
                retryable: true,
                description: "RateLimited (429): slow down".into(),
            }
        );
    }
}
