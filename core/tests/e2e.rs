//! The client over real HTTP (reqwest) against the ACS emulator on a loopback port.
#![cfg(feature = "reqwest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use acs_emulator::{Emulator, EmulatorConfig, FaultPlan, seed};
use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, BaseUrl, Client, ClientConfig, ClientSecret, Credentials,
    Email, ErrorKind, HttpRequest, HttpResponse, ListOptions, OAuthCredentials, Order,
    Organization, PKey, ProfileFields, ReqwestTransport, RetryPolicy, SharedListing, Subject,
    SubjectKind, Transport, TransportError,
};
use futures_util::StreamExt;
use serde_json::json;

async fn emulator(seed: u64) -> Emulator {
    Emulator::start(EmulatorConfig::default().with_seed(seed).with_fault_seed(7))
        .await
        .unwrap()
}

fn api(emulator: &Emulator) -> ApiConfig {
    ApiConfig::new(
        Organization::new("acme").unwrap(),
        ApiKey::new("emulator-api-key").unwrap(),
    )
    .with_base_url(BaseUrl::new(emulator.base_url()).unwrap())
}

fn client_with<T: Transport>(
    emulator: &Emulator,
    credentials: Credentials,
    transport: T,
) -> Client<T> {
    let mut config = ClientConfig::new(api(emulator), credentials);
    config.retry = RetryPolicy {
        max_attempts: 10,
        base_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    };
    Client::new(config, transport)
}

fn client(emulator: &Emulator) -> Client<ReqwestTransport> {
    let token = Credentials::AccessToken(AccessToken::new("emulator-token").unwrap());
    client_with(emulator, token, ReqwestTransport::new().unwrap())
}

/// An emulator seeded with `profiles` profiles, and a client of it: where most tests start.
/// A test keeps the emulator (`_emulator` when it asks nothing of it): dropping it stops it.
async fn seeded(profiles: u64) -> (Emulator, Client<ReqwestTransport>) {
    let emulator = emulator(profiles).await;
    let client = client(&emulator);
    (emulator, client)
}

fn faults(emulator: &Emulator, plan: serde_json::Value) {
    emulator
        .set_faults(FaultPlan::from_json(plan.to_string().as_bytes()).unwrap())
        .unwrap();
}

/// How many requests the emulator counted for this method and route, by status.
fn counted(emulator: &Emulator, method: &str, route: &str, status: Option<u16>) -> u64 {
    emulator
        .stats()
        .requests
        .iter()
        .filter(|r| r.method == method && r.route == route && status.is_none_or(|s| r.status == s))
        .map(|r| r.count)
        .sum()
}

/// A well-formed PKey for calls that fail before the profile matters.
fn some_pkey() -> PKey {
    PKey::new("@Zk3q9Lw2TfR0").unwrap()
}

async fn seeded_pkey(client: &Client<ReqwestTransport>, index: u64) -> PKey {
    let email = Email::new(&seed::email(index)).unwrap();
    client.find_by_email(&email).await.unwrap()[0]
        .pkey
        .clone()
        .unwrap()
}

