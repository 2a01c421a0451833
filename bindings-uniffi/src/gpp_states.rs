//! The GPP state sections (9–27) as one generic record, and the parts that could not be read.

use ccpa_optout::signals as core;

use crate::gpp::UsSection;

/// A field's value as written: one number, or the numbers of an N-Bitfield.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum StateFieldValue {
    /// An `Int(2)` or `Int(6)` field.
    Int {
        /// The number.
        value: u8,
    },
    /// An `N-Bitfield(2, n)` field.
    List {
        /// The n numbers.
        values: Vec<u8>,
    },
}

/// One field of a state section.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StateField {
    /// The IAB's name, as the GPP JS API spells it (`SaleOptOut`).
    pub name: String,
    /// The same in snake_case, as the JSON results of the other bindings spell it.
    pub key: String,
    /// The value as written (an opt-out of 3, which no spec defines, stays 3).
    pub value: StateFieldValue,
}

/// A decoded state section (`usva`, `usco`, … `usri`), the same shape for every state; values
/// are the spec's numbers (opt-outs: 0 not applicable, 1 opted out, 2 did not opt out).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UsStateSection {
    /// Which section.
    pub section: UsSection,
    /// The version field (`Version`, or `MspaVersion` in usmd, usin, usky and usri).
    pub version: u8,
    /// `SaleOptOut`; none where the section has no such field.
    pub sale_opt_out: Option<u8>,
    /// `SharingOptOut`; no state section has it today.
    pub sharing_opt_out: Option<u8>,
    /// `TargetedAdvertisingOptOut`; none where the section has no such field.
    pub targeted_advertising_opt_out: Option<u8>,
    /// Every core field in the spec's order (the ones above included).
    pub fields: Vec<StateField>,
    /// The sensitive-data-consent segment's `SensitiveDataProcessing` (usin, usky, usri); none
    /// when absent or the section has none.
    pub sensitive_data_consents: Option<Vec<u8>>,
    /// The GPC sub-section's `Gpc`; none when absent or the section has none.
    pub gpc: Option<bool>,
}

impl From<core::UsStateSection> for UsStateSection {
    fn from(state: core::UsStateSection) -> Self {
        UsStateSection {
            section: state.section.into(),
            version: state.version,
            sale_opt_out: state.sale_opt_out,
            sharing_opt_out: state.sharing_opt_out,
            targeted_advertising_opt_out: state.targeted_advertising_opt_out,
            fields: state
                .fields
                .into_iter()
                .map(|field| StateField {
                    name: field.name.to_owned(),
                    key: field.key.to_owned(),
                    value: match field.value {
                        core::FieldValue::Int(value) => StateFieldValue::Int { value },
                        core::FieldValue::List(values) => StateFieldValue::List { values },
                    },
                })
                .collect(),
            sensitive_data_consents: state.sensitive_data_consents,
            gpc: state.gpc,
        }
    }
}

/// A part of a GPP string that could not be read on its own while the rest could: an opt-out
/// field holding the undefined value 3, or a `uspv1` section that is not a US Privacy string.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UnreadablePart {
    /// The section it is in.
    pub section: UsSection,
    /// The field's IAB name (`TargetedAdvertisingOptOut`); none for a whole `uspv1` section.
    pub field: Option<String>,
    /// Why, naming section and field.
    pub message: String,
}

impl From<core::UnreadablePart> for UnreadablePart {
    fn from(part: core::UnreadablePart) -> Self {
        UnreadablePart {
            section: part.section.into(),
            field: part.field.map(str::to_owned),
            message: part.message,
        }
    }
}
