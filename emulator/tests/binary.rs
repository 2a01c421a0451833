//! The `acs-emulator` binary: URL on the first line, SIGTERM, `--data` across `kill -9`, 10,000 connections.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::{API_KEY, TOKEN, answer, spawn_binary};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A running binary and its base URL.
struct Running {
    child: Child,
    url: String,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let (child, url) = spawn_binary(args);
        assert!(
            url.starts_with("http://127.0.0.1:") && !url.ends_with('/'),
            "first line: {url:?}"
        );
        Running { child, url }
    }

    fn addr(&self) -> SocketAddr {
        self.url.trim_start_matches("http://").parse().unwrap()
    }

    fn acs(&self, rest: &str) -> String {
        format!("{}/acme/campaign/profileAndServices{rest}", self.url)
    }

    /// Sends SIGTERM and waits (at most 10 s) for the exit status.
    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the emulator did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn send(method: reqwest::Method, url: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = client()
        .request(method, url)
        .header("Authorization", format!("Bearer {TOKEN}"))
        .header("X-Api-Key", API_KEY);
    if let Some(body) = body {
        request = request.body(body.to_string());
    }
    answer(request.send().await.unwrap()).await
}

#[tokio::test]
async fn prints_its_url_first_and_exits_0_on_sigterm() {
    let running = Running::start(&["--org", "tenant-x", "--api-key", "k", "--token", "t"]);
    let url = format!(
        "{}/tenant-x/campaign/profileAndServices/profile",
        running.url
    );
    let response = client()
        .get(url)
        .header("Authorization", "Bearer t")
        .header("X-Api-Key", "k")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(running.terminate().success());
}

