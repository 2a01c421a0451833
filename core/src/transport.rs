//! What the host provides to the client: HTTP, timers and the clock.

use std::fmt;
use std::future::Future;
use std::time::{Duration, SystemTime};

use crate::Error;
use crate::request::HttpRequest;
use crate::response::HttpResponse;
use crate::retry::Outcome;

/// The host's I/O, injected into [`crate::Client`] so the same client logic runs on tokio, in
/// a browser (fetch, `setTimeout`) and under Python (urllib, `time.sleep`).
///
/// Implementations send the request as given and return the answer whatever its status; the
/// client does the rest (status handling, retries, token refresh). They should honour the
/// [`RequestLimits`] found in the request's extensions.
pub trait Transport {
    /// Sends one request and returns the answer, or why none arrived.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = std::result::Result<HttpResponse, TransportError>>;

    /// Waits for `duration` without blocking other work (used between retries).
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;

    /// The current wall-clock time (used for token expiry and `Retry-After` dates).
    fn now(&self) -> SystemTime;
}

/// Limits the client attaches to every request (as an `http` extension) for the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    /// The whole exchange must finish within this time.
    pub timeout: Duration,
    /// Stop reading (and fail) once the body is larger than this.
    pub max_body_bytes: usize,
}

impl RequestLimits {
    /// The limits the client attached to `request`, or the defaults (30 s, 16 MiB) for a
    /// request built without a client.
    pub fn of(request: &HttpRequest) -> RequestLimits {
        request
            .extensions()
            .get::<RequestLimits>()
            .copied()
            .unwrap_or(RequestLimits {
                timeout: crate::DEFAULT_TIMEOUT,
                max_body_bytes: crate::DEFAULT_MAX_BODY_BYTES,
            })
    }
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
}

/// The kinds of transport failure that the retry policy tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The connection could not be opened; nothing was sent.
    Connect,
    /// No answer within the timeout; the request may have been acted on.
    Timeout,
    /// The answer was larger than [`RequestLimits::max_body_bytes`].
    BodyTooLarge,
    /// The connection broke; the request may have been acted on.
    Other,
}

impl TransportError {
    /// A failure of the given kind. `message` must not contain secrets or full URLs with
    /// credentials (the client redacts known secrets anyway).
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
        }
    }

    /// What failed.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How the retry policy sees this failure.
    pub fn outcome(&self) -> Outcome {
        match self.kind {
            TransportErrorKind::Connect => Outcome::ConnectFailed,
            _ => Outcome::NoAnswer,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {}

impl From<TransportError> for Error {
    fn from(err: TransportError) -> Error {
        match err.kind {
            TransportErrorKind::BodyTooLarge => Error::decode(err.message, ""),
            TransportErrorKind::Timeout => Error::transport(format!("timed out: {}", err.message)),
            TransportErrorKind::Connect => {
                Error::transport(format!("could not connect: {}", err.message))
            }
            TransportErrorKind::Other => Error::transport(err.message),
        }
    }
}
