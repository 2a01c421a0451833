//! The options of `serve` and `audit export`, each also read from a `CCPA_OPTOUT_…` variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Subcommand};

/// The store `serve` uses and `audit export` reads, unless `--store` says otherwise.
pub const DEFAULT_STORE: &str = "sqlite:ccpa-optout-receiver.db";

/// `serve`: the receiver.
#[derive(Debug, Args)]
#[command(next_help_heading = "Receiver")]
pub struct ServeArgs {
    /// Where to listen; port 0 picks a free one. The first line on stdout is
    /// `listening on http://HOST:PORT`.
    #[arg(
        long,
        value_name = "ADDR",
        default_value = "127.0.0.1:8080",
        env = "CCPA_OPTOUT_LISTEN"
    )]
    pub listen: SocketAddr,

    /// The durable store: `sqlite:PATH` (one receiver per file) or `postgres://USER@HOST/DB`
    /// (any number of receivers on one database; the schema is created and migrated at start).
    #[arg(long, value_name = "URL", default_value = DEFAULT_STORE, env = "CCPA_OPTOUT_STORE")]
    pub store: String,

    /// A file of receiver API keys, one a line (`#` comments allowed); a site's backend sends
    /// one as `Authorization: Bearer <key>`. Keys are compared in constant time, never logged.
    #[arg(long, value_name = "PATH", env = "CCPA_OPTOUT_API_KEY_FILE")]
    pub api_key_file: Option<PathBuf>,

    /// A file holding the secret (at least 32 bytes) that subject tokens are signed with;
    /// without it `/v1/signals` stores nothing and answers only whether a signal is honoured.
    #[arg(
        long,
        value_name = "PATH",
        env = "CCPA_OPTOUT_SUBJECT_TOKEN_SECRET_FILE"
    )]
    pub subject_token_secret_file: Option<PathBuf>,

    /// The audience (`aud`) subject tokens must name; without it, tokens must name none.
    #[arg(
        long,
        value_name = "AUDIENCE",
        env = "CCPA_OPTOUT_SUBJECT_TOKEN_AUDIENCE"
    )]
    pub subject_token_audience: Option<String>,

    /// An origin whose pages may call `/v1/signals` (repeatable; the variable takes a
    /// comma-separated list), e.g. https://shop.example.
    #[arg(
        long = "allow-origin",
        value_name = "ORIGIN",
        env = "CCPA_OPTOUT_ALLOW_ORIGIN",
        value_delimiter = ','
    )]
    pub allow_origin: Vec<String>,

    /// Requests applied to ACS at the same time.
    #[arg(long, value_name = "N", default_value_t = 16, env = "CCPA_OPTOUT_CONCURRENCY",
          value_parser = clap::value_parser!(u16).range(1..=512))]
    pub concurrency: u16,

    /// HTTP requests per second toward ACS, at most.
    #[arg(long, value_name = "N", default_value_t = 50, env = "CCPA_OPTOUT_MAX_RPS",
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_rps: u32,

    /// Signals accepted per minute from one client address (bursts of half that).
    #[arg(long, value_name = "N", default_value_t = 60, env = "CCPA_OPTOUT_SIGNALS_PER_MINUTE",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub signals_per_minute: u32,

    /// Behind a TLS proxy: the header holding the client's address (its last entry counts),
    /// e.g. X-Forwarded-For. Without it the peer address counts.
    #[arg(long, value_name = "HEADER", env = "CCPA_OPTOUT_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,

    /// Holidays that are not business days for the 15-business-day due date: one YYYY-MM-DD
    /// a line (`#` comments allowed).
    #[arg(long, value_name = "HOLIDAYS_FILE", env = "CCPA_OPTOUT_HOLIDAYS")]
    pub holidays: Option<PathBuf>,

    /// The time zone (IANA name) of the day of receipt when a request gives no offset.
    #[arg(long, value_name = "IANA_NAME", default_value = "UTC",
          value_parser = crate::timestamp::parse_time_zone, env = "CCPA_OPTOUT_TIME_ZONE")]
    pub time_zone: jiff::tz::TimeZone,

    /// A demo that needs nothing: an embedded ACS emulator with demo profiles, a temporary
    /// store, and a generated API key and subject-token secret (in files; see the next option).
    #[arg(long, env = "CCPA_OPTOUT_EMULATOR")]
    pub emulator: bool,

    /// With --emulator: print the demo's API key and subject-token secret themselves (and
    /// curl lines that hold them) instead of the files they are in.
    #[arg(
        long,
        requires = "emulator",
        env = "CCPA_OPTOUT_PRINT_DEMO_CREDENTIALS"
    )]
    pub print_demo_credentials: bool,
}

/// `audit`: the receiver's records.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Write the settled requests of a receiver's store as JSONL audit records, the format of
    /// bulk's audit log (emails only as SHA-256). Safe while the receiver runs.
    Export(ExportArgs),
}

/// `audit export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The receiver's store.
    #[arg(long, value_name = "URL", default_value = DEFAULT_STORE, env = "CCPA_OPTOUT_STORE")]
    pub store: String,

    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
}
