//! The sans-IO request builders for bring-your-own-fetch users, and requests as plain objects.

use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, ClientSecret, Error, HttpRequest, OAuthCredentials,
    ProfileFields, Result, prepare_create_profile, prepare_delete_profile, prepare_find_by_email,
    prepare_follow_href, prepare_get_profile, prepare_list_profiles, prepare_profile_metadata,
    prepare_set_opt_out, prepare_token_request, prepare_update_profile,
};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::error::to_js_error;
use crate::json::json_from_js;
use crate::options::{api_config, list_options};
use crate::values::{email_arg, object, opt_out_arg, pkey_arg, property, string_arg};

/// A request as `{method, url, headers: [[name, value], ...], body: Uint8Array | null}`.
pub fn request_to_js(request: &HttpRequest) -> JsValue {
    let headers = Array::new();
    for (name, value) in request.headers() {
        let value = String::from_utf8_lossy(value.as_bytes());
        headers.push(&Array::of2(&name.as_str().into(), &value.as_ref().into()));
    }
    let body = if request.body().is_empty() {
        JsValue::NULL
    } else {
        Uint8Array::from(request.body().as_slice()).into()
    };
    object(&[
        ("method", request.method().as_str().into()),
        ("url", request.uri().to_string().into()),
        ("headers", headers.into()),
        ("body", body),
    ])
}

/// Reads the configuration, runs a builder with it and hands its request (or the error) to
/// JavaScript.
fn prepared(
    config: &JsValue,
    build: impl FnOnce(&ApiConfig, &AccessToken) -> Result<HttpRequest>,
) -> Result<JsValue, JsValue> {
    api_config(config)
        .and_then(|(api, token)| build(&api, &token))
        .map(|request| request_to_js(&request))
        .map_err(|err| to_js_error(&err))
}

/// `GET …/profile/{PKey}`.
#[wasm_bindgen(js_name = prepareGetProfile)]
pub fn js_prepare_get_profile(config: &JsValue, pkey: &JsValue) -> Result<JsValue, JsValue> {
    prepared(config, |api, token| {
        prepare_get_profile(api, token, &pkey_arg(pkey)?)
    })
}

/// `GET …/profile/byEmail?email=…` (the first page). The third argument is the listing
/// options `{pageSize?, order?, forcePagination?}`, or a page size alone (the 0.1 signature).
#[wasm_bindgen(js_name = prepareFindByEmail)]
pub fn js_prepare_find_by_email(
    config: &JsValue,
    email: &JsValue,
    options: &JsValue,
) -> Result<JsValue, JsValue> {
    prepared(config, |api, token| {
        let email = email_arg(email)?;
        let options = if options.as_f64().is_some() {
            object(&[("pageSize", options.clone())])
        } else {
            options.clone()
        };
        prepare_find_by_email(api, token, &email, &list_options(&options)?)
    })
}

/// `GET …/profile?_lineCount=…&_order=…` (the first page).
#[wasm_bindgen(js_name = prepareListProfiles)]
pub fn js_prepare_list_profiles(config: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    prepared(config, |api, token| {
        prepare_list_profiles(api, token, &list_options(options)?)
    })
}

/// `GET {href}` for a `next.href`/`count.href`, only on the configured origin.
#[wasm_bindgen(js_name = prepareFollowHref)]
pub fn js_prepare_follow_href(config: &JsValue, href: &JsValue) -> Result<JsValue, JsValue> {
    prepared(config, |api, token| {
        prepare_follow_href(api, token, &string_arg(href, "href")?)
    })
}

/// `POST …/profile`.
#[wasm_bindgen(js_name = prepareCreateProfile)]
pub fn js_prepare_create_profile(config: &JsValue, fields: &JsValue) -> Result<JsValue, JsValue> {
    prepared(config, |api, token| {
        let fields = ProfileFields::from_json(json_from_js(fields, "fields")?, &api.opt_out_field)?;
        prepare_create_profile(api, token, &fields)
    })
}

/// `PATCH …/profile/{PKey}` with only the opt-out field (a boolean, nothing else).
#[wasm_bindgen(js_name = prepareSetOptOut)]
pub fn js_prepare_set_opt_out(
    config: &JsValue,
    pkey: &JsValue,
    opted_out: &JsValue,
) -> Result<JsValue, JsValue> {
    prepared(config, |api, token| {
        let pkey = pkey_arg(pkey)?;
        let opted_out = opt_out_arg(opted_out, &api.opt_out_field)?;
        prepare_set_opt_out(api, token, &pkey, opted_out)
    })
}

/// `PATCH …/profile/{PKey}` with arbitrary writable fields.
#[wasm_bindgen(js_name = prepareUpdateProfile)]
pub fn js_prepare_update_profile(
    config: &JsValue,
    pkey: &JsValue,
    fields: &JsValue,
) -> Result<JsValue, JsValue> {
    prepared(config, |api, token| {
        let pkey = pkey_arg(pkey)?;
        let fields = ProfileFields::from_json(json_from_js(fields, "fields")?, &api.opt_out_field)?;
        prepare_update_profile(api, token, &pkey, &fields)
    })
}

/// `DELETE …/profile/{PKey}`.
#[wasm_bindgen(js_name = prepareDeleteProfile)]
pub fn js_prepare_delete_profile(config: &JsValue, pkey: &JsValue) -> Result<JsValue, JsValue> {
    prepared(config, |api, token| {
        prepare_delete_profile(api, token, &pkey_arg(pkey)?)
    })
}

/// `GET …/{api}/resourceType/profile`.
#[wasm_bindgen(js_name = prepareProfileMetadata)]
pub fn js_prepare_profile_metadata(config: &JsValue) -> Result<JsValue, JsValue> {
    prepared(config, prepare_profile_metadata)
}

/// `POST /ims/token/v3` (`client_credentials`) from `{clientId, clientSecret, scopes, tokenUrl?}`.
#[wasm_bindgen(js_name = prepareTokenRequest)]
pub fn js_prepare_token_request(credentials: &JsValue) -> Result<JsValue, JsValue> {
    let build = || {
        if !credentials.is_object() {
            return Err(Error::config(
                "clientId",
                "the credentials must be an object",
            ));
        }
        let text = |name: &str| -> Result<String> {
            property(credentials, name)?
                .and_then(|value| value.as_string())
                .ok_or_else(|| Error::config(name, format!("{name} must be a string")))
        };
        let client_id =
            ApiKey::new(text("clientId")?).map_err(|e| Error::config("clientId", e.message()))?;
        let secret = ClientSecret::new(text("clientSecret")?)?;
        let mut oauth = OAuthCredentials::new(client_id, secret, text("scopes")?)?;
        if property(credentials, "tokenUrl")?.is_some() {
            oauth = oauth.with_token_url(&text("tokenUrl")?)?;
        }
        prepare_token_request(&oauth)
    };
    build()
        .map(|request| request_to_js(&request))
        .map_err(|err| to_js_error(&err))
}
