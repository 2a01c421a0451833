//! Error answers in the shapes ACS, AEP and their gateway use (`{"error_code", "message"}`,
//! `{"code", "message"}`, `{"type", "status", "title", "detail"}`).

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde_json::json;

/// The message ACS gives for an unknown PKey or resource path (observed in Adobe's SDK issue #51).
pub const NOT_FOUND_MESSAGE: &str =
    "RST-360011 An error has occurred - please contact your administrator. Error rc=-2003";

/// A refused request, answered in one of ACS's error shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct AcsError {
    status: StatusCode,
    body: serde_json::Value,
    allow: Option<&'static str>,
}

impl AcsError {
    /// The backend shape: `{"code": <status>, "message": ...}`.
    pub fn backend(status: StatusCode, message: impl Into<String>) -> AcsError {
        let message: String = message.into();
        AcsError {
            status,
            body: json!({"code": status.as_u16(), "message": message}),
            allow: None,
        }
    }

    /// The gateway shape: `{"error_code": "...", "message": ...}`.
    pub fn gateway(status: StatusCode, error_code: &str, message: &str) -> AcsError {
        AcsError {
            status,
            body: json!({"error_code": error_code, "message": message}),
            allow: None,
        }
    }

    /// 401 `401013`: missing, unknown or expired access token.
    pub fn token_invalid() -> AcsError {
        AcsError::gateway(
            StatusCode::UNAUTHORIZED,
            "401013",
            "Oauth token is not valid",
        )
    }

    /// 403 `403003`: missing or wrong `X-Api-Key` (the Adobe I/O gateway's answer on every API).
    pub fn api_key_invalid() -> AcsError {
        AcsError::gateway(StatusCode::FORBIDDEN, "403003", "Api Key is invalid")
    }

    /// 403 `403023`: the credentials are not provisioned for the tenant in the path (the IMS
    /// product context lacks it).
    pub fn wrong_tenant() -> AcsError {
        AcsError::gateway(StatusCode::FORBIDDEN, "403023", "Profile is not valid")
    }

    /// 400 `400003`: a Privacy Service call without `x-gw-ims-org-id`.
    pub fn ims_org_missing() -> AcsError {
        AcsError::gateway(
            StatusCode::BAD_REQUEST,
            "400003",
            "Missing x-gw-ims-org-id header",
        )
    }

    /// 403 `403025`: an `x-gw-ims-org-id` the credentials do not belong to.
    pub fn ims_org_invalid() -> AcsError {
        AcsError::gateway(StatusCode::FORBIDDEN, "403025", "Profile is not valid")
    }

    /// AEP's problem-details shape, `{"type", "status", "title", "detail"}` (Privacy Service).
    pub fn problem(status: StatusCode, title: &str, detail: impl Into<String>) -> AcsError {
        let detail: String = detail.into();
        let code = match status.as_u16() {
            // Privacy Service's "formatting error" code; other statuses have no documented code.
            400 => "PRVCY-1000-400".to_owned(),
            other => format!("http-{other}"),
        };
        AcsError {
            status,
            body: json!({
                "type": format!("https://ns.adobe.com/aep/errors/{code}"),
                "status": status.as_u16(),
                "title": title,
                "detail": detail,
            }),
            allow: None,
        }
    }

    /// Adds an `Allow` header (for a 405).
    pub fn allowing(mut self, allow: &'static str) -> AcsError {
        self.allow = Some(allow);
        self
    }

    /// 404 `RST-360011`: unknown PKey or resource.
    pub fn not_found() -> AcsError {
        AcsError::backend(StatusCode::NOT_FOUND, NOT_FOUND_MESSAGE)
    }

    /// 404 for an API name that does not exist, with a hint when it is the CCPA page's typo.
    pub fn unknown_api(name: &str) -> AcsError {
        let hint = if name.starts_with("profilesAndServices") {
            let singular = name.replacen("profilesAndServices", "profileAndServices", 1);
            format!(
                " Unknown API name '{name}': the API is spelled '{singular}' (singular 'profile')."
            )
        } else {
            format!(" Unknown API name '{name}'.")
        };
        AcsError::backend(StatusCode::NOT_FOUND, format!("{NOT_FOUND_MESSAGE}{hint}"))
    }

    /// 500 for a property the resource does not have.
    pub fn invalid_property(name: &str) -> AcsError {
        AcsError::backend(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("'{name}' property is not valid for the 'profile' resource"),
        )
    }

    /// 500 for a write to a read-only property.
    pub fn read_only_property(name: &str) -> AcsError {
        AcsError::backend(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "'{name}' property is read-only and cannot be written for the 'profile' resource"
            ),
        )
    }

    /// 400 for a value of the wrong type or format.
    pub fn invalid_value(name: &str, expected: &str) -> AcsError {
        AcsError::backend(
            StatusCode::BAD_REQUEST,
            format!(
                "Invalid value for the '{name}' property of the 'profile' resource: expected {expected}"
            ),
        )
    }

    /// 400 for a body that is not JSON (or not the JSON object expected).
    pub fn malformed_json(detail: impl std::fmt::Display) -> AcsError {
        AcsError::backend(
            StatusCode::BAD_REQUEST,
            format!("The request body is not valid JSON: {detail}"),
        )
    }

    /// 400 for any other malformed request (path, query string).
    pub fn bad_request(message: impl Into<String>) -> AcsError {
        AcsError::backend(StatusCode::BAD_REQUEST, message)
    }

    /// 413 for a body above the configured limit.
    pub fn payload_too_large(limit: usize) -> AcsError {
        AcsError::backend(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The request body is larger than the limit of {limit} bytes"),
        )
    }

    /// 405 with the `Allow` header for the methods the resource supports.
    pub fn method_not_allowed(method: &http::Method, allow: &'static str) -> AcsError {
        let mut error = AcsError::backend(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("Method {method} is not allowed on this resource (allowed: {allow})"),
        );
        error.allow = Some(allow);
        error
    }

    /// 500 for a failure inside the emulator (e.g. the data file cannot be written).
    pub fn internal(message: impl Into<String>) -> AcsError {
        AcsError::backend(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The message of the answer's body (a problem's `detail`).
    pub fn message(&self) -> &str {
        self.body
            .get("message")
            .or_else(|| self.body.get("detail"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
    }

    /// The HTTP status of this answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

/// A JSON response with ACS's content type.
pub fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    response
}

impl IntoResponse for AcsError {
    fn into_response(self) -> Response {
        let mut response = json_response(self.status, &self.body);
        if let Some(allow) = self.allow {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}
