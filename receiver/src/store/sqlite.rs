//! [`SqliteStore`]: the embedded store, one file in WAL mode with `synchronous=FULL`, one
//! writer thread (group commit) and a few read connections.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ccpa_optout::Date;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot};

use super::sqlite_rows as rows;
use super::sqlite_writer::{self, Job, Write, Written, unavailable};
use super::{
    Inserted, QueueStats, Retry, Settlement, Store, StoreError, StoreFuture, StoredRequest,
};
use crate::intake::NewRequest;

/// Read connections (status reads, metrics and export run beside the writer in WAL mode).
const READERS: usize = 2;
/// Writes that may wait for the writer before callers wait to queue theirs.
const QUEUE: usize = 16_384;

/// The SQLite store. One receiver process per file: opening it takes `PATH.lock`, which lets
/// the store free the leases a killed predecessor left at once instead of after they expire.
pub struct SqliteStore {
    writes: Option<mpsc::Sender<Job>>,
    writer: Option<std::thread::JoinHandle<()>>,
    readers: Arc<Vec<Mutex<Connection>>>,
    next_reader: AtomicUsize,
    path: PathBuf,
    // Held for the life of the store: the lock is released when the file is closed.
    _lock: Option<File>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating) the store at `path` for a receiver: locks it, sets WAL and
    /// `synchronous=FULL`, creates the schema and frees leftover leases.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref().to_owned();
        let lock = lock_file(&path)?;
        let db = connection(&path, OpenFlags::default())?;
        db.execute_batch(rows::SCHEMA)
            .map_err(|e| unavailable(&e))?;
        rows::release_all(&db).map_err(|e| unavailable(&e))?;
        let (writes, jobs) = mpsc::channel(QUEUE);
        let writer = std::thread::Builder::new()
            .name("receiver-store".to_owned())
            .spawn(move || sqlite_writer::run(db, jobs))
            .map_err(|e| StoreError::Unavailable(format!("cannot start the writer: {e}")))?;
        Ok(SqliteStore {
            writes: Some(writes),
            writer: Some(writer),
            readers: readers(&path, OpenFlags::default())?,
            next_reader: AtomicUsize::new(0),
            path,
            _lock: Some(lock),
        })
    }

    /// Opens an existing store to read it (audit export), even while a receiver runs on it.
    /// Writes through this store fail.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref().to_owned();
        if !path.exists() {
            return Err(StoreError::Config(format!(
                "no store at {}",
                path.display()
            )));
        }
        Ok(SqliteStore {
            writes: None,
            writer: None,
            readers: readers(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?,
            next_reader: AtomicUsize::new(0),
            path,
            _lock: None,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write(&self, write: Write) -> StoreFuture<'_, Written> {
        Box::pin(async move {
            let writes = self
                .writes
                .as_ref()
                .ok_or_else(|| StoreError::Config("this store was opened read-only".to_owned()))?;
            let (reply, answer) = oneshot::channel();
            writes.send((write, reply)).await.map_err(|_| {
                StoreError::Unavailable("the store's writer has stopped".to_owned())
            })?;
            answer
                .await
                .map_err(|_| StoreError::Unavailable("the store's writer has stopped".to_owned()))?
        })
    }

    fn read<T, F>(&self, query: F) -> StoreFuture<'_, T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let index = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        let readers = Arc::clone(&self.readers);
        Box::pin(async move {
            // SQLite calls block: run them on the blocking pool.
            tokio::task::spawn_blocking(move || {
                let reader = readers[index]
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                query(&reader).map_err(|e| unavailable(&e))
            })
            .await
            .map_err(|_| StoreError::Unavailable("a store read was cancelled".to_owned()))?
        })
    }
}

/// Waits for the writer to commit what it holds and close the file, then unlocks it.
impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.writes.take();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

