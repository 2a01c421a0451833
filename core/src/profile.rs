//! The profile model: typed known fields, every other field kept as JSON, and the opt-out value.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::OptOutField;
use crate::pkey::PKey;
use crate::{Error, Result};

/// Fields ACS sets itself; writing them fails on the server, so the client refuses them first.
pub const READ_ONLY_FIELDS: [&str; 5] = ["PKey", "href", "created", "lastModified", "age"];

/// One ACS profile.
///
/// The fields the library works with are typed; every other field (including ones this version
/// does not know about) is kept unchanged in [`Profile::extra`], so reading a profile and
/// writing it back never loses data. A known field that is `null` stays in `extra` as `null`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    /// The primary key (`PKey`).
    pub pkey: Option<PKey>,
    /// The absolute URL of this profile (`href`).
    pub href: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// `firstName`.
    pub first_name: Option<String>,
    /// `lastName`.
    pub last_name: Option<String>,
    /// The opt-out attribute (`ccpaOptOut` unless configured otherwise): `true` = do not sell.
    pub opt_out: Option<bool>,
    /// Every other field, exactly as ACS sent it.
    pub extra: Map<String, Value>,
}

impl Profile {
    /// Reads a profile object, checking the types of the known fields.
    ///
    /// A known field of the wrong type is a `Decode` error naming the field: a profile whose
    /// opt-out is not a boolean must never be mistaken for "not opted out".
    pub fn from_json(value: Value, opt_out_field: &OptOutField) -> Result<Profile> {
        let Value::Object(mut extra) = value else {
            return Err(Error::decode(
                "a profile must be a JSON object",
                kind_of(&value),
            ));
        };
        let pkey = match take_string(&mut extra, "PKey")? {
            Some(raw) => Some(PKey::new(&raw).map_err(|e| {
                Error::decode(
                    format!("the profile's PKey is not usable: {}", e.message()),
                    "",
                )
                .with_field("PKey")
            })?),
            None => None,
        };
        Ok(Profile {
            pkey,
            href: take_string(&mut extra, "href")?,
            email: take_string(&mut extra, "email")?,
            first_name: take_string(&mut extra, "firstName")?,
            last_name: take_string(&mut extra, "lastName")?,
            opt_out: take_bool(&mut extra, opt_out_field.as_str())?,
            extra,
        })
    }

    /// The profile as a JSON object, known fields under their ACS names.
    pub fn to_json(&self, opt_out_field: &OptOutField) -> Map<String, Value> {
        let mut map = self.extra.clone();
        let typed = [
            ("PKey", self.pkey.as_ref().map(|p| Value::from(p.as_str()))),
            ("href", self.href.clone().map(Value::from)),
            ("email", self.email.clone().map(Value::from)),
            ("firstName", self.first_name.clone().map(Value::from)),
            ("lastName", self.last_name.clone().map(Value::from)),
            (opt_out_field.as_str(), self.opt_out.map(Value::from)),
        ];
        for (name, value) in typed {
            if let Some(value) = value {
                map.insert(name.to_owned(), value);
            }
        }
        map
    }

    /// The opt-out value, or a `Decode` error naming the field when the profile lacks it
    /// (typically: the tenant predates ACS 19.4, or the field lives on `profileAndServicesExt`).
    pub fn require_opt_out(&self, opt_out_field: &OptOutField) -> Result<bool> {
        self.opt_out.ok_or_else(|| {
            Error::decode(
                format!(
                    "the profile has no boolean \"{}\" field; check the opt-out field name and the API (profileAndServicesExt for custom fields)",
                    opt_out_field.as_str()
                ),
                "",
            )
            .with_field(opt_out_field.as_str())
        })
    }
}

/// Takes a string field out of `map`; `null` stays behind so a round trip keeps it.
fn take_string(map: &mut Map<String, Value>, name: &str) -> Result<Option<String>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(_)) => match map.remove(name) {
            Some(Value::String(s)) => Ok(Some(s)),
            _ => Ok(None),
        },
        Some(other) => Err(wrong_type(name, "a string", other)),
    }
}

