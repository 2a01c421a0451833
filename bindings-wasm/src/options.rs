//! Reading the options objects: client options and the sans-IO configuration.

use std::time::Duration;

use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, ApiName, BaseUrl, ClientConfig, ClientSecret, Credentials,
    Error, ListOptions, OAuthCredentials, OptOutField, Order, Organization, Result, RetryPolicy,
};
use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};

use crate::values::{keys, property};

/// The options of `new CampaignClient(...)`.
const CLIENT_KEYS: [&str; 14] = [
    "organization",
    "apiKey",
    "baseUrl",
    "api",
    "optOutField",
    "accessToken",
    "tokenProvider",
    "clientId",
    "clientSecret",
    "scopes",
    "tokenUrl",
    "retry",
    "timeoutMs",
    "maxBodyBytes",
];

/// The configuration object of the sans-IO `prepare*` functions.
const REQUEST_KEYS: [&str; 6] = [
    "organization",
    "apiKey",
    "accessToken",
    "baseUrl",
    "api",
    "optOutField",
];

const RETRY_KEYS: [&str; 4] = [
    "maxAttempts",
    "baseDelayMs",
    "maxDelayMs",
    "maxRetryAfterMs",
];

/// The longest wait `setTimeout` supports (2^31 - 1 ms, about 24.8 days).
const MAX_TIMER_MS: u32 = 2_147_483_647;

/// Client options as the core's configuration, plus the JavaScript token provider if one was
/// given (the client then asks it for tokens through the transport).
///
/// Exactly one credential is required: `accessToken`, `tokenProvider`, or OAuth
/// server-to-server `clientSecret` + `scopes` (with `clientId` defaulting to `apiKey` and
/// `tokenUrl` to Adobe IMS). Unknown options are refused, so a misspelt one is not ignored.
pub fn client_options(options: &JsValue) -> Result<ClientConfig> {
    check_keys(options, &CLIENT_KEYS, "options")?;
    let api = api_options(options)?;
    let token = optional_string(options, "accessToken")?;
    let provider = property(options, "tokenProvider")?;
    let secret = optional_string(options, "clientSecret")?;
    let given = [token.is_some(), provider.is_some(), secret.is_some()];
    if given.iter().filter(|&&g| g).count() > 1 {
        return Err(Error::config(
            "accessToken",
            "give only one of accessToken, tokenProvider or clientSecret",
        ));
    }
    for oauth_only in ["clientId", "scopes", "tokenUrl"] {
        if secret.is_none() && property(options, oauth_only)?.is_some() {
            return Err(Error::config(
                "clientSecret",
                format!("{oauth_only} is an OAuth setting and needs clientSecret"),
            ));
        }
    }
    let credentials = match (token, provider, secret) {
        (Some(token), _, _) => Credentials::AccessToken(AccessToken::new(token)?),
        (_, Some(provider), _) => {
            let provider = provider
                .dyn_into::<Function>()
                .map_err(|_| Error::config("tokenProvider", "tokenProvider must be a function"))?;
            js_token_provider(provider)?
        }
        (_, _, Some(secret)) => Credentials::OAuth(oauth(options, &api, secret)?),
        (None, None, None) => {
            return Err(Error::config(
                "accessToken",
                "no credentials: give accessToken, tokenProvider, or clientSecret and scopes",
            ));
        }
    };
    let mut config = ClientConfig::new(api, credentials);
    if let Some(retry) = property(options, "retry")? {
        config.retry = retry_policy(&retry)?;
    }
    if let Some(ms) = optional_number(options, "timeoutMs", 1, MAX_TIMER_MS)? {
        config.timeout = Duration::from_millis(ms as u64);
    }
    if let Some(bytes) = optional_number(options, "maxBodyBytes", 1, u32::MAX)? {
        config.max_body_bytes = bytes as usize;
    }
    Ok(config)
}

/// The user's function as the client's token source (only the wasm32 build runs JavaScript).
#[cfg(target_arch = "wasm32")]
fn js_token_provider(provider: Function) -> Result<Credentials> {
    let provider = crate::token_provider::JsTokenProvider(provider);
    Ok(Credentials::Provider(std::sync::Arc::new(provider)))
}

#[cfg(not(target_arch = "wasm32"))]
fn js_token_provider(_provider: Function) -> Result<Credentials> {
    Err(Error::config(
        "tokenProvider",
        "a tokenProvider needs the WebAssembly build",
    ))
}

/// The sans-IO configuration `{organization, apiKey, accessToken, baseUrl?, api?, optOutField?}`.
pub fn api_config(config: &JsValue) -> Result<(ApiConfig, AccessToken)> {
    check_keys(config, &REQUEST_KEYS, "config")?;
    let api = api_options(config)?;
    let token = optional_string(config, "accessToken")?
        .ok_or_else(|| Error::config("accessToken", "accessToken is required"))?;
    Ok((api, AccessToken::new(token)?))
}

/// The opt-out field named by an optional `{optOutField}` (the parse functions' options).
pub(crate) fn opt_out_field(options: &JsValue) -> Result<OptOutField> {
    if options.is_undefined() || options.is_null() {
        return Ok(OptOutField::default());
    }
    check_keys(options, &["optOutField"], "options")?;
    match optional_string(options, "optOutField")? {
        Some(name) => OptOutField::new(name),
        None => Ok(OptOutField::default()),
    }
}

