//! A database of its own for each test on the PostgreSQL server `CCPA_TEST_POSTGRES` names
//! (`postgres://USER@HOST:PORT`, no database: `scripts/postgres.sh` starts a throwaway one).

use std::time::{SystemTime, UNIX_EPOCH};

use tokio_postgres::NoTls;

/// The server's URL without a database.
pub fn server() -> String {
    let url = std::env::var("CCPA_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "CCPA_TEST_POSTGRES must name a PostgreSQL server (scripts/test-receiver.sh starts one)"
        )
    });
    url.trim_end_matches('/').to_owned()
}

/// Creates an empty database named after `purpose` and returns its URL.
pub async fn fresh_database(purpose: &str) -> String {
    let server = server();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!("{purpose}_{}_{nanos}", std::process::id());
    let (admin, connection) = tokio_postgres::connect(&format!("{server}/postgres"), NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    format!("{server}/{name}")
}

/// The single number `sql` answers on the database at `url`.
pub async fn query_i64(url: &str, sql: &str) -> i64 {
    let (db, connection) = tokio_postgres::connect(url, NoTls).await.unwrap();
    tokio::spawn(connection);
    db.query_one(sql, &[]).await.unwrap().get(0)
}
