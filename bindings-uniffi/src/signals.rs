//! Privacy signals (GPC, USP, GPP) and the CCPA deadlines; dates cross as `YYYY-MM-DD` text.

use ccpa_optout::signals as core;
use ccpa_optout::{Date, signals::OptOutDecision as CoreDecision};

use crate::error::{Result, ffi};
use crate::gpp::{GppSignals, UsPrivacy};
use crate::http::{HttpHeader, header_pairs};
use crate::profile::OptOutChange;

/// A signal that took part in a decision. A plain enum (one case per GPP section) so that
/// Kotlin and Swift can match on it exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PrivacySignal {
    /// Global Privacy Control (`Sec-GPC: 1`, `navigator.globalPrivacyControl`).
    Gpc,
    /// A standalone US Privacy string.
    Usp,
    /// The GPP string's `uspv1` section.
    GppUspv1,
    /// The GPP string's `usnat` section.
    GppUsnat,
    /// The GPP string's `usca` section.
    GppUsca,
    /// The GPC sub-section(s) of the GPP string.
    GppGpc,
    /// The GPP string's `usva` section (Virginia).
    GppUsva,
    /// The GPP string's `usco` section (Colorado).
    GppUsco,
    /// The GPP string's `usut` section (Utah).
    GppUsut,
    /// The GPP string's `usct` section (Connecticut).
    GppUsct,
    /// The GPP string's `usfl` section (Florida).
    GppUsfl,
    /// The GPP string's `usmt` section (Montana).
    GppUsmt,
    /// The GPP string's `usor` section (Oregon).
    GppUsor,
    /// The GPP string's `ustx` section (Texas).
    GppUstx,
    /// The GPP string's `usde` section (Delaware).
    GppUsde,
    /// The GPP string's `usia` section (Iowa).
    GppUsia,
    /// The GPP string's `usne` section (Nebraska).
    GppUsne,
    /// The GPP string's `usnh` section (New Hampshire).
    GppUsnh,
    /// The GPP string's `usnj` section (New Jersey).
    GppUsnj,
    /// The GPP string's `ustn` section (Tennessee).
    GppUstn,
    /// The GPP string's `usmn` section (Minnesota).
    GppUsmn,
    /// The GPP string's `usmd` section (Maryland).
    GppUsmd,
    /// The GPP string's `usin` section (Indiana).
    GppUsin,
    /// The GPP string's `usky` section (Kentucky).
    GppUsky,
    /// The GPP string's `usri` section (Rhode Island).
    GppUsri,
}

/// A signal given as a string that could not be read (in whole or in part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum UnreadableSignal {
    /// The standalone US Privacy string.
    Usp,
    /// The GPP string, or a part of it (a field, a `uspv1` section).
    Gpp,
}

/// What one signal said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SignalSays {
    /// An opt-out of sale or sharing.
    OptOut,
    /// Explicitly not opted out.
    NotOptedOut,
    /// Present, but no usable statement.
    NoSignal,
}

/// One line of the explanation of a decision.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum OptOutReason {
    /// What one signal said.
    Signal {
        /// Which signal.
        signal: PrivacySignal,
        /// What it said.
        says: SignalSays,
    },
    /// A signal, or a part of the GPP string, that could not be read and so did not count; it
    /// never cancels the signals that could be read.
    Unreadable {
        /// Which signal.
        signal: UnreadableSignal,
        /// Why (at most 200 characters), e.g. `usnat.TargetedAdvertisingOptOut has the
        /// undefined value 3`.
        message: String,
    },
    /// Some signals opted out, others said "not opted out"; the opt-out won.
    Conflict {
        /// The signals that opted out.
        opted_out: Vec<PrivacySignal>,
        /// The signals that said "not opted out".
        not_opted_out: Vec<PrivacySignal>,
    },
}

