//! JSONL requests: one JSON object per line, streamed, each line at most [`MAX_LINE_BYTES`].

use std::io::BufRead;

use serde_json::Value;

use super::FileKind;
use super::InputError;
use super::row::{Cell, RawRow, RowFields, Unreadable};

/// The longest line read; a longer one is a rejected row (a request is a few hundred bytes,
/// and a cap keeps memory flat even for a file without line breaks).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Reads JSONL lines one at a time.
pub struct JsonlRows<R: BufRead> {
    input: R,
    kind: FileKind,
    line: u64,
    offset: u64,
    buffer: Vec<u8>,
}

impl<R: BufRead> JsonlRows<R> {
    /// Lines from `input`, read as a file of `kind`.
    pub fn new(input: R, kind: FileKind) -> Self {
        JsonlRows {
            input,
            kind,
            line: 0,
            offset: 0,
            buffer: Vec::with_capacity(1024),
        }
    }

    /// Reads the next line into the buffer; `Some(true)` when it was too long (and dropped).
    fn read_line(&mut self) -> std::io::Result<Option<bool>> {
        self.buffer.clear();
        let mut too_long = false;
        let mut read_any = false;
        loop {
            let available = self.input.fill_buf()?;
            if available.is_empty() {
                return Ok(read_any.then_some(too_long));
            }
            read_any = true;
            let (length, complete) = match available.iter().position(|&b| b == b'\n') {
                Some(end) => (end + 1, true),
                None => (available.len(), false),
            };
            if !too_long && self.buffer.len() + length <= MAX_LINE_BYTES {
                self.buffer.extend_from_slice(&available[..length]);
            } else if !too_long {
                too_long = true;
                self.buffer.clear();
            }
            self.input.consume(length);
            self.offset += length as u64;
            if complete {
                return Ok(Some(too_long));
            }
        }
    }

    fn fields(&self) -> Result<RowFields, Unreadable> {
        let text = trim(&self.buffer, self.line == 1);
        let unreadable = |reason: String| Unreadable {
            reason,
            content: text.to_vec(),
        };
        let object = match serde_json::from_slice::<Value>(text) {
            Ok(Value::Object(object)) => object,
            Ok(_) => return Err(unreadable("the line is not a JSON object".to_owned())),
            Err(err) => {
                return Err(unreadable(format!(
                    "the line is not valid JSON (column {})",
                    err.column()
                )));
            }
        };
        let mut fields = RowFields::default();
        for (key, value) in object {
            let Some(column) = self.kind.column(&key) else {
                continue;
            };
            if fields.get(column).is_some() {
                return Err(unreadable(format!(
                    "the object names the column {} twice",
                    column.name()
                )));
            }
            let cell = match value {
                Value::Null => continue,
                Value::String(text) if text.trim().is_empty() => continue,
                Value::String(text) => Cell::Text(text.trim().to_owned()),
                Value::Bool(flag) => Cell::Bool(flag),
                Value::Number(number) => Cell::Number(number.to_string()),
                Value::Array(_) => Cell::Other("an array"),
                Value::Object(_) => Cell::Other("an object"),
            };
            fields.set(column, cell);
        }
        Ok(fields)
    }
}

/// The line without its line break, surrounding whitespace, or (first line) a UTF-8 BOM.
fn trim(line: &[u8], first: bool) -> &[u8] {
    let line = if first {
        line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
    } else {
        line
    };
    line.trim_ascii()
}

impl<R: BufRead> Iterator for JsonlRows<R> {
    type Item = Result<RawRow, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let too_long = match self.read_line() {
                Ok(Some(too_long)) => too_long,
                Ok(None) => return None,
                Err(err) => return Some(Err(InputError::Io(err))),
            };
            self.line += 1;
            let fields = if too_long {
                Err(Unreadable {
                    reason: format!("the line is longer than {MAX_LINE_BYTES} bytes"),
                    content: format!("too-long-line:{}", self.line).into_bytes(),
                })
            } else if trim(&self.buffer, self.line == 1).is_empty() {
                continue; // blank lines separate nothing and request nothing
            } else {
                self.fields()
            };
            return Some(Ok(RawRow {
                line: self.line,
                end_offset: self.offset,
                fields,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::row::Column;

    fn rows(input: &str) -> Vec<RawRow> {
        JsonlRows::new(input.as_bytes(), FileKind::OptOut)
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    }

    #[test]
    fn lines_become_typed_cells_and_blank_lines_are_skipped() {
        let read = rows(
            "{\"email\":\"ana@example.com\",\"optOut\":true,\"note\":1}\n\n{\"pkey\":\"@a\",\"optOut\":\"true\",\"receivedAt\":null}\r\n",
        );
        assert_eq!(read.len(), 2);
        let first = read[0].fields.as_ref().unwrap();
        assert_eq!(first.get(Column::OptOut), Some(&Cell::Bool(true)));
        let second = read[1].fields.as_ref().unwrap();
        assert_eq!(read[1].line, 3);
        assert_eq!(second.get(Column::OptOut), Some(&Cell::Text("true".into())));
        assert_eq!(second.get(Column::ReceivedAt), None);
    }

    #[test]
    fn bad_lines_are_unreadable_rows_not_errors() {
        let long = format!("{{\"email\":\"{}\"}}", "a".repeat(MAX_LINE_BYTES));
        let read = rows(&format!(
            "[1]\n{{oops\n{long}\n{{\"optOut\":true,\"opt_out\":false}}"
        ));
        let reasons: Vec<_> = read
            .iter()
            .map(|row| row.fields.as_ref().unwrap_err().reason.clone())
            .collect();
        assert!(reasons[0].contains("not a JSON object"));
        assert!(reasons[1].contains("not valid JSON"));
        assert!(reasons[2].contains("longer than"));
        assert!(reasons[3].contains("twice"));
        assert_eq!(read[3].end_offset, read[2].end_offset + 31);
    }
}
