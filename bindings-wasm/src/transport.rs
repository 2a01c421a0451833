//! The host I/O of the npm package: HTTP through the global `fetch` (gloo-net), waits through
//! `setTimeout`, the clock from `Date.now()`, tokens from the user's `tokenProvider`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ccpa_optout::{
    AccessToken, Error, HttpRequest, HttpResponse, RequestLimits, Result, Transport,
    TransportError, TransportErrorKind,
};
use gloo_net::http::{RequestBuilder, Response};
use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestRedirect, ResponseType};

use crate::error::describe_thrown;
use crate::values::object;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout, catch)]
    fn set_timeout(handler: &Function, millis: f64) -> std::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// The longest wait `setTimeout` supports; longer waits are cut to it.
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// The [`Transport`] of the npm package, in browsers and Node ≥ 18 alike.
///
/// Each request gets an `AbortController` aborted when its [`RequestLimits::timeout`] runs out
/// (the timer is cleared as soon as the exchange ends, so Node can exit); the body is read as a
/// stream and abandoned past [`RequestLimits::max_body_bytes`]; redirects are never followed,
/// since the token would travel with them.
#[derive(Debug, Default)]
pub struct FetchTransport {
    token_provider: Option<Function>,
}

impl FetchTransport {
    /// A transport whose [`Transport::access_token`] calls `token_provider({refresh})`, a sync
    /// or async JavaScript function returning the access token.
    pub fn new(token_provider: Option<Function>) -> Self {
        FetchTransport { token_provider }
    }
}

impl Transport for FetchTransport {
    async fn send(
        &self,
        request: HttpRequest,
    ) -> std::result::Result<HttpResponse, TransportError> {
        let limits = request
            .extensions()
            .get::<RequestLimits>()
            .copied()
            .unwrap_or(RequestLimits {
                timeout: ccpa_optout::DEFAULT_TIMEOUT,
                max_body_bytes: ccpa_optout::DEFAULT_MAX_BODY_BYTES,
            });
        let controller = AbortController::new().map_err(|_| {
            failure(
                TransportErrorKind::Other,
                "AbortController is not available",
            )
        })?;
        let deadline = Deadline::start(&controller, limits.timeout)?;
        match exchange(request, &controller, limits.max_body_bytes).await {
            Err(_) if deadline.expired.get() => Err(failure(
                TransportErrorKind::Timeout,
                &format!(
                    "no complete answer within {} ms",
                    limits.timeout.as_millis() as u64
                ),
            )),
            outcome => outcome,
        }
    }

    async fn sleep(&self, duration: Duration) {
        let millis = (duration.as_millis() as f64).min(MAX_TIMER_MS);
        let promise = Promise::new(&mut |resolve, _reject| {
            // Without timers there is no way to wait; the retry then simply comes at once.
            if set_timeout(&resolve, millis).is_err() {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        });
        let _ = JsFuture::from(promise).await;
    }

    fn now(&self) -> SystemTime {
        // `SystemTime::now()` panics on wasm32-unknown-unknown; JavaScript has the clock.
        let millis = js_sys::Date::now();
        let millis = if millis.is_finite() && millis > 0.0 {
            millis as u64
        } else {
            0
        };
        UNIX_EPOCH + Duration::from_millis(millis)
    }

    async fn access_token(&self, refresh: bool) -> Result<AccessToken> {
        let Some(provider) = &self.token_provider else {
            return Err(Error::config("tokenProvider", "no tokenProvider was given"));
        };
        let context = object(&[("refresh", refresh.into())]);
        let failed = |thrown: JsValue| {
            Error::config(
                "tokenProvider",
                format!("the tokenProvider failed: {}", describe_thrown(&thrown)),
            )
        };
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

/// Aborts the exchange when its time is up; clears its timer when dropped.
struct Deadline {
    handle: JsValue,
    expired: Rc<Cell<bool>>,
    _on_expiry: Closure<dyn FnMut()>,
}

impl Deadline {
    fn start(
        controller: &AbortController,
        timeout: Duration,
    ) -> std::result::Result<Self, TransportError> {
        let expired = Rc::new(Cell::new(false));
        let on_expiry = {
            let (controller, expired) = (controller.clone(), Rc::clone(&expired));
            Closure::<dyn FnMut()>::new(move || {
                expired.set(true);
                controller.abort();
            })
        };
        let millis = (timeout.as_millis() as f64).min(MAX_TIMER_MS);
        let handle = set_timeout(on_expiry.as_ref().unchecked_ref(), millis)
            .map_err(|_| failure(TransportErrorKind::Other, "setTimeout is not available"))?;
        Ok(Deadline {
            handle,
            expired,
            _on_expiry: on_expiry,
        })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.handle);
    }
}

async fn exchange(
    request: HttpRequest,
    controller: &AbortController,
    max_body_bytes: usize,
) -> std::result::Result<HttpResponse, TransportError> {
    let (parts, body) = request.into_parts();
    let mut builder = RequestBuilder::new(&parts.uri.to_string())
        .method(parts.method)
        .redirect(RequestRedirect::Manual)
        .abort_signal(Some(&controller.signal()));
    for (name, value) in &parts.headers {
        // The core only builds visible-ASCII header values.
        if let Ok(value) = value.to_str() {
            builder = builder.header(name.as_str(), value);
        }
    }
    let request = if body.is_empty() {
        builder.build()
    } else {
        builder.body(Uint8Array::from(body.as_slice()))
    }
    .map_err(|e| failure(TransportErrorKind::Other, &e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| failure(TransportErrorKind::Other, &e.to_string()))?;
    if response.type_() == ResponseType::Opaqueredirect {
        return Err(failure(
            TransportErrorKind::Other,
            "the server answered with a redirect, which is not followed (the credentials would go with it)",
        ));
    }
    let mut builder = http::Response::builder().status(response.status());
    for (name, value) in response.headers().entries() {
        builder = builder.header(name, value);
    }
    let body = read_body(&response, controller, max_body_bytes).await?;
    builder
        .body(body)
        .map_err(|_| failure(TransportErrorKind::Other, "the answer is not valid HTTP"))
}

/// Reads the body chunk by chunk, giving up (and aborting the download) past the cap.
async fn read_body(
    response: &Response,
    controller: &AbortController,
    max_body_bytes: usize,
) -> std::result::Result<Vec<u8>, TransportError> {
    let too_large = || {
        controller.abort();
        failure(
            TransportErrorKind::BodyTooLarge,
            &format!("the response body is larger than the {max_body_bytes}-byte limit"),
        )
    };
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > max_body_bytes) {
        return Err(too_large());
    }
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader = ReadableStreamDefaultReader::new(&stream)
        .map_err(|thrown| failure(TransportErrorKind::Other, &describe_thrown(&thrown)))?;
    let mut body = Vec::with_capacity(declared.unwrap_or(0));
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|thrown| failure(TransportErrorKind::Other, &describe_thrown(&thrown)))?;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            == Some(true)
        {
            return Ok(body);
        }
        let Some(bytes) = Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
        else {
            return Err(failure(
                TransportErrorKind::Other,
                "the body stream gave a non-byte chunk",
            ));
        };
        let start = body.len();
        if start + bytes.length() as usize > max_body_bytes {
            let _ = reader.cancel();
            return Err(too_large());
        }
        body.resize(start + bytes.length() as usize, 0);
        bytes.copy_to(&mut body[start..]);
    }
}

fn failure(kind: TransportErrorKind, message: &str) -> TransportError {
    TransportError::new(kind, message)
}
