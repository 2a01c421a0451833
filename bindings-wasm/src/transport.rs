//! The host I/O of the npm package: HTTP through the global `fetch`, waits through `setTimeout`,
//! the clock from `Date.now()`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ccpa_optout::{
    HttpRequest, HttpResponse, RequestLimits, Transport, TransportError, TransportErrorKind,
};
use js_sys::{Array, ArrayBuffer, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, ReadableStreamDefaultReader, RequestInit, RequestRedirect, Response, ResponseType,
};

use crate::error::describe_thrown;
use crate::headers::answer_headers;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout, catch)]
    fn set_timeout(handler: &Function, millis: f64) -> std::result::Result<JsValue, JsValue>;
    /// `AbortSignal.timeout(ms)`: aborts by itself, and its timer never keeps Node running.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout, catch)]
    fn abort_after(millis: f64) -> std::result::Result<AbortSignal, JsValue>;
    /// `fetch(url, init)`: given the URL and the init rather than a `Request` built first, so the
    /// runtime builds one `Request` (and one signal that follows ours), not two.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn fetch_with_init(url: &str, init: &RequestInit) -> std::result::Result<Promise, JsValue>;
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
    // The init object as `fetch` takes it: no `Request` of ours (undici would copy it into a
    // second one with a second signal following ours, which costs more than all of the
    // exchange's Rust work).
    let init = RequestInit::new();
    init.set_method(parts.method.as_str());
    init.set_redirect(RequestRedirect::Manual);
    init.set_signal(Some(deadline));
    // A `Headers` filled here rather than a JSON text parsed on the other side: fewer steps in
    // the runtime, which copies whatever it is given into its own list anyway.
    let headers = web_sys::Headers::new().map_err(thrown)?;
    for (name, value) in &parts.headers {
        // The core only builds visible-ASCII header values.
        if let Ok(value) = value.to_str() {
            headers.append(name.as_str(), value).map_err(thrown)?;
        }
    }
    init.set_headers(&headers);
    if !body.is_empty() {
        init.set_body(&Uint8Array::from(body.as_slice()));
    }
    let fetched = fetch_with_init(&parts.uri.to_string(), &init).map_err(thrown)?;
    // A `fetch` replaced by the page or a test may resolve to anything.
    let response: Response = JsFuture::from(fetched)
        .await
        .map_err(thrown)?
        .dyn_into()
        .map_err(|_| {
            failure(
                TransportErrorKind::Other,
                "fetch did not answer with a Response",
            )
        })?;
    if response.type_() == ResponseType::Opaqueredirect {
        return Err(failure(
            TransportErrorKind::Other,
            "the server answered with a redirect, which is not followed (the credentials would go with it)",
        ));
    }
    let text = header_text(&response);
    let pairs = header_pairs(&text).ok_or_else(|| {
        failure(
            TransportErrorKind::Other,
            "the answer's headers are unreadable",
        )
    })?;
    let invalid = || failure(TransportErrorKind::Other, "the answer is not valid HTTP");
    let headers = answer_headers(&pairs).map_err(|_| invalid())?;
    let status = http::StatusCode::from_u16(response.status()).map_err(|_| invalid())?;
    let body = read_body(&response, &headers, max_body_bytes).await?;
    let mut answer = http::Response::new(body);
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    Ok(answer)
}

/// The answer's headers in one crossing: `Array.from(headers).join("\n")`, a `name,value`
/// line per header (the runtime gives names in lower case and joins repeated ones).
fn header_text(response: &Response) -> String {
    Array::from(&response.headers()).join("\n").into()
}

/// The `(name, value)` pairs of [`header_text`]. Neither a name nor a value can hold a newline,
/// and a name (an HTTP token) never holds a comma, so each line splits at its first comma.
fn header_pairs(text: &str) -> Option<Vec<(&str, &str)>> {
    text.split('\n')
        .filter(|line| !line.is_empty())
        .map(|line| line.split_once(','))
        .collect()
}

/// Reads the body: in one piece when its declared length fits the cap, else chunk by chunk,
/// giving up (and cancelling the download) past the cap.
async fn read_body(
    response: &Response,
    headers: &http::HeaderMap,
    max_body_bytes: usize,
) -> std::result::Result<Vec<u8>, TransportError> {
    let too_large = || {
        failure(
            TransportErrorKind::BodyTooLarge,
            &format!("the response body is larger than the {max_body_bytes}-byte limit"),
        )
    };
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let declared = header(http::header::CONTENT_LENGTH)
        .and_then(|v| v.parse::<usize>().ok())
        // A compressed body's length says nothing about its size once fetch has inflated it.
        .filter(|_| header(http::header::CONTENT_ENCODING).is_none_or(|e| e == "identity"));
    match declared {
        Some(length) if length > max_body_bytes => return Err(too_large()),
        Some(_) => {
            let buffer: ArrayBuffer = JsFuture::from(response.array_buffer().map_err(thrown)?)
                .await
                .map_err(thrown)?
                .unchecked_into();
            return Ok(Uint8Array::new(&buffer).to_vec());
        }
        None => {}
    }
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader = ReadableStreamDefaultReader::new(&stream).map_err(thrown)?;
    let mut body = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(thrown)?;
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

/// What a JavaScript call threw, as a transport failure.
fn thrown(value: JsValue) -> TransportError {
    failure(TransportErrorKind::Other, &describe_thrown(&value))
}

fn failure(kind: TransportErrorKind, message: &str) -> TransportError {
    TransportError::new(kind, message)
}
