//! The gateway's checks and the IMS-like token endpoint, over real sockets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use acs_emulator::EmulatorConfig;
use common::{API_KEY, Harness, TOKEN, answer};
use serde_json::{Value, json};

async fn get_with(h: &Harness, token: Option<&str>, key: Option<&str>, org: &str) -> (u16, Value) {
    let url = format!(
        "{}/{org}/campaign/profileAndServices/profile",
        h.emulator.base_url()
    );
    let mut request = h.http.get(url);
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    if let Some(key) = key {
        request = request.header("X-Api-Key", key);
    }
    answer(request.send().await.unwrap()).await
}

async fn token_request(h: &Harness, form: &[(&str, &str)]) -> (u16, Value) {
    let body: Vec<String> = form.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let request = h
        .http
        .post(h.url("/ims/token/v3"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.join("&"));
    answer(request.send().await.unwrap()).await
}

const GOOD_FORM: [(&str, &str); 4] = [
    ("grant_type", "client_credentials"),
    ("client_id", API_KEY),
    ("client_secret", "emulator-client-secret"),
    ("scope", "openid,AdobeID,campaign_sdk"),
];

#[tokio::test]
async fn missing_unknown_or_malformed_tokens_are_401013() {
    let h = Harness::seeded(0).await;
    let expected = json!({"error_code": "401013", "message": "Oauth token is not valid"});
    assert_eq!(
        get_with(&h, None, Some(API_KEY), "acme").await,
        (401, expected.clone())
    );
    assert_eq!(
        get_with(&h, Some("stolen"), Some(API_KEY), "acme").await,
        (401, expected.clone())
    );
    let raw = h
        .http
        .get(h.acs("/profile"))
        .header("Authorization", TOKEN)
        .header("X-Api-Key", API_KEY);
    assert_eq!(answer(raw.send().await.unwrap()).await, (401, expected));
    assert_eq!(
        get_with(&h, Some(TOKEN), Some(API_KEY), "acme").await.0,
        200
    );
}

#[tokio::test]
async fn a_wrong_or_missing_api_key_is_403003_and_a_foreign_tenant_403023() {
    let h = Harness::seeded(0).await;
    for (key, org, code, message) in [
        (None, "acme", "403003", "Api Key is invalid"),
        (Some("other-key"), "acme", "403003", "Api Key is invalid"),
        // The key is checked before the tenant, as the gateway does.
        (
            Some("other-key"),
            "other-tenant",
            "403003",
            "Api Key is invalid",
        ),
        (
            Some(API_KEY),
            "acme-mkt-stage",
            "403023",
            "Profile is not valid",
        ),
    ] {
        let (status, body) = get_with(&h, Some(TOKEN), key, org).await;
        assert_eq!(
            (status, &body["error_code"], &body["message"]),
            (403, &json!(code), &json!(message)),
            "{key:?} {org}"
        );
    }
}

#[tokio::test]
async fn issued_tokens_work_until_they_expire() {
    let h = Harness::start(EmulatorConfig::default().with_token_expires_in(1)).await;
    let (status, issued) = token_request(&h, &GOOD_FORM).await;
    assert_eq!(status, 200, "{issued}");
    assert_eq!(issued["token_type"], "bearer");
    assert_eq!(issued["expires_in"], 1);
    let token = issued["access_token"].as_str().unwrap().to_owned();
    assert_ne!(token, TOKEN);
    assert_eq!(
        get_with(&h, Some(&token), Some(API_KEY), "acme").await.0,
        200
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        get_with(&h, Some(&token), Some(API_KEY), "acme").await.0,
        401,
        "expired"
    );
    let (_, again) = token_request(&h, &GOOD_FORM).await;
    let fresh = again["access_token"].as_str().unwrap();
    assert_ne!(fresh, token);
    assert_eq!(
        get_with(&h, Some(fresh), Some(API_KEY), "acme").await.0,
        200,
        "refreshed"
    );
}

#[tokio::test]
async fn token_endpoint_refuses_bad_client_credentials_like_ims() {
    let h = Harness::start(
        EmulatorConfig::default()
            .with_client_id("my-client")
            .with_client_secret("s3cret"),
    )
    .await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "my-client"),
        ("client_secret", "wrong"),
    ];
    let (status, body) = token_request(&h, &form).await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("invalid_client"))
    );
    assert!(!body.to_string().contains("s3cret"));
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "nope"),
        ("client_secret", "s3cret"),
    ];
    assert_eq!(token_request(&h, &form).await.1["error"], "invalid_client");
    let form = [
        ("grant_type", "password"),
        ("client_id", "my-client"),
        ("client_secret", "s3cret"),
    ];
    assert_eq!(
        token_request(&h, &form).await.1["error"],
        "unsupported_grant_type"
    );
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "my-client"),
        ("client_secret", "s3cret"),
    ];
    assert_eq!(token_request(&h, &form).await.0, 200);
}

#[tokio::test]
async fn admin_api_needs_no_auth() {
    let h = Harness::seeded(0).await;
    let (status, faults) = h.admin(reqwest::Method::GET, "faults", None).await;
    assert_eq!((status, faults), (200, json!({})));
}
