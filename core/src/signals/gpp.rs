//! The IAB Global Privacy Platform string (GPP): header, section list, and the US opt-outs in it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::bits::malformed;
use super::header::decode_header;
use super::sections::UsSection;
use super::state_layouts::{Role, layout};
use super::us_sections::{OptOutField, UsCa, UsNat, opt_out_value};
use super::us_states::UsStateSection;
use super::usp::{UsPrivacy, parse_usp_as};
use crate::error::Result;

/// The decoded detail of each US section present (`None`, or no entry, when the string does
/// not hold it).
///
/// Serialized as one object: `uspv1`, `usnat` and `usca` always (`null` when absent), then one
/// key per state section present (`"usco": {...}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct GppSections {
    /// Section 6, `uspv1`; `None` also when it could not be read (see [`GppSignals::unreadable`]).
    pub uspv1: Option<UsPrivacy>,
    /// Section 7, `usnat`.
    pub usnat: Option<UsNat>,
    /// Section 8, `usca`.
    pub usca: Option<UsCa>,
    /// The state sections 9–27 present (`usva`, `usco`, … `usri`), by id.
    #[serde(flatten)]
    pub states: BTreeMap<UsSection, UsStateSection>,
}

impl GppSections {
    /// The opt-out fields of one decoded section, raw (none for `uspv1`, whose position 3 has
    /// a rule of its own, or for a section that is absent).
    pub(crate) fn opt_out_fields(&self, section: UsSection) -> Vec<OptOutField> {
        match section {
            UsSection::Uspv1 => Vec::new(),
            UsSection::Usnat => self.usnat.iter().flat_map(UsNat::opt_out_fields).collect(),
            UsSection::Usca => self.usca.iter().flat_map(UsCa::opt_out_fields).collect(),
            state => self
                .states
                .get(&state)
                .into_iter()
                .flat_map(UsStateSection::opt_out_fields)
                .collect(),
        }
    }

    /// The `Gpc` of every GPC sub-section present (`None` for the sections without one).
    fn gpc_values(&self) -> impl Iterator<Item = Option<bool>> + '_ {
        let usnat = self.usnat.as_ref().and_then(|s| s.gpc);
        let usca = self.usca.as_ref().and_then(|s| s.gpc);
        [usnat, usca]
            .into_iter()
            .chain(self.states.values().map(|s| s.gpc))
    }
}

/// A part of a GPP string that could not be read on its own, while the rest could: an
/// opt-out field holding the undefined value 3, or a `uspv1` section that is not a valid US
/// Privacy string (`1Y--`). It does not count; the other fields and sections still do.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct UnreadablePart {
    /// The section it is in.
    pub section: UsSection,
    /// The field's IAB name (`"TargetedAdvertisingOptOut"`); `None` when the whole section
    /// could not be read (`uspv1`).
    pub field: Option<&'static str>,
    /// Why, naming section and field: `"usnat.TargetedAdvertisingOptOut has the undefined value 3"`.
    pub message: String,
}

/// What a GPP string says about "do not sell or share".
///
/// Each opt-out is `Some(true)` (1, opted out), `Some(false)` (2, did not opt out) or `None`
/// (0, not applicable, or no decoded section carries the field). The values of every US
/// section present are merged the way [`derive_opt_out`](super::derive_opt_out) merges
/// signals: any opt-out wins, then any explicit "did not", else `None`. `uspv1`'s position 3
/// counts as a sale opt-out; `SharingOptOut` is carried by `usnat` and `usca` only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct GppSignals {
    /// Every section id the header lists, in order, including the ones not decoded (e.g. 2,
    /// `tcfeuv2`).
    pub section_ids: Vec<u32>,
    /// `SaleOptOut` of any US section, or position 3 of `uspv1`.
    pub sale_opt_out: Option<bool>,
    /// `SharingOptOut` of `usnat`/`usca`.
    pub sharing_opt_out: Option<bool>,
    /// `TargetedAdvertisingOptOut` of `usnat` or a state section.
    pub targeted_advertising_opt_out: Option<bool>,
    /// `Gpc` of the GPC sub-sections: `Some(true)` if any says 1, `Some(false)` if present
    /// and 0, `None` when no sub-section is present.
    pub gpc: Option<bool>,
    /// The US sections the values above came from, in header order (empty when none).
    pub source: Vec<UsSection>,
    /// The full decoded detail of those sections.
    pub sections: GppSections,
    /// The parts that could not be read on their own, in header order (empty when none).
    pub unreadable: Vec<UnreadablePart>,
}

