//! Request bodies: JSON only, at most 16 KiB, known fields only, each refusal typed.
//!
//! Pure functions over bytes (the routes read the bytes), so that `fuzz/fuzz_targets/
//! receiver_body.rs` can drive them directly.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest body accepted, in bytes (the contract's 16 KiB).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The longest part of a parser message repeated in an answer.
const MAX_MESSAGE_CHARS: usize = 200;

/// `POST /v1/opt-outs` from the site's backend.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OptOutBody {
    /// The subject by email (every profile with it).
    pub email: Option<String>,
    /// The subject by PKey (one profile).
    pub pkey: Option<String>,
    /// The value to apply; when absent it is derived from the signals.
    pub opt_out: Option<bool>,
    /// `navigator.globalPrivacyControl` or `Sec-GPC: 1` as the backend saw it.
    pub gpc: Option<bool>,
    /// An IAB US Privacy string.
    pub usp: Option<String>,
    /// An IAB GPP string.
    pub gpp: Option<String>,
    /// The caller's idempotency key: the same one again returns the first request.
    pub request_id: Option<String>,
    /// When the request was received (RFC 3339 with an offset, or `YYYY-MM-DD`).
    pub received_at: Option<String>,
    /// The manner in which it was made (`web`, `email`, `phone`, `agent`, …).
    pub source: Option<String>,
}

/// `POST /v1/signals` from a visitor's browser; the subject comes only from a subject token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SignalsBody {
    /// The GPP string the page's CMP gave.
    pub gpp: Option<String>,
    /// The US Privacy string the page's CMP gave.
    pub usp: Option<String>,
    /// `navigator.globalPrivacyControl`.
    pub gpc: Option<bool>,
}

/// Reads a JSON body of type `T`.
///
/// - 415 unless the content type is `application/json` (a `charset` other than UTF-8 too);
/// - 413 above [`MAX_BODY_BYTES`];
/// - 400 for an empty body or bytes that are not JSON;
/// - 422 for JSON of the wrong shape: not an object, a wrong type, an unknown or repeated
///   field; `field` names the place (`optOut`, the unknown field, `body` for the top level).
pub fn read_json<T: DeserializeOwned>(
    content_type: Option<&[u8]>,
    body: &[u8],
) -> Result<T, ApiError> {
    check_content_type(content_type)?;
    if body.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    let Some(first) = body.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Err(ApiError::validation(
            400,
            "body",
            "the body is empty: expected a JSON object",
        ));
    };
    // serde would also read a struct from an array of its fields in order; only an object
    // with named fields is accepted.
    if matches!(first, b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') {
        return Err(ApiError::validation(
            422,
            "body",
            "the body must be a JSON object",
        ));
    }
    let mut reader = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let field = if path == "." { "body".to_owned() } else { path };
                ApiError::validation(422, field, bounded(&inner.to_string()))
            }
            _ => not_json(&inner),
        }
    })?;
    // Anything after the object but whitespace makes the body something else than JSON.
    reader.end().map_err(|err| not_json(&err))?;
    Ok(value)
}

fn not_json(err: &serde_json::Error) -> ApiError {
    ApiError::validation(
        400,
        "body",
        format!("the body is not JSON: {}", bounded(&err.to_string())),
    )
}

/// The refusal for a body over the limit (also used while reading it).
pub fn too_large() -> ApiError {
    ApiError::validation(
        413,
        "body",
        format!("the body is larger than {MAX_BODY_BYTES} bytes"),
    )
}

fn check_content_type(content_type: Option<&[u8]>) -> Result<(), ApiError> {
    let refused = || {
        ApiError::validation(
            415,
            "content-type",
            "send the body as Content-Type: application/json",
        )
    };
    let text = std::str::from_utf8(content_type.ok_or_else(refused)?).map_err(|_| refused())?;
    let mut parts = text.split(';');
    let media = parts.next().unwrap_or_default().trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return Err(refused());
    }
    for parameter in parts {
        let (name, value) = parameter.split_once('=').ok_or_else(refused)?;
        let value = value.trim().trim_matches('"');
        if name.trim().eq_ignore_ascii_case("charset")
            && !value.eq_ignore_ascii_case("utf-8")
            && !value.eq_ignore_ascii_case("utf8")
        {
            return Err(refused());
        }
    }
    Ok(())
}

/// A parser message cut to [`MAX_MESSAGE_CHARS`] characters (it may quote the input).
fn bounded(message: &str) -> String {
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((end, _)) => format!("{}…", &message[..end]),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Option<&[u8]> = Some(b"application/json");

    fn status_and_field(content_type: Option<&[u8]>, body: &str) -> (u16, String) {
        let err = read_json::<OptOutBody>(content_type, body.as_bytes()).unwrap_err();
        (err.status, err.field.unwrap_or_default())
    }

    #[test]
    fn a_well_formed_body_reads_with_camel_case_names() {
        let body: OptOutBody = read_json(
            Some(b"application/json; charset=UTF-8"),
            br#"{"email":"ana@example.com","optOut":true,"requestId":"r1","receivedAt":"2026-01-05"}"#,
        )
        .unwrap();
        assert_eq!(body.email.as_deref(), Some("ana@example.com"));
        assert_eq!(body.opt_out, Some(true));
        assert_eq!(body.request_id.as_deref(), Some("r1"));
    }

    #[test]
    fn each_kind_of_bad_body_gets_its_own_status_and_field() {
        assert_eq!(status_and_field(None, "{}"), (415, "content-type".into()));
        assert_eq!(
            status_and_field(Some(b"text/plain"), "{}"),
            (415, "content-type".into())
        );
        assert_eq!(
            status_and_field(Some(b"application/json; charset=latin1"), "{}"),
            (415, "content-type".into())
        );
        assert_eq!(status_and_field(JSON, ""), (400, "body".into()));
        assert_eq!(status_and_field(JSON, "{\"email\":"), (400, "body".into()));
        assert_eq!(status_and_field(JSON, "{} {}"), (400, "body".into()));
        assert_eq!(status_and_field(JSON, "[]"), (422, "body".into()));
        let positional = r#"["a@b.c", null, true, null, null, null, null, null, null]"#;
        assert_eq!(status_and_field(JSON, positional), (422, "body".into()));
        assert_eq!(status_and_field(JSON, " null"), (422, "body".into()));
        assert_eq!(
            status_and_field(JSON, r#"{"optOut":"true"}"#),
            (422, "optOut".into())
        );
        assert_eq!(
            status_and_field(JSON, r#"{"email":"a@b.c","admin":true}"#),
            (422, "admin".into())
        );
        assert_eq!(
            status_and_field(JSON, r#"{"email":"a@b.c","email":"d@e.f"}"#),
            (422, "body".into())
        );
        let big = format!("{{\"source\":\"{}\"}}", "x".repeat(MAX_BODY_BYTES));
        assert_eq!(status_and_field(JSON, &big), (413, "body".into()));
    }

    #[test]
    fn messages_are_bounded() {
        let long = format!("{{\"optOut\":\"{}\"}}", "y".repeat(5000));
        let err = read_json::<OptOutBody>(JSON, long.as_bytes()).unwrap_err();
        assert!(err.message.chars().count() <= MAX_MESSAGE_CHARS + 1);
    }
}
