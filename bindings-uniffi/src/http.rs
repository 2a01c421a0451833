//! Requests the core built and responses the host received, as FFI types.

use std::fmt;

use ccpa_optout::{Error, RequestLimits};

/// One HTTP header. Names of requests are lower-case; values of `authorization` and
/// `x-api-key` are credentials: send them, never log them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpHeader {
    /// The header name.
    pub name: String,
    /// The header value.
    pub value: String,
}

/// A request for the host to send exactly as given.
///
/// An object rather than a record so that printing it (`toString()`, `description`, `repr`)
/// shows the method and URL only, never the `Authorization` or `X-Api-Key` values.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct HttpRequest {
    inner: ccpa_optout::HttpRequest,
}

impl HttpRequest {
    pub(crate) fn new(inner: ccpa_optout::HttpRequest) -> Self {
        HttpRequest { inner }
    }

    fn limits(&self) -> RequestLimits {
        RequestLimits::of(&self.inner)
    }
}

#[uniffi::export]
impl HttpRequest {
    /// `GET`, `POST`, `PATCH` or `DELETE`.
    pub fn method(&self) -> String {
        self.inner.method().as_str().to_owned()
    }

    /// The absolute URL, already encoded.
    pub fn url(&self) -> String {
        self.inner.uri().to_string()
    }

    /// Every header to send, in order (values are valid UTF-8: the core builds them).
    pub fn headers(&self) -> Vec<HttpHeader> {
        self.inner
            .headers()
            .iter()
            .map(|(name, value)| HttpHeader {
                name: name.as_str().to_owned(),
                value: String::from_utf8_lossy(value.as_bytes()).into_owned(),
            })
            .collect()
    }

    /// The body, or none for `GET` and `DELETE`.
    pub fn body(&self) -> Option<Vec<u8>> {
        let body = self.inner.body();
        (!body.is_empty()).then(|| body.clone())
    }

    /// The whole exchange must finish within this many seconds; throw
    /// `HostError.Timeout` otherwise.
    pub fn timeout_seconds(&self) -> f64 {
        self.limits().timeout.as_secs_f64()
    }

    /// Stop reading and throw `HostError.BodyTooLarge` once the body is larger than this.
    pub fn max_body_bytes(&self) -> u64 {
        self.limits().max_body_bytes as u64
    }
}

impl fmt::Display for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.inner.method(), self.inner.uri())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HttpRequest({self})")
    }
}

/// The answer the host received, whatever its status: the core decides what it means.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Every header received.
    #[uniffi(default = [])]
    pub headers: Vec<HttpHeader>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The core's response; a status or header that HTTP does not allow is a `Validation`
    /// error naming it.
    pub(crate) fn to_core(&self) -> Result<ccpa_optout::HttpResponse, Error> {
        let mut builder = http::Response::builder().status(self.status);
        for header in &self.headers {
            builder = builder.header(header.name.as_str(), header.value.as_str());
        }
        builder.body(self.body.clone()).map_err(|err| {
            let field = if http::StatusCode::from_u16(self.status).is_err() {
                "status"
            } else {
                "headers"
            };
            Error::validation(field, format!("not a valid HTTP response: {err}"))
        })
    }
}

/// Header pairs as the core's signal readers take them.
pub(crate) fn header_pairs(headers: &[HttpHeader]) -> impl Iterator<Item = (&str, &str)> {
    headers
        .iter()
        .map(|header| (header.name.as_str(), header.value.as_str()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn printing_a_request_never_shows_its_credentials() {
        let request =
            http::Request::get("https://mc.adobe.io/acme/campaign/profileAndServices/profile/@a")
                .header("authorization", "Bearer tok-secret-1")
                .header("x-api-key", "key-secret-2")
                .body(Vec::new())
                .unwrap();
        let request = HttpRequest::new(request);
        for printed in [request.to_string(), format!("{request:?}")] {
            assert!(printed.starts_with("GET https://") || printed.starts_with("HttpRequest(GET"));
            assert!(!printed.contains("tok-secret-1") && !printed.contains("key-secret-2"));
        }
        assert_eq!(request.headers().len(), 2);
        assert_eq!(request.body(), None);
    }

    #[test]
    fn a_response_with_an_impossible_status_names_the_status() {
        let response = HttpResponse {
            status: 1000,
            headers: Vec::new(),
            body: Vec::new(),
        };
        assert_eq!(response.to_core().unwrap_err().field(), Some("status"));
        let response = HttpResponse {
            status: 200,
            headers: vec![HttpHeader {
                name: "bad name".into(),
                value: "x".into(),
            }],
            body: Vec::new(),
        };
        assert_eq!(response.to_core().unwrap_err().field(), Some("headers"));
    }
}
