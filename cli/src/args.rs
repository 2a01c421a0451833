//! The command line: commands, options and the environment variables behind them.

use std::path::PathBuf;

use ccpa_optout::Setting;
use clap::{ArgGroup, Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// Set and read the CCPA "do not sell or share" opt-out of Adobe Campaign Standard profiles.
///
/// Connection settings come from options or the environment (names below). Secrets are never
/// printed, neither in help nor in errors, logs or audit records.
#[derive(Debug, Parser)]
#[command(name = "ccpa-optout", version)]
#[command(
    after_help = "Exit codes: 0 success; 1 some requests failed or were rejected \
(bulk) or the profile could not be read or written (get/set); 2 usage or configuration error."
)]
pub struct Cli {
    /// Where and how to connect.
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true, help_heading = "Output")]
    pub json: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The command line, with each connection option reading the environment variable the core's
/// settings table gives it (one table for the CLI, the bindings and `from_env`).
pub fn command() -> clap::Command {
    Setting::ALL
        .into_iter()
        .fold(Cli::command(), |command, setting| {
            command.mut_arg(setting.snake_case(), |arg| {
                arg.env(setting.env_var())
                    .hide_env_values(setting.is_secret())
            })
        })
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the opt-out of one profile (by PKey) or of every profile with an email.
    Get(TargetArgs),
    /// Set the opt-out of one profile or of every profile with an email (idempotent: reads
    /// first, writes only profiles whose value differs).
    Set(SetArgs),
    /// Apply a CSV or JSONL file of opt-out requests, with an audit log and resume.
    Bulk(Box<BulkArgs>),
    /// Run the receiver: accept opt-outs from a site's backend and its visitors' browsers
    /// over HTTP, store each durably before answering, apply them to ACS, show their status.
    Serve(Box<crate::serve::ServeArgs>),
    /// The receiver's audit records.
    #[command(subcommand)]
    Audit(crate::serve::AuditCommand),
    /// Requests to know and to delete (CCPA access and deletion) through Adobe's Privacy
    /// Service: file them from a CSV or JSONL file, follow their jobs, list them.
    #[command(subcommand)]
    Privacy(crate::privacy::PrivacyCommand),
}

/// The tenant and credentials. Either an access token, or OAuth server-to-server credentials
/// (client ID, which is the API key, and client secret) from which tokens are fetched. Each
/// also reads its environment variable, from the core's table (see [`command`]).
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection (options, or the environment variables shown)")]
pub struct ConnectionArgs {
    /// The ACS tenant ID (e.g. `acme`, or `acme-mkt-stage`), not the IMS org `…@AdobeOrg`.
    #[arg(long = "org", global = true)]
    pub organization: Option<String>,

    /// The API key (the integration's client ID), sent as X-Api-Key.
    #[arg(long, global = true)]
    pub api_key: Option<String>,

    /// An access token obtained elsewhere (or use --client-secret for OAuth).
    #[arg(long, global = true)]
    pub access_token: Option<String>,

    /// OAuth server-to-server client ID (defaults to the API key, which is the same value).
    #[arg(long, global = true)]
    pub client_id: Option<String>,

    /// OAuth server-to-server client secret: tokens are fetched from IMS and cached.
    #[arg(long, global = true)]
    pub client_secret: Option<String>,

    /// OAuth scopes, comma-separated, as shown in the Adobe Developer Console.
    #[arg(long, global = true)]
    pub scopes: Option<String>,

    /// The IMS token endpoint for OAuth [default: https://ims-na1.adobelogin.com/ims/token/v3].
    #[arg(long, global = true)]
    pub token_url: Option<String>,

    /// The API gateway [default: https://mc.adobe.io]; http:// only on loopback.
    #[arg(long, global = true)]
    pub base_url: Option<String>,

    /// The API name: profileAndServices (default) or profileAndServicesExt.
    #[arg(long, global = true)]
    pub api: Option<String>,

    /// The boolean profile field holding the opt-out [default: ccpaOptOut].
    #[arg(long, global = true)]
    pub opt_out_field: Option<String>,

    /// The IMS organization ID (`…@AdobeOrg`), for access and delete requests.
    #[arg(long, global = true)]
    pub ims_org: Option<String>,

