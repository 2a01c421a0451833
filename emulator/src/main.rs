//! `acs-emulator`: serve the ACS emulator on 127.0.0.1 until SIGINT or SIGTERM.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use acs_emulator::{Emulator, EmulatorConfig, FaultPlan};
use clap::Parser;

/// An offline Adobe Campaign Standard profile API emulator. Prints its base URL as the first line
/// on stdout, then serves until SIGINT or SIGTERM.
#[derive(Debug, Parser)]
#[command(name = "acs-emulator", version, about)]
struct Args {
    /// TCP port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The tenant ({ORGANIZATION} in the paths).
    #[arg(long, default_value = "acme")]
    org: String,
    /// The IMS organization Privacy Service calls must name in x-gw-ims-org-id (…@AdobeOrg).
    #[arg(long, default_value = acs_emulator::DEFAULT_IMS_ORG, value_parser = parse_ims_org)]
    ims_org: String,
    /// The accepted X-Api-Key (also the token endpoint's client_id unless --client-id is given).
    #[arg(long, default_value = "emulator-api-key")]
    api_key: String,
    /// An access token that never expires.
    #[arg(long, default_value = "emulator-token")]
    token: String,
    /// The client_id the token endpoint accepts (default: the API key).
    #[arg(long)]
    client_id: Option<String>,
    /// The client_secret the token endpoint accepts.
    #[arg(long, default_value = "emulator-client-secret")]
    client_secret: String,
    /// expires_in of issued tokens, in seconds (issued tokens stop working then).
    #[arg(long, default_value_t = 86_399)]
    token_expires_in: u64,
    /// Create seed profiles 0..N when the store starts empty (see the README for the email scheme).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Keep the store in this file (fsync'd journal): nothing acknowledged is lost.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Fault plan as JSON, e.g. '{"status": {"503": 0.05}, "drop": 0.01}'.
    #[arg(long, value_parser = parse_faults)]
    faults: Option<FaultPlan>,
    /// Seed for the fault dice (default: the clock).
    #[arg(long)]
    fault_seed: Option<u64>,
    /// Largest accepted request body in bytes (above: 413).
    #[arg(long, default_value_t = 1024 * 1024)]
    body_limit: usize,
    /// Above this many profiles in the table, `next` needs _forcePagination=true (ACS's big-table threshold).
    #[arg(long, default_value_t = 100_000)]
    big_table_threshold: usize,
    /// Publish a custom field on profileAndServicesExt's metadata, as NAME or NAME:TYPE
    /// (TYPE defaults to boolean), e.g. --custom-field cusOptOutCcpa. Repeatable.
    #[arg(long = "custom-field", value_name = "NAME[:TYPE]", value_parser = parse_custom_field)]
    custom_fields: Vec<(String, String)>,
}

fn parse_custom_field(spec: &str) -> Result<(String, String), String> {
    let (name, type_name) = spec.split_once(':').unwrap_or((spec, "boolean"));
    if !acs_emulator::is_custom_field(name) || type_name.is_empty() {
        return Err(format!(
            "a custom field is NAME[:TYPE] with a name starting with cus, e.g. cusOptOutCcpa:boolean (got {spec:?})"
        ));
    }
    Ok((name.to_owned(), type_name.to_owned()))
}

fn parse_ims_org(org: &str) -> Result<String, String> {
    match EmulatorConfig::default()
        .with_ims_org(org)
        .ims_org_problem()
    {
        Some(problem) => Err(problem),
        None => Ok(org.to_owned()),
    }
}

fn parse_faults(json: &str) -> Result<FaultPlan, String> {
    FaultPlan::from_json(json.as_bytes()).map_err(|e| e.to_string())
}

impl Args {
    fn into_config(self) -> EmulatorConfig {
        let mut config = EmulatorConfig::default()
            .with_port(self.port)
            .with_org(self.org)
            .with_ims_org(self.ims_org)
            .with_api_key(self.api_key)
            .with_token(self.token)
            .with_client_secret(self.client_secret)
            .with_token_expires_in(self.token_expires_in)
            .with_seed(self.seed)
            .with_faults(self.faults.unwrap_or_default())
            .with_body_limit(self.body_limit)
            .with_big_table_threshold(self.big_table_threshold);
        config.client_id = self.client_id;
        config.data_file = self.data;
        config.fault_seed = self.fault_seed;
        config.custom_fields = self.custom_fields;
        config
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(e) = acs_emulator::raise_open_files_limit() {
        eprintln!("acs-emulator: could not raise the open-files limit: {e}");
    }
    let emulator = match Emulator::start(args.into_config()).await {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("acs-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{}", emulator.base_url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        eprintln!("acs-emulator: could not write the base URL to stdout; serving anyway");
    }
    drop(stdout);
    let config = emulator.config();
    eprintln!(
        "acs-emulator: serving tenant '{}' at {}/{}/campaign/profileAndServices ({} profiles); stop with Ctrl-C or SIGTERM",
        config.org,
        emulator.base_url(),
        config.org,
        emulator.profile_count()
    );
    let stopped = stop_signal().await;
    emulator.shutdown().await;
    match stopped {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("acs-emulator: cannot wait for signals: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
async fn stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
