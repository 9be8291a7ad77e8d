//! The `hongye` server: CLI, configuration, the axum router with its guards,
//! and plain routes. A library so integration tests drive the real router.

pub mod bench;
pub mod cli;
pub mod error;
pub mod guard;
pub mod ops;
pub mod proxy;
pub mod routes;
pub mod serve;
pub mod telemetry;
pub mod transfer;
