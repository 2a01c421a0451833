use super::*;
use crate::intake::Signals;

fn stored(email: Option<&str>, pkey: Option<&str>) -> StoredRequest {
    StoredRequest {
        seq: 1,
        id: "oo_1".into(),
        request_id: "r1".into(),
        pkey: pkey.map(str::to_owned),
        email: email.map(str::to_owned),
        email_sha256: None,
        opt_out: true,
        explicit: true,
        signals: Signals::default(),
        decision: None,
        source: None,
        received_at: "2026-01-05".into(),
        due_date: "2026-01-26".into(),
        status: Status::Applying,
        attempts: 0,
        applied_at: None,
        changes: None,
        reason: None,
        due_met: None,
    }
}

fn change(changed: bool) -> OptOutChange {
    OptOutChange {
        pkey: PKey::new("@a1").unwrap(),
        previous: Some(!changed),
        current: true,
        changed,
    }
}

fn status(verdict: &Verdict) -> Option<Status> {
    match verdict {
        Verdict::Settle(settlement) => Some(settlement.status),
        _ => None,
    }
}

#[test]
fn outcomes_follow_the_changes_and_the_error_kinds() {
    let calendar = Calendar::default();
    let now: Timestamp = "2026-01-06T10:00:00Z".parse().unwrap();
    let by_email = stored(Some("ana@example.com"), None);
    let by_pkey = stored(None, Some("@a1"));
    let judge = |request: &StoredRequest, result| judge(request, result, &calendar, now);
    assert_eq!(
        status(&judge(&by_email, Ok(vec![]))),
        Some(Status::NotFound)
    );
    assert_eq!(
        status(&judge(&by_pkey, Ok(vec![change(true), change(false)]))),
        Some(Status::Applied)
    );
    assert_eq!(
        status(&judge(&by_pkey, Ok(vec![change(false)]))),
        Some(Status::Unchanged)
    );
    let not_found = Error::http_status(404, None, "no profile");
    assert_eq!(
        status(&judge(&by_pkey, Err(not_found))),
        Some(Status::NotFound)
    );
    let bad = Error::http_status(400, None, "bad request");
    assert_eq!(status(&judge(&by_pkey, Err(bad))), Some(Status::Rejected));
    let refused = Error::http_status(401, Some("401013".into()), "token");
    assert!(matches!(judge(&by_pkey, Err(refused)), Verdict::Pause(_)));
    let down = Error::http_status(503, None, "down").with_retry_after(Some(Duration::from_secs(7)));
    assert!(matches!(
        judge(&by_pkey, Err(down)),
        Verdict::Retry { kind: ErrorKind::Server, retry_after: Some(d), .. } if d == Duration::from_secs(7)
    ));
    assert!(matches!(
        judge(&by_pkey, Err(Error::transport("reset"))),
        Verdict::Retry { .. }
    ));
    let Verdict::Settle(settlement) = judge(&by_pkey, Ok(vec![change(true)])) else {
        panic!()
    };
    assert_eq!(settlement.applied_at, "2026-01-06T10:00:00Z");
    assert_eq!(settlement.due_met, Some(true));
    assert!(settlement.changes.unwrap().contains("\"pkey\":\"@a1\""));
}

#[test]
fn backoff_doubles_to_its_ceiling_and_jitter_only_shortens() {
    let (base, max) = (Duration::from_secs(5), Duration::from_secs(300));
    assert_eq!(backoff(1, base, max, 0.0), Duration::from_secs(5));
    assert_eq!(backoff(3, base, max, 0.0), Duration::from_secs(20));
    assert_eq!(backoff(40, base, max, 0.0), max);
    assert_eq!(backoff(1, base, max, 1.0), Duration::from_secs(4));
}
