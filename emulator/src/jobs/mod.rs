//! Privacy Service jobs (`/data/core/privacy/jobs`): `submitted` → `processing` → `complete` or `error`.
//!
//! Adobe's products work on a job for hours or days. The emulator moves a job one step per read
//! by default (the n-th read shows the n-th state), so that a polling client sees every state
//! without timers in tests; `/_emulator/privacy` can make jobs move by age instead. Finishing a
//! job touches the profile store, which this module does not own: [`Jobs::step`] hands out the
//! jobs due to finish and the caller reports back with [`Jobs::finish`].

mod archive;
mod request;
mod schedule;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use serde_json::Value;

pub use archive::stored_zip;
pub use request::{Action, Identity, JobsRequest, UserId, regulation};
pub use schedule::{Advance, Schedule};

use crate::clock;
use crate::faults::Rng;
use crate::pkey::mix;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// Sent to the products.
    Submitted,
    /// The products are working on it.
    Processing,
    /// Done (also when no data matched).
    Complete,
    /// Failed; the product response says why.
    Error,
}

impl JobStatus {
    /// The JSON spelling.
    pub fn name(self) -> &'static str {
        match self {
            JobStatus::Submitted => "submitted",
            JobStatus::Processing => "processing",
            JobStatus::Complete => "complete",
            JobStatus::Error => "error",
        }
    }

    /// The status a `status=` list filter names.
    pub fn from_name(name: &str) -> Option<JobStatus> {
        [
            JobStatus::Submitted,
            JobStatus::Processing,
            JobStatus::Complete,
            JobStatus::Error,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }
}

/// How Campaign answered a finished job (its `productStatusResponse`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Profiles matched: read (access) or erased (delete).
    Success {
        /// How many profiles matched.
        profiles: usize,
    },
    /// No profile matched any of the user IDs.
    NotFound,
    /// Made to fail through the admin API.
    Failed,
}

impl Outcome {
    /// `responseMsgCode` (reference §5).
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Success { .. } => "PRVCY-6000-200",
            Outcome::NotFound => "PRVCY-6052-200",
            Outcome::Failed => "PRVCY-1024-400",
        }
    }

    /// The job status it leads to.
    pub fn status(self) -> JobStatus {
        match self {
            Outcome::Failed => JobStatus::Error,
            Outcome::Success { .. } | Outcome::NotFound => JobStatus::Complete,
        }
    }
}

/// One job: one user, one action, one regulation.
#[derive(Debug, Clone)]
pub struct Job {
    /// 32 lowercase hex digits.
    pub id: String,
    /// Shared by the jobs of one create call.
    pub request_id: String,
    /// The user's `key`.
    pub user_key: String,
    /// Access or delete.
    pub action: Action,
    /// The user's identities.
    pub ids: Vec<UserId>,
    /// The regulation code.
    pub regulation: String,
    /// Its state.
    pub status: JobStatus,
    /// Creation time, ms since the epoch.
    pub created: i64,
    /// Last change of state, ms since the epoch.
    pub modified: i64,
    /// Campaign's answer and when it came, once finished.
    pub outcome: Option<(Outcome, i64)>,
    /// An access job's data, captured when it was filed (the matching profiles).
    pub data: Vec<Value>,
    /// Made to fail through `/_emulator/privacy/jobs/{id}/fail`.
    fail: bool,
    reads: u32,
    /// Claimed by the caller finishing it (so that two concurrent reads finish it once).
    finishing: bool,
}

impl Job {
    fn ended(&self) -> bool {
        matches!(self.status, JobStatus::Complete | JobStatus::Error)
    }

    /// The state a read now would show (`reading`: counting that read).
    fn due_status(&self, schedule: &Schedule, now: i64, reading: bool) -> JobStatus {
        if self.ended() || self.finishing {
            return self.status;
        }
        let last = if self.fail || schedule.fail_keys.contains(&self.user_key) {
            JobStatus::Error
        } else {
            JobStatus::Complete
        };
        let step = match schedule.advance {
            Advance::PerRead => self
                .reads
                .saturating_add(u32::from(reading))
                .saturating_sub(1),
            Advance::After {
                processing_after_ms,
                complete_after_ms,
            } => {
                let age = u64::try_from(now.saturating_sub(self.created)).unwrap_or(0);
                u32::from(age >= processing_after_ms) + u32::from(age >= complete_after_ms)
            }
        };
        match step {
            0 => JobStatus::Submitted,
            1 => JobStatus::Processing,
            _ => last,
        }
    }
}

/// A job due to finish: look up the profiles, then call [`Jobs::finish`].
#[derive(Debug, Clone)]
pub struct Finishing {
    /// The job, as claimed.
    pub job: Job,
    /// It must end in `error` (admin API), without touching the store.
    pub fails: bool,
}

/// What a list call asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    /// Only jobs of this regulation.
    pub regulation: String,
    /// Only jobs in this state (as the read would show it).
    pub status: Option<JobStatus>,
    /// Only jobs created on these days (inclusive, days since the epoch, GMT).
    pub days: Option<(i64, i64)>,
    /// 0-based page.
    pub page: usize,
    /// Jobs per page.
    pub size: usize,
}

