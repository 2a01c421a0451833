//! Which requests are settled: read back from an audit log, then kept up to date during a run.
//!
//! Request ids are kept as 63-bit keyed fingerprints (8 bytes each) rather than strings, so
//! a million settled requests take about 18 MB. The keys are random per process, so nobody
//! can craft two ids that collide; an accidental collision among a million ids has a
//! probability around 10⁻⁷.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::io::{self, BufRead, BufReader, Read};

use ccpa_optout::AuditOutcome;
use serde::Deserialize;

/// What an id was seen as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Not seen: apply it.
    New,
    /// Settled by a record from an earlier run.
    SettledBefore,
    /// Already taken up in this run (the file repeats it).
    Repeated,
}

/// The set of request ids that must not be applied again.
#[derive(Default)]
pub struct Settled {
    keys: RandomState,
    ids: HashSet<u64, BuildHasherDefault<PassThrough>>,
}

impl Settled {
    /// Marks `id` as taken up in this run, telling whether it was seen before.
    pub fn take(&mut self, id: &str) -> Seen {
        let fingerprint = self.fingerprint(id);
        if self.ids.contains(&fingerprint) {
            return Seen::SettledBefore;
        }
        if !self.ids.insert(fingerprint | 1) {
            return Seen::Repeated;
        }
        Seen::New
    }

    /// Marks `id` as settled by an earlier run.
    fn settle(&mut self, id: &str) {
        let fingerprint = self.fingerprint(id);
        self.ids.insert(fingerprint);
    }

    /// A keyed 64-bit hash with its low bit cleared: the low bit records where it came from.
    fn fingerprint(&self, id: &str) -> u64 {
        self.keys.hash_one(id) & !1
    }

    /// How many ids are held.
    pub fn len(&self) -> usize {
        self.ids.len()
    }
}

/// The fingerprints are already uniform hashes: the set need not hash them again.
#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// What reading an audit log found.
#[derive(Default)]
pub struct AuditHistory {
    /// Requests with a settling record.
    pub settled: Settled,
    /// Records read.
    pub records: u64,
    /// Of those, `failed` ones (their requests are tried again).
    pub failed: u64,
    /// The length of the log up to its last complete line: a torn last line (a run killed in
    /// the middle of a write) is cut there, and its request is done again.
    pub complete_len: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordKey {
    request_id: String,
    /// Any record kind's outcome: the opt-out's (`applied`, …) or a privacy request's
    /// (`submitted`, …); all share `failed` for "still open".
    outcome: String,
}

/// Reads an audit log line by line (memory stays flat whatever its size).
pub fn read_history(log: impl Read) -> Result<AuditHistory, String> {
    let mut reader = BufReader::with_capacity(64 * 1024, log);
    let mut history = AuditHistory::default();
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| io_message(&e))?;
        if read == 0 {
            return Ok(history);
        }
        number += 1;
        if line.last() != Some(&b'\n') {
            return Ok(history); // torn: written by a run killed mid-write
        }
        history.complete_len += read as u64;
        if line.trim_ascii().is_empty() {
            continue;
        }
        let key: RecordKey = serde_json::from_slice(&line).map_err(|_| {
            format!("line {number} is not an audit record; is this the right file?")
        })?;
        history.records += 1;
        if key.outcome != AuditOutcome::Failed.as_str() {
            history.settled.settle(&key.request_id);
        } else {
            history.failed += 1;
        }
    }
}

fn io_message(err: &io::Error) -> String {
    format!("the audit log cannot be read: {err}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settled_and_repeated_ids_are_told_apart() {
        let mut settled = Settled::default();
        settled.settle("a");
        assert_eq!(settled.take("a"), Seen::SettledBefore);
        assert_eq!(settled.take("b"), Seen::New);
        assert_eq!(settled.take("b"), Seen::Repeated);
        assert_eq!(settled.take("a"), Seen::SettledBefore);
    }

    #[test]
    fn failed_records_do_not_settle_and_a_torn_line_is_cut() {
        let log = concat!(
            "{\"requestId\":\"r1\",\"outcome\":\"applied\"}\n",
            "{\"requestId\":\"r2\",\"outcome\":\"failed\"}\n",
            "{\"requestId\":\"r3\",\"outco"
        );
        let mut history = read_history(log.as_bytes()).unwrap();
        assert_eq!(history.records, 2);
        assert_eq!(history.failed, 1);
        assert_eq!(history.complete_len, log.rfind('\n').unwrap() as u64 + 1);
        assert_eq!(history.settled.take("r1"), Seen::SettledBefore);
        assert_eq!(history.settled.take("r2"), Seen::New);
        assert_eq!(history.settled.take("r3"), Seen::New);
    }

    #[test]
    fn a_foreign_line_in_the_middle_is_an_error() {
        let log = "{\"requestId\":\"r1\",\"outcome\":\"applied\"}\nnot json\n{}\n";
        let Err(why) = read_history(log.as_bytes()) else {
            panic!("a foreign line was accepted");
        };
        assert!(why.contains("line 2"));
    }
}
