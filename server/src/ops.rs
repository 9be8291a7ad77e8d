//! Keeping the data safe: a backup taken while the server runs and writes,
//! and a restore that checks what it brings back before anyone uses it.

use std::path::Path;
use std::process::Command;

use app::db::{DatabaseTarget, Db, DbConn, PoolSize};
use diesel::prelude::*;

use crate::error::CliError;

/// What a database holds, and whether it is whole: its schema is one this
/// program knows, the receipt numbers run without gaps, every ledger entry
/// balances, and every monthly statement still matches the hash recorded
/// when it was submitted.
#[derive(Debug)]
pub struct Checked {
    pub schema: String,
    pub people: i64,
    pub payments: i64,
    pub statements: i64,
    pub receipt_gaps: usize,
    /// Ledger entries (a bill, a payment, a reversal…) whose lines do not
    /// sum to zero: money appeared or vanished.
    pub unbalanced_entries: usize,
    pub altered_statements: usize,
}

impl Checked {
    fn whole(&self) -> bool {
        self.receipt_gaps == 0 && self.unbalanced_entries == 0 && self.altered_statements == 0
    }
}

impl std::fmt::Display for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "schema {}, {} people, {} payments (receipt gaps {}), ledger (unbalanced entries {}), {} statements (altered {})",
            self.schema,
            self.people,
            self.payments,
            self.receipt_gaps,
            self.unbalanced_entries,
            self.statements,
            self.altered_statements
        )
    }
}

fn ops(message: String) -> CliError {
    CliError::Ops(message)
}

/// `hongye backup --to FILE`: SQLite through `VACUUM INTO` (one consistent
/// file, while others read and write), PostgreSQL through `pg_dump` (its
/// custom format). The copy is checked before the command says it is done.
pub fn backup(target: &DatabaseTarget, to: &Path) -> Result<Checked, CliError> {
    if to.exists() {
        return Err(ops(format!(
            "{} exists already: a backup never overwrites; choose a new file name",
            to.display()
        )));
    }
    match target {
        DatabaseTarget::Sqlite(_) => {
            Db::connect(target)?.backup_sqlite_into(to)?;
            // One connection, so that the copy can be sealed afterwards.
            let copy = Db::connect_with(
                &DatabaseTarget::Sqlite(to.to_path_buf()),
                PoolSize {
                    connections: Some(1),
                    ..PoolSize::default()
                },
            )?;
            let checked = check(&copy)?;
            seal(&copy)?;
            Ok(checked)
        }
        DatabaseTarget::Postgres(url) => {
            let to_text = to.to_string_lossy();
            run_tool(
                "pg_dump",
                &[
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    &to_text,
                    url,
                ],
            )?;
            // The dump is checked by restoring it (see the README); here the
            // source it was taken from.
            check(&Db::connect(target)?)
        }
    }
}

/// `hongye restore --from FILE`: into an empty database (one holding data is
/// replaced only with `--force`, the server stopped), checked before it is
/// put in place; an older backup is brought up to this schema.
pub fn restore(target: &DatabaseTarget, from: &Path, force: bool) -> Result<Checked, CliError> {
    if !from.is_file() {
        return Err(ops(format!("no backup file at {}", from.display())));
    }
    match target {
        DatabaseTarget::Sqlite(path) => {
            if path.exists() && !force && holds_data(&Db::connect(target)?)? {
                return Err(refused_non_empty(target));
            }
            // Checked on a copy beside the database: nothing is replaced
            // unless the backup is whole.
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| ops(format!("cannot make {}: {e}", dir.display())))?;
            }
            let staging = path.with_extension("restoring");
            remove_sqlite(&staging)?;
            std::fs::copy(from, &staging)
                .map_err(|e| ops(format!("cannot copy {}: {e}", from.display())))?;
            let result = (|| {
                let db = Db::connect(&DatabaseTarget::Sqlite(staging.clone()))?;
                refuse_newer(&db)?;
                db.migrate()?;
                let checked = check(&db)?;
                if !checked.whole() {
                    return Err(ops(format!(
                        "the backup is not whole ({checked}); nothing was replaced"
                    )));
                }
                remove_sqlite(path)?;
                db.backup_sqlite_into(path)?;
                Ok(checked)
            })();
            remove_sqlite(&staging)?;
            result
        }
        DatabaseTarget::Postgres(url) => {
            let db = Db::connect(target)?;
            db.migrate()?;
            if !force && holds_data(&db)? {
                return Err(refused_non_empty(target));
            }
            drop(db);
            let from_text = from.to_string_lossy();
            run_tool(
                "pg_restore",
                &[
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--dbname",
                    url,
                    &from_text,
                ],
            )?;
            let db = Db::connect(target)?;
            refuse_newer(&db)?;
            db.migrate()?;
            let checked = check(&db)?;
            if checked.whole() {
                Ok(checked)
            } else {
                Err(ops(format!(
                    "the restored database is not whole ({checked})"
                )))
            }
        }
    }
}

