#![doc = include_str!("../README.md")]

mod apply;
mod args;
mod audit;
mod bulk;
mod config;
mod deadline;
mod emulator;
mod failure;
mod input;
mod outcomes;
mod privacy;
mod progress;
mod resume;
mod serve;
mod signals;
mod single;
mod summary;
mod timestamp;

use std::process::ExitCode;

use clap::FromArgMatches;

use args::{Cli, Command};
use failure::Failure;

fn main() -> ExitCode {
    let cli = match Cli::from_arg_matches(&args::command().get_matches()) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    let runtime = match runtime_for(&cli.command).enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            failure.exit_code()
        }
    }
}

/// One thread drives every request: measured against the emulator, it does the same work with
/// less CPU than a thread pool, and stays fast at high concurrency. Only an embedded emulator
/// gets worker threads, so that it does not compete with the client for one thread.
fn runtime_for(command: &Command) -> tokio::runtime::Builder {
    match command {
        Command::Bulk(bulk) if bulk.emulator => tokio::runtime::Builder::new_multi_thread(),
        Command::Privacy(crate::privacy::PrivacyCommand::Submit(submit)) if submit.emulator => {
            tokio::runtime::Builder::new_multi_thread()
        }
        // The receiver answers HTTP while its worker applies requests: both cores.
        Command::Serve(_) => tokio::runtime::Builder::new_multi_thread(),
        _ => tokio::runtime::Builder::new_current_thread(),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Get(target) => {
            let subject = single::subject(target)?;
            let client = config::connect(config::client_config(&cli.connection)?)?;
            single::get(&client, &subject, cli.json).await
        }
        Command::Set(set) => {
            let subject = single::subject(&set.target)?;
            let client = config::connect(config::client_config(&cli.connection)?)?;
            single::set(&client, &subject, set.opt_out, cli.json).await
        }
        Command::Bulk(bulk) => bulk::run(bulk, &cli.connection, cli.json).await,
        Command::Serve(serve) => serve::run(serve, &cli.connection).await,
        Command::Audit(serve::AuditCommand::Export(export)) => serve::export(export).await,
        Command::Privacy(command) => privacy::run(command, &cli.connection, cli.json).await,
    }
}