/// The opt-out value the signals call for, and why. A `false` value must never clear a
/// recorded opt-out (a signal that goes away is not consent).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OptOutDecision {
    /// True: opted out. False: explicitly not opted out. None: leave the profile as it is.
    pub value: Option<bool>,
    /// Every signal given (gpc, usp, the GPP sections in header order, the GPP GPC), then a
    /// note for each part of the GPP string that could not be read, then a conflict note when an
    /// opt-out overrode a "not opted out". A `usp` or `gpp` that could not be read at all is an
    /// `Unreadable` reason in its own place.
    pub reasons: Vec<OptOutReason>,
}

fn signal(signal: core::PrivacySignal) -> PrivacySignal {
    match signal {
        core::PrivacySignal::Gpc => PrivacySignal::Gpc,
        core::PrivacySignal::Usp => PrivacySignal::Usp,
        core::PrivacySignal::GppUspv1 => PrivacySignal::GppUspv1,
        core::PrivacySignal::GppUsnat => PrivacySignal::GppUsnat,
        core::PrivacySignal::GppUsca => PrivacySignal::GppUsca,
        core::PrivacySignal::GppGpc => PrivacySignal::GppGpc,
        core::PrivacySignal::GppState(section) => state_signal(section),
    }
}

/// The signal of a GPP state section (a core `GppState`).
fn state_signal(section: core::UsSection) -> PrivacySignal {
    match section {
        core::UsSection::Usva => PrivacySignal::GppUsva,
        core::UsSection::Usco => PrivacySignal::GppUsco,
        core::UsSection::Usut => PrivacySignal::GppUsut,
        core::UsSection::Usct => PrivacySignal::GppUsct,
        core::UsSection::Usfl => PrivacySignal::GppUsfl,
        core::UsSection::Usmt => PrivacySignal::GppUsmt,
        core::UsSection::Usor => PrivacySignal::GppUsor,
        core::UsSection::Ustx => PrivacySignal::GppUstx,
        core::UsSection::Usde => PrivacySignal::GppUsde,
        core::UsSection::Usia => PrivacySignal::GppUsia,
        core::UsSection::Usne => PrivacySignal::GppUsne,
        core::UsSection::Usnh => PrivacySignal::GppUsnh,
        core::UsSection::Usnj => PrivacySignal::GppUsnj,
        core::UsSection::Ustn => PrivacySignal::GppUstn,
        core::UsSection::Usmn => PrivacySignal::GppUsmn,
        core::UsSection::Usmd => PrivacySignal::GppUsmd,
        core::UsSection::Usin => PrivacySignal::GppUsin,
        core::UsSection::Usky => PrivacySignal::GppUsky,
        core::UsSection::Usri => PrivacySignal::GppUsri,
        // uspv1, usnat and usca have their own core variants; these arms are never taken.
        core::UsSection::Uspv1 => PrivacySignal::GppUspv1,
        core::UsSection::Usnat => PrivacySignal::GppUsnat,
        core::UsSection::Usca => PrivacySignal::GppUsca,
    }
}

fn signals(list: Vec<core::PrivacySignal>) -> Vec<PrivacySignal> {
    list.into_iter().map(signal).collect()
}

impl From<CoreDecision> for OptOutDecision {
    fn from(decision: CoreDecision) -> Self {
        let reasons = decision.reasons.into_iter().map(|reason| match reason {
            core::OptOutReason::Signal {
                signal: which,
                says,
            } => OptOutReason::Signal {
                signal: signal(which),
                says: match says {
                    core::SignalSays::OptOut => SignalSays::OptOut,
                    core::SignalSays::NotOptedOut => SignalSays::NotOptedOut,
                    core::SignalSays::NoSignal => SignalSays::NoSignal,
                },
            },
            core::OptOutReason::Unreadable { signal, message } => OptOutReason::Unreadable {
                signal: match signal {
                    core::UnreadableSignal::Usp => UnreadableSignal::Usp,
                    core::UnreadableSignal::Gpp => UnreadableSignal::Gpp,
                },
                message,
            },
            core::OptOutReason::Conflict {
                opted_out,
                not_opted_out,
            } => OptOutReason::Conflict {
                opted_out: signals(opted_out),
                not_opted_out: signals(not_opted_out),
            },
        });
        OptOutDecision {
            value: decision.value,
            reasons: reasons.collect(),
        }
    }
}

