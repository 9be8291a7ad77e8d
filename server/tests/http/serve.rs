//! The router's plain routes and guards, over one request each.

use app::db::{DatabaseTarget, Db};
use app::services::AppState;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use hongye::guard;
use hongye::serve::{ServerState, router};
use leptos::config::LeptosOptions;
use tower::ServiceExt;

/// Sends one request to a fresh router over a seeded SQLite database.
async fn send(request: Request<Body>) -> Response {
    let dir = crate::tempdir::tempdir().expect("temp dir");
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
        telemetry: hongye::telemetry::Telemetry::new().expect("metrics"),
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

#[tokio::test]
async fn a_request_larger_than_any_form_is_refused_with_413() {
    let form = |bytes: usize| format!("login=13800000001&password={}", "x".repeat(bytes));
    let request = |body: String| {
        Request::post("/api/accounts/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .expect("request")
    };
    let response = send(request(form(6 * 1024 * 1024))).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Sent without a Content-Length (streamed): refused when it passes the
    // limit.
    let streamed = Request::post("/api/accounts/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::from(form(6 * 1024 * 1024)))
        .expect("request");
    assert_eq!(send(streamed).await.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A receipt photo's size still gets through to the server function (which
    // refuses the password, not the size).
    let response = send(request(form(1_500_000))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn ready_only_when_the_database_schema_and_mail_worker_are() {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let db = Db::connect(&DatabaseTarget::Sqlite(dir.path().join("r.db"))).expect("db");
    db.migrate().expect("migrate");
    let app = AppState::new(db);
    let heartbeats = app.heartbeats.clone();
    let router = router(ServerState {
        leptos: LeptosOptions::builder().output_name("hongye").build(),
        app,
        site: guard::Site::default(),
        telemetry: hongye::telemetry::Telemetry::new().expect("metrics"),
    });
    let ready = |router: axum::Router| async move {
        let response = router
            .oneshot(
                Request::get("/readyz")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        let status = response.status();
        let body: serde_json::Value = serde_json::from_str(&text(response).await).expect("json");
        (status, body)
    };
    // No mail worker has run: not ready, and the body says which part.
    let (status, body) = ready(router.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["database"]["ok"], true, "{body}");
    assert_eq!(body["migrations"]["ok"], true, "{body}");
    assert_eq!(body["mail_worker"]["ok"], false, "{body}");
    heartbeats.mail_pass();
    let (status, body) = ready(router.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ready"], true, "{body}");
    // Liveness does not wait for the workers.
    let live = router
        .oneshot(
            Request::get("/healthz")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(live.status(), StatusCode::OK);
}
