//! The headers of an answer as the core gets them: checked, and only the ones it reads.
//!
//! A header name parsed at run time (`HeaderName::from_bytes`) brings the `http` crate's table
//! of every standard header name into the module (12 KB). The core reads only a few answer
//! headers, so the binding matches names against those constants and drops the rest, after
//! checking that each name and value is valid HTTP as before.

use http::header::{
    CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, DATE, HeaderMap, HeaderName, HeaderValue,
    LOCATION, RETRY_AFTER, WWW_AUTHENTICATE,
};

/// The answer headers handed to the core: `Retry-After` and `Date` (the wait before a retry),
/// and the ones describing the body and a refusal, for errors and future use.
const KEPT: [HeaderName; 7] = [
    RETRY_AFTER,
    DATE,
    CONTENT_TYPE,
    CONTENT_LENGTH,
    CONTENT_ENCODING,
    LOCATION,
    WWW_AUTHENTICATE,
];

/// A header name or value that is not valid HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InvalidHeader;

/// The kept headers of `pairs`, in order (repeated ones appended); an invalid name or value
/// anywhere is refused even when the header would be dropped.
pub(crate) fn answer_headers(pairs: &[(&str, &str)]) -> Result<HeaderMap, InvalidHeader> {
    let mut headers = HeaderMap::new();
    for &(name, value) in pairs {
        let value = HeaderValue::from_str(value).map_err(|_| InvalidHeader)?;
        if !is_token(name) {
            return Err(InvalidHeader);
        }
        if let Some(kept) = KEPT.iter().find(|k| k.as_str().eq_ignore_ascii_case(name)) {
            headers.append(kept.clone(), value);
        }
    }
    Ok(headers)
}

/// RFC 9110 `token`: one or more of ALPHA, DIGIT and ``!#$%&'*+-.^_`|~``.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
