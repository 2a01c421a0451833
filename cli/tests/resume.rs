//! Killing a bulk run at any moment and resuming it: one settled record per request, no more.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::process::Command;
use std::time::Duration;

use common::{Acs, audit_records, code, seed_csv, stderr, stdout};

const SEEDED: u64 = 3000;

/// Settled records per request id, checking that none has two.
fn settled_per_id(audit: &std::path::Path) -> HashMap<String, usize> {
    let mut settled: HashMap<String, usize> = HashMap::new();
    for record in audit_records(audit) {
        if record.outcome.is_final() {
            *settled.entry(record.request_id).or_default() += 1;
        }
    }
    for (id, count) in &settled {
        assert_eq!(*count, 1, "request {id} has {count} settled records");
    }
    settled
}

/// Waits (at most 20 s) until the audit log holds `count` records: the run is under way.
fn wait_for_records(audit: &std::path::Path, count: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while audit_records(audit).len() < count {
        assert!(
            std::time::Instant::now() < deadline,
            "the run did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn assert_all_opted_out(acs: &Acs) {
    let all = acs.all_opt_outs();
    assert_eq!(all.len() as u64, SEEDED);
    let left: Vec<_> = all.iter().filter(|(_, v)| *v != Some(true)).collect();
    assert!(
        left.is_empty(),
        "{} profiles not opted out: {:?}",
        left.len(),
        &left[..left.len().min(5)]
    );
}

#[test]
fn a_run_killed_at_several_points_resumes_to_exactly_one_record_per_request() {
    let acs = Acs::start(SEEDED);
    // Slow answers keep the run going long enough to be killed in the middle.
    acs.set_faults(r#"{"latency_ms": [8, 12]}"#);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    seed_csv(&input, 0..SEEDED);
    let args = ["--concurrency", "8"];

    let mut seen = Vec::new();
    for (round, wait_ms) in [150u64, 900, 1500, 700].into_iter().enumerate() {
        let resume: &[&str] = if round == 0 { &[] } else { &["--resume"] };
        let mut child = acs.spawn_bulk(&input, &audit, &[&args[..], resume].concat());
        std::thread::sleep(Duration::from_millis(wait_ms));
        child.kill().unwrap(); // SIGKILL: no chance to finish anything
        child.wait().unwrap();
        let settled = settled_per_id(&audit).len();
        seen.push(settled);
        if round == 1 {
            // A record torn by the kill, for a request not settled yet: resume must cut it.
            let mut log = std::fs::OpenOptions::new()
                .append(true)
                .open(&audit)
                .unwrap();
            log.write_all(b"{\"requestId\":\"r2999\",\"outcome\":\"appl")
                .unwrap();
        }
    }
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]) && seen[seen.len() - 1] < SEEDED as usize,
        "progress across kills: {seen:?}"
    );
    assert!(
        seen[seen.len() - 1] > 0,
        "no request was settled before the kills: {seen:?}"
    );

    let output = acs.bulk(
        &input,
        &audit,
        &[&args[..], &["--resume", "--quiet"]].concat(),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stdout(&output).contains("settled by an earlier run"),
        "{}",
        stdout(&output)
    );
    let settled = settled_per_id(&audit);
    assert_eq!(settled.len() as u64, SEEDED);
    assert!((0..SEEDED).all(|i| settled.contains_key(&format!("r{i}"))));
    assert_all_opted_out(&acs);

    // Once everything is settled, another resume applies nothing and writes nothing.
    let before = std::fs::metadata(&audit).unwrap().len();
    let output = acs.bulk(&input, &audit, &["--resume", "--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(std::fs::metadata(&audit).unwrap().len(), before);
}

#[test]
fn ctrl_c_finishes_the_requests_in_flight_and_resume_completes_the_rest() {
    let acs = Acs::start(SEEDED);
    acs.set_faults(r#"{"latency_ms": [8, 12]}"#);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    seed_csv(&input, 0..SEEDED);

    let child = acs.spawn_bulk(&input, &audit, &["--concurrency", "8"]);
    wait_for_records(&audit, 50);
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    let partial = settled_per_id(&audit).len();
    assert!(partial > 0 && (partial as u64) < SEEDED, "{partial}");
    // The log ends with a whole line: the requests in flight were recorded, none torn.
    assert!(std::fs::read(&audit).unwrap().ends_with(b"\n"));

    let output = acs.bulk(&input, &audit, &["--resume", "--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(settled_per_id(&audit).len() as u64, SEEDED);
    assert_all_opted_out(&acs);
}

#[test]
fn failed_requests_stay_open_and_are_tried_again_on_resume() {
    let acs = Acs::start(50);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    seed_csv(&input, 0..40);
    // Every answer is a 503 and there is no retry: every request fails.
    acs.set_faults(r#"{"status": {"503": 1.0}}"#);
    let output = acs.bulk(&input, &audit, &["--quiet", "--max-attempts", "1"]);
    // The pre-flight check fails first: nothing was started, nothing recorded.
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert!(audit_records(&audit).is_empty());

    // Half the answers fail, without retries: some requests fail and stay open.
    acs.set_faults(r#"{"status": {"503": 0.5}}"#);
    let mut rounds = 0;
    loop {
        rounds += 1;
        let output = acs.bulk(
            &input,
            &audit,
            &["--quiet", "--max-attempts", "1", "--resume"],
        );
        if code(&output) == 0 {
            break;
        }
        // 1: some requests failed (or the pre-flight check did); never a usage error.
        assert_eq!(code(&output), 1, "{}", stderr(&output));
        assert!(rounds < 60, "never finished");
    }
    let records = audit_records(&audit);
    assert!(
        records.iter().any(|r| !r.outcome.is_final()),
        "nothing failed"
    );
    assert_eq!(settled_per_id(&audit).len(), 40);
    for record in records.iter().filter(|r| !r.outcome.is_final()) {
        assert!(record.reason.as_ref().unwrap().contains("503"));
    }
}

#[test]
fn an_existing_audit_log_is_not_appended_to_without_resume() {
    let acs = Acs::start(10);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    seed_csv(&input, 0..5);
    assert_eq!(code(&acs.bulk(&input, &audit, &["--quiet"])), 0);
    let before = std::fs::read(&audit).unwrap();

    let output = acs.bulk(&input, &audit, &["--quiet"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("--resume"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&audit).unwrap(), before);
}

#[test]
fn credentials_refused_mid_run_stop_new_requests_and_resume_finishes_later() {
    let acs = Acs::start(SEEDED);
    acs.set_faults(r#"{"latency_ms": [8, 12]}"#);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    seed_csv(&input, 0..SEEDED);

    let child = acs
        .cli()
        .arg("bulk")
        .arg(&input)
        .arg("--audit")
        .arg(&audit)
        .args(["--concurrency", "8", "--quiet"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_records(&audit, 50);
    // From now on the gateway refuses the token on every request.
    acs.set_faults(r#"{"status": {"401": 1.0}}"#);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no further request was started"),
        "{}",
        stderr(&output)
    );
    let records = audit_records(&audit);
    let failed = records.iter().filter(|r| !r.outcome.is_final()).count();
    assert!((1..=8).contains(&failed), "{failed} failed records");
    assert!((records.len() as u64) < SEEDED);

    acs.set_faults("{}");
    let output = acs.bulk(&input, &audit, &["--resume", "--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(settled_per_id(&audit).len() as u64, SEEDED);
    assert_all_opted_out(&acs);
}
