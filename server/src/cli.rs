//! Command line: configuration from flags or the environment, one subcommand per
//! operator task. Every command opens the database and applies migrations
//! first, except the benchmarks, which make a temporary database of their own.

use std::path::PathBuf;

use app::db::{DatabaseTarget, Db};
use clap::{Parser, Subcommand};

use crate::bench::BenchWhat;
pub use crate::error::CliError;

#[derive(Parser, Debug)]
#[command(
    name = "hongye",
    version,
    about = "红业 Hongye: red-property community service management"
)]
pub struct Args {
    /// Directory for the SQLite database and local files (outbox, uploads).
    #[arg(long, env = "HONGYE_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// postgres://user:password@host/db for PostgreSQL; unset for SQLite in the
    /// data directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// The public address of the site, e.g. https://hongye.example. When set,
    /// state-changing requests must come from it, and an https address marks
    /// the session cookie Secure.
    #[arg(long, env = "HONGYE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Reverse proxies in front of the server (addresses or CIDR networks,
    /// repeated or separated by commas, e.g. 127.0.0.1 or 10.0.0.0/8): for a
    /// request from one of them the client's address is taken from
    /// X-Forwarded-For, never otherwise.
    #[arg(
        long = "trusted-proxy",
        env = "HONGYE_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<String>,

    /// Minutes without a request after which a session ends.
    #[arg(
        long,
        env = "HONGYE_SESSION_IDLE_MINUTES",
        default_value_t = 30,
        global = true
    )]
    pub session_idle_minutes: u32,

    /// Hours after sign-in after which a session ends in any case.
    #[arg(
        long,
        env = "HONGYE_SESSION_MAX_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_max_hours: u32,

    /// SMTP relay for outgoing mail, e.g. smtps://user:password@smtp.example.com
    /// or smtp://host:587?tls=required. Unset: mails are written as .eml files
    /// under <data-dir>/outbox.
    #[arg(long, env = "HONGYE_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of outgoing mail.
    #[arg(
        long,
        env = "HONGYE_MAIL_FROM",
        default_value = "红业 Hongye <noreply@hongye.local>",
        global = true
    )]
    pub mail_from: String,

    /// How often the mail worker looks for mail to send, in milliseconds.
    #[arg(
        long,
        env = "HONGYE_MAIL_POLL_MS",
        default_value_t = 2000,
        global = true
    )]
    pub mail_poll_ms: u64,

    /// Run as if today, in China, were this date (YYYY-MM-DD), with time
    /// going on from the current hour: for rehearsing a month end or showing
    /// the demo on the days it was seeded for. Every command and the server
    /// take "now" from this one clock. Unset: the machine's clock.
    #[arg(long, env = "HONGYE_TODAY", global = true)]
    pub today: Option<chrono::NaiveDate>,

    /// Where to serve Prometheus metrics (GET /metrics), e.g.
    /// 127.0.0.1:9100: an address of its own, kept off the public network.
    /// Unset: no metrics.
    #[arg(long, env = "HONGYE_METRICS_ADDR", global = true)]
    pub metrics_addr: Option<std::net::SocketAddr>,

    /// Log lines as text for people, or one JSON object a line for a log
    /// collector.
    #[arg(
        long,
        env = "HONGYE_LOG_FORMAT",
        value_enum,
        default_value_t = LogFormat::Text,
        global = true
    )]
    pub log_format: LogFormat,

    /// A directory where the server keeps a checked copy of the database
    /// each day (taken at start unless the day's is there, then once a
    /// day). Unset: no daily copies.
    #[arg(long, env = "HONGYE_BACKUP_DIR", global = true)]
    pub backup_dir: Option<PathBuf>,

    /// How many daily copies --backup-dir keeps; older ones are deleted.
    #[arg(long, env = "HONGYE_BACKUP_KEEP", default_value_t = 14, global = true)]
    pub backup_keep: usize,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// What `--version` says: the program's version and the newest database
/// schema it knows.
pub fn version() -> String {
    format!(
        "{} (database schema {})",
        env!("CARGO_PKG_VERSION"),
        app::db::known_schema().unwrap_or_else(|| "unknown".into())
    )
}

