//! Privacy requests (`/privacy/privacyTool`): `new` → `processing` → `complete` or `errorDataNotFound`.
//!
//! Real ACS processes requests in a background workflow. The emulator moves a request one step
//! each time it is read (GET of the request or of the list), so that a client polling for the
//! outcome sees every state, without timers in tests. Every namespace reconciles on `email`.

use std::sync::Mutex;

use serde_json::{Map, Value};

use crate::acs_error::AcsError;
use crate::pkey::pkey_for;

/// Where a request is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Just created.
    New,
    /// Being processed.
    Processing,
    /// Done; for `delete`, the matching profiles are gone.
    Complete,
    /// Done, and no profile matched the reconciliation value.
    ErrorDataNotFound,
}

impl Status {
    /// The JSON spelling.
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Processing => "processing",
            Status::Complete => "complete",
            Status::ErrorDataNotFound => "errorDataNotFound",
        }
    }
}

/// `access` (collect the data) or `delete` (erase the profiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An access request.
    Access,
    /// A delete request.
    Delete,
}

/// One privacy request.
#[derive(Debug, Clone)]
pub struct PrivacyRequest {
    /// The `@…` key.
    pub pkey: String,
    /// The fields as posted (`name`, `namespaceName`, `reconciliationValue`, `label`, `type`, `regulation`).
    pub fields: Map<String, Value>,
    /// `access` or `delete`.
    pub kind: Kind,
    /// Its state.
    pub status: Status,
    /// `created`, ms since the epoch.
    pub created: i64,
    /// `lastModified`, ms since the epoch.
    pub modified: i64,
    /// What a completed request found (the matching profiles, as rendered at completion).
    pub found: Vec<Value>,
}

impl PrivacyRequest {
    /// A posted string field.
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).and_then(Value::as_str).unwrap_or("")
    }
}

/// Every privacy request, in creation order (memory only, also with `--data`).
#[derive(Debug, Default)]
pub struct PrivacyRequests(Mutex<Vec<PrivacyRequest>>);

const REGULATIONS: [&str; 3] = ["gdpr", "ccpa", "pdpa"];

impl PrivacyRequests {
    /// Checks and records a new request (status `new`).
    pub fn create(&self, body: Map<String, Value>, now: i64) -> Result<PrivacyRequest, AcsError> {
        let text = |name: &str| {
            body.get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
        };
        let required = |name: &str| {
            text(name).ok_or_else(|| {
                AcsError::bad_request(format!(
                    "The '{name}' property is mandatory for a privacy request"
                ))
            })
        };
        let name = required("name")?;
        required("namespaceName")?;
        required("reconciliationValue")?;
        let regulation = required("regulation")?;
        if !REGULATIONS.contains(&regulation.to_ascii_lowercase().as_str()) {
            return Err(AcsError::bad_request(format!(
                "Invalid regulation '{regulation}': expected gdpr, ccpa or pdpa"
            )));
        }
        let kind = match required("type")? {
            "access" => Kind::Access,
            "delete" => Kind::Delete,
            other => {
                return Err(AcsError::bad_request(format!(
                    "Invalid type '{other}': expected access or delete"
                )));
            }
        };
        let mut requests = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if requests.iter().any(|r| r.text("name") == name) {
            return Err(AcsError::bad_request(format!(
                "Duplicate key: a privacy request named '{name}' already exists"
            )));
        }
        let seq = requests.len() as u64;
        let request = PrivacyRequest {
            pkey: pkey_for(seq | 1 << 62),
            fields: body.clone(),
            kind,
            status: Status::New,
            created: now,
            modified: now,
            found: Vec::new(),
        };
        requests.push(request.clone());
        Ok(request)
    }

    /// Moves the request `only` names (every request when `None`) one step, and returns the ones
    /// now `processing` that must be finished: the caller looks up the profiles and calls
    /// [`PrivacyRequests::finish`].
    pub fn advance(&self, only: Option<&str>, now: i64) -> Vec<PrivacyRequest> {
        let mut requests = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut finishing = Vec::new();
        for request in requests
            .iter_mut()
            .filter(|r| only.is_none_or(|p| r.pkey == p))
        {
            match request.status {
                Status::New => {
                    request.status = Status::Processing;
                    request.modified = now;
                }
                Status::Processing => finishing.push(request.clone()),
                Status::Complete | Status::ErrorDataNotFound => {}
            }
        }
        finishing
    }

    /// Records the outcome of a request that was `processing`.
    pub fn finish(&self, pkey: &str, found: Vec<Value>, now: i64) {
        let mut requests = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(request) = requests
            .iter_mut()
            .find(|r| r.pkey == pkey && r.status == Status::Processing)
        {
            request.status = if found.is_empty() {
                Status::ErrorDataNotFound
            } else {
                Status::Complete
            };
            request.found = found;
            request.modified = now;
        }
    }

    /// One request.
    pub fn get(&self, pkey: &str) -> Option<PrivacyRequest> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|r| r.pkey == pkey)
            .cloned()
    }

    /// Every request, oldest first.
    pub fn all(&self) -> Vec<PrivacyRequest> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Forgets every request (`/_emulator/reset`).
    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
