//! `_Operation`: one client call, driven step by step by the Python loop that does the I/O.

use std::future::Future;
use std::sync::{Mutex, MutexGuard};

use ccpa_optout::driver::{Operation, Reply, Step};
use ccpa_optout::privacy::{CreatedJob, PrivacyJob};
use ccpa_optout::{
    AccessToken, AppliedSignals, Error, OptOutChange, OptOutField, PatchAck, Profile,
    ProfileMetadata, TransportError, TransportErrorKind,
};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use pyo3::{IntoPyObjectExt, intern};

use crate::errors::to_py_err;
use crate::http::{Request, Response};
use crate::json::object_to_python;
use crate::signals::{applied_to_python, as_python};

/// What a finished operation hands back, before it becomes Python objects.
pub(crate) enum Outcome {
    Profile(Profile),
    Profiles(Vec<Profile>),
    OptOut(bool),
    Change(OptOutChange),
    Changes(Vec<OptOutChange>),
    Ack(PatchAck),
    Deleted,
    Metadata(ProfileMetadata),
    Page(Option<Vec<Profile>>),
    Applied(AppliedSignals),
    CreatedJobs(Vec<CreatedJob>),
    PrivacyJob(PrivacyJob),
    PrivacyJobs(Vec<PrivacyJob>),
    Archive(Vec<u8>),
}

/// The reply the operation waits for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Awaiting {
    Start,
    Response,
    Sleep,
    Token,
    Finished,
}

struct State {
    operation: Operation<Outcome>,
    awaiting: Awaiting,
}

/// A running client call. `resume()` returns the next step as a tuple: `("send", Request)`,
/// `("sleep", seconds)`, `("token", refresh)` or `("done", value)`; a failed call raises its
/// typed exception instead of `"done"`. A sleep is a retry's backoff or, when the call waits on
/// another call of the same client (their shared OAuth token exchange), a short pause after
/// which the call looks again: the core's driver decides which.
#[pyclass(frozen, module = "ccpa_optout._native", name = "_Operation")]
pub struct PyOperation {
    state: Mutex<State>,
    opt_out_field: OptOutField,
}

impl PyOperation {
    /// Wraps a client future running over the client's `HostTransport`.
    pub(crate) fn new(
        opt_out_field: OptOutField,
        future: impl Future<Output = Result<Outcome, Error>> + Send + 'static,
    ) -> Self {
        PyOperation {
            state: Mutex::new(State {
                operation: Operation::new(future),
                awaiting: Awaiting::Start,
            }),
            opt_out_field,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Polls the operation without holding the interpreter, then turns its step into Python.
    fn advance<'py>(&self, py: Python<'py>, reply: Option<Reply>) -> PyResult<Bound<'py, PyTuple>> {
        let step = py.detach(|| {
            let mut state = self.lock();
            let step = state.operation.resume(reply);
            state.awaiting = match &step {
                Step::Send(_) => Awaiting::Response,
                Step::Sleep(_) => Awaiting::Sleep,
                Step::Token { .. } => Awaiting::Token,
                Step::Done(_) => Awaiting::Finished,
            };
            step
        });
        let (tag, payload) = match step {
            Step::Send(request) => (
                intern!(py, "send"),
                Request::from_http(py, &request).into_bound_py_any(py)?,
            ),
            Step::Sleep(duration) => (
                intern!(py, "sleep"),
                duration.as_secs_f64().into_bound_py_any(py)?,
            ),
            Step::Token { refresh } => (intern!(py, "token"), refresh.into_bound_py_any(py)?),
            Step::Done(Ok(outcome)) => (intern!(py, "done"), self.convert(py, outcome)?),
            Step::Done(Err(err)) => return Err(to_py_err(py, &err)),
        };
        PyTuple::new(py, [tag.clone().into_any(), payload])
    }

    fn convert<'py>(&self, py: Python<'py>, outcome: Outcome) -> PyResult<Bound<'py, PyAny>> {
        let field = &self.opt_out_field;
        match outcome {
            Outcome::Profile(profile) => profile_to_python(py, &profile, field),
            Outcome::Profiles(profiles) => profiles_to_python(py, &profiles, field),
            Outcome::OptOut(value) => value.into_bound_py_any(py),
            Outcome::Change(change) => change_to_python(py, &change),
            Outcome::Changes(changes) => changes_to_python(py, &changes),
            Outcome::Ack(ack) => ack_to_python(py, &ack),
            Outcome::Deleted => Ok(py.None().into_bound(py)),
            Outcome::Metadata(metadata) => metadata_to_python(py, &metadata, field),
            Outcome::Page(Some(profiles)) => profiles_to_python(py, &profiles, field),
            Outcome::Page(None) => Ok(py.None().into_bound(py)),
            Outcome::Applied(applied) => applied_to_python(py, &applied),
            Outcome::CreatedJobs(jobs) => as_python(py, jobs),
            Outcome::PrivacyJob(job) => as_python(py, job),
            Outcome::PrivacyJobs(jobs) => as_python(py, jobs),
            Outcome::Archive(bytes) => Ok(PyBytes::new(py, &bytes).into_any()),
        }
    }
}

