//! Privacy Service jobs and the §7021 clocks as records; job IDs and dates cross as text.

use std::time::Duration;

use ccpa_optout::privacy::{
    self as core, Deadline, JobFilter, JobId, JobRequest, JobStatus, PrivacyAction, PrivacyUser,
    ProductResponse, Regulation, RequestEvents, UserId,
};
use ccpa_optout::{Date, Email, Error};

use crate::error::{Result, ffi};

/// A job `submit_privacy_jobs` made: one per consumer and action.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CreatedJob {
    /// The job's ID.
    pub job_id: String,
    /// The consumer's key from the request.
    pub user_key: Option<String>,
    /// What the job does.
    pub action: Option<PrivacyAction>,
}

impl From<core::CreatedJob> for CreatedJob {
    fn from(job: core::CreatedJob) -> Self {
        CreatedJob {
            job_id: job.job_id.into(),
            user_key: job.user_key,
            action: job.action,
        }
    }
}

/// A job as the Privacy Service describes it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PrivacyJob {
    /// The job's ID.
    pub job_id: String,
    /// The request it came from.
    pub request_id: Option<String>,
    /// The consumer's key from the request.
    pub user_key: Option<String>,
    /// What the job does (none if the service named an action this library does not know).
    pub action: Option<PrivacyAction>,
    /// Where it is: submitted, processing, then complete or error.
    pub status: JobStatus,
    /// The regulation it runs under.
    pub regulation: Option<String>,
    /// When it was made, as the service wrote it.
    pub created: Option<String>,
    /// When it last changed, as written.
    pub last_modified: Option<String>,
    /// Each product's part (only when the job was read on its own).
    pub product_responses: Vec<ProductResponse>,
    /// For a complete access job, where its archive is; always on the configured gateway.
    pub download_url: Option<String>,
}

impl From<core::PrivacyJob> for PrivacyJob {
    fn from(job: core::PrivacyJob) -> Self {
        PrivacyJob {
            job_id: job.job_id.into(),
            request_id: job.request_id,
            user_key: job.user_key,
            action: job.action,
            status: job.status,
            regulation: job.regulation,
            created: job.created,
            last_modified: job.last_modified,
            product_responses: job.product_responses,
            download_url: job.download_url,
        }
    }
}

impl TryFrom<PrivacyJob> for core::PrivacyJob {
    type Error = Error;

    fn try_from(job: PrivacyJob) -> ccpa_optout::Result<Self> {
        Ok(core::PrivacyJob {
            job_id: JobId::new(&job.job_id)?,
            request_id: job.request_id,
            user_key: job.user_key,
            action: job.action,
            status: job.status,
            regulation: job.regulation,
            created: job.created,
            last_modified: job.last_modified,
            product_responses: job.product_responses,
            download_url: job.download_url,
        })
    }
}

pub(crate) fn jobs<T: From<C>, C>(jobs: Vec<C>) -> Vec<T> {
    jobs.into_iter().map(T::from).collect()
}

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

/// A request's deadlines (§7021), and which were kept; dates as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RequestClocks {
    /// The day of receipt.
    pub received: String,
    /// The last day to confirm receipt: 10 business days later.
    pub confirm_by: String,
    /// The last day to answer: 45 calendar days later.
    pub respond_by: String,
    /// With an extension noticed by `respond_by`, the last day to answer: 90 days after receipt.
    pub extended_to: Option<String>,
    /// Whether receipt was confirmed in time (an answer in time confirms it too).
    pub confirmation: Deadline,
    /// Whether the request was answered in time (by `extended_to` when there is one).
    pub response: Deadline,
}

impl From<core::RequestClocks> for RequestClocks {
    fn from(clocks: core::RequestClocks) -> Self {
        RequestClocks {
            received: clocks.received.to_string(),
            confirm_by: clocks.confirm_by.to_string(),
            respond_by: clocks.respond_by.to_string(),
            extended_to: clocks.extended_to.map(|day| day.to_string()),
            confirmation: clocks.confirmation,
            response: clocks.response,
        }
    }
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
    let clocks = core::RequestClocks::new(date(&received)?, &holidays, &events, date(&today)?);
    Ok(clocks.into())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_job_crosses_the_ffi_and_back_unchanged() {
        let core_job = core::PrivacyJob {
            job_id: JobId::new("job-1").unwrap(),
            request_id: Some("req-1".into()),
            user_key: Some("ticket-42".into()),
            action: Some(PrivacyAction::Access),
            status: JobStatus::Other("queued".into()),
            regulation: Some("ccpa".into()),
            created: None,
            last_modified: None,
            product_responses: Vec::new(),
            download_url: Some("https://platform.adobe.io/x".into()),
        };
        let job = PrivacyJob::from(core_job.clone());
        assert_eq!(job.job_id, "job-1");
        assert_eq!(core::PrivacyJob::try_from(job).unwrap(), core_job);
    }

    #[test]
    fn a_job_id_that_is_no_path_segment_is_refused_on_the_way_back() {
        let job = PrivacyJob {
            job_id: "../admin".into(),
            request_id: None,
            user_key: None,
            action: None,
            status: JobStatus::Complete,
            regulation: None,
            created: None,
            last_modified: None,
            product_responses: Vec::new(),
            download_url: None,
        };
        let err = core::PrivacyJob::try_from(job).unwrap_err();
        assert_eq!(err.field(), Some("jobId"));
    }

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
