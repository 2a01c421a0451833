//! ACS failing: an outage (503 to everything) loses nothing, shows in `/readyz` and the
//! metrics, and every request is applied once ACS is back; refused credentials pause the
//! worker (readiness 503) without failing or counting anything.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use acs_emulator::seed;
use common::Harness;
use serde_json::{Value, json};

/// Polls `/readyz` until `check` holds (or fails after ten seconds).
async fn readiness_until(h: &Harness, check: impl Fn(u16, &Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let (code, body) = h.send(h.http.get(format!("{}/readyz", h.url))).await;
        if check(code, &body) {
            return body;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{code} {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|line| line.starts_with(name) && line[name.len()..].starts_with(' '))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
        .unwrap_or(f64::NAN)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_loses_nothing_and_everything_is_applied_after_recovery() {
    let h = Harness::start(120).await;
    readiness_until(&h, |code, body| {
        code == 200 && body["credentials"] == "accepted"
    })
    .await;
    let before = h.profiles().await;
    h.faults(r#"{"status": {"503": 1.0}}"#);
    let mut ids = Vec::new();
    for index in 0..100 {
        let (code, answer) = h
            .post_opt_out(json!({"email": seed::email(index), "optOut": true}))
            .await;
        assert_eq!(code, 202, "{answer}");
        ids.push(answer["id"].as_str().unwrap().to_owned());
    }
    // The outage shows, and does not take the receiver out of rotation.
    let ready = readiness_until(&h, |_, body| body["acs"] == "unavailable").await;
    assert_eq!(ready["ready"], true);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let metrics = h.metrics().await;
    assert_eq!(
        metric(&metrics, "ccpa_optout_receiver_acs_available"),
        0.0,
        "{metrics}"
    );
    assert_eq!(metric(&metrics, "ccpa_optout_receiver_queue_depth"), 100.0);
    assert!(metrics.contains("ccpa_optout_receiver_retries_total{kind=\"Server\"}"));
    assert!(metrics.contains("acs_request_duration_seconds_count{status=\"5xx\"}"));
    let open = h.status(&ids[0], common::API_KEY).await.1;
    assert!(
        matches!(
            open["status"].as_str(),
            Some("queued" | "retrying" | "applying")
        ),
        "{open}"
    );
    let patched_during = h.count("PATCH", 200);
    assert_eq!(patched_during, 0);

    h.faults("{}");
    let views = h.settle(&ids, Duration::from_secs(60)).await;
    for view in &views {
        assert!(
            matches!(view["status"].as_str(), Some("applied" | "unchanged")),
            "{view}"
        );
    }
    let changed = common::changed(&before, &h.profiles().await);
    assert_eq!(h.count("PATCH", 200), changed, "one PATCH per real change");
    let ready = readiness_until(&h, |_, body| body["acs"] == "available").await;
    assert_eq!(ready["ready"], true);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_pause_the_worker_and_nothing_fails() {
    let h = Harness::start(20).await;
    readiness_until(&h, |code, _| code == 200).await;
    h.faults(r#"{"status": {"401": 1.0}}"#);
    let mut ids = Vec::new();
    for index in 0..10 {
        let (code, answer) = h
            .post_opt_out(json!({"email": seed::email(index), "optOut": true}))
            .await;
        assert_eq!(code, 202, "{answer}");
        ids.push(answer["id"].as_str().unwrap().to_owned());
    }
    let paused = readiness_until(&h, |code, _| code == 503).await;
    assert_eq!(paused["credentials"], "refused", "{paused}");
    assert!(
        paused["reasons"][0]
            .as_str()
            .unwrap()
            .contains("refused the credentials")
    );
    // The worker probes now and then; no request is tried, none counts an attempt.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let metrics = h.metrics().await;
    assert_eq!(
        metric(&metrics, "ccpa_optout_receiver_acs_credentials_refused"),
        1.0
    );
    for id in &ids {
        let view = h.status(id, common::API_KEY).await.1;
        assert_eq!(
            (view["status"].as_str(), &view["attempts"]),
            (Some("queued"), &json!(0)),
            "{view}"
        );
    }
    h.faults("{}");
    readiness_until(&h, |code, body| {
        code == 200 && body["credentials"] == "accepted"
    })
    .await;
    let views = h.settle(&ids, Duration::from_secs(30)).await;
    assert!(views.iter().all(|v| v["attempts"] == json!(1)), "{views:?}");
    h.stop().await;
}
