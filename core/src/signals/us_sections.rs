//! The US sections of a GPP string: `usnat` (MSPA US National, v1 and v2) and `usca` (California).
//!
//! Field values are the raw numbers of the specs (0 not applicable, 1 yes / opted out, 2 no /
//! did not opt out), kept for users who want the detail. An opt-out field holding 3, which no
//! spec defines, is kept as written: [`decode_gpp`](super::decode_gpp) reports it as unreadable
//! on its own, and the section's other fields still count.

use serde::Serialize;

use super::bits::{BitReader, malformed};
use super::state_layouts::Role;
use crate::error::Result;

/// Which field widths a `usnat` core was read with (§3.6: chosen by length, not `Version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum UsNatLayout {
    /// 60-bit core: twelve sensitive-data categories, two child-consent fields.
    V1,
    /// 70-bit core: sixteen sensitive-data categories, three child-consent fields.
    V2,
}

impl UsNatLayout {
    /// The layout for a core of `bits` decoded bits: 60–66 is v1, 70 or more is v2, anything
    /// else cannot hold either layout plus at most one character of padding.
    pub(crate) fn for_bit_len(bits: usize) -> Result<UsNatLayout> {
        match bits {
            60..=66 => Ok(UsNatLayout::V1),
            70.. => Ok(UsNatLayout::V2),
            _ => Err(malformed(
                "usnat section",
                &format!("core has {bits} bits; a v1 core has 60 to 66 and a v2 core at least 70"),
            )),
        }
    }

    const fn sensitive_data_fields(self) -> usize {
        match self {
            UsNatLayout::V1 => 12,
            UsNatLayout::V2 => 16,
        }
    }

    const fn known_child_fields(self) -> usize {
        match self {
            UsNatLayout::V1 => 2,
            UsNatLayout::V2 => 3,
        }
    }
}

/// A decoded `usnat` section (GPP section 7).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UsNat {
    /// The widths the core was read with.
    pub layout: UsNatLayout,
    /// The `Version` field as written (reported, never used to pick the layout).
    pub version: u8,
    /// `SharingNotice`.
    pub sharing_notice: u8,
    /// `SaleOptOutNotice`.
    pub sale_opt_out_notice: u8,
    /// `SharingOptOutNotice`.
    pub sharing_opt_out_notice: u8,
    /// `TargetedAdvertisingOptOutNotice`.
    pub targeted_advertising_opt_out_notice: u8,
    /// `SensitiveDataProcessingOptOutNotice`.
    pub sensitive_data_processing_opt_out_notice: u8,
    /// `SensitiveDataLimitUseNotice`.
    pub sensitive_data_limit_use_notice: u8,
    /// `SaleOptOut`: 0 not applicable, 1 opted out, 2 did not opt out.
    pub sale_opt_out: u8,
    /// `SharingOptOut`: 0, 1 or 2 as above.
    pub sharing_opt_out: u8,
    /// `TargetedAdvertisingOptOut`: 0, 1 or 2 as above.
    pub targeted_advertising_opt_out: u8,
    /// `SensitiveDataProcessing`: 12 (v1) or 16 (v2) values.
    pub sensitive_data_processing: Vec<u8>,
    /// `KnownChildSensitiveDataConsents`: 2 (v1) or 3 (v2) values.
    pub known_child_sensitive_data_consents: Vec<u8>,
    /// `PersonalDataConsents`.
    pub personal_data_consents: u8,
    /// `MspaCoveredTransaction`: 1 yes, 2 no.
    pub mspa_covered_transaction: u8,
    /// `MspaOptOutOptionMode`.
    pub mspa_opt_out_option_mode: u8,
    /// `MspaServiceProviderMode`.
    pub mspa_service_provider_mode: u8,
    /// The GPC sub-section's `Gpc`, `None` when the sub-section is absent.
    pub gpc: Option<bool>,
}

