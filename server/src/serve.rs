//! The web server: Leptos pages and server functions, plus a few plain routes.

use app::services::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use leptos::config::{LeptosOptions, get_configuration};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};

use crate::error::CliError;
use crate::telemetry::Telemetry;
use crate::{guard, routes};

/// axum state: the Leptos options for rendering and the app state for services.
#[derive(Clone, Debug)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
    pub site: guard::Site,
    pub telemetry: Telemetry,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(state: &ServerState) -> Self {
        state.app.clone()
    }
}

/// The largest request body accepted: room for the largest photo
/// (`domain::data_url::MAX_PHOTO_BYTES`) base64- and form-encoded, and the
/// form around it.
pub const MAX_REQUEST_BYTES: usize = 2 * 1024 * 1024;

/// Threads for blocking work (database use, mail): a few more than the
/// largest connection pool.
const BLOCKING_THREADS: usize = 24;

/// On a stop (SIGTERM, Ctrl-C): how long requests in flight may take to
/// finish, then how long the mail being sent may; the process is gone
/// within 10 s in all.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(7);
const MAIL_FINISH: std::time::Duration = std::time::Duration::from_secs(2);

/// The server's work besides answering requests.
pub struct Background {
    pub mail: app::services::mail::MailConfig,
    pub mail_every: std::time::Duration,
    pub backups: Option<crate::ops::DailyBackups>,
}

pub fn serve(
    app: AppState,
    site: guard::Site,
    background: Background,
    metrics_addr: Option<std::net::SocketAddr>,
) -> Result<(), CliError> {
    let telemetry = Telemetry::new().map_err(|e| CliError::Metrics(e.to_string()))?;
    let stopping = app::services::Stopping::default();
    // The outbox worker: its own thread, since sending is blocking I/O.
    tracing::info!(transport = ?background.mail.transport, "mail worker started");
    let mail_worker = app::services::mail::MailWorker {
        db: app.db.clone(),
        config: background.mail,
        clock: app.clock,
    }
    .spawn(
        background.mail_every,
        app.heartbeats.clone(),
        stopping.clone(),
    );
    spawn_arrears_reminders(app.clone(), stopping.clone());
    spawn_resume_bill_runs(app.clone());
    if let Some(backups) = background.backups {
        tracing::info!(dir = %backups.dir.display(), keep = backups.keep, "daily backups on");
        backups.spawn(app.clock, stopping.clone());
    }
    // Every request's database work runs on the blocking pool and needs one
    // of the pool's connections: threads beyond those only wait, and each
    // holds its own malloc arena (64 at once held 667 MB).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
        .map_err(CliError::Runtime)?;
    let served = runtime.block_on(run(app, site, telemetry, metrics_addr));
    // The workers finish the piece in hand (the mail being sent) and end.
    stopping.begin();
    let deadline = std::time::Instant::now() + MAIL_FINISH;
    while !mail_worker.is_finished() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    if !mail_worker.is_finished() {
        tracing::warn!("the mail worker did not finish in time; its mail is sent again later");
    }
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    tracing::info!("stopped");
    served
}

/// Once an hour, every company's households with a bill 30 days overdue and
/// no reminder in the last 30 days get one (the rule itself keeps it to one
/// a month, so a restart does not send twice).
fn spawn_arrears_reminders(app: AppState, stopping: app::services::Stopping) {
    std::thread::spawn(move || {
        while !stopping.requested() {
            let now = app.clock.now();
            let pass = || -> Result<u32, app::api::AppError> {
                let mut conn = app.db.conn()?;
                let mut sent = 0;
                for company in app::services::billing::billing_companies(&mut conn)? {
                    sent += app::services::billing::send_reminders(&mut conn, &app, company, now)?;
                }
                Ok(sent)
            };
            match pass() {
                Ok(0) => {}
                Ok(sent) => tracing::info!(sent, "arrears reminders queued"),
                Err(e) => tracing::warn!(error = %e, "arrears reminders failed; will retry"),
            }
            stopping.sleep(std::time::Duration::from_secs(3600));
        }
    });
}

/// A bill run a stop cut short is finished once the server is back.
fn spawn_resume_bill_runs(app: AppState) {
    std::thread::spawn(move || {
        match app::services::billing::resume_interrupted_runs(&app, app.clock.now()) {
            Ok(runs) => {
                for (company, month, issued) in runs {
                    tracing::info!(
                        company = company.0,
                        month,
                        issued,
                        "interrupted bill run finished"
                    );
                }
            }
            Err(e) => tracing::error!(error = %e, "interrupted bill runs not resumed"),
        }
    });
}

