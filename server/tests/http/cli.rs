//! The `hongye` command as an operator meets it: clear errors, non-zero exits,
//! and repeatable set-up commands.

use std::path::Path;
use std::process::{Command, Output};

/// The day, in China, every command here runs on (the one clock's
/// `--today`), whatever the machine's date.
pub(crate) const TODAY: &str = "2026-11-18";

pub(crate) fn hongye(data_dir: &Path, args: &[&str], database_url: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hongye"));
    cmd.arg("--data-dir").arg(data_dir).args(args);
    cmd.env("HONGYE_TODAY", TODAY);
    cmd.env_remove("DATABASE_URL");
    if let Some(url) = database_url {
        cmd.env("DATABASE_URL", url);
    }
    cmd.env("RUST_LOG", "warn");
    cmd.output().expect("run hongye")
}

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn migrate_creates_the_sqlite_database_in_the_data_dir() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let out = hongye(&data, &["migrate"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(data.join("hongye.db").exists());
    // Again: nothing to do, still fine.
    let out = hongye(&data, &["migrate"], None);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn seeding_the_demo_twice_gives_the_same_data() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let first = hongye(dir.path(), &["seed", "--demo"], None);
    let second = hongye(dir.path(), &["seed", "--demo"], None);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(second.status.success(), "{}", stderr(&second));
    let summary = String::from_utf8_lossy(&first.stdout);
    assert!(
        summary.contains("7 streets, 21 communities, 21 companies"),
        "{summary}"
    );
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn seed_without_a_data_set_says_what_to_pass() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let out = hongye(dir.path(), &["seed"], None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--demo"), "{}", stderr(&out));
}

#[test]
fn an_unwritable_data_dir_stops_with_a_clear_message() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"").expect("write");
    let out = hongye(&file.join("data"), &["migrate"], None);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot be written"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unreachable_database_stops_with_a_clear_message_and_no_password() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let out = hongye(
        dir.path(),
        &["migrate"],
        Some("postgres://hongye:s3cret@127.0.0.1:1/hongye"),
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("cannot connect to the database"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}

#[test]
fn an_unknown_database_scheme_is_refused() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let out = hongye(dir.path(), &["migrate"], Some("mysql://localhost/hongye"));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("DATABASE_URL"), "{}", stderr(&out));
}

#[test]
fn every_command_has_help() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["seed", "--help"],
        &["bench", "--help"],
        &["bench", "schedule", "--help"],
    ] {
        let out = hongye(dir.path(), args, None);
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

#[test]
fn the_schedule_benchmark_sums_up_in_one_line_and_leaves_the_data_dir_alone() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let out = hongye(
        &data,
        &[
            "bench", "schedule", "--staff", "20", "--orders", "200", "--runs", "1",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!data.exists(), "the configured data dir was created");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("20 staff") && stdout.contains("100 held, 100 waiting"),
        "{stdout}"
    );
    assert!(
        stdout.contains("0 jobs or proposals breaking a rule"),
        "{stdout}"
    );
    let last = stdout.lines().last().unwrap_or_default();
    let fields: Vec<(&str, f64)> = last
        .strip_prefix("schedule ")
        .unwrap_or_else(|| panic!("last line: {last}"))
        .split(' ')
        .map(|kv| {
            let (k, v) = kv
                .split_once('=')
                .unwrap_or_else(|| panic!("{kv} in {last}"));
            (k, v.parse().unwrap_or_else(|_| panic!("{kv} in {last}")))
        })
        .collect();
    let keys: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        ["view_ms", "baseline_ms", "assign_ms", "ratio"],
        "{last}"
    );
    assert!(
        fields.iter().all(|(_, v)| v.is_finite() && *v > 0.0),
        "{last}"
    );
}

#[test]
fn the_billing_benchmark_runs_the_month_once_and_sums_up_in_one_line() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let out = hongye(&data, &["bench", "billing", "--households", "2500"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!data.exists(), "the configured data dir was created");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2500 households in 3 estates")
            && stdout.contains("run again: 0 new bills"),
        "{stdout}"
    );
    let last = stdout.lines().last().unwrap_or_default();
    let fields: Vec<(&str, &str)> = last
        .strip_prefix("billing ")
        .unwrap_or_else(|| panic!("last line: {last}"))
        .split(' ')
        .filter_map(|kv| kv.split_once('='))
        .collect();
    let keys: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        ["households", "seconds", "baseline_seconds", "ratio"],
        "{last}"
    );
    assert_eq!(fields[0].1, "2500");
    for (k, v) in &fields[1..] {
        let n: f64 = v.parse().unwrap_or_else(|_| panic!("{k}={v}"));
        assert!(n > 0.0, "{k}={v}");
    }
}

