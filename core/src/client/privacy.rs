//! Requests to know and to delete: submitting jobs without doubling them, reading, listing, downloading.

use std::collections::HashSet;
use std::time::{Duration, UNIX_EPOCH};

use super::Client;
use super::profiles::outcome_unknown;
use crate::date::Date;
use crate::privacy::{
    CreatedJob, JobFilter, JobId, JobRequest, MAX_JOB_DATE_SPAN_DAYS, MAX_JOB_PAGE_SIZE,
    PrivacyConfig, PrivacyJob, Regulation, parse_created_privacy_jobs, parse_privacy_job,
    parse_privacy_job_page, prepare_create_privacy_jobs, prepare_download_privacy_data,
    prepare_get_privacy_job, prepare_list_privacy_jobs,
};
use crate::settings::ims_org_missing;
use crate::transport::Transport;
use crate::{Error, Result};

/// The most pages one listing reads, so a server that never ends a listing cannot keep the
/// client reading forever (1,000 pages of up to 1,000 jobs).
const MAX_JOB_PAGES: u32 = 1000;

impl<T: Transport> Client<T> {
    /// The Privacy Service's configuration, or a `Config` error saying how to set it.
    pub fn privacy_config(&self) -> Result<&PrivacyConfig> {
        self.config.privacy.as_ref().ok_or_else(ims_org_missing)
    }

    /// Files the request's access and delete jobs: one per consumer and action.
    ///
    /// A create is not resent blindly: when its outcome is unknown (the connection failed, or
    /// a gateway answered 502–504), the jobs made today are searched for the request's user
    /// keys first, and those found are returned instead of being made again.
    pub async fn submit_privacy_jobs(&self, request: &JobRequest) -> Result<Vec<CreatedJob>> {
        let privacy = self.privacy_config()?;
        request.validate()?;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let failure = match self
                .send(&|token| prepare_create_privacy_jobs(privacy, token, request))
                .await
            {
                Ok(sent) => return self.decoded(&sent, parse_created_privacy_jobs),
                Err(err) if outcome_unknown(&err) => err,
                Err(err) => return Err(err),
            };
            let made = self.jobs_made_today_for(request).await?;
            if !made.is_empty() {
                return Ok(made);
            }
            if attempts >= self.config.retry.max_attempts {
                return Err(failure);
            }
        }
    }

    /// One job, with its product responses and, once a complete access job, its download URL.
    pub async fn privacy_job(&self, job_id: &JobId) -> Result<PrivacyJob> {
        let privacy = self.privacy_config()?;
        let sent = self
            .send(&|token| prepare_get_privacy_job(privacy, token, job_id))
            .await?;
        self.decoded(&sent, |r| parse_privacy_job(r, privacy))
    }

    /// Every job `filter` selects, page after page to the last.
    pub async fn list_privacy_jobs(&self, filter: &JobFilter) -> Result<Vec<PrivacyJob>> {
        let privacy = self.privacy_config()?;
        filter.validate()?;
        let mut jobs = Vec::new();
        for page in 0..MAX_JOB_PAGES {
            let sent = self
                .send(&|token| prepare_list_privacy_jobs(privacy, token, filter, page))
                .await?;
            let found = self.decoded(&sent, |r| parse_privacy_job_page(r, privacy))?;
            let short = found.jobs.len() < filter.page_size as usize;
            jobs.extend(found.jobs);
            let all_read = found.total.is_some_and(|total| jobs.len() as u64 >= total);
            if short || all_read {
                break;
            }
        }
        Ok(jobs)
    }

    /// Reads a job every `interval` until it is `complete` or `error`, for at most `limit`;
    /// a `Transport` error (timeout) names the job and its last status when time runs out.
    pub async fn wait_for_privacy_job(
        &self,
        job_id: &JobId,
        interval: Duration,
        limit: Duration,
    ) -> Result<PrivacyJob> {
        let started = self.transport.now();
        loop {
            let job = self.privacy_job(job_id).await?;
            let waited = self
                .transport
                .now()
                .duration_since(started)
                .unwrap_or_default();
            if job.status.is_final() {
                return Ok(job);
            }
            if waited + interval > limit {
                return Err(Error::transport(format!(
                    "job {job_id} is still {} after {} s",
                    job.status,
                    waited.as_secs()
                )));
            }
            self.transport.sleep(interval).await;
        }
    }

    /// A complete access job's archive (a ZIP with a folder per product), as its bytes.
    pub async fn download_privacy_data(&self, job: &PrivacyJob) -> Result<Vec<u8>> {
        let privacy = self.privacy_config()?;
        let Some(url) = &job.download_url else {
            return Err(Error::validation(
                "downloadURL",
                format!(
                    "job {} has no download URL: only a complete access job has one (it is {} {})",
                    job.job_id,
                    job.action.map_or("an unknown action", |a| a.as_str()),
                    job.status,
                ),
            ));
        };
        let sent = self
            .send(&|token| prepare_download_privacy_data(privacy, token, url))
            .await?;
        Ok(sent.response.into_body())
    }

    /// The jobs of `regulation` made in the last `days` days (GMT, today included; at most
    /// 30): how a host finds what an interrupted run filed before filing it again.
    pub async fn recent_privacy_jobs(
        &self,
        regulation: &Regulation,
        days: u32,
    ) -> Result<Vec<PrivacyJob>> {
        let since_epoch = self
            .transport
            .now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| (since.as_secs() / 86_400) as i64);
        let today = Date::from_days_since_epoch(since_epoch).unwrap_or(Date::MAX);
        let back = i64::from(days.clamp(1, MAX_JOB_DATE_SPAN_DAYS as u32)) - 1;
        let filter = JobFilter {
            regulation: regulation.clone(),
            dates: Some((today.add_days(-back).unwrap_or(today), today)),
            status: None,
            page_size: MAX_JOB_PAGE_SIZE,
        };
        self.list_privacy_jobs(&filter).await
    }

    /// The jobs of yesterday and today that carry one of the request's user keys and one of
    /// its actions: what a create whose answer was lost made.
    async fn jobs_made_today_for(&self, request: &JobRequest) -> Result<Vec<CreatedJob>> {
        let wanted: HashSet<(&str, &str)> = request
            .users
            .iter()
            .flat_map(|user| user.actions.iter().map(|a| (user.key.as_str(), a.as_str())))
            .collect();
        let made = self.recent_privacy_jobs(&request.regulation, 2).await?;
        Ok(made
            .into_iter()
            .filter(|job| match (&job.user_key, job.action) {
                (Some(key), Some(action)) => wanted.contains(&(key.as_str(), action.as_str())),
                _ => false,
            })
            .map(PrivacyJob::created)
            .collect())
    }
}
