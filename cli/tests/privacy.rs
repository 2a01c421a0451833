//! `privacy submit`, `status` and `list` against the emulator's Privacy Service, killed and resumed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use acs_emulator::seed;
use ccpa_optout::privacy::{PrivacyOutcome, PrivacyRecord};
use common::{Acs, assert_no_secret, code, dice, env_number, stderr, stdout};

/// Every record of a privacy audit log (a torn last line is ignored, as `--resume` does).
fn records(path: &Path) -> Vec<PrivacyRecord> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.split_inclusive('\n')
        .filter(|line| line.ends_with('\n'))
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn run(acs: &Acs, args: &[&str]) -> Output {
    let output = acs
        .privacy_cli()
        .arg("privacy")
        .args(args)
        .output()
        .unwrap();
    assert_no_secret(&output);
    output
}

#[test]
fn a_file_is_filed_followed_and_each_request_recorded_once() {
    let acs = Acs::start(20);
    let input = acs.path("dsr.csv");
    let audit = acs.path("dsr.audit.jsonl");
    let archives = acs.path("archives");
    std::fs::write(
        &input,
        format!(
            "requestId,action,email,namespace,value,type,receivedAt,source\n\
             k1,access+delete,{},,,,2026-11-02T09:00:00-08:00,web\n\
             k2,access,nobody@example.net,,,,2026-11-02,email\n\
             k3,erase,{},,,,2026-11-02,web\n\
             k4,delete,,ECID,1234,,2026-11-03,web\n\
             k1,delete,{},,,,2026-11-02,web\n",
            seed::email(1),
            seed::email(2),
            seed::email(3),
        ),
    )
    .unwrap();
    let output = run(
        &acs,
        &[
            "submit",
            input.to_str().unwrap(),
            "--audit",
            audit.to_str().unwrap(),
            "--wait",
            "--interval",
            "1",
            "--download",
            archives.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(code(&output), 1, "one row is rejected: {}", stderr(&output));
    let summary: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(summary["outcomes"]["submitted"], 3, "{summary}");
    assert_eq!(summary["outcomes"]["rejected"], 1, "{summary}");
    assert_eq!(
        summary["repeated"], 1,
        "the second k1 row is the same request"
    );
    assert_eq!(summary["jobs"], 4);
    let followed = summary["followed"].as_array().unwrap();
    assert!(
        followed.iter().all(|job| job["status"] == "complete"),
        "{summary}"
    );
    assert!(
        followed.iter().all(|job| job["response"] == "met"),
        "{summary}"
    );

    let written = records(&audit);
    assert_eq!(written.len(), 4);
    let k1 = written.iter().find(|r| r.request_id == "k1").unwrap();
    assert_eq!((k1.outcome, k1.jobs.len()), (PrivacyOutcome::Submitted, 2));
    assert_eq!(k1.confirm_by.unwrap().to_string(), "2026-11-16");
    assert_eq!(k1.respond_by.unwrap().to_string(), "2026-12-17");
    let text = std::fs::read_to_string(&audit).unwrap();
    assert!(!text.contains(&seed::email(1)), "identities only as hashes");
    let k3 = written.iter().find(|r| r.request_id == "k3").unwrap();
    assert_eq!(k3.outcome, PrivacyOutcome::Rejected);
    assert!(k3.reason.as_deref().unwrap().contains("access"), "{k3:?}");

    // The access archive holds the profile; the delete removed it from ACS.
    let access = k1
        .jobs
        .iter()
        .find(|j| j.action.map(|a| a.as_str()) == Some("access"))
        .unwrap();
    let archive = std::fs::read(archives.join(format!("{}.zip", access.job_id))).unwrap();
    assert_eq!(&archive[..4], b"PK\x03\x04");
    assert!(String::from_utf8_lossy(&archive).contains(&seed::email(1)));
    assert!(
        acs.opt_outs(&seed::email(1)).is_empty(),
        "the delete job erased the profile"
    );

    // `status --audit` follows the same jobs; `list` finds them by status.
    let status = run(
        &acs,
        &["status", "--audit", audit.to_str().unwrap(), "--json"],
    );
    assert_eq!(code(&status), 0, "{}", stderr(&status));
    let shown: serde_json::Value = serde_json::from_str(stdout(&status).trim()).unwrap();
    assert_eq!(shown.as_array().unwrap().len(), 4);
    let listed = run(&acs, &["list", "--status", "complete", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(stdout(&listed).trim()).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 4, "{listed}");

    // A second run of the same file without --resume is refused: it would file twice.
    let again = run(
        &acs,
        &[
            "submit",
            input.to_str().unwrap(),
            "--audit",
            audit.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&again), 2, "{}", stderr(&again));
    assert!(stderr(&again).contains("--resume"));
}

#[test]
fn bad_settings_and_filters_are_usage_errors_naming_the_fix() {
    let acs = Acs::start(1);
    let input = acs.path("dsr.csv");
    std::fs::write(&input, "action,email\naccess,a@example.com\n").unwrap();
    let output = acs
        .cli()
        .args(["privacy", "submit", input.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("--ims-org (CAMPAIGN_STANDARD_IMS_ORG)"),
        "{}",
        stderr(&output)
    );

    let wrong_org = acs
        .privacy_cli()
        .env(
            "CAMPAIGN_STANDARD_IMS_ORG",
            "SOMEONEELSE0000000000000@AdobeOrg",
        )
        .args(["privacy", "list"])
        .output()
        .unwrap();
    assert_ne!(code(&wrong_org), 0);
    assert!(
        stderr(&wrong_org).contains("403025"),
        "{}",
        stderr(&wrong_org)
    );

    for (args, words) in [
        (
            &["list", "--from", "2026-11-01", "--to", "2026-12-15"][..],
            "30 days",
        ),
        (&["list", "--status", "queued"][..], "status"),
        (&["status", "../consent"][..], "job ID"),
        (&["list", "--regulation", "CCPA"][..], "regulation"),
    ] {
        let output = run(&acs, args);
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(words),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let no_action = acs.path("no-action.csv");
    std::fs::write(&no_action, "email\na@example.com\n").unwrap();
    let output = run(&acs, &["submit", no_action.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("action column"),
        "{}",
        stderr(&output)
    );
    assert!(acs.privacy_jobs().is_empty(), "nothing was filed");

    // A regulation code the service no longer takes: the batch is refused, each request is
    // tried alone and recorded as rejected with the service's reason (never retried forever).
    let dsr = acs.path("old-code.csv");
    let audit = acs.path("old-code.audit.jsonl");
    std::fs::write(
        &dsr,
        "requestId,action,email\na,access,a@example.com\nb,delete,b@example.com\n",
    )
    .unwrap();
    let output = run(
        &acs,
        &[
            "submit",
            dsr.to_str().unwrap(),
            "--audit",
            audit.to_str().unwrap(),
            "--regulation",
            "ucpa_usa",
        ],
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let written = records(&audit);
    assert_eq!(written.len(), 2);
    for record in &written {
        assert_eq!(record.outcome, PrivacyOutcome::Rejected, "{record:?}");
        assert!(
            record.reason.as_deref().unwrap().contains("ucpa"),
            "{record:?}"
        );
    }
    assert!(acs.privacy_jobs().is_empty(), "nothing was filed");
}

/// 2,000 requests under the emulator's fault mix, SIGKILLed at random points and resumed:
/// every request ends with exactly one settled record, and every action has exactly one job.
#[test]
fn a_submit_killed_at_random_points_resumes_to_one_record_and_one_job_each() {
    const REQUESTS: u64 = 2000;
    let seed_value = env_number("PRIVACY_KILL_SEED", 0x5EED_0018);
    eprintln!("PRIVACY_KILL_SEED={seed_value}");
    let mut state = seed_value.max(1);
    let acs = Acs::start(REQUESTS);
    acs.set_faults(
        r#"{"latency_ms": [5, 25], "status": {"503": 0.05, "429": 0.03}, "drop": 0.04}"#,
    );
    let input = acs.path("dsr.csv");
    let audit = acs.path("dsr.audit.jsonl");
    let mut text = String::from("requestId,action,email,receivedAt\n");
    for i in 0..REQUESTS {
        let action = ["access", "delete", "access+delete"][(i % 3) as usize];
        text.push_str(&format!("dsr-{i},{action},{},2026-11-20\n", seed::email(i)));
    }
    std::fs::write(&input, text).unwrap();
    let args = ["--batch-size", "10", "--concurrency", "3", "--quiet"];

    let mut kills = 0;
    for round in 0..20 {
        let resume: &[&str] = if round == 0 { &[] } else { &["--resume"] };
        let mut child = acs
            .privacy_cli()
            .args([
                "privacy",
                "submit",
                input.to_str().unwrap(),
                "--audit",
                audit.to_str().unwrap(),
            ])
            .args(args)
            .args(resume)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if round < 4 {
            std::thread::sleep(Duration::from_millis(200 + dice(&mut state) % 1200));
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap(); // SIGKILL: no chance to finish anything
                kills += 1;
            }
            child.wait().unwrap();
            continue;
        }
        let status = child.wait().unwrap();
        if status.success() {
            break;
        }
    }
    assert!(
        kills >= 2,
        "only {kills} runs were killed mid-way; the test proves little"
    );

    let mut settled: HashMap<String, usize> = HashMap::new();
    for record in records(&audit) {
        if record.outcome.is_final() {
            assert_eq!(record.outcome, PrivacyOutcome::Submitted, "{record:?}");
            *settled.entry(record.request_id).or_default() += 1;
        }
    }
    assert_eq!(
        settled.len() as u64,
        REQUESTS,
        "every request has its settled record"
    );
    assert!(
        settled.values().all(|n| *n == 1),
        "a request has two settled records"
    );

    let mut jobs: HashMap<(String, String), usize> = HashMap::new();
    for job in acs.privacy_jobs() {
        let key = (
            job.user_key.unwrap(),
            job.action.unwrap().as_str().to_owned(),
        );
        *jobs.entry(key).or_default() += 1;
    }
    let doubled: Vec<_> = jobs.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        doubled.is_empty(),
        "{} actions filed twice: {:?}",
        doubled.len(),
        &doubled[..doubled.len().min(5)]
    );
    let expected = (0..REQUESTS)
        .map(|i| if i % 3 == 2 { 2 } else { 1 })
        .sum::<u64>();
    assert_eq!(
        jobs.len() as u64,
        expected,
        "one job per action of every request"
    );
    eprintln!("{kills} kills; {} jobs for {REQUESTS} requests", jobs.len());
}
