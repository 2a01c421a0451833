//! `privacy status` and `privacy list`: jobs as the Privacy Service reports them, with deadlines.

use std::io::BufRead;
use std::path::Path;
use std::time::Duration;

use ccpa_optout::Date;
use ccpa_optout::calendar::utc_text;
use ccpa_optout::privacy::{
    JobFilter, JobId, PrivacyJob, PrivacyRecord, RequestClocks, RequestEvents,
};
use jiff::Timestamp;
use serde_json::json;

use super::{FollowArgs, ListArgs, StatusArgs};
use crate::args::ConnectionArgs;
use crate::config::{self, AcsClient};
use crate::failure::Failure;

/// Runs `privacy status`: each job's state (waiting for the final one with `--wait`); with
/// `--audit`, every job of a submit run and each request's §7021 deadlines.
pub async fn status(
    args: &StatusArgs,
    connection: &ConnectionArgs,
    json: bool,
) -> Result<(), Failure> {
    let client = privacy_client(connection)?;
    let mut wanted: Vec<(JobId, Option<PrivacyRecord>)> = Vec::new();
    for id in &args.job_ids {
        let id = JobId::new(id).map_err(|e| Failure::usage(format!("{id:?}: {}", e.message())))?;
        wanted.push((id, None));
    }
    if let Some(path) = &args.audit {
        wanted.extend(jobs_of(&submitted(path)?));
    }
    let (rows, open) = follow(&client, wanted, &args.follow).await?;
    print_rows(&rows, json);
    not_final(args.follow.wait, open)
}

/// An error when waiting ran out before every job ended.
pub fn not_final(waited: bool, open: usize) -> Result<(), Failure> {
    if waited && open > 0 {
        return Err(Failure::failed(format!("{open} jobs are not final yet")));
    }
    Ok(())
}

/// Each job of `records`, with the record it belongs to.
pub fn jobs_of(records: &[PrivacyRecord]) -> Vec<(JobId, Option<PrivacyRecord>)> {
    records
        .iter()
        .flat_map(|record| {
            record
                .jobs
                .iter()
                .map(|job| (job.job_id.clone(), Some(record.clone())))
        })
        .collect()
}

/// Each job as shown (after waiting for it to end, with `--wait`), saving access archives with
/// `--download`, and how many are not final.
pub async fn follow(
    client: &AcsClient,
    wanted: Vec<(JobId, Option<PrivacyRecord>)>,
    args: &FollowArgs,
) -> Result<(Vec<serde_json::Value>, usize), Failure> {
    if let Some(dir) = &args.download {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::usage(format!("cannot create {}: {e}", dir.display())))?;
    }
    let interval = Duration::from_secs(args.interval.max(1));
    let limit = Duration::from_secs(args.wait_limit);
    let mut rows = Vec::new();
    let mut open = 0;
    for (id, record) in wanted {
        let job = match args.wait {
            true => client.wait_for_privacy_job(&id, interval, limit).await,
            false => client.privacy_job(&id).await,
        }
        .map_err(|e| Failure::from_api(&e))?;
        open += usize::from(!job.status.is_final());
        let archive = match (&args.download, &job.download_url) {
            (Some(dir), Some(_)) => Some(save_archive(client, &job, dir).await?),
            _ => None,
        };
        rows.push(row(&job, record.as_ref(), archive));
    }
    Ok((rows, open))
}

/// Downloads a complete access job's archive to `dir/JOB_ID.zip` (job IDs are safe file names).
async fn save_archive(client: &AcsClient, job: &PrivacyJob, dir: &Path) -> Result<String, Failure> {
    let bytes = client
        .download_privacy_data(job)
        .await
        .map_err(|e| Failure::from_api(&e))?;
    let path = dir.join(format!("{}.zip", job.job_id));
    std::fs::write(&path, bytes)
        .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))?;
    Ok(path.display().to_string())
}

