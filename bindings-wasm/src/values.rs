//! Plain JavaScript values to and from the core's types: profiles, changes, arguments, headers
//! and bodies.

use ccpa_optout::{Email, Error, OptOutChange, OptOutField, PKey, Profile, Result, opt_out_value};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::error::describe_thrown;
use crate::json::{json_from_js, json_to_js};

/// A profile as a plain object with every field under its ACS name (a lossless round trip).
pub(crate) fn profile_to_js(profile: &Profile, field: &OptOutField) -> Result<JsValue> {
    json_to_js(&profile.to_json(field))
}

pub(crate) fn profiles_to_js(profiles: &[Profile], field: &OptOutField) -> Result<JsValue> {
    let array = js_sys::Array::new();
    for profile in profiles {
        array.push(&profile_to_js(profile, field)?);
    }
    Ok(array.into())
}

/// `{pkey, previous, current, changed}`.
pub(crate) fn change_to_js(change: &OptOutChange) -> JsValue {
    let previous = change.previous.map_or(JsValue::NULL, JsValue::from);
    object(&[
        ("pkey", JsValue::from(change.pkey.as_str())),
        ("previous", previous),
        ("current", JsValue::from(change.current)),
        ("changed", JsValue::from(change.changed)),
    ])
}

/// A plain object with these properties, in this order.
pub(crate) fn object(properties: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in properties {
        // Defining a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from(*name), value);
    }
    object.into()
}

/// A required string argument; anything else (a number, `undefined`) is a `Validation` error
/// rather than being turned into text like `"undefined"`.
pub(crate) fn string_arg(value: &JsValue, field: &str) -> Result<String> {
    value
        .as_string()
        .ok_or_else(|| Error::validation(field, format!("{field} must be a string")))
}

pub(crate) fn pkey_arg(value: &JsValue) -> Result<PKey> {
    PKey::new(&string_arg(value, "pkey")?)
}

pub(crate) fn email_arg(value: &JsValue) -> Result<Email> {
    Email::new(&string_arg(value, "email")?)
}

/// An opt-out argument: only `true` or `false`; `"true"`, `1`, `null` are a `Validation` error
/// naming the opt-out field.
pub(crate) fn opt_out_arg(value: &JsValue, field: &OptOutField) -> Result<bool> {
    match value.as_bool() {
        Some(flag) => Ok(flag),
        None => opt_out_value(&json_from_js(value, field.as_str())?, field),
    }
}

/// The property `name` of an object; `undefined` and `null` mean "not given". A getter that
/// throws is a `Config` error on `name`.
pub(crate) fn property(object: &JsValue, name: &str) -> Result<Option<JsValue>> {
    let value = Reflect::get(object, &JsValue::from(name)).map_err(|thrown| {
        Error::config(
            name,
            format!("reading {name} failed: {}", describe_thrown(&thrown)),
        )
    })?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

/// Header pairs from `[[name, value], ...]`, anything iterable over pairs (`Headers`, `Map`), or
/// a plain object whose values are strings or arrays of strings (Node's `req.headers`).
pub(crate) fn header_pairs(headers: Option<JsValue>) -> Result<Vec<(String, String)>> {
    let Some(headers) = headers else {
        return Ok(Vec::new());
    };
    let refuse = || Error::validation("headers", "headers must be [name, value] string pairs");
    let entries: Vec<JsValue> = match js_sys::try_iter(&headers).map_err(|_| refuse())? {
        Some(iterator) => iterator
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| refuse())?,
        None => match headers.dyn_ref::<Object>() {
            Some(record) => Object::entries(record).iter().collect(),
            None => return Err(refuse()),
        },
    };
    let mut pairs = Vec::with_capacity(entries.len());
    for entry in &entries {
        let pair = entry
            .dyn_ref::<Array>()
            .filter(|p| p.length() == 2)
            .ok_or_else(refuse)?;
        let name = pair.get(0).as_string().ok_or_else(refuse)?;
        let value = pair.get(1);
        match value.dyn_ref::<Array>() {
            // A repeated header as Node.js keeps it (`set-cookie`, or any under `joinDuplicateHeaders: false`).
            Some(values) => {
                for value in values.iter() {
                    pairs.push((name.clone(), value.as_string().ok_or_else(refuse)?));
                }
            }
            None => pairs.push((name, value.as_string().ok_or_else(refuse)?)),
        }
    }
    Ok(pairs)
}

/// Bytes from a `Uint8Array`, an `ArrayBuffer` or a string (UTF-8); `field` names it in errors.
pub(crate) fn body_bytes(body: &JsValue, field: &str) -> Result<Vec<u8>> {
    if let Some(text) = body.as_string() {
        Ok(text.into_bytes())
    } else if let Some(bytes) = body.dyn_ref::<Uint8Array>() {
        Ok(bytes.to_vec())
    } else if let Some(buffer) = body.dyn_ref::<js_sys::ArrayBuffer>() {
        Ok(Uint8Array::new(buffer).to_vec())
    } else {
        Err(Error::validation(
            field,
            format!("{field} must be a Uint8Array, an ArrayBuffer, a string or null"),
        ))
    }
}
