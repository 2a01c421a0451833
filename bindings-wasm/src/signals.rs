//! The privacy-signal functions (GPC, USP, GPP, deadlines) for JavaScript, and `detectGpc`.
//!
//! Results are the core's serde shapes as plain objects with camelCase keys (`sectionIds`);
//! values such as `"opt_out"` or `"gpp_usco"` stay as the contract spells them. Dates cross as
//! `"YYYY-MM-DD"` strings.

use ccpa_optout::signals::{
    OptOutDecision, decode_gpp, derive_opt_out, gpc_from_header_pairs, may_request_opt_in,
    opt_in_request_allowed_from, opt_out_due_date, parse_gpc_json, parse_usp,
};
use ccpa_optout::{Date, Error, Result};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::error::to_js_error;
use crate::json::camel_case_to_js;
use crate::values::{body_bytes, header_pairs, property, string_arg};

fn thrown<T>(result: Result<T>) -> std::result::Result<T, JsValue> {
    result.map_err(|err| to_js_error(&err))
}

fn date_arg(value: &JsValue) -> Result<Date> {
    Date::parse(&string_arg(value, "date")?)
}

/// `true` or `null`, never `false`, from `[[name, value], ...]`, a `Headers`, a `Map`, or Node's
/// `req.headers`.
#[wasm_bindgen(js_name = gpcFromHeaders)]
pub fn js_gpc_from_headers(headers: JsValue) -> std::result::Result<JsValue, JsValue> {
    let pairs = thrown(header_pairs(Some(headers)))?;
    Ok(gpc_from_header_pairs(pairs).map_or(JsValue::NULL, JsValue::from))
}

/// What the browser says: `navigator.globalPrivacyControl` (`true`/`false`), or `undefined`
/// where the browser does not support GPC (and outside browsers).
#[wasm_bindgen(js_name = detectGpc)]
pub fn detect_gpc() -> Option<bool> {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    if !navigator.is_object() {
        return None;
    }
    Reflect::get(&navigator, &"globalPrivacyControl".into())
        .ok()?
        .as_bool()
}

/// The IAB US Privacy string: `{version, notice, optOutSale, lspa, applies}`.
#[wasm_bindgen(js_name = parseUsp)]
pub fn js_parse_usp(usp: JsValue) -> std::result::Result<JsValue, JsValue> {
    thrown(string_arg(&usp, "usp").and_then(|usp| camel_case_to_js(&parse_usp(&usp)?)))
}

/// The IAB GPP string's US opt-outs: `{sectionIds, saleOptOut, sharingOptOut,
/// targetedAdvertisingOptOut, gpc, source, sections, unreadable}`.
#[wasm_bindgen(js_name = decodeGpp)]
pub fn js_decode_gpp(gpp: JsValue) -> std::result::Result<JsValue, JsValue> {
    thrown(string_arg(&gpp, "gpp").and_then(|gpp| camel_case_to_js(&decode_gpp(&gpp)?)))
}

/// The raw signals a consumer sent, as read from `{gpc, usp, gpp}` (each optional).
#[derive(Default)]
pub(crate) struct RawSignals {
    pub gpc: Option<bool>,
    pub usp: Option<String>,
    pub gpp: Option<String>,
}

impl RawSignals {
    /// Reads `{gpc, usp, gpp}`; `undefined` and `null` mean no signal at all. Only the types
    /// are checked here: a string the core cannot read becomes a reason of the decision.
    pub(crate) fn from_js(signals: &JsValue) -> Result<RawSignals> {
        if signals.is_undefined() || signals.is_null() {
            return Ok(RawSignals::default());
        }
        if !signals.is_object() {
            return Err(Error::validation(
                "signals",
                "the signals must be an object {gpc, usp, gpp}",
            ));
        }
        let gpc = match property(signals, "gpc")? {
            None => None,
            Some(gpc) => Some(
                gpc.as_bool()
                    .ok_or_else(|| Error::validation("gpc", "gpc must be true, false or null"))?,
            ),
        };
        let text = |name: &str| -> Result<Option<String>> {
            property(signals, name)?
                .map(|value| string_arg(&value, name))
                .transpose()
        };
        Ok(RawSignals {
            gpc,
            usp: text("usp")?,
            gpp: text("gpp")?,
        })
    }

