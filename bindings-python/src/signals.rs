//! Privacy signals (GPC, USP, GPP, deadlines) for Python, and the result of `apply_signals`.
//!
//! Results cross as plain dicts (the core's serde shapes) and ISO date strings; the Python
//! layer turns them into typed objects and `datetime.date`s.

use ccpa_optout::signals::{
    decode_gpp as core_decode_gpp, derive_opt_out as core_derive_opt_out, gpc_from_header_pairs,
    may_request_opt_in as core_may_request_opt_in,
    opt_in_request_allowed_from as core_opt_in_request_allowed_from,
    opt_out_due_date as core_opt_out_due_date, parse_gpc_json as core_parse_gpc_json,
    parse_usp as core_parse_usp,
};
use ccpa_optout::{AppliedSignals, Date};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use serde::Serialize;

use crate::errors::IntoPyResult;
use crate::http::header_pairs;
use crate::json::to_python;
use crate::operation::changes_to_python;

pub(crate) fn as_python<'py>(
    py: Python<'py>,
    value: impl Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    to_python(py, &json)
}

fn date(py: Python<'_>, text: &str) -> PyResult<Date> {
    Date::parse(text).or_raise(py)
}

/// `True` when any `Sec-GPC` value (split on commas) is exactly `1`; `None` otherwise, never
/// `False`.
#[pyfunction]
pub fn gpc_from_headers(headers: &Bound<'_, PyAny>) -> PyResult<Option<bool>> {
    let pairs = header_pairs(headers)?;
    Ok(gpc_from_header_pairs(
        pairs.iter().map(|(name, value)| (name, value)),
    ))
}

/// The US Privacy string as a dict.
#[pyfunction]
pub fn parse_usp<'py>(py: Python<'py>, usp: &str) -> PyResult<Bound<'py, PyAny>> {
    as_python(py, core_parse_usp(usp).or_raise(py)?)
}

/// The GPP string's US opt-outs as a dict (every US section; `unreadable` lists the parts
/// that could not be read on their own).
#[pyfunction]
pub fn decode_gpp<'py>(py: Python<'py>, gpp: &str) -> PyResult<Bound<'py, PyAny>> {
    let decoded = py.detach(|| core_decode_gpp(gpp)).or_raise(py)?;
    as_python(py, decoded)
}

/// `{"value": True | False | None, "reasons": [...]}`: any opt-out wins. Never raises for a
/// malformed string: it is a reason `{"kind": "unreadable", ...}` (the types of the arguments
/// are checked by PyO3, a `TypeError`).
#[pyfunction]
#[pyo3(signature = (gpc = None, usp = None, gpp = None))]
pub fn derive_opt_out<'py>(
    py: Python<'py>,
    gpc: Option<bool>,
    usp: Option<&str>,
    gpp: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    as_python(py, core_derive_opt_out(gpc, usp, gpp))
}

/// What `/.well-known/gpc.json` says: `{"gpc": ..., "last_update": ...}`.
#[pyfunction]
#[pyo3(signature = (content_type, body))]
pub fn parse_gpc_json<'py>(
    py: Python<'py>,
    content_type: Option<&str>,
    body: &[u8],
) -> PyResult<Bound<'py, PyAny>> {
    as_python(py, core_parse_gpc_json(content_type, body))
}

/// The ISO date 15 business days after `received` (weekends and `holidays` skipped).
#[pyfunction]
#[pyo3(signature = (received, holidays = Vec::new()))]
pub fn opt_out_due_date(py: Python<'_>, received: &str, holidays: Vec<String>) -> PyResult<String> {
    let received = date(py, received)?;
    let holidays = Date::parse_each(&holidays, "date").or_raise(py)?;
    Ok(core_opt_out_due_date(received, &holidays).to_string())
}

/// The ISO date from which a business may ask to opt back in (12 months after the opt-out).
#[pyfunction]
pub fn opt_in_request_allowed_from(py: Python<'_>, opted_out_on: &str) -> PyResult<Option<String>> {
    Ok(core_opt_in_request_allowed_from(date(py, opted_out_on)?).map(|d| d.to_string()))
}

/// Whether, on `on`, the 12-month wait after the opt-out is over.
#[pyfunction]
pub fn may_request_opt_in(py: Python<'_>, opted_out_on: &str, on: &str) -> PyResult<bool> {
    Ok(core_may_request_opt_in(
        date(py, opted_out_on)?,
        date(py, on)?,
    ))
}

/// The date part of an RFC 3339 date or date-time, as written, in ISO form.
#[pyfunction]
pub fn date_from_rfc3339(py: Python<'_>, timestamp: &str) -> PyResult<String> {
    Ok(Date::from_rfc3339(timestamp).or_raise(py)?.to_string())
}

/// `(decision dict, [(pkey, previous, current, changed), ...])`: what the core's
/// `Client::apply_signals` decided and wrote.
pub(crate) fn applied_to_python<'py>(
    py: Python<'py>,
    applied: &AppliedSignals,
) -> PyResult<Bound<'py, PyAny>> {
    let changes = changes_to_python(py, &applied.changes)?;
    (as_python(py, &applied.decision)?, changes).into_bound_py_any(py)
}
