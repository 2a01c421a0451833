//! Privacy-signal columns (`gpc`, `usp`, `gpp`) turned into an opt-out decision by the core.

use ccpa_optout::signals::{OptOutReason, PrivacySignal, SignalSays, derive_opt_out};

use crate::input::row::{Cell, Column, RowFields};

/// What the signals of one row say, with the reasons in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignalDecision {
    /// A signal opts out (any opt-out wins).
    OptOut(String),
    /// No signal opts out, and one explicitly says "not opted out".
    NotOptedOut(String),
    /// The signals present carry no usable statement (GPC 0, USP `1---`, GPP fields of 0).
    NoSignal(String),
}

/// The decision of a row's signal columns; `None` when it has none. A malformed signal is an
/// error (the row is rejected): a signal that cannot be read is reported, never dropped.
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
    let decision = derive_opt_out(gpc, usp, gpp).map_err(|e| e.message().to_owned())?;
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

/// The reasons as one line: `GPC opts out; USP says not opted out; the opt-out wins`.
pub fn describe(reasons: &[OptOutReason]) -> String {
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
            OptOutReason::Conflict { .. } => {
                "the opt-out wins over the other signals (§7025(c)(3))".to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn name(signal: PrivacySignal) -> &'static str {
    match signal {
        PrivacySignal::Gpc => "GPC",
        PrivacySignal::Usp => "USP",
        PrivacySignal::GppUspv1 => "GPP uspv1",
        PrivacySignal::GppUsnat => "GPP usnat",
        PrivacySignal::GppUsca => "GPP usca",
        PrivacySignal::GppGpc => "GPP GPC",
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
    fn malformed_signals_are_errors() {
        assert!(decide(&row(Some(Cell::Text("yes".into())), None, None)).is_err());
        assert!(decide(&row(None, Some("1Y-N"), None)).is_err());
        assert!(decide(&row(None, None, Some("zzz"))).is_err());
    }
}
