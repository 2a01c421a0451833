//! The `profile` resource's fields (`nms:recipient`, acs-api.md §5) and the checks on written values.

use serde_json::{Map, Value};

use crate::acs_error::AcsError;
use crate::api::Api;
use crate::clock;

/// What values a field takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A string of at most this many characters.
    Text(usize),
    /// A string(128) holding an email address (dataPolicy `email`).
    Email,
    /// `YYYY-MM-DD` (or empty).
    Date,
    /// `YYYY-MM-DD HH:MM:SS.mmmZ`, server-set.
    DateTime,
    /// A JSON boolean, nothing else.
    Boolean,
    /// A JSON integer (server-computed here).
    Integer,
    /// One of these value names.
    Enumeration(&'static [&'static str]),
    /// An enumeration whose value names the emulator does not check.
    OpenEnumeration,
    /// A 1-1 link, written as `{"PKey": "@…"}`.
    Link,
    /// A 1-N link, `{"href": "…/"}`, never written.
    Collection,
    /// A nested object (`location`, `postalAddress`).
    Object,
}

/// One field of the profile resource.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The API name.
    pub name: &'static str,
    /// Its values.
    pub kind: Kind,
    /// Server-set or computed: a write is refused.
    pub read_only: bool,
    /// Usable in `_order`.
    pub sortable: bool,
    /// Visible on `profileAndServicesExt` only.
    pub ext_only: bool,
    /// Its label in the metadata.
    pub label: &'static str,
}

const fn field(name: &'static str, kind: Kind, label: &'static str) -> Field {
    Field {
        name,
        kind,
        read_only: false,
        sortable: false,
        ext_only: false,
        label,
    }
}

const fn sortable(mut f: Field) -> Field {
    f.sortable = true;
    f
}

const fn read_only(mut f: Field) -> Field {
    f.read_only = true;
    f
}

const fn ext_only(mut f: Field) -> Field {
    f.ext_only = true;
    f
}

/// A `blackList<Channel>` boolean and its label, "No longer contact (<channel>)".
macro_rules! black_list {
    ($channel:literal, $label:literal) => {
        field(
            concat!("blackList", $channel),
            Kind::Boolean,
            concat!("No longer contact (", $label, ")"),
        )
    };
}

/// The gender values ACS documents.
pub const GENDERS: &[&str] = &["unknown", "male", "female"];
const EMAIL_FORMATS: &[&str] = &["unknown", "text", "html"];

/// Every built-in field, in metadata order.
pub const FIELDS: &[Field] = &[
    read_only(sortable(field("PKey", Kind::Text(255), "Primary key"))),
    read_only(field("href", Kind::Text(255), "Link")),
    sortable(field("email", Kind::Email, "Email")),
    sortable(field("firstName", Kind::Text(30), "First name")),
    field("middleName", Kind::Text(30), "Middle name"),
    sortable(field("lastName", Kind::Text(50), "Last name")),
    field("salutation", Kind::Text(20), "Salutation"),
    sortable(field("birthDate", Kind::Date, "Birth date")),
    read_only(sortable(field("age", Kind::Integer, "Age"))),
    sortable(field("gender", Kind::Enumeration(GENDERS), "Gender")),
    field(
        "emailFormat",
        Kind::Enumeration(EMAIL_FORMATS),
        "Email format",
    ),
    field("phone", Kind::Text(32), "Phone"),
    field("mobilePhone", Kind::Text(32), "Mobile phone"),
    field("fax", Kind::Text(32), "Fax"),
    field(
        "preferredLanguage",
        Kind::OpenEnumeration,
        "Preferred language",
    ),
    field("timeZone", Kind::OpenEnumeration, "Time zone"),
    read_only(field("title", Kind::Text(255), "Title")),
    read_only(field("domain", Kind::Text(255), "Email domain")),
    sortable(field("externalId", Kind::Text(100), "External ID")),
    field("isExternal", Kind::Boolean, "External profile"),
    read_only(field("cryptedId", Kind::Text(255), "Encrypted identifier")),
    field("thumbnail", Kind::Text(255), "Thumbnail"),
    read_only(sortable(field("created", Kind::DateTime, "Created"))),
    read_only(sortable(field(
        "lastModified",
        Kind::DateTime,
        "Last modified",
    ))),
    read_only(field("createdBy", Kind::Link, "Created by")),
    read_only(field("modifiedBy", Kind::Link, "Modified by")),
    field("country", Kind::Link, "Country/Region"),
    field("stateLink", Kind::Link, "State"),
    field("emailStatus", Kind::Link, "Email status"),
    field("location", Kind::Object, "Location"),
    field("postalAddress", Kind::Object, "Postal address"),
    // The no-longer-contact flags: `blackList` for every channel, then one per channel.
    black_list!("", "by any channel"),
    black_list!("Email", "email"),
    black_list!("Mobile", "SMS"),
    black_list!("Phone", "phone"),
    black_list!("Fax", "fax"),
    black_list!("PostalMail", "direct mail"),
    black_list!("Pushnotification", "push"),
    sortable(field(
        "ccpaOptOut",
        Kind::Boolean,
        "CCPA: do not sell or share my personal information",
    )),
    read_only(field("subscriptions", Kind::Collection, "Subscriptions")),
    read_only(field(
        "appSubscription",
        Kind::Collection,
        "App subscriptions",
    )),
    read_only(field("subHisto", Kind::Collection, "Subscription history")),
    read_only(field("logs", Kind::Collection, "Delivery logs")),
    read_only(field("tracking", Kind::Collection, "Tracking logs")),
    read_only(field("excludeLogs", Kind::Collection, "Exclusion logs")),
    read_only(field("places", Kind::Collection, "Places")),
    ext_only(field("orgUnit", Kind::Link, "Organizational unit")),
    ext_only(field("geoUnit", Kind::Link, "Geographical unit")),
];

