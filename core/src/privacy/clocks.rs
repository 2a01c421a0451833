//! The clocks of a request to know or to delete (§7021): confirm, answer, and the one extension.
//!
//! A business confirms receipt within 10 business days and answers within 45 calendar days of
//! receipt, whatever verification takes; it may extend once by 45 more days if it tells the
//! consumer within the first 45. Days are counted from the day after receipt; the text names no
//! holiday calendar, so the caller supplies one (as for the opt-out's 15 business days).

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// Business days to confirm receipt (§7021(a)).
pub const CONFIRM_BUSINESS_DAYS: u32 = 10;

/// Calendar days to answer (§7021(b)).
pub const RESPONSE_DAYS: i64 = 45;

/// Calendar days one extension adds (§7021(b); 90 in all).
pub const EXTENSION_DAYS: i64 = 45;

/// What happened to a request, each a day (in the zone the request was received in).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestEvents {
    /// The day receipt was confirmed to the consumer.
    pub confirmed_on: Option<Date>,
    /// The day the consumer was told of an extension and its reason.
    pub extension_noticed_on: Option<Date>,
    /// The day the request was answered (data sent, deletion done, or the denial).
    pub answered_on: Option<Date>,
}

/// Whether one deadline was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum Deadline {
    /// Done on or before the day.
    Met,
    /// Done late, or not done and the day has passed.
    Missed,
    /// Not done yet, and there is still time.
    Open,
}

/// A request's deadlines, and which were kept.
///
/// ```
/// use ccpa_optout::Date;
/// use ccpa_optout::privacy::{Deadline, RequestClocks, RequestEvents};
///
/// let received = Date::parse("2025-04-04")?; // a Friday
/// let answered = RequestEvents { answered_on: Some(Date::parse("2025-05-19")?), ..Default::default() };
/// let clocks = RequestClocks::new(received, &[], &answered, Date::parse("2025-06-01")?);
/// assert_eq!(clocks.confirm_by, Date::parse("2025-04-18")?);
/// assert_eq!(clocks.respond_by, Date::parse("2025-05-19")?);
/// assert_eq!(clocks.extended_to, None);
/// assert_eq!(clocks.response, Deadline::Met);
/// assert_eq!(clocks.confirmation, Deadline::Missed); // answered after the 10 business days, never confirmed
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(rename_all = "camelCase")]
pub struct RequestClocks {
    /// The day of receipt.
    pub received: Date,
    /// The last day to confirm receipt: 10 business days later.
    pub confirm_by: Date,
    /// The last day to answer: 45 calendar days later.
    pub respond_by: Date,
    /// With an extension noticed by `respond_by`, the last day to answer: 90 days after receipt.
    pub extended_to: Option<Date>,
    /// Whether receipt was confirmed in time (an answer in time confirms it too).
    pub confirmation: Deadline,
    /// Whether the request was answered in time (by `extended_to` when there is one).
    pub response: Deadline,
}

impl RequestClocks {
    /// The deadlines of a request received on `received`, judged on `today` from `events`.
    /// Past 9999-12-31 a deadline is [`Date::MAX`], the earlier and so stricter answer.
    pub fn new(received: Date, holidays: &[Date], events: &RequestEvents, today: Date) -> Self {
        let confirm_by = received.add_business_days(CONFIRM_BUSINESS_DAYS, holidays);
        let respond_by = received.add_days(RESPONSE_DAYS).unwrap_or(Date::MAX);
        // The extension counts only if the consumer heard of it within the first 45 days.
        let extended_to = events
            .extension_noticed_on
            .filter(|noticed| *noticed <= respond_by)
            .map(|_| {
                received
                    .add_days(RESPONSE_DAYS + EXTENSION_DAYS)
                    .unwrap_or(Date::MAX)
            });
        // §7021(a) asks for a confirmation unless the request was already granted or denied.
        let confirmed = match (events.confirmed_on, events.answered_on) {
            (Some(confirmed), Some(answered)) => Some(confirmed.min(answered)),
            (confirmed, answered) => confirmed.or(answered),
        };
        RequestClocks {
            received,
            confirm_by,
            respond_by,
            extended_to,
            confirmation: judge(confirmed, confirm_by, today),
            response: judge(events.answered_on, extended_to.unwrap_or(respond_by), today),
        }
    }

    /// The last day to answer: `extended_to` when there is one, else `respond_by`.
    pub fn due(&self) -> Date {
        self.extended_to.unwrap_or(self.respond_by)
    }
}

fn judge(done_on: Option<Date>, due: Date, today: Date) -> Deadline {
    match done_on {
        Some(day) if day <= due => Deadline::Met,
        Some(_) => Deadline::Missed,
        None if today > due => Deadline::Missed,
        None => Deadline::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn events(
        confirmed: Option<&str>,
        noticed: Option<&str>,
        answered: Option<&str>,
    ) -> RequestEvents {
        RequestEvents {
            confirmed_on: confirmed.map(date),
            extension_noticed_on: noticed.map(date),
            answered_on: answered.map(date),
        }
    }

    #[test]
    fn a_late_extension_notice_extends_nothing() {
        let received = date("2025-04-04");
        let in_time = RequestClocks::new(
            received,
            &[],
            &events(None, Some("2025-05-19"), None),
            date("2025-06-01"),
        );
        assert_eq!(in_time.extended_to, Some(date("2025-07-03")));
        assert_eq!(in_time.response, Deadline::Open);
        let late = RequestClocks::new(
            received,
            &[],
            &events(None, Some("2025-05-20"), None),
            date("2025-06-01"),
        );
        assert_eq!(late.extended_to, None);
        assert_eq!(late.response, Deadline::Missed);
        assert_eq!(late.due(), date("2025-05-19"));
    }

    #[test]
    fn holidays_move_the_confirmation_not_the_answer() {
        let received = date("2025-05-23"); // Friday before Memorial Day
        let clocks = RequestClocks::new(
            received,
            &[date("2025-05-26")],
            &RequestEvents::default(),
            received,
        );
        assert_eq!(clocks.confirm_by, date("2025-06-09"));
        assert_eq!(clocks.respond_by, date("2025-07-07"));
        assert_eq!(
            (clocks.confirmation, clocks.response),
            (Deadline::Open, Deadline::Open)
        );
    }

    #[test]
    fn the_end_of_the_calendar_saturates() {
        let clocks = RequestClocks::new(
            date("9999-12-20"),
            &[],
            &events(None, Some("9999-12-21"), None),
            date("9999-12-21"),
        );
        assert_eq!(clocks.respond_by, Date::MAX);
        assert_eq!(clocks.extended_to, Some(Date::MAX));
        assert_eq!(clocks.confirm_by, Date::MAX);
    }
}
