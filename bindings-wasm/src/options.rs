//! JavaScript options objects read into the core's settings: the client's options, the
//! environment, the sans-IO configuration and listing options.
//!
//! Only JavaScript conversions happen here (a value's type, milliseconds to seconds, unknown
//! keys); every rule (one credential, scopes, ranges) is the core's [`ClientSettings`].

use std::sync::Arc;

use ccpa_optout::{
    AccessToken, ApiConfig, ClientConfig, ClientSettings, Error, ListOptions, OptOutField, Result,
    RetrySettings, Setting, TokenProvider,
};
use js_sys::{Function, Object};
use wasm_bindgen::{JsCast, JsValue};

use crate::values::property;

/// The options of `new CampaignClient(...)` besides the string settings of [`Setting`].
const CLIENT_KEYS: [&str; 5] = [
    "tokenProvider",
    "retry",
    "timeoutMs",
    "maxBodyBytes",
    "forcePagination",
];

/// The configuration object of the sans-IO `prepare*` functions.
const REQUEST_SETTINGS: [Setting; 6] = [
    Setting::Organization,
    Setting::ApiKey,
    Setting::AccessToken,
    Setting::BaseUrl,
    Setting::Api,
    Setting::OptOutField,
];

const RETRY_KEYS: [&str; 4] = [
    "maxAttempts",
    "baseDelayMs",
    "maxDelayMs",
    "maxRetryAfterMs",
];

/// The largest whole number a JavaScript number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The client's configuration from its options, every rule checked by the core. Unknown
/// options are refused, so a misspelt one is not ignored.
pub fn client_options(options: &JsValue) -> Result<ClientConfig> {
    client_config(&client_settings(options)?)
}

/// The core's configuration from settings, with the error naming the option a JavaScript user
/// set: the core's `timeout` (seconds) is `timeoutMs` here.
pub(crate) fn client_config(settings: &ClientSettings) -> Result<ClientConfig> {
    settings.client_config().map_err(|err| match err.field() {
        Some("timeout") => err.with_field("timeoutMs"),
        _ => err,
    })
}

/// The options object as settings, each value's type checked.
pub(crate) fn client_settings(options: &JsValue) -> Result<ClientSettings> {
    check_keys(options, "options", &Setting::ALL, &CLIENT_KEYS)?;
    let mut settings = string_settings(options)?;
    settings.token_provider = match property(options, "tokenProvider")? {
        Some(provider) => Some(js_token_provider(provider.dyn_into().map_err(|_| {
            Error::config("tokenProvider", "tokenProvider must be a function")
        })?)?),
        None => None,
    };
    settings.timeout = millis(options, "timeoutMs", "timeoutMs")?;
    settings.max_body_bytes = whole_number(options, "maxBodyBytes", "maxBodyBytes")?
        .map(|bytes| bytes.clamp(0.0, MAX_SAFE_INTEGER) as u64);
    settings.retry = property(options, "retry")?
        .map(|retry| retry_settings(&retry))
        .transpose()?;
    settings.force_pagination = boolean(options, "forcePagination")?;
    Ok(settings)
}

/// The settings an environment object holds (`process.env` when `env` is `undefined`; none
/// outside Node), by the core's table of variable names; empty values count as unset.
pub(crate) fn env_settings(env: &JsValue) -> Result<ClientSettings> {
    let env = if env.is_undefined() || env.is_null() {
        let process = js_sys::Reflect::get(&js_sys::global(), &"process".into()).ok();
        match process.and_then(|process| property(&process, "env").ok().flatten()) {
            Some(env) => env,
            None => return Ok(ClientSettings::default()),
        }
    } else if env.is_object() {
        env.clone()
    } else {
        return Err(Error::config(
            "env",
            "env must be an object such as process.env",
        ));
    };
    // A value that is not a string (a hand-made object) is refused under its setting's name.
    for setting in Setting::ALL {
        typed(&env, setting.env_var(), "a string", JsValue::as_string)
            .map_err(|err| Error::config(setting.field(), err.message()))?;
    }
    Ok(ClientSettings::from_lookup(|name| {
        property(&env, name)
            .ok()
            .flatten()
            .and_then(|value| value.as_string())
    }))
}

/// The user's function as the client's token source (only the wasm32 build runs JavaScript).
#[cfg(target_arch = "wasm32")]
fn js_token_provider(provider: Function) -> Result<Arc<dyn TokenProvider>> {
    Ok(Arc::new(crate::token_provider::JsTokenProvider(provider)))
}

#[cfg(not(target_arch = "wasm32"))]
fn js_token_provider(_provider: Function) -> Result<Arc<dyn TokenProvider>> {
    Err(Error::config(
        "tokenProvider",
        "a tokenProvider needs the WebAssembly build",
    ))
}

/// The sans-IO configuration `{organization, apiKey, accessToken, baseUrl?, api?, optOutField?}`.
pub fn api_config(config: &JsValue) -> Result<(ApiConfig, AccessToken)> {
    check_keys(config, "config", &REQUEST_SETTINGS, &[])?;
    let settings = string_settings(config)?;
    let api = settings.api_config()?;
    let token = settings
        .access_token
        .ok_or_else(|| Error::config("accessToken", "accessToken is required"))?;
    Ok((api, AccessToken::new(token)?))
}

