//! Storage: one diesel connection type over SQLite (the default, embedded) and
//! PostgreSQL (bigger deployments), an r2d2 pool, and migrations embedded per
//! backend and applied at start.

pub mod accounts;
pub mod audit;
pub mod billing;
pub mod contracts;
pub mod decisions;
pub mod estates;
pub mod mail;
pub mod orders;
pub mod org;
pub mod oversight;
pub mod places;
pub mod pricing;
pub mod roster;
pub mod schedule;
pub mod schema;
pub mod statements;
pub mod volunteers;

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{self, ConnectionManager, CustomizeConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type PooledConn = r2d2::PooledConnection<ConnectionManager<DbConn>>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Why the database could not be used. Shown to an operator (CLI, log), never to a
/// person in the browser.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the data directory {path} cannot be written: {source}")]
    DataDirUnwritable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("DATABASE_URL is not understood: {0} (use postgres://… or a SQLite file path)")]
    BadUrl(String),
    #[error("cannot connect to the database at {target}: {source}")]
    Unreachable {
        target: String,
        source: r2d2::PoolError,
    },
    #[error("no database connection free after waiting {waited_ms} ms: {source}")]
    PoolTimeout {
        waited_ms: u64,
        source: r2d2::PoolError,
    },
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("row not found")]
    NotFound,
    #[error("database error: {0}")]
    Query(diesel::result::Error),
}

impl DbError {
    /// A unique constraint refused the write: the thing already exists.
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            DbError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}

impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => DbError::NotFound,
            other => DbError::Query(other),
        }
    }
}

