//! The data file's format: JSON lines (`meta`, `put`, `delete`, `reset`), replay and snapshots.
//!
//! A crash can leave a torn last line; replay skips it, because no answer was sent for it
//! (see [`crate::journal`] for how lines become durable before answers leave).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::store::{Record, Store};

/// One journal line.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum Entry {
    /// First line of a compacted file: never reuse a sequence number below this.
    Meta { next_seq: u64 },
    /// A profile as it now is (create, patch, seed).
    Put { record: Record },
    /// A deleted profile.
    Delete { pkey: String },
    /// `POST /_emulator/reset`.
    Reset,
}

#[derive(Serialize)]
struct PutLine<'a> {
    op: &'static str,
    record: &'a Record,
}

/// The journal line for a created or changed profile.
pub fn put_line(record: &Record) -> Vec<u8> {
    line(&PutLine { op: "put", record })
}

/// The journal line for a deleted profile.
pub fn delete_line(pkey: &str) -> Vec<u8> {
    line(&Entry::Delete {
        pkey: pkey.to_owned(),
    })
}

/// The journal line for a reset.
pub fn reset_line() -> Vec<u8> {
    line(&Entry::Reset)
}

fn line(entry: &impl Serialize) -> Vec<u8> {
    // Serialising plain structs and maps into memory cannot fail.
    let mut bytes = serde_json::to_vec(entry).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Why the data file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// Reading, compacting or opening the file failed.
    #[error("data file {path}: {source}")]
    Io {
        /// The data file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// A line before the last one is not a journal entry: the file is not ours or was edited.
    #[error("data file {path}: line {line} is not a valid journal entry ({reason})")]
    Corrupt {
        /// The data file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The parse error.
        reason: String,
    },
}

/// What replay found.
#[derive(Debug)]
pub struct Replay {
    /// Whether the file held at least one entry (then it is not seeded again).
    pub had_entries: bool,
}

/// Replays the data file (if it exists) into `store`.
pub fn replay(path: &Path, store: &mut Store) -> Result<Replay, JournalError> {
    let io_error = |source| JournalError::Io {
        path: path.to_owned(),
        source,
    };
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Replay { had_entries: false }),
        Err(e) => return Err(io_error(e)),
    };
    let lines: Vec<&[u8]> = bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .collect();
    let mut had_entries = false;
    for (i, raw) in lines.iter().enumerate() {
        let entry = match serde_json::from_slice::<Entry>(raw) {
            Ok(entry) => entry,
            // A torn last line: the process died while writing it, before answering.
            Err(_) if i + 1 == lines.len() => break,
            Err(e) => {
                let reason = e.to_string();
                return Err(JournalError::Corrupt {
                    path: path.to_owned(),
                    line: i + 1,
                    reason,
                });
            }
        };
        had_entries = true;
        match entry {
            Entry::Meta { next_seq } => store.reserve_seq(next_seq),
            Entry::Put { record } => {
                store.put(record);
            }
            Entry::Delete { pkey } => {
                store.delete(&pkey);
            }
            Entry::Reset => store.clear(),
        }
    }
    Ok(Replay { had_entries })
}

/// Every live profile as journal lines, headed by the sequence number to continue from.
pub fn snapshot(store: &Store) -> Vec<u8> {
    let mut bytes = line(&Entry::Meta {
        next_seq: store.next_seq(),
    });
    for record in store.starting_at(0) {
        bytes.extend_from_slice(&put_line(record));
    }
    bytes
}

/// Replaces the file with `snapshot` atomically: temp file, fsync, rename, fsync of the directory.
pub fn replace_with(path: &Path, snapshot: &[u8]) -> io::Result<()> {
    let mut temp_name = path.as_os_str().to_owned();
    temp_name.push(".compacting");
    let temp = PathBuf::from(temp_name);
    let mut file = File::create(&temp)?;
    file.write_all(snapshot)?;
    file.sync_all()?;
    fs::rename(&temp, path)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    File::open(dir)?.sync_all()
}

/// Rewrites the file with only the live profiles; returns the new file's size.
pub fn compact(path: &Path, store: &Store) -> Result<u64, JournalError> {
    let snapshot = snapshot(store);
    replace_with(path, &snapshot).map_err(|source| JournalError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(snapshot.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, json};

    #[test]
    fn replay_skips_a_torn_last_line_but_not_a_corrupt_middle_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.jsonl");
        let mut store = Store::default();
        let record = store
            .create(
                json!({"email": "a@example.com"})
                    .as_object()
                    .cloned()
                    .unwrap(),
                1,
            )
            .clone();
        let mut file = put_line(&record);
        file.extend_from_slice(br#"{"op":"put","record":{"seq":1,"pk"#);
        fs::write(&path, &file).unwrap();

        let mut replayed = Store::default();
        assert!(replay(&path, &mut replayed).unwrap().had_entries);
        assert_eq!(replayed.get(&record.pkey), Some(&record));

        let mut corrupt = b"garbage\n".to_vec();
        corrupt.extend_from_slice(&put_line(&record));
        fs::write(&path, &corrupt).unwrap();
        assert!(matches!(
            replay(&path, &mut Store::default()),
            Err(JournalError::Corrupt { line: 1, .. })
        ));
    }

    #[test]
    fn compaction_keeps_live_profiles_and_the_sequence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.jsonl");
        let mut store = Store::default();
        let gone = store.create(Map::new(), 1).pkey.clone();
        let kept = store.create(Map::new(), 2).clone();
        store.delete(&gone);
        compact(&path, &store).unwrap();
        let mut replayed = Store::default();
        replay(&path, &mut replayed).unwrap();
        assert_eq!(replayed.len(), 1);
        assert_eq!(replayed.get(&kept.pkey), Some(&kept));
        assert_eq!(replayed.next_seq(), 2);
    }
}
