//! `ccpa-optout audit export`: the settled requests of a store as the same JSONL audit records
//! that `bulk` writes, one format for both paths.

use std::io::Write;

use ccpa_optout::{AuditChange, AuditOutcome, AuditRecord};

use crate::store::{Status, Store, StoreError, StoredRequest};

/// Requests read from the store at a time.
const PAGE: usize = 1000;

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The output could not be written.
    #[error("cannot write the records: {0}")]
    Write(#[from] std::io::Error),
}

/// Writes one record per settled request, in order of arrival; returns how many.
pub async fn export(store: &dyn Store, out: &mut dyn Write) -> Result<u64, ExportError> {
    let mut after = 0;
    let mut written = 0;
    loop {
        let page = store.settled_after(after, PAGE).await?;
        let Some(last) = page.last() else {
            break;
        };
        after = last.seq;
        for request in &page {
            serde_json::to_writer(&mut *out, &record(request)).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
            written += 1;
        }
    }
    out.flush()?;
    Ok(written)
}

/// The audit record of a settled request: the email only as its SHA-256, like `bulk`'s.
pub fn record(request: &StoredRequest) -> AuditRecord {
    let outcome = match request.status {
        Status::Applied => AuditOutcome::Applied,
        Status::Unchanged => AuditOutcome::Unchanged,
        Status::NotFound => AuditOutcome::NotFound,
        Status::Rejected => AuditOutcome::Rejected,
        // Only settled requests are exported; an open one would be a failure still open.
        Status::Queued | Status::Applying | Status::Retrying => AuditOutcome::Failed,
    };
    let changes: Vec<AuditChange> = request
        .changes
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    AuditRecord {
        request_id: request.request_id.clone(),
        line: None,
        source: request.source.clone(),
        received_at: Some(request.received_at.clone()),
        applied_at: request.applied_at.clone().unwrap_or_default(),
        pkey: request.pkey.clone(),
        email_sha256: request.email_sha256.clone(),
        requested: Some(request.opt_out),
        changes,
        outcome,
        reason: request.reason.clone(),
        due_date: Some(request.due_date.clone()),
        due_met: request.due_met,
    }
}
