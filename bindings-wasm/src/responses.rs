//! The sans-IO response parsers for bring-your-own-fetch users, and answers from plain objects.

use std::time::UNIX_EPOCH;

use ccpa_optout::{
    Error, HttpResponse, ProfileMetadata, Result, parse_count, parse_delete, parse_patch_ack,
    parse_profile, parse_profile_metadata, parse_profile_page, parse_token_response,
};
use wasm_bindgen::prelude::*;

use crate::error::to_js_error;
use crate::headers::answer_headers;
use crate::options::opt_out_field;
use crate::values::{body_bytes, header_pairs, object, profile_to_js, profiles_to_js, property};

/// An answer from `{status, headers, body}`: `headers` as `[[name, value], ...]`, a `Headers`
/// or `Map`, or a plain object; `body` as a `Uint8Array`, `ArrayBuffer`, string, or `null`.
pub fn response_from_js(value: &JsValue) -> Result<HttpResponse> {
    if !value.is_object() {
        return Err(Error::validation(
            "response",
            "the response must be an object {status, headers, body}",
        ));
    }
    let status = property(value, "status")?
        .and_then(|status| status.as_f64())
        .filter(|status| status.fract() == 0.0 && (100.0..=999.0).contains(status))
        .ok_or_else(|| {
            Error::validation("status", "status must be a whole number from 100 to 999")
        })?;
    let pairs = header_pairs(property(value, "headers")?)?;
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let headers = answer_headers(&pairs)
        .map_err(|_| Error::validation("headers", "a header name or value is not valid HTTP"))?;
    let body = match property(value, "body")? {
        None => Vec::new(),
        Some(body) => body_bytes(&body, "body")?,
    };
    let mut response = http::Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status as u16).map_err(|_| {
        Error::validation("status", "status must be a whole number from 100 to 999")
    })?;
    *response.headers_mut() = headers;
    Ok(response)
}

/// Runs a parser over the JavaScript answer and hands its result (or error) to JavaScript.
fn parsed(
    response: &JsValue,
    parse: impl FnOnce(&HttpResponse) -> Result<JsValue>,
) -> Result<JsValue, JsValue> {
    response_from_js(response)
        .and_then(|response| parse(&response))
        .map_err(|err| to_js_error(&err))
}

/// `{fields: {name: type}, optOutFieldOk}`.
pub(crate) fn metadata_to_js(
    metadata: &ProfileMetadata,
    field: &ccpa_optout::OptOutField,
) -> Result<JsValue> {
    let fields: Vec<(&str, JsValue)> = metadata
        .fields
        .iter()
        .map(|(name, kind)| (name.as_str(), kind.as_str().into()))
        .collect();
    let usable = metadata.check_opt_out_field(field).is_ok();
    Ok(object(&[
        ("fields", object(&fields)),
        ("optOutFieldOk", usable.into()),
    ]))
}

/// One profile (bare or `content`-wrapped) as a plain object.
#[wasm_bindgen(js_name = parseProfile)]
pub fn js_parse_profile(response: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    parsed(response, |response| {
        let field = opt_out_field(options)?;
        profile_to_js(&parse_profile(response, &field)?, &field)
    })
}

/// One listing page: `{content, next, count}` (`next`/`count` hrefs or `null`).
#[wasm_bindgen(js_name = parseProfilePage)]
pub fn js_parse_profile_page(response: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    parsed(response, |response| {
        let field = opt_out_field(options)?;
        let page = parse_profile_page(response, &field)?;
        let href = |link: &Option<String>| link.as_deref().map_or(JsValue::NULL, JsValue::from);
        Ok(object(&[
            ("content", profiles_to_js(&page.content, &field)?),
            ("next", href(&page.next)),
            ("count", href(&page.count)),
        ]))
    })
}

/// A PATCH acknowledgement `{PKey, href}`, or `null` for an empty 2xx.
#[wasm_bindgen(js_name = parsePatchAck)]
pub fn js_parse_patch_ack(response: &JsValue) -> Result<JsValue, JsValue> {
    parsed(response, |response| {
        Ok(parse_patch_ack(response)?.map_or(JsValue::NULL, |ack| ack_to_js(&ack)))
    })
}

/// `{PKey, href}` (`href` may be `null`).
pub(crate) fn ack_to_js(ack: &ccpa_optout::PatchAck) -> JsValue {
    object(&[
        ("PKey", ack.pkey.as_str().into()),
        (
            "href",
            ack.href.as_deref().map_or(JsValue::NULL, JsValue::from),
        ),
    ])
}

/// The answer to DELETE: returns nothing for a 2xx, throws the typed error otherwise.
#[wasm_bindgen(js_name = parseDelete)]
pub fn js_parse_delete(response: &JsValue) -> Result<(), JsValue> {
    response_from_js(response)
        .and_then(|response| parse_delete(&response))
        .map_err(|err| to_js_error(&err))
}

/// `{"count": n}` from a listing's `count.href`.
#[wasm_bindgen(js_name = parseCount)]
pub fn js_parse_count(response: &JsValue) -> Result<f64, JsValue> {
    response_from_js(response)
        .and_then(|response| parse_count(&response))
        .map(|count| count as f64)
        .map_err(|err| to_js_error(&err))
}

/// The profile resource's metadata: `{fields: {name: type}, optOutFieldOk}`.
#[wasm_bindgen(js_name = parseProfileMetadata)]
pub fn js_parse_profile_metadata(
    response: &JsValue,
    options: &JsValue,
) -> Result<JsValue, JsValue> {
    parsed(response, |response| {
        metadata_to_js(&parse_profile_metadata(response)?, &opt_out_field(options)?)
    })
}

/// IMS's token answer: `{accessToken, expiresIn}` (seconds).
#[wasm_bindgen(js_name = parseTokenResponse)]
pub fn js_parse_token_response(response: &JsValue) -> Result<JsValue, JsValue> {
    parsed(response, |response| {
        let (issued, lifetime) = parse_token_response(response, UNIX_EPOCH)?;
        Ok(object(&[
            ("accessToken", issued.token.expose().into()),
            ("expiresIn", (lifetime.as_secs() as f64).into()),
        ]))
    })
}
