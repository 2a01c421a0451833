//! CSV requests: a header row naming the columns, then one request per record, streamed.

use std::collections::VecDeque;
use std::io::{self, Read};

use csv::{ByteRecord, ReaderBuilder};

use super::row::{Cell, Column, RawRow, RowFields, Unreadable};
use super::{FileKind, InputError};

/// Reads CSV records one at a time; memory stays at one record whatever the file size.
pub struct CsvRows<R: Read> {
    reader: csv::Reader<LineCounter<R>>,
    columns: Vec<Option<Column>>,
    ignored: Vec<String>,
    record: ByteRecord,
}

impl<R: Read> CsvRows<R> {
    /// Reads the header and maps it to the known columns.
    pub fn new(input: R, kind: FileKind) -> Result<Self, InputError> {
        let mut reader = ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(LineCounter::new(input));
        let headers = reader.byte_headers().map_err(csv_error)?.clone();
        let mut columns = Vec::with_capacity(headers.len());
        let mut ignored = Vec::new();
        for raw in headers.iter() {
            let name = String::from_utf8_lossy(raw);
            let column = kind.column(&name);
            if column.is_none() {
                ignored.push(name.into_owned());
            }
            if let Some(column) = column
                && columns.contains(&Some(column))
            {
                return Err(InputError::Format(format!(
                    "the header names the column {} twice",
                    column.name()
                )));
            }
            columns.push(column);
        }
        kind.check(&columns)?;
        Ok(CsvRows {
            reader,
            columns,
            ignored,
            record: ByteRecord::new(),
        })
    }

    /// Header names the input has but the tool does not use (reported once, as a hint).
    pub fn ignored_columns(&self) -> &[String] {
        &self.ignored
    }

    fn fields(&self) -> Result<RowFields, Unreadable> {
        let mut fields = RowFields::default();
        for (raw, column) in self.record.iter().zip(&self.columns) {
            let Some(column) = column else { continue };
            let text = std::str::from_utf8(raw).map_err(|_| Unreadable {
                reason: format!("the {} value is not valid UTF-8", column.name()),
                content: self.record.as_slice().to_vec(),
            })?;
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let cell = match (column, text.to_ascii_lowercase().as_str()) {
                (Column::OptOut | Column::Gpc, "true") => Cell::Bool(true),
                (Column::OptOut | Column::Gpc, "false") => Cell::Bool(false),
                _ => Cell::Text(text.to_owned()),
            };
            fields.set(*column, cell);
        }
        if self.record.len() > self.columns.len()
            && self
                .record
                .iter()
                .skip(self.columns.len())
                .any(|f| !f.is_empty())
        {
            return Err(Unreadable {
                reason: format!(
                    "the row has {} values but the header has {} columns",
                    self.record.len(),
                    self.columns.len()
                ),
                content: self.record.as_slice().to_vec(),
            });
        }
        Ok(fields)
    }
}

impl<R: Read> Iterator for CsvRows<R> {
    type Item = Result<RawRow, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(err) => return Some(Err(csv_error(err))),
            }
            let fields = self.fields();
            if matches!(&fields, Ok(f) if f.is_empty()) {
                continue; // a blank row (",,,") is not a request
            }
            let start = self.record.position().map_or(0, |p| p.byte());
            let line = self.reader.get_mut().line_at(start);
            let end_offset = self.reader.position().byte();
            return Some(Ok(RawRow {
                line,
                end_offset,
                fields,
            }));
        }
    }
}

fn csv_error(err: csv::Error) -> InputError {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => InputError::Io(err),
        _ => InputError::Format("the file is not readable as CSV".to_owned()),
    }
}

/// The input as the CSV parser reads it, noting where each non-blank line starts. The
/// parser's own line count skips blank lines and counts neither CRLF nor a lone CR, and its
/// record offsets point at the line end before a record; so the audit log's `line` is counted
/// here: LF, CR and CRLF each end one line, and a row starts on the first non-blank line at or
/// after the parser's offset.
struct LineCounter<R> {
    inner: R,
    /// Offset and line number of each non-blank line read ahead of the rows handed out.
    starts: VecDeque<(u64, u64)>,
    /// Bytes read so far.
    offset: u64,
    /// The line being read (1-based).
    line: u64,
    /// Whether the next byte begins a line.
    at_line_start: bool,
    /// Whether the last byte was a CR (an LF right after it ends the same line).
    after_cr: bool,
}

impl<R> LineCounter<R> {
    fn new(inner: R) -> Self {
        LineCounter {
            inner,
            starts: VecDeque::new(),
            offset: 0,
            line: 1,
            at_line_start: true,
            after_cr: false,
        }
    }

    /// The line of the row the parser reports at byte `start`; rows come in file order.
    fn line_at(&mut self, start: u64) -> u64 {
        while self
            .starts
            .front()
            .is_some_and(|&(offset, _)| offset < start)
        {
            self.starts.pop_front();
        }
        self.starts.front().map_or(self.line, |&(_, line)| line)
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        for &byte in buffer.iter().take(read) {
            match byte {
                b'\n' if self.after_cr => {}
                b'\r' | b'\n' => {
                    self.line += 1;
                    self.at_line_start = true;
                }
                _ if self.at_line_start => {
                    self.starts.push_back((self.offset, self.line));
                    self.at_line_start = false;
                }
                _ => {}
            }
            self.after_cr = byte == b'\r';
            self.offset += 1;
        }
        Ok(read)
    }
}
