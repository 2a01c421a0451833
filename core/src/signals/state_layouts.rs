//! The field tables of the US state sections 9–27, as `@iabgpp/cmpapi` 3.2.0 lays them out.
//!
//! Each table lists a section's core fields in order with their widths, and which of them are
//! the opt-outs the decision reads; `tests/vectors/signals.json` holds IAB strings for every
//! section, and `scripts/gpp-agreement.mjs` checks every field against cmpapi on them.

use super::sections::UsSection;

/// How a field is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Width {
    /// `Int(n)`: one n-bit number.
    Int(u32),
    /// `N-Bitfield(2, n)`: n two-bit numbers.
    Bitfield(usize),
}

/// What the opt-out decision reads a field as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Detail kept for the caller, not read by the decision.
    Detail,
    /// `SaleOptOut`.
    Sale,
    /// `SharingOptOut` (a CPRA term: no state section has it today).
    Sharing,
    /// `TargetedAdvertisingOptOut`.
    TargetedAdvertising,
}

/// One field of a section's core: its IAB name, its snake_case key, width and role.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldSpec {
    pub name: &'static str,
    pub key: &'static str,
    pub width: Width,
    pub role: Role,
}

/// What may follow a section's core after a `.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubSection {
    /// Nothing (usva, usut, usfl).
    None,
    /// The GPC sub-section: `SubsectionType` Int(2) = 1, then `Gpc`.
    Gpc,
    /// The sensitive-data-consent segment of usin, usky and usri: `SensitiveDataProcessing`
    /// as an N-Bitfield(2, n), with no type field in front.
    SensitiveDataConsent(usize),
}

/// A state section's layout.
#[derive(Debug)]
pub(crate) struct StateLayout {
    pub section: UsSection,
    pub core: &'static [FieldSpec],
    pub sub_section: SubSection,
}

const fn field(name: &'static str, key: &'static str, width: Width, role: Role) -> FieldSpec {
    FieldSpec {
        name,
        key,
        width,
        role,
    }
}

const fn int2(name: &'static str, key: &'static str) -> FieldSpec {
    field(name, key, Width::Int(2), Role::Detail)
}

const VERSION: FieldSpec = field("Version", "version", Width::Int(6), Role::Detail);
const MSPA_VERSION: FieldSpec = field("MspaVersion", "mspa_version", Width::Int(6), Role::Detail);
const SHARING_NOTICE: FieldSpec = int2("SharingNotice", "sharing_notice");
const PROCESSING_NOTICE: FieldSpec = int2("ProcessingNotice", "processing_notice");
const SALE_NOTICE: FieldSpec = int2("SaleOptOutNotice", "sale_opt_out_notice");
const TARGETED_NOTICE: FieldSpec = int2(
    "TargetedAdvertisingOptOutNotice",
    "targeted_advertising_opt_out_notice",
);
const SENSITIVE_PROCESSING_NOTICE: FieldSpec = int2(
    "SensitiveDataProcessingOptOutNotice",
    "sensitive_data_processing_opt_out_notice",
);
const SENSITIVE_NOTICE: FieldSpec =
    int2("SensitiveDataOptOutNotice", "sensitive_data_opt_out_notice");
const SALE: FieldSpec = field("SaleOptOut", "sale_opt_out", Width::Int(2), Role::Sale);
const TARGETED: FieldSpec = field(
    "TargetedAdvertisingOptOut",
    "targeted_advertising_opt_out",
    Width::Int(2),
    Role::TargetedAdvertising,
);
const CHILD: FieldSpec = int2(
    "KnownChildSensitiveDataConsents",
    "known_child_sensitive_data_consents",
);
const ADDITIONAL: FieldSpec = int2(
    "AdditionalDataProcessingConsent",
    "additional_data_processing_consent",
);
const COVERED: FieldSpec = int2("MspaCoveredTransaction", "mspa_covered_transaction");
const OPTION_MODE: FieldSpec = int2("MspaOptOutOptionMode", "mspa_opt_out_option_mode");
const PROVIDER_MODE: FieldSpec = int2("MspaServiceProviderMode", "mspa_service_provider_mode");
const MSPA_MODE: FieldSpec = int2("MspaMode", "mspa_mode");

