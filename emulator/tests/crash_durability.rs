//! `kill -9` of the emulator binary with `--data` in the middle of concurrent writes, again and
//! again: after each restart every acknowledged write is there, whole (both fields of one PATCH
//! or neither), and nothing appears that was never sent.
//!
//! `HARDEN_KILLS` sets the number of kills (default 5; `scripts/harden.sh` uses 20) and
//! `HARDEN_SEED` the dice (default: the clock; printed so a failure can be replayed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::{API_KEY, TOKEN, answer, spawn_binary};
use serde_json::json;
use tokio::sync::Mutex;

const PROFILES: usize = 160;
const WRITERS: usize = 16;

/// Per profile: the highest write number sent and the highest acknowledged.
#[derive(Default, Clone, Copy)]
struct Writes {
    sent: u64,
    acked: u64,
}

#[derive(Default)]
struct Ledger {
    patches: HashMap<String, Writes>,
    created_acked: Vec<String>,
    created_sent: u64,
    acked_total: u64,
}

fn start(data: &str) -> (Child, String) {
    spawn_binary(&["--data", data, "--seed", &PROFILES.to_string()])
}

fn request(http: &reqwest::Client, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
    http.request(method, url)
        .header("Authorization", format!("Bearer {TOKEN}"))
        .header("X-Api-Key", API_KEY)
        .timeout(Duration::from_secs(5))
}

/// xorshift64*: the kill points, reproducible from the printed seed.
fn dice(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// One writer: PATCHes its own profiles in turn (write n sets `firstName` to `w{n}` and the
/// opt-out to `n` even), and every fourth step creates a profile, until `stop`.
async fn writer(
    url: String,
    pkeys: Vec<String>,
    ledger: Arc<Mutex<Ledger>>,
    stop: Arc<AtomicBool>,
    id: usize,
) {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let base = format!("{url}/acme/campaign/profileAndServices/profile");
    for step in 0u64.. {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        if step % 4 == 3 {
            let n = {
                let mut ledger = ledger.lock().await;
                ledger.created_sent += 1;
                ledger.created_sent
            };
            let body = json!({"email": format!("w{id}-{n}@example.com")});
            let sent = request(&http, reqwest::Method::POST, &base)
                .body(body.to_string())
                .send()
                .await;
            let Ok(response) = sent else { continue };
            let (status, created) = answer(response).await;
            if status == 201 {
                let mut ledger = ledger.lock().await;
                ledger
                    .created_acked
                    .push(created["PKey"].as_str().unwrap().to_owned());
                ledger.acked_total += 1;
            }
            continue;
        }
        let pkey = &pkeys[step as usize % pkeys.len()];
        let n = {
            let mut ledger = ledger.lock().await;
            let writes = ledger.patches.entry(pkey.clone()).or_default();
            writes.sent += 1;
            writes.sent
        };
        let body = json!({"firstName": format!("w{n}"), "ccpaOptOut": n.is_multiple_of(2)});
        let url = format!("{base}/{pkey}");
        let sent = request(&http, reqwest::Method::PATCH, &url)
            .body(body.to_string())
            .send()
            .await;
        if matches!(&sent, Ok(response) if response.status().as_u16() == 200) {
            let mut ledger = ledger.lock().await;
            let writes = ledger.patches.get_mut(pkey).unwrap();
            writes.acked = writes.acked.max(n);
            ledger.acked_total += 1;
        }
    }
}

/// Checks the restarted store against the ledger; returns the problems found.
async fn verify(url: &str, ledger: &Ledger) -> Vec<String> {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let base = format!("{url}/acme/campaign/profileAndServices/profile");
    let mut problems = Vec::new();
    for (pkey, writes) in &ledger.patches {
        let response = request(&http, reqwest::Method::GET, &format!("{base}/{pkey}"))
            .send()
            .await
            .unwrap();
        let (_, profile) = answer(response).await;
        let name = profile["firstName"].as_str().unwrap_or("");
        let n: u64 = name
            .strip_prefix('w')
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if n < writes.acked || n > writes.sent {
            problems.push(format!(
                "{pkey}: holds write {n}, acknowledged {}, sent {}",
                writes.acked, writes.sent
            ));
        }
        if n > 0 && profile["ccpaOptOut"] != json!(n.is_multiple_of(2)) {
            problems.push(format!("{pkey}: write {n} was applied in part: {profile}"));
        }
    }
    for pkey in &ledger.created_acked {
        let status = request(&http, reqwest::Method::GET, &format!("{base}/{pkey}"))
            .send()
            .await
            .unwrap()
            .status();
        if status.as_u16() != 200 {
            problems.push(format!(
                "created {pkey} was acknowledged but is gone ({status})"
            ));
        }
    }
    let response = request(&http, reqwest::Method::GET, &format!("{base}/_count"))
        .send()
        .await
        .unwrap();
    let (_, count) = answer(response).await;
    let count = count["count"].as_u64().unwrap();
    let (low, high) = (ledger.created_acked.len() as u64, ledger.created_sent);
    if count < PROFILES as u64 + low || count > PROFILES as u64 + high {
        problems.push(format!(
            "{count} profiles; expected {PROFILES} seeded plus {low} to {high} created"
        ));
    }
    problems
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_kill_9_during_concurrent_writes() {
    let kills: u64 = std::env::var("HARDEN_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let seed: u64 = std::env::var("HARDEN_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
        | 1;
    println!("HARDEN_SEED={seed} HARDEN_KILLS={kills}");
    let mut state = seed;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store.jsonl");
    let data = data.to_str().unwrap();

    let (mut child, url) = start(data);
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = request(
        &http,
        reqwest::Method::GET,
        &format!("{url}/acme/campaign/profileAndServices/profile?_lineCount={PROFILES}"),
    )
    .send()
    .await
    .unwrap();
    let (_, listing) = answer(response).await;
    let pkeys: Vec<String> = listing["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["PKey"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(pkeys.len(), PROFILES);

    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut url = url;
    for round in 1..=kills {
        let stop = Arc::new(AtomicBool::new(false));
        let tasks: Vec<_> = (0..WRITERS)
            .map(|id| {
                let mine = pkeys.iter().skip(id).step_by(WRITERS).cloned().collect();
                tokio::spawn(writer(
                    url.clone(),
                    mine,
                    Arc::clone(&ledger),
                    Arc::clone(&stop),
                    id,
                ))
            })
            .collect();
        // Kill only once this round's writes are landing: on a loaded machine an fsync can take
        // longer than the whole random wait, and a round with nothing acknowledged tests nothing.
        let before = ledger.lock().await.acked_total;
        let started = tokio::time::Instant::now();
        let landing = started + Duration::from_secs(20);
        while ledger.lock().await.acked_total == before && tokio::time::Instant::now() < landing {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let first_ack = started.elapsed();
        let wait = 100 + dice(&mut state) % 400;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        child.kill().unwrap(); // SIGKILL while writes are in flight
        child.wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        for task in tasks {
            task.await.unwrap();
        }
        let restarted = start(data);
        child = restarted.0;
        url = restarted.1;
        let ledger = ledger.lock().await;
        let problems = verify(&url, &ledger).await;
        println!(
            "kill {round} {wait} ms after the first write landed ({} ms): {} writes acknowledged \
             so far, all present",
            first_ack.as_millis(),
            ledger.acked_total
        );
        assert!(
            problems.is_empty(),
            "after kill {round}:\n{}",
            problems.join("\n")
        );
    }
    let ledger = ledger.lock().await;
    assert!(
        ledger.acked_total > kills * 10,
        "too few writes to mean anything"
    );
    let _ = child.kill();
    let _ = child.wait();
}
