//! Real databases for tests: a SQLite file in a temp directory, and a fresh
//! PostgreSQL database per test on the server named by `HONGYE_TEST_POSTGRES_URL`
//! (a server URL without a database, e.g. `postgres://postgres@127.0.0.1:5432`;
//! the test command starts one). With `HONGYE_REQUIRE_POSTGRES=1` a missing
//! server fails the test instead of skipping the PostgreSQL half.

#![allow(dead_code)]

pub mod smtp;
pub mod tempdir;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use app::db::{DatabaseTarget, Db};
use chrono::NaiveDateTime;
use diesel::{Connection, PgConnection, RunQueryDsl};

/// A migrated database that is removed when dropped.
pub struct TestDb {
    pub db: Db,
    pub backend: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] crate::support::tempdir::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
    /// Kept: a template.
    Keep,
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
    sqlite_from(None)
}

/// A SQLite database, empty or a copy of `template`, migrated.
fn sqlite_from(template: Option<&std::path::Path>) -> TestDb {
    let dir = crate::support::tempdir::tempdir().expect("temp dir");
    let path = dir.path().join("test.db");
    if let Some(template) = template {
        std::fs::copy(template, &path).expect("copy the demo template");
    }
    let target = DatabaseTarget::Sqlite(path);
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
    postgres_from(None)
}

/// The PostgreSQL server's URL (without a database) when one is configured.
fn postgres_server() -> Option<String> {
    let Ok(server) = std::env::var("HONGYE_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("HONGYE_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "HONGYE_REQUIRE_POSTGRES=1 but HONGYE_TEST_POSTGRES_URL is not set"
        );
        eprintln!("HONGYE_TEST_POSTGRES_URL not set: PostgreSQL half skipped");
        return None;
    };
    Some(server.trim_end_matches('/').to_owned())
}

/// A PostgreSQL database, empty or a copy of the database `template`.
fn postgres_from(template: Option<&str>) -> Option<TestDb> {
    let server = postgres_server()?;
    let name = format!(
        "hongye_t_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let admin_url = format!("{server}/postgres");
    let mut admin = PgConnection::establish(&admin_url).expect("connect to PostgreSQL as admin");
    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .expect("drop old test database");
    let from = template.map_or(String::new(), |t| format!(" TEMPLATE \"{t}\""));
    diesel::sql_query(format!("CREATE DATABASE \"{name}\"{from}"))
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

/// Runs `test` on every backend available, each time on a database holding
/// the demo seeded at `now`. Seeding is most of a test's time (the demo is
/// thousands of rows), so each backend seeds once per instant into a
/// template and every test gets a copy of it: a file copy on SQLite,
/// `CREATE DATABASE … TEMPLATE` on PostgreSQL.
pub fn on_each_backend_with_demo(now: NaiveDateTime, test: impl Fn(&TestDb)) {
    test(&sqlite_from(Some(&sqlite_demo_template(now))));
    if postgres_server().is_some() {
        let template = postgres_demo_template(now);
        if let Some(pg) = postgres_from(Some(&template)) {
            test(&pg);
        }
    }
}

/// One template per backend and instant (its file path or database name),
/// made by whichever test asks first while the others wait for it.
fn template(backend: &'static str, now: NaiveDateTime, make: impl FnOnce() -> String) -> String {
    type Cells = HashMap<(&'static str, NaiveDateTime), Arc<OnceLock<String>>>;
    static CELLS: OnceLock<Mutex<Cells>> = OnceLock::new();
    let cell = Arc::clone(
        CELLS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((backend, now))
            .or_default(),
    );
    cell.get_or_init(make).clone()
}

/// Where this process keeps its SQLite templates (under target/tmp); those of
/// processes no longer running are removed first.
fn sqlite_template_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("demo-templates");
        if let Ok(entries) = std::fs::read_dir(&root) {
            for entry in entries.flatten() {
                let pid = entry.file_name().to_string_lossy().into_owned();
                if !PathBuf::from(format!("/proc/{pid}")).exists() {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = root.join(std::process::id().to_string());
        std::fs::create_dir_all(&dir).expect("template dir");
        dir
    })
}

fn sqlite_demo_template(now: NaiveDateTime) -> PathBuf {
    PathBuf::from(template("sqlite", now, || {
        let seeding = sqlite();
        app::services::seed::seed_demo(&seeding.db, now).expect("seed the SQLite template");
        let path = sqlite_template_dir().join(format!("demo-{}.db", now.and_utc().timestamp()));
        let _ = std::fs::remove_file(&path);
        let mut conn = seeding.db.conn().expect("conn");
        // A consistent, self-contained copy (the seeded file is in WAL mode).
        diesel::sql_query(format!("VACUUM INTO '{}'", path.display()))
            .execute(&mut *conn)
            .expect("write the SQLite template");
        path.to_string_lossy().into_owned()
    }))
}

fn postgres_demo_template(now: NaiveDateTime) -> String {
    template("postgres", now, || {
        let server = postgres_server().expect("PostgreSQL configured");
        let mut admin =
            PgConnection::establish(&format!("{server}/postgres")).expect("connect as admin");
        drop_stale_templates(&mut admin);
        let mut seeding = postgres().expect("PostgreSQL configured");
        app::services::seed::seed_demo(&seeding.db, now).expect("seed the PostgreSQL template");
        let name = format!(
            "hongye_tpl_{}_{}",
            std::process::id(),
            now.and_utc().timestamp()
        );
        let Cleanup::Postgres { name: seeded, .. } =
            std::mem::replace(&mut seeding.cleanup, Cleanup::Keep)
        else {
            unreachable!("a PostgreSQL test database");
        };
        // A template must have no connections: close the pool, then rename.
        drop(seeding);
        diesel::sql_query(format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{seeded}'"
        ))
        .execute(&mut admin)
        .expect("close the seeding connections");
        diesel::sql_query(format!("ALTER DATABASE \"{seeded}\" RENAME TO \"{name}\""))
            .execute(&mut admin)
            .expect("keep the seeded database as the template");
        name
    })
}

/// Templates left by test processes that have ended.
fn drop_stale_templates(admin: &mut PgConnection) {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let names: Vec<Name> =
        diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE 'hongye_tpl_%'")
            .load(admin)
            .unwrap_or_default();
    for Name { datname } in names {
        let pid = datname.split('_').nth(2).unwrap_or("");
        if !PathBuf::from(format!("/proc/{pid}")).exists() {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS \"{datname}\" WITH (FORCE)"
            ))
            .execute(admin);
        }
    }
}
