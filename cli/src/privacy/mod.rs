//! `privacy`: requests to know and to delete through Adobe's Privacy Service — file, follow, list.

mod jobs;
mod request;
mod submit;
mod tally;

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::args::{ConnectionArgs, RunFiles};
use crate::failure::Failure;

/// Consumers per `POST /jobs` unless `--batch-size` says otherwise.
pub const DEFAULT_BATCH_SIZE: u16 = 100;

/// Creates in flight at once unless `--concurrency` says otherwise (the service publishes no
/// rate; a few at a time stay well clear of its 429s).
pub const DEFAULT_PRIVACY_CONCURRENCY: u16 = 4;

/// The `privacy` commands.
#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
    /// File a CSV or JSONL file of access and delete requests as Privacy Service jobs, with an
    /// audit log and resume.
    Submit(Box<SubmitArgs>),
    /// Show jobs by ID (or every job an audit log filed), optionally waiting until each is
    /// complete or failed.
    Status(StatusArgs),
    /// List the jobs of a regulation, filtered by status and dates.
    List(ListArgs),
}

/// `privacy submit`.
#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// The requests: CSV (header row) or JSONL. Columns: `action` (access, delete, or
    /// access+delete); `email`, or `namespace` and `value` (with `type`, default standard);
    /// optional `requestId` (the jobs' user key), `receivedAt`, `source`.
    pub file: PathBuf,

    /// The input's format and the audit log.
    #[command(flatten)]
    pub files: RunFiles,

    /// Continue a run with the same audit log: settled requests are skipped; for the others
    /// the jobs of the last 30 days are searched first, so nothing is filed twice.
    #[arg(long)]
    pub resume: bool,

    /// Consumers per create request (1 to 1,000).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH_SIZE,
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub batch_size: u16,

    /// Create requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PRIVACY_CONCURRENCY,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,

    /// The regulation the jobs run under.
    #[arg(long, default_value = "ccpa")]
    pub regulation: String,

    /// Holidays that do not count as business days for the 10-business-day confirmation: a
    /// file with one YYYY-MM-DD per line (`#` starts a comment).
    #[arg(long, value_name = "HOLIDAYS_FILE")]
    pub holidays: Option<PathBuf>,

    /// Run against an embedded emulator (ACS and the Privacy Service) seeded with demo
    /// profiles: no credentials needed.
    #[arg(long)]
    pub emulator: bool,

    /// After filing, follow every job made until it is complete or failed, and show each.
    #[command(flatten)]
    pub follow: FollowArgs,

    /// No progress output (the summary is still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

/// How jobs are followed once filed (`submit`, `status`).
#[derive(Debug, Args)]
pub struct FollowArgs {
    /// Poll until every job is complete or failed.
    #[arg(long)]
    pub wait: bool,

    /// Seconds between polls with --wait.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub interval: u64,

    /// Give up waiting after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    pub wait_limit: u64,

    /// Save each complete access job's archive (a ZIP, a folder per product) as
    /// DIR/JOB_ID.zip.
    #[arg(long, value_name = "DIR")]
    pub download: Option<PathBuf>,
}

/// `privacy status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Job IDs.
    #[arg(value_name = "JOB_ID", required_unless_present = "audit")]
    pub job_ids: Vec<String>,

    /// Every job an audit log of `privacy submit` lists, with each request's deadlines.
    #[arg(long, value_name = "AUDIT_FILE")]
    pub audit: Option<PathBuf>,

    /// Waiting and downloading.
    #[command(flatten)]
    pub follow: FollowArgs,
}

/// `privacy list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The regulation the jobs were filed under.
    #[arg(long, default_value = "ccpa")]
    pub regulation: String,

    /// Only jobs in this status: submitted, processing, complete or error.
    #[arg(long)]
    pub status: Option<String>,

    /// Only jobs made on or after this day (YYYY-MM-DD, GMT); needs --to.
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<String>,

    /// Only jobs made on or before this day (YYYY-MM-DD, GMT); needs --from.
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<String>,

    /// Jobs per page asked for (1 to 1,000); every page is read.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub page_size: u32,
}

/// Runs one `privacy` command.
pub async fn run(
    command: &PrivacyCommand,
    connection: &ConnectionArgs,
    json: bool,
) -> Result<(), Failure> {
    match command {
        PrivacyCommand::Submit(args) => submit::run(args, connection, json).await,
        PrivacyCommand::Status(args) => jobs::status(args, connection, json).await,
        PrivacyCommand::List(args) => jobs::list(args, connection, json).await,
    }
}
