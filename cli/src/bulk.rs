//! `bulk`: stream the requests, apply them a bounded number at a time, record every outcome.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::time::Instant;

use ccpa_optout::AuditOutcome;
use futures_util::{StreamExt, future, stream};

use crate::apply::apply;
use crate::args::{BulkArgs, ConnectionArgs};
use crate::audit::{AuditLog, run_log};
use crate::config::{self, AcsClient};
use crate::deadline::Deadlines;
use crate::failure::{Failure, describe};
use crate::input::request::Request;
use crate::input::{self, InputError};
use crate::progress::Progress;
use crate::resume::{AuditHistory, Seen};
use crate::summary::{RunEnd, Tally};

/// Rows read ahead of the requests in flight (bounds memory; reading is never the bottleneck).
const READ_AHEAD: usize = 1024;

/// Runs `bulk`; `Ok` when every request was applied, unchanged or not found.
pub async fn run(args: &BulkArgs, connection: &ConnectionArgs, json: bool) -> Result<(), Failure> {
    let input = input::open_requests(&args.file, args.files.format, input::FileKind::OptOut)?;
    let deadlines = match &args.holidays {
        Some(path) => Deadlines::from_file(path)?,
        None => Deadlines::default(),
    }
    .in_zone(args.time_zone.clone());
    let emulator = if args.emulator {
        let embedded = crate::emulator::Embedded::start().await?;
        if !args.quiet {
            eprintln!(
                "embedded ACS emulator at {} with {} demo profiles",
                embedded.base_url(),
                crate::emulator::DEMO_SEED
            );
        }
        Some(embedded)
    } else {
        None
    };
    let client_config = match &emulator {
        Some(embedded) => embedded.client_config(connection)?,
        None => config::client_config(connection)?,
    };
    let (audit_path, existing) = run_log(&args.files, &args.file, args.resume, args.emulator);
    let (log, history) = AuditLog::open(&audit_path, existing)?;
    let client = config::connect(client_config)?;
    preflight(&client).await?;

    let progress = Progress::new(input.size, args.quiet);
    announce(&progress, &input.ignored_columns, &history, &audit_path);
    let run = Run {
        client: &client,
        deadlines: &deadlines,
        concurrency: usize::from(args.concurrency),
        log: RefCell::new(log),
        progress: RefCell::new(progress),
        tally: RefCell::new(Tally::default()),
        settled: RefCell::new(history.settled),
        stop: Cell::new(false),
    };
    let started = Instant::now();
    let ended = run.process(input.rows).await;
    let elapsed = started.elapsed();
    run.progress.borrow().finish();
    let log = run.log.into_inner();
    let sync = log.sync();
    let tally = run.tally.into_inner();
    let stopped = match &ended {
        Ok(()) => None,
        Err(failure) => Some(failure.to_string()),
    };
    let end = RunEnd {
        tally: &tally,
        elapsed,
        audit: log.path(),
        concurrency: args.concurrency,
        stopped: stopped.as_deref(),
    };
    if json {
        println!("{}", end.json());
    } else {
        print!("{}", end.text());
    }
    if let Some(embedded) = emulator {
        embedded.shutdown().await;
    }
    ended?;
    sync?;
    let (failed, rejected) = (
        tally.count(AuditOutcome::Failed),
        tally.count(AuditOutcome::Rejected),
    );
    if failed + rejected > 0 {
        return Err(Failure::failed(format!(
            "{rejected} rejected and {failed} failed; the audit log has each one's reason"
        )));
    }
    Ok(())
}

/// Notes before the first row: unused columns, and what a resumed log holds.
fn announce(progress: &Progress, ignored: &[String], history: &AuditHistory, audit: &Path) {
    if !ignored.is_empty() {
        progress.note(&format!(
            "note: ignoring columns not used by requests: {}",
            ignored.join(", ")
        ));
    }
    if history.records > 0 {
        progress.note(&format!(
            "resuming: {} records in {}, {} requests settled, {} failed ones to try again",
            history.records,
            audit.display(),
            history.settled.len(),
            history.failed
        ));
    }
}

