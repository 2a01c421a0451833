//! What every store promises the receiver and the worker, checked on SQLite always and on
//! PostgreSQL when `CCPA_TEST_POSTGRES` names a server (`postgres://USER@HOST:PORT`; each test
//! creates its own database there). `scripts/test-receiver.sh` starts a throwaway cluster and
//! runs the PostgreSQL ones with `--ignored`. Then SQLite's own promises (one receiver per
//! file, a reader beside it) and PostgreSQL's (several receivers on one database).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use ccpa_optout::{Date, Email, PKey, Subject};
use ccpa_optout_receiver::calendar::Calendar;
use ccpa_optout_receiver::intake::{NewRequest, Signals};
use ccpa_optout_receiver::store::{DEAD_STORE_GRACE_MS, Inserted, Settlement, Status};
use ccpa_optout_receiver::{
    SqliteStore, Store, StoreError, open_store, open_store_read_only, store_label,
};
use common::postgres;

fn request(id: &str, subject: Subject) -> NewRequest {
    let calendar = Calendar::default();
    let received = calendar
        .received(Some("2026-01-05"), "2026-01-05T12:00:00Z".parse().unwrap())
        .unwrap();
    NewRequest {
        id: id.to_owned(),
        request_id: format!("r-{id}"),
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

fn applied() -> Settlement {
    Settlement {
        status: Status::Applied,
        changes: Some("[]".into()),
        reason: None,
        applied_at: "2026-01-06T00:00:00Z".into(),
        due_met: Some(true),
    }
}

fn ids(requests: &[ccpa_optout_receiver::store::StoredRequest]) -> Vec<&str> {
    requests.iter().map(|r| r.id.as_str()).collect()
}

/// Inserts are idempotent by request id; leases take the oldest request per subject; a
/// settlement erases the email and needs the lease; retries wait their turn; releases count
/// nothing; expired leases are free again.
async fn the_queue_contract(store: &dyn Store) {
    for (id, subject) in [
        ("a", email("ana@example.com")),
        ("b", email("ana@example.com")),
        ("c", pkey("@p")),
        ("d", pkey("@q")),
    ] {
        assert!(matches!(
            store.insert(request(id, subject), 10).await.unwrap(),
            Inserted::New(_)
        ));
    }
    let again = store.insert(request("a2", pkey("@x")), 11).await.unwrap();
    assert!(matches!(again, Inserted::New(_)), "another request id");
    let mut twin = request("zz", pkey("@other"));
    twin.request_id = "r-a".into();
    let Inserted::Existing(existing) = store.insert(twin, 12).await.unwrap() else {
        panic!("the same request id must find the stored request")
    };
    assert_eq!(existing.id, "a");
    assert_eq!(existing.email.as_deref(), Some("ana@example.com"));
    assert_eq!(store.get("zz".into()).await.unwrap(), None);

    let leased = store.lease(3, "w1".into(), 20, 1000).await.unwrap();
    assert_eq!(ids(&leased), ["a", "c", "d"], "b waits for a: same subject");
    assert!(leased.iter().all(|r| r.status == Status::Applying));
    assert_eq!(
        ids(&store.lease(10, "w2".into(), 30, 1000).await.unwrap()),
        ["a2"],
        "leased requests and their subjects are taken"
    );
    assert!(
        !store
            .complete("a".into(), "w2".into(), applied())
            .await
            .unwrap(),
        "only the lease holder settles"
    );
    assert!(
        store
            .complete("a".into(), "w1".into(), applied())
            .await
            .unwrap()
    );
    let a = store.get("a".into()).await.unwrap().unwrap();
    assert_eq!((a.status, a.attempts, a.email), (Status::Applied, 1, None));
    assert_eq!(a.email_sha256.as_deref().map(str::len), Some(64));

    assert!(
        store
            .retry_later("c".into(), "w1".into(), 500, "ACS was busy".into())
            .await
            .unwrap()
    );
    assert!(store.release("d".into(), "w1".into()).await.unwrap());
    let d = store.get("d".into()).await.unwrap().unwrap();
    assert_eq!((d.status, d.attempts), (Status::Queued, 0));
    assert_eq!(
        ids(&store.lease(10, "w3".into(), 40, 1000).await.unwrap()),
        ["b", "d"],
        "b's turn has come; c waits until 500"
    );
    let c = store.get("c".into()).await.unwrap().unwrap();
    assert_eq!((c.status, c.attempts), (Status::Retrying, 1));
    assert_eq!(c.reason.as_deref(), Some("ACS was busy"));
    // At 1000 the leases of w2 and w3 run out; c is due.
    assert_eq!(
        ids(&store.lease(10, "w4".into(), 1000, 2000).await.unwrap()),
        ["b", "c", "d", "a2"]
    );
    assert!(
        !store
            .complete("b".into(), "w3".into(), applied())
            .await
            .unwrap(),
        "an expired lease settles nothing"
    );

    let stats = store
        .stats(Date::parse("2030-01-01").unwrap())
        .await
        .unwrap();
    assert_eq!((stats.total >= 5, stats.open, stats.overdue), (true, 4, 4));
    assert_eq!(stats.oldest_open_ms, Some(10));
    let settled = store.settled_after(0, 10).await.unwrap();
    assert_eq!(ids(&settled), ["a"]);
    assert!(
        store
            .settled_after(settled[0].seq, 10)
            .await
            .unwrap()
            .is_empty()
    );
    store.ping().await.unwrap();
    store.maintain().await.unwrap();
}

#[tokio::test]
async fn sqlite_keeps_the_queue_contract() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("r.db").display());
    the_queue_contract(&*open_store(&url).await.unwrap()).await;
}