/// The values a new profile starts with when the POST does not set them.
pub fn defaults() -> Map<String, Value> {
    let mut map = Map::new();
    for name in [
        "email",
        "firstName",
        "middleName",
        "lastName",
        "salutation",
        "birthDate",
    ] {
        map.insert(name.to_owned(), Value::from(""));
    }
    for name in ["phone", "mobilePhone", "fax", "externalId", "thumbnail"] {
        map.insert(name.to_owned(), Value::from(""));
    }
    for (name, value) in [
        ("gender", "unknown"),
        ("emailFormat", "unknown"),
        ("preferredLanguage", "none"),
        ("timeZone", "none"),
    ] {
        map.insert(name.to_owned(), Value::from(value));
    }
    for f in FIELDS.iter().filter(|f| f.kind == Kind::Boolean) {
        map.insert(f.name.to_owned(), Value::Bool(false));
    }
    map
}

/// The built-in field with this API name.
pub fn lookup(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

/// A custom field published on the extension API (`cusBrand`, `cusOptOutCcpa`).
pub fn is_custom(name: &str) -> bool {
    name.len() > 3 && name.starts_with("cus")
}

/// Whether `name` can be read through `api` (built-in fields everywhere, `cus*` and Ext links on Ext).
pub fn visible_on(name: &str, api: Api) -> bool {
    match lookup(name) {
        Some(f) => !f.ext_only || api == Api::Ext,
        None => api == Api::Ext && is_custom(name),
    }
}

/// Checks a POST or PATCH body; the first refused property decides the error.
pub fn validate_write(api: Api, body: &Map<String, Value>) -> Result<(), AcsError> {
    for (name, value) in body {
        let Some(f) = lookup(name) else {
            if api == Api::Ext && is_custom(name) {
                continue;
            }
            return Err(AcsError::invalid_property(name));
        };
        if f.ext_only && api != Api::Ext {
            return Err(AcsError::invalid_property(name));
        }
        if f.read_only {
            return Err(AcsError::read_only_property(name));
        }
        check_value(f, value)?;
    }
    Ok(())
}

fn check_value(f: &Field, value: &Value) -> Result<(), AcsError> {
    let refuse = |expected: &str| Err(AcsError::invalid_value(f.name, expected));
    match (f.kind, value) {
        (Kind::Boolean, Value::Bool(_)) => Ok(()),
        (Kind::Boolean, _) => refuse("a JSON boolean (true or false)"),
        (Kind::Text(max), Value::String(s)) if s.chars().count() <= max => Ok(()),
        (Kind::Text(max), _) => refuse(&format!("a string of at most {max} characters")),
        (Kind::Email, Value::String(s)) if s.is_empty() || is_plausible_email(s) => Ok(()),
        (Kind::Email, _) => refuse("an email address (string of at most 128 characters)"),
        (Kind::Date, Value::String(s)) if s.is_empty() || clock::parse_date(s).is_some() => Ok(()),
        (Kind::Date, _) => refuse("a date formatted YYYY-MM-DD"),
        (Kind::Enumeration(values), Value::String(s)) if values.contains(&s.as_str()) => Ok(()),
        (Kind::Enumeration(values), _) => refuse(&format!("one of {}", values.join(", "))),
        (Kind::OpenEnumeration, Value::String(s)) if s.len() <= 64 => Ok(()),
        (Kind::OpenEnumeration, _) => refuse("an enumeration value name (string)"),
        (Kind::Link, Value::Object(_)) | (Kind::Object, Value::Object(_)) => Ok(()),
        (Kind::Link, _) => refuse("a link object such as {\"PKey\": \"@...\"}"),
        (Kind::Object, _) => refuse("a JSON object"),
        (Kind::Integer | Kind::DateTime | Kind::Collection, _) => {
            Err(AcsError::read_only_property(f.name))
        }
    }
}

/// Light dataPolicy `email` check: one `@`, both sides non-empty, no spaces or controls, ≤ 128 chars.
fn is_plausible_email(s: &str) -> bool {
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    s.chars().count() <= 128
        && !local.is_empty()
        && !domain.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn accepts_documented_writable_fields() {
        let ok = body(
            json!({"email": "ana@example.com", "ccpaOptOut": true, "gender": "female",
                             "birthDate": "1990-01-31", "location": {"city": "Fresno"}}),
        );
        assert_eq!(validate_write(Api::Plain, &ok), Ok(()));
    }

    #[test]
    fn refuses_non_boolean_opt_out_with_400() {
        for bad in [json!("true"), json!(1), json!(null), json!("yes")] {
            let err = validate_write(Api::Plain, &body(json!({"ccpaOptOut": bad})));
            assert_eq!(err.map_err(|e| e.status().as_u16()), Err(400));
        }
    }

    #[test]
    fn custom_fields_only_on_ext() {
        let custom = body(json!({"cusOptOutCcpa": true}));
        assert_eq!(validate_write(Api::Ext, &custom), Ok(()));
        assert_eq!(
            validate_write(Api::Plain, &custom).map_err(|e| e.status().as_u16()),
            Err(500)
        );
    }

    #[test]
    fn read_only_and_unknown_fields_are_500() {
        for name in ["age", "PKey", "created", "lastModified", "href", "nickname"] {
            let err = validate_write(Api::Ext, &body(json!({name: "x"})));
            assert_eq!(err.map_err(|e| e.status().as_u16()), Err(500), "{name}");
        }
    }
}
