//! The US state sections of a GPP string (ids 9–27), decoded by one reader over their field tables.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::bits::{BitReader, malformed};
use super::sections::UsSection;
use super::state_layouts::{Role, StateLayout, SubSection, Width};
use super::us_sections::{OptOutField, gpc_subsection};
use crate::error::Result;

/// A field's value as written: one number (`Int(n)`), or the numbers of an N-Bitfield.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// An `Int(2)` or `Int(6)` field.
    Int(u8),
    /// An `N-Bitfield(2, n)` field: n values.
    List(Vec<u8>),
}

/// One field of a state section.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StateField {
    /// The IAB's name, as the GPP JS API spells it (`"SaleOptOut"`).
    pub name: &'static str,
    /// The same in snake_case, as the JSON results spell it (`"sale_opt_out"`).
    pub key: &'static str,
    /// The value as written (an opt-out of 3, which no spec defines, is kept as 3).
    pub value: FieldValue,
}

/// A decoded state section (`usva`, `usco`, … `usri`): every field of its spec, in order.
///
/// Values are the spec's raw numbers (opt-outs: 0 not applicable, 1 opted out, 2 did not opt
/// out). Serialized as one object with every field under its snake_case key, then
/// `sensitive_data_processing` for the sections with a sensitive-data-consent segment (usin,
/// usky, usri; `null` when the segment is absent), then `gpc` (`null` when the GPC sub-section
/// is absent or the section has none).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UsStateSection {
    /// Which section.
    pub section: UsSection,
    /// The version field as written (`Version`, or `MspaVersion` in usmd, usin, usky and usri).
    pub version: u8,
    /// `SaleOptOut` as written; `None` where the section has no such field.
    pub sale_opt_out: Option<u8>,
    /// `SharingOptOut` as written; no state section has it today (sharing is a CPRA term).
    pub sharing_opt_out: Option<u8>,
    /// `TargetedAdvertisingOptOut` as written; `None` where the section has no such field.
    pub targeted_advertising_opt_out: Option<u8>,
    /// Every core field in the spec's order, the version and the opt-outs above included.
    pub fields: Vec<StateField>,
    /// The sensitive-data-consent segment's `SensitiveDataProcessing` (usin, usky, usri);
    /// `None` when the segment is absent or the section has none.
    pub sensitive_data_consents: Option<Vec<u8>>,
    /// The GPC sub-section's `Gpc`; `None` when it is absent or the section has none.
    pub gpc: Option<bool>,
}

impl UsStateSection {
    /// The value of the field with this IAB name (`"SaleOptOut"`), if the section has it.
    pub fn field(&self, name: &str) -> Option<&FieldValue> {
        self.fields
            .iter()
            .find(|field| field.name == name)
            .map(|field| &field.value)
    }

    /// Decodes one state section with its layout: the base64 core, then what may follow it.
    pub(crate) fn decode(layout: &StateLayout, text: &str) -> Result<UsStateSection> {
        let name = layout.section.name();
        let core_part = format!("{name} section");
        let mut parts = text.split('.');
        let mut bits = BitReader::new(parts.next().unwrap_or_default(), &core_part)?;
        let mut decoded = UsStateSection {
            section: layout.section,
            version: 0,
            sale_opt_out: None,
            sharing_opt_out: None,
            targeted_advertising_opt_out: None,
            fields: Vec::with_capacity(layout.core.len()),
            sensitive_data_consents: None,
            gpc: None,
        };
        for spec in layout.core {
            let value = match spec.width {
                // Int(6) at most: the version, which fits a byte.
                Width::Int(width) => {
                    FieldValue::Int(u8::try_from(bits.int(width)?).unwrap_or(u8::MAX))
                }
                Width::Bitfield(count) => FieldValue::List(bits.int2_list(count)?),
            };
            if let FieldValue::Int(raw) = value {
                // The first field is always the version (`Version` or `MspaVersion`).
                match spec.role {
                    Role::Sale => decoded.sale_opt_out = Some(raw),
                    Role::Sharing => decoded.sharing_opt_out = Some(raw),
                    Role::TargetedAdvertising => decoded.targeted_advertising_opt_out = Some(raw),
                    Role::Detail if decoded.fields.is_empty() => decoded.version = raw,
                    Role::Detail => {}
                }
            }
            decoded.fields.push(StateField {
                name: spec.name,
                key: spec.key,
                value,
            });
        }
        bits.finish()?;
        match layout.sub_section {
            SubSection::Gpc => {
                decoded.gpc = gpc_subsection(parts, &format!("{name} GPC sub-section"))?;
            }
            SubSection::SensitiveDataConsent(count) => {
                let part = format!("{name} sensitive-data-consent segment");
                if let Some(text) = parts.next() {
                    let mut bits = BitReader::new(text, &part)?;
                    decoded.sensitive_data_consents = Some(bits.int2_list(count)?);
                    bits.finish()?;
                }
                if parts.next().is_some() {
                    return Err(malformed(&part, "is followed by another sub-section"));
                }
            }
            SubSection::None => {
                if parts.next().is_some() {
                    return Err(malformed(&core_part, "has a sub-section, but defines none"));
                }
            }
        }
        Ok(decoded)
    }

