//! From the raw signals (GPC, USP, GPP) to the `ccpaOptOut` value, with the reasons why.

use super::gpp::{GppSignals, any_opt_out, decode_gpp};
use super::reasons::{OptOutDecision, OptOutReason, PrivacySignal, SignalSays, UnreadableSignal};
use super::sections::UsSection;
use super::us_sections::opt_out_value;
use super::usp::parse_usp;

/// Combines the raw signals into the opt-out decision: any opt-out wins.
///
/// - `gpc`: `Some(true)` from [`gpc_from_headers`](super::gpc_from_headers) or
///   `navigator.globalPrivacyControl === true`; `Some(false)` is recorded but is never an opt-in.
/// - `usp`: a US Privacy string; position 3 `Y` opts out, `N` says "not opted out".
/// - `gpp`: a GPP string; `uspv1`, `usnat` (sale, sharing, targeted advertising), `usca`
///   (sale, sharing), every state section 9–27 (sale, targeted advertising) and the GPC
///   sub-sections count, one reason per section in header order.
///
/// Never fails. A signal that cannot be read never cancels one that can (§7025(b): a valid
/// signal must be processed): a malformed `usp` or `gpp` (an empty string included) becomes an
/// [`OptOutReason::Unreadable`] with the decoder's message, and so does each part of a GPP
/// string that cannot be read on its own (an opt-out field of 3, a malformed `uspv1`), while
/// the rest of that string still counts. When nothing readable is left the value is `None`.
/// [`parse_usp`](super::parse_usp) and [`decode_gpp`](super::decode_gpp) still return the
/// errors, for callers that read one signal.
///
/// ```
/// use ccpa_optout::signals::{OptOutReason, UnreadableSignal, derive_opt_out};
///
/// let decision = derive_opt_out(Some(true), Some("1YNN"), None);
/// assert_eq!(decision.value, Some(true)); // GPC wins over USP's "not opted out"
/// assert_eq!(decision.reasons.len(), 3); // gpc, usp, and the conflict note
///
/// assert_eq!(derive_opt_out(None, Some("1YNN"), None).value, Some(false));
/// assert_eq!(derive_opt_out(None, None, Some("DBABTA~1---")).value, None);
///
/// // A broken USP string does not cancel GPC; it is reported.
/// let decision = derive_opt_out(Some(true), Some("1Y-N"), None);
/// assert_eq!(decision.value, Some(true));
/// assert!(matches!(
///     &decision.reasons[1],
///     OptOutReason::Unreadable { signal: UnreadableSignal::Usp, .. }
/// ));
/// assert_eq!(derive_opt_out(None, Some("1Y-N"), None).value, None);
/// ```
pub fn derive_opt_out(gpc: Option<bool>, usp: Option<&str>, gpp: Option<&str>) -> OptOutDecision {
    let mut reasons = Vec::new();
    if let Some(gpc) = gpc {
        reasons.push(signal(PrivacySignal::Gpc, gpc.then_some(true)));
    }
    if let Some(usp) = usp {
        reasons.push(match parse_usp(usp) {
            Ok(usp) => signal(PrivacySignal::Usp, usp.opted_out()),
            Err(err) => OptOutReason::unreadable(UnreadableSignal::Usp, err.message()),
        });
    }
    if let Some(gpp) = gpp {
        match decode_gpp(gpp) {
            Ok(gpp) => reasons.extend(gpp_reasons(&gpp)),
            Err(err) => reasons.push(OptOutReason::unreadable(
                UnreadableSignal::Gpp,
                err.message(),
            )),
        }
    }
    let said: Vec<(PrivacySignal, SignalSays)> = reasons
        .iter()
        .filter_map(|reason| match reason {
            OptOutReason::Signal { signal, says } => Some((*signal, *says)),
            _ => None,
        })
        .collect();
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
    if !opted_out.is_empty() && !not_opted_out.is_empty() {
        reasons.push(OptOutReason::Conflict {
            opted_out,
            not_opted_out,
        });
    }
    OptOutDecision { value, reasons }
}

/// What each decoded US section of a GPP string said, per §5 of the reference, in header
/// order; then the GPC sub-sections; then the parts that could not be read.
fn gpp_reasons(gpp: &GppSignals) -> Vec<OptOutReason> {
    let sections = &gpp.sections;
    let mut reasons: Vec<OptOutReason> = gpp
        .source
        .iter()
        .map(|section| {
            let says = match (section, &sections.uspv1) {
                (UsSection::Uspv1, Some(usp)) => usp.opted_out(),
                _ => any_opt_out(
                    sections
                        .opt_out_fields(*section)
                        .iter()
                        .map(|field| opt_out_value(field.raw)),
                ),
            };
            signal(PrivacySignal::for_section(*section), says)
        })
        .collect();
    if let Some(gpc) = gpp.gpc {
        // `Gpc` = 0 is "no signal", like a GPC header that is absent.
        reasons.push(signal(PrivacySignal::GppGpc, gpc.then_some(true)));
    }
    reasons.extend(
        gpp.unreadable
            .iter()
            .map(|part| OptOutReason::unreadable(UnreadableSignal::Gpp, &part.message)),
    );
    reasons
}

/// The reason for a signal that says `value` (`Some(true)` opts out, `Some(false)` does not).
const fn signal(signal: PrivacySignal, value: Option<bool>) -> OptOutReason {
    let says = match value {
        Some(true) => SignalSays::OptOut,
        Some(false) => SignalSays::NotOptedOut,
        None => SignalSays::NoSignal,
    };
    OptOutReason::Signal { signal, says }
}
