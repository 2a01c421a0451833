//! Refusals as the HTTP API gives them: a status and `{"error": {"kind", "message", "field"?}}`
//! with the core's error kinds.

use ccpa_optout::ErrorKind;
use serde::Serialize;

/// Why a request to the receiver was refused.
///
/// Pure data (no HTTP types), so the body reader and the checks that produce it can be
/// fuzzed on their own; the routes turn it into a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status (4xx for the caller's mistakes, 503 when the store is down).
    pub status: u16,
    /// The core's kind: `Validation`, `Auth`, `NotFound`, `RateLimited`, `Server`, `Http`.
    pub kind: ErrorKind,
    /// What is wrong, for a person; never holds a credential or the rejected value.
    pub message: String,
    /// The input at fault (`body`, `email`, `optOut`, `token`, `origin`, …).
    pub field: Option<String>,
    /// Seconds to wait before trying again (429).
    pub retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: u16, kind: ErrorKind, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// 400/413/415/422: the input is wrong; `field` names it.
    pub fn validation(status: u16, field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::new(status, ErrorKind::Validation, message).with_field(field)
    }

    /// 401: no credential, or one that is not accepted.
    pub fn unauthorized(field: &str, message: impl Into<String>) -> Self {
        ApiError::new(401, ErrorKind::Auth, message).with_field(field)
    }

    /// 403: a credential or origin that is known but not allowed here.
    pub fn forbidden(field: &str, message: impl Into<String>) -> Self {
        ApiError::new(403, ErrorKind::Auth, message).with_field(field)
    }

    /// 404: no such request (or route).
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(404, ErrorKind::NotFound, message)
    }

    /// 405: the route exists, not with this method.
    pub fn method_not_allowed() -> Self {
        ApiError::new(
            405,
            ErrorKind::Http,
            "this method is not allowed on this route",
        )
    }

    /// 429: too many requests from one address; try again after `seconds`.
    pub fn rate_limited(seconds: u64) -> Self {
        let mut err = ApiError::new(
            429,
            ErrorKind::RateLimited,
            "too many requests from this address",
        );
        err.retry_after = Some(seconds);
        err
    }

    /// 503: the request could not be stored; nothing was acknowledged.
    pub fn unavailable(message: impl Into<String>) -> Self {
        ApiError::new(503, ErrorKind::Server, message)
    }

    /// The same error naming `field`.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// A core `Validation` error (a bad email, PKey, signal) as a 422 naming its field.
    pub fn from_core(err: &ccpa_optout::Error) -> Self {
        ApiError::validation(422, err.field().unwrap_or("body"), err.message())
    }

    /// The JSON body: `{"error": {"kind", "message", "field"?}}`.
    pub fn body(&self) -> ErrorBody<'_> {
        ErrorBody {
            error: ErrorDetail {
                kind: self.kind.as_str(),
                message: &self.message,
                field: self.field.as_deref(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.kind, self.message)
    }
}

impl std::error::Error for ApiError {}

/// The serialized form of an [`ApiError`].
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// The error.
    pub error: ErrorDetail<'a>,
}

/// The inside of an [`ErrorBody`].
#[derive(Debug, Serialize)]
pub struct ErrorDetail<'a> {
    /// The core's kind.
    pub kind: &'static str,
    /// The message.
    pub message: &'a str,
    /// The input at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_has_kind_message_and_field_only_when_known() {
        let err = ApiError::validation(422, "email", "the email is empty");
        let json = serde_json::to_value(err.body()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"kind": "Validation", "message": "the email is empty", "field": "email"}})
        );
        let json = serde_json::to_value(ApiError::not_found("no such request").body()).unwrap();
        assert!(json["error"].get("field").is_none());
        assert_eq!(ApiError::rate_limited(3).retry_after, Some(3));
    }
}
