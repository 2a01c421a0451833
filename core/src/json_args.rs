//! Arguments that hosts hand over as JSON, read with errors that name the field at fault.
//!
//! JavaScript passes option objects and lists as JSON values; these readers hold the rules a
//! host's argument shape must meet (known keys only, `null` as absent, strings where text is
//! expected) so the core and the bindings apply them the same way.

use serde_json::{Map, Value};

use crate::{Error, Result};

/// An object whose keys are all in `known`, or a `Validation` error on `field`.
pub fn object<'a>(value: &'a Value, field: &str, known: &[&str]) -> Result<&'a Map<String, Value>> {
    let Value::Object(map) = value else {
        return Err(Error::validation(
            field,
            format!("{field} must be an object"),
        ));
    };
    match map.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(Error::validation(
            field,
            format!("unknown key {key:?}; expected one of {}", known.join(", ")),
        )),
        None => Ok(map),
    }
}

/// As [`object`], with an absent or `null` value read as no object.
pub fn optional_object<'a>(
    value: Option<&'a Value>,
    field: &str,
    known: &[&str],
) -> Result<Option<&'a Map<String, Value>>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => object(value, field, known).map(Some),
    }
}

/// A member of an optional object; absent and `null` are `None`.
pub fn member<'a>(map: Option<&'a Map<String, Value>>, key: &str) -> Option<&'a Value> {
    map.and_then(|map| map.get(key)).filter(|v| !v.is_null())
}

/// A string, or a `Validation` error on `field` saying `name` must be one.
pub fn text<'a>(value: &'a Value, name: &str, field: &str) -> Result<&'a str> {
    value
        .as_str()
        .ok_or_else(|| Error::validation(field, format!("{name} must be a string")))
}

/// An optional string named `name`, errors on the same field.
pub fn optional_text<'a>(value: Option<&'a Value>, name: &str) -> Result<Option<&'a str>> {
    value.map(|v| text(v, name, name)).transpose()
}

/// An array, or a `Validation` error on `field` saying `name` must be one.
pub fn list<'a>(value: Option<&'a Value>, name: &str, field: &str) -> Result<&'a [Value]> {
    value
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .ok_or_else(|| Error::validation(field, format!("{name} must be an array")))
}

/// An array of strings named `name`, errors on the same field.
pub fn strings<'a>(value: &'a Value, name: &str) -> Result<Vec<&'a str>> {
    // A loop rather than `collect::<Result<_>>()`: in wasm each iterator chain brings its own
    // generic code into the module.
    let mut texts = Vec::new();
    for item in list(Some(value), name, name)? {
        texts.push(text(item, name, name)?);
    }
    Ok(texts)
}

/// An optional whole number, 0 or more (JSON numbers are doubles in JavaScript).
pub fn whole_number(value: Option<&Value>, name: &str, field: &str) -> Result<Option<f64>> {
    value
        .map(|v| match v.as_f64() {
            Some(n) if n.is_finite() && n.fract() == 0.0 && n >= 0.0 => Ok(n),
            _ => Err(Error::validation(
                field,
                format!("{name} must be a whole number, 0 or more"),
            )),
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_unknown_key_or_a_wrong_type_names_the_field() {
        let value = json!({"a": 1, "b": null});
        assert!(object(&value, "opts", &["a", "b"]).is_ok());
        let err = object(&value, "opts", &["a"]).unwrap_err();
        assert_eq!(err.field(), Some("opts"));
        assert!(err.to_string().contains("\"b\""), "{err}");
        assert_eq!(optional_object(Some(&Value::Null), "o", &[]).unwrap(), None);
        let map = optional_object(Some(&value), "o", &["a", "b"]).unwrap();
        assert_eq!(member(map, "b"), None);
        assert_eq!(member(map, "a"), Some(&json!(1)));
        assert_eq!(
            strings(&json!(["x", 1]), "ids").unwrap_err().field(),
            Some("ids")
        );
        assert_eq!(
            whole_number(Some(&json!(2.5)), "n", "size")
                .unwrap_err()
                .field(),
            Some("size")
        );
        assert_eq!(
            whole_number(Some(&json!(3)), "n", "size").unwrap(),
            Some(3.0)
        );
    }
}
