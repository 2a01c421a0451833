//! The durable store of requests: the trait the receiver and worker use, and its SQLite and
//! PostgreSQL implementations.
//!
//! The trait is shaped for several receivers sharing one database (PostgreSQL): workers
//! *lease* requests for a while (`FOR UPDATE SKIP LOCKED` there), a lease that runs out makes
//! the request available again, and every change after a lease names the worker that holds it,
//! so a worker whose lease expired cannot settle a request another one has taken.

mod columns;
mod postgres;
mod postgres_rows;
mod postgres_settle;
mod sqlite;
mod sqlite_rows;
mod sqlite_writer;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use ccpa_optout::Date;

pub use postgres::PostgresStore;
pub use postgres_rows::DEAD_STORE_GRACE_MS;
pub use sqlite::SqliteStore;

use crate::intake::{NewRequest, Signals};

/// What a store method returns: a boxed future, so that stores can be chosen at run time.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Why the store could not do something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or written (disk full, locked, gone).
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
    /// The URL or the file is not a store this receiver can use.
    #[error("{0}")]
    Config(String),
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Stored, not tried yet.
    Queued,
    /// A worker holds it and is applying it.
    Applying,
    /// Tried, failed in a way worth another try; waits for its next turn.
    Retrying,
    /// At least one profile was written.
    Applied,
    /// Every profile already had the value (or the signals asked for nothing).
    Unchanged,
    /// No profile has this email or PKey.
    NotFound,
    /// ACS refused the request itself; `reason` says why.
    Rejected,
}

impl Status {
    /// Every status, open ones first.
    pub const ALL: [Status; 7] = [
        Status::Queued,
        Status::Applying,
        Status::Retrying,
        Status::Applied,
        Status::Unchanged,
        Status::NotFound,
        Status::Rejected,
    ];

    /// The name in answers and in the database: `queued`, `applying`, `retrying`, `applied`,
    /// `unchanged`, `not-found`, `rejected`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Applying => "applying",
            Status::Retrying => "retrying",
            Status::Applied => "applied",
            Status::Unchanged => "unchanged",
            Status::NotFound => "not-found",
            Status::Rejected => "rejected",
        }
    }

    /// The status of a name.
    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the request is settled (nothing more will happen to it).
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            Status::Applied | Status::Unchanged | Status::NotFound | Status::Rejected
        )
    }
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRequest {
    /// The order of arrival.
    pub seq: i64,
    /// The receiver's id.
    pub id: String,
    /// The idempotency key.
    pub request_id: String,
    /// The PKey, for a request by PKey.
    pub pkey: Option<String>,
    /// The email, for a request by email, until the request is settled.
    pub email: Option<String>,
    /// The SHA-256 of the email, kept for good.
    pub email_sha256: Option<String>,
    /// The value asked for.
    pub opt_out: bool,
    /// Whether the value was explicit (else the signals are applied).
    pub explicit: bool,
    /// The signals given.
    pub signals: Signals,
    /// The decision from the signals, as JSON.
    pub decision: Option<String>,
    /// The manner in which it was made.
    pub source: Option<String>,
    /// When it was received (as given, or the time of arrival).
    pub received_at: String,
    /// The due date, `YYYY-MM-DD`.
    pub due_date: String,
    /// Where it stands.
    pub status: Status,
    /// Tries that reached ACS and failed or settled it (credential refusals do not count).
    pub attempts: u32,
    /// When it was settled (UTC RFC 3339).
    pub applied_at: Option<String>,
    /// The profiles touched, as JSON `[OptOutChange]`.
    pub changes: Option<String>,
    /// Why it was rejected, or the last failure.
    pub reason: Option<String>,
    /// Whether the answer met the due date.
    pub due_met: Option<bool>,
}

/// What [`Store::insert`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    /// A new request, committed.
    New(StoredRequest),
    /// A request with the same `requestId` was already stored; nothing was added.
    Existing(StoredRequest),
}

/// The end of a request, for [`Store::complete`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// A final status.
    pub status: Status,
    /// The profiles touched, as JSON.
    pub changes: Option<String>,
    /// Why (rejections, notes on signals).
    pub reason: Option<String>,
    /// When (UTC RFC 3339).
    pub applied_at: String,
    /// Whether that met the due date.
    pub due_met: Option<bool>,
}

/// A failed try, for [`Store::give_back`]: the request waits, and the failure is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retry {
    /// When it is due again (ms since the epoch).
    pub not_before_ms: i64,
    /// What went wrong.
    pub reason: String,
}

/// The queue at a glance (for `/metrics`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueStats {
    /// Requests stored in all.
    pub total: u64,
    /// Requests not settled yet.
    pub open: u64,
    /// When the oldest open request was stored (ms since the epoch).
    pub oldest_open_ms: Option<i64>,
    /// Open requests whose due date is before the given day.
    pub overdue: u64,
}

