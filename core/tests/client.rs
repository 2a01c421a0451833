//! The async client against a scripted in-memory transport: what it sends, retries and returns.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use ccpa_optout::signals::{OptOutReason, UnreadableSignal};
use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, BaseUrl, Client, ClientConfig, ClientSecret, Credentials,
    Email, ErrorKind, HttpRequest, HttpResponse, OAuthCredentials, Organization, PKey,
    ProfileFields, RetryPolicy, Transport, TransportError, TransportErrorKind,
};
use serde_json::json;

const BASE: &str = "http://127.0.0.1:9";
const PROFILE_URL: &str = "http://127.0.0.1:9/acme/campaign/profileAndServices/profile";

enum Step {
    Answer(u16, Vec<(&'static str, String)>, String),
    Fail(TransportErrorKind),
}

/// Answers requests from a script, in order, and records what was sent and how long it slept.
#[derive(Default)]
struct Scripted {
    script: Mutex<VecDeque<Step>>,
    sent: Mutex<Vec<HttpRequest>>,
    slept: Mutex<Vec<Duration>>,
}

impl Scripted {
    fn new(steps: Vec<Step>) -> Self {
        Scripted {
            script: Mutex::new(steps.into()),
            ..Scripted::default()
        }
    }
    fn sent(&self) -> Vec<(String, String)> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|r| (r.method().to_string(), r.uri().to_string()))
            .collect()
    }
    fn methods(&self) -> Vec<String> {
        self.sent().into_iter().map(|(method, _)| method).collect()
    }
    fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
    fn bodies(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|r| String::from_utf8(r.body().clone()).unwrap())
            .collect()
    }
}

impl Transport for Scripted {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.lock().unwrap().push(request);
        match self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .expect("the client sent more requests than scripted")
        {
            Step::Answer(status, headers, body) => {
                let mut builder = http::Response::builder().status(status);
                for (name, value) in headers {
                    builder = builder.header(name, value);
                }
                Ok(builder.body(body.into_bytes()).unwrap())
            }
            Step::Fail(kind) => Err(TransportError::new(kind, "connection reset by peer")),
        }
    }
    async fn sleep(&self, duration: Duration) {
        self.slept.lock().unwrap().push(duration);
    }
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }
}

fn ok(body: serde_json::Value) -> Step {
    Step::Answer(200, vec![], body.to_string())
}

fn status(code: u16, body: &str) -> Step {
    Step::Answer(code, vec![], body.to_owned())
}

fn api() -> ApiConfig {
    ApiConfig::new(
        Organization::new("acme").unwrap(),
        ApiKey::new("api-key-secret-1").unwrap(),
    )
    .with_base_url(BaseUrl::new(BASE).unwrap())
}

fn client(steps: Vec<Step>) -> Client<Scripted> {
    let credentials = Credentials::AccessToken(AccessToken::new("static-token-secret-2").unwrap());
    Client::new(ClientConfig::new(api(), credentials), Scripted::new(steps))
}

fn oauth_client(steps: Vec<Step>) -> Client<Scripted> {
    let oauth = OAuthCredentials::new(
        ApiKey::new("api-key-secret-1").unwrap(),
        ClientSecret::new("client-secret-3").unwrap(),
        "campaign",
    )
    .unwrap()
    .with_token_url("http://127.0.0.1:9/ims/token/v3")
    .unwrap();
    Client::new(
        ClientConfig::new(api(), Credentials::OAuth(oauth)),
        Scripted::new(steps),
    )
}

fn token_answer(token: &str) -> Step {
    ok(json!({"access_token": token, "token_type": "bearer", "expires_in": 86399}))
}

fn pkey(raw: &str) -> PKey {
    PKey::new(raw).unwrap()
}

