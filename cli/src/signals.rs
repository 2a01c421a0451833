//! Privacy-signal columns (`gpc`, `usp`, `gpp`) turned into an opt-out decision by the core.

use ccpa_optout::signals::{
    OptOutReason, PrivacySignal, SignalSays, UnreadableSignal, derive_opt_out,
};

use crate::input::row::{Cell, Column, RowFields};

/// What the signals of one row say, with the reasons in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignalDecision {
    /// A signal opts out (any opt-out wins).
    OptOut(String),
    /// No signal opts out, and one explicitly says "not opted out".
    NotOptedOut(String),
    /// The signals present carry no usable statement (GPC 0, USP `1---`, GPP fields of 0, or
    /// only signals that cannot be read).
    NoSignal(String),
}

/// The decision of a row's signal columns; `None` when it has none. A cell of the wrong type
/// (`gpc` other than 1/0, a `usp` or `gpp` that is not text) is an error and the row is
/// rejected. A USP or GPP string that cannot be read is not: it is named in the reasons and
/// never cancels a signal that can be read (§7025(b)).
pub fn decide(fields: &RowFields) -> Result<Option<SignalDecision>, String> {
    let gpc = fields.get(Column::Gpc).map(gpc).transpose()?;
    let usp = fields
        .get(Column::Usp)
        .map(|cell| text(cell, "usp"))
        .transpose()?;
    let gpp = fields
        .get(Column::Gpp)
        .map(|cell| text(cell, "gpp"))
        .transpose()?;
    if gpc.is_none() && usp.is_none() && gpp.is_none() {
        return Ok(None);
    }
    let decision = derive_opt_out(gpc, usp, gpp);
    let reasons = describe(&decision.reasons);
    Ok(Some(match decision.value {
        Some(true) => SignalDecision::OptOut(reasons),
        Some(false) => SignalDecision::NotOptedOut(reasons),
        None => SignalDecision::NoSignal(reasons),
    }))
}

/// `gpc`: `1`/`true` (the `Sec-GPC: 1` header, `navigator.globalPrivacyControl === true`) or
/// `0`/`false`.
fn gpc(cell: &Cell) -> Result<bool, String> {
    match cell {
        Cell::Bool(value) => Ok(*value),
        Cell::Text(text) | Cell::Number(text) if text == "1" => Ok(true),
        Cell::Text(text) | Cell::Number(text) if text == "0" => Ok(false),
        _ => Err("gpc must be 1 or 0 (or true/false)".to_owned()),
    }
}

fn text<'a>(cell: &'a Cell, column: &str) -> Result<&'a str, String> {
    match cell {
        Cell::Text(text) => Ok(text),
        _ => Err(format!("{column} must be a string")),
    }
}

