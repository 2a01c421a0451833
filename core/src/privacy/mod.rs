//! Requests to know and to delete through Adobe's Privacy Service: jobs, their answers, the clocks.
//!
//! Campaign Standard answers CCPA access and delete requests through the Adobe Experience
//! Platform Privacy Service (`https://platform.adobe.io/data/core/privacy`), not through its
//! own API. Like the profile operations, each call is a pure `prepare_*` and `parse_*` pair;
//! [`Client`](crate::Client) composes them with tokens, retries and paging. [`RequestClocks`]
//! says by when each request must be confirmed and answered (§7021) and whether it was.

mod answer;
mod clocks;
mod config;
mod input;
mod job;
mod record;
mod request;

pub use answer::{
    CreatedJob, JobId, JobStatus, PrivacyJob, PrivacyJobPage, ProductResponse, check_download_url,
    parse_created_privacy_jobs, parse_privacy_job, parse_privacy_job_page,
};
pub use clocks::{
    CONFIRM_BUSINESS_DAYS, Deadline, EXTENSION_DAYS, RESPONSE_DAYS, RequestClocks, RequestEvents,
};
pub use config::{DEFAULT_PRIVACY_BASE_URL, ImsOrg, PrivacyConfig};
pub use input::wait_seconds;
pub use job::{
    IdentityType, JobRequest, MAX_PRIVACY_USERS, MAX_USER_IDS, PrivacyAction, PrivacyUser,
    Regulation, UserId,
};
pub use record::{PrivacyOutcome, PrivacyRecord};
pub use request::{
    DEFAULT_JOB_PAGE_SIZE, JobFilter, MAX_JOB_DATE_SPAN_DAYS, MAX_JOB_PAGE_SIZE,
    prepare_create_privacy_jobs, prepare_download_privacy_data, prepare_get_privacy_job,
    prepare_list_privacy_jobs,
};
