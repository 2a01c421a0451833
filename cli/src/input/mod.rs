//! Reading request files: CSV or JSONL, streamed on a thread of their own into a bounded queue.

pub mod csv;
pub mod jsonl;
pub mod request;
pub mod request_row;
pub mod row;

use std::fs::File;
use std::io::{self, BufReader};
use std::path::Path;

use tokio::sync::mpsc;

use crate::args::InputFormat;
use crate::failure::Failure;
use row::{Column, RawRow};

/// Why the input as a whole cannot be read (a bad row is not this: it becomes a rejected row).
#[derive(Debug)]
pub enum InputError {
    /// Reading the file failed.
    Io(io::Error),
    /// The file does not have the shape of a request file (header, encoding).
    Format(String),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Io(err) => write!(f, "{err}"),
            InputError::Format(message) => f.write_str(message),
        }
    }
}

/// What a file holds: opt-out requests (`bulk`) or requests to know and delete (`privacy
/// submit`). Each kind reads its own columns; any other is ignored (and reported as such).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `email` or `pkey`, `optOut` or signals, `requestId`, `receivedAt`, `source`.
    OptOut,
    /// `requestId`, `action`, `email` or `namespace`+`value`(+`type`), `receivedAt`, `source`.
    Privacy,
}

impl FileKind {
    /// Whether this kind of file reads `column`.
    pub fn uses(self, column: Column) -> bool {
        let privacy_only = matches!(
            column,
            Column::Action | Column::Namespace | Column::Value | Column::IdType
        );
        let opt_out_only = matches!(
            column,
            Column::PKey | Column::OptOut | Column::Gpc | Column::Usp | Column::Gpp
        );
        match self {
            FileKind::OptOut => !privacy_only,
            FileKind::Privacy => !opt_out_only,
        }
    }

    /// The column a header or key names, if this kind of file reads it.
    pub fn column(self, header: &str) -> Option<Column> {
        Column::from_header(header).filter(|column| self.uses(*column))
    }

    /// A CSV header must name what this kind of request needs.
    fn check(self, columns: &[Option<Column>]) -> Result<(), InputError> {
        let has = |wanted: &[Column]| columns.iter().flatten().any(|c| wanted.contains(c));
        match self {
            FileKind::OptOut => check_columns(columns),
            FileKind::Privacy if !has(&[Column::Action]) => Err(InputError::Format(
                "the header has no action column (access, delete or both)".to_owned(),
            )),
            FileKind::Privacy if !has(&[Column::Email, Column::Value]) => Err(InputError::Format(
                "the header has no email column (nor namespace and value columns)".to_owned(),
            )),
            FileKind::Privacy => Ok(()),
        }
    }
}

/// Rows from an input file of either format.
pub type Rows = Box<dyn Iterator<Item = Result<RawRow, InputError>> + Send>;

/// An opened input: its rows, its size (for progress) and any columns it will not use.
pub struct Input {
    /// The rows, in file order.
    pub rows: Rows,
    /// The file size in bytes.
    pub size: u64,
    /// CSV header names that are not request columns.
    pub ignored_columns: Vec<String>,
}

/// The format to read `path` as: the one asked for, else `.jsonl`/`.ndjson` → JSONL, else CSV.
pub fn format_of(path: &Path, asked: Option<InputFormat>) -> InputFormat {
    asked.unwrap_or_else(|| {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl" | "ndjson") => InputFormat::Jsonl,
            _ => InputFormat::Csv,
        }
    })
}

/// Opens a run's request file in the format asked for or guessed from its name; what cannot
/// be read is a usage error naming the file.
pub fn open_requests(
    path: &Path,
    asked: Option<InputFormat>,
    kind: FileKind,
) -> Result<Input, Failure> {
    let shown = path.display();
    open(path, format_of(path, asked), kind).map_err(|e| match e {
        InputError::Io(err) => Failure::usage(format!("cannot read {shown}: {err}")),
        InputError::Format(why) => Failure::usage(format!("{shown}: {why}")),
    })
}

/// Opens an input file; for CSV the header is read and checked now.
pub fn open(path: &Path, format: InputFormat, kind: FileKind) -> Result<Input, InputError> {
    let file = File::open(path).map_err(InputError::Io)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let reader = BufReader::with_capacity(64 * 1024, file);
    Ok(match format {
        InputFormat::Csv => {
            let rows = csv::CsvRows::new(reader, kind)?;
            let ignored_columns = rows.ignored_columns().to_vec();
            Input {
                rows: Box::new(rows),
                size,
                ignored_columns,
            }
        }
        InputFormat::Jsonl => Input {
            rows: Box::new(jsonl::JsonlRows::new(reader, kind)),
            size,
            ignored_columns: Vec::new(),
        },
    })
}

/// A CSV header must name the subject and the value (or signals to derive it from).
fn check_columns(columns: &[Option<Column>]) -> Result<(), InputError> {
    let has = |wanted: &[Column]| columns.iter().flatten().any(|c| wanted.contains(c));
    if !has(&[Column::Email, Column::PKey]) {
        return Err(InputError::Format(
            "the header has no email or pkey column (columns: email or pkey; optOut or gpc/usp/gpp; \
             optional requestId, receivedAt, source)"
                .to_owned(),
        ));
    }
    if !has(&[Column::OptOut, Column::Gpc, Column::Usp, Column::Gpp]) {
        return Err(InputError::Format(
            "the header has no optOut column (nor gpc, usp or gpp signal columns to derive it from)"
                .to_owned(),
        ));
    }
    Ok(())
}

/// Reads `rows` on a thread of its own into a queue of `capacity` rows: file I/O never blocks
/// the requests, and at most `capacity` rows wait in memory. The thread stops when the
/// receiver is dropped.
pub fn spawn_reader(mut rows: Rows, capacity: usize) -> mpsc::Receiver<Result<RawRow, InputError>> {
    let (sender, receiver) = mpsc::channel(capacity);
    std::thread::spawn(move || {
        for row in rows.by_ref() {
            let stop = row.is_err();
            if sender.blocking_send(row).is_err() || stop {
                break;
            }
        }
    });
    receiver
}
