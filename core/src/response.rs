//! Sans-IO response parsers: status first, then shape, with the failing field in the error.

use serde_json::{Map, Value};

use crate::config::OptOutField;
use crate::error_body::{body_excerpt, error_from_response, looks_like_html};
use crate::pkey::PKey;
use crate::profile::{PatchAck, Profile, ProfilePage, kind_of};
use crate::{Error, Result};

/// An answer as the transport received it.
pub type HttpResponse = http::Response<Vec<u8>>;

/// The default cap on a response body: 16 MiB, far above any profile page.
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// `Ok` for a 2xx answer; the typed error for anything else (see [`error_from_response`]).
pub fn check_status(response: &HttpResponse) -> Result<()> {
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(error_from_response(
            status.as_u16(),
            response.headers(),
            response.body(),
        ))
    }
}

/// A `Decode` error unless the body fits in `max_bytes`.
pub fn check_body_size(response: &HttpResponse, max_bytes: usize) -> Result<()> {
    if response.body().len() > max_bytes {
        return Err(Error::decode(
            format!("the response body is larger than the {max_bytes}-byte limit"),
            body_excerpt(response.body()),
        ));
    }
    Ok(())
}

/// One profile, as GET or POST returns it: a bare object or wrapped in `{"content": [profile]}`.
pub fn parse_profile(response: &HttpResponse, opt_out_field: &OptOutField) -> Result<Profile> {
    let map = json_object(response)?;
    let wrapped = !map.contains_key("PKey") && matches!(map.get("content"), Some(Value::Array(_)));
    let value = if wrapped {
        match map.get("content") {
            Some(Value::Array(items)) if items.len() == 1 => {
                items.first().cloned().unwrap_or_default()
            }
            _ => {
                return Err(decode(
                    response,
                    "a wrapped profile must hold exactly one item in \"content\"",
                ));
            }
        }
    } else {
        Value::Object(map)
    };
    Profile::from_json(value, opt_out_field).map_err(|e| with_excerpt(e, response))
}

/// One page of a listing: `content`, `next.href` (absent or null on the last page), `count.href`.
pub fn parse_profile_page(
    response: &HttpResponse,
    opt_out_field: &OptOutField,
) -> Result<ProfilePage> {
    let mut map = json_object(response)?;
    let content = match map.remove("content") {
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(decode(
                response,
                &format!("\"content\" should be an array, found {}", kind_of(&other)),
            ));
        }
        None => return Err(decode(response, "a page must have a \"content\" array")),
    };
    let content = content
        .into_iter()
        .map(|item| Profile::from_json(item, opt_out_field))
        .collect::<Result<Vec<_>>>()
        .map_err(|e| with_excerpt(e, response))?;
    Ok(ProfilePage {
        content,
        next: link_href(response, &map, "next")?,
        count: link_href(response, &map, "count")?,
    })
}

/// The PATCH acknowledgement `{PKey, href}`; `None` for an empty 2xx (v8 tenants answer 204).
pub fn parse_patch_ack(response: &HttpResponse) -> Result<Option<PatchAck>> {
    check_status(response)?;
    if response.body().iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let map = json_object(response)?;
    let pkey = match map.get("PKey") {
        Some(Value::String(raw)) => {
            PKey::new(raw).map_err(|e| with_excerpt(Error::decode(e.message(), ""), response))?
        }
        _ => {
            return Err(
                decode(response, "the acknowledgement has no \"PKey\" string").with_field("PKey"),
            );
        }
    };
    let href = map.get("href").and_then(Value::as_str).map(str::to_owned);
    Ok(Some(PatchAck { pkey, href }))
}

/// The answer to DELETE: any 2xx (ACS documents no body).
pub fn parse_delete(response: &HttpResponse) -> Result<()> {
    check_status(response)
}

