//! A ready native [`Transport`]: reqwest for HTTP, tokio for timers (feature `reqwest`).

use std::time::{Duration, SystemTime};

use crate::request::HttpRequest;
use crate::response::HttpResponse;
use crate::transport::{RequestLimits, Transport, TransportError, TransportErrorKind};
use crate::{Error, Result};

/// HTTP through a shared `reqwest::Client` (connection pooling, rustls), waits through tokio.
///
/// It enforces the [`RequestLimits`] the client attaches to each request: the timeout covers
/// the whole exchange, and the body is read in chunks and abandoned once over the cap.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    http: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with its own connection pool. Redirects are not followed: ACS does not
    /// redirect, and following one could carry the token to another host.
    pub fn new() -> Result<Self> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ccpa-optout/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| {
                Error::config("transport", "could not set up the HTTP client (TLS roots?)")
            })?;
        Ok(ReqwestTransport { http })
    }

    /// A transport over a `reqwest::Client` you configured (proxy, pool sizes, …).
    pub fn with_client(http: reqwest::Client) -> Self {
        ReqwestTransport { http }
    }

    async fn exchange(
        &self,
        request: HttpRequest,
        limits: RequestLimits,
    ) -> std::result::Result<HttpResponse, TransportError> {
        let request = reqwest::Request::try_from(request).map_err(|_| {
            TransportError::new(
                TransportErrorKind::Other,
                "the request could not be converted for reqwest",
            )
        })?;
        let mut response = self.http.execute(request).await.map_err(describe)?;
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            if body.len() + chunk.len() > limits.max_body_bytes {
                return Err(TransportError::new(
                    TransportErrorKind::BodyTooLarge,
                    format!(
                        "the response body is larger than the {}-byte limit",
                        limits.max_body_bytes
                    ),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        builder.body(body).map_err(|_| {
            TransportError::new(TransportErrorKind::Other, "the response could not be read")
        })
    }
}

impl Transport for ReqwestTransport {
    async fn send(
        &self,
        request: HttpRequest,
    ) -> std::result::Result<HttpResponse, TransportError> {
        let limits = RequestLimits::of(&request);
        match tokio::time::timeout(limits.timeout, self.exchange(request, limits)).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::new(
                TransportErrorKind::Timeout,
                format!("no complete answer within {:?}", limits.timeout),
            )),
        }
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }

    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A reqwest error without its URL (which is ours anyway) and in the kinds retries care about.
fn describe(err: reqwest::Error) -> TransportError {
    let err = err.without_url();
    let kind = if err.is_connect() {
        TransportErrorKind::Connect
    } else if err.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Other
    };
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    TransportError::new(kind, message)
}
