//! The conversions between JavaScript values and the core's types, run in Node by
//! `wasm-bindgen-test-runner` (`scripts/test-js.sh` sets it as the wasm32 cargo runner).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ccpa_optout::{Credentials, Error, ErrorKind, RetryPolicy};
use ccpa_optout_wasm::{
    api_config, camel_case_to_js, client_options, is_ccpa_opt_out_error, json_from_js, json_to_js,
    request_to_js, response_from_js, to_js_error,
};
use js_sys::{JSON, Reflect, Uint8Array};
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(source: &str) -> JsValue {
    JSON::parse(source).unwrap()
}

fn get(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &name.into()).unwrap()
}

fn with(object: &JsValue, name: &str, value: JsValue) -> JsValue {
    Reflect::set(object, &name.into(), &value).unwrap();
    object.clone()
}

#[wasm_bindgen_test]
fn errors_become_real_errors_with_the_contract_properties() {
    let core = Error::http_status(429, Some("RST-1".into()), "slow down")
        .with_retry_after(Some(std::time::Duration::from_secs(3)));
    let err = to_js_error(&core);
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "name").as_string().unwrap(), "CcpaOptOutError");
    assert_eq!(get(&err, "kind").as_string().unwrap(), "RateLimited");
    assert_eq!(get(&err, "status").as_f64(), Some(429.0));
    assert_eq!(get(&err, "errorCode").as_string().unwrap(), "RST-1");
    assert_eq!(get(&err, "retryable").as_bool(), Some(true));
    assert_eq!(get(&err, "retryAfter").as_f64(), Some(3.0));
    assert!(get(&err, "field").is_null());
    let message = get(&err, "message").as_string().unwrap();
    assert_eq!(message, "RateLimited (429 RST-1): slow down");
    let json = JSON::stringify(&err).unwrap().as_string().unwrap();
    assert!(json.contains(r#""kind":"RateLimited""#), "{json}");
}

#[wasm_bindgen_test]
fn the_guard_accepts_only_errors_of_this_package() {
    assert!(is_ccpa_opt_out_error(&to_js_error(&Error::validation(
        "pkey", "bad"
    ))));
    assert!(!is_ccpa_opt_out_error(&js_sys::Error::new("plain").into()));
    let lookalike = js(r#"{"name": "CcpaOptOutError", "kind": "Validation"}"#);
    assert!(!is_ccpa_opt_out_error(&lookalike), "not an Error instance");
    let unknown_kind = to_js_error(&Error::validation("pkey", "bad"));
    with(&unknown_kind, "kind", "Teapot".into());
    assert!(!is_ccpa_opt_out_error(&unknown_kind));
    assert!(!is_ccpa_opt_out_error(&JsValue::NULL));
}

#[wasm_bindgen_test]
fn json_crosses_both_ways_and_unwritable_values_are_validation_errors() {
    let value = js(r#"{"a": [1, 2.5, "x", null, true], "b": {"c": "é"}}"#);
    let json = json_from_js(&value, "fields").unwrap();
    assert_eq!(
        json,
        json!({"a": [1, 2.5, "x", null, true], "b": {"c": "é"}})
    );
    let back = json_to_js(&json).unwrap();
    assert_eq!(
        JSON::stringify(&back).unwrap(),
        JSON::stringify(&value).unwrap()
    );
    assert_eq!(json_from_js(&JsValue::UNDEFINED, "x").unwrap(), json!(null));
    let big = js_sys::BigInt::from(5u64);
    let err = json_from_js(&big.into(), "fields").unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Validation, Some("fields"))
    );
}

#[wasm_bindgen_test]
fn signal_results_get_camel_case_keys_in_order_and_keep_their_values() {
    #[derive(serde::Serialize)]
    struct Decision {
        section_ids: Vec<u8>,
        says: &'static str,
        not_opted_out: Vec<&'static str>,
    }
    let decision = Decision {
        section_ids: vec![7, 8],
        says: "not_opted_out",
        not_opted_out: vec!["gpp_usco"],
    };
    let value = camel_case_to_js(&decision).unwrap();
    assert_eq!(
        String::from(JSON::stringify(&value).unwrap()),
        r#"{"sectionIds":[7,8],"says":"not_opted_out","notOptedOut":["gpp_usco"]}"#
    );
    let nested = camel_case_to_js(&json!({"sections": {"usco": {"sale_opt_out": 1}}})).unwrap();
    assert_eq!(
        String::from(JSON::stringify(&nested).unwrap()),
        r#"{"sections":{"usco":{"saleOptOut":1}}}"#
    );
}

#[wasm_bindgen_test]
fn camel_case_keys_drop_every_underscore_even_doubled_leading_trailing_or_after_an_escape() {
    // In key order already, so the map's own ordering does not matter.
    let odd = json!({"__lead": 1, "a__b": 2, "q\"x_y": "v_w", "trail_": [true, null]});
    let value = camel_case_to_js(&odd).unwrap();
    assert_eq!(
        String::from(JSON::stringify(&value).unwrap()),
        r#"{"Lead":1,"aB":2,"q\"xY":"v_w","trail":[true,null]}"#
    );
}

fn base_options() -> JsValue {
    js(r#"{"organization": "acme", "apiKey": "key-123456", "baseUrl": "http://127.0.0.1:1"}"#)
}

#[wasm_bindgen_test]
fn client_options_take_exactly_one_kind_of_credentials() {
    let token = with(&base_options(), "accessToken", "tok-123456".into());
    let config = client_options(&token).unwrap();
    assert!(matches!(config.credentials, Credentials::AccessToken(_)));
    assert_eq!(config.api.base_url.as_str(), "http://127.0.0.1:1");

    let function = js_sys::Function::new_no_args("return 'x'");
    let provided = with(&base_options(), "tokenProvider", function.into());
    let config = client_options(&provided).unwrap();
    assert!(matches!(config.credentials, Credentials::Provider(_)));

    let oauth = base_options();
    with(&oauth, "clientSecret", "s3cret-value".into());
    with(&oauth, "scopes", "openid,campaign_sdk".into());
    with(&oauth, "tokenUrl", "http://127.0.0.1:1/ims/token/v3".into());
    let config = client_options(&oauth).unwrap();
    let Credentials::OAuth(credentials) = config.credentials else {
        panic!("expected OAuth credentials");
    };
    assert_eq!(
        credentials.client_id.expose(),
        "key-123456",
        "clientId defaults to apiKey"
    );
    assert_eq!(credentials.token_url(), "http://127.0.0.1:1/ims/token/v3");

    let both = with(&token.clone(), "clientSecret", "s3cret-value".into());
    assert_eq!(client_options(&both).unwrap_err().kind(), ErrorKind::Config);
    let none = client_options(&base_options()).unwrap_err();
    assert_eq!(
        (none.kind(), none.field()),
        (ErrorKind::Config, Some("accessToken"))
    );
    let not_a_function = with(&base_options(), "tokenProvider", "abc".into());
    assert_eq!(
        client_options(&not_a_function).unwrap_err().field(),
        Some("tokenProvider")
    );
    let scopes_alone = with(&token_options(), "scopes", "x".into());
    assert_eq!(
        client_options(&scopes_alone).unwrap_err().field(),
        Some("clientSecret")
    );
}

fn token_options() -> JsValue {
    with(&base_options(), "accessToken", "tok-123456".into())
}

#[wasm_bindgen_test]
fn misspelt_and_mistyped_options_are_config_errors_without_secrets() {
    let typo = with(&token_options(), "acessToken", "x".into());
    let err = client_options(&typo).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.message().contains("acessToken"), "{}", err.message());
    for (name, value) in [
        ("organization", JsValue::from(5)),
        ("timeoutMs", JsValue::from(-1)),
        ("timeoutMs", JsValue::from(1.5)),
        ("maxBodyBytes", JsValue::from("big")),
        ("api", JsValue::from("profilesAndServices")),
    ] {
        let bad = with(&token_options(), name, value);
        let err = client_options(&bad).unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Config, Some(name)),
            "{name}"
        );
    }
    let bad_token = with(&base_options(), "accessToken", "tok\r\nX-Evil: 1".into());
    let err = client_options(&bad_token).unwrap_err();
    assert!(!err.message().contains("X-Evil") && !err.to_string().contains("tok\r"));
    assert_eq!(
        client_options(&JsValue::from("acme")).unwrap_err().kind(),
        ErrorKind::Config
    );
}