#[tokio::test]
async fn takes_the_ims_org_from_its_flag_and_refuses_one_without_adobe_org() {
    let output = Command::new(env!("CARGO_BIN_EXE_acs-emulator"))
        .args(["--ims-org", "ABC123"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("@AdobeOrg"));
    let running = Running::start(&["--ims-org", "ABC123DEF@AdobeOrg"]);
    let list = format!("{}/data/core/privacy/jobs?regulation=ccpa", running.url);
    let with_org = |org: &str| {
        client()
            .get(&list)
            .header("Authorization", format!("Bearer {TOKEN}"))
            .header("X-Api-Key", API_KEY)
            .header("x-gw-ims-org-id", org)
            .send()
    };
    assert_eq!(with_org("ABC123DEF@AdobeOrg").await.unwrap().status(), 200);
    let (status, body) = answer(with_org(acs_emulator::DEFAULT_IMS_ORG).await.unwrap()).await;
    assert_eq!((status, body["error_code"].clone()), (403, json!("403025")));
}

#[tokio::test]
async fn refuses_invalid_faults_at_start() {
    let output = Command::new(env!("CARGO_BIN_EXE_acs-emulator"))
        .args(["--faults", r#"{"drop": 3}"#])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("drop must be between 0 and 1"));
    let running = Running::start(&["--faults", r#"{"status": {"503": 1.0}}"#]);
    let (_, faults) = answer(
        client()
            .get(format!("{}/_emulator/faults", running.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(faults, json!({"status": {"503": 1.0}}));
    assert_eq!(
        send(reqwest::Method::GET, &running.acs("/profile"), None)
            .await
            .0,
        503
    );
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9_and_a_torn_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store.jsonl");
    let data_arg = data.to_str().unwrap();
    let running = Running::start(&["--data", data_arg, "--seed", "5"]);
    let (_, page) = send(reqwest::Method::GET, &running.acs("/profile"), None).await;
    let hrefs: Vec<String> = page["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["href"].as_str().unwrap().to_owned())
        .collect();
    let (status, created) = send(
        reqwest::Method::POST,
        &running.acs("/profile"),
        Some(json!({"email": "kept@example.com"})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        send(
            reqwest::Method::PATCH,
            &hrefs[0],
            Some(json!({"ccpaOptOut": true}))
        )
        .await
        .0,
        200
    );
    assert_eq!(send(reqwest::Method::DELETE, &hrefs[1], None).await.0, 200);
    running.kill_9();

    append(&data, br#"{"op":"put","record":{"seq":99,"pkey":"@torn"#);
    let running = Running::start(&["--data", data_arg, "--seed", "5"]);
    let path_of = |href: &str| href.split_once("/acme/").unwrap().1.to_owned();
    let at = |href: &str| format!("{}/acme/{}", running.url, path_of(href));
    assert_eq!(
        send(reqwest::Method::GET, &at(&hrefs[0]), None).await.1["ccpaOptOut"],
        true
    );
    assert_eq!(
        send(reqwest::Method::GET, &at(&hrefs[1]), None).await.0,
        404
    );
    let (_, found) = send(
        reqwest::Method::GET,
        &running.acs("/profile/byEmail?email=kept%40example.com"),
        None,
    )
    .await;
    assert_eq!(found["content"][0]["PKey"], created["PKey"]);
    let (_, count) = send(reqwest::Method::GET, &running.acs("/profile/_count"), None).await;
    assert_eq!(
        count,
        json!({"count": 5}),
        "5 seeds + 1 created - 1 deleted, not seeded again"
    );
    let (_, newer) = send(
        reqwest::Method::POST,
        &running.acs("/profile"),
        Some(json!({"email": "new@example.com"})),
    )
    .await;
    assert_ne!(newer["PKey"], created["PKey"]);
    assert!(
        !hrefs
            .iter()
            .any(|h| h.ends_with(newer["PKey"].as_str().unwrap())),
        "PKeys are never reused"
    );
    assert!(running.terminate().success());
}

fn append(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
}

/// Reads one HTTP/1.1 answer (headers, then `Content-Length` bytes) and returns its status.
async fn read_status(stream: &mut TcpStream) -> u16 {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "closed early");
        buffer.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buffer);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if body.len() >= length {
                return head.split(' ').nth(1).unwrap().parse().unwrap();
            }
        }
    }
}

#[tokio::test]
async fn ten_thousand_concurrent_connections_are_all_answered() {
    const CONNECTIONS: usize = 10_000;
    let limit = acs_emulator::raise_open_files_limit().unwrap();
    assert!(
        limit.is_none_or(|l| l > CONNECTIONS as u64 + 500),
        "this test needs an open-files hard limit above {CONNECTIONS} (ulimit -Hn), found {limit:?}"
    );
    let running = Running::start(&["--seed", "3"]);
    let addr = running.addr();
    // Keep-alive (no `Connection: close`): every connection stays open until all are answered.
    let request = String::from_utf8(common::raw_get(
        "/acme/campaign/profileAndServices/profile/_count",
    ))
    .unwrap()
    .replace("Connection: close\r\n", "");
    let started = Instant::now();
    let mut open = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        open.push(tokio::spawn(async move {
            TcpStream::connect(addr).await.unwrap()
        }));
    }
    let mut streams = Vec::with_capacity(CONNECTIONS);
    for task in open {
        streams.push(task.await.unwrap());
    }
    let mut answers = tokio::task::JoinSet::new();
    for mut stream in streams {
        let request = request.clone();
        answers.spawn(async move {
            stream.write_all(request.as_bytes()).await.unwrap();
            let status = read_status(&mut stream).await;
            (status, stream)
        });
    }
    let mut ok = 0;
    let mut held = Vec::with_capacity(CONNECTIONS);
    let all = async {
        while let Some(done) = answers.join_next().await {
            let (status, stream) = done.unwrap();
            ok += usize::from(status == 200);
            held.push(stream);
        }
    };
    tokio::time::timeout(Duration::from_secs(60), all)
        .await
        .expect("no hang");
    assert_eq!(
        ok, CONNECTIONS,
        "every connection answered 200 (held open together)"
    );
    eprintln!(
        "{CONNECTIONS} concurrent connections answered in {:?}",
        started.elapsed()
    );
    drop(held);
    assert!(running.terminate().success());
}
