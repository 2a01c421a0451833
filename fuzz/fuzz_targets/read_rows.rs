//! Fuzzes the CLI's request-file reader (CSV and JSONL rows, then the checks that turn a row
//! into a request): no file may panic it, and every row becomes a request or a rejection.
//!
//! The CLI is a binary crate, so its `input` modules (and the three they use) are compiled
//! into this target from their source files.
#![no_main]

use std::io::{BufReader, Cursor};

use libfuzzer_sys::fuzz_target;

/// The one item of the CLI's `args` module that `input` needs.
mod args {
    /// The file format of a bulk input.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum InputFormat {
        /// CSV with a header row.
        Csv,
        /// One JSON object per line.
        Jsonl,
    }
}

#[allow(dead_code)]
#[path = "../../cli/src/input/mod.rs"]
mod input;
#[allow(dead_code)]
#[path = "../../cli/src/failure.rs"]
mod failure;
#[allow(dead_code)]
#[path = "../../cli/src/signals.rs"]
mod signals;
#[allow(dead_code)]
#[path = "../../cli/src/timestamp.rs"]
mod timestamp;

use input::request::{Action, Request};
use input::request_row::MAX_REQUEST_ID_LEN;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    let rows: input::Rows = if selector & 1 == 0 {
        match input::csv::CsvRows::new(Cursor::new(file.to_vec()), input::FileKind::OptOut) {
            Ok(rows) => Box::new(rows),
            Err(_) => return,
        }
    } else {
        Box::new(input::jsonl::JsonlRows::new(
            BufReader::new(Cursor::new(file.to_vec())),
            input::FileKind::OptOut,
        ))
    };
    let mut last_line = 0;
    let mut last_offset = 0;
    for (count, row) in rows.enumerate() {
        assert!(count <= file.len() + 1, "the reader does not advance");
        let Ok(raw) = row else {
            break;
        };
        assert!(raw.line > last_line, "lines go forward");
        assert!(raw.end_offset >= last_offset && raw.end_offset <= file.len() as u64);
        last_line = raw.line;
        last_offset = raw.end_offset;
        let request = Request::check(raw);
        let id = &request.row.id;
        assert!((id.len() <= MAX_REQUEST_ID_LEN && !id.is_empty()) || id.starts_with("sha256:"));
        assert!(!id.chars().any(char::is_control));
        if let Action::Apply { .. } = request.action {
            assert!(request.subject.is_some(), "{request:?}");
        }
        if let Some(source) = &request.row.source {
            assert_eq!(source, &source.to_lowercase());
        }
    }
});