    /// The Privacy Service gateway [default: https://platform.adobe.io]; http:// only on loopback.
    #[arg(long, global = true)]
    pub privacy_base_url: Option<String>,

    /// Time limit for one HTTP exchange, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, global = true)]
    pub timeout: u64,

    /// Attempts per HTTP request, the first included (retries on 429/502/503/504 and
    /// dropped connections, honouring Retry-After).
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=20), global = true)]
    pub max_attempts: u32,
}

/// One profile, named by PKey or email.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("kind").args(["pkey", "email"])))]
pub struct TargetArgs {
    /// A PKey (e.g. `@Zk3q9Lw2TfR0`) or an email. It is an email when it has text before an
    /// `@` and a dot after it and does not start with `@`; anything else is a PKey. Use
    /// --pkey or --email to decide explicitly.
    pub target: String,

    /// Treat TARGET as a PKey.
    #[arg(long)]
    pub pkey: bool,

    /// Treat TARGET as an email (every profile with it).
    #[arg(long)]
    pub email: bool,
}

/// `set`: the target and the value.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("value").args(["opt_out", "opt_in"]).required(true)))]
pub struct SetArgs {
    /// The profile(s).
    #[command(flatten)]
    pub target: TargetArgs,

    /// Opt out of sale and sharing (ccpaOptOut = true).
    #[arg(long)]
    pub opt_out: bool,

    /// Opt back in (ccpaOptOut = false). CCPA asks for a confirmed request, and 12 months
    /// of waiting before the business asks; use it for such confirmed requests only.
    #[arg(long)]
    pub opt_in: bool,
}

/// The file format of a bulk input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// How a run's request file is read and where its audit log goes (`bulk`, `privacy submit`).
#[derive(Debug, Args)]
pub struct RunFiles {
    /// The input format [default: from the extension: .jsonl/.ndjson → jsonl, else csv].
    #[arg(long, value_enum)]
    pub format: Option<InputFormat>,

    /// The append-only audit log (JSONL) [default: FILE.audit.jsonl next to the input; with
    /// --emulator, a file in the temporary directory that each demo run replaces].
    #[arg(long, value_name = "AUDIT_FILE")]
    pub audit: Option<PathBuf>,
}

/// Requests in flight at once, unless `--concurrency` says otherwise (see the README for the
/// measurement behind it).
pub const DEFAULT_CONCURRENCY: u16 = 16;

/// `bulk`: the input, the audit log and how to run.
#[derive(Debug, Args)]
pub struct BulkArgs {
    /// The requests: CSV (header row) or JSONL. Columns: `email` or `pkey`; `optOut`
    /// (true/false) or privacy signals `gpc`/`usp`/`gpp`; optional `requestId`, `receivedAt`
    /// (RFC 3339 or YYYY-MM-DD), `source` (web, email, phone, gpc, agent, …).
    pub file: PathBuf,

    /// The input's format and the audit log.
    #[command(flatten)]
    pub files: RunFiles,

    /// Continue a run with the same audit log: requests that already have a settled record are
    /// skipped; failed ones are tried again.
    #[arg(long)]
    pub resume: bool,

    /// Requests applied at the same time.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY,
          value_parser = clap::value_parser!(u16).range(1..=512))]
    pub concurrency: u16,

    /// Holidays that do not count as business days for the 15-business-day deadline: a file
    /// with one YYYY-MM-DD per line (`#` starts a comment).
    #[arg(long, value_name = "HOLIDAYS_FILE")]
    pub holidays: Option<PathBuf>,

    /// The time zone (IANA name) of `receivedAt` values written without an offset (a date, or
    /// a local date-time): the day of receipt and the day of the answer are both taken in it.
    /// A `receivedAt` with an offset keeps its own.
    #[arg(long, value_name = "IANA_NAME", default_value = "UTC",
          value_parser = crate::timestamp::parse_time_zone, env = "CCPA_OPTOUT_TIME_ZONE")]
    pub time_zone: jiff::tz::TimeZone,

    /// Run against an embedded ACS emulator seeded with demo profiles (no credentials needed).
    #[arg(long)]
    pub emulator: bool,

    /// No progress output (the summary is still printed).
    #[arg(long, short)]
    pub quiet: bool,
}
