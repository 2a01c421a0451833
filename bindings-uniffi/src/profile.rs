//! Profiles and what the operations return, as records; profile fields go in as a JSON object.

use ccpa_optout::{OptOutField, ProfileMetadata as CoreMetadata};
use serde_json::Value;

/// One ACS profile: the fields the library works with, typed, plus the whole profile as a JSON
/// object in `json` (every field, known or not, exactly as ACS sent it), so reading a profile
/// and writing fields back never loses data.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Profile {
    /// The primary key (`PKey`).
    pub pkey: Option<String>,
    /// The absolute URL of this profile (`href`).
    pub href: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// `firstName`.
    pub first_name: Option<String>,
    /// `lastName`.
    pub last_name: Option<String>,
    /// The opt-out attribute (`ccpaOptOut` unless configured otherwise): true = do not sell.
    pub opt_out: Option<bool>,
    /// The whole profile as a JSON object text, known fields under their ACS names.
    pub json: String,
}

impl Profile {
    pub(crate) fn from_core(profile: &ccpa_optout::Profile, field: &OptOutField) -> Self {
        Profile {
            pkey: profile.pkey.as_ref().map(|pkey| pkey.as_str().to_owned()),
            href: profile.href.clone(),
            email: profile.email.clone(),
            first_name: profile.first_name.clone(),
            last_name: profile.last_name.clone(),
            opt_out: profile.opt_out,
            json: Value::Object(profile.to_json(field)).to_string(),
        }
    }

    pub(crate) fn list(profiles: &[ccpa_optout::Profile], field: &OptOutField) -> Vec<Self> {
        profiles
            .iter()
            .map(|profile| Profile::from_core(profile, field))
            .collect()
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ProfilePage {
    /// The profiles of this page.
    pub content: Vec<Profile>,
    /// The URL of the next page (`next.href`), none on the last page.
    pub next: Option<String>,
    /// The URL that counts the listing (`count.href`), if given.
    pub count: Option<String>,
}

/// One field of the profile resource and its declared type.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MetadataField {
    /// The API name.
    pub name: String,
    /// `string`, `boolean`, `link`…
    pub field_type: String,
}

/// What `resourceType/profile` says, and whether the configured opt-out field is usable.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProfileMetadata {
    /// Every field, in the server's order.
    pub fields: Vec<MetadataField>,
    /// Whether the opt-out field exists, whatever type name it is declared with (check
    /// before a bulk run).
    pub opt_out_field_ok: bool,
}

impl ProfileMetadata {
    pub(crate) fn from_core(metadata: &CoreMetadata, field: &OptOutField) -> Self {
        ProfileMetadata {
            fields: metadata
                .fields
                .iter()
                .map(|(name, kind)| MetadataField {
                    name: name.clone(),
                    field_type: kind.clone(),
                })
                .collect(),
            opt_out_field_ok: metadata.check_opt_out_field(field).is_ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_profile_keeps_every_field_in_its_json() {
        let field = OptOutField::new("ccpaOptOut").unwrap();
        let raw = serde_json::json!({"PKey": "@a", "email": "ana@example.com", "ccpaOptOut": true,
            "gender": "female", "nested": {"x": [1, 2]}});
        let core = ccpa_optout::Profile::from_json(raw.clone(), &field).unwrap();
        let profile = Profile::from_core(&core, &field);
        assert_eq!(profile.pkey.as_deref(), Some("@a"));
        assert_eq!(profile.opt_out, Some(true));
        assert_eq!(serde_json::from_str::<Value>(&profile.json).unwrap(), raw);
    }
}
