//! Privacy signals (GPC, USP, GPP, deadlines) for Python, and `apply_signals` on the client.
//!
//! Results cross as plain dicts (the core's serde shapes) and ISO date strings; the Python
//! layer turns them into typed objects and `datetime.date`s.

use ccpa_optout::signals::{
    OptOutDecision, decode_gpp as core_decode_gpp, derive_opt_out as core_derive_opt_out,
    gpc_from_header_pairs, may_request_opt_in as core_may_request_opt_in,
    opt_in_request_allowed_from as core_opt_in_request_allowed_from,
    opt_out_due_date as core_opt_out_due_date, parse_gpc_json as core_parse_gpc_json,
    parse_usp as core_parse_usp,
};
use ccpa_optout::{Client, Date, Email, Error, OptOutChange, PKey, ProfileFields, Transport};
use pyo3::prelude::*;
use serde::Serialize;

use crate::errors::IntoPyResult;
use crate::http::header_pairs;
use crate::json::to_python;

fn as_python<'py>(py: Python<'py>, value: impl Serialize) -> PyResult<Bound<'py, PyAny>> {
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

/// The GPP string's US opt-outs as a dict.
#[pyfunction]
pub fn decode_gpp<'py>(py: Python<'py>, gpp: &str) -> PyResult<Bound<'py, PyAny>> {
    let decoded = py.detach(|| core_decode_gpp(gpp)).or_raise(py)?;
    as_python(py, decoded)
}

/// `{"value": True | False | None, "reasons": [...]}`: any opt-out wins.
#[pyfunction]
#[pyo3(signature = (gpc = None, usp = None, gpp = None))]
pub fn derive_opt_out<'py>(
    py: Python<'py>,
    gpc: Option<bool>,
    usp: Option<&str>,
    gpp: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    as_python(py, core_derive_opt_out(gpc, usp, gpp).or_raise(py)?)
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
    let holidays = holidays
        .iter()
        .map(|day| date(py, day))
        .collect::<PyResult<Vec<_>>>()?;
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

/// Whom `apply_signals` writes to: every profile with an email, or one profile.
pub(crate) enum Subject {
    Email(Email),
    PKey(PKey),
}

impl Subject {
    /// An email when it reads as `name@domain` (PKeys start with `@`), otherwise a PKey.
    pub(crate) fn parse(text: &str) -> Result<Subject, Error> {
        if !text.starts_with('@')
            && let Ok(email) = Email::new(text)
        {
            return Ok(Subject::Email(email));
        }
        PKey::new(text).map(Subject::PKey)
    }
}

/// The decision and the writes it led to.
pub(crate) struct Applied {
    pub decision: OptOutDecision,
    pub changes: Vec<OptOutChange>,
}

impl Applied {
    pub(crate) fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let changes: Vec<_> = self
            .changes
            .iter()
            .map(|c| (c.pkey.as_str(), c.previous, c.current, c.changed))
            .collect();
        (as_python(py, &self.decision)?, changes)
            .into_pyobject(py)
            .map(|t| t.into_any())
    }
}

/// The decision the signals call for, checked before anything is sent.
pub(crate) fn decide(
    gpc: Option<bool>,
    usp: Option<&str>,
    gpp: Option<&str>,
) -> Result<OptOutDecision, Error> {
    core_derive_opt_out(gpc, usp, gpp)
}

/// Applies a decision: an opt-out is written like `set_opt_out`; a "not opted out" is written
/// only where no value is recorded, since a signal never clears a recorded opt-out
/// (§7025(c)(5)); no decision writes nothing.
pub(crate) async fn apply<T: Transport>(
    client: &Client<T>,
    subject: Subject,
    decision: OptOutDecision,
) -> Result<Applied, Error> {
    let changes = match (decision.value, subject) {
        (None, _) => Vec::new(),
        (Some(true), Subject::Email(email)) => client.opt_out_by_email(&email, true).await?,
        (Some(true), Subject::PKey(pkey)) => vec![client.set_opt_out(&pkey, true).await?],
        (Some(false), Subject::PKey(pkey)) => vec![keep_or_set_false(client, pkey, None).await?],
        (Some(false), Subject::Email(email)) => {
            let mut changes = Vec::new();
            for profile in client.find_by_email(&email).await? {
                let pkey = profile.pkey.clone().ok_or_else(|| {
                    Error::decode("a byEmail result has no PKey", "").with_field("PKey")
                })?;
                changes.push(keep_or_set_false(client, pkey, profile.opt_out).await?);
            }
            changes
        }
    };
    Ok(Applied { decision, changes })
}

async fn keep_or_set_false<T: Transport>(
    client: &Client<T>,
    pkey: PKey,
    listed: Option<bool>,
) -> Result<OptOutChange, Error> {
    let recorded = match listed {
        Some(value) => Some(value),
        None => client.get_profile(&pkey).await?.opt_out,
    };
    if let Some(value) = recorded {
        return Ok(OptOutChange {
            pkey,
            previous: Some(value),
            current: value,
            changed: false,
        });
    }
    let field = &client.config().api.opt_out_field;
    client
        .update_profile(&pkey, &ProfileFields::opt_out(field, false))
        .await?;
    Ok(OptOutChange {
        pkey,
        previous: None,
        current: false,
        changed: true,
    })
}