fn refused_non_empty(target: &DatabaseTarget) -> CliError {
    ops(format!(
        "{} already holds data: stop the server and pass --force to replace it",
        target.describe()
    ))
}

fn refuse_newer(db: &Db) -> Result<(), CliError> {
    let status = db.schema_status()?;
    if status.unknown.is_empty() {
        Ok(())
    } else {
        Err(ops(format!(
            "the backup comes from a newer Hongye (migrations {} unknown here): upgrade this program first",
            status.unknown.join(", ")
        )))
    }
}

pub(crate) fn holds_data(db: &Db) -> Result<bool, CliError> {
    use app::db::schema::persons;
    let mut conn = db.conn()?;
    // A database without the tables yet holds nothing.
    let count: Result<i64, _> = persons::table.count().get_result(&mut *conn);
    Ok(count.unwrap_or(0) > 0)
}

/// Counts and the checks of [`Checked`].
pub fn check(db: &Db) -> Result<Checked, CliError> {
    use app::db::schema::{payments, persons, statements};
    let status = db.schema_status()?;
    let mut pooled = db.conn()?;
    let conn: &mut DbConn = &mut pooled;
    let count = |e: diesel::result::Error| CliError::Database(e.into());
    Ok(Checked {
        schema: status.latest.unwrap_or_else(|| "empty".into()),
        people: persons::table.count().get_result(conn).map_err(count)?,
        payments: payments::table.count().get_result(conn).map_err(count)?,
        statements: statements::table.count().get_result(conn).map_err(count)?,
        receipt_gaps: app::db::billing::receipt_gaps(conn)?,
        unbalanced_entries: {
            let mut unbalanced = 0;
            for company in app::db::billing::ledger_companies(conn)? {
                unbalanced += app::db::billing::unbalanced_sources(conn, company)?.len();
            }
            unbalanced
        },
        altered_statements: app::services::statements::altered_statements(conn)
            .map_err(|e| ops(format!("cannot read the monthly statements: {e}")))?
            .len(),
    })
}

/// Makes a SQLite copy one self-contained file: its write-ahead log folded
/// in and the file back in rollback-journal mode, so that no `-wal` or
/// `-shm` file goes with it (the checks opened it in WAL mode).
fn seal(db: &Db) -> Result<(), CliError> {
    use diesel::connection::SimpleConnection;
    db.conn()?
        .batch_execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .map_err(|e| CliError::Database(e.into()))
}

fn remove_sqlite(path: &Path) -> Result<(), CliError> {
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() {
            std::fs::remove_file(&file)
                .map_err(|e| ops(format!("cannot remove {}: {e}", file.display())))?;
        }
    }
    Ok(())
}

