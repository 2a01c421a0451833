//! Global Privacy Control: the `Sec-GPC` request header and a site's `/.well-known/gpc.json`.

use serde::Serialize;
use serde_json::Value;

use crate::date::Date;

/// The header name, as `http` spells it (lower case).
pub const SEC_GPC: &str = "sec-gpc";

/// The path of the support resource (RFC 8615).
pub const GPC_WELL_KNOWN_PATH: &str = "/.well-known/gpc.json";

/// Whether a request carries the GPC opt-out: `Some(true)` when any `Sec-GPC` value is
/// exactly `1`, otherwise `None` — never `Some(false)`, because an absent or ignored header is
/// not an opt-in.
///
/// Values joined with commas by an HTTP stack that merges repeated lines (Node.js does) are
/// split and trimmed; `0`, `01`, `true` or anything else is ignored, as the spec says.
///
/// ```
/// use ccpa_optout::signals::gpc_from_headers;
/// use http::HeaderMap;
///
/// let mut headers = HeaderMap::new();
/// assert_eq!(gpc_from_headers(&headers), None);
/// headers.append("Sec-GPC", "0".parse().unwrap());
/// assert_eq!(gpc_from_headers(&headers), None);
/// headers.append("Sec-GPC", "1".parse().unwrap());
/// assert_eq!(gpc_from_headers(&headers), Some(true));
/// ```
pub fn gpc_from_headers(headers: &http::HeaderMap) -> Option<bool> {
    headers
        .get_all(SEC_GPC)
        .iter()
        .any(|value| says_one(value.as_bytes()))
        .then_some(true)
}

/// [`gpc_from_headers`] over plain `(name, value)` pairs, as bindings and other HTTP stacks
/// hand them over; the header name is matched case-insensitively.
///
/// ```
/// use ccpa_optout::signals::gpc_from_header_pairs;
///
/// assert_eq!(gpc_from_header_pairs([("SEC-GPC", "0, 1")]), Some(true));
/// assert_eq!(gpc_from_header_pairs([("sec-gpc", "0, 0")]), None);
/// assert_eq!(gpc_from_header_pairs(Vec::<(String, String)>::new()), None);
/// ```
pub fn gpc_from_header_pairs<I, N, V>(headers: I) -> Option<bool>
where
    I: IntoIterator<Item = (N, V)>,
    N: AsRef<str>,
    V: AsRef<str>,
{
    headers
        .into_iter()
        .any(|(name, value)| {
            name.as_ref().eq_ignore_ascii_case(SEC_GPC) && says_one(value.as_ref().as_bytes())
        })
        .then_some(true)
}

/// Whether one header value, split on commas and trimmed of ASCII whitespace, holds exactly `1`.
fn says_one(value: &[u8]) -> bool {
    value
        .split(|byte| *byte == b',')
        .any(|piece| piece.trim_ascii() == b"1")
}

/// What a site's `/.well-known/gpc.json` says about its support for GPC.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GpcSupport {
    /// True: the site means to honour GPC; false: it does not; none: unknown (wrong content
    /// type, not a JSON object, or `gpc` not a boolean).
    pub gpc: Option<bool>,
    /// The date of `lastUpdate` (`YYYY-MM-DD`) when it is an RFC 3339 full-date or date-time
    /// (the date as written, in its own offset); none otherwise.
    pub last_update: Option<Date>,
}

/// Reads a `/.well-known/gpc.json` body served with `content_type`.
///
/// The resource must be served as `application/json` (parameters such as `charset` allowed)
/// and hold a JSON object, otherwise everything is unknown. Unknown members are ignored. It
/// never fails: "unknown" is the spec's answer to a bad resource.
///
/// ```
/// use ccpa_optout::{Date, signals::parse_gpc_json};
///
/// let support = parse_gpc_json(Some("application/json"), br#"{"gpc": true, "lastUpdate": "2025-04-15"}"#);
/// assert_eq!(support.gpc, Some(true));
/// assert_eq!(support.last_update, Some(Date::parse("2025-04-15")?));
/// assert_eq!(parse_gpc_json(Some("text/html"), br#"{"gpc": true}"#).gpc, None);
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
pub fn parse_gpc_json(content_type: Option<&str>, body: &[u8]) -> GpcSupport {
    let is_json = content_type.is_some_and(|value| {
        let essence = value.split(';').next().unwrap_or_default();
        essence.trim().eq_ignore_ascii_case("application/json")
    });
    if !is_json {
        return GpcSupport::default();
    }
    let Ok(Value::Object(members)) = serde_json::from_slice::<Value>(body) else {
        return GpcSupport::default();
    };
    GpcSupport {
        gpc: members.get("gpc").and_then(Value::as_bool),
        last_update: members
            .get("lastUpdate")
            .and_then(Value::as_str)
            .and_then(|text| Date::from_rfc3339(text).ok()),
    }
}

/// [`parse_gpc_json`] over a whole response: anything but a 2xx is unknown support.
pub fn gpc_support_from_response(response: &http::Response<Vec<u8>>) -> GpcSupport {
    if !response.status().is_success() {
        return GpcSupport::default();
    }
    let content_type = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    parse_gpc_json(content_type, response.body())
}
