//! `ccpa-optout serve` and `audit export` as users run them: the demo's printed curl line, the
//! flags and their `CCPA_OPTOUT_*` variables, SIGTERM, and the audit records.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use acs_emulator::seed;
use common::served::{self, RECEIVER_KEY, Served};
use common::{Acs, TOKEN, audit_records, code, stderr};
use serde_json::{Value, json};

/// Polls the status of `id` until it is settled.
fn settle(acs: &Acs, url: &str, key: &str, id: &str) -> Value {
    let http = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let view = acs
            .runtime
            .block_on(served::status(&http, url, key, id))
            .unwrap();
        if served::settled(&view) {
            return view;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{view}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_demo_prints_where_it_listens_and_a_curl_line_that_works() {
    let acs = Acs::start(0);
    let mut command = Command::new(env!("CARGO_BIN_EXE_ccpa-optout"));
    command.args([
        "serve",
        "--emulator",
        "--print-demo-credentials",
        "--listen",
        "127.0.0.1:0",
    ]);
    let served = Served::spawn(command);
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "{}",
        served.url
    );
    let lines = served.stdout_lines(6);
    let text = lines.join("\n");
    let key = lines
        .iter()
        .find_map(|l| l.strip_prefix("receiver API key: "))
        .unwrap_or_else(|| panic!("no key line in {text}"))
        .to_owned();
    assert!(key.starts_with("rk_demo_"), "{text}");
    assert!(text.contains("subject-token secret: "), "{text}");
    let curl = lines
        .iter()
        .map(|l| l.trim())
        .find(|l| l.starts_with("curl") && l.ends_with("/v1/opt-outs"))
        .unwrap_or_else(|| panic!("no curl line in {text}"));
    let output = Command::new("sh").args(["-c", curl]).output().unwrap();
    let answer: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{curl} → {}", String::from_utf8_lossy(&output.stdout)));
    assert_eq!(answer["status"], "queued", "{answer}");
    let view = settle(&acs, &served.url, &key, answer["id"].as_str().unwrap());
    assert_eq!(view["status"], "applied", "{view}");
    // The signals line (a subject token for another demo email) works too.
    let signals = lines
        .iter()
        .map(|l| l.trim())
        .find(|l| l.contains("/v1/signals"))
        .unwrap();
    let signals = signals.split("    #").next().unwrap();
    let output = Command::new("sh").args(["-c", signals]).output().unwrap();
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["honored"], true, "{answer}");
    let (status, stderr) = served.terminate(Duration::from_secs(15));
    assert!(status.success(), "exit {status:?}: {stderr}");
}

#[test]
fn serve_takes_its_settings_from_the_environment_and_exports_bulk_records() {
    let acs = Acs::start(30);
    let keys = acs.path("keys");
    std::fs::write(&keys, format!("# the shop's backend\n{RECEIVER_KEY}\n")).unwrap();
    let secret = acs.path("secret");
    std::fs::write(&secret, "a-subject-token-secret-of-forty-bytes-00\n").unwrap();
    let store = format!("sqlite:{}", acs.path("receiver.db").display());
    let mut command = acs.cli();
    command
        .arg("serve")
        .env("CCPA_OPTOUT_LISTEN", "127.0.0.1:0")
        .env("CCPA_OPTOUT_STORE", &store)
        .env("CCPA_OPTOUT_API_KEY_FILE", &keys)
        .env("CCPA_OPTOUT_SUBJECT_TOKEN_SECRET_FILE", &secret)
        .env(
            "CCPA_OPTOUT_ALLOW_ORIGIN",
            "https://shop.example,https://www.shop.example",
        )
        .env("CCPA_OPTOUT_CONCURRENCY", "4")
        .env("CCPA_OPTOUT_MAX_RPS", "200");
    let served = Served::spawn(command);
    let http = reqwest::Client::new();
    let mut ids = Vec::new();
    for index in [1, 2, 3] {
        let body = json!({"email": seed::email(index), "optOut": true, "requestId": format!("cli-{index}"), "source": "web"});
        let (code, answer) = acs
            .runtime
            .block_on(served::post(&http, &served.url, RECEIVER_KEY, &body))
            .unwrap();
        assert_eq!(code, 202, "{answer}");
        ids.push(answer["id"].as_str().unwrap().to_owned());
    }
    for id in &ids {
        settle(&acs, &served.url, RECEIVER_KEY, id);
    }
    // The second allowed origin came through the comma-separated variable.
    let preflight = acs.runtime.block_on(
        http.request(
            reqwest::Method::OPTIONS,
            format!("{}/v1/signals", served.url),
        )
        .header("Origin", "https://www.shop.example")
        .send(),
    );
    assert_eq!(preflight.unwrap().status().as_u16(), 204);
    let (status, log) = served.terminate(Duration::from_secs(15));
    assert!(status.success(), "{log}");
    for secret_value in [RECEIVER_KEY, TOKEN, "a-subject-token-secret"] {
        assert!(!log.contains(secret_value), "a secret in the log: {log}");
    }

    let audit = acs.path("export.jsonl");
    let output = Command::new(env!("CARGO_BIN_EXE_ccpa-optout"))
        .args(["audit", "export", "--store", &store, "--output"])
        .arg(&audit)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let records = audit_records(&audit);
    assert_eq!(records.len(), 3);
    for record in &records {
        let expected = if seed::profile(record.request_id[4..].parse().unwrap()).ccpa_opt_out {
            "unchanged"
        } else {
            "applied"
        };
        assert_eq!(record.outcome.as_str(), expected, "{record:?}");
        assert!(record.email_sha256.is_some() && record.due_date.is_some());
    }
    assert_eq!(records[0].request_id, "cli-1");
    let text = std::fs::read_to_string(&audit).unwrap();
    assert!(!text.contains(&seed::email(1)), "an email in the export");
}

#[test]
fn serve_refuses_to_start_without_keys_or_with_bad_settings() {
    let acs = Acs::start(0);
    let output = acs
        .cli()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("--api-key-file"),
        "{}",
        stderr(&output)
    );
    let output = acs
        .cli()
        .args(["serve", "--print-demo-credentials"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let keys = acs.path("short-keys");
    std::fs::write(&keys, "short\n").unwrap();
    let output = acs
        .cli()
        .args(["serve", "--listen", "127.0.0.1:0", "--api-key-file"])
        .arg(&keys)
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("at least 32"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("short\n"));
    let output = Command::new(env!("CARGO_BIN_EXE_ccpa-optout"))
        .args(["audit", "export", "--store", "postgres://db/receiver"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
}
