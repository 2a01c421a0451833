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
mod progress;
mod resume;
mod signals;
mod single;
mod subject;
mod summary;
mod timestamp;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};
use failure::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
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
    }
}
