//! Driving client operations step by step, as the Python and UniFFI hosts do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ccpa_optout::driver::{HostTransport, Operation, Reply, Step};
use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, Client, ClientConfig, Credentials, ErrorKind, Organization,
    PKey,
};

fn client(credentials: Credentials) -> Arc<Client<HostTransport>> {
    let api = ApiConfig::new(
        Organization::new("acme").unwrap(),
        ApiKey::new("key").unwrap(),
    );
    Arc::new(Client::new(
        ClientConfig::new(api, credentials),
        HostTransport::new(SystemTime::now),
    ))
}

fn answer(status: u16, body: &str) -> Reply {
    Reply::Response(Ok(http::Response::builder()
        .status(status)
        .body(body.as_bytes().to_vec())
        .unwrap()))
}

fn get_opt_out(client: &Arc<Client<HostTransport>>, pkey: &str) -> Operation<bool> {
    let client = Arc::clone(client);
    let pkey = PKey::new(pkey).unwrap();
    Operation::new(async move { client.get_opt_out(&pkey).await })
}

fn expect_send<O>(step: Step<O>) -> String {
    match step {
        Step::Send(request) => request.uri().path().to_owned(),
        other => panic!("expected a request, got {other:?}"),
    }
}

#[test]
fn interleaved_operations_each_get_their_own_replies() {
    let client = client(Credentials::AccessToken(AccessToken::new("t").unwrap()));
    let mut first = get_opt_out(&client, "@first");
    let mut second = get_opt_out(&client, "@second");
    assert!(expect_send(first.resume(None)).ends_with("/@first"));
    assert!(expect_send(second.resume(None)).ends_with("/@second"));
    let second_done = second.resume(Some(answer(
        200,
        r#"{"PKey":"@second","ccpaOptOut":false}"#,
    )));
    let first_done = first.resume(Some(answer(200, r#"{"PKey":"@first","ccpaOptOut":true}"#)));
    assert!(matches!(first_done, Step::Done(Ok(true))));
    assert!(matches!(second_done, Step::Done(Ok(false))));
}

#[test]
fn retries_surface_as_sleep_steps_and_tokens_as_token_steps() {
    let client = client(Credentials::Provider(std::sync::Arc::new(
        ccpa_optout::driver::HostTokens,
    )));
    let mut op = get_opt_out(&client, "@a");
    assert!(matches!(op.resume(None), Step::Token { refresh: false }));
    expect_send(op.resume(Some(Reply::Token(AccessToken::new("one")))));
    let step = op.resume(Some(answer(503, "")));
    assert!(
        matches!(step, Step::Sleep(d) if d > Duration::ZERO),
        "{step:?}"
    );
    expect_send(op.resume(Some(Reply::Slept)));
    assert!(matches!(
        op.resume(Some(answer(401, ""))),
        Step::Token { refresh: true }
    ));
    expect_send(op.resume(Some(Reply::Token(AccessToken::new("two")))));
    assert!(matches!(
        op.resume(Some(answer(200, r#"{"ccpaOptOut":true}"#))),
        Step::Done(Ok(true))
    ));
    assert!(matches!(op.resume(None), Step::Done(Err(_))));
}

#[test]
fn a_wrong_reply_is_an_error_not_a_hang() {
    let client = client(Credentials::AccessToken(AccessToken::new("t").unwrap()));
    let mut op = get_opt_out(&client, "@a");
    expect_send(op.resume(None));
    // Replying "slept" to a request: the transport reports it and the policy retries, so the
    // operation asks for a sleep rather than waiting forever.
    let step = op.resume(Some(Reply::Slept));
    assert!(matches!(step, Step::Sleep(_)), "{step:?}");
    let mut op = get_opt_out(&client, "@a");
    expect_send(op.resume(None));
    match op.resume(Some(answer(
        404,
        r#"{"code":404,"message":"RST-360011 not found"}"#,
    ))) {
        Step::Done(Err(err)) => assert_eq!(err.kind(), ErrorKind::NotFound),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_operation_waiting_on_another_ones_token_exchange_pauses_instead_of_failing() {
    use ccpa_optout::{ClientSecret, OAuthCredentials};
    let oauth = OAuthCredentials::new(
        ApiKey::new("key").unwrap(),
        ClientSecret::new("secret").unwrap(),
        "campaign",
    )
    .unwrap();
    let client = client(Credentials::OAuth(oauth));
    let mut first = get_opt_out(&client, "@first");
    let mut second = get_opt_out(&client, "@second");
    assert!(expect_send(first.resume(None)).ends_with("/ims/token/v3"));
    // The second call finds the exchange under way: it is told to pause, not failed.
    assert!(matches!(second.resume(None), Step::Sleep(d) if d <= Duration::from_millis(50)));
    assert!(matches!(second.resume(Some(Reply::Slept)), Step::Sleep(_)));
    let token = r#"{"access_token":"shared","token_type":"bearer","expires_in":86399}"#;
    assert!(expect_send(first.resume(Some(answer(200, token)))).ends_with("/@first"));
    // Once the token is there, the second call uses it without a second exchange.
    match second.resume(Some(Reply::Slept)) {
        Step::Send(request) => {
            assert!(request.uri().path().ends_with("/@second"));
            assert_eq!(request.headers()["authorization"], "Bearer shared");
        }
        other => panic!("expected the profile request, got {other:?}"),
    }
}
