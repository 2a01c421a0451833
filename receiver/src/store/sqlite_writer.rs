//! The one thread that writes the SQLite file: it takes the writes waiting in its queue,
//! applies them in one transaction and commits once (group commit), then answers each.
//!
//! A batch holding a new request is committed with `synchronous=FULL`: flushed to disk before
//! the answers go out, so a `202` always follows a durable write; grouping is what makes that
//! affordable (one flush for a whole batch of acknowledgements instead of one each). A batch of
//! worker bookkeeping only (leases, settlements, retries) is committed with `NORMAL`: in WAL
//! mode that survives the process being killed, and what a power cut could take back is at
//! worst a settlement, after which the request is applied again (idempotent: a read, no write)
//! and settled again.

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::sqlite_rows as rows;
use super::{Inserted, Retry, Settlement, StoreError, StoredRequest};
use crate::intake::NewRequest;

/// Writes taken into one transaction at most (bounds the wait of the first one).
const MAX_BATCH: usize = 512;
/// How long a batch of worker bookkeeping waits for company when it is alone. Settlements are
/// written after their ACS slot is free, so nobody waits on them; gathering them cuts the pages
/// written (and the system time) several-fold when the worker drains a queue. A batch holding
/// a write somebody waits for (a new request, a lease) is committed at once.
const LINGER: std::time::Duration = std::time::Duration::from_millis(1);

/// A write for the writer thread.
pub enum Write {
    /// [`super::Store::insert`].
    Insert(Box<NewRequest>, i64),
    /// [`super::Store::lease`].
    Lease {
        /// How many.
        limit: usize,
        /// For whom.
        worker: String,
        /// Now, ms.
        now_ms: i64,
        /// Until, ms.
        until_ms: i64,
    },
    /// [`super::Store::complete`].
    Complete(String, String, Settlement),
    /// [`super::Store::give_back`].
    GiveBack(String, String, Option<Retry>),
    /// [`super::Store::ping`]: an empty transaction.
    Ping,
    /// [`super::Store::maintain`]: a WAL checkpoint after the batch.
    Checkpoint,
}

/// Whether a write may wait [`LINGER`] for company: only the worker's records of finished
/// tries, which nobody waits for.
fn lingers(write: &Write) -> bool {
    matches!(write, Write::Complete(..) | Write::GiveBack(..))
}

/// What a write gave.
pub enum Written {
    /// An insert.
    Inserted(Box<Inserted>),
    /// A lease.
    Leased(Vec<StoredRequest>),
    /// Whether an update found its row.
    Changed(bool),
    /// Nothing to return.
    Done,
}

/// A write and where its answer goes.
pub type Job = (Write, oneshot::Sender<Result<Written, StoreError>>);

/// Runs until every sender is gone, then returns (after the last batch is committed).
pub fn run(mut db: Connection, mut jobs: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    // The connection was opened with FULL.
    let mut durable = true;
    while let Some(first) = jobs.blocking_recv() {
        let mut lingered = !lingers(&first.0);
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => {
                    lingered |= !lingers(&job.0);
                    batch.push(job);
                }
                Err(_) if !lingered => {
                    lingered = true;
                    std::thread::sleep(LINGER);
                }
                Err(_) => break,
            }
        }
        let needs_flush = batch
            .iter()
            .any(|(write, _)| matches!(write, Write::Insert(..) | Write::Ping));
        if needs_flush != durable {
            let level = if needs_flush { "FULL" } else { "NORMAL" };
            // If the level cannot be changed, the batch is committed at the old one: FULL stays
            // FULL (an insert is never committed with less), NORMAL stays a little slower.
            if db.pragma_update(None, "synchronous", level).is_ok() {
                durable = needs_flush;
            } else if needs_flush {
                let failed = batch.drain(..).map(|(_, reply)| reply);
                for reply in failed {
                    let _ = reply.send(Err(StoreError::Unavailable(
                        "cannot make the commit durable".to_owned(),
                    )));
                }
                continue;
            }
        }
        commit_batch(&mut db, &mut batch);
    }
}

fn commit_batch(db: &mut Connection, batch: &mut Vec<Job>) {
    let checkpoint = batch
        .iter()
        .any(|(write, _)| matches!(write, Write::Checkpoint));
    let results = match db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
        Ok(tx) => {
            let results: Vec<Result<Written, StoreError>> =
                batch.iter().map(|(write, _)| apply(&tx, write)).collect();
            match tx.commit() {
                Ok(()) => results,
                // Nothing of the batch is durable: every caller hears it failed.
                Err(err) => batch.iter().map(|_| Err(unavailable(&err))).collect(),
            }
        }
        Err(err) => batch.iter().map(|_| Err(unavailable(&err))).collect(),
    };
    if checkpoint {
        // Outside the transaction; a checkpoint that cannot finish now is tried next time.
        let _ = db.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
    for ((_, reply), result) in batch.drain(..).zip(results) {
        // A caller that gave up (its HTTP client left) no longer listens; the write stands.
        let _ = reply.send(result);
    }
}

fn apply(db: &Connection, write: &Write) -> Result<Written, StoreError> {
    let written = match write {
        Write::Insert(request, now_ms) => {
            rows::insert(db, request, *now_ms).map(|i| Written::Inserted(Box::new(i)))
        }
        Write::Lease {
            limit,
            worker,
            now_ms,
            until_ms,
        } => rows::lease(db, *limit, worker, *now_ms, *until_ms).map(Written::Leased),
        Write::Complete(id, worker, settlement) => {
            rows::complete(db, id, worker, settlement).map(Written::Changed)
        }
        Write::GiveBack(id, worker, retry) => {
            rows::give_back(db, id, worker, retry.as_ref()).map(Written::Changed)
        }
        Write::Ping | Write::Checkpoint => Ok(Written::Done),
    };
    written.map_err(|err| unavailable(&err))
}

/// A SQLite error as the store reports it: the engine's message, which never holds values.
pub fn unavailable(err: &rusqlite::Error) -> StoreError {
    StoreError::Unavailable(err.to_string())
}