/// The opt-out field named by an optional `{optOutField}` (the parse functions' options).
pub(crate) fn opt_out_field(options: &JsValue) -> Result<OptOutField> {
    if options.is_undefined() || options.is_null() {
        return Ok(OptOutField::default());
    }
    check_keys(options, "options", &[Setting::OptOutField], &[])?;
    match optional_string(options, "optOutField")? {
        Some(name) => OptOutField::new(name),
        None => Ok(OptOutField::default()),
    }
}

/// `{pageSize?, order?, forcePagination?}` of a listing, checked by the core before any page is
/// asked for.
pub(crate) fn list_options(options: &JsValue) -> Result<ListOptions> {
    if options.is_undefined() || options.is_null() {
        return Ok(ListOptions::default());
    }
    let as_validation =
        |err: Error| Error::validation(err.field().unwrap_or("options"), err.message());
    let keys = ["pageSize", "order", "forcePagination"];
    check_keys(options, "options", &[], &keys).map_err(as_validation)?;
    // Out-of-range sizes reach the core's own check, which names the allowed range.
    let size = whole_number(options, "pageSize", "pageSize").map_err(as_validation)?;
    let order = optional_string(options, "order").map_err(as_validation)?;
    let force = boolean(options, "forcePagination").map_err(as_validation)?;
    ListOptions::parse(
        size.map(|size| size.clamp(0.0, f64::from(u32::MAX)) as u32),
        order.as_deref(),
        force.unwrap_or(ListOptions::default().force_pagination),
    )
}

/// The string settings of [`Setting`] under their JavaScript names.
pub(crate) fn string_settings(object: &JsValue) -> Result<ClientSettings> {
    // The first error is kept and returned at the end rather than with `?` after each read,
    // which would give every read its own clean-up code in the module.
    let mut refused = None;
    let mut text = |setting: Setting| {
        optional_string(object, setting.field()).unwrap_or_else(|err| {
            refused.get_or_insert(err);
            None
        })
    };
    let mut settings = ClientSettings::default();
    for setting in Setting::ALL {
        settings.set(setting, text(setting));
    }
    refused.map_or(Ok(settings), Err)
}

/// `{maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs}`, each optional.
fn retry_settings(retry: &JsValue) -> Result<RetrySettings> {
    check_keys(retry, "retry", &[], &RETRY_KEYS)?;
    let attempts = whole_number(retry, "maxAttempts", "retry")?;
    Ok(RetrySettings {
        max_attempts: attempts.map(|n| n.clamp(0.0, f64::from(u32::MAX)) as u32),
        base_delay: millis(retry, "baseDelayMs", "retry")?,
        max_delay: millis(retry, "maxDelayMs", "retry")?,
        max_retry_after: millis(retry, "maxRetryAfterMs", "retry")?,
    })
}

/// Refuses a non-object and any own property that is neither one of `settings` (by its
/// JavaScript name) nor in `others`.
pub(crate) fn check_keys(
    object: &JsValue,
    field: &str,
    settings: &[Setting],
    others: &[&str],
) -> Result<()> {
    if !object.is_object() {
        return Err(Error::config(field, format!("{field} must be an object")));
    }
    let known = |key: &str| others.contains(&key) || settings.iter().any(|s| s.field() == key);
    let unknown = Object::keys(object.unchecked_ref::<Object>())
        .iter()
        .filter_map(|key| key.as_string())
        .find(|key| !known(key));
    match unknown {
        Some(unknown) => {
            let expected: Vec<&str> = settings
                .iter()
                .map(|s| s.field())
                .chain(others.iter().copied())
                .collect();
            Err(Error::config(
                field,
                format!(
                    "unknown option {unknown:?}; expected one of {}",
                    expected.join(", ")
                ),
            ))
        }
        None => Ok(()),
    }
}

fn optional_string(object: &JsValue, name: &str) -> Result<Option<String>> {
    typed(object, name, "a string", JsValue::as_string)
}

fn boolean(object: &JsValue, name: &str) -> Result<Option<bool>> {
    typed(object, name, "a boolean", JsValue::as_bool)
}

/// An optional property converted by `convert`; anything it refuses is a `Config` error saying
/// the property must be `what`.
fn typed<T>(
    object: &JsValue,
    name: &str,
    what: &str,
    convert: impl FnOnce(&JsValue) -> Option<T>,
) -> Result<Option<T>> {
    property(object, name)?
        .map(|value| {
            convert(&value).ok_or_else(|| Error::config(name, format!("{name} must be {what}")))
        })
        .transpose()
}

/// An optional whole number; errors name `field`. Callers clamp it into the range of the type
/// it becomes, and the core refuses what is out of its own range with a message that says so.
fn whole_number(object: &JsValue, name: &str, field: &str) -> Result<Option<f64>> {
    match property(object, name)? {
        None => Ok(None),
        Some(value) => match value.as_f64() {
            Some(n) if n.is_finite() && n.fract() == 0.0 => Ok(Some(n)),
            _ => Err(Error::config(
                field,
                format!("{name} must be a whole number"),
            )),
        },
    }
}

/// An optional whole number of milliseconds, as the core's seconds.
fn millis(object: &JsValue, name: &str, field: &str) -> Result<Option<f64>> {
    Ok(whole_number(object, name, field)?.map(|ms| ms / 1000.0))
}
