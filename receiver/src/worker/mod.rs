//! The worker: leases stored requests, applies them a bounded number at a time, settles each
//! or schedules its next try, holds back while ACS is failing, and pauses while ACS refuses
//! the credentials (trying them again now and then, counting no attempt).

mod apply;
mod pace;
mod task;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ccpa_optout::{Client, ClientConfig, ErrorKind};
use tokio::sync::{Notify, watch};
use tokio::task::{Id, JoinHandle, JoinSet};

pub use apply::{Verdict, backoff, judge};
pub use pace::PacedTransport;
pub use task::now_ms;

use task::{TaskEnd, jitter, millis, process};

use crate::calendar::Calendar;
use crate::config::WorkerConfig;
use crate::health::{Credentials, Health};
use crate::metrics::Metrics;
use crate::store::Store;

/// Idle time between two WAL checkpoints.
const MAINTAIN_EVERY: Duration = Duration::from_secs(30);

/// What the worker shares with its tasks.
pub struct Context {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The ACS client (paced).
    pub client: Client<PacedTransport>,
    /// Pacing, leases, retries.
    pub config: WorkerConfig,
    /// For due dates.
    pub calendar: Calendar,
    /// Shared with the probes.
    pub health: Arc<Health>,
    /// Shared with `/metrics`.
    pub metrics: Arc<Metrics>,
    /// This worker's name in leases: unique per process start.
    pub name: String,
}

/// A running worker.
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    /// Stops leasing, lets the requests in flight finish (within the shutdown grace), gives
    /// back the rest, and returns when done.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Builds the ACS client for the worker: reqwest, paced, timed.
pub fn client(
    acs: ClientConfig,
    config: &WorkerConfig,
    metrics: Arc<Metrics>,
) -> Result<Client<PacedTransport>, ccpa_optout::Error> {
    let transport = PacedTransport::new(
        ccpa_optout::ReqwestTransport::new()?,
        config.max_rps,
        metrics,
    );
    Ok(Client::new(acs, transport))
}

/// Starts the worker; `wake` is notified when a request is stored.
pub fn spawn(context: Context, wake: Arc<Notify>) -> WorkerHandle {
    let (stop, stopped) = watch::channel(false);
    let worker = Worker {
        context: Arc::new(context),
        tasks: JoinSet::new(),
        running: HashMap::new(),
        failures: 0,
        hold_until: None,
        last_maintained: Instant::now(),
    };
    WorkerHandle {
        stop,
        task: tokio::spawn(worker.run(stopped, wake)),
    }
}

struct Worker {
    context: Arc<Context>,
    tasks: JoinSet<TaskEnd>,
    running: HashMap<Id, String>,
    /// Retryable failures in a row: while there are any, leasing waits (an outage is probed
    /// by a few requests, not the whole queue).
    failures: u32,
    hold_until: Option<Instant>,
    last_maintained: Instant,
}

impl Worker {
    async fn run(mut self, mut stop: watch::Receiver<bool>, wake: Arc<Notify>) {
        self.check_credentials().await;
        let context = Arc::clone(&self.context);
        let config = context.config;
        while !*stop.borrow() {
            let paused = context.health.credentials() == Credentials::Refused;
            let holding = self.hold_until.is_some_and(|until| Instant::now() < until);
            let free = config.concurrency.saturating_sub(self.tasks.len());
            // Lease in batches (half the slots at least) rather than one per finished task.
            if !paused
                && !holding
                && free > 0
                && (self.tasks.is_empty() || free * 2 >= config.concurrency)
            {
                let leased = self.lease(free).await;
                if leased == free {
                    continue;
                }
            }
            let wait = if paused {
                config.probe_interval
            } else {
                match self.hold_until {
                    Some(until) if holding => until.saturating_duration_since(Instant::now()),
                    _ => config.idle_poll,
                }
            };
            tokio::select! {
                Some(done) = self.tasks.join_next_with_id(), if !self.tasks.is_empty() => {
                    if let Ok((id, end)) = done {
                        self.running.remove(&id);
                        self.finished(end);
                    }
                }
                () = wake.notified(), if !paused && !holding => {}
                () = tokio::time::sleep(wait) => {
                    if paused {
                        self.check_credentials().await;
                    } else if self.tasks.is_empty() && self.last_maintained.elapsed() >= MAINTAIN_EVERY {
                        self.last_maintained = Instant::now();
                        let _ = context.store.maintain().await;
                    }
                }
                _ = stop.changed() => {}
            }
        }
        self.drain().await;
    }

