//! Use cases: transactions and rules over the database. Server side only.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod availability;
pub mod billing;
pub mod clock;
pub mod contracts;
pub mod decisions;
pub mod directory;
pub mod estates;
pub mod mail;
pub mod orders;
pub mod org_admin;
pub mod oversight;
pub mod passwords;
pub mod places;
pub mod pricing;
pub mod roster;
pub mod schedule;
pub mod seed;
pub mod statements;
pub mod volunteers;

use crate::db::{Db, DbError};
use crate::error::AppError;

/// What every use case needs; handed to server functions through the Leptos
/// context and to routes through axum state.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub auth: AuthConfig,
    /// The site's public address, for links in mails.
    pub site_url: String,
    /// Where every "now" comes from.
    pub clock: clock::Clock,
    /// When the background workers last finished a pass (for `/readyz`).
    pub heartbeats: Heartbeats,
}

/// The wall-clock second each background worker last finished a pass; 0
/// for never. Shared by every clone of the state.
#[derive(Clone, Debug, Default)]
pub struct Heartbeats {
    mail: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Heartbeats {
    /// The mail worker finished a pass now.
    pub fn mail_pass(&self) {
        self.mail
            .store(unix_seconds(), std::sync::atomic::Ordering::Relaxed);
    }

    /// Seconds since the mail worker's last pass; `None` before the first.
    pub fn since_mail_pass(&self) -> Option<u64> {
        match self.mail.load(std::sync::atomic::Ordering::Relaxed) {
            0 => None,
            at => Some(unix_seconds().saturating_sub(at)),
        }
    }
}

/// Set once the server is asked to stop: background workers finish the
/// piece of work in hand and end. Shared by every clone.
#[derive(Clone, Debug, Default)]
pub struct Stopping(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Stopping {
    pub fn begin(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn requested(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Sleeps `for_` or until the stop, whichever comes first.
    pub fn sleep(&self, for_: std::time::Duration) {
        let step = std::time::Duration::from_millis(50);
        let until = std::time::Instant::now() + for_;
        while !self.requested() {
            let left = until.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(step));
        }
    }
}

/// Readiness is about real time, not the app's clock (which a rehearsal may
/// set to another day).
fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl AppState {
    pub fn new(db: Db) -> Self {
        AppState {
            db,
            auth: AuthConfig::default(),
            site_url: "http://127.0.0.1:3000".to_owned(),
            clock: clock::Clock::System,
            heartbeats: Heartbeats::default(),
        }
    }

    /// The same state reading "now" from `clock`.
    pub fn with_clock(self, clock: clock::Clock) -> Self {
        AppState { clock, ..self }
    }
}

/// Session lifetime, login throttling, and whether cookies are marked Secure
/// (when the site is served over TLS).
#[derive(Clone, Copy, Debug, Default)]
pub struct AuthConfig {
    pub session: crate::domain::accounts::SessionPolicy,
    pub throttle: crate::domain::accounts::ThrottlePolicy,
    pub secure_cookie: bool,
}

impl From<DbError> for AppError {
    /// The one place storage failures become what a person is told; the detail
    /// goes to the log only.
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => AppError::NotFound,
            DbError::PoolTimeout { .. } | DbError::Unreachable { .. } => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "database failure");
                AppError::Internal
            }
        }
    }
}