/// The month of `TODAY`, "2026-11".
pub(crate) fn this_month() -> String {
    TODAY[..7].to_owned()
}

/// Bills of the month (and distinct households among them) and the
/// company's receipt numbers this year.
pub(crate) fn billed(data: &Path, month: &str) -> (usize, usize, Vec<i64>) {
    use app::db::billing as db;
    let db = app::db::Db::connect(&app::db::DatabaseTarget::Sqlite(data.join("hongye.db")))
        .expect("open");
    let mut conn = db.conn().expect("conn");
    let company =
        app::services::billing::find_company(&mut conn, "文汇社区城市服务公司").expect("wenhui");
    let bills: Vec<i64> = db::standings(&mut conn, None, Some(company.0), None)
        .expect("standings")
        .into_iter()
        .filter(|s| s.bill.month == month)
        .map(|s| s.bill.household_id)
        .collect();
    let mut households = bills.clone();
    households.sort_unstable();
    households.dedup();
    let year: i64 = month[..4].parse().expect("year");
    let receipts = db::receipt_numbers(&mut conn, company.0, year).expect("receipts");
    (bills.len(), households.len(), receipts)
}

#[test]
fn a_bill_run_killed_midway_and_run_again_leaves_one_bill_per_household() {
    use std::io::{BufRead, BufReader};
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let data = dir.path();
    let out = hongye(data, &["seed", "--demo"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let month = this_month();
    let args = [
        "--data-dir",
        data.to_str().expect("utf-8 path"),
        "bill",
        "--company",
        "文汇社区城市服务公司",
        "--month",
        month.as_str(),
        "--chunk",
        "10",
    ];

    // Killed as soon as the first chunk is committed.
    let mut child = Command::new(env!("CARGO_BIN_EXE_hongye"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("HONGYE_TODAY", TODAY)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start hongye bill");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("progress");
    child.kill().expect("kill");
    child.wait().expect("reaped");
    let (done, total) = first
        .trim()
        .strip_prefix("billed ")
        .and_then(|p| p.split_once('/'))
        .map(|(d, t)| {
            (
                d.parse::<usize>().expect("done"),
                t.parse::<usize>().expect("total"),
            )
        })
        .expect("a progress line");
    let (partial, _, receipts_before) = billed(data, &month);
    assert!(
        partial >= done && partial < total,
        "killed midway: {partial} of {total}"
    );

    // Again, to the end: every household once.
    let out = hongye(data, &args[2..], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let (bills, households, receipts) = billed(data, &month);
    assert_eq!(bills, total, "one bill for each household");
    assert_eq!(households, total, "no household twice");
    assert_eq!(
        receipts, receipts_before,
        "a bill run takes no receipt numbers"
    );
    let expected: Vec<i64> = (1..=receipts.len() as i64).collect();
    assert_eq!(
        receipts, expected,
        "receipt numbers without gaps or repeats"
    );

    // And once more: nothing new.
    let out = hongye(data, &args[2..], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(" 0 new bills"), "{said}");
}

/// A statement's frozen figures changed behind the app (as a bad copy or a
/// hand edit would): a restore must notice.
fn alter_a_statement(path: &Path) {
    use app::db::schema::statements;
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    let db = app::db::Db::connect(&app::db::DatabaseTarget::Sqlite(path.to_path_buf()))
        .expect("the copy");
    let mut conn = db.conn().expect("conn");
    // Signed ones cannot change even so (a trigger guards them).
    let altered = diesel::update(statements::table.filter(statements::signed_at.is_null()))
        .set(statements::figures.eq("{\"tampered\":true}"))
        .execute(&mut *conn)
        .expect("update");
    assert!(altered > 0, "the demo has statements awaiting signature");
    conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
}

/// One ledger line's amount changed behind the app: a bill's entry no
/// longer balances.
fn unbalance_the_ledger(path: &Path) {
    use app::db::schema::ledger_lines;
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    let db = app::db::Db::connect(&app::db::DatabaseTarget::Sqlite(path.to_path_buf()))
        .expect("the copy");
    let mut conn = db.conn().expect("conn");
    let first: i64 = ledger_lines::table
        .select(ledger_lines::id)
        .order(ledger_lines::id)
        .first(&mut *conn)
        .expect("a ledger line");
    diesel::update(ledger_lines::table.find(first))
        .set(ledger_lines::amount_fen.eq(ledger_lines::amount_fen + 1))
        .execute(&mut *conn)
        .expect("update");
    conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
}

#[test]
fn a_backup_taken_during_a_bill_run_restores_whole_and_nothing_is_overwritten_unasked() {
    use std::io::{BufRead, BufReader};
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let live = dir.path().join("live");
    let out = hongye(&live, &["seed", "--demo"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let month = this_month();

    // A bill run writes in chunks; the backup is taken between two of them.
    let mut run = Command::new(env!("CARGO_BIN_EXE_hongye"))
        .arg("--data-dir")
        .arg(&live)
        .args([
            "bill",
            "--company",
            "文汇社区城市服务公司",
            "--month",
            &month,
            "--chunk",
            "5",
        ])
        .env_remove("DATABASE_URL")
        .env("HONGYE_TODAY", TODAY)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start hongye bill");
    let mut progress = BufReader::new(run.stdout.take().expect("stdout"));
    let mut first = String::new();
    progress.read_line(&mut first).expect("progress");
    let copy = dir.path().join("monday.db");
    let out = hongye(
        &live,
        &["backup", "--to", copy.to_str().expect("utf-8")],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        said.contains("receipt gaps 0") && said.contains("altered 0"),
        "{said}"
    );
    std::io::copy(&mut progress, &mut std::io::sink()).expect("rest of the run");
    assert!(run.wait().expect("bill run").success());

    // A backup never overwrites.
    let again = hongye(
        &live,
        &["backup", "--to", copy.to_str().expect("utf-8")],
        None,
    );
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("exists already"),
        "{}",
        stderr(&again)
    );

    // Restored elsewhere: whole, and the bills it holds are a moment of the
    // run (some households billed, each once).
    let restored = dir.path().join("restored");
    let from = copy.to_str().expect("utf-8");
    let out = hongye(&restored, &["restore", "--from", from], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        said.contains("receipt gaps 0") && said.contains("altered 0"),
        "{said}"
    );
    let (bills, households, receipts) = billed(&restored, &month);
    assert_eq!(bills, households, "no household billed twice");
    let expected: Vec<i64> = (1..=receipts.len() as i64).collect();
    assert_eq!(receipts, expected, "receipt numbers without gaps");

    // A database holding data is replaced only when asked.
    let out = hongye(&restored, &["restore", "--from", from], None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    let out = hongye(&restored, &["restore", "--from", from, "--force"], None);
    assert!(out.status.success(), "{}", stderr(&out));

    // A copy whose statements were altered is refused; the database it
    // would have replaced is left as it was.
    let bad = dir.path().join("bad.db");
    std::fs::copy(&copy, &bad).expect("copy");
    alter_a_statement(&bad);
    let out = hongye(
        &restored,
        &["restore", "--from", bad.to_str().expect("utf-8"), "--force"],
        None,
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not whole"), "{}", stderr(&out));
    assert_eq!(billed(&restored, &month).0, bills, "left as it was");

    // So is one whose ledger does not balance.
    let unbalanced = dir.path().join("unbalanced.db");
    std::fs::copy(&copy, &unbalanced).expect("copy");
    unbalance_the_ledger(&unbalanced);
    let out = hongye(
        &restored,
        &[
            "restore",
            "--from",
            unbalanced.to_str().expect("utf-8"),
            "--force",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unbalanced entries 1"),
        "{}",
        stderr(&out)
    );
    assert_eq!(billed(&restored, &month).0, bills, "left as it was");
}

/// The test PostgreSQL server's URL (no trailing slash), or `None` when
/// there is none and none is required (then the test does nothing).
pub(crate) fn postgres_server() -> Option<String> {
    match std::env::var("HONGYE_TEST_POSTGRES_URL") {
        Ok(url) => Some(url.trim_end_matches('/').to_owned()),
        Err(_) => {
            assert!(
                std::env::var("HONGYE_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "HONGYE_REQUIRE_POSTGRES=1 but HONGYE_TEST_POSTGRES_URL is not set"
            );
            None
        }
    }
}

/// A fresh database on the test PostgreSQL server; its URL.
pub(crate) fn fresh_postgres(server: &str, name: &str) -> String {
    use diesel::prelude::*;
    drop_postgres(server, name);
    let mut admin =
        diesel::PgConnection::establish(&format!("{server}/postgres")).expect("admin connection");
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .expect("make the database");
    format!("{server}/{name}")
}

#[test]
fn a_postgresql_backup_restores_into_an_empty_database_and_not_over_data_unasked() {
    let Some(server) = crate::cli::postgres_server() else {
        return;
    };
    let server = server.as_str();
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let pid = std::process::id();
    let live = fresh_postgres(server, &format!("hongye_backup_live_{pid}"));
    let restored = fresh_postgres(server, &format!("hongye_backup_restored_{pid}"));
    let out = hongye(dir.path(), &["seed", "--demo"], Some(&live));
    assert!(out.status.success(), "{}", stderr(&out));
    let file = dir.path().join("hongye.dump");
    let file = file.to_str().expect("utf-8");
    let out = hongye(dir.path(), &["backup", "--to", file], Some(&live));
    assert!(out.status.success(), "{}", stderr(&out));
    let backed_up = String::from_utf8_lossy(&out.stdout).into_owned();

    let out = hongye(dir.path(), &["restore", "--from", file], Some(&restored));
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        said.contains("receipt gaps 0") && said.contains("altered 0"),
        "{said}"
    );
    // The same people, payments and statements as were backed up.
    let counts = |line: &str| {
        line.split(": ")
            .nth(1)
            .map(str::to_owned)
            .unwrap_or_default()
    };
    assert_eq!(counts(&said), counts(&backed_up), "{said} / {backed_up}");

    let out = hongye(dir.path(), &["restore", "--from", file], Some(&restored));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    let out = hongye(
        dir.path(),
        &["restore", "--from", file, "--force"],
        Some(&restored),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["live", "restored"] {
        drop_postgres(server, &format!("hongye_backup_{name}_{pid}"));
    }
}

pub(crate) fn drop_postgres(server: &str, name: &str) {
    use diesel::prelude::*;
    if let Ok(mut admin) = diesel::PgConnection::establish(&format!("{server}/postgres")) {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .execute(&mut admin);
    }
}

/// "exported 54 tables, 12345 rows to …" → 12345; the same for "imported
/// …: 12345 rows into 47 tables; …".
fn rows_said(out: &Output) -> usize {
    let said = String::from_utf8_lossy(&out.stdout);
    said.split(" rows")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a row count in {said}"))
}

#[test]
fn a_sqlite_database_moves_to_postgresql_and_back_whole() {
    let Some(server) = crate::cli::postgres_server() else {
        return;
    };
    let server = server.as_str();
    let name = format!("hongye_moved_{}", std::process::id());
    let pg = fresh_postgres(server, &name);
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let sqlite = dir.path().join("sqlite");
    let out = hongye(&sqlite, &["seed", "--demo"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let month = this_month();
    let (unbilled, _, receipts) = billed(&sqlite, &month);
    assert_eq!(unbilled, 0, "{month} is billed after the move");

    let file = dir.path().join("hongye.jsonl");
    let file = file.to_str().expect("utf-8");
    let out = hongye(&sqlite, &["export", "--to", file], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = rows_said(&out);
    assert!(exported > 1000, "{exported}");
    let out = hongye(&sqlite, &["export", "--to", file], None);
    assert!(!out.status.success(), "never overwrites");

    let out = hongye(dir.path(), &["import", "--from", file], Some(&pg));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(rows_said(&out), exported);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("receipt gaps 0") && said.contains("altered 0"),
        "{said}"
    );
    // Not over data.
    let out = hongye(dir.path(), &["import", "--from", file], Some(&pg));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("empty"), "{}", stderr(&out));
    // Work goes on there: new rows take new ids after the imported ones.
    let out = hongye(
        dir.path(),
        &[
            "bill",
            "--company",
            "文汇社区城市服务公司",
            "--month",
            &month,
        ],
        Some(&pg),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!said.contains(" 0 new bills"), "{said}");

    // And back, from PostgreSQL to a new SQLite file.
    let back = dir.path().join("back.jsonl");
    let back = back.to_str().expect("utf-8");
    let out = hongye(dir.path(), &["export", "--to", back], Some(&pg));
    assert!(out.status.success(), "{}", stderr(&out));
    let again = dir.path().join("again");
    let out = hongye(&again, &["import", "--from", back], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let (bills_back, households, receipts_back) = billed(&again, &month);
    assert!(
        bills_back > 0 && bills_back == households,
        "{bills_back} bills"
    );
    assert_eq!(receipts_back, receipts, "the receipts as they were");
    drop_postgres(server, &name);
}
