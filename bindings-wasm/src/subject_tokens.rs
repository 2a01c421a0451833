//! `mintSubjectToken`: the receiver's subject tokens minted in a Node backend without a JWT library.

use std::time::Duration;

use ccpa_optout::{Error, Result, SubjectTokenClaims, mint_subject_token_with};
use wasm_bindgen::prelude::*;

use crate::error::to_js_error;
use crate::values::{body_bytes, property, string_arg};

/// `mintSubjectToken(secret, subject, ttlSeconds, {audience, issuedAt}?)`: an HS256 token for
/// the receiver's `/v1/signals`; `issuedAt` (seconds since the epoch) defaults to now.
#[wasm_bindgen(js_name = mintSubjectToken)]
pub fn js_mint_subject_token(
    secret: &JsValue,
    subject: &JsValue,
    ttl_seconds: &JsValue,
    options: &JsValue,
) -> std::result::Result<String, JsValue> {
    claims(subject, ttl_seconds, options)
        .and_then(|claims| mint_subject_token_with(&body_bytes(secret, "secret")?, &claims))
        .map_err(|err| to_js_error(&err))
}

fn claims(subject: &JsValue, ttl: &JsValue, options: &JsValue) -> Result<SubjectTokenClaims> {
    let seconds = |value: Option<JsValue>, field: &str| -> Result<Option<u64>> {
        value
            .map(|value| match value.as_f64() {
                Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 => Ok(n as u64),
                _ => Err(Error::validation(
                    field,
                    format!("{field} must be a whole number of seconds"),
                )),
            })
            .transpose()
    };
    let (audience, issued_at) = if options.is_undefined() || options.is_null() {
        (None, None)
    } else {
        let audience = property(options, "audience")?
            .map(|value| string_arg(&value, "audience"))
            .transpose()?;
        (
            audience,
            seconds(property(options, "issuedAt")?, "issuedAt")?,
        )
    };
    let ttl = seconds(Some(ttl.clone()), "ttl")?.unwrap_or_default();
    Ok(SubjectTokenClaims {
        subject: string_arg(subject, "subject")?,
        audience,
        // `SystemTime::now()` does not exist in wasm32; JavaScript has the clock.
        issued_at: issued_at.unwrap_or_else(|| (js_sys::Date::now() / 1000.0) as u64),
        ttl: Duration::from_secs(ttl),
    })
}
