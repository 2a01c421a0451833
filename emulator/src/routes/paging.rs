//! Paging parameters: `_lineCount`, `_order` and the opaque `_lineStart` cursor (keyset, not offset).
//!
//! A cursor holds the sort value and creation number of the first row of the next page, so
//! profiles created or deleted between pages neither repeat nor hide the others.

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::query::Query;
use super::view;
use crate::acs_error::AcsError;
use crate::api::Api;
use crate::fields;
use crate::pkey;
use crate::store::Record;

/// ACS's default page size.
const DEFAULT_LINE_COUNT: usize = 25;
/// The largest page the emulator serves (ACS documents no maximum).
const MAX_LINE_COUNT: usize = 10_000;

/// `_order`: a sortable field, ascending unless ` desc` follows.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// The field.
    pub field: String,
    /// Descending.
    pub desc: bool,
}

impl Order {
    /// As written in `_order` (and remembered in cursors).
    fn spelled(&self) -> String {
        format!("{}{}", self.field, if self.desc { " desc" } else { "" })
    }

    /// Compares two (sort value, creation number) keys in this order.
    pub fn compare(&self, a: &(Value, u64), b: &(Value, u64)) -> Ordering {
        let ascending = compare_values(&a.0, &b.0).then(a.1.cmp(&b.1));
        if self.desc {
            ascending.reverse()
        } else {
            ascending
        }
    }
}

/// `_lineCount`: 25 by default, 1 to 10,000.
pub fn line_count(query: &Query) -> Result<usize, AcsError> {
    match query.get("_lineCount") {
        None => Ok(DEFAULT_LINE_COUNT),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LINE_COUNT).contains(n))
            .ok_or_else(|| AcsError::bad_request(format!("Invalid _lineCount '{text}': expected a whole number from 1 to {MAX_LINE_COUNT}"))),
    }
}

/// `_order`: a sortable field visible on this API, optionally followed by ` desc` or ` asc`.
pub fn order(query: &Query, api: Api) -> Result<Option<Order>, AcsError> {
    let Some(text) = query.get("_order").map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let (field, desc) = match text.split_once(' ') {
        Some((field, direction)) if direction.trim().eq_ignore_ascii_case("desc") => (field, true),
        Some((field, direction)) if direction.trim().eq_ignore_ascii_case("asc") => (field, false),
        Some(_) => {
            return Err(AcsError::bad_request(format!(
                "Invalid _order '{text}': expected 'field' or 'field desc'"
            )));
        }
        None => (text, false),
    };
    let sortable = match fields::lookup(field) {
        Some(f) => f.sortable && fields::visible_on(field, api),
        None => api == Api::Ext && fields::is_custom(field),
    };
    if !sortable {
        return Err(AcsError::bad_request(format!(
            "Invalid _order: '{field}' is not a sortable field of the 'profile' resource"
        )));
    }
    Ok(Some(Order {
        field: field.to_owned(),
        desc,
    }))
}

/// The decoded `_lineStart`: the sort value and sequence number of the first row of the page.
pub fn start(query: &Query, order: Option<&Order>) -> Result<Option<(Value, u64)>, AcsError> {
    let Some(text) = query.get("_lineStart") else {
        return Ok(None);
    };
    let invalid = || {
        AcsError::bad_request(format!(
            "Invalid _lineStart '{text}': use the next.href of the previous page"
        ))
    };
    let payload = pkey::cursor_decode(text).ok_or_else(invalid)?;
    let expected_order = order.map(Order::spelled);
    if payload.get("o").and_then(Value::as_str) != expected_order.as_deref() {
        return Err(AcsError::bad_request(format!(
            "Invalid _lineStart '{text}': it belongs to another _order"
        )));
    }
    let seq = payload
        .get("s")
        .and_then(Value::as_u64)
        .ok_or_else(invalid)?;
    Ok(Some((
        payload.get("v").cloned().unwrap_or(Value::Null),
        seq,
    )))
}

/// The `_lineStart` that makes `record` the first row of the next page.
pub fn cursor_for(record: &Record, order: Option<&Order>, now_ms: i64) -> String {
    match order {
        None => pkey::cursor_encode(&json!({"s": record.seq})),
        Some(o) => pkey::cursor_encode(&json!({
            "o": o.spelled(),
            "s": record.seq,
            "v": view::field_value(record, &o.field, now_ms),
        })),
    }
}

/// A total order on JSON values: null < booleans < numbers < strings < anything else.
fn compare_values(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::Array(_) | Value::Object(_) => 4,
        }
    }
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => x
                .as_f64()
                .unwrap_or(0.0)
                .total_cmp(&y.as_f64().unwrap_or(0.0)),
        },
        (Value::String(x), Value::String(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}