/// The command line, with `--version` saying the schema too.
pub fn parse() -> Args {
    use clap::{CommandFactory, FromArgMatches};
    // Once per process: clap keeps the text for the program's lifetime.
    let version: &'static str = Box::leak(version().into_boxed_str());
    let matches = Args::command().version(version).get_matches();
    Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

impl Args {
    /// The site's address for links in mails: the public URL, or the address
    /// the server listens on.
    pub fn site_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!(
                "http://{}",
                std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into())
            ),
        }
    }

    /// The one clock every command and the server read "now" from.
    pub fn clock(&self) -> app::services::clock::Clock {
        match self.today {
            Some(day) => app::services::clock::Clock::with_china_today(day),
            None => app::services::clock::Clock::System,
        }
    }

    /// Everything a service needs, from the flags.
    pub fn app_state(&self, db: Db) -> app::services::AppState {
        app::services::AppState {
            db,
            auth: self.auth_config(),
            site_url: self.site_url(),
            clock: self.clock(),
            heartbeats: app::services::Heartbeats::default(),
        }
    }

    /// Mail transport and sender from the flags.
    pub fn mail_config(&self) -> Result<app::services::mail::MailConfig, CliError> {
        use app::services::mail::{MailConfig, MailTransport};
        let transport =
            MailTransport::from_config(self.smtp_url.as_deref(), self.data_dir.join("outbox"))?;
        Ok(MailConfig::new(
            transport,
            &self.mail_from,
            &self.site_url(),
        )?)
    }

    /// Session lifetime and cookie settings from the flags.
    pub fn auth_config(&self) -> app::services::AuthConfig {
        app::services::AuthConfig {
            session: app::domain::accounts::SessionPolicy {
                idle: chrono::Duration::minutes(i64::from(self.session_idle_minutes.max(1))),
                absolute: chrono::Duration::hours(i64::from(self.session_max_hours.max(1))),
            },
            throttle: app::domain::accounts::ThrottlePolicy::default(),
            secure_cookie: self
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://")),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web app (the default). Address from LEPTOS_SITE_ADDR, default
    /// 127.0.0.1:3000.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load data into the database.
    Seed {
        /// The demo data set: Gucheng district, its streets and companies.
        /// Safe to run again: it only adds what is missing.
        #[arg(long)]
        demo: bool,
    },
    /// Issue a company's bills for a month. Safe to run again, also after a
    /// crash: only the households not yet billed get a bill.
    Bill {
        /// The company's id or exact name.
        #[arg(long)]
        company: String,
        /// The month, as 2026-11.
        #[arg(long)]
        month: String,
        /// Households per write transaction.
        #[arg(long, default_value_t = app::services::billing::CHUNK, hide = true)]
        chunk: usize,
    },
    /// A consistent copy of the database in one file, taken while the
    /// server runs and writes (SQLite: VACUUM INTO; PostgreSQL: pg_dump),
    /// checked before the command says it is done.
    Backup {
        /// The file to write; never overwritten.
        #[arg(long)]
        to: PathBuf,
    },
    /// Fills the database from a backup, checked first: schema known here,
    /// receipt numbers without gaps, every monthly statement matching its
    /// recorded hash. Refuses a database that holds data unless --force
    /// (stop the server first).
    Restore {
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that holds data.
        #[arg(long)]
        force: bool,
    },
    /// Every table's rows in one file (JSON lines), taken in one read
    /// transaction while the server runs: for moving to the other backend
    /// (SQLite to PostgreSQL) with `hongye import`.
    Export {
        /// The file to write; never overwritten.
        #[arg(long)]
        to: PathBuf,
    },
    /// Fills an empty database (of the same schema) from `hongye export`'s
    /// file, in one transaction, then checks it: every row there, receipt
    /// numbers without gaps, statements matching their hashes.
    Import {
        #[arg(long)]
        from: PathBuf,
    },
    /// Benchmarks, each in a temporary database of its own (the configured
    /// database is not opened). The last line of output sums it up.
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
}

pub fn run(args: Args) -> Result<(), CliError> {
    if let Some(Command::Seed { demo: false }) = args.command {
        return Err(CliError::NothingToSeed);
    }
    if let Some(Command::Bench { what }) = &args.command {
        return crate::bench::run(what, args.database_url.as_deref(), args.clock().now());
    }
    if let Some(Command::Restore { from, force }) = &args.command {
        // Not opened first: the database may be about to be replaced.
        let target = DatabaseTarget::from_config(args.database_url.as_deref(), &args.data_dir)?;
        let checked = crate::ops::restore(&target, from, *force)?;
        println!(
            "restored {} from {}: {checked}",
            target.describe(),
            from.display()
        );
        return Ok(());
    }
    let db = open_database(&args)?;
    match args.command.as_ref().unwrap_or(&Command::Serve) {
        Command::Serve => {
            let target = DatabaseTarget::from_config(args.database_url.as_deref(), &args.data_dir)?;
            crate::serve::serve(
                args.app_state(db),
                crate::guard::Site {
                    public_url: args.public_url.clone(),
                    trusted_proxies: crate::proxy::TrustedProxies::parse(&args.trusted_proxies)
                        .map_err(CliError::TrustedProxy)?,
                },
                crate::serve::Background {
                    mail: args.mail_config()?,
                    mail_every: std::time::Duration::from_millis(args.mail_poll_ms.max(100)),
                    backups: args.backup_dir.clone().map(|dir| crate::ops::DailyBackups {
                        dir,
                        keep: args.backup_keep,
                        target,
                    }),
                },
                args.metrics_addr,
            )
        }
        Command::Migrate | Command::Bench { .. } | Command::Restore { .. } => Ok(()),
        Command::Backup { to } => {
            drop(db);
            let target = DatabaseTarget::from_config(args.database_url.as_deref(), &args.data_dir)?;
            let checked = crate::ops::backup(&target, to)?;
            println!("backup written to {}: {checked}", to.display());
            Ok(())
        }
        Command::Export { to } => {
            let rows = crate::transfer::export(&db, to)?;
            println!(
                "exported {} tables, {} rows to {}",
                rows.len(),
                rows.values().sum::<usize>(),
                to.display()
            );
            Ok(())
        }
        Command::Import { from } => {
            let moved = crate::transfer::import(&db, from)?;
            println!("imported {}: {moved}", from.display());
            Ok(())
        }
        Command::Bill {
            company,
            month,
            chunk,
        } => bill(&args, db, company, month, *chunk),
        Command::Seed { .. } => {
            let summary = app::services::seed::seed_demo(&db, args.clock().now())?;
            println!(
                "demo data ready: {} streets, {} communities, {} companies, {} estates with {} households, {} work orders ({} waiting for staff), {} staff profiles, {} accounts",
                summary.streets,
                summary.communities,
                summary.companies,
                summary.estates,
                summary.households,
                summary.orders,
                summary.waiting_orders,
                summary.staff_profiles,
                summary.accounts
            );
            Ok(())
        }
    }
}

/// Opens the configured database and brings its schema up to date.
fn open_database(args: &Args) -> Result<Db, CliError> {
    let target = DatabaseTarget::from_config(args.database_url.as_deref(), &args.data_dir)?;
    let db = Db::connect(&target)?;
    let applied = db.migrate()?;
    if applied.is_empty() {
        tracing::info!(database = %target.describe(), "database schema up to date");
    } else {
        tracing::info!(database = %target.describe(), ?applied, "migrations applied");
    }
    Ok(db)
}

/// `hongye bill`: issues the month, printing progress after every chunk
/// committed (so an operator, or a test, sees how far it got).
fn bill(args: &Args, db: Db, company: &str, month: &str, chunk: usize) -> Result<(), CliError> {
    use app::services::billing;
    use std::io::Write;
    let state = args.app_state(db);
    let now = state.clock.now();
    let mut conn = state.db.conn()?;
    let company = billing::find_company(&mut conn, company).map_err(CliError::Billing)?;
    let mut plan = billing::begin_run(&mut conn, company, month, None, now, true)
        .map_err(CliError::Billing)?;
    drop(conn);
    plan.chunk = chunk.max(1);
    let outcome = billing::issue_run(&state, plan, now, &mut |done, total| {
        println!("billed {done}/{total}");
        let _ = std::io::stdout().flush();
    })
    .map_err(CliError::Billing)?;
    println!(
        "bills for {month}: {} households, {} new bills totalling {}",
        outcome.households, outcome.issued, outcome.total
    );
    Ok(())
}
