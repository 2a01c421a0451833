//! Shared test helpers: an emulator on a free port, an HTTP client with ACS headers, raw sockets.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use acs_emulator::{Emulator, EmulatorConfig};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const TOKEN: &str = "emulator-token";
pub const API_KEY: &str = "emulator-api-key";

/// A running emulator and a client for it.
pub struct Harness {
    pub emulator: Emulator,
    pub http: reqwest::Client,
}

impl Harness {
    pub async fn start(config: EmulatorConfig) -> Harness {
        let emulator = Emulator::start(config).await.expect("emulator starts");
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        Harness { emulator, http }
    }

    pub async fn seeded(profiles: u64) -> Harness {
        Harness::start(EmulatorConfig::default().with_seed(profiles)).await
    }

    /// `{base}/acme/campaign/profileAndServices{rest}`.
    pub fn acs(&self, rest: &str) -> String {
        format!(
            "{}/acme/campaign/profileAndServices{rest}",
            self.emulator.base_url()
        )
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emulator.base_url())
    }

    /// A request with the gateway headers an ACS client sends.
    pub fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .header("Authorization", format!("Bearer {TOKEN}"))
            .header("X-Api-Key", API_KEY)
            .header("Cache-Control", "no-cache")
            .header("Accept", "application/json")
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.request(method, url);
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json;charset=utf-8")
                .body(body.to_string());
        }
        answer(request.send().await.expect("the emulator answers")).await
    }

    pub async fn get(&self, url: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, url, None).await
    }

    pub async fn create(&self, body: Value) -> Value {
        let (status, profile) = self
            .send(reqwest::Method::POST, &self.acs("/profile"), Some(body))
            .await;
        assert_eq!(status, 201, "{profile}");
        profile
    }

    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&str>,
    ) -> (u16, Value) {
        let mut request = self
            .http
            .request(method, self.url(&format!("/_emulator/{path}")));
        if let Some(body) = body {
            request = request.body(body.to_owned());
        }
        answer(request.send().await.unwrap()).await
    }

    /// How many requests stats counted for this method, route and status.
    pub async fn counted(&self, method: &str, route: &str, status: u16) -> u64 {
        let (_, stats) = self.admin(reqwest::Method::GET, "stats", None).await;
        stats["requests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["method"] == method && r["route"] == route && r["status"] == status)
            .map(|r| r["count"].as_u64().unwrap())
            .sum()
    }
}

/// Status and JSON body (`Value::Null` for an empty body, a string for non-JSON).
pub async fn answer(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    (status, body)
}

/// A raw HTTP/1.1 exchange: sends `request` bytes, reads until the server closes.
/// Returns `None` if the server closed without sending a byte.
pub async fn raw(addr: SocketAddr, request: &[u8]) -> Option<(u16, String)> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes).await;
        bytes
    };
    let bytes = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("no hang");
    if bytes.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Some((status, text))
}

/// The JSON body of a raw answer.
pub fn raw_body(text: &str) -> Value {
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(body).unwrap_or(Value::Null)
}

/// A GET with the gateway headers as raw bytes, `Connection: close`.
pub fn raw_get(path: &str) -> Vec<u8> {
    format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\nX-Api-Key: {API_KEY}\r\nConnection: close\r\n\r\n"
    )
    .into_bytes()
}

/// Starts the `acs-emulator` binary on a free port with `args`; returns the process and the base
/// URL it prints as its first line.
pub fn spawn_binary(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acs-emulator"))
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    (child, first.trim_end().to_owned())
}
