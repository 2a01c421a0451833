//! `bulk` killed with SIGKILL at random points of one run and resumed each time: at every
//! moment no request has two settled records, and at the end every request has exactly one and
//! every profile its requested value.
//!
//! `HARDEN_ROWS` (default 2,000) and `HARDEN_KILLS` (default 5) set the size; `scripts/harden.sh`
//! uses 20,000 rows and 20 kills. `HARDEN_SEED` replays the kill points (printed at the start).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::{Acs, audit_records, code, dice, env_number, seed_csv, stderr};

/// Settled records per request id; fails if any request has two.
fn settled_per_id(audit: &std::path::Path) -> HashMap<String, usize> {
    let mut settled: HashMap<String, usize> = HashMap::new();
    for record in audit_records(audit) {
        if record.outcome.is_final() {
            *settled.entry(record.request_id).or_default() += 1;
        }
    }
    let twice: Vec<_> = settled.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "requests settled twice: {twice:?}");
    settled
}

#[test]
fn sigkill_at_random_points_and_resume_leave_one_settled_record_per_request() {
    let rows = env_number("HARDEN_ROWS", 2000);
    let kills = env_number("HARDEN_KILLS", 5);
    let seed = env_number(
        "HARDEN_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    ) | 1;
    println!("HARDEN_SEED={seed} HARDEN_ROWS={rows} HARDEN_KILLS={kills}");
    let mut state = seed;
    let acs = Acs::start(rows);
    // Latency stretches the run (about 1,000 rows/s) so that the kills land inside it.
    acs.set_faults(r#"{"latency_ms": [2, 6]}"#);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    seed_csv(&input, 0..rows);
    let args = ["--concurrency", "8", "--quiet"];
    // Spread the kills over about 60 % of the expected run time.
    let spread = (rows * 6 / 10 / kills).max(50);

    let mut points = Vec::new();
    let mut mid_run = 0;
    for round in 0..kills {
        let resume: &[&str] = if round == 0 { &[] } else { &["--resume"] };
        let mut child = acs.spawn_bulk(&input, &audit, &[&args[..], resume].concat());
        let wait = 80 + dice(&mut state) % (2 * spread);
        std::thread::sleep(Duration::from_millis(wait));
        if child.try_wait().unwrap().is_none() {
            mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL: no chance to finish anything
        child.wait().unwrap();
        let settled = settled_per_id(&audit).len();
        points.push(format!("{wait} ms: {settled}"));
    }
    println!(
        "kill points (delay: requests settled): {}",
        points.join(", ")
    );

    let output = acs.bulk(&input, &audit, &[&args[..], &["--resume"]].concat());
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let settled = settled_per_id(&audit);
    assert_eq!(settled.len() as u64, rows, "every request settled");
    assert!((0..rows).all(|i| settled.contains_key(&format!("r{i}"))));
    let records = audit_records(&audit).len();
    let wrong = acs
        .all_opt_outs()
        .into_iter()
        .filter(|(_, value)| *value != Some(true))
        .count();
    println!(
        "{rows} requests, {kills} SIGKILLs ({mid_run} during the run), then a resume: \
         {} settled, {records} records in all, {wrong} profiles in a wrong state",
        settled.len()
    );
    assert_eq!(wrong, 0);
    assert!(
        mid_run * 2 >= kills,
        "only {mid_run} of {kills} kills landed during a run"
    );
}
