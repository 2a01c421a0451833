//! What every kind of request row says of itself: its place in the input, its id, source and
//! receipt, checked by the same rules whatever else the row asks for.

use sha2::{Digest, Sha256};

use super::row::{Cell, Column, RawRow, RowFields};
use crate::timestamp::parse_received_at;
use ccpa_optout::calendar::Received;

/// The longest request id kept (longer ids are rejected: they are ids, not payloads).
pub const MAX_REQUEST_ID_LEN: usize = 128;
/// The longest `source` kept.
pub const MAX_SOURCE_LEN: usize = 64;

/// A checked row's place in the input and what it says of itself: the same columns, checked
/// by the same rules, in every kind of request file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    /// The 1-based input line where it starts.
    pub line: u64,
    /// The input offset after it (progress).
    pub end_offset: u64,
    /// Given, or `sha256:` and 32 hex digits of the row's canonical content.
    pub id: String,
    /// The manner it was made in, lowercased (`web`, `gpc`, `agent`, …).
    pub source: Option<String>,
    /// `receivedAt` as given, the day it names and its offset.
    pub received: Option<Received>,
}

impl RequestRow {
    /// The row `raw` with what it says of itself (each checked by the functions below).
    pub fn at(
        raw: &RawRow,
        id: String,
        source: Option<String>,
        received: Option<Received>,
    ) -> RequestRow {
        RequestRow {
            line: raw.line,
            end_offset: raw.end_offset,
            id,
            source,
            received,
        }
    }

    /// A row that could not be read at all: its id derived from its bytes, nothing else known.
    pub fn unreadable(raw: &RawRow, content: &[u8]) -> RequestRow {
        RequestRow::at(raw, derived_id(content), None, None)
    }
}

/// The value, or `None` with the reason kept among `problems` (the first one is reported).
pub(crate) fn noted<T>(problems: &mut Vec<String>, result: Result<T, String>) -> Option<T> {
    result.map_err(|why| problems.push(why)).ok()
}

/// `requestId` when given and valid; else (a bad one noted) derived from the row's content.
pub(crate) fn checked_id(fields: &RowFields, problems: &mut Vec<String>) -> String {
    fields
        .get(Column::RequestId)
        .and_then(|cell| noted(problems, request_id(cell)))
        .unwrap_or_else(|| derived_id(&fields.canonical_content()))
}

/// `receivedAt` when given; a bad one is noted.
pub(crate) fn checked_received_at(
    fields: &RowFields,
    problems: &mut Vec<String>,
) -> Option<Received> {
    fields
        .get(Column::ReceivedAt)
        .and_then(|cell| noted(problems, received_at(cell)))
}

/// `source` when given; a bad one is noted.
pub(crate) fn checked_source(fields: &RowFields, problems: &mut Vec<String>) -> Option<String> {
    fields
        .get(Column::Source)
        .and_then(|cell| noted(problems, source(cell)))
}

/// `sha256:` and the first 32 hex digits (128 bits) of the SHA-256 of `content`.
pub fn derived_id(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    let mut id = String::with_capacity(39);
    id.push_str("sha256:");
    for byte in &digest[..16] {
        id.push_str(&format!("{byte:02x}"));
    }
    id
}

fn request_id(cell: &Cell) -> Result<String, String> {
    let id = cell
        .text()
        .ok_or_else(|| "requestId must be a string or a number".to_owned())?;
    if id.len() > MAX_REQUEST_ID_LEN || id.chars().any(char::is_control) {
        return Err(format!(
            "requestId must be at most {MAX_REQUEST_ID_LEN} bytes without control characters"
        ));
    }
    Ok(id.to_owned())
}

/// `receivedAt`: a valid timestamp, not before the CCPA took effect (2020-01-01).
fn received_at(cell: &Cell) -> Result<Received, String> {
    let text = cell
        .text()
        .ok_or_else(|| "receivedAt must be a string".to_owned())?;
    let received = parse_received_at(text)?;
    if received.day.year() < 2020 {
        return Err("receivedAt is before 2020-01-01, when the CCPA took effect".to_owned());
    }
    Ok(received)
}

fn source(cell: &Cell) -> Result<String, String> {
    let source = cell
        .text()
        .ok_or_else(|| "source must be a string".to_owned())?;
    if source.len() > MAX_SOURCE_LEN || source.chars().any(char::is_control) {
        return Err(format!(
            "source must be at most {MAX_SOURCE_LEN} bytes without control characters"
        ));
    }
    Ok(source.to_lowercase())
}
