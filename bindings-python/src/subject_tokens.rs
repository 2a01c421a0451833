//! `mint_subject_token`: the receiver's subject tokens minted in a Python backend without a JWT
//! library.

use std::time::Duration;

use ccpa_optout::{SubjectTokenClaims, mint_subject_token_with};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::errors::IntoPyResult;

/// An HS256 subject token for the receiver's `/v1/signals`: `secret` (str or bytes, at least
/// 32 bytes), `subject` (an email or a PKey), `ttl` (whole seconds or a `timedelta`, at most a
/// day); `issued_at` (seconds since the epoch) defaults to now.
#[pyfunction]
#[pyo3(signature = (secret, subject, ttl, *, audience = None, issued_at = None))]
pub fn mint_subject_token(
    py: Python<'_>,
    secret: &Bound<'_, PyAny>,
    subject: String,
    ttl: &Bound<'_, PyAny>,
    audience: Option<String>,
    issued_at: Option<u64>,
) -> PyResult<String> {
    let secret = if let Ok(text) = secret.cast::<PyString>() {
        text.to_cow()?.into_owned().into_bytes()
    } else if let Ok(bytes) = secret.cast::<PyBytes>() {
        bytes.as_bytes().to_vec()
    } else {
        return Err(PyTypeError::new_err("secret must be str or bytes"));
    };
    let ttl = match ttl.extract::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => ttl
            .extract::<Duration>()
            .map_err(|_| PyTypeError::new_err("ttl must be whole seconds or a timedelta"))?,
    };
    let claims = SubjectTokenClaims::issued(subject, audience, issued_at, ttl).or_raise(py)?;
    mint_subject_token_with(&secret, &claims).or_raise(py)
}