/// Which database to use, from `DATABASE_URL` and the data directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseTarget {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseTarget {
    /// Unset or empty → `<data_dir>/hongye.db`; `postgres://…` → PostgreSQL;
    /// `sqlite://path` or a plain path → that SQLite file.
    pub fn from_config(database_url: Option<&str>, data_dir: &Path) -> Result<Self, DbError> {
        match database_url.map(str::trim) {
            None | Some("") => Ok(Self::Sqlite(data_dir.join("hongye.db"))),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Self::Postgres(url.to_owned()))
            }
            Some(url) if url.contains("://") && !url.starts_with("sqlite://") => {
                Err(DbError::BadUrl(redact(url)))
            }
            Some(url) => Ok(Self::Sqlite(PathBuf::from(
                url.trim_start_matches("sqlite://"),
            ))),
        }
    }

    /// For messages and logs: the password is never shown.
    pub fn describe(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("SQLite {}", path.display()),
            Self::Postgres(url) => format!("PostgreSQL {}", redact(url)),
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// SQLite settings every pooled connection gets: write-ahead log so readers do
/// not block the writer, foreign keys enforced, and a wait instead of an instant
/// SQLITE_BUSY when another connection writes.
#[derive(Debug)]
struct SqliteSettings;

impl CustomizeConnection<DbConn, r2d2::Error> for SqliteSettings {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            c.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
            .map_err(r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// How many connections the pool holds, and how long a request waits for
/// one before it is told to try again (503).
#[derive(Clone, Copy, Debug)]
pub struct PoolSize {
    /// `None`: 8 for SQLite (one writer at a time anyway), 16 for PostgreSQL.
    pub connections: Option<u32>,
    pub wait: Duration,
}

impl Default for PoolSize {
    fn default() -> Self {
        PoolSize {
            connections: None,
            wait: Duration::from_secs(5),
        }
    }
}

/// The newest schema version this program knows (its last migration),
/// e.g. "20261203000013".
pub fn known_schema() -> Option<String> {
    use diesel::migration::{Migration, MigrationSource};
    MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
        .ok()?
        .iter()
        .map(|m| m.name().version().to_string())
        .max()
}

/// The shared pool. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<ConnectionManager<DbConn>>,
    backend: &'static str,
    /// Callers waiting for a connection right now (for the metrics).
    waiting: std::sync::Arc<std::sync::atomic::AtomicU32>,
}

/// The pool at one moment: connections open, of them idle, and callers
/// waiting for one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUse {
    pub connections: u32,
    pub idle: u32,
    pub waiting: u32,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Db {
    /// Opens the pool; fails fast with a clear error when the database cannot be
    /// reached or the SQLite file's directory cannot be written.
    pub fn connect(target: &DatabaseTarget) -> Result<Db, DbError> {
        Self::connect_with(target, PoolSize::default())
    }

    /// As `connect`, with the pool's size and wait chosen (tests use a pool
    /// of one to prove no request needs two connections at once).
    pub fn connect_with(target: &DatabaseTarget, size: PoolSize) -> Result<Db, DbError> {
        let (url, default_size) = match target {
            DatabaseTarget::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    ensure_writable_dir(dir)?;
                }
                (path.to_string_lossy().into_owned(), 8)
            }
            DatabaseTarget::Postgres(url) => (url.clone(), 16),
        };
        let pool = r2d2::Pool::builder()
            .max_size(size.connections.unwrap_or(default_size))
            .connection_timeout(size.wait)
            .connection_customizer(Box::new(SqliteSettings))
            .build(ConnectionManager::<DbConn>::new(url))
            .map_err(|source| DbError::Unreachable {
                target: target.describe(),
                source,
            })?;
        Ok(Db {
            pool,
            backend: target.backend(),
            waiting: std::sync::Arc::default(),
        })
    }

    /// A connection from the pool, waiting up to the pool's timeout for one
    /// to be free. A request holds at most one at a time: asking for a
    /// second while holding one can wait on itself when the pool is busy.
    pub fn conn(&self) -> Result<PooledConn, DbError> {
        use std::sync::atomic::Ordering;
        let asked = std::time::Instant::now();
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let got = self.pool.get();
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        got.map_err(|source| DbError::PoolTimeout {
            waited_ms: u64::try_from(asked.elapsed().as_millis()).unwrap_or(u64::MAX),
            source,
        })
    }

    /// How the pool is used right now.
    pub fn pool_use(&self) -> PoolUse {
        let state = self.pool.state();
        PoolUse {
            connections: state.connections,
            idle: state.idle_connections,
            waiting: self.waiting.load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// "sqlite" or "postgres".
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// Applies the migrations this backend has not seen, all or none (one
    /// transaction: a failing one leaves the database as it was); returns
    /// their names.
    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        type Failure = Box<dyn std::error::Error + Send + Sync>;
        let names = |applied: Vec<diesel::migration::MigrationVersion<'_>>| {
            applied.iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        let mut conn = self.conn()?;
        match &mut *conn {
            DbConn::Sqlite(c) => c.transaction::<_, Failure, _>(|c| {
                Ok(names(c.run_pending_migrations(SQLITE_MIGRATIONS)?))
            }),
            DbConn::Pg(c) => c.transaction::<_, Failure, _>(|c| {
                Ok(names(c.run_pending_migrations(POSTGRES_MIGRATIONS)?))
            }),
        }
        .map_err(|e| DbError::Migration(e.to_string()))
    }

    /// Applies the pending migrations up to and including `version` only,
    /// e.g. to build a database as an earlier Hongye left it (the upgrade
    /// tests).
    pub fn migrate_to(&self, version: &str) -> Result<Vec<String>, DbError> {
        use diesel::migration::{Migration, MigrationSource};
        let failed =
            |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
        let mut conn = self.conn()?;
        let mut applied = Vec::new();
        macro_rules! up_to {
            ($c:expr, $source:expr, $backend:ty) => {{
                let known: Vec<String> = c_applied($c)?;
                for m in MigrationSource::<$backend>::migrations(&$source).map_err(failed)? {
                    let name = m.name().version().to_string();
                    if name.as_str() > version || known.contains(&name) {
                        continue;
                    }
                    $c.run_migration(&*m).map_err(failed)?;
                    applied.push(name);
                }
            }};
        }
        fn c_applied<C: MigrationHarness<B>, B: diesel::backend::Backend>(
            c: &mut C,
        ) -> Result<Vec<String>, DbError> {
            Ok(c.applied_migrations()
                .map_err(|e| DbError::Migration(e.to_string()))?
                .iter()
                .map(ToString::to_string)
                .collect())
        }
        match &mut *conn {
            DbConn::Sqlite(c) => up_to!(c, SQLITE_MIGRATIONS, diesel::sqlite::Sqlite),
            DbConn::Pg(c) => up_to!(c, POSTGRES_MIGRATIONS, diesel::pg::Pg),
        }
        Ok(applied)
    }

    /// Migrations this program knows and the database has not applied, and
    /// those the database has applied that this program does not know (a
    /// database from a newer Hongye).
    pub fn schema_status(&self) -> Result<SchemaStatus, DbError> {
        use diesel::migration::{Migration, MigrationSource};
        let mut conn = self.conn()?;
        let boxed = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
        let (known, applied): (Vec<String>, Vec<String>) = match &mut *conn {
            DbConn::Sqlite(c) => (
                MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
                    .map_err(boxed)?
                    .iter()
                    .map(|m| m.name().version().to_string())
                    .collect(),
                c.applied_migrations()
                    .map_err(boxed)?
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            ),
            DbConn::Pg(c) => (
                MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS)
                    .map_err(boxed)?
                    .iter()
                    .map(|m| m.name().version().to_string())
                    .collect(),
                c.applied_migrations()
                    .map_err(boxed)?
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            ),
        };
        Ok(SchemaStatus {
            pending: known
                .iter()
                .filter(|v| !applied.contains(v))
                .cloned()
                .collect(),
            unknown: applied
                .iter()
                .filter(|v| !known.contains(v))
                .cloned()
                .collect(),
            latest: applied.iter().max().cloned(),
        })
    }

    /// A consistent copy of a SQLite database in one file, taken while
    /// others read and write (`VACUUM INTO`). PostgreSQL is copied with its
    /// own tools (`pg_dump`).
    pub fn backup_sqlite_into(&self, to: &Path) -> Result<(), DbError> {
        use diesel::RunQueryDsl;
        let mut conn = self.conn()?;
        let DbConn::Sqlite(c) = &mut *conn else {
            return Err(DbError::Migration("not a SQLite database".into()));
        };
        diesel::sql_query("VACUUM INTO ?")
            .bind::<diesel::sql_types::Text, _>(to.to_string_lossy().into_owned())
            .execute(c)?;
        Ok(())
    }

    /// A cheap round trip, for the health check.
    pub fn ping(&self) -> Result<(), DbError> {
        self.conn()?.batch_execute("SELECT 1")?;
        Ok(())
    }
}

