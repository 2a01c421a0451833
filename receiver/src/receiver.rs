//! The receiver put together: the state the routes share, the worker, and serving with a
//! graceful shutdown.

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use ccpa_optout::ClientConfig;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::config::{ConfigError, ReceiverConfig, WorkerConfig};
use crate::error::ApiError;
use crate::health::Health;
use crate::intake::NewRequest;
use crate::keys::random_hex;
use crate::metrics::Metrics;
use crate::routes::{self, AddressLimiter};
use crate::store::{Inserted, Store};
use crate::worker::{self, Context, WorkerHandle, now_ms};

/// What every route sees.
pub struct Shared {
    pub(crate) config: ReceiverConfig,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) health: Arc<Health>,
    pub(crate) limiter: AddressLimiter,
    wake: Arc<Notify>,
}

impl Shared {
    /// Stores a request (committed before this returns) and wakes the worker for a new one.
    pub(crate) async fn insert(&self, request: NewRequest) -> Result<Inserted, ApiError> {
        let inserted = self.store.insert(request, now_ms()).await.map_err(|err| {
            tracing::error!(error = %err, "a request could not be stored");
            ApiError::unavailable("the request could not be stored; nothing was acknowledged")
        })?;
        if matches!(inserted, Inserted::New(_)) {
            self.wake.notify_one();
        }
        Ok(inserted)
    }
}

/// A running receiver: its routes and its worker.
pub struct Receiver {
    shared: Arc<Shared>,
    worker: Option<WorkerHandle>,
}

impl Receiver {
    /// Starts the worker over `store` with an ACS client configured by `acs` (the core's
    /// settings model built it), and returns the receiver whose [`Receiver::router`] serves
    /// the HTTP API. Must be called inside a tokio runtime.
    pub fn start(
        config: ReceiverConfig,
        worker: WorkerConfig,
        store: Arc<dyn Store>,
        acs: ClientConfig,
    ) -> Result<Receiver, ConfigError> {
        if worker.concurrency == 0 {
            return Err(ConfigError("--concurrency must be at least 1".to_owned()));
        }
        let metrics = Arc::new(Metrics::new().map_err(|e| ConfigError(format!("metrics: {e}")))?);
        let health = Arc::new(Health::default());
        let wake = Arc::new(Notify::new());
        let client = worker::client(acs, &worker, Arc::clone(&metrics))
            .map_err(|e| ConfigError(e.to_string()))?;
        let context = Context {
            store: Arc::clone(&store),
            client,
            config: worker,
            calendar: config.calendar.clone(),
            health: Arc::clone(&health),
            metrics: Arc::clone(&metrics),
            name: format!("{}-{}", std::process::id(), random_hex(4)?),
        };
        let worker = worker::spawn(context, Arc::clone(&wake))
            .map_err(|e| ConfigError(format!("cannot start the worker: {e}")))?;
        let shared = Arc::new(Shared {
            limiter: AddressLimiter::new(config.signals_limit),
            config,
            store,
            metrics,
            health,
            wake,
        });
        Ok(Receiver {
            shared,
            worker: Some(worker),
        })
    }

    /// The HTTP API, to serve or to mount in another axum app (which then needs
    /// `into_make_service_with_connect_info::<SocketAddr>` for the per-address limit).
    pub fn router(&self) -> Router {
        routes::router(Arc::clone(&self.shared))
    }

    /// The state `/readyz` reports.
    pub fn health(&self) -> &Health {
        &self.shared.health
    }

    /// The metrics `/metrics` renders.
    pub fn metrics(&self) -> &Metrics {
        &self.shared.metrics
    }

    /// Serves the API on `listener` until `shutdown` completes, then shuts down gracefully:
    /// readiness turns 503, no new connection is accepted, requests being answered finish,
    /// and the worker finishes or gives back what it holds.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = self
            .router()
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        let health = Arc::clone(&self.shared.health);
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                shutdown.await;
                tracing::info!("shutting down: no new requests, finishing the ones in flight");
                health.set_draining();
            })
            .await;
        tracing::debug!("the HTTP server has stopped");
        self.shutdown().await;
        tracing::debug!("the worker has stopped");
        served
    }

    /// Stops the worker (the requests in flight finish or go back to the store).
    pub async fn shutdown(mut self) {
        self.shared.health.set_draining();
        if let Some(worker) = self.worker.take() {
            worker.stop().await;
        }
    }
}

/// The router of a running receiver (`ccpa_optout_receiver::router(&receiver)`).
pub fn router(receiver: &Receiver) -> Router {
    receiver.router()
}

/// Completes on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
