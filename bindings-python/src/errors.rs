//! Core errors as the Python exception classes of `ccpa_optout._errors`, one per kind.

use ccpa_optout::Error;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

/// The classes live in Python (so `ValidationError` can also be a `ValueError`); they are looked
/// up once, the first time an error is raised.
static CLASSES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

fn class_for<'py>(py: Python<'py>, kind: &str) -> PyResult<Bound<'py, PyType>> {
    let classes = CLASSES.get_or_try_init(py, || -> PyResult<Py<PyDict>> {
        let module = py.import("ccpa_optout._errors")?;
        Ok(module
            .getattr("_CLASSES_BY_KIND")?
            .cast_into::<PyDict>()?
            .unbind())
    })?;
    match classes.bind(py).get_item(kind)? {
        Some(class) => Ok(class.cast_into::<PyType>()?),
        None => Err(PyRuntimeError::new_err(format!(
            "ccpa_optout has no exception class for kind {kind}"
        ))),
    }
}

/// The Python exception for a core error: `str()` is the core's display text, and every
/// field of the error model is an attribute.
pub(crate) fn to_py_err(py: Python<'_>, err: &Error) -> PyErr {
    match exception_object(py, err) {
        Ok(instance) => PyErr::from_value(instance),
        Err(failure) => failure,
    }
}

/// The exception object, not raised (what `error_from_response` returns).
pub(crate) fn exception_object<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    let class = class_for(py, err.kind().as_str())?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("message", err.message())?;
    kwargs.set_item("status", err.status())?;
    kwargs.set_item("error_code", err.error_code())?;
    kwargs.set_item("retryable", err.is_retryable())?;
    kwargs.set_item("field", err.field())?;
    kwargs.set_item("retry_after", err.retry_after().map(|d| d.as_secs_f64()))?;
    kwargs.set_item("excerpt", err.excerpt())?;
    class.call((err.to_string(),), Some(&kwargs))
}

/// Turns a core result into a Python one.
pub(crate) trait IntoPyResult<T> {
    /// The value, or the typed Python exception.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|err| to_py_err(py, &err))
    }
}

/// A `Validation` error found by the Python layer, as an exception worded by the core.
#[pyfunction]
pub fn validation_error<'py>(
    py: Python<'py>,
    field: &str,
    message: &str,
) -> PyResult<Bound<'py, PyAny>> {
    exception_object(py, &Error::validation(field, message))
}
