//! How jobs move (`/_emulator/privacy`): one step per read or by time, and which user keys fail.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::{Value, json};

/// Longest accepted `completeAfterMs`: a day (tests want milliseconds; demos a few minutes).
const MAX_DELAY_MS: u64 = 86_400_000;
/// Most `failKeys` entries.
const MAX_FAIL_KEYS: usize = 10_000;

/// When a job moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    /// Each read shows the next state: `submitted`, then `processing`, then the final one.
    PerRead,
    /// By age: `processing` from `processing_after_ms` after creation, final from `complete_after_ms`.
    After {
        /// Milliseconds from creation to `processing`.
        processing_after_ms: u64,
        /// Milliseconds from creation to `complete` (or `error`).
        complete_after_ms: u64,
    },
}

/// The job schedule; [`Schedule::default`] is one step per read and no failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// When jobs move.
    pub advance: Advance,
    /// Jobs whose `userKey` is listed end in `error` instead of `complete`.
    pub fail_keys: BTreeSet<String>,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            advance: Advance::PerRead,
            fail_keys: BTreeSet::new(),
        }
    }
}

/// The JSON form: every key optional; a key left out takes its default (like the fault plan).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ScheduleJson {
    advance: Option<String>,
    processing_after_ms: Option<u64>,
    complete_after_ms: Option<u64>,
    fail_keys: Option<Vec<String>>,
}

impl Schedule {
    /// Parses `{"advance": "per_read"|"after", "processingAfterMs", "completeAfterMs", "failKeys"}`.
    pub fn from_json(bytes: &[u8]) -> Result<Schedule, String> {
        let raw: ScheduleJson = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        let timed = raw.processing_after_ms.is_some() || raw.complete_after_ms.is_some();
        let advance = match (
            raw.advance.as_deref(),
            raw.processing_after_ms,
            raw.complete_after_ms,
        ) {
            (None | Some("per_read"), _, _) if timed => {
                return Err(
                    "processingAfterMs and completeAfterMs go with \"advance\": \"after\"".into(),
                );
            }
            (None | Some("per_read"), _, _) => Advance::PerRead,
            (Some("after"), Some(processing), Some(complete))
                if processing <= complete && complete <= MAX_DELAY_MS =>
            {
                Advance::After {
                    processing_after_ms: processing,
                    complete_after_ms: complete,
                }
            }
            (Some("after"), _, _) => {
                return Err(format!(
                    "\"advance\": \"after\" needs processingAfterMs <= completeAfterMs <= {MAX_DELAY_MS}"
                ));
            }
            (Some(other), _, _) => {
                return Err(format!(
                    "unknown advance {other:?}: expected \"per_read\" or \"after\""
                ));
            }
        };
        let fail_keys = raw.fail_keys.unwrap_or_default();
        if fail_keys.len() > MAX_FAIL_KEYS || fail_keys.iter().any(|k| k.trim().is_empty()) {
            return Err(format!(
                "failKeys is a list of at most {MAX_FAIL_KEYS} non-empty user keys"
            ));
        }
        Ok(Schedule {
            advance,
            fail_keys: fail_keys.into_iter().collect(),
        })
    }

    /// The JSON form, every key shown.
    pub fn to_json(&self) -> Value {
        let fail_keys: Vec<&String> = self.fail_keys.iter().collect();
        match self.advance {
            Advance::PerRead => json!({"advance": "per_read", "failKeys": fail_keys}),
            Advance::After {
                processing_after_ms,
                complete_after_ms,
            } => json!({"advance": "after", "processingAfterMs": processing_after_ms,
                        "completeAfterMs": complete_after_ms, "failKeys": fail_keys}),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_shows_both_schedules() {
        let timed = br#"{"advance": "after", "processingAfterMs": 20, "completeAfterMs": 50, "failKeys": ["k"]}"#;
        let schedule = Schedule::from_json(timed).unwrap();
        assert_eq!(
            schedule.to_json(),
            serde_json::from_slice::<Value>(timed).unwrap()
        );
        assert_eq!(Schedule::from_json(b"{}").unwrap(), Schedule::default());
    }

    #[test]
    fn refuses_inconsistent_schedules() {
        for bad in [
            r#"{"advance": "after"}"#,
            r#"{"advance": "after", "processingAfterMs": 50, "completeAfterMs": 20}"#,
            r#"{"processingAfterMs": 5}"#,
            r#"{"advance": "hourly"}"#,
            r#"{"failKeys": [""]}"#,
            r#"{"fail_keys": ["k"]}"#,
            "[]",
        ] {
            assert!(Schedule::from_json(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
