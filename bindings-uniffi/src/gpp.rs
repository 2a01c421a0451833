//! The decoded GPP string as records: the parts whose core types UniFFI cannot carry as they
//! are (fixed-size arrays, `&'static str` names, a map keyed by section). Everything else in
//! them — `UsPrivacy`, `UsNat`, `UsSection` — is the core's own type.

use ccpa_optout::signals::{self as core, UsNat, UsPrivacy, UsSection};

/// A decoded `usca` section; values are the spec's numbers (0 n/a, 1 yes, 2 no).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UsCa {
    /// `Version` as written.
    pub version: u8,
    /// `SaleOptOutNotice`.
    pub sale_opt_out_notice: u8,
    /// `SharingOptOutNotice`.
    pub sharing_opt_out_notice: u8,
    /// `SensitiveDataLimitUseNotice`.
    pub sensitive_data_limit_use_notice: u8,
    /// `SaleOptOut`.
    pub sale_opt_out: u8,
    /// `SharingOptOut`.
    pub sharing_opt_out: u8,
    /// `SensitiveDataProcessing` (9 values).
    pub sensitive_data_processing: Vec<u8>,
    /// `KnownChildSensitiveDataConsents` (2 values).
    pub known_child_sensitive_data_consents: Vec<u8>,
    /// `PersonalDataConsents`.
    pub personal_data_consents: u8,
    /// `MspaCoveredTransaction`.
    pub mspa_covered_transaction: u8,
    /// `MspaOptOutOptionMode`.
    pub mspa_opt_out_option_mode: u8,
    /// `MspaServiceProviderMode`.
    pub mspa_service_provider_mode: u8,
    /// The GPC sub-section's `Gpc`; none when absent.
    pub gpc: Option<bool>,
}

impl From<core::UsCa> for UsCa {
    fn from(usca: core::UsCa) -> Self {
        UsCa {
            version: usca.version,
            sale_opt_out_notice: usca.sale_opt_out_notice,
            sharing_opt_out_notice: usca.sharing_opt_out_notice,
            sensitive_data_limit_use_notice: usca.sensitive_data_limit_use_notice,
            sale_opt_out: usca.sale_opt_out,
            sharing_opt_out: usca.sharing_opt_out,
            sensitive_data_processing: usca.sensitive_data_processing.to_vec(),
            known_child_sensitive_data_consents: usca.known_child_sensitive_data_consents.to_vec(),
            personal_data_consents: usca.personal_data_consents,
            mspa_covered_transaction: usca.mspa_covered_transaction,
            mspa_opt_out_option_mode: usca.mspa_opt_out_option_mode,
            mspa_service_provider_mode: usca.mspa_service_provider_mode,
            gpc: usca.gpc,
        }
    }
}

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

impl From<core::StateField> for StateField {
    fn from(field: core::StateField) -> Self {
        StateField {
            name: field.name.to_owned(),
            key: field.key.to_owned(),
            value: match field.value {
                core::FieldValue::Int(value) => StateFieldValue::Int { value },
                core::FieldValue::List(values) => StateFieldValue::List { values },
            },
        }
    }
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
            section: state.section,
            version: state.version,
            sale_opt_out: state.sale_opt_out,
            sharing_opt_out: state.sharing_opt_out,
            targeted_advertising_opt_out: state.targeted_advertising_opt_out,
            fields: state.fields.into_iter().map(StateField::from).collect(),
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

/// The full detail of each decoded US section; none (or no entry) when the string does not
/// hold it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GppSections {
    /// Section 6; none also when it could not be read (see `GppSignals.unreadable`).
    pub uspv1: Option<UsPrivacy>,
    /// Section 7.
    pub usnat: Option<UsNat>,
    /// Section 8.
    pub usca: Option<UsCa>,
    /// The state sections 9–27 present, in id order, one generic record each.
    pub states: Vec<UsStateSection>,
}

/// What a GPP string says about "do not sell or share": each opt-out is true (1, opted out),
/// false (2, did not) or none (0, not applicable or not carried).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GppSignals {
    /// Every section id the header lists, in order.
    pub section_ids: Vec<u32>,
    /// `SaleOptOut` of any US section, or position 3 of `uspv1`: any opt-out wins.
    pub sale_opt_out: Option<bool>,
    /// `SharingOptOut` of `usnat`/`usca`.
    pub sharing_opt_out: Option<bool>,
    /// `TargetedAdvertisingOptOut` of `usnat` or any state section.
    pub targeted_advertising_opt_out: Option<bool>,
    /// The GPC sub-sections' `Gpc`.
    pub gpc: Option<bool>,
    /// The US sections the values came from, in header order.
    pub source: Vec<UsSection>,
    /// The full detail of those sections.
    pub sections: GppSections,
    /// The parts that could not be read on their own (an opt-out of 3, a malformed `uspv1`),
    /// in header order; the rest of the string still counts.
    pub unreadable: Vec<UnreadablePart>,
}

impl From<core::GppSignals> for GppSignals {
    fn from(gpp: core::GppSignals) -> Self {
        let sections = gpp.sections;
        GppSignals {
            section_ids: gpp.section_ids,
            sale_opt_out: gpp.sale_opt_out,
            sharing_opt_out: gpp.sharing_opt_out,
            targeted_advertising_opt_out: gpp.targeted_advertising_opt_out,
            gpc: gpp.gpc,
            source: gpp.source,
            sections: GppSections {
                uspv1: sections.uspv1,
                usnat: sections.usnat,
                usca: sections.usca.map(UsCa::from),
                states: sections.states.into_values().map(Into::into).collect(),
            },
            unreadable: gpp
                .unreadable
                .into_iter()
                .map(|part| UnreadablePart {
                    section: part.section,
                    field: part.field.map(str::to_owned),
                    message: part.message,
                })
                .collect(),
        }
    }
}
