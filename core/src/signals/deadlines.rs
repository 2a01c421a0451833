//! The CCPA's clocks: 15 business days to apply an opt-out, 12 months before asking to opt back in.

use crate::date::Date;

/// Business days a business has to stop selling or sharing after an opt-out (§7026(f)).
pub const OPT_OUT_BUSINESS_DAYS: u32 = 15;

/// The last day to apply an opt-out received on `received`: 15 business days later.
///
/// Days are counted from the day after receipt; Saturdays, Sundays and the given `holidays`
/// do not count (no source says which holidays apply, so the caller supplies the calendar).
/// A date that would fall after 9999-12-31 is reported as [`Date::MAX`], the earlier and so
/// stricter answer.
///
/// ```
/// use ccpa_optout::{Date, signals::opt_out_due_date};
///
/// let received = Date::parse("2025-01-03")?; // a Friday
/// assert_eq!(opt_out_due_date(received, &[]), Date::parse("2025-01-24")?);
/// let mlk_day = Date::parse("2025-01-20")?;
/// assert_eq!(opt_out_due_date(received, &[mlk_day]), Date::parse("2025-01-27")?);
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
pub fn opt_out_due_date(received: Date, holidays: &[Date]) -> Date {
    received.add_business_days(OPT_OUT_BUSINESS_DAYS, holidays)
}

/// The first day on which a business may ask a consumer who opted out on `opted_out_on` to
/// opt back in: the same date 12 months later (2025-03-01 → 2026-03-01).
///
/// An opt-out on February 29 waits until March 1 of the following year: February 28 would be
/// a day short of twelve full months. `None` only when the date would fall after 9999-12-31.
///
/// ```
/// use ccpa_optout::{Date, signals::opt_in_request_allowed_from};
///
/// let allowed = opt_in_request_allowed_from(Date::parse("2025-03-01")?);
/// assert_eq!(allowed, Some(Date::parse("2026-03-01")?));
/// let allowed = opt_in_request_allowed_from(Date::parse("2024-02-29")?);
/// assert_eq!(allowed, Some(Date::parse("2025-03-01")?));
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
pub fn opt_in_request_allowed_from(opted_out_on: Date) -> Option<Date> {
    // Twelve months after a date is the same date a year later (Civ. 1798.135).
    opted_out_on.add_years(1)
}

/// Whether, on `on`, the 12-month wait after an opt-out on `opted_out_on` is over.
///
/// ```
/// use ccpa_optout::{Date, signals::may_request_opt_in};
///
/// let opted_out = Date::parse("2025-03-01")?;
/// assert!(!may_request_opt_in(opted_out, Date::parse("2026-02-28")?));
/// assert!(may_request_opt_in(opted_out, Date::parse("2026-03-01")?));
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
pub fn may_request_opt_in(opted_out_on: Date, on: Date) -> bool {
    opt_in_request_allowed_from(opted_out_on).is_some_and(|allowed| on >= allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn receipt_on_a_weekend_counts_from_monday() {
        // Saturday 2025-01-04: Monday the 6th is day 1, Friday the 24th is day 15.
        assert_eq!(
            opt_out_due_date(date("2025-01-04"), &[]),
            date("2025-01-24")
        );
    }

    #[test]
    fn holidays_on_weekends_and_duplicates_change_nothing() {
        let holidays = [date("2025-01-04"), date("2025-01-04"), date("2025-01-05")];
        assert_eq!(
            opt_out_due_date(date("2025-01-03"), &holidays),
            date("2025-01-24")
        );
    }

    #[test]
    fn the_end_of_the_calendar_saturates() {
        assert_eq!(opt_out_due_date(date("9999-12-20"), &[]), Date::MAX);
        assert_eq!(opt_in_request_allowed_from(date("9999-01-01")), None);
        assert!(!may_request_opt_in(date("9999-01-01"), Date::MAX));
    }
}
