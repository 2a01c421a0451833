//! The receiver's test harness: an emulator as ACS, a receiver over a SQLite file in a
//! temporary directory (or, with `RECEIVER_TEST_STORE=postgres`, a fresh database on the
//! server `CCPA_TEST_POSTGRES` names), served on a loopback port, and an HTTP client.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use acs_emulator::{Emulator, EmulatorConfig, FaultPlan};
use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, BaseUrl, Client, ClientConfig, ClientSettings, Credentials,
    ListOptions, Organization, ReqwestTransport, RetrySettings,
};
use ccpa_optout_receiver::{
    ApiKeys, Receiver, ReceiverConfig, Store, SubjectTokenVerifier, WorkerConfig, open_store,
};
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const API_KEY: &str = "rk_test_0123456789abcdef0123456789abcdef";
pub const SECRET: &[u8] = b"subject-token-secret-for-the-tests-0123456789";
pub const ORIGIN: &str = "https://shop.example";

pub mod postgres;
pub mod tokens;

/// A receiver in front of an emulator.
pub struct Harness {
    pub emulator: Emulator,
    pub url: String,
    /// The store's URL (`sqlite:…` or `postgres://…`).
    pub store_url: String,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
    store: Arc<dyn Store>,
    stop: Option<oneshot::Sender<()>>,
    served: Option<JoinHandle<std::io::Result<()>>>,
    pub metrics_url: String,
}

/// Quick retries and polls so that tests about outages take seconds.
pub fn quick_worker() -> WorkerConfig {
    WorkerConfig {
        concurrency: 8,
        max_rps: None,
        retry_base: Duration::from_millis(100),
        retry_max: Duration::from_millis(500),
        probe_interval: Duration::from_millis(200),
        idle_poll: Duration::from_millis(50),
        shutdown_grace: Duration::from_secs(5),
        ..WorkerConfig::default()
    }
}

impl Harness {
    /// An emulator with `seed` profiles and a receiver with the defaults of the tests.
    pub async fn start(seed: u64) -> Harness {
        Harness::start_with(seed, |_, _| {}).await
    }

    /// The same, the configurations adjusted by `tweak`.
    pub async fn start_with(
        seed: u64,
        tweak: impl FnOnce(&mut ReceiverConfig, &mut WorkerConfig),
    ) -> Harness {
        let emulator =
            Emulator::start(EmulatorConfig::default().with_seed(seed).with_fault_seed(3))
                .await
                .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store_url = match std::env::var("RECEIVER_TEST_STORE").as_deref() {
            Ok("postgres") => postgres::fresh_database("harness").await,
            _ => format!("sqlite:{}", dir.path().join("receiver.db").display()),
        };
        let store = open_store(&store_url).await.unwrap();
        let mut config = ReceiverConfig::new(ApiKeys::new([API_KEY]).unwrap())
            .with_origins([ORIGIN])
            .unwrap();
        config.subject_tokens = Some(SubjectTokenVerifier::new(SECRET, None).unwrap());
        let mut worker = quick_worker();
        tweak(&mut config, &mut worker);
        let receiver =
            Receiver::start(config, worker, Arc::clone(&store), acs_config(&emulator)).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let served = tokio::spawn(receiver.serve(listener, async move {
            let _ = stopped.await;
        }));
        Harness {
            emulator,
            metrics_url: format!("{url}/metrics"),
            url,
            store_url,
            http: reqwest::Client::new(),
            dir,
            store,
            stop: Some(stop),
            served: Some(served),
        }
    }

    /// The store the receiver writes (read it beside the receiver).
    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// Sends `request` and returns the status and the JSON body (`null` when not JSON).
    pub async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// `POST /v1/opt-outs` with the API key.
    pub async fn post_opt_out(&self, body: Value) -> (u16, Value) {
        self.send(
            self.http
                .post(format!("{}/v1/opt-outs", self.url))
                .bearer_auth(API_KEY)
                .json(&body),
        )
        .await
    }

    /// `POST /v1/signals` from the allowed origin, with a token when given.
    pub async fn post_signals(
        &self,
        token: Option<&str>,
        gpc_header: bool,
        body: Value,
    ) -> (u16, Value) {
        let mut request = self
            .http
            .post(format!("{}/v1/signals", self.url))
            .header("Origin", ORIGIN)
            .json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if gpc_header {
            request = request.header("Sec-GPC", "1");
        }
        self.send(request).await
    }