/// Why a job cannot be made to fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailRefused {
    /// No such job.
    Unknown,
    /// It has already ended (or is ending), in this state.
    Ended(JobStatus),
}

#[derive(Debug, Default)]
struct State {
    jobs: Vec<Job>,
    index: HashMap<String, usize>,
    schedule: Schedule,
    unfinished: usize,
    created: u64,
}

/// Every job, in creation order (memory only, also with `--data`).
#[derive(Debug)]
pub struct Jobs {
    state: Mutex<State>,
    rng: Rng,
}

/// Who submitted the jobs: a technical account, as with server-to-server credentials.
pub const SUBMITTED_BY: &str = "emulator@techacct.adobe.com";

impl Jobs {
    /// No jobs; ids are drawn from `seed`.
    pub fn new(seed: u64) -> Jobs {
        Jobs {
            state: Mutex::new(State::default()),
            rng: Rng::new(seed),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records one job per user and action, in the order sent, all `submitted`.
    pub fn create(&self, request: &JobsRequest, now: i64) -> Vec<Job> {
        let mut state = self.lock();
        let request_id = format!(
            "{now}{:04}RX-{:03}",
            state.created % 10_000,
            self.rng.next_u64() % 1000
        );
        let mut made = Vec::new();
        for user in &request.users {
            for action in &user.actions {
                state.created = state.created.wrapping_add(1);
                // The first half is a bijection of the counter (unique), the second only random.
                let id = format!(
                    "{:016x}{:016x}",
                    mix(state.created ^ 0x5052_5643_5900),
                    self.rng.next_u64()
                );
                let job = Job {
                    id: id.clone(),
                    request_id: request_id.clone(),
                    user_key: user.key.clone(),
                    action: *action,
                    ids: user.ids.clone(),
                    regulation: request.regulation.clone(),
                    status: JobStatus::Submitted,
                    created: now,
                    modified: now,
                    outcome: None,
                    data: Vec::new(),
                    fail: false,
                    reads: 0,
                    finishing: false,
                };
                let at = state.jobs.len();
                state.index.insert(id, at);
                state.jobs.push(job.clone());
                state.unfinished += 1;
                made.push(job);
            }
        }
        made
    }

    /// Counts a read of each job in `read`, moves every job that is due (the read ones; with a
    /// time schedule, all), and returns the ones due to finish, now claimed.
    pub fn step(&self, read: &[String], now: i64) -> Vec<Finishing> {
        let mut guard = self.lock();
        let State {
            jobs,
            index,
            schedule,
            unfinished,
            ..
        } = &mut *guard;
        let timed = matches!(schedule.advance, Advance::After { .. });
        if *unfinished == 0 || (!timed && read.is_empty()) {
            return Vec::new();
        }
        let mut due: Vec<usize> = read
            .iter()
            .filter_map(|id| index.get(id).copied())
            .collect();
        for &at in &due {
            if let Some(job) = jobs.get_mut(at).filter(|j| !j.ended()) {
                job.reads = job.reads.saturating_add(1);
            }
        }
        if timed {
            due = (0..jobs.len()).collect();
        }
        let mut finishing = Vec::new();
        for at in due {
            let Some(job) = jobs.get_mut(at) else {
                continue;
            };
            let status = job.due_status(schedule, now, false);
            if status == job.status {
                continue;
            }
            if matches!(status, JobStatus::Complete | JobStatus::Error) {
                job.status = JobStatus::Processing;
                job.finishing = true;
                finishing.push(Finishing {
                    job: job.clone(),
                    fails: status == JobStatus::Error,
                });
            } else {
                job.status = status;
                job.modified = now;
            }
        }
        finishing
    }

    /// Keeps what an access job found when it was filed, for its archive.
    pub fn capture(&self, id: &str, data: Vec<Value>) {
        let mut state = self.lock();
        if let Some(at) = state.index.get(id).copied()
            && let Some(job) = state.jobs.get_mut(at)
        {
            job.data = data;
        }
    }

    /// Records how a claimed job ended; `data` is what an access job captured.
    pub fn finish(&self, id: &str, outcome: Outcome, data: Vec<Value>, now: i64) {
        let mut state = self.lock();
        let Some(at) = state.index.get(id).copied() else {
            return;
        };
        let Some(job) = state.jobs.get_mut(at).filter(|j| j.finishing) else {
            return;
        };
        job.finishing = false;
        job.status = outcome.status();
        job.outcome = Some((outcome, now));
        job.data = data;
        job.modified = now;
        state.unfinished = state.unfinished.saturating_sub(1);
    }

    /// One job.
    pub fn get(&self, id: &str) -> Option<Job> {
        let state = self.lock();
        let at = state.index.get(id).copied()?;
        state.jobs.get(at).cloned()
    }

    /// How many jobs match `filter` (every page), and the ids on its page, oldest first.
    /// A job's state is judged as the read of this list will show it.
    pub fn list(&self, filter: &ListFilter, now: i64) -> (usize, Vec<String>) {
        let state = self.lock();
        let matching = state.jobs.iter().filter(|job| {
            job.regulation == filter.regulation
                && filter
                    .status
                    .is_none_or(|s| job.due_status(&state.schedule, now, true) == s)
                && filter
                    .days
                    .is_none_or(|(from, to)| (from..=to).contains(&clock::day_of(job.created)))
        });
        let mut total = 0;
        let mut page = Vec::new();
        let skip = filter.page.saturating_mul(filter.size);
        for job in matching {
            if total >= skip && page.len() < filter.size {
                page.push(job.id.clone());
            }
            total += 1;
        }
        (total, page)
    }

    /// Makes a job end in `error` when it finishes.
    pub fn fail(&self, id: &str) -> Result<(), FailRefused> {
        let mut state = self.lock();
        let at = state.index.get(id).copied().ok_or(FailRefused::Unknown)?;
        let job = state.jobs.get_mut(at).ok_or(FailRefused::Unknown)?;
        if job.ended() || job.finishing {
            return Err(FailRefused::Ended(job.status));
        }
        job.fail = true;
        Ok(())
    }

    /// The schedule in force.
    pub fn schedule(&self) -> Schedule {
        self.lock().schedule.clone()
    }

    /// Replaces the schedule; it applies to existing jobs too.
    pub fn set_schedule(&self, schedule: Schedule) {
        self.lock().schedule = schedule;
    }

    /// Forgets every job (`/_emulator/reset`); the schedule stays, ids are never reused.
    pub fn clear(&self) {
        let mut state = self.lock();
        state.jobs.clear();
        state.index.clear();
        state.unfinished = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jobs_for(jobs: &Jobs, keys: &[&str]) -> Vec<Job> {
        let users: Vec<Value> = keys
            .iter()
            .map(|k| json!({"key": k, "action": ["access"], "userIDs": [{"namespace": "email", "value": "a@b.c"}]}))
            .collect();
        let body = json!({"companyContexts": [{"namespace": "imsOrgID", "value": "O@AdobeOrg"}],
                          "users": users, "include": ["campaign"], "regulation": "ccpa"});
        let request = JobsRequest::parse(body.to_string().as_bytes(), "O@AdobeOrg").unwrap();
        jobs.create(&request, 1_000)
    }

    #[test]
    fn the_nth_read_shows_the_nth_state() {
        let jobs = Jobs::new(1);
        let id = jobs_for(&jobs, &["k"])[0].id.clone();
        assert_eq!(id.len(), 32);
        let read = [id.clone()];
        assert!(jobs.step(&read, 2_000).is_empty());
        assert_eq!(jobs.get(&id).unwrap().status, JobStatus::Submitted);
        assert!(jobs.step(&read, 3_000).is_empty());
        assert_eq!(jobs.get(&id).unwrap().status, JobStatus::Processing);
        let finishing = jobs.step(&read, 4_000);
        assert_eq!(finishing.len(), 1);
        assert!(!finishing[0].fails);
        assert!(jobs.step(&read, 5_000).is_empty(), "claimed once");
        jobs.finish(&id, Outcome::NotFound, Vec::new(), 6_000);
        let job = jobs.get(&id).unwrap();
        assert_eq!((job.status, job.modified), (JobStatus::Complete, 6_000));
    }

    #[test]
    fn timed_schedules_and_fail_keys_apply_to_every_job() {
        let jobs = Jobs::new(2);
        let made = jobs_for(&jobs, &["ok", "bad"]);
        jobs.set_schedule(
            Schedule::from_json(br#"{"advance": "after", "processingAfterMs": 10, "completeAfterMs": 20, "failKeys": ["bad"]}"#)
                .unwrap(),
        );
        assert!(jobs.step(&[], 1_015).is_empty());
        assert_eq!(jobs.get(&made[0].id).unwrap().status, JobStatus::Processing);
        let finishing = jobs.step(&[], 1_020);
        let fails: Vec<_> = finishing
            .iter()
            .map(|f| (f.job.user_key.as_str(), f.fails))
            .collect();
        assert_eq!(fails, [("ok", false), ("bad", true)]);
        assert_eq!(
            jobs.fail(&made[0].id),
            Err(FailRefused::Ended(JobStatus::Processing))
        );
        assert_eq!(jobs.fail("nope"), Err(FailRefused::Unknown));
    }

    #[test]
    fn lists_page_by_page_oldest_first() {
        let jobs = Jobs::new(3);
        let made = jobs_for(&jobs, &["a", "b", "c"]);
        let filter = |page, size| ListFilter {
            regulation: "ccpa".into(),
            status: None,
            days: None,
            page,
            size,
        };
        assert_eq!(jobs.list(&filter(1, 2), 0), (3, vec![made[2].id.clone()]));
        let submitted = ListFilter {
            status: Some(JobStatus::Submitted),
            ..filter(0, 10)
        };
        assert_eq!(
            jobs.list(&submitted, 0).0,
            3,
            "a first read shows submitted"
        );
        let other = ListFilter {
            regulation: "gdpr".into(),
            ..filter(0, 10)
        };
        assert_eq!(jobs.list(&other, 0).0, 0);
    }
}
