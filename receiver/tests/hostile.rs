//! `tests/vectors/receiver_hostile.json`: every hostile request gets its typed 4xx, and the
//! store is unchanged after each (no request added, the one stored before untouched).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use acs_emulator::seed;
use ccpa_optout::Date;
use ccpa_optout_receiver::AddressLimit;
use common::{API_KEY, Harness, tokens};
use reqwest::Method;
use serde_json::{Value, json};

fn table() -> Vec<Value> {
    let path = format!(
        "{}/../tests/vectors/receiver_hostile.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["cases"].as_array().unwrap().clone()
}

fn body_of(case: &Value) -> Vec<u8> {
    if let Some(hex) = case["bodyHex"].as_str() {
        return (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
    }
    if let Some(repeat) = case.get("repeat") {
        let times = usize::try_from(repeat["times"].as_u64().unwrap()).unwrap();
        return format!(
            "{}{}{}",
            repeat["prefix"].as_str().unwrap(),
            repeat["text"].as_str().unwrap().repeat(times),
            repeat["suffix"].as_str().unwrap()
        )
        .into_bytes();
    }
    case["body"]
        .as_str()
        .unwrap_or_default()
        .as_bytes()
        .to_vec()
}

fn request(h: &Harness, case: &Value, known: &str) -> reqwest::RequestBuilder {
    let method = Method::from_bytes(case["method"].as_str().unwrap().as_bytes()).unwrap();
    let path = case["path"].as_str().unwrap().replace("{known}", known);
    let mut request = h.http.request(method, format!("{}{path}", h.url));
    for pair in case["headers"].as_array().into_iter().flatten() {
        request = request.header(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
    }
    let authorization = match case["auth"].as_str() {
        None => None,
        Some("key") => Some(format!("Bearer {API_KEY}")),
        Some("key+x") => Some(format!("Bearer {API_KEY}x")),
        Some(kind) if kind.starts_with("token:") => Some(format!(
            "Bearer {}",
            tokens::of_kind(&kind["token:".len()..])
        )),
        Some(literal) => Some(literal.to_owned()),
    };
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    if case.get("body").is_some() || case.get("bodyHex").is_some() || case.get("repeat").is_some() {
        request = request.body(body_of(case));
    }
    request
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hostile_request_gets_its_typed_refusal_and_changes_nothing() {
    let h = Harness::start_with(10, |config, _| {
        config.signals_limit = AddressLimit {
            per_minute: 60,
            burst: 60,
        };
    })
    .await;
    let (code, answer) = h
        .post_opt_out(json!({"email": seed::email(3), "optOut": true, "requestId": "known"}))
        .await;
    assert_eq!(code, 202);
    let known = answer["id"].as_str().unwrap().to_owned();
    h.settle(std::slice::from_ref(&known), Duration::from_secs(20))
        .await;
    let snapshot = h.store().get(known.clone()).await.unwrap();
    let today = Date::parse("2026-01-01").unwrap();
    let cases = table();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let before = h.store().stats(today).await.unwrap();
        let floods = case["flood"].as_u64().unwrap_or(1);
        let mut answer = (0, Value::Null);
        for _ in 0..floods {
            answer = h.send(request(&h, case, &known)).await;
        }
        let (status, body) = answer;
        let expect = &case["expect"];
        let got = json!({
            "status": status,
            "kind": body["error"]["kind"],
            "field": body["error"].get("field").cloned().unwrap_or(Value::Null),
        });
        let wanted = json!({
            "status": expect["status"],
            "kind": expect["kind"],
            "field": expect.get("field").cloned().unwrap_or(Value::Null),
        });
        if got != wanted {
            failures.push(format!("{name}: expected {wanted}, got {got} {body}"));
        }
        let after = h.store().stats(today).await.unwrap();
        assert_eq!(before, after, "{name} changed the store");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(h.store().get(known.clone()).await.unwrap(), snapshot);
    let metrics = h.metrics().await;
    assert!(
        !metrics.contains("status=\"5"),
        "a hostile request caused a 5xx:\n{metrics}"
    );
    h.stop().await;
}
