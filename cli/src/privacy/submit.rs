//! `privacy submit`: stream the requests, file them in batches a few at a time, record each one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ccpa_optout::calendar::utc_text;
use ccpa_optout::privacy::{
    CreatedJob, JobRequest, PrivacyAction, PrivacyOutcome, PrivacyRecord, PrivacyUser, Regulation,
    RequestClocks, RequestEvents,
};
use ccpa_optout::{Date, Error, ErrorKind};
use futures_util::stream::{FuturesUnordered, StreamExt};
use jiff::Timestamp;

use super::SubmitArgs;
use super::jobs;
use super::request::PrivacyRequest;
use super::tally::{PrivacyTally, summary, summary_text};
use crate::args::ConnectionArgs;
use crate::audit::{AuditLog, run_log};
use crate::config::{self, AcsClient};
use crate::deadline::Deadlines;
use crate::failure::{Failure, describe};
use crate::input::{self, FileKind};
use crate::progress::Progress;
use crate::resume::{AuditHistory, Seen};

/// Rows read ahead of the batches in flight.
const READ_AHEAD: usize = 1024;

/// How far back `--resume` looks for jobs an interrupted run made (the service's longest range).
const RESUME_LOOKBACK_DAYS: u32 = 30;

/// Runs `privacy submit`; `Ok` when every request was filed.
pub async fn run(
    args: &SubmitArgs,
    connection: &ConnectionArgs,
    json: bool,
) -> Result<(), Failure> {
    let input = input::open_requests(&args.file, args.files.format, FileKind::Privacy)?;
    let regulation = Regulation::new(&args.regulation)
        .map_err(|e| Failure::usage(format!("--regulation: {}", e.message())))?;
    let holidays = match &args.holidays {
        Some(path) => Deadlines::from_file(path)?.holidays().to_vec(),
        None => Vec::new(),
    };
    let emulator = match args.emulator {
        true => Some(crate::emulator::Embedded::start().await?),
        false => None,
    };
    let client_config = match &emulator {
        Some(embedded) => embedded.client_config(connection)?,
        None => config::client_config(connection)?,
    };
    let client = config::connect(client_config)?;
    client
        .privacy_config()
        .map_err(|e| config::setting_failure(&e))?;
    let (audit_path, existing) = run_log(&args.files, &args.file, args.resume, args.emulator);
    let (log, history) = AuditLog::open(&audit_path, existing)?;
    let progress = Progress::new(input.size, args.quiet);
    if let Some(embedded) = &emulator {
        progress.note(&format!(
            "embedded emulator (ACS and the Privacy Service) at {} with {} demo profiles",
            embedded.base_url(),
            crate::emulator::DEMO_SEED
        ));
    }
    let filed_before = match args.resume {
        true => filed_before(&client, &regulation, &progress, &history, &audit_path).await?,
        false => HashMap::new(),
    };
    let mut run = Run {
        client: &client,
        regulation,
        holidays,
        log,
        audit_path,
        progress,
        tally: PrivacyTally::default(),
        settled: history.settled,
        filed_before,
        filed: (args.follow.wait || args.follow.download.is_some()).then(Vec::new),
    };
    let started = Instant::now();
    let ended = run
        .process(
            input.rows,
            usize::from(args.batch_size),
            usize::from(args.concurrency),
        )
        .await;
    run.progress.finish();
    let sync = run.log.sync();
    let elapsed = started.elapsed();
    let stopped = ended.as_ref().err().map(ToString::to_string);
    let followed = match (&run.filed, &ended) {
        (Some(filed), Ok(())) => {
            Some(jobs::follow(&client, jobs::jobs_of(filed), &args.follow).await)
        }
        _ => None,
    };
    let mut out = summary(&run.tally, elapsed, &run.audit_path, stopped.as_deref());
    if let Some(Ok((rows, _))) = &followed {
        out["followed"] = serde_json::Value::Array(rows.clone());
    }
    if json {
        println!("{out}");
    } else {
        print!("{}", summary_text(&out));
        if let Some(Ok((rows, _))) = &followed {
            jobs::print_rows(rows, false);
        }
    }
    if let Some(embedded) = emulator {
        embedded.shutdown().await;
    }
    ended?;
    sync?;
    if let Some(followed) = followed {
        jobs::not_final(args.follow.wait, followed?.1)?;
    }
    let (failed, rejected) = (
        run.tally.count(PrivacyOutcome::Failed),
        run.tally.count(PrivacyOutcome::Rejected),
    );
    if failed + rejected > 0 {
        return Err(Failure::failed(format!(
            "{rejected} rejected and {failed} failed; the audit log has each one's reason"
        )));
    }
    Ok(())
}