#[tokio::test]
async fn set_opt_out_patches_only_the_opt_out_field_when_it_differs() {
    let client = client(vec![
        ok(json!({"PKey": "@a", "ccpaOptOut": false})),
        ok(json!({"PKey": "@a", "href": "h"})),
    ]);
    let change = client.set_opt_out(&pkey("@a"), true).await.unwrap();
    assert_eq!(
        (change.previous, change.current, change.changed),
        (Some(false), true, true)
    );
    let sent = client.transport().sent();
    assert_eq!(
        sent,
        vec![
            ("GET".into(), format!("{PROFILE_URL}/@a")),
            ("PATCH".into(), format!("{PROFILE_URL}/@a"))
        ]
    );
    assert_eq!(client.transport().bodies()[1], r#"{"ccpaOptOut":true}"#);
}

#[tokio::test]
async fn set_opt_out_sends_no_patch_when_the_value_is_already_set() {
    let client = client(vec![ok(json!({"PKey": "@a", "ccpaOptOut": true}))]);
    let change = client.set_opt_out(&pkey("@a"), true).await.unwrap();
    assert!(!change.changed);
    assert_eq!(client.transport().sent().len(), 1);
}

#[tokio::test]
async fn a_503_burst_is_retried_with_growing_backoff() {
    let client = client(vec![
        status(503, ""),
        status(503, ""),
        ok(json!({"PKey": "@a", "ccpaOptOut": true})),
    ]);
    assert!(client.get_opt_out(&pkey("@a")).await.unwrap());
    let slept = client.transport().slept();
    assert_eq!(slept.len(), 2);
    assert!(
        slept[0] >= Duration::from_millis(100) && slept[0] <= Duration::from_millis(200),
        "{slept:?}"
    );
    assert!(
        slept[1] >= Duration::from_millis(200) && slept[1] <= Duration::from_millis(400),
        "{slept:?}"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let limited = Step::Answer(429, vec![("Retry-After", "3".into())], String::new());
    let client = client(vec![
        limited,
        ok(json!({"PKey": "@a", "ccpaOptOut": false})),
    ]);
    assert!(!client.get_opt_out(&pkey("@a")).await.unwrap());
    assert!(client.transport().slept()[0] >= Duration::from_secs(3));
}

#[tokio::test]
async fn exhausted_retries_give_a_typed_retryable_error() {
    let steps = (0..5)
        .map(|_| Step::Answer(429, vec![("Retry-After", "1".into())], "{}".into()))
        .collect();
    let err = client(steps).get_profile(&pkey("@a")).await.unwrap_err();
    assert_eq!(
        (err.kind(), err.status(), err.retry_after()),
        (
            ErrorKind::RateLimited,
            Some(429),
            Some(Duration::from_secs(1))
        )
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_dropped_patch_is_resent_because_patch_is_idempotent() {
    let client = client(vec![
        ok(json!({"PKey": "@a", "ccpaOptOut": false})),
        Step::Fail(TransportErrorKind::Other),
        ok(json!({"PKey": "@a"})),
    ]);
    assert!(client.set_opt_out(&pkey("@a"), true).await.unwrap().changed);
    assert_eq!(client.transport().sent().len(), 3);
}

#[tokio::test]
async fn oauth_tokens_are_fetched_once_and_refreshed_once_on_401() {
    let client = oauth_client(vec![
        token_answer("first-token-4"),
        ok(json!({"PKey": "@a", "ccpaOptOut": true})),
        status(
            401,
            r#"{"error_code":"401013","message":"Oauth token is not valid"}"#,
        ),
        token_answer("second-token-5"),
        ok(json!({"PKey": "@a", "ccpaOptOut": true})),
        status(
            401,
            r#"{"error_code":"401013","message":"Oauth token is not valid"}"#,
        ),
        token_answer("third-token-6"),
        status(
            401,
            r#"{"error_code":"401013","message":"Oauth token is not valid"}"#,
        ),
    ]);
    client.get_profile(&pkey("@a")).await.unwrap();
    client.get_profile(&pkey("@a")).await.unwrap();
    let err = client.get_profile(&pkey("@a")).await.unwrap_err();
    assert_eq!(
        (err.kind(), err.error_code()),
        (ErrorKind::Auth, Some("401013"))
    );
    let auth: Vec<String> = client
        .transport()
        .sent
        .lock()
        .unwrap()
        .iter()
        .filter_map(|r| {
            r.headers()
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        auth,
        [
            "Bearer first-token-4",
            "Bearer first-token-4",
            "Bearer second-token-5",
            "Bearer second-token-5",
            "Bearer third-token-6"
        ]
    );
}

#[tokio::test]
async fn a_static_token_is_not_refreshed() {
    let client = client(vec![status(
        401,
        r#"{"error_code":"401013","message":"Oauth token is not valid"}"#,
    )]);
    assert_eq!(
        client.get_profile(&pkey("@a")).await.unwrap_err().kind(),
        ErrorKind::Auth
    );
    assert_eq!(client.transport().sent().len(), 1);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_found_by_email_not_sent_twice() {
    let fields = ProfileFields::from_json(
        json!({"email": "ana@example.com", "ccpaOptOut": true}),
        &Default::default(),
    )
    .unwrap();
    let client = client(vec![
        status(503, ""),
        ok(json!({"content": [{"PKey": "@new", "email": "ana@example.com", "ccpaOptOut": true}]})),
    ]);
    let created = client.create_profile(&fields).await.unwrap();
    assert_eq!(created.pkey, Some(pkey("@new")));
    assert_eq!(client.transport().methods(), ["POST", "GET"]);
}

#[tokio::test]
async fn a_create_that_did_not_happen_is_sent_again_after_checking() {
    let fields =
        ProfileFields::from_json(json!({"email": "ana@example.com"}), &Default::default()).unwrap();
    let client = client(vec![
        Step::Fail(TransportErrorKind::Timeout),
        ok(json!({"content": []})),
        Step::Answer(
            201,
            vec![],
            json!({"PKey": "@new", "email": "ana@example.com"}).to_string(),
        ),
    ]);
    assert_eq!(
        client.create_profile(&fields).await.unwrap().pkey,
        Some(pkey("@new"))
    );
    assert_eq!(client.transport().methods(), ["POST", "GET", "POST"]);
}

#[tokio::test]
async fn a_create_without_email_is_not_resent_after_an_ambiguous_failure() {
    let fields =
        ProfileFields::from_json(json!({"lastName": "Silva"}), &Default::default()).unwrap();
    let client = client(vec![status(503, "")]);
    assert_eq!(
        client.create_profile(&fields).await.unwrap_err().kind(),
        ErrorKind::Server
    );
    assert_eq!(client.transport().sent().len(), 1);
}

#[tokio::test]
async fn opt_out_by_email_covers_every_page_and_skips_unchanged_profiles() {
    let client = client(vec![
        ok(
            json!({"content": [{"PKey": "@a", "email": "x@example.com", "ccpaOptOut": true}],
                  "next": {"href": format!("{PROFILE_URL}/byEmail?email=x%40example.com&_lineStart=@c1")}}),
        ),
        ok(json!({"content": [{"PKey": "@b", "email": "x@example.com", "ccpaOptOut": false}]})),
        ok(json!({"PKey": "@b"})),
    ]);
    let changes = client
        .opt_out_by_email(&Email::new("x@example.com").unwrap(), true)
        .await
        .unwrap();
    assert_eq!(
        changes.iter().map(|c| c.changed).collect::<Vec<_>>(),
        [false, true]
    );
    assert_eq!(
        client.transport().sent()[0].1,
        format!("{PROFILE_URL}/byEmail?email=x%40example.com&_forcePagination=true")
    );
    assert_eq!(
        client.transport().sent()[2],
        ("PATCH".into(), format!("{PROFILE_URL}/@b"))
    );
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_never_followed() {
    let client = client(vec![ok(
        json!({"content": [], "next": {"href": "https://collector.example/steal"}}),
    )]);
    let err = client
        .find_by_email(&Email::new("x@example.com").unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Validation, Some("href"))
    );
    assert_eq!(client.transport().sent().len(), 1);
}

#[tokio::test]
async fn a_looping_cursor_is_detected() {
    let page = json!({"content": [{"PKey": "@a"}], "next": {"href": format!("{PROFILE_URL}?_lineStart=@same")}});
    let client = client(vec![ok(page.clone()), ok(page)]);
    let mut listing = client.list_profiles(Default::default());
    assert!(listing.next_page().await.unwrap().is_some());
    // The second page points at itself again: an error instead of an endless listing.
    assert_eq!(
        listing.next_page().await.unwrap_err().kind(),
        ErrorKind::Decode
    );
    assert_eq!(client.transport().sent().len(), 2);
}

#[tokio::test]
async fn a_delete_retried_after_a_lost_answer_accepts_the_404() {
    let client = client(vec![
        Step::Fail(TransportErrorKind::Other),
        status(404, r#"{"code":404,"message":"RST-360011 not found"}"#),
    ]);
    client.delete_profile(&pkey("@a")).await.unwrap();
    let client = self::client(vec![status(
        404,
        r#"{"code":404,"message":"RST-360011 not found"}"#,
    )]);
    assert_eq!(
        client.delete_profile(&pkey("@a")).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported_as_transport_errors() {
    let client = Client::new(
        ClientConfig {
            retry: RetryPolicy {
                max_attempts: 2,
                ..RetryPolicy::default()
            },
            ..client(vec![]).config().clone()
        },
        Scripted::new(vec![
            Step::Fail(TransportErrorKind::Connect),
            Step::Fail(TransportErrorKind::Connect),
        ]),
    );
    let err = client.get_profile(&pkey("@a")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(client.transport().sent().len(), 2);
}

#[tokio::test]
async fn secrets_echoed_by_a_server_are_scrubbed_from_errors() {
    let echo = r#"{"code":500,"message":"bad header Bearer static-token-secret-2 with key api-key-secret-1"}"#;
    let err = client(vec![status(500, echo)])
        .get_profile(&pkey("@a"))
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("static-token-secret-2") && !shown.contains("api-key-secret-1"),
        "{shown}"
    );
    assert!(shown.contains("[redacted]"));
}

#[tokio::test]
async fn a_missing_opt_out_field_is_a_decode_error_naming_it() {
    let err = client(vec![ok(json!({"PKey": "@a"}))])
        .get_opt_out(&pkey("@a"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Decode, Some("ccpaOptOut"))
    );
}

#[tokio::test]
async fn the_client_debug_output_shows_no_secret() {
    let client = oauth_client(vec![]);
    let shown = format!("{client:?} {:?}", client.config());
    for secret in ["api-key-secret-1", "client-secret-3"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

fn subject(raw: &str) -> ccpa_optout::Subject {
    ccpa_optout::Subject::parse(raw, ccpa_optout::SubjectKind::Guess).unwrap()
}

#[tokio::test]
async fn an_opt_out_signal_is_written_to_every_matching_profile() {
    let client = client(vec![
        ok(
            json!({"content": [{"PKey": "@a", "ccpaOptOut": false}, {"PKey": "@b", "ccpaOptOut": true}]}),
        ),
        ok(json!({"PKey": "@a"})),
    ]);
    let applied = client
        .apply_signals(&subject("x@example.com"), Some(true), Some("1YNN"), None)
        .await
        .unwrap();
    assert_eq!(applied.decision.value, Some(true));
    assert_eq!(
        applied
            .changes
            .iter()
            .map(|c| c.changed)
            .collect::<Vec<_>>(),
        [true, false]
    );
    assert_eq!(client.transport().methods(), ["GET", "PATCH"]);
}

#[tokio::test]
async fn a_not_opted_out_signal_never_clears_a_recorded_opt_out() {
    let client = client(vec![ok(json!({"PKey": "@a", "ccpaOptOut": true}))]);
    let applied = client
        .apply_signals(&subject("@a"), None, Some("1YNN"), None)
        .await
        .unwrap();
    assert_eq!(applied.decision.value, Some(false));
    assert_eq!(
        (applied.changes[0].current, applied.changes[0].changed),
        (true, false)
    );
    assert_eq!(client.transport().methods(), ["GET"]);

    let client = self::client(vec![
        ok(json!({"PKey": "@a", "ccpaOptOut": null})),
        ok(json!({"PKey": "@a"})),
    ]);
    let applied = client
        .apply_signals(&subject("@a"), None, Some("1YNN"), None)
        .await
        .unwrap();
    assert_eq!(
        (applied.changes[0].previous, applied.changes[0].current),
        (None, false)
    );
    assert_eq!(client.transport().bodies()[1], r#"{"ccpaOptOut":false}"#);
}

#[tokio::test]
async fn no_usable_signal_and_only_unreadable_signals_send_nothing() {
    let client = client(vec![]);
    let applied = client
        .apply_signals(&subject("@a"), None, Some("1---"), None)
        .await
        .unwrap();
    assert_eq!((applied.decision.value, applied.changes.len()), (None, 0));
    let applied = client
        .apply_signals(&subject("@a"), Some(false), Some("1Y-N"), Some("not-gpp"))
        .await
        .unwrap();
    assert_eq!((applied.decision.value, applied.changes.len()), (None, 0));
    let unreadable = |signal| {
        applied.decision.reasons.iter().any(
            |reason| matches!(reason, OptOutReason::Unreadable { signal: s, .. } if *s == signal),
        )
    };
    assert!(unreadable(UnreadableSignal::Usp) && unreadable(UnreadableSignal::Gpp));
    assert!(client.transport().sent().is_empty());
}

#[tokio::test]
async fn a_malformed_signal_does_not_cancel_gpc() {
    let client = client(vec![
        ok(json!({"PKey": "@a", "ccpaOptOut": false})),
        ok(json!({"PKey": "@a"})),
    ]);
    let applied = client
        .apply_signals(&subject("@a"), Some(true), Some("1Y-N"), Some("not-gpp"))
        .await
        .unwrap();
    assert_eq!(applied.decision.value, Some(true));
    assert_eq!(applied.decision.reasons.len(), 3);
    assert!(applied.changes[0].changed);
    assert_eq!(client.transport().methods(), ["GET", "PATCH"]);
}

#[tokio::test]
async fn an_oversized_answer_is_not_retried() {
    let client = client(vec![Step::Fail(TransportErrorKind::BodyTooLarge)]);
    assert_eq!(
        client.get_profile(&pkey("@a")).await.unwrap_err().kind(),
        ErrorKind::Decode
    );
    assert!(client.transport().slept().is_empty());
}
