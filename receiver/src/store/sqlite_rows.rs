//! The SQLite schema and the statements of the store, with rows read back as
//! [`StoredRequest`]s.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::columns::{COLUMNS, ColumnRow, ColumnValue, read_stored};
use super::{Inserted, QueueStats, Retry, Settlement, StoredRequest};
use crate::intake::NewRequest;

/// The schema; `user_version` says which one a file has.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS requests (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    request_id     TEXT NOT NULL UNIQUE,
    subject_key    TEXT NOT NULL,
    pkey           TEXT,
    email          TEXT,
    email_sha256   TEXT,
    opt_out        INTEGER NOT NULL,
    explicit       INTEGER NOT NULL,
    gpc            INTEGER,
    usp            TEXT,
    gpp            TEXT,
    decision       TEXT,
    source         TEXT,
    received_at    TEXT NOT NULL,
    due_date       TEXT NOT NULL,
    created_ms     INTEGER NOT NULL,
    status         TEXT NOT NULL,
    settled        INTEGER NOT NULL DEFAULT 0,
    attempts       INTEGER NOT NULL DEFAULT 0,
    not_before_ms  INTEGER NOT NULL,
    lease_owner    TEXT,
    lease_until_ms INTEGER,
    applied_at     TEXT,
    changes        TEXT,
    reason         TEXT,
    due_met        INTEGER
);
-- The queue: open requests in order of arrival, and by subject (one at a time per subject).
CREATE INDEX IF NOT EXISTS open_requests ON requests(seq) WHERE settled = 0;
CREATE INDEX IF NOT EXISTS open_subjects ON requests(subject_key, seq) WHERE settled = 0;
PRAGMA user_version = 1;
";

/// SQLite's `attempts` is a 64-bit `INTEGER`: one out of `u32`'s range is an error.
impl ColumnRow for Row<'_> {
    type Error = rusqlite::Error;

    fn column<T: ColumnValue>(&self, index: usize) -> Result<T, Self::Error> {
        self.get(index)
    }

    fn attempts(&self, index: usize) -> Result<u32, Self::Error> {
        self.get(index)
    }
}

/// A row of [`COLUMNS`], as the `rusqlite` query methods take a row mapper.
fn read_row(row: &Row<'_>) -> rusqlite::Result<StoredRequest> {
    read_stored(row)
}

/// Inserts a request unless its `requestId` is known; the stored one either way.
pub fn insert(db: &Connection, request: &NewRequest, now_ms: i64) -> rusqlite::Result<Inserted> {
    let subject = request.subject_columns();
    let sql = format!(
        "INSERT INTO requests (id, request_id, subject_key, pkey, email, email_sha256, opt_out,
            explicit, gpc, usp, gpp, decision, source, received_at, due_date, created_ms, status,
            not_before_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 'queued', ?16)
         ON CONFLICT(request_id) DO NOTHING RETURNING {COLUMNS}"
    );
    let inserted = db
        .prepare_cached(&sql)?
        .query_row(
            params![
                request.id,
                request.request_id,
                request.subject_key(),
                subject.pkey,
                subject.email,
                subject.email_sha256,
                request.opt_out,
                request.explicit,
                request.signals.gpc,
                request.signals.usp,
                request.signals.gpp,
                request.decision,
                request.source,
                request.received.text,
                request.due_date.to_string(),
                now_ms,
            ],
            read_row,
        )
        .optional()?;
    match inserted {
        Some(row) => Ok(Inserted::New(row)),
        None => {
            let sql = format!("SELECT {COLUMNS} FROM requests WHERE request_id = ?1");
            let existing = db
                .prepare_cached(&sql)?
                .query_row([&request.request_id], read_row)?;
            Ok(Inserted::Existing(existing))
        }
    }
}

/// The request with this id.
pub fn get(db: &Connection, id: &str) -> rusqlite::Result<Option<StoredRequest>> {
    let sql = format!("SELECT {COLUMNS} FROM requests WHERE id = ?1");
    db.prepare_cached(&sql)?
        .query_row([id], read_row)
        .optional()
}