/// What an interrupted run filed but did not record, by user key: the jobs of the last 30
/// days, read once when a run is resumed.
async fn filed_before(
    client: &AcsClient,
    regulation: &Regulation,
    progress: &Progress,
    history: &AuditHistory,
    audit: &Path,
) -> Result<HashMap<String, Vec<CreatedJob>>, Failure> {
    let jobs = client
        .recent_privacy_jobs(regulation, RESUME_LOOKBACK_DAYS)
        .await
        .map_err(|e| Failure::from_api(&e))?;
    progress.note(&format!(
        "resuming: {} records in {}, {} requests settled; {} jobs of the last {RESUME_LOOKBACK_DAYS} days to match",
        history.records,
        audit.display(),
        history.settled.len(),
        jobs.len()
    ));
    let mut by_key: HashMap<String, Vec<CreatedJob>> = HashMap::new();
    for job in jobs {
        if let Some(key) = job.user_key.clone() {
            by_key.entry(key).or_default().push(job.created());
        }
    }
    Ok(by_key)
}

/// How filing one request ended: its jobs, or the error.
type Filing = Result<Vec<CreatedJob>, Error>;

/// Whether the service refused a request as such: the same request would be refused again, so
/// it is a denial to record, not a failure to retry.
fn refused(err: &Error) -> bool {
    match err.kind() {
        ErrorKind::Validation => true,
        ErrorKind::Http => !err.is_retryable(),
        _ => false,
    }
}

/// Files a batch in one create. When the service refuses the batch as such, each request is
/// filed alone, so that one it would not take is told apart from the others.
async fn file(
    client: &AcsClient,
    batch: Vec<PrivacyRequest>,
    regulation: Regulation,
) -> Vec<(PrivacyRequest, Filing)> {
    let request = |users: Vec<PrivacyUser>| JobRequest {
        regulation: regulation.clone(),
        ..JobRequest::new(users)
    };
    let users = batch.iter().filter_map(|r| r.user.clone().ok()).collect();
    match client.submit_privacy_jobs(&request(users)).await {
        Ok(jobs) => {
            let mut by_key: HashMap<String, Vec<CreatedJob>> = HashMap::new();
            for job in jobs {
                let key = job.user_key.clone().unwrap_or_default();
                by_key.entry(key).or_default().push(job);
            }
            batch
                .into_iter()
                .map(|r| {
                    let jobs = by_key.remove(&r.row.id).unwrap_or_default();
                    (r, Ok(jobs))
                })
                .collect()
        }
        Err(err) if batch.len() > 1 && refused(&err) => {
            let mut filed = Vec::with_capacity(batch.len());
            for r in batch {
                let users = r.user.clone().into_iter().collect();
                let filing = client.submit_privacy_jobs(&request(users)).await;
                filed.push((r, filing));
            }
            filed
        }
        Err(err) => batch.into_iter().map(|r| (r, Err(err.clone()))).collect(),
    }
}

/// The state of one run; everything runs on one task.
struct Run<'a> {
    client: &'a AcsClient,
    regulation: Regulation,
    holidays: Vec<Date>,
    log: AuditLog,
    audit_path: PathBuf,
    progress: Progress,
    tally: PrivacyTally,
    settled: crate::resume::Settled,
    filed_before: HashMap<String, Vec<CreatedJob>>,
    /// The records with jobs, kept when they are to be followed after filing.
    filed: Option<Vec<PrivacyRecord>>,
}