/// `{"count": n}` from a listing's `count.href`.
pub fn parse_count(response: &HttpResponse) -> Result<u64> {
    let map = json_object(response)?;
    map.get("count").and_then(Value::as_u64).ok_or_else(|| {
        decode(response, "expected {\"count\": <non-negative integer>}").with_field("count")
    })
}

/// What `resourceType/profile` says about the profile resource.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfileMetadata {
    /// Each field's API name and type (`string`, `boolean`, `link`, …), in the server's order.
    pub fields: Vec<(String, String)>,
}

impl ProfileMetadata {
    /// The declared type of a field, if the resource has it.
    pub fn field_type(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, kind)| kind.as_str())
    }

    /// Whether the opt-out field can be written: a `Config` error that says what to change
    /// when the resource has no such field; otherwise what its declared type says.
    ///
    /// Only a missing field is an error. ACS documents no type name for booleans, so a field
    /// declared under another name is usable: every write still sends a JSON boolean and
    /// every read refuses anything else, profile by profile. Run it before a bulk job rather
    /// than failing on every row, and show [`OptOutFieldType::warning`] once if there is one.
    pub fn check_opt_out_field(&self, opt_out_field: &OptOutField) -> Result<OptOutFieldType> {
        match self.field_type(opt_out_field.as_str()) {
            Some("boolean") => Ok(OptOutFieldType::Boolean),
            Some(other) => Ok(OptOutFieldType::Declared {
                field: opt_out_field.as_str().to_owned(),
                type_name: other.to_owned(),
            }),
            None => Err(Error::config(
                "optOutField",
                format!(
                    "the tenant has no {opt_out_field} field on this API; custom fields need profileAndServicesExt"
                ),
            )),
        }
    }
}

/// The declared type of an opt-out field that exists (see [`ProfileMetadata::check_opt_out_field`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptOutFieldType {
    /// Declared `boolean`, as the emulator and the documented examples show it.
    Boolean,
    /// Declared under another type name, which ACS does not document; usable, worth a warning.
    Declared {
        /// The opt-out field's name.
        field: String,
        /// The type name the metadata gives.
        type_name: String,
    },
}

impl OptOutFieldType {
    /// One line to show the user when the type is not `boolean`, else `None`.
    pub fn warning(&self) -> Option<String> {
        match self {
            OptOutFieldType::Boolean => None,
            OptOutFieldType::Declared { field, type_name } => Some(format!(
                "the tenant declares {field} as {type_name:?}, not \"boolean\"; going on, since every value written is a JSON boolean and any other value read is refused per profile"
            )),
        }
    }
}

/// The metadata of the profile resource.
pub fn parse_profile_metadata(response: &HttpResponse) -> Result<ProfileMetadata> {
    let map = json_object(response)?;
    let Some(Value::Object(content)) = map.get("content") else {
        return Err(decode(response, "the metadata has no \"content\" object"));
    };
    let fields = content
        .iter()
        .map(|(name, info)| {
            let api_name = info.get("apiName").and_then(Value::as_str).unwrap_or(name);
            let kind = info
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("unknown");
            (api_name.to_owned(), kind.to_owned())
        })
        .collect();
    Ok(ProfileMetadata { fields })
}

fn json_object(response: &HttpResponse) -> Result<Map<String, Value>> {
    check_status(response)?;
    let body = response.body();
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(decode(
            response,
            &format!("expected a JSON object, found {}", kind_of(&other)),
        )),
        Err(_) if looks_like_html(&String::from_utf8_lossy(body)) => Err(decode(
            response,
            "expected JSON, got an HTML page (a proxy or login page?)",
        )),
        Err(e) if body.is_empty() => Err(decode(
            response,
            &format!("expected JSON, got an empty body ({e})"),
        )),
        Err(e) => Err(decode(
            response,
            &format!("the body is not valid JSON: {e}"),
        )),
    }
}