    /// `GET /v1/opt-outs/{id}` with `credential`.
    pub async fn status(&self, id: &str, credential: &str) -> (u16, Value) {
        self.send(
            self.http
                .get(format!("{}/v1/opt-outs/{id}", self.url))
                .bearer_auth(credential),
        )
        .await
    }

    /// Polls until every id has a final status (or fails after `limit`); the statuses.
    pub async fn settle(&self, ids: &[String], limit: Duration) -> Vec<Value> {
        let started = Instant::now();
        loop {
            let mut views = Vec::new();
            for id in ids {
                views.push(self.status(id, API_KEY).await.1);
            }
            let open: Vec<&Value> = views
                .iter()
                .filter(|v| {
                    !matches!(
                        v["status"].as_str(),
                        Some("applied" | "unchanged" | "not-found" | "rejected")
                    )
                })
                .collect();
            if open.is_empty() {
                return views;
            }
            assert!(
                started.elapsed() < limit,
                "still open after {limit:?}: {open:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of `/metrics`.
    pub async fn metrics(&self) -> String {
        self.http
            .get(&self.metrics_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Sets the emulator's faults from JSON.
    pub fn faults(&self, json: &str) {
        self.emulator
            .set_faults(FaultPlan::from_json(json.as_bytes()).unwrap())
            .unwrap();
    }

    /// How many requests the emulator answered with this method and status.
    pub fn count(&self, method: &str, status: u16) -> u64 {
        self.emulator
            .stats()
            .requests
            .iter()
            .filter(|r| r.method == method && r.status == status)
            .map(|r| r.count)
            .sum()
    }

    /// Every profile: (PKey, email, opt-out), read with faults off.
    pub async fn profiles(&self) -> Vec<(String, String, Option<bool>)> {
        self.emulator.set_faults(FaultPlan::default()).unwrap();
        let client = reader(&self.emulator);
        let mut listing = client.list_profiles(ListOptions {
            page_size: Some(1000),
            ..ListOptions::default()
        });
        let mut all = Vec::new();
        while let Some(page) = listing.next_page().await.unwrap() {
            all.extend(page.into_iter().map(|p| {
                (
                    p.pkey.map(|k| k.as_str().to_owned()).unwrap_or_default(),
                    p.email.unwrap_or_default(),
                    p.opt_out,
                )
            }));
        }
        all
    }

    /// Stops the receiver gracefully.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(served) = self.served.take() {
            served.await.unwrap().unwrap();
        }
    }
}

/// The worker's ACS settings for `emulator`, through the core's settings model as the CLI
/// builds them, with short retries.
pub fn acs_config(emulator: &Emulator) -> ClientConfig {
    let config = emulator.config();
    ClientSettings {
        organization: Some(config.org.clone()),
        api_key: Some(config.api_key.clone()),
        access_token: Some(config.token.clone()),
        base_url: Some(emulator.base_url().to_owned()),
        timeout: Some(5.0),
        retry: Some(RetrySettings {
            max_attempts: Some(2),
            base_delay: Some(0.02),
            max_delay: Some(0.1),
            max_retry_after: Some(1.0),
        }),
        ..ClientSettings::default()
    }
    .client_config()
    .unwrap()
}

/// A plain client for reading the emulator.
pub fn reader(emulator: &Emulator) -> Client<ReqwestTransport> {
    let api = ApiConfig::new(
        Organization::new("acme").unwrap(),
        ApiKey::new("emulator-api-key").unwrap(),
    )
    .with_base_url(BaseUrl::new(emulator.base_url()).unwrap());
    let token = AccessToken::new("emulator-token").unwrap();
    Client::new(
        ClientConfig::new(api, Credentials::AccessToken(token)),
        ReqwestTransport::new().unwrap(),
    )
}

/// A subject token for `subject`, valid ten minutes.
pub fn token(subject: &str) -> String {
    ccpa_optout::mint_subject_token(SECRET, subject, Duration::from_secs(600)).unwrap()
}

/// How many profiles hold another opt-out value in `after` than in `before` (both from
/// [`Harness::profiles`]): the real changes, which the PATCH count must equal.
pub fn changed(
    before: &[(String, String, Option<bool>)],
    after: &[(String, String, Option<bool>)],
) -> u64 {
    before.iter().zip(after).filter(|(b, a)| b.2 != a.2).count() as u64
}
