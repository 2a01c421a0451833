//! Starting and stopping the emulator: a loopback listener, one task per connection.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use crate::app::App;
use crate::config::EmulatorConfig;
use crate::faults::{FaultError, FaultPlan};
use crate::gateway::{ConnectionDrop, Peer};
use crate::persist::JournalError;
use crate::routes;
use crate::stats::Stats;

/// How long [`Emulator::shutdown`] lets in-flight requests finish before closing connections.
const GRACE: Duration = Duration::from_secs(5);
/// A client that has not sent a request's headers after this long is disconnected.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// Pending connections the kernel may queue (capped by `net.core.somaxconn`).
const BACKLOG: u32 = 8192;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configured fault plan is invalid.
    #[error(transparent)]
    Faults(#[from] FaultError),
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The requested port.
        port: u16,
        /// The socket error.
        source: std::io::Error,
    },
    /// The configured IMS org is not an `…@AdobeOrg` id.
    #[error("invalid IMS org: {0}")]
    ImsOrg(String),
    /// The data file could not be loaded or opened.
    #[error(transparent)]
    Data(#[from] JournalError),
    /// The start-up task was cancelled or panicked.
    #[error("the emulator's start-up task failed: {0}")]
    Startup(String),
}

/// A running emulator. Dropping it stops it at once; [`Emulator::shutdown`] stops it gracefully.
#[derive(Debug)]
pub struct Emulator {
    base_url: String,
    addr: SocketAddr,
    app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Loads the data file and seed, binds 127.0.0.1 (`config.port`, 0 = any free port) and serves.
    pub async fn start(config: EmulatorConfig) -> Result<Emulator, StartError> {
        config.faults.validate()?;
        if let Some(problem) = config.ims_org_problem() {
            return Err(StartError::ImsOrg(problem));
        }
        let port = config.port;
        let listener = listen(port).map_err(|source| StartError::Bind { port, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { port, source })?;
        // Replaying and compacting the data file is blocking file I/O.
        let app = tokio::task::spawn_blocking(move || App::new(config, addr.to_string()))
            .await
            .map_err(|e| StartError::Startup(e.to_string()))??;
        let app = Arc::new(app);
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(serve(listener, routes::router(Arc::clone(&app)), stopped));
        Ok(Emulator {
            base_url: format!("http://{addr}"),
            addr,
            app,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:{port}`, no trailing slash; ACS paths are `{base_url}/{org}/campaign/…`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The settings it runs with.
    pub fn config(&self) -> &EmulatorConfig {
        &self.app.config
    }

    /// The fault plan in force (as `GET /_emulator/faults`).
    pub fn faults(&self) -> FaultPlan {
        (*self.app.faults.plan()).clone()
    }

    /// Replaces the fault plan (as `PUT /_emulator/faults`).
    pub fn set_faults(&self, plan: FaultPlan) -> Result<(), FaultError> {
        plan.validate()?;
        self.app.faults.set(plan);
        Ok(())
    }

    /// The request counters (as `GET /_emulator/stats`).
    pub fn stats(&self) -> Stats {
        self.app.stats.snapshot()
    }

    /// How many profiles the store holds.
    pub fn profile_count(&self) -> usize {
        self.app.read().len()
    }

    /// Empties the store, privacy requests and counters, then re-seeds (as `POST /_emulator/reset`).
    /// Fails only when the reset cannot be written to the data file.
    pub async fn reset(&self) -> Result<(), std::io::Error> {
        self.app
            .reset()
            .await
            .map_err(|e| std::io::Error::other(e.message().to_owned()))
    }

    /// Stops accepting, lets in-flight requests finish (at most 5 s), then closes every connection.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(GRACE + Duration::from_secs(1), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            // Aborting the server task drops its JoinSet, which aborts every connection task.
            task.abort();
        }
    }
}

fn listen(port: u16) -> std::io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
    socket.listen(BACKLOG)
}

async fn serve(listener: TcpListener, router: Router, mut stopped: oneshot::Receiver<()>) {
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(connection(stream, peer, router.clone(), &graceful));
                }
                // Out of descriptors or a connection reset before accept: back off, never spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(GRACE, graceful.shutdown()).await;
    connections.shutdown().await;
}

/// Serves one connection until it ends, the server shuts down, or a handler drops it on purpose.
fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    graceful: &GracefulShutdown,
) -> impl Future<Output = ()> + Send + 'static {
    let _ = stream.set_nodelay(true);
    let dropper = ConnectionDrop::default();
    let handle = dropper.clone();
    let service = TowerToHyperService::new(router);
    let per_request = hyper::service::service_fn(move |mut request: http::Request<Incoming>| {
        request.extensions_mut().insert(handle.clone());
        request.extensions_mut().insert(Peer(peer));
        hyper::service::Service::call(&service, request)
    });
    let served = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(TokioIo::new(stream), per_request);
    let served = graceful.watch(served);
    async move {
        tokio::select! {
            _ = served => {}
            () = dropper.requested() => {}
        }
    }
}
