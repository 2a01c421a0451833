//! `bulk` under injected faults at scale: 10 % 503, 5 % 429 with `Retry-After`, 1 % dropped
//! connections (the request processed, the answer lost) and random latency. Every valid request
//! ends applied, no profile is left in a wrong state, and the emulator saw no more PATCHes than
//! real changes plus attempts that failed.
//!
//! `HARDEN_ROWS` sets the number of requests (default 2,000; `scripts/harden.sh` uses 20,000).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::time::Instant;

use acs_emulator::seed;
use ccpa_optout::{AuditOutcome, ListOptions};
use common::{Acs, audit_records, code, stderr};

const FAULTS: &str =
    r#"{"latency_ms": [0, 4], "status": {"503": 0.10, "429": 0.05}, "drop": 0.01}"#;

/// Every profile's PKey, email and opt-out, read with faults off.
fn profiles(acs: &Acs) -> HashMap<String, (String, Option<bool>)> {
    let client = acs.reader();
    let mut listing = client.list_profiles(ListOptions {
        page_size: Some(1000),
        ..ListOptions::default()
    });
    let mut all = HashMap::new();
    while let Some(page) = acs.runtime.block_on(listing.next_page()).unwrap() {
        for profile in page {
            let pkey = profile.pkey.unwrap().as_str().to_owned();
            all.insert(pkey, (profile.email.unwrap_or_default(), profile.opt_out));
        }
    }
    all
}

/// The request file: each seed email once (a tenth asking to opt back in), plus unknown
/// consumers and invalid rows in place of the seed's duplicate records. Returns what each
/// email asks for and how many rows are invalid.
fn request_file(path: &std::path::Path, rows: u64) -> (HashMap<String, bool>, u64) {
    let mut text = String::from("requestId,email,optOut,receivedAt,source\n");
    let mut wanted = HashMap::new();
    let mut invalid = 0;
    for i in 0..rows {
        let row = match i % 10 {
            9 if i % 20 == 9 => format!("r{i},nobody{i}@example.com,true"),
            9 => {
                invalid += 1;
                if i % 40 == 19 {
                    format!("r{i},not-an-email,true")
                } else {
                    format!("r{i},{},yes", seed::email(i))
                }
            }
            _ => {
                let value = i % 10 != 3;
                wanted.insert(seed::email(i), value);
                format!("r{i},{},{value}", seed::email(i))
            }
        };
        text.push_str(&row);
        text.push_str(",2026-11-02,web\n");
    }
    std::fs::write(path, text).unwrap();
    (wanted, invalid)
}

#[test]
fn a_bulk_run_under_503_429_drops_and_latency_applies_every_valid_request_exactly() {
    let rows: u64 = std::env::var("HARDEN_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let acs = Acs::start(rows);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    let (wanted, invalid) = request_file(&input, rows);
    let before = profiles(&acs);
    let baseline = acs.emulator.stats().total;
    acs.set_faults(FAULTS);

    let started = Instant::now();
    let output = acs.bulk(
        &input,
        &audit,
        &["--max-attempts", "10", "--concurrency", "16", "--quiet"],
    );
    let elapsed = started.elapsed();
    // Exit 1: the invalid rows are rejected; nothing may be left failed.
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let stats = acs.emulator.stats();
    let after = profiles(&acs);

    let records = audit_records(&audit);
    let mut outcomes: HashMap<AuditOutcome, u64> = HashMap::new();
    for record in &records {
        *outcomes.entry(record.outcome).or_default() += 1;
    }
    let count = |outcome| outcomes.get(&outcome).copied().unwrap_or(0);
    assert_eq!(records.len() as u64, rows, "one record per request");
    assert_eq!(count(AuditOutcome::Failed), 0, "{outcomes:?}");
    assert_eq!(count(AuditOutcome::Rejected), invalid, "{outcomes:?}");

    let mut wrong = Vec::new();
    let mut real_changes = 0u64;
    for (pkey, (email, value)) in &after {
        let initial = before[pkey].1;
        let expected = wanted.get(email).copied().map_or(initial, Some);
        if *value != expected {
            wrong.push(format!("{pkey} {email}: {value:?}, expected {expected:?}"));
        }
        if *value != initial {
            real_changes += 1;
        }
    }
    assert_eq!(after.len(), before.len());
    assert!(
        wrong.is_empty(),
        "{} profiles in a wrong state: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );

    let patches = |status: Option<u16>| -> u64 {
        stats
            .requests
            .iter()
            .filter(|r| r.method == "PATCH" && status.is_none_or(|s| r.status == s))
            .map(|r| r.count)
            .sum()
    };
    let (patch_total, patch_ok, patch_dropped) =
        (patches(None), patches(Some(200)), patches(Some(0)));
    let patch_failed = patch_total - patch_ok;
    let audited_changes: u64 = records
        .iter()
        .flat_map(|r| &r.changes)
        .filter(|c| c.changed)
        .count() as u64;
    let by_status = |status: u16| -> u64 {
        stats
            .requests
            .iter()
            .filter(|r| r.status == status)
            .map(|r| r.count)
            .sum()
    };
    println!(
        "faults {FAULTS}: {rows} requests ({invalid} invalid) in {:.1} s; applied {} unchanged {} not-found {} rejected {} failed {}; \
         profiles {} changed {real_changes} wrong {}; PATCH {patch_total} = {patch_ok} ok + {patch_failed} failed ({patch_dropped} dropped); \
         audit changes {audited_changes}; emulator requests {} (503: {}, 429: {}, dropped: {})",
        elapsed.as_secs_f64(),
        count(AuditOutcome::Applied),
        count(AuditOutcome::Unchanged),
        count(AuditOutcome::NotFound),
        count(AuditOutcome::Rejected),
        count(AuditOutcome::Failed),
        after.len(),
        wrong.len(),
        stats.total - baseline,
        by_status(503),
        by_status(429),
        by_status(0),
    );
    // One answered PATCH per real change: none for a profile that already had the value. A
    // dropped PATCH was processed but counts as failed (status 0); its retry is the answered one.
    assert_eq!(patch_ok, real_changes, "answered PATCHes vs real changes");
    assert!(patch_total <= real_changes + patch_failed);
    assert_eq!(
        audited_changes, real_changes,
        "the audit log's writes are the real changes"
    );
    assert!(
        by_status(503) > 0 && by_status(429) > 0 && by_status(0) > 0,
        "faults were injected"
    );
}
