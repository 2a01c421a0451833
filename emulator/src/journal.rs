//! The open data file: group-committed, fsync'd appends, and compaction while running.
//!
//! Every acknowledged write is on disk before its answer leaves: handlers queue their journal
//! lines (in store order, under the store lock) and wait until the writer thread has written and
//! `fdatasync`ed them. Writes queued together share one sync. When the file has grown well past
//! the live data, the writer replaces it with a snapshot taken under the same lock, so the
//! snapshot holds exactly the lines queued before it.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

use tokio::sync::oneshot;

use crate::persist::{self, JournalError};

/// Compact only when the appended bytes are also this many times the last snapshot.
const COMPACT_RATIO: u64 = 2;

/// Work for the writer thread, in store order.
enum Job {
    /// Lines to append, and who to tell once they are durable.
    Append {
        lines: Vec<u8>,
        done: oneshot::Sender<io::Result<()>>,
    },
    /// A snapshot of the store after every earlier job: replace the file with it.
    Compact { snapshot: Vec<u8> },
}

/// The open journal.
#[derive(Debug)]
pub struct Journal {
    queue: mpsc::Sender<Job>,
    appended: u64,
    snapshot_size: u64,
    compact_after: u64,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Append { lines, .. } => write!(f, "Append({} bytes)", lines.len()),
            Job::Compact { snapshot } => write!(f, "Compact({} bytes)", snapshot.len()),
        }
    }
}

impl Journal {
    /// Opens the (freshly compacted, `snapshot_size` bytes) file for appending and starts the
    /// writer; compaction is wanted after `compact_after` appended bytes.
    pub fn open(
        path: &Path,
        snapshot_size: u64,
        compact_after: u64,
    ) -> Result<Journal, JournalError> {
        let io_error = |source| JournalError::Io {
            path: path.to_owned(),
            source,
        };
        let file = open_append(path).map_err(io_error)?;
        let (queue, jobs) = mpsc::channel::<Job>();
        let owned = path.to_owned();
        thread::Builder::new()
            .name("acs-emulator-journal".to_owned())
            .spawn(move || write_jobs(owned, file, jobs))
            .map_err(io_error)?;
        Ok(Journal {
            queue,
            appended: 0,
            snapshot_size,
            compact_after,
        })
    }

    /// Queues lines; the receiver resolves once they are written and synced.
    /// Call it while holding the store's write lock, so that the journal order is the store's.
    pub fn submit(&mut self, lines: Vec<u8>) -> oneshot::Receiver<io::Result<()>> {
        let (done, receiver) = oneshot::channel();
        self.appended += lines.len() as u64;
        // If the writer thread is gone, `done` is dropped and the receiver reports it.
        let _ = self.queue.send(Job::Append { lines, done });
        receiver
    }

    /// Whether the file has grown enough to be worth rewriting.
    pub fn wants_compaction(&self) -> bool {
        self.appended > self.compact_after && self.appended > COMPACT_RATIO * self.snapshot_size
    }

    /// Queues a snapshot (taken under the store lock, after every submitted line).
    pub fn compact(&mut self, snapshot: Vec<u8>) {
        self.appended = 0;
        self.snapshot_size = snapshot.len() as u64;
        let _ = self.queue.send(Job::Compact { snapshot });
    }
}

fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new().append(true).create(true).open(path)
}

/// The writer thread: take everything queued, append it with one `fdatasync`, acknowledge;
/// a compaction first makes the appends before it durable, then swaps the file.
fn write_jobs(path: PathBuf, mut file: File, jobs: mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut waiting: Vec<oneshot::Sender<io::Result<()>>> = Vec::new();
        let mut buffer = Vec::new();
        for job in std::iter::once(first).chain(jobs.try_iter()) {
            match job {
                Job::Append { lines, done } => {
                    buffer.extend_from_slice(&lines);
                    waiting.push(done);
                }
                Job::Compact { snapshot } => {
                    flush(&mut file, &mut buffer, &mut waiting);
                    // On failure the old file stays in use: it still holds everything.
                    if persist::replace_with(&path, &snapshot).is_ok()
                        && let Ok(reopened) = open_append(&path)
                    {
                        file = reopened;
                    }
                }
            }
        }
        flush(&mut file, &mut buffer, &mut waiting);
    }
}

fn flush(
    file: &mut File,
    buffer: &mut Vec<u8>,
    waiting: &mut Vec<oneshot::Sender<io::Result<()>>>,
) {
    if waiting.is_empty() {
        return;
    }
    let result = file.write_all(buffer).and_then(|()| file.sync_data());
    for done in waiting.drain(..) {
        let outcome = match &result {
            Ok(()) => Ok(()),
            Err(e) => Err(io::Error::new(e.kind(), e.to_string())),
        };
        let _ = done.send(outcome);
    }
    buffer.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use serde_json::{Map, Value};

    #[tokio::test]
    async fn compaction_while_running_keeps_every_acknowledged_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.jsonl");
        let mut store = Store::default();
        let size = persist::compact(&path, &store).unwrap();
        let mut journal = Journal::open(&path, size, 2_000).unwrap();
        let pkey = store.create(Map::new(), 1).pkey.clone();
        let mut compactions = 0;
        for n in 0..200 {
            let mut change = Map::new();
            change.insert("externalId".into(), Value::from(format!("n{n}")));
            let record = store.patch(&pkey, change, 2 + n).unwrap();
            let durable = journal.submit(persist::put_line(record));
            if journal.wants_compaction() {
                journal.compact(persist::snapshot(&store));
                compactions += 1;
            }
            durable.await.unwrap().unwrap();
        }
        assert!(compactions > 3, "{compactions}");
        let file_size = std::fs::metadata(&path).unwrap().len();
        assert!(file_size < 20_000, "the file stays small: {file_size}");
        let mut replayed = Store::default();
        persist::replay(&path, &mut replayed).unwrap();
        assert_eq!(replayed.get(&pkey).unwrap().text("externalId"), "n199");
        assert_eq!(replayed.next_seq(), 1);
    }
}
