//! `bulk` against the emulator: outcomes, final state, audit records, faults and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;

use acs_emulator::{EmulatorConfig, seed};
use ccpa_optout::AuditOutcome;
use common::{Acs, audit_records, code, seed_csv, stderr, stdout};

/// Seed indexes to request: every profile but the duplicates (`i % 10 == 9`), whose email is
/// the one of `i - 1`, so each row's matches are `i` and, for `i % 10 == 8`, also `i + 1`.
fn people(count: u64) -> Vec<u64> {
    (0..count).filter(|i| i % 10 != 9).collect()
}

fn matches(index: u64, seeded: u64) -> Vec<u64> {
    let mut found = vec![index];
    if index % 10 == 8 && index + 1 < seeded {
        found.push(index + 1);
    }
    found
}

#[test]
fn every_request_is_applied_once_and_recorded_with_its_outcome() {
    let acs = Acs::start(200);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    let indexes = people(200);
    seed_csv(&input, indexes.iter().copied());

    let output = acs.bulk(&input, &audit, &["--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let records = audit_records(&audit);
    assert_eq!(records.len(), indexes.len());
    let by_id: HashMap<_, _> = records.iter().map(|r| (r.request_id.clone(), r)).collect();
    for &index in &indexes {
        let record = by_id[&format!("r{index}")];
        let found = matches(index, 200);
        let any_off = found.iter().any(|&j| !seed::profile(j).ccpa_opt_out);
        let expected = if any_off {
            AuditOutcome::Applied
        } else {
            AuditOutcome::Unchanged
        };
        assert_eq!(record.outcome, expected, "row {index}");
        assert_eq!(record.changes.len(), found.len(), "row {index}");
        assert!(record.changes.iter().all(|c| c.current));
        for (change, &j) in record.changes.iter().zip(&found) {
            assert_eq!(change.previous, Some(seed::profile(j).ccpa_opt_out));
            assert_eq!(change.changed, !seed::profile(j).ccpa_opt_out);
        }
        assert_eq!(record.source.as_deref(), Some("web"));
        assert_eq!(record.due_date.as_deref(), Some("2026-11-23"));
        assert!(record.email_sha256.as_ref().is_some_and(|h| h.len() == 64));
        assert!(record.applied_at.ends_with('Z'));
    }
    for index in [0, 8, 9, 57, 198, 199] {
        for (pkey, value) in acs.opt_outs(&seed::email(index)) {
            assert_eq!(value, Some(true), "{pkey}");
        }
    }
    let summary = stdout(&output);
    assert!(
        summary.contains(&format!("{} requests", indexes.len())),
        "{summary}"
    );
    assert!(summary.contains(audit.to_str().unwrap()), "{summary}");
}

#[test]
fn rate_limits_server_errors_and_dropped_connections_are_retried_to_the_same_end() {
    let acs = Acs::start(300);
    acs.set_faults(
        // 100 requests a second is far below what bulk sends even on a loaded machine, so 429s
        // always come (300 let a slow run pass under the limit and inject none).
        r#"{"status": {"503": 0.1}, "drop": 0.03, "rate_limit": {"per_second": 100, "retry_after": 1}}"#,
    );
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    let indexes = people(300);
    seed_csv(&input, indexes.iter().copied());

    let output = acs.bulk(
        &input,
        &audit,
        &["--max-attempts", "10", "--concurrency", "16"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(acs.count_status(503) > 0, "no 503 was injected");
    assert!(acs.count_status(429) > 0, "no 429 was injected");
    assert!(acs.count_status(0) > 0, "no connection was dropped");

    let records = audit_records(&audit);
    assert_eq!(records.len(), indexes.len());
    assert!(records.iter().all(|r| r.outcome.is_final()));
    for index in [0, 8, 101, 288] {
        for (pkey, value) in acs.opt_outs(&seed::email(index)) {
            assert_eq!(value, Some(true), "{pkey}");
        }
    }
}

#[test]
fn invalid_rows_are_rejected_with_a_reason_and_the_valid_ones_applied() {
    let acs = Acs::start(20);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    let good = seed::email(3);
    std::fs::write(
        &input,
        format!(
            "email,optOut,receivedAt,requestId\n\
             {good},true,2026-11-02,ok-1\n\
             not-an-email,true,2026-11-02,bad-email\n\
             {good},yes,2026-11-02,bad-value\n\
             {good},true,2026-13-02,bad-date\n\
             ,true,2026-11-02,no-subject\n\
             nobody.here@example.com,true,2026-11-02,unknown\n"
        ),
    )
    .unwrap();

    let output = acs.bulk(&input, &audit, &["--quiet"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("4 rejected"),
        "{}",
        stderr(&output)
    );

    let records = audit_records(&audit);
    let by_id: HashMap<_, _> = records.iter().map(|r| (r.request_id.as_str(), r)).collect();
    assert_eq!(records.len(), 6);
    for (id, words) in [
        ("bad-email", "name@domain"),
        ("bad-value", "\"yes\""),
        ("bad-date", "receivedAt"),
        ("no-subject", "neither an email nor a pkey"),
    ] {
        assert_eq!(by_id[id].outcome, AuditOutcome::Rejected, "{id}");
        assert!(by_id[id].reason.as_ref().unwrap().contains(words), "{id}");
        assert!(by_id[id].changes.is_empty());
    }
    assert_eq!(by_id["unknown"].outcome, AuditOutcome::NotFound);
    assert!(by_id["ok-1"].outcome.is_final());
    assert_ne!(by_id["ok-1"].outcome, AuditOutcome::Rejected);
    assert_eq!(acs.opt_outs(&good)[0].1, Some(true));
}

#[test]
fn jsonl_needs_json_booleans_and_skips_repeated_request_ids() {
    let acs = Acs::start(20);
    let input = acs.path("requests.jsonl");
    let audit = acs.path("audit.jsonl");
    let (a, b) = (seed::email(1), seed::email(2));
    std::fs::write(
        &input,
        format!(
            "{{\"email\":\"{a}\",\"optOut\":true,\"requestId\":\"j1\",\"source\":\"GPC\"}}\n\
             {{\"email\":\"{b}\",\"optOut\":\"true\",\"requestId\":\"j2\"}}\n\
             {{\"email\":\"{a}\",\"optOut\":true,\"requestId\":\"j1\"}}\n\
             [1,2]\n\
             {{\"pkey\":\"@NoSuchProfile\",\"optOut\":true}}\n"
        ),
    )
    .unwrap();

    let output = acs.bulk(&input, &audit, &["--quiet", "--json"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(summary["repeated"], 1);
    assert_eq!(summary["outcomes"]["rejected"], 2);
    assert_eq!(summary["outcomes"]["not-found"], 1);

    let records = audit_records(&audit);
    assert_eq!(records.len(), 4);
    assert_eq!(records.iter().filter(|r| r.request_id == "j1").count(), 1);
    let j2 = records.iter().find(|r| r.request_id == "j2").unwrap();
    assert!(j2.reason.as_ref().unwrap().contains("JSON boolean"));
    let derived = records.iter().find(|r| r.pkey.is_some()).unwrap();
    assert!(derived.request_id.starts_with("sha256:"));
    assert_eq!(derived.outcome, AuditOutcome::NotFound);
    assert_eq!(
        records
            .iter()
            .find(|r| r.request_id == "j1")
            .unwrap()
            .source
            .as_deref(),
        Some("gpc")
    );
}

#[test]
fn holidays_move_the_due_date_and_late_answers_count_as_overdue() {
    let acs = Acs::start(20);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    let holidays = acs.path("holidays.txt");
    std::fs::write(&holidays, "# office closed\n2025-01-20\n").unwrap();
    std::fs::write(
        &input,
        format!(
            "email,optOut,receivedAt\n{},true,2025-01-03\n",
            seed::email(4)
        ),
    )
    .unwrap();
    let holidays_arg = holidays.to_str().unwrap();
    let output = acs.bulk(&input, &audit, &["--quiet", "--holidays", holidays_arg]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let record = &audit_records(&audit)[0];
    assert_eq!(record.due_date.as_deref(), Some("2025-01-27"));
    assert_eq!(record.due_met, Some(false));
    assert!(stdout(&output).contains("overdue: 1 answered after"));
}

#[test]
fn privacy_signal_columns_decide_the_value_and_never_clear_an_opt_out() {
    let acs = Acs::start(20);
    let input = acs.path("signals.csv");
    let audit = acs.path("audit.jsonl");
    // Seed profiles 0, 1, 2, 4, 5, 6 start not opted out; 3 starts opted out.
    assert!((0..7).all(|i| seed::profile(i).ccpa_opt_out == (i == 3)));
    let e = seed::email;
    std::fs::write(
        &input,
        format!(
            "requestId,email,optOut,gpc,usp,gpp\n\
             gpc,{},,1,,\n\
             usp-no,{},,,1YNN,\n\
             gpp-ca,{},,,,DBABBg~BVWSSSVY.YA\n\
             usp-no-on-opted-out,{},,,1YNN,\n\
             not-applicable,{},,,1---,\n\
             signal-beats-false,{},false,1,,\n\
             unreadable-only,{},,,1Y-N,\n",
            e(0),
            e(1),
            e(2),
            e(3),
            e(4),
            e(5),
            e(6)
        ),
    )
    .unwrap();
    let output = acs.bulk(&input, &audit, &["--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let records = audit_records(&audit);
    let by_id: HashMap<_, _> = records.iter().map(|r| (r.request_id.as_str(), r)).collect();
    let outcome = |id: &str| by_id[id].outcome;
    let reason = |id: &str| by_id[id].reason.clone().unwrap_or_default();

    assert_eq!(outcome("gpc"), AuditOutcome::Applied);
    assert_eq!(reason("gpc"), "GPC opts out");
    assert_eq!(outcome("gpp-ca"), AuditOutcome::Applied);
    assert!(reason("gpp-ca").contains("GPP usca opts out"));
    for id in ["usp-no", "usp-no-on-opted-out", "not-applicable"] {
        assert_eq!(outcome(id), AuditOutcome::Unchanged, "{id}");
        assert!(
            by_id[id].changes.is_empty() && by_id[id].requested.is_none(),
            "{id}"
        );
    }
    assert!(reason("usp-no").contains("never clears"));
    assert!(reason("not-applicable").contains("no privacy signal applies"));
    assert_eq!(outcome("signal-beats-false"), AuditOutcome::Applied);
    assert_eq!(by_id["signal-beats-false"].requested, Some(true));
    assert!(reason("signal-beats-false").contains("wins over optOut=false"));
    assert_eq!(outcome("unreadable-only"), AuditOutcome::Unchanged);
    assert!(reason("unreadable-only").contains("USP could not be read"));

    let value = |i: u64| acs.opt_outs(&e(i))[0].1;
    assert_eq!(
        [0, 1, 2, 3, 4, 5, 6].map(value),
        [true, false, true, true, false, true, false].map(Some)
    );
}

#[test]
fn the_preflight_warns_on_an_unknown_type_name_and_stops_only_on_a_missing_field() {
    // ACS documents no type name for booleans: a field declared "bool" is used, with one
    // warning; the core still refuses any non-boolean value profile by profile.
    let acs = Acs::start_with(
        EmulatorConfig::default()
            .with_seed(5)
            .with_custom_field("cusOptOutCcpa", "bool"),
    );
    let input = acs.path("requests.csv");
    seed_csv(&input, [1, 2, 3]);
    let ext = [
        "--quiet",
        "--api",
        "profileAndServicesExt",
        "--opt-out-field",
        "cusOptOutCcpa",
    ];
    let output = acs.bulk(&input, &acs.path("audit.jsonl"), &ext);
    let text = stderr(&output);
    assert_eq!(code(&output), 0, "{text}");
    assert_eq!(text.matches("warning:").count(), 1, "{text}");
    assert!(text.contains("cusOptOutCcpa as \"bool\""), "{text}");
    let records = audit_records(&acs.path("audit.jsonl"));
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(|r| r.outcome == AuditOutcome::Applied));

    let missing = [
        "--quiet",
        "--api",
        "profileAndServicesExt",
        "--opt-out-field",
        "cusNotPublished",
    ];
    let output = acs.bulk(&input, &acs.path("missing.jsonl"), &missing);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no cusNotPublished field"),
        "{}",
        stderr(&output)
    );
    assert!(audit_records(&acs.path("missing.jsonl")).is_empty());
}

#[test]
fn a_signal_that_cannot_be_read_is_recorded_and_never_cancels_one_that_can() {
    let acs = Acs::start(20);
    let input = acs.path("unreadable.csv");
    let audit = acs.path("audit.jsonl");
    // None of these seed profiles starts opted out.
    let people = [7, 10, 11, 12, 13, 14];
    assert!(people.iter().all(|i| !seed::profile(*i).ccpa_opt_out));
    let e = seed::email;
    std::fs::write(
        &input,
        format!(
            "requestId,email,gpc,usp,gpp\n\
             gpc-and-broken-usp,{},1,1Y-N,\n\
             broken-usp-only,{},,1Y-N,\n\
             broken-gpp-only,{},,,DBABLA~z\n\
             usnat-sale-1-targeted-3,{},,,DBABLA~CEQTAAAAAABA\n\
             colorado,{},,,DBABJg~BVWSSVg.YA\n\
             gpc-not-a-flag,{},yes,,\n",
            e(7),
            e(10),
            e(11),
            e(12),
            e(13),
            e(14)
        ),
    )
    .unwrap();
    let output = acs.bulk(&input, &audit, &["--quiet"]);
    // Only the row whose gpc cell is not a flag is rejected.
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let records = audit_records(&audit);
    let by_id: HashMap<_, _> = records.iter().map(|r| (r.request_id.as_str(), r)).collect();
    let outcome = |id: &str| by_id[id].outcome;
    let reason = |id: &str| by_id[id].reason.clone().unwrap_or_default();

    // GPC is honoured; the broken USP is named with why it could not be read.
    assert_eq!(outcome("gpc-and-broken-usp"), AuditOutcome::Applied);
    assert_eq!(by_id["gpc-and-broken-usp"].requested, Some(true));
    assert_eq!(
        reason("gpc-and-broken-usp"),
        "GPC opts out; USP could not be read and does not count (US Privacy string has '-' in \
         position 3 but is not 1---: while the CCPA applies, the opt-out must be Y or N)"
    );
    // Only unreadable signals: nothing to apply, and the record says why.
    for id in ["broken-usp-only", "broken-gpp-only"] {
        assert_eq!(outcome(id), AuditOutcome::Unchanged, "{id}");
        assert!(
            by_id[id].changes.is_empty() && by_id[id].requested.is_none(),
            "{id}"
        );
    }
    assert!(
        reason("broken-usp-only")
            .starts_with("no privacy signal applies: USP could not be read and does not count (US Privacy string has '-'"),
        "{}",
        reason("broken-usp-only")
    );
    assert!(
        reason("broken-gpp-only")
            .contains("GPP could not be read and does not count (GPP usnat section")
    );
    // One undefined field does not cancel the section's sale opt-out.
    assert_eq!(outcome("usnat-sale-1-targeted-3"), AuditOutcome::Applied);
    assert!(reason("usnat-sale-1-targeted-3").contains(
        "GPP usnat opts out; part of GPP could not be read and does not count \
         (usnat.TargetedAdvertisingOptOut has the undefined value 3)"
    ));
    // A state section counts like usnat.
    assert_eq!(outcome("colorado"), AuditOutcome::Applied);
    assert_eq!(reason("colorado"), "GPP usco opts out; GPP GPC opts out");
    assert_eq!(outcome("gpc-not-a-flag"), AuditOutcome::Rejected);

    let value = |i: u64| acs.opt_outs(&e(i))[0].1;
    assert_eq!(
        people.map(value),
        [true, false, false, true, true, false].map(Some)
    );
}