/// `{pageSize?, order?, forcePagination?}` of a listing.
pub(crate) fn list_options(options: &JsValue) -> Result<ListOptions> {
    let mut list = ListOptions::default();
    if options.is_undefined() || options.is_null() {
        return Ok(list);
    }
    let keys = ["pageSize", "order", "forcePagination"];
    check_keys(options, &keys, "options").map_err(|e| Error::validation("options", e.message()))?;
    let size = whole_number(options, "pageSize")
        .map_err(|e| Error::validation("pageSize", e.message()))?;
    // Out-of-range sizes reach the core's own check, which names the allowed range.
    list.page_size = size.map(|size| size.clamp(0.0, f64::from(u32::MAX)) as u32);
    if let Some(order) = property(options, "order")? {
        let order = order.as_string().ok_or_else(|| {
            Error::validation("order", "order must be a string such as \"email desc\"")
        })?;
        list.order = Some(Order::parse(&order)?);
    }
    if let Some(force) = property(options, "forcePagination")? {
        list.force_pagination = force.as_bool().ok_or_else(|| {
            Error::validation("forcePagination", "forcePagination must be a boolean")
        })?;
    }
    Ok(list)
}

fn api_options(options: &JsValue) -> Result<ApiConfig> {
    let required = |name: &str| {
        optional_string(options, name)?
            .ok_or_else(|| Error::config(name, format!("{name} is required")))
    };
    let mut api = ApiConfig::new(
        Organization::new(required("organization")?)?,
        ApiKey::new(required("apiKey")?)?,
    );
    if let Some(url) = optional_string(options, "baseUrl")? {
        api = api.with_base_url(BaseUrl::new(&url)?);
    }
    if let Some(name) = optional_string(options, "api")? {
        api = api.with_api(name.parse::<ApiName>()?);
    }
    if let Some(field) = optional_string(options, "optOutField")? {
        api = api.with_opt_out_field(OptOutField::new(field)?);
    }
    Ok(api)
}

fn oauth(options: &JsValue, api: &ApiConfig, secret: String) -> Result<OAuthCredentials> {
    let client_id = match optional_string(options, "clientId")? {
        Some(id) => ApiKey::new(id).map_err(|e| Error::config("clientId", e.message()))?,
        None => api.api_key.clone(),
    };
    let scopes = optional_string(options, "scopes")?
        .ok_or_else(|| Error::config("scopes", "OAuth credentials need scopes"))?;
    let credentials = OAuthCredentials::new(client_id, ClientSecret::new(secret)?, scopes)?;
    match optional_string(options, "tokenUrl")? {
        Some(url) => credentials.with_token_url(&url),
        None => Ok(credentials),
    }
}

/// `{maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs}`, each optional.
fn retry_policy(retry: &JsValue) -> Result<RetryPolicy> {
    check_keys(retry, &RETRY_KEYS, "retry")?;
    let mut policy = RetryPolicy::default();
    if let Some(attempts) = optional_number(retry, "maxAttempts", 1, 100)? {
        policy.max_attempts = attempts as u32;
    }
    let millis = |name: &str| {
        optional_number(retry, name, 0, MAX_TIMER_MS)
            .map(|ms| ms.map(|ms| Duration::from_millis(ms as u64)))
    };
    if let Some(delay) = millis("baseDelayMs")? {
        policy.base_delay = delay;
    }
    if let Some(delay) = millis("maxDelayMs")? {
        policy.max_delay = delay;
    }
    if let Some(delay) = millis("maxRetryAfterMs")? {
        policy.max_retry_after = delay;
    }
    Ok(policy)
}

/// Refuses a non-object and any own property not in `allowed`.
fn check_keys(object: &JsValue, allowed: &[&str], field: &str) -> Result<()> {
    if !object.is_object() {
        return Err(Error::config(field, format!("{field} must be an object")));
    }
    match keys(object)
        .into_iter()
        .find(|key| !allowed.contains(&key.as_str()))
    {
        Some(unknown) => Err(Error::config(
            field,
            format!(
                "unknown option {unknown:?}; expected one of {}",
                allowed.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

fn optional_string(object: &JsValue, name: &str) -> Result<Option<String>> {
    match property(object, name)? {
        None => Ok(None),
        Some(value) => value
            .as_string()
            .map(Some)
            .ok_or_else(|| Error::config(name, format!("{name} must be a string"))),
    }
}

/// An optional whole number.
fn whole_number(object: &JsValue, name: &str) -> Result<Option<f64>> {
    match property(object, name)? {
        None => Ok(None),
        Some(value) => match value.as_f64() {
            Some(n) if n.is_finite() && n.fract() == 0.0 => Ok(Some(n)),
            _ => Err(Error::config(
                name,
                format!("{name} must be a whole number"),
            )),
        },
    }
}

/// An optional whole number within `[min, max]`.
fn optional_number(object: &JsValue, name: &str, min: u32, max: u32) -> Result<Option<f64>> {
    match whole_number(object, name)? {
        // Bounds are integers so that no float formatting code ends up in the module.
        Some(n) if !(f64::from(min)..=f64::from(max)).contains(&n) => Err(Error::config(
            name,
            format!("{name} must be a whole number from {min} to {max}"),
        )),
        n => Ok(n),
    }
}
