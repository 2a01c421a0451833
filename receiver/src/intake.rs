//! From a body to a request worth storing: one subject, the value (explicit, or derived from
//! the signals), the receipt day and due date. Pure: ids and the time are passed in.

use ccpa_optout::signals::{
    OptOutDecision, OptOutReason, PrivacySignal, SignalSays, derive_opt_out,
};
use ccpa_optout::{Date, Email, PKey, Subject};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::body::{OptOutBody, SignalsBody};
use crate::calendar::{Calendar, Received};
use crate::error::ApiError;

/// The longest `requestId` accepted: ids, not payloads (the same limit as `bulk`).
pub const MAX_REQUEST_ID_LEN: usize = 128;
/// The longest `source` accepted (the same limit as `bulk`).
pub const MAX_SOURCE_LEN: usize = 64;

/// The raw signals of a request, kept so that the worker derives and applies them itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// GPC (`Sec-GPC: 1` or `navigator.globalPrivacyControl`).
    pub gpc: Option<bool>,
    /// The US Privacy string.
    pub usp: Option<String>,
    /// The GPP string.
    pub gpp: Option<String>,
}

impl Signals {
    /// Whether any signal was given.
    pub fn any(&self) -> bool {
        self.gpc.is_some() || self.usp.is_some() || self.gpp.is_some()
    }

    /// The decision they make (never fails: unreadable strings are reasons).
    pub fn decide(&self) -> OptOutDecision {
        derive_opt_out(self.gpc, self.usp.as_deref(), self.gpp.as_deref())
    }
}

/// A checked request, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    /// The receiver's id (`GET /v1/opt-outs/{id}`).
    pub id: String,
    /// The idempotency key: the caller's, or for a browser signal one per subject and day.
    pub request_id: String,
    /// Whom it is about.
    pub subject: Subject,
    /// The value asked for.
    pub opt_out: bool,
    /// `optOut` was given; otherwise the worker applies the signals (whose "not opted out"
    /// never clears a recorded opt-out).
    pub explicit: bool,
    /// The signals given.
    pub signals: Signals,
    /// The decision from the signals, as JSON (`None` without signals).
    pub decision: Option<String>,
    /// The manner in which it was made.
    pub source: Option<String>,
    /// When it was received.
    pub received: Received,
    /// 15 business days later.
    pub due_date: Date,
}

impl NewRequest {
    /// The key that keeps two requests about the same subject from running at once.
    pub fn subject_key(&self) -> String {
        subject_key(&self.subject)
    }

    /// The subject as a store keeps it: the PKey, or the email (until the request is settled)
    /// with its SHA-256 (for good).
    pub fn subject_columns(&self) -> SubjectColumns<'_> {
        match &self.subject {
            Subject::PKey(pkey) => SubjectColumns {
                pkey: Some(pkey.as_str()),
                email: None,
                email_sha256: None,
            },
            Subject::Email(email) => SubjectColumns {
                pkey: None,
                email: Some(email.as_str()),
                email_sha256: Some(sha256_hex(email.as_str().as_bytes())),
            },
        }
    }
}

/// [`NewRequest::subject_columns`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectColumns<'a> {
    /// The PKey, for a request by PKey.
    pub pkey: Option<&'a str>,
    /// The email, for a request by email.
    pub email: Option<&'a str>,
    /// The SHA-256 of the email, in lowercase hex.
    pub email_sha256: Option<String>,
}