/// Decodes a GPP string (`header~section~…`) and extracts the US "do not sell or share" values.
///
/// The header is checked (type 3, version 1, section ids as a Fibonacci range) and must list
/// exactly as many sections as the string holds. Every US section of the IAB list is decoded
/// with what may follow its core: `uspv1` (6), `usnat` (7; v1 or v2, picked by the core's
/// length, not its `Version`), `usca` (8) and the state sections 9–27 (`usva` … `usri`), with
/// their GPC sub-section, or the sensitive-data-consent segment of usin, usky and usri. Other
/// listed sections are kept in `section_ids` only. Both padding styles (`DBABL` and `DBABLA`)
/// and trailing `=` are accepted.
///
/// A string whose structure cannot be read — a character outside URL-safe base64, a truncated
/// field, a non-zero padding bit, an empty or missing section, a bad sub-section — is a
/// `Validation` error with field `gpp`. A part that cannot be read on its own (an opt-out of
/// 3, a malformed `uspv1`) is listed in [`GppSignals::unreadable`] instead, and the rest counts.
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
/// let gpp = decode_gpp("DBABJg~BVWSSVg.YA")?; // usco (Colorado): sale and targeted ads opted out
/// assert_eq!(gpp.source, [UsSection::Usco]);
/// assert_eq!(gpp.targeted_advertising_opt_out, Some(true));
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
    let mut unreadable = Vec::new();
    for (id, text) in section_ids.iter().zip(&sections) {
        if text.is_empty() {
            return Err(malformed(&format!("section {id}"), "is empty"));
        }
        let Some(section) = UsSection::from_id(*id) else {
            continue;
        };
        match section {
            UsSection::Uspv1 => match parse_usp_as(text, "gpp", "GPP uspv1 section") {
                Ok(usp) => decoded.uspv1 = Some(usp),
                Err(err) => {
                    unreadable.push(UnreadablePart {
                        section,
                        field: None,
                        message: err.message().to_owned(),
                    });
                    continue;
                }
            },
            UsSection::Usnat => decoded.usnat = Some(UsNat::decode(text)?),
            UsSection::Usca => decoded.usca = Some(UsCa::decode(text)?),
            state => {
                // Every other US section is a state section with a field table.
                let Some(layout) = layout(state) else {
                    continue;
                };
                decoded
                    .states
                    .insert(state, UsStateSection::decode(layout, text)?);
            }
        }
        source.push(section);
        unreadable.extend(undefined_opt_outs(section, &decoded));
    }
    Ok(merge(section_ids, source, decoded, unreadable))
}

/// The opt-out fields of `section` that hold 3, a value no spec defines (0–2 are).
fn undefined_opt_outs(section: UsSection, sections: &GppSections) -> Vec<UnreadablePart> {
    sections
        .opt_out_fields(section)
        .into_iter()
        .filter(|field| field.raw > 2)
        .map(|field| UnreadablePart {
            section,
            field: Some(field.name),
            message: format!(
                "{section}.{} has the undefined value {}",
                field.name, field.raw
            ),
        })
        .collect()
}

/// Merges the decoded US sections into the contract's fields: any opt-out wins.
fn merge(
    section_ids: Vec<u32>,
    source: Vec<UsSection>,
    sections: GppSections,
    unreadable: Vec<UnreadablePart>,
) -> GppSignals {
    let fields: Vec<OptOutField> = source
        .iter()
        .flat_map(|section| sections.opt_out_fields(*section))
        .collect();
    let merged = |role: Role| {
        any_opt_out(
            fields
                .iter()
                .filter(|field| field.role == role)
                .map(|field| opt_out_value(field.raw)),
        )
    };
    let uspv1_sale = sections.uspv1.and_then(|usp| usp.opted_out());
    GppSignals {
        sale_opt_out: any_opt_out([merged(Role::Sale), uspv1_sale]),
        sharing_opt_out: merged(Role::Sharing),
        targeted_advertising_opt_out: merged(Role::TargetedAdvertising),
        gpc: any_opt_out(sections.gpc_values()),
        section_ids,
        source,
        sections,
        unreadable,
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
    fn merge_lets_any_opt_out_win() {
        assert_eq!(any_opt_out([Some(false), Some(true), None]), Some(true));
        assert_eq!(any_opt_out([None, Some(false)]), Some(false));
        assert_eq!(any_opt_out([None, None]), None);
        assert_eq!(any_opt_out([]), None);
    }
}
