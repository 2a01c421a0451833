//! Reading request bodies under the size limit, and parsing them as JSON whatever their label.

use axum::body::{Body, Bytes};
use futures_util::StreamExt;
use serde_json::{Map, Value};

use crate::acs_error::AcsError;

/// Past the limit, keep reading (and discarding) up to this much, so that a client still sending
/// its big body gets the 413 instead of a reset connection.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// The whole body, or 413 if it is larger than `limit` bytes.
pub async fn read(body: Body, limit: usize) -> Result<Bytes, AcsError> {
    let mut stream = body.into_data_stream();
    let mut collected: Vec<u8> = Vec::new();
    let mut seen: usize = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            AcsError::bad_request(format!("The request body could not be read: {e}"))
        })?;
        seen = seen.saturating_add(chunk.len());
        if seen > DRAIN_LIMIT {
            break;
        }
        if seen <= limit {
            collected.extend_from_slice(&chunk);
        }
    }
    if seen > limit {
        return Err(AcsError::payload_too_large(limit));
    }
    Ok(Bytes::from(collected))
}

/// The body as a JSON object (ACS's SDK labels JSON `text/plain`, so the label is not checked).
pub fn json_object(bytes: &[u8]) -> Result<Map<String, Value>, AcsError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AcsError::malformed_json(
            "the body is empty; a JSON object is expected",
        ));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(AcsError::malformed_json("a JSON object is expected")),
        Err(e) => Err(AcsError::malformed_json(e)),
    }
}