impl UsNat {
    /// Decodes a `usnat` section: the base64 core, then an optional `.`-separated GPC sub-section.
    pub(crate) fn decode(section: &str) -> Result<UsNat> {
        let mut parts = section.split('.');
        let mut bits = BitReader::new(parts.next().unwrap_or_default(), "usnat section")?;
        let layout = UsNatLayout::for_bit_len(bits.len())?;
        let usnat = UsNat {
            layout,
            version: version(&mut bits)?,
            sharing_notice: bits.int2()?,
            sale_opt_out_notice: bits.int2()?,
            sharing_opt_out_notice: bits.int2()?,
            targeted_advertising_opt_out_notice: bits.int2()?,
            sensitive_data_processing_opt_out_notice: bits.int2()?,
            sensitive_data_limit_use_notice: bits.int2()?,
            sale_opt_out: bits.int2()?,
            sharing_opt_out: bits.int2()?,
            targeted_advertising_opt_out: bits.int2()?,
            sensitive_data_processing: bits.int2_list(layout.sensitive_data_fields())?,
            known_child_sensitive_data_consents: bits.int2_list(layout.known_child_fields())?,
            personal_data_consents: bits.int2()?,
            mspa_covered_transaction: bits.int2()?,
            mspa_opt_out_option_mode: bits.int2()?,
            mspa_service_provider_mode: bits.int2()?,
            gpc: None,
        };
        bits.finish()?;
        Ok(UsNat {
            gpc: gpc_subsection(parts, "usnat GPC sub-section")?,
            ..usnat
        })
    }
}

/// A decoded `usca` section (GPP section 8, California).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct UsCa {
    /// The `Version` field as written (1 is the only one defined).
    pub version: u8,
    /// `SaleOptOutNotice`.
    pub sale_opt_out_notice: u8,
    /// `SharingOptOutNotice`.
    pub sharing_opt_out_notice: u8,
    /// `SensitiveDataLimitUseNotice`.
    pub sensitive_data_limit_use_notice: u8,
    /// `SaleOptOut`: 0 not applicable, 1 opted out, 2 did not opt out.
    pub sale_opt_out: u8,
    /// `SharingOptOut`: 0, 1 or 2 as above.
    pub sharing_opt_out: u8,
    /// `SensitiveDataProcessing`: nine values.
    pub sensitive_data_processing: [u8; 9],
    /// `KnownChildSensitiveDataConsents`: two values.
    pub known_child_sensitive_data_consents: [u8; 2],
    /// `PersonalDataConsents`.
    pub personal_data_consents: u8,
    /// `MspaCoveredTransaction`: 1 yes, 2 no.
    pub mspa_covered_transaction: u8,
    /// `MspaOptOutOptionMode`.
    pub mspa_opt_out_option_mode: u8,
    /// `MspaServiceProviderMode`.
    pub mspa_service_provider_mode: u8,
    /// The GPC sub-section's `Gpc`, `None` when the sub-section is absent.
    pub gpc: Option<bool>,
}

impl UsCa {
    /// Decodes a `usca` section: the 46-bit core, then an optional GPC sub-section.
    pub(crate) fn decode(section: &str) -> Result<UsCa> {
        let mut parts = section.split('.');
        let mut bits = BitReader::new(parts.next().unwrap_or_default(), "usca section")?;
        let usca = UsCa {
            version: version(&mut bits)?,
            sale_opt_out_notice: bits.int2()?,
            sharing_opt_out_notice: bits.int2()?,
            sensitive_data_limit_use_notice: bits.int2()?,
            sale_opt_out: bits.int2()?,
            sharing_opt_out: bits.int2()?,
            sensitive_data_processing: int2_array(&mut bits)?,
            known_child_sensitive_data_consents: int2_array(&mut bits)?,
            personal_data_consents: bits.int2()?,
            mspa_covered_transaction: bits.int2()?,
            mspa_opt_out_option_mode: bits.int2()?,
            mspa_service_provider_mode: bits.int2()?,
            gpc: None,
        };
        bits.finish()?;
        Ok(UsCa {
            gpc: gpc_subsection(parts, "usca GPC sub-section")?,
            ..usca
        })
    }
}

/// The six-bit `Version` (at most 63, so it fits a byte).
fn version(bits: &mut BitReader<'_>) -> Result<u8> {
    Ok(u8::try_from(bits.int(6)?).unwrap_or(u8::MAX))
}

fn int2_array<const N: usize>(bits: &mut BitReader<'_>) -> Result<[u8; N]> {
    let mut values = [0u8; N];
    for value in &mut values {
        *value = bits.int2()?;
    }
    Ok(values)
}

