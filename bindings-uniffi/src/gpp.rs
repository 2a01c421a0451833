//! Decoded IAB strings as records: the US Privacy string and the GPP string with its US sections.

use ccpa_optout::signals as core;

use crate::gpp_states::{UnreadablePart, UsStateSection};

/// One position of a US Privacy string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum UspFlag {
    /// `Y`.
    Yes,
    /// `N`.
    No,
    /// `-`: not applicable or unknown.
    NotApplicable,
}

impl From<core::UspFlag> for UspFlag {
    fn from(flag: core::UspFlag) -> Self {
        match flag {
            core::UspFlag::Yes => UspFlag::Yes,
            core::UspFlag::No => UspFlag::No,
            core::UspFlag::NotApplicable => UspFlag::NotApplicable,
        }
    }
}

/// A decoded US Privacy string such as `1YNN`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UsPrivacy {
    /// Always 1.
    pub version: u8,
    /// Notice and the opportunity to opt out were given.
    pub notice: UspFlag,
    /// The user opted out of the sale of personal information.
    pub opt_out_sale: UspFlag,
    /// Covered by the IAB Limited Service Provider Agreement.
    pub lspa: UspFlag,
    /// Whether the CCPA applies (false only for `1---`).
    pub applies: bool,
}

impl From<core::UsPrivacy> for UsPrivacy {
    fn from(usp: core::UsPrivacy) -> Self {
        UsPrivacy {
            version: usp.version,
            notice: usp.notice.into(),
            opt_out_sale: usp.opt_out_sale.into(),
            lspa: usp.lspa.into(),
            applies: usp.applies,
        }
    }
}

/// A US section of a GPP string (the IAB's section list, ids 6–27).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum UsSection {
    /// Section 6, the US Privacy string.
    Uspv1,
    /// Section 7, MSPA US National.
    Usnat,
    /// Section 8, California.
    Usca,
    /// Section 9, Virginia.
    Usva,
    /// Section 10, Colorado.
    Usco,
    /// Section 11, Utah.
    Usut,
    /// Section 12, Connecticut.
    Usct,
    /// Section 13, Florida.
    Usfl,
    /// Section 14, Montana.
    Usmt,
    /// Section 15, Oregon.
    Usor,
    /// Section 16, Texas.
    Ustx,
    /// Section 17, Delaware.
    Usde,
    /// Section 18, Iowa.
    Usia,
    /// Section 19, Nebraska.
    Usne,
    /// Section 20, New Hampshire.
    Usnh,
    /// Section 21, New Jersey.
    Usnj,
    /// Section 22, Tennessee.
    Ustn,
    /// Section 23, Minnesota.
    Usmn,
    /// Section 24, Maryland.
    Usmd,
    /// Section 25, Indiana.
    Usin,
    /// Section 26, Kentucky.
    Usky,
    /// Section 27, Rhode Island.
    Usri,
}

impl From<core::UsSection> for UsSection {
    fn from(section: core::UsSection) -> Self {
        match section {
            core::UsSection::Uspv1 => UsSection::Uspv1,
            core::UsSection::Usnat => UsSection::Usnat,
            core::UsSection::Usca => UsSection::Usca,
            core::UsSection::Usva => UsSection::Usva,
            core::UsSection::Usco => UsSection::Usco,
            core::UsSection::Usut => UsSection::Usut,
            core::UsSection::Usct => UsSection::Usct,
            core::UsSection::Usfl => UsSection::Usfl,
            core::UsSection::Usmt => UsSection::Usmt,
            core::UsSection::Usor => UsSection::Usor,
            core::UsSection::Ustx => UsSection::Ustx,
            core::UsSection::Usde => UsSection::Usde,
            core::UsSection::Usia => UsSection::Usia,
            core::UsSection::Usne => UsSection::Usne,
            core::UsSection::Usnh => UsSection::Usnh,
            core::UsSection::Usnj => UsSection::Usnj,
            core::UsSection::Ustn => UsSection::Ustn,
            core::UsSection::Usmn => UsSection::Usmn,
            core::UsSection::Usmd => UsSection::Usmd,
            core::UsSection::Usin => UsSection::Usin,
            core::UsSection::Usky => UsSection::Usky,
            core::UsSection::Usri => UsSection::Usri,
        }
    }
}

/// Which field widths a `usnat` core was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum UsNatLayout {
    /// 60-bit core.
    V1,
    /// 70-bit core.
    V2,
}

/// A decoded `usnat` section; values are the spec's numbers (0 n/a, 1 yes, 2 no).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UsNat {
    /// The widths the core was read with.
    pub layout: UsNatLayout,
    /// `Version` as written.
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
    /// `SaleOptOut`.
    pub sale_opt_out: u8,
    /// `SharingOptOut`.
    pub sharing_opt_out: u8,
    /// `TargetedAdvertisingOptOut`.
    pub targeted_advertising_opt_out: u8,
    /// `SensitiveDataProcessing` (12 or 16 values).
    pub sensitive_data_processing: Vec<u8>,
    /// `KnownChildSensitiveDataConsents` (2 or 3 values).
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

impl From<core::UsNat> for UsNat {
    fn from(usnat: core::UsNat) -> Self {
        UsNat {
            layout: match usnat.layout {
                core::UsNatLayout::V1 => UsNatLayout::V1,
                core::UsNatLayout::V2 => UsNatLayout::V2,
            },
            version: usnat.version,
            sharing_notice: usnat.sharing_notice,
            sale_opt_out_notice: usnat.sale_opt_out_notice,
            sharing_opt_out_notice: usnat.sharing_opt_out_notice,
            targeted_advertising_opt_out_notice: usnat.targeted_advertising_opt_out_notice,
            sensitive_data_processing_opt_out_notice: usnat
                .sensitive_data_processing_opt_out_notice,
            sensitive_data_limit_use_notice: usnat.sensitive_data_limit_use_notice,
            sale_opt_out: usnat.sale_opt_out,
            sharing_opt_out: usnat.sharing_opt_out,
            targeted_advertising_opt_out: usnat.targeted_advertising_opt_out,
            sensitive_data_processing: usnat.sensitive_data_processing,
            known_child_sensitive_data_consents: usnat.known_child_sensitive_data_consents,
            personal_data_consents: usnat.personal_data_consents,
            mspa_covered_transaction: usnat.mspa_covered_transaction,
            mspa_opt_out_option_mode: usnat.mspa_opt_out_option_mode,
            mspa_service_provider_mode: usnat.mspa_service_provider_mode,
            gpc: usnat.gpc,
        }
    }
}

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
        GppSignals {
            section_ids: gpp.section_ids,
            sale_opt_out: gpp.sale_opt_out,
            sharing_opt_out: gpp.sharing_opt_out,
            targeted_advertising_opt_out: gpp.targeted_advertising_opt_out,
            gpc: gpp.gpc,
            source: gpp.source.into_iter().map(UsSection::from).collect(),
            sections: GppSections {
                uspv1: gpp.sections.uspv1.map(UsPrivacy::from),
                usnat: gpp.sections.usnat.map(UsNat::from),
                usca: gpp.sections.usca.map(UsCa::from),
                states: gpp
                    .sections
                    .states
                    .into_values()
                    .map(UsStateSection::from)
                    .collect(),
            },
            unreadable: gpp
                .unreadable
                .into_iter()
                .map(UnreadablePart::from)
                .collect(),
        }
    }
}