fn take_bool(map: &mut Map<String, Value>, name: &str) -> Result<Option<bool>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => {
            let b = *b;
            map.remove(name);
            Ok(Some(b))
        }
        Some(other) => Err(wrong_type(name, "a boolean", other)),
    }
}

fn wrong_type(name: &str, expected: &str, found: &Value) -> Error {
    Error::decode(
        format!(
            "the profile's {name:?} should be {expected}, found {}",
            kind_of(found)
        ),
        kind_of(found),
    )
    .with_field(name)
}

/// A short, value-free description of a JSON value, safe to put in an error.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads an opt-out value given by a caller: only a JSON boolean is accepted.
///
/// `"true"`, `1`, `null` and `"yes"` are refused with a `Validation` error naming the field, so
/// a sloppy input never turns into a wrong legal state.
pub fn opt_out_value(value: &Value, opt_out_field: &OptOutField) -> Result<bool> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => Err(Error::validation(
            opt_out_field.as_str(),
            format!(
                "{opt_out_field} must be a JSON boolean (true = do not sell or share), got {}",
                kind_of(other)
            ),
        )),
    }
}

/// Fields to write with POST (create) or PATCH (update), checked before anything is sent.
///
/// ```
/// use ccpa_optout::{OptOutField, ProfileFields};
/// use serde_json::json;
///
/// let field = OptOutField::default();
/// assert!(ProfileFields::from_json(json!({"email": "ana@example.com", "ccpaOptOut": true}), &field).is_ok());
/// let err = ProfileFields::from_json(json!({"ccpaOptOut": "true"}), &field).unwrap_err();
/// assert_eq!(err.field(), Some("ccpaOptOut"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(transparent)]
pub struct ProfileFields(Map<String, Value>);

impl ProfileFields {
    /// Checks a JSON object: the opt-out field, when present, is a boolean; no read-only field
    /// (`PKey`, `href`, `created`, `lastModified`, `age`); no empty field name.
    pub fn from_json(value: Value, opt_out_field: &OptOutField) -> Result<ProfileFields> {
        let Value::Object(map) = value else {
            return Err(Error::validation(
                "fields",
                format!(
                    "profile fields must be a JSON object, got {}",
                    kind_of(&value)
                ),
            ));
        };
        for (name, value) in &map {
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(Error::validation(
                    "fields",
                    "a field name is empty or has control characters",
                ));
            }
            if READ_ONLY_FIELDS.contains(&name.as_str()) {
                return Err(Error::validation(
                    name.as_str(),
                    format!("{name:?} is set by ACS and cannot be written"),
                ));
            }
            if name == opt_out_field.as_str() {
                opt_out_value(value, opt_out_field)?;
            }
        }
        Ok(ProfileFields(map))
    }

    /// As [`ProfileFields::from_json`], from JSON text (what hosts without a JSON value type,
    /// such as Kotlin and Swift, pass); text that is not JSON is a `Validation` error on `fields`.
    pub fn from_json_text(text: &str, opt_out_field: &OptOutField) -> Result<ProfileFields> {
        let value: Value = serde_json::from_str(text).map_err(|err| {
            Error::validation(
                "fields",
                format!("fields must be a JSON object text: {err}"),
            )
        })?;
        ProfileFields::from_json(value, opt_out_field)
    }

    /// Checks that an update has something to write (an empty PATCH changes nothing and v8
    /// tenants answer it with a bare 204).
    pub fn check_update(&self) -> Result<()> {
        if self.is_empty() {
            return Err(Error::validation(
                "fields",
                "nothing to update: the fields are empty",
            ));
        }
        Ok(())
    }

    /// Only the opt-out field: the body of the CCPA PATCH.
    pub fn opt_out(opt_out_field: &OptOutField, opted_out: bool) -> ProfileFields {
        let mut map = Map::new();
        map.insert(opt_out_field.as_str().to_owned(), Value::Bool(opted_out));
        ProfileFields(map)
    }

    /// The fields as a JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// The `email` field, if it is a string (used to look up a create whose answer was lost).
    pub fn email(&self) -> Option<&str> {
        self.0.get("email").and_then(Value::as_str)
    }

    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What `set_opt_out` did to one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OptOutChange {
    /// The profile.
    pub pkey: PKey,
    /// The value before, `None` when the profile had none.
    pub previous: Option<bool>,
    /// The value now.
    pub current: bool,
    /// Whether a PATCH was sent (false when the profile already had the value).
    pub changed: bool,
}

