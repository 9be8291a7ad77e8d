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
    ] {
        let out = hongye(dir.path(), args, None);
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}