    /// Leases up to `free` requests and starts them; how many it started.
    async fn lease(&mut self, free: usize) -> usize {
        let context = &self.context;
        let now = now_ms();
        let until = now.saturating_add(millis(context.config.lease));
        let leased = match context
            .store
            .lease(free, context.name.clone(), now, until)
            .await
        {
            Ok(leased) => leased,
            Err(err) => {
                tracing::warn!(error = %err, "cannot lease requests from the store");
                return 0;
            }
        };
        let count = leased.len();
        for request in leased {
            let id = request.id.clone();
            let context = Arc::clone(&self.context);
            let handle = self
                .tasks
                .spawn(async move { process(&context, request).await });
            self.running.insert(handle.id(), id);
        }
        count
    }

    fn finished(&mut self, end: TaskEnd) {
        let health = &self.context.health;
        let metrics = &self.context.metrics;
        match end {
            TaskEnd::Settled => {
                if self.failures > 0 {
                    tracing::info!("ACS answers again");
                }
                self.failures = 0;
                self.hold_until = None;
                health.set_acs_available(true, now_ms());
                metrics.acs_available.set(1);
                if health.credentials() != Credentials::Accepted {
                    health.set_credentials(Credentials::Accepted, now_ms());
                }
            }
            TaskEnd::Retried => {
                if self.failures == 0 {
                    tracing::warn!("ACS answers with retryable failures: holding back");
                }
                self.failures = self.failures.saturating_add(1);
                let config = &self.context.config;
                let wait = backoff(self.failures, config.retry_base, config.retry_max, jitter());
                self.hold_until = Some(Instant::now() + wait);
                health.set_acs_available(false, now_ms());
                metrics.acs_available.set(0);
            }
            TaskEnd::Paused => {
                if health.credentials() != Credentials::Refused {
                    tracing::error!("ACS refused the credentials: the worker is paused");
                }
                health.set_credentials(Credentials::Refused, now_ms());
                metrics.acs_credentials_refused.set(1);
            }
        }
    }

    /// Asks ACS for the profile metadata: the cheapest call that proves the credentials.
    async fn check_credentials(&mut self) {
        let context = &self.context;
        match context.client.profile_metadata().await {
            Ok(metadata) => {
                if context.health.credentials() == Credentials::Refused {
                    tracing::info!("ACS accepts the credentials again: the worker resumes");
                }
                context
                    .health
                    .set_credentials(Credentials::Accepted, now_ms());
                context.metrics.acs_credentials_refused.set(0);
                let field = &context.client.config().api.opt_out_field;
                if let Err(err) = metadata.check_opt_out_field(field) {
                    tracing::warn!(error = %err, "the opt-out field is not in the profile metadata");
                }
            }
            Err(err) if matches!(err.kind(), ErrorKind::Auth | ErrorKind::Config) => {
                tracing::error!(error = %err, "ACS refuses the credentials");
                context
                    .health
                    .set_credentials(Credentials::Refused, now_ms());
                context.metrics.acs_credentials_refused.set(1);
            }
            Err(err) => {
                tracing::warn!(error = %err, "ACS did not answer the credential check");
            }
        }
    }

    /// On shutdown: the requests in flight get the grace period, the rest go back untried.
    async fn drain(mut self) {
        let grace = self.context.config.shutdown_grace;
        let finish = async {
            while let Some(done) = self.tasks.join_next_with_id().await {
                if let Ok((id, _)) = done {
                    self.running.remove(&id);
                }
            }
        };
        if tokio::time::timeout(grace, finish).await.is_err() {
            self.tasks.abort_all();
            while self.tasks.join_next().await.is_some() {}
        }
        let context = &self.context;
        for (_, id) in self.running.drain() {
            let _ = context.store.release(id, context.name.clone()).await;
        }
    }
}
