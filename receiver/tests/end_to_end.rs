//! End to end over real sockets, the emulator as ACS: backend posts by email and PKey, with an
//! explicit value or signals; browser posts with and without a subject token; statuses until
//! settled; the emulator's profiles and request counters agree with what the receiver reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::time::Duration;

use acs_emulator::seed;

use common::{API_KEY, Harness, token};
use serde_json::{Value, json};

/// Seed indexes by their opt-out, leaving out the profiles that share an email (8 and 9 of
/// every ten), which get a test of their own.
fn singles(opted_out: bool) -> Vec<u64> {
    (0..60)
        .filter(|i| i % 10 < 8 && seed::profile(*i).ccpa_opt_out == opted_out)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_request_is_applied_and_the_emulator_agrees() {
    let h = Harness::start(60).await;
    let before = h.profiles().await;
    let pkey_of: HashMap<String, String> = before
        .iter()
        .map(|(pkey, email, _)| (email.clone(), pkey.clone()))
        .collect();
    let (out, clear) = (singles(true), singles(false));
    let pkey = |index: u64| pkey_of[&seed::email(index)].clone();

    // (body, expected status) of the backend's posts.
    let backend = [
        (
            json!({"email": seed::email(clear[0]), "optOut": true, "requestId": "b-email", "source": "web"}),
            "applied",
        ),
        (json!({"pkey": pkey(clear[1]), "optOut": true}), "applied"),
        (json!({"pkey": pkey(out[0]), "optOut": true}), "unchanged"),
        (
            json!({"email": seed::email(clear[2]), "gpc": true}),
            "applied",
        ),
        // "Not opted out" from a signal never clears a recorded opt-out.
        (json!({"pkey": pkey(out[1]), "usp": "1YNN"}), "unchanged"),
        (
            json!({"email": "nobody@example.com", "optOut": true}),
            "not-found",
        ),
        (
            json!({"pkey": "@no-such-profile", "optOut": true}),
            "not-found",
        ),
        // Profiles 8 and 9 share an email: both are written.
        (
            json!({"email": seed::email(8), "optOut": true, "requestId": "b-twins"}),
            "any",
        ),
    ];
    let mut ids = Vec::new();
    let mut expected = HashMap::new();
    for (body, status) in &backend {
        let (code, answer) = h.post_opt_out(body.clone()).await;
        assert_eq!(code, 202, "{body} → {answer}");
        assert_eq!(answer["status"], "queued");
        assert!(answer["dueDate"].as_str().unwrap().len() == 10);
        let id = answer["id"].as_str().unwrap().to_owned();
        expected.insert(id.clone(), *status);
        ids.push(id);
    }
    // The same requestId again: the first request, nothing queued twice.
    let (code, again) = h
        .post_opt_out(
            json!({"email": seed::email(clear[0]), "optOut": true, "requestId": "b-email"}),
        )
        .await;
    assert_eq!(code, 200);
    assert_eq!(again["id"], Value::String(ids[0].clone()));

    // Browsers: with a token the signal is queued for the token's subject.
    let email_token = token(&seed::email(clear[3]));
    let (code, answer) = h.post_signals(Some(&email_token), true, json!({})).await;
    assert_eq!((code, &answer["honored"]), (202, &json!(true)), "{answer}");
    let browser_email = answer["id"].as_str().unwrap().to_owned();
    let pkey_token = token(&pkey(clear[4]));
    let (code, answer) = h
        .post_signals(
            Some(&pkey_token),
            false,
            json!({"gpp": "DBABBg~BVWSSSVY.YA"}),
        )
        .await;
    assert_eq!(code, 202, "{answer}");
    let browser_pkey = answer["id"].as_str().unwrap().to_owned();
    for id in [&browser_email, &browser_pkey] {
        expected.insert(id.clone(), "applied");
        ids.push(id.clone());
    }
    // The same page view again the same day finds the same request.
    let (code, again) = h.post_signals(Some(&email_token), true, json!({})).await;
    assert_eq!(
        (code, &again["id"]),
        (200, &Value::String(browser_email.clone()))
    );
    // No token: honoured or not, nothing stored. An opt-in never comes from a browser.
    let (code, answer) = h.post_signals(None, true, json!({})).await;
    assert_eq!(
        (code, answer["honored"].as_bool(), answer.get("id")),
        (200, Some(true), None)
    );
    let (code, answer) = h
        .post_signals(Some(&email_token), false, json!({"usp": "1YNN"}))
        .await;
    assert_eq!(
        (code, answer["honored"].as_bool(), answer.get("id")),
        (200, Some(false), None)
    );

    let views = h.settle(&ids, Duration::from_secs(30)).await;
    let mut patched = 0;
    for (id, view) in ids.iter().zip(&views) {
        let wanted = expected[id];
        if wanted != "any" {
            assert_eq!(view["status"], wanted, "{view}");
        }
        assert!(
            view["appliedAt"].is_string() && view["dueMet"] == json!(true),
            "{view}"
        );
        for change in view["changes"].as_array().into_iter().flatten() {
            patched += u64::from(change["changed"].as_bool().unwrap());
        }
    }
    // The emulator agrees: one PATCH per real change, and the profiles hold the values.
    assert_eq!(h.count("PATCH", 200), patched);
    let after = h.profiles().await;
    assert_eq!(common::changed(&before, &after), patched);
    for index in [
        clear[0], clear[1], clear[2], clear[3], clear[4], out[0], out[1], 8, 9,
    ] {
        let profile = after.iter().find(|p| p.0 == pkey(index)).unwrap();
        assert_eq!(profile.2, Some(true), "profile {index}");
    }

    // A token reads its own subject's request, not another's.
    let (code, own) = h.status(&browser_email, &email_token).await;
    assert_eq!((code, own["status"].as_str()), (200, Some("applied")));
    assert_eq!(h.status(&browser_pkey, &email_token).await.0, 404);
    assert_eq!(
        h.status(&ids[0], "rk_wrong_key_0123456789abcdef0123456789")
            .await
            .0,
        401
    );

    // Data minimisation: settled requests keep the SHA-256 of the email, not the email.
    let first = h.store().get(ids[0].clone()).await.unwrap().unwrap();
    assert_eq!(first.email, None);
    assert_eq!(first.email_sha256.unwrap().len(), 64);

    let metrics = h.metrics().await;
    assert!(
        metrics.contains("ccpa_optout_receiver_queue_depth 0"),
        "{metrics}"
    );
    assert!(metrics.contains("ccpa_optout_receiver_acknowledged_total{route=\"/v1/signals\"} 2"));
    assert!(metrics.contains("ccpa_optout_receiver_settled_total{outcome=\"not-found\"} 2"));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_export_writes_bulk_records_without_emails() {
    let h = Harness::start(10).await;
    let (_, answer) = h
        .post_opt_out(json!({"email": seed::email(1), "optOut": true, "requestId": "x-1", "receivedAt": "2026-01-05"}))
        .await;
    let id = answer["id"].as_str().unwrap().to_owned();
    h.settle(&[id], Duration::from_secs(20)).await;
    let reader = ccpa_optout_receiver::open_store_read_only(&h.store_url)
        .await
        .unwrap();
    let mut out = Vec::new();
    let written = ccpa_optout_receiver::audit::export(reader.as_ref(), &mut out)
        .await
        .unwrap();
    assert_eq!(written, 1);
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains(&seed::email(1)));
    let record: ccpa_optout::AuditRecord = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(record.request_id, "x-1");
    assert_eq!(record.received_at.as_deref(), Some("2026-01-05"));
    assert_eq!(record.due_date.as_deref(), Some("2026-01-26"));
    assert!(record.email_sha256.is_some() && record.outcome.is_final());
    let _ = API_KEY;
    h.stop().await;
}
