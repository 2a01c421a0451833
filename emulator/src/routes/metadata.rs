//! `GET …/resourceType/profile`: the resource's metadata, and its filter definitions.

use serde_json::{Map, Value, json};

use super::view::Links;
use crate::api::Api;
use crate::fields::{FIELDS, Kind};

/// The metadata document (acs-api.md §7), listing every field visible on this API: the
/// built-in ones, and on Ext the published custom fields (`custom`: name, declared type).
pub fn profile_metadata(links: &Links, custom: &[(String, String)]) -> Value {
    let mut content = Map::new();
    for field in FIELDS
        .iter()
        .filter(|f| !f.ext_only || links.api == Api::Ext)
    {
        let mut entry = json!({
            "apiName": field.name,
            "label": field.label,
            "type": type_name(field.kind),
            "sortable": field.sortable,
            "readOnly": field.read_only,
        });
        match field.kind {
            Kind::Text(length) => entry["length"] = json!(length),
            Kind::Email => {
                entry["length"] = json!(128);
                entry["dataPolicy"] = json!("email");
            }
            Kind::Enumeration(values) => {
                entry["values"] = values
                    .iter()
                    .map(|v| json!({"@name": v, "label": v}))
                    .collect();
            }
            Kind::Link => entry["resType"] = json!("link"),
            _ => {}
        }
        content.insert(field.name.to_owned(), entry);
    }
    if links.api == Api::Ext {
        for (name, type_name) in custom {
            let entry =
                json!({"apiName": name, "label": name, "type": type_name, "sortable": false});
            content.insert(name.clone(), entry);
        }
    }
    let root = links.api_root.as_str();
    json!({
        "name": "profile",
        "label": "Profiles",
        "help": "Profiles of the Adobe Campaign Standard emulator",
        "schema": "nms:recipient",
        "type": "item",
        "data": format!("/{}/profile/", links.api.name()),
        "href": format!("{root}/resourceType/profile"),
        "filters": {"href": format!("{root}/resourceType/profile/filters")},
        "mandatory": false,
        "readOnly": false,
        "pkgStatus": "never",
        "content": content,
    })
}

/// The filters the emulator serves.
pub fn filters(links: &Links) -> Value {
    let root = links.collection();
    json!({
        "content": {
            "byEmail": {"name": "byEmail", "label": "By email (exact match)",
                        "href": format!("{root}/byEmail"), "parameters": {"email": {"type": "string"}}},
            "byText": {"name": "byText", "label": "By text (case-sensitive prefix of last name or email)",
                       "href": format!("{root}/byText"),
                       "parameters": {"text": {"type": "string"}, "filterType": {"type": "string"}}},
        }
    })
}

fn type_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Text(_) | Kind::Email => "string",
        Kind::Date => "date",
        Kind::DateTime => "datetime",
        Kind::Boolean => "boolean",
        Kind::Integer => "long",
        Kind::Enumeration(_) | Kind::OpenEnumeration => "enumeration",
        Kind::Link => "link",
        Kind::Collection => "collection",
        Kind::Object => "object",
    }
}
