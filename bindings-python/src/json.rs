//! JSON values between Python and Rust: profiles out, profile fields in.

use ccpa_optout::{Error, OptOutField, ProfileFields};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// How deep a value may nest before it is refused (a cycle or a hostile input, never a profile).
const MAX_DEPTH: usize = 64;

/// A JSON value as the plain Python object `json.loads` would give.
pub(crate) fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number_to_python(py, n)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => object_to_python(py, map)?.into_any(),
    })
}

/// A JSON object as a Python `dict`, keys in the server's order.
pub(crate) fn object_to_python<'py>(
    py: Python<'py>,
    map: &Map<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, item) in map {
        dict.set_item(key, to_python(py, item)?)?;
    }
    Ok(dict)
}

fn number_to_python<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(i) = n.as_i64() {
        Ok(i.into_pyobject(py)?.into_any())
    } else if let Some(u) = n.as_u64() {
        Ok(u.into_pyobject(py)?.into_any())
    } else {
        Ok(PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any())
    }
}

/// A Python value as JSON, refusing what JSON cannot hold; `field` names the input in errors.
///
/// `True` stays a boolean and never becomes `1` (Python's `bool` is an `int`, so it is checked
/// first): an opt-out must keep its type on the way to ACS.
pub(crate) fn from_python(value: &Bound<'_, PyAny>, field: &str) -> Result<Value, Error> {
    convert(value, field, 0)
}

fn convert(value: &Bound<'_, PyAny>, field: &str, depth: usize) -> Result<Value, Error> {
    if depth > MAX_DEPTH {
        return Err(Error::validation(field, "the value nests too deeply"));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(i) = value.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = value.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(Error::validation(field, "an integer is too large for JSON"));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| Error::validation(field, "NaN and infinity cannot be sent as JSON"));
    }
    if let Ok(s) = value.cast::<PyString>() {
        let text = s
            .to_cow()
            .map_err(|_| Error::validation(field, "a string is not valid Unicode"))?;
        return Ok(Value::String(text.into_owned()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (key, item) in dict.iter() {
            let Ok(key) = key.extract::<String>() else {
                return Err(Error::validation(field, "object keys must be strings"));
            };
            map.insert(key, convert(&item, field, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for item in value.try_iter().map_err(|_| not_json(value, field))? {
            let item = item.map_err(|_| not_json(value, field))?;
            items.push(convert(&item, field, depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    // Other mappings (e.g. MappingProxyType, a Profile) are read through their items.
    if let Ok(items) = value.call_method0("items") {
        let dict = PyDict::new(value.py());
        for pair in items.try_iter().map_err(|_| not_json(value, field))? {
            let (key, item): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair
                .and_then(|p| p.extract())
                .map_err(|_| not_json(value, field))?;
            dict.set_item(key, item)
                .map_err(|_| not_json(value, field))?;
        }
        return convert(dict.as_any(), field, depth);
    }
    Err(not_json(value, field))
}

/// Profile fields given by a Python caller (a mapping), checked by the core.
pub(crate) fn profile_fields(
    fields: &Bound<'_, PyAny>,
    opt_out_field: &OptOutField,
) -> Result<ProfileFields, Error> {
    ProfileFields::from_json(from_python(fields, "fields")?, opt_out_field)
}

/// An opt-out given by a Python caller: only `True` and `False`; `"true"`, `1` and `None` are
/// a `Validation` error naming the field (`True == 1` in Python, so the type is checked).
pub(crate) fn opt_out_flag(value: &Bound<'_, PyAny>, field: &OptOutField) -> Result<bool, Error> {
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(flag.is_true());
    }
    Err(Error::validation(
        field.as_str(),
        format!(
            "{field} must be True or False (True = do not sell or share), got {}",
            type_name(value)
        ),
    ))
}

fn not_json(value: &Bound<'_, PyAny>, field: &str) -> Error {
    Error::validation(
        field,
        format!("a {} cannot be sent as JSON", type_name(value)),
    )
}

/// The Python type name of a value (never the value itself: it may be personal data).
pub(crate) fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "value".to_owned())
}