/// The optional GPC sub-section after the core: `SubsectionType` Int(2) = 1, then `Gpc`.
/// At most one is allowed; an empty one, another type or a second one is an error.
pub(crate) fn gpc_subsection<'a>(
    mut parts: impl Iterator<Item = &'a str>,
    part: &str,
) -> Result<Option<bool>> {
    let Some(text) = parts.next() else {
        return Ok(None);
    };
    let mut bits = BitReader::new(text, part)?;
    let kind = bits.int2()?;
    if kind != 1 {
        return Err(malformed(
            part,
            &format!("has SubsectionType {kind}; only 1 (GPC) is defined"),
        ));
    }
    let gpc = bits.boolean()?;
    bits.finish()?;
    if parts.next().is_some() {
        return Err(malformed(part, "is followed by another sub-section"));
    }
    Ok(Some(gpc))
}

/// An opt-out field of a decoded section: what it means to the decision, its IAB name, and
/// its raw value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OptOutField {
    pub role: Role,
    pub name: &'static str,
    pub raw: u8,
}

impl UsNat {
    /// `SaleOptOut`, `SharingOptOut` and `TargetedAdvertisingOptOut`.
    pub(crate) const fn opt_out_fields(&self) -> [OptOutField; 3] {
        [
            OptOutField {
                role: Role::Sale,
                name: "SaleOptOut",
                raw: self.sale_opt_out,
            },
            OptOutField {
                role: Role::Sharing,
                name: "SharingOptOut",
                raw: self.sharing_opt_out,
            },
            OptOutField {
                role: Role::TargetedAdvertising,
                name: "TargetedAdvertisingOptOut",
                raw: self.targeted_advertising_opt_out,
            },
        ]
    }
}

impl UsCa {
    /// `SaleOptOut` and `SharingOptOut`.
    pub(crate) const fn opt_out_fields(&self) -> [OptOutField; 2] {
        [
            OptOutField {
                role: Role::Sale,
                name: "SaleOptOut",
                raw: self.sale_opt_out,
            },
            OptOutField {
                role: Role::Sharing,
                name: "SharingOptOut",
                raw: self.sharing_opt_out,
            },
        ]
    }
}

/// 1 → opted out, 2 → did not, 0 → not applicable; 3 (undefined) is unreadable, so no value.
pub(crate) const fn opt_out_value(raw: u8) -> Option<bool> {
    match raw {
        1 => Some(true),
        2 => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_chosen_by_bit_length() {
        // Base64 text only yields multiples of six bits; the boundaries are pinned here.
        for bits in [0, 54, 59, 67, 68, 69] {
            assert!(UsNatLayout::for_bit_len(bits).is_err(), "{bits}");
        }
        for bits in [60, 61, 66] {
            assert_eq!(UsNatLayout::for_bit_len(bits).unwrap(), UsNatLayout::V1);
        }
        for bits in [70, 72, 78, 600] {
            assert_eq!(UsNatLayout::for_bit_len(bits).unwrap(), UsNatLayout::V2);
        }
    }

    #[test]
    fn public_usnat_v1_vector() {
        let usnat = UsNat::decode("BAAAVVVVUQA.QA").unwrap();
        assert_eq!(usnat.layout, UsNatLayout::V1);
        assert_eq!(usnat.version, 1);
        assert_eq!(usnat.sensitive_data_processing, vec![1; 12]);
        assert_eq!(usnat.known_child_sensitive_data_consents, vec![1, 1]);
        assert_eq!(usnat.mspa_covered_transaction, 1);
        assert_eq!(usnat.gpc, Some(false));
    }

    #[test]
    fn public_usca_vector() {
        let usca = UsCa::decode("BVWSSSVY.YA").unwrap();
        assert_eq!(
            (
                usca.sale_opt_out_notice,
                usca.sale_opt_out,
                usca.sharing_opt_out
            ),
            (1, 1, 1)
        );
        assert_eq!(usca.sensitive_data_processing, [2, 1, 0, 2, 1, 0, 2, 1, 0]);
        assert_eq!(usca.known_child_sensitive_data_consents, [2, 1]);
        assert_eq!(usca.gpc, Some(true));
    }
}
