//! Privacy Service requests and the §7021 clocks from the FFI's arguments; the records are the core's.

use std::time::Duration;

use ccpa_optout::privacy::{
    JobFilter, JobRequest, JobStatus, PrivacyUser, Regulation, RequestClocks, RequestEvents, UserId,
};
use ccpa_optout::{Date, Email, Error};

use crate::error::{Result, ffi};

/// The identity `{namespace: "email", value: email, type: standard}`, the one Campaign
/// reconciles on; a malformed email is a `Validation` error.
#[uniffi::export]
pub fn email_user_id(email: String) -> Result<UserId> {
    Ok(UserId::email(&ffi(Email::new(&email))?))
}

/// The request of `submit_privacy_jobs`: `include` defaults to `["campaign"]`, `regulation` to
/// `ccpa`.
pub(crate) fn job_request(
    users: Vec<PrivacyUser>,
    include: Option<Vec<String>>,
    regulation: Option<String>,
) -> Result<JobRequest> {
    let mut request = JobRequest::new(users);
    if let Some(include) = include {
        request.include = include;
    }
    if let Some(code) = regulation {
        request.regulation = ffi(Regulation::new(&code))?;
    }
    Ok(request)
}

/// The filter of `list_privacy_jobs`: dates as `YYYY-MM-DD`, both or neither.
pub(crate) fn job_filter(
    regulation: Option<String>,
    status: Option<JobStatus>,
    from_date: Option<String>,
    to_date: Option<String>,
    page_size: Option<u32>,
) -> Result<JobFilter> {
    let dates = match (from_date, to_date) {
        (Some(from), Some(to)) => Some((date(&from)?, date(&to)?)),
        (None, None) => None,
        (Some(_), None) => {
            return ffi(Err(Error::validation(
                "toDate",
                "give toDate with fromDate",
            )));
        }
        (None, Some(_)) => {
            return ffi(Err(Error::validation(
                "fromDate",
                "give fromDate with toDate",
            )));
        }
    };
    let default = JobFilter::default();
    let filter = JobFilter {
        regulation: match regulation {
            Some(code) => ffi(Regulation::new(&code))?,
            None => default.regulation,
        },
        status,
        dates,
        page_size: page_size.unwrap_or(default.page_size),
    };
    ffi(filter.validate())?;
    Ok(filter)
}

/// A number of seconds as a duration; a negative, infinite or NaN one is a `Validation` error.
pub(crate) fn seconds(value: f64, field: &str) -> Result<Duration> {
    ffi(Duration::try_from_secs_f64(value)
        .map_err(|_| Error::validation(field, "a number of seconds, 0 or more")))
}

fn date(text: &str) -> Result<Date> {
    ffi(Date::parse(text))
}

fn optional_date(text: Option<String>) -> Result<Option<Date>> {
    text.as_deref().map(date).transpose()
}

/// The deadlines of a request to know or to delete received on `received`, judged on `today`
/// from what happened (each a day, none when it has not happened); weekends and `holidays`
/// are skipped for the confirmation's 10 business days.
#[uniffi::export(default(holidays = [], confirmed_on = None, extension_noticed_on = None, answered_on = None))]
pub fn request_clocks(
    received: String,
    today: String,
    holidays: Vec<String>,
    confirmed_on: Option<String>,
    extension_noticed_on: Option<String>,
    answered_on: Option<String>,
) -> Result<RequestClocks> {
    let holidays = holidays
        .iter()
        .map(|day| date(day))
        .collect::<Result<Vec<_>>>()?;
    let events = RequestEvents {
        confirmed_on: optional_date(confirmed_on)?,
        extension_noticed_on: optional_date(extension_noticed_on)?,
        answered_on: optional_date(answered_on)?,
    };
    Ok(RequestClocks::new(
        date(&received)?,
        &holidays,
        &events,
        date(&today)?,
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn one_date_of_a_range_alone_is_refused_naming_the_other() {
        let err = job_filter(None, None, Some("2025-04-01".into()), None, None).unwrap_err();
        assert!(
            matches!(err, crate::CcpaOptOutError::Validation { field: Some(f), .. } if f == "toDate")
        );
        let filter = job_filter(None, Some(JobStatus::Complete), None, None, Some(5)).unwrap();
        assert_eq!((filter.regulation.as_str(), filter.page_size), ("ccpa", 5));
    }
}
