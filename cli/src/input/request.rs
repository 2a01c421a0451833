//! A row checked into a request: its id, subject, the value to apply, or why it is rejected.

use super::request_row::{RequestRow, checked_id, checked_received_at, checked_source, noted};
use super::row::{Cell, Column, RawRow, RowFields};
use crate::signals::{self, SignalDecision};
use ccpa_optout::{Subject, SubjectKind};

/// One opt-out request, ready to apply or to record as rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Where it sits in the input, its id, source and receipt.
    pub row: RequestRow,
    /// Whom it is about (absent when the row names no valid subject).
    pub subject: Option<Subject>,
    /// What to do.
    pub action: Action,
}

/// What a request asks for, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Set the opt-out to `opted_out`; `note` explains a value derived from signals.
    Apply {
        /// The value to set.
        opted_out: bool,
        /// Why this value, when signals decided it.
        note: Option<String>,
    },
    /// Nothing to apply (the signals do not opt out); recorded as `unchanged` with this reason.
    Nothing(String),
    /// Invalid; recorded as `rejected` with this reason.
    Reject(String),
}

impl Request {
    /// Checks a raw row with the core's rules; never fails: a bad row becomes a rejection.
    pub fn check(raw: RawRow) -> Request {
        let fields = match &raw.fields {
            Ok(fields) => fields,
            Err(unreadable) => {
                return Request {
                    row: RequestRow::unreadable(&raw, &unreadable.content),
                    subject: None,
                    action: Action::Reject(unreadable.reason.clone()),
                };
            }
        };
        let mut problems: Vec<String> = Vec::new();
        let id = checked_id(fields, &mut problems);
        let subject = noted(&mut problems, subject(fields));
        let action = action(fields);
        let received = checked_received_at(fields, &mut problems);
        let source = checked_source(fields, &mut problems);
        let action = match (problems.into_iter().next(), action) {
            (Some(why), _) => Action::Reject(why),
            (None, action) => action,
        };
        Request {
            row: RequestRow::at(&raw, id, source, received),
            subject,
            action,
        }
    }
}

/// The subject: `pkey` when given (it names one profile exactly), else `email`.
fn subject(fields: &RowFields) -> Result<Subject, String> {
    let (cell, kind) = match (fields.get(Column::PKey), fields.get(Column::Email)) {
        (Some(pkey), _) => (pkey, SubjectKind::PKey),
        (None, Some(email)) => (email, SubjectKind::Email),
        (None, None) => return Err("the row has neither an email nor a pkey".to_owned()),
    };
    let text = cell.text().ok_or_else(|| match kind {
        SubjectKind::Email => "email must be a string".to_owned(),
        _ => "pkey must be a string".to_owned(),
    })?;
    Subject::parse(text, kind).map_err(|err| err.message().to_owned())
}