    /// The opt-out fields the section has, with their raw values.
    pub(crate) fn opt_out_fields(&self) -> impl Iterator<Item = OptOutField> {
        [
            (Role::Sale, "SaleOptOut", self.sale_opt_out),
            (Role::Sharing, "SharingOptOut", self.sharing_opt_out),
            (
                Role::TargetedAdvertising,
                "TargetedAdvertisingOptOut",
                self.targeted_advertising_opt_out,
            ),
        ]
        .into_iter()
        .filter_map(|(role, name, raw)| raw.map(|raw| OptOutField { role, name, raw }))
    }

    /// Whether the section's spec has a sensitive-data-consent segment (usin, usky, usri).
    fn has_consent_segment(&self) -> bool {
        super::state_layouts::layout(self.section)
            .is_some_and(|l| matches!(l.sub_section, SubSection::SensitiveDataConsent(_)))
    }
}

impl Serialize for UsStateSection {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for field in &self.fields {
            map.serialize_entry(field.key, &field.value)?;
        }
        if self.has_consent_segment() {
            map.serialize_entry("sensitive_data_processing", &self.sensitive_data_consents)?;
        }
        map.serialize_entry("gpc", &self.gpc)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::state_layouts::layout;

    fn decode(section: UsSection, text: &str) -> Result<UsStateSection> {
        UsStateSection::decode(layout(section).unwrap(), text)
    }

    #[test]
    fn the_iab_colorado_string_reads_field_by_field() {
        // iabgpp-es encode test: every field set, GPC true.
        let usco = decode(UsSection::Usco, "BVWSSVg.YA").unwrap();
        assert_eq!((usco.version, usco.sale_opt_out), (1, Some(1)));
        assert_eq!(usco.targeted_advertising_opt_out, Some(1));
        assert_eq!(usco.sharing_opt_out, None);
        assert_eq!(
            usco.field("SensitiveDataProcessing"),
            Some(&FieldValue::List(vec![2, 1, 0, 2, 1, 0, 2]))
        );
        assert_eq!(
            usco.field("MspaServiceProviderMode"),
            Some(&FieldValue::Int(2))
        );
        assert_eq!(usco.gpc, Some(true));
    }

    #[test]
    fn a_consent_segment_is_null_when_absent_and_gpc_is_always_a_key() {
        let usin = decode(UsSection::Usin, "BQAA").unwrap();
        let json = serde_json::to_value(&usin).unwrap();
        assert_eq!(json["mspa_version"], 1);
        assert!(json["sensitive_data_processing"].is_null() && json["gpc"].is_null());
        let usin = decode(UsSection::Usin, "BVVV.kkk").unwrap();
        assert_eq!(
            usin.sensitive_data_consents,
            Some(vec![2, 1, 0, 2, 1, 0, 2, 1])
        );
        let usva = serde_json::to_value(decode(UsSection::Usva, "BVWSSVY").unwrap()).unwrap();
        assert!(usva.get("sensitive_data_processing").is_some() && usva["gpc"].is_null());
    }

    #[test]
    fn what_may_follow_a_core_is_checked() {
        assert!(decode(UsSection::Usva, "BVWSSVY.YA").is_err()); // usva defines no sub-section
        assert!(decode(UsSection::Usco, "BVWSSVg.YA.YA").is_err());
        assert!(decode(UsSection::Usri, "BVVV.kkk.kkk").is_err());
        assert!(decode(UsSection::Usri, "BVVV.kk").is_err()); // 12 bits of 16
        assert!(decode(UsSection::Usmd, "BVV").is_err()); // 18 bits of 22
    }
}
