//! Use cases: transactions and rules over the database. Server side only.

pub mod access;
pub mod accounts;
pub mod audit;
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
}

impl AppState {
    pub fn new(db: Db) -> Self {
        AppState {
            db,
            auth: AuthConfig::default(),
            site_url: "http://127.0.0.1:3000".to_owned(),
            clock: clock::Clock::System,
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
