//! The server's tests over HTTP and the command line, in one binary for the
//! same reason as the database tests: every test binary links the whole
//! application.

mod authorization_matrix;
mod cli;
mod guard;
mod pool;
mod proxy;
mod running;
mod serve;
mod sessions;
mod site;
mod upgrade;
// The database tests' scratch directory, shared rather than copied.
#[path = "../../../app/tests/db/support/tempdir.rs"]
mod tempdir;

/// The instant every HTTP test runs at (2026-11-18 10:00 in China): the
/// demo is seeded then and the router's clock stands still there.
pub fn t0() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 18)
        .and_then(|d| d.and_hms_opt(2, 0, 0))
        .expect("valid")
}
