//! The session cookie over HTTP: its attributes, a new id at every sign-in,
//! and sign-out ending the session on the server.

use app::db::{DatabaseTarget, Db};
use app::services::clock::Clock;
use app::services::{AppState, AuthConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use hongye::guard::Site;
use hongye::serve::{ServerState, router};
use leptos::config::LeptosOptions;
use tower::ServiceExt;

fn database() -> (crate::tempdir::TempDir, Db) {
    let dir = crate::tempdir::tempdir().expect("temp dir");
    let db = Db::connect(&DatabaseTarget::Sqlite(dir.path().join("s.db"))).expect("db");
    db.migrate().expect("migrate");
    app::services::seed::seed_demo(&db, crate::t0()).expect("seed");
    (dir, db)
}

async fn post(
    db: &Db,
    auth: AuthConfig,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> axum::response::Response {
    let mut request = Request::post(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, c);
    }
    router(ServerState {
        leptos: LeptosOptions::builder().output_name("hongye").build(),
        app: AppState {
            auth,
            ..AppState::new(db.clone()).with_clock(Clock::Fixed(crate::t0()))
        },
        site: Site::default(),
        telemetry: hongye::telemetry::Telemetry::new().expect("metrics"),
    })
    .oneshot(request.body(Body::from(body.to_owned())).expect("request"))
    .await
    .expect("response")
}

fn session_cookie(response: &axum::response::Response) -> String {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("hongye_session=") || c.starts_with("__Host-hongye_session="))
        .expect("session cookie set")
        .to_owned()
}

fn pair(cookie: &str) -> &str {
    cookie.split(';').next().expect("name=value")
}

const LOGIN: &str = "login=hexiu&password=hongye-demo";

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax_and_secure_over_tls() {
    let (_dir, db) = database();
    let response = post(
        &db,
        AuthConfig::default(),
        "/api/accounts/login",
        LOGIN,
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = session_cookie(&response);
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "{cookie}");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");

    let tls = AuthConfig {
        secure_cookie: true,
        ..AuthConfig::default()
    };
    let response = post(&db, tls, "/api/accounts/login", LOGIN, None).await;
    let cookie = session_cookie(&response);
    // Over https the name carries the __Host- prefix: Secure, the whole
    // site, this host only.
    assert!(cookie.starts_with("__Host-hongye_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    let token = pair(&cookie)
        .split_once('=')
        .map(|(_, t)| t.to_owned())
        .expect("token");
    let who = |cookie: String| {
        let db = db.clone();
        async move {
            let response = post(&db, tls, "/api/accounts/current_session", "", Some(&cookie)).await;
            axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body")
        }
    };
    assert_ne!(
        &who(format!("__Host-hongye_session={token}")).await[..],
        b"null"
    );
    // The same token under the plain name, as a neighbouring subdomain
    // could plant it, is not taken.
    assert_eq!(&who(format!("hongye_session={token}")).await[..], b"null");
}

#[tokio::test]
async fn signing_in_again_issues_a_new_session_and_ends_the_old_one() {
    let (_dir, db) = database();
    let auth = AuthConfig::default();
    let first = session_cookie(&post(&db, auth, "/api/accounts/login", LOGIN, None).await);
    let second =
        session_cookie(&post(&db, auth, "/api/accounts/login", LOGIN, Some(pair(&first))).await);
    assert_ne!(pair(&first), pair(&second));
    let old = post(
        &db,
        auth,
        "/api/accounts/current_session",
        "",
        Some(pair(&first)),
    )
    .await;
    let body = axum::body::to_bytes(old.into_body(), usize::MAX)
        .await
        .expect("body");
    assert_eq!(&body[..], b"null", "the old session must be gone");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server_not_only_the_cookie() {
    let (_dir, db) = database();
    let auth = AuthConfig::default();
    let cookie = session_cookie(&post(&db, auth, "/api/accounts/login", LOGIN, None).await);
    let out = post(&db, auth, "/api/accounts/logout", "", Some(pair(&cookie))).await;
    assert_eq!(out.status(), StatusCode::OK);
    assert!(session_cookie(&out).contains("Max-Age=0"));
    // Replaying the old cookie gets nothing.
    let replay = post(&db, auth, "/api/roster/get_roster", "", Some(pair(&cookie))).await;
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_bad_password_is_a_translated_401_without_a_cookie() {
    let (_dir, db) = database();
    let response = post(
        &db,
        AuthConfig::default(),
        "/api/accounts/login",
        "login=hexiu&password=nope",
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    assert!(String::from_utf8_lossy(&body).contains("BadCredentials"));
}
