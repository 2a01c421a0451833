//! Privacy requests (`/privacy/privacyTool`): `new` → `complete` or `errorDataNotFound`.
//!
//! Real ACS processes requests in a background workflow. The emulator finishes a request on its
//! second read (GET of the request or of the list): the first read still shows `new`, so that a
//! client polling for the outcome sees both states, without timers in tests. Only the three
//! statuses Adobe's JSON samples show are used (no `processing`: its JSON spelling is not
//! documented). Every namespace reconciles on `email`.

use std::sync::Mutex;

use serde_json::{Map, Value};

use crate::acs_error::AcsError;
use crate::pkey::pkey_for;

/// Where a request is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Just created, not yet processed.
    New,
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
    /// How many reads moved it (the second one finishes it).
    reads: u32,
    /// Claimed by a reader that is finishing it (so that two concurrent reads finish it once).
    finishing: bool,
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
        // The prose names the field `namespace`, every sample and real integration sends
        // `namespaceName`: take either, keep `namespaceName` (the response shows both).
        let namespace = text("namespaceName")
            .or_else(|| text("namespace"))
            .ok_or_else(|| {
                AcsError::bad_request(
                    "The 'namespaceName' property is mandatory for a privacy request",
                )
            })?
            .to_owned();
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
        let mut fields = body.clone();
        fields.remove("namespace");
        fields.insert("namespaceName".into(), Value::from(namespace));
        let request = PrivacyRequest {
            pkey: pkey_for(seq | 1 << 62),
            fields,
            kind,
            status: Status::New,
            created: now,
            modified: now,
            found: Vec::new(),
            reads: 0,
            finishing: false,
        };
        requests.push(request.clone());
        Ok(request)
    }

    /// Counts a read of the request `only` names (every request when `None`), and returns the
    /// ones read for the second time, which must be finished now: the caller looks up the
    /// profiles and calls [`PrivacyRequests::finish`].
    pub fn advance(&self, only: Option<&str>, now: i64) -> Vec<PrivacyRequest> {
        let mut requests = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut finishing = Vec::new();
        for request in requests
            .iter_mut()
            .filter(|r| only.is_none_or(|p| r.pkey == p))
        {
            if request.status != Status::New || request.finishing {
                continue;
            }
            request.reads = request.reads.saturating_add(1);
            if request.reads >= 2 {
                request.finishing = true;
                request.modified = now;
                finishing.push(request.clone());
            }
        }
        finishing
    }

    /// Records the outcome of a request that [`PrivacyRequests::advance`] handed out.
    pub fn finish(&self, pkey: &str, found: Vec<Value>, now: i64) {
        let mut requests = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(request) = requests.iter_mut().find(|r| r.pkey == pkey && r.finishing) {
            request.status = if found.is_empty() {
                Status::ErrorDataNotFound
            } else {
                Status::Complete
            };
            request.found = found;
            request.finishing = false;
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
