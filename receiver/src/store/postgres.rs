//! [`PostgresStore`]: one queue shared by several receivers on one PostgreSQL database, with
//! a connection pool, leases taken with `FOR UPDATE SKIP LOCKED`, and each store's presence
//! shown by a session advisory lock so that a dead receiver's leases are taken over seconds
//! after its death.

use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use ccpa_optout::Date;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime, Timeouts};
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio_postgres::{Client, Config, NoTls};

use super::postgres_rows::{self as rows, LOCK_CLASS};
use super::postgres_settle as settle;
use super::{
    Inserted, QueueStats, Retry, Settlement, Store, StoreError, StoreFuture, StoredRequest,
};
use crate::intake::NewRequest;

/// Connections for inserts: enough for the HTTP side's inserts to commit in parallel (the
/// server groups their flushes).
const DURABLE_POOL: usize = 16;
/// Connections for the rest: the worker's leases and settlements, status reads, metrics.
const BOOKKEEPING_POOL: usize = 8;
/// How long opening a connection, or waiting for a free one, may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The PostgreSQL store. Any number of receivers may share one database: each leases
/// requests for itself, and status reads, metrics and export see the whole queue.
pub struct PostgresStore {
    shared: Arc<Shared>,
    // Connections are spawned on the runtime that opened the store and every operation runs
    // there, so that they outlive the worker's own runtime and the tasks that use them.
    runtime: tokio::runtime::Handle,
}

struct Shared {
    /// Inserts: each commit waits until its WAL record is on disk, and the `202` follows it.
    durable: Pool,
    /// Everything else (see [`BOOKKEEPING_SETTINGS`]), committed without waiting for that
    /// flush (`synchronous_commit=off`, as SQLite's bookkeeping batches use `NORMAL`): a crash
    /// of the database server can take back its last moments of leases and settlements, after
    /// which a request is applied again (an idempotent set: a read, and no write when the
    /// value is already there). A receiver's own death loses nothing: the server has the
    /// commit.
    bookkeeping: Pool,
    /// The writer of settlements (on the bookkeeping pool), or `None` for a read-only store.
    settler: Option<mpsc::Sender<settle::Job>>,
    config: Config,
    /// This store's presence, or `None` for a read-only store (audit export).
    presence: Option<Presence>,
    label: String,
}

/// Which pool an operation uses.
#[derive(Debug, Clone, Copy)]
enum Flush {
    /// The durable pool (inserts).
    Wait,
    /// The bookkeeping pool.
    Later,
}