/// Checks the credentials and the opt-out field once, before any row: a missing field stops
/// the run; an undocumented type name only warns (each value is still checked per profile).
async fn preflight(client: &AcsClient) -> Result<(), Failure> {
    let metadata = client
        .profile_metadata()
        .await
        .map_err(|e| Failure::from_api(&e))?;
    let found = metadata
        .check_opt_out_field(&client.config().api.opt_out_field)
        .map_err(|e| Failure::usage(describe(&e)))?;
    if let Some(warning) = found.warning() {
        eprintln!("warning: {warning}");
    }
    Ok(())
}

/// The state of one run. Everything runs on one task (the requests are futures polled
/// together), so plain cells suffice.
struct Run<'a> {
    client: &'a AcsClient,
    deadlines: &'a Deadlines,
    concurrency: usize,
    log: RefCell<AuditLog>,
    progress: RefCell<Progress>,
    tally: RefCell<Tally>,
    settled: RefCell<crate::resume::Settled>,
    stop: Cell<bool>,
}

impl Run<'_> {
    /// Streams the rows through the client, `concurrency` at a time, writing each record as
    /// its request settles. Stops taking new rows on a fatal error or Ctrl-C; the requests in
    /// flight still finish and are recorded.
    async fn process(&self, rows: input::Rows) -> Result<(), Failure> {
        let receiver = input::spawn_reader(rows, READ_AHEAD);
        let input_error: RefCell<Option<InputError>> = RefCell::new(None);
        let rows = stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|row| (row, receiver))
        });
        let settlements = rows
            .take_while(|_| future::ready(!self.stop.get()))
            .filter_map(|row| {
                let taken = match row {
                    Ok(raw) => self.take(Request::check(raw)),
                    Err(err) => {
                        *input_error.borrow_mut() = Some(err);
                        self.stop.set(true);
                        None
                    }
                };
                future::ready(taken)
            })
            .map(|request| apply(self.client, request, self.deadlines))
            .buffer_unordered(self.concurrency);
        futures_util::pin_mut!(settlements);
        let interrupt = tokio::signal::ctrl_c();
        futures_util::pin_mut!(interrupt);
        let mut fatal: Option<Failure> = None;
        let mut interrupted = false;
        loop {
            let settlement = tokio::select! {
                next = settlements.next() => match next {
                    Some(settlement) => settlement,
                    None => break,
                },
                _ = &mut interrupt, if !interrupted => {
                    interrupted = true;
                    self.stop.set(true);
                    tokio::spawn(async {
                        // A second Ctrl-C quits at once; the audit log stays consistent.
                        if tokio::signal::ctrl_c().await.is_ok() {
                            std::process::exit(130);
                        }
                    });
                    self.progress.borrow().note(
                        "interrupted: finishing the requests in flight (Ctrl-C again to quit now; --resume continues)",
                    );
                    continue;
                }
            };
            self.log.borrow_mut().append(&settlement.record)?;
            let mut tally = self.tally.borrow_mut();
            tally.add(&settlement.record);
            self.progress
                .borrow_mut()
                .update(settlement.end_offset, &*tally);
            if let (Some(why), None) = (settlement.stop, &fatal) {
                self.stop.set(true);
                fatal = Some(Failure::usage(format!(
                    "ACS refused the set-up, so no further request was started: {why}"
                )));
            }
        }
        if let Some(failure) = fatal {
            return Err(failure);
        }
        let input_error = input_error.borrow_mut().take();
        if let Some(err) = input_error {
            return Err(Failure::failed(format!("reading the input failed: {err}")));
        }
        if interrupted {
            return Err(Failure::Interrupted);
        }
        Ok(())
    }

    /// The request if it is new; repeats and requests settled before are counted and skipped.
    fn take(&self, request: Request) -> Option<Request> {
        let seen = self.settled.borrow_mut().take(&request.row.id);
        match seen {
            Seen::New => Some(request),
            Seen::SettledBefore => {
                self.tally.borrow_mut().settled_before += 1;
                None
            }
            Seen::Repeated => {
                self.tally.borrow_mut().repeated += 1;
                None
            }
        }
    }
}
