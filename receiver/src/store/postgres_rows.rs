//! The PostgreSQL schema (versioned migrations) and the statements of the store, with rows
//! read back as [`StoredRequest`]s.

use std::collections::HashSet;

use deadpool_postgres::ClientWrapper;
use tokio_postgres::Row;

use super::columns::{COLUMNS, ColumnRow, ColumnValue, read_stored};
use super::{Inserted, QueueStats, Retry, Settlement, StoredRequest};
use crate::intake::NewRequest;

/// The first key of the advisory locks the store takes (`pg_advisory_lock(LOCK_CLASS, key)`):
/// one for migrations, and one per running store with its own second key.
pub const LOCK_CLASS: i32 = 0x0CCA_0717;
/// The second key of the lock that serialises migrations.
pub const MIGRATION_LOCK: i32 = 0;

/// The migrations, in order; each runs once per database, in one transaction with its record
/// in `ccpa_optout.migrations`. Append new ones; never edit one that has shipped.
pub const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "CREATE TABLE ccpa_optout.requests (
        seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id             TEXT NOT NULL UNIQUE,
        request_id     TEXT NOT NULL UNIQUE,
        subject_key    TEXT NOT NULL,
        pkey           TEXT,
        email          TEXT,
        email_sha256   TEXT,
        opt_out        BOOLEAN NOT NULL,
        explicit       BOOLEAN NOT NULL,
        gpc            BOOLEAN,
        usp            TEXT,
        gpp            TEXT,
        decision       TEXT,
        source         TEXT,
        received_at    TEXT NOT NULL,
        due_date       TEXT NOT NULL,
        created_ms     BIGINT NOT NULL,
        status         TEXT NOT NULL,
        settled        BOOLEAN NOT NULL DEFAULT FALSE,
        attempts       INTEGER NOT NULL DEFAULT 0,
        not_before_ms  BIGINT NOT NULL,
        lease_owner    TEXT,
        lease_until_ms BIGINT,
        -- The store holding the lease (the second key of its advisory lock): while that lock
        -- is held the store's process lives; once it is gone the lease may be taken over.
        lease_store    INTEGER,
        applied_at     TEXT,
        changes        TEXT,
        reason         TEXT,
        due_met        BOOLEAN
    );
    -- The queue: open requests in order of arrival, and by subject (one at a time per subject).
    CREATE INDEX open_requests ON ccpa_optout.requests (seq) WHERE NOT settled;
    CREATE INDEX open_subjects ON ccpa_optout.requests (subject_key, seq) WHERE NOT settled;
    -- The second keys of the stores' advisory locks.
    CREATE SEQUENCE ccpa_optout.store_keys AS INTEGER CYCLE;",
    ),
    (
        2,
        "-- The leases stores hold (a few rows): read at every lease to find a dead store's.
    CREATE INDEX held_leases ON ccpa_optout.requests (lease_store)
        WHERE NOT settled AND lease_store IS NOT NULL;",
    ),
];

/// How long a dead store's leases wait before another store takes them, in milliseconds.
///
/// A receiver killed while its PATCH was on the wire does not take the PATCH back: the server
/// may still apply it after the kill (it does not know its client died). Taken over at once,
/// the request would be read before that PATCH landed and written a second time. Waiting a
/// few seconds from the death lets what was sent land first; the next holder's read then sees
/// it, and nothing is written twice.
pub const DEAD_STORE_GRACE_MS: i64 = 3_000;

/// Creates the schema and the migration record, then applies what is missing, one
/// transaction per migration, under an advisory lock so that receivers starting together
/// do not race. Returns the database's version.
pub async fn migrate(db: &mut tokio_postgres::Client) -> Result<i32, tokio_postgres::Error> {
    db.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS ccpa_optout;
         CREATE TABLE IF NOT EXISTS ccpa_optout.migrations (
             version    INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         );",
    )
    .await
    .or_else(already_created)?;
    let mut version = 0;
    for (number, sql) in MIGRATIONS {
        let tx = db.transaction().await?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1, $2)",
            &[&LOCK_CLASS, &MIGRATION_LOCK],
        )
        .await?;
        let done = tx
            .query_opt(
                "SELECT 1 FROM ccpa_optout.migrations WHERE version = $1",
                &[number],
            )
            .await?
            .is_some();
        if !done {
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO ccpa_optout.migrations (version) VALUES ($1)",
                &[number],
            )
            .await?;
        }
        tx.commit().await?;
        version = *number;
    }
    Ok(version)
}

/// Two receivers creating the schema at the same instant: one of them gets a unique
/// violation on the catalog; the other one's schema is the one wanted.
fn already_created(err: tokio_postgres::Error) -> Result<(), tokio_postgres::Error> {
    match err.code() {
        Some(code) if *code == tokio_postgres::error::SqlState::UNIQUE_VIOLATION => Ok(()),
        _ => Err(err),
    }
}

/// PostgreSQL's `attempts` is an `INTEGER` (32 bits, signed).
impl ColumnRow for Row {
    type Error = tokio_postgres::Error;

