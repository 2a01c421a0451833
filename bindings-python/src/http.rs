//! `Request` and `Response`: the plain HTTP values that cross between the core and Python I/O.

use ccpa_optout::{HttpRequest, HttpResponse, RequestLimits};
use http::{HeaderName, HeaderValue, StatusCode};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString, PyTuple};

/// Header names whose values are credentials: shown as `***` by `repr()`.
const SENSITIVE_HEADERS: [&str; 2] = ["authorization", "x-api-key"];

/// A request for the transport to send: method, absolute URL, headers, body and limits.
#[pyclass(frozen, module = "ccpa_optout", name = "Request")]
pub struct Request {
    /// `GET`, `POST`, `PATCH` or `DELETE`.
    #[pyo3(get)]
    method: String,
    /// The absolute URL, query included.
    #[pyo3(get)]
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Py<PyBytes>>,
    /// Seconds the whole exchange may take (`None`: no limit was set).
    #[pyo3(get)]
    timeout: Option<f64>,
    /// The largest response body to accept, in bytes (`None`: no limit was set).
    #[pyo3(get)]
    max_body_bytes: Option<usize>,
}

impl Request {
    /// The Python view of a request built by the core.
    pub(crate) fn from_http(py: Python<'_>, request: &HttpRequest) -> Request {
        let limits = request.extensions().get::<RequestLimits>();
        let body = request.body();
        Request {
            method: request.method().as_str().to_owned(),
            url: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), header_text(value.as_bytes())))
                .collect(),
            body: (!body.is_empty()).then(|| PyBytes::new(py, body).unbind()),
            timeout: limits.map(|l| l.timeout.as_secs_f64()),
            max_body_bytes: limits.map(|l| l.max_body_bytes),
        }
    }
}

#[pymethods]
impl Request {
    #[new]
    #[pyo3(signature = (method, url, headers = None, body = None, timeout = None, max_body_bytes = None))]
    fn new(
        method: String,
        url: String,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        timeout: Option<f64>,
        max_body_bytes: Option<usize>,
    ) -> PyResult<Self> {
        Ok(Request {
            method,
            url,
            headers: headers.map(header_pairs).transpose()?.unwrap_or_default(),
            body: body.map(to_bytes).transpose()?,
            timeout,
            max_body_bytes,
        })
    }

    /// The headers as `(name, value)` pairs, names in lower case.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, &self.headers)
    }

    /// The body, or `None` for a request without one (GET, DELETE).
    #[getter]
    fn body(&self, py: Python<'_>) -> Option<Py<PyBytes>> {
        self.body.as_ref().map(|b| b.clone_ref(py))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut headers = Vec::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            let shown = if SENSITIVE_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                "***"
            } else {
                value
            };
            headers.push(format!("({}, {})", quoted(py, name)?, quoted(py, shown)?));
        }
        // The body is never shown: the token request's body holds the client secret.
        let body = match &self.body {
            Some(b) => format!("<{} bytes>", b.bind(py).as_bytes().len()),
            None => "None".to_owned(),
        };
        Ok(format!(
            "Request(method={}, url={}, headers=[{}], body={body})",
            quoted(py, &self.method)?,
            quoted(py, &self.url)?,
            headers.join(", ")
        ))
    }
}

/// A string as Python's `repr()` writes it.
pub(crate) fn quoted(py: Python<'_>, text: &str) -> PyResult<String> {
    Ok(PyString::new(py, text).repr()?.to_cow()?.into_owned())
}

/// What a transport returns: the status, the headers and the raw body, whatever the status.
#[pyclass(frozen, module = "ccpa_optout", name = "Response")]
pub struct Response {
    /// The HTTP status code.
    #[pyo3(get)]
    status: u16,
    headers: Vec<(String, String)>,
    body: Py<PyBytes>,
}

impl Response {
    /// The answer as the core reads it. Header lines that HTTP forbids are left out.
    pub(crate) fn to_http(&self, py: Python<'_>) -> HttpResponse {
        let mut response = http::Response::new(self.body.bind(py).as_bytes().to_vec());
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let headers = response.headers_mut();
        for (name, value) in &self.headers {
            let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_bytes(&header_bytes(value)),
            ) else {
                continue;
            };
            headers.append(name, value);
        }
        response
    }
}

#[pymethods]
impl Response {
    #[new]
    #[pyo3(signature = (status, headers = None, body = None))]
    fn new(
        py: Python<'_>,
        status: u16,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        if StatusCode::from_u16(status).is_err() {
            return Err(PyValueError::new_err(format!(
                "{status} is not an HTTP status code (100 to 999)"
            )));
        }
        let body = match body {
            Some(body) => to_bytes(body)?,
            None => PyBytes::new(py, b"").unbind(),
        };
        Ok(Response {
            status,
            headers: headers.map(header_pairs).transpose()?.unwrap_or_default(),
            body,
        })
    }

    /// The headers as `(name, value)` pairs, in the order given.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, &self.headers)
    }

    /// The raw body.
    #[getter]
    fn body(&self, py: Python<'_>) -> Py<PyBytes> {
        self.body.clone_ref(py)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Response(status={}, headers=<{} headers>, body=<{} bytes>)",
            self.status,
            self.headers.len(),
            self.body.bind(py).as_bytes().len()
        )
    }
}

/// Headers given as a mapping (anything with `items()`) or as an iterable of pairs.
pub(crate) fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let pairs = match headers.getattr("items") {
        Ok(items)
            if !headers.is_instance_of::<PyList>() && !headers.is_instance_of::<PyTuple>() =>
        {
            items.call0()?
        }
        _ => headers.clone(),
    };
    let mut out = Vec::new();
    for pair in pairs.try_iter()? {
        let pair = pair?;
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair.extract().map_err(|_| {
            PyTypeError::new_err("headers must be a mapping or an iterable of (name, value) pairs")
        })?;
        out.push((text_of(&name)?, text_of(&value)?));
    }
    Ok(out)
}

fn text_of(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(header_text(b.as_bytes()));
    }
    Err(PyTypeError::new_err(
        "header names and values must be str or bytes",
    ))
}

fn to_bytes(body: &Bound<'_, PyAny>) -> PyResult<Py<PyBytes>> {
    if let Ok(bytes) = body.cast::<PyBytes>() {
        return Ok(bytes.clone().unbind());
    }
    if let Ok(array) = body.cast::<PyByteArray>() {
        return Ok(PyBytes::new(body.py(), &array.to_vec()).unbind());
    }
    if body.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err("the body must be bytes, not str"));
    }
    // memoryview and other buffers: let Python copy them.
    let builtins = body.py().import("builtins")?;
    Ok(builtins
        .getattr("bytes")?
        .call1((body,))?
        .cast_into::<PyBytes>()?
        .unbind())
}

/// Header bytes as text the way `http.client` reads them (Latin-1), so any byte survives.
fn header_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.is_ascii() => text.to_owned(),
        _ => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// The inverse of [`header_text`]: Latin-1 when every character fits, UTF-8 otherwise.
fn header_bytes(text: &str) -> Vec<u8> {
    if text.chars().all(|c| (c as u32) < 256) {
        text.chars().map(|c| c as u32 as u8).collect()
    } else {
        text.as_bytes().to_vec()
    }
}
