//! A row checked into a request to know or delete: its id, actions and identity, or why not.

use ccpa_optout::Email;
use ccpa_optout::privacy::{
    CreatedJob, IdentityType, JobRequest, PrivacyAction, PrivacyUser, UserId,
};
use sha2::{Digest, Sha256};

use crate::input::request_row::{
    RequestRow, checked_id, checked_received_at, checked_source, noted,
};
use crate::input::row::{Cell, Column, RawRow, RowFields};

/// One request, ready to file or to record as rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacyRequest {
    /// Where it sits in the input, its source and receipt, and its id: the jobs' `userKey`.
    pub row: RequestRow,
    /// The identity's namespace and the SHA-256 of its value, for the record.
    pub identity: Option<(String, String)>,
    /// The consumer as the Privacy Service takes it, or why the row is rejected.
    pub user: Result<PrivacyUser, String>,
    /// Jobs an interrupted run filed for it (the request then files only the other actions).
    pub filed_before: Vec<CreatedJob>,
}

impl PrivacyRequest {
    /// Checks a raw row with the core's rules; never fails: a bad row becomes a rejection.
    pub fn check(raw: RawRow) -> PrivacyRequest {
        let fields = match &raw.fields {
            Ok(fields) => fields,
            Err(unreadable) => {
                return PrivacyRequest {
                    row: RequestRow::unreadable(&raw, &unreadable.content),
                    identity: None,
                    user: Err(unreadable.reason.clone()),
                    filed_before: Vec::new(),
                };
            }
        };
        let mut problems = Vec::new();
        let id = checked_id(fields, &mut problems);
        let received = checked_received_at(fields, &mut problems);
        let source = checked_source(fields, &mut problems);
        let actions = noted(&mut problems, actions(fields));
        let identity = noted(&mut problems, identity(fields));
        let user = match (problems.into_iter().next(), actions, identity.clone()) {
            (None, Some(actions), Some(id_value)) => user(&id, actions, id_value),
            (Some(why), _, _) => Err(why),
            (None, _, _) => Err("the row could not be read".to_owned()),
        };
        PrivacyRequest {
            row: RequestRow::at(&raw, id, source, received),
            identity: identity.map(|id| (id.namespace.clone(), sha256_hex(&id.value))),
            user,
            filed_before: Vec::new(),
        }
    }
}

/// The consumer, checked alone by the core's request rules (so one bad row never sinks the
/// batch it would have joined).
fn user(key: &str, actions: Vec<PrivacyAction>, id: UserId) -> Result<PrivacyUser, String> {
    let user = PrivacyUser {
        key: key.to_owned(),
        actions,
        ids: vec![id],
    };
    JobRequest::new(vec![user.clone()])
        .validate()
        .map_err(|err| err.message().to_owned())?;
    Ok(user)
}

/// `action`: `access`, `delete`, or both joined by `+`, `,` or a space.
fn actions(fields: &RowFields) -> Result<Vec<PrivacyAction>, String> {
    let text = fields
        .get(Column::Action)
        .and_then(Cell::text)
        .ok_or("the action is missing (access, delete or access+delete)")?;
    let mut actions = Vec::new();
    for word in text.split(['+', ',', ' ']).filter(|w| !w.is_empty()) {
        let action = PrivacyAction::parse(word).map_err(|err| err.message().to_owned())?;
        if !actions.contains(&action) {
            actions.push(action);
        }
    }
    if actions.is_empty() {
        return Err("the action is missing (access, delete or access+delete)".to_owned());
    }
    Ok(actions)
}

/// The identity: `email`, or `namespace` and `value` with an optional `type`.
fn identity(fields: &RowFields) -> Result<UserId, String> {
    let text = |column| fields.get(column).and_then(Cell::text);
    match (
        text(Column::Email),
        text(Column::Namespace),
        text(Column::Value),
    ) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            Err("give email, or namespace and value, not both".to_owned())
        }
        (Some(email), None, None) => Email::new(email)
            .map(|email| UserId::email(&email))
            .map_err(|err| err.message().to_owned()),
        (None, Some(namespace), Some(value)) => {
            let kind = match text(Column::IdType) {
                Some(kind) => IdentityType::parse(kind).map_err(|err| err.message().to_owned())?,
                None => IdentityType::Standard,
            };
            UserId::new(namespace, value, kind).map_err(|err| err.message().to_owned())
        }
        (None, _, _) => {
            Err("the row names no identity: give email, or namespace and value".to_owned())
        }
    }
}

/// Lowercase hex SHA-256, how records hold an identity.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::FileKind;
    use crate::input::csv::CsvRows;

    fn requests(csv: &str) -> Vec<PrivacyRequest> {
        CsvRows::new(csv.as_bytes(), FileKind::Privacy)
            .unwrap()
            .map(|row| PrivacyRequest::check(row.unwrap()))
            .collect()
    }

    #[test]
    fn rows_become_consumers_or_reasons() {
        let read = requests(concat!(
            "requestId,action,email,namespace,value,type,optOut\n",
            "t1,access+delete,ana@example.com,,,,true\n",
            "t2,Delete,,phone,+14155550142,,\n",
            "t3,erase,bo@example.com,,,,\n",
            "t4,access,not-an-email,,,,\n",
            "t5,access,,loyalty,L-9,global,\n",
            "t6,access,,,,,\n",
            ",delete,cy@example.com,,,,\n",
        ));
        let first = read[0].user.as_ref().unwrap();
        assert_eq!(
            first.actions,
            [PrivacyAction::Access, PrivacyAction::Delete]
        );
        assert_eq!(read[0].identity.as_ref().unwrap().0, "email");
        assert_eq!(
            read[0].identity.as_ref().unwrap().1,
            sha256_hex("ana@example.com")
        );
        assert_eq!(read[1].user.as_ref().unwrap().ids[0].namespace, "phone");
        for (row, words) in [
            (2, "access"),
            (3, "email"),
            (4, "identity type"),
            (5, "identity"),
        ] {
            let why = read[row].user.as_ref().unwrap_err();
            assert!(why.contains(words), "row {row}: {why}");
        }
        assert!(
            read[6].row.id.starts_with("sha256:"),
            "an id derived when none is given"
        );
        assert!(read[6].user.is_ok());
    }

    #[test]
    fn a_file_without_action_or_identity_is_refused_as_a_whole() {
        assert!(CsvRows::new("email\na@example.com\n".as_bytes(), FileKind::Privacy).is_err());
        assert!(CsvRows::new("action,pkey\naccess,@a\n".as_bytes(), FileKind::Privacy).is_err());
    }
}
