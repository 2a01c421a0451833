//! ACS error answers in all their shapes, turned into typed errors.
//!
//! ACS and the Adobe I/O gateway answer errors as `{"error_code":"401013","message":…}`,
//! `{"code":500,"message":…}`, IMS-style `{"error":…,"error_description":…}`, plain text lines
//! such as `RST-360011 An error has occurred…`, or a proxy's HTML page. All become an [`Error`]
//! whose kind follows the status, with the vendor code when there is one.

use std::time::{Duration, SystemTime};

use http::HeaderMap;
use http::header::{DATE, RETRY_AFTER};
use serde_json::Value;

use crate::Error;

/// The most characters of a server message kept in an error.
const MAX_MESSAGE_CHARS: usize = 300;

/// The most characters of a body kept as a `Decode` excerpt.
const MAX_EXCERPT_CHARS: usize = 120;

/// Builds the error for a non-2xx answer from its status, headers and body.
///
/// `Retry-After` is read in both its forms; an HTTP-date is measured from the answer's own
/// `Date` header, so no local clock is needed (see [`retry_after`] to measure from a clock).
pub fn error_from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
    let (code, message) = describe_body(status, body);
    let code = code.or_else(|| vendor_code(&message));
    Error::http_status(status, code, message).with_retry_after(retry_after(headers, None))
}

/// The delay a `Retry-After` header asks for: delay-seconds, or an HTTP-date measured from
/// `now` (or, without `now`, from the answer's `Date` header). `None` when absent or unreadable.
pub fn retry_after(headers: &HeaderMap, now: Option<SystemTime>) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = crate::http_date::parse_http_date(value)?;
    let reference = match now {
        Some(now) => now,
        None => crate::http_date::parse_http_date(headers.get(DATE)?.to_str().ok()?)?,
    };
    Some(at.duration_since(reference).unwrap_or(Duration::ZERO))
}

fn describe_body(status: u16, body: &[u8]) -> (Option<String>, String) {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return (None, reason(status));
    }
    // `from_slice` like every other reader of bodies: one serde_json deserializer in the .wasm.
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(trimmed.as_bytes()) {
        let code = map.get("error_code").and_then(code_string);
        let message = ["message", "error_description", "detail", "title", "error"]
            .iter()
            .find_map(|key| map.get(*key).and_then(Value::as_str))
            .map(clean)
            .unwrap_or_else(|| reason(status));
        // IMS puts its code in `error` ("invalid_client") next to `error_description`.
        let code = code.or_else(|| {
            map.get("error_description")
                .and(map.get("error"))
                .and_then(Value::as_str)
                .map(clean)
        });
        return (code, message);
    }
    if looks_like_html(trimmed) {
        return (
            None,
            format!(
                "{}: the server answered with an HTML page (a proxy or gateway error page?)",
                reason(status)
            ),
        );
    }
    (None, clean(trimmed))
}

fn code_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(clean(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first `RST-nnnnnn` or `XTK-nnnnnn` code in a backend message.
pub fn vendor_code(message: &str) -> Option<String> {
    message.match_indices(['R', 'X']).find_map(|(start, _)| {
        let rest = message.get(start..)?;
        let prefix_ok = rest.starts_with("RST-") || rest.starts_with("XTK-");
        let digits = rest
            .get(4..)?
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        (prefix_ok && digits >= 4)
            .then(|| rest.get(..4 + digits).map(str::to_owned))
            .flatten()
    })
}

pub(crate) fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype")
        || head.starts_with("<html")
        || head.starts_with("<?xml")
        || head.starts_with("<head")
        || head.starts_with("<body")
}

fn reason(status: u16) -> String {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("HTTP {status} {reason}"),
        None => format!("HTTP {status}"),
    }
}

/// One line, control characters replaced, at most [`MAX_MESSAGE_CHARS`] characters.
fn clean(text: &str) -> String {
    shorten(text, MAX_MESSAGE_CHARS)
}

fn shorten(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// A short view of a body for a `Decode` error, with anything that looks like a credential
/// (a run of 32 or more token characters, as in JWTs and API keys) cut out.
pub fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let short = shorten(text.trim(), MAX_EXCERPT_CHARS);
    let mut out = String::with_capacity(short.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 32 {
            out.push_str("[…]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in short.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '/' | '=') {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use http::HeaderValue;

    fn err(status: u16, body: &str) -> Error {
        error_from_response(status, &HeaderMap::new(), body.as_bytes())
    }

    #[test]
    fn gateway_codes_are_kept() {
        let e = err(
            401,
            r#"{"error_code":"401013","message":"Oauth token is not valid"}"#,
        );
        assert_eq!(
            (e.kind(), e.error_code(), e.message()),
            (ErrorKind::Auth, Some("401013"), "Oauth token is not valid")
        );
    }

    #[test]
    fn backend_codes_come_from_the_message() {
        let e = err(
            404,
            r#"{"code":404,"message":"RST-360011 An error has occurred - please contact your administrator."}"#,
        );
        assert_eq!(
            (e.kind(), e.error_code()),
            (ErrorKind::NotFound, Some("RST-360011"))
        );
        let e = err(
            500,
            "XTK-170006 Unable to parse expression 'x'.\nRST-360011 An error has occurred",
        );
        assert_eq!(
            (e.kind(), e.error_code()),
            (ErrorKind::Server, Some("XTK-170006"))
        );
    }

    #[test]
    fn html_pages_get_a_readable_message() {
        let e = err(502, "<!DOCTYPE html><html><body>Bad gateway</body></html>");
        assert!(e.message().contains("HTML page"), "{}", e.message());
        assert_eq!(e.error_code(), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, None), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:40 GMT"),
        );
        headers.insert(
            DATE,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        assert_eq!(retry_after(&headers, None), Some(Duration::from_secs(3)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, None), None);
    }

    #[test]
    fn excerpts_cut_credential_like_runs() {
        let excerpt = body_excerpt(b"token=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9abcdefgh rest");
        assert!(!excerpt.contains("eyJhbGci"), "{excerpt}");
        assert!(excerpt.contains("rest"));
    }
}
