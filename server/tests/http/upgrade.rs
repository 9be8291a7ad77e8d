//! A database from an earlier Hongye, with its data, brought up to this
//! program's schema; and a migration that fails changes nothing.
//!
//! The fixture is a real database of schema 20261127000012 (the twelfth
//! migration): made by that version's `hongye seed --demo` and used by its
//! browser tests (bills, payments, receipts, statements, orders), dumped as
//! SQL and gzipped.

use std::path::Path;
use std::process::Command;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::cli::{hongye, stderr};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/schema-20261127000012.sql.gz"
);
const FIXTURE_SCHEMA: &str = "20261127000012";

/// The fixture as an SQLite database at `data/hongye.db`.
fn database_at_the_old_schema(data: &Path) -> SqliteConnection {
    let sql = Command::new("gzip")
        .args(["-dc", FIXTURE])
        .output()
        .expect("gzip");
    assert!(sql.status.success(), "gzip -dc {FIXTURE}");
    std::fs::create_dir_all(data).expect("data dir");
    let path = data.join("hongye.db");
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).expect("a new SQLite file");
    conn.batch_execute(&String::from_utf8_lossy(&sql.stdout))
        .expect("the fixture loads");
    conn
}

#[derive(QueryableByName, Debug, PartialEq, Eq)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(conn: &mut SqliteConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}

/// What must not change: rows of the tables that hold money and people.
fn snapshot(conn: &mut SqliteConnection) -> Vec<i64> {
    [
        "SELECT max(CAST(version AS INTEGER)) AS n FROM __diesel_schema_migrations",
        "SELECT count(*) AS n FROM persons",
        "SELECT count(*) AS n FROM households",
        "SELECT count(*) AS n FROM bills",
        "SELECT count(*) AS n FROM payments",
        "SELECT count(*) AS n FROM ledger_lines",
        "SELECT count(*) AS n FROM statements",
    ]
    .iter()
    .map(|sql| count(conn, sql))
    .collect()
}

#[test]
fn a_database_of_an_earlier_schema_is_upgraded_with_its_data_whole() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut old = database_at_the_old_schema(&data);
    let before = snapshot(&mut old);
    assert_eq!(before[0].to_string(), FIXTURE_SCHEMA);
    assert!(before[4] > 0, "the fixture holds payments");
    drop(old);

    let out = hongye(&data, &["migrate"], None);
    assert!(out.status.success(), "{}", stderr(&out));

    let db = app::db::Db::connect(&app::db::DatabaseTarget::Sqlite(data.join("hongye.db")))
        .expect("open");
    let status = db.schema_status().expect("schema");
    assert!(status.pending.is_empty(), "{:?}", status.pending);
    assert_eq!(status.latest, app::db::known_schema());
    // Receipts without gaps, statements matching their hashes, nothing
    // lost on the way.
    let checked = hongye::ops::check(&db).expect("check");
    assert_eq!(checked.receipt_gaps, 0, "{checked}");
    assert_eq!(checked.altered_statements, 0, "{checked}");
    drop(db);
    let mut upgraded =
        SqliteConnection::establish(&data.join("hongye.db").to_string_lossy()).expect("open");
    let after = snapshot(&mut upgraded);
    assert_eq!(before[1..], after[1..], "rows kept");
    assert!(after[0] > before[0], "newer schema");
    // The new column is there, empty for the passwords set before it.
    assert_eq!(
        count(
            &mut upgraded,
            "SELECT count(*) AS n FROM persons WHERE password_set_at IS NOT NULL"
        ),
        0
    );

    // And the server's checks pass on it: the backup of it restores.
    let copy = dir.path().join("copy.db");
    let out = hongye(
        &data,
        &["backup", "--to", copy.to_str().expect("utf-8")],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_migration_that_fails_leaves_the_database_as_it_was() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut old = database_at_the_old_schema(&data);
    // Someone added the next migration's column by hand: that migration
    // now fails halfway.
    old.batch_execute("ALTER TABLE persons ADD COLUMN password_set_at TEXT")
        .expect("hand edit");
    let before = snapshot(&mut old);
    drop(old);

    let out = hongye(&data, &["migrate"], None);
    assert!(!out.status.success(), "the migration must fail");
    let said = stderr(&out);
    assert!(said.contains("migration"), "{said}");

    let mut after_conn =
        SqliteConnection::establish(&data.join("hongye.db").to_string_lossy()).expect("open");
    assert_eq!(snapshot(&mut after_conn), before, "nothing changed");
}

#[test]
fn the_same_database_on_postgresql_is_upgraded_with_its_data_whole() {
    let Some(server) = crate::cli::postgres_server() else {
        return;
    };
    let server = server.as_str();
    let name = format!("hongye_upgrade_{}", std::process::id());
    let url = crate::cli::fresh_postgres(server, &name);
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut old = database_at_the_old_schema(&data);
    let before = snapshot(&mut old);
    drop(old);

    // The fixture's rows carried to PostgreSQL at the fixture's schema.
    let fixture = app::db::Db::connect(&app::db::DatabaseTarget::Sqlite(data.join("hongye.db")))
        .expect("open the fixture");
    let file = dir.path().join("old.jsonl");
    hongye::transfer::export(&fixture, &file).expect("export at the old schema");
    drop(fixture);
    let pg = app::db::Db::connect(&app::db::DatabaseTarget::Postgres(url.clone())).expect("pg");
    pg.migrate_to(FIXTURE_SCHEMA).expect("the old schema");
    assert_eq!(
        pg.schema_status().expect("schema").latest.as_deref(),
        Some(FIXTURE_SCHEMA)
    );
    hongye::transfer::import(&pg, &file).expect("import at the old schema");
    drop(pg);

    let out = hongye(dir.path(), &["migrate"], Some(&url));
    assert!(out.status.success(), "{}", stderr(&out));
    let pg = app::db::Db::connect(&app::db::DatabaseTarget::Postgres(url.clone())).expect("pg");
    let status = pg.schema_status().expect("schema");
    assert!(status.pending.is_empty(), "{:?}", status.pending);
    assert_eq!(status.latest, app::db::known_schema());
    let checked = hongye::ops::check(&pg).expect("check");
    assert_eq!(checked.receipt_gaps, 0, "{checked}");
    assert_eq!(checked.altered_statements, 0, "{checked}");
    assert_eq!(checked.people, before[1], "{checked}");
    assert_eq!(checked.statements, before[6], "{checked}");
    drop(pg);
    crate::cli::drop_postgres(server, &name);
}