    /// The decision `{value, reasons}` these signals call for.
    fn decision(&self) -> OptOutDecision {
        derive_opt_out(self.gpc, self.usp.as_deref(), self.gpp.as_deref())
    }
}

/// `{value, reasons}` from `{gpc, usp, gpp}`; a string that cannot be read is a reason, and only
/// an argument of the wrong type throws.
#[wasm_bindgen(js_name = deriveOptOut)]
pub fn js_derive_opt_out(signals: JsValue) -> std::result::Result<JsValue, JsValue> {
    thrown(RawSignals::from_js(&signals).and_then(|signals| camel_case_to_js(&signals.decision())))
}

/// The date (`"YYYY-MM-DD"`) 15 business days after `received` (`"YYYY-MM-DD"`), skipping
/// weekends and the given holidays.
#[wasm_bindgen(js_name = optOutDueDate)]
pub fn js_opt_out_due_date(
    received: JsValue,
    holidays: JsValue,
) -> std::result::Result<String, JsValue> {
    thrown((|| {
        let received = date_arg(&received)?;
        let holidays = if holidays.is_undefined() || holidays.is_null() {
            Vec::new()
        } else {
            let list = holidays
                .dyn_ref::<js_sys::Array>()
                .ok_or_else(|| Error::validation("date", "holidays must be an array of dates"))?;
            list.iter()
                .map(|day| date_arg(&day))
                .collect::<Result<Vec<_>>>()?
        };
        Ok(opt_out_due_date(received, &holidays).to_string())
    })())
}

/// The date from which a business may ask to opt back in (12 months after the opt-out), or
/// `null` past 9999.
#[wasm_bindgen(js_name = optInRequestAllowedFrom)]
pub fn js_opt_in_request_allowed_from(
    opted_out_on: JsValue,
) -> std::result::Result<JsValue, JsValue> {
    let day = thrown(date_arg(&opted_out_on))?;
    Ok(opt_in_request_allowed_from(day).map_or(JsValue::NULL, |d| d.to_string().into()))
}

/// Whether, on `on`, the 12-month wait after an opt-out on `optedOutOn` is over.
#[wasm_bindgen(js_name = mayRequestOptIn)]
pub fn js_may_request_opt_in(
    opted_out_on: JsValue,
    on: JsValue,
) -> std::result::Result<bool, JsValue> {
    thrown((|| {
        Ok(may_request_opt_in(date_arg(&opted_out_on)?, date_arg(&on)?))
    })())
}

/// The date part (`"YYYY-MM-DD"`) of an RFC 3339 date or date-time, as written.
#[wasm_bindgen(js_name = dateFromRfc3339)]
pub fn js_date_from_rfc3339(timestamp: JsValue) -> std::result::Result<String, JsValue> {
    thrown(
        string_arg(&timestamp, "date")
            .and_then(|text| Date::from_rfc3339(&text))
            .map(|day| day.to_string()),
    )
}

/// What a site's `/.well-known/gpc.json` says: `{gpc, lastUpdate}` (each possibly `null`).
#[wasm_bindgen(js_name = parseGpcJson)]
pub fn js_parse_gpc_json(
    content_type: JsValue,
    body: JsValue,
) -> std::result::Result<JsValue, JsValue> {
    thrown((|| {
        let content_type = if content_type.is_undefined() || content_type.is_null() {
            None
        } else {
            Some(string_arg(&content_type, "contentType")?)
        };
        let body = if body.is_undefined() || body.is_null() {
            Vec::new()
        } else {
            body_bytes(&body, "body")?
        };
        camel_case_to_js(&parse_gpc_json(content_type.as_deref(), &body))
    })())
}
