//! The fetch transport's clock, timer and token provider, run in Node by
//! `wasm-bindgen-test-runner` (HTTP itself is tested against the emulator by the Node suites).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::{Duration, UNIX_EPOCH};

use ccpa_optout::{ErrorKind, TokenProvider, Transport};
use ccpa_optout_wasm::{FetchTransport, JsTokenProvider};
use js_sys::Function;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn now_is_javascripts_clock() {
    let before = js_sys::Date::now();
    let now = FetchTransport.now();
    let millis = now.duration_since(UNIX_EPOCH).unwrap().as_millis() as f64;
    assert!((millis - before).abs() < 1000.0, "{millis} vs {before}");
}

#[wasm_bindgen_test]
async fn sleep_waits_on_a_timer() {
    let start = js_sys::Date::now();
    FetchTransport.sleep(Duration::from_millis(60)).await;
    let waited = js_sys::Date::now() - start;
    assert!(waited >= 55.0, "waited only {waited} ms");
}

#[wasm_bindgen_test]
async fn the_token_provider_may_be_sync_or_async_and_is_told_about_refreshes() {
    let sync = Function::new_with_args("ctx", "return ctx.refresh ? 'tok-new' : 'tok-old'");
    let provider = JsTokenProvider(sync);
    assert_eq!(
        provider.access_token(false).await.unwrap().expose(),
        "tok-old"
    );
    assert_eq!(
        provider.access_token(true).await.unwrap().expose(),
        "tok-new"
    );
    let asynchronous = Function::new_with_args("ctx", "return Promise.resolve('tok-async')");
    let token = JsTokenProvider(asynchronous).access_token(false).await;
    assert_eq!(token.unwrap().expose(), "tok-async");
}

#[wasm_bindgen_test]
async fn a_failing_or_wrong_token_provider_is_a_config_error() {
    for body in [
        "throw new Error('vault is down')",
        "return Promise.reject(new TypeError('nope'))",
        "return 42",
        "return 'tok with spaces'",
    ] {
        let provider = Function::new_with_args("ctx", body);
        let err = JsTokenProvider(provider)
            .access_token(false)
            .await
            .unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Config, Some("tokenProvider")),
            "{body}"
        );
    }
    let thrown = Function::new_with_args("ctx", "throw new Error('vault is down')");
    let err = JsTokenProvider(thrown)
        .access_token(false)
        .await
        .unwrap_err();
    assert!(err.message().contains("vault is down"), "{}", err.message());
}