    fn column<T: ColumnValue>(&self, index: usize) -> Result<T, Self::Error> {
        self.try_get(index)
    }

    fn attempts(&self, index: usize) -> Result<u32, Self::Error> {
        let attempts: i32 = self.try_get(index)?;
        Ok(u32::try_from(attempts).unwrap_or(0))
    }
}

fn read_rows(rows: &[Row]) -> Result<Vec<StoredRequest>, tokio_postgres::Error> {
    rows.iter().map(read_stored).collect()
}

/// Inserts a request unless its `requestId` is known; the stored one either way. A
/// concurrent insert of the same `requestId` on another receiver waits for that one to
/// commit, then finds it.
pub async fn insert(
    db: &ClientWrapper,
    request: &NewRequest,
    now_ms: i64,
) -> Result<Inserted, tokio_postgres::Error> {
    let subject = request.subject_columns();
    let sql = format!(
        "INSERT INTO ccpa_optout.requests (id, request_id, subject_key, pkey, email, email_sha256,
            opt_out, explicit, gpc, usp, gpp, decision, source, received_at, due_date, created_ms,
            status, not_before_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'queued', $16)
         ON CONFLICT (request_id) DO NOTHING RETURNING {COLUMNS}"
    );
    let inserted = db
        .query_opt(
            &db.prepare_cached(&sql).await?,
            &[
                &request.id,
                &request.request_id,
                &request.subject_key(),
                &subject.pkey,
                &subject.email,
                &subject.email_sha256,
                &request.opt_out,
                &request.explicit,
                &request.signals.gpc,
                &request.signals.usp,
                &request.signals.gpp,
                &request.decision,
                &request.source,
                &request.received.text,
                &request.due_date.to_string(),
                &now_ms,
            ],
        )
        .await?;
    match inserted {
        Some(row) => Ok(Inserted::New(read_stored(&row)?)),
        None => {
            let sql = format!("SELECT {COLUMNS} FROM ccpa_optout.requests WHERE request_id = $1");
            let row = db
                .query_one(&db.prepare_cached(&sql).await?, &[&request.request_id])
                .await?;
            Ok(Inserted::Existing(read_stored(&row)?))
        }
    }
}

/// The request with this id.
pub async fn get(
    db: &ClientWrapper,
    id: &str,
) -> Result<Option<StoredRequest>, tokio_postgres::Error> {
    let sql = format!("SELECT {COLUMNS} FROM ccpa_optout.requests WHERE id = $1");
    db.query_opt(&db.prepare_cached(&sql).await?, &[&id])
        .await?
        .as_ref()
        .map(read_stored)
        .transpose()
}

/// Leases up to `limit` due requests, oldest first, one per subject, none of a subject
/// already leased (see [`super::Store::lease`]). A lease is free when it was never taken or
/// when it ran out. One held by a store that no longer holds its advisory lock (its process
/// died: PostgreSQL ended its session) is shortened to run out [`DEAD_STORE_GRACE_MS`] from
/// now, so a dead receiver's work is taken over seconds after its death, not minutes.
/// `SKIP LOCKED` lets receivers lease at the same time without waiting for each other; a row
/// another one leased meanwhile is checked again on its new version and left out.
pub async fn lease(
    db: &ClientWrapper,
    limit: usize,
    worker: &str,
    store_key: i32,
    now_ms: i64,
    until_ms: i64,
) -> Result<Vec<StoredRequest>, tokio_postgres::Error> {
    let sql = format!(
        "WITH live AS MATERIALIZED (
            SELECT l.objid::bigint AS store FROM pg_locks l
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $6::bigint::oid
              AND l.objsubid = 2
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())),
         orphaned AS (
            UPDATE ccpa_optout.requests o
               SET lease_store = NULL, lease_until_ms = $1::bigint + $7::bigint
             WHERE NOT o.settled AND o.lease_store IS NOT NULL AND o.lease_until_ms > $1::bigint + $7::bigint
               AND o.lease_store::bigint NOT IN (SELECT store FROM live)),
         ready AS (
            SELECT r.seq FROM ccpa_optout.requests r
            WHERE NOT r.settled AND r.not_before_ms <= $1
              AND (r.lease_owner IS NULL OR r.lease_until_ms <= $1)
              AND r.seq = (SELECT MIN(o.seq) FROM ccpa_optout.requests o
                           WHERE o.subject_key = r.subject_key AND NOT o.settled)
            ORDER BY r.seq LIMIT $2
            FOR UPDATE OF r SKIP LOCKED)
         UPDATE ccpa_optout.requests t
            SET lease_owner = $3, lease_store = $4, lease_until_ms = $5, status = 'applying'
         FROM ready WHERE t.seq = ready.seq RETURNING {}",
        qualified_columns("t")
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = db
        .query(
            &sql,
            &[
                &now_ms,
                &limit,
                &worker,
                &store_key,
                &until_ms,
                &i64::from(LOCK_CLASS),
                &DEAD_STORE_GRACE_MS,
            ],
        )
        .await?;
    let mut leased = read_rows(&rows)?;
    leased.sort_by_key(|request| request.seq);
    Ok(leased)
}

