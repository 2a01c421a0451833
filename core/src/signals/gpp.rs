//! The IAB Global Privacy Platform string (GPP): header, section list, and the US opt-outs in it.

use serde::Serialize;

use super::bits::{BitReader, malformed};
use super::us_sections::{UsCa, UsNat, opt_out_value};
use super::usp::{UsPrivacy, parse_usp_as};
use crate::error::Result;

/// GPP section ids this crate decodes (§3.3 of the reference).
const USPV1: u32 = 6;
const USNAT: u32 = 7;
const USCA: u32 = 8;

/// A US section whose values [`decode_gpp`] merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UsSection {
    /// Section 6, the US Privacy string carried verbatim.
    Uspv1,
    /// Section 7, MSPA US National.
    Usnat,
    /// Section 8, California.
    Usca,
}

/// The decoded detail of each US section present (`None` when the string does not hold it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct GppSections {
    /// Section 6, `uspv1`.
    pub uspv1: Option<UsPrivacy>,
    /// Section 7, `usnat`.
    pub usnat: Option<UsNat>,
    /// Section 8, `usca`.
    pub usca: Option<UsCa>,
}

/// What a GPP string says about "do not sell or share".
///
/// Each opt-out is `Some(true)` (1, opted out), `Some(false)` (2, did not opt out) or `None`
/// (0, not applicable, or no decoded section carries the field). When several US sections are
/// present their values are merged the way [`derive_opt_out`](super::derive_opt_out) merges
/// signals: any opt-out wins, then any explicit "did not", else `None`. `uspv1`'s position 3
/// counts as a sale opt-out; only `usnat` carries `TargetedAdvertisingOptOut`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct GppSignals {
    /// Every section id the header lists, in order, including the ones not decoded (e.g. 2,
    /// `tcfeuv2`, or other states' sections).
    pub section_ids: Vec<u32>,
    /// `SaleOptOut` of `usnat`/`usca`, or position 3 of `uspv1`.
    pub sale_opt_out: Option<bool>,
    /// `SharingOptOut` of `usnat`/`usca`.
    pub sharing_opt_out: Option<bool>,
    /// `TargetedAdvertisingOptOut` of `usnat`.
    pub targeted_advertising_opt_out: Option<bool>,
    /// `Gpc` of the GPC sub-sections of `usnat`/`usca`: `Some(true)` if any says 1,
    /// `Some(false)` if present and 0, `None` when no sub-section is present.
    pub gpc: Option<bool>,
    /// The US sections the values above came from, in header order (empty when none).
    pub source: Vec<UsSection>,
    /// The full decoded detail of those sections.
    pub sections: GppSections,
}

/// Decodes a GPP string (`header~section~…`) and extracts the US "do not sell or share" values.
///
/// The header is checked (type 3, version 1, section ids as a Fibonacci range) and must list
/// exactly as many sections as the string holds. `uspv1`, `usnat` (v1 or v2, picked by the
/// core's length, not its `Version`) and `usca` are decoded with their optional GPC
/// sub-section; other listed sections are kept in `section_ids` only. Both padding styles
/// (`DBABL` and `DBABLA`) and trailing `=` are accepted. Anything malformed — a character
/// outside URL-safe base64, a truncated field, a non-zero padding bit, an empty or missing
/// section, an opt-out value of 3 — is a `Validation` error with field `gpp`.
///
/// ```
/// use ccpa_optout::signals::{UsSection, decode_gpp};
///
/// let gpp = decode_gpp("DBABBg~BVWSSSVY.YA")?; // usca: sale and sharing opted out, GPC on
/// assert_eq!(gpp.section_ids, [8]);
/// assert_eq!(gpp.sale_opt_out, Some(true));
/// assert_eq!(gpp.sharing_opt_out, Some(true));
/// assert_eq!(gpp.gpc, Some(true));
/// assert_eq!(gpp.source, [UsSection::Usca]);
///
/// let gpp = decode_gpp("DBABTA~1YNN")?; // uspv1: did not opt out of sale
/// assert_eq!(gpp.sale_opt_out, Some(false));
/// assert!(decode_gpp("DBABTA").is_err()); // the header lists a section that is not there
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
pub fn decode_gpp(text: &str) -> Result<GppSignals> {
    let mut parts = text.split('~');
    let header = parts.next().unwrap_or_default();
    let sections: Vec<&str> = parts.collect();
    let section_ids = decode_header(header, sections.len())?;
    if section_ids.len() != sections.len() {
        return Err(malformed(
            "header",
            &format!(
                "lists {} sections but the string holds {}",
                section_ids.len(),
                sections.len()
            ),
        ));
    }
    let mut decoded = GppSections::default();
    let mut source = Vec::new();
    for (id, section) in section_ids.iter().zip(&sections) {
        if section.is_empty() {
            return Err(malformed(&format!("section {id}"), "is empty"));
        }
        match *id {
            USPV1 => {
                decoded.uspv1 = Some(parse_usp_as(section, "gpp", "GPP uspv1 section")?);
                source.push(UsSection::Uspv1);
            }
            USNAT => {
                decoded.usnat = Some(UsNat::decode(section)?);
                source.push(UsSection::Usnat);
            }
            USCA => {
                decoded.usca = Some(UsCa::decode(section)?);
                source.push(UsSection::Usca);
            }
            _ => {}
        }
    }
    Ok(merge(section_ids, source, decoded))
}

