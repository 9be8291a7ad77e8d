//! One database connection is enough for any page: no request asks the pool
//! for a second connection while it holds one. With a pool of one, a page
//! whose parts each need the database gets them in turn; a request that
//! held one and asked for another would wait on itself until the pool's
//! timeout and answer 503.

use std::time::Duration;

use app::db::{DatabaseTarget, Db, PoolSize};
use app::services::AppState;
use app::services::clock::Clock;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use hongye::guard::Site;
use hongye::serve::{ServerState, router};
use leptos::config::LeptosOptions;
use tower::ServiceExt;

fn app_over_a_pool_of_one() -> (crate::tempdir::TempDir, axum::Router) {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let target = DatabaseTarget::Sqlite(dir.path().join("pool.db"));
    let seeded = Db::connect(&target).expect("db");
    seeded.migrate().expect("migrate");
    app::services::seed::seed_demo(&seeded, crate::t0()).expect("seed");
    drop(seeded);
    let one = PoolSize {
        connections: Some(1),
        wait: Duration::from_secs(3),
    };
    let db = Db::connect_with(&target, one).expect("a pool of one");
    (dir, router_over(db))
}

fn router_over(db: Db) -> axum::Router {
    router(ServerState {
        leptos: LeptosOptions::builder().output_name("hongye").build(),
        app: AppState::new(db).with_clock(Clock::Fixed(crate::t0())),
        site: Site::default(),
        telemetry: hongye::telemetry::Telemetry::new().expect("metrics"),
    })
}

async fn send(router: &axum::Router, request: Request<Body>) -> (StatusCode, String) {
    let response = router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Signs in; the session cookie and the home page.
async fn sign_in(router: &axum::Router, login: &str) -> (String, String) {
    let request = Request::post("/api/accounts/login")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("login={login}&password=hongye-demo")))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK, "sign in as {login}");
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("hongye_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_owned();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let home: String = serde_json::from_slice(&body).expect("the home page");
    (cookie, home)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_home_and_its_heaviest_page_render_with_one_connection() {
    let (_dir, router) = app_over_a_pool_of_one();
    for (login, heavy) in [
        ("13800000001", "{home}/bills"),
        ("13800000001", "{home}/book"),
        ("13800000004", "/jobs"),
        ("hexiu", "{home}"),
        ("hexiu", "{home}/schedule"),
        ("hexiu", "{home}/billing"),
        ("13800000003", "{home}/accounts"),
        ("13800000005", "/party"),
        ("admin", "/admin/people"),
    ] {
        let (cookie, home) = sign_in(&router, login).await;
        for page in [home.clone(), heavy.replace("{home}", &home)] {
            let request = Request::get(&page)
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .expect("request");
            let (status, html) = send(&router, request).await;
            assert_eq!(status, StatusCode::OK, "{login} on {page}");
            assert!(!html.contains("服务暂时不可用"), "{login} on {page}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_cannot_get_the_database_in_time_is_told_to_try_again() {
    let (dir, _) = app_over_a_pool_of_one();
    let target = DatabaseTarget::Sqlite(dir.path().join("pool.db"));
    let short = PoolSize {
        connections: Some(1),
        wait: Duration::from_millis(200),
    };
    let db = Db::connect_with(&target, short).expect("db");
    let router = router_over(db.clone());
    let (cookie, home) = sign_in(&router, "13800000001").await;
    // Someone else holds the only connection.
    let held = db.conn().expect("the one connection");
    for path in ["/healthz", "/", home.as_str()] {
        let request = Request::get(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .expect("request");
        let response = router.clone().oneshot(request).await.expect("response");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(
            response.headers().contains_key(header::RETRY_AFTER),
            "{path}: {:?}",
            response.headers()
        );
        let id = response.headers()[hongye::telemetry::REQUEST_ID_HEADER]
            .to_str()
            .expect("ascii")
            .to_owned();
        if path == home {
            // The page names the request, for a call to the office.
            let body = to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body");
            let html = String::from_utf8_lossy(&body);
            assert!(
                html.contains(&format!("请告知编号 {id}")),
                "{path}: the reference {id} in {html}"
            );
        }
    }
    drop(held);
}