async fn run(
    app: AppState,
    site: guard::Site,
    telemetry: Telemetry,
    metrics_addr: Option<std::net::SocketAddr>,
) -> Result<(), CliError> {
    let conf = get_configuration(None).map_err(|e| CliError::SiteConfig(e.to_string()))?;
    let mut leptos = conf.leptos_options;
    if leptos.output_name.is_empty() {
        // Run outside cargo-leptos without LEPTOS_OUTPUT_NAME: the name the
        // workspace metadata gives the site bundle.
        leptos.output_name = "hongye".into();
    }
    // A release site names its files by content (`hash-files`) and leaves
    // their hashes beside the server binary; the pages must then link those
    // names, whether or not the environment says so.
    if !leptos.hash_files && hash_file_beside_server(&leptos) {
        leptos.hash_files = true;
    }
    let addr = leptos.site_addr;
    let state = ServerState {
        leptos: leptos.clone(),
        app: app.clone(),
        site,
        telemetry: telemetry.clone(),
    };
    let router = router(state);

    let listener = bind(addr).await?;
    tracing::info!("listening on http://{addr}");
    // Pages are streamed in several writes: without TCP_NODELAY the second
    // waits for the client's delayed ACK (about 40 ms a page on a kept-alive
    // connection).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
    });

    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    if let Some(metrics_addr) = metrics_addr {
        let metrics = bind(metrics_addr).await?;
        tracing::info!("metrics on http://{metrics_addr}/metrics");
        let routes = crate::telemetry::metrics_router(telemetry, app);
        let stopped = stopped.clone();
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, routes)
                .with_graceful_shutdown(stop_requested(stopped))
                .await
            {
                tracing::error!(error = %e, "metrics listener failed");
            }
        });
    }
    // The peer address reaches server functions for login throttling.
    let server = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(stop_requested(stopped.clone()));
    // Requests in flight finish; one that takes longer than DRAIN (a client
    // sending its body slowly, say) does not hold the stop.
    let drained = async move {
        stop_requested(stopped).await;
        tokio::time::sleep(DRAIN).await;
    };
    tokio::select! {
        served = server => served.map_err(CliError::Serve),
        () = drained => {
            tracing::warn!(seconds = DRAIN.as_secs(), "requests still open after the drain; stopping without them");
            Ok(())
        }
    }
}

async fn bind(addr: std::net::SocketAddr) -> Result<tokio::net::TcpListener, CliError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| CliError::Listen { addr, source })
}

/// Resolves once the stop is asked for.
async fn stop_requested(mut stopped: tokio::sync::watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

fn hash_file_beside_server(leptos: &LeptosOptions) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&*leptos.hash_file)))
        .is_some_and(|file| file.is_file())
}

/// The app's page routes, generated once per process. Generating them renders
/// the app with resource loading suppressed process-wide, so doing it while
/// another router serves pages (as parallel tests would) can stall those pages.
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: ServerState) -> Router {
    let routes = route_list();
    let context = {
        let app = state.app.clone();
        move || provide_context(app.clone())
    };
    let render = {
        let options = state.leptos.clone();
        move || shell(options.clone())
    };
    Router::new()
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .route("/lang", post(routes::lang::set_language))
        .leptos_routes_with_context(&state, routes, context.clone(), render)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(context, shell))
        .layer(axum::middleware::from_fn_with_state(
            state.site.clone(),
            guard::same_site_only,
        ))
        // Nothing a person sends is larger than a receipt photo as a data:
        // URL (1 MB, about 1.4 MB encoded); a larger body is refused with 413
        // before anything reads it.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_REQUEST_BYTES,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.site.clone(),
            guard::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.site.clone(),
            guard::client_address,
        ))
        // Outermost but for compression: every answer, refusals included,
        // carries the request's id and is counted.
        .layer(axum::middleware::from_fn_with_state(
            state.telemetry.clone(),
            crate::telemetry::observe,
        ))
        // Pages and answers are compressed as they are sent, quickly: a page
        // is small and a busy morning has many. The site's script and wasm
        // are compressed once, at build (`--precompress`), to the smallest.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .with_state(state)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