#[wasm_bindgen_test]
fn retry_and_timeout_options_reach_the_core_configuration() {
    let options = token_options();
    with(
        &options,
        "retry",
        js(r#"{"maxAttempts": 2, "baseDelayMs": 10, "maxDelayMs": 50, "maxRetryAfterMs": 1000}"#),
    );
    with(&options, "timeoutMs", 1500.into());
    with(&options, "maxBodyBytes", 4096.into());
    let config = client_options(&options).unwrap();
    assert_eq!(
        config.retry,
        RetryPolicy {
            max_attempts: 2,
            base_delay: std::time::Duration::from_millis(10),
            max_delay: std::time::Duration::from_millis(50),
            max_retry_after: std::time::Duration::from_secs(1),
        }
    );
    assert_eq!(config.timeout, std::time::Duration::from_millis(1500));
    assert_eq!(config.max_body_bytes, 4096);
    let zero_attempts = with(&token_options(), "retry", js(r#"{"maxAttempts": 0}"#));
    assert_eq!(
        client_options(&zero_attempts).unwrap_err().field(),
        Some("retry")
    );
    let longest = with(&token_options(), "timeoutMs", 2_147_483_647.into());
    assert_eq!(
        client_options(&longest).unwrap().timeout,
        ccpa_optout::MAX_TIMEOUT
    );
    let too_long = with(&token_options(), "timeoutMs", 2_147_483_648_u32.into());
    assert_eq!(
        client_options(&too_long).unwrap_err().field(),
        Some("timeoutMs"),
        "the core's timeout, named as JavaScript sets it"
    );
    let unknown = with(&token_options(), "retry", js(r#"{"attempts": 3}"#));
    assert_eq!(client_options(&unknown).unwrap_err().field(), Some("retry"));
}

#[wasm_bindgen_test]
fn the_sans_io_configuration_needs_a_token() {
    let (api, token) = api_config(&token_options()).unwrap();
    assert_eq!(api.organization.as_str(), "acme");
    assert_eq!(token.expose(), "tok-123456");
    assert_eq!(
        api_config(&base_options()).unwrap_err().field(),
        Some("accessToken")
    );
}

#[wasm_bindgen_test]
fn requests_become_plain_objects_with_header_pairs_and_byte_bodies() {
    let request = http::Request::builder()
        .method("PATCH")
        .uri("http://127.0.0.1:1/acme/campaign/profileAndServices/profile/@a")
        .header("x-api-key", "k")
        .body(br#"{"ccpaOptOut":true}"#.to_vec())
        .unwrap();
    let object = request_to_js(&request);
    assert_eq!(get(&object, "method").as_string().unwrap(), "PATCH");
    let headers = JSON::stringify(&get(&object, "headers")).unwrap();
    assert_eq!(String::from(headers), r#"[["x-api-key","k"]]"#);
    let body = get(&object, "body").dyn_into::<Uint8Array>().unwrap();
    assert_eq!(body.to_vec(), br#"{"ccpaOptOut":true}"#);
    let get_request = http::Request::get("http://127.0.0.1:1/")
        .body(Vec::new())
        .unwrap();
    assert!(get(&request_to_js(&get_request), "body").is_null());
}

#[wasm_bindgen_test]
fn responses_are_read_from_pairs_maps_and_records_with_any_body_type() {
    let pairs = js(r#"{"status": 200, "headers": [["Retry-After", "2"]], "body": "{}"}"#);
    let response = response_from_js(&pairs).unwrap();
    assert_eq!(response.headers()["retry-after"], "2");
    assert_eq!(response.body(), b"{}");

    let map = js_sys::Map::new();
    map.set(&"content-type".into(), &"application/json".into());
    let object = js(r#"{"status": 404}"#);
    with(&object, "headers", map.into());
    with(&object, "body", Uint8Array::from(&b"[1]"[..]).into());
    let response = response_from_js(&object).unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.body(), b"[1]");

    // Only the headers the core reads are handed to it (in any case); the rest are dropped.
    let kept = js(
        r#"{"status": 503, "headers": [["RETRY-AFTER", "4"], ["X-Request-Id", "r1"], ["Date", "Wed, 21 Oct 2015 07:28:00 GMT"]]}"#,
    );
    let response = response_from_js(&kept).unwrap();
    assert_eq!(response.headers()["retry-after"], "4");
    assert_eq!(response.headers()["date"], "Wed, 21 Oct 2015 07:28:00 GMT");
    assert_eq!(response.headers().len(), 2);

    let record = js(r#"{"status": 204, "headers": {"x-a": "1"}, "body": null}"#);
    let buffer = js_sys::ArrayBuffer::new(2);
    let response = response_from_js(&record).unwrap();
    assert!(response.body().is_empty());
    with(&record, "body", buffer.into());
    assert_eq!(response_from_js(&record).unwrap().body(), &[0, 0]);

    for bad in [
        r#"{"status": 42}"#,
        r#"{"status": "200"}"#,
        r#"{"status": 200, "headers": [["a"]]}"#,
        r#"{"status": 200, "headers": [["bad name", "x"]]}"#,
        r#"{"status": 200, "headers": [["", "x"]]}"#,
        r#"{"status": 200, "headers": [["x-dropped", "line\nbreak"]]}"#,
        r#"{"status": 200, "body": 12}"#,
    ] {
        let err = response_from_js(&js(bad)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{bad}");
    }
}
