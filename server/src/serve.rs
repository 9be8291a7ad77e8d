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
use crate::{guard, routes};

/// axum state: the Leptos options for rendering and the app state for services.
#[derive(Clone, Debug)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
    pub site: guard::Site,
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

pub fn serve(
    app: AppState,
    site: guard::Site,
    mail: app::services::mail::MailConfig,
    mail_every: std::time::Duration,
) -> Result<(), CliError> {
    // The outbox worker: its own thread, since sending is blocking I/O.
    tracing::info!(transport = ?mail.transport, "mail worker started");
    app::services::mail::MailWorker {
        db: app.db.clone(),
        config: mail,
        clock: app.clock,
    }
    .spawn(mail_every);
    spawn_arrears_reminders(app.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    runtime.block_on(run(app, site))
}

/// Once an hour, every company's households with a bill 30 days overdue and
/// no reminder in the last 30 days get one (the rule itself keeps it to one
/// a month, so a restart does not send twice).
fn spawn_arrears_reminders(app: AppState) {
    std::thread::spawn(move || {
        loop {
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
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    });
}

async fn run(app: AppState, site: guard::Site) -> Result<(), CliError> {
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
        app,
        site,
    };
    let router = router(state);

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| CliError::Listen { addr, source })?;
    tracing::info!("listening on http://{addr}");
    // The peer address reaches server functions for login throttling.
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(CliError::Serve)
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
        .layer(axum::middleware::from_fn(guard::security_headers))
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

#[cfg(test)]
mod tests {
    use super::*;
    use app::db::{DatabaseTarget, Db};
    use axum::body::{Body, to_bytes};
    use axum::http::{Request, StatusCode, header};
    use axum::response::Response;
    use tower::ServiceExt;

    /// Sends one request to a fresh router over a seeded SQLite database.
    async fn send(request: Request<Body>) -> Response {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::connect(&DatabaseTarget::Sqlite(dir.path().join("t.db"))).expect("db");
        db.migrate().expect("migrate");
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 18)
            .and_then(|d| d.and_hms_opt(2, 0, 0))
            .expect("valid");
        app::services::seed::seed_demo(&db, at).expect("seed");
        let leptos = LeptosOptions::builder().output_name("hongye").build();
        let router = router(ServerState {
            leptos,
            app: AppState::new(db).with_clock(app::services::clock::Clock::Fixed(at)),
            site: guard::Site::default(),
        });
        router.oneshot(request).await.expect("response")
    }

    async fn get(path: &str) -> Response {
        send(Request::get(path).body(Body::empty()).expect("request")).await
    }

    async fn post_form(path: &str, body: &'static str, headers: &[(&str, &str)]) -> Response {
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        send(request.body(Body::from(body)).expect("request")).await
    }

    async fn text(response: Response) -> String {
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        String::from_utf8_lossy(&body).into_owned()
    }

    fn cookie(response: &Response) -> &str {
        response.headers()[header::SET_COOKIE]
            .to_str()
            .expect("ascii")
    }

    #[tokio::test]
    async fn health_is_ok_when_the_database_answers() {
        let response = get("/healthz").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(
            response.headers()[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff"
        );
    }

    #[tokio::test]
    async fn choosing_english_sets_the_cookie_and_returns_to_the_page() {
        let response = post_form("/lang", "lang=en&back=%2F%3Fx%3D1", &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/?x=1");
        let cookie = cookie(&response);
        assert!(cookie.starts_with("hongye_lang=en;"), "{cookie}");
        assert!(
            cookie.contains("Path=/") && cookie.contains("Max-Age="),
            "{cookie}"
        );
    }

    #[tokio::test]
    async fn the_language_switch_never_redirects_off_site() {
        for body in [
            "lang=en&back=https%3A%2F%2Fevil.example",
            "lang=en&back=%2F%2Fevil.example",
            "lang=en",
        ] {
            let response = post_form("/lang", body, &[]).await;
            assert_eq!(response.headers()[header::LOCATION], "/", "{body}");
        }
    }

    #[tokio::test]
    async fn an_unknown_language_falls_back_to_chinese() {
        let response = post_form("/lang", "lang=xx&back=%2F", &[]).await;
        let cookie = cookie(&response);
        assert!(cookie.starts_with("hongye_lang=zh-CN;"), "{cookie}");
    }

    #[tokio::test]
    async fn a_cross_site_post_is_refused_before_it_reaches_a_handler() {
        for path in ["/lang", "/api/directory/list_companies"] {
            let response = post_form(path, "lang=en", &[("origin", "https://evil.example")]).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
            assert!(!response.headers().contains_key(header::SET_COOKIE));
        }
    }

    #[tokio::test]
    async fn a_same_origin_post_is_served() {
        let response = post_form(
            "/lang",
            "lang=en&back=%2F",
            &[("origin", "http://127.0.0.1:3000")],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }

    #[tokio::test]
    async fn the_landing_page_is_rendered_on_the_server_in_chinese_by_default() {
        let response = get("/").await;
        assert_eq!(response.status(), StatusCode::OK);
        let html = text(response).await;
        assert!(html.contains("lang=\"zh-CN\""), "{html}");
        assert!(html.contains("文汇社区城市服务公司"), "{html}");
    }

    #[tokio::test]
    async fn an_unknown_address_is_a_404_page() {
        let response = get("/no/such/page").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(text(response).await.contains("找不到这个页面"));
    }

    #[tokio::test]
    async fn the_server_function_answers_with_the_directory() {
        let response = post_form("/api/directory/list_companies", "", &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            text(response)
                .await
                .contains("Wenhui Community City Services Co.")
        );
    }
}
