//! The web server: Leptos pages and server functions, plus a few plain routes.

use app::services::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};
use leptos::config::{LeptosOptions, get_configuration};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};

use crate::cli::CliError;
use crate::routes;

/// axum state: the Leptos options for rendering and the app state for services.
#[derive(Clone, Debug)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
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

pub fn serve(db: app::db::Db) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    runtime.block_on(run(db))
}

async fn run(db: app::db::Db) -> Result<(), CliError> {
    let conf = get_configuration(None).map_err(|e| CliError::SiteConfig(e.to_string()))?;
    let mut leptos = conf.leptos_options;
    if leptos.output_name.is_empty() {
        // Run outside cargo-leptos without LEPTOS_OUTPUT_NAME: the name the
        // workspace metadata gives the site bundle.
        leptos.output_name = "hongye".into();
    }
    let addr = leptos.site_addr;
    let state = ServerState {
        leptos: leptos.clone(),
        app: AppState { db },
    };
    let router = router(state);

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| CliError::Listen { addr, source })?;
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, router.into_make_service())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(CliError::Serve)
}

pub fn router(state: ServerState) -> Router {
    let routes = generate_route_list(App);
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
        .route("/lang", post(routes::lang::set_language))
        .leptos_routes_with_context(&state, routes, context.clone(), render)
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(
            context, shell,
        ))
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
