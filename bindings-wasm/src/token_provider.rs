//! The user's `tokenProvider` as the core's [`TokenProvider`] (built for wasm32 only: the native
//! build of this crate is compiled for checks alone, and its providers must be `Send`).

use ccpa_optout::{AccessToken, Error, Result, TokenFuture, TokenProvider};
use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::error::describe_thrown;
use crate::values::object;

/// The user's `tokenProvider({refresh})`: a sync or async JavaScript function returning the
/// access token, asked again with `refresh: true` after a 401.
#[derive(Debug)]
pub struct JsTokenProvider(pub Function);

impl JsTokenProvider {
    async fn token(&self, refresh: bool) -> Result<AccessToken> {
        let provider = &self.0;
        let failed = |thrown: JsValue| {
            Error::config(
                "tokenProvider",
                format!("the tokenProvider failed: {}", describe_thrown(&thrown)),
            )
        };
        let context = object(&[("refresh", refresh.into())]);
        let returned = provider
            .call1(&JsValue::UNDEFINED, &context)
            .map_err(failed)?;
        // `Promise.resolve` takes sync values and promises (or any thenable) alike.
        let token = JsFuture::from(Promise::resolve(&returned))
            .await
            .map_err(failed)?;
        let token = token.as_string().ok_or_else(|| {
            Error::config(
                "tokenProvider",
                "the tokenProvider must return (or resolve to) a string",
            )
        })?;
        AccessToken::new(token).map_err(|e| Error::config("tokenProvider", e.message()))
    }
}

// JavaScript functions live on one thread; the browser build of the core asks no `Send`, and
// only that build runs them (the native build is compiled for checks alone).
impl TokenProvider for JsTokenProvider {
    fn access_token(&self, refresh: bool) -> TokenFuture<'_> {
        Box::pin(self.token(refresh))
    }
}