/// Runs a PostgreSQL client tool, saying clearly when it is not installed.
fn run_tool(tool: &str, args: &[&str]) -> Result<(), CliError> {
    let output = Command::new(tool).args(args).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            ops(format!(
                "{tool} is not installed: backups of PostgreSQL use its own tools \
                 (Debian: apt install postgresql-client)"
            ))
        } else {
            ops(format!("cannot run {tool}: {e}"))
        }
    })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(ops(format!(
            "{tool} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// The server's own daily copies (`--backup-dir`, `--backup-keep`): one a
/// day, named by the day in China (`hongye-2026-12-03.db`, or `.dump` for
/// PostgreSQL), checked as `hongye backup` checks them; the oldest beyond
/// `keep` are deleted. Nothing else in the directory is touched.
#[derive(Clone)]
pub struct DailyBackups {
    pub dir: std::path::PathBuf,
    pub keep: usize,
    pub target: DatabaseTarget,
}

const DAILY_PREFIX: &str = "hongye-";

impl DailyBackups {
    fn extension(&self) -> &'static str {
        match self.target {
            DatabaseTarget::Sqlite(_) => "db",
            DatabaseTarget::Postgres(_) => "dump",
        }
    }

    /// The copy of `day`.
    pub fn file_of(&self, day: chrono::NaiveDate) -> std::path::PathBuf {
        self.dir.join(format!(
            "{DAILY_PREFIX}{}.{}",
            day.format("%Y-%m-%d"),
            self.extension()
        ))
    }

    /// Takes `today`'s copy unless it is there, then deletes the oldest
    /// copies beyond `keep`. Returns the copy taken, if one was.
    pub fn run_once(
        &self,
        today: chrono::NaiveDate,
    ) -> Result<Option<(std::path::PathBuf, Checked)>, CliError> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| ops(format!("cannot make {}: {e}", self.dir.display())))?;
        let file = self.file_of(today);
        let taken = if file.exists() {
            None
        } else {
            // Written under another name first: a copy cut short by a stop
            // is never taken for today's.
            let partial = self.dir.join(format!(
                ".{DAILY_PREFIX}{}.partial",
                today.format("%Y-%m-%d")
            ));
            remove_sqlite(&partial)?;
            let checked = backup(&self.target, &partial)?;
            std::fs::rename(&partial, &file)
                .map_err(|e| ops(format!("cannot name {}: {e}", file.display())))?;
            Some((file, checked))
        };
        for old in self.copies()?.into_iter().rev().skip(self.keep.max(1)) {
            std::fs::remove_file(&old)
                .map_err(|e| ops(format!("cannot remove {}: {e}", old.display())))?;
            tracing::info!(file = %old.display(), "old daily backup removed");
        }
        Ok(taken)
    }

    /// The daily copies in the directory, oldest first.
    fn copies(&self) -> Result<Vec<std::path::PathBuf>, CliError> {
        let suffix = format!(".{}", self.extension());
        let entries = std::fs::read_dir(&self.dir)
            .map_err(|e| ops(format!("cannot read {}: {e}", self.dir.display())))?;
        let mut days: Vec<(chrono::NaiveDate, std::path::PathBuf)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let day = name.strip_prefix(DAILY_PREFIX)?.strip_suffix(&suffix)?;
                let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
                Some((day, entry.path()))
            })
            .collect();
        days.sort();
        Ok(days.into_iter().map(|(_, path)| path).collect())
    }

    /// Runs on its own thread: a copy at start unless today's is there,
    /// then a look every hour, until the server stops.
    pub fn spawn(
        self,
        clock: app::services::clock::Clock,
        stopping: app::services::Stopping,
    ) -> std::thread::JoinHandle<()> {
        std::thread::spawn(move || {
            while !stopping.requested() {
                let today = app::domain::time::china_date(clock.now());
                match self.run_once(today) {
                    Ok(Some((file, checked))) => {
                        tracing::info!(file = %file.display(), %checked, "daily backup written");
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::error!(error = %e, "daily backup failed; will retry in an hour")
                    }
                }
                stopping.sleep(std::time::Duration::from_secs(3600));
            }
        })
    }
}
