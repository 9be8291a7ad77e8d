//! Real databases for tests: a SQLite file in a temp directory, and a fresh
//! PostgreSQL database per test on the server named by `HONGYE_TEST_POSTGRES_URL`
//! (a server URL without a database, e.g. `postgres://postgres@127.0.0.1:5432`;
//! the test command starts one). With `HONGYE_REQUIRE_POSTGRES=1` a missing
//! server fails the test instead of skipping the PostgreSQL half.

#![allow(dead_code)]

pub mod smtp;

use std::sync::atomic::{AtomicUsize, Ordering};

use app::db::{DatabaseTarget, Db};
use diesel::{Connection, PgConnection, RunQueryDsl};

/// A migrated database that is removed when dropped.
pub struct TestDb {
    pub db: Db,
    pub backend: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = DatabaseTarget::Sqlite(dir.path().join("test.db"));
    let db = Db::connect(&target).expect("open SQLite");
    db.migrate().expect("migrate SQLite");
    TestDb {
        db,
        backend: "sqlite",
        cleanup: Cleanup::Sqlite(dir),
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A new, migrated PostgreSQL database, or `None` when no server is configured.
pub fn postgres() -> Option<TestDb> {
    let Ok(server) = std::env::var("HONGYE_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("HONGYE_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "HONGYE_REQUIRE_POSTGRES=1 but HONGYE_TEST_POSTGRES_URL is not set"
        );
        eprintln!("HONGYE_TEST_POSTGRES_URL not set: PostgreSQL half skipped");
        return None;
    };
    let name = format!(
        "hongye_t_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let server = server.trim_end_matches('/');
    let admin_url = format!("{server}/postgres");
    let mut admin = PgConnection::establish(&admin_url).expect("connect to PostgreSQL as admin");
    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .expect("drop old test database");
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .expect("create test database");
    let url = format!("{server}/{name}");
    let db = Db::connect(&DatabaseTarget::Postgres(url)).expect("open PostgreSQL");
    db.migrate().expect("migrate PostgreSQL");
    Some(TestDb {
        db,
        backend: "postgres",
        cleanup: Cleanup::Postgres { admin_url, name },
    })
}

/// Runs `test` on every backend available: SQLite always, PostgreSQL when set up.
pub fn on_each_backend(test: impl Fn(&TestDb)) {
    test(&sqlite());
    if let Some(pg) = postgres() {
        test(&pg);
    }
}