/// A durable store of requests.
pub trait Store: Send + Sync + 'static {
    /// Stores `request`, or finds the one stored with the same `requestId`. Returns only
    /// once the new request is committed durably: the caller acknowledges it after this.
    fn insert(&self, request: NewRequest, now_ms: i64) -> StoreFuture<'_, Inserted>;

    /// The request with this id.
    fn get(&self, id: String) -> StoreFuture<'_, Option<StoredRequest>>;

    /// Up to `limit` open requests that are due (`not before` passed) and not leased, oldest
    /// first, at most one per subject and none of a subject already leased (so that two
    /// requests about one profile never run at once, and run in order); each is leased to
    /// `worker` until `lease_until_ms` and shown as applying.
    fn lease(
        &self,
        limit: usize,
        worker: String,
        now_ms: i64,
        lease_until_ms: i64,
    ) -> StoreFuture<'_, Vec<StoredRequest>>;

    /// Settles a request leased to `worker`: its status, changes and time; the email is
    /// replaced by its SHA-256 alone. `false` when the lease was lost (nothing changed).
    fn complete(&self, id: String, worker: String, settlement: Settlement)
    -> StoreFuture<'_, bool>;

    /// Gives a request leased to `worker` back: after a failed try with `Some(retry)` (counted,
    /// not due again before its time), untried with `None`. `false` when the lease was lost.
    fn give_back(&self, id: String, worker: String, retry: Option<Retry>) -> StoreFuture<'_, bool>;

    /// Gives a leased request back after a failed try (counted), not before `not_before_ms`.
    fn retry_later(
        &self,
        id: String,
        worker: String,
        not_before_ms: i64,
        reason: String,
    ) -> StoreFuture<'_, bool> {
        let retry = Retry {
            not_before_ms,
            reason,
        };
        self.give_back(id, worker, Some(retry))
    }

    /// Gives a leased request back untried (shutdown, credentials refused): no attempt counted.
    fn release(&self, id: String, worker: String) -> StoreFuture<'_, bool> {
        self.give_back(id, worker, None)
    }

    /// Counts for the metrics; `today` decides what is overdue.
    fn stats(&self, today: Date) -> StoreFuture<'_, QueueStats>;

    /// Settled requests after `after_seq` in order of arrival, at most `limit` (audit export).
    fn settled_after(&self, after_seq: i64, limit: usize) -> StoreFuture<'_, Vec<StoredRequest>>;

    /// Checks that the store can still be written.
    fn ping(&self) -> StoreFuture<'_, ()>;

    /// Housekeeping while idle (SQLite: fold the write-ahead log back into the database, so
    /// that erased emails do not linger there).
    fn maintain(&self) -> StoreFuture<'_, ()>;
}

/// Opens the store a URL names for a receiver: `sqlite:PATH` (one receiver per file) or
/// `postgres://…` (any number of receivers on one database; migrations applied here).
pub async fn open_store(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    Ok(match StoreUrl::parse(url)? {
        StoreUrl::Sqlite(path) => Arc::new(SqliteStore::open(path)?),
        StoreUrl::Postgres(url) => Arc::new(PostgresStore::connect(url).await?),
    })
}

/// Opens the store a URL names to read it (audit export), even while receivers run on it.
pub async fn open_store_read_only(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    Ok(match StoreUrl::parse(url)? {
        StoreUrl::Sqlite(path) => Arc::new(SqliteStore::open_read_only(path)?),
        StoreUrl::Postgres(url) => Arc::new(PostgresStore::connect_read_only(url).await?),
    })
}

/// What logs may show of a store URL: a PostgreSQL URL without its password (and without
/// its parameters, which may carry one).
pub fn store_label(url: &str) -> String {
    match StoreUrl::parse(url) {
        Ok(StoreUrl::Sqlite(path)) => format!("sqlite:{path}"),
        Ok(StoreUrl::Postgres(url)) => url.parse::<tokio_postgres::Config>().map_or_else(
            |_| "postgres://…".to_owned(),
            |config| postgres::label(&config),
        ),
        Err(_) => "(not a store URL)".to_owned(),
    }
}

/// A store URL, by kind.
enum StoreUrl<'a> {
    Sqlite(&'a str),
    Postgres(&'a str),
}

impl StoreUrl<'_> {
    fn parse(url: &str) -> Result<StoreUrl<'_>, StoreError> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(StoreError::Config("sqlite: needs a path".to_owned()));
            }
            return Ok(StoreUrl::Sqlite(path));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(StoreUrl::Postgres(url));
        }
        Err(StoreError::Config(
            "--store must be sqlite:PATH (e.g. sqlite:ccpa-optout-receiver.db) or \
             postgres://USER@HOST/DATABASE"
                .to_owned(),
        ))
    }
}