/// `SensitiveDataProcessing` as an N-Bitfield(2, n).
const fn sensitive(n: usize) -> FieldSpec {
    field(
        "SensitiveDataProcessing",
        "sensitive_data_processing",
        Width::Bitfield(n),
        Role::Detail,
    )
}

/// `KnownChildSensitiveDataConsents` as an N-Bitfield(2, n) (a plain Int(2) is [`CHILD`]).
const fn children(n: usize) -> FieldSpec {
    field(
        "KnownChildSensitiveDataConsents",
        "known_child_sensitive_data_consents",
        Width::Bitfield(n),
        Role::Detail,
    )
}

#[rustfmt::skip]
mod cores {
    use super::*;

    pub const VA: &[FieldSpec] = &[VERSION, SHARING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, sensitive(8), CHILD, COVERED, OPTION_MODE, PROVIDER_MODE];
    pub const CO: &[FieldSpec] = &[VERSION, SHARING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, sensitive(7), CHILD, COVERED, OPTION_MODE, PROVIDER_MODE];
    pub const UT: &[FieldSpec] = &[VERSION, SHARING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SENSITIVE_PROCESSING_NOTICE, SALE, TARGETED, sensitive(8), CHILD, COVERED, OPTION_MODE, PROVIDER_MODE];
    pub const CT: &[FieldSpec] = &[VERSION, SHARING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, sensitive(8), children(3), COVERED, OPTION_MODE, PROVIDER_MODE];
    /// Florida and New Hampshire.
    pub const FL_NH: &[FieldSpec] = &[VERSION, PROCESSING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, sensitive(8), children(3), ADDITIONAL, COVERED, OPTION_MODE, PROVIDER_MODE];
    pub const MT: &[FieldSpec] = &[VERSION, SHARING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, sensitive(8), children(3), ADDITIONAL, COVERED, OPTION_MODE, PROVIDER_MODE];
    pub const OR: &[FieldSpec] = &[VERSION, PROCESSING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, sensitive(11), children(3), ADDITIONAL, COVERED, OPTION_MODE, PROVIDER_MODE];
    /// Texas, Nebraska, Tennessee and Minnesota.
    pub const TX_NE_TN_MN: &[FieldSpec] = &[VERSION, PROCESSING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, sensitive(8), CHILD, ADDITIONAL, COVERED, OPTION_MODE, PROVIDER_MODE];
    pub const DE: &[FieldSpec] = &[VERSION, PROCESSING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, sensitive(9), children(5), ADDITIONAL, COVERED, OPTION_MODE, PROVIDER_MODE];
    pub const IA: &[FieldSpec] = &[VERSION, PROCESSING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SENSITIVE_NOTICE, SALE, TARGETED, sensitive(8), CHILD, COVERED, OPTION_MODE, PROVIDER_MODE];
    pub const NJ: &[FieldSpec] = &[VERSION, PROCESSING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, sensitive(10), children(5), ADDITIONAL, COVERED, OPTION_MODE, PROVIDER_MODE];
    /// Maryland: the MSPA fields first, and no sensitive-data fields.
    pub const MD: &[FieldSpec] = &[MSPA_VERSION, COVERED, MSPA_MODE, PROCESSING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, ADDITIONAL];
    /// Indiana, Kentucky and Rhode Island: the MSPA fields first; sensitive data in a segment of its own.
    pub const IN_KY_RI: &[FieldSpec] = &[MSPA_VERSION, COVERED, MSPA_MODE, PROCESSING_NOTICE, SALE_NOTICE, TARGETED_NOTICE, SALE, TARGETED, CHILD, ADDITIONAL];
}

const fn state(
    section: UsSection,
    core: &'static [FieldSpec],
    sub_section: SubSection,
) -> StateLayout {
    StateLayout {
        section,
        core,
        sub_section,
    }
}

