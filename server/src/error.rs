//! What stops a command, told to the operator (the terminal, the log):
//! one type below the command line, the server and the benchmarks alike.

use app::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Database(#[from] DbError),
    #[error("seeding failed ({0}); see the log above")]
    Seed(#[from] app::api::AppError),
    #[error("mail is not configured properly: {0}")]
    Mail(#[from] app::services::mail::MailConfigError),
    #[error("nothing to seed: pass --demo for the demo data set")]
    NothingToSeed,
    #[error("--trusted-proxy: {0}")]
    TrustedProxy(String),
    #[error("cannot read the site configuration: {0}")]
    SiteConfig(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("server stopped with an error: {0}")]
    Serve(std::io::Error),
    #[error("cannot make the benchmark's temporary directory: {0}")]
    BenchDir(std::io::Error),
    #[error("benchmark failed: {0}")]
    Bench(String),
    #[error("{0}")]
    Ops(String),
    #[error("cannot set up the metrics: {0}")]
    Metrics(String),
    #[error("billing failed: {0}")]
    Billing(app::api::AppError),
}
