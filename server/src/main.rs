//! `hongye`: the server binary. Commands: serve (default), migrate, seed, bench.

use hongye::cli;
use std::process::ExitCode;

/// Under load glibc's malloc grew an arena per blocking thread and held
/// their memory; mimalloc returns it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() -> ExitCode {
    let args = cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,hongye=info,app=info".into());
    let log = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match args.log_format {
        cli::LogFormat::Text => log.init(),
        // One object a line; the request's id among its fields.
        cli::LogFormat::Json => log
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hongye: {e}");
            ExitCode::FAILURE
        }
    }
}
