//! `ccpa-optout serve` as a child process: started with its first stdout line read, its
//! further output collected, HTTP calls to it, SIGTERM and SIGKILL.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The API key the receiver tests put in the key file.
pub const RECEIVER_KEY: &str = "rk_cli_test_0123456789abcdef0123456789abcdef";

/// A running `serve`.
pub struct Served {
    pub child: Child,
    pub url: String,
    /// Every stdout line after the first.
    pub stdout: Arc<Mutex<Vec<String>>>,
    readers: Vec<JoinHandle<()>>,
    /// stderr, whole.
    pub stderr: Arc<Mutex<String>>,
}

impl Served {
    /// Spawns `command` (a `ccpa-optout serve …`) and waits for `listening on http://…`.
    pub fn spawn(mut command: Command) -> Served {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let collected = Arc::clone(&stderr);
        let err_reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            collected.lock().unwrap().push_str(&text);
        });
        let first = match lines.next() {
            Some(Ok(line)) => line,
            _ => {
                let _ = child.wait();
                err_reader.join().unwrap();
                panic!("serve printed nothing: {}", stderr.lock().unwrap());
            }
        };
        let url = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .to_owned();
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let rest = Arc::clone(&stdout);
        let out_reader = std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                rest.lock().unwrap().push(line);
            }
        });
        Served {
            child,
            url,
            stdout,
            readers: vec![out_reader, err_reader],
            stderr,
        }
    }

    /// Waits until `count` more stdout lines arrived (or ten seconds).
    pub fn stdout_lines(&self, count: usize) -> Vec<String> {
        let started = Instant::now();
        loop {
            let lines = self.stdout.lock().unwrap().clone();
            if lines.len() >= count || started.elapsed() > Duration::from_secs(10) {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, then the exit status (within `limit`) and the whole stderr.
    pub fn terminate(mut self, limit: Duration) -> (ExitStatus, String) {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                panic!("serve did not exit within {limit:?} of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        let stderr = self.stderr.lock().unwrap().clone();
        (status, stderr)
    }

    /// SIGKILL, and wait for it.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
    }
}

/// `POST {url}/v1/opt-outs` with `key`: (status, body), or `None` when no answer came.
pub async fn post(
    http: &reqwest::Client,
    url: &str,
    key: &str,
    body: &Value,
) -> Option<(u16, Value)> {
    let response = http
        .post(format!("{url}/v1/opt-outs"))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .ok()?;
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.ok()?;
    Some((status, body))
}

/// `GET {url}/v1/opt-outs/{id}` with `key`.
pub async fn status(http: &reqwest::Client, url: &str, key: &str, id: &str) -> Option<Value> {
    let response = http
        .get(format!("{url}/v1/opt-outs/{id}"))
        .bearer_auth(key)
        .send()
        .await
        .ok()?;
    response.json::<Value>().await.ok()
}

/// Whether a status is final.
pub fn settled(view: &Value) -> bool {
    matches!(
        view["status"].as_str(),
        Some("applied" | "unchanged" | "not-found" | "rejected")
    )
}