impl Run<'_> {
    /// Reads the rows, records rejected ones at once, and files the rest `batch_size` at a
    /// time with at most `concurrency` creates in flight. Stops taking rows on a fatal error
    /// or Ctrl-C; the batches in flight still finish and are recorded.
    async fn process(
        &mut self,
        rows: input::Rows,
        batch_size: usize,
        concurrency: usize,
    ) -> Result<(), Failure> {
        let mut receiver = input::spawn_reader(rows, READ_AHEAD);
        let client = self.client;
        let file =
            |batch: Vec<PrivacyRequest>, regulation: Regulation| file(client, batch, regulation);
        let mut in_flight = FuturesUnordered::new();
        let mut batch: Vec<PrivacyRequest> = Vec::new();
        let mut reading = true;
        let mut fatal: Option<Failure> = None;
        let interrupt = tokio::signal::ctrl_c();
        futures_util::pin_mut!(interrupt);
        let mut interrupted = false;
        loop {
            if !reading && !batch.is_empty() && in_flight.len() < concurrency {
                in_flight.push(file(std::mem::take(&mut batch), self.regulation.clone()));
            }
            if !reading && batch.is_empty() && in_flight.is_empty() {
                break;
            }
            tokio::select! {
                row = receiver.recv(), if reading && in_flight.len() < concurrency => match row {
                    Some(Ok(raw)) => {
                        if let Some(request) = self.take(PrivacyRequest::check(raw))? {
                            batch.push(request);
                            if batch.len() >= batch_size {
                                in_flight.push(file(std::mem::take(&mut batch), self.regulation.clone()));
                            }
                        }
                    }
                    Some(Err(err)) => {
                        reading = false;
                        fatal.get_or_insert(Failure::failed(format!("reading the input failed: {err}")));
                    }
                    None => reading = false,
                },
                Some(filed) = in_flight.next() => {
                    if let Some(why) = self.settle(filed)? {
                        reading = false;
                        batch.clear();
                        fatal.get_or_insert(Failure::usage(format!(
                            "the Privacy Service refused the set-up, so no further request was filed: {why}"
                        )));
                    }
                }
                _ = &mut interrupt, if !interrupted => {
                    interrupted = true;
                    reading = false;
                    batch.clear();
                    self.progress.note("interrupted: finishing the batches in flight (--resume continues)");
                }
            }
        }
        match (fatal, interrupted) {
            (Some(failure), _) => Err(failure),
            (None, true) => Err(Failure::Interrupted),
            (None, false) => Ok(()),
        }
    }

    /// The request if it is to be filed; a rejected one, or one whose jobs an interrupted run
    /// made, is recorded here; repeats and settled ones are counted and skipped.
    fn take(&mut self, request: PrivacyRequest) -> Result<Option<PrivacyRequest>, Failure> {
        match self.settled.take(&request.row.id) {
            Seen::New => {}
            Seen::SettledBefore => {
                self.tally.settled_before += 1;
                return Ok(None);
            }
            Seen::Repeated => {
                self.tally.repeated += 1;
                return Ok(None);
            }
        }
        if let Err(why) = &request.user {
            let why = why.clone();
            self.record(
                &request,
                PrivacyOutcome::Rejected,
                Vec::new(),
                Some(why),
                false,
            )?;
            return Ok(None);
        }
        let mut request = request;
        if let (Some(jobs), Ok(user)) =
            (self.filed_before.remove(&request.row.id), &mut request.user)
        {
            // Only the actions no job answers yet are filed (none, after a plain interruption).
            user.actions
                .retain(|action| !jobs.iter().any(|job| job.action == Some(*action)));
            if user.actions.is_empty() {
                let why = "filed by an interrupted run; its jobs were found by user key".to_owned();
                self.record(&request, PrivacyOutcome::Submitted, jobs, Some(why), true)?;
                return Ok(None);
            }
            request.filed_before = jobs;
        }
        Ok(Some(request))
    }

    /// Records a filed batch. Returns why the run must stop when the service refused the
    /// credentials or the configuration (every later batch would fail the same way).
    fn settle(&mut self, filed: Vec<(PrivacyRequest, Filing)>) -> Result<Option<String>, Failure> {
        let mut stop = None;
        for (request, filing) in filed {
            let (outcome, jobs, reason) = match filing {
                Ok(jobs) if jobs.is_empty() => (
                    PrivacyOutcome::Failed,
                    jobs,
                    Some("the service's answer named no job for this request".to_owned()),
                ),
                Ok(jobs) => (PrivacyOutcome::Submitted, jobs, None),
                Err(err) => {
                    let why = describe(&err);
                    if matches!(err.kind(), ErrorKind::Auth | ErrorKind::Config) {
                        stop.get_or_insert(why.clone());
                    }
                    let outcome = match refused(&err) {
                        true => PrivacyOutcome::Rejected,
                        false => PrivacyOutcome::Failed,
                    };
                    (outcome, Vec::new(), Some(why))
                }
            };
            let mut all = request.filed_before.clone();
            all.extend(jobs);
            self.record(&request, outcome, all, reason, false)?;
        }
        Ok(stop)
    }

    /// Writes one record and counts it.
    fn record(
        &mut self,
        request: &PrivacyRequest,
        outcome: PrivacyOutcome,
        jobs: Vec<CreatedJob>,
        reason: Option<String>,
        found_again: bool,
    ) -> Result<(), Failure> {
        let now = Timestamp::now();
        let today = Date::parse(&utc_text(now)[..10]).unwrap_or(Date::MAX);
        let clocks = request.row.received.as_ref().map(|received| {
            RequestClocks::new(
                received.day,
                &self.holidays,
                &RequestEvents::default(),
                today,
            )
        });
        let actions: Vec<PrivacyAction> = match &request.user {
            Ok(user) => user.actions.clone(),
            Err(_) => Vec::new(),
        };
        let record = PrivacyRecord {
            request_id: request.row.id.clone(),
            line: Some(request.row.line),
            source: request.row.source.clone(),
            received_at: request.row.received.as_ref().map(|r| r.text.clone()),
            settled_at: utc_text(now),
            actions,
            namespace: request.identity.as_ref().map(|(ns, _)| ns.clone()),
            identity_sha256: request.identity.as_ref().map(|(_, hash)| hash.clone()),
            regulation: Some(self.regulation.as_str().to_owned()),
            jobs,
            outcome,
            reason,
            confirm_by: clocks.map(|c| c.confirm_by),
            respond_by: clocks.map(|c| c.respond_by),
        };
        self.log.append(&record)?;
        self.tally.add(&record, found_again);
        self.progress.update(request.row.end_offset, &self.tally);
        if let Some(filed) = &mut self.filed
            && !record.jobs.is_empty()
        {
            filed.push(record);
        }
        Ok(())
    }
}
