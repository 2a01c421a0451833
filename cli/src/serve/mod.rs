//! `serve`: the receiver, wired to options, the environment and the ACS connection settings
//! `bulk` uses; and `audit export`, which reads its store.

pub mod args;
mod demo;
mod export;

use std::io::Write;
use std::path::Path;

use ccpa_optout_receiver::calendar::Calendar;
use ccpa_optout_receiver::{
    AddressLimit, ApiKeys, Receiver, ReceiverConfig, SubjectTokenVerifier, WorkerConfig,
    open_store, shutdown_signal, store_label,
};

pub use args::{AuditCommand, ServeArgs};
pub use export::export;

use crate::args::ConnectionArgs;
use crate::config;
use crate::deadline::Deadlines;
use crate::failure::Failure;
use demo::Demo;

/// Runs the receiver until SIGTERM or SIGINT; `Ok` after a graceful shutdown.
pub async fn run(args: &ServeArgs, connection: &ConnectionArgs) -> Result<(), Failure> {
    init_logging();
    let demo = if args.emulator {
        Some(Demo::start(args.print_demo_credentials).await?)
    } else {
        None
    };
    let acs = match &demo {
        Some(demo) => demo.client_config(connection)?,
        None => config::client_config(connection)?,
    };
    let api_keys = match (&args.api_key_file, &demo) {
        (Some(path), _) => ApiKeys::from_file_text(&read_secret_file(path, "--api-key-file")?)
            .map_err(|e| Failure::usage(format!("--api-key-file: {e}")))?,
        (None, Some(demo)) => demo.api_keys()?,
        (None, None) => {
            return Err(Failure::usage(
                "--api-key-file (CCPA_OPTOUT_API_KEY_FILE) is required: the keys backends post with",
            ));
        }
    };
    let secret = match (&args.subject_token_secret_file, &demo) {
        (Some(path), _) => Some(read_secret_file(path, "--subject-token-secret-file")?),
        (None, Some(demo)) => Some(demo.secret().to_owned()),
        (None, None) => None,
    };
    let mut receiver_config = ReceiverConfig::new(api_keys)
        .with_origins(&args.allow_origin)
        .map_err(|e| Failure::usage(e.to_string()))?;
    if let Some(secret) = secret {
        let secret = secret.trim_end_matches(['\r', '\n']);
        let verifier =
            SubjectTokenVerifier::new(secret.as_bytes(), args.subject_token_audience.as_deref())
                .map_err(|e| Failure::usage(format!("--subject-token-secret-file: {e}")))?;
        receiver_config.subject_tokens = Some(verifier);
    }
    receiver_config.signals_limit = AddressLimit {
        per_minute: args.signals_per_minute,
        burst: (args.signals_per_minute / 2).max(1),
    };
    receiver_config.client_ip_header = args
        .client_ip_header
        .as_deref()
        .map(|name| {
            http::HeaderName::try_from(name).map_err(|_| {
                Failure::usage(format!("--client-ip-header {name:?} is not a header name"))
            })
        })
        .transpose()?;
    let holidays = match &args.holidays {
        Some(path) => Deadlines::from_file(path)?.holidays().to_vec(),
        None => Vec::new(),
    };
    receiver_config.calendar = Calendar::new(holidays, args.time_zone.clone());
    let worker = WorkerConfig {
        concurrency: usize::from(args.concurrency),
        max_rps: Some(args.max_rps),
        ..WorkerConfig::default()
    };
    let store_url = demo.as_ref().map_or(args.store.clone(), Demo::store_url);
    let store = open_store(&store_url)
        .await
        .map_err(|e| Failure::usage(format!("--store: {e}")))?;
    let receiver = Receiver::start(receiver_config, worker, store, acs)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| Failure::usage(format!("cannot listen on {}: {e}", args.listen)))?;
    let address = listener
        .local_addr()
        .map_err(|e| Failure::failed(format!("cannot read the listening address: {e}")))?;
    let url = format!("http://{address}");
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "listening on {url}");
    if let Some(demo) = &demo {
        let _ = write!(stdout, "{}", demo.instructions(&url));
    }
    let _ = stdout.flush();
    drop(stdout);
    tracing::info!(store = %store_label(&store_url), "receiver ready");
    let served = receiver.serve(listener, shutdown_signal()).await;
    if let Some(demo) = demo {
        demo.stop().await;
    }
    served.map_err(|e| Failure::failed(format!("the server stopped: {e}")))
}

/// Log lines on stderr; `RUST_LOG` sets the level (`info` by default).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

/// A file holding a secret; the error names the option, never the content.
fn read_secret_file(path: &Path, option: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("{option}: cannot read {}: {e}", path.display())))
}
