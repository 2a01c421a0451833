//! From the raw signals (GPC, USP, GPP) to the `ccpaOptOut` value, with the reasons why.

use serde::Serialize;

use super::gpp::{GppSignals, any_opt_out, decode_gpp};
use super::us_sections::opt_out_value;
use super::usp::parse_usp;
use crate::error::Result;

/// A signal that took part in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacySignal {
    /// Global Privacy Control: the `Sec-GPC` header or `navigator.globalPrivacyControl`.
    Gpc,
    /// A standalone IAB US Privacy string.
    Usp,
    /// The `uspv1` section of the GPP string.
    GppUspv1,
    /// The `usnat` section of the GPP string.
    GppUsnat,
    /// The `usca` section of the GPP string.
    GppUsca,
    /// The GPC sub-section(s) of the GPP string's `usnat`/`usca`.
    GppGpc,
}

/// What one signal said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalSays {
    /// An opt-out of sale or sharing.
    OptOut,
    /// Explicitly not opted out (USP `N`, a GPP opt-out field of 2).
    NotOptedOut,
    /// Present, but no usable statement (GPC `false`, USP `1---`, GPP fields of 0).
    NoSignal,
}

/// One line of the explanation of an [`OptOutDecision`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OptOutReason {
    /// What one signal said.
    Signal {
        /// Which signal.
        signal: PrivacySignal,
        /// What it said.
        says: SignalSays,
    },
    /// Some signals opted out while others said "not opted out"; the opt-out won (§7025(c)(3)).
    Conflict {
        /// The signals that opted out.
        opted_out: Vec<PrivacySignal>,
        /// The signals that said "not opted out".
        not_opted_out: Vec<PrivacySignal>,
    },
}

/// The opt-out value the signals call for, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct OptOutDecision {
    /// `Some(true)`: opted out. `Some(false)`: a signal explicitly says "not opted out" and
    /// none opts out. `None`: no usable signal — leave the profile as it is.
    ///
    /// `Some(false)` only describes the signals: it must never clear a recorded opt-out (a
    /// signal that goes away is not consent, §7025(c)(5)); apply it only to a new profile or
    /// after an explicit two-step opt-in.
    pub value: Option<bool>,
    /// Every signal given, in the order gpc, usp, then the GPP sections, followed by a
    /// [`OptOutReason::Conflict`] when an opt-out overrode a "not opted out".
    pub reasons: Vec<OptOutReason>,
}

/// Combines the raw signals into the opt-out decision: any opt-out wins.
///
/// - `gpc`: `Some(true)` from [`gpc_from_headers`](super::gpc_from_headers) or
///   `navigator.globalPrivacyControl === true`; `Some(false)` is recorded but is never an opt-in.
/// - `usp`: a US Privacy string; position 3 `Y` opts out, `N` says "not opted out".
/// - `gpp`: a GPP string; `uspv1`, `usnat` (sale, sharing, targeted advertising), `usca`
///   (sale, sharing) and the GPC sub-section count.
///
/// A malformed `usp` or `gpp` (including an empty string) is a `Validation` error with field
/// `usp` or `gpp`: a signal that cannot be read is reported, never silently dropped.
///
/// ```
/// use ccpa_optout::signals::derive_opt_out;
///
/// let decision = derive_opt_out(Some(true), Some("1YNN"), None)?;
/// assert_eq!(decision.value, Some(true)); // GPC wins over USP's "not opted out"
/// assert_eq!(decision.reasons.len(), 3); // gpc, usp, and the conflict note
///
/// assert_eq!(derive_opt_out(None, Some("1YNN"), None)?.value, Some(false));
/// assert_eq!(derive_opt_out(None, None, Some("DBABTA~1---"))?.value, None);
/// assert!(derive_opt_out(None, Some("1Y-N"), None).is_err());
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
pub fn derive_opt_out(
    gpc: Option<bool>,
    usp: Option<&str>,
    gpp: Option<&str>,
) -> Result<OptOutDecision> {
    let mut said: Vec<(PrivacySignal, SignalSays)> = Vec::new();
    if let Some(gpc) = gpc {
        said.push((PrivacySignal::Gpc, says(gpc.then_some(true))));
    }
    if let Some(usp) = usp {
        said.push((PrivacySignal::Usp, says(parse_usp(usp)?.opted_out())));
    }
    if let Some(gpp) = gpp {
        said.extend(gpp_reasons(&decode_gpp(gpp)?));
    }
    let value = any_opt_out(said.iter().map(|(_, says)| match says {
        SignalSays::OptOut => Some(true),
        SignalSays::NotOptedOut => Some(false),
        SignalSays::NoSignal => None,
    }));
    let with = |wanted: SignalSays| -> Vec<PrivacySignal> {
        said.iter()
            .filter(|(_, says)| *says == wanted)
            .map(|(signal, _)| *signal)
            .collect()
    };
    let (opted_out, not_opted_out) = (with(SignalSays::OptOut), with(SignalSays::NotOptedOut));
    let mut reasons: Vec<OptOutReason> = said
        .iter()
        .map(|(signal, says)| OptOutReason::Signal {
            signal: *signal,
            says: *says,
        })
        .collect();
    if !opted_out.is_empty() && !not_opted_out.is_empty() {
        reasons.push(OptOutReason::Conflict {
            opted_out,
            not_opted_out,
        });
    }
    Ok(OptOutDecision { value, reasons })
}

/// What each decoded US section of a GPP string said, per §5 of the reference.
fn gpp_reasons(gpp: &GppSignals) -> Vec<(PrivacySignal, SignalSays)> {
    let sections = &gpp.sections;
    let mut said = Vec::new();
    if let Some(usp) = &sections.uspv1 {
        said.push((PrivacySignal::GppUspv1, says(usp.opted_out())));
    }
    if let Some(usnat) = &sections.usnat {
        let fields = [
            usnat.sale_opt_out,
            usnat.sharing_opt_out,
            usnat.targeted_advertising_opt_out,
        ];
        said.push((PrivacySignal::GppUsnat, says_fields(&fields)));
    }
    if let Some(usca) = &sections.usca {
        let fields = [usca.sale_opt_out, usca.sharing_opt_out];
        said.push((PrivacySignal::GppUsca, says_fields(&fields)));
    }
    if let Some(gpc) = gpp.gpc {
        // `Gpc` = 0 is "no signal", like a GPC header that is absent.
        said.push((PrivacySignal::GppGpc, says(gpc.then_some(true))));
    }
    said
}

fn says_fields(raw: &[u8]) -> SignalSays {
    says(any_opt_out(raw.iter().map(|value| opt_out_value(*value))))
}

const fn says(value: Option<bool>) -> SignalSays {
    match value {
        Some(true) => SignalSays::OptOut,
        Some(false) => SignalSays::NotOptedOut,
        None => SignalSays::NoSignal,
    }
}