/// The reasons as one line: `GPC opts out; USP says not opted out; the opt-out wins …`, or
/// `GPC opts out; USP could not be read and does not count (US Privacy string has …)`.
pub fn describe(reasons: &[OptOutReason]) -> String {
    // When a GPP section was read, an unreadable GPP reason is about one part of the string
    // (a field, a uspv1 section); otherwise the string as a whole could not be used.
    let gpp_was_read = reasons.iter().any(|reason| match reason {
        OptOutReason::Signal { signal, .. } => {
            !matches!(signal, PrivacySignal::Gpc | PrivacySignal::Usp)
        }
        _ => false,
    });
    reasons
        .iter()
        .map(|reason| match reason {
            OptOutReason::Signal { signal, says } => {
                let says = match says {
                    SignalSays::OptOut => "opts out",
                    SignalSays::NotOptedOut => "says not opted out",
                    SignalSays::NoSignal => "carries no opt-out statement",
                };
                format!("{} {says}", name(*signal))
            }
            OptOutReason::Unreadable { signal, message } => {
                let what = match signal {
                    UnreadableSignal::Usp => "USP",
                    UnreadableSignal::Gpp if gpp_was_read => "part of GPP",
                    UnreadableSignal::Gpp => "GPP",
                };
                format!("{what} could not be read and does not count ({message})")
            }
            OptOutReason::Conflict { .. } => {
                "the opt-out wins over the other signals (§7025(c)(3))".to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn name(signal: PrivacySignal) -> String {
    match signal {
        PrivacySignal::Gpc => "GPC".to_owned(),
        PrivacySignal::Usp => "USP".to_owned(),
        PrivacySignal::GppGpc => "GPP GPC".to_owned(),
        // `gpp_usnat` → `GPP usnat`, `gpp_usco` → `GPP usco`.
        section => section.to_string().replacen("gpp_", "GPP ", 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(gpc: Option<Cell>, usp: Option<&str>, gpp: Option<&str>) -> RowFields {
        let mut fields = RowFields::default();
        if let Some(cell) = gpc {
            fields.set(Column::Gpc, cell);
        }
        if let Some(usp) = usp {
            fields.set(Column::Usp, Cell::Text(usp.into()));
        }
        if let Some(gpp) = gpp {
            fields.set(Column::Gpp, Cell::Text(gpp.into()));
        }
        fields
    }

    #[test]
    fn any_opt_out_wins_and_the_reasons_say_why() {
        let decision = decide(&row(Some(Cell::Text("1".into())), Some("1YNN"), None)).unwrap();
        let Some(SignalDecision::OptOut(reasons)) = decision else {
            panic!("{decision:?}");
        };
        assert_eq!(
            reasons,
            "GPC opts out; USP says not opted out; the opt-out wins over the other signals (§7025(c)(3))"
        );
        assert!(matches!(
            decide(&row(None, None, Some("DBABBg~BVWSSSVY.YA"))),
            Ok(Some(SignalDecision::OptOut(_)))
        ));
    }

    #[test]
    fn no_opt_out_is_not_opted_out_or_no_signal() {
        assert!(matches!(
            decide(&row(None, Some("1YNN"), None)),
            Ok(Some(SignalDecision::NotOptedOut(_)))
        ));
        assert!(matches!(
            decide(&row(Some(Cell::Bool(false)), Some("1---"), None)),
            Ok(Some(SignalDecision::NoSignal(_)))
        ));
        assert_eq!(decide(&RowFields::default()), Ok(None));
    }

    #[test]
    fn a_cell_of_the_wrong_type_is_an_error() {
        assert!(decide(&row(Some(Cell::Text("yes".into())), None, None)).is_err());
        let mut fields = RowFields::default();
        fields.set(Column::Usp, Cell::Number("1".into()));
        assert!(decide(&fields).is_err());
    }

    #[test]
    fn an_unreadable_signal_never_cancels_one_that_can_be_read() {
        let decision = decide(&row(Some(Cell::Text("1".into())), Some("1Y-N"), None)).unwrap();
        assert_eq!(
            decision,
            Some(SignalDecision::OptOut(
                "GPC opts out; USP could not be read and does not count (US Privacy string has \
                 '-' in position 3 but is not 1---: while the CCPA applies, the opt-out must be \
                 Y or N)"
                    .to_owned()
            ))
        );
        let Ok(Some(SignalDecision::NoSignal(reasons))) = decide(&row(None, None, Some("zzz")))
        else {
            panic!("only an unreadable GPP should be no signal");
        };
        assert!(reasons.starts_with("GPP could not be read and does not count (GPP header"));
    }

    #[test]
    fn state_sections_and_unreadable_fields_are_named() {
        // usco (IAB string): sale and targeted advertising opted out, GPC on.
        let Ok(Some(SignalDecision::OptOut(reasons))) =
            decide(&row(None, None, Some("DBABJg~BVWSSVg.YA")))
        else {
            panic!("usco should opt out");
        };
        assert_eq!(reasons, "GPP usco opts out; GPP GPC opts out");
        // usnat: SaleOptOut 1, TargetedAdvertisingOptOut 3 (undefined).
        let Ok(Some(SignalDecision::OptOut(reasons))) =
            decide(&row(None, None, Some("DBABLA~CEQTAAAAAABA")))
        else {
            panic!("usnat's sale opt-out should count");
        };
        assert_eq!(
            reasons,
            "GPP usnat opts out; part of GPP could not be read and does not count \
             (usnat.TargetedAdvertisingOptOut has the undefined value 3)"
        );
    }
}