/// Leases up to `limit` due requests, oldest first, one per subject, none of a subject
/// already leased (see [`super::Store::lease`]).
pub fn lease(
    db: &Connection,
    limit: usize,
    worker: &str,
    now_ms: i64,
    until_ms: i64,
) -> rusqlite::Result<Vec<StoredRequest>> {
    let sql = format!(
        "WITH ready AS (
            SELECT r.seq FROM requests r
            WHERE r.settled = 0 AND r.not_before_ms <= ?1
              AND (r.lease_until_ms IS NULL OR r.lease_until_ms <= ?1)
              AND r.seq = (SELECT MIN(o.seq) FROM requests o
                           WHERE o.subject_key = r.subject_key AND o.settled = 0)
            ORDER BY r.seq LIMIT ?2)
         UPDATE requests SET lease_owner = ?3, lease_until_ms = ?4, status = 'applying'
         WHERE seq IN (SELECT seq FROM ready) RETURNING {COLUMNS}"
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut leased: Vec<StoredRequest> = db
        .prepare_cached(&sql)?
        .query_map(params![now_ms, limit, worker, until_ms], read_row)?
        .collect::<rusqlite::Result<_>>()?;
    leased.sort_by_key(|request| request.seq);
    Ok(leased)
}

/// Settles a request leased to `worker`, keeping only the SHA-256 of its email.
pub fn complete(
    db: &Connection,
    id: &str,
    worker: &str,
    settlement: &Settlement,
) -> rusqlite::Result<bool> {
    let changed = db
        .prepare_cached(
            "UPDATE requests SET status = ?3, settled = 1, email = NULL, changes = ?4, reason = ?5,
                applied_at = ?6, due_met = ?7, attempts = attempts + 1, lease_owner = NULL,
                lease_until_ms = NULL
             WHERE id = ?1 AND lease_owner = ?2 AND settled = 0",
        )?
        .execute(params![
            id,
            worker,
            settlement.status.as_str(),
            settlement.changes,
            settlement.reason,
            settlement.applied_at,
            settlement.due_met,
        ])?;
    Ok(changed == 1)
}

/// Gives a leased request back: counted as a try when `retry` is given, else released.
pub fn give_back(
    db: &Connection,
    id: &str,
    worker: &str,
    retry: Option<&Retry>,
) -> rusqlite::Result<bool> {
    let changed = match retry {
        Some(retry) => db
            .prepare_cached(
                "UPDATE requests SET status = 'retrying', attempts = attempts + 1,
                    not_before_ms = ?3, reason = ?4, lease_owner = NULL, lease_until_ms = NULL
                 WHERE id = ?1 AND lease_owner = ?2 AND settled = 0",
            )?
            .execute(params![id, worker, retry.not_before_ms, retry.reason])?,
        None => db
            .prepare_cached(
                "UPDATE requests SET lease_owner = NULL, lease_until_ms = NULL,
                    status = CASE WHEN attempts > 0 THEN 'retrying' ELSE 'queued' END
                 WHERE id = ?1 AND lease_owner = ?2 AND settled = 0",
            )?
            .execute(params![id, worker])?,
    };
    Ok(changed == 1)
}

/// Frees every lease: only for a store that one process holds, when it starts.
pub fn release_all(db: &Connection) -> rusqlite::Result<usize> {
    db.execute(
        "UPDATE requests SET lease_owner = NULL, lease_until_ms = NULL,
            status = CASE WHEN attempts > 0 THEN 'retrying' ELSE 'queued' END
         WHERE settled = 0 AND lease_owner IS NOT NULL",
        [],
    )
}

/// The queue's counts; open requests due before `today` are overdue.
pub fn stats(db: &Connection, today: &str) -> rusqlite::Result<QueueStats> {
    let total: Option<i64> = db
        .prepare_cached("SELECT MAX(seq) FROM requests")?
        .query_row([], |row| row.get(0))?;
    let (open, oldest_open_ms, overdue): (i64, Option<i64>, i64) = db
        .prepare_cached(
            "SELECT COUNT(*), MIN(created_ms), COALESCE(SUM(due_date < ?1), 0)
             FROM requests WHERE settled = 0",
        )?
        .query_row([today], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    Ok(QueueStats {
        total: total.unwrap_or(0).max(0) as u64,
        open: open.max(0) as u64,
        oldest_open_ms,
        overdue: overdue.max(0) as u64,
    })
}

/// Settled requests after `after_seq`, in order of arrival.
pub fn settled_after(
    db: &Connection,
    after_seq: i64,
    limit: usize,
) -> rusqlite::Result<Vec<StoredRequest>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM requests WHERE settled = 1 AND seq > ?1 ORDER BY seq LIMIT ?2"
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    db.prepare_cached(&sql)?
        .query_map(params![after_seq, limit], read_row)?
        .collect()
}
