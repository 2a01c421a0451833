//! Values crossing as JSON text: JavaScript values read as JSON, serde values handed out as plain
//! objects.

use ccpa_optout::{Error, Result};
use js_sys::JSON;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::error::describe_thrown;

/// A JavaScript value as JSON (through `JSON.stringify`, so `toJSON` methods apply and
/// `undefined` properties vanish). `undefined`, functions and symbols become `null`; a value
/// that cannot be written as JSON (a `BigInt`, a cycle) is a `Validation` error on `field`.
pub fn json_from_js(value: &JsValue, field: &str) -> Result<Value> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    let text = JSON::stringify(value).map_err(|thrown| {
        Error::validation(
            field,
            format!(
                "the value cannot be written as JSON ({})",
                describe_thrown(&thrown)
            ),
        )
    })?;
    match text.as_string() {
        Some(text) => serde_json::from_str(&text)
            .map_err(|_| Error::validation(field, "the value cannot be read as JSON")),
        None => Ok(Value::Null),
    }
}

/// A serde value as a plain JavaScript value, keys exactly as serialized. One JSON text and one
/// `JSON.parse` rather than a call across the boundary per property.
pub fn json_to_js(value: &impl Serialize) -> Result<JsValue> {
    let text = serde_json::to_vec(value).map_err(|_| unwritable())?;
    parse(&text)
}

fn parse(text: &[u8]) -> Result<JsValue> {
    let unreadable = || Error::decode("the value cannot be read back as JSON", "");
    let text = std::str::from_utf8(text).map_err(|_| unreadable())?;
    JSON::parse(text).map_err(|_| unreadable())
}

fn unwritable() -> Error {
    Error::decode("the value cannot be written as JSON", "")
}