#[tokio::test]
async fn every_operation_works_against_the_emulator() {
    let (emulator, client) = seeded(20).await;
    let field = &client.config().api.opt_out_field;

    client
        .profile_metadata()
        .await
        .unwrap()
        .check_opt_out_field(field)
        .unwrap();

    let fields = ProfileFields::from_json(
        json!({"email": "ana.silva@example.com", "firstName": "Ana", "lastName": "Silva", "ccpaOptOut": false}),
        field,
    )
    .unwrap();
    let created = client.create_profile(&fields).await.unwrap();
    let pkey = created.pkey.clone().unwrap();
    assert!(pkey.as_str().starts_with('@'));
    assert_eq!(created.email.as_deref(), Some("ana.silva@example.com"));

    let fetched = client.get_profile(&pkey).await.unwrap();
    assert_eq!(
        (fetched.first_name.as_deref(), fetched.opt_out),
        (Some("Ana"), Some(false))
    );
    assert!(!client.get_opt_out(&pkey).await.unwrap());

    let change = client.set_opt_out(&pkey, true).await.unwrap();
    assert_eq!(
        (change.previous, change.current, change.changed),
        (Some(false), true, true)
    );
    let again = client.set_opt_out(&pkey, true).await.unwrap();
    assert!(!again.changed, "an unchanged profile is not patched");
    assert_eq!(counted(&emulator, "PATCH", "profile", Some(200)), 1);
    assert!(client.get_opt_out(&pkey).await.unwrap());

    let ack = client
        .update_profile(
            &pkey,
            &ProfileFields::from_json(json!({"phone": "+1 559 555 0100"}), field).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(ack.pkey, pkey);
    let updated = client.get_profile(&pkey).await.unwrap();
    assert_eq!(updated.extra["phone"], "+1 559 555 0100");
    assert_eq!(
        updated.opt_out,
        Some(true),
        "a PATCH of other fields keeps the opt-out"
    );

    client.delete_profile(&pkey).await.unwrap();
    let gone = client.get_profile(&pkey).await.unwrap_err();
    assert_eq!(
        (gone.kind(), gone.error_code()),
        (ErrorKind::NotFound, Some("RST-360011"))
    );
}

#[tokio::test]
async fn opting_out_by_email_covers_every_profile_with_that_email() {
    let (_emulator, client) = seeded(20).await;
    let shared = seed::duplicate_of(9).expect("profile 9 shares its email");
    let email = Email::new(&seed::email(shared)).unwrap();
    assert_eq!(client.find_by_email(&email).await.unwrap().len(), 2);
    let changes = client.opt_out_by_email(&email, true).await.unwrap();
    assert_eq!(changes.len(), 2);
    for change in &changes {
        assert!(client.get_opt_out(&change.pkey).await.unwrap());
    }
    let unknown = Email::new("nobody@example.com").unwrap();
    assert!(
        client
            .opt_out_by_email(&unknown, true)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn signals_are_applied_through_the_client() {
    let (_emulator, client) = seeded(20).await;
    let subject = Subject::parse(&seed::email(3), SubjectKind::Guess).unwrap();
    let applied = client
        .apply_signals(&subject, Some(true), None, None)
        .await
        .unwrap();
    assert_eq!(applied.decision.value, Some(true));
    for change in applied.changes {
        assert!(client.get_opt_out(&change.pkey).await.unwrap());
    }
}

#[tokio::test]
async fn a_big_table_is_read_to_the_last_match_and_the_last_profile() {
    // Above the big-table threshold ACS (and the emulator) leave `next` out unless the request
    // forces pagination: 30 profiles share an email on a table of 30 above a threshold of 10.
    let emulator = Emulator::start(EmulatorConfig::default().with_big_table_threshold(10))
        .await
        .unwrap();
    let client = client(&emulator);
    let email = Email::new("shared.household@example.com").unwrap();
    for i in 0..30 {
        let fields = json!({"email": email.as_str(), "firstName": format!("Member{i}"), "ccpaOptOut": false});
        client
            .create_profile(
                &ProfileFields::from_json(fields, &client.config().api.opt_out_field).unwrap(),
            )
            .await
            .unwrap();
    }
    let changes = client.opt_out_by_email(&email, true).await.unwrap();
    assert_eq!(changes.len(), 30);
    assert!(
        changes
            .iter()
            .all(|change| change.changed && change.current)
    );
    assert_eq!(counted(&emulator, "PATCH", "profile", Some(200)), 30);

    let listed: Vec<_> = client
        .list_profiles(ListOptions::default())
        .profiles()
        .collect()
        .await;
    assert_eq!(listed.len(), 30);
    let unforced = ListOptions {
        force_pagination: false,
        ..ListOptions::default()
    };
    let listed: Vec<_> = client.list_profiles(unforced).profiles().collect().await;
    assert_eq!(
        listed.len(),
        25,
        "without the flag the emulator stops after a page, as ACS does"
    );

    let mut config = client.config().clone();
    config.force_pagination = false;
    let unforced = Client::new(config, ReqwestTransport::new().unwrap());
    assert_eq!(unforced.find_by_email(&email).await.unwrap().len(), 25);
}

#[tokio::test]
async fn two_concurrent_next_page_calls_on_one_shared_listing_read_two_pages() {
    let (_emulator, client) = seeded(100).await;
    let options = ListOptions {
        page_size: Some(10),
        ..ListOptions::default()
    };
    let listing = SharedListing::all(options).unwrap();
    let mut seen = HashSet::new();
    let mut pages = 0;
    loop {
        let (a, b) =
            futures_util::future::join(listing.next_page(&client), listing.next_page(&client))
                .await;
        let batch: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
        if batch.is_empty() {
            break;
        }
        for page in batch {
            pages += 1;
            for profile in page {
                assert!(
                    seen.insert(profile.pkey.unwrap().to_string()),
                    "a profile came twice"
                );
            }
        }
    }
    assert_eq!((pages, seen.len()), (10, 100));
    assert!(listing.is_done());
    assert!(
        SharedListing::all(ListOptions {
            page_size: Some(0),
            ..ListOptions::default()
        })
        .is_err()
    );
}

#[tokio::test]
async fn a_listing_of_1000_profiles_yields_each_exactly_once() {
    let (emulator, client) = seeded(1000).await;
    let options = ListOptions {
        page_size: Some(25),
        order: Some(Order::parse("email desc").unwrap()),
        force_pagination: false,
    };
    let profiles: Vec<_> = client.list_profiles(options).profiles().collect().await;
    let pkeys: HashSet<String> = profiles
        .into_iter()
        .map(|p| p.unwrap().pkey.unwrap().to_string())
        .collect();
    assert_eq!(pkeys.len(), 1000);
    assert_eq!(counted(&emulator, "GET", "profile", Some(200)), 40);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_then_succeeds() {
    let (emulator, client) = seeded(3).await;
    let pkey = seeded_pkey(&client, 0).await;
    faults(
        &emulator,
        json!({"rate_limit": {"per_second": 1, "retry_after": 1}}),
    );
    client.get_profile(&pkey).await.unwrap();
    let started = Instant::now();
    client.get_profile(&pkey).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retried after {:?}",
        started.elapsed()
    );
    assert!(counted(&emulator, "GET", "profile", Some(429)) >= 1);
}

#[tokio::test]
async fn a_503_burst_is_retried_within_the_policy() {
    let (emulator, client) = seeded(20).await;
    let pkey = seeded_pkey(&client, 1).await;
    faults(&emulator, json!({"status": {"503": 0.4}}));
    for _ in 0..20 {
        client.get_profile(&pkey).await.unwrap();
    }
    assert!(
        counted(&emulator, "GET", "profile", Some(503)) > 0,
        "the fault was injected"
    );
    assert_eq!(counted(&emulator, "GET", "profile", Some(200)), 20);
}

#[tokio::test]
async fn dropped_patches_never_leave_a_wrong_final_state() {
    let (emulator, client) = seeded(30).await;
    let mut pkeys = Vec::new();
    for index in 0..30 {
        if seed::duplicate_of(index).is_none() {
            pkeys.push(seeded_pkey(&client, index).await);
        }
    }
    faults(&emulator, json!({"drop": 0.3}));
    for pkey in &pkeys {
        client.set_opt_out(pkey, true).await.unwrap();
    }
    assert!(
        counted(&emulator, "PATCH", "profile", Some(acs_emulator::DROPPED)) > 0,
        "connections were dropped"
    );
    faults(&emulator, json!({}));
    for pkey in &pkeys {
        assert!(client.get_opt_out(pkey).await.unwrap(), "{pkey}");
    }
}

/// A transport whose clock stands still: the client believes its OAuth token is fresh after the
/// token endpoint has expired it, as with clock drift between a host and IMS.
struct StoppedClock(ReqwestTransport);

impl Transport for StoppedClock {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self.0.send(request)
    }
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> {
        self.0.sleep(duration)
    }
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_through_the_oauth_endpoint() {
    let config = EmulatorConfig::default()
        .with_seed(3)
        .with_token_expires_in(1);
    let emulator = Emulator::start(config).await.unwrap();
    let oauth = OAuthCredentials::new(
        ApiKey::new("emulator-api-key").unwrap(),
        ClientSecret::new("emulator-client-secret").unwrap(),
        "campaign_sdk",
    )
    .unwrap()
    .with_token_url(&format!("{}/ims/token/v3", emulator.base_url()))
    .unwrap();
    let client = client_with(
        &emulator,
        Credentials::OAuth(oauth),
        StoppedClock(ReqwestTransport::new().unwrap()),
    );
    let email = Email::new(&seed::email(0)).unwrap();
    let pkey = client.find_by_email(&email).await.unwrap()[0]
        .pkey
        .clone()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(client.get_profile(&pkey).await.is_ok());
    assert_eq!(
        counted(&emulator, "POST", "token", Some(200)),
        2,
        "one token, then one refresh"
    );
    assert_eq!(
        counted(&emulator, "GET", "profile", Some(401)),
        1,
        "{:?}",
        emulator.stats()
    );
}

#[tokio::test]
async fn gateway_refusals_are_typed_errors() {
    let emulator = emulator(1).await;
    let wrong_token = Credentials::AccessToken(AccessToken::new("not-the-token").unwrap());
    let client = client_with(&emulator, wrong_token, ReqwestTransport::new().unwrap());
    let err = client.get_profile(&some_pkey()).await.unwrap_err();
    assert_eq!(
        (err.kind(), err.status(), err.error_code()),
        (ErrorKind::Auth, Some(401), Some("401013"))
    );
    assert!(!err.to_string().contains("not-the-token"));

    let mut config = ClientConfig::new(
        api(&emulator),
        Credentials::AccessToken(AccessToken::new("emulator-token").unwrap()),
    );
    config.api.api_key = ApiKey::new("wrong-key").unwrap();
    assert_eq!(
        refusal(config.clone()).await,
        (
            ErrorKind::Auth,
            Some(403),
            Some("403003".into()),
            "Api Key is invalid".into()
        )
    );

    config.api.api_key = ApiKey::new("emulator-api-key").unwrap();
    config.api.organization = Organization::new("acme-mkt-stage").unwrap();
    assert_eq!(
        refusal(config).await,
        (
            ErrorKind::Auth,
            Some(403),
            Some("403023".into()),
            "Profile is not valid".into()
        )
    );
}

/// The error a client with `config` gets for a profile: its kind, status, code and message.
async fn refusal(config: ClientConfig) -> (ErrorKind, Option<u16>, Option<String>, String) {
    let err = Client::new(config, ReqwestTransport::new().unwrap())
        .get_profile(&some_pkey())
        .await
        .unwrap_err();
    let code = err.error_code().map(str::to_owned);
    (err.kind(), err.status(), code, err.message().to_owned())
}

#[tokio::test]
async fn a_stopped_server_is_a_transport_error_after_retries() {
    let (emulator, client) = seeded(0).await;
    emulator.shutdown().await;
    let err = client.get_profile(&some_pkey()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.is_retryable());
}
