//! CSV requests: a header row naming the columns, then one request per record, streamed.

use std::io::Read;

use csv::{ByteRecord, ReaderBuilder};

use super::InputError;
use super::row::{Cell, Column, RawRow, RowFields, Unreadable};

/// Reads CSV records one at a time; memory stays at one record whatever the file size.
pub struct CsvRows<R: Read> {
    reader: csv::Reader<R>,
    columns: Vec<Option<Column>>,
    ignored: Vec<String>,
    record: ByteRecord,
}

impl<R: Read> CsvRows<R> {
    /// Reads the header and maps it to the known columns.
    pub fn new(input: R) -> Result<Self, InputError> {
        let mut reader = ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(input);
        let headers = reader.byte_headers().map_err(csv_error)?.clone();
        let mut columns = Vec::with_capacity(headers.len());
        let mut ignored = Vec::new();
        for raw in headers.iter() {
            let name = String::from_utf8_lossy(raw);
            let column = Column::from_header(&name);
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
        super::check_columns(&columns)?;
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
            let line = self.record.position().map_or(0, |p| p.line());
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
