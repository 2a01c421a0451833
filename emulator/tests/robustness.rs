//! Hostile or odd input: bad paths, bodies and methods, huge bodies, 10,000 connections.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use acs_emulator::EmulatorConfig;
use common::{API_KEY, Harness, TOKEN, raw, raw_body, raw_get};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn dot_segments_encoded_slashes_controls_and_bad_utf8_in_paths_are_400() {
    let h = Harness::seeded(1).await;
    let base = "/acme/campaign/profileAndServices/profile";
    for path in [
        format!("{base}/../profile"),
        format!("{base}/%2E%2E"),
        format!("{base}/%40abc%2Fdef"),
        format!("{base}/%40abc%00"),
        format!("{base}/%40abc%0Ad"),
        format!("{base}/%40%FF%FE"),
    ] {
        let (status, text) = raw(h.emulator.local_addr(), &raw_get(&path))
            .await
            .expect("an answer");
        assert_eq!(status, 400, "{path}: {text}");
        assert_eq!(raw_body(&text)["code"], 400, "{path}");
    }
    let (status, text) = raw(
        h.emulator.local_addr(),
        &raw_get(&format!("{base}?_order=%FF")),
    )
    .await
    .unwrap();
    assert_eq!((status, raw_body(&text)["code"].clone()), (400, json!(400)));
}

#[tokio::test]
async fn request_lines_http_cannot_parse_get_a_4xx_and_a_closed_connection() {
    let h = Harness::seeded(0).await;
    for request in [
        b"GET /acme/\x01bad HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /acme/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"NOT HTTP AT ALL\r\n\r\n".to_vec(),
    ] {
        let answer = raw(h.emulator.local_addr(), &request).await;
        let status = answer.map_or(0, |(status, _)| status);
        assert!((400..500).contains(&status), "{status}");
    }
    assert_eq!(h.get(&h.acs("/profile")).await.0, 200, "still serving");
}

#[tokio::test]
async fn malformed_non_object_empty_and_non_utf8_bodies_are_400() {
    let h = Harness::seeded(0).await;
    let bodies: [&[u8]; 6] = [
        b"{",
        b"[1,2]",
        b"\"text\"",
        b"",
        b"{\"email\": \"\xff\xfe\"}",
        b"\xff\xfe\xfd",
    ];
    for body in bodies {
        let response = h
            .request(Method::POST, &h.acs("/profile"))
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let (status, answer) = common::answer(response).await;
        assert_eq!(
            (status, answer["code"].clone()),
            (400, json!(400)),
            "{body:?}"
        );
    }
    assert_eq!(h.emulator.profile_count(), 0);
}

#[tokio::test]
async fn a_ten_megabyte_body_is_413_in_acs_shape() {
    let h = Harness::seeded(1).await;
    let huge = format!("{{\"email\": \"{}\"}}", "a".repeat(10 * 1024 * 1024));
    let response = h
        .request(Method::POST, &h.acs("/profile"))
        .body(huge)
        .send()
        .await
        .unwrap();
    let (status, body) = common::answer(response).await;
    assert_eq!((status, body["code"].clone()), (413, json!(413)));
    assert!(body["message"].as_str().unwrap().contains("1048576"));
    assert_eq!(h.emulator.profile_count(), 1);

    let small = Harness::start(EmulatorConfig::default().with_body_limit(64)).await;
    let response = small
        .request(Method::POST, &small.acs("/profile"))
        .body(format!("{{\"email\": \"{}@x.y\"}}", "b".repeat(80)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413, "the limit is configurable");
}

#[tokio::test]
async fn unknown_methods_are_405_in_acs_shape() {
    let h = Harness::seeded(0).await;
    let request = format!(
        "BREW /acme/campaign/profileAndServices/profile HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nX-Api-Key: {API_KEY}\r\nConnection: close\r\n\r\n"
    );
    let (status, text) = raw(h.emulator.local_addr(), request.as_bytes())
        .await
        .unwrap();
    assert_eq!(status, 405);
    assert!(text.to_lowercase().contains("allow: get, post"), "{text}");
    assert_eq!(raw_body(&text)["code"], 405);
}

#[tokio::test]
async fn hrefs_follow_the_host_the_client_used() {
    let h = Harness::seeded(1).await;
    let request = format!(
        "GET /acme/campaign/profileAndServices/profile HTTP/1.1\r\nHost: localhost:{}\r\nAuthorization: Bearer {TOKEN}\r\nX-Api-Key: {API_KEY}\r\nConnection: close\r\n\r\n",
        h.emulator.local_addr().port()
    );
    let (_, text) = raw(h.emulator.local_addr(), request.as_bytes())
        .await
        .unwrap();
    let href = raw_body(&text)["content"][0]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        href.starts_with(&format!(
            "http://localhost:{}/acme/",
            h.emulator.local_addr().port()
        )),
        "{href}"
    );
}

#[tokio::test]
async fn shutdown_and_drop_stop_serving() {
    let h = Harness::seeded(0).await;
    let addr = h.emulator.local_addr();
    h.emulator.shutdown().await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "nothing listens after shutdown"
    );

    let emulator = acs_emulator::Emulator::start(EmulatorConfig::default())
        .await
        .unwrap();
    let addr = emulator.local_addr();
    drop(emulator);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "nothing listens after drop"
    );
}
