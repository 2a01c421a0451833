//! Privacy signals (GPC, USP, GPP) and the CCPA deadlines; dates cross as `YYYY-MM-DD` text.
//! The decision and its reasons are the core's own types.

use ccpa_optout::signals::{self as core, GpcSupport, OptOutDecision, UsPrivacy};
use ccpa_optout::{Date, SubjectTokenClaims};

use crate::error::{Result, ffi};
use crate::gpp::GppSignals;
use crate::http::{HttpHeader, header_pairs};

/// True when any `Sec-GPC` value (split on commas) is exactly `1`; none otherwise, never false:
/// an absent signal is not an opt-in.
#[uniffi::export]
pub fn gpc_from_headers(headers: Vec<HttpHeader>) -> Option<bool> {
    core::gpc_from_header_pairs(header_pairs(&headers))
}

/// Reads a `/.well-known/gpc.json` body served with `content_type`; never fails.
#[uniffi::export]
pub fn parse_gpc_json(content_type: Option<String>, body: Vec<u8>) -> GpcSupport {
    core::parse_gpc_json(content_type.as_deref(), &body)
}

/// Parses an IAB US Privacy string such as `1YNN`; a malformed one (`1Y--` included) is a
/// `Validation` error.
#[uniffi::export]
pub fn parse_usp(usp: String) -> Result<UsPrivacy> {
    ffi(core::parse_usp(&usp))
}

/// Decodes an IAB GPP string's US sections (`uspv1`, `usnat`, `usca` and the states 9–27). A
/// string whose structure is malformed is a `Validation` error; a part that cannot be read on
/// its own (an opt-out of 3, a malformed `uspv1`) is listed in `unreadable` instead.
#[uniffi::export]
pub fn decode_gpp(gpp: String) -> Result<GppSignals> {
    Ok(ffi(core::decode_gpp(&gpp))?.into())
}

/// Combines the raw signals into the opt-out decision: any opt-out wins. Never fails: a
/// string that cannot be read is an `Unreadable` reason and never cancels a readable signal.
#[uniffi::export(default(gpc = None, usp = None, gpp = None))]
pub fn derive_opt_out(
    gpc: Option<bool>,
    usp: Option<String>,
    gpp: Option<String>,
) -> OptOutDecision {
    core::derive_opt_out(gpc, usp.as_deref(), gpp.as_deref())
}

fn date(text: &str) -> Result<Date> {
    ffi(Date::parse(text))
}

/// The date 15 business days after `received` (weekends and `holidays` skipped).
#[uniffi::export(default(holidays = []))]
pub fn opt_out_due_date(received: String, holidays: Vec<String>) -> Result<String> {
    let holidays = ffi(Date::parse_each(&holidays, "date"))?;
    Ok(core::opt_out_due_date(date(&received)?, &holidays).to_string())
}

/// The first date on which the business may ask to opt back in (12 months after the opt-out).
#[uniffi::export]
pub fn opt_in_request_allowed_from(opted_out_on: String) -> Result<Option<String>> {
    Ok(core::opt_in_request_allowed_from(date(&opted_out_on)?).map(|day| day.to_string()))
}

/// Whether, on `on`, the 12-month wait after the opt-out is over.
#[uniffi::export]
pub fn may_request_opt_in(opted_out_on: String, on: String) -> Result<bool> {
    Ok(core::may_request_opt_in(date(&opted_out_on)?, date(&on)?))
}

/// The date part of an RFC 3339 date or date-time, as written.
#[uniffi::export]
pub fn date_from_rfc3339(timestamp: String) -> Result<String> {
    Ok(ffi(Date::from_rfc3339(&timestamp))?.to_string())
}

/// An HS256 subject token for the receiver's `/v1/signals`, so a Kotlin or Swift backend needs
/// no JWT library: `secret` (its UTF-8 bytes, at least 32), `subject` (an email or a PKey),
/// `ttl_seconds` (at most a day); `issued_at` (seconds since the epoch) defaults to now.
#[uniffi::export(default(audience = None, issued_at = None))]
pub fn mint_subject_token(
    secret: String,
    subject: String,
    ttl_seconds: u64,
    audience: Option<String>,
    issued_at: Option<u64>,
) -> Result<String> {
    let ttl = std::time::Duration::from_secs(ttl_seconds);
    let claims = ffi(SubjectTokenClaims::issued(
        subject, audience, issued_at, ttl,
    ))?;
    ffi(ccpa_optout::mint_subject_token_with(
        secret.as_bytes(),
        &claims,
    ))
}
