//! Settlements written together: the tries that finished while one batch was being written
//! go in the next, one statement and one commit for all (group commit, as SQLite's writer).

use deadpool_postgres::Pool;
use tokio::sync::{mpsc, oneshot};

use super::StoreError;
use super::postgres::{pool_error, unavailable};
use super::postgres_rows::{self as rows, Completion};

/// Settlements in one statement, at most.
const BATCH: usize = 256;
/// Settlements that may wait for the writer before callers wait to queue theirs.
const QUEUE: usize = 4096;

/// A settlement and where its answer goes: whether the lease still held.
pub(super) type Job = (Completion, oneshot::Sender<Result<bool, StoreError>>);

/// Starts the writer on the current runtime; it stops when the sender is dropped.
pub(super) fn start(pool: Pool) -> mpsc::Sender<Job> {
    let (jobs, queue) = mpsc::channel(QUEUE);
    tokio::spawn(run(pool, queue));
    jobs
}

async fn run(pool: Pool, mut queue: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(BATCH);
    while queue.recv_many(&mut batch, BATCH).await > 0 {
        let (completions, replies): (Vec<Completion>, Vec<_>) = batch.drain(..).unzip();
        let written = write(&pool, &completions).await;
        for (completion, reply) in completions.iter().zip(replies) {
            let answer = match &written {
                Ok(settled) => Ok(settled.contains(&completion.id)),
                Err(err) => Err(err.clone()),
            };
            let _ = reply.send(answer);
        }
    }
}

async fn write(
    pool: &Pool,
    completions: &[Completion],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let db = pool.get().await.map_err(|e| pool_error(&e))?;
    rows::complete_all(&db, completions)
        .await
        .map_err(|e| unavailable(&e))
}