/// What `apply_signals` decided and wrote.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AppliedSignals {
    /// The decision, with its reasons.
    pub decision: OptOutDecision,
    /// One entry per profile looked at; empty when the decision had no value.
    pub changes: Vec<OptOutChange>,
}

/// What a site's `/.well-known/gpc.json` says.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GpcSupport {
    /// True: the site honours GPC; false: it does not; none: unknown.
    pub gpc: Option<bool>,
    /// `lastUpdate` as `YYYY-MM-DD`, when it is a valid date.
    pub last_update: Option<String>,
}

/// True when any `Sec-GPC` value (split on commas) is exactly `1`; none otherwise, never false:
/// an absent signal is not an opt-in.
#[uniffi::export]
pub fn gpc_from_headers(headers: Vec<HttpHeader>) -> Option<bool> {
    core::gpc_from_header_pairs(header_pairs(&headers))
}

/// Reads a `/.well-known/gpc.json` body served with `content_type`; never fails.
#[uniffi::export]
pub fn parse_gpc_json(content_type: Option<String>, body: Vec<u8>) -> GpcSupport {
    let support = core::parse_gpc_json(content_type.as_deref(), &body);
    GpcSupport {
        gpc: support.gpc,
        last_update: support.last_update.map(|date| date.to_string()),
    }
}

/// Parses an IAB US Privacy string such as `1YNN`; a malformed one (`1Y--` included) is a
/// `Validation` error.
#[uniffi::export]
pub fn parse_usp(usp: String) -> Result<UsPrivacy> {
    Ok(ffi(core::parse_usp(&usp))?.into())
}

/// Decodes an IAB GPP string's US sections (`uspv1`, `usnat`, `usca` and the states 9–27). A
/// string whose structure is malformed is a `Validation` error; a part that cannot be read on
/// its own (an opt-out of 3, a malformed `uspv1`) is listed in `unreadable` instead.
#[uniffi::export]
pub fn decode_gpp(gpp: String) -> Result<GppSignals> {
    Ok(ffi(core::decode_gpp(&gpp))?.into())
}

/// Combines the raw signals into the opt-out decision: any opt-out wins. Never fails: a
/// string that cannot be read is an `Unreadable` reason and never cancels a readable signal.
#[uniffi::export(default(gpc = None, usp = None, gpp = None))]
pub fn derive_opt_out(
    gpc: Option<bool>,
    usp: Option<String>,
    gpp: Option<String>,
) -> OptOutDecision {
    core::derive_opt_out(gpc, usp.as_deref(), gpp.as_deref()).into()
}

fn date(text: &str) -> Result<Date> {
    ffi(Date::parse(text))
}

/// The date 15 business days after `received` (weekends and `holidays` skipped).
#[uniffi::export(default(holidays = []))]
pub fn opt_out_due_date(received: String, holidays: Vec<String>) -> Result<String> {
    let holidays = holidays
        .iter()
        .map(|day| date(day))
        .collect::<Result<Vec<_>>>()?;
    Ok(core::opt_out_due_date(date(&received)?, &holidays).to_string())
}

/// The first date on which the business may ask to opt back in (12 months after the opt-out).
#[uniffi::export]
pub fn opt_in_request_allowed_from(opted_out_on: String) -> Result<Option<String>> {
    Ok(core::opt_in_request_allowed_from(date(&opted_out_on)?).map(|day| day.to_string()))
}

/// Whether, on `on`, the 12-month wait after the opt-out is over.
#[uniffi::export]
pub fn may_request_opt_in(opted_out_on: String, on: String) -> Result<bool> {
    Ok(core::may_request_opt_in(date(&opted_out_on)?, date(&on)?))
}

/// The date part of an RFC 3339 date or date-time, as written.
#[uniffi::export]
pub fn date_from_rfc3339(timestamp: String) -> Result<String> {
    Ok(ffi(Date::from_rfc3339(&timestamp))?.to_string())
}