/// The state sections, by id from 9 (`usva`) to 27 (`usri`).
pub(crate) const STATES: [StateLayout; 19] = [
    state(UsSection::Usva, cores::VA, SubSection::None),
    state(UsSection::Usco, cores::CO, SubSection::Gpc),
    state(UsSection::Usut, cores::UT, SubSection::None),
    state(UsSection::Usct, cores::CT, SubSection::Gpc),
    state(UsSection::Usfl, cores::FL_NH, SubSection::None),
    state(UsSection::Usmt, cores::MT, SubSection::Gpc),
    state(UsSection::Usor, cores::OR, SubSection::Gpc),
    state(UsSection::Ustx, cores::TX_NE_TN_MN, SubSection::Gpc),
    state(UsSection::Usde, cores::DE, SubSection::Gpc),
    state(UsSection::Usia, cores::IA, SubSection::Gpc),
    state(UsSection::Usne, cores::TX_NE_TN_MN, SubSection::Gpc),
    state(UsSection::Usnh, cores::FL_NH, SubSection::Gpc),
    state(UsSection::Usnj, cores::NJ, SubSection::Gpc),
    state(UsSection::Ustn, cores::TX_NE_TN_MN, SubSection::Gpc),
    state(UsSection::Usmn, cores::TX_NE_TN_MN, SubSection::Gpc),
    state(UsSection::Usmd, cores::MD, SubSection::Gpc),
    state(
        UsSection::Usin,
        cores::IN_KY_RI,
        SubSection::SensitiveDataConsent(8),
    ),
    state(
        UsSection::Usky,
        cores::IN_KY_RI,
        SubSection::SensitiveDataConsent(8),
    ),
    state(
        UsSection::Usri,
        cores::IN_KY_RI,
        SubSection::SensitiveDataConsent(8),
    ),
];

/// The layout of a state section; `None` for `uspv1`, `usnat` and `usca`.
pub(crate) fn layout(section: UsSection) -> Option<&'static StateLayout> {
    let index = section.id().checked_sub(UsSection::Usva.id())?;
    STATES.get(usize::try_from(index).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `SaleOptOut` → `sale_opt_out`, the way the JSON keys are spelled.
    fn snake(name: &str) -> String {
        let mut key = String::new();
        for c in name.chars() {
            if c.is_ascii_uppercase() && !key.is_empty() {
                key.push('_');
            }
            key.push(c.to_ascii_lowercase());
        }
        key
    }

    #[test]
    fn every_state_section_has_its_table_in_id_order() {
        let states: Vec<UsSection> = UsSection::ALL
            .iter()
            .copied()
            .filter(|s| s.is_state())
            .collect();
        assert_eq!(states.len(), STATES.len());
        for (section, state) in states.iter().zip(&STATES) {
            assert_eq!(state.section, *section);
            assert_eq!(layout(*section).map(|l| l.section), Some(*section));
        }
        assert!(layout(UsSection::Usca).is_none() && layout(UsSection::Uspv1).is_none());
    }

    #[test]
    fn keys_are_the_names_in_snake_case_and_each_table_is_well_formed() {
        for state in &STATES {
            let core = state.core;
            assert!(core[0].key.ends_with("version"), "{:?}", state.section);
            for spec in core {
                assert_eq!(spec.key, snake(spec.name));
            }
            let roles = |role| core.iter().filter(|spec| spec.role == role).count();
            assert_eq!(roles(Role::Sale), 1, "{:?}", state.section);
            assert_eq!(roles(Role::TargetedAdvertising), 1, "{:?}", state.section);
            let mut keys: Vec<_> = core.iter().map(|spec| spec.key).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(
                keys.len(),
                core.len(),
                "{:?} repeats a field",
                state.section
            );
        }
    }

    #[test]
    fn core_lengths_match_cmpapi_default_strings() {
        // The IAB encoders pad a core to whole bytes, then to whole characters: usco's 38 bits
        // become 40 and then 42, the 7 characters of its default string `BAAAAEA`.
        let bits = |section: UsSection| -> u32 {
            layout(section)
                .map(|l| {
                    l.core
                        .iter()
                        .map(|spec| match spec.width {
                            Width::Int(n) => n,
                            Width::Bitfield(n) => 2 * n as u32,
                        })
                        .sum()
                })
                .unwrap_or_default()
        };
        assert_eq!(bits(UsSection::Usco), 38);
        assert_eq!(bits(UsSection::Usva), 40);
        assert_eq!(bits(UsSection::Usnj), 54);
        assert_eq!(bits(UsSection::Usmd), 22);
        assert_eq!(bits(UsSection::Usin), 24);
    }
}
