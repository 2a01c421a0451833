//! The IAB US Privacy string (USP, "CCPA string"): four characters such as `1YNN`.
//!
//! Deprecated by IAB in favour of GPP, still read for backward compatibility (GPP carries it
//! verbatim as section 6, `uspv1`).

use serde::Serialize;

use crate::error::{Error, Result};

/// One position of a US Privacy string: `Y`, `N`, or `-` (not applicable or unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum UspFlag {
    /// `Y` (or `y`).
    #[serde(rename = "Y")]
    Yes,
    /// `N` (or `n`).
    #[serde(rename = "N")]
    No,
    /// `-`: not applicable or unknown.
    #[serde(rename = "-")]
    NotApplicable,
}

impl UspFlag {
    /// `Some(true)` for `Y`, `Some(false)` for `N`, `None` for `-`.
    pub const fn as_bool(self) -> Option<bool> {
        match self {
            UspFlag::Yes => Some(true),
            UspFlag::No => Some(false),
            UspFlag::NotApplicable => None,
        }
    }
}

/// A decoded US Privacy string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UsPrivacy {
    /// The specification version; always 1 (the only one that exists).
    pub version: u8,
    /// Position 2: notice and the opportunity to opt out were given.
    pub notice: UspFlag,
    /// Position 3: the user opted out of the sale of personal information.
    pub opt_out_sale: UspFlag,
    /// Position 4: the transaction is covered by the IAB Limited Service Provider Agreement.
    pub lspa: UspFlag,
    /// Whether the CCPA applies; false only for `1---`.
    pub applies: bool,
}

impl UsPrivacy {
    /// What the string says about the opt-out: `Some(true)` (position 3 `Y`), `Some(false)`
    /// (`N`) or `None` (`1---`, the CCPA does not apply).
    pub const fn opted_out(&self) -> Option<bool> {
        self.opt_out_sale.as_bool()
    }
}

/// Parses an IAB US Privacy string such as `1YNN`.
///
/// Either case is accepted (`1ynn`, as the IAB reference code does). Position 3 may be `-`
/// only in `1---`, the one way to say that the CCPA does not apply; any other malformed string
/// (wrong length, version other than 1, a character outside `Y`/`N`/`-`) is a `Validation`
/// error with field `usp`.
///
/// ```
/// use ccpa_optout::signals::{UspFlag, parse_usp};
///
/// let usp = parse_usp("1NYN")?;
/// assert_eq!(usp.opt_out_sale, UspFlag::Yes);
/// assert_eq!(usp.opted_out(), Some(true));
/// assert!(!parse_usp("1---")?.applies);
/// assert!(parse_usp("1Y-N").is_err()); // "-" in position 3 while the CCPA applies
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
pub fn parse_usp(text: &str) -> Result<UsPrivacy> {
    parse_usp_as(text, "usp", "US Privacy string")
}

/// [`parse_usp`] with the error's field and wording of the caller (GPP's `uspv1` section
/// reports field `gpp`).
pub(crate) fn parse_usp_as(text: &str, field: &str, what: &str) -> Result<UsPrivacy> {
    let bad = |problem: String| Error::validation(field, format!("{what} {problem}"));
    let [version, notice, opt_out_sale, lspa]: [u8; 4] =
        text.as_bytes().try_into().map_err(|_| {
            bad(format!(
                "must be 4 characters, got {}",
                text.chars().count()
            ))
        })?;
    if version != b'1' {
        return Err(bad(format!(
            "has version {:?}; only version 1 exists",
            char::from(version)
        )));
    }
    let flag = |byte: u8, position: u8| match byte {
        b'Y' | b'y' => Ok(UspFlag::Yes),
        b'N' | b'n' => Ok(UspFlag::No),
        b'-' => Ok(UspFlag::NotApplicable),
        _ => Err(bad(format!(
            "has {:?} in position {position}; expected Y, N or -",
            char::from(byte)
        ))),
    };
    let usp = UsPrivacy {
        version: 1,
        notice: flag(notice, 2)?,
        opt_out_sale: flag(opt_out_sale, 3)?,
        lspa: flag(lspa, 4)?,
        applies: true,
    };
    let all_unknown = usp.notice == UspFlag::NotApplicable && usp.lspa == UspFlag::NotApplicable;
    match usp.opt_out_sale {
        UspFlag::NotApplicable if all_unknown => Ok(UsPrivacy {
            applies: false,
            ..usp
        }),
        UspFlag::NotApplicable => Err(bad(
            "has '-' in position 3 but is not 1---: while the CCPA applies, the opt-out must be Y or N"
                .to_owned(),
        )),
        _ => Ok(usp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_is_accepted() {
        assert_eq!(parse_usp("1ynn").unwrap(), parse_usp("1YNN").unwrap());
    }

    #[test]
    fn multibyte_input_is_refused_not_sliced() {
        assert!(parse_usp("1YNé").is_err());
        assert!(parse_usp("1é").is_err());
    }
}