/// The section ids of a GPP header. `max_sections` (how many sections follow the header)
/// bounds the expansion of ranges, so a forged range cannot allocate more than the input.
fn decode_header(header: &str, max_sections: usize) -> Result<Vec<u32>> {
    let mut bits = BitReader::new(header, "header")?;
    let kind = bits.int(6)?;
    if kind != 3 {
        let hint = if header.starts_with('C') {
            " (a string starting with C is a bare TCF consent string, not GPP)"
        } else {
            ""
        };
        return Err(malformed(
            "header",
            &format!("has type {kind}, not 3{hint}"),
        ));
    }
    let version = bits.int(6)?;
    if version != 1 {
        return Err(malformed(
            "header",
            &format!("has version {version}; only version 1 is defined"),
        ));
    }
    let too_many = || {
        malformed(
            "header",
            &format!("lists more sections than the {max_sections} the string holds"),
        )
    };
    let entries = bits.int(12)?;
    let mut ids = Vec::new();
    let mut last = 0u32;
    for _ in 0..entries {
        let is_group = bits.boolean()?;
        let first = offset(last, bits.fibonacci()?)?;
        let end = if is_group {
            offset(first, bits.fibonacci()?)?
        } else {
            first
        };
        for id in first..=end {
            if ids.len() >= max_sections {
                return Err(too_many());
            }
            ids.push(id);
        }
        last = end;
    }
    bits.finish()?;
    Ok(ids)
}

fn offset(base: u32, by: u32) -> Result<u32> {
    base.checked_add(by)
        .ok_or_else(|| malformed("header", "has a section id too large"))
}

/// Merges the decoded US sections into the contract's fields: any opt-out wins.
fn merge(section_ids: Vec<u32>, source: Vec<UsSection>, sections: GppSections) -> GppSignals {
    let usnat = sections.usnat.as_ref();
    let usca = sections.usca.as_ref();
    let sale = [usnat.map(|s| s.sale_opt_out), usca.map(|s| s.sale_opt_out)];
    let sharing = [
        usnat.map(|s| s.sharing_opt_out),
        usca.map(|s| s.sharing_opt_out),
    ];
    let uspv1_sale = sections.uspv1.and_then(|usp| usp.opted_out());
    GppSignals {
        sale_opt_out: any_opt_out(
            sale.iter()
                .map(|raw| raw.and_then(opt_out_value))
                .chain([uspv1_sale]),
        ),
        sharing_opt_out: any_opt_out(sharing.iter().map(|raw| raw.and_then(opt_out_value))),
        targeted_advertising_opt_out: usnat
            .and_then(|s| opt_out_value(s.targeted_advertising_opt_out)),
        gpc: any_opt_out([usnat.and_then(|s| s.gpc), usca.and_then(|s| s.gpc)]),
        section_ids,
        source,
        sections,
    }
}

/// `Some(true)` if any value is, else `Some(false)` if any value is, else `None`.
pub(crate) fn any_opt_out(values: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    values
        .into_iter()
        .fold(None, |merged, value| match (merged, value) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), _) | (_, Some(false)) => Some(false),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_ranges_from_the_spec() {
        assert_eq!(decode_header("DBABM", 1).unwrap(), [2]);
        assert_eq!(decode_header("DBACNY", 2).unwrap(), [2, 6]);
        assert_eq!(decode_header("DBABjw", 2).unwrap(), [5, 6]);
        assert_eq!(decode_header("DBABL", 1).unwrap(), [7]);
        assert_eq!(decode_header("DBABLA", 1).unwrap(), [7]);
    }

    /// URL-safe base64 of a string of `0`/`1`, zero-padded to six bits a character.
    fn pack(bits: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut bits = bits.to_owned();
        while !bits.len().is_multiple_of(6) {
            bits.push('0');
        }
        (0..bits.len() / 6)
            .map(|i| {
                char::from(ALPHABET[usize::from_str_radix(&bits[i * 6..i * 6 + 6], 2).unwrap()])
            })
            .collect()
    }

    #[test]
    fn a_forged_range_cannot_outgrow_the_input() {
        // One group entry from 1 to 1 + (a Fibonacci offset near a billion), against a
        // string with one section: refused after the second id, nothing large allocated.
        let huge = format!("{}1", "01".repeat(22));
        let header = pack(&format!("000011000001000000000001111{huge}"));
        let err = decode_header(&header, 1).unwrap_err();
        assert!(err.message().contains("more sections"), "{err}");
        assert!(decode_header(&header, 0).is_err());
    }

    #[test]
    fn merge_lets_any_opt_out_win() {
        assert_eq!(any_opt_out([Some(false), Some(true), None]), Some(true));
        assert_eq!(any_opt_out([None, Some(false)]), Some(false));
        assert_eq!(any_opt_out([None, None]), None);
        assert_eq!(any_opt_out([]), None);
    }
}