// SQLite's own promises: one receiver per file, leases freed when it reopens, a reader beside it.

#[tokio::test]
async fn a_reopened_sqlite_store_keeps_everything_and_frees_leases_and_is_locked_while_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    {
        let store = SqliteStore::open(&path).unwrap();
        store.insert(request("a", pkey("@a")), 0).await.unwrap();
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
        .stats(Date::parse("2026-02-01").unwrap())
        .await
        .unwrap();
    assert_eq!((stats.total, stats.open, stats.overdue), (1, 1, 1));
    store.ping().await.unwrap();
    store.maintain().await.unwrap();
}

#[tokio::test]
async fn a_read_only_sqlite_store_exports_settled_requests_while_the_receiver_holds_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let store = SqliteStore::open(&path).unwrap();
    for id in ["a", "b", "c"] {
        store
            .insert(request(id, pkey(&format!("@{id}"))), 0)
            .await
            .unwrap();
    }
    store.lease(3, "w".into(), 1, 100).await.unwrap();
    for id in ["a", "c"] {
        store
            .complete(id.into(), "w".into(), applied())
            .await
            .unwrap();
    }
    let reader = SqliteStore::open_read_only(&path).unwrap();
    let settled = reader.settled_after(0, 10).await.unwrap();
    assert_eq!(ids(&settled), ["a", "c"]);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs CCPA_TEST_POSTGRES (scripts/test-receiver.sh)"]