/// [`COLUMNS`], each prefixed with a table alias (an `UPDATE … FROM` names two tables).
fn qualified_columns(alias: &str) -> String {
    COLUMNS
        .split(", ")
        .map(|column| format!("{alias}.{}", column.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A settlement of a request leased to `worker`, for [`complete_all`].
#[derive(Debug)]
pub struct Completion {
    /// The request.
    pub id: String,
    /// The worker holding its lease.
    pub worker: String,
    /// How it ended.
    pub settlement: Settlement,
}

/// Settles requests in one statement, each only if still leased to its worker, keeping only
/// the SHA-256 of their emails; the ids settled.
pub async fn complete_all(
    db: &ClientWrapper,
    batch: &[Completion],
) -> Result<HashSet<String>, tokio_postgres::Error> {
    let sql = "UPDATE ccpa_optout.requests t SET status = u.status, settled = TRUE, email = NULL,
            changes = u.changes, reason = u.reason, applied_at = u.applied_at,
            due_met = u.due_met, attempts = t.attempts + 1, lease_owner = NULL,
            lease_store = NULL, lease_until_ms = NULL
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::boolean[])
              AS u(id, worker, status, changes, reason, applied_at, due_met)
         WHERE t.id = u.id AND t.lease_owner = u.worker AND NOT t.settled
         RETURNING t.id";
    let column = |get: fn(&Completion) -> Option<&str>| batch.iter().map(get).collect::<Vec<_>>();
    let rows = db
        .query(
            &db.prepare_cached(sql).await?,
            &[
                &column(|c| Some(c.id.as_str())),
                &column(|c| Some(c.worker.as_str())),
                &column(|c| Some(c.settlement.status.as_str())),
                &column(|c| c.settlement.changes.as_deref()),
                &column(|c| c.settlement.reason.as_deref()),
                &column(|c| Some(c.settlement.applied_at.as_str())),
                &batch
                    .iter()
                    .map(|c| c.settlement.due_met)
                    .collect::<Vec<_>>(),
            ],
        )
        .await?;
    rows.iter().map(|row| row.try_get(0)).collect()
}

/// Gives a leased request back: counted as a try when `retry` is given, else released.
pub async fn give_back(
    db: &ClientWrapper,
    id: &str,
    worker: &str,
    retry: Option<&Retry>,
) -> Result<bool, tokio_postgres::Error> {
    let changed = match retry {
        Some(retry) => {
            let sql =
                "UPDATE ccpa_optout.requests SET status = 'retrying', attempts = attempts + 1,
                    not_before_ms = $3, reason = $4, lease_owner = NULL, lease_store = NULL,
                    lease_until_ms = NULL
                 WHERE id = $1 AND lease_owner = $2 AND NOT settled";
            db.execute(
                &db.prepare_cached(sql).await?,
                &[&id, &worker, &retry.not_before_ms, &retry.reason],
            )
            .await?
        }
        None => {
            let sql = "UPDATE ccpa_optout.requests SET lease_owner = NULL, lease_store = NULL,
                    lease_until_ms = NULL,
                    status = CASE WHEN attempts > 0 THEN 'retrying' ELSE 'queued' END
                 WHERE id = $1 AND lease_owner = $2 AND NOT settled";
            db.execute(&db.prepare_cached(sql).await?, &[&id, &worker])
                .await?
        }
    };
    Ok(changed == 1)
}

/// The queue's counts; open requests due before `today` are overdue.
pub async fn stats(db: &ClientWrapper, today: &str) -> Result<QueueStats, tokio_postgres::Error> {
    let sql = "SELECT (SELECT COALESCE(MAX(seq), 0) FROM ccpa_optout.requests),
            COUNT(*), MIN(created_ms), COUNT(*) FILTER (WHERE due_date < $1)
         FROM ccpa_optout.requests WHERE NOT settled";
    let row = db
        .query_one(&db.prepare_cached(sql).await?, &[&today])
        .await?;
    let count = |index: usize| -> Result<u64, tokio_postgres::Error> {
        Ok(u64::try_from(row.try_get::<_, i64>(index)?).unwrap_or(0))
    };
    Ok(QueueStats {
        total: count(0)?,
        open: count(1)?,
        oldest_open_ms: row.try_get(2)?,
        overdue: count(3)?,
    })
}

/// Settled requests after `after_seq`, in order of arrival.
pub async fn settled_after(
    db: &ClientWrapper,
    after_seq: i64,
    limit: usize,
) -> Result<Vec<StoredRequest>, tokio_postgres::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM ccpa_optout.requests WHERE settled AND seq > $1
         ORDER BY seq LIMIT $2"
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    read_rows(
        &db.query(&db.prepare_cached(&sql).await?, &[&after_seq, &limit])
            .await?,
    )
}