#[pymethods]
impl PyOperation {
    /// Starts or continues the call with the reply to the last step: `None` to start and after
    /// a sleep, the `Response` after `"send"`, the token string after `"token"`.
    #[pyo3(signature = (reply = None))]
    fn resume<'py>(
        &self,
        py: Python<'py>,
        reply: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let awaiting = self.lock().awaiting;
        let reply = match (awaiting, reply) {
            (Awaiting::Start, None) => None,
            (Awaiting::Sleep, None) => Some(Reply::Slept),
            (Awaiting::Response, Some(reply)) => {
                let response = reply.cast::<Response>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "a transport must return ccpa_optout.Response, not {}",
                        crate::json::type_name(reply)
                    ))
                })?;
                Some(Reply::Response(Ok(response.get().to_http(py))))
            }
            (Awaiting::Token, Some(reply)) => {
                let Ok(token) = reply.cast::<PyString>() else {
                    return Err(PyTypeError::new_err(format!(
                        "a token provider must return a str, not {}",
                        crate::json::type_name(reply)
                    )));
                };
                Some(Reply::Token(AccessToken::new(token.to_cow()?.as_ref())))
            }
            (Awaiting::Finished, _) => {
                return Err(PyRuntimeError::new_err(
                    "this operation has already finished",
                ));
            }
            _ => {
                return Err(PyTypeError::new_err(
                    "the reply does not answer the operation's last step",
                ));
            }
        };
        self.advance(py, reply)
    }

    /// Continues after a `"send"` step that got no answer. `kind` is `"connect"` (nothing was
    /// sent), `"timeout"`, `"body_too_large"` or `"other"`.
    fn fail<'py>(
        &self,
        py: Python<'py>,
        kind: &str,
        message: &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        if self.lock().awaiting != Awaiting::Response {
            return Err(PyTypeError::new_err("fail() answers a \"send\" step only"));
        }
        let kind = match kind {
            "connect" => TransportErrorKind::Connect,
            "timeout" => TransportErrorKind::Timeout,
            "body_too_large" => TransportErrorKind::BodyTooLarge,
            "other" => TransportErrorKind::Other,
            _ => {
                return Err(PyValueError::new_err(
                    "kind must be \"connect\", \"timeout\", \"body_too_large\" or \"other\"",
                ));
            }
        };
        let failure = TransportError::new(kind, message);
        self.advance(py, Some(Reply::Response(Err(failure))))
    }
}

/// A profile as a `dict` of every field, known ones under their ACS names.
pub(crate) fn profile_to_python<'py>(
    py: Python<'py>,
    profile: &Profile,
    field: &OptOutField,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(object_to_python(py, &profile.to_json(field))?.into_any())
}

pub(crate) fn profiles_to_python<'py>(
    py: Python<'py>,
    profiles: &[Profile],
    field: &OptOutField,
) -> PyResult<Bound<'py, PyAny>> {
    let items = profiles
        .iter()
        .map(|p| profile_to_python(py, p, field))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any())
}

/// `(pkey, previous, current, changed)`.
fn change_to_python<'py>(py: Python<'py>, change: &OptOutChange) -> PyResult<Bound<'py, PyAny>> {
    (
        change.pkey.as_str(),
        change.previous,
        change.current,
        change.changed,
    )
        .into_bound_py_any(py)
}

/// A list of `(pkey, previous, current, changed)`.
pub(crate) fn changes_to_python<'py>(
    py: Python<'py>,
    changes: &[OptOutChange],
) -> PyResult<Bound<'py, PyAny>> {
    let items = changes.iter().map(|c| change_to_python(py, c));
    Ok(PyList::new(py, items.collect::<PyResult<Vec<_>>>()?)?.into_any())
}

/// `(pkey, href)`.
pub(crate) fn ack_to_python<'py>(py: Python<'py>, ack: &PatchAck) -> PyResult<Bound<'py, PyAny>> {
    (ack.pkey.as_str(), ack.href.as_deref()).into_bound_py_any(py)
}

/// `([(name, type), ...], opt_out_field_ok)`.
pub(crate) fn metadata_to_python<'py>(
    py: Python<'py>,
    metadata: &ProfileMetadata,
    field: &OptOutField,
) -> PyResult<Bound<'py, PyAny>> {
    let ok = metadata.check_opt_out_field(field).is_ok();
    (metadata.fields.clone(), ok).into_bound_py_any(py)
}
