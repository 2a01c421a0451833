//! A large file: ten thousand rows, streamed, every one recorded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Acs, audit_records, code, seed_csv, stderr};

#[test]
fn ten_thousand_rows_are_all_applied_and_recorded() {
    let acs = Acs::start(10_000);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    seed_csv(&input, 0..10_000);

    let output = acs.bulk(&input, &audit, &["--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let records = audit_records(&audit);
    assert_eq!(records.len(), 10_000);
    assert!(records.iter().all(|r| r.outcome.is_final()));
    let all = acs.all_opt_outs();
    assert_eq!(all.len(), 10_000);
    assert!(all.iter().all(|(_, value)| *value == Some(true)));
}