/// The value: an explicit `optOut`, privacy signals, or both (any opt-out wins).
fn action(fields: &RowFields) -> Action {
    let explicit = match fields.get(Column::OptOut) {
        None => None,
        Some(Cell::Bool(value)) => Some(*value),
        Some(Cell::Text(text)) if text.len() <= 12 => {
            return Action::Reject(format!(
                "optOut must be true or false (in JSONL a JSON boolean), not {text:?}"
            ));
        }
        Some(_) => {
            return Action::Reject(
                "optOut must be true or false (in JSONL a JSON boolean)".to_owned(),
            );
        }
    };
    let signals = match signals::decide(fields) {
        Ok(signals) => signals,
        Err(why) => return Action::Reject(why),
    };
    match (explicit, signals) {
        (None, None) => Action::Reject(
            "the row has no optOut value and no privacy signal (gpc, usp, gpp)".to_owned(),
        ),
        (Some(opted_out), None) => Action::Apply {
            opted_out,
            note: None,
        },
        (Some(true), Some(_)) => Action::Apply {
            opted_out: true,
            note: None,
        },
        (Some(false), Some(SignalDecision::OptOut(reasons))) => Action::Apply {
            opted_out: true,
            note: Some(format!(
                "a privacy signal opts out, which wins over optOut=false (§7025(c)(3)): {reasons}"
            )),
        },
        (Some(false), Some(_)) => Action::Apply {
            opted_out: false,
            note: None,
        },
        (None, Some(SignalDecision::OptOut(reasons))) => Action::Apply {
            opted_out: true,
            note: Some(reasons),
        },
        (None, Some(SignalDecision::NotOptedOut(reasons))) => Action::Nothing(format!(
            "the signals do not opt out, and a signal never clears an opt-out (§7025(c)(5)): {reasons}"
        )),
        (None, Some(SignalDecision::NoSignal(reasons))) => {
            Action::Nothing(format!("no privacy signal applies: {reasons}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::csv::CsvRows;

    fn check_csv(csv: &str) -> Vec<Request> {
        CsvRows::new(csv.as_bytes(), crate::input::FileKind::OptOut)
            .unwrap()
            .map(|row| Request::check(row.unwrap()))
            .collect()
    }

    fn rejection(request: &Request) -> &str {
        match &request.action {
            Action::Reject(why) => why,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn valid_rows_become_requests_with_given_or_derived_ids() {
        let requests = check_csv(
            "email,optOut,requestId,receivedAt,source\n\
             ana@example.com,TRUE,req-1,2025-01-03,Web\n\
             bo@example.com,false,,2025-01-03T09:00:00-08:00,\n",
        );
        assert_eq!(requests[0].row.id, "req-1");
        assert_eq!(requests[0].row.line, 2);
        assert_eq!(requests[0].row.source.as_deref(), Some("web"));
        assert_eq!(
            requests[0].action,
            Action::Apply {
                opted_out: true,
                note: None
            }
        );
        assert!(requests[1].row.id.starts_with("sha256:") && requests[1].row.id.len() == 39);
        assert_eq!(
            requests[1].action,
            Action::Apply {
                opted_out: false,
                note: None
            }
        );
        assert_eq!(requests[1].row.received.as_ref().unwrap().day.day(), 3);
    }

    #[test]
    fn invalid_rows_are_rejected_with_the_reason_and_keep_what_is_valid() {
        let requests = check_csv(
            "email,pkey,optOut,receivedAt\n\
             not-an-email,,true,2025-01-03\n\
             ana@example.com,,yes,2025-01-03\n\
             ana@example.com,,true,03/01/2025\n\
             ,,true,\n\
             ,@a/../b,true,\n\
             ana@example.com,,,\n",
        );
        assert!(rejection(&requests[0]).contains("name@domain"));
        assert!(rejection(&requests[1]).contains("\"yes\""));
        assert!(rejection(&requests[2]).contains("receivedAt"));
        assert!(requests[2].subject.is_some());
        assert!(rejection(&requests[3]).contains("neither an email nor a pkey"));
        assert!(rejection(&requests[4]).contains("PKey"));
        assert!(rejection(&requests[5]).contains("no optOut"));
    }

    #[test]
    fn the_same_request_gets_the_same_derived_id_from_csv_and_jsonl() {
        let from_csv = check_csv("optOut,email\ntrue,ana@example.com\n");
        let from_jsonl: Vec<Request> = crate::input::jsonl::JsonlRows::new(
            &b"{\"email\":\"ana@example.com\",\"optOut\":true}\n"[..],
            crate::input::FileKind::OptOut,
        )
        .map(|row| Request::check(row.unwrap()))
        .collect();
        assert_eq!(from_csv[0].row.id, from_jsonl[0].row.id);
    }

    #[test]
    fn a_pkey_wins_over_an_email_in_the_same_row() {
        let requests = check_csv("pkey,email,optOut\n@a1,ana@example.com,true\n");
        assert!(matches!(requests[0].subject, Some(Subject::PKey(_))));
    }
}
