//! Privacy Service requests and the §7021 clocks from the FFI's arguments; the records are the core's.

use ccpa_optout::Email;
use ccpa_optout::privacy::{
    JobFilter, JobRequest, JobStatus, PrivacyUser, RequestClocks, RequestEvents, UserId,
};

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
    ffi(JobRequest::with_options(
        users,
        include,
        regulation.as_deref(),
    ))
}

/// The filter of `list_privacy_jobs`: dates as `YYYY-MM-DD`, both or neither.
pub(crate) fn job_filter(
    regulation: Option<String>,
    status: Option<JobStatus>,
    from_date: Option<String>,
    to_date: Option<String>,
    page_size: Option<u32>,
) -> Result<JobFilter> {
    ffi(JobFilter::from_text(
        regulation.as_deref(),
        status.as_ref().map(JobStatus::as_str),
        from_date.as_deref(),
        to_date.as_deref(),
        page_size,
    ))
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
    ffi(RequestEvents::from_text(
        confirmed_on.as_deref(),
        extension_noticed_on.as_deref(),
        answered_on.as_deref(),
    )
    .and_then(|events| RequestClocks::from_text(&received, &holidays, &events, &today)))
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