impl Store for SqliteStore {
    fn insert(&self, request: NewRequest, now_ms: i64) -> StoreFuture<'_, Inserted> {
        Box::pin(async move {
            match self.write(Write::Insert(Box::new(request), now_ms)).await? {
                Written::Inserted(inserted) => Ok(*inserted),
                _ => Err(mismatch()),
            }
        })
    }

    fn get(&self, id: String) -> StoreFuture<'_, Option<StoredRequest>> {
        self.read(move |db| rows::get(db, &id))
    }

    fn lease(
        &self,
        limit: usize,
        worker: String,
        now_ms: i64,
        until_ms: i64,
    ) -> StoreFuture<'_, Vec<StoredRequest>> {
        Box::pin(async move {
            let write = Write::Lease {
                limit,
                worker,
                now_ms,
                until_ms,
            };
            match self.write(write).await? {
                Written::Leased(leased) => Ok(leased),
                _ => Err(mismatch()),
            }
        })
    }

    fn complete(
        &self,
        id: String,
        worker: String,
        settlement: Settlement,
    ) -> StoreFuture<'_, bool> {
        changed(self.write(Write::Complete(id, worker, settlement)))
    }

    fn give_back(&self, id: String, worker: String, retry: Option<Retry>) -> StoreFuture<'_, bool> {
        changed(self.write(Write::GiveBack(id, worker, retry)))
    }

    fn stats(&self, today: Date) -> StoreFuture<'_, QueueStats> {
        let today = today.to_string();
        self.read(move |db| rows::stats(db, &today))
    }

    fn settled_after(&self, after_seq: i64, limit: usize) -> StoreFuture<'_, Vec<StoredRequest>> {
        self.read(move |db| rows::settled_after(db, after_seq, limit))
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move { self.write(Write::Ping).await.map(|_| ()) })
    }

    fn maintain(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move { self.write(Write::Checkpoint).await.map(|_| ()) })
    }
}

fn changed(write: StoreFuture<'_, Written>) -> StoreFuture<'_, bool> {
    Box::pin(async move {
        match write.await? {
            Written::Changed(changed) => Ok(changed),
            _ => Err(mismatch()),
        }
    })
}

fn mismatch() -> StoreError {
    StoreError::Unavailable("the store's writer gave an unexpected answer".to_owned())
}

fn connection(path: &Path, flags: OpenFlags) -> Result<Connection, StoreError> {
    let db = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
    db.busy_timeout(Duration::from_secs(5))
        .map_err(|e| unavailable(&e))?;
    // WAL: readers never wait for the writer. FULL: each commit reaches the disk before the
    // writer answers, so an acknowledged request survives a power cut as well as kill -9.
    // secure_delete: the bytes of an erased email are overwritten, not left in a free page.
    let pragmas: &[(&str, &str)] = if flags.contains(OpenFlags::SQLITE_OPEN_READ_ONLY) {
        &[("query_only", "ON")]
    } else {
        &[
            ("journal_mode", "WAL"),
            ("synchronous", "FULL"),
            ("secure_delete", "ON"),
            // 16 MiB of pages per connection instead of 2: the open part of the queue and
            // its indexes stay in memory rather than being read back from the OS each time.
            ("cache_size", "-16384"),
            ("temp_store", "MEMORY"),
        ]
    };
    for (name, value) in pragmas {
        db.pragma_update(None, name, value)
            .map_err(|e| unavailable(&e))?;
    }
    Ok(db)
}

fn readers(path: &Path, flags: OpenFlags) -> Result<Arc<Vec<Mutex<Connection>>>, StoreError> {
    let readers = (0..READERS)
        .map(|_| connection(path, flags).map(Mutex::new))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(readers))
}

fn lock_file(path: &Path) -> Result<File, StoreError> {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let file = File::create(&name)
        .map_err(|e| StoreError::Unavailable(format!("cannot create the lock file: {e}")))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Config(format!(
            "{} is in use by another receiver (one receiver per SQLite store)",
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(StoreError::Unavailable(format!(
            "cannot lock the store: {e}"
        ))),
    }
}
