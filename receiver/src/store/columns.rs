//! The columns of a stored request, and the one reading of a row of them that both stores share.

use super::{Status, StoredRequest};
use crate::intake::Signals;

/// The columns of a [`StoredRequest`] as both stores name them, in the order [`read_stored`]
/// reads them.
pub(super) const COLUMNS: &str = "seq, id, request_id, pkey, email, email_sha256, opt_out, \
    explicit, gpc, usp, gpp, decision, source, received_at, due_date, status, attempts, \
    applied_at, changes, reason, due_met";

/// A value both drivers can read from a column (text, 64-bit integers, booleans; `NULL` as
/// `None`).
pub(super) trait ColumnValue:
    rusqlite::types::FromSql + for<'a> tokio_postgres::types::FromSql<'a>
{
}

impl<T> ColumnValue for T where
    T: rusqlite::types::FromSql + for<'a> tokio_postgres::types::FromSql<'a>
{
}

/// A row of [`COLUMNS`] as a store's driver hands it back.
pub(super) trait ColumnRow {
    /// The driver's error.
    type Error;

    /// The value in column `index`.
    fn column<T: ColumnValue>(&self, index: usize) -> Result<T, Self::Error>;

    /// `attempts`, which each schema stores in an integer of its own width.
    fn attempts(&self, index: usize) -> Result<u32, Self::Error>;
}

/// A row of [`COLUMNS`] (in their order).
pub(super) fn read_stored<R: ColumnRow>(row: &R) -> Result<StoredRequest, R::Error> {
    let signals = Signals {
        gpc: row.column(8)?,
        usp: row.column(9)?,
        gpp: row.column(10)?,
    };
    let status: String = row.column(15)?;
    Ok(StoredRequest {
        seq: row.column(0)?,
        id: row.column(1)?,
        request_id: row.column(2)?,
        pkey: row.column(3)?,
        email: row.column(4)?,
        email_sha256: row.column(5)?,
        opt_out: row.column(6)?,
        explicit: row.column(7)?,
        signals,
        decision: row.column(11)?,
        source: row.column(12)?,
        received_at: row.column(13)?,
        due_date: row.column(14)?,
        // An unknown status can only come from another program writing the database: show it
        // as queued so that the worker looks at it again rather than losing it.
        status: Status::parse(&status).unwrap_or(Status::Queued),
        attempts: row.attempts(16)?,
        applied_at: row.column(17)?,
        changes: row.column(18)?,
        reason: row.column(19)?,
        due_met: row.column(20)?,
    })
}
