//! Fault injection, the admin API (faults, stats, reset) and CORS, over real sockets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use acs_emulator::EmulatorConfig;
use common::{Harness, raw, raw_get};
use reqwest::Method;
use serde_json::json;

async fn harness(seed: u64) -> Harness {
    Harness::start(
        EmulatorConfig::default()
            .with_seed(seed)
            .with_fault_seed(42),
    )
    .await
}

async fn set_faults(h: &Harness, plan: &str) {
    let (status, body) = h.admin(Method::PUT, "faults", Some(plan)).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn faults_are_shown_set_and_refused_when_invalid() {
    let h = harness(0).await;
    let plan = r#"{"latency_ms": [0, 1], "status": {"503": 0.05}, "rate_limit": {"per_second": 50, "retry_after": 1}, "drop": 0.01}"#;
    set_faults(&h, plan).await;
    let (_, shown) = h.admin(Method::GET, "faults", None).await;
    let expected: serde_json::Value = serde_json::from_str(plan).unwrap();
    assert_eq!(shown, expected);
    for bad in [
        r#"{"status": {"503": 1.5}}"#,
        r#"{"drop": -1}"#,
        r#"{"latncy_ms": [1, 2]}"#,
        "not json",
        r#"{"status": {"200": 0.1}}"#,
    ] {
        let (status, body) = h.admin(Method::PUT, "faults", Some(bad)).await;
        assert_eq!(status, 400, "{bad}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("invalid faults: "),
            "{body}"
        );
    }
    assert_eq!(
        h.admin(Method::GET, "faults", None).await.1,
        expected,
        "a refused plan changes nothing"
    );
    set_faults(&h, "{}").await;
    assert_eq!(h.admin(Method::GET, "faults", None).await.1, json!({}));
}

#[tokio::test]
async fn injected_503s_match_their_share_and_are_not_applied() {
    let h = harness(1).await;
    assert_eq!(
        h.get(&h.acs("/profile")).await.1["content"][0]["ccpaOptOut"],
        false
    );
    set_faults(&h, r#"{"status": {"503": 0.3}}"#).await;
    let mut unavailable = 0;
    for _ in 0..400 {
        let (status, body) = h.get(&h.acs("/profile")).await;
        if status == 503 {
            assert_eq!(body["code"], 503);
            unavailable += 1;
        }
    }
    assert!((80..=160).contains(&unavailable), "{unavailable} of 400");
    assert_eq!(h.counted("GET", "profile", 503).await, unavailable);

    set_faults(&h, "{}").await;
    let (_, page) = h.get(&h.acs("/profile")).await;
    let url = page["content"][0]["href"].as_str().unwrap().to_owned();
    set_faults(&h, r#"{"status": {"503": 1.0}}"#).await;
    let (status, _) = h
        .send(Method::PATCH, &url, Some(json!({"ccpaOptOut": true})))
        .await;
    assert_eq!(status, 503);
    set_faults(&h, "{}").await;
    assert_eq!(
        h.get(&url).await.1["ccpaOptOut"],
        false,
        "a refused PATCH is not applied"
    );
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let h = harness(0).await;
    set_faults(&h, r#"{"rate_limit": {"per_second": 5, "retry_after": 3}}"#).await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..15 {
        let response = h
            .request(Method::GET, &h.acs("/profile"))
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            retry_after = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
            let (_, body) = common::answer(response).await;
            assert_eq!(body["error_code"], "429050");
            statuses.push(429);
        } else {
            statuses.push(response.status().as_u16());
        }
    }
    assert_eq!(&statuses[..5], &[200; 5], "the burst passes");
    assert!(
        statuses.iter().filter(|s| **s == 429).count() >= 8,
        "{statuses:?}"
    );
    assert_eq!(retry_after.as_deref(), Some("3"));
    assert_eq!(
        h.admin(Method::GET, "stats", None).await.0,
        200,
        "the admin API is never limited"
    );
}

#[tokio::test]
async fn a_dropped_request_is_applied_and_gets_no_answer() {
    let h = harness(1).await;
    let (_, page) = h.get(&h.acs("/profile")).await;
    let pkey = page["content"][0]["PKey"].as_str().unwrap().to_owned();
    set_faults(&h, r#"{"drop": 1.0}"#).await;
    let body = r#"{"ccpaOptOut":true}"#;
    let request = format!(
        "PATCH /acme/campaign/profileAndServices/profile/{pkey} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nX-Api-Key: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        common::TOKEN,
        common::API_KEY,
        body.len()
    );
    assert_eq!(
        raw(h.emulator.local_addr(), request.as_bytes()).await,
        None,
        "closed without a byte"
    );
    let high_level = h.request(Method::GET, &h.acs("/profile")).send().await;
    assert!(
        high_level.is_err(),
        "a client sees a transport error, not a status"
    );
    set_faults(&h, "{}").await;
    assert_eq!(
        h.get(&h.acs(&format!("/profile/{pkey}"))).await.1["ccpaOptOut"],
        true,
        "the PATCH was applied"
    );
    assert_eq!(
        h.counted("PATCH", "profile", 0).await,
        1,
        "counted as status 0"
    );
}

#[tokio::test]
async fn latency_delays_api_requests_but_not_the_admin_api() {
    let h = harness(0).await;
    set_faults(&h, r#"{"latency_ms": [200, 250]}"#).await;
    let started = Instant::now();
    assert_eq!(h.get(&h.acs("/profile")).await.0, 200);
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    let started = Instant::now();
    h.admin(Method::GET, "stats", None).await;
    assert!(started.elapsed() < Duration::from_millis(150));
}

#[tokio::test]
async fn faults_apply_to_the_token_endpoint() {
    let h = harness(0).await;
    set_faults(&h, r#"{"status": {"502": 1.0}}"#).await;
    let response = h
        .http
        .post(h.url("/ims/token/v3"))
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 502);
    assert_eq!(h.counted("POST", "token", 502).await, 1);
}

#[tokio::test]
async fn stats_count_by_method_route_and_status_and_reset_clears_and_reseeds() {
    let h = harness(5).await;
    let (_, page) = h.get(&h.acs("/profile")).await;
    let url = page["content"][0]["href"].as_str().unwrap().to_owned();
    h.send(Method::PATCH, &url, Some(json!({"ccpaOptOut": true})))
        .await;
    h.send(Method::PATCH, &url, Some(json!({"ccpaOptOut": false})))
        .await;
    h.get(&h.acs("/profile/byEmail?email=x%40example.com"))
        .await;
    h.get(&h.acs("/profile/byText?text=x")).await;
    h.get(&h.acs("/profile/_count")).await;
    h.get(&h.acs("/resourceType/profile")).await;
    h.get(&h.acs("/profile/@missing")).await;
    h.get(&h.url("/elsewhere")).await;
    h.http.get(h.acs("/profile")).send().await.unwrap();
    let (status, stats) = h.admin(Method::GET, "stats", None).await;
    assert_eq!(status, 200);
    assert_eq!(stats["total"], 10);
    let requests = stats["requests"].as_array().unwrap();
    for (method, route, status, count) in [
        ("GET", "profile", 200, 1),
        ("PATCH", "profile", 200, 2),
        ("GET", "byEmail", 200, 1),
        ("GET", "byText", 200, 1),
        ("GET", "count", 200, 1),
        ("GET", "metadata", 200, 1),
        ("GET", "profile", 404, 1),
        ("GET", "unknown", 404, 1),
        ("GET", "profile", 401, 1),
    ] {
        let entry = json!({"method": method, "route": route, "status": status, "count": count});
        assert!(requests.contains(&entry), "{entry} in {stats}");
    }

    h.create(json!({"email": "extra@example.com"})).await;
    assert_eq!(h.emulator.profile_count(), 6);
    let (status, body) = h.admin(Method::POST, "reset", None).await;
    assert_eq!((status, body), (200, json!({"reset": true, "profiles": 5})));
    assert_eq!(
        h.admin(Method::GET, "stats", None).await.1,
        json!({"total": 0, "requests": []})
    );
    let (_, again) = h.get(&h.acs("/profile")).await;
    assert_eq!(
        again["content"][0]["href"],
        json!(url),
        "seed profiles come back with the same PKeys"
    );
    assert_eq!(
        again["content"][0]["ccpaOptOut"],
        page["content"][0]["ccpaOptOut"]
    );
}

#[tokio::test]
async fn cors_preflight_is_answered_without_auth() {
    let h = harness(1).await;
    let preflight = h
        .http
        .request(Method::OPTIONS, h.acs("/profile/@abc"))
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "PATCH")
        .header(
            "Access-Control-Request-Headers",
            "authorization,x-api-key,cache-control,content-type,accept",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let headers = preflight.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    assert!(
        methods.contains("PATCH") && methods.contains("DELETE"),
        "{methods}"
    );
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    for header in [
        "authorization",
        "x-api-key",
        "cache-control",
        "content-type",
        "accept",
    ] {
        assert!(allowed.contains(header), "{allowed}");
    }
    let simple = h
        .request(Method::GET, &h.acs("/profile"))
        .header("Origin", "http://localhost:5173")
        .send()
        .await
        .unwrap();
    assert_eq!(simple.headers()["access-control-allow-origin"], "*");
    let limited = {
        set_faults(&h, r#"{"rate_limit": {"per_second": 1, "retry_after": 1}}"#).await;
        h.request(Method::GET, &h.acs("/profile"))
            .header("Origin", "http://x")
            .send()
            .await
            .unwrap();
        h.request(Method::GET, &h.acs("/profile"))
            .header("Origin", "http://x")
            .send()
            .await
            .unwrap()
    };
    assert_eq!(limited.status().as_u16(), 429);
    let exposed = limited.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        exposed.contains("retry-after"),
        "browsers can read Retry-After: {exposed}"
    );
}

#[tokio::test]
async fn raw_get_helper_sees_the_gateway() {
    let h = harness(1).await;
    let (status, _) = raw(
        h.emulator.local_addr(),
        &raw_get("/acme/campaign/profileAndServices/profile"),
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
}
