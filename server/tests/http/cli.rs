//! The `hongye` command as an operator meets it: clear errors, non-zero exits,
//! and repeatable set-up commands.

use std::path::Path;
use std::process::{Command, Output};

fn hongye(data_dir: &Path, args: &[&str], database_url: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hongye"));
    cmd.arg("--data-dir").arg(data_dir).args(args);
    cmd.env_remove("DATABASE_URL");
    if let Some(url) = database_url {
        cmd.env("DATABASE_URL", url);
    }
    cmd.env("RUST_LOG", "warn");
    cmd.output().expect("run hongye")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn migrate_creates_the_sqlite_database_in_the_data_dir() {
    let dir = tempfile::tempdir().expect("temp dir");
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
    let dir = tempfile::tempdir().expect("temp dir");
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
    let dir = tempfile::tempdir().expect("temp dir");
    let out = hongye(dir.path(), &["seed"], None);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--demo"), "{}", stderr(&out));
}

#[test]
fn an_unwritable_data_dir_stops_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
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
    let dir = tempfile::tempdir().expect("temp dir");
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
    let dir = tempfile::tempdir().expect("temp dir");
    let out = hongye(dir.path(), &["migrate"], Some("mysql://localhost/hongye"));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("DATABASE_URL"), "{}", stderr(&out));
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().expect("temp dir");
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
    let dir = tempfile::tempdir().expect("temp dir");
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
