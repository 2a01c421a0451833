//! The US sections of the GPP section list (ids 6–27) that [`decode_gpp`](super::decode_gpp) reads.

use serde::Serialize;

/// A US section of a GPP string (§3.3 of the reference; the IAB's section list).
///
/// Ordered by section id; serialized as the section's name (`"usnat"`, `"usco"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum UsSection {
    /// Section 6, the US Privacy string carried verbatim.
    Uspv1 = 6,
    /// Section 7, MSPA US National.
    Usnat = 7,
    /// Section 8, California.
    Usca = 8,
    /// Section 9, Virginia.
    Usva = 9,
    /// Section 10, Colorado.
    Usco = 10,
    /// Section 11, Utah.
    Usut = 11,
    /// Section 12, Connecticut.
    Usct = 12,
    /// Section 13, Florida.
    Usfl = 13,
    /// Section 14, Montana.
    Usmt = 14,
    /// Section 15, Oregon.
    Usor = 15,
    /// Section 16, Texas.
    Ustx = 16,
    /// Section 17, Delaware.
    Usde = 17,
    /// Section 18, Iowa.
    Usia = 18,
    /// Section 19, Nebraska.
    Usne = 19,
    /// Section 20, New Hampshire.
    Usnh = 20,
    /// Section 21, New Jersey.
    Usnj = 21,
    /// Section 22, Tennessee.
    Ustn = 22,
    /// Section 23, Minnesota.
    Usmn = 23,
    /// Section 24, Maryland.
    Usmd = 24,
    /// Section 25, Indiana.
    Usin = 25,
    /// Section 26, Kentucky.
    Usky = 26,
    /// Section 27, Rhode Island.
    Usri = 27,
}

/// Every US section, by id (6 to 27 without gaps).
const ALL: [UsSection; 22] = [
    UsSection::Uspv1,
    UsSection::Usnat,
    UsSection::Usca,
    UsSection::Usva,
    UsSection::Usco,
    UsSection::Usut,
    UsSection::Usct,
    UsSection::Usfl,
    UsSection::Usmt,
    UsSection::Usor,
    UsSection::Ustx,
    UsSection::Usde,
    UsSection::Usia,
    UsSection::Usne,
    UsSection::Usnh,
    UsSection::Usnj,
    UsSection::Ustn,
    UsSection::Usmn,
    UsSection::Usmd,
    UsSection::Usin,
    UsSection::Usky,
    UsSection::Usri,
];

impl UsSection {
    /// Every US section, in id order.
    pub const ALL: &'static [UsSection] = &ALL;

    /// The section's id in the GPP header.
    pub const fn id(self) -> u32 {
        self as u32
    }

    /// The section for a header id, `None` for ids that are not US sections (2, `tcfeuv2`, …).
    pub fn from_id(id: u32) -> Option<UsSection> {
        let index = usize::try_from(id.checked_sub(UsSection::Uspv1.id())?).ok()?;
        ALL.get(index).copied()
    }

    /// The section's name in the IAB list and in the GPP JS API (`"usnat"`, `"usco"`, …).
    pub const fn name(self) -> &'static str {
        match self {
            UsSection::Uspv1 => "uspv1",
            UsSection::Usnat => "usnat",
            UsSection::Usca => "usca",
            UsSection::Usva => "usva",
            UsSection::Usco => "usco",
            UsSection::Usut => "usut",
            UsSection::Usct => "usct",
            UsSection::Usfl => "usfl",
            UsSection::Usmt => "usmt",
            UsSection::Usor => "usor",
            UsSection::Ustx => "ustx",
            UsSection::Usde => "usde",
            UsSection::Usia => "usia",
            UsSection::Usne => "usne",
            UsSection::Usnh => "usnh",
            UsSection::Usnj => "usnj",
            UsSection::Ustn => "ustn",
            UsSection::Usmn => "usmn",
            UsSection::Usmd => "usmd",
            UsSection::Usin => "usin",
            UsSection::Usky => "usky",
            UsSection::Usri => "usri",
        }
    }

    /// Whether this is one of the state sections 9–27 (decoded from a field table), rather
    /// than `uspv1`, `usnat` or `usca` (which have their own types).
    pub const fn is_state(self) -> bool {
        self.id() >= UsSection::Usva.id()
    }
}

impl std::fmt::Display for UsSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_names_and_serde_names_agree() {
        for (index, section) in ALL.iter().enumerate() {
            assert_eq!(section.id() as usize, index + 6);
            assert_eq!(UsSection::from_id(section.id()), Some(*section));
            assert_eq!(
                serde_json::to_value(section).unwrap(),
                serde_json::Value::from(section.name())
            );
        }
        for id in [0, 2, 5, 28, u32::MAX] {
            assert_eq!(UsSection::from_id(id), None, "{id}");
        }
        assert!(!UsSection::Usca.is_state() && UsSection::Usva.is_state());
    }
}
