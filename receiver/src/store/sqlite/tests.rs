use ccpa_optout::{Email, PKey, Subject};

use super::*;
use crate::calendar::Calendar;
use crate::intake::{NewRequest, Signals};
use crate::store::Status;

fn request(id: &str, request_id: &str, subject: Subject) -> NewRequest {
    let calendar = Calendar::default();
    let received = calendar
        .received(Some("2026-01-05"), "2026-01-05T12:00:00Z".parse().unwrap())
        .unwrap();
    NewRequest {
        id: id.to_owned(),
        request_id: request_id.to_owned(),
        subject,
        opt_out: true,
        explicit: true,
        signals: Signals::default(),
        decision: None,
        source: Some("web".into()),
        due_date: calendar.due_date(&received),
        received,
    }
}

fn email(text: &str) -> Subject {
    Subject::Email(Email::new(text).unwrap())
}

fn pkey(text: &str) -> Subject {
    Subject::PKey(PKey::new(text).unwrap())
}

fn settlement() -> Settlement {
    Settlement {
        status: Status::Applied,
        changes: Some("[]".into()),
        reason: None,
        applied_at: "2026-01-06T00:00:00Z".into(),
        due_met: Some(true),
    }
}

#[tokio::test]
async fn an_insert_is_idempotent_by_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("r.db")).unwrap();
    let first = store
        .insert(request("a", "r1", email("ana@example.com")), 1)
        .await
        .unwrap();
    let Inserted::New(first) = first else {
        panic!("not new")
    };
    assert_eq!(first.status, Status::Queued);
    assert_eq!(first.email.as_deref(), Some("ana@example.com"));
    let again = store
        .insert(request("b", "r1", pkey("@other")), 2)
        .await
        .unwrap();
    assert_eq!(again, Inserted::Existing(first.clone()));
    assert_eq!(store.get("a".into()).await.unwrap(), Some(first));
    assert_eq!(store.get("b".into()).await.unwrap(), None);
}

#[tokio::test]
async fn leases_take_the_oldest_per_subject_and_settling_erases_the_email() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("r.db")).unwrap();
    for (id, subject) in [
        ("a", email("ana@example.com")),
        ("b", email("ana@example.com")),
        ("c", pkey("@p")),
    ] {
        store.insert(request(id, id, subject), 10).await.unwrap();
    }
    let leased = store.lease(10, "w1".into(), 20, 1000).await.unwrap();
    let ids: Vec<&str> = leased.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a", "c"], "b waits for a: same subject");
    assert!(leased.iter().all(|r| r.status == Status::Applying));
    assert!(
        store
            .lease(10, "w2".into(), 30, 1000)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !store
            .complete("a".into(), "w2".into(), settlement())
            .await
            .unwrap(),
        "not w2's lease"
    );
    assert!(
        store
            .complete("a".into(), "w1".into(), settlement())
            .await
            .unwrap()
    );
    let settled = store.get("a".into()).await.unwrap().unwrap();
    assert_eq!((settled.status, settled.attempts), (Status::Applied, 1));
    assert_eq!(settled.email, None);
    assert_eq!(
        settled.email_sha256.as_deref(),
        Some(crate::intake::sha256_hex(b"ana@example.com").as_str())
    );
    let next = store.lease(10, "w2".into(), 40, 1000).await.unwrap();
    assert_eq!(
        next.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["b"]
    );
}

#[tokio::test]
async fn retries_wait_their_turn_releases_count_nothing_and_leases_expire() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("r.db")).unwrap();
    store
        .insert(request("a", "a", pkey("@a")), 0)
        .await
        .unwrap();
    store
        .insert(request("b", "b", pkey("@b")), 0)
        .await
        .unwrap();
    store.lease(2, "w".into(), 1, 100).await.unwrap();
    assert!(
        store
            .retry_later("a".into(), "w".into(), 500, "Server (503)".into())
            .await
            .unwrap()
    );
    assert!(store.release("b".into(), "w".into()).await.unwrap());
    let a = store.get("a".into()).await.unwrap().unwrap();
    let b = store.get("b".into()).await.unwrap().unwrap();
    assert_eq!(
        (a.status, a.attempts, a.reason.as_deref()),
        (Status::Retrying, 1, Some("Server (503)"))
    );
    assert_eq!((b.status, b.attempts), (Status::Queued, 0));
    let now = store.lease(5, "w".into(), 200, 300).await.unwrap();
    assert_eq!(now.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["b"]);
    // b's lease runs out at 300: another worker may take it, a is due at 500.
    let later = store.lease(5, "v".into(), 600, 900).await.unwrap();
    assert_eq!(
        later.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert!(
        !store
            .complete("b".into(), "w".into(), settlement())
            .await
            .unwrap(),
        "w lost b"
    );
}

#[tokio::test]
async fn a_reopened_store_keeps_everything_and_frees_leases_and_is_locked_while_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    {
        let store = SqliteStore::open(&path).unwrap();
        store
            .insert(request("a", "a", pkey("@a")), 0)
            .await
            .unwrap();
        store.lease(1, "dead".into(), 1, i64::MAX).await.unwrap();
        assert!(matches!(
            SqliteStore::open(&path),
            Err(StoreError::Config(_))
        ));
    }
    let store = SqliteStore::open(&path).unwrap();
    let a = store.get("a".into()).await.unwrap().unwrap();
    assert_eq!(a.status, Status::Queued);
    assert_eq!(
        store.lease(1, "alive".into(), 2, 10).await.unwrap().len(),
        1
    );
    let stats = store
        .stats(ccpa_optout::Date::parse("2026-02-01").unwrap())
        .await
        .unwrap();
    assert_eq!((stats.total, stats.open, stats.overdue), (1, 1, 1));
    store.ping().await.unwrap();
    store.maintain().await.unwrap();
}

#[tokio::test]
async fn a_read_only_store_exports_settled_requests_while_the_receiver_holds_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let store = SqliteStore::open(&path).unwrap();
    for id in ["a", "b", "c"] {
        store
            .insert(request(id, id, pkey(&format!("@{id}"))), 0)
            .await
            .unwrap();
    }
    store.lease(3, "w".into(), 1, 100).await.unwrap();
    store
        .complete("a".into(), "w".into(), settlement())
        .await
        .unwrap();
    store
        .complete("c".into(), "w".into(), settlement())
        .await
        .unwrap();
    let reader = SqliteStore::open_read_only(&path).unwrap();
    let settled = reader.settled_after(0, 10).await.unwrap();
    assert_eq!(
        settled.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["a", "c"]
    );
    assert_eq!(
        reader
            .settled_after(settled[0].seq, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(reader.ping().await.is_err());
    assert!(SqliteStore::open_read_only(dir.path().join("missing.db")).is_err());
}
