//! Fuzzes the error-body reader (`error_from_response`, `retry_after`, `body_excerpt`): every
//! status and body gives the kind the status calls for, a one-line bounded message, and an
//! excerpt without credential-like runs.
#![no_main]

use std::time::{Duration, SystemTime};

use ccpa_optout::{ErrorKind, body_excerpt, error_from_response, retry_after, vendor_code};
use http::HeaderMap;
use http::header::{DATE, HeaderValue, RETRY_AFTER};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 300 + u16::from_be_bytes([data[0], data[1]]) % 300;
    let rest = &data[2..];
    // The first line is the Retry-After value, the rest the body.
    let (header, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(end) => (&rest[..end], &rest[end + 1..]),
        None => (&rest[..0], rest),
    };
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(header) {
        headers.insert(RETRY_AFTER, value);
        headers.insert(
            DATE,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
    }

    let err = error_from_response(status, &headers, body);
    let expected = match status {
        401 | 403 => ErrorKind::Auth,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Http,
    };
    assert_eq!(err.kind(), expected);
    assert_eq!(err.status(), Some(status));
    // The message is one bounded line, whatever the server sent.
    assert!(err.message().chars().count() <= 301, "{}", err.message());
    assert!(!err.message().chars().any(char::is_control));
    if let Some(code) = err.error_code() {
        assert!(!code.chars().any(char::is_control));
    }
    let _ = err.to_string();
    let _ = vendor_code(err.message());

    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
    if let Some(wait) = retry_after(&headers, Some(now)) {
        assert!(!header.is_empty());
        let _ = wait.as_secs();
    }

    let excerpt = body_excerpt(body);
    assert!(excerpt.chars().count() <= 121, "{excerpt}");
    let longest_run = excerpt
        .split(|c: char| !(c.is_ascii_alphanumeric() || "-_.+/=".contains(c)))
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(
        longest_run < 32,
        "a credential-like run survived: {excerpt}"
    );
});