/// `POST /v1/opt-outs`: exactly one subject; `optOut` explicit or derived from the signals.
pub fn opt_out_request(
    body: OptOutBody,
    id: String,
    now: Timestamp,
    calendar: &Calendar,
) -> Result<NewRequest, ApiError> {
    let subject = match (&body.email, &body.pkey) {
        (Some(email), None) => Subject::Email(Email::new(email).map_err(|e| core_error(&e))?),
        (None, Some(pkey)) => Subject::PKey(PKey::new(pkey).map_err(|e| core_error(&e))?),
        _ => {
            return Err(ApiError::validation(
                422,
                "body",
                "give exactly one subject: email or pkey",
            ));
        }
    };
    let request_id = match body.request_id {
        Some(given) => checked_request_id(given)?,
        None => id.clone(),
    };
    let source = body.source.map(checked_source).transpose()?;
    let signals = Signals {
        gpc: body.gpc,
        usp: body.usp,
        gpp: body.gpp,
    };
    let decision = signals.any().then(|| signals.decide());
    let opt_out = match (body.opt_out, decision.as_ref().and_then(|d| d.value)) {
        (Some(false), Some(true)) => {
            return Err(ApiError::validation(
                422,
                "optOut",
                "optOut is false but a signal opts out: any opt-out signal wins (§7025(c)(3))",
            ));
        }
        (Some(explicit), _) => explicit,
        (None, Some(derived)) => derived,
        (None, None) => {
            return Err(ApiError::validation(
                422,
                "optOut",
                "no usable signal: give optOut, or gpc/usp/gpp that say opted out or not",
            ));
        }
    };
    let received = calendar.received(body.received_at.as_deref(), now)?;
    Ok(NewRequest {
        id,
        request_id,
        due_date: calendar.due_date(&received),
        subject,
        opt_out,
        explicit: body.opt_out.is_some(),
        decision: decision.as_ref().map(decision_json),
        signals,
        source,
        received,
    })
}

/// `POST /v1/signals` with a subject token: the decision, and the request to store when (and
/// only when) the signals opt out. One request per subject and day: a page that posts on every
/// view finds the first one again.
pub fn signal_request(
    subject: Subject,
    signals: Signals,
    id: String,
    now: Timestamp,
    calendar: &Calendar,
) -> (OptOutDecision, Option<NewRequest>) {
    let decision = signals.decide();
    if decision.value != Some(true) {
        return (decision, None);
    }
    let Ok(received) = calendar.received(None, now) else {
        return (decision, None);
    };
    let request_id = format!("signal-{}-{}", received.day, &subject_key(&subject)[..32]);
    let request = NewRequest {
        id,
        request_id,
        due_date: calendar.due_date(&received),
        opt_out: true,
        explicit: false,
        decision: Some(decision_json(&decision)),
        source: Some(signal_source(&decision).to_owned()),
        subject,
        signals,
        received,
    };
    (decision, Some(request))
}

/// The signals of a browser request: the body's, with `Sec-GPC: 1` counting as GPC.
pub fn browser_signals(body: SignalsBody, sec_gpc: Option<bool>) -> Signals {
    let gpc = match (sec_gpc, body.gpc) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (_, other) => other,
    };
    Signals {
        gpc,
        usp: body.usp,
        gpp: body.gpp,
    }
}

/// SHA-256 of the subject with its kind, lowercase hex.
pub fn subject_key(subject: &Subject) -> String {
    let text = match subject {
        Subject::Email(email) => format!("email:{}", email.as_str()),
        Subject::PKey(pkey) => format!("pkey:{}", pkey.as_str()),
    };
    sha256_hex(text.as_bytes())
}

/// SHA-256, lowercase hex (the records' `emailSha256`, as `bulk` writes it).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn checked_request_id(id: String) -> Result<String, ApiError> {
    if id.is_empty() || id.len() > MAX_REQUEST_ID_LEN || id.chars().any(char::is_control) {
        return Err(ApiError::validation(
            422,
            "requestId",
            format!("requestId must be 1 to {MAX_REQUEST_ID_LEN} bytes without control characters"),
        ));
    }
    Ok(id)
}

fn checked_source(source: String) -> Result<String, ApiError> {
    if source.is_empty() || source.len() > MAX_SOURCE_LEN || source.chars().any(char::is_control) {
        return Err(ApiError::validation(
            422,
            "source",
            format!("source must be 1 to {MAX_SOURCE_LEN} bytes without control characters"),
        ));
    }
    Ok(source.to_lowercase())
}

fn core_error(err: &ccpa_optout::Error) -> ApiError {
    ApiError::from_core(err)
}

fn decision_json(decision: &OptOutDecision) -> String {
    serde_json::to_string(decision).unwrap_or_else(|_| "null".to_owned())
}

/// The manner of a browser request: the first signal that opted out.
fn signal_source(decision: &OptOutDecision) -> &'static str {
    let first = decision.reasons.iter().find_map(|reason| match reason {
        OptOutReason::Signal {
            signal,
            says: SignalSays::OptOut,
        } => Some(*signal),
        _ => None,
    });
    match first {
        Some(PrivacySignal::Gpc) => "gpc",
        Some(PrivacySignal::Usp) => "usp",
        _ => "gpp",
    }
}

#[cfg(test)]
mod tests;
