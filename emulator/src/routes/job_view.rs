//! How Privacy Service jobs look on the wire: list entries, one job in full, Campaign's response.

use serde_json::{Map, Value, json};

use super::jobs::PREFIX;
use crate::clock;
use crate::jobs::{Action, Job, JobStatus, Outcome, SUBMITTED_BY};

/// A list entry: the fields the guide's list shows.
pub fn summary(job: &Job) -> Map<String, Value> {
    let fields = json!({
        "jobId": job.id,
        "requestId": job.request_id,
        "userKey": job.user_key,
        "action": job.action.name(),
        "status": job.status.name(),
        "submittedBy": SUBMITTED_BY,
        "createdDate": clock::format_job_date(job.created),
        "lastModifiedDate": clock::format_job_date(job.modified),
        "regulation": job.regulation,
    });
    match fields {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// One job in full: identities, Campaign's response once processed, the download link.
pub fn render(job: &Job, origin: &str) -> Value {
    let mut out = summary(job);
    let ids: Vec<Value> = job
        .ids
        .iter()
        .map(|id| {
            let mut shown = json!({"namespace": id.namespace, "value": id.value, "type": id.qualifier,
                                   "isDeletedClientSide": id.deleted_client_side});
            if let (Some(n), Value::Object(map)) = (id.namespace_id, &mut shown) {
                map.insert("namespaceId".into(), Value::from(n));
            }
            shown
        })
        .collect();
    out.insert("userIds".into(), Value::from(ids));
    let responses = match job.outcome {
        Some((outcome, processed)) => vec![product_response(job, outcome, processed)],
        None => Vec::new(),
    };
    out.insert("productResponses".into(), Value::from(responses));
    if job.status == JobStatus::Complete && job.action == Action::Access {
        out.insert(
            "downloadURL".into(),
            Value::from(format!("{origin}{PREFIX}/jobs/{}/content", job.id)),
        );
    }
    Value::Object(out)
}

fn product_response(job: &Job, outcome: Outcome, processed: i64) -> Value {
    let (message, detail) = match (outcome, job.action) {
        (Outcome::Success { profiles }, Action::Access) => (
            "Success",
            format!("{profiles} Campaign profile(s) found; their data is in the job's content"),
        ),
        (Outcome::Success { profiles }, Action::Delete) => {
            ("Success", format!("{profiles} Campaign profile(s) deleted"))
        }
        (Outcome::NotFound, _) => (
            "User IDs not found",
            "No Campaign profile matched the user IDs".to_owned(),
        ),
        (Outcome::Failed, _) => (
            "Unexpected error",
            "The job was made to fail (acs-emulator admin API)".to_owned(),
        ),
    };
    json!({"product": "Campaign", "retryCount": 0,
           "processedDate": clock::format_job_date(processed),
           "productStatusResponse": {"status": outcome.status().name(), "message": message,
               "responseMsgCode": outcome.code(), "responseMsgDetail": detail, "results": {}}})
}