/// The session that holds this store's advisory lock (`LOCK_CLASS`, `key`): PostgreSQL ends
/// it, and so frees the lock, when the process dies; other receivers then take over the
/// requests this store leased (after `DEAD_STORE_GRACE_MS`).
struct Presence {
    key: AtomicI32,
    session: Mutex<Client>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("database", &self.shared.label)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to the database `url` names (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`, or
    /// the key-value form), applies the migrations it lacks and announces this store. Must be
    /// called within a Tokio runtime, which then runs the store's connections.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let runtime = runtime()?;
        let (config, label) = parse(url)?;
        let (durable, bookkeeping) = pools(&config)?;
        let mut session = open_session(&config).await?;
        rows::migrate(&mut session)
            .await
            .map_err(|e| unavailable(&e))?;
        let key = announce(&session).await?;
        let settler = Some(settle::start(bookkeeping.clone()));
        Ok(PostgresStore {
            shared: Arc::new(Shared {
                durable,
                bookkeeping,
                settler,
                config,
                presence: Some(Presence {
                    key: AtomicI32::new(key),
                    session: Mutex::new(session),
                }),
                label,
            }),
            runtime,
        })
    }

    /// Connects to read a store receivers write (audit export); writes through it fail.
    pub async fn connect_read_only(url: &str) -> Result<PostgresStore, StoreError> {
        let runtime = runtime()?;
        let (config, label) = parse(url)?;
        let (durable, bookkeeping) = pools(&config)?;
        let db = bookkeeping.get().await.map_err(|e| pool_error(&e))?;
        let exists: bool = db
            .query_one(
                "SELECT to_regclass('ccpa_optout.requests') IS NOT NULL",
                &[],
            )
            .await
            .and_then(|row| row.try_get(0))
            .map_err(|e| unavailable(&e))?;
        if !exists {
            return Err(StoreError::Config(format!(
                "no receiver store in {label} (a receiver creates it when it starts)"
            )));
        }
        drop(db);
        Ok(PostgresStore {
            shared: Arc::new(Shared {
                durable,
                bookkeeping,
                settler: None,
                config,
                presence: None,
                label,
            }),
            runtime,
        })
    }

    /// The database, for logs: user, host, port and name, never the password.
    pub fn label(&self) -> &str {
        &self.shared.label
    }

    /// Runs `operation` with a connection of the `flush` pool on the store's runtime.
    fn run<T, F, Fut>(&self, flush: Flush, operation: F) -> StoreFuture<'_, T>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Shared>, deadpool_postgres::Object) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let shared = Arc::clone(&self.shared);
        let task = self.runtime.spawn(async move {
            let pool = match flush {
                Flush::Wait => &shared.durable,
                Flush::Later => &shared.bookkeeping,
            };
            let db = pool.get().await.map_err(|e| pool_error(&e))?;
            operation(shared, db).await
        });
        Box::pin(async move {
            task.await.map_err(|_| {
                StoreError::Unavailable("a store operation was cancelled".to_owned())
            })?
        })
    }

    /// Like [`Self::run`], for changes: refused on a read-only store.
    fn write<T, F, Fut>(&self, flush: Flush, operation: F) -> StoreFuture<'_, T>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Shared>, deadpool_postgres::Object) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        if self.shared.presence.is_none() {
            return Box::pin(async { Err(read_only()) });
        }
        self.run(flush, operation)
    }
}

impl Shared {
    /// This store's lock key, for the leases it takes.
    fn key(&self) -> i32 {
        self.presence
            .as_ref()
            .map_or(0, |presence| presence.key.load(Ordering::SeqCst))
    }

    /// Checks the presence session and, if PostgreSQL ended it (a restart, a network cut),
    /// opens another under a new key: leases taken under the old one are others' to take now.
    async fn keep_presence(&self) -> Result<(), StoreError> {
        let Some(presence) = &self.presence else {
            return Ok(());
        };
        let mut session = presence.session.lock().await;
        if !session.is_closed() && session.simple_query("").await.is_ok() {
            return Ok(());
        }
        let fresh = open_session(&self.config).await?;
        let key = announce(&fresh).await?;
        tracing::warn!("the store's PostgreSQL session was lost; opened another");
        *session = fresh;
        presence.key.store(key, Ordering::SeqCst);
        Ok(())
    }
}

impl Store for PostgresStore {
    fn insert(&self, request: NewRequest, now_ms: i64) -> StoreFuture<'_, Inserted> {
        self.write(Flush::Wait, move |_, db| async move {
            rows::insert(&db, &request, now_ms)
                .await
                .map_err(|e| unavailable(&e))
        })
    }

    fn get(&self, id: String) -> StoreFuture<'_, Option<StoredRequest>> {
        self.run(Flush::Later, move |_, db| async move {
            rows::get(&db, &id).await.map_err(|e| unavailable(&e))
        })
    }

    fn lease(
        &self,
        limit: usize,
        worker: String,
        now_ms: i64,
        lease_until_ms: i64,
    ) -> StoreFuture<'_, Vec<StoredRequest>> {
        self.write(Flush::Later, move |shared, db| async move {
            rows::lease(&db, limit, &worker, shared.key(), now_ms, lease_until_ms)
                .await
                .map_err(|e| unavailable(&e))
        })
    }

    fn complete(
        &self,
        id: String,
        worker: String,
        settlement: Settlement,
    ) -> StoreFuture<'_, bool> {
        let settler = self.shared.settler.clone();
        Box::pin(async move {
            let settler = settler.ok_or_else(read_only)?;
            let (reply, answer) = oneshot::channel();
            let completion = rows::Completion {
                id,
                worker,
                settlement,
            };
            settler
                .send((completion, reply))
                .await
                .map_err(|_| settler_stopped())?;
            answer.await.map_err(|_| settler_stopped())?
        })
    }

    fn give_back(&self, id: String, worker: String, retry: Option<Retry>) -> StoreFuture<'_, bool> {
        self.write(Flush::Later, move |_, db| async move {
            rows::give_back(&db, &id, &worker, retry.as_ref())
                .await
                .map_err(|e| unavailable(&e))
        })
    }

    fn stats(&self, today: Date) -> StoreFuture<'_, QueueStats> {
        let today = today.to_string();
        self.run(Flush::Later, move |_, db| async move {
            rows::stats(&db, &today).await.map_err(|e| unavailable(&e))
        })
    }

    fn settled_after(&self, after_seq: i64, limit: usize) -> StoreFuture<'_, Vec<StoredRequest>> {
        self.run(Flush::Later, move |_, db| async move {
            rows::settled_after(&db, after_seq, limit)
                .await
                .map_err(|e| unavailable(&e))
        })
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        self.write(Flush::Later, |shared, db| async move {
            let standby: bool = db
                .query_one("SELECT pg_is_in_recovery()", &[])
                .await
                .and_then(|row| row.try_get(0))
                .map_err(|e| unavailable(&e))?;
            if standby {
                return Err(StoreError::Unavailable(
                    "the database is a read-only standby".to_owned(),
                ));
            }
            shared.keep_presence().await
        })
    }

    fn maintain(&self) -> StoreFuture<'_, ()> {
        // Autovacuum reclaims the row versions that still held erased emails; nothing to do.
        Box::pin(async { Ok(()) })
    }
}

/// The Tokio runtime the store's connections will run on: the caller's.
fn runtime() -> Result<tokio::runtime::Handle, StoreError> {
    tokio::runtime::Handle::try_current().map_err(|_| {
        StoreError::Config("a PostgreSQL store is opened within a Tokio runtime".to_owned())
    })
}

/// Parses `url`, with this crate's defaults for what it does not say.
fn parse(url: &str) -> Result<(Config, String), StoreError> {
    let mut config = Config::from_str(url)
        .map_err(|e| StoreError::Config(format!("not a PostgreSQL connection string: {e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("ccpa-optout-receiver");
    }
    let label = label(&config);
    Ok((config, label))
}

/// Settings of the bookkeeping sessions. Besides the commit without a flush: the right plan
/// for each of their statements is an index scan (the queue in order of arrival, a request by
/// id), but a queue table's statistics are always stale — new, or churned since the last
/// analyze — and misled by them the planner chose a bitmap scan and a sort of every open
/// request for each lease (17 ms instead of 1 ms at 10,000 open requests, which made the drain
/// five times slower). Without those two scans the index is the only way left.
const BOOKKEEPING_SETTINGS: &str =
    "-c synchronous_commit=off -c enable_seqscan=off -c enable_bitmapscan=off";

/// The durable and the bookkeeping pools (connections open on first use).
fn pools(config: &Config) -> Result<(Pool, Pool), StoreError> {
    let mut lazy = config.clone();
    let options = match config.get_options() {
        Some(given) => format!("{given} {BOOKKEEPING_SETTINGS}"),
        None => BOOKKEEPING_SETTINGS.to_owned(),
    };
    lazy.options(&options);
    Ok((
        pool(config.clone(), DURABLE_POOL)?,
        pool(lazy, BOOKKEEPING_POOL)?,
    ))
}

fn pool(config: Config, size: usize) -> Result<Pool, StoreError> {
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(size)
        .runtime(Runtime::Tokio1)
        .timeouts(Timeouts {
            wait: Some(CONNECT_TIMEOUT),
            create: Some(CONNECT_TIMEOUT),
            recycle: Some(CONNECT_TIMEOUT),
        })
        .build()
        .map_err(|e| StoreError::Config(format!("cannot build the connection pool: {e}")))
}

/// Opens the session that will hold this store's advisory lock (outside the pool: the lock
/// lives as long as the session).
async fn open_session(config: &Config) -> Result<Client, StoreError> {
    let (client, connection) = config.connect(NoTls).await.map_err(|e| unavailable(&e))?;
    tokio::spawn(async move {
        if let Err(err) = connection.await {
            tracing::warn!(error = %err, "the store's PostgreSQL session ended");
        }
    });
    Ok(client)
}

/// Draws a fresh key (the schema must exist) and takes the advisory lock that shows this
/// store is alive.
async fn announce(session: &Client) -> Result<i32, StoreError> {
    let key: i32 = session
        .query_one("SELECT nextval('ccpa_optout.store_keys')::integer", &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| unavailable(&e))?;
    session
        .execute("SELECT pg_advisory_lock($1, $2)", &[&LOCK_CLASS, &key])
        .await
        .map_err(|e| unavailable(&e))?;
    Ok(key)
}

/// `postgres://USER@HOST:PORT/DB`: what logs and errors may show of a connection string.
pub(super) fn label(config: &Config) -> String {
    use tokio_postgres::config::Host;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("");
    let db = config.get_dbname().unwrap_or(user);
    format!("postgres://{user}@{host}:{port}/{db}")
}

fn read_only() -> StoreError {
    StoreError::Config("this store was opened read-only".to_owned())
}

fn settler_stopped() -> StoreError {
    StoreError::Unavailable("the store's settlement writer has stopped".to_owned())
}

/// A database error as the store reports it: the server's message, never the connection
/// string (the driver's errors do not carry it).
pub(super) fn unavailable(err: &tokio_postgres::Error) -> StoreError {
    match err.as_db_error() {
        Some(db) => StoreError::Unavailable(format!("PostgreSQL: {}", db.message())),
        None => StoreError::Unavailable(format!("PostgreSQL: {err}")),
    }
}

pub(super) fn pool_error(err: &deadpool_postgres::PoolError) -> StoreError {
    match err {
        deadpool_postgres::PoolError::Backend(err) => unavailable(err),
        other => StoreError::Unavailable(format!("PostgreSQL pool: {other}")),
    }
}
