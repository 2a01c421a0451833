//! The worker: leases stored requests, applies them a bounded number at a time, settles each
//! or schedules its next try, holds back while ACS is failing, and pauses while ACS refuses
//! the credentials (trying them again now and then, counting no attempt).

mod apply;
mod pace;
mod task;

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ccpa_optout::{Client, ClientConfig, ErrorKind};
use tokio::sync::{Notify, oneshot, watch};
use tokio::task::{Id, JoinError, JoinSet};

pub use apply::{Verdict, backoff, judge};
pub use pace::PacedTransport;
pub use task::now_ms;

use task::{TaskEnd, attempt, end_of, jitter, millis, record};

use crate::calendar::Calendar;
use crate::config::WorkerConfig;
use crate::health::{Credentials, Health};
use crate::metrics::Metrics;
use crate::store::{Store, StoreError, StoredRequest};

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
    done: oneshot::Receiver<()>,
    thread: std::thread::JoinHandle<()>,
}

impl WorkerHandle {
    /// Stops leasing, lets the requests in flight finish (within the shutdown grace), gives
    /// back the rest, and returns when done.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.done.await;
        let _ = self.thread.join();
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

/// Starts the worker on a thread of its own with a single-threaded runtime: everything it does
/// (HTTP toward ACS, the queue) stays on one core, which measured about a third less CPU per
/// request than sharing the HTTP server's multi-threaded runtime (as `bulk` found before it).
/// `wake` is notified when a request is stored.
pub fn spawn(context: Context, wake: Arc<Notify>) -> std::io::Result<WorkerHandle> {
    let (stop, stopped) = watch::channel(false);
    let worker = Worker {
        context: Arc::new(context),
        tasks: JoinSet::new(),
        recordings: JoinSet::new(),
        leasing: JoinSet::new(),
        dry: false,
        running: HashMap::new(),
        failures: 0,
        hold_until: None,
        last_maintained: Instant::now(),
        ready: VecDeque::new(),
        wanted: 0,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (finished, done) = oneshot::channel();
    let thread = std::thread::Builder::new()
        .name("receiver-worker".to_owned())
        .spawn(move || {
            runtime.block_on(worker.run(stopped, wake));
            let _ = finished.send(());
        })?;
    Ok(WorkerHandle { stop, done, thread })
}

struct Worker {
    context: Arc<Context>,
    tasks: JoinSet<(StoredRequest, Verdict)>,
    /// Store writes of finished tries.
    recordings: JoinSet<()>,
    /// The lease being taken (one at a time): it runs beside the tries, so that the loop goes
    /// on collecting finished tries and starting ready ones while the store answers.
    leasing: JoinSet<Result<Vec<StoredRequest>, StoreError>>,
    /// The last lease came back short: no new one until something happens (a try ends, a
    /// request is stored, the idle poll), instead of asking an empty queue in a loop.
    dry: bool,
    running: HashMap<Id, String>,
    /// Retryable failures in a row: while there are any, leasing waits (an outage is probed
    /// by a few requests, not the whole queue).
    failures: u32,
    hold_until: Option<Instant>,
    last_maintained: Instant,
    /// Leased, not started yet.
    ready: VecDeque<StoredRequest>,
    /// How many the lease in progress asked for.
    wanted: usize,
}

impl Worker {
    async fn run(mut self, mut stop: watch::Receiver<bool>, wake: Arc<Notify>) {
        self.check_credentials().await;
        let context = Arc::clone(&self.context);
        let config = context.config;
        while !*stop.borrow() {
            let paused = context.health.credentials() == Credentials::Refused;
            let holding = self.hold_until.is_some_and(|until| Instant::now() < until);
            if paused || holding {
                self.give_back_ready().await;
            } else {
                while self.tasks.len() < config.concurrency {
                    let Some(request) = self.ready.pop_front() else {
                        break;
                    };
                    self.start(request);
                }
                // Up to four rounds of requests are held (running and ready), leased in batches
                // of half a round or more while fewer than two rounds wait: one lease per many
                // requests, and enough ready to cover the store's answer to the next lease.
                let held = self.tasks.len() + self.ready.len();
                let wanted = (4 * config.concurrency).saturating_sub(held);
                // Writes of finished tries that pile up mean the store is slow: wait for them.
                let writing = self.recordings.len() >= 2 * config.concurrency;
                if self.leasing.is_empty()
                    && !self.dry
                    && !writing
                    && self.ready.len() < 2 * config.concurrency
                    && wanted * 2 >= config.concurrency
                {
                    self.lease(wanted);
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
                    self.dry = false;
                    if let Ok((id, (request, verdict))) = done {
                        self.running.remove(&id);
                        self.finished(end_of(&verdict));
                        self.recordings.spawn(record(Arc::clone(&context), request, verdict));
                    }
                }
                Some(leased) = self.leasing.join_next(), if !self.leasing.is_empty() => {
                    self.leased(leased);
                }
                Some(_) = self.recordings.join_next(), if !self.recordings.is_empty() => {}
                () = wake.notified(), if !paused && !holding => self.dry = false,
                () = tokio::time::sleep(wait) => {
                    self.dry = false;
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

    /// Starts leasing up to `count` requests; [`Self::leased`] takes the answer.
    fn lease(&mut self, count: usize) {
        let context = Arc::clone(&self.context);
        self.leasing.spawn(async move {
            let now = now_ms();
            let until = now.saturating_add(millis(context.config.lease));
            context
                .store
                .lease(count, context.name.clone(), now, until)
                .await
        });
        self.wanted = count;
    }

    /// A lease came back: its requests join the ready queue.
    fn leased(&mut self, answer: Result<Result<Vec<StoredRequest>, StoreError>, JoinError>) {
        match answer {
            Ok(Ok(leased)) => {
                self.dry = leased.len() < self.wanted;
                self.ready.extend(leased);
            }
            Ok(Err(err)) => {
                self.dry = true;
                tracing::warn!(error = %err, "cannot lease requests from the store");
            }
            // The lease task panicked or the runtime is going away: whatever it leased comes
            // back to the queue when the lease runs out.
            Err(_) => self.dry = true,
        }
    }

    fn start(&mut self, request: StoredRequest) {
        let id = request.id.clone();
        let context = Arc::clone(&self.context);
        let handle = self
            .tasks
            .spawn(async move { attempt(&context, request).await });
        self.running.insert(handle.id(), id);
    }

    /// Gives the requests leased but not started back to the store (no attempt counted), so
    /// that they show as queued while the worker holds back or is paused.
    async fn give_back_ready(&mut self) {
        let context = &self.context;
        for request in self.ready.drain(..) {
            let _ = context
                .store
                .release(request.id, context.name.clone())
                .await;
        }
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
        while let Some(leased) = self.leasing.join_next().await {
            self.leased(leased);
        }
        self.give_back_ready().await;
        let grace = self.context.config.shutdown_grace;
        let context = Arc::clone(&self.context);
        let finish = async {
            while let Some(done) = self.tasks.join_next_with_id().await {
                if let Ok((id, (request, verdict))) = done {
                    self.running.remove(&id);
                    record(Arc::clone(&context), request, verdict).await;
                }
            }
        };
        if tokio::time::timeout(grace, finish).await.is_err() {
            self.tasks.abort_all();
            while self.tasks.join_next().await.is_some() {}
        }
        while self.recordings.join_next().await.is_some() {}
        for (_, id) in self.running.drain() {
            let _ = context.store.release(id, context.name.clone()).await;
        }
    }
}