/// One page of a profile listing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfilePage {
    /// The profiles on this page.
    pub content: Vec<Profile>,
    /// `next.href`: the next page, absent on the last one.
    pub next: Option<String>,
    /// `count.href`: where to GET `{"count": n}` for the whole listing.
    pub count: Option<String>,
}

/// The answer to a PATCH: `{PKey, href}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PatchAck {
    /// The patched profile.
    pub pkey: PKey,
    /// Its URL, when ACS sent one.
    pub href: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field() -> OptOutField {
        OptOutField::default()
    }

    #[test]
    fn round_trip_keeps_unknown_fields_and_nulls() {
        let raw = json!({"PKey": "@a1", "email": null, "ccpaOptOut": true, "cusShoeSize": 42,
                         "location": {"city": "Fresno"}, "subscriptions": {"href": "x/"}});
        let profile = Profile::from_json(raw.clone(), &field()).unwrap();
        assert_eq!(profile.opt_out, Some(true));
        assert_eq!(profile.email, None);
        assert_eq!(Value::Object(profile.to_json(&field())), raw);
    }

    #[test]
    fn a_non_boolean_opt_out_is_a_decode_error_naming_the_field() {
        let err = Profile::from_json(json!({"ccpaOptOut": "false"}), &field()).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Decode);
        assert_eq!(err.field(), Some("ccpaOptOut"));
    }

    #[test]
    fn the_configured_opt_out_field_is_the_typed_one() {
        let custom = OptOutField::new("cusOptOutCcpa").unwrap();
        let profile =
            Profile::from_json(json!({"cusOptOutCcpa": false, "ccpaOptOut": true}), &custom)
                .unwrap();
        assert_eq!(profile.opt_out, Some(false));
        assert_eq!(profile.extra.get("ccpaOptOut"), Some(&json!(true)));
        assert_eq!(
            Profile::default()
                .require_opt_out(&custom)
                .unwrap_err()
                .field(),
            Some("cusOptOutCcpa")
        );
    }

    #[test]
    fn only_booleans_are_opt_out_values() {
        for bad in [json!("true"), json!(1), json!(null), json!("yes")] {
            let err = opt_out_value(&bad, &field()).unwrap_err();
            assert_eq!(err.field(), Some("ccpaOptOut"));
        }
        assert!(opt_out_value(&json!(false), &field()).is_ok());
    }

    #[test]
    fn read_only_fields_are_refused_before_sending() {
        let err = ProfileFields::from_json(json!({"age": 30}), &field()).unwrap_err();
        assert_eq!(err.field(), Some("age"));
        assert!(ProfileFields::from_json(json!([1]), &field()).is_err());
    }

    #[test]
    fn fields_text_that_is_not_json_is_a_validation_error_on_fields() {
        let err = ProfileFields::from_json_text("{email:", &field()).unwrap_err();
        assert_eq!(err.field(), Some("fields"));
        let err = ProfileFields::from_json_text(r#"{"ccpaOptOut": "true"}"#, &field()).unwrap_err();
        assert_eq!(err.field(), Some("ccpaOptOut"));
    }
}
