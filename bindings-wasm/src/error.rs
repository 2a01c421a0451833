//! The core's [`Error`] as a real JavaScript `Error` named `CcpaOptOutError`, and its guard.

use ccpa_optout::{Error, ErrorKind};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

/// The `name` of every error this package throws or rejects with.
pub const ERROR_NAME: &str = "CcpaOptOutError";

/// A JavaScript `Error` (so `instanceof Error`, a stack, `cause`-free) carrying the error model:
/// `name`, `kind`, `status`, `errorCode`, `retryable`, `field`, `retryAfter` (seconds), `excerpt`.
///
/// Absent context is `null` rather than missing, so every error has the same shape. The message
/// is the core's display form (`Kind (status code) [field]: message`), which never holds a
/// secret: the client scrubs its credentials from errors before they reach this point.
pub fn to_js_error(err: &Error) -> JsValue {
    let js = js_sys::Error::new(&err.to_string());
    js.set_name(ERROR_NAME);
    let text = |value: Option<&str>| value.map_or(JsValue::NULL, JsValue::from);
    let properties = [
        ("kind", JsValue::from(err.kind().as_str())),
        ("status", err.status().map_or(JsValue::NULL, JsValue::from)),
        ("errorCode", text(err.error_code())),
        ("retryable", JsValue::from(err.is_retryable())),
        ("field", text(err.field())),
        (
            "retryAfter",
            err.retry_after()
                .map_or(JsValue::NULL, |wait| JsValue::from(wait.as_secs_f64())),
        ),
        ("excerpt", text(err.excerpt())),
    ];
    for (name, value) in properties {
        // Setting a property on a fresh Error cannot fail; there is nothing to do if it did.
        let _ = Reflect::set(&js, &JsValue::from(name), &value);
    }
    restack(&js);
    js.into()
}

/// Where the engine has `Error.captureStackTrace` (V8: Node, Chromium), captures the stack
/// again so its first line reads `CcpaOptOutError: …` rather than `Error: …`.
fn restack(err: &js_sys::Error) {
    let constructor = js_sys::global()
        .dyn_into::<js_sys::Object>()
        .ok()
        .and_then(|global| Reflect::get(&global, &"Error".into()).ok())
        .and_then(|error| Reflect::get(&error, &"captureStackTrace".into()).ok())
        .and_then(|capture| capture.dyn_into::<js_sys::Function>().ok());
    if let Some(capture) = constructor {
        let _ = capture.call1(&JsValue::UNDEFINED, err);
    }
}

/// Whether `value` is an error from this package: an `Error` named `CcpaOptOutError` whose
/// `kind` is one of the contract's kinds.
#[wasm_bindgen(js_name = isCcpaOptOutError)]
pub fn is_ccpa_opt_out_error(value: &JsValue) -> bool {
    if !value.is_instance_of::<js_sys::Error>() {
        return false;
    }
    let text = |name: &str| {
        Reflect::get(value, &JsValue::from(name))
            .ok()
            .and_then(|v| v.as_string())
    };
    text("name").as_deref() == Some(ERROR_NAME)
        && text("kind").is_some_and(|kind| ErrorKind::ALL.iter().any(|k| k.as_str() == kind))
}

/// Describes a value JavaScript threw (a provider's rejection, a getter that threw) for an
/// error message: `Name: message` for errors, the string itself for strings, else its type.
pub(crate) fn describe_thrown(thrown: &JsValue) -> String {
    let described = if let Some(err) = thrown.dyn_ref::<js_sys::Error>() {
        format!(
            "{}: {}",
            String::from(err.name()),
            String::from(err.message())
        )
    } else if let Some(text) = thrown.as_string() {
        text
    } else {
        format!(
            "a thrown {}",
            thrown.js_typeof().as_string().unwrap_or_default()
        )
    };
    described.chars().take(200).collect()
}