/// Runs `privacy list`: every job of a regulation the filters select, page after page.
pub async fn list(args: &ListArgs, connection: &ConnectionArgs, json: bool) -> Result<(), Failure> {
    let filter = JobFilter::from_text(
        Some(&args.regulation),
        args.status.as_deref(),
        args.from.as_deref(),
        args.to.as_deref(),
        Some(args.page_size),
    )
    .map_err(|e| {
        // The core names the filter's fields; the user typed flags.
        let flag = match e.field() {
            Some("fromDate") => "--from",
            Some("toDate") => "--to",
            Some("size") => "--page-size",
            Some("regulation") => "--regulation",
            _ => "filter",
        };
        Failure::usage(format!("{flag}: {}", e.message()))
    })?;
    let client = privacy_client(connection)?;
    let jobs = client
        .list_privacy_jobs(&filter)
        .await
        .map_err(|e| Failure::from_api(&e))?;
    let rows: Vec<_> = jobs.iter().map(|job| row(job, None, None)).collect();
    print_rows(&rows, json);
    Ok(())
}

/// A client with the Privacy Service configured, or the setting to fix.
fn privacy_client(connection: &ConnectionArgs) -> Result<AcsClient, Failure> {
    let client = config::connect(config::client_config(connection)?)?;
    client
        .privacy_config()
        .map_err(|e| config::setting_failure(&e))?;
    Ok(client)
}

/// The `submitted` records of a submit run's audit log.
fn submitted(path: &std::path::Path) -> Result<Vec<PrivacyRecord>, Failure> {
    let shown = path.display();
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::usage(format!("cannot read {shown}: {e}")))?;
    let mut records = Vec::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Failure::usage(format!("cannot read {shown}: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: PrivacyRecord = serde_json::from_str(&line).map_err(|_| {
            Failure::usage(format!(
                "{shown} line {}: not a privacy audit record",
                index + 1
            ))
        })?;
        if !record.jobs.is_empty() {
            records.push(record);
        }
    }
    Ok(records)
}

/// One job as shown: its state and, with its request's record, whether the answer came in time
/// (a final job answers the request on the day it last changed).
fn row(
    job: &PrivacyJob,
    record: Option<&PrivacyRecord>,
    archive: Option<String>,
) -> serde_json::Value {
    let today = Date::parse(&utc_text(Timestamp::now())[..10]).unwrap_or(Date::MAX);
    let clocks = record.and_then(|record| {
        let received = Date::parse(record.received_at.as_deref()?.get(..10)?).ok()?;
        let answered_on = job
            .status
            .is_final()
            .then(|| job.last_modified.as_deref().and_then(job_day))
            .flatten();
        let events = RequestEvents {
            answered_on,
            ..RequestEvents::default()
        };
        Some(RequestClocks::new(received, &[], &events, today))
    });
    json!({
        "jobId": job.job_id,
        "requestId": record.map(|r| r.request_id.as_str()).or(job.user_key.as_deref()),
        "action": job.action,
        "status": job.status,
        "products": job.product_responses.iter().map(|p| json!({
            "product": p.product, "status": p.status, "code": p.code, "message": p.message,
        })).collect::<Vec<_>>(),
        "downloadUrl": job.download_url,
        "archive": archive,
        "lastModified": job.last_modified,
        "respondBy": clocks.map(|c| c.due()),
        "response": clocks.map(|c| c.response),
    })
}

/// The day of a job date as the service writes it (`MM/DD/YYYY hh:mm AM GMT`, or ISO).
fn job_day(text: &str) -> Option<Date> {
    if let Ok(day) = Date::parse(text.get(..10)?) {
        return Some(day);
    }
    let mut parts = text.get(..10)?.split('/');
    let (month, day, year) = (parts.next()?, parts.next()?, parts.next()?);
    Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()
}

/// Prints jobs, one line each, or as one JSON array.
pub fn print_rows(rows: &[serde_json::Value], json: bool) {
    if json {
        println!("{}", serde_json::Value::Array(rows.to_vec()));
        return;
    }
    for row in rows {
        let text = |key: &str| row[key].as_str().unwrap_or("-").to_owned();
        let mut notes = String::new();
        if let Some(verdict) = row["response"].as_str() {
            notes.push_str(&format!("  respond by {} ({verdict})", text("respondBy")));
        }
        if let Some(archive) = row["archive"].as_str() {
            notes.push_str(&format!("  saved {archive}"));
        }
        println!(
            "{}  {:<8} {:<10} {}{}",
            text("jobId"),
            text("action"),
            text("status"),
            text("requestId"),
            notes
        );
    }
}
