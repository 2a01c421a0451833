//! The host I/O of the npm package: HTTP through the global `fetch` (gloo-net), waits through
//! `setTimeout`, the clock from `Date.now()`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ccpa_optout::{
    HttpRequest, HttpResponse, RequestLimits, Transport, TransportError, TransportErrorKind,
};
use gloo_net::http::Response;
use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, ReadableStreamDefaultReader, RequestInit, RequestRedirect, ResponseType,
};

use crate::error::describe_thrown;
use crate::headers::answer_headers;
use crate::json::{json_from_js, json_to_js};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout, catch)]
    fn set_timeout(handler: &Function, millis: f64) -> std::result::Result<JsValue, JsValue>;
    /// `AbortSignal.timeout(ms)`: aborts by itself, and its timer never keeps Node running.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout, catch)]
    fn abort_after(millis: f64) -> std::result::Result<AbortSignal, JsValue>;
}

/// The longest wait `setTimeout` supports; longer waits are cut to it.
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// The [`Transport`] of the npm package, in browsers and Node ≥ 18 alike.
///
/// Each request carries an `AbortSignal.timeout` for its [`RequestLimits::timeout`]; a body
/// longer than [`RequestLimits::max_body_bytes`] is refused from its `Content-Length` or, without
/// one, read as a stream and abandoned past the cap; redirects are never followed, since the
/// token would travel with them.
#[derive(Debug, Default)]
pub struct FetchTransport;

impl Transport for FetchTransport {
    async fn send(
        &self,
        request: HttpRequest,
    ) -> std::result::Result<HttpResponse, TransportError> {
        let limits = RequestLimits::of(&request);
        let millis = (limits.timeout.as_millis() as f64).min(MAX_TIMER_MS);
        let deadline = abort_after(millis).map_err(|_| {
            failure(
                TransportErrorKind::Other,
                "AbortSignal.timeout is missing (Node >= 18 or a current browser is needed)",
            )
        })?;
        match exchange(request, &deadline, limits.max_body_bytes).await {
            // Nothing else aborts this signal: if it is aborted, the time ran out.
            Err(_) if deadline.aborted() => Err(failure(
                TransportErrorKind::Timeout,
                &format!("no complete answer within {} ms", millis as u64),
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
}

async fn exchange(
    request: HttpRequest,
    deadline: &AbortSignal,
    max_body_bytes: usize,
) -> std::result::Result<HttpResponse, TransportError> {
    let (parts, body) = request.into_parts();
    // One `Request` from an init object (gloo-net's builder would parse the URL and build the
    // request twice, which in Node costs more than all of the exchange's Rust work).
    let init = RequestInit::new();
    init.set_method(parts.method.as_str());
    init.set_redirect(RequestRedirect::Manual);
    init.set_signal(Some(deadline));
    // Headers cross as one JSON text, `[[name, value], ...]`, rather than a call per header.
    // The core only builds visible-ASCII header values.
    let pairs: Vec<[&str; 2]> = parts
        .headers
        .iter()
        .filter_map(|(name, value)| Some([name.as_str(), value.to_str().ok()?]))
        .collect();
    let headers = json_to_js(&pairs)
        .map_err(|_| failure(TransportErrorKind::Other, "the headers could not be passed"))?;
    init.set_headers(&headers);
    if !body.is_empty() {
        init.set_body(&Uint8Array::from(body.as_slice()));
    }
    let raw = web_sys::Request::new_with_str_and_init(&parts.uri.to_string(), &init)
        .map_err(|thrown| failure(TransportErrorKind::Other, &describe_thrown(&thrown)))?;
    let response = gloo_net::http::Request::from(raw)
        .send()
        .await
        .map_err(|e| failure(TransportErrorKind::Other, &e.to_string()))?;
    if response.type_() == ResponseType::Opaqueredirect {
        return Err(failure(
            TransportErrorKind::Other,
            "the server answered with a redirect, which is not followed (the credentials would go with it)",
        ));
    }
    // Read as a JSON value, not into a typed `Vec<(String, String)>`: typed serde decoding
    // brings its error-message formatting (floats included) into the module.
    let unreadable = || {
        failure(
            TransportErrorKind::Other,
            "the answer's headers are unreadable",
        )
    };
    let pairs = json_from_js(&Array::from(&response.headers().into_raw()), "headers")
        .map_err(|_| unreadable())?;
    let pairs = pairs
        .as_array()
        .ok_or_else(unreadable)?
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(name), Value::String(value)]) => {
                Ok((name.as_str(), value.as_str()))
            }
            _ => Err(unreadable()),
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let invalid = || failure(TransportErrorKind::Other, "the answer is not valid HTTP");
    let headers = answer_headers(&pairs).map_err(|_| invalid())?;
    let status = http::StatusCode::from_u16(response.status()).map_err(|_| invalid())?;
    let body = read_body(response, max_body_bytes).await?;
    let mut answer = http::Response::new(body);
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    Ok(answer)
}

/// Reads the body: in one piece when its declared length fits the cap, else chunk by chunk,
/// giving up (and cancelling the download) past the cap.
async fn read_body(
    response: Response,
    max_body_bytes: usize,
) -> std::result::Result<Vec<u8>, TransportError> {
    let too_large = || {
        failure(
            TransportErrorKind::BodyTooLarge,
            &format!("the response body is larger than the {max_body_bytes}-byte limit"),
        )
    };
    let headers = response.headers();
    let declared = headers
        .get("content-length")
        .and_then(|v| v.parse::<usize>().ok())
        // A compressed body's length says nothing about its size once fetch has inflated it.
        .filter(|_| {
            headers
                .get("content-encoding")
                .is_none_or(|e| e == "identity")
        });
    match declared {
        Some(length) if length > max_body_bytes => return Err(too_large()),
        Some(_) => {
            return response
                .binary()
                .await
                .map_err(|e| failure(TransportErrorKind::Other, &e.to_string()));
        }
        None => {}
    }
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader = ReadableStreamDefaultReader::new(&stream)
        .map_err(|thrown| failure(TransportErrorKind::Other, &describe_thrown(&thrown)))?;
    let mut body = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|thrown| failure(TransportErrorKind::Other, &describe_thrown(&thrown)))?;
        let field = |name: &str| Reflect::get(&chunk, &name.into()).ok();
        if field("done").and_then(|done| done.as_bool()) == Some(true) {
            return Ok(body);
        }
        let Some(bytes) = field("value").and_then(|v| v.dyn_into::<Uint8Array>().ok()) else {
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