/// Where a database's schema stands against this program's migrations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaStatus {
    /// Known here, not applied there (applied at start).
    pub pending: Vec<String>,
    /// Applied there, unknown here: the database is from a newer Hongye.
    pub unknown: Vec<String>,
    /// The newest migration applied, e.g. "20261203000013".
    pub latest: Option<String>,
}

/// Runs `f` in a write transaction. On SQLite the transaction starts IMMEDIATE,
/// taking the write lock up front so `busy_timeout` applies; a deferred one that
/// upgrades later can fail with SQLITE_BUSY at once.
pub fn write_tx<T, E>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DbError>,
{
    type Manager = <DbConn as Connection>::TransactionManager;
    let begun = match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE"),
        DbConn::Pg(_) => Manager::begin_transaction(conn),
    };
    begun.map_err(DbError::from)?;
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn).map_err(DbError::from)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = Manager::rollback_transaction(conn) {
                tracing::error!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

fn ensure_writable_dir(dir: &Path) -> Result<(), DbError> {
    let unwritable = |source| DbError::DataDirUnwritable {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(unwritable)?;
    let probe = dir.join(".hongye-write-test");
    std::fs::write(&probe, b"").map_err(unwritable)?;
    std::fs::remove_file(&probe).map_err(unwritable)?;
    Ok(())
}