fn link_href(
    response: &HttpResponse,
    map: &Map<String, Value>,
    name: &str,
) -> Result<Option<String>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(link)) => match link.get("href") {
            Some(Value::String(href)) => Ok(Some(href.clone())),
            None | Some(Value::Null) => Ok(None),
            Some(_) => Err(
                decode(response, &format!("\"{name}.href\" should be a string")).with_field(name),
            ),
        },
        Some(_) => Err(decode(
            response,
            &format!("\"{name}\" should be an object with an href"),
        )
        .with_field(name)),
    }
}

fn decode(response: &HttpResponse, message: &str) -> Error {
    Error::decode(message, body_excerpt(response.body()))
}

fn with_excerpt(err: Error, response: &HttpResponse) -> Error {
    let field = err.field().map(str::to_owned);
    let fresh = Error::decode(err.message(), body_excerpt(response.body()));
    match field {
        Some(field) => fresh.with_field(field),
        None => fresh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn response(status: u16, body: &str) -> HttpResponse {
        let mut response = http::Response::new(body.as_bytes().to_vec());
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        response
    }

    #[test]
    fn bare_and_wrapped_profiles_parse_the_same() {
        let field = OptOutField::default();
        let bare =
            parse_profile(&response(200, r#"{"PKey":"@a","ccpaOptOut":true}"#), &field).unwrap();
        let wrapped = parse_profile(
            &response(200, r#"{"content":[{"PKey":"@a","ccpaOptOut":true}]}"#),
            &field,
        )
        .unwrap();
        assert_eq!(bare, wrapped);
    }

    #[test]
    fn a_2xx_html_page_is_a_decode_error() {
        let err = parse_profile(
            &response(200, "<html><body>Sign in</body></html>"),
            &OptOutField::default(),
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert!(err.excerpt().unwrap().contains("Sign in"));
    }

    #[test]
    fn the_last_page_has_no_next() {
        let page = parse_profile_page(
            &response(200, r#"{"content":[],"next":null}"#),
            &OptOutField::default(),
        )
        .unwrap();
        assert_eq!(page.next, None);
        let page = parse_profile_page(
            &response(
                200,
                r#"{"content":[],"next":{"href":"x"},"count":{"href":"c"}}"#,
            ),
            &OptOutField::default(),
        )
        .unwrap();
        assert_eq!(
            (page.next.as_deref(), page.count.as_deref()),
            (Some("x"), Some("c"))
        );
    }

    #[test]
    fn empty_patch_answers_are_accepted() {
        assert_eq!(parse_patch_ack(&response(204, "")).unwrap(), None);
        let ack = parse_patch_ack(&response(200, r#"{"PKey":"@a","href":"h"}"#))
            .unwrap()
            .unwrap();
        assert_eq!(ack.pkey.as_str(), "@a");
    }

    #[test]
    fn metadata_tells_whether_the_opt_out_field_exists() {
        let body = r#"{"content":{"email":{"apiName":"email","type":"string"},"ccpaOptOut":{"apiName":"ccpaOptOut","type":"boolean"}}}"#;
        let metadata = parse_profile_metadata(&response(200, body)).unwrap();
        let found = metadata
            .check_opt_out_field(&OptOutField::default())
            .unwrap();
        assert_eq!(
            (found.clone(), found.warning()),
            (OptOutFieldType::Boolean, None)
        );
        let custom = OptOutField::new("cusOptOutCcpa").unwrap();
        assert_eq!(
            metadata.check_opt_out_field(&custom).unwrap_err().kind(),
            ErrorKind::Config
        );
    }

    #[test]
    fn an_undocumented_type_name_is_a_warning_not_an_error() {
        let body = r#"{"content":{"ccpaOptOut":{"apiName":"ccpaOptOut","type":"bool"}}}"#;
        let metadata = parse_profile_metadata(&response(200, body)).unwrap();
        let found = metadata
            .check_opt_out_field(&OptOutField::default())
            .unwrap();
        let warning = found.warning().unwrap();
        assert!(
            warning.contains("ccpaOptOut") && warning.contains("\"bool\""),
            "{warning}"
        );
    }
}
