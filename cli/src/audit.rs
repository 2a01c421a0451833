//! The audit log: an append-only JSONL file, one record written (and handed to the OS) per
//! settled request, locked against a second run appending to it at the same time.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::args::RunFiles;
use crate::failure::Failure;
use crate::resume::{AuditHistory, read_history};

/// An open audit log of any record kind that has a `requestId` and an `outcome` (`failed`
/// leaves a request open; every other outcome settles it).
pub struct AuditLog {
    file: File,
    path: PathBuf,
    line: Vec<u8>,
}

/// How to treat what is already in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// A non-empty log is an error: appending to a log by accident would mix two runs.
    Refuse,
    /// Continue it: read which requests are settled.
    Resume,
    /// Empty it first (demo runs against the embedded emulator, whose data starts afresh).
    Replace,
}

impl AuditLog {
    /// Opens (creating) the log at `path`, locks it, and reads it back when resuming.
    pub fn open(path: &Path, existing: Existing) -> Result<(AuditLog, AuditHistory), Failure> {
        let shown = path.display();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| Failure::usage(format!("cannot open the audit log {shown}: {e}")))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(Failure::usage(format!(
                    "the audit log {shown} is in use by another ccpa-optout run"
                )));
            }
            Err(TryLockError::Error(e)) => {
                return Err(Failure::usage(format!(
                    "cannot lock the audit log {shown}: {e}"
                )));
            }
        }
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let history = match existing {
            _ if size == 0 => AuditHistory::default(),
            Existing::Refuse => {
                return Err(Failure::usage(format!(
                    "the audit log {shown} already has records: pass --resume to continue that \
                     run, or --audit with a new file to start another"
                )));
            }
            Existing::Replace => {
                file.set_len(0).map_err(|e| write_failure(path, &e))?;
                AuditHistory::default()
            }
            Existing::Resume => {
                file.seek(SeekFrom::Start(0))
                    .map_err(|e| write_failure(path, &e))?;
                let history = read_history((&mut file).take(size))
                    .map_err(|why| Failure::usage(format!("{shown}: {why}")))?;
                if history.complete_len < size {
                    // A torn last line: cut it so the next record starts on a line of its own.
                    file.set_len(history.complete_len)
                        .map_err(|e| write_failure(path, &e))?;
                }
                history
            }
        };
        Ok((
            AuditLog {
                file,
                path: path.to_owned(),
                line: Vec::with_capacity(1024),
            },
            history,
        ))
    }

    /// Appends one record as one line in a single write, so a crash leaves at most a torn
    /// last line and never interleaves records.
    pub fn append(&mut self, record: &impl Serialize) -> Result<(), Failure> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, record)
            .map_err(|_| Failure::failed("an audit record could not be serialized"))?;
        self.line.push(b'\n');
        self.file
            .write_all(&self.line)
            .map_err(|e| write_failure(&self.path, &e))
    }

    /// Flushes the log to disk (at the end of a run).
    pub fn sync(&self) -> Result<(), Failure> {
        self.file
            .sync_data()
            .map_err(|e| write_failure(&self.path, &e))
    }

    /// Where the log is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn write_failure(path: &Path, err: &io::Error) -> Failure {
    Failure::failed(format!(
        "cannot write the audit log {}: {err}",
        path.display()
    ))
}

/// The log of a run (`--audit`, else [`default_path`]) and what to do with what it holds:
/// `--resume` continues it, a demo run's own log is replaced, any other must be empty.
pub fn run_log(
    files: &RunFiles,
    input: &Path,
    resume: bool,
    emulator: bool,
) -> (PathBuf, Existing) {
    let path = files
        .audit
        .clone()
        .unwrap_or_else(|| default_path(input, emulator));
    let existing = if resume {
        Existing::Resume
    } else if emulator && files.audit.is_none() {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    (path, existing)
}

/// The log's path: `--audit`, else `<input>.audit.jsonl` next to the input, or for a demo
/// run against the embedded emulator a file in the temporary directory.
pub fn default_path(input: &Path, emulator: bool) -> PathBuf {
    let name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "requests".to_owned());
    if emulator {
        std::env::temp_dir().join(format!("ccpa-optout-emulator-{name}.audit.jsonl"))
    } else {
        input.with_file_name(format!("{name}.audit.jsonl"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccpa_optout::AuditOutcome;
    use ccpa_optout::AuditRecord;

    fn record(id: &str, outcome: AuditOutcome) -> AuditRecord {
        AuditRecord {
            request_id: id.into(),
            line: None,
            source: None,
            received_at: None,
            applied_at: "2025-01-06T00:00:00Z".into(),
            pkey: None,
            email_sha256: None,
            requested: Some(true),
            changes: Vec::new(),
            outcome,
            reason: None,
            due_date: None,
            due_met: None,
        }
    }

    #[test]
    fn a_used_log_needs_resume_and_a_torn_line_is_cut_on_resume() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        {
            let (mut log, _) = AuditLog::open(&path, Existing::Refuse).unwrap();
            log.append(&record("r1", AuditOutcome::Applied)).unwrap();
        }
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"requestId\":\"r2\",\"outc")
            .unwrap();
        assert!(matches!(
            AuditLog::open(&path, Existing::Refuse),
            Err(Failure::Usage(_))
        ));
        let (mut log, mut history) = AuditLog::open(&path, Existing::Resume).unwrap();
        assert_eq!(history.records, 1);
        assert_eq!(history.settled.take("r2"), crate::resume::Seen::New);
        log.append(&record("r2", AuditOutcome::Unchanged)).unwrap();
        drop(log);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[1].starts_with("{\"requestId\":\"r2\""));
    }

    #[test]
    fn a_second_run_cannot_open_a_log_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let _first = AuditLog::open(&path, Existing::Resume).unwrap();
        let second = AuditLog::open(&path, Existing::Resume);
        assert!(matches!(second, Err(Failure::Usage(m)) if m.contains("in use")));
    }

    #[test]
    fn default_paths_sit_next_to_the_input_or_in_the_temp_dir_for_demos() {
        let input = Path::new("data/requests.csv");
        assert_eq!(
            default_path(input, false),
            Path::new("data/requests.csv.audit.jsonl")
        );
        assert!(default_path(input, true).starts_with(std::env::temp_dir()));
    }
}