async fn postgres_keeps_the_queue_contract() {
    let url = postgres::fresh_database("contract").await;
    the_queue_contract(&*open_store(&url).await.unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs CCPA_TEST_POSTGRES (scripts/test-receiver.sh)"]
async fn postgres_migrations_run_once_and_a_reader_exports_beside_the_receivers() {
    let url = postgres::fresh_database("migrations").await;
    assert!(
        open_store_read_only(&url).await.is_err(),
        "no schema yet: the reader says so instead of creating one"
    );
    // Three receivers starting at once on an empty database: one set of migrations.
    let (a, b, c) = tokio::join!(open_store(&url), open_store(&url), open_store(&url));
    let (a, _b, _c) = (a.unwrap(), b.unwrap(), c.unwrap());
    let versions = postgres::query_i64(&url, "SELECT count(*) FROM ccpa_optout.migrations").await;
    assert_eq!(versions, 2, "every migration, once");
    a.insert(request("a", pkey("@p")), 1).await.unwrap();
    let leased = a.lease(1, "w".into(), 2, 10_000).await.unwrap();
    a.complete(leased[0].id.clone(), "w".into(), applied())
        .await
        .unwrap();
    let reader = open_store_read_only(&url).await.unwrap();
    assert_eq!(ids(&reader.settled_after(0, 10).await.unwrap()), ["a"]);
    assert!(
        reader.insert(request("b", pkey("@q")), 3).await.is_err(),
        "the reader writes nothing"
    );
    assert!(reader.ping().await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs CCPA_TEST_POSTGRES (scripts/test-receiver.sh)"]
async fn postgres_receivers_lease_disjoint_requests_and_take_over_a_dead_ones_after_a_grace() {
    let url = postgres::fresh_database("leases").await;
    let first = open_store(&url).await.unwrap();
    let second = open_store(&url).await.unwrap();
    for i in 0..200 {
        first
            .insert(
                request(&format!("q{i:03}"), pkey(&format!("@p{}", i % 150))),
                i,
            )
            .await
            .unwrap();
    }
    // Both lease at the same time, many rounds: no request is leased twice, and no two
    // requests about one subject are out at once.
    let (mut one, mut two) = (Vec::new(), Vec::new());
    for round in 0..20 {
        let (a, b) = tokio::join!(
            first.lease(7, "w1".into(), 1000 + round, 1_000_000),
            second.lease(7, "w2".into(), 1000 + round, 1_000_000)
        );
        one.extend(a.unwrap());
        two.extend(b.unwrap());
    }
    let all: Vec<_> = one.iter().chain(&two).collect();
    let mut seen = std::collections::HashSet::new();
    let mut subjects = std::collections::HashSet::new();
    for request in &all {
        assert!(
            seen.insert(request.id.clone()),
            "{} leased twice",
            request.id
        );
        assert!(
            subjects.insert(request.pkey.clone()),
            "two requests of {:?} out at once",
            request.pkey
        );
    }
    assert_eq!(all.len(), 150, "one per subject until the first settles");
    assert!(
        !one.is_empty() && !two.is_empty(),
        "both receivers got work"
    );

    // The second receiver dies (its process ends, its session with it): its leases, far
    // from running out, are the first one's to take once the grace for its last PATCHes ends.
    drop(second);
    let orphaned_count = two.len() as i64;
    let mut marked = 0;
    for _ in 0..100 {
        let early = first
            .lease(500, "w3".into(), 2000, 1_000_000)
            .await
            .unwrap();
        assert!(
            early.is_empty(),
            "taken before the grace ended: {:?}",
            ids(&early)
        );
        marked = postgres::query_i64(
            &url,
            "SELECT count(*) FROM ccpa_optout.requests WHERE lease_owner = 'w2' AND lease_store IS NULL",
        )
        .await;
        if marked == orphaned_count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        marked, orphaned_count,
        "the dead store's leases were seen as orphaned"
    );
    let just_before = 2000 + DEAD_STORE_GRACE_MS - 1;
    assert!(
        first
            .lease(500, "w3".into(), just_before, 1_000_000)
            .await
            .unwrap()
            .is_empty()
    );
    let taken = first
        .lease(500, "w3".into(), 2000 + DEAD_STORE_GRACE_MS, 1_000_000)
        .await
        .unwrap();
    let mut taken_ids: Vec<&str> = ids(&taken);
    let mut orphaned: Vec<&str> = ids(&two).into_iter().collect();
    taken_ids.sort_unstable();
    orphaned.sort_unstable();
    assert_eq!(taken_ids, orphaned, "exactly the dead receiver's leases");
    assert!(
        !first
            .complete(two[0].id.clone(), "w2".into(), applied())
            .await
            .unwrap(),
        "the dead receiver's worker name no longer settles"
    );
    let stuck = postgres::query_i64(
        &url,
        "SELECT count(*) FROM ccpa_optout.requests WHERE lease_owner = 'w2'",
    )
    .await;
    assert_eq!(stuck, 0, "no lease left with the dead receiver");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs CCPA_TEST_POSTGRES (scripts/test-receiver.sh)"]
async fn postgres_a_store_whose_session_ends_hands_its_leases_over_and_announces_itself_again() {
    let url = postgres::fresh_database("presence").await;
    let (first, second) = (
        open_store(&url).await.unwrap(),
        open_store(&url).await.unwrap(),
    );
    for id in ["a", "b", "c"] {
        first
            .insert(request(id, pkey(&format!("@{id}"))), 1)
            .await
            .unwrap();
    }
    assert_eq!(
        first
            .lease(3, "w1".into(), 2, 1_000_000)
            .await
            .unwrap()
            .len(),
        3
    );
    // What a network cut or a restart of the server does to the first store's presence.
    let ended = postgres::query_i64(
        &url,
        // This database's lock only: the other tests' databases number their stores from 1 too.
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(l.pid)) FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.objsubid = 2
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND l.objid::bigint =
             (SELECT lease_store FROM ccpa_optout.requests WHERE lease_owner = 'w1' LIMIT 1)",
    )
    .await;
    assert_eq!(ended, 1);
    let mut marked = 0;
    for _ in 0..100 {
        assert!(
            second
                .lease(10, "w2".into(), 3, 1_000_000)
                .await
                .unwrap()
                .is_empty()
        );
        marked = postgres::query_i64(
            &url,
            "SELECT count(*) FROM ccpa_optout.requests WHERE lease_owner = 'w1' AND lease_store IS NULL",
        )
        .await;
        if marked == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        marked, 3,
        "the ended session's leases were seen as orphaned"
    );
    let taken = second
        .lease(10, "w2".into(), 3 + DEAD_STORE_GRACE_MS, 1_000_000)
        .await
        .unwrap();
    assert_eq!(
        ids(&taken),
        ["a", "b", "c"],
        "its leases are free for the others"
    );
    first.ping().await.unwrap();
    first.insert(request("d", pkey("@d")), 4).await.unwrap();
    assert_eq!(
        ids(&first
            .lease(10, "w1".into(), 5 + DEAD_STORE_GRACE_MS, 1_000_000)
            .await
            .unwrap()),
        ["d"]
    );
    assert!(
        second
            .lease(10, "w2".into(), 6 + DEAD_STORE_GRACE_MS, 1_000_000)
            .await
            .unwrap()
            .is_empty(),
        "announced again: its new leases are its own"
    );
}

#[tokio::test]
async fn a_store_url_in_logs_and_errors_never_shows_its_password() {
    let url = "postgres://ana:pw-SECRET-1@127.0.0.1:1/queue?connect_timeout=1";
    assert_eq!(store_label(url), "postgres://ana@127.0.0.1:1/queue");
    assert_eq!(
        store_label("postgres://receiver:pw-SECRET-3@/ccpa_optout?host=/run/postgresql"),
        "postgres://receiver@/run/postgresql:5432/ccpa_optout"
    );
    let err = open_store(url).await.err().unwrap().to_string();
    assert!(err.contains("PostgreSQL"), "{err}");
    assert!(!err.contains("SECRET"), "{err}");
    let err = open_store("postgres://ana:pw-SECRET-2@127.0.0.1/q?bogus_option=1")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(!err.contains("SECRET"), "{err}");
    assert!(open_store("mysql://x").await.is_err());
}
